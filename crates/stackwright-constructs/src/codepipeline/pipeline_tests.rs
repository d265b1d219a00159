use serde_json::{Value as Json, json};

use super::*;
use crate::codebuild::{BuildKind, ImageBuild, Project, ProjectProps, Report};
use crate::codecommit;
use crate::codepipeline::{
    CodeBuildAction, CodeCommitSource, CodeStarSource, DeploymentTimeout, EcrSource, EcsDeploy, ManualApproval,
    PushFilter, S3Source,
};
use crate::codestar::{Connection, ConnectionProps, ProviderType};
use crate::ecr::{Repository, RepositoryProps};
use crate::kms::KeyProps;

struct Fixture {
    stack: Stack,
    key: Key,
    repo: Repository,
    build: Project,
    smoke: Project,
}

fn fixture() -> Fixture {
    let mut stack = Stack::new("t").unwrap();
    let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
    let repo = Repository::new(&mut stack, "Repo", &key, RepositoryProps::new().name("app")).unwrap();
    let image = ImageBuild::new(&repo, "web").unit_test_command("make test");
    let build = Project::new(
        &mut stack,
        "Build",
        &key,
        ProjectProps::new(BuildKind::Image(image)).report(Report::junit("unit", "reports")),
    )
    .unwrap();
    let smoke = Project::new(
        &mut stack,
        "Smoke",
        &key,
        ProjectProps::smoke_test("https://app.example.com", ["curl -fsS \"$SERVICE_URL\""]),
    )
    .unwrap();
    Fixture { stack, key, repo, build, smoke }
}

fn deploy() -> EcsDeploy {
    EcsDeploy::new("cluster", "service", "Image", "web")
        .pass_role("arn:aws:iam::111122223333:role/exec")
        .timeout(DeploymentTimeout::minutes(30))
}

fn seed_stages(f: &Fixture, connection_arn: Value<String>) -> Vec<Stage> {
    vec![
        Stage::new("Source").action(
            CodeStarSource::new(connection_arn, "acme/app", "main")
                .trigger(PushFilter::branches(["main"]).exclude_file_paths(["docs/**"])),
        ),
        Stage::new("Build").action(CodeBuildAction::new(&f.build, "Source").output("Image")),
        Stage::new("Approve").action(
            ManualApproval::new()
                .notify("arn:aws:sns:eu-west-1:111122223333:approvals")
                .message("Ship it?")
                .review_url("https://example.com/review"),
        ),
        Stage::new("Deploy").action(deploy()),
        Stage::new("PostDeploy").action(CodeBuildAction::test(&f.smoke, "Source").name("Smoke")),
    ]
}

fn properties(done: &stackwright_template::Stack, id: &str) -> Json {
    json!(done.template().resources()[&LogicalId::new(id).unwrap()].properties)
}

fn statements(done: &stackwright_template::Stack, role: &str) -> Vec<Json> {
    properties(done, role)["Policies"][0]["PolicyDocument"]["Statement"].as_array().unwrap().clone()
}

