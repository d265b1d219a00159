//! The example manifests: snapshots, determinism, parse-back, IAM hygiene and validation like
//! every example crate; the seed manifest's template is the Rust seed example's, byte for byte.

use std::path::PathBuf;

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/manifests").join(name)
}

#[test]
fn the_seed_manifest_is_byte_identical_to_the_rust_seed() {
    let from_manifest = stackwright_manifest::load(&example("seed-pipeline.yaml")).unwrap();
    let from_rust = example_seed_pipeline::app().unwrap();
    let names: Vec<String> = from_manifest.finished_stacks().map(|(name, _)| name.to_string()).collect();
    assert_eq!(names, ["seed-pipeline"]);
    let manifest_template = from_manifest.finished_stack("seed-pipeline").unwrap().render();
    let rust_template = from_rust.finished_stack("seed-pipeline").unwrap().render();
    assert!(manifest_template == rust_template, "the templates differ");
}

fn load(name: &str) -> Result<stackwright_template::App, stackwright_manifest::Error> {
    stackwright_manifest::load(&example(name))
}

/// The stacks of `file` against `snapshots/<label>__<stack>.snap`.
fn assert_snapshots(label: &str, file: &str) {
    stackwright_testing::assert_app_snapshots!(
        load(file).unwrap(),
        dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../snapshots"),
        prefix = label
    );
}

#[test]
fn the_worker_manifest_matches_its_snapshot() {
    stackwright_testing::assert_example("manifest-worker", || load("worker.yaml"));
    assert_snapshots("manifest-worker", "worker.yaml");
}

#[test]
fn the_efs_manifest_matches_its_snapshot() {
    stackwright_testing::assert_example("manifest-efs", || load("efs.yaml"));
    assert_snapshots("manifest-efs", "efs.yaml");
}

#[test]
fn the_codecommit_manifest_matches_its_snapshot() {
    stackwright_testing::assert_example("manifest-codecommit", || load("codecommit.yaml"));
    assert_snapshots("manifest-codecommit", "codecommit.yaml");
}

#[test]
fn the_platform_manifest_matches_its_snapshot() {
    stackwright_testing::assert_example("manifest-platform", || load("platform.yaml"));
    assert_snapshots("manifest-platform", "platform.yaml");
}

#[test]
fn every_example_manifest_is_tested() {
    let mut names: Vec<String> = std::fs::read_dir(example(""))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| std::path::Path::new(name).extension().is_some_and(|e| e.eq_ignore_ascii_case("yaml")))
        .collect();
    names.sort();
    assert_eq!(names, ["codecommit.yaml", "efs.yaml", "platform.yaml", "seed-pipeline.yaml", "worker.yaml"]);
}
