//! ECS on Fargate: the cluster, task definitions with their containers and roles, and services
//! that roll out gradually and roll back by themselves.

mod cluster;
mod container;
mod fargate_size;
mod health_check;
mod secret;
mod service;
mod service_props;
mod task_definition;
mod volume;

pub use cluster::{Cluster, ClusterProps, ContainerInsights};
pub use container::{ContainerDefinition, ContainerImage};
pub use fargate_size::{CpuArchitecture, FargateSize};
pub use health_check::HealthCheck;
pub use secret::{ContainerSecret, SecretSource};
pub use service::FargateService;
pub use service_props::{Autoscaling, DeploymentController, FargateServiceProps};
pub use task_definition::{FargateTaskDefinition, FargateTaskDefinitionProps};
pub use volume::EfsVolume;
