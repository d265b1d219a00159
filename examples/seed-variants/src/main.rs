//! `cargo run -p example-seed-variants -- synth`: the three variants of the seed architecture.

fn main() -> std::process::ExitCode {
    stackwright_cli::run(example_seed_variants::app)
}
