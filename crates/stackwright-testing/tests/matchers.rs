//! Every matcher, passing and failing, on plain values and through the assertions.

use serde_json::json;
use stackwright_testing::{Capture, Match, Template, pattern};

fn fixture() -> Template {
    Template::from_file(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/service.json"))
}

#[test]
fn object_like_is_a_subset_at_every_depth() {
    let value = json!({"a": 1, "b": {"c": 2, "d": 3}, "e": [{"f": 4, "g": 5}]});
    assert!(Match::object_like(json!({})).matches(&value));
    assert!(Match::object_like(json!({"b": {"c": 2}})).matches(&value));
    // Objects inside arrays are subsets too; the arrays themselves keep their length.
    assert!(Match::object_like(json!({"e": [{"g": 5}]})).matches(&value));
    assert!(!Match::object_like(json!({"e": []})).matches(&value));
    assert!(!Match::object_like(json!({"b": {"c": 3}})).matches(&value));
    assert!(!Match::object_like(json!({"z": 1})).matches(&value));
    assert!(!Match::object_like(json!({"a": 1})).matches(&json!([1])));
}

#[test]
fn exact_refuses_extra_keys_at_every_depth_but_keeps_matchers() {
    let value = json!({"a": 1, "b": {"c": 2, "d": 3}});
    assert!(Match::exact(value.clone()).matches(&value));
    assert!(!Match::exact(json!({"a": 1})).matches(&value));
    assert!(!Match::exact(json!({"a": 1, "b": {"c": 2}})).matches(&value));
    assert!(Match::exact(pattern!({"a": Match::any_value(), "b": {"c": 2, "d": Match::any_value()}})).matches(&value));
    // object_like inside exact makes that part a subset again.
    assert!(Match::exact(pattern!({"a": 1, "b": Match::object_like(json!({"d": 3}))})).matches(&value));
}

#[test]
fn plain_arrays_match_element_by_element() {
    assert!(Match::object_like(json!([1, 2])).matches(&json!([1, 2])));
    assert!(!Match::object_like(json!([2, 1])).matches(&json!([1, 2])));
    assert!(!Match::object_like(json!([1])).matches(&json!([1, 2])));
}

#[test]
fn array_with_finds_a_subsequence_in_order() {
    let value = json!(["a", {"x": 1, "y": 2}, "b", "c"]);
    assert!(Match::array_with(["a", "c"]).matches(&value));
    assert!(Match::array_with([json!({"y": 2}), json!("b")]).matches(&value));
    assert!(!Match::array_with(["c", "a"]).matches(&value), "order matters");
    assert!(!Match::array_with(["a", "a"]).matches(&value), "an element is used once");
    assert!(!Match::array_with(["z"]).matches(&value));
    assert!(Match::array_with(Vec::<&str>::new()).matches(&value));
    assert!(!Match::array_with(["a"]).matches(&json!("a")));
    // Inside exact, the elements are exact too.
    assert!(!Match::exact(Match::array_with([json!({"y": 2})])).matches(&value));
}

#[test]
fn any_value_wants_a_present_non_null_value() {
    assert!(Match::any_value().matches(&json!(0)));
    assert!(Match::any_value().matches(&json!({})));
    assert!(!Match::any_value().matches(&json!(null)));
    assert!(!Match::object_like(pattern!({"a": Match::any_value()})).matches(&json!({})));
}

#[test]
fn absent_wants_the_key_missing() {
    assert!(Match::object_like(pattern!({"a": Match::absent()})).matches(&json!({"b": 1})));
    assert!(!Match::object_like(pattern!({"a": Match::absent()})).matches(&json!({"a": null})));
    assert!(!Match::absent().matches(&json!(1)));
}

#[test]
fn string_like_regex_searches_strings() {
    let arn = Match::string_like_regex("^arn:aws:ecs:[a-z0-9-]+:");
    assert!(arn.matches(&json!("arn:aws:ecs:us-east-1:123456789012:cluster/web")));
    assert!(!arn.matches(&json!("arn:aws:s3:::bucket")));
    assert!(!arn.matches(&json!(1)));
    assert!(Match::string_like_regex("web").matches(&json!("a-web-b")), "not anchored");
    assert!(Match::string_like_regex("(?<!x)y").matches(&json!("ay")), "look-behind");
    let error = Match::try_string_like_regex("(").unwrap_err();
    assert!(!error.to_string().is_empty());
}

#[test]
#[should_panic(expected = "Match::string_like_regex(\"(\"): not a regular expression")]
fn an_invalid_regex_panics_with_its_pattern() {
    let _ = Match::string_like_regex("(");
}

#[test]
fn serialized_json_parses_the_string() {
    let value = json!("{\"retries\":3,\"endpoints\":[\"a\",\"b\"]}");
    assert!(Match::serialized_json(json!({"retries": 3})).matches(&value));
    assert!(Match::serialized_json(pattern!({"endpoints": Match::array_with(["b"])})).matches(&value));
    assert!(!Match::serialized_json(json!({"retries": 4})).matches(&value));
    assert!(!Match::serialized_json(json!({})).matches(&json!("not json")));
    assert!(!Match::serialized_json(json!({})).matches(&json!({"retries": 3})));
}

#[test]
fn not_inverts_a_pattern_missing_keys_included() {
    assert!(Match::not("FARGATE").matches(&json!("EC2")));
    assert!(!Match::not("FARGATE").matches(&json!("FARGATE")));
    assert!(Match::object_like(pattern!({"a": Match::not(1)})).matches(&json!({})));
}

#[test]
fn numbers_compare_by_value() {
    assert!(Match::exact(json!(1)).matches(&json!(1.0)));
    assert!(!Match::exact(json!(1)).matches(&json!("1")));
}

#[test]
fn a_capture_keeps_what_matched_in_every_matching_resource() {
    let template = fixture();
    let desired = Capture::new();
    template.has_resource_properties("AWS::ECS::Service", pattern!({"DesiredCount": &desired}));
    assert_eq!(desired.values(), [json!(2), json!(1)], "Service, then Worker: logical-ID order");
    assert_eq!(desired.value(), json!(2));

    let image = Capture::matching(Match::string_like_regex("^example/"));
    template.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        pattern!({"ContainerDefinitions": Match::array_with([pattern!({"Name": "sidecar", "Image": &image})])}),
    );
    assert_eq!(image.as_string(), "example/proxy:1.4");
}

