//! The patterns' plain settings (environment, secrets, logs, ECR, task count) and their hooks:
//! hooks compose in order, and a hook that changes what a setting set is an error naming both.

use serde_json::{Value as Json, json};
use stackwright_constructs::codebuild::ComputeType;
use stackwright_constructs::codepipeline::ExecutionMode;
use stackwright_constructs::ecr::LifecycleRule;
use stackwright_constructs::ecs::{Autoscaling, ContainerDefinition, ContainerImage, FargateSize};
use stackwright_constructs::logs::Retention;
use stackwright_constructs::patterns::{EcrSettings, SecretRef, SeedPipeline, SeedPipelineProps, Source};
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

#[test]
fn environment_secrets_logs_and_repository_are_plain_settings() {
    let props = github()
        .env("LOG_LEVEL", "info")
        .secret("DB_PASSWORD", SecretRef::SsmParameter("/shop/db-password".into()))
        .secret(
            "API_KEY",
            SecretRef::SecretsManager {
                arn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:shop-api-AbCdEf".into(),
                json_key: Some("key".into()),
            },
        )
        .log_retention(Retention::ThreeMonths)
        .ecr(
            EcrSettings::new()
                .scan_on_push(false)
                .lifecycle_rule(50, LifecycleRule::ExpireTaggedAfterDays { prefixes: vec!["pr-".into()], days: 14 }),
        );
    let template = seed(props).unwrap();
    let container = &properties(&template, "ShopWebTask")["ContainerDefinitions"][0];
    assert_eq!(container["Environment"], json!([{"Name": "LOG_LEVEL", "Value": "info"}]));
    assert_eq!(container["Secrets"][1]["Name"], "DB_PASSWORD");
    assert_eq!(
        container["Secrets"][1]["ValueFrom"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/shop/db-password"})
    );
    for logs in ["ShopWebTaskLogs", "ShopBuildLogs", "ShopReleaseLogs", "ShopSmokeTestLogs"] {
        assert_eq!(properties(&template, logs)["RetentionInDays"], 90, "{logs}");
    }
    let repository = properties(&template, "ShopRepository");
    assert_eq!(repository["ImageScanningConfiguration"], json!({"ScanOnPush": false}));
    let policy = repository["LifecyclePolicy"]["LifecyclePolicyText"].as_str().unwrap();
    assert!(policy.contains("\"rulePriority\":50"), "{policy}");
}

#[test]
fn autoscaling_owns_the_task_count_so_the_service_writes_none() {
    let template = seed(github().autoscaling(Autoscaling::new(2, 8).cpu_target_percent(60))).unwrap();
    assert!(properties(&template, "ShopWebService").get("DesiredCount").is_none());
    assert_eq!(properties(&template, "ShopWebServiceScalableTarget")["MinCapacity"], 2);
    assert_eq!(properties(&seed(github()).unwrap(), "ShopWebService")["DesiredCount"], 2);
    assert_eq!(properties(&seed(github().desired_count(3)).unwrap(), "ShopWebService")["DesiredCount"], 3);
}

#[test]
fn hooks_compose_in_the_order_they_were_set() {
    let props = github()
        .runtime_hook(|r| r.alarm_email("first@example.com"))
        .runtime_hook(|r| r.alarm_email("second@example.com").service_hook(|s| s.maximum_percent(150)))
        .runtime_hook(|r| r.service_hook(|s| s.maximum_percent(180)))
        .build_hook(|b| b.compute_type(ComputeType::Medium))
        .build_hook(|b| b.timeout_minutes(30))
        .pipeline_hook(|p| p.execution_mode(ExecutionMode::Superseded))
        .pipeline_hook(|p| p.name("shop-delivery"));
    let template = seed(props).unwrap();
    let emails: Vec<Json> = ["ShopWebAlertsEmail1", "ShopWebAlertsEmail2"]
        .iter()
        .map(|id| properties(&template, id)["Endpoint"].clone())
        .collect();
    assert_eq!(emails, [json!("first@example.com"), json!("second@example.com")]);
    // The second service hook ran after the first.
    assert_eq!(properties(&template, "ShopWebService")["DeploymentConfiguration"]["MaximumPercent"], 180);
    let build = properties(&template, "ShopBuild");
    assert_eq!(build["Environment"]["ComputeType"], "BUILD_GENERAL1_MEDIUM");
    assert_eq!(build["TimeoutInMinutes"], 30);
    let pipeline = properties(&template, "ShopPipeline");
    assert_eq!(
        (pipeline["ExecutionMode"].clone(), pipeline["Name"].clone()),
        (json!("SUPERSEDED"), json!("shop-delivery"))
    );
}

#[test]
fn hooks_are_static_so_values_are_moved_into_them() {
    let emails = vec!["oncall@example.com".to_owned(), "team@example.com".to_owned()];
    let for_the_hook = emails.clone();
    let props = github().runtime_hook(move |r| for_the_hook.iter().fold(r, |r, e| r.alarm_email(e.clone())));
    let template = seed(props).unwrap();
    assert_eq!(properties(&template, "ShopWebAlertsEmail2")["Endpoint"], json!(emails[1]));
}

#[test]
fn a_hook_that_replaces_the_container_conflicts_with_the_port_setting() {
    let err = seed(github().container_port(8080).runtime_hook(|mut r| {
        let image = r.container.image.clone();
        r.container = ContainerDefinition::new("app", image).port(3000);
        r
    }))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Shop: runtime_hook leaves a container whose port is 3000, but SeedPipelineProps::container_port is 8080: set \
         container_port(3000) instead [pattern/hook-conflict]"
    );
    let err = seed(github().runtime_hook(|mut r| {
        r.container =
            ContainerDefinition::new("web", ContainerImage::Literal("public.ecr.aws/x/web:1".into())).port(8080);
        r
    }))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Shop: runtime_hook changes SeedPipelineProps::container_name from \"app\" to \"web\": set it in one place, \
         SeedPipelineProps::container_name [pattern/hook-conflict]\n\
         Shop: runtime_hook replaces the container's image: the pipeline releases through the ImageUri parameter, which \
         the container must keep [pattern/hook-conflict]"
    );
}

