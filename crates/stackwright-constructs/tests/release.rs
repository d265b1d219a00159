//! The release build: a stack update that changes only the image parameter, its buildspec
//! (rendered from the finished template), its least-privilege role, and what its script does
//! when CloudFormation succeeds, has nothing to do, is busy, rolls back or takes too long — the
//! last ones run against a stub `aws` command, since no local CloudFormation can fail an ECS
//! deployment (the moto judge runs the success paths against a real CloudFormation API).

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::{Value as Json, json};
use stackwright_constructs::codebuild::{BuildKind, Project, ProjectProps, ReleaseBuild};
use stackwright_constructs::codepipeline::DeploymentTimeout;
use stackwright_constructs::ec2::Networking;
use stackwright_constructs::ecr::{Repository, RepositoryProps};
use stackwright_constructs::ecs::{
    Cluster, ClusterProps, ContainerDefinition, ContainerImage, FargateService, FargateServiceProps, FargateSize,
    FargateTaskDefinition, FargateTaskDefinitionProps,
};
use stackwright_constructs::kms::Key;
use stackwright_constructs::{Error, Stack};
use stackwright_template::Parameter;

/// A stack with a service whose image is the `ImageUri` parameter (given `image_default`), and
/// a release project for it; `late_parameter` is added after the project.
fn release_stack(image_default: Option<&str>, timeout: u32, late_parameter: bool) -> Result<Json, Error> {
    let (mut stack, key) = common::stack();
    let repository = Repository::new(&mut stack, "Repo", &key, RepositoryProps::new().name("shop"))?;
    let mut parameter = Parameter::string();
    if let Some(default) = image_default {
        parameter = parameter.default_value(default);
    }
    let image = stack.add_parameter("ImageUri", parameter)?;
    let container = ContainerDefinition::new(
        "web",
        ContainerImage::Bootstrap { image: image.value(), repository_arn: repository.arn() },
    )
    .port(8080);
    let cluster = Cluster::new(&mut stack, "Cluster", ClusterProps::new())?;
    let task = FargateTaskDefinition::new(
        &mut stack,
        "Task",
        FargateTaskDefinitionProps::new(&key, FargateSize::CPU_256_MEMORY_512, container),
    )?;
    let networking = Networking::from_parameters(&mut stack)?;
    let service = FargateService::new(&mut stack, "Service", FargateServiceProps::new(&cluster, &task, &networking))?;
    let release = ReleaseBuild::new(&repository, "ImageUri", &service, &task)
        .deployment_timeout(DeploymentTimeout::minutes(timeout));
    Project::new(&mut stack, "Release", &key, ProjectProps::new(BuildKind::Release(release)))?;
    if late_parameter {
        stack.add_parameter("AddedLater", Parameter::string().default_value("x"))?;
    }
    Ok(serde_json::from_str(&stack.finish()?.template().render()).expect("the template is JSON"))
}

fn buildspec(template: &Json) -> String {
    template["Resources"]["Release"]["Properties"]["Source"]["BuildSpec"].as_str().expect("a buildspec").to_owned()
}

/// The release script: the one command of the build phase, a YAML literal block.
fn script(buildspec: &str) -> String {
    let mut lines = buildspec.lines().skip_while(|line| line.trim() != "- |").skip(1);
    let mut script = String::new();
    for line in lines.by_ref() {
        if !line.is_empty() && !line.starts_with("        ") {
            break;
        }
        script.push_str(line.get(8..).unwrap_or(""));
        script.push('\n');
    }
    script
}

