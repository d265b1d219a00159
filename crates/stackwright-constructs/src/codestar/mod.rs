//! CodeStar Connections: the link between the pipeline and GitHub, Bitbucket or GitLab.

mod connection;

pub use connection::{Connection, ConnectionProps, ProviderType};
