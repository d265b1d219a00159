//! EC2 networking: where the service and its load balancer run.

mod cidr;
mod flow_log;
mod networking;
mod parameters;
mod security_group;
mod vpc;

pub use cidr::Ipv4Cidr;
pub use flow_log::{FlowLog, FlowLogProps, FlowLogTraffic};
pub use networking::{Networking, SubnetIds};
pub use parameters::{PRIVATE_SUBNETS_PARAMETER, PUBLIC_SUBNETS_PARAMETER, VPC_ID_PARAMETER};
pub use security_group::{Peer, SecurityGroup, SecurityGroupProps, TcpRule};
pub use vpc::{NatGateways, Vpc, VpcProps};