#[test]
fn the_release_keeps_every_other_parameter_even_one_added_after_it() {
    let template = release_stack(None, 30, true).unwrap();
    let text = script(&buildspec(&template));
    let update = text.lines().skip_while(|l| !l.contains("update-stack")).take(6).collect::<Vec<_>>().join("\n");
    insta::assert_snapshot!(update, @r#"
    if ! output=$(aws cloudformation update-stack --stack-name "$STACK_ID" --use-previous-template \
        --parameters "ParameterKey=ImageUri,ParameterValue=$image_uri" \
        "ParameterKey=AddedLater,UsePreviousValue=true" \
        "ParameterKey=PrivateSubnetIds,UsePreviousValue=true" \
        "ParameterKey=PublicSubnetIds,UsePreviousValue=true" \
        "ParameterKey=VpcId,UsePreviousValue=true" \
    "#);
    assert!(text.contains("--capabilities CAPABILITY_IAM 2>&1"), "{text}");
    let variables = &template["Resources"]["Release"]["Properties"]["Environment"]["EnvironmentVariables"];
    assert_eq!(
        variables,
        &json!([
            {"Name": "REPOSITORY_URI", "Type": "PLAINTEXT", "Value": {"Fn::GetAtt": ["Repo", "RepositoryUri"]}},
            {"Name": "STACK_ID", "Type": "PLAINTEXT", "Value": {"Ref": "AWS::StackId"}},
            {"Name": "DEPLOYMENT_TIMEOUT_MINUTES", "Type": "PLAINTEXT", "Value": "30"}
        ])
    );
    assert_eq!(template["Resources"]["Release"]["Properties"]["Environment"]["PrivilegedMode"], false);
}

#[test]
fn the_image_parameter_must_exist_and_have_no_default() {
    let err = release_stack(Some("public.ecr.aws/x/y:1"), 30, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Release: parameter ImageUri has a Default: an update that leaves it out would reset the running image to it \
         [codebuild-release/image-parameter-default]"
    );
    let (mut stack, key) = common::stack();
    let repository = Repository::new(&mut stack, "Repo", &key, RepositoryProps::new().name("shop")).unwrap();
    let (cluster, task) = common::cluster_and_task(&mut stack, &key);
    let networking = common::networking();
    let service =
        FargateService::new(&mut stack, "Service", FargateServiceProps::new(&cluster, &task, &networking)).unwrap();
    let release = ReleaseBuild::new(&repository, "Image", &service, &task);
    let err = Project::new(&mut stack, "Release", &key, ProjectProps::new(BuildKind::Release(release))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Release: the stack has no parameter Image for the release to set [codebuild-release/image-parameter]"
    );
    assert_eq!(
        release_stack(None, 61, false).unwrap_err().to_string(),
        "Release: deployment_timeout must be 1..=60 minutes, got 61 [codebuild-release/timeout-range]"
    );
}

#[test]
fn the_release_role_may_update_this_stack_and_what_cloudformation_then_touches() {
    let template = release_stack(None, 30, false).unwrap();
    let statements = &template["Resources"]["ReleaseRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    let by_action = |action: &str| -> Vec<&Json> {
        statements
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["Action"].as_array().is_some_and(|a| a.contains(&json!(action))) || s["Action"] == action)
            .collect()
    };
    let update = by_action("cloudformation:UpdateStack");
    assert_eq!(update.len(), 1);
    assert_eq!(update[0]["Resource"], json!({"Ref": "AWS::StackId"}));
    assert_eq!(
        update[0]["Action"],
        json!([
            "cloudformation:CancelUpdateStack",
            "cloudformation:DescribeStackEvents",
            "cloudformation:DescribeStacks",
            "cloudformation:UpdateStack"
        ])
    );
    let register = by_action("ecs:RegisterTaskDefinition");
    assert_eq!(register[0]["Resource"], "*");
    let service = by_action("ecs:UpdateService");
    assert_eq!(service[0]["Resource"], json!({"Ref": "Service"}));
    let pass = by_action("iam:PassRole");
    assert_eq!(pass[0]["Condition"], json!({"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}));
    assert_eq!(
        pass[0]["Resource"],
        json!([{"Fn::GetAtt": ["TaskExecutionRole", "Arn"]}, {"Fn::GetAtt": ["TaskTaskRole", "Arn"]}])
    );
    let tag = by_action("ecs:TagResource");
    let tag_definitions = tag.iter().find(|s| s.get("Condition").is_some()).expect("tagging new revisions");
    assert_eq!(tag_definitions["Condition"], json!({"StringEquals": {"ecs:CreateAction": "RegisterTaskDefinition"}}));
    for statement in statements.as_array().unwrap() {
        for action in statement["Action"].as_array().into_iter().flatten().chain(std::iter::once(&statement["Action"]))
        {
            assert!(!action.as_str().unwrap_or("").contains('*'), "wildcard action in {statement}");
        }
    }
}

/// A stub `aws`: answers `describe-stacks` with the next line of `statuses` (the last one
/// repeats), `update-stack` with `update.out` (and its exit code in `update.code`), logs every
/// call to `calls`.
const STUB_AWS: &str = r#"#!/usr/bin/env bash
dir=$(dirname "$0")/..
echo "$*" >> "$dir/calls"
case "$2" in
  describe-stacks)
    head -n 1 "$dir/statuses"
    if [ "$(wc -l < "$dir/statuses")" -gt 1 ]; then sed -i 1d "$dir/statuses"; fi ;;
  update-stack)
    cat "$dir/update.out"
    exit "$(cat "$dir/update.code")" ;;
  describe-stack-events)
    printf 'Service\tUPDATE_FAILED\tECS Deployment Circuit Breaker was triggered\n' ;;
  cancel-update-stack) ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
