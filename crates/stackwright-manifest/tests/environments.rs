//! `environments:`: stack names, order and cross-stack imports of the environments case, and
//! each bad input refused at its manifest line.

// Each error is printed for `--nocapture` readers.
#![allow(clippy::print_stderr)]

use stackwright_template::App;

const ENVIRONMENTS: &str = "\
name: shop
environments:
  - name: staging
    account: \"111111111111\"
    region: eu-west-1
    overrides: {approval: false}
  - name: production
    account: \"222222222222\"
    region: eu-west-1
    overrides:
      desired_count: 4
      alarm_thresholds: {QueueAge: 60}
services:
  - name: web
    type: web
    pipeline:
      source: {provider: github, repository: example-org/shop-web}
  - name: jobs
    type: worker
    alarms:
      rollback:
        - {id: QueueAge, namespace: AWS/SQS, metric: ApproximateAgeOfOldestMessage, comparison: greater_than, threshold: 900, evaluation_periods: 3}
    pipeline:
      source: {provider: github, repository: example-org/jobs}
";

fn synth(text: &str) -> Result<App, String> {
    stackwright_manifest::parse(text, "stackwright.yaml")
        .and_then(|m| stackwright_manifest::synthesize(&m, text, "stackwright.yaml"))
        .map_err(|e| e.to_string())
}

fn error_of(text: &str) -> String {
    match synth(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(error) => {
            eprintln!("{error}");
            error
        }
    }
}

fn template(app: &App, stack: &str) -> serde_json::Value {
    let stack = app.finished_stack(stack).unwrap_or_else(|| panic!("no stack {stack}"));
    serde_json::from_str(&stack.render()).unwrap()
}

fn resources_of_type<'a>(template: &'a serde_json::Value, kind: &str) -> Vec<&'a serde_json::Value> {
    template["Resources"].as_object().unwrap().values().filter(|r| r["Type"] == kind).collect()
}

#[test]
fn each_environment_gets_a_foundation_and_each_service_a_stack_and_one_pipeline() {
    let app = synth(ENVIRONMENTS).unwrap();
    let names: Vec<String> = app.finished_stacks().map(|(name, _)| name.to_string()).collect();
    let expected = [
        "foundation-production",
        "foundation-staging",
        "jobs-pipeline",
        "jobs-production",
        "jobs-staging",
        "web-pipeline",
        "web-production",
        "web-staging",
    ];
    assert_eq!(names, expected);
    // Each foundation before its services, which depend on it (and only on it); the pipeline
    // after the stacks it releases to.
    let order: Vec<&str> = app.in_dependency_order().iter().map(|(n, _)| n.as_str()).collect();
    let at = |name: &str| order.iter().position(|n| *n == name).unwrap();
    for env in ["staging", "production"] {
        for service in ["web", "jobs"] {
            let stack = format!("{service}-{env}");
            assert!(at(&format!("foundation-{env}")) < at(&stack), "{order:?}");
            assert!(at(&stack) < at(&format!("{service}-pipeline")), "{order:?}");
            let name = stackwright_template::StackName::new(&stack).unwrap();
            let deps: Vec<String> = app.dependencies(&name).iter().map(|(d, _)| d.to_string()).collect();
            assert_eq!(deps, [format!("foundation-{env}")], "{stack}");
        }
    }
}

#[test]
fn services_import_their_own_environments_foundation() {
    let app = synth(ENVIRONMENTS).unwrap();
    let foundation = template(&app, "foundation-production");
    assert_eq!(
        foundation["Outputs"]["ClusterArn"]["Export"]["Name"],
        serde_json::json!("foundation-production:ClusterArn")
    );
    for (stack, env) in [("web-staging", "staging"), ("jobs-production", "production")] {
        let rendered = app.finished_stack(stack).unwrap().render();
        assert!(rendered.contains(&format!("\"Fn::ImportValue\": \"foundation-{env}:ClusterArn\"")), "{stack}");
        let other = if env == "staging" { "production" } else { "staging" };
        assert!(!rendered.contains(&format!("foundation-{other}:")), "{stack} imports another environment");
        // The foundation's VPC and cluster are used, not created.
        let t = template(&app, stack);
        assert!(resources_of_type(&t, "AWS::EC2::VPC").is_empty(), "{stack}");
        assert!(resources_of_type(&t, "AWS::ECS::Cluster").is_empty(), "{stack}");
    }
}

