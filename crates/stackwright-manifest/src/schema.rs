//! The manifest's JSON Schema (draft 2020-12), generated from the types serde reads.

use crate::model::Manifest;

/// The JSON Schema of a manifest, pretty-printed with a final newline: what `stackwright
/// schema` prints and `schemas/stackwright.schema.json` holds.
pub fn schema() -> String {
    let mut schema = schemars::schema_for!(Manifest);
    schema.insert("$id".into(), "https://stackwright.invalid/schemas/stackwright.schema.json".into());
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
