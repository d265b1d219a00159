//! The promotion pipelines of the web service and of the worker: each built once, released to
//! staging and smoke-tested, approved, released to production in another account through a
//! role there that trusts only that release project and may update only that stack.

use stackwright_testing::{Capture, Match, Template, json, pattern};

/// The promoted services: the web and files services, smoke-tested by URL in both
/// environments, and the worker, which has no URL, smoke-tested by a command in staging only.
const SERVICES: [&str; 3] = ["web", "worker", "files"];

#[test]
fn one_build_then_staging_approval_and_production_each_rolling_back() {
    let app = example_platform::app().unwrap();
    for service in SERVICES {
        stages_of(&app, service);
    }
}

fn stages_of(app: &stackwright_template::App, service: &str) {
    let pipeline = Template::from_app(app, &format!("{service}-pipeline"));
    pipeline.resource_count_is("AWS::CodePipeline::Pipeline", 1);
    let stages = Capture::new();
    pipeline
        .has_resource_properties("AWS::CodePipeline::Pipeline", pattern!({"PipelineType": "V2", "Stages": &stages}));
    let stages = stages.value();
    let names: Vec<&str> = stages.as_array().unwrap().iter().map(|s| s["Name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Source", "Build", "Deploy-staging", "Approve-production", "Deploy-production"]);
    for stage in &stages.as_array().unwrap()[2..] {
        let rolls_back = stage["OnFailure"] == json!({"Result": "ROLLBACK"});
        assert_eq!(rolls_back, stage["Name"].as_str().unwrap().starts_with("Deploy-"), "{stage}");
    }
    for (stage, smoke_tested) in [(2, true), (4, service != "worker")] {
        let actions = stages[stage]["Actions"].as_array().unwrap();
        assert_eq!(actions[0]["Name"], "Release");
        assert_eq!(actions[0]["RunOrder"], 1);
        assert_eq!(actions[0]["InputArtifacts"], json!([{"Name": "Image"}]));
        assert_eq!(actions.len(), if smoke_tested { 2 } else { 1 }, "{service}: {actions:?}");
        if smoke_tested {
            assert_eq!(actions[1]["Name"], "SmokeTest");
            assert_eq!(actions[1]["RunOrder"], 2);
        }
    }
    // One image build: only the Build stage writes the image.
    pipeline.resource_properties_count_is(
        "AWS::CodeBuild::Project",
        pattern!({"Environment": {"PrivilegedMode": true}}),
        1,
    );
}

#[test]
fn the_worker_has_no_pipeline_of_its_own_and_its_staging_smoke_test_is_a_command() {
    let app = example_platform::app().unwrap();
    for env in ["staging", "production"] {
        let worker = Template::from_app(&app, &format!("worker-{env}"));
        for kind in ["AWS::CodePipeline::Pipeline", "AWS::CodeBuild::Project", "AWS::ECR::Repository"] {
            worker.resource_count_is(kind, 0);
        }
        // It keeps its rollout: rolled back by the circuit breaker and by its queue-age alarm.
        worker.has_resource_properties(
            "AWS::ECS::Service",
            pattern!({"DeploymentConfiguration": {
                "Alarms": {"AlarmNames": [{"Fn::Sub": "${AWS::StackName}-Jobs-QueueAge"}], "Enable": true, "Rollback": true},
                "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true},
                "MaximumPercent": 200,
                "MinimumHealthyPercent": 100,
            }}),
        );
    }
    let pipeline = Template::from_app(&app, "worker-pipeline");
    let spec = Capture::new();
    pipeline.has_resource_properties(
        "AWS::CodeBuild::Project",
        pattern!({"Name": {"Fn::Sub": "${AWS::StackName}-Worker-SmokeTestStaging"}, "Source": {"BuildSpec": &spec}}),
    );
    assert!(spec.value().as_str().unwrap().contains("- \"./bin/check-queue-drains jobs-staging\""), "{}", spec.value());
}

