//! Variants of the seed architecture, one stack each: a CodeCommit repository as the source,
//! released by CodePipeline's ECS deploy action; no manual approval (continuous deployment,
//! guarded by the smoke test and the alarms); a service that keeps its files on an encrypted
//! EFS file system; and a worker service without a load balancer.

use stackwright_constructs::cloudwatch::{AlarmProps, Comparison, Metric, MetricUnit, Statistic};
use stackwright_constructs::ecs::Autoscaling;
use stackwright_constructs::logs::Retention;
use stackwright_constructs::patterns::{
    ReleaseMode, SecretRef, SeedPipeline, SeedPipelineProps, Source, WorkerService, WorkerServiceProps,
};
use stackwright_constructs::{Error, Stack};
use stackwright_template::App;

/// CodeCommit as the source.
pub const CODECOMMIT: &str = "seed-codecommit";
/// No manual approval.
pub const NO_APPROVAL: &str = "seed-no-approval";
/// EFS-backed service.
pub const EFS: &str = "seed-efs";
/// A worker without a load balancer.
pub const WORKER: &str = "seed-worker";

/// The four variants (a mistake in any of them is reported with those of the others).
pub fn app() -> Result<App, Error> {
    Stack::finish_all([codecommit()?, no_approval()?, efs()?, worker()?])
}

fn github(name: &str) -> Source {
    Source::github(format!("{name}-github"), format!("example-org/{name}"), "main")
}

/// The source is a CodeCommit repository the stack creates; releases go through CodePipeline's
/// ECS deploy action (the trade-off: a stack update that changes the task definition runs the
/// `ImageUri` parameter's image again).
pub fn codecommit() -> Result<Stack, Error> {
    let mut stack = Stack::new(CODECOMMIT)?
        .with_description("Stackwright seed architecture with a CodeCommit source, released by the ECS deploy action");
    let props = SeedPipelineProps::new("orders-api", Source::codecommit("orders-api", "main"))
        .unit_test_command("npm test")
        .container_port(3000)
        .health_check_path("/health")
        .release_mode(ReleaseMode::EcsDeployAction);
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

/// A queue consumer without a load balancer: the same rollout, alarms and pipeline, rolled back
/// when the queue's oldest message grows old during a deployment; its settings are plain data.
pub fn worker() -> Result<Stack, Error> {
    let mut stack = Stack::new(WORKER)?
        .with_description("Stackwright worker service: a queue consumer without a load balancer, and its pipeline");
    let queue_age = Metric::new("AWS/SQS", "ApproximateAgeOfOldestMessage", Statistic::Maximum, MetricUnit::Seconds)
        .dimension("QueueName", "invoice-jobs");
    let props = WorkerServiceProps::new("invoice-worker", github("invoice-worker"))
        .unit_test_command("cargo test")
        .env("QUEUE_NAME", "invoice-jobs")
        .secret("DATABASE_URL", SecretRef::SsmParameter("/invoice-worker/database-url".into()))
        .log_retention(Retention::SixMonths)
        .autoscaling(Autoscaling::new(1, 4).cpu_target_percent(70))
        .rollback_alarm(
            "QueueAge",
            queue_age,
            AlarmProps::new(Comparison::GreaterThan, 900.0, 3).description("Invoice jobs wait more than 15 minutes"),
        )
        .alarm_email("oncall@example.com");
    WorkerService::new(&mut stack, "Invoices", props)?;
    Ok(stack)
}
