use serde_json::{Value as Json, json};

use super::*;
use crate::codebuild::{EnvValue, ImageBuild};
use crate::ecr::{Repository, RepositoryProps};
use crate::kms::KeyProps;

fn setup() -> (Stack, Key, Repository) {
    let mut stack = Stack::new("t").unwrap();
    let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
    let repo = Repository::new(&mut stack, "Repo", &key, RepositoryProps::new()).unwrap();
    (stack, key, repo)
}

fn resource(done: &stackwright_template::Stack, id: &str) -> Json {
    json!(done.template().resources()[&LogicalId::new(id).unwrap()].properties)
}

#[test]
fn image_build_defaults() {
    let (mut stack, key, repo) = setup();
    let project = Project::new(
        &mut stack,
        ConstructPath::root("App").child("Build"),
        &key,
        ProjectProps::new(BuildKind::Image(ImageBuild::new(&repo, "web"))),
    )
    .unwrap();
    assert_eq!(project.image_definitions_container(), Some("web"));
    let done = stack.finish().unwrap();
    let p = resource(&done, "AppBuild");
    assert_eq!(p["Name"], json!({"Fn::Sub": "${AWS::StackName}-App-Build"}));
    assert_eq!(p["Artifacts"], json!({"Type": "CODEPIPELINE"}));
    assert_eq!(p["Source"]["Type"], "CODEPIPELINE");
    assert!(p["Source"]["BuildSpec"].as_str().unwrap().contains("imagedefinitions.json"));
    assert_eq!(
        p["Environment"],
        json!({
            "ComputeType": "BUILD_GENERAL1_SMALL",
            "Image": "aws/codebuild/amazonlinux-x86_64-standard:5.0",
            "Type": "LINUX_CONTAINER",
            "ImagePullCredentialsType": "CODEBUILD",
            "PrivilegedMode": true,
            "EnvironmentVariables": [
                {"Name": "REPOSITORY_URI", "Type": "PLAINTEXT", "Value": {"Fn::GetAtt": ["Repo", "RepositoryUri"]}}
            ]
        })
    );
    assert_eq!(p["Cache"], json!({"Type": "LOCAL", "Modes": ["LOCAL_DOCKER_LAYER_CACHE", "LOCAL_SOURCE_CACHE"]}));
    assert_eq!(p["EncryptionKey"], json!({"Fn::GetAtt": ["Key", "Arn"]}));
    assert_eq!(p["TimeoutInMinutes"], 60);
    assert_eq!(p["QueuedTimeoutInMinutes"], 480);
    assert_eq!(p["LogsConfig"], json!({"CloudWatchLogs": {"Status": "ENABLED", "GroupName": {"Ref": "AppBuildLogs"}}}));
    assert_eq!(p["ServiceRole"], json!({"Fn::GetAtt": ["AppBuildRole", "Arn"]}));
    assert_eq!(resource(&done, "AppBuildLogs")["RetentionInDays"], 365);
    let statements = &resource(&done, "AppBuildRole")["Policies"][0]["PolicyDocument"]["Statement"];
    let resources: Vec<&Json> = statements.as_array().unwrap().iter().map(|s| &s["Resource"]).collect();
    assert_eq!(
        resources,
        [
            &json!({"Fn::GetAtt": ["AppBuildLogs", "Arn"]}),
            &json!({"Fn::GetAtt": ["Key", "Arn"]}),
            &json!({"Fn::GetAtt": ["Repo", "Arn"]}),
            &json!("*"),
        ]
    );
    assert_eq!(statements[3]["Action"], "ecr:GetAuthorizationToken");
    // The push grant's kms actions merged into the key statement.
    assert!(statements[1]["Action"].as_array().unwrap().contains(&json!("kms:GenerateDataKey")));
}