"#;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    calls: String,
}

fn run(statuses: &[&str], update: (&str, i32), image_uri: Option<&str>, timeout_minutes: u32) -> Run {
    let template = release_stack(None, 30, false).unwrap();
    let script = script(&buildspec(&template));
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    fs::create_dir(&bin).unwrap();
    let write_executable = |path: &Path, text: &str| {
        fs::write(path, text).unwrap();
        Command::new("chmod").arg("+x").arg(path).status().unwrap();
    };
    write_executable(&bin.join("aws"), STUB_AWS);
    // Polls are instant: the script's pace is not under test.
    write_executable(&bin.join("sleep"), "#!/bin/sh\nexit 0\n");
    fs::write(dir.path().join("statuses"), statuses.join("\n") + "\n").unwrap();
    fs::write(dir.path().join("update.out"), update.0).unwrap();
    fs::write(dir.path().join("update.code"), update.1.to_string()).unwrap();
    let work = dir.path().join("work");
    fs::create_dir(&work).unwrap();
    if let Some(uri) = image_uri {
        fs::write(work.join("image-uri.txt"), format!("{uri}\n")).unwrap();
    }
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let output = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(&work)
        .env("PATH", path)
        .env("REPOSITORY_URI", "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop")
        .env("STACK_ID", "arn:aws:cloudformation:us-east-1:123456789012:stack/shop/1")
        .env("DEPLOYMENT_TIMEOUT_MINUTES", timeout_minutes.to_string())
        .output()
        .unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        calls: fs::read_to_string(dir.path().join("calls")).unwrap_or_default(),
    }
}

const IMAGE_B: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:bbbbbbbbbbbb";
const ACCEPTED: (&str, i32) = ("{\"StackId\": \"arn:aws:cloudformation:us-east-1:123456789012:stack/shop/1\"}", 0);

#[test]
fn a_release_waits_for_cloudformation_and_succeeds_when_the_update_completes() {
    let done = run(
        &["UPDATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_COMPLETE"],
        ACCEPTED,
        Some(IMAGE_B),
        30,
    );
    assert_eq!(done.code, Some(0), "{} {}", done.stdout, done.stderr);
    assert!(done.stdout.ends_with(&format!("released {IMAGE_B}\n")), "{}", done.stdout);
    let update = done.calls.lines().find(|l| l.starts_with("cloudformation update-stack")).unwrap();
    assert_eq!(
        update,
        format!(
            "cloudformation update-stack --stack-name arn:aws:cloudformation:us-east-1:123456789012:stack/shop/1 \
             --use-previous-template --parameters ParameterKey=ImageUri,ParameterValue={IMAGE_B} \
             ParameterKey=PrivateSubnetIds,UsePreviousValue=true ParameterKey=PublicSubnetIds,UsePreviousValue=true \
             ParameterKey=VpcId,UsePreviousValue=true --capabilities CAPABILITY_IAM"
        )
    );
}

