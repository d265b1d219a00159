//! The whole CloudFormation registry of `us-east-1`, as the pinned cfn-lint wheel bundles it
//! (`schemas/manifest.json` names the wheel and its sha256): every type's property schema
//! and facts, for validate and diff. It is data, not generated code: the L1 crate
//! (`stackwright-cfn`) still generates only the types of `schemas/types.txt`.
//!
//! The data is one file, `schemas/registry.bin`, embedded with `include_bytes!`: a sorted
//! index and one LZ4-compressed entry per type ([`archive`]), so a process decompresses only
//! the types a template uses. Each entry is decompressed and parsed the first time a type is
//! asked for, and its schema compiled (deserialized into [`Node`]s) the first time it is
//! validated against; both are kept for the life of the process.
//!
//! ```
//! use stackwright_registry::{TypeClass, classify, facts, schema};
//!
//! // Facts: what diff and validate need besides the property schema.
//! let queue = facts("AWS::SQS::Queue").expect("a registry type");
//! assert!(queue.is_create_only("/properties/QueueName"));
//! assert!(queue.primary_identifier.iter().any(|p| p == "/properties/QueueUrl"));
//!
//! // The schema a resource's `Properties` is checked against.
//! let compiled = schema("AWS::SQS::Queue").expect("compiles");
//! let stackwright_registry::Sub::Node(root) = &compiled.root else { unreachable!() };
//! assert!(root.property("VisibilityTimeout").is_some());
//!
//! // What is not a registry type, and why.
//! assert_eq!(classify("AWS::SQS::Queue"), TypeClass::Registry);
//! assert_eq!(classify("Custom::Seeder"), TypeClass::Custom);
//! assert_eq!(classify("My::Org::Bucket::MODULE"), TypeClass::Module);
//! assert_eq!(classify("AWS::DeviceFarm::Project"), TypeClass::OtherRegions(vec!["us-west-2"]));
//! assert_eq!(classify("AWS::SQS::Queu"), TypeClass::Unknown);
//! ```
//!
//! What each kind of name means:
//! - [`TypeClass::Registry`]: a public type of `us-east-1`, with [`facts`] and [`schema`].
//! - [`TypeClass::Custom`]: `Custom::*` and `AWS::CloudFormation::CustomResource`. Their
//!   properties are defined by the provider behind `ServiceToken`, not by CloudFormation; the
//!   registry's `AWS::CloudFormation::CustomResource` schema (a required string
//!   `ServiceToken`, anything else free) is all CloudFormation itself checks, and cfn-lint
//!   checks `Custom::*` against it too. Its [`facts`] say `ServiceToken` is create-only.
//! - [`TypeClass::Module`]: `Org::Service::Name::MODULE`, a module registered in the
//!   deploying account; its schema is not public.
//! - [`TypeClass::OtherRegions`]: a public type other regions have and `us-east-1` does not
//!   (`AWS::DeviceFarm::*` is in `us-west-2` only): valid where it is deployed, unchecked.
//! - [`TypeClass::Unknown`]: in no region's registry. For an `AWS::` or `Alexa::` name that
//!   is what CloudFormation refuses ("Unrecognized resource types"); another namespace may
//!   be a private or third-party extension activated in the account.

pub mod archive;
mod facts;
pub mod getatt;
pub mod schema;
pub mod vendor;

use std::sync::OnceLock;

pub use facts::Facts;
pub use schema::{Dependency, Items, JsonType, Node, Pattern, Schema, Sub, Types};

/// The region whose registry is vendored.
pub const REGION: &str = "us-east-1";

/// The type whose schema CloudFormation applies to every custom resource.
pub const CUSTOM_RESOURCE: &str = "AWS::CloudFormation::CustomResource";

/// The embedded archive: `schemas/registry.bin`, written by `cargo codegen refresh-schemas`.
pub static DATA: &[u8] = include_bytes!("../../../schemas/registry.bin");

/// What kind of type a `Type` names, as far as the registry can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeClass {
    /// A public type of the vendored region's registry.
    Registry,
    /// `Custom::*` or `AWS::CloudFormation::CustomResource`.
    Custom,
    /// `Org::Service::Name::MODULE`.
    Module,
    /// Not in the vendored region's registry; in these regions' (sorted).
    OtherRegions(Vec<&'static str>),
    /// In no region's registry.
    Unknown,
}

