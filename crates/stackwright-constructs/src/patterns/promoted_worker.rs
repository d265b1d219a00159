//! [`PromotedWorker`]: a [`WorkerService`](crate::patterns::WorkerService) without a pipeline of
//! its own, released by a [`PromotionPipeline`](crate::patterns::PromotionPipeline) — the
//! worker's counterpart of a `LoadBalancedService` with a [`PromotionTarget`].

use crate::cloudwatch::Alarm;
use crate::ec2::{Networking, Vpc};
use crate::ecs::{Cluster, FargateService, FargateTaskDefinition};
use crate::environment::Environment;
use crate::error::Error;
use crate::kms::Key;
use crate::path::ConstructPath;
use crate::patterns::runtime::{self, AlarmTopic, AlarmTopicChoice, NetworkingChoice};
use crate::patterns::settings::{runtime_setters, service_setters};
use crate::patterns::worker_service::{self, Runtime, Spec};
use crate::patterns::{PromotionPipelineProps, PromotionTarget, RollbackAlarm, ServiceHook, ServiceSettings};
use crate::stack::Stack;

/// Properties of a [`PromotedWorker`]: a [`WorkerServiceProps`](crate::patterns::WorkerServiceProps)
/// without the delivery, which the promotion's props hold.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct PromotedWorkerProps {
    /// The container, its environment and secrets, size, logs and task count; keep its
    /// `container_name` the promotion's [`PromotionPipelineProps::container_name`]. **Default:**
    /// [`ServiceSettings::default`].
    pub service: ServiceSettings,
    /// **Default:** [`NetworkingChoice::ExistingVpcParameters`], which here asks only for `VpcId`
    /// and `PrivateSubnetIds`: nothing is internet-facing.
    pub networking: NetworkingChoice,
    /// Alarms that roll a deployment back when they fire. **Default:** none: the circuit breaker
    /// still rolls back tasks that never become healthy.
    pub rollback_alarms: Vec<RollbackAlarm>,
    /// Where the alarms publish: a topic of the worker's own, or a shared one (a foundation's,
    /// [`Foundation::alarm_topic`](crate::patterns::Foundation::alarm_topic)), in which case the
    /// stack creates no topic and `alarm_emails` must stay empty (rule
    /// `pattern/shared-topic-emails`). **Default:** [`AlarmTopicChoice::Own`].
    pub alarm_topic: AlarmTopicChoice,
    /// Final adjustments to the service's props; several compose in order. Changing the task
    /// count the settings set is an error (rule `pattern/hook-conflict`). **Default:** none.
    pub service_hook: Option<ServiceHook>,
}

impl PromotedWorkerProps {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }
}

runtime_setters!(PromotedWorkerProps: networking, alarm_topic, rollback_alarm, service_hook);

service_setters!(PromotedWorkerProps);

/// A worker released by a promotion: the [`WorkerService`](crate::patterns::WorkerService)'s
/// runtime — a Fargate service in private subnets, rolling 100/200 deployments rolled back by
/// the circuit breaker or a rollback alarm, CPU and memory alarms on an encrypted topic (its own
/// or a shared one, [`PromotedWorkerProps::alarm_topic`]) — whose
/// image is the promotion's `ImageUri` parameter
/// ([`PromotionPipelineProps::service_image`]), and the role the promotion's release assumes
/// to update this stack ([`PromotionTarget`]). The image repository and the pipeline are the
/// promotion's, in its own stack.
///
/// Every part is a public field.
#[derive(Debug)]
#[non_exhaustive]
pub struct PromotedWorker {
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
    /// The topic the alarms publish to: the stack's own (`<path>/Alerts`) or the shared one
    /// imported ([`PromotedWorkerProps::alarm_topic`]).
    pub topic: AlarmTopic,
    /// CPU and memory (notify), then the rollback alarms.
    pub alarms: Vec<Alarm>,
    /// The release role, `<stack>-release`, at `<path>/Release`.
    pub release: PromotionTarget,
}

impl PromotedWorker {
    /// Builds the worker of `environment` at `path` in `stack` (which must be
    /// `<promotion's name>-<environment>`, rule `promotion/stack-name`), encrypting what it
    /// stores with `key`. It adds the stack's `ImageUri` parameter.
    pub fn new(
        stack: &mut Stack,
        path: impl Into<ConstructPath>,
        key: &Key,
        promotion: &PromotionPipelineProps,
        environment: &Environment,
        props: PromotedWorkerProps,
    ) -> Result<Self, Error> {
        let path = path.into();
        let image = promotion.service_image(stack)?;
        let spec = Spec {
            settings: &props.service,
            rollback_alarms: &props.rollback_alarms,
            service_hook: props.service_hook.as_ref(),
            props_name: "PromotedWorkerProps",
        };
        let core = worker_service::task(stack, &path, key, image, &spec, props.networking)?;
        let emails = &props.service.alarm_emails;
        let topic = |stack: &mut Stack| {
            runtime::alarm_topic(stack, &path, key, (&props.alarm_topic, "PromotedWorkerProps"), emails)
        };
        let Runtime { networking, vpc, cluster, task_definition, service, topic, alarms } =
            worker_service::runtime(stack, &path, core, &spec, (topic, AlarmTopic::arn))?;
        if let Some(own) = topic.own() {
            runtime::topic_output(stack, &path, own, "Where the service's alarms are published")?;
        }
        let release =
            PromotionTarget::new(stack, path.child("Release"), promotion, environment, &service, &task_definition)?;
        Ok(Self { networking, vpc, cluster, task_definition, service, topic, alarms, release })
    }
}

#[cfg(test)]
#[path = "promoted_worker_tests.rs"]
mod tests;
