//! The example's exact bytes (snapshots under the repository's `snapshots/`, through the
//! same macro an app author uses), determinism, parse-back, IAM hygiene and policy.

use example_web_service::app;

#[test]
fn templates_match_their_snapshots() {
    let app = app().unwrap();
    stackwright_testing::assert_app_snapshots!(
        app,
        dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../snapshots"),
        prefix = "web-service"
    );
}

#[test]
fn templates_are_deterministic_and_hold_to_the_policy() {
    stackwright_testing::assert_example("web-service", app);
    stackwright_testing::assert_policy(&app().unwrap());
}
