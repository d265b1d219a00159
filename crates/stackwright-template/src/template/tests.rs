use serde_json::json;

use super::*;
use crate::{Pseudo, fns};

fn id(s: &'static str) -> LogicalId {
    LogicalId::from_static(s)
}

#[test]
fn duplicate_logical_id_names_both_owners() {
    let mut t = Template::new();
    let r = Resource::raw("AWS::SNS::Topic", BTreeMap::new());
    t.add_resource(id("Topic"), r.clone(), ResourceOptions::new().owner("App/Alarms/Topic")).unwrap();
    let err = t.add_resource(id("Topic"), r, ResourceOptions::new().owner("App/Pipeline/Topic")).unwrap_err();
    assert_eq!(t.owner_of("Resources", &id("Topic")), Some("App/Alarms/Topic"));
    assert_eq!(t.owner_of("Outputs", &id("Topic")), None);
    assert_eq!(
        err.to_string(),
        "duplicate logical ID \"Topic\" in Resources: defined by App/Alarms/Topic and again by App/Pipeline/Topic"
    );
}

#[test]
fn parameters_and_resources_share_one_namespace() {
    let mut t = Template::new();
    t.add_parameter(id("Name"), Parameter::string()).unwrap();
    let err = t.add_resource(id("Name"), Resource::raw("AWS::SNS::Topic", BTreeMap::new()), ResourceOptions::new());
    assert!(matches!(err, Err(Error::DuplicateLogicalId { section: "Resources", .. })));
    // Outputs have their own namespace.
    t.add_output(id("Name"), Output::new::<String>(fns::pseudo(Pseudo::StackName))).unwrap();
}

fn sample() -> Template {
    let mut t = Template::new().with_description("sample");
    let env =
        t.add_parameter(id("Env"), Parameter::string().allowed_values(["dev", "prod"]).default_value("dev")).unwrap();
    let count = t.add_parameter(id("Count"), Parameter::integer().range(1.0, 10.0)).unwrap();
    let prod = t.add_condition(id("IsProd"), fns::equals::<String>(env.value(), "prod")).unwrap();
    let mut props = BTreeMap::new();
    props.insert("DisplayName".to_owned(), json!({"Fn::Sub": "${AWS::StackName}-alerts"}));
    props.insert("Count".to_owned(), count.value().to_json());
    t.add_resource(
        id("Topic"),
        Resource::raw("AWS::SNS::Topic", props),
        ResourceOptions::new()
            .condition(&prod)
            .removal_policy(RemovalPolicy::Retain)
            .checkov_skip("CKV_AWS_26", "test"),
    )
    .unwrap();
    t.add_output(
        id("TopicArn"),
        Output::new::<String>(Intrinsic::reference("Topic"))
            .export(fns::sub("${AWS::StackName}-topic"))
            .condition(&prod),
    )
    .unwrap();
    t
}

