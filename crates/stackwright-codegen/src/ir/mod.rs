//! The intermediate representation: every decision about names, types and docs is made
//! here, in Rust, so the handlebars templates only loop over it.
//!
//! - [`model`]: what the templates see;
//! - `types`: schema nodes as Rust types, and the names of modules and links;
//! - `build`: schema → model.

mod build;
mod model;
mod types;

pub use build::build;
pub use model::{AttributeIr, EnumIr, FactsIr, FieldIr, PropertyTypeIr, ResourceModule, StructIr, VariantIr};
pub use types::{SHARED_TAG, doc_url, lit, resource_module, service_module};
