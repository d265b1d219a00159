//! CodeCommit: Git repositories hosted in the account.

mod repository;

pub(crate) use repository::is_repository_name;
pub use repository::{Repository, RepositoryProps};
