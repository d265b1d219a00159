//! Templates written by other tools parse into the model and re-render without loss.

use stackwright_template::{Json, Template};

const CDK_STYLE: &str = include_str!("fixtures/cdk-style.template.json");

#[test]
fn cdk_style_template_round_trips_without_loss() {
    let original: Json = serde_json::from_str(CDK_STYLE).unwrap();
    let parsed = Template::from_json_str(CDK_STYLE).unwrap();
    let rendered = parsed.render();

    // Nothing lost: the same JSON document, except where the written form carried no meaning:
    // a number-valued parameter constraint written as a string ("1") renders as a number, and
    // DependsOn is sorted.
    let mut expected = original.clone();
    expected["Parameters"]["MaxTasks"]["MinValue"] = 1.into();
    expected["Resources"]["ServiceD69D759B"]["DependsOn"] =
        serde_json::json!(["ClusterEB0386A7", "TaskDefTaskRoleDefaultPolicyA592CB18"]);
    let mut without_format_version: Json = serde_json::from_str(&rendered).unwrap();
    assert!(without_format_version.as_object_mut().unwrap().remove("AWSTemplateFormatVersion").is_none());
    assert_eq!(without_format_version, expected);

    // Re-rendering is a fixed point.
    let again = Template::from_json_str(&rendered).unwrap();
    assert_eq!(again, parsed);
    assert_eq!(again.render(), rendered);
}

#[test]
fn unknown_types_and_attributes_are_kept_as_written() {
    let parsed = Template::from_json_str(CDK_STYLE).unwrap();
    let custom = parsed.resources().iter().find(|(id, _)| id.as_str() == "Custom").unwrap().1;
    assert_eq!(custom.type_name, "Custom::Widget");
    assert_eq!(custom.other_attributes["CreationPolicy"]["ResourceSignal"]["Timeout"], "PT5M");
    let metadata = parsed.resources().iter().find(|(id, _)| id.as_str() == "CDKMetadata").unwrap().1;
    assert_eq!(metadata.condition.as_ref().unwrap().as_str(), "CDKMetadataAvailable");
}

#[test]
fn rendering_sorts_what_cdk_wrote_in_insertion_order() {
    let rendered = Template::from_json_str(CDK_STYLE).unwrap().render();
    let cluster = rendered.find("\"ClusterEB0386A7\": {").unwrap();
    let repository = rendered.find("\"AppRepository7A1F3B2C\": {").unwrap();
    assert!(repository < cluster, "resources are sorted by logical ID");
    // DependsOn order carries no meaning: it is sorted too.
    let depends = rendered.find(
        "\"DependsOn\": [\n        \"ClusterEB0386A7\",\n        \"TaskDefTaskRoleDefaultPolicyA592CB18\"\n      ]",
    );
    assert!(depends.is_some(), "{rendered}");
}
