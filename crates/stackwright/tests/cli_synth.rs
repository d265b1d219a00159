//! The `stackwright` binary end to end, synth and list: what `cargo run -- …` does at the repository root.

mod common;

use std::fs;

use common::{size_warning, stackwright, text};
use sha2::{Digest, Sha256};

#[test]
fn synth_writes_templates_and_a_manifest_with_their_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let run = stackwright(&["synth"], dir.path());
    assert!(run.status.success(), "{}", text(&run.stderr));
    // The seed template is pretty-printed past CloudFormation's inline limit: synth says so
    // and writes it anyway (a warning, not an error).
    let size = fs::metadata(dir.path().join("out/seed-pipeline.template.json")).unwrap().len();
    assert_eq!(
        text(&run.stderr),
        format!(
            "seed-pipeline: warning[quota/template-size-s3]: {}\n\
             wrote out/seed-pipeline.template.json (42 resources)\n\
             note: 1 stack(s) are over the 51200 bytes CloudFormation accepts inline; `synth --minify` writes \
             compact JSON, which may fit\n",
            size_warning(size)
        )
    );

    let template = fs::read(dir.path().join("out/seed-pipeline.template.json")).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("out/manifest.json")).unwrap()).unwrap();
    let digest: String = Sha256::digest(&template).iter().fold(String::new(), |hex, b| hex + &format!("{b:02x}"));
    assert_eq!(
        manifest,
        serde_json::json!({"version": 2, "environments": [], "stacks": [{
            "name": "seed-pipeline", "file": "seed-pipeline.template.json", "resources": 42, "sha256": digest,
            "dependencies": []
        }]})
    );
}

#[test]
fn synth_minify_writes_the_same_document_compact_within_the_inline_limit() {
    let dir = tempfile::tempdir().unwrap();
    let pretty = stackwright(&["synth", "--out", "pretty"], dir.path());
    assert!(pretty.status.success(), "{}", text(&pretty.stderr));
    let compact = stackwright(&["synth", "--minify", "--out", "compact"], dir.path());
    assert!(compact.status.success(), "{}", text(&compact.stderr));
    // Under 51,200 bytes: no size warning, no note.
    assert_eq!(text(&compact.stderr), "wrote compact/seed-pipeline.template.json (42 resources)\n");
    let file = "seed-pipeline.template.json";
    let bytes = fs::read(dir.path().join("compact").join(file)).unwrap();
    assert!(bytes.len() < 51_200, "{} bytes", bytes.len());
    assert!(!text(&bytes).contains("\n  "), "no indentation");
    let read = |dir: &str| -> serde_json::Value {
        serde_json::from_slice(&fs::read(std::path::Path::new(dir).join(file)).unwrap()).unwrap()
    };
    let root = dir.path().to_str().unwrap();
    assert_eq!(read(&format!("{root}/compact")), read(&format!("{root}/pretty")));
    let again = stackwright(&["synth", "--minify", "--out", "again"], dir.path());
    assert!(again.status.success());
    assert_eq!(fs::read(dir.path().join("again").join(file)).unwrap(), bytes, "deterministic");
    // The manifest hashes the bytes written.
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("compact/manifest.json")).unwrap()).unwrap();
    let digest: String = Sha256::digest(&bytes).iter().fold(String::new(), |hex, b| hex + &format!("{b:02x}"));
    assert_eq!(manifest["stacks"][0]["sha256"], digest.as_str());
    // --stdout prints the same compact bytes.
    let stdout = stackwright(&["synth", "--minify", "--stdout"], dir.path());
    assert_eq!(stdout.stdout, bytes);
}

#[test]
fn synth_is_deterministic_across_processes() {
    let dir = tempfile::tempdir().unwrap();
    assert!(stackwright(&["synth", "--out", "a"], dir.path()).status.success());
    assert!(stackwright(&["synth", "--out", "b"], dir.path()).status.success());
    for file in ["seed-pipeline.template.json", "manifest.json"] {
        assert_eq!(
            fs::read(dir.path().join("a").join(file)).unwrap(),
            fs::read(dir.path().join("b").join(file)).unwrap()
        );
    }
}

