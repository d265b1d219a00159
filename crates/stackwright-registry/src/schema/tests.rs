use serde_json::json;

use super::*;

fn node(schema: &Schema) -> &Node {
    match &schema.root {
        Sub::Node(node) => node,
        Sub::Bool(_) => panic!("a node"),
    }
}

#[test]
fn keywords_become_typed_values_and_annotations_are_skipped() {
    let schema = Schema::from_json(&json!({
        "description": "prose",
        "type": ["string", "integer"],
        "properties": {"B": {"type": "string", "title": "t"}, "A": {"$ref": "#/definitions/D"}},
        "definitions": {"D": {"enum": ["x", 1]}},
        "required": ["A"],
        "minLength": 2,
        "maximum": 1.5,
        "additionalProperties": false,
        "dependencies": {"A": ["B"], "B": {"required": ["A"]}},
        "items": [{"type": "string"}, true],
        "uniqueItems": true
    }))
    .unwrap();
    let root = node(&schema);
    assert!(root.types.unwrap().contains(JsonType::Integer) && !root.types.unwrap().contains(JsonType::Number));
    assert_eq!(root.property_names().collect::<Vec<_>>(), ["A", "B"]);
    assert_eq!(root.required, ["A"]);
    assert_eq!((root.min_length, root.maximum.as_ref().map(ToString::to_string)), (Some(2), Some("1.5".into())));
    assert!(matches!(root.additional_properties.as_deref(), Some(Sub::Bool(false))));
    assert!(matches!(root.dependencies[0].1, Dependency::Required(_)));
    assert!(matches!(root.dependencies[1].1, Dependency::Schema(_)));
    assert!(matches!(root.items, Some(Items::Tuple(ref t)) if t.len() == 2));
    assert!(root.unique_items);
    let target = schema.resolve("#/definitions/D").unwrap();
    assert!(matches!(target, Sub::Node(n) if n.enumeration.as_ref().is_some_and(|e| e.len() == 2)));
    assert!(schema.resolve("#/properties/B").is_some());
    assert!(schema.resolve("#/definitions/Nope").is_none());
    assert_eq!(schema.references(), [("#/definitions/D", true)]);
}

#[test]
fn a_ref_chain_is_followed_and_a_loop_is_not_followed_forever() {
    let schema = Schema::from_json(&json!({
        "definitions": {"A": {"$ref": "#/definitions/B"}, "B": {"type": "string"}, "L": {"$ref": "#/definitions/L"}}
    }))
    .unwrap();
    assert!(matches!(schema.resolve("#/definitions/A"), Some(Sub::Node(n)) if n.types.is_some()));
    assert!(schema.resolve("#/definitions/L").is_none());
    assert!(schema.resolve("other.json#/definitions/B").is_some(), "a file prefix names this document");
}

#[test]
fn unknown_keywords_and_wrong_shapes_are_refused_with_their_name() {
    let error = Schema::from_json(&json!({"properties": {"A": {"patern": "x"}}})).unwrap_err();
    assert!(error.contains("unknown schema keyword \"patern\""), "{error}");
    let error = Schema::from_json(&json!({"type": "text"})).unwrap_err();
    assert!(error.contains("unknown JSON type \"text\""), "{error}");
    assert!(Schema::from_json(&json!({"minLength": "2"})).is_err());
    assert!(Schema::from_json(&json!(true)).is_ok());
}

#[test]
fn integers_include_whole_floats() {
    assert!(is_integer(&serde_json::Number::from_f64(2.0).unwrap()));
    assert!(!is_integer(&serde_json::Number::from_f64(2.5).unwrap()));
    let mut types = Types::default();
    types.insert(JsonType::Number);
    assert!(types.admits(&json!(3)) && !types.admits(&json!("3")));
}
