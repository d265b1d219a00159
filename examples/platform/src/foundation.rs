//! The foundation stack of one environment: what every service shares, exported.

use stackwright_constructs::ec2::{NatGateways, Vpc, VpcProps};
use stackwright_constructs::ecs::{Cluster, ClusterProps};
use stackwright_constructs::kms::{Key, KeyProps};
use stackwright_constructs::sns::{Topic, TopicProps};
use stackwright_constructs::{Environment, Error, Shared, Stack};
use stackwright_template::fns;

/// What the foundation exports, for the service stacks to import.
#[derive(Debug, Clone)]
pub struct Foundation {
    /// The VPC's ID.
    pub vpc_id: Shared,
    /// The private subnets, comma-separated.
    pub private_subnets: Shared,
    /// The public subnets, comma-separated.
    pub public_subnets: Shared,
    /// The cluster's name.
    pub cluster_name: Shared,
    /// The cluster's ARN.
    pub cluster_arn: Shared,
    /// The platform key's ARN.
    pub key_arn: Shared,
    /// The platform alarm topic's ARN.
    pub alarm_topic_arn: Shared,
}

/// The foundation of `env`: `foundation-<environment>`.
pub(crate) fn stack(env: &Environment) -> Result<(Stack, Foundation), Error> {
    let mut stack = env.stack("foundation")?.with_description(format!(
        "Stackwright platform example ({}): the shared network, ECS cluster, key and alarm topic",
        env.name()
    ));
    let key = Key::new(&mut stack, "Key", KeyProps::new().alias(format!("alias/platform-{}", env.name())))?;
    // One NAT gateway keeps the example cheap; a production foundation would use one per zone.
    let vpc = Vpc::new(&mut stack, "Network", &key, VpcProps::new().nat_gateways(NatGateways::Single))?;
    let cluster = Cluster::new(&mut stack, "Cluster", ClusterProps::new())?;
    let topic = Topic::new(&mut stack, "Alarms", &key, TopicProps::new().email("platform-oncall@example.com"))?;
    let networking = vpc.networking();
    let foundation = Foundation {
        vpc_id: stack.export("VpcId", networking.vpc_id.clone(), "The platform VPC")?,
        private_subnets: stack.export(
            "PrivateSubnetIds",
            fns::join(",", networking.private_subnets.clone()),
            "The private subnets, comma-separated",
        )?,
        public_subnets: stack.export(
            "PublicSubnetIds",
            fns::join(",", networking.public_subnets.clone()),
            "The public subnets, comma-separated",
        )?,
        cluster_name: stack.export("ClusterName", cluster.name(), "The shared ECS cluster's name")?,
        cluster_arn: stack.export("ClusterArn", cluster.arn(), "The shared ECS cluster's ARN")?,
        key_arn: stack.export("KeyArn", key.arn(), "The platform key")?,
        alarm_topic_arn: stack.export("AlarmTopicArn", topic.arn(), "The platform alarm topic")?,
    };
    Ok((stack, foundation))
}