#[test]
fn stdout_prints_the_same_bytes_as_the_file() {
    let dir = tempfile::tempdir().unwrap();
    assert!(stackwright(&["synth"], dir.path()).status.success());
    let printed = stackwright(&["synth", "--stdout"], dir.path());
    assert!(printed.status.success());
    assert_eq!(printed.stdout, fs::read(dir.path().join("out/seed-pipeline.template.json")).unwrap());
    let named = stackwright(&["synth", "--stdout", "--stack", "seed-pipeline"], dir.path());
    assert_eq!(named.stdout, printed.stdout);
}

#[test]
fn list_names_each_stack_with_its_resource_count() {
    let dir = tempfile::tempdir().unwrap();
    let run = stackwright(&["list"], dir.path());
    assert!(run.status.success());
    assert_eq!(text(&run.stdout), "seed-pipeline\t42 resources\n");
}

#[test]
fn app_picks_a_built_in_example_with_several_stacks() {
    let dir = tempfile::tempdir().unwrap();
    let run = stackwright(&["list", "--app", "web-service"], dir.path());
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_eq!(
        text(&run.stdout),
        "web-service\t27 resources\nweb-service-efs\t33 resources\nweb-service-vpc\t50 resources\n"
    );
}

#[test]
fn help_shows_examples() {
    let dir = tempfile::tempdir().unwrap();
    let run = stackwright(&["--help"], dir.path());
    assert!(run.status.success());
    assert!(text(&run.stdout).contains("Examples:\n  cargo run -- synth "), "{}", text(&run.stdout));
    let run = stackwright(&["synth", "--help"], dir.path());
    assert!(text(&run.stdout).contains("a failed\nrun leaves the previous output untouched"), "{}", text(&run.stdout));
}

#[test]
fn errors_exit_1_with_a_message_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let run = stackwright(&["synth", "--app", "nope"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        text(&run.stderr),
        "error: unknown app \"nope\"; known apps: seed, seed-variants, web-service, l1-basics, platform\n"
    );
    assert!(!dir.path().join("out").exists());

    let run = stackwright(&["synth", "--stdout", "--stack", "other"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(text(&run.stderr), "error: no stack named \"other\"; stacks: seed-pipeline\n");
}

#[test]
fn synth_refuses_to_replace_a_directory_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("out")).unwrap();
    fs::write(dir.path().join("out/keep.txt"), "mine").unwrap();
    let run = stackwright(&["synth"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains("refusing to replace out: it holds files synth did not write (keep.txt)"));
    assert_eq!(fs::read_to_string(dir.path().join("out/keep.txt")).unwrap(), "mine");
}

#[test]
fn the_platform_app_writes_its_stacks_in_dependency_order_with_environments() {
    let dir = tempfile::tempdir().unwrap();
    let run = stackwright(&["synth", "--app", "platform"], dir.path());
    assert!(run.status.success(), "{}", text(&run.stderr));
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("out/manifest.json")).unwrap()).unwrap();
    let stacks = manifest["stacks"].as_array().unwrap();
    let position = |name: &str| stacks.iter().position(|s| s["name"] == name).unwrap();
    for env in ["staging", "production"] {
        for service in ["web", "worker", "files"] {
            let at = position(&format!("{service}-{env}"));
            assert!(position(&format!("foundation-{env}")) < at);
            assert_eq!(stacks[at]["dependencies"][0]["stack"], format!("foundation-{env}"));
            assert_eq!(stacks[at]["environment"], env);
        }
    }
    let production = manifest["environments"].as_array().unwrap().iter().find(|e| e["name"] == "production").unwrap();
    assert_eq!(production["account"], "222222222222");
    assert_eq!(production["overrides"]["approval"], "true");
    assert_eq!(production["stacks"].as_array().unwrap().len(), 4);
}
