use serde_json::json;

use crate::validate_source;

fn rules(template: &serde_json::Value) -> Vec<(&'static str, String, Option<String>)> {
    validate_source(&template.to_string()).findings.into_iter().map(|f| (f.rule, f.pointer, f.logical_id)).collect()
}

fn buckets(acl: &str) -> serde_json::Value {
    json!({
        "Transform": "AWS::LanguageExtensions",
        "Resources": {"Fn::ForEach::Buckets": ["Name", ["A", "B"], {
            "Bucket${Name}": {"Type": "AWS::S3::Bucket", "Properties": {"AccessControl": acl}}
        }]},
        "Outputs": {"Fn::ForEach::Arns": ["Name", ["A", "B"], {
            "Arn${Name}": {"Value": {"Fn::GetAtt": [{"Fn::Sub": "Bucket${Name}"}, "Arn"]}}
        }]}
    })
}

#[test]
fn loops_expand_and_the_expansion_is_checked_where_it_is_written() {
    assert_eq!(rules(&buckets("Private")), []);
    let found = rules(&buckets("Nope"));
    let at = "/Resources/Fn::ForEach::Buckets/2/Bucket${Name}/Properties/AccessControl".to_owned();
    assert_eq!(
        found,
        [("schema/enum", at.clone(), Some("BucketA".into())), ("schema/enum", at, Some("BucketB".into()))]
    );
}

#[test]
fn names_the_expansion_makes_are_resolved_and_wrong_ones_reported() {
    let mut template = buckets("Private");
    template["Outputs"]["Fn::ForEach::Arns"][2] =
        json!({"Arn${Name}": {"Value": {"Fn::GetAtt": ["Bucket${Name}X", "Arn"]}}});
    let found = rules(&template);
    assert!(found.iter().all(|(rule, ..)| *rule == "getatt/unknown-resource"), "{found:?}");
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].1, "/Outputs/Fn::ForEach::Arns/2/Arn${Name}/Value");
}

#[test]
fn conditions_refs_of_subs_and_nested_loops() {
    let template = json!({
        "Transform": ["AWS::LanguageExtensions"],
        "Parameters": {"ParamA": {"Type": "String"}, "ParamB": {"Type": "String"}},
        "Conditions": {"Fn::ForEach::Check": ["Id", ["A", "B"], {
            "Is${Id}": {"Fn::Equals": [{"Ref": {"Fn::Sub": "Param${Id}"}}, "true"]}
        }]},
        "Resources": {"Fn::ForEach::Outer": ["X", ["a-1", "b"], {"Fn::ForEach::Inner": ["Y", ["1", "2"], {
            "Topic&{X}${Y}": {"Type": "AWS::SNS::Topic", "Condition": "IsA",
                "Properties": {"TopicName": {"Fn::Sub": "${X}-${Y}"}, "DisplayName": {"Fn::ToJsonString": {"n": {"Fn::Length": [1, 2]}}}}}
        }]}]}
    });
    assert_eq!(rules(&template), []);
}

#[test]
fn an_unknown_collection_is_not_expanded_and_its_names_not_judged() {
    let template = json!({
        "Transform": "AWS::LanguageExtensions",
        "Parameters": {"Names": {"Type": "CommaDelimitedList"}},
        "Resources": {
            "Fn::ForEach::Topics": ["N", {"Ref": "Names"}, {"Topic${N}": {"Type": "AWS::SNS::Topic"}}],
            "Other": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::GetAtt": ["TopicX", "TopicName"]}}}
        }
    });
    let report = validate_source(&template.to_string());
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!(report.unchecked.len(), 1);
    assert_eq!(report.unchecked[0].type_name, "Fn::ForEach::Topics");
}

#[test]
fn a_mapping_collection_with_one_candidate_key_is_known() {
    let template = json!({
        "Transform": "AWS::LanguageExtensions",
        "Parameters": {"Env": {"Type": "String"}},
        "Mappings": {"M": {"Prod": {"Ids": ["A", "B"]}}},
        "Resources": {"Fn::ForEach::Topics": ["N", {"Fn::FindInMap": ["M", {"Ref": "Env"}, "Ids"]}, {
            "Topic${N}": {"Type": "AWS::SNS::Topic"}}]},
        "Outputs": {"Out": {"Value": {"Ref": "TopicC"}}}
    });
    assert_eq!(rules(&template), [("ref/unknown-target", "/Outputs/Out/Value".into(), Some("Out".into()))]);
}