#[test]
fn command_builds_are_unprivileged_and_grant_exactly_their_variables_and_reports() {
    let (mut stack, key, _) = setup();
    let secret = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:token-AbCdEf";
    let props = ProjectProps::smoke_test("https://app.example.com", ["curl -fsS \"$SERVICE_URL/health\""])
        .env(EnvironmentVariable::new("DB_HOST", EnvValue::ParameterStore("/app/db-host".into())))
        .env(EnvironmentVariable::new(
            "TOKEN",
            EnvValue::SecretsManager { arn: secret.into(), json_key: Some("token".into()) },
        ))
        .report(Report::junit("smoke", "reports"))
        .compute_type(ComputeType::Medium)
        .image(LinuxImage::UbuntuStandard7)
        .timeout_minutes(15)
        .queued_timeout_minutes(30)
        .name("smoke-test")
        .description("Smoke test");
    let project = Project::new(&mut stack, "Smoke", &key, props).unwrap();
    assert_eq!(project.image_definitions_container(), None);
    let done = stack.finish().unwrap();
    let p = resource(&done, "Smoke");
    assert_eq!(p["Name"], json!({"Fn::Sub": "smoke-test"}));
    assert_eq!(p["Environment"]["PrivilegedMode"], false);
    assert_eq!(p["Environment"]["ComputeType"], "BUILD_GENERAL1_MEDIUM");
    assert_eq!(p["Environment"]["Image"], "aws/codebuild/standard:7.0");
    assert_eq!(p["Cache"], json!({"Type": "LOCAL", "Modes": ["LOCAL_SOURCE_CACHE"]}));
    assert_eq!(
        p["Environment"]["EnvironmentVariables"],
        json!([
            {"Name": "SERVICE_URL", "Type": "PLAINTEXT", "Value": "https://app.example.com"},
            {"Name": "DB_HOST", "Type": "PARAMETER_STORE", "Value": "/app/db-host"},
            {"Name": "TOKEN", "Type": "SECRETS_MANAGER", "Value": {"Fn::Join": ["", [secret, ":token"]]}}
        ])
    );
    let statements = &resource(&done, "SmokeRole")["Policies"][0]["PolicyDocument"]["Statement"];
    assert_eq!(
        statements[2],
        json!({"Effect": "Allow", "Action": "ssm:GetParameters", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/db-host"}})
    );
    assert_eq!(
        statements[3],
        json!({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secret})
    );
    assert_eq!(
        statements[4]["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:codebuild:${AWS::Region}:${AWS::AccountId}:report-group/smoke-test-*"})
    );
    assert_eq!(statements.as_array().unwrap().len(), 5);
}

#[test]
fn no_cache_no_variables() {
    let (mut stack, key, _) = setup();
    Project::new(&mut stack, "Test", &key, ProjectProps::new(BuildKind::commands(["make it"])).local_cache(false))
        .unwrap();
    let p = resource(&stack.finish().unwrap(), "Test");
    assert!(p.get("Cache").is_none());
    assert!(p["Environment"].get("EnvironmentVariables").is_none());
}

#[test]
fn every_rule_is_reported() {
    let (mut stack, key, repo) = setup();
    let image = ImageBuild::new(&repo, "web").build_arg("TOKEN", EnvValue::Plain("x".into()));
    let props = ProjectProps::new(BuildKind::Image(image))
        .timeout_minutes(4)
        .queued_timeout_minutes(481)
        .name("-bad")
        .env(EnvironmentVariable::plain("REPOSITORY_URI", "x"))
        .env(EnvironmentVariable::plain("TOKEN", "y"))
        .env(EnvironmentVariable::plain("CODEBUILD_X", "y"))
        .env(EnvironmentVariable::new("P", EnvValue::ParameterStore("bad name".into())))
        .env(EnvironmentVariable::new(
            "S",
            EnvValue::SecretsManager { arn: "arn".into(), json_key: Some("a:b".into()) },
        ));
    Project::new(&mut stack, "Build", &key, props).unwrap();
    let err = stack.finish().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Build: environment variable TOKEN is defined more than once [codebuild-env/duplicate]\n\
         Build: environment variable name must match [A-Za-z_][A-Za-z0-9_]* and not start with CODEBUILD_, got \"CODEBUILD_X\" [codebuild-env/name]\n\
         Build: environment variable P: parameter name must be 1-2048 of A-Z a-z 0-9 _ . - /, got \"bad name\" [codebuild-env/parameter-name]\n\
         Build: environment variable REPOSITORY_URI is set by the build itself [codebuild-env/reserved]\n\
         Build: environment variable S: JSON key must be non-empty without ':', got \"a:b\" [codebuild-env/secret-key]\n\
         Build: name must be 2-255 of A-Z a-z 0-9 _ - starting with a letter or digit, got \"-bad\" [codebuild-project/name]\n\
         Build: queued_timeout_minutes must be 5..=480, got 481 [codebuild-project/queued-timeout]\n\
         Build: timeout_minutes must be 5..=2160, got 4 [codebuild-project/timeout]"
    );
}