#[test]
fn overrides_reach_the_services_and_the_promotion_asks_approval_where_the_environment_does() {
    let app = synth(ENVIRONMENTS).unwrap();
    for (stack, count) in [("web-staging", 2), ("web-production", 4), ("jobs-production", 4)] {
        let t = template(&app, stack);
        let service = resources_of_type(&t, "AWS::ECS::Service")[0];
        assert_eq!(service["Properties"]["DesiredCount"], count, "{stack}");
    }
    let jobs = template(&app, "jobs-production");
    let thresholds: Vec<f64> = resources_of_type(&jobs, "AWS::CloudWatch::Alarm")
        .iter()
        .filter(|a| a["Properties"]["MetricName"] == "ApproximateAgeOfOldestMessage")
        .map(|a| a["Properties"]["Threshold"].as_f64().unwrap())
        .collect();
    assert_eq!(thresholds, [60.0]);
    let pipeline = template(&app, "web-pipeline");
    let stages: Vec<&str> = resources_of_type(&pipeline, "AWS::CodePipeline::Pipeline")[0]["Properties"]["Stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Name"].as_str().unwrap())
        .collect();
    // Staging says `approval: false`; production keeps the service's default (`true`).
    assert_eq!(stages, ["Source", "Build", "Deploy-staging", "Approve-production", "Deploy-production"]);
}

#[test]
fn a_worker_is_promoted_with_its_rollout_and_no_pipeline_of_its_own() {
    let app = synth(ENVIRONMENTS).unwrap();
    for env in ["staging", "production"] {
        let jobs = template(&app, &format!("jobs-{env}"));
        for kind in ["AWS::CodePipeline::Pipeline", "AWS::CodeBuild::Project", "AWS::ECR::Repository"] {
            assert!(resources_of_type(&jobs, kind).is_empty(), "jobs-{env} has a {kind}");
        }
        let service = resources_of_type(&jobs, "AWS::ECS::Service")[0];
        let deployment = &service["Properties"]["DeploymentConfiguration"];
        assert_eq!(deployment["DeploymentCircuitBreaker"], serde_json::json!({"Enable": true, "Rollback": true}));
        assert_eq!(deployment["Alarms"]["Rollback"], true);
        let roles = resources_of_type(&jobs, "AWS::IAM::Role");
        assert!(roles.iter().any(|r| r["Properties"]["RoleName"] == format!("jobs-{env}-release")), "jobs-{env}");
    }
    let pipeline = template(&app, "jobs-pipeline");
    let repositories = resources_of_type(&pipeline, "AWS::ECR::Repository");
    assert_eq!(repositories[0]["Properties"]["RepositoryName"], "jobs");
}

#[test]
fn a_workers_smoke_tests_are_commands_per_environment() {
    let with_commands = ENVIRONMENTS.replace(
        "      source: {provider: github, repository: example-org/jobs}\n",
        "      source: {provider: github, repository: example-org/jobs}\n      smoke_test:\n        commands: {staging: ./bin/check-queue-drains}\n",
    );
    let app = synth(&with_commands).unwrap();
    let rendered = app.finished_stack("jobs-pipeline").unwrap().render();
    assert!(rendered.contains("JobsSmokeTestStaging"), "no staging smoke test");
    assert!(!rendered.contains("JobsSmokeTestProduction"), "production has no command");
    let error = error_of(&with_commands.replace("{staging: ./bin", "{stagign: ./bin"));
    assert!(error.contains("services[1].pipeline.smoke_test.commands: "), "{error}");
    assert!(error.contains("[promotion/smoke-test-environment]"), "{error}");
    let error = error_of(&with_commands.replace("{staging: ./bin/check-queue-drains}", "{staging: \"  \"}"));
    assert!(error.contains("services[1].pipeline.smoke_test.commands: commands must be at least one"), "{error}");
    assert!(error.contains("(Jobs/SmokeTestStaging) [codebuild-commands/empty]"), "{error}");
    let error =
        error_of(&with_commands.replace(
            "      smoke_test:\n        commands",
            "      smoke_test:\n        command: ./x\n        commands",
        ));
    assert!(error.contains("services[1].pipeline.smoke_test.command: with `environments:`, a worker's"), "{error}");
    let without = with_commands.split("services:").nth(1).map(|s| format!("name: shop\nservices:{s}")).unwrap();
    let error = error_of(&without);
    assert!(error.contains("services[1].pipeline.smoke_test.commands: `commands` names environments"), "{error}");
}

