//! The example's exact bytes, determinism, parse-back and IAM hygiene.

#[test]
fn templates_match_their_snapshots() {
    stackwright_testing::assert_example("web-service", example_web_service::app);
}
