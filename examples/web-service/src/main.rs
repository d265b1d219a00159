//! `cargo run -p example-web-service -- synth`: both stacks of the runtime example.

fn main() -> std::process::ExitCode {
    stackwright_cli::run(example_web_service::app)
}
