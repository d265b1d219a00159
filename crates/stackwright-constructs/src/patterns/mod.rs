//! Patterns (L3): whole architectures from a short description, built from the L2 constructs,
//! every part reachable.

mod hook;
mod load_balanced_service;
mod seed_pipeline;
mod source;

pub use hook::{Hook, ServiceHook};
pub use load_balanced_service::{LoadBalancedService, LoadBalancedServiceProps, NetworkingChoice};
pub use seed_pipeline::{INITIAL_IMAGE_PARAMETER, SeedPipeline, SeedPipelineProps};
pub use source::{CodeCommitChoice, ConnectionChoice, Source};