#[test]
fn malformed_loops_and_duplicate_keys_are_errors() {
    let template = json!({
        "Transform": "AWS::LanguageExtensions",
        "Parameters": {"Fn::ForEach::P": ["N", ["A"], {}]},
        "Resources": {
            "Fn::ForEach::Bad": ["N", ["A"]],
            "Fn::ForEach::Same": ["N", ["A", "B"], {"Topic": {"Type": "AWS::SNS::Topic"}}]
        }
    });
    let found: Vec<_> = rules(&template).into_iter().map(|(rule, at, _)| (rule, at)).collect();
    assert!(found.contains(&("language/for-each", "/Parameters/Fn::ForEach::P".into())), "{found:?}");
    assert!(found.contains(&("language/for-each", "/Resources/Fn::ForEach::Bad".into())), "{found:?}");
    assert!(found.contains(&("language/for-each", "/Resources/Fn::ForEach::Same/2".into())), "{found:?}");
}

#[test]
fn without_the_transform_its_functions_are_errors() {
    let template = json!({"Resources": {
        "Fn::ForEach::T": ["N", ["A"], {"T${N}": {"Type": "AWS::SNS::Topic"}}],
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::ToJsonString": {"a": 1}}}}
    }});
    let found: Vec<_> = rules(&template).into_iter().map(|(rule, at, _)| (rule, at)).collect();
    assert_eq!(
        found,
        [
            ("language/transform-required", "/Resources/Fn::ForEach::T".into()),
            ("language/transform-required", "/Resources/Topic/Properties/DisplayName".into()),
        ]
    );
    let length = json!({"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Length": [1]}}}}});
    let found: Vec<_> = rules(&length).into_iter().map(|(rule, ..)| rule).collect();
    assert_eq!(found, ["language/transform-required"]);
}

#[test]
fn an_expansion_past_the_bound_stops_with_an_error() {
    let items: Vec<String> = (0..30).map(|i| i.to_string()).collect();
    let template = json!({
        "Transform": "AWS::LanguageExtensions",
        "Resources": {"Fn::ForEach::A": ["X", items, {"Fn::ForEach::B": ["Y", items, {"Fn::ForEach::C": ["Z", items, {
            "T${X}x${Y}x${Z}": {"Type": "AWS::SNS::Topic"}}]}]}]}
    });
    let found: Vec<_> = rules(&template).into_iter().map(|(rule, ..)| rule).collect();
    assert!(found.contains(&"language/for-each"), "{found:?}");
}

#[test]
fn find_in_map_defaults_are_resolved() {
    let cluster = |top: &str| json!({"Type": "AWS::ECS::Cluster", "Properties": {"ClusterName": {"Fn::FindInMap": ["M", top, "K", {"DefaultValue": "d"}]}}});
    let template = json!({
        "Transform": "AWS::LanguageExtensions",
        "Parameters": {"P": {"Type": "String"}},
        "Mappings": {"M": {"A": {"K": "v"}}},
        "Resources": {"Found": cluster("A"), "Missing": cluster("B"),
            "Computed": {"Type": "AWS::ECS::Cluster", "Properties": {"ClusterName": {"Fn::FindInMap": ["M", {"Ref": "P"}, "K", {"DefaultValue": "d"}]}}}}
    });
    assert_eq!(rules(&template), []);
}

#[test]
fn to_json_string_of_an_object_of_many_keys_stays_a_call() {
    // CloudFormation writes the keys in the order of the template, which parsing loses.
    let template = json!({
        "Transform": "AWS::LanguageExtensions",
        "Mappings": {"M": {"Top": {"{\"To\":\"Json\",\"String\":\"F\"}": "v", "[1]": "w"}}},
        "Resources": {
            "A": {"Type": "AWS::ECS::Cluster", "Properties": {"ClusterName": {"Fn::FindInMap": ["M", "Top", {"Fn::ToJsonString": {"To": "Json", "String": "F"}}]}}},
            "B": {"Type": "AWS::ECS::Cluster", "Properties": {"ClusterName": {"Fn::FindInMap": ["M", "Top", {"Fn::ToJsonString": [1]}]}}}
        }
    });
    assert_eq!(rules(&template), []);
}