#[test]
fn an_ssm_secret_is_read_in_each_environments_own_account_and_region() {
    let secret = "    secrets:\n      DB_PASSWORD: {ssm: /shop/db-password}\n";
    let text = ENVIRONMENTS
        .replace("  - name: web\n", &format!("  - name: web\n{secret}"))
        .replace("  - name: jobs\n", &format!("  - name: jobs\n{secret}"));
    let app = synth(&text).unwrap();
    let arn = serde_json::json!({
        "Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/shop/db-password"
    });
    for stack in ["web-staging", "web-production", "jobs-staging", "jobs-production"] {
        let t = template(&app, stack);
        let task = resources_of_type(&t, "AWS::ECS::TaskDefinition")[0];
        let secrets = &task["Properties"]["ContainerDefinitions"][0]["Secrets"];
        assert_eq!(secrets, &serde_json::json!([{"Name": "DB_PASSWORD", "ValueFrom": arn}]), "{stack}");
        let rendered = app.finished_stack(stack).unwrap().render();
        assert!(rendered.contains("\"ssm:GetParameters\""), "{stack}: the execution role may not read it");
    }
}

#[test]
fn on_failure_fail_leaves_every_deploy_stage_without_rollback() {
    let failing = ENVIRONMENTS.replace(
        "      source: {provider: github, repository: example-org/jobs}\n",
        "      source: {provider: github, repository: example-org/jobs}\n      on_failure: fail\n",
    );
    let app = synth(&failing).unwrap();
    for (pipeline, rolls_back) in [("jobs-pipeline", false), ("web-pipeline", true)] {
        let t = template(&app, pipeline);
        let stages = resources_of_type(&t, "AWS::CodePipeline::Pipeline")[0]["Properties"]["Stages"].clone();
        let deploys: Vec<&serde_json::Value> =
            stages.as_array().unwrap().iter().filter(|s| s["Name"].as_str().unwrap().starts_with("Deploy-")).collect();
        assert_eq!(deploys.len(), 2, "{pipeline}");
        for stage in deploys {
            assert_eq!(stage.get("OnFailure").is_some(), rolls_back, "{pipeline}: {stage}");
        }
    }
}

#[test]
fn without_environments_nothing_changes() {
    let text = ENVIRONMENTS.split("services:").nth(1).map(|s| format!("name: shop\nservices:{s}")).unwrap();
    let app = synth(&text).unwrap();
    let names: Vec<String> = app.finished_stacks().map(|(name, _)| name.to_string()).collect();
    assert_eq!(names, ["shop-jobs", "shop-web"]);
}

#[test]
fn a_duplicate_environment_name_is_refused_at_its_line() {
    let error = error_of(&ENVIRONMENTS.replace("name: production", "name: staging"));
    assert!(
        error.starts_with(
            "stackwright.yaml:7:5: environments[1].name: duplicate environment name `staging`: environments[0] has it too"
        ),
        "{error}"
    );
}

#[test]
fn a_bad_account_is_refused_at_its_line() {
    let error = error_of(&ENVIRONMENTS.replace("\"222222222222\"", "\"2222\""));
    assert!(error.starts_with("stackwright.yaml:8:5: environments[1].account: "), "{error}");
    assert!(error.contains("12-digit AWS account ID"), "{error}");
}

