//! With `environments:`: the Rust platform API driven by the manifest — per environment a
//! `Foundation` stack and each service on it (`Environment::stack`: `<service>-<environment>`,
//! importing the foundation's exports), and per service one `PromotionPipeline` releasing to
//! the environments in order (a web service is a `LoadBalancedService` with its
//! `PromotionTarget`, a worker a `PromotedWorker`). Nothing here builds a resource itself.

use std::collections::BTreeMap;

use stackwright_constructs::codepipeline::DeploymentTimeout;
use stackwright_constructs::ecs::{ContainerDefinition, ContainerSecret, FargateSize, SecretSource};
use stackwright_constructs::kms::{Key, KeyProps};
use stackwright_constructs::patterns::{
    Foundation, FoundationProps, Hook, LoadBalancedService, LoadBalancedServiceProps, NetworkingChoice, PromotedWorker,
    PromotedWorkerProps, PromotionPipeline, PromotionPipelineProps, PromotionTarget, SecretRef,
};
use stackwright_constructs::{Environment, Error as ConstructError, Stack};
use stackwright_template::App;

use super::{
    Found, autoscaling, construct_id, construct_problems, ecr, fail_instead_of_rollback, image_hook, qualified,
    retention, rollback_alarms, rollout_hook, source,
};
use crate::model::{self, Image, Manifest, Networking, OnFailure, Release, Rollout, Service, ServiceType};

/// The rules only environments have: unique names, thresholds that name an alarm, and the
/// service keys this mode does not carry (each refused at its line rather than ignored).
pub(super) fn check(manifest: &Manifest, found: &mut Vec<Found>) {
    if manifest.environments.is_empty() {
        for (index, service) in manifest.services.iter().enumerate() {
            let smoke = &service.pipeline.smoke_test;
            let (key, set, single) = match service.kind {
                ServiceType::Web => ("urls", !smoke.urls.is_empty(), "url"),
                ServiceType::Worker => ("commands", !smoke.commands.is_empty(), "command"),
            };
            if set {
                found.push(Found::new(
                    format!("services[{index}].pipeline.smoke_test.{key}"),
                    format!("`{key}` names environments, and the manifest has no `environments:`; use `{single}`"),
                ));
            }
        }
        return;
    }
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, env) in manifest.environments.iter().enumerate() {
        let at = format!("environments[{index}]");
        if let Some(first) = names.insert(env.name.as_str(), index) {
            found.push(Found::new(
                format!("{at}.name"),
                format!("duplicate environment name `{}`: environments[{first}] has it too", env.name),
            ));
        }
        for alarm in env.overrides.alarm_thresholds.keys() {
            if !manifest.services.iter().any(|s| s.alarms.rollback.iter().any(|a| &a.id == alarm)) {
                found.push(Found::new(
                    format!("{at}.overrides.alarm_thresholds.{alarm}"),
                    format!("no service has a rollback alarm with id `{alarm}` (`alarms.rollback[].id`)"),
                ));
            }
        }
        if env.overrides.desired_count.is_some()
            && let Some(scaled) = manifest.services.iter().find(|s| s.autoscaling.is_some())
        {
            found.push(Found::new(
                format!("{at}.overrides.desired_count"),
                format!("service `{}` uses `autoscaling`, which owns the task count", scaled.name),
            ));
        }
    }
    for (index, service) in manifest.services.iter().enumerate() {
        let at = format!("services[{index}]");
        let mut refuse = |key: &str, set: bool, why: &str| {
            if set {
                found.push(Found::new(format!("{at}.{key}"), format!("with `environments:`, {why}")));
            }
        };
        refuse("stack", service.stack.is_some(), "a service's stacks are `<service>-<environment>`");
        refuse(
            "networking",
            service.networking != Networking::default(),
            "services run in their environment's foundation VPC",
        );
        let pipeline = &service.pipeline;
        // A parameter name is read in each environment's own account and Region (the execution
        // role's grant and `ValueFrom` are built from the stack's pseudo parameters); an ARN
        // names one account's secret for every environment.
        for (name, secret) in &service.secrets {
            refuse(
                &format!("secrets.{name}.secrets_manager"),
                secret.secrets_manager.is_some(),
                "a Secrets Manager ARN names one account's secret for every environment; use `ssm`, a parameter \
                 name each environment's stack reads in its own account and Region",
            );
        }
        refuse(
            "pipeline.release",
            pipeline.release != Release::default(),
            "a promotion releases by stack update, through each environment's release role (it has no cross-account ECS deploy action)",
        );
        let smoke = &pipeline.smoke_test;
        if service.kind == ServiceType::Web {
            let per_environment = "a web service's smoke tests are `smoke_test.urls`, one URL per environment";
            refuse("pipeline.smoke_test.enabled", smoke.enabled.is_some(), per_environment);
            refuse("pipeline.smoke_test.url", smoke.url.is_some(), per_environment);
        } else {
            let per_environment = "a worker's smoke tests are `smoke_test.commands`, one command per environment";
            refuse("pipeline.smoke_test.command", smoke.command.is_some(), per_environment);
        }
    }
}

