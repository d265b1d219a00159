//! IAM: typed statements and policies, roles, and the [`Grantee`] contract grants use.

mod role;
mod statement;

pub use role::{Grantee, Role, RoleProps};
pub use statement::{Action, DenyAll, Effect, PolicyDocument, Principal, Statement};
