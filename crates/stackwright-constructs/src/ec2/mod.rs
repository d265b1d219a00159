//! EC2 networking: where the service and its load balancer run.

mod networking;

pub use networking::{Networking, SubnetIds};
