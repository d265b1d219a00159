//! The failure messages, as a person reads them in a failed test: snapshots of each kind.

use serde_json::json;
use stackwright_testing::{Match, Template, pattern};

fn fixture() -> Template {
    Template::from_file(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/service.json"))
}

fn message(result: Result<(), stackwright_testing::AssertionError>) -> String {
    result.expect_err("the assertion should fail").message().to_owned()
}

macro_rules! snapshot {
    ($name:literal, $message:expr) => {
        insta::with_settings!({omit_expression => true, prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!($name, $message);
        })
    };
}

#[test]
fn the_closest_resource_is_shown_with_its_differences_marked() {
    let template = fixture();
    snapshot!(
        "closest_resource",
        message(template.try_has_resource_properties(
            "AWS::ECS::Service",
            pattern!({
                "DesiredCount": 1,
                "DeploymentConfiguration": {"DeploymentCircuitBreaker": {"Rollback": true}, "MinimumHealthyPercent": 100},
                "PlatformVersion": "LATEST",
            }),
        ))
    );
}

#[test]
fn a_missing_type_lists_the_types_there_are() {
    snapshot!("no_such_type", message(fixture().try_has_resource_properties("AWS::S3::Bucket", json!({}))));
}

#[test]
fn exact_marks_the_unexpected_keys() {
    snapshot!(
        "exact_extra_keys",
        message(fixture().try_has_resource_properties(
            "AWS::ECS::Service",
            pattern!({"DeploymentConfiguration": Match::exact(json!({"DeploymentCircuitBreaker": {"Enable": true, "Rollback": true}}))}),
        ))
    );
}

#[test]
fn array_with_names_the_element_it_could_not_place() {
    snapshot!(
        "array_with",
        message(fixture().try_has_resource_properties(
            "AWS::ECS::TaskDefinition",
            pattern!({"ContainerDefinitions": Match::array_with([
                pattern!({"Name": "web"}),
                pattern!({"Name": "sidecar", "Essential": true}),
            ])}),
        ))
    );
}

#[test]
fn plain_arrays_of_another_length_say_so() {
    snapshot!(
        "array_length",
        message(fixture().try_has_resource_properties(
            "AWS::ECS::TaskDefinition",
            json!({"RequiresCompatibilities": ["FARGATE", "EC2"]})
        ))
    );
}

#[test]
fn regex_absent_and_any_value_failures() {
    snapshot!(
        "regex_absent_any",
        message(fixture().try_has_resource_properties(
            "AWS::ElasticLoadBalancingV2::Listener",
            pattern!({
                "LoadBalancerArn": Match::string_like_regex("^arn:aws:elasticloadbalancing:eu-"),
                "Protocol": Match::absent(),
                "Certificates": Match::any_value(),
                "Port": Match::not(443),
            }),
        ))
    );
}

#[test]
fn serialized_json_failures_point_inside_the_string() {
    snapshot!(
        "serialized_json",
        message(fixture().try_has_resource_properties(
            "AWS::SSM::Parameter",
            pattern!({"Value": Match::serialized_json(pattern!({"retries": 5, "endpoints": ["a"]}))}),
        ))
    );
}

#[test]
fn has_resource_matches_the_whole_definition() {
    snapshot!(
        "has_resource",
        message(
            fixture()
                .try_has_resource("AWS::ECS::Service", json!({"DependsOn": ["Cluster"], "DeletionPolicy": "Retain"}))
        )
    );
}

#[test]
fn counts_name_the_resources_there_are() {
    let template = fixture();
    snapshot!("count", message(template.try_resource_count_is("AWS::ECS::Service", 1)));
    snapshot!(
        "properties_count",
        message(template.try_resource_properties_count_is(
            "AWS::ECS::Service",
            json!({"DeploymentConfiguration": {"DeploymentCircuitBreaker": {"Rollback": true}}}),
            2,
        ))
    );
}

#[test]
fn outputs_parameters_and_mappings() {
    let template = fixture();
    snapshot!("output_missing", message(template.try_has_output("QueueUrl", json!({}))));
    snapshot!("output_differs", message(template.try_has_output("*", json!({"Export": {"Name": "web-cluster"}}))));
    snapshot!("parameter", message(template.try_has_parameter("Stage", json!({"Default": "dev"}))));
    snapshot!("mapping", message(template.try_has_mapping("Sizes", json!({"prod": {"Memory": "4096"}}))));
}

#[test]
#[should_panic(expected = "Template has 2 AWS::ECS::Service resources, but none matches the pattern")]
fn the_panicking_form_panics_with_the_message() {
    fixture().has_resource_properties("AWS::ECS::Service", json!({"DesiredCount": 5}));
}

#[test]
fn load_errors_say_where() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let broken = Template::try_from_file(format!("{dir}/broken.yaml")).unwrap_err().to_string();
    snapshot!("load_syntax", broken.replace(dir, "<fixtures>"));
    let missing = Template::try_from_file(format!("{dir}/missing.json")).unwrap_err().to_string();
    assert!(missing.starts_with(&format!("{dir}/missing.json: cannot read the template: ")), "{missing}");
    let not_template = Template::from_json(json!({"Resources": []})).unwrap_err().to_string();
    snapshot!("load_not_a_template", not_template);
    let app = stackwright_template::App::new();
    snapshot!("load_no_stack", Template::try_from_app(&app, "web").unwrap_err().to_string());
}
