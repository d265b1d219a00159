use serde_json::json;

use super::*;

fn run(schema: &Json, properties: Json) -> Vec<String> {
    let compiled = table::compile(&schema.to_string()).unwrap();
    let properties: BTreeMap<String, Json> = serde_json::from_value(properties).unwrap();
    check_properties(&compiled, &properties, "/P")
        .iter()
        .map(|f| format!("{} {}: {}", f.rule, f.pointer, f.message))
        .collect()
}

fn schema() -> Json {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["Name"],
        "properties": {
            "Name": {"type": "string", "minLength": 1, "maxLength": 8, "pattern": "^[a-z]+$"},
            "Count": {"type": "integer", "minimum": 1, "maximum": 10},
            "Enabled": {"type": "boolean"},
            "Mode": {"type": "string", "enum": ["A", "B"]},
            "Label": {"type": "string"},
            "Ports": {"type": "array", "minItems": 1, "uniqueItems": true, "items": {"type": "integer"}},
            "Window": {"$ref": "#/definitions/Window"},
            "Step": {"type": "integer", "multipleOf": 5}
        },
        "definitions": {
            "Window": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "Fixed": {"type": "string"}, "Sliding": {"type": "string"}, "Size": {"type": "integer"}, "Unit": {}
                },
                "oneOf": [{"required": ["Fixed"]}, {"required": ["Sliding"]}],
                "dependentRequired": {"Size": ["Unit"]},
                "dependentExcluded": {"Fixed": ["Size"]}
            }
        },
        "anyOf": [{"required": ["Count"]}, {"required": ["Mode"]}],
        "requiredXor": ["Enabled", "Label"]
    })
}

fn base() -> Json {
    json!({"Name": "web", "Count": 2, "Enabled": true})
}

fn with(changes: &Json) -> Json {
    let mut properties = base();
    for (key, value) in changes.as_object().unwrap() {
        if value.is_null() {
            properties.as_object_mut().unwrap().remove(key);
        } else {
            properties[key] = value.clone();
        }
    }
    properties
}

#[test]
fn a_valid_object_has_no_finding() {
    assert_eq!(run(&schema(), base()), Vec::<String>::new());
}

#[test]
fn each_keyword_has_its_rule_pointer_value_and_expectation() {
    let cases = [
        (json!({"Nmae": "x"}), "schema/additional-property /P/Nmae: unknown property \"Nmae\": did you mean \"Name\"?"),
        (
            json!({"Zzz": 1}),
            "schema/additional-property /P/Zzz: unknown property \"Zzz\": expected one of \"Count\", \"Enabled\", \"Label\", \"Mode\", \"Name\", \"Ports\", \"Step\", \"Window\"",
        ),
        (json!({"Count": [1]}), "schema/type /P/Count: expected an integer, found [1]"),
        (json!({"Mode": "C"}), "schema/enum /P/Mode: expected one of \"A\", \"B\", found \"C\""),
        (json!({"Name": "Web"}), "schema/pattern /P/Name: expected a string matching ^[a-z]+$, found \"Web\""),
        (
            json!({"Name": "abcdefghij"}),
            "schema/length /P/Name: expected at most 8 characters, found 10: \"abcdefghij\"",
        ),
        (json!({"Count": 11}), "schema/range /P/Count: expected at most 10, found 11"),
        (json!({"Ports": []}), "schema/items /P/Ports: expected at least 1 item, found 0: []"),
        (json!({"Ports": [80, 80]}), "schema/unique-items /P/Ports: expected unique items, found [80,80]"),
        (json!({"Name": null}), "schema/required /P: required property \"Name\" is missing"),
        (json!({"Count": null}), "schema/any-of /P: expected at least one of \"Count\", \"Mode\" to be set: none is"),
        (
            json!({"Label": "x"}),
            "schema/required-xor /P: exactly one of \"Enabled\", \"Label\" must be set: \"Enabled\", \"Label\" are",
        ),
        (
            json!({"Window": {"Unit": 1}}),
            "schema/one-of /P/Window: expected exactly one of \"Fixed\", \"Sliding\" to be set: none is",
        ),
        (
            json!({"Window": {"Fixed": "a", "Sliding": "b"}}),
            "schema/one-of /P/Window: expected exactly one of \"Fixed\", \"Sliding\" to be set: \"Fixed\", \"Sliding\" are",
        ),
        (
            json!({"Window": {"Sliding": "b", "Size": 1}}),
            "schema/dependent-required /P/Window: \"Size\" is set, so \"Unit\" required: missing",
        ),
        (
            json!({"Window": {"Fixed": "a", "Size": 1, "Unit": "s"}}),
            "schema/dependent-excluded /P/Window: \"Fixed\" is set, so \"Size\" must not be set: set",
        ),
        (json!({"Step": 7}), "schema/invalid /P/Step: 7 is not a multiple of 5"),
    ];
    for (changes, expected) in cases {
        assert_eq!(run(&schema(), with(&changes)), [expected], "{changes}");
    }
}