#[test]
fn seed_pipeline_renders_v2_stages_triggers_and_rollback() {
    let mut f = fixture();
    let connection =
        Connection::new(&mut f.stack, "GitHub", ConnectionProps::new("app", ProviderType::GitHub)).unwrap();
    let stages = seed_stages(&f, connection.arn());
    let pipeline = Pipeline::new(&mut f.stack, "Pipeline", &f.key, PipelineProps::new(stages)).unwrap();
    pipeline.notify_failures(&mut f.stack, "arn:aws:sns:eu-west-1:111122223333:alarms").unwrap();
    let done = f.stack.finish().unwrap();
    let p = properties(&done, "Pipeline");
    assert_eq!(p["PipelineType"], "V2");
    assert_eq!(p["ExecutionMode"], "QUEUED");
    assert_eq!(p["RestartExecutionOnUpdate"], false);
    assert_eq!(
        p["ArtifactStore"],
        json!({"Type": "S3", "Location": {"Ref": "PipelineArtifacts"}, "EncryptionKey": {"Id": {"Fn::GetAtt": ["Key", "Arn"]}, "Type": "KMS"}})
    );
    assert_eq!(
        p["Triggers"],
        json!([{"ProviderType": "CodeStarSourceConnection", "GitConfiguration": {"SourceActionName": "Source", "Push": [
            {"Branches": {"Includes": ["main"]}, "FilePaths": {"Excludes": ["docs/**"]}}
        ]}}])
    );
    let stages = p["Stages"].as_array().unwrap();
    assert_eq!(
        stages.iter().map(|s| s["Name"].as_str().unwrap()).collect::<Vec<_>>(),
        ["Source", "Build", "Approve", "Deploy", "PostDeploy"]
    );
    assert_eq!(
        stages[0]["Actions"][0],
        json!({
            "Name": "Source", "RunOrder": 1,
            "ActionTypeId": {"Category": "Source", "Owner": "AWS", "Provider": "CodeStarSourceConnection", "Version": "1"},
            "Configuration": {"BranchName": "main", "ConnectionArn": {"Fn::GetAtt": ["GitHub", "ConnectionArn"]}, "DetectChanges": "true",
                              "FullRepositoryId": "acme/app", "OutputArtifactFormat": "CODE_ZIP"},
            "OutputArtifacts": [{"Name": "Source"}]
        })
    );
    assert_eq!(stages[1]["Actions"][0]["Configuration"], json!({"ProjectName": {"Ref": "Build"}}));
    assert_eq!(
        stages[2]["Actions"][0]["Configuration"],
        json!({
            "CustomData": "Ship it?", "ExternalEntityLink": "https://example.com/review",
            "NotificationArn": "arn:aws:sns:eu-west-1:111122223333:approvals"
        })
    );
    assert_eq!(
        stages[3]["Actions"][0]["Configuration"],
        json!({
            "ClusterName": "cluster", "DeploymentTimeout": "30", "FileName": "imagedefinitions.json", "ServiceName": "service"
        })
    );
    assert_eq!(stages[3]["OnFailure"], json!({"Result": "ROLLBACK"}));
    assert!(stages[1].get("OnFailure").is_none());
    assert_eq!(stages[4]["Actions"][0]["ActionTypeId"]["Category"], "Test");

    let role = statements(&done, "PipelineRole");
    let actions: Vec<&Json> = role.iter().map(|s| &s["Action"]).collect();
    assert!(role.iter().all(|s| !s["Action"].to_string().contains('*')));
    assert!(actions.contains(&&json!(["codeconnections:UseConnection", "codestar-connections:UseConnection"])));
    assert!(actions.contains(&&json!(["codebuild:BatchGetBuilds", "codebuild:StartBuild", "codebuild:StopBuild"])));
    let pass = role.iter().find(|s| s["Action"] == "iam:PassRole").unwrap();
    assert_eq!(pass["Resource"], "arn:aws:iam::111122223333:role/exec");
    assert_eq!(pass["Condition"], json!({"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}));
    let service = role.iter().find(|s| s["Action"] == json!(["ecs:DescribeServices", "ecs:UpdateService"])).unwrap();
    assert_eq!(
        service["Resource"],
        json!({"Fn::Sub": ["arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/${Cluster}/${Service}", {"Cluster": "cluster", "Service": "service"}]})
    );
    let wildcard: Vec<&Json> = role.iter().filter(|s| s["Resource"] == "*").map(|s| &s["Action"]).collect();
    assert_eq!(
        wildcard,
        [
            &json!(["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"]),
            &json!(["ecs:DescribeTasks", "ecs:ListTasks"])
        ]
    );
    assert!(actions.contains(&&json!("sns:Publish")));

    // The build project may read and write artifacts; the smoke test only read them.
    let build = statements(&done, "BuildRole");
    assert!(build.iter().any(|s| s["Action"] == json!(["s3:AbortMultipartUpload", "s3:PutObject"])));
    let smoke = statements(&done, "SmokeRole");
    assert!(!smoke.iter().any(|s| s["Action"] == json!(["s3:AbortMultipartUpload", "s3:PutObject"])));

    let artifacts = properties(&done, "PipelineArtifacts");
    assert_eq!(artifacts["LoggingConfiguration"]["DestinationBucketName"], json!({"Ref": "PipelineAccessLogs"}));
    let failures = properties(&done, "PipelineFailures");
    assert_eq!(failures["EventPattern"]["detail"], json!({"state": ["FAILED"]}));
    assert_eq!(failures["Targets"][0]["Arn"], "arn:aws:sns:eu-west-1:111122223333:alarms");
}

#[test]
fn codecommit_ecr_and_s3_sources() {
    let mut f = fixture();
    let source = codecommit::Repository::new(&mut f.stack, "Code", codecommit::RepositoryProps::new("app")).unwrap();
    let bucket = Bucket::new(&mut f.stack, "Drop", BucketProps::new(BucketEncryption::Kms(f.key.clone()))).unwrap();
    let stages = vec![
        Stage::new("Source")
            .action(CodeCommitSource::from_repository(&source, "main"))
            .action(EcrSource::new(&f.repo, "base").name("Base").output("Base"))
            .action(S3Source::new(&bucket, "config.zip").name("Config").output("Config")),
        Stage::new("Build").action(CodeBuildAction::new(&f.build, "Source").output("Image")),
    ];
    Pipeline::new(
        &mut f.stack,
        "Pipeline",
        &f.key,
        PipelineProps::new(stages).execution_mode(ExecutionMode::Superseded),
    )
    .unwrap();
    let done = f.stack.finish().unwrap();
    let p = properties(&done, "Pipeline");
    assert_eq!(p["ExecutionMode"], "SUPERSEDED");
    assert!(p.get("Triggers").is_none());
    let actions = &p["Stages"][0]["Actions"];
    assert_eq!(
        actions[0]["Configuration"],
        json!({"BranchName": "main", "OutputArtifactFormat": "CODE_ZIP", "PollForSourceChanges": "false", "RepositoryName": {"Ref": "Code"}})
    );
    assert_eq!(actions[1]["Configuration"], json!({"ImageTag": "base", "RepositoryName": {"Ref": "Repo"}}));
    assert_eq!(
        actions[2]["Configuration"],
        json!({"PollForSourceChanges": "false", "S3Bucket": {"Ref": "Drop"}, "S3ObjectKey": "config.zip"})
    );
    let rule = properties(&done, "PipelineSourcePush");
    assert_eq!(rule["EventPattern"]["detail"]["referenceName"], json!(["main"]));
    assert_eq!(rule["Targets"][0]["RoleArn"], json!({"Fn::GetAtt": ["PipelineSourcePushRole", "Arn"]}));
    let start = statements(&done, "PipelineSourcePushRole");
    assert_eq!(start[0]["Action"], "codepipeline:StartPipelineExecution");
}

#[test]
fn every_shape_rule_is_reported() {
    let mut f = fixture();
    let stages = vec![
        Stage::new("Source")
            .action(CodeBuildAction::new(&f.build, "Nothing").name("Early"))
            .action(CodeStarSource::new("arn:conn", "acme", "").trigger(PushFilter::default())),
        Stage::new("Source").action(CodeStarSource::new("arn:conn", "acme/app", "main").name("Late").output("Out")),
        Stage::new("Bad name!"),
        Stage::new("Deploy")
            .action(EcsDeploy::new("c", "s", "Out", "web").timeout(DeploymentTimeout::minutes(61)).run_order(0))
            .action(ManualApproval::new().name("Deploy").review_url("http://x").message("m".repeat(501))),
    ];
    Pipeline::new(&mut f.stack, "Pipeline", &f.key, PipelineProps::new(stages).artifact_expiry_days(0).name("a b"))
        .unwrap();
    let err = f.stack.finish().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Pipeline: action Deploy: message must be at most 500 characters, got 501 [approval/message-length]\n\
         Pipeline: action Deploy: review_url must be an https:// URL of at most 2048 characters, got \"http://x\" [approval/review-url]\n\
         Pipeline: action Source: branch must not be empty [codestar-source/branch]\n\
         Pipeline: action Source: repository must be `owner/name`, got \"acme\" [codestar-source/repository]\n\
         Pipeline: stage Deploy: action Deploy deploys artifact \"Out\", but action Late does not write imagedefinitions.json (only an image build does) [ecs-deploy/image-definitions]\n\
         Pipeline: action Deploy: name the task definition's execution (and task) role with pass_role: registering the new revision passes them [ecs-deploy/pass-roles]\n\
         Pipeline: action Deploy: deployment timeout must be 1..=60 minutes, got 61 [ecs-deploy/timeout-range]\n\
         Pipeline: action Source: a push filter needs at least one branch pattern to include [pipeline-trigger/branches]\n\
         Pipeline: artifact_expiry_days must be at least 1, got 0 [pipeline/artifact-expiry]\n\
         Pipeline: stage Deploy: action Deploy is defined more than once [pipeline/duplicate-action]\n\
         Pipeline: stage Source is defined more than once [pipeline/duplicate-stage]\n\
         Pipeline: stage Source is the first stage and may only hold source actions [pipeline/first-stage-source]\n\
         Pipeline: name must be 1-100 of A-Z a-z 0-9 . @ - _, got \"a b\" [pipeline/name]\n\
         Pipeline: stage Deploy: action Deploy run order must be 1..=999, got 0 [pipeline/run-order]\n\
         Pipeline: stage Source: source action Late must be in the first stage [pipeline/source-outside-first]\n\
         Pipeline: stage Bad name! must hold 1 to 50 actions, got 0 [pipeline/stage-actions]\n\
         Pipeline: stage name must be 1-100 of A-Z a-z 0-9 . @ - _, got \"Bad name!\" [pipeline/stage-name]\n\
         Pipeline: stage Source: action Early reads artifact \"Nothing\", which no earlier action writes [pipeline/unknown-input]"
    );
}

#[test]
fn deploy_must_name_the_built_container_and_read_finished_artifacts() {
    let mut f = fixture();
    let stages = vec![
        Stage::new("Source").action(CodeStarSource::new("arn:conn", "acme/app", "main")).rollback_on_failure(true),
        Stage::new("Stage")
            .rollback_on_failure(false)
            .action(CodeBuildAction::new(&f.build, "Source").output("Image").run_order(1))
            .action(EcsDeploy::new("c", "s", "Image", "api").pass_role("arn:role").run_order(2))
            .action(CodeBuildAction::test(&f.smoke, "Later").run_order(1))
            .action(CodeBuildAction::test(&f.build, "Source").name("Smoke").output("Later").run_order(1))
            .action(CodeBuildAction::test(&f.smoke, "Source").name("Again").output("Later").run_order(3)),
    ];
    Pipeline::new(&mut f.stack, "Pipeline", &f.key, PipelineProps::new(stages)).unwrap();
    let err = f.stack.finish().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Pipeline: action Again: output \"Later\" needs a project whose buildspec declares artifacts (an image build); this project's does not [codebuild-action/output]\n\
         Pipeline: stage Stage: action Deploy deploys container \"api\", but action Build writes imagedefinitions.json for container \"web\" [ecs-deploy/container-name]\n\
         Pipeline: stage Stage: artifact \"Later\" is written by more than one action [pipeline/duplicate-output]\n\
         Pipeline: stage Source is the source stage and cannot roll back [pipeline/source-rollback]\n\
         Pipeline: stage Stage: action Test reads artifact \"Later\", which no earlier action writes [pipeline/unknown-input]"
    );
}

#[test]
fn a_single_stage_is_not_a_pipeline() {
    let mut f = fixture();
    let stages = vec![Stage::new("Source").action(CodeStarSource::new("arn:conn", "acme/app", "main"))];
    Pipeline::new(&mut f.stack, "Pipeline", &f.key, PipelineProps::new(stages)).unwrap();
    let err = f.stack.finish().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Pipeline: a pipeline needs at least 2 stages (a source stage and one more), got 1 [pipeline/stage-count]"
    );
}

