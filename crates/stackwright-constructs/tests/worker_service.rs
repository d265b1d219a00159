//! The worker pattern: a service without a load balancer, with the seed's rollout, alarms and
//! pipeline.

use serde_json::{Value as Json, json};
use stackwright_constructs::cloudwatch::{AlarmProps, Comparison, Metric, MetricUnit, Statistic};
use stackwright_constructs::ecs::Autoscaling;
use stackwright_constructs::patterns::{ReleaseMode, Source, WorkerService, WorkerServiceProps};
use stackwright_constructs::{Error, Stack};
use stackwright_template::Template;

fn worker(props: WorkerServiceProps) -> Result<Template, Error> {
    let mut stack = Stack::new("orders-worker")?;
    WorkerService::new(&mut stack, "Worker", props)?;
    Ok(stack.finish()?.into_template())
}

fn props() -> WorkerServiceProps {
    WorkerServiceProps::new("orders-worker", Source::codecommit("orders-worker", "main")).unit_test_command("make test")
}

fn properties(template: &Template, id: &str) -> Json {
    let resource = template.resources().iter().find(|(k, _)| k.as_str() == id).map(|(_, r)| r).expect(id);
    Json::Object(resource.properties.clone().into_iter().collect())
}

fn deploy_stage(template: &Template) -> Json {
    let stages = properties(template, "WorkerPipeline")["Stages"].clone();
    stages.as_array().unwrap().iter().find(|s| s["Name"] == "Deploy").unwrap().clone()
}

#[test]
fn a_worker_has_no_load_balancer_and_asks_only_for_private_subnets() {
    let template = worker(props()).unwrap();
    let types: Vec<&str> = template.resources().values().map(|r| r.type_name.as_str()).collect();
    assert!(!types.iter().any(|t| t.starts_with("AWS::ElasticLoadBalancingV2::")), "{types:?}");
    let parameters: Vec<&str> = template.parameters().keys().map(stackwright_template::LogicalId::as_str).collect();
    assert_eq!(parameters, ["ImageUri", "PrivateSubnetIds", "VpcId"]);
    let service = properties(&template, "WorkerService");
    assert!(service.get("LoadBalancers").is_none());
    assert_eq!(service["DeploymentConfiguration"]["MinimumHealthyPercent"], 100);
    assert_eq!(service["DeploymentConfiguration"]["MaximumPercent"], 200);
    assert_eq!(
        service["DeploymentConfiguration"]["DeploymentCircuitBreaker"],
        json!({"Enable": true, "Rollback": true})
    );
    let container = &properties(&template, "WorkerTask")["ContainerDefinitions"][0];
    assert!(container.get("PortMappings").is_none());
    assert_eq!(container["Image"], json!({"Ref": "ImageUri"}));
}

#[test]
fn the_same_pipeline_releases_without_a_smoke_test_unless_given_a_command() {
    let template = worker(props()).unwrap();
    let stages: Vec<Json> = properties(&template, "WorkerPipeline")["Stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Name"].clone())
        .collect();
    assert_eq!(stages, [json!("Source"), json!("Build"), json!("Approve"), json!("Deploy")]);
    let deploy = deploy_stage(&template);
    assert_eq!(deploy["OnFailure"], json!({"Result": "ROLLBACK"}));
    let names: Vec<Json> = deploy["Actions"].as_array().unwrap().iter().map(|a| a["Name"].clone()).collect();
    assert_eq!(names, [json!("Release")]);

    let template = worker(props().smoke_test_command("./bin/check-queue-drains").approval(false)).unwrap();
    let deploy = deploy_stage(&template);
    assert_eq!(deploy["Actions"][1]["Name"], "SmokeTest");
    assert_eq!(deploy["Actions"][1]["RunOrder"], 2);
    let spec = properties(&template, "WorkerSmokeTest")["Source"]["BuildSpec"].as_str().unwrap().to_owned();
    assert!(spec.contains("- \"./bin/check-queue-drains\""), "{spec}");

    let template = worker(props().release_mode(ReleaseMode::EcsDeployAction)).unwrap();
    assert_eq!(deploy_stage(&template)["Actions"][0]["ActionTypeId"]["Provider"], "ECS");
}

#[test]
fn rollback_alarms_notify_and_roll_a_deployment_back() {
    let age = Metric::new("AWS/SQS", "ApproximateAgeOfOldestMessage", Statistic::Maximum, MetricUnit::Seconds)
        .dimension("QueueName", "orders");
    let template = worker(
        props()
            .rollback_alarm("QueueAge", age, AlarmProps::new(Comparison::GreaterThan, 600.0, 3))
            .alarm_email("oncall@example.com"),
    )
    .unwrap();
    let alarms = &properties(&template, "WorkerService")["DeploymentConfiguration"]["Alarms"];
    assert_eq!(alarms["Rollback"], true);
    let alarm = properties(&template, "WorkerQueueAge");
    assert_eq!(alarms["AlarmNames"], json!([alarm["AlarmName"]]));
    assert_eq!(alarm["AlarmActions"], json!([{"Ref": "WorkerAlerts"}]));
    for id in ["WorkerCpuHigh", "WorkerMemoryHigh", "WorkerAlertsEmail1", "WorkerPipelineFailures"] {
        properties(&template, id);
    }
}

#[test]
fn the_task_count_is_a_setting_a_service_hook_cannot_change() {
    let template = worker(props().autoscaling(Autoscaling::new(1, 4).cpu_target_percent(70))).unwrap();
    assert!(properties(&template, "WorkerService").get("DesiredCount").is_none());
    let err = worker(props().desired_count(3).service_hook(|s| s.desired_count(5))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Worker: service_hook changes the task count that WorkerServiceProps::desired_count sets: set it in one place, \
         WorkerServiceProps::desired_count [pattern/hook-conflict]"
    );
    let template =
        worker(props().service_hook(|s| s.maximum_percent(150)).service_hook(|s| s.minimum_healthy_percent(50)))
            .unwrap();
    let deployment = &properties(&template, "WorkerService")["DeploymentConfiguration"];
    assert_eq!(
        (deployment["MaximumPercent"].clone(), deployment["MinimumHealthyPercent"].clone()),
        (json!(150), json!(50))
    );
}
