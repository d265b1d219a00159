use serde_json::{Value as Json, json};

use super::*;
use crate::cloudwatch::{AlarmProps, Comparison, Metric, MetricUnit, Statistic};
use crate::kms::KeyProps;
use crate::patterns::{PromotionPipeline, Source};

fn env(name: &str, account: &str) -> Environment {
    Environment::new(name).unwrap().account(account).unwrap().region("eu-west-1").unwrap()
}

fn environments() -> Vec<Environment> {
    vec![env("staging", "111111111111"), env("production", "222222222222")]
}

fn promotion() -> PromotionPipelineProps {
    PromotionPipelineProps::new("jobs", Source::github("jobs-github", "example-org/jobs", "main"), environments())
        .container_name("worker")
}

fn props() -> PromotedWorkerProps {
    let age = Metric::new("AWS/SQS", "ApproximateAgeOfOldestMessage", Statistic::Maximum, MetricUnit::Seconds)
        .dimension("QueueName", "jobs");
    PromotedWorkerProps::new().container_name("worker").env("QUEUE_NAME", "jobs").rollback_alarm(
        "QueueAge",
        age,
        AlarmProps::new(Comparison::GreaterThan, 900.0, 3),
    )
}

/// The worker stack of `environment` (the promotion's second environment unless told).
fn worker_stack(stack_name: &str, environment: &Environment, props: PromotedWorkerProps) -> Result<Json, Error> {
    let mut stack = environment.stack("jobs")?;
    if stack.name().as_str() != stack_name {
        stack = Stack::new(stack_name)?;
    }
    let key = Key::new(&mut stack, "Key", KeyProps::new())?;
    PromotedWorker::new(&mut stack, "Jobs", &key, &promotion(), environment, props)?;
    Ok(stack.finish()?.template().to_json())
}

#[test]
fn the_worker_runs_the_promotions_image_and_keeps_its_rollout_and_rollback_alarm() {
    let production = env("production", "222222222222");
    let json = worker_stack("jobs-production", &production, props()).unwrap();
    let resources = json["Resources"].as_object().unwrap();
    // No repository, build or pipeline of its own: those are the promotion's.
    for (id, resource) in resources {
        let kind = resource["Type"].as_str().unwrap();
        assert!(
            !kind.starts_with("AWS::CodePipeline::")
                && !kind.starts_with("AWS::CodeBuild::")
                && kind != "AWS::ECR::Repository",
            "{id}: {kind}"
        );
    }
    let parameters: Vec<&String> = json["Parameters"].as_object().unwrap().keys().collect();
    assert_eq!(parameters, ["ImageUri", "PrivateSubnetIds", "VpcId"]);
    let container = &json["Resources"]["JobsTask"]["Properties"]["ContainerDefinitions"][0];
    assert_eq!(container["Image"], json!({"Ref": "ImageUri"}));
    assert_eq!(container["Name"], "worker");
    let deployment = &json["Resources"]["JobsService"]["Properties"]["DeploymentConfiguration"];
    assert_eq!(deployment["MinimumHealthyPercent"], 100);
    assert_eq!(deployment["MaximumPercent"], 200);
    assert_eq!(deployment["DeploymentCircuitBreaker"], json!({"Enable": true, "Rollback": true}));
    let alarm_name = &json["Resources"]["JobsQueueAge"]["Properties"]["AlarmName"];
    assert_eq!(deployment["Alarms"]["AlarmNames"], json!([alarm_name]));
    assert_eq!(deployment["Alarms"]["Rollback"], true);
    // The release role: only production's release project in the pipeline's account.
    let role = &json["Resources"]["JobsRelease"]["Properties"];
    assert_eq!(role["RoleName"], "jobs-production-release");
    assert_eq!(
        role["AssumeRolePolicyDocument"]["Statement"][0]["Condition"],
        json!({"ArnEquals": {"aws:PrincipalArn": {
            "Fn::Sub": "arn:${AWS::Partition}:iam::111111111111:role/jobs-pipeline-release-production"
        }}})
    );
    assert_eq!(json["Outputs"]["JobsAlarmTopicArn"]["Description"], "Where the service's alarms are published");
}

#[test]
fn a_stack_the_promotion_does_not_release_to_is_refused_naming_the_release_role() {
    let staging = env("staging", "111111111111");
    let err = worker_stack("jobs-stage", &staging, props()).unwrap_err().to_string();
    assert_eq!(
        err,
        "Jobs/Release: the pipeline releases environment \"staging\" to stack \"jobs-staging\", not to \
         \"jobs-stage\" [promotion/stack-name]"
    );
    let qa = env("qa", "111111111111");
    let err = worker_stack("jobs-qa", &qa, props()).unwrap_err().to_string();
    assert_eq!(
        err,
        "Jobs/Release: environment \"qa\" is not one the promotion releases to [promotion/unknown-environment]"
    );
}

