//! ECR: private image repositories, scanned and immutable by default, with typed lifecycle rules.

mod lifecycle;
mod name;
mod repository;

pub use lifecycle::{LifecycleRule, PrioritizedRule};
pub use repository::{PULL, PUSH, Repository, RepositoryProps};