/// Every stack: per environment its foundation then its services, then the services'
/// pipelines. Problems are placed at the environment or service that caused them.
pub(super) fn build(manifest: &Manifest, app: &mut App, found: &mut Vec<Found>) {
    let mut environments = Vec::new();
    for (index, spec) in manifest.environments.iter().enumerate() {
        match environment(spec, &format!("environments[{index}]")) {
            Ok(env) => environments.push(env),
            Err(problems) => found.extend(problems),
        }
    }
    if !found.is_empty() {
        return;
    }
    let promotions: Vec<PromotionPipelineProps> =
        manifest.services.iter().map(|s| promotion(manifest, s, &environments)).collect();
    let mut add = |found: &mut Vec<Found>, at: &str, stack: stackwright_template::Stack| {
        if let Err(error) = app.add_stack(stack) {
            found.push(Found::new(at.to_owned(), error.to_string()));
        }
    };
    for (env_index, env) in environments.iter().enumerate() {
        let env_at = format!("environments[{env_index}]");
        let built = foundation(manifest, env).and_then(|(stack, foundation)| Ok((stack.finish()?, foundation)));
        let foundation = match built {
            Ok((stack, foundation)) => {
                add(found, &env_at, stack);
                foundation
            }
            Err(error) => {
                found.push(Found::new(env_at, error.to_string()));
                continue;
            }
        };
        for (index, (service, promotion)) in manifest.services.iter().zip(&promotions).enumerate() {
            let at = format!("services[{index}]");
            let built = service_stack(manifest, env, &foundation, service, promotion).and_then(Stack::finish);
            match built {
                Ok(stack) => add(found, &at, stack),
                Err(error) => found.extend(construct_problems(&error, &at, service, None)),
            }
        }
    }
    for (index, (service, promotion)) in manifest.services.iter().zip(&promotions).enumerate() {
        let at = format!("services[{index}]");
        let built = pipeline_stack(manifest, service, promotion).and_then(Stack::finish);
        match built {
            Ok(stack) => add(found, &at, stack),
            Err(error) => found.extend(construct_problems(&error, &at, service, None)),
        }
    }
}

/// The environment `spec` describes, each construct rule it breaks placed at its key.
fn environment(spec: &model::Environment, at: &str) -> Result<Environment, Vec<Found>> {
    let at_key = |key: &'static str| move |error: ConstructError| problems_at(&error, &format!("{at}.{key}"));
    let mut env = Environment::new(&spec.name)
        .map_err(at_key("name"))?
        .account(&spec.account)
        .map_err(at_key("account"))?
        .region(&spec.region)
        .map_err(at_key("region"))?;
    let o = &spec.overrides;
    if let Some(count) = o.desired_count {
        env = env.desired_count(count);
    }
    if let Some(size) = o.size {
        env = env.size(FargateSize::new(size.cpu, size.memory).map_err(at_key("overrides.size"))?);
    }
    for (alarm, threshold) in &o.alarm_thresholds {
        env = env.alarm_threshold(alarm.clone(), *threshold);
    }
    if let Some(approval) = o.approval {
        env = env.approval(approval);
    }
    Ok(env)
}

