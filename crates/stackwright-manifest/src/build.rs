//! From a manifest to stacks: each service is one pattern (`SeedPipeline` for `web`,
//! `WorkerService` for `worker`; with `environments:` see [`environments`]) in its own stack, built with the patterns' own setters and
//! hooks — a front end, not a second implementation. Every rule a construct enforces is
//! reported as the construct reports it, placed at the manifest line that set the value.

use std::collections::BTreeMap;

use stackwright_constructs::cloudwatch::{self, AlarmProps, Metric};
use stackwright_constructs::codebuild::BuildKind;
use stackwright_constructs::codepipeline::{DeploymentTimeout, PipelineProps};
use stackwright_constructs::codestar::ProviderType;
use stackwright_constructs::ec2::VpcProps;
use stackwright_constructs::ecs::{self, FargateSize};
use stackwright_constructs::error::Violation;
use stackwright_constructs::logs::Retention;
use stackwright_constructs::patterns::{
    CodeCommitChoice, ConnectionChoice, EcrSettings, NetworkingChoice, ReleaseMode, SecretRef, SeedPipeline,
    SeedPipelineProps, Source as PatternSource, WorkerService, WorkerServiceProps,
};
use stackwright_constructs::{Error as ConstructError, Stack};
use stackwright_template::App;

use crate::error::{Diagnostic, Error};
use crate::model::{
    Autoscaling, Comparison, Manifest, MetricUnit, Networking, OnFailure, Provider, Release, RollbackAlarm, Service,
    ServiceType, Statistic,
};
use crate::spans::Spans;

/// A problem before spans are known: its key path, message and rule.
struct Found {
    path: String,
    message: String,
    rule: Option<&'static str>,
}

impl Found {
    fn new(path: String, message: impl Into<String>) -> Self {
        Self { path, message: message.into(), rule: None }
    }
}

/// Synthesizes `manifest` (read from `text`, the file `file`) into an app: every stack
/// finished, or every problem of every service with its position.
pub fn synthesize(manifest: &Manifest, text: &str, file: &str) -> Result<App, Error> {
    let mut found = check(manifest);
    let mut app = App::new();
    if found.is_empty() && !manifest.environments.is_empty() {
        environments::build(manifest, &mut app, &mut found);
    } else if found.is_empty() {
        for (index, service) in manifest.services.iter().enumerate() {
            let at = format!("services[{index}]");
            match build_service(manifest, service, &at) {
                Ok(stack) => {
                    if let Err(error) = app.add_stack(stack) {
                        found.push(Found::new(format!("{at}.stack"), error.to_string()));
                    }
                }
                Err(problems) => found.extend(problems),
            }
        }
    }
    if found.is_empty() {
        return Ok(app);
    }
    let spans = Spans::of(text);
    let diagnostics = found
        .into_iter()
        .map(|f| Diagnostic { position: spans.find(&f.path), path: f.path, message: f.message, rule: f.rule })
        .collect();
    Err(Error::new(file, diagnostics))
}

/// The manifest's own rules: what serde's types cannot say (a key that applies to one type of
/// service, exactly one of two keys, unique names).
fn check(manifest: &Manifest) -> Vec<Found> {
    let mut found = Vec::new();
    if manifest.services.is_empty() {
        found.push(Found::new("services".into(), "expected at least one service"));
    }
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    let mut stacks: BTreeMap<String, usize> = BTreeMap::new();
    for (index, service) in manifest.services.iter().enumerate() {
        let at = format!("services[{index}]");
        if let Some(first) = names.insert(service.name.as_str(), index) {
            found.push(Found::new(
                format!("{at}.name"),
                format!("duplicate service name `{}`: services[{first}] has it too", service.name),
            ));
        }
        let stack = stack_name(manifest, service);
        // With environments, stack names are `<service>-<environment>`: `App` refuses a repeat.
        if manifest.environments.is_empty()
            && let Some(first) = stacks.insert(stack.clone(), index)
        {
            found.push(Found::new(
                format!("{at}.stack"),
                format!("duplicate stack name `{stack}`: services[{first}] has it too"),
            ));
        }
        check_service(service, &at, &mut found);
    }
    environments::check(manifest, &mut found);
    found
}

