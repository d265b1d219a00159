//! Variants of the seed architecture, one stack each: a CodeCommit repository as the source;
//! no manual approval (continuous deployment, guarded by the smoke test and the alarms); and
//! a service that keeps its files on an encrypted EFS file system.

use stackwright_constructs::patterns::{SeedPipeline, SeedPipelineProps, Source};
use stackwright_constructs::{Error, Stack};
use stackwright_template::App;

/// CodeCommit as the source.
pub const CODECOMMIT: &str = "seed-codecommit";
/// No manual approval.
pub const NO_APPROVAL: &str = "seed-no-approval";
/// EFS-backed service.
pub const EFS: &str = "seed-efs";

/// The three variants (a mistake in any of them is reported with those of the others).
pub fn app() -> Result<App, Error> {
    Stack::finish_all([codecommit()?, no_approval()?, efs()?])
}

fn github(name: &str) -> Source {
    Source::github(format!("{name}-github"), format!("example-org/{name}"), "main")
}

/// The source is a CodeCommit repository the stack creates.
pub fn codecommit() -> Result<Stack, Error> {
    let mut stack = Stack::new(CODECOMMIT)?.with_description("Stackwright seed architecture with a CodeCommit source");
    let props = SeedPipelineProps::new("orders-api", Source::codecommit("orders-api", "main"))
        .unit_test_command("npm test")
        .container_port(3000)
        .health_check_path("/health");
    SeedPipeline::new(&mut stack, "Orders", props)?;
    Ok(stack)
}

/// Every commit that passes its tests is deployed: no manual approval.
pub fn no_approval() -> Result<Stack, Error> {
    let mut stack = Stack::new(NO_APPROVAL)?
        .with_description("Stackwright seed architecture deploying every commit without manual approval");
    let props =
        SeedPipelineProps::new("catalog-api", github("catalog-api")).unit_test_command("go test ./...").approval(false);
    SeedPipeline::new(&mut stack, "Catalog", props)?;
    Ok(stack)
}

/// The service keeps its files on an encrypted EFS file system.
pub fn efs() -> Result<Stack, Error> {
    let mut stack = Stack::new(EFS)?.with_description("Stackwright seed architecture with an EFS-backed service");
    let props = SeedPipelineProps::new("media-store", github("media-store"))
        .size(stackwright_constructs::ecs::FargateSize::CPU_512_MEMORY_1024)
        .runtime_hook(|runtime| runtime.efs_mount_path("/srv/media"));
    SeedPipeline::new(&mut stack, "Media", props)?;
    Ok(stack)
}
