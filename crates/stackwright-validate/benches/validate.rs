//! `stackwright validate` of the seed template (its reviewed snapshot,
//! `snapshots/seed-pipeline__seed-pipeline.snap`): the whole validation in steady state (the
//! registry schemas already loaded and compiled), and the same plus loading its 23 types'
//! schemas anew (inflate, facts, compile: what the first validation in a process adds).
//!
//! `cargo bench -p stackwright-validate` (figures in docs/PERFORMANCE.md).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use stackwright_template::Template;

fn seed() -> Template {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../snapshots/seed-pipeline__seed-pipeline.snap");
    let snapshot = std::fs::read_to_string(path).expect("the seed snapshot");
    // The insta header is the first `---`…`---` block.
    let body = snapshot.splitn(3, "---\n").nth(2).expect("a snapshot body");
    Template::from_json_str(body).expect("the seed template parses")
}

fn validate(c: &mut Criterion) {
    let template = seed();
    let types: std::collections::BTreeSet<String> =
        template.resources().values().map(|r| r.type_name.clone()).collect();
    assert_eq!(types.len(), 23);
    assert!(stackwright_validate::validate(&template).errors().next().is_none());
    c.bench_function("validate the seed template (steady state)", |b| {
        b.iter(|| black_box(stackwright_validate::validate(black_box(&template))));
    });
    c.bench_function("validate the seed template, its schemas loaded anew", |b| {
        b.iter(|| {
            for name in &types {
                black_box(stackwright_registry::load_uncached(name));
            }
            black_box(stackwright_validate::validate(black_box(&template)))
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = validate
}
criterion_main!(benches);
