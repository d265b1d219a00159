//! [`LoadBalancedService`]: the runtime half of the seed architecture in one value.

use stackwright_template::{Output, Value};

use crate::cloudwatch::{Alarm, AlarmProps, Metric};
use crate::ec2::{Networking, Vpc};
use crate::ecs::{
    Autoscaling, Cluster, ContainerDefinition, FargateService, FargateServiceProps, FargateSize, FargateTaskDefinition,
    FargateTaskDefinitionProps,
};
use crate::efs::FileSystem;
use crate::elbv2::{
    ApplicationLoadBalancer, ApplicationLoadBalancerProps, HealthCheck, LoadBalancerTarget, certificate_parameter,
};
use crate::error::{Checks, Error};
use crate::kms::Key;
use crate::logs::Retention;
use crate::path::ConstructPath;
use crate::patterns::ServiceHook;
use crate::patterns::runtime::{self, AlarmTopic, AlarmTopicChoice, NetworkingChoice};
use crate::patterns::settings::runtime_setters;
use crate::stack::Stack;

/// Properties of a [`LoadBalancedService`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LoadBalancedServiceProps {
    /// The application's container; it must map the port the load balancer forwards to.
    /// **Required.**
    pub container: ContainerDefinition,
    /// CPU and memory of a task. **Default:** 0.25 vCPU and 512 MiB (as CDK's pattern).
    pub size: FargateSize,
    /// **Default:** [`NetworkingChoice::ExistingVpcParameters`] (CDK creates a VPC).
    pub networking: NetworkingChoice,
    /// The HTTPS listener's certificate ARN. **Default:** a `CertificateArn` stack parameter.
    pub certificate: Option<Value<String>>,
    /// The target group's health-check path. **Default:** `/`.
    pub health_check_path: String,
    /// Tasks to run. **Default:** 2; with `autoscaling`, not written (the autoscaler owns the
    /// count, see [`FargateServiceProps::desired_count`]).
    pub desired_count: Option<u32>,
    /// Target-tracking scaling. **Default:** none.
    pub autoscaling: Option<Autoscaling>,
    /// Where the alarms publish: a topic of the service's own, or a shared one (a foundation's,
    /// [`Foundation::alarm_topic`](crate::patterns::Foundation::alarm_topic)), in which case the
    /// stack creates no topic. **Default:** [`AlarmTopicChoice::Own`].
    pub alarm_topic: AlarmTopicChoice,
    /// Addresses subscribed to the service's own alarm topic; with a shared topic, an error
    /// (rule `pattern/shared-topic-emails`). **Default:** none.
    pub alarm_emails: Vec<String>,
    /// Mount an encrypted EFS file system at this container path. **Default:** none.
    pub efs_mount_path: Option<String>,
    /// Retention of the container's logs. **Default:** [`Retention::OneYear`].
    pub log_retention: Retention,
    /// Final adjustments to the service's props; several compose in order. **Default:** none.
    pub service_hook: Option<ServiceHook>,
}

impl LoadBalancedServiceProps {
    /// A service running `container`.
    pub fn new(container: ContainerDefinition) -> Self {
        Self {
            container,
            size: FargateSize::CPU_256_MEMORY_512,
            networking: NetworkingChoice::default(),
            certificate: None,
            health_check_path: "/".into(),
            desired_count: None,
            autoscaling: None,
            alarm_topic: AlarmTopicChoice::Own,
            alarm_emails: Vec::new(),
            efs_mount_path: None,
            log_retention: Retention::OneYear,
            service_hook: None,
        }
    }

    /// See [`LoadBalancedServiceProps::size`].
    #[must_use]
    pub fn size(mut self, size: FargateSize) -> Self {
        self.size = size;
        self
    }

    /// See [`LoadBalancedServiceProps::certificate`].
    #[must_use]
    pub fn certificate(mut self, arn: impl Into<Value<String>>) -> Self {
        self.certificate = Some(arn.into());
        self
    }

    /// See [`LoadBalancedServiceProps::health_check_path`].
    #[must_use]
    pub fn health_check_path(mut self, path: impl Into<String>) -> Self {
        self.health_check_path = path.into();
        self
    }

    /// See [`LoadBalancedServiceProps::desired_count`].
    #[must_use]
    pub fn desired_count(mut self, count: u32) -> Self {
        self.desired_count = Some(count);
        self
    }

    /// See [`LoadBalancedServiceProps::autoscaling`].
    #[must_use]
    pub fn autoscaling(mut self, autoscaling: Autoscaling) -> Self {
        self.autoscaling = Some(autoscaling);
        self
    }

    /// See [`LoadBalancedServiceProps::alarm_emails`].
    #[must_use]
    pub fn alarm_email(mut self, address: impl Into<String>) -> Self {
        self.alarm_emails.push(address.into());
        self
    }

    /// See [`LoadBalancedServiceProps::efs_mount_path`].
    #[must_use]
    pub fn efs_mount_path(mut self, path: impl Into<String>) -> Self {
        self.efs_mount_path = Some(path.into());
        self
    }

    /// See [`LoadBalancedServiceProps::log_retention`].
    #[must_use]
    pub fn log_retention(mut self, retention: Retention) -> Self {
        self.log_retention = retention;
        self
    }
}

runtime_setters!(LoadBalancedServiceProps: networking, alarm_topic, service_hook);