#[test]
fn a_hook_may_add_to_the_container_but_not_change_what_a_setting_set() {
    let added = seed(github().env("A", "1").runtime_hook(|mut r| {
        r.container = r.container.env("B", "2");
        r
    }))
    .unwrap();
    let container = &properties(&added, "ShopWebTask")["ContainerDefinitions"][0];
    assert_eq!(container["Environment"], json!([{"Name": "A", "Value": "1"}, {"Name": "B", "Value": "2"}]));
    let err = seed(github().env("A", "1").runtime_hook(|mut r| {
        r.container = r.container.env("A", "changed");
        r.size(FargateSize::CPU_1024_MEMORY_2048).desired_count(4).log_retention(Retention::OneWeek)
    }))
    .unwrap_err();
    insta::assert_snapshot!(err.to_string(), @r#"
    Shop: runtime_hook changes A from "1" to "changed", which SeedPipelineProps::env sets: set it in one place [pattern/hook-conflict]
    Shop: runtime_hook changes SeedPipelineProps::desired_count from None to Some(4): set it in one place, SeedPipelineProps::desired_count [pattern/hook-conflict]
    Shop: runtime_hook changes SeedPipelineProps::log_retention from OneYear to OneWeek: set it in one place, SeedPipelineProps::log_retention [pattern/hook-conflict]
    Shop: runtime_hook changes the size from 256 CPU units and 512 MiB to 1024 CPU units and 2048 MiB: set it in one place, SeedPipelineProps::size [pattern/hook-conflict]
    "#);
    let err = seed(github().alarm_email("a@example.com").runtime_hook(|mut r| {
        r.alarm_emails.clear();
        r
    }))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Shop: runtime_hook removes alarm e-mail \"a@example.com\", which SeedPipelineProps::alarm_email adds: set it in \
         one place [pattern/hook-conflict]"
    );
    let err = seed(github().build_hook(|b| b.log_retention(Retention::OneDay))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Shop: build_hook changes log_retention from OneYear to OneDay: set it in one place, the pattern's \
         log_retention [pattern/hook-conflict]"
    );
}
