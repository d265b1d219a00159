//! `cargo run -p example-platform -- synth`: every stack of the platform example.

fn main() -> std::process::ExitCode {
    stackwright_cli::run(example_platform::app)
}
