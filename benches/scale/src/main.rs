//! `stackwright-scale --app 1000 synth --out DIR`: the bench-only app of 20, 100, 500 or
//! 1,000 services (the first is the default), through the same command line as every app.

fn main() -> std::process::ExitCode {
    stackwright_cli::run_named::<stackwright_constructs::Error>(&[
        ("20", || stackwright_scale::app(20)),
        ("100", || stackwright_scale::app(100)),
        ("500", || stackwright_scale::app(500)),
        ("1000", || stackwright_scale::app(1_000)),
    ])
}

/// `--features mimalloc`: how much of a synth is the allocator (docs/PERFORMANCE.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
