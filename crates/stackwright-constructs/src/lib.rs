//! L2 constructs: typed, secure-by-default building blocks over the generated L1 layer.
//!
//! A construct is added to a [`Stack`] at a [`ConstructPath`]; its resources' logical IDs are
//! derived from that path. Props follow one pattern: required inputs are arguments of
//! `XxxProps::new`, every optional input has a documented default and a consuming setter, and
//! a construct checks its props when it is built and [records](Stack::record) every broken
//! rule on the stack, then goes on, so the constructs after it are checked in the same run.
//! [`Stack::finish`] returns them all at once as [`Error::Invalid`] — [`Violation`]s naming
//! the construct path and a stable rule id, sorted. Only a failure that leaves nothing
//! sensible to build [stops](Stack::stop) at once, still listing the rules broken before it.
//!
//! Grants (`log_group.grant_write(&mut stack, &role)`) add resource-scoped statements to the
//! grantee's policy; policies are written when the stack is [finished](Stack::finish), and an
//! app takes only finished stacks (`app.add_stack(stack.finish()?)`). Every
//! construct exposes its L1 resources (`.resource()`), and [`Stack::override_resource`] edits
//! any property the construct does not model.

#![warn(missing_docs)]

mod arn;
pub mod cloudwatch;
pub mod codebuild;
pub mod codecommit;
pub mod codepipeline;
pub mod codestar;
pub mod ec2;
pub mod ecr;
pub mod ecs;
pub mod efs;
pub mod elbv2;
mod environment;
pub mod error;
pub mod iam;
pub mod kms;
pub mod logs;
mod path;
pub mod patterns;
pub mod s3;
pub mod share;
pub mod sns;
mod stack;

pub use environment::{Environment, Overrides};
pub use error::{Checks, Error, Violation};
pub use path::ConstructPath;
pub use share::{Carrier, Shared};
pub use stack::Stack;
