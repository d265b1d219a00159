//! The patterns: what the seed architecture and the load-balanced service wire together, the
//! knobs that change it, and the errors they report.

use serde_json::{Value as Json, json};
use stackwright_constructs::codepipeline::ExecutionMode;
use stackwright_constructs::ecs::{ContainerDefinition, ContainerImage};
use stackwright_constructs::kms::{Key, KeyProps};
use stackwright_constructs::patterns::{
    IMAGE_URI_PARAMETER, LoadBalancedService, LoadBalancedServiceProps, ReleaseMode, SeedPipeline, SeedPipelineProps,
    Source,
};
use stackwright_constructs::{Error, Stack};
use stackwright_template::Template;

fn seed(props: SeedPipelineProps) -> Result<Template, Error> {
    let mut stack = Stack::new("shop")?;
    SeedPipeline::new(&mut stack, "Shop", props)?;
    Ok(stack.finish()?.into_template())
}

fn github() -> SeedPipelineProps {
    SeedPipelineProps::new("shop-web", Source::github("shop-github", "example-org/shop-web", "main"))
}

fn properties(template: &Template, id: &str) -> Json {
    let resource = template.resources().iter().find(|(k, _)| k.as_str() == id).map(|(_, r)| r).expect(id);
    Json::Object(resource.properties.clone().into_iter().collect())
}

fn stage_names(template: &Template) -> Vec<String> {
    properties(template, "ShopPipeline")["Stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Name"].as_str().unwrap().to_owned())
        .collect()
}