fn check_service(service: &Service, at: &str, found: &mut Vec<Found>) {
    let (only, other) = match service.kind {
        ServiceType::Web => ("worker", "web"),
        ServiceType::Worker => ("web", "worker"),
    };
    let mut not_here = |key: &str, set: bool| {
        if set {
            found.push(Found::new(
                format!("{at}.{key}"),
                format!("`{key}` applies to {only} services; `{}` is a {other} service", service.name),
            ));
        }
    };
    let smoke = &service.pipeline.smoke_test;
    match service.kind {
        ServiceType::Web => {
            not_here("alarms.rollback", !service.alarms.rollback.is_empty());
            not_here("pipeline.smoke_test.command", smoke.command.is_some());
            not_here("pipeline.smoke_test.commands", !smoke.commands.is_empty());
        }
        ServiceType::Worker => {
            not_here("port", service.port.is_some());
            not_here("health_check_path", service.health_check_path.is_some());
            not_here("efs", service.efs.is_some());
            not_here("pipeline.smoke_test.enabled", smoke.enabled.is_some());
            not_here("pipeline.smoke_test.url", smoke.url.is_some());
            not_here("pipeline.smoke_test.urls", !smoke.urls.is_empty());
        }
    }
    if Retention::from_days(i64::from(service.log_retention_days)).is_none() {
        let allowed: Vec<String> = Retention::ALL.iter().map(|r| r.days().to_string()).collect();
        found.push(Found::new(
            format!("{at}.log_retention_days"),
            format!(
                "CloudWatch Logs keeps logs for one of {} days; got {}",
                allowed.join(", "),
                service.log_retention_days
            ),
        ));
    }
    for (name, secret) in &service.secrets {
        let key = format!("{at}.secrets.{name}");
        match (&secret.ssm, &secret.secrets_manager) {
            (Some(_), Some(_)) => {
                found.push(Found::new(key.clone(), "give one of `ssm` and `secrets_manager`, not both"));
            }
            (None, None) => {
                found.push(Found::new(key.clone(), "expected `ssm: <parameter name>` or `secrets_manager: <ARN>`"));
            }
            _ => {}
        }
        if secret.json_key.is_some() && secret.secrets_manager.is_none() {
            found.push(Found::new(format!("{key}.json_key"), "`json_key` selects a key of a Secrets Manager secret"));
        }
    }
    let source = &service.pipeline.source;
    let at_source = format!("{at}.pipeline.source");
    match source.provider {
        Provider::Github => {
            if source.create_repository.is_some() {
                found.push(Found::new(
                    format!("{at_source}.create_repository"),
                    "`create_repository` applies to CodeCommit; a GitHub repository exists already",
                ));
            }
            if source.connection_name.is_some() && source.connection_arn.is_some() {
                found.push(Found::new(
                    format!("{at_source}.connection_arn"),
                    "give `connection_name` (a connection the stack creates) or `connection_arn` (an existing one), not both",
                ));
            }
        }
        Provider::Codecommit => {
            for (key, set) in [
                ("connection_name", source.connection_name.is_some()),
                ("connection_arn", source.connection_arn.is_some()),
            ] {
                if set {
                    found.push(Found::new(
                        format!("{at_source}.{key}"),
                        format!("`{key}` applies to GitHub sources; CodeCommit needs no connection"),
                    ));
                }
            }
        }
    }
}

/// `<app>-<service>`: the ECR repository's name, and the default stack name.
fn qualified(manifest: &Manifest, service: &Service) -> String {
    format!("{}-{}", manifest.name, service.name)
}

fn stack_name(manifest: &Manifest, service: &Service) -> String {
    service.stack.clone().unwrap_or_else(|| qualified(manifest, service))
}

