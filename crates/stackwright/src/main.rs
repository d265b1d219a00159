//! The `stackwright` binary. At the repository root, `cargo run -- synth` synthesizes the
//! built-in default example; `--app NAME` picks another. A platform team's own app crate
//! calls `stackwright_cli::run` from its `main` instead.

use std::process::ExitCode;

fn main() -> ExitCode {
    // The first entry is the default.
    stackwright_cli::run_named::<stackwright_constructs::Error>(&[
        ("seed", example_seed_pipeline::app),
        ("seed-variants", example_seed_variants::app),
        ("web-service", example_web_service::app),
        ("l1-basics", || example_l1_basics::app().map_err(Into::into)),
        ("platform", example_platform::app),
    ])
}

/// mimalloc: a synth allocates and frees millions of small JSON values, and mimalloc takes
/// about a fifth off its CPU time (docs/PERFORMANCE.md, "Platform scale").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
