//! What a second reading of the validator found: each case once misjudged or crashed.

use serde_json::{Value, json};
use stackwright_validate::validate_bytes;

fn findings(template: &Value) -> Vec<String> {
    validate_bytes(template.to_string().as_bytes()).findings.iter().map(ToString::to_string).collect()
}

fn rules(template: &Value) -> Vec<&'static str> {
    validate_bytes(template.to_string().as_bytes()).findings.iter().map(|f| f.rule).collect()
}

#[test]
fn huge_counts_are_judged_without_overflow() {
    let t = json!({"Resources": {"S": {"Type": "AWS::ECS::Service", "Properties": {"DesiredCount": "9223372036854775807"}}}});
    assert!(!rules(&t).contains(&"ecs/rolling-no-progress"));
}

#[test]
fn conditional_containers_and_features_are_not_judged() {
    let t = json!({"Conditions": {"C": {"Fn::Equals": ["a", "b"]}}, "Resources": {
        "T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [
            {"Fn::If": ["C", {"Name": "a", "Image": "x", "ReadonlyRootFilesystem": true}, {"Ref": "AWS::NoValue"}]}]}},
        "S": {"Type": "AWS::ECS::Service", "Properties": {"DeploymentController": {"Type": "CODE_DEPLOY"},
            "DeploymentConfiguration": {"DeploymentCircuitBreaker": {"Fn::If": ["C", {"Enable": false, "Rollback": false}, {"Ref": "AWS::NoValue"}]}}}}
    }});
    let found = rules(&t);
    assert!(!found.contains(&"ecs/read-only-root-filesystem"), "{found:?}");
    assert!(!found.contains(&"ecs/controller-feature"), "{found:?}");
}

#[test]
fn one_role_written_two_ways_is_still_one_role() {
    let t = json!({"Resources": {
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
        "T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
            "TaskRoleArn": {"Fn::GetAtt": ["Role", "Arn"]}, "ExecutionRoleArn": {"Fn::GetAtt": "Role.Arn"}}}
    }});
    assert!(rules(&t).contains(&"ecs/execution-role-is-task-role"));
}

#[test]
fn allow_with_not_action_is_a_wildcard() {
    let t = json!({"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}}}}});
    let found = findings(&t);
    assert!(
        found.iter().any(|f| f.contains("[iam/wildcard-action]") || f.contains("iam/wildcard-action")),
        "{found:?}"
    );
    assert!(found.iter().any(|f| f.contains("uses NotAction \"iam:*\"")), "{found:?}");
}

#[test]
fn messages_list_a_few_names_not_a_whole_section() {
    let keys: serde_json::Map<String, Value> = (0..500).map(|i| (format!("k{i}"), json!({"v": "x"}))).collect();
    let t = json!({"Mappings": {"M": keys}, "Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {
        "TopicName": {"Fn::FindInMap": ["M", "nope", "v"]}}}}});
    let found = findings(&t);
    let message = found.iter().find(|f| f.contains("mapping/unknown-key")).expect("the bad key is found");
    assert!(message.ends_with("and 490 more"), "{message}");
}

/// A pipeline whose build writes imagedefinitions.json through `buildspec`, with the action's
/// variables `action_env`, deploying to a service whose container is `web`.
fn pipeline(buildspec: &str, action_env: Option<&str>) -> Value {
    let mut configuration = json!({"ProjectName": {"Ref": "Build"}});
    if let Some(env) = action_env {
        configuration["EnvironmentVariables"] = json!(env);
    }
    json!({"Resources": {
        "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "web", "Image": "x"}]}},
        "Service": {"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": {"Ref": "Task"}}},
        "Build": {"Type": "AWS::CodeBuild::Project", "Properties": {"Source": {"BuildSpec": buildspec},
            "Environment": {"EnvironmentVariables": [{"Name": "C", "Value": "placeholder"}]}}},
        "Pipeline": {"Type": "AWS::CodePipeline::Pipeline", "Properties": {"Stages": [
            {"Name": "Build", "Actions": [{"Name": "Build", "ActionTypeId": {"Provider": "CodeBuild"},
                "Configuration": configuration, "OutputArtifacts": [{"Name": "Image"}]}]},
            {"Name": "Deploy", "Actions": [{"Name": "Deploy", "ActionTypeId": {"Provider": "ECS"},
                "Configuration": {"ServiceName": {"Ref": "Service"}}, "InputArtifacts": [{"Name": "Image"}]}]}]}}
    }})
}

#[test]
fn image_definitions_are_read_from_quoted_yaml_json_buildspecs_and_action_variables() {
    const RULE: &str = "codepipeline/image-definitions-container";
    let yaml_quoted =
        "phases:\n  build:\n    commands:\n      - 'printf ''[{\"name\":\"%s\"}]'' web > imagedefinitions.json'\n";
    assert!(!rules(&pipeline(yaml_quoted, None)).contains(&RULE));
    // CDK writes its buildspec as JSON: a wrong name there is found.
    let cdk_wrong =
        r#"{"phases": {"post_build": {"commands": ["printf '[{\"name\":\"%s\"}]' wrong > imagedefinitions.json"]}}}"#;
    assert!(rules(&pipeline(cdk_wrong, None)).contains(&RULE));
    // The project's variable says "placeholder"; the action's, which wins, says "web".
    let from_variable =
        "phases:\n  build:\n    commands:\n      - printf '[{\"name\":\"%s\"}]' $C > imagedefinitions.json\n";
    assert!(rules(&pipeline(from_variable, None)).contains(&RULE));
    let env = r#"[{"name": "C", "value": "web", "type": "PLAINTEXT"}]"#;
    assert!(!rules(&pipeline(from_variable, Some(env))).contains(&RULE));
}