/// `shop-web` → `ShopWeb`.
pub(crate) fn pascal_case(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

fn build_service(manifest: &Manifest, service: &Service, at: &str) -> Result<stackwright_template::Stack, Vec<Found>> {
    let stack_name = stack_name(manifest, service);
    let mut stack = Stack::new(&stack_name).map_err(|e| construct_problems(&e, at, service, Some("stack")))?;
    if let Some(description) = &service.description {
        stack = stack.with_description(description.clone());
    }
    let size = FargateSize::new(service.cpu, service.memory).map_err(|e| construct_problems(&e, at, service, None))?;
    let id = construct_id(service);
    let built = match service.kind {
        ServiceType::Web => web(&mut stack, &id, service, size, &qualified(manifest, service)).map(drop),
        ServiceType::Worker => worker(&mut stack, &id, service, size, &qualified(manifest, service)).map(drop),
    };
    built.map_err(|e| construct_problems(&e, at, service, None))?;
    stack.finish().map_err(|e| construct_problems(&e, at, service, None))
}

fn source(service: &Service, qualified: &str) -> PatternSource {
    let source = &service.pipeline.source;
    match source.provider {
        Provider::Github => {
            let connection = match &source.connection_arn {
                Some(arn) => ConnectionChoice::Existing(arn.as_str().into()),
                None => ConnectionChoice::Create {
                    name: source.connection_name.clone().unwrap_or_else(|| format!("{qualified}-github")),
                },
            };
            PatternSource::Connection {
                provider: ProviderType::GitHub,
                connection,
                repository: source.repository.clone(),
                branch: source.branch.clone(),
                trigger: None,
            }
        }
        Provider::Codecommit => {
            let repository = if source.create_repository.unwrap_or(true) {
                CodeCommitChoice::Create(source.repository.clone())
            } else {
                CodeCommitChoice::Existing(source.repository.clone())
            };
            PatternSource::CodeCommit { repository, branch: source.branch.clone() }
        }
    }
}

fn secret(spec: &crate::model::Secret) -> SecretRef {
    match (&spec.ssm, &spec.secrets_manager) {
        (_, Some(arn)) => SecretRef::SecretsManager { arn: arn.clone(), json_key: spec.json_key.clone() },
        (Some(name), None) => SecretRef::SsmParameter(name.clone()),
        // invariant: `check` refused a secret with neither before anything is built.
        (None, None) => SecretRef::SsmParameter(String::new()),
    }
}

fn autoscaling(spec: &Autoscaling) -> ecs::Autoscaling {
    let mut scaling = ecs::Autoscaling::new(spec.min, spec.max)
        .scale_in_cooldown_seconds(spec.scale_in_cooldown_seconds)
        .scale_out_cooldown_seconds(spec.scale_out_cooldown_seconds);
    scaling.cpu_target_percent = spec.cpu_target_percent;
    scaling.memory_target_percent = spec.memory_target_percent;
    scaling
}

fn ecr(service: &Service) -> EcrSettings {
    EcrSettings::new()
        .scan_on_push(service.ecr.scan_on_push)
        .immutable_tags(service.ecr.immutable_tags)
        .empty_on_delete(service.ecr.empty_on_delete)
}

fn release_mode(release: Release) -> ReleaseMode {
    match release {
        Release::Cloudformation => ReleaseMode::CloudFormation,
        Release::EcsDeployAction => ReleaseMode::EcsDeployAction,
    }
}

fn new_vpc() -> NetworkingChoice {
    NetworkingChoice::NewVpc(VpcProps::new())
}

/// The settings both patterns share, through the setters `settings_setters!` gives both; a
/// hook only where the manifest leaves a default, so a manifest that says what a Rust app says
/// builds the same props.
macro_rules! shared_settings {
    ($props:expr, $service:expr, $size:expr) => {{
        let service: &Service = $service;
        let mut props = $props
            .container_name(service.container_name.clone())
            .size($size)
            .log_retention(retention(service))
            .ecr(ecr(service))
            .approval(service.pipeline.approval)
            .deployment_timeout(DeploymentTimeout::minutes(service.pipeline.deployment_timeout_minutes))
            .release_mode(release_mode(service.pipeline.release));
        for (name, value) in &service.variables {
            props = props.env(name.clone(), value.clone());
        }
        for (name, spec) in &service.secrets {
            props = props.secret(name.clone(), secret(spec));
        }
        for address in &service.alarms.notify {
            props = props.alarm_email(address.clone());
        }
        if let Some(count) = service.desired_count {
            props = props.desired_count(count);
        }
        if let Some(spec) = &service.autoscaling {
            props = props.autoscaling(autoscaling(spec));
        }
        if let Some(command) = &service.pipeline.unit_test_command {
            props = props.unit_test_command(command.clone());
        }
        if service.image != crate::model::Image::default() {
            props = props.build_hook(image_hook(&service.image));
        }
        if service.pipeline.on_failure == OnFailure::Fail {
            props = props.pipeline_hook(fail_instead_of_rollback(|stage| stage == "Deploy"));
        }
        props
    }};
}

mod environments;

fn web(
    stack: &mut Stack,
    id: &str,
    service: &Service,
    size: FargateSize,
    qualified: &str,
) -> Result<SeedPipeline, ConstructError> {
    let props = SeedPipelineProps::new(qualified, source(service, qualified));
    let mut props = shared_settings!(props, service, size);
    if let Some(port) = service.port {
        props = props.container_port(port);
    }
    if let Some(path) = &service.health_check_path {
        props = props.health_check_path(path.clone());
    }
    let smoke = &service.pipeline.smoke_test;
    props = props.smoke_test(smoke.enabled.unwrap_or(true));
    if let Some(url) = &smoke.url {
        props = props.public_url(url.clone());
    }
    if let Some(efs) = &service.efs {
        let mount = efs.mount_path.clone();
        props = props.runtime_hook(move |runtime| runtime.efs_mount_path(mount.clone()));
    }
    if service.networking == Networking::NewVpc {
        props = props.runtime_hook(|runtime| runtime.networking(new_vpc()));
    }
    let rollout = service.rollout;
    if rollout != crate::model::Rollout::default() {
        props = props.runtime_hook(move |runtime| runtime.service_hook(rollout_hook(rollout)));
    }
    SeedPipeline::new(stack, id, props)
}

fn worker(
    stack: &mut Stack,
    id: &str,
    service: &Service,
    size: FargateSize,
    qualified: &str,
) -> Result<WorkerService, ConstructError> {
    let mut props = worker_props(service, size, qualified, qualified, &BTreeMap::new());
    if service.networking == Networking::NewVpc {
        props = props.networking(new_vpc());
    }
    WorkerService::new(stack, id, props)
}

/// A worker's props: `name` names its ECR repository (and pipeline), `qualified` is the
/// source's default connection name's base; `thresholds` replace rollback alarms' thresholds
/// by id (an environment's overrides).
fn worker_props(
    service: &Service,
    size: FargateSize,
    name: &str,
    qualified: &str,
    thresholds: &BTreeMap<String, f64>,
) -> WorkerServiceProps {
    let props = WorkerServiceProps::new(name, source(service, qualified));
    let mut props = shared_settings!(props, service, size);
    if let Some(command) = &service.pipeline.smoke_test.command {
        props = props.smoke_test_command(command.clone());
    }
    for (id, metric, alarm) in rollback_alarms(service, thresholds) {
        props = props.rollback_alarm(id, metric, alarm);
    }
    if service.rollout != crate::model::Rollout::default() {
        props = props.service_hook(rollout_hook(service.rollout));
    }
    props
}

/// The log retention `service` asks for.
fn retention(service: &Service) -> Retention {
    // invariant: `check_service` refused any other number before anything is built.
    Retention::from_days(i64::from(service.log_retention_days)).unwrap_or(Retention::OneYear)
}

/// The construct ID of `service`: its `id`, else its name in `PascalCase`.
fn construct_id(service: &Service) -> String {
    service.id.clone().unwrap_or_else(|| pascal_case(&service.name))
}

/// The ECS service settings of a `rollout:` section.
fn rollout_hook(
    rollout: crate::model::Rollout,
) -> impl for<'a> Fn(
    stackwright_constructs::ecs::FargateServiceProps<'a>,
) -> stackwright_constructs::ecs::FargateServiceProps<'a>
+ Send
+ Sync
+ 'static {
    move |p| {
        p.minimum_healthy_percent(rollout.min_healthy_percent)
            .maximum_percent(rollout.max_percent)
            .circuit_breaker(rollout.circuit_breaker)
    }
}

