//! A bench-only app of `n` services: `n` stacks of the seed pattern (`SeedPipeline`), each
//! with its own names (`svc-0000`, `svc-0001`, …), so nothing is shared between stacks but
//! the code that builds them. What `stackwright synth` of a platform team's 1,000 services
//! costs is measured on it (docs/PERFORMANCE.md); it is not an example (`examples/*` are
//! judged template by template), so `cargo xtask test` does not synthesize it.

use stackwright_constructs::patterns::{SeedPipeline, SeedPipelineProps, Source};
use stackwright_constructs::{Error, Stack};
use stackwright_template::{App, StackName};

/// The service counts the measurements use (`--app 100`, `--app 500`, `--app 1000`).
pub const SIZES: [usize; 4] = [20, 100, 500, 1_000];

/// The name of service `i`, also its stack's name.
pub fn name(i: usize) -> String {
    format!("svc-{i:04}")
}

/// Service `i`'s stack, unfinished.
pub fn stack(i: usize) -> Result<Stack, Error> {
    let name = name(i);
    let mut stack = Stack::new(&name)?;
    let source = Source::github(format!("{name}-github"), format!("example-org/{name}"), "main");
    let props = SeedPipelineProps::new(&name, source)
        .unit_test_command("make test")
        .health_check_path("/healthz")
        .alarm_email("oncall@example.com");
    SeedPipeline::new(&mut stack, "Shop", props)?;
    Ok(stack)
}

/// The app of `n` services, each stack built when `synth` reaches it.
pub fn app(n: usize) -> Result<App, Error> {
    let mut app = App::new();
    for i in 0..n {
        app.add_deferred(StackName::new(name(i))?, move || stack(i)?.finish())?;
    }
    Ok(app)
}

/// The same app with every stack built and finished up front (how apps were written before
/// deferred stacks; the benchmark compares the two).
pub fn eager_app(n: usize) -> Result<App, Error> {
    let mut app = App::new();
    for i in 0..n {
        app.add_stack(stack(i)?.finish()?)?;
    }
    Ok(app)
}
