//! The seed architecture's exact bytes, determinism, parse-back and IAM hygiene.

#[test]
fn templates_match_their_snapshots() {
    stackwright_testing::assert_example("seed-pipeline", example_seed_pipeline::app);
}
