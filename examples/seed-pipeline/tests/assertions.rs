//! What an app author asserts about the seed architecture with the testing kit
//! (docs/TESTING.md's worked example): facts, not raw JSON.

use example_seed_pipeline::{STACK_NAME, app};
use stackwright_testing::{Capture, Match, Template, json, pattern};

#[test]
fn the_service_rolls_back_and_the_images_are_scanned() {
    let app = app().unwrap();
    let template = Template::from_app(&app, STACK_NAME);

    template.has_resource_properties(
        "AWS::ECS::Service",
        pattern!({
            "DeploymentConfiguration": {
                "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true},
                "MinimumHealthyPercent": 100,
            },
            "LaunchType": "FARGATE",
            "EnableExecuteCommand": Match::not(true),
        }),
    );
    template.has_resource_properties(
        "AWS::ECR::Repository",
        json!({"ImageScanningConfiguration": {"ScanOnPush": true}, "ImageTagMutability": "IMMUTABLE"}),
    );
    template.resource_count_is("AWS::CodePipeline::Pipeline", 1);

    let stages = Capture::new();
    template.has_resource_properties("AWS::CodePipeline::Pipeline", pattern!({"Stages": &stages}));
    let names: Vec<_> = stages.value().as_array().unwrap().iter().map(|s| s["Name"].clone()).collect();
    assert_eq!(names.first(), Some(&json!("Source")));
}
