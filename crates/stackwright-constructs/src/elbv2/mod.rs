//! Elastic Load Balancing v2: the application load balancer in front of the service.

mod health_check;
mod load_balancer;
mod props;
mod target;

pub use health_check::HealthCheck;
pub use load_balancer::ApplicationLoadBalancer;
pub use props::{
    ApplicationLoadBalancerProps, CERTIFICATE_PARAMETER, DEFAULT_SSL_POLICY, Http, Scheme, certificate_parameter,
};
pub use target::LoadBalancerTarget;
