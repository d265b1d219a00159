//! Every property of every vendored schema has a place in the generated code, and every
//! vendored type is generated (and nothing else).

use std::path::PathBuf;

use serde_json::Value as Json;
use stackwright_cfn::{ALL_FACTS, PROPERTY_TYPES, facts};

fn schemas_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schemas")
}

fn manifest() -> Json {
    let text = std::fs::read_to_string(schemas_dir().join("manifest.json")).expect("manifest.json");
    serde_json::from_str(&text).expect("manifest parses")
}

fn schema(file: &str) -> Json {
    let text = std::fs::read_to_string(schemas_dir().join(file)).expect("schema file");
    serde_json::from_str(&text).expect("schema parses")
}

fn keys(object: &Json) -> Vec<String> {
    object.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

fn strings(value: &Json) -> Vec<String> {
    value.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect()).unwrap_or_default()
}

fn owned(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn every_manifest_type_is_generated_and_nothing_else() {
    let manifest = manifest();
    let wanted: Vec<String> = manifest["types"]
        .as_array()
        .expect("types")
        .iter()
        .map(|t| t["type_name"].as_str().expect("type_name").to_owned())
        .collect();
    let generated: Vec<String> = ALL_FACTS.iter().map(|f| f.type_name.to_owned()).collect();
    assert_eq!(generated, wanted);
    for type_name in &wanted {
        assert_eq!(facts(type_name).map(|f| f.type_name), Some(type_name.as_str()));
    }
    assert!(facts("AWS::Nope::Nope").is_none());
}

#[test]
fn facts_match_the_schemas() {
    for entry in manifest()["types"].as_array().expect("types") {
        let schema = schema(entry["file"].as_str().expect("file"));
        let facts = facts(entry["type_name"].as_str().expect("type")).expect("generated");
        let context = facts.type_name;
        assert_eq!(owned(facts.properties), keys(&schema["properties"]), "{context} properties");
        assert_eq!(owned(facts.required), strings(&schema["required"]), "{context} required");
        assert_eq!(owned(facts.primary_identifier), strings(&schema["primaryIdentifier"]), "{context}");
        assert_eq!(owned(facts.create_only_properties), strings(&schema["createOnlyProperties"]), "{context}");
        assert_eq!(owned(facts.read_only_properties), strings(&schema["readOnlyProperties"]), "{context}");
        assert_eq!(
            owned(facts.conditional_create_only_properties),
            strings(&schema["conditionalCreateOnlyProperties"]),
            "{context}"
        );
    }
}

#[test]
fn every_definition_with_properties_has_a_property_type() {
    let mut missing = Vec::new();
    for entry in manifest()["types"].as_array().expect("types") {
        let type_name = entry["type_name"].as_str().expect("type");
        let schema = schema(entry["file"].as_str().expect("file"));
        for (name, definition) in schema["definitions"].as_object().into_iter().flatten() {
            if definition.get("properties").is_none() {
                continue;
            }
            let pointer = format!("/definitions/{}", name.replace('~', "~0").replace('/', "~1"));
            match PROPERTY_TYPES.iter().find(|(t, p, _)| *t == type_name && *p == pointer) {
                Some((_, _, names)) => {
                    assert_eq!(owned(names), keys(&definition["properties"]), "{type_name} {pointer}");
                }
                None => missing.push(format!("{type_name} {pointer}")),
            }
        }
    }
    assert!(missing.is_empty(), "definitions without a generated struct: {missing:#?}");
}

#[test]
fn every_property_type_row_points_at_an_object_with_those_properties() {
    for (type_name, pointer, names) in PROPERTY_TYPES {
        let file = format!("{}.json", type_name.to_ascii_lowercase().replace("::", "-"));
        let schema = schema(&file);
        let node = schema.pointer(pointer).unwrap_or_else(|| panic!("{type_name}: no {pointer}"));
        assert_eq!(owned(names), keys(&node["properties"]), "{type_name} {pointer}");
    }
}