#[test]
fn a_hook_that_changes_the_task_count_is_refused_naming_the_setting() {
    let staging = env("staging", "111111111111");
    let props = props().desired_count(2).service_hook(|p| p.desired_count(5));
    let err = worker_stack("jobs-staging", &staging, props).unwrap_err().to_string();
    assert_eq!(
        err,
        "Jobs: service_hook changes the task count that PromotedWorkerProps::desired_count sets: set it in one \
         place, PromotedWorkerProps::desired_count [pattern/hook-conflict]"
    );
}

fn stages(props: &PromotionPipelineProps) -> Result<Json, Error> {
    let mut stack = props.stack()?;
    PromotionPipeline::new(&mut stack, "Jobs", props)?;
    let json = stack.finish()?.template().to_json();
    Ok(json["Resources"]["JobsPipeline"]["Properties"]["Stages"].clone())
}

#[test]
fn a_smoke_test_command_runs_after_the_release_in_its_environment_only() {
    let props = promotion().smoke_test_command("staging", "./bin/check-queue-drains jobs-staging");
    let stages = stages(&props).unwrap();
    let names: Vec<&str> = stages.as_array().unwrap().iter().map(|s| s["Name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["Source", "Build", "Approve-staging", "Deploy-staging", "Approve-production", "Deploy-production"]
    );
    let staging = &stages[3];
    assert_eq!(staging["OnFailure"], json!({"Result": "ROLLBACK"}));
    assert_eq!(staging["Actions"][1]["Name"], "SmokeTest");
    assert_eq!(staging["Actions"][1]["RunOrder"], 2);
    assert_eq!(staging["Actions"][1]["InputArtifacts"], json!([{"Name": "Source"}]));
    let production = &stages[5];
    assert_eq!(production["Actions"].as_array().unwrap().len(), 1, "{production}");
    let mut stack = props.stack().unwrap();
    PromotionPipeline::new(&mut stack, "Jobs", &props).unwrap();
    let json = stack.finish().unwrap().template().to_json();
    let spec = json["Resources"]["JobsSmokeTestStaging"]["Properties"]["Source"]["BuildSpec"].as_str().unwrap();
    assert!(spec.contains("- \"./bin/check-queue-drains jobs-staging\""), "{spec}");
}

#[test]
fn bad_smoke_test_commands_are_refused_naming_the_construct_and_rule() {
    let props = promotion()
        .smoke_test("staging", "https://jobs.staging.example.com/")
        .smoke_test_command("staging", "./check")
        .smoke_test_command("prod", "./check");
    let err = stages(&props).unwrap_err().to_string();
    for expected in [
        "Jobs: environment \"staging\" has a smoke-test URL and a smoke-test command: give one \
         [promotion/smoke-test-twice]",
        "Jobs: smoke test for \"prod\", which is not an environment of this promotion [promotion/smoke-test-environment]",
    ] {
        assert!(err.contains(expected), "{err}");
    }
    let err = stages(&promotion().smoke_test_command("production", "  ")).unwrap_err().to_string();
    assert_eq!(
        err,
        "Jobs/SmokeTestProduction: commands must be at least one non-blank command, got [\"  \"] \
         [codebuild-commands/empty]"
    );
}

#[test]
fn on_a_foundations_topic_the_worker_imports_it_and_creates_no_topic() {
    use crate::patterns::{AlarmTopicChoice, Foundation, FoundationProps};
    let production = env("production", "222222222222");
    let (_, foundation) = Foundation::stack(&production, &FoundationProps::new()).unwrap();
    assert_eq!(foundation.alarm_topic(), AlarmTopicChoice::Shared(foundation.alarm_topic_arn.clone()));
    let json = worker_stack("jobs-production", &production, props().alarm_topic(foundation.alarm_topic())).unwrap();
    let resources = json["Resources"].as_object().unwrap();
    assert!(!resources.values().any(|r| r["Type"].as_str().is_some_and(|t| t.starts_with("AWS::SNS::"))));
    let import = json!({"Fn::ImportValue": "foundation-production:AlarmTopicArn"});
    for id in ["JobsCpuHigh", "JobsMemoryHigh", "JobsQueueAge"] {
        assert_eq!(resources[id]["Properties"]["AlarmActions"], json!([import]), "{id}");
        assert_eq!(resources[id]["Properties"]["OKActions"], json!([import]), "{id}");
    }
    assert!(json["Outputs"].get("JobsAlarmTopicArn").is_none(), "the foundation outputs it");
    let err = worker_stack(
        "jobs-production",
        &production,
        props().alarm_topic(foundation.alarm_topic()).alarm_email("jobs-oncall@example.com"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("PromotedWorkerProps::alarm_emails (jobs-oncall@example.com)"), "{err}");
    assert!(err.ends_with("[pattern/shared-topic-emails]"), "{err}");
}
