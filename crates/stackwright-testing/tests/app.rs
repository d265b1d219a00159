//! The app-level helpers: snapshots in a directory of the caller's choosing, and the policy.

use stackwright_template::{App, Stack, StackName, Template};

fn app(topic_properties: &str) -> App {
    let text = format!(
        r#"{{"Resources": {{"Topic": {{"Type": "AWS::SNS::Topic", "Properties": {topic_properties}}},
        "Role": {{"Type": "AWS::IAM::Role", "Properties": {{
          "AssumeRolePolicyDocument": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
            "Principal": {{"Service": "ecs-tasks.amazonaws.com"}}, "Action": "sts:AssumeRole"}}]}},
          "Policies": [{{"PolicyName": "all", "PolicyDocument": {{"Version": "2012-10-17",
            "Statement": [{{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}]}}}}]}}}}}}}}"#
    );
    let template = Template::from_json_str(&text).unwrap();
    App::new().with_stack(Stack::from_template(StackName::new("alerts").unwrap(), template).unwrap()).unwrap()
}

#[test]
fn snapshots_are_written_and_compared_in_the_given_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap().to_owned();
    let app = app("{}");
    let snap = dir.path().join("demo__alerts.snap");
    std::fs::write(&snap, format!("---\nsource: tests/app.rs\n---\n{}", app.stacks().next().unwrap().1.render()))
        .unwrap();
    stackwright_testing::assert_app_snapshots!(&app, dir = path.as_str(), prefix = "demo");

    let changed = self::app(r#"{"TopicName": "alerts"}"#);
    // The app is not looked at after the panic, so unwinding cannot expose a broken invariant.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        stackwright_testing::assert_app_snapshots!(changed, dir = path.as_str(), prefix = "demo");
    }));
    let message = *outcome.unwrap_err().downcast::<String>().unwrap();
    assert!(message.contains("1 of 1 stack snapshot(s) differ: demo__alerts"), "{message}");
}

#[test]
fn the_policy_lists_every_finding() {
    let message = stackwright_testing::check_policy(&app("{}")).unwrap_err();
    assert!(message.contains("alerts: Role allows the wildcard action \"s3:*\""), "{message}");
    assert!(message.contains("alerts: Role grants s3:* on every resource"), "{message}");
    // The topic has no encryption: a policy-level finding of `stackwright validate`.
    assert!(message.contains("alerts: policy["), "{message}");
    assert!(message.lines().count() >= 4, "{message}");
}

#[test]
#[should_panic(expected = "policy finding(s)")]
fn assert_policy_panics_with_the_list() {
    stackwright_testing::assert_policy(&app("{}"));
}