/// The image build of an `image:` section: its Dockerfile and build context.
fn image_hook(
    image: &crate::model::Image,
) -> impl Fn(stackwright_constructs::codebuild::ProjectProps) -> stackwright_constructs::codebuild::ProjectProps
+ Send
+ Sync
+ 'static {
    let (dockerfile, context) = (image.dockerfile.clone(), image.context.clone());
    move |mut build| {
        if let BuildKind::Image(image) = &mut build.kind {
            image.dockerfile.clone_from(&dockerfile);
            image.context.clone_from(&context);
        }
        build
    }
}

/// The service's rollback alarms, each threshold replaced by the one `thresholds` gives its id
/// (an environment's overrides; none without environments).
fn rollback_alarms<'a>(
    service: &'a Service,
    thresholds: &'a BTreeMap<String, f64>,
) -> impl Iterator<Item = (String, Metric, AlarmProps)> + 'a {
    service.alarms.rollback.iter().map(|spec| {
        let (metric, mut alarm) = rollback_alarm(spec);
        if let Some(threshold) = thresholds.get(&spec.id) {
            alarm.threshold = *threshold;
        }
        (spec.id.clone(), metric, alarm)
    })
}

/// `on_failure: fail`: the stages `is_deploy` names fail the execution instead of rolling back
/// (no `OnFailure` key).
fn fail_instead_of_rollback(is_deploy: fn(&str) -> bool) -> impl Fn(PipelineProps) -> PipelineProps + Send + Sync {
    move |mut pipeline| {
        for stage in &mut pipeline.stages {
            if is_deploy(&stage.name) {
                stage.rollback_on_failure = Some(false);
            }
        }
        pipeline
    }
}

