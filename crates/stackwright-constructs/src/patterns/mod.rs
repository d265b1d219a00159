//! Patterns (L3): whole architectures from a short description, built from the L2 constructs,
//! every part reachable.

mod load_balanced_service;

pub use load_balanced_service::{LoadBalancedService, LoadBalancedServiceProps, NetworkingChoice, ServiceHook};