#[test]
fn the_same_props_render_the_same_bytes() {
    let render = || {
        let mut f = fixture();
        let stages = seed_stages(&f, "arn:aws:codeconnections:eu-west-1:111122223333:connection/x".into());
        Pipeline::new(&mut f.stack, "Pipeline", &f.key, PipelineProps::new(stages)).unwrap();
        f.stack.finish().unwrap().template().render()
    };
    assert_eq!(render(), render());
}

#[test]
fn action_and_artifact_rules() {
    let mut f = fixture();
    let stages = vec![
        Stage::new("Source").action(CodeCommitSource::new("bad name", "").output("bad artifact")).action(
            CodeStarSource::new("arn:conn", "acme/app", "main")
                .name("Git")
                .output("Git")
                .trigger(PushFilter::branches(["main"]).file_paths(["a", "b", "c", "d", "e", "f", "g", "h", "i"])),
        ),
        Stage::new("Build").action(
            CodeBuildAction::new(&f.build, "Git").name("Build!").env("CODEBUILD_X", "1").env("A", "1").env("A", "2"),
        ),
    ];
    Pipeline::new(&mut f.stack, "Pipeline", &f.key, PipelineProps::new(stages)).unwrap();
    let err = f.stack.finish().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Pipeline: action Build!: environment variable A is defined more than once [codebuild-action/env-duplicate]\n\
         Pipeline: action Build!: environment variable name must match [A-Za-z_][A-Za-z0-9_]* and not start with CODEBUILD_, got \"CODEBUILD_X\" [codebuild-action/env-name]\n\
         Pipeline: action Source: branch must not be empty [codecommit-source/branch]\n\
         Pipeline: action Source: repository_name must be 1-100 of A-Z a-z 0-9 . _ -, got \"bad name\" [codecommit-source/repository]\n\
         Pipeline: action Git: file_paths_include must hold at most 8 non-empty patterns, got [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", \"i\"] [pipeline-trigger/patterns]\n\
         Pipeline: stage Build: action name must be 1-100 of A-Z a-z 0-9 . @ - _, got \"Build!\" [pipeline/action-name]\n\
         Pipeline: stage Source: artifact name must be 1-100 of A-Z a-z 0-9 - _, got \"bad artifact\" [pipeline/artifact-name]"
    );
}