fn rollback_alarm(spec: &RollbackAlarm) -> (Metric, AlarmProps) {
    let statistic = match spec.statistic {
        Statistic::Average => cloudwatch::Statistic::Average,
        Statistic::Sum => cloudwatch::Statistic::Sum,
        Statistic::Maximum => cloudwatch::Statistic::Maximum,
        Statistic::Minimum => cloudwatch::Statistic::Minimum,
        Statistic::SampleCount => cloudwatch::Statistic::SampleCount,
    };
    let unit = match spec.unit {
        MetricUnit::Percent => cloudwatch::MetricUnit::Percent,
        MetricUnit::Count => cloudwatch::MetricUnit::Count,
        MetricUnit::Seconds => cloudwatch::MetricUnit::Seconds,
        MetricUnit::Other => cloudwatch::MetricUnit::Other,
    };
    let metric = spec
        .dimensions
        .iter()
        .fold(Metric::new(spec.namespace.clone(), spec.metric.clone(), statistic, unit), |m, (name, value)| {
            m.dimension(name.clone(), value.clone())
        });
    let comparison = match spec.comparison {
        Comparison::GreaterThan => cloudwatch::Comparison::GreaterThan,
        Comparison::GreaterThanOrEqual => cloudwatch::Comparison::GreaterThanOrEqual,
        Comparison::LessThan => cloudwatch::Comparison::LessThan,
        Comparison::LessThanOrEqual => cloudwatch::Comparison::LessThanOrEqual,
    };
    let mut props = AlarmProps::new(comparison, spec.threshold, spec.evaluation_periods);
    if let Some(description) = &spec.description {
        props = props.description(description.clone());
    }
    (metric, props)
}

/// A construct error as manifest problems: each violation placed at the key that set the
/// value its rule checks (the service itself when no key does).
fn construct_problems(error: &ConstructError, at: &str, service: &Service, key: Option<&str>) -> Vec<Found> {
    match error {
        ConstructError::Invalid(violations) => violations
            .iter()
            .map(|v| Found {
                path: key.map_or_else(|| key_for(v, at, service), |key| format!("{at}.{key}")),
                message: format!("{} ({})", v.message, v.path),
                rule: Some(v.rule),
            })
            .collect(),
        other => {
            vec![Found::new(format!("{at}{}", key.map(|k| format!(".{k}")).unwrap_or_default()), other.to_string())]
        }
    }
}

/// The manifest key whose value a construct rule checks.
fn key_for(violation: &Violation, at: &str, service: &Service) -> String {
    let rule = violation.rule;
    let key = match rule {
        "ecs-task/fargate-size" => "cpu",
        "ecs-service/min-healthy-above-max" | "ecs-service/min-healthy-above-100" => "rollout.min_healthy_percent",
        "ecs-service/max-below-100" | "ecs-service/deployment-cannot-progress" => "rollout.max_percent",
        "ecs-service/desired-count-with-autoscaling" => "desired_count",
        "ecs-service/autoscaling-target-range" => {
            if service
                .autoscaling
                .as_ref()
                .is_some_and(|a| a.cpu_target_percent.is_some_and(|p| !(1..=100).contains(&p)))
            {
                "autoscaling.cpu_target_percent"
            } else {
                "autoscaling.memory_target_percent"
            }
        }
        "ecs-service/autoscaling-min-below-one" | "ecs-service/autoscaling-min-above-max" => "autoscaling.min",
        r if r.starts_with("ecs-service/autoscaling") => "autoscaling",
        "pattern/health-check-path" | "alb/health-check-path" => "health_check_path",
        "ecs-container/port"
        | "pattern/container-port"
        | "alb/container-port"
        | "ecs-container/duplicate-port"
        | "security-group/port" => "port",
        "ecs-container/variable-name" | "ecs-container/duplicate-variable" => "variables",
        "ecs-container/ssm-parameter-name" | "ecs-container/secret-json-key" => "secrets",
        "ecs-container/name" | "codebuild-image/container-name" | "ecs-deploy/container-name" => "container_name",
        "ecr-repository/name" | "approval/message-length" => "name",
        "codestar-connection/name" => "pipeline.source.connection_name",
        "codestar-source/repository" | "codecommit-source/repository" | "codecommit-repository/name" => {
            "pipeline.source.repository"
        }
        "codestar-source/branch" | "codecommit-source/branch" | "pipeline-trigger/branches" => "pipeline.source.branch",
        "ecs-deploy/timeout-range" | "codebuild-release/timeout-range" | "codebuild-project/timeout" => {
            "pipeline.deployment_timeout_minutes"
        }
        "codebuild-image/unit-test-command" => "pipeline.unit_test_command",
        "codebuild-image/path" => "image",
        "codebuild-commands/empty" if !service.pipeline.smoke_test.commands.is_empty() => {
            "pipeline.smoke_test.commands"
        }
        "codebuild-commands/empty" => "pipeline.smoke_test.command",
        "promotion/smoke-test-environment" if service.kind == ServiceType::Worker => "pipeline.smoke_test.commands",
        "promotion/smoke-test-environment" => "pipeline.smoke_test.urls",
        "sns-topic/email" => "alarms.notify",
        r if r.starts_with("efs/") || r.starts_with("ecs-task/volume") => "efs",
        r if r.starts_with("alarm/") => return rollback_alarm_key(violation, at, service),
        r if r.starts_with("vpc/") || r.starts_with("flow-log/") => "networking",
        _ => return at.to_owned(),
    };
    format!("{at}.{key}")
}

