//! What the runtime patterns share: where the tasks run, the cluster, the task definition (with
//! an optional EFS volume), and the encrypted alarm topic.

use crate::cloudwatch::{Alarm, AlarmProps, Metric};
use crate::ec2::{Networking, Vpc, VpcProps};
use crate::ecs::{Cluster, ClusterProps, FargateService, FargateTaskDefinition, FargateTaskDefinitionProps};
use crate::efs::{FileSystem, FileSystemProps};
use crate::error::Error;
use crate::kms::Key;
use crate::path::ConstructPath;
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
pub(super) fn alarm_topic(
    stack: &mut Stack,
    path: &ConstructPath,
    key: &Key,
    emails: &[String],
) -> Result<Topic, Error> {
    let props = emails.iter().fold(TopicProps::new(), |props, address| props.email(address.clone()));
    Topic::new(stack, path.child("Alerts"), key, props)
}

/// CPU and memory notify only: a busy service is not a broken release.
pub(super) fn utilization_alarms(
    stack: &mut Stack,
    path: &ConstructPath,
    service: &FargateService,
    topic: &Topic,
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
        .map(|(id, metric, props)| Alarm::new(stack, path.child(id), &metric, props.notify(topic)))
        .collect()
}
