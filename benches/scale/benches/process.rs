//! The issue 12 target as a benchmark: the whole `stackwright-scale --app 1000 synth` process
//! (build, validate, render and write 1,000 seed stacks and the manifest, on every core), run
//! as a child process, as CI and users run it. `cargo bench -p stackwright-scale --bench
//! process`; the figures, with `/usr/bin/time`'s peak memory, are in docs/PERFORMANCE.md.

use std::path::Path;
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};

fn synth(binary: &Path, services: &str, out: &Path) {
    let status = Command::new(binary)
        .args(["--app", services, "synth", "--out"])
        .arg(out)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("the scale binary starts");
    assert!(status.success(), "synth of {services} services failed: {status}");
}

fn process(c: &mut Criterion) {
    let binary = Path::new(env!("CARGO_BIN_EXE_stackwright-scale"));
    let out = std::env::temp_dir().join(format!("stackwright-scale-bench-{}", std::process::id()));
    let mut group = c.benchmark_group("whole process");
    group.sample_size(10);
    for services in ["100", "1000"] {
        group.bench_function(format!("synth {services} services"), |b| b.iter(|| synth(binary, services, &out)));
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&out);
}

criterion_group!(benches, process);
criterion_main!(benches);