/// An alarm rule broken by a rollback alarm: the path ends in its id.
fn rollback_alarm_key(violation: &Violation, at: &str, service: &Service) -> String {
    let last = violation.path.rsplit('/').next().unwrap_or_default();
    match service.alarms.rollback.iter().position(|a| a.id == last) {
        Some(index) => format!("{at}.alarms.rollback[{index}]"),
        None => at.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use stackwright_constructs::patterns::{DeliverySettings, EcrSettings, SeedPipelineProps, Source};

    use crate::model::{Ecr, Image, Pipeline, Rollout, defaults};

    fn pipeline() -> Pipeline {
        crate::parse(
            "name: a\nservices:\n  - name: b\n    type: web\n    pipeline:\n      source: {provider: github, repository: o/r}\n",
            "m.yaml",
        )
        .unwrap()
        .services
        .remove(0)
        .pipeline
    }

    /// The manifest's defaults are the props' defaults.
    #[test]
    fn defaults_are_the_patterns_defaults() {
        let source = Source::github("c", "o/r", "main");
        let delivery = DeliverySettings::new("b", source.clone());
        let pipeline = pipeline();
        assert_eq!(pipeline.deployment_timeout_minutes, delivery.deployment_timeout.get());
        assert_eq!(pipeline.approval, delivery.approval);
        assert_eq!(pipeline.unit_test_command, delivery.unit_test_command);
        let ecr = EcrSettings::default();
        assert_eq!(
            Ecr::default(),
            Ecr {
                scan_on_push: ecr.scan_on_push,
                immutable_tags: ecr.immutable_tags,
                empty_on_delete: ecr.empty_on_delete
            }
        );
        let seed = SeedPipelineProps::new("b", source);
        assert_eq!(seed.container_port, 8080);
        assert_eq!(seed.health_check_path, "/");
        assert!(seed.smoke_test);
        assert_eq!(Image::default(), Image { dockerfile: "Dockerfile".into(), context: ".".into() });
        assert_eq!(defaults::branch(), "main");
    }

    /// The rollout defaults are what the service writes when the manifest leaves them.
    #[test]
    fn rollout_defaults_are_the_services() {
        let text = "name: a\nservices:\n  - name: b\n    type: worker\n    pipeline:\n      source: {provider: github, repository: o/r}\n";
        let app = crate::synthesize(&crate::parse(text, "m.yaml").unwrap(), text, "m.yaml").unwrap();
        let rendered = app.finished_stack("a-b").unwrap().render();
        let template: serde_json::Value = serde_json::from_str(&rendered).unwrap();
        let service =
            template["Resources"].as_object().unwrap().values().find(|r| r["Type"] == "AWS::ECS::Service").unwrap();
        let config = &service["Properties"]["DeploymentConfiguration"];
        let rollout = Rollout::default();
        assert_eq!(config["MinimumHealthyPercent"], rollout.min_healthy_percent);
        assert_eq!(config["MaximumPercent"], rollout.max_percent);
        assert_eq!(config["DeploymentCircuitBreaker"]["Enable"], rollout.circuit_breaker);
        assert_eq!(config["DeploymentCircuitBreaker"]["Rollback"], true);
    }
}
