//! Typed CloudFormation resources ("L1"): one struct per resource type and property type,
//! generated from the registry schemas vendored in `schemas/`.
//!
//! - One module per service, one submodule per resource type:
//!   [`ecr::Repository`] and its property types in [`ecr::repository`].
//! - Every field is a [`Value<T>`](stackwright_template::Value), so any property, numbers
//!   and lists included, takes a literal or an intrinsic function.
//! - Required properties are the arguments of `new`; optional ones have consuming setters
//!   named after the field. Fields stay `pub` as an escape hatch.
//! - Read-only properties are not fields: they are the typed `Fn::GetAtt` accessors of the
//!   `…Attributes` type (`RepositoryAttributes::arn`).
//! - [`ALL_FACTS`] and [`facts`] give every type's schema facts (create-only, read-only…)
//!   for validation and diff; [`PROPERTY_TYPES`] lists each property type's properties.
//!
//! The code under `src/generated/` is written by `cargo codegen generate` and checked in;
//! do not edit it by hand.

use serde::{Deserialize, Serialize};
use stackwright_template::Value;

mod de;

#[rustfmt::skip]
#[allow(
    clippy::doc_markdown,
    clippy::too_many_arguments,
    clippy::struct_excessive_bools,
    clippy::similar_names,
    clippy::should_implement_trait
)]
mod generated;

pub use generated::*;

/// A resource tag: the `Key`/`Value` pair most resource types share (every schema
/// definition named `…Tag` with exactly a required string `Key` and `Value`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[must_use]
pub struct Tag {
    /// The tag key.
    #[serde(rename = "Key")]
    pub key: Value<String>,
    /// The tag value.
    #[serde(rename = "Value")]
    pub value: Value<String>,
}

impl Tag {
    /// The CloudFormation names of this type's properties, sorted.
    pub const PROPERTY_NAMES: &'static [&'static str] = &["Key", "Value"];

    /// A tag `key` = `value`.
    pub fn new(key: impl Into<Value<String>>, value: impl Into<Value<String>>) -> Self {
        Self { key: key.into(), value: value.into() }
    }
}

impl From<Tag> for Value<Tag> {
    fn from(tag: Tag) -> Self {
        Value::Literal(tag)
    }
}
