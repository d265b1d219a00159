//! [`Networking`]: the VPC and subnets constructs are placed in.

use stackwright_template::{LogicalId, Value};

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
    /// What must exist before the public subnets reach the internet (the gateway route and
    /// the subnets' route-table associations), when the stack creates them: an internet-facing
    /// load balancer waits for them. Empty for an existing VPC.
    pub public_ready: Vec<LogicalId>,
    /// What must exist before the private subnets reach the internet through NAT: a service
    /// waits for them, or its first tasks cannot pull their image. Empty for an existing VPC.
    pub private_ready: Vec<LogicalId>,
}