/// A Fargate service behind an HTTPS application load balancer: rolling deployments that
/// keep full capacity, rolled back by the circuit breaker or by an alarm, logs encrypted with
/// `key`, alarms on the service and the target group published to an encrypted topic — its
/// own, or one shared by a foundation ([`LoadBalancedServiceProps::alarm_topic`]).
///
/// Every part is a public field — the L2 constructs, whose `.resource()` reaches the L1s.
#[derive(Debug)]
#[non_exhaustive]
pub struct LoadBalancedService {
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
    /// The load balancer, its listeners and target group.
    pub load_balancer: ApplicationLoadBalancer,
    /// The topic the alarms publish to: the stack's own (`<path>/Alerts`) or the shared one
    /// imported ([`LoadBalancedServiceProps::alarm_topic`]).
    pub topic: AlarmTopic,
    /// CPU, memory, target 5xx, unhealthy hosts and p99 response time; 5xx and p99 also roll a
    /// deployment back.
    pub alarms: Vec<Alarm>,
    /// The file system, with [`LoadBalancedServiceProps::efs_mount_path`].
    pub file_system: Option<FileSystem>,
}

/// One alarm of the pattern: its construct id, what it watches, its preset, and whether a
/// deployment rolls back when it fires.
struct AlarmSpec {
    id: &'static str,
    metric: fn(&LoadBalancerTarget) -> Metric,
    props: fn() -> AlarmProps,
    rolls_back: bool,
}

/// On top of CPU and memory ([`runtime::utilization_alarms`]). Unhealthy hosts notify only: a
/// slow-starting or replaced task is briefly unhealthy during every deployment, and the circuit
/// breaker already rolls back tasks that never become healthy.
const ALARMS: [AlarmSpec; 3] = [
    AlarmSpec { id: "Target5xx", metric: Metric::target_5xx_count, props: AlarmProps::target_5xx, rolls_back: true },
    AlarmSpec {
        id: "UnhealthyHosts",
        metric: Metric::unhealthy_host_count,
        props: AlarmProps::unhealthy_hosts,
        rolls_back: false,
    },
    AlarmSpec {
        id: "ResponseTimeP99",
        metric: Metric::target_response_time,
        props: AlarmProps::response_time_p99,
        rolls_back: true,
    },
];

impl LoadBalancedService {
    /// Builds the service at `path`, encrypting what it stores with `key`.
    pub fn new(
        stack: &mut Stack,
        path: impl Into<ConstructPath>,
        key: &Key,
        props: LoadBalancedServiceProps,
    ) -> Result<Self, Error> {
        let path = path.into();
        let task_props =
            FargateTaskDefinitionProps::new(key, props.size, props.container).log_retention(props.log_retention);
        let runtime::Core { networking, vpc, file_system, cluster, task_definition } = runtime::core(
            stack,
            &path,
            key,
            (props.networking, runtime::Exposure::InternetFacing),
            props.efs_mount_path.as_deref(),
            task_props,
        )?;
        let Some(port) = task_definition.container_port() else {
            let mut checks = Checks::new(&path);
            checks.fail("pattern/container-port", "the container maps no port for the load balancer to forward to");
            return Err(stack.stop(checks));
        };

        let certificate = match props.certificate {
            Some(arn) => arn,
            None => certificate_parameter(stack)?,
        };
        let lb_props = ApplicationLoadBalancerProps::new(certificate, port)
            .health_check(HealthCheck::new().path(props.health_check_path));
        let load_balancer = ApplicationLoadBalancer::new(stack, path.child("Lb"), &networking, lb_props)?;

        let deployment_alarms =
            ALARMS.iter().filter(|a| a.rolls_back).map(|a| Alarm::name_for(&path.child(a.id))).collect();
        let mut service_props = FargateServiceProps::new(&cluster, &task_definition, &networking)
            .load_balancer(load_balancer.target())
            .deployment_alarms(deployment_alarms);
        if let Some(count) = props.desired_count {
            service_props = service_props.desired_count(count);
        }
        if let Some(autoscaling) = props.autoscaling {
            service_props = service_props.autoscaling(autoscaling);
        }
        if let Some(hook) = &props.service_hook {
            service_props = hook.apply(service_props);
        }
        let service = FargateService::new(stack, path.child("Service"), service_props)?;
        if let Some(files) = &file_system {
            files.allow_service(stack, &service)?;
        }

        let topic_choice = (&props.alarm_topic, "LoadBalancedServiceProps");
        let topic = runtime::alarm_topic(stack, &path, key, topic_choice, &props.alarm_emails)?;
        let target = load_balancer.target();
        let mut alarms = runtime::utilization_alarms(stack, &path, &service, &topic.arn())?;
        for spec in &ALARMS {
            let metric = (spec.metric)(&target);
            alarms.push(Alarm::new(stack, path.child(spec.id), &metric, (spec.props)().notify_arn(topic.arn()))?);
        }
        let prefix = path.segments().concat();
        stack.add_output(
            &format!("{prefix}Url"),
            Output::new(load_balancer.url()).description(
                "The load balancer's HTTPS URL: point your domain's DNS at it (the certificate names your domain)",
            ),
        )?;
        if let Some(own) = topic.own() {
            runtime::topic_output(stack, &path, own, "Where the service's alarms are published")?;
        }
        Ok(Self { networking, vpc, cluster, task_definition, service, load_balancer, topic, alarms, file_system })
    }
}
