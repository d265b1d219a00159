//! Elastic Load Balancing v2: the application load balancer in front of the service.

mod target;

pub use target::LoadBalancerTarget;