/// Classifies a resource type name.
pub fn classify(type_name: &str) -> TypeClass {
    if type_name.starts_with("Custom::") || type_name == CUSTOM_RESOURCE {
        return TypeClass::Custom;
    }
    if type_name.ends_with("::MODULE") && type_name.split("::").count() == 4 {
        return TypeClass::Module;
    }
    let Some(index) = archive().and_then(|a| a.find(type_name)) else { return TypeClass::Unknown };
    match archive().and_then(|a| a.record(index)) {
        Some(record) if record.kind == archive::Kind::OtherRegions => {
            let regions = std::str::from_utf8(record.stored()).unwrap_or_default();
            TypeClass::OtherRegions(regions.split(',').filter(|r| !r.is_empty()).collect())
        }
        Some(_) => TypeClass::Registry,
        None => TypeClass::Unknown,
    }
}

/// Whether `type_name` is a type of the vendored region's registry (custom resources'
/// `AWS::CloudFormation::CustomResource` included).
pub fn is_known(type_name: &str) -> bool {
    loaded(type_name).is_some()
}

/// The facts of a registry type, decompressed and parsed on first use.
pub fn facts(type_name: &str) -> Option<&'static Facts> {
    loaded(type_name).map(|entry| &entry.facts)
}

/// The compiled schema of a registry type, compiled on first use. `None` for a name that is
/// not a registry type (see [`classify`]); a custom resource's is
/// `schema(CUSTOM_RESOURCE)`.
pub fn schema(type_name: &str) -> Option<&'static Schema> {
    let entry = loaded(type_name)?;
    entry.schema.get_or_init(|| Schema::from_json_str(&entry.schema_text).ok()).as_ref()
}

/// Every type of the vendored region's registry, sorted.
pub fn type_names() -> impl Iterator<Item = &'static str> {
    archive().into_iter().flat_map(|a| {
        (0..a.len()).filter_map(move |i| a.record(i)).filter(|r| r.kind == archive::Kind::Vendored).map(|r| r.name)
    })
}

/// The vendored text of a type's entry (its facts line and schema line), decompressed anew:
/// for audits and the tests that check the data against `schemas/`.
pub fn entry_text(type_name: &str) -> Option<Result<String, String>> {
    let archive = archive()?;
    let record = archive.record(archive.find(type_name)?)?;
    (record.kind == archive::Kind::Vendored).then(|| record.text())
}

/// What the first use of a type costs, without the cache: decompress its entry, parse its
/// facts and compile its schema (for benchmarks; [`facts`] and [`schema`] cache all three).
pub fn load_uncached(type_name: &str) -> Option<(Facts, Schema)> {
    let archive = archive()?;
    let record = archive.record(archive.find(type_name)?)?;
    let loaded = load(record)?;
    let schema = Schema::from_json_str(&loaded.schema_text).ok()?;
    Some((loaded.facts, schema))
}

fn archive() -> Option<&'static archive::Archive<'static>> {
    static ARCHIVE: OnceLock<Option<archive::Archive<'static>>> = OnceLock::new();
    ARCHIVE.get_or_init(|| archive::Archive::new(DATA)).as_ref()
}

/// A type's entry, once decompressed: its facts, and its schema's text and compiled form.
struct Loaded {
    facts: Facts,
    schema_text: String,
    schema: OnceLock<Option<Schema>>,
}

/// One slot per archive record, filled on first use.
fn slots() -> &'static [OnceLock<Option<Loaded>>] {
    static SLOTS: OnceLock<Box<[OnceLock<Option<Loaded>>]>> = OnceLock::new();
    SLOTS.get_or_init(|| (0..archive().map_or(0, archive::Archive::len)).map(|_| OnceLock::new()).collect())
}

fn loaded(type_name: &str) -> Option<&'static Loaded> {
    let archive = archive()?;
    let index = archive.find(type_name)?;
    slots().get(index)?.get_or_init(|| load(archive.record(index)?)).as_ref()
}

/// Inflates and parses an entry; a damaged one (a test proves none is) is as if absent.
fn load(record: archive::Record<'_>) -> Option<Loaded> {
    if record.kind != archive::Kind::Vendored {
        return None;
    }
    let text = record.text().ok()?;
    let (facts, schema) = text.split_once('\n')?;
    let facts = serde_json::from_str::<facts::Stored>(facts).ok()?.into_facts(record.name);
    Some(Loaded { facts, schema_text: schema.to_owned(), schema: OnceLock::new() })
}

#[cfg(test)]
mod tests;
