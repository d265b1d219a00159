//! The judging rules on small pairs: each test is one rule of docs/DIFF.md's "Judging rules".

use serde_json::{Value, json};

use super::judge::{Verdict, judge};
use super::registry::Registry;

fn registry() -> Registry {
    Registry::from_schemas(&[
        ("AWS::ECR::Repository", json!({"createOnlyProperties": ["/properties/RepositoryName"]})),
        (
            "AWS::EC2::Instance",
            json!({
                "createOnlyProperties": ["/properties/ImageId", "/properties/SubnetId"],
                "conditionalCreateOnlyProperties": ["/properties/UserData"]
            }),
        ),
        ("AWS::EC2::EIPAssociation", json!({"createOnlyProperties": ["/properties/InstanceId"]})),
        ("AWS::Logs::LogGroup", json!({"createOnlyProperties": ["/properties/LogGroupName"]})),
        ("AWS::SNS::Topic", json!({"createOnlyProperties": ["/properties/FifoTopic"]})),
        ("AWS::CloudFormation::CustomResource", json!({"createOnlyProperties": ["/properties/ServiceToken"]})),
        ("AWS::ECS::TaskDefinition", json!({"createOnlyProperties": ["/properties/ContainerDefinitions"]})),
    ])
}

#[allow(clippy::needless_pass_by_value)] // called with `json!` temporaries
fn template(resources: Value) -> Value {
    json!({
        "Parameters": {"Env": {"Type": "String", "Default": "prod"}, "Ami": {"Type": "String"}},
        "Mappings": {"Region": {"us-east-1": {"Ami": "ami-1"}, "eu-west-1": {"Ami": "ami-2"}}},
        "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
        "Resources": resources
    })
}

fn verdict(old: &Value, new: &Value, id: &str) -> Option<Verdict> {
    judge(old, new, &mut registry()).expect("judged")[id].verdict
}

#[allow(clippy::needless_pass_by_value)]
fn repo(name: Value) -> Value {
    json!({"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": name}})
}

#[test]
fn a_changed_literal_create_only_property_replaces() {
    let old = template(json!({"R": repo(json!("a"))}));
    let new = template(json!({"R": repo(json!("b"))}));
    assert_eq!(verdict(&old, &new, "R"), Some(Verdict::Replace));
}

