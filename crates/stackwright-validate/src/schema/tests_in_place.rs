//! A resource's properties are read where they are, unless an `AWS::NoValue` is to be
//! removed: the findings must be exactly those of the JSON copy the evaluator read before.

use serde_json::json;

use super::*;

const NO_VALUE: &str = r#"{"Ref": "AWS::NoValue"}"#;

/// The findings for `properties` read in place, and read as the JSON object of a copy.
fn both(schema: &Json, properties: &Json) -> (Vec<String>, Vec<String>) {
    let compiled = Schema::from_json_str(&schema.to_string()).unwrap();
    let map: BTreeMap<String, Json> = serde_json::from_value(properties.clone()).unwrap();
    let show = |errors: Vec<eval::Error<'_>>| -> Vec<String> {
        report::findings(&errors, "/P").iter().map(|f| format!("{f:?}")).collect()
    };
    let in_place = show(eval::check(&compiled, eval::Value::Properties(&map), &[]));
    let copied = show(eval::check(&compiled, eval::Value::Json(properties), &[]));
    (in_place, copied)
}

#[test]
fn properties_read_in_place_give_the_findings_of_their_json_copy() {
    let schemas = [
        super::tests::schema(),
        json!({"type": "string"}),
        json!({"type": ["object", "null"], "minProperties": 2, "maxProperties": 3}),
        json!({"enum": [{"A": 1}, "x"]}),
        json!({"const": {"A": 1, "B": "x"}}),
        json!({"not": {"required": ["A"]}}),
        json!({"if": {"required": ["A"]}, "then": {"required": ["B"]}, "else": {"required": ["C"]}}),
        json!({"dependencies": {"A": {"required": ["B"]}, "B": ["C"]}}),
        json!({"allOf": [{"required": ["X"]}], "oneOf": [{"required": ["A"]}, {"required": ["B"]}]}),
        json!({"patternProperties": {"^A": {"type": "integer"}}, "additionalProperties": {"type": "string"}}),
        json!({"properties": {"A": {"type": "integer"}}, "additionalProperties": false, "required": ["A", "Q"]}),
        json!(false),
        json!({"$ref": "#/definitions/D", "definitions": {"D": {"required": ["A"], "minProperties": 2}}}),
    ];
    let properties = [
        json!({}),
        json!({"A": 1}),
        json!({"A": 1.0}),
        json!({"A": "1", "B": "x"}),
        json!({"A": 1, "B": "x"}),
        json!({"A": [1, 2], "C": {"D": null}}),
        json!({"Name": "Web", "Count": "0", "Ports": [80, 80], "Window": {"Unit": 1}}),
        json!({"Ref": "Props"}),
        json!({"Fn::If": ["C", {"A": 1}, {"A": 2}]}),
        json!({"Condition": "IsProd"}),
        json!({"Condition": 1}),
        json!({"Fn": 1}),
    ];
    for schema in &schemas {
        for value in &properties {
            let (in_place, copied) = both(schema, value);
            assert_eq!(in_place, copied, "{schema} {value}");
        }
    }
}

#[test]
fn a_one_member_object_is_a_call_in_place_exactly_when_it_is_one_as_json() {
    let members = [
        ("Ref", json!("X")),
        ("Ref", json!(1)),
        ("Fn::If", json!([])),
        ("Fn::", json!(1)),
        ("Fn", json!(1)),
        ("Condition", json!("C")),
        ("Condition", json!(true)),
        ("ref", json!("X")),
        ("", json!(null)),
    ];
    for (key, value) in members {
        let json = json!({ key: value.clone() });
        let map = BTreeMap::from([(key.to_owned(), value)]);
        assert_eq!(
            eval::check(&Schema::from_json_str("false").unwrap(), eval::Value::Properties(&map), &[]).is_empty(),
            is_call(&json),
            "{json}"
        );
    }
}

#[test]
fn a_no_value_anywhere_outside_a_call_takes_the_copy() {
    let no_value: Json = serde_json::from_str(NO_VALUE).unwrap();
    assert!(holds_no_value(&no_value));
    assert!(holds_no_value(&json!({"A": {"B": [1, {"C": no_value.clone()}]}})));
    assert!(holds_no_value(&json!([[no_value.clone()]])));
    // Not removed inside a call (what a call holds is not checked), so nothing to copy.
    assert!(!holds_no_value(&json!({"Fn::If": ["C", no_value.clone(), 1]})));
    assert!(!holds_no_value(&json!({"A": [1, "x", {"B": null}]})));
}

#[test]
fn a_no_value_deep_down_is_absent_for_required_and_in_lists() {
    let run = |properties: &str| super::tests::run(&super::tests::schema(), serde_json::from_str(properties).unwrap());
    let window = format!(r#"{{"Name": "web", "Count": 2, "Enabled": true, "Window": {{"Fixed": {NO_VALUE}}}}}"#);
    assert_eq!(
        run(&window),
        ["schema/one-of /P/Window: expected exactly one of \"Fixed\", \"Sliding\" to be set: none is"]
    );
    let ports = format!(r#"{{"Name": "web", "Count": 2, "Enabled": true, "Ports": [80, {NO_VALUE}, 80]}}"#);
    assert_eq!(run(&ports), ["schema/unique-items /P/Ports: expected unique items, found [80,80]"]);
    // An object that is a call once its `NoValue` is removed is a call.
    let call = format!(r#"{{"Name": {{"Ref": "N", "X": {NO_VALUE}}}, "Count": 2, "Enabled": true}}"#);
    assert_eq!(run(&call), Vec::<String>::new());
}