#[test]
fn action_defaults() {
    let f = fixture();
    let deploy = EcsDeploy::new("c", "s", "Image", "web");
    assert_eq!((deploy.name.as_str(), deploy.timeout, deploy.run_order), ("Deploy", DeploymentTimeout::minutes(60), 1));
    let approval = ManualApproval::new();
    assert_eq!(approval.name, "Approve");
    assert!(approval.topic_arn.is_none() && approval.message.is_none() && approval.review_url.is_none());
    let build = CodeBuildAction::new(&f.build, "Source");
    assert_eq!((build.name.as_str(), build.is_test, build.output.as_deref()), ("Build", false, None));
    let test = CodeBuildAction::test(&f.smoke, "Source");
    assert_eq!((test.name.as_str(), test.is_test), ("Test", true));
    let source = CodeStarSource::new("arn:conn", "acme/app", "main");
    assert_eq!((source.name.as_str(), source.output.as_str(), source.trigger.is_none()), ("Source", "Source", true));
    let ecr = EcrSource::new(&f.repo, "base");
    assert_eq!((ecr.name.as_str(), ecr.output.as_str()), ("Image", "Image"));
    let props = PipelineProps::new([]);
    assert_eq!(props.execution_mode, ExecutionMode::Queued);
    assert_eq!((props.artifact_expiry_days, props.restart_execution_on_update), (365, false));
    assert!(props.access_logs.is_none() && props.name.is_none());
}