#[test]
fn the_production_release_assumes_only_its_role_and_the_role_updates_only_its_stack() {
    let app = example_platform::app().unwrap();
    for service in SERVICES {
        release_of(&app, service);
    }
}

fn release_of(app: &stackwright_template::App, service: &str) {
    let pipeline = Template::from_app(app, &format!("{service}-pipeline"));
    let role_arn =
        json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:iam::222222222222:role/{service}-production-release")});
    pipeline.has_resource_properties(
        "AWS::IAM::Role",
        pattern!({
            "RoleName": format!("{service}-pipeline-release-production"),
            "Policies": Match::array_with([pattern!({"PolicyDocument": {"Statement": Match::array_with([
                pattern!({"Action": "sts:AssumeRole", "Effect": "Allow", "Resource": role_arn.clone()})
            ])}})]),
        }),
    );
    pipeline.has_resource_properties(
        "AWS::CodeBuild::Project",
        pattern!({"Environment": {"EnvironmentVariables": Match::array_with([
            pattern!({"Name": "STACK_ID", "Value": format!("{service}-production")}),
            pattern!({"Name": "RELEASE_ROLE_ARN", "Value": role_arn}),
            pattern!({"Name": "TARGET_REGION", "Value": "eu-west-1"}),
        ])}}),
    );
    // The other account may pull the image, nothing more.
    pipeline.has_resource_properties(
        "AWS::ECR::Repository",
        pattern!({"RepositoryPolicyText": {"Statement": [{
            "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            "Effect": "Allow",
            "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::222222222222:root"}},
            "Sid": "PullFrom222222222222",
        }]}}),
    );

    let production = Template::from_app(app, &format!("{service}-production"));
    production.has_resource_properties(
        "AWS::IAM::Role",
        pattern!({
            "RoleName": format!("{service}-production-release"),
            "AssumeRolePolicyDocument": {"Statement": [{
                "Action": "sts:AssumeRole",
                "Condition": {"ArnEquals": {"aws:PrincipalArn": {
                    "Fn::Sub": format!("arn:${{AWS::Partition}}:iam::111111111111:role/{service}-pipeline-release-production")
                }}},
                "Effect": "Allow",
                "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::111111111111:root"}},
            }]},
            "Policies": [{"PolicyDocument": {"Statement": Match::array_with([pattern!({
                "Action": [
                    "cloudformation:CancelUpdateStack",
                    "cloudformation:DescribeStackEvents",
                    "cloudformation:DescribeStacks",
                    "cloudformation:UpdateStack",
                ],
                "Resource": {"Ref": "AWS::StackId"},
            })])}, "PolicyName": Match::any_value()}],
        }),
    );
    // The release role's grants never use a wildcard action.
    let statements = Capture::new();
    production.has_resource_properties(
        "AWS::IAM::Role",
        pattern!({
            "RoleName": format!("{service}-production-release"),
            "Policies": [{"PolicyDocument": {"Statement": &statements}}],
        }),
    );
    for statement in statements.value().as_array().unwrap() {
        let actions = statement["Action"].as_array().cloned().unwrap_or_else(|| vec![statement["Action"].clone()]);
        assert!(actions.iter().all(|a| !a.as_str().unwrap().contains('*')), "{statement}");
    }
}

#[test]
fn the_pipeline_is_deployed_after_the_stacks_it_releases_to() {
    let app = example_platform::app().unwrap();
    let order: Vec<&str> = app.in_dependency_order().iter().map(|(n, _)| n.as_str()).collect();
    let at = |name: &str| order.iter().position(|n| *n == name).unwrap();
    for service in SERVICES {
        let pipeline = format!("{service}-pipeline");
        for env in ["staging", "production"] {
            assert!(at(&format!("{service}-{env}")) < at(&pipeline), "{order:?}");
        }
        let name = stackwright_template::StackName::new(&pipeline).unwrap();
        let deps: Vec<String> = app.dependencies(&name).iter().map(|(on, _)| on.to_string()).collect();
        assert_eq!(deps, [format!("{service}-production"), format!("{service}-staging")]);
    }
}
