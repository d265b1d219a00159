//! The CloudFormation template model.
//!
//! - [`Value<T>`]: a typed property value that may be an intrinsic function, so every field,
//!   numbers and lists included, can take a `Ref` or `Fn::GetAtt`.
//! - [`Intrinsic`] and [`fns`]: the intrinsic and condition functions; [`Pseudo`]: the pseudo
//!   parameters.
//! - [`Template`]: parameters, mappings, conditions, resources and outputs keyed by
//!   validated [`LogicalId`]s, rendered to byte-for-byte deterministic JSON and parsed back
//!   from templates written by any tool.
//! - [`CfnResource`]: the contract the generated L1 types (`stackwright-cfn`) implement.
//! - [`walk`]: every use a value makes of other names, for the validator and the diff.
//! - [`read`]: template files, JSON or YAML (short-form tags), with the line and column of
//!   every value.

pub mod deps;
pub mod error;
pub mod fns;
pub mod intrinsic;
pub mod logical_id;
mod parse;
pub mod pointer;
pub mod policy;
pub mod read;
pub mod render;
pub mod resource;
mod salvage;
pub mod stack;
pub mod template;
pub mod value;
pub mod walk;

pub use deps::{Links, Placement, Reason};
pub use error::Error;
pub use intrinsic::{Intrinsic, IntrinsicError, Pseudo};
pub use logical_id::LogicalId;
pub use policy::{DeletionPolicy, PolicyValue, RemovalPolicy, UpdateReplacePolicy};
pub use resource::{CfnResource, Resource, ResourceFacts, ResourceRef};
pub use salvage::{LeftOut, MAX_LEFT_OUT};
pub use stack::{App, BuildError, Resolved, Stack, StackName, Unfinished};
pub use template::{
    Condition, ConditionRef, Mapping, Output, ParamRef, Parameter, ParameterType, ResourceOptions, ScalarParameter,
    Template,
};
pub use value::{Json, Value};