#[test]
fn renders_sections_in_conventional_order() {
    insta::assert_snapshot!(sample().render(), @r#"
    {
      "AWSTemplateFormatVersion": "2010-09-09",
      "Description": "sample",
      "Parameters": {
        "Count": {
          "Type": "Number",
          "MinValue": 1,
          "MaxValue": 10
        },
        "Env": {
          "Type": "String",
          "Default": "dev",
          "AllowedValues": [
            "dev",
            "prod"
          ]
        }
      },
      "Conditions": {
        "IsProd": {
          "Fn::Equals": [
            {
              "Ref": "Env"
            },
            "prod"
          ]
        }
      },
      "Resources": {
        "Topic": {
          "Type": "AWS::SNS::Topic",
          "Condition": "IsProd",
          "Properties": {
            "Count": {
              "Ref": "Count"
            },
            "DisplayName": {
              "Fn::Sub": "${AWS::StackName}-alerts"
            }
          },
          "DeletionPolicy": "Retain",
          "UpdateReplacePolicy": "Retain",
          "Metadata": {
            "checkov": {
              "skip": [
                {
                  "comment": "test",
                  "id": "CKV_AWS_26"
                }
              ]
            }
          }
        }
      },
      "Outputs": {
        "TopicArn": {
          "Condition": "IsProd",
          "Value": {
            "Ref": "Topic"
          },
          "Export": {
            "Name": {
              "Fn::Sub": "${AWS::StackName}-topic"
            }
          }
        }
      }
    }
    "#);
}

#[test]
fn render_parse_render_is_identical() {
    let first = sample().render();
    let parsed = Template::from_json_str(&first).unwrap();
    assert_eq!(parsed, sample());
    assert_eq!(parsed.render(), first);
}

#[test]
fn insertion_order_does_not_change_the_bytes() {
    let build = |ids: &[&'static str]| {
        let mut t = Template::new();
        for name in ids {
            t.add_resource(id(name), Resource::raw("AWS::SNS::Topic", BTreeMap::new()), ResourceOptions::new())
                .unwrap();
        }
        t.render()
    };
    assert_eq!(build(&["A", "B", "C"]), build(&["C", "A", "B"]));
}

#[test]
fn parse_errors_point_at_the_broken_value() {
    let cases = [
        ("[]", "template: expected an object, found a list"),
        ("{}", "template: a template needs a Resources section"),
        (
            r#"{"Resources": {"bad-id": {"Type": "X"}}}"#,
            "/Resources/bad-id: invalid logical ID \"bad-id\": only ASCII letters and digits are allowed",
        ),
        (r#"{"Resources": {"A": {}}}"#, "/Resources/A: a resource needs a Type"),
        (r#"{"Resources": {"A": {"Type": 3}}}"#, "/Resources/A/Type: expected a string, found a number"),
        (
            r#"{"Resources": {"A": {"Type": "X", "DependsOn": [1]}}}"#,
            "/Resources/A/DependsOn/0: expected a string, found a number",
        ),
        (
            r#"{"Resources": {"A": {"Type": "X", "DeletionPolicy": "Keep"}}}"#,
            "/Resources/A/DeletionPolicy: expected Delete, Retain, RetainExceptOnCreate or Snapshot, found \"Keep\"",
        ),
        (
            r#"{"Resources": {"A": {"Type": "X", "DeletionPolicy": "RetainExceptOnDelete"}}}"#,
            "/Resources/A/DeletionPolicy: expected Delete, Retain, RetainExceptOnCreate or Snapshot, \
             found \"RetainExceptOnDelete\"",
        ),
        (
            r#"{"Resources": {"A": {"Type": "X", "UpdateReplacePolicy": "RetainExceptOnCreate"}}}"#,
            "/Resources/A/UpdateReplacePolicy: expected Delete, Retain or Snapshot, found \"RetainExceptOnCreate\" \
             (RetainExceptOnCreate is a DeletionPolicy value only)",
        ),
        (
            r#"{"Resources": {"A": {"Type": "X", "UpdateReplacePolicy": ["Retain"]}}}"#,
            "/Resources/A/UpdateReplacePolicy: expected Delete, Retain or Snapshot \
             (or a function that computes it), found a list",
        ),
        (
            r#"{"Resources": {}, "Parameters": {"P": {"Type": "String", "MinLength": "x"}}}"#,
            "/Parameters/P/MinLength: expected a number, found \"x\"",
        ),
        (r#"{"Resources": {}, "Outputs": {"O": {}}}"#, "/Outputs/O: an output needs a Value"),
        ("{\"Resources\": ", "template: not valid JSON: EOF while parsing a value at line 1 column 14"),
    ];
    for (text, expected) in cases {
        let err = Template::from_json_str(text).unwrap_err();
        assert_eq!(err.to_string(), expected, "{text}");
    }
}

#[test]
fn every_deletion_policy_cloudformation_takes_parses_and_renders_back() {
    for policy in DeletionPolicy::ALL {
        let text = format!(r#"{{"Resources": {{"A": {{"Type": "X", "DeletionPolicy": "{policy}"}}}}}}"#);
        let t = Template::from_json_str(&text).unwrap();
        assert_eq!(t.resources()[&id("A")].deletion_policy, Some(PolicyValue::Literal(policy)));
        assert!(t.render().contains(&format!("\"DeletionPolicy\": \"{policy}\"")));
    }
    for policy in UpdateReplacePolicy::ALL {
        let text = format!(r#"{{"Resources": {{"A": {{"Type": "X", "UpdateReplacePolicy": "{policy}"}}}}}}"#);
        let t = Template::from_json_str(&text).unwrap();
        assert_eq!(t.resources()[&id("A")].update_replace_policy, Some(PolicyValue::Literal(policy)));
    }
}

#[test]
fn computed_policies_are_kept_as_written() {
    // CloudFormation resolves them at deploy time (with or without AWS::LanguageExtensions).
    let text = r#"{"Resources": {"A": {"Type": "X",
        "DeletionPolicy": {"Fn::If": ["IsProd", "Retain", "Delete"]},
        "UpdateReplacePolicy": {"Fn::FindInMap": ["Policies", {"Ref": "Stage"}, "Replace"]}}}}"#;
    let t = Template::from_json_str(text).unwrap();
    let a = &t.resources()[&id("A")];
    assert_eq!(a.deletion_policy, Some(PolicyValue::Computed(json!({"Fn::If": ["IsProd", "Retain", "Delete"]}))));
    assert_eq!(a.update_replace_policy.as_ref().and_then(PolicyValue::literal), None);
    let again = Template::from_json_str(&t.render()).unwrap();
    assert_eq!(again, t);
    assert!(t.render().contains("\"DeletionPolicy\": {\n        \"Fn::If\": ["));
}

#[test]
fn removal_policy_retain_except_on_create_keeps_replaced_resources() {
    let mut t = Template::new();
    let options = ResourceOptions::new().removal_policy(RemovalPolicy::RetainExceptOnCreate);
    t.add_resource(id("Logs"), Resource::raw("AWS::Logs::LogGroup", BTreeMap::new()), options).unwrap();
    let logs = &t.resources()[&id("Logs")];
    assert_eq!(logs.deletion_policy, Some(DeletionPolicy::RetainExceptOnCreate.into()));
    assert_eq!(logs.update_replace_policy, Some(UpdateReplacePolicy::Retain.into()));
    let rendered = t.render();
    assert!(rendered.contains("\"DeletionPolicy\": \"RetainExceptOnCreate\""));
    assert!(rendered.contains("\"UpdateReplacePolicy\": \"Retain\""));
    let alone = ResourceOptions::new()
        .deletion_policy(DeletionPolicy::Snapshot)
        .update_replace_policy(UpdateReplacePolicy::Delete);
    t.add_resource(id("Db"), Resource::raw("AWS::RDS::DBInstance", BTreeMap::new()), alone).unwrap();
    let db = &t.resources()[&id("Db")];
    assert_eq!(
        (
            db.deletion_policy.as_ref().and_then(PolicyValue::literal),
            db.update_replace_policy.as_ref().and_then(PolicyValue::literal)
        ),
        (Some(DeletionPolicy::Snapshot), Some(UpdateReplacePolicy::Delete))
    );
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(Template::from_json_str(&text).is_err());
}

#[test]
fn depends_on_string_form_parses_and_renders_as_a_list() {
    let t = Template::from_json_str(r#"{"Resources": {"A": {"Type": "X"}, "B": {"Type": "X", "DependsOn": "A"}}}"#)
        .unwrap();
    assert!(t.render().contains("\"DependsOn\": [\n        \"A\"\n      ]"));
}

#[test]
fn escape_hatch_sets_and_removes_nested_properties() {
    let mut r = Resource::raw("AWS::ECS::Service", BTreeMap::new());
    r.set_property("DeploymentConfiguration/DeploymentCircuitBreaker/Enable", json!(true)).unwrap();
    r.set_property("DeploymentConfiguration/MaximumPercent", json!(200)).unwrap();
    r.set_property("DeploymentConfiguration/MaximumPercent", Json::Null).unwrap();
    assert_eq!(r.properties["DeploymentConfiguration"], json!({"DeploymentCircuitBreaker": {"Enable": true}}));
}

#[test]
fn escape_hatch_refuses_to_overwrite_what_is_not_an_object() {
    let mut r = Resource::raw("AWS::ECS::Service", BTreeMap::new());
    r.set_property("Tags", json!([{"Key": "a", "Value": "b"}])).unwrap();
    r.set_property("DesiredCount", json!({"Fn::If": ["C", 1, 2]})).unwrap();
    let err = r.set_property("Tags/0/Value", json!("c")).unwrap_err();
    assert_eq!(err.to_string(), "cannot set property \"Tags/0/Value\": Tags is a list, not an object");
    let err = r.set_property("DesiredCount/Fn::If", json!(1)).unwrap_err();
    assert!(err.to_string().contains("DesiredCount is an intrinsic function"), "{err}");
    assert_eq!(r.properties["Tags"], json!([{"Key": "a", "Value": "b"}]));
    assert!(r.set_property("", json!(1)).is_err());
}

#[test]
fn lenient_parsing_takes_condition_names_cloudformation_deploys() {
    // The AWS VPC quick start's condition names: not logical IDs, deployed all the same.
    let text = r#"{"Conditions": {"A&B": {"Fn::Equals": ["a", "a"]}, "Use-Cmk": {"Condition": "A&B"}},
        "Resources": {"T": {"Type": "AWS::SNS::Topic", "Condition": "Use-Cmk"}},
        "Outputs": {"O": {"Value": "x", "Condition": "A&B"}}}"#;
    let json: serde_json::Value = serde_json::from_str(text).unwrap();
    let strict = Template::from_json(&json).unwrap_err();
    assert!(strict.to_string().contains("A&B"), "{strict}");
    let lenient = Template::from_json_lenient(&json).unwrap();
    assert_eq!(lenient.to_json(), Template::from_json_lenient(&lenient.to_json()).unwrap().to_json());
    assert_eq!(lenient.to_json()["Resources"]["T"]["Condition"], "Use-Cmk");
    assert_eq!(lenient.to_json()["Conditions"]["A&B"], serde_json::json!({"Fn::Equals": ["a", "a"]}));
    // Only condition names are lenient; an empty one is refused still.
    let empty: serde_json::Value = serde_json::from_str(r#"{"Conditions": {"": true}, "Resources": {}}"#).unwrap();
    assert!(Template::from_json_lenient(&empty).is_err());
    let bad_resource: serde_json::Value =
        serde_json::from_str(r#"{"Resources": {"A-B": {"Type": "AWS::SNS::Topic"}}}"#).unwrap();
    assert!(Template::from_json_lenient(&bad_resource).is_err());
}
