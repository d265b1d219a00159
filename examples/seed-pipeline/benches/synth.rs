//! In-process synthesis of the seed architecture: building every construct, finishing the
//! stack (policies written) and rendering the template to its exact bytes; and validating it.
//! `cargo bench -p example-seed-pipeline`; figures in docs/PERFORMANCE.md.

use criterion::{Criterion, criterion_group, criterion_main};

fn synth(c: &mut Criterion) {
    c.bench_function("seed-pipeline: build + finish + render", |b| {
        b.iter(|| {
            let stack = example_seed_pipeline::stack().expect("the seed builds").finish().expect("it finishes");
            std::hint::black_box(stack.template().render())
        });
    });
    let finished = example_seed_pipeline::stack().expect("the seed builds").finish().expect("it finishes");
    c.bench_function("seed-pipeline: render only", |b| b.iter(|| std::hint::black_box(finished.template().render())));
    // What synth checks before it writes (`stackwright validate`), on the finished template.
    c.bench_function("seed-pipeline: validate", |b| {
        b.iter(|| std::hint::black_box(stackwright_validate::validate(finished.template())));
    });
}

criterion_group!(benches, synth);
criterion_main!(benches);
