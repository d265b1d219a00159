//! `cargo run -p example-l1-basics -- synth`: the runner, exactly as a user's app uses it.

fn main() -> std::process::ExitCode {
    stackwright_cli::run(example_l1_basics::app)
}
