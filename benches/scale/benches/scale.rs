//! Synthesis at platform scale: 100 seed services, each stack built, finished, validated and
//! rendered as `synth` does. `cargo bench -p stackwright-scale`; the whole-process figures
//! for 100, 500 and 1,000 services are in docs/PERFORMANCE.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

const SERVICES: usize = 100;

fn scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale");
    group.sample_size(10);
    group.bench_function("100 services: build + finish", |b| {
        b.iter(|| black_box(stackwright_scale::eager_app(SERVICES).expect("the app builds")));
    });
    let app = stackwright_scale::eager_app(SERVICES).expect("the app builds");
    group.bench_function("100 services: render", |b| {
        b.iter(|| {
            for (_, template) in app.finished_stacks() {
                black_box(template.render());
            }
        });
    });
    group.bench_function("100 services: validate", |b| {
        b.iter(|| {
            for (_, template) in app.finished_stacks() {
                black_box(stackwright_validate::validate(template));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, scale);
criterion_main!(benches);
