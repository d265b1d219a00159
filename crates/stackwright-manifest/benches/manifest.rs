//! What the manifest path adds to a synth: reading `stackwright.yaml` (parse, types, checks)
//! and mapping it onto the patterns, against building the same stack in Rust.
//! `cargo bench -p stackwright-manifest`; figures in docs/PERFORMANCE.md.

use criterion::{Criterion, criterion_group, criterion_main};

fn manifest(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/manifests/seed-pipeline.yaml");
    let text = std::fs::read_to_string(&path).expect("the seed manifest");
    c.bench_function("manifest: parse seed-pipeline.yaml", |b| {
        b.iter(|| std::hint::black_box(stackwright_manifest::parse(&text, "stackwright.yaml").expect("it parses")));
    });
    c.bench_function("manifest: load (read + parse + synthesize) the seed", |b| {
        b.iter(|| std::hint::black_box(stackwright_manifest::load(&path).expect("it synthesizes")));
    });
    c.bench_function("rust: the seed app (build + finish)", |b| {
        b.iter(|| std::hint::black_box(example_seed_pipeline::app().expect("it builds")));
    });
}

criterion_group!(benches, manifest);
criterion_main!(benches);
