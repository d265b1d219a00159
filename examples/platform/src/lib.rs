//! A platform team's app: per environment, one foundation stack — the network, the ECS
//! cluster, a customer-managed key and the platform's alarm topic — and three services that
//! run on its network and cluster through cross-stack references (`Export` and
//! `Fn::ImportValue`): a web service, a queue worker, and a web service keeping its files on
//! EFS. Staging and production are the same definitions synthesized twice, production in
//! another account with more and larger tasks and manual approval.
//! Each service is promoted by one pipeline of its own, `web-pipeline`, `worker-pipeline` and
//! `files-pipeline`, in the staging account: each builds its image once, releases it to staging,
//! smoke-tests it, waits for approval and releases the same image to production (account
//! 222222222222) through a release role there.
//!
//! Stacks are named `<part>-<environment>`; `synth` writes them in dependency order (each
//! foundation before its services) and `out/manifest.json` records the order, the
//! dependencies and where each stack goes. See `docs/PLATFORM.md`.

mod foundation;
mod services;

use stackwright_constructs::ecs::FargateSize;
use stackwright_constructs::patterns::{PromotionPipeline, PromotionPipelineProps, Source};
use stackwright_constructs::{Environment, Error, Stack};
use stackwright_template::App;

pub use stackwright_constructs::patterns::Foundation;

/// The environments: staging, and production in another account.
pub fn environments() -> Result<Vec<Environment>, Error> {
    Ok(vec![
        Environment::new("staging")?.account("111111111111")?.region("eu-west-1")?.desired_count(1).approval(false),
        Environment::new("production")?
            .account("222222222222")?
            .region("eu-west-1")?
            .desired_count(3)
            .size(FargateSize::CPU_512_MEMORY_1024)
            .alarm_threshold("QueueAge", 300.0)
            .approval(true),
    ])
}

/// The web service's promotion: built once, released to staging and smoke-tested, then after
/// approval (production's `approval(true)`) released to production.
pub fn web_promotion(environments: &[Environment]) -> PromotionPipelineProps {
    let source = Source::github("shop-web-github", "example-org/shop-web", "main");
    PromotionPipelineProps::new("web", source, environments.to_vec())
        .container_name("web")
        .unit_test_command("npm test")
        .smoke_test("staging", "https://web.staging.example.com/healthz")
        .smoke_test("production", "https://web.example.com/healthz")
        .notification_email("web-oncall@example.com")
}

/// The worker's promotion, the same way: it has no URL, so its staging smoke test is a command
/// (production's release is gated by its rolling deployment, circuit breaker and `QueueAge`
/// alarm).
pub fn worker_promotion(environments: &[Environment]) -> PromotionPipelineProps {
    let source = Source::github("jobs-worker-github", "example-org/jobs-worker", "main");
    PromotionPipelineProps::new("worker", source, environments.to_vec())
        .container_name("worker")
        .unit_test_command("cargo test")
        .smoke_test_command("staging", "./bin/check-queue-drains jobs-staging")
        .notification_email("jobs-oncall@example.com")
}

/// The files service's promotion, as the web service's: smoke-tested by URL in both
/// environments.
pub fn files_promotion(environments: &[Environment]) -> PromotionPipelineProps {
    let source = Source::github("shop-files-github", "example-org/shop-files", "main");
    PromotionPipelineProps::new("files", source, environments.to_vec())
        .container_name("files")
        .unit_test_command("npm test")
        .smoke_test("staging", "https://files.staging.example.com/healthz")
        .smoke_test("production", "https://files.example.com/healthz")
        .notification_email("web-oncall@example.com")
}

/// Every stack of every environment, then each service's promotion pipeline (a mistake in any
/// is reported with those of the others).
pub fn app() -> Result<App, Error> {
    let environments = environments()?;
    let promotion = web_promotion(&environments);
    let worker_promotion = worker_promotion(&environments);
    let files_promotion = files_promotion(&environments);
    let mut stacks: Vec<Stack> = Vec::new();
    for env in &environments {
        let (foundation_stack, foundation) = foundation::stack(env)?;
        stacks.push(foundation_stack);
        stacks.push(services::web(env, &foundation, &promotion)?);
        stacks.push(services::worker(env, &foundation, &worker_promotion)?);
        stacks.push(services::files(env, &foundation, &files_promotion)?);
    }
    let mut pipeline = promotion.stack()?.with_description(
        "Stackwright platform example: the web service's promotion pipeline (staging, approval, production)",
    );
    PromotionPipeline::new(&mut pipeline, "Web", &promotion)?;
    stacks.push(pipeline);
    let mut pipeline = worker_promotion.stack()?.with_description(
        "Stackwright platform example: the queue worker's promotion pipeline (staging, approval, production)",
    );
    PromotionPipeline::new(&mut pipeline, "Worker", &worker_promotion)?;
    stacks.push(pipeline);
    let mut pipeline = files_promotion.stack()?.with_description(
        "Stackwright platform example: the files service's promotion pipeline (staging, approval, production)",
    );
    PromotionPipeline::new(&mut pipeline, "Files", &files_promotion)?;
    stacks.push(pipeline);
    Stack::finish_all(stacks)
}