fn deploy_actions(template: &Template) -> Vec<(String, i64)> {
    let stages = properties(template, "ShopPipeline")["Stages"].clone();
    let deploy = stages.as_array().unwrap().iter().find(|s| s["Name"] == "Deploy").unwrap().clone();
    assert_eq!(deploy["OnFailure"], json!({"Result": "ROLLBACK"}));
    deploy["Actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["Name"].as_str().unwrap().to_owned(), a["RunOrder"].as_i64().unwrap_or(1)))
        .collect()
}

#[test]
fn the_seed_has_every_stage_by_default_and_each_can_go() {
    assert_eq!(stage_names(&seed(github()).unwrap()), ["Source", "Build", "Approve", "Deploy"]);
    assert_eq!(stage_names(&seed(github().approval(false)).unwrap()), ["Source", "Build", "Deploy"]);
}

#[test]
fn the_smoke_test_runs_after_the_release_in_the_stage_that_rolls_back() {
    let with = seed(github()).unwrap();
    assert_eq!(deploy_actions(&with), [("Release".to_owned(), 1), ("SmokeTest".to_owned(), 2)]);
    let without = seed(github().smoke_test(false)).unwrap();
    assert_eq!(deploy_actions(&without), [("Release".to_owned(), 1)]);
    let ecs = seed(github().release_mode(ReleaseMode::EcsDeployAction)).unwrap();
    assert_eq!(deploy_actions(&ecs), [("Deploy".to_owned(), 1), ("SmokeTest".to_owned(), 2)]);
}

#[test]
fn the_health_check_path_cannot_reach_the_shell() {
    let err = seed(github().health_check_path("/health\"$(id)\"")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Shop: health_check_path must start with `/` and hold only letters, digits and / - . _ ~ ? = & % + , \
         (it is used in the smoke test's shell command), got \"/health\\\"$(id)\\\"\" [pattern/health-check-path]"
    );
    assert!(seed(github().health_check_path("/healthz?deep=1&x=%20")).is_ok());
}

#[test]
fn one_container_name_flows_to_the_task_definition_buildspec_and_deploy() {
    let props = github().container_name("storefront").release_mode(ReleaseMode::EcsDeployAction);
    let template = seed(props).unwrap();
    let task = properties(&template, "ShopWebTask");
    assert_eq!(task["ContainerDefinitions"][0]["Name"], "storefront");
    let buildspec = properties(&template, "ShopBuild")["Source"]["BuildSpec"].as_str().unwrap().to_owned();
    assert!(buildspec.contains("' storefront \"$IMAGE_URI\" > imagedefinitions.json"), "{buildspec}");
    let deploy = &properties(&template, "ShopPipeline")["Stages"][3]["Actions"][0];
    assert_eq!(deploy["Name"], "Deploy");
    assert_eq!(deploy["ActionTypeId"]["Provider"], "ECS");
    assert_eq!(deploy["Configuration"]["FileName"], "imagedefinitions.json");
    assert!(template.resources().keys().all(|id| id.as_str() != "ShopRelease"));
}

#[test]
fn a_release_is_a_stack_update_of_the_image_parameter_run_by_codebuild() {
    let template = seed(github()).unwrap();
    let release = &properties(&template, "ShopPipeline")["Stages"][3]["Actions"][0];
    assert_eq!(release["Name"], "Release");
    assert_eq!(release["ActionTypeId"]["Provider"], "CodeBuild");
    assert_eq!(release["InputArtifacts"], json!([{"Name": "Image"}]));
    assert_eq!(release["Configuration"]["ProjectName"], json!({"Ref": "ShopRelease"}));
    let project = properties(&template, "ShopRelease");
    let buildspec = project["Source"]["BuildSpec"].as_str().unwrap();
    for parameter in ["CertificateArn", "PrivateSubnetIds", "PublicSubnetIds", "VpcId"] {
        assert!(buildspec.contains(&format!("\"ParameterKey={parameter},UsePreviousValue=true\"")), "{parameter}");
    }
    assert!(buildspec.contains("\"ParameterKey=ImageUri,ParameterValue=$image_uri\""), "{buildspec}");
    assert!(buildspec.contains("--use-previous-template"));
    // Room for the 30-minute deployment and the rollback a cancelled one starts.
    assert_eq!(project["TimeoutInMinutes"], 70);
    let build = properties(&template, "ShopBuild")["Source"]["BuildSpec"].as_str().unwrap().to_owned();
    assert!(build.contains("printf '%s\\n' \"$IMAGE_URI\" > image-uri.txt"), "{build}");
}

#[test]
fn deployment_alarms_name_alarms_that_exist_and_never_reference_them() {
    let template = seed(github()).unwrap();
    let service = properties(&template, "ShopWebService");
    let alarms = &service["DeploymentConfiguration"]["Alarms"];
    assert_eq!(alarms["Rollback"], true);
    let names: Vec<&Json> = alarms["AlarmNames"].as_array().unwrap().iter().collect();
    assert_eq!(names.len(), 2, "target 5xx and p99 latency");
    for name in names {
        let defined = template
            .resources()
            .values()
            .any(|r| r.type_name == "AWS::CloudWatch::Alarm" && r.properties.get("AlarmName") == Some(name));
        assert!(defined, "deployment alarm {name} is not an alarm of the stack");
        assert!(name.get("Ref").is_none() && name.get("Fn::GetAtt").is_none());
    }
    assert_eq!(
        service["DeploymentConfiguration"]["DeploymentCircuitBreaker"],
        json!({"Enable": true, "Rollback": true})
    );
    assert_eq!(service["DeploymentConfiguration"]["MinimumHealthyPercent"], 100);
}

#[test]
fn the_service_runs_the_image_parameter_which_has_no_default_and_may_pull_from_the_repository() {
    let template = seed(github()).unwrap();
    let (_, parameter) = template.parameters().iter().find(|(id, _)| id.as_str() == IMAGE_URI_PARAMETER).unwrap();
    assert!(parameter.default.is_none(), "an update leaving it out must fail, not revert to a default");
    assert_eq!(parameter.min_length, Some(1));
    let task = properties(&template, "ShopWebTask");
    assert_eq!(task["ContainerDefinitions"][0]["Image"], json!({"Ref": "ImageUri"}));
    let role = properties(&template, "ShopWebTaskExecutionRole");
    let pulls_from_repository =
        role["Policies"][0]["PolicyDocument"]["Statement"].as_array().unwrap().iter().any(|s| {
            s["Resource"] == json!({"Fn::GetAtt": ["ShopRepository", "Arn"]})
                && s["Action"].as_array().is_some_and(|a| a.contains(&json!("ecr:BatchGetImage")))
        });
    assert!(pulls_from_repository, "{role}");
}

#[test]
fn failures_reach_the_topic_through_eventbridge() {
    let template = seed(github()).unwrap();
    let rule = properties(&template, "ShopPipelineFailures");
    assert_eq!(rule["Targets"][0]["Arn"], json!({"Ref": "ShopWebAlerts"}));
    let policy = properties(&template, "ShopWebAlertsPolicy");
    let admits_events = policy["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["Principal"] == json!({"Service": "events.amazonaws.com"}));
    assert!(admits_events, "{policy}");
}

#[test]
fn codecommit_sources_create_the_repository_and_the_rule_that_starts_the_pipeline() {
    let template = seed(SeedPipelineProps::new("orders", Source::codecommit("orders", "main"))).unwrap();
    let types: Vec<&str> = template.resources().values().map(|r| r.type_name.as_str()).collect();
    assert!(types.contains(&"AWS::CodeCommit::Repository"));
    assert!(!types.contains(&"AWS::CodeStarConnections::Connection"));
    assert_eq!(types.iter().filter(|t| **t == "AWS::Events::Rule").count(), 2, "start rule and failure rule");
}

#[test]
fn hooks_reach_the_knobs_of_the_l2_props() {
    let props = github()
        .runtime_hook(|r| r.service_hook(|p| p.maximum_percent(150)))
        .pipeline_hook(|p| p.execution_mode(ExecutionMode::Superseded));
    let template = seed(props).unwrap();
    assert_eq!(properties(&template, "ShopWebService")["DeploymentConfiguration"]["MaximumPercent"], 150);
    assert_eq!(properties(&template, "ShopPipeline")["ExecutionMode"], "SUPERSEDED");
}

#[test]
fn efs_adds_a_file_system_mounted_in_the_task() {
    let template = seed(github().runtime_hook(|r| r.efs_mount_path("/srv/media"))).unwrap();
    let task = properties(&template, "ShopWebTask");
    assert_eq!(task["ContainerDefinitions"][0]["MountPoints"][0]["ContainerPath"], "/srv/media");
    assert_eq!(task["Volumes"][0]["EFSVolumeConfiguration"]["TransitEncryption"], "ENABLED");
}

#[test]
fn a_service_without_a_port_is_refused_naming_the_pattern() {
    let mut stack = Stack::new("shop").unwrap();
    let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
    let container = ContainerDefinition::new("web", ContainerImage::Literal("public.ecr.aws/x/web:1".into()));
    let err = LoadBalancedService::new(&mut stack, "Web", &key, LoadBalancedServiceProps::new(container)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Web: the container maps no port for the load balancer to forward to [pattern/container-port]"
    );
}

#[test]
fn l2_errors_surface_with_their_construct_path() {
    let err = seed(github().runtime_hook(|r| r.service_hook(|p| p.desired_count(1).maximum_percent(100)))).unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("Shop/Web/Service: "), "{text}");
    assert!(text.contains("[ecs-service/deployment-cannot-progress]"), "{text}");
}

#[test]
fn in_a_new_vpc_the_load_balancer_and_service_wait_for_their_routes() {
    use stackwright_constructs::ec2::VpcProps;
    use stackwright_constructs::patterns::NetworkingChoice;
    let template = seed(github().runtime_hook(|r| r.networking(NetworkingChoice::NewVpc(VpcProps::new())))).unwrap();
    let depends = |id: &str| -> Vec<String> {
        template
            .resources()
            .iter()
            .find(|(k, _)| k.as_str() == id)
            .unwrap()
            .1
            .depends_on
            .iter()
            .map(|d| d.as_str().to_owned())
            .collect()
    };
    let lb = depends("ShopWebLb");
    assert!(lb.contains(&"ShopWebVpcPublicDefaultRoute".to_owned()), "{lb:?}");
    assert!(lb.contains(&"ShopWebVpcPublicSubnet2RouteTableAssociation".to_owned()), "{lb:?}");
    let service = depends("ShopWebService");
    assert!(service.contains(&"ShopWebVpcPrivateDefaultRoute1".to_owned()), "{service:?}");
    assert!(service.contains(&"ShopWebVpcPrivateDefaultRoute2".to_owned()), "{service:?}");
}

#[test]
fn the_seed_keeps_its_own_topic_for_the_pipelines_notifications() {
    use stackwright_constructs::Environment;
    use stackwright_constructs::patterns::{Foundation, FoundationProps};
    let (_, foundation) = Foundation::stack(&Environment::new("staging").unwrap(), &FoundationProps::new()).unwrap();
    let shared = foundation.alarm_topic();
    let err = seed(github().runtime_hook(move |r| r.alarm_topic(shared.clone()))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Shop: runtime_hook sets a shared alarm topic, but the pipeline publishes its failures to the service's own \
         topic, whose policy this stack writes: keep LoadBalancedServiceProps::alarm_topic Own [seed-pipeline/shared-topic]"
    );
}