#[test]
fn a_rolled_back_update_fails_the_release_with_cloudformation_s_reasons() {
    let failed = run(
        &["UPDATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE"],
        ACCEPTED,
        Some(IMAGE_B),
        30,
    );
    assert_eq!(failed.code, Some(1));
    assert!(
        failed.stderr.contains(&format!("the release of {IMAGE_B} failed: the stack is UPDATE_ROLLBACK_COMPLETE")),
        "{}",
        failed.stderr
    );
    assert!(
        failed.stderr.contains("Service\tUPDATE_FAILED\tECS Deployment Circuit Breaker was triggered"),
        "{}",
        failed.stderr
    );
}

#[test]
fn an_image_already_released_is_a_success() {
    let no_updates = (
        "\nAn error occurred (ValidationError) when calling the UpdateStack operation: No updates are to be performed.\n",
        255,
    );
    let done = run(&["UPDATE_COMPLETE"], no_updates, Some(IMAGE_B), 30);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert!(done.stdout.contains("is already released: nothing to do"), "{}", done.stdout);
    let refused = (
        "\nAn error occurred (ValidationError) when calling the UpdateStack operation: Missing parameter ImageUri\n",
        255,
    );
    let failed = run(&["UPDATE_COMPLETE"], refused, Some(IMAGE_B), 30);
    assert_eq!(failed.code, Some(1));
    assert!(failed.stderr.contains("Missing parameter ImageUri"), "{}", failed.stderr);
}