/// Every violation of `error` at `path`.
fn problems_at(error: &ConstructError, path: &str) -> Vec<Found> {
    match error {
        ConstructError::Invalid(violations) => violations
            .iter()
            .map(|v| Found {
                path: path.to_owned(),
                message: format!("{} ({})", v.message, v.path),
                rule: Some(v.rule),
            })
            .collect(),
        other => vec![Found::new(path.to_owned(), other.to_string())],
    }
}

/// `foundation-<environment>`: key `alias/<app>-<environment>`, NAT per zone, no subscriber.
fn foundation(manifest: &Manifest, env: &Environment) -> Result<(Stack, Foundation), ConstructError> {
    let props = FoundationProps::new()
        .description(format!(
            "{} ({}): the shared network, ECS cluster, key and alarm topic",
            manifest.name,
            env.name()
        ))
        .key_alias(format!("alias/{}-{}", manifest.name, env.name()));
    Foundation::stack(env, &props)
}

/// The service's promotion: named by the service (ECR repository `<service>`, pipeline stack
/// `<service>-pipeline`), approval per environment falling back to `pipeline.approval`, a
/// smoke test per environment (a web service's URL, a worker's command).
fn promotion(manifest: &Manifest, service: &Service, environments: &[Environment]) -> PromotionPipelineProps {
    let pipeline = &service.pipeline;
    let source = source(service, &qualified(manifest, service));
    let mut props = PromotionPipelineProps::new(service.name.clone(), source, environments.to_vec())
        .container_name(service.container_name.clone());
    props.delivery.approval = pipeline.approval;
    props.delivery.deployment_timeout = DeploymentTimeout::minutes(pipeline.deployment_timeout_minutes);
    props.delivery.ecr = ecr(service);
    props.log_retention = retention(service);
    if let Some(command) = &pipeline.unit_test_command {
        props = props.unit_test_command(command.clone());
    }
    for address in &service.alarms.notify {
        props = props.notification_email(address.clone());
    }
    for (environment, url) in &pipeline.smoke_test.urls {
        props = props.smoke_test(environment.clone(), url.clone());
    }
    for (environment, command) in &pipeline.smoke_test.commands {
        props = props.smoke_test_command(environment.clone(), command.clone());
    }
    if pipeline.on_failure == OnFailure::Fail {
        // The stage's failure is left to fail the execution, as without environments: no
        // `OnFailure` rollback on any deploy stage.
        props.delivery.pipeline_hook = Some(Hook::new(fail_instead_of_rollback(|stage| stage.starts_with("Deploy-"))));
    }
    if service.image != Image::default() {
        props.delivery.build_hook = Some(Hook::new(image_hook(&service.image)));
    }
    props
}

fn service_stack(
    manifest: &Manifest,
    env: &Environment,
    foundation: &Foundation,
    service: &Service,
    promotion: &PromotionPipelineProps,
) -> Result<Stack, ConstructError> {
    let mut stack = env.stack(&service.name)?;
    if let Some(description) = &service.description {
        stack = stack.with_description(description.clone());
    }
    let size = match env.overrides().size {
        Some(size) => size,
        None => FargateSize::new(service.cpu, service.memory)?,
    };
    let id = construct_id(service);
    let networking = foundation.runtime(&mut stack)?;
    let alias = format!("alias/{}-{}", qualified(manifest, service), env.name());
    let key = Key::new(&mut stack, "Key", KeyProps::new().alias(alias))?;
    match service.kind {
        ServiceType::Web => web(&mut stack, &key, env, service, size, &id, networking, promotion)?,
        ServiceType::Worker => worker(&mut stack, &key, env, service, size, &id, networking, promotion)?,
    }
    Ok(stack)
}

