//! The example's exact bytes (snapshots under the repository's `snapshots/`), determinism,
//! parse-back, IAM hygiene and policy; and its stack order.

#[test]
fn templates_match_their_snapshots() {
    let app = example_platform::app().unwrap();
    stackwright_testing::assert_app_snapshots!(
        app,
        dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../snapshots"),
        prefix = "platform"
    );
}

#[test]
fn templates_are_deterministic_and_hold_to_the_policy() {
    stackwright_testing::assert_example("platform", example_platform::app);
    stackwright_testing::assert_policy(&example_platform::app().unwrap());
}

#[test]
fn each_foundation_comes_before_its_services_and_stays_in_its_account() {
    let app = example_platform::app().unwrap();
    let order: Vec<&str> = app.in_dependency_order().iter().map(|(n, _)| n.as_str()).collect();
    for env in ["staging", "production"] {
        let foundation = order.iter().position(|n| *n == format!("foundation-{env}")).unwrap();
        for service in ["web", "worker", "files"] {
            let name = stackwright_template::StackName::new(format!("{service}-{env}")).unwrap();
            let at = order.iter().position(|n| *n == name.as_str()).unwrap();
            assert!(foundation < at, "{order:?}");
            let deps: Vec<String> = app.dependencies(&name).iter().map(|(on, _)| on.to_string()).collect();
            assert_eq!(deps, [format!("foundation-{env}")]);
        }
    }
    let web = app.finished_stack("web-production").unwrap().to_json();
    assert_eq!(
        web["Resources"]["WebService"]["Properties"]["Cluster"],
        serde_json::json!({"Fn::ImportValue": "foundation-production:ClusterArn"})
    );
}

#[test]
fn the_services_alarm_on_the_foundations_topic_whose_subscribers_are_every_on_call() {
    let app = example_platform::app().unwrap();
    for env in ["staging", "production"] {
        let import = serde_json::json!({"Fn::ImportValue": format!("foundation-{env}:AlarmTopicArn")});
        for service in ["web", "worker", "files"] {
            let json = app.finished_stack(&format!("{service}-{env}")).unwrap().to_json();
            let resources = json["Resources"].as_object().unwrap();
            assert!(!resources.values().any(|r| r["Type"].as_str().unwrap().starts_with("AWS::SNS::")), "{service}");
            for (id, alarm) in resources.iter().filter(|(_, r)| r["Type"] == "AWS::CloudWatch::Alarm") {
                assert_eq!(alarm["Properties"]["AlarmActions"], serde_json::json!([import]), "{service}: {id}");
                assert_eq!(alarm["Properties"]["OKActions"], serde_json::json!([import]), "{service}: {id}");
            }
        }
        let foundation = app.finished_stack(&format!("foundation-{env}")).unwrap().to_json();
        let mut emails: Vec<&str> = foundation["Resources"]
            .as_object()
            .unwrap()
            .values()
            .filter(|r| r["Type"] == "AWS::SNS::Subscription")
            .map(|r| r["Properties"]["Endpoint"].as_str().unwrap())
            .collect();
        emails.sort_unstable();
        assert_eq!(emails, ["jobs-oncall@example.com", "platform-oncall@example.com", "web-oncall@example.com"]);
    }
}
