//! The variants' exact bytes, determinism, parse-back and IAM hygiene.

#[test]
fn templates_match_their_snapshots() {
    stackwright_testing::assert_example("seed-variants", example_seed_variants::app);
}
