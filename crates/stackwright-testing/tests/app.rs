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
    std::fs::write(
        &snap,
        format!("---\nsource: tests/app.rs\n---\n{}", app.finished_stacks().next().unwrap().1.render()),
    )
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

/// The same app with its one stack deferred: built when a helper asks for it, as `synth`
/// builds it.
fn deferred(topic_properties: &'static str) -> App {
    let mut app = App::new();
    let name = StackName::new("alerts").unwrap();
    app.add_deferred(name, move || {
        let built = self::app(topic_properties);
        let template = built.finished_stack("alerts").unwrap().clone();
        Stack::from_template(StackName::new("alerts").unwrap(), template)
    })
    .unwrap();
    app
}

#[test]
fn deferred_stacks_are_built_for_snapshots_assertions_and_the_policy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap().to_owned();
    let eager = app("{}");
    let rendered = eager.finished_stack("alerts").unwrap().render();
    std::fs::write(dir.path().join("alerts.snap"), format!("---\nsource: tests/app.rs\n---\n{rendered}")).unwrap();
    stackwright_testing::assert_app_snapshots!(&deferred("{}"), dir = path.as_str());

    let outcome = std::panic::catch_unwind(|| {
        stackwright_testing::assert_app_snapshots!(deferred(r#"{"TopicName": "alerts"}"#), dir = path.as_str());
    });
    let message = *outcome.unwrap_err().downcast::<String>().unwrap();
    assert!(message.contains("1 of 1 stack snapshot(s) differ: alerts"), "{message}");

    let loaded = stackwright_testing::Template::from_app(&deferred("{}"), "alerts");
    loaded.resource_count_is("AWS::IAM::Role", 1);
    let missing = stackwright_testing::Template::try_from_app(&deferred("{}"), "web").unwrap_err();
    assert_eq!(missing.to_string(), "the app has no stack named \"web\"; its stacks: alerts");

    let message = stackwright_testing::check_policy(&deferred("{}")).unwrap_err();
    assert!(message.contains("alerts: Role grants s3:* on every resource"), "{message}");
}

#[test]
fn a_deferred_stack_that_does_not_build_is_named() {
    let mut app = App::new();
    app.add_deferred(StackName::new("broken").unwrap(), || Err::<Stack, _>("no network given".to_owned())).unwrap();
    let error = stackwright_testing::Template::try_from_app(&app, "broken").unwrap_err();
    assert!(error.to_string().starts_with("the app's stack broken does not build: "), "{error}");
    assert!(error.to_string().contains("no network given"), "{error}");
    let message = stackwright_testing::check_policy(&app).unwrap_err();
    assert!(message.contains("broken: does not build: "), "{message}");
}
