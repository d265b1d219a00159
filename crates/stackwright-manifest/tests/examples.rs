//! The example manifests synthesize; the seed manifest's template is the Rust seed example's,
//! byte for byte.

use std::path::PathBuf;

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/manifests").join(name)
}

#[test]
fn the_seed_manifest_is_byte_identical_to_the_rust_seed() {
    let from_manifest = stackwright_manifest::load(&example("seed-pipeline.yaml")).unwrap();
    let from_rust = example_seed_pipeline::app().unwrap();
    let names: Vec<String> = from_manifest.stacks().map(|(name, _)| name.to_string()).collect();
    assert_eq!(names, ["seed-pipeline"]);
    let manifest_template = from_manifest.stack("seed-pipeline").unwrap().render();
    let rust_template = from_rust.stack("seed-pipeline").unwrap().render();
    assert!(manifest_template == rust_template, "the templates differ");
}
