use serde_json::json;

use super::*;
use crate::ec2::Networking;
use crate::ecs::{
    Cluster, ClusterProps, ContainerDefinition, FargateServiceProps, FargateSize, FargateTaskDefinitionProps,
};

fn env(name: &str, account: Option<&str>) -> Environment {
    let env = Environment::new(name).unwrap().region("eu-west-1").unwrap();
    match account {
        Some(account) => env.account(account).unwrap(),
        None => env,
    }
}

fn promotion(environments: Vec<Environment>) -> PromotionPipelineProps {
    PromotionPipelineProps::new("shop", Source::github("shop-github", "example-org/shop", "main"), environments)
}

/// The service stack of `environment`, with its release role.
fn target_stack(props: &PromotionPipelineProps, environment: &Environment, stack_name: &str) -> Result<Stack, Error> {
    let mut stack = Stack::new(stack_name)?;
    let key = Key::new(&mut stack, "Key", KeyProps::new())?;
    let image = props.service_image(&mut stack)?;
    let cluster = Cluster::new(&mut stack, "Cluster", ClusterProps::new())?;
    let task = FargateTaskDefinition::new(
        &mut stack,
        "Task",
        FargateTaskDefinitionProps::new(&key, FargateSize::CPU_256_MEMORY_512, ContainerDefinition::new("app", image)),
    )?;
    let networking = Networking::from_parameters(&mut stack)?;
    let service = FargateService::new(&mut stack, "Service", FargateServiceProps::new(&cluster, &task, &networking))?;
    PromotionTarget::new(&mut stack, "Release", props, environment, &service, &task)?;
    Ok(stack)
}

#[test]
fn the_release_role_trusts_only_its_release_project_in_the_pipeline_account() {
    let (staging, production) = (env("staging", Some("111111111111")), env("production", Some("222222222222")));
    let props = promotion(vec![staging, production.clone()]);
    let done = target_stack(&props, &production, "shop-production").unwrap().finish().unwrap();
    let json = done.template().to_json();
    let role = &json["Resources"]["Release"];
    assert_eq!(role["Properties"]["RoleName"], "shop-production-release");
    assert_eq!(
        role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0],
        json!({
            "Action": "sts:AssumeRole",
            "Condition": {"ArnEquals": {"aws:PrincipalArn": {
                "Fn::Sub": "arn:${AWS::Partition}:iam::111111111111:role/shop-pipeline-release-production"
            }}},
            "Effect": "Allow",
            "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::111111111111:root"}},
        })
    );
    // The image comes from the pipeline account's repository.
    let pulls = &json["Resources"]["TaskExecutionRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    assert!(
        pulls
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["Resource"]
                == json!({"Fn::Sub": "arn:${AWS::Partition}:ecr:eu-west-1:111111111111:repository/shop"})),
        "{pulls}"
    );
}

#[test]
fn an_environment_without_an_account_is_refused_naming_the_construct() {
    let props = promotion(vec![env("staging", Some("111111111111")), env("production", None)]);
    let mut stack = props.stack().unwrap();
    let err = PromotionPipeline::new(&mut stack, "Shop", &props).unwrap_err().to_string();
    assert_eq!(
        err,
        "Shop: environment \"production\" must pin its account and region: the release roles' ARNs and trust \
         policies name them [promotion/placement]"
    );
}

#[test]
fn duplicates_unknown_smoke_tests_and_the_ecs_deploy_action_are_refused() {
    let staging = env("staging", Some("111111111111"));
    let mut props = promotion(vec![staging.clone(), staging]).smoke_test("prod", "https://shop.example.com/");
    props.delivery.release_mode = ReleaseMode::EcsDeployAction;
    let mut stack = props.stack().unwrap();
    let err = PromotionPipeline::new(&mut stack, "Shop", &props).unwrap_err().to_string();
    for expected in [
        "Shop: environment \"staging\" is listed twice: its stack and stages would be written twice \
         [promotion/duplicate-environment]",
        "Shop: smoke test for \"prod\", which is not an environment of this promotion [promotion/smoke-test-environment]",
        "Shop: a promotion releases as stack updates (ReleaseMode::CloudFormation): the ECS deploy action cannot \
         reach another account's service without its artifacts [promotion/release-mode]",
    ] {
        assert!(err.contains(expected), "{err}");
    }
    let err = PromotionPipeline::new(&mut Stack::new("x").unwrap(), "Shop", &promotion(vec![])).unwrap_err();
    assert!(err.to_string().ends_with("[promotion/environments]"), "{err}");
}

#[test]
fn a_target_stack_the_pipeline_does_not_release_to_is_refused() {
    let staging = env("staging", Some("111111111111"));
    let props = promotion(vec![staging.clone()]);
    let production = env("production", Some("222222222222"));
    let err = target_stack(&props, &production, "shop-production").unwrap_err().to_string();
    assert_eq!(
        err,
        "Release: environment \"production\" is not one the promotion releases to [promotion/unknown-environment]"
    );
    let err = target_stack(&props, &staging, "shop-stage").unwrap_err().to_string();
    assert_eq!(
        err,
        "Release: the pipeline releases environment \"staging\" to stack \"shop-staging\", not to \"shop-stage\" \
         [promotion/stack-name]"
    );
}

#[test]
fn environment_names_become_path_segments() {
    assert_eq!(pascal("production"), "Production");
    assert_eq!(pascal("eu-prod-2"), "EuProd2");
}
