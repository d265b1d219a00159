//! The seed architecture, and what `cargo run -- synth` writes at the repository root: a
//! commit on GitHub's `main` (through a CodeStar connection) is built into an image with its
//! unit tests, approved by a person, rolled out to a Fargate service behind an HTTPS load
//! balancer — keeping full capacity, rolled back by the circuit breaker or by an alarm — and
//! checked by a smoke test; alarms and pipeline failures go to an encrypted SNS topic.

use stackwright_constructs::patterns::{SeedPipeline, SeedPipelineProps, Source};
use stackwright_constructs::{Error, Stack};
use stackwright_template::App;

/// The stack's name.
pub const STACK_NAME: &str = "seed-pipeline";

/// The app: one stack.
pub fn app() -> Result<App, Error> {
    let mut app = App::new();
    app.add_stack(stack()?.finish()?)?;
    Ok(app)
}

/// The seed architecture's stack, unfinished: the benchmark and the tests build it.
pub fn stack() -> Result<Stack, Error> {
    let mut stack = Stack::new(STACK_NAME)?.with_description(
        "Stackwright seed architecture: CodePipeline (GitHub, build with unit tests, approval, rolling ECS deploy, \
         smoke test) delivering a Fargate service behind an HTTPS load balancer, with alarms and rollback",
    );
    let props = SeedPipelineProps::new("shop-web", Source::github("shop-web-github", "example-org/shop-web", "main"))
        .unit_test_command("make test")
        .health_check_path("/healthz")
        .runtime_hook(|runtime| runtime.alarm_email("oncall@example.com"));
    SeedPipeline::new(&mut stack, "Shop", props)?;
    Ok(stack)
}
