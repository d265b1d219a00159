//! CodeCommit: Git repositories hosted in the account.

mod repository;

pub use repository::{Repository, RepositoryProps};