#[test]
fn draft_7_dependencies_are_dependent_required() {
    let schema = json!({"properties": {"A": {}, "B": {}}, "dependencies": {"A": ["B"]}});
    assert_eq!(
        run(&schema, json!({"A": 1})),
        ["schema/dependent-required /P: \"A\" is set, so \"B\" required: missing"]
    );
}

#[test]
fn intrinsic_functions_are_checked_for_shape_not_value() {
    let properties = with(&json!({
        "Name": {"Fn::Sub": "${AWS::StackName}-web"},
        "Count": {"Ref": "Count"},
        "Ports": {"Fn::If": ["C", [80], {"Ref": "AWS::NoValue"}]},
        "Window": {"Fn::GetAtt": ["W", "Window"]}
    }));
    assert_eq!(run(&schema(), properties), Vec::<String>::new());
    // Inside a list or an object, at any depth.
    let properties = with(&json!({"Ports": [{"Ref": "Port"}, 443], "Window": {"Fixed": {"Fn::Join": ["", ["a"]]}}}));
    assert_eq!(run(&schema(), properties), Vec::<String>::new());
    // An alternative that fails only at a function call counts as matching.
    let properties = with(&json!({"Count": null, "Mode": {"Ref": "Mode"}}));
    assert_eq!(run(&schema(), properties), Vec::<String>::new());
    // `Condition` objects too.
    assert_eq!(run(&schema(), with(&json!({"Mode": {"Condition": "IsProd"}}))), Vec::<String>::new());
}

#[test]
fn no_value_removes_the_property_or_item() {
    let properties = with(&json!({"Name": {"Ref": "AWS::NoValue"}, "Ports": [{"Ref": "AWS::NoValue"}]}));
    assert_eq!(
        run(&schema(), properties),
        [
            "schema/items /P/Ports: expected at least 1 item, found 0: []",
            "schema/required /P: required property \"Name\" is missing"
        ]
    );
}

#[test]
fn values_cloudformation_converts_are_converted_then_checked() {
    let properties =
        with(&json!({"Count": "3", "Enabled": "TRUE", "Label": null, "Name": "web", "Ports": ["80", 443]}));
    assert_eq!(run(&schema(), properties), Vec::<String>::new());
    assert_eq!(run(&schema(), with(&json!({"Mode": "A", "Label": null}))), Vec::<String>::new());
    // A number or a boolean where a string is expected is its text, matched against the pattern.
    assert_eq!(
        run(&schema(), with(&json!({"Name": 12}))),
        ["schema/pattern /P/Name: expected a string matching ^[a-z]+$, found \"12\" (written 12)"]
    );
    // Converted, then range-checked.
    assert_eq!(
        run(&schema(), with(&json!({"Count": "0"}))),
        ["schema/range /P/Count: expected at least 1, found 0 (written \"0\")"]
    );
    // Not convertible.
    assert_eq!(
        run(&schema(), with(&json!({"Count": "two"}))),
        ["schema/type /P/Count: expected an integer, found \"two\""]
    );
    assert_eq!(
        run(&schema(), with(&json!({"Enabled": "yes"}))),
        ["schema/type /P/Enabled: expected a boolean, found \"yes\""]
    );
}

#[test]
fn a_one_of_whose_alternatives_fail_otherwise_gives_each_reason() {
    let schema = json!({"oneOf": [
        {"properties": {"A": {"type": "string"}}, "required": ["A"]},
        {"properties": {"B": {"enum": [1]}}, "required": ["B"]}
    ]});
    assert_eq!(
        run(&schema, json!({"A": []})),
        [
            "schema/one-of /P: expected exactly one of the 2 alternatives to match, found none: (1) at /A: expected a string, found []; (2) at .: required property \"B\" is missing"
        ]
    );
}

#[test]
fn pointers_escape_keys() {
    let schema = json!({"additionalProperties": false, "properties": {"a/b": {"type": "string"}}});
    assert_eq!(
        run(&schema, json!({"a/b": [], "c~d": 1})),
        [
            "schema/type /P/a~1b: expected a string, found []",
            "schema/additional-property /P/c~0d: unknown property \"c~d\": expected one of \"a/b\"",
        ]
    );
}
