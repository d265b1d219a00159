//! What the runtime patterns share: where the tasks run, the cluster, the task definition (with
//! an optional EFS volume), and the encrypted alarm topic (the service's own or a shared one).

use stackwright_template::{Output, Value};

use crate::cloudwatch::{Alarm, AlarmProps, Metric};
use crate::ec2::{Networking, Vpc, VpcProps};
use crate::ecs::{Cluster, ClusterProps, FargateService, FargateTaskDefinition, FargateTaskDefinitionProps};
use crate::efs::{FileSystem, FileSystemProps};
use crate::error::{Checks, Error};
use crate::kms::Key;
use crate::path::ConstructPath;
use crate::share::Shared;
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
    /// The VPC and the cluster of another stack (a platform's foundation), typically imported
    /// from its exports: the service stack creates neither.
    Shared(Box<SharedRuntime>),
}

/// The network and cluster a platform's foundation stack holds, for the services of other
/// stacks ([`NetworkingChoice::Shared`]).
#[derive(Debug, Clone)]
pub struct SharedRuntime {
    /// The VPC and subnets (an existing VPC: nothing to wait for).
    pub networking: Networking,
    /// The cluster ([`Cluster::shared`]).
    pub cluster: Cluster,
}

/// Where a service's alarms publish.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum AlarmTopicChoice {
    /// A topic of the service's own at `<path>/Alerts`, encrypted with the service's key, with
    /// the props' alarm emails subscribed. **Default.**
    #[default]
    Own,
    /// The topic another stack of the same account and region exports (a foundation's
    /// `AlarmTopicArn`, [`Foundation::alarm_topic`](crate::patterns::Foundation::alarm_topic)),
    /// imported: the service stack creates no topic and no subscription, and grants nothing on
    /// it. The exporting stack's topic and key policies must let this account's CloudWatch
    /// alarms publish, as [`Topic::new`] does; subscribe the on-call addresses there.
    Shared(Shared),
}

/// The topic a service's alarms publish to ([`AlarmTopicChoice`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum AlarmTopic {
    /// The service stack's own topic.
    Own(Topic),
    /// Another stack's topic: its ARN, imported (`Fn::ImportValue`).
    Shared(Value<String>),
}

impl AlarmTopic {
    /// The topic's ARN: a `Ref` to the own topic, or the import.
    pub fn arn(&self) -> Value<String> {
        match self {
            Self::Own(topic) => topic.arn(),
            Self::Shared(arn) => arn.clone(),
        }
    }

    /// The own topic; `None` when the topic is shared.
    pub fn own(&self) -> Option<&Topic> {
        match self {
            Self::Own(topic) => Some(topic),
            Self::Shared(_) => None,
        }
    }
}

/// The networking, cluster and task definition of a runtime pattern.
pub(super) struct Core {
    pub(super) networking: Networking,
    pub(super) vpc: Option<Vpc>,
    pub(super) file_system: Option<FileSystem>,
    pub(super) cluster: Cluster,
    pub(super) task_definition: FargateTaskDefinition,
}

/// Whether the runtime places anything in public subnets (a load balancer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Exposure {
    InternetFacing,
    PrivateOnly,
}

