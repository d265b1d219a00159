//! From a published registry schema to the form this crate embeds (used by
//! `cargo codegen refresh-schemas`, and by the test that proves the embedded data and the
//! L1 schemas in `schemas/` agree).
//!
//! A type's entry is two lines of compact JSON:
//! 1. its [`Facts`] (create-only, read-only… properties, `Fn::GetAtt` attributes, and the
//!    wheel file it came from), in a short stored form;
//! 2. its validation schema: the schema's validation keywords only, at every level.
//!    Prose (`description`, half of a schema's bytes), `handlers` (whose `$ref`s point into
//!    files that are not published), `tagging` and the other resource-level metadata are
//!    dropped; every constraint is kept as published. Keys are sorted, so the output is
//!    deterministic.
//!
//! The schemas vendored are cfn-lint's bundled `resources/<hash>.json` as they are: cfn-lint
//! builds them from AWS's published provider schemas with its `patches` already applied
//! (for example the enum of `AWS::EC2::FlowLog`'s `TagFieldSpecification.ResourceType`),
//! which is the form its own rules validate against. Its `extensions/` schemas are separate
//! rule inputs (instance types, AMI shapes…) that no resource schema refers to, and are not
//! vendored.

use serde_json::{Map, Value as Json};

use crate::facts::Facts;
use crate::getatt;
use crate::schema::de::{ANNOTATIONS, KEYWORDS};

/// The resource-level keys of a provider schema that are not validation keywords: facts,
/// and metadata no template check reads.
const RESOURCE_METADATA: &[&str] = &[
    "$comment",
    "$id",
    "$schema",
    "additionalIdentifiers",
    "conditionalCreateOnlyProperties",
    "createOnlyProperties",
    "deprecatedProperties",
    "description",
    "documentationUrl",
    "handlers",
    "lifecycle",
    "nonPublicDefinitions",
    "nonPublicProperties",
    "primaryIdentifier",
    "propertyTransform",
    "readOnlyProperties",
    "replacementStrategy",
    "resourceLink",
    "sourceUrl",
    "taggable",
    "tagging",
    "typeConfiguration",
    "typeName",
    "writeOnlyProperties",
];

/// Keywords whose value is an object of names (not of keywords).
const NAME_MAPS: &[&str] = &["definitions", "properties", "patternProperties", "dependencies"];
/// Keywords whose value is an object of names to lists of names.
const NAME_LISTS: &[&str] = &["dependentRequired", "dependentExcluded"];
/// Keywords whose value is one subschema.
const SUBSCHEMAS: &[&str] = &["additionalProperties", "additionalItems", "items", "not", "if", "then", "else"];
/// Keywords whose value is a list of subschemas.
const SUBSCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// The entry of `type_name`, whose published schema is `original` (the wheel's `source`,
/// `cfnlint/data/schemas/resources/<hash>.json`): its facts line and its schema line.
pub fn entry(type_name: &str, original: &[u8], source: &str) -> Result<String, String> {
    let schema: Json = serde_json::from_slice(original).map_err(|e| format!("{type_name}: {e}"))?;
    let root = schema.as_object().ok_or_else(|| format!("{type_name}: the schema is not an object"))?;
    let named = root.get("typeName").and_then(Json::as_str);
    if named != Some(type_name) {
        return Err(format!("{type_name}: the schema names itself {named:?}"));
    }
    let facts = facts(type_name, &schema, source);
    let mut validation = Map::new();
    for (key, value) in root {
        if RESOURCE_METADATA.contains(&key.as_str()) {
            continue;
        }
        if !KEYWORDS.contains(&key.as_str()) {
            return Err(format!("{type_name}: unknown resource-level key {key:?}"));
        }
        validation
            .insert(key.clone(), keyword(key, value, &format!("/{key}")).map_err(|e| format!("{type_name}: {e}"))?);
    }
    let validation = Json::Object(validation);
    // The form must compile: refuse to vendor what the validator would refuse to load.
    crate::Schema::from_json(&validation).map_err(|e| format!("{type_name}: {e}"))?;
    let stored = crate::facts::Stored::from_facts(&facts).ok_or_else(|| {
        format!("{type_name}: a property pointer without /properties/, or a source outside the wheel's resources")
    })?;
    let facts = serde_json::to_string(&stored).map_err(|e| e.to_string())?;
    Ok(format!("{facts}\n{validation}"))
}

fn facts(type_name: &str, schema: &Json, source: &str) -> Facts {
    let list = |key: &str| -> Vec<String> {
        schema
            .get(key)
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
            .map(str::to_owned)
            .collect()
    };
    Facts {
        type_name: type_name.to_owned(),
        source: source.to_owned(),
        required: list("required"),
        primary_identifier: list("primaryIdentifier"),
        create_only_properties: list("createOnlyProperties"),
        conditional_create_only_properties: list("conditionalCreateOnlyProperties"),
        read_only_properties: list("readOnlyProperties"),
        write_only_properties: list("writeOnlyProperties"),
        deprecated_properties: list("deprecatedProperties"),
        attributes: getatt::attributes(type_name, schema),
    }
}

