//! [`WorkerService`]: a backend service without a load balancer (queue consumers, schedulers,
//! stream processors), delivered by the same pipeline as the seed architecture.

use stackwright_template::Value;

use crate::cloudwatch::{Alarm, AlarmProps, Metric};
use crate::codebuild::{BuildKind, Project, ProjectProps};
use crate::codecommit;
use crate::codepipeline::Pipeline;
use crate::codestar::Connection;
use crate::ec2::{Networking, Vpc};
use crate::ecr::Repository;
use crate::ecs::{
    Cluster, ContainerDefinition, ContainerImage, FargateService, FargateServiceProps, FargateTaskDefinition,
    FargateTaskDefinitionProps,
};
use crate::error::{Checks, Error};
use crate::kms::Key;
use crate::path::ConstructPath;
use crate::patterns::delivery::{self, Target};
use crate::patterns::runtime::{self, Exposure, NetworkingChoice};
use crate::patterns::settings::{runtime_setters, settings_setters};
use crate::patterns::source::Source;
use crate::patterns::{DeliverySettings, ServiceHook, ServiceSettings};
use crate::sns::Topic;
use crate::stack::Stack;

/// An alarm whose `ALARM` state rolls a deployment back (and notifies the alarm topic).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RollbackAlarm {
    /// Its construct id under the pattern, e.g. `QueueAge`.
    pub id: String,
    /// What it watches, e.g. the age of the oldest message of the queue the worker consumes.
    pub metric: Metric,
    /// When it fires.
    pub alarm: AlarmProps,
}

/// Properties of a [`WorkerService`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct WorkerServiceProps {
    /// Repository, source, build, approval and release; its name and source are **Required.**
    pub delivery: DeliverySettings,
    /// The container, its environment and secrets, size, logs and task count. **Default:**
    /// [`ServiceSettings::default`].
    pub service: ServiceSettings,
    /// **Default:** [`NetworkingChoice::ExistingVpcParameters`], which here asks only for `VpcId`
    /// and `PrivateSubnetIds`: nothing is internet-facing.
    pub networking: NetworkingChoice,
    /// A command run after the release, in the same stage (a failure rolls the release back),
    /// e.g. one that checks the worker drains a test queue. **Default:** none: without a URL to
    /// request, the pattern has nothing to test by itself.
    pub smoke_test_command: Option<String>,
    /// Alarms that roll a deployment back when they fire. **Default:** none: the circuit breaker
    /// still rolls back tasks that never become healthy.
    pub rollback_alarms: Vec<RollbackAlarm>,
    /// Final adjustments to the service's props; several compose in order. Changing the task
    /// count the settings set is an error (rule `pattern/hook-conflict`). **Default:** none.
    pub service_hook: Option<ServiceHook>,
}

impl WorkerServiceProps {
    /// A worker for the application `name`, built from `source`.
    pub fn new(name: impl Into<String>, source: Source) -> Self {
        Self {
            delivery: DeliverySettings::new(name, source),
            service: ServiceSettings::default(),
            networking: NetworkingChoice::default(),
            smoke_test_command: None,
            rollback_alarms: Vec::new(),
            service_hook: None,
        }
    }

    /// See [`WorkerServiceProps::smoke_test_command`].
    #[must_use]
    pub fn smoke_test_command(mut self, command: impl Into<String>) -> Self {
        self.smoke_test_command = Some(command.into());
        self
    }
}

runtime_setters!(WorkerServiceProps: networking, rollback_alarm, service_hook);

settings_setters!(WorkerServiceProps);

/// A worker: a Fargate service in private subnets without a load balancer — rolling 100/200
/// deployments rolled back by the circuit breaker or an alarm, CPU and memory alarms on an
/// encrypted topic — and the pipeline that delivers it (source, build with tests, approval,
/// release, optional smoke test), all encrypted with one customer-managed key.
#[derive(Debug)]
#[non_exhaustive]
pub struct WorkerService {
    /// The customer-managed key.
    pub key: Key,
    /// The image repository.
    pub repository: Repository,
    /// The VPC and subnets.
    pub networking: Networking,
    /// The VPC, when the stack creates it.
    pub vpc: Option<Vpc>,
    /// The ECS cluster.
    pub cluster: Cluster,
    /// The task definition (its log group, execution and task roles).
    pub task_definition: FargateTaskDefinition,
    /// The service.
    pub service: FargateService,
    /// The topic the alarms and the pipeline's failures publish to.
    pub topic: Topic,
    /// CPU and memory (notify), then the rollback alarms.
    pub alarms: Vec<Alarm>,
    /// The image build.
    pub build: Project,
    /// The release (a stack update), in [`crate::patterns::ReleaseMode::CloudFormation`].
    pub release: Option<Project>,
    /// The post-release check, with [`WorkerServiceProps::smoke_test_command`].
    pub smoke_test: Option<Project>,
    /// The pipeline.
    pub pipeline: Pipeline,
    /// The CodeStar connection, when the stack creates it.
    pub connection: Option<Connection>,
    /// The CodeCommit repository, when the stack creates it.
    pub code_repository: Option<codecommit::Repository>,
}

