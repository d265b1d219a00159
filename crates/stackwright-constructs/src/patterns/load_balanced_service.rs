//! [`LoadBalancedService`]: the runtime half of the seed architecture in one value.

use stackwright_template::{Output, Value};

use crate::cloudwatch::{Alarm, AlarmProps, Metric};
use crate::ec2::{Networking, Vpc, VpcProps};
use crate::ecs::{
    Autoscaling, Cluster, ClusterProps, ContainerDefinition, FargateService, FargateServiceProps, FargateSize,
    FargateTaskDefinition, FargateTaskDefinitionProps,
};
use crate::efs::{FileSystem, FileSystemProps};
use crate::elbv2::{
    ApplicationLoadBalancer, ApplicationLoadBalancerProps, HealthCheck, LoadBalancerTarget, certificate_parameter,
};
use crate::error::{Checks, Error};
use crate::kms::Key;
use crate::path::ConstructPath;
use crate::patterns::ServiceHook;
use crate::sns::{Topic, TopicProps};
use crate::stack::Stack;

/// Where the service runs.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub enum NetworkingChoice {
    /// An existing VPC, given as the stack parameters `VpcId`, `PrivateSubnetIds` and
    /// `PublicSubnetIds`.
    #[default]
    ExistingVpcParameters,
    /// A VPC the stack creates (two zones, public and private subnets, NAT).
    NewVpc(VpcProps),
}

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
    /// Tasks to run. **Default:** 2.
    pub desired_count: u32,
    /// Target-tracking scaling. **Default:** none.
    pub autoscaling: Option<Autoscaling>,
    /// Addresses subscribed to the alarm topic. **Default:** none.
    pub alarm_emails: Vec<String>,
    /// Mount an encrypted EFS file system at this container path. **Default:** none.
    pub efs_mount_path: Option<String>,
    /// Final adjustments to the service's props. **Default:** none.
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
            desired_count: 2,
            autoscaling: None,
            alarm_emails: Vec::new(),
            efs_mount_path: None,
            service_hook: None,
        }
    }

    /// See [`LoadBalancedServiceProps::size`].
    #[must_use]
    pub fn size(mut self, size: FargateSize) -> Self {
        self.size = size;
        self
    }

    /// See [`LoadBalancedServiceProps::networking`].
    #[must_use]
    pub fn networking(mut self, networking: NetworkingChoice) -> Self {
        self.networking = networking;
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
        self.desired_count = count;
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

    /// See [`LoadBalancedServiceProps::service_hook`].
    #[must_use]
    pub fn service_hook(
        mut self,
        adjust: impl for<'a> Fn(FargateServiceProps<'a>) -> FargateServiceProps<'a> + Send + Sync + 'static,
    ) -> Self {
        self.service_hook = Some(ServiceHook::new(adjust));
        self
    }
}

/// A Fargate service behind an HTTPS application load balancer: rolling deployments that
/// keep full capacity, rolled back by the circuit breaker or by an alarm, logs encrypted with
/// `key`, alarms on the service and the target group published to an encrypted topic.
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
    /// The topic the alarms publish to.
    pub topic: Topic,
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
    metric: fn(&FargateService, &LoadBalancerTarget) -> Metric,
    props: fn() -> AlarmProps,
    rolls_back: bool,
}

/// CPU and memory notify only: a busy service is not a broken release. Unhealthy hosts notify
/// only too: a slow-starting or replaced task is briefly unhealthy during every deployment,
/// and the circuit breaker already rolls back tasks that never become healthy.
const ALARMS: [AlarmSpec; 5] = [
    AlarmSpec {
        id: "CpuHigh",
        metric: |s, _| Metric::service_cpu(s.cluster_name(), s.service_name()),
        props: AlarmProps::cpu_high,
        rolls_back: false,
    },
    AlarmSpec {
        id: "MemoryHigh",
        metric: |s, _| Metric::service_memory(s.cluster_name(), s.service_name()),
        props: AlarmProps::memory_high,
        rolls_back: false,
    },
    AlarmSpec {
        id: "Target5xx",
        metric: |_, t| Metric::target_5xx_count(t),
        props: AlarmProps::target_5xx,
        rolls_back: true,
    },
    AlarmSpec {
        id: "UnhealthyHosts",
        metric: |_, t| Metric::unhealthy_host_count(t),
        props: AlarmProps::unhealthy_hosts,
        rolls_back: false,
    },
    AlarmSpec {
        id: "ResponseTimeP99",
        metric: |_, t| Metric::target_response_time(t),
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
        let (networking, vpc) = match props.networking {
            NetworkingChoice::ExistingVpcParameters => (Networking::from_parameters(stack)?, None),
            NetworkingChoice::NewVpc(vpc_props) => {
                let vpc = Vpc::new(stack, path.child("Vpc"), key, vpc_props)?;
                (vpc.networking(), Some(vpc))
            }
        };
        let file_system = match &props.efs_mount_path {
            Some(_) => Some(FileSystem::new(stack, path.child("Files"), FileSystemProps::new(key, &networking))?),
            None => None,
        };
        let cluster = Cluster::new(stack, path.child("Cluster"), ClusterProps::new())?;
        let mut task_props = FargateTaskDefinitionProps::new(key, props.size, props.container);
        if let (Some(files), Some(mount)) = (&file_system, &props.efs_mount_path) {
            task_props = task_props.efs_volume(files.volume("data", mount.clone()));
        }
        let task_definition = FargateTaskDefinition::new(stack, path.child("Task"), task_props)?;
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
            .desired_count(props.desired_count)
            .load_balancer(load_balancer.target())
            .deployment_alarms(deployment_alarms);
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

        let mut topic_props = TopicProps::new();
        for address in props.alarm_emails {
            topic_props = topic_props.email(address);
        }
        let topic = Topic::new(stack, path.child("Alerts"), key, topic_props)?;
        let target = load_balancer.target();
        let mut alarms = Vec::new();
        for spec in &ALARMS {
            let metric = (spec.metric)(&service, &target);
            alarms.push(Alarm::new(stack, path.child(spec.id), &metric, (spec.props)().notify(&topic))?);
        }
        let prefix = path.segments().concat();
        stack.add_output(
            &format!("{prefix}Url"),
            Output::new(load_balancer.url()).description(
                "The load balancer's HTTPS URL: point your domain's DNS at it (the certificate names your domain)",
            ),
        )?;
        stack.add_output(
            &format!("{prefix}AlarmTopicArn"),
            Output::new(topic.arn()).description("Where the service's alarms are published"),
        )?;
        Ok(Self { networking, vpc, cluster, task_definition, service, load_balancer, topic, alarms, file_system })
    }
}
