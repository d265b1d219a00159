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

/// mimalloc, as the `stackwright` binary and `init --rust` apps use it; `--features
/// system-allocator` measures the system's instead (docs/PERFORMANCE.md).
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