#[test]
fn equal_spellings_are_no_change_and_scalars_compare_as_text() {
    let old = template(json!({"R": repo(json!({"Fn::Sub": "${AWS::StackName}-x"}))}));
    let new = template(json!({"R": repo(json!({"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "x"]]}))}));
    assert_eq!(verdict(&old, &new, "R"), Some(Verdict::NoChange));
    let old = template(json!({"T": {"Type": "AWS::SNS::Topic", "Properties": {"FifoTopic": true}}}));
    let new = template(json!({"T": {"Type": "AWS::SNS::Topic", "Properties": {"FifoTopic": "true"}}}));
    assert_eq!(verdict(&old, &new, "T"), Some(Verdict::NoChange));
}

#[test]
fn a_deploy_time_value_that_may_equal_the_old_one_may_replace() {
    let old = template(json!({"R": repo(json!("prod-x"))}));
    let new = template(json!({"R": repo(json!({"Fn::Sub": "${Env}-x"}))}));
    assert_eq!(verdict(&old, &new, "R"), Some(Verdict::MayReplace));
    // Whatever `Env` is, `-y` never ends like `-x`: certain.
    let new = template(json!({"R": repo(json!({"Fn::Sub": "${Env}-y"}))}));
    assert_eq!(verdict(&old, &new, "R"), Some(Verdict::Replace));
    // The same unknown on both sides, different literal around it: certain.
    let old = template(json!({"R": repo(json!({"Fn::Sub": "${AWS::StackName}-a-${Env}"}))}));
    let new = template(json!({"R": repo(json!({"Fn::Sub": "${AWS::StackName}-b-${Env}"}))}));
    assert_eq!(verdict(&old, &new, "R"), Some(Verdict::Replace));
}

#[test]
fn a_changed_parameter_default_may_replace_and_otherwise_updates() {
    let old = template(
        json!({"R": repo(json!({"Ref": "Env"})), "L": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": {"Ref": "Env"}}}}),
    );
    let mut new = old.clone();
    new["Parameters"]["Env"]["Default"] = json!("dev");
    assert_eq!(verdict(&old, &new, "R"), Some(Verdict::MayReplace));
    assert_eq!(verdict(&old, &new, "L"), Some(Verdict::Update));
}

#[test]
fn conditional_create_only_is_may_replace_and_updatable_is_update() {
    let instance = |user_data: &str, tag: &str| json!({"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "ami-1", "UserData": user_data, "Tags": [{"Key": "k", "Value": tag}]}});
    let old = template(json!({"I": instance("a", "t")}));
    assert_eq!(verdict(&old, &template(json!({"I": instance("b", "t")})), "I"), Some(Verdict::MayReplace));
    assert_eq!(verdict(&old, &template(json!({"I": instance("a", "u")})), "I"), Some(Verdict::Update));
}

#[test]
fn a_mapping_entry_changed_for_every_key_replaces() {
    let instance = json!({"I": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": {"Fn::FindInMap": ["Region", {"Ref": "AWS::Region"}, "Ami"]}}}});
    let old = template(instance.clone());
    let mut new = template(instance);
    new["Mappings"]["Region"]["us-east-1"]["Ami"] = json!("ami-3");
    assert_eq!(verdict(&old, &new, "I"), Some(Verdict::MayReplace), "one region changed: depends on the region");
    new["Mappings"]["Region"]["eu-west-1"]["Ami"] = json!("ami-4");
    assert_eq!(verdict(&old, &new, "I"), Some(Verdict::Replace), "every region changed");
}

#[test]
fn a_replacement_reaches_create_only_referrers_as_replace_and_others_as_update() {
    let resources = |image: &str| {
        json!({
            "I": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": image}},
            "A": {"Type": "AWS::EC2::EIPAssociation", "Properties": {"InstanceId": {"Ref": "I"}}},
            "L": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 7, "Tags": [{"Key": "i", "Value": {"Fn::GetAtt": ["I", "PrivateIp"]}}]}},
            "N": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": {"Fn::Sub": "/x/${I}"}}}
        })
    };
    let (old, new) = (template(resources("ami-1")), template(resources("ami-2")));
    let judged = judge(&old, &new, &mut registry()).expect("judged");
    assert_eq!(judged["I"].verdict, Some(Verdict::Replace));
    assert_eq!(judged["A"].verdict, Some(Verdict::Replace));
    assert_eq!(judged["L"].verdict, Some(Verdict::Update));
    assert_eq!(judged["N"].verdict, Some(Verdict::Replace));
}

#[test]
fn a_possible_replacement_reaches_referrers_as_possible() {
    let resources = |user_data: &str| {
        json!({
            "I": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "ami-1", "UserData": user_data}},
            "A": {"Type": "AWS::EC2::EIPAssociation", "Properties": {"InstanceId": {"Ref": "I"}}}
        })
    };
    let judged = judge(&template(resources("a")), &template(resources("b")), &mut registry()).expect("judged");
    assert_eq!(judged["I"].verdict, Some(Verdict::MayReplace));
    assert_eq!(judged["A"].verdict, Some(Verdict::MayReplace));
}

#[test]
fn if_branches_compare_branch_by_branch_under_an_unchanged_condition() {
    let old = template(json!({"R": repo(json!({"Fn::If": ["IsProd", "a", "b"]}))}));
    let new = template(json!({"R": repo(json!({"Fn::If": ["IsProd", "a", "c"]}))}));
    assert_eq!(verdict(&old, &new, "R"), Some(Verdict::MayReplace), "only the non-prod branch changed");
    let new = template(json!({"R": repo(json!({"Fn::If": ["IsProd", "x", "y"]}))}));
    assert_eq!(verdict(&old, &new, "R"), Some(Verdict::Replace), "both branches changed");
}

#[test]
fn type_changes_replace_removals_destroy_or_orphan_and_additions_create() {
    let old = template(json!({
        "T": {"Type": "AWS::SNS::Topic"},
        "D": {"Type": "AWS::SNS::Topic"},
        "K": {"Type": "AWS::SNS::Topic", "DeletionPolicy": "Retain"}
    }));
    let new = template(json!({"T": {"Type": "AWS::Logs::LogGroup"}, "C": {"Type": "AWS::SNS::Topic"}}));
    let judged = judge(&old, &new, &mut registry()).expect("judged");
    assert_eq!(judged["T"].verdict, Some(Verdict::Replace));
    assert_eq!(judged["D"].verdict, Some(Verdict::Destroy));
    assert_eq!(judged["K"].verdict, Some(Verdict::Orphan));
    assert_eq!(judged["C"].verdict, Some(Verdict::Create));
}

#[test]
fn undecidable_cases_are_said_so() {
    // A type the registry does not have, and a resource whose Condition changes.
    let old = template(
        json!({"S": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "a"}}, "T": {"Type": "AWS::SNS::Topic"}}),
    );
    let new = template(
        json!({"S": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "b"}}, "T": {"Type": "AWS::SNS::Topic", "Condition": "IsProd"}}),
    );
    let judged = judge(&old, &new, &mut registry()).expect("judged");
    assert_eq!(judged["S"].verdict, None);
    assert_eq!(judged["T"].verdict, None);
}

#[test]
fn custom_resources_are_judged_by_the_custom_resource_schema() {
    let custom = |token: &str, size: u32| json!({"C": {"Type": "Custom::Thing", "Properties": {"ServiceToken": token, "Size": size}}});
    let old = template(custom("arn:a", 1));
    assert_eq!(verdict(&old, &template(custom("arn:a", 2)), "C"), Some(Verdict::Update));
    assert_eq!(verdict(&old, &template(custom("arn:b", 1)), "C"), Some(Verdict::Replace));
    assert_eq!(verdict(&old, &template(custom("arn:a", 1)), "C"), Some(Verdict::NoChange));
}

#[test]
fn classes_compare_each_tool_with_the_judge() {
    use super::judge::Judgement;
    use super::report::{Class, classify};
    let judge = |v: Option<Verdict>| Judgement { verdict: v, reason: String::new() };
    assert_eq!(classify(&Some(Ok(Verdict::Update)), &judge(Some(Verdict::Update))), Class::Right);
    assert_eq!(classify(&Some(Ok(Verdict::MayReplace)), &judge(Some(Verdict::Update))), Class::FalseAlarm);
    assert_eq!(classify(&Some(Ok(Verdict::MayReplace)), &judge(Some(Verdict::Replace))), Class::Hedged);
    assert_eq!(classify(&Some(Ok(Verdict::Update)), &judge(Some(Verdict::Replace))), Class::Missed);
    assert_eq!(classify(&Some(Ok(Verdict::Replace)), &judge(Some(Verdict::MayReplace))), Class::FalseAlarm);
    assert_eq!(classify(&None, &judge(Some(Verdict::Update))), Class::Refused);
    assert_eq!(classify(&Some(Err("revisit".into())), &judge(Some(Verdict::Update))), Class::Refused);
    assert_eq!(classify(&Some(Ok(Verdict::Update)), &judge(None)), Class::Undecided);
}

#[test]
fn a_mapping_key_that_may_change_compares_every_row_with_every_row() {
    let topic = json!({"T": {"Type": "AWS::SNS::Topic", "Properties": {"FifoTopic": {"Fn::FindInMap": ["Fifo", {"Ref": "Env"}, "On"]}}}});
    let mut old = template(topic.clone());
    old["Mappings"]["Fifo"] = json!({"prod": {"On": "true"}, "dev": {"On": "false"}});
    let mut new = template(topic);
    new["Mappings"]["Fifo"] = old["Mappings"]["Fifo"].clone();
    assert_eq!(verdict(&old, &new, "T"), Some(Verdict::NoChange), "same key, same rows");
    new["Parameters"]["Env"]["Default"] = json!("dev");
    assert_eq!(verdict(&old, &new, "T"), Some(Verdict::MayReplace), "the key's default changed: another row may apply");
}

#[test]
fn a_replaced_resource_changes_its_identifiers_and_perhaps_its_other_attributes() {
    let resources = |image: &str| {
        json!({
            "I": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": image}},
            "N": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": {"Fn::GetAtt": ["I", "AvailabilityZone"]}}},
            "A": {"Type": "AWS::EC2::EIPAssociation", "Properties": {"InstanceId": {"Fn::GetAtt": ["I", "InstanceId"]}}}
        })
    };
    let judged = judge(&template(resources("ami-1")), &template(resources("ami-2")), &mut registry()).expect("judged");
    assert_eq!(judged["N"].verdict, Some(Verdict::MayReplace));
    assert_eq!(judged["A"].verdict, Some(Verdict::Replace));
}

#[test]
fn attribute_changes_update_and_depends_on_alone_is_undecided() {
    let topic = |extra: Value| {
        let mut t = json!({"Type": "AWS::SNS::Topic"});
        t.as_object_mut().expect("object").extend(extra.as_object().expect("object").clone());
        json!({"T": t, "U": {"Type": "AWS::SNS::Topic"}})
    };
    let old = template(topic(json!({})));
    assert_eq!(verdict(&old, &template(topic(json!({"Metadata": {"a": 1}}))), "T"), Some(Verdict::Update));
    assert_eq!(verdict(&old, &template(topic(json!({"DeletionPolicy": "Retain"}))), "T"), Some(Verdict::Update));
    assert_eq!(verdict(&old, &template(topic(json!({"DependsOn": "U"}))), "T"), None, "not documented: undecided");
}

#[test]
fn setting_a_create_only_property_that_was_not_set_replaces() {
    let old = template(json!({"R": {"Type": "AWS::ECR::Repository"}}));
    assert_eq!(verdict(&old, &template(json!({"R": repo(json!({"Ref": "Env"}))})), "R"), Some(Verdict::Replace));
    let maybe_unset = json!({"Fn::If": ["IsProd", "a", {"Ref": "AWS::NoValue"}]});
    assert_eq!(verdict(&old, &template(json!({"R": repo(maybe_unset)})), "R"), Some(Verdict::MayReplace));
}

#[test]
fn a_parameter_type_change_between_string_and_number_keeps_its_value() {
    let old = template(json!({"R": repo(json!({"Ref": "Env"}))}));
    let mut new = old.clone();
    new["Parameters"]["Env"]["Type"] = json!("Number");
    assert_eq!(verdict(&old, &new, "R"), Some(Verdict::NoChange));
    new["Parameters"]["Env"]["Type"] = json!("AWS::SSM::Parameter::Value<String>");
    assert_eq!(verdict(&old, &new, "R"), Some(Verdict::MayReplace), "now read from SSM");
}

#[test]
fn a_mapping_read_with_a_new_second_key_compares_region_by_region() {
    let instance = |second: &str| json!({"I": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": {"Fn::FindInMap": ["Region", {"Ref": "AWS::Region"}, second]}}}});
    let mut old = template(instance("Ami"));
    old["Mappings"]["Region"] =
        json!({"us-east-1": {"Ami": "ami-1", "New": "ami-3"}, "eu-west-1": {"Ami": "ami-2", "New": "ami-1"}});
    let mut new = template(instance("New"));
    new["Mappings"] = old["Mappings"].clone();
    assert_eq!(
        verdict(&old, &new, "I"),
        Some(Verdict::Replace),
        "every region reads another image, whatever other regions hold"
    );
}

#[test]
fn an_updated_nested_stack_may_change_its_outputs() {
    let resources = |url: &str| {
        json!({
            "S": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": url}},
            "L": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": {"Fn::GetAtt": ["S", "Outputs.Days"]}}},
            "R": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": {"Ref": "S"}}}
        })
    };
    let mut registry = registry();
    let judged =
        judge(&template(resources("https://a")), &template(resources("https://b")), &mut registry).expect("judged");
    assert_eq!(judged["S"].verdict, None, "the test registry has no Stack schema");
    let mut registry = Registry::from_schemas(&[
        ("AWS::CloudFormation::Stack", json!({})),
        ("AWS::Logs::LogGroup", json!({"createOnlyProperties": ["/properties/LogGroupName"]})),
    ]);
    let judged =
        judge(&template(resources("https://a")), &template(resources("https://b")), &mut registry).expect("judged");
    assert_eq!(judged["S"].verdict, Some(Verdict::Update));
    assert_eq!(judged["L"].verdict, None, "an output may change: the nested template decides");
    assert_eq!(judged["R"].verdict, Some(Verdict::NoChange), "the stack's ID stays");
}

#[test]
fn what_depends_on_an_undecided_resource_is_undecided_only_where_it_matters() {
    let resources = |handler: &str| {
        json!({
            "F": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": handler}},
            "N": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": {"Fn::Sub": "/aws/lambda/${F}"}}},
            "T": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": {"Fn::Sub": "/aws/lambda/${F}"}, "RetentionInDays": 7}}
        })
    };
    let old = template(resources("a"));
    let mut new = template(resources("b"));
    new["Resources"]["T"]["Properties"]["LogGroupName"] = json!("fixed");
    let judged = judge(&old, &new, &mut registry()).expect("judged");
    assert_eq!(judged["F"].verdict, None);
    assert_eq!(judged["N"].verdict, None, "replaced if F is");
    assert_eq!(judged["T"].verdict, Some(Verdict::Replace), "its own name changed, whatever F does");
}