/// A worker in `env`: `PromotedWorker` on the foundation, released by `promotion`, its
/// rollback alarms' thresholds overridden by the environment's.
#[allow(clippy::too_many_arguments)] // each is one input of the stack; a struct would only rename them
fn worker(
    stack: &mut Stack,
    key: &Key,
    env: &Environment,
    service: &Service,
    size: FargateSize,
    id: &str,
    networking: NetworkingChoice,
    promotion: &PromotionPipelineProps,
) -> Result<(), ConstructError> {
    let mut props = PromotedWorkerProps::new()
        .container_name(service.container_name.clone())
        .size(size)
        .networking(networking)
        .log_retention(retention(service));
    for (name, value) in &service.variables {
        props = props.env(name.clone(), value.clone());
    }
    for (name, parameter) in ssm_secrets(service) {
        props = props.secret(name, SecretRef::SsmParameter(parameter));
    }
    for address in &service.alarms.notify {
        props = props.alarm_email(address.clone());
    }
    if let Some(count) = env.overrides().desired_count.or(service.desired_count) {
        props = props.desired_count(count);
    }
    if let Some(spec) = &service.autoscaling {
        props = props.autoscaling(autoscaling(spec));
    }
    for (id, metric, alarm) in rollback_alarms(service, &env.overrides().alarm_thresholds) {
        props = props.rollback_alarm(id, metric, alarm);
    }
    if service.rollout != Rollout::default() {
        props = props.service_hook(rollout_hook(service.rollout));
    }
    PromotedWorker::new(stack, id, key, promotion, env, props)?;
    Ok(())
}

/// A web service in `env`: `LoadBalancedService` on the foundation, released by `promotion`
/// (`PromotionTarget`).
#[allow(clippy::too_many_arguments)] // each is one input of the stack; a struct would only rename them
fn web(
    stack: &mut Stack,
    key: &Key,
    env: &Environment,
    service: &Service,
    size: FargateSize,
    id: &str,
    networking: NetworkingChoice,
    promotion: &PromotionPipelineProps,
) -> Result<(), ConstructError> {
    let mut container = service.variables.iter().fold(
        ContainerDefinition::new(service.container_name.clone(), promotion.service_image(stack)?)
            .port(service.port.unwrap_or(8080)),
        |c, (name, value)| c.env(name.clone(), value.clone()),
    );
    for (name, parameter) in ssm_secrets(service) {
        container = container.secret(name, ContainerSecret::new(SecretSource::SsmParameterName(parameter)));
    }
    let mut props = LoadBalancedServiceProps::new(container)
        .size(size)
        .networking(networking)
        .health_check_path(service.health_check_path.clone().unwrap_or_else(|| "/".into()))
        .log_retention(retention(service));
    if let Some(count) = env.overrides().desired_count.or(service.desired_count) {
        props = props.desired_count(count);
    }
    if let Some(spec) = &service.autoscaling {
        props = props.autoscaling(super::autoscaling(spec));
    }
    for address in &service.alarms.notify {
        props = props.alarm_email(address.clone());
    }
    if let Some(efs) = &service.efs {
        props = props.efs_mount_path(efs.mount_path.clone());
    }
    if service.rollout != Rollout::default() {
        props = props.service_hook(rollout_hook(service.rollout));
    }
    let web = LoadBalancedService::new(stack, id, key, props)?;
    PromotionTarget::new(stack, "Release", promotion, env, &web.service, &web.task_definition)?;
    Ok(())
}

/// The service's secrets, each an SSM parameter name (`check` refused the others).
fn ssm_secrets(service: &Service) -> impl Iterator<Item = (String, String)> + '_ {
    service.secrets.iter().filter_map(|(name, secret)| Some((name.clone(), secret.ssm.clone()?)))
}

/// `<service>-pipeline`, in the first environment's account and region.
fn pipeline_stack(
    manifest: &Manifest,
    service: &Service,
    promotion: &PromotionPipelineProps,
) -> Result<Stack, ConstructError> {
    let mut stack = promotion.stack()?.with_description(format!(
        "{}: the {} service's promotion pipeline through {}",
        manifest.name,
        service.name,
        promotion.environments.iter().map(Environment::name).collect::<Vec<_>>().join(", ")
    ));
    // Its own stack: the service's id, as in the service stacks, prefixes its logical IDs.
    let id = construct_id(service);
    PromotionPipeline::new(&mut stack, id.as_str(), promotion)?;
    Ok(stack)
}
