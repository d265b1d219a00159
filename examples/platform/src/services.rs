//! The three services of one environment, each in its own stack on the foundation's network,
//! cluster and alarm topic.

use stackwright_constructs::cloudwatch::{AlarmProps, Comparison, Metric, MetricUnit, Statistic};
use stackwright_constructs::ecs::{ContainerDefinition, ContainerImage, FargateSize, HealthCheck};
use stackwright_constructs::kms::{Key, KeyProps};
use stackwright_constructs::patterns::{
    Foundation, LoadBalancedService, LoadBalancedServiceProps, PromotedWorker, PromotedWorkerProps,
    PromotionPipelineProps, PromotionTarget,
};
use stackwright_constructs::{Environment, Error, Stack};

/// The service's own key: what it stores (logs, files, images) is encrypted with a key whose
/// policy names only its own resources.
fn service_key(stack: &mut Stack, env: &Environment, service: &str) -> Result<Key, Error> {
    Key::new(stack, "Key", KeyProps::new().alias(format!("alias/{service}-{}", env.name())))
}

fn web_container(name: &str, image: ContainerImage) -> ContainerDefinition {
    ContainerDefinition::new(name, image)
        .port(8080)
        .health_check(HealthCheck::new(["CMD-SHELL", "curl -fsS http://localhost:8080/healthz || exit 1"]))
}

/// A web service on the foundation's network, cluster and alarm topic (whose subscribers the
/// foundation holds, `foundation.rs`).
fn load_balanced(
    stack: &mut Stack,
    env: &Environment,
    foundation: &Foundation,
    (container, size): (ContainerDefinition, FargateSize),
) -> Result<LoadBalancedServiceProps, Error> {
    let o = env.overrides();
    let mut props = LoadBalancedServiceProps::new(container)
        .size(o.size.unwrap_or(size))
        .health_check_path("/healthz")
        .networking(foundation.runtime(stack)?)
        .alarm_topic(foundation.alarm_topic());
    if let Some(count) = o.desired_count {
        props = props.desired_count(count.max(2));
    }
    Ok(props)
}

/// The web service: `web-<environment>`, released by the promotion pipeline `web-pipeline`
/// (its image is the `ImageUri` parameter; the pipeline's release role is `web-<environment>-release`).
pub(crate) fn web(
    env: &Environment,
    foundation: &Foundation,
    promotion: &PromotionPipelineProps,
) -> Result<Stack, Error> {
    let mut stack = env.stack("web")?.with_description(format!(
        "Stackwright platform example ({}): the web service, released by the promotion pipeline web-pipeline",
        env.name()
    ));
    let key = service_key(&mut stack, env, "web")?;
    let container = web_container("web", promotion.service_image(&mut stack)?);
    let props = load_balanced(&mut stack, env, foundation, (container, FargateSize::CPU_256_MEMORY_512))?;
    let web = LoadBalancedService::new(&mut stack, "Web", &key, props)?;
    PromotionTarget::new(&mut stack, "Release", promotion, env, &web.service, &web.task_definition)?;
    Ok(stack)
}

/// The EFS-backed service (uploaded files): `files-<environment>`, released by the promotion
/// pipeline `files-pipeline` as the web service is by its own.
pub(crate) fn files(
    env: &Environment,
    foundation: &Foundation,
    promotion: &PromotionPipelineProps,
) -> Result<Stack, Error> {
    let mut stack = env.stack("files")?.with_description(format!(
        "Stackwright platform example ({}): the EFS-backed files service, released by the promotion pipeline files-pipeline",
        env.name()
    ));
    let key = service_key(&mut stack, env, "files")?;
    let container = web_container("files", promotion.service_image(&mut stack)?);
    let props = load_balanced(&mut stack, env, foundation, (container, FargateSize::CPU_512_MEMORY_1024))?
        .efs_mount_path("/srv/files");
    let files = LoadBalancedService::new(&mut stack, "Files", &key, props)?;
    PromotionTarget::new(&mut stack, "Release", promotion, env, &files.service, &files.task_definition)?;
    Ok(stack)
}

/// The queue worker: `worker-<environment>`, released by the promotion pipeline
/// `worker-pipeline` (its image is the `ImageUri` parameter; the pipeline's release role is
/// `worker-<environment>-release`).
pub(crate) fn worker(
    env: &Environment,
    foundation: &Foundation,
    promotion: &PromotionPipelineProps,
) -> Result<Stack, Error> {
    let mut stack = env.stack("worker")?.with_description(format!(
        "Stackwright platform example ({}): the queue worker, released by the promotion pipeline worker-pipeline",
        env.name()
    ));
    let o = env.overrides();
    let queue_age = Metric::new("AWS/SQS", "ApproximateAgeOfOldestMessage", Statistic::Maximum, MetricUnit::Seconds)
        .dimension("QueueName", format!("jobs-{}", env.name()));
    let threshold = o.alarm_thresholds.get("QueueAge").copied().unwrap_or(900.0);
    let key = service_key(&mut stack, env, "worker")?;
    let mut props = PromotedWorkerProps::new()
        .container_name("worker")
        .env("QUEUE_NAME", format!("jobs-{}", env.name()))
        .networking(foundation.runtime(&mut stack)?)
        .rollback_alarm(
            "QueueAge",
            queue_age,
            AlarmProps::new(Comparison::GreaterThan, threshold, 3).description("Jobs wait too long"),
        )
        .alarm_topic(foundation.alarm_topic());
    if let Some(count) = o.desired_count {
        props = props.desired_count(count);
    }
    if let Some(size) = o.size {
        props = props.size(size);
    }
    PromotedWorker::new(&mut stack, "Jobs", &key, promotion, env, props)?;
    Ok(stack)
}