impl WorkerService {
    /// Builds the worker and its pipeline at `path`.
    pub fn new(stack: &mut Stack, path: impl Into<ConstructPath>, props: WorkerServiceProps) -> Result<Self, Error> {
        let path = path.into();
        let foundation = delivery::foundation(stack, &path, &props.delivery)?;
        let spec = Spec {
            settings: &props.service,
            rollback_alarms: &props.rollback_alarms,
            service_hook: props.service_hook.as_ref(),
            props_name: "WorkerServiceProps",
        };
        let core = task(stack, &path, &foundation.key, foundation.image.clone(), &spec, props.networking)?;
        foundation.repository.grant_pull(stack, core.task_definition.execution_role())?;
        // Always its own topic: the pipeline's notifications need a grant on the topic's policy.
        let emails = &props.service.alarm_emails;
        let own = |stack: &mut Stack| runtime::own_topic(stack, &path, &foundation.key, emails);
        let Runtime { networking, vpc, cluster, task_definition, service, topic, alarms } =
            runtime(stack, &path, core, &spec, (own, Topic::arn))?;
        runtime::topic_output(
            stack,
            &path,
            &topic,
            "Where the service's alarms and the pipeline's failures are published",
        )?;

        let smoke_test = props.smoke_test_command.map(|command| ProjectProps::new(BuildKind::commands([command])));
        let target = Target {
            service: &service,
            task_definition: &task_definition,
            topic: &topic,
            access_logs: None,
            smoke_test,
            log_retention: props.service.log_retention,
        };
        let delivered = delivery::deliver(stack, &path, &foundation, &props.delivery, target)?;
        Ok(Self {
            key: foundation.key,
            repository: foundation.repository,
            networking,
            vpc,
            cluster,
            task_definition,
            service,
            topic,
            alarms,
            build: delivered.build,
            release: delivered.release,
            smoke_test: delivered.smoke_test,
            pipeline: delivered.pipeline,
            connection: delivered.connection,
            code_repository: delivered.code_repository,
        })
    }
}

/// What a worker's runtime is made from, whoever delivers it.
pub(super) struct Spec<'a> {
    pub(super) settings: &'a ServiceSettings,
    pub(super) rollback_alarms: &'a [RollbackAlarm],
    pub(super) service_hook: Option<&'a ServiceHook>,
    /// The props type whose setters a hook conflict names.
    pub(super) props_name: &'static str,
}

/// A worker's runtime: everything but its delivery.
pub(super) struct Runtime<T> {
    pub(super) networking: Networking,
    pub(super) vpc: Option<Vpc>,
    pub(super) cluster: Cluster,
    pub(super) task_definition: FargateTaskDefinition,
    pub(super) service: FargateService,
    pub(super) topic: T,
    pub(super) alarms: Vec<Alarm>,
}

/// The worker's networking, cluster and task definition (its container running `image`).
pub(super) fn task(
    stack: &mut Stack,
    path: &ConstructPath,
    key: &Key,
    image: ContainerImage,
    spec: &Spec<'_>,
    networking: NetworkingChoice,
) -> Result<runtime::Core, Error> {
    let settings = spec.settings;
    let mut container = ContainerDefinition::new(settings.container_name.clone(), image);
    for (name, value) in &settings.environment {
        container = container.env(name.clone(), value.clone());
    }
    for (name, secret) in &settings.secrets {
        container = container.secret(name.clone(), secret.to_container_secret());
    }
    let task_props =
        FargateTaskDefinitionProps::new(key, settings.size, container).log_retention(settings.log_retention);
    runtime::core(stack, path, key, (networking, Exposure::PrivateOnly), None, task_props)
}

/// The service on `core` — rolling, rolled back by the circuit breaker or a rollback alarm —
/// its alarms, and the topic they notify, which `make_topic` adds (`arn` reads its ARN).
pub(super) fn runtime<T>(
    stack: &mut Stack,
    path: &ConstructPath,
    core: runtime::Core,
    spec: &Spec<'_>,
    (make_topic, arn): (impl FnOnce(&mut Stack) -> Result<T, Error>, impl Fn(&T) -> Value<String>),
) -> Result<Runtime<T>, Error> {
    let runtime::Core { networking, vpc, cluster, task_definition, .. } = core;
    let settings = spec.settings;
    let alarm_names = spec.rollback_alarms.iter().map(|a| Alarm::name_for(&path.child(a.id.as_str()))).collect();
    let mut service_props =
        FargateServiceProps::new(&cluster, &task_definition, &networking).deployment_alarms(alarm_names);
    service_props.desired_count = settings.desired_count;
    service_props.autoscaling.clone_from(&settings.autoscaling);
    if let Some(hook) = spec.service_hook {
        let set = (service_props.desired_count, service_props.autoscaling.clone());
        service_props = hook.apply(service_props);
        let mut checks = Checks::new(path);
        for (field, changed) in [
            ("desired_count", set.0 != service_props.desired_count),
            ("autoscaling", set.1 != service_props.autoscaling),
        ] {
            let setting = format!("{}::{field}", spec.props_name);
            checks.require(!changed, "pattern/hook-conflict", || {
                format!("service_hook changes the task count that {setting} sets: set it in one place, {setting}")
            });
        }
        stack.record(checks);
    }
    let service = FargateService::new(stack, path.child("Service"), service_props)?;

    let topic = make_topic(stack)?;
    let mut alarms = runtime::utilization_alarms(stack, path, &service, &arn(&topic))?;
    for rollback in spec.rollback_alarms {
        let alarm_props = rollback.alarm.clone().notify_arn(arn(&topic));
        alarms.push(Alarm::new(stack, path.child(rollback.id.as_str()), &rollback.metric, alarm_props)?);
    }
    Ok(Runtime { networking, vpc, cluster, task_definition, service, topic, alarms })
}