/// The value of keyword `key` (at `at`) with the annotations below it removed.
fn keyword(key: &str, value: &Json, at: &str) -> Result<Json, String> {
    if NAME_MAPS.contains(&key) {
        let map = value.as_object().ok_or_else(|| format!("{at}: expected an object"))?;
        let mut out = Map::new();
        for (name, sub) in map {
            let here = format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"));
            // `dependencies` values are lists of names or subschemas.
            let cleaned = if key == "dependencies" && sub.is_array() { sub.clone() } else { subschema(sub, &here)? };
            out.insert(name.clone(), cleaned);
        }
        Ok(Json::Object(out))
    } else if NAME_LISTS.contains(&key) {
        Ok(value.clone())
    } else if SUBSCHEMAS.contains(&key) {
        match value {
            // Draft 07's tuple form of `items`.
            Json::Array(items) => items.iter().enumerate().map(|(i, s)| subschema(s, &format!("{at}/{i}"))).collect(),
            single => subschema(single, at),
        }
    } else if SUBSCHEMA_LISTS.contains(&key) {
        let items = value.as_array().ok_or_else(|| format!("{at}: expected a list of schemas"))?;
        items.iter().enumerate().map(|(i, s)| subschema(s, &format!("{at}/{i}"))).collect()
    } else {
        Ok(value.clone())
    }
}

/// A subschema without its annotations; an unknown keyword is an error.
fn subschema(value: &Json, at: &str) -> Result<Json, String> {
    let Json::Object(map) = value else { return Ok(value.clone()) };
    let mut out = Map::new();
    for (key, child) in map {
        if ANNOTATIONS.contains(&key.as_str()) {
            continue;
        }
        if !KEYWORDS.contains(&key.as_str()) {
            return Err(format!("{at}: unknown schema keyword {key:?}"));
        }
        out.insert(key.clone(), keyword(key, child, &format!("{at}/{key}"))?);
    }
    Ok(Json::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGINAL: &str = r##"{
        "typeName": "AWS::X::Y",
        "description": "A thing.",
        "handlers": {"create": {"permissions": ["x:Create"]}},
        "tagging": {"taggable": true},
        "additionalProperties": false,
        "properties": {
            "Name": {"type": "string", "description": "The name.", "pattern": "^[a-z]+$"},
            "description": {"type": "string", "title": "a property named like an annotation"},
            "Arn": {"type": "string"},
            "Tags": {"type": "array", "insertionOrder": false, "items": {"$ref": "#/definitions/Tag"}}
        },
        "definitions": {"Tag": {"type": "object", "properties": {"Key": {"type": "string"}}, "required": ["Key"]}},
        "required": ["Name"],
        "createOnlyProperties": ["/properties/Name"],
        "readOnlyProperties": ["/properties/Arn"],
        "primaryIdentifier": ["/properties/Arn"]
    }"##;

    #[test]
    fn an_entry_is_the_facts_then_the_constraints_without_prose() {
        let source = "cfnlint/data/schemas/resources/ab12.json";
        let text = entry("AWS::X::Y", ORIGINAL.as_bytes(), source).unwrap();
        let (facts, schema) = text.split_once('\n').unwrap();
        assert_eq!(facts, r#"{"src":"ab12","req":["Name"],"id":["Arn"],"co":["Name"],"ro":["Arn"]}"#);
        let facts = serde_json::from_str::<crate::facts::Stored>(facts).unwrap().into_facts("AWS::X::Y");
        assert_eq!(facts.create_only_properties, ["/properties/Name"]);
        assert_eq!((facts.attributes, facts.source.as_str()), (vec!["Arn".to_owned()], source));
        assert_eq!(
            schema,
            r##"{"additionalProperties":false,"definitions":{"Tag":{"properties":{"Key":{"type":"string"}},"required":["Key"],"type":"object"}},"properties":{"Arn":{"type":"string"},"Name":{"pattern":"^[a-z]+$","type":"string"},"Tags":{"items":{"$ref":"#/definitions/Tag"},"type":"array"},"description":{"type":"string"}},"required":["Name"]}"##
        );
    }

    #[test]
    fn an_unknown_keyword_or_a_misnamed_schema_is_refused() {
        let unknown = ORIGINAL.replace(r#""pattern""#, r#""patern""#);
        assert_eq!(
            entry("AWS::X::Y", unknown.as_bytes(), "").unwrap_err(),
            r#"AWS::X::Y: /properties/Name: unknown schema keyword "patern""#
        );
        assert_eq!(
            entry("AWS::X::Z", ORIGINAL.as_bytes(), "").unwrap_err(),
            r#"AWS::X::Z: the schema names itself Some("AWS::X::Y")"#
        );
    }
}
