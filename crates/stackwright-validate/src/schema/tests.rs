use serde_json::json;

use super::*;

pub(super) fn run(schema: &Json, properties: Json) -> Vec<String> {
    let compiled = Schema::from_json_str(&schema.to_string()).unwrap();
    let properties: BTreeMap<String, Json> = serde_json::from_value(properties).unwrap();
    check_properties(&compiled, &properties, "/P", &[])
        .iter()
        .map(|f| format!("{} {}: {}", f.rule, f.pointer, f.message))
        .collect()
}

pub(super) fn schema() -> Json {
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

/// The copy without `AWS::NoValue` counts list items as it kept them; a finding names the item
/// as written.
#[test]
fn a_finding_after_a_removed_item_names_the_item_as_written() {
    let properties = with(&json!({"Ports": [{"Ref": "AWS::NoValue"}, 80, {"Ref": "AWS::NoValue"}, "x"]}));
    assert_eq!(run(&schema(), properties), ["schema/type /P/Ports/3: expected an integer, found \"x\""]);
    // Keys are the same in the copy; a path below one is kept as it is.
    let properties = with(&json!({"Ports": [80], "Window": {"Fixed": "a", "Size": {"Ref": "AWS::NoValue"}, "Bad": 1}}));
    assert_eq!(
        run(&schema(), properties),
        [
            "schema/additional-property /P/Window/Bad: unknown property \"Bad\": expected one of \"Fixed\", \"Size\", \"Sliding\", \"Unit\""
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

#[test]
fn a_call_makes_a_one_of_match_possible_not_certain() {
    let schema = json!({"oneOf": [
        {"properties": {"X": {"type": "string"}}, "required": ["X"]},
        {"properties": {"X": {"type": "integer"}}, "required": ["X"]}
    ]});
    // Either alternative may match what `Ref` returns: not "more than one".
    assert_eq!(run(&schema, json!({"X": {"Ref": "P"}})), Vec::<String>::new());
    // Without the call, a value both alternatives admit is refused.
    let both = json!({"oneOf": [{"type": "string"}, {"type": "string", "minLength": 1}]});
    let rendered = run(&json!({"properties": {"X": both}}), json!({"X": "a"}));
    assert_eq!(
        rendered,
        ["schema/one-of /P/X: expected exactly one of the 2 alternatives to match: more than one does"]
    );
    // `not` and `if` do not decide on a call either.
    let not = json!({"properties": {"X": {"not": {"type": "string"}}}});
    assert_eq!(run(&not, json!({"X": {"Fn::Sub": "x"}})), Vec::<String>::new());
    assert_eq!(
        run(&not, json!({"X": "x"})),
        ["schema/invalid /P/X: expected a value the schema's \"not\" excludes not to be, found \"x\""]
    );
}

#[test]
fn if_then_else_applies_the_branch_the_condition_picks() {
    let schema = json!({
        "if": {"properties": {"Mode": {"const": "A"}}, "required": ["Mode"]},
        "then": {"required": ["ForA"]},
        "else": {"required": ["ForOthers"]}
    });
    assert_eq!(run(&schema, json!({"Mode": "A"})), ["schema/required /P: required property \"ForA\" is missing"]);
    assert_eq!(run(&schema, json!({"Mode": "B"})), ["schema/required /P: required property \"ForOthers\" is missing"]);
    assert_eq!(run(&schema, json!({"Mode": {"Ref": "Mode"}})), Vec::<String>::new());
}

#[test]
fn cfn_lint_keywords_are_checked() {
    let schema = json!({
        "properties": {
            "Level": {"type": "string", "enumCaseInsensitive": ["Info", "Warn"]},
            "Pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false},
            "Dims": {"type": "array", "maxUniqueItems": 1}
        },
        "requiredOr": ["Level", "Dims"]
    });
    assert_eq!(run(&schema, json!({"Level": "WARN"})), Vec::<String>::new());
    assert_eq!(
        run(&schema, json!({"Level": "Debug"})),
        ["schema/enum /P/Level: expected one of \"Info\", \"Warn\" (in any case), found \"Debug\""]
    );
    assert_eq!(
        run(&schema, json!({"Level": "Info", "Pair": ["a", "b"]})),
        ["schema/type /P/Pair/1: expected an integer, found \"b\""]
    );
    assert_eq!(
        run(&schema, json!({"Level": "Info", "Pair": ["a", 1, 2]})),
        ["schema/items /P/Pair: expected at most 2 items, found 3: [\"a\",1,2]"]
    );
    assert_eq!(
        run(&schema, json!({"Dims": ["a", "b", "a"]})),
        ["schema/unique-items /P/Dims: expected at most 1 distinct items, found [\"a\",\"b\",\"a\"]"]
    );
    assert_eq!(
        run(&schema, json!({"Pair": ["a", 1]})),
        ["schema/required /P: at least one of \"Level\", \"Dims\" must be set: none is"]
    );
}

#[test]
fn a_type_error_hides_the_other_keywords_of_its_node() {
    let schema = json!({"properties": {"Mode": {"type": "string", "enum": ["A"], "minLength": 3}}});
    assert_eq!(run(&schema, json!({"Mode": ["A"]})), ["schema/type /P/Mode: expected a string, found [\"A\"]"]);
}

/// The unchecked list of a template with these resources (type per logical ID).
fn unchecked(template: &Json) -> (Vec<String>, Vec<String>) {
    let report = crate::validate_source(&template.to_string());
    let unchecked = report.unchecked.iter().map(ToString::to_string).collect();
    let findings = report.findings.iter().filter(|f| f.rule.starts_with("resource/") || f.rule.starts_with("schema/"));
    (unchecked, findings.map(ToString::to_string).collect())
}

#[test]
fn what_cannot_be_checked_is_listed_by_type_with_the_reason() {
    let template = json!({"Resources": {
        "SeedA": {"Type": "Custom::Seeder", "Properties": {"ServiceToken": "arn:aws:lambda:us-east-1:1:function:f", "Any": [1]}},
        "SeedB": {"Type": "Custom::Seeder", "Properties": {"ServiceToken": "arn:aws:lambda:us-east-1:1:function:f"}},
        "Net": {"Type": "My::Net::Vpc::MODULE", "Properties": {"Cidr": "10.0.0.0/16"}},
        "Pool": {"Type": "AWS::DeviceFarm::DevicePool", "Properties": {}},
        "Widget": {"Type": "Acme::Widgets::Widget", "Properties": {}}
    }});
    let (unchecked, findings) = unchecked(&template);
    assert_eq!(
        unchecked,
        [
            "AWS::DeviceFarm::DevicePool (not in the us-east-1 registry; registered in us-west-2): Pool",
            "Acme::Widgets::Widget (not a public registry type: a private or third-party extension of the deploying account): Widget",
            "Custom::Seeder (custom resource: its provider defines the properties; only ServiceToken is checked): SeedA, SeedB",
            "My::Net::Vpc::MODULE (module: its schema is registered in the deploying account): Net",
        ]
    );
    assert_eq!(findings, Vec::<String>::new());
}

#[test]
fn a_custom_resource_needs_its_service_token() {
    let template = json!({"Resources": {"Seed": {"Type": "Custom::Seeder", "Properties": {"Size": 1}}}});
    let (_, findings) = unchecked(&template);
    assert_eq!(
        findings,
        ["error[schema/required] Seed at /Resources/Seed/Properties: required property \"ServiceToken\" is missing"]
    );
}

#[test]
fn an_aws_type_in_no_registry_is_an_error_unless_a_transform_expands_it() {
    let template = json!({"Resources": {"F": {"Type": "AWS::Serverless::Function", "Properties": {}}}});
    let (unchecked_, findings) = unchecked(&template);
    assert!(unchecked_.is_empty());
    assert_eq!(
        findings,
        ["error[resource/unknown-type] F at /Resources/F/Type: resource type \"AWS::Serverless::Function\" is in no \
          region's CloudFormation registry; CloudFormation refuses the template (Unrecognized resource types); it \
          needs \"Transform\": \"AWS::Serverless-2016-10-31\""]
    );
    let mut with_transform = template;
    with_transform["Transform"] = json!("AWS::Serverless-2016-10-31");
    let (unchecked_, findings) = unchecked(&with_transform);
    assert_eq!(
        unchecked_,
        [
            "AWS::Serverless::Function (expanded by the transform AWS::Serverless-2016-10-31 before CloudFormation reads it): F"
        ]
    );
    assert!(findings.is_empty());
    let macro_ = json!({"Transform": ["MyMacro"], "Resources": {"X": {"Type": "AWS::Made::Up"}}});
    assert_eq!(
        unchecked(&macro_).0,
        ["AWS::Made::Up (expanded by the transform MyMacro before CloudFormation reads it): X"]
    );
}

#[test]
fn every_registry_type_is_checked_now() {
    // Not among the 42 L1 types: checked all the same.
    let template = json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySecond": 5}}}});
    let (unchecked_, findings) = unchecked(&template);
    assert!(unchecked_.is_empty());
    assert_eq!(
        findings,
        [
            "error[schema/additional-property] Q at /Resources/Q/Properties/DelaySecond: unknown property \"DelaySecond\": did you mean \"DelaySeconds\"?"
        ]
    );
}

#[test]
fn a_local_path_aws_cloudformation_package_replaces_is_not_a_type_error() {
    let function = |code: Json| {
        json!({"Resources": {"F": {"Type": "AWS::Lambda::Function", "Properties": {
            "Code": code, "Role": "arn:aws:iam::123456789012:role/r"}}}})
    };
    assert_eq!(unchecked(&function(json!("./src"))).1, Vec::<String>::new());
    assert_eq!(
        unchecked(&function(json!(["./src"]))).1,
        ["error[schema/type] F at /Resources/F/Properties/Code: expected an object, found [\"./src\"]"]
    );
}
