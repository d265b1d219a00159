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
