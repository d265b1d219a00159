//! Patterns (L3): whole architectures from a short description, built from the L2 constructs,
//! every part reachable.

mod conflicts;
mod delivery;
mod foundation;
mod hook;
mod load_balanced_service;
mod promoted_worker;
mod promotion;
mod runtime;
mod seed_pipeline;
mod settings;
mod source;
mod worker_service;

pub use delivery::IMAGE_URI_PARAMETER;
pub use foundation::{Foundation, FoundationProps};
pub use hook::{Hook, ServiceHook};
pub use load_balanced_service::{LoadBalancedService, LoadBalancedServiceProps};
pub use promoted_worker::{PromotedWorker, PromotedWorkerProps};
pub use promotion::{PromotionPipeline, PromotionPipelineProps, PromotionTarget};
pub use runtime::{AlarmTopic, AlarmTopicChoice, NetworkingChoice, SharedRuntime};
pub use seed_pipeline::{SeedPipeline, SeedPipelineProps};
pub use settings::{DeliverySettings, EcrSettings, ReleaseMode, SecretRef, ServiceSettings};
pub use source::{CodeCommitChoice, ConnectionChoice, Source};
pub use worker_service::{RollbackAlarm, WorkerService, WorkerServiceProps};
