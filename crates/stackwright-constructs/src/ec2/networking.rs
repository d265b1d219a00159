//! [`Networking`]: the VPC and subnets constructs are placed in.

use stackwright_template::Value;

/// A list of subnet IDs: literal, or from a `List<AWS::EC2::Subnet::Id>` parameter.
pub type SubnetIds = Value<Vec<Value<String>>>;

/// The VPC and subnets a stack's constructs are placed in: an existing VPC given as stack
/// parameters, or a VPC the stack creates.
#[derive(Debug, Clone, PartialEq)]
pub struct Networking {
    /// The VPC's ID.
    pub vpc_id: Value<String>,
    /// Subnets without a route from the internet: tasks, mount targets, internal load balancers.
    pub private_subnets: SubnetIds,
    /// Subnets routed to an internet gateway: internet-facing load balancers.
    pub public_subnets: SubnetIds,
}