/// Builds the core at `path`: `<path>/Vpc` (with [`NetworkingChoice::NewVpc`]), `<path>/Files`
/// mounted at `efs_mount_path`, `<path>/Cluster`, `<path>/Task`.
pub(super) fn core(
    stack: &mut Stack,
    path: &ConstructPath,
    key: &Key,
    (networking, exposure): (NetworkingChoice, Exposure),
    efs_mount_path: Option<&str>,
    mut task_props: FargateTaskDefinitionProps<'_>,
) -> Result<Core, Error> {
    let mut shared_cluster = None;
    let (networking, vpc) = match networking {
        NetworkingChoice::Shared(shared) => {
            let SharedRuntime { networking, cluster } = *shared;
            shared_cluster = Some(cluster);
            (networking, None)
        }
        NetworkingChoice::ExistingVpcParameters if exposure == Exposure::PrivateOnly => {
            (Networking::private_from_parameters(stack)?, None)
        }
        NetworkingChoice::ExistingVpcParameters => (Networking::from_parameters(stack)?, None),
        NetworkingChoice::NewVpc(vpc_props) => {
            let vpc = Vpc::new(stack, path.child("Vpc"), key, vpc_props)?;
            (vpc.networking(), Some(vpc))
        }
    };
    let file_system = match efs_mount_path {
        Some(mount) => {
            let files = FileSystem::new(stack, path.child("Files"), FileSystemProps::new(key, &networking))?;
            task_props = task_props.efs_volume(files.volume("data", mount.to_owned()));
            Some(files)
        }
        None => None,
    };
    let cluster = match shared_cluster {
        Some(cluster) => cluster,
        None => Cluster::new(stack, path.child("Cluster"), ClusterProps::new())?,
    };
    let task_definition = FargateTaskDefinition::new(stack, path.child("Task"), task_props)?;
    Ok(Core { networking, vpc, file_system, cluster, task_definition })
}

/// The encrypted topic at `<path>/Alerts` with `emails` subscribed.
pub(super) fn own_topic(stack: &mut Stack, path: &ConstructPath, key: &Key, emails: &[String]) -> Result<Topic, Error> {
    let props = emails.iter().fold(TopicProps::new(), |props, address| props.email(address.clone()));
    Topic::new(stack, path.child("Alerts"), key, props)
}

/// The topic `choice` names: the encrypted topic at `<path>/Alerts` with `emails` subscribed,
/// or the shared one imported. Emails with a shared topic are an error
/// (`pattern/shared-topic-emails`): nothing would subscribe them.
pub(super) fn alarm_topic(
    stack: &mut Stack,
    path: &ConstructPath,
    key: &Key,
    (choice, props_name): (&AlarmTopicChoice, &str),
    emails: &[String],
) -> Result<AlarmTopic, Error> {
    match choice {
        AlarmTopicChoice::Own => Ok(AlarmTopic::Own(own_topic(stack, path, key, emails)?)),
        AlarmTopicChoice::Shared(shared) => {
            let mut checks = Checks::new(path);
            checks.require(emails.is_empty(), "pattern/shared-topic-emails", || {
                format!(
                    "{props_name}::alarm_emails ({}) would subscribe the service's own topic, but the alarms publish to \
                     the shared topic {}: subscribe the addresses where that topic is made",
                    emails.join(", "),
                    shared.name()
                )
            });
            if !checks.is_ok() {
                return Err(stack.stop(checks));
            }
            Ok(AlarmTopic::Shared(stack.import(shared)?))
        }
    }
}

/// The output `<path segments>AlarmTopicArn` naming the stack's own topic. A shared topic gets
/// none: its own stack outputs it, and an output that only repeats an import says nothing
/// (cfn-lint W6001).
pub(super) fn topic_output(
    stack: &mut Stack,
    path: &ConstructPath,
    topic: &Topic,
    description: &str,
) -> Result<(), Error> {
    let prefix = path.segments().concat();
    stack.add_output(&format!("{prefix}AlarmTopicArn"), Output::new(topic.arn()).description(description))
}

/// CPU and memory notify only: a busy service is not a broken release.
pub(super) fn utilization_alarms(
    stack: &mut Stack,
    path: &ConstructPath,
    service: &FargateService,
    topic: &Value<String>,
) -> Result<Vec<Alarm>, Error> {
    let specs: [(&str, Metric, AlarmProps); 2] = [
        ("CpuHigh", Metric::service_cpu(service.cluster_name(), service.service_name()), AlarmProps::cpu_high()),
        (
            "MemoryHigh",
            Metric::service_memory(service.cluster_name(), service.service_name()),
            AlarmProps::memory_high(),
        ),
    ];
    specs
        .into_iter()
        .map(|(id, metric, props)| Alarm::new(stack, path.child(id), &metric, props.notify_arn(topic.clone())))
        .collect()
}
