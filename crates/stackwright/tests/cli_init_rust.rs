//! `init --rust`: the files of a user's app crate. That the crate builds and its tests pass
//! (and fail when the app changes) is `cargo xtask app-crate`, which compiles it.

mod common;

use std::fs;

use common::{stackwright, text};

#[test]
fn init_rust_writes_a_crate_named_after_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("Billing_API");
    fs::create_dir(&app).unwrap();
    let run = stackwright(&["init", "--rust"], &app);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_eq!(text(&run.stderr), "wrote the app crate billing-api (6 files); next: cargo test, cargo run -- synth\n");
    let cargo = fs::read_to_string(app.join("Cargo.toml")).unwrap();
    assert!(cargo.contains("name = \"billing-api\""), "{cargo}");
    let root = std::path::absolute(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    let root = fs::canonicalize(root).unwrap();
    assert!(cargo.contains(&format!("path = \"{}/crates/stackwright-cli\"", root.display())), "{cargo}");
    assert!(fs::read_to_string(app.join("src/main.rs")).unwrap().contains("billing_api::app"));
    let snapshot = fs::read_to_string(app.join("snapshots/billing-api.snap")).unwrap();
    assert!(snapshot.starts_with("---\nsource: tests/app.rs\n---\n{\n"), "{snapshot}");
}

#[test]
fn init_rust_writes_nothing_when_a_file_exists() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("src")).unwrap();
    fs::write(dir.path().join("src/lib.rs"), "// mine\n").unwrap();
    let run = stackwright(&["init", "--rust"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).contains("init --rust does not overwrite existing files: src/lib.rs"),
        "{}",
        text(&run.stderr)
    );
    assert_eq!(fs::read_to_string(dir.path().join("src/lib.rs")).unwrap(), "// mine\n");
    assert!(!dir.path().join("Cargo.toml").exists());
}

#[test]
fn init_rust_refuses_a_path_that_is_not_a_checkout() {
    let dir = tempfile::tempdir().unwrap();
    let run = stackwright(&["init", "--rust", "--stackwright-path", "/nonexistent"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains("/nonexistent is not a Stackwright checkout"), "{}", text(&run.stderr));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn init_rust_and_the_manifest_options_exclude_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let run = stackwright(&["init", "--rust", "--service", "worker"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains("cannot be used with"), "{}", text(&run.stderr));
}
