//! `cargo run -p example-seed-pipeline -- synth`: the seed architecture.

fn main() -> std::process::ExitCode {
    stackwright_cli::run(example_seed_pipeline::app)
}