#[test]
fn a_failed_assertion_captures_nothing() {
    let template = fixture();
    let desired = Capture::new();
    let result = template
        .try_has_resource_properties("AWS::ECS::Service", pattern!({"DesiredCount": &desired, "LaunchType": "EC2"}));
    assert!(result.is_err());
    assert_eq!(desired.first(), None);
    // Only the element array_with settles on is captured, not the ones it tried first.
    let name = Capture::new();
    template.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        pattern!({"ContainerDefinitions": Match::array_with([pattern!({"Name": &name, "Essential": false})])}),
    );
    assert_eq!(name.values(), [json!("sidecar")]);
}

#[test]
#[should_panic(expected = "capture(): nothing was captured")]
fn an_empty_capture_says_so() {
    let _ = Capture::new().value();
}

#[test]
fn find_resources_returns_the_matches_by_logical_id() {
    let template = fixture();
    let all = template.find_resources("AWS::ECS::Service", json!({}));
    assert_eq!(all.keys().collect::<Vec<_>>(), ["Service", "Worker"]);
    let rolling_back = template.find_resources(
        "AWS::ECS::Service",
        json!({"Properties": {"DeploymentConfiguration": {"DeploymentCircuitBreaker": {"Rollback": true}}}}),
    );
    assert_eq!(rolling_back.keys().collect::<Vec<_>>(), ["Service"]);
    assert_eq!(rolling_back["Service"]["DependsOn"], json!(["Listener"]));
    assert!(template.find_resources("AWS::S3::Bucket", json!({})).is_empty());
}

#[test]
fn resource_assertions_pass_on_what_is_there() {
    let template = fixture();
    template.resource_count_is("AWS::ECS::Service", 2);
    template.resource_count_is("AWS::S3::Bucket", 0);
    template.resource_properties_count_is("AWS::ECS::Service", json!({"LaunchType": "FARGATE"}), 2);
    template.has_resource("AWS::ECS::Service", json!({"DependsOn": ["Listener"]}));
    // A resource without Properties has `{}`: absent keys hold.
    template.has_resource_properties("AWS::ECS::Cluster", pattern!({"ClusterName": Match::absent()}));
}

#[test]
fn outputs_parameters_mappings_and_conditions() {
    let template = fixture();
    template.has_output("ServiceName", json!({"Export": {"Name": "web-service-name"}}));
    template.has_output("*", json!({"Description": "The cluster"}));
    template.has_parameter("ImageTag", pattern!({"Type": "String", "AllowedPattern": Match::any_value()}));
    template.has_mapping("Sizes", json!({"prod": {"Cpu": "1024"}}));
    template.has_condition("IsProd", pattern!({"Fn::Equals": [{"Ref": "Stage"}, "prod"]}));
    assert_eq!(template.find_outputs("*", json!({})).len(), 2);
    assert_eq!(template.find_parameters("*", pattern!({"Default": Match::absent()})).len(), 1);
    assert_eq!(template.find_mappings("Nope", json!({})).len(), 0);
    assert_eq!(template.find_conditions("*", json!({})).len(), 1);
}

#[test]
fn yaml_files_load_with_their_short_form_tags() {
    let template = Template::from_file(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/service.yaml"));
    template.has_resource_properties(
        "AWS::ECS::Service",
        pattern!({"Cluster": {"Ref": "Cluster"}, "TaskDefinition": {"Fn::Sub": Match::string_like_regex("task-definition/web:")}}),
    );
    template.has_output("ClusterName", json!({"Value": {"Fn::GetAtt": ["Cluster", "Arn"]}}));
}

#[test]
fn a_stack_and_an_app_load_as_synth_renders_them() {
    use stackwright_template::{App, Stack, StackName, Template as Model};
    let model: Model = Model::from_json_str(r#"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}"#).unwrap();
    let stack = Stack::from_template(StackName::new("alerts").unwrap(), model.clone()).unwrap();
    let from_stack = Template::from_stack(&stack);
    assert_eq!(from_stack.to_json(), &serde_json::from_str::<serde_json::Value>(&model.render()).unwrap());
    let app = App::new().with_stack(stack).unwrap();
    assert_eq!(Template::from_app(&app, "alerts"), from_stack);
    from_stack.resource_count_is("AWS::SNS::Topic", 1);
}