#[test]
fn an_update_in_progress_is_waited_for_and_a_slow_one_is_cancelled() {
    let run1 = run(
        &["CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "CREATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"],
        ACCEPTED,
        Some(IMAGE_B),
        30,
    );
    assert_eq!(run1.code, Some(0), "{}", run1.stderr);
    assert_eq!(run1.stdout.matches("waiting for the stack update in progress to finish").count(), 2, "{}", run1.stdout);
    let slow = run(
        &["UPDATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE"],
        ACCEPTED,
        Some(IMAGE_B),
        0,
    );
    assert_eq!(slow.code, Some(1));
    assert!(slow.calls.contains("cloudformation cancel-update-stack --stack-name"), "{}", slow.calls);
    assert!(slow.stderr.contains("not released within 0 minutes: cancelling the update"), "{}", slow.stderr);
}

#[test]
fn only_an_image_of_this_repository_by_tag_is_released() {
    for uri in [
        "public.ecr.aws/docker/library/nginx:latest",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:a;b",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:",
    ] {
        let refused = run(&["UPDATE_COMPLETE"], ACCEPTED, Some(uri), 30);
        assert_eq!(refused.code, Some(1), "{uri}");
        assert!(refused.stderr.contains("image-uri.txt must name an image of"), "{uri}: {}", refused.stderr);
        assert!(refused.calls.is_empty(), "{uri}: nothing may be called: {}", refused.calls);
    }
    let missing = run(&["UPDATE_COMPLETE"], ACCEPTED, None, 30);
    assert_eq!(missing.code, Some(1));
    assert!(missing.stderr.contains("the input artifact has no image-uri.txt"), "{}", missing.stderr);
}

/// A stack with two repositories, a service, a release project and image builds of either
/// repository: (stack, key, release, own build, foreign build).
fn release_setup() -> (Stack, Key, Project, Project, Project) {
    use stackwright_constructs::codebuild::ImageBuild;

    let (mut stack, key) = common::stack();
    let repository = Repository::new(&mut stack, "Repo", &key, RepositoryProps::new().name("shop")).unwrap();
    let other = Repository::new(&mut stack, "Other", &key, RepositoryProps::new().name("other")).unwrap();
    let image = stack.add_parameter("ImageUri", Parameter::string()).unwrap();
    let container = ContainerDefinition::new(
        "web",
        ContainerImage::Bootstrap { image: image.value(), repository_arn: repository.arn() },
    );
    let cluster = Cluster::new(&mut stack, "Cluster", ClusterProps::new()).unwrap();
    let task = FargateTaskDefinition::new(
        &mut stack,
        "Task",
        FargateTaskDefinitionProps::new(&key, FargateSize::CPU_256_MEMORY_512, container),
    )
    .unwrap();
    let networking = common::networking();
    let service =
        FargateService::new(&mut stack, "Service", FargateServiceProps::new(&cluster, &task, &networking)).unwrap();
    let release = ReleaseBuild::new(&repository, "ImageUri", &service, &task);
    let release = Project::new(&mut stack, "Release", &key, ProjectProps::new(BuildKind::Release(release))).unwrap();
    let build = |stack: &mut Stack, id: &str, repository: &Repository| {
        Project::new(stack, id, &key, ProjectProps::new(BuildKind::Image(ImageBuild::new(repository, "web")))).unwrap()
    };
    let own = build(&mut stack, "Build", &repository);
    let foreign = build(&mut stack, "OtherBuild", &other);
    (stack, key, release, own, foreign)
}

#[test]
fn a_release_reads_the_image_build_of_its_own_repository_and_its_stage_rolls_back() {
    use stackwright_constructs::codepipeline::{CodeBuildAction, CodeStarSource, Pipeline, PipelineProps, Stage};
    let (mut stack, key, release, own, foreign) = release_setup();
    let stages = |builder: &Project, input: &str| {
        vec![
            Stage::new("Source").action(CodeStarSource::new(
                "arn:aws:codeconnections:us-east-1:111122223333:connection/x",
                "a/b",
                "main",
            )),
            Stage::new("Build").action(CodeBuildAction::new(builder, "Source").output("Image")),
            Stage::new("Deploy").action(CodeBuildAction::new(&release, input).name("Release")),
        ]
    };
    Pipeline::new(&mut stack, "BadInput", &key, PipelineProps::new(stages(&own, "Source"))).unwrap();
    Pipeline::new(&mut stack, "BadRepository", &key, PipelineProps::new(stages(&foreign, "Image"))).unwrap();
    assert_eq!(
        common::errors(stack),
        "BadInput: stage Deploy: action Release releases artifact \"Source\", but action Source does not write \
         image-uri.txt (only an image build does) [codebuild-action/release-input]\n\
         BadRepository: stage Deploy: action Release releases images of {\"Fn::GetAtt\":[\"Repo\",\"RepositoryUri\"]}, \
         but action Build pushes to {\"Fn::GetAtt\":[\"Other\",\"RepositoryUri\"]} [codebuild-action/release-repository]"
    );
    let (mut stack, key, release, own, _) = release_setup();
    let stages = |builder: &Project, input: &str| {
        vec![
            Stage::new("Source").action(CodeStarSource::new(
                "arn:aws:codeconnections:us-east-1:111122223333:connection/x",
                "a/b",
                "main",
            )),
            Stage::new("Build").action(CodeBuildAction::new(builder, "Source").output("Image")),
            Stage::new("Deploy").action(CodeBuildAction::new(&release, input).name("Release")),
        ]
    };
    Pipeline::new(&mut stack, "Good", &key, PipelineProps::new(stages(&own, "Image"))).unwrap();
    let template = common::finish(stack);
    let deploy = &template["Resources"]["Good"]["Properties"]["Stages"][2];
    assert_eq!(deploy["OnFailure"], json!({"Result": "ROLLBACK"}), "a stage that releases rolls back");
}