#[test]
fn a_bad_environment_name_and_region_are_refused_at_their_lines() {
    let error = error_of(&ENVIRONMENTS.replace("name: staging", "name: Staging"));
    assert!(error.starts_with("stackwright.yaml:3:5: environments[0].name: "), "{error}");
    let error = error_of(
        &ENVIRONMENTS
            .replace("region: eu-west-1\n    overrides: {approval", "region: europe\n    overrides: {approval"),
    );
    assert!(error.starts_with("stackwright.yaml:5:5: environments[0].region: "), "{error}");
}

#[test]
fn an_unknown_override_is_refused_with_a_suggestion() {
    let error = error_of(&ENVIRONMENTS.replace("desired_count: 4", "desired_cont: 4"));
    assert!(error.starts_with("stackwright.yaml:11:7: environments[1].overrides"), "{error}");
    assert!(error.contains("did you mean `desired_count`?"), "{error}");
}

#[test]
fn a_threshold_for_no_alarm_and_a_bad_size_are_refused() {
    let error = error_of(&ENVIRONMENTS.replace("{QueueAge: 60}", "{QueueAg: 60}"));
    assert!(
        error.contains("environments[1].overrides.alarm_thresholds.QueueAg: no service has a rollback alarm"),
        "{error}"
    );
    let error = error_of(&ENVIRONMENTS.replace("desired_count: 4", "size: {cpu: 256, memory: 8192}"));
    assert!(error.starts_with("stackwright.yaml:11:7: environments[1].overrides.size: "), "{error}");
}

#[test]
fn keys_this_mode_does_not_carry_are_refused_not_ignored() {
    let error = error_of(&ENVIRONMENTS.replace("  - name: web\n", "  - name: web\n    stack: my-web\n"));
    assert!(error.contains("services[0].stack: with `environments:`, a service's stacks are"), "{error}");
    let error = error_of(&ENVIRONMENTS.replace("  - name: web\n", "  - name: web\n    networking: new_vpc\n"));
    assert!(error.contains("services[0].networking: with `environments:`"), "{error}");
    for (at, service) in [(0, "  - name: web\n"), (1, "  - name: jobs\n")] {
        let arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf";
        let with = format!("{service}    secrets:\n      DB_PASSWORD: {{secrets_manager: {arn}}}\n");
        let error = error_of(&ENVIRONMENTS.replace(service, &with));
        let expected = format!(
            "services[{at}].secrets.DB_PASSWORD.secrets_manager: with `environments:`, a Secrets Manager ARN names \
             one account's secret for every environment; use `ssm`"
        );
        assert!(error.contains(&expected), "{error}");
    }
    let error = error_of(&ENVIRONMENTS.replace(
        "      source: {provider: github, repository: example-org/jobs}\n",
        "      source: {provider: github, repository: example-org/jobs}\n      release: ecs_deploy_action\n",
    ));
    assert!(
        error.contains("services[1].pipeline.release: with `environments:`, a promotion releases by stack update"),
        "{error}"
    );
}

#[test]
fn smoke_test_urls_are_per_environment_and_name_environments() {
    let with_urls = ENVIRONMENTS.replace(
        "      source: {provider: github, repository: example-org/shop-web}\n",
        "      source: {provider: github, repository: example-org/shop-web}\n      smoke_test:\n        urls: {staging: https://web.staging.example.com/}\n",
    );
    let app = synth(&with_urls).unwrap();
    let rendered = app.finished_stack("web-pipeline").unwrap().render();
    assert!(rendered.contains("WebSmokeTestStaging"), "no staging smoke test");
    assert!(!rendered.contains("WebSmokeTestProduction"), "production has no URL");
    let error = error_of(&with_urls.replace("{staging: https", "{stagign: https"));
    assert!(error.contains("services[0].pipeline.smoke_test.urls: "), "{error}");
    assert!(error.contains("[promotion/smoke-test-environment]"), "{error}");
    let error =
        error_of(&with_urls.replace("      smoke_test:\n", "      smoke_test:\n        url: https://x.example.com/\n"));
    assert!(error.contains("services[0].pipeline.smoke_test.url: with `environments:`"), "{error}");
    let without = with_urls.split("services:").nth(1).map(|s| format!("name: shop\nservices:{s}")).unwrap();
    let error = error_of(&without);
    assert!(error.contains("services[0].pipeline.smoke_test.urls: `urls` names environments"), "{error}");
}
