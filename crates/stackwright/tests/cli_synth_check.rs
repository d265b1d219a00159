//! `synth --check DIR`: CI's test that the committed output is what synth writes now.

mod common;

use std::fs;
use std::path::Path;

use common::{stackwright, text};

/// Every entry of `dir` with its bytes, to prove `--check` wrote nothing.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).unwrap_or_default())
        })
        .collect();
    entries.sort();
    entries
}

fn committed(dir: &Path, extra: &[&str]) {
    let mut args = vec!["synth"];
    args.extend_from_slice(extra);
    let run = stackwright(&args, dir);
    assert!(run.status.success(), "{}", text(&run.stderr));
}

#[test]
fn a_fresh_output_passes_and_a_stale_one_fails_listing_each_file() {
    let dir = tempfile::tempdir().unwrap();
    committed(dir.path(), &[]);
    let out = dir.path().join("out");
    let check = stackwright(&["synth", "--check", "out"], dir.path());
    assert!(check.status.success(), "{}", text(&check.stderr));
    assert!(text(&check.stderr).ends_with("out: up to date\n"), "{}", text(&check.stderr));

    // A hand edit, a lost manifest and a stack the app no longer has.
    let template = out.join("seed-pipeline.template.json");
    let edited = text(&fs::read(&template).unwrap()).replacen("\"Resources\"", "\"Resources\" ", 1);
    fs::write(&template, edited).unwrap();
    fs::remove_file(out.join("manifest.json")).unwrap();
    fs::write(out.join("retired.template.json"), "{}").unwrap();
    let before = contents(&out);
    let check = stackwright(&["synth", "--check", "out"], dir.path());
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stderr));
    let stderr = text(&check.stderr);
    assert!(
        stderr.contains(
            "out is not what synth writes now:\n  changed: seed-pipeline.template.json\n  missing: manifest.json\n  \
             not written by synth: retired.template.json\nrun `stackwright diff --baseline out` to see what changed"
        ),
        "{stderr}"
    );
    assert_eq!(contents(&out), before, "--check must not write into the directory it checks");
}

#[test]
fn the_check_renders_as_synth_would_with_the_same_options() {
    let dir = tempfile::tempdir().unwrap();
    committed(dir.path(), &["--minify", "--out", "compact"]);
    let minified = stackwright(&["synth", "--minify", "--check", "compact"], dir.path());
    assert!(minified.status.success(), "{}", text(&minified.stderr));
    // The same directory against the pretty form: every template differs.
    let pretty = stackwright(&["synth", "--check", "compact"], dir.path());
    assert_eq!(pretty.status.code(), Some(1));
    assert!(text(&pretty.stderr).contains("  changed: seed-pipeline.template.json\n"), "{}", text(&pretty.stderr));
}

#[test]
fn a_directory_that_does_not_exist_is_an_error_and_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let check = stackwright(&["synth", "--check", "nowhere"], dir.path());
    assert_eq!(check.status.code(), Some(1));
    assert!(text(&check.stderr).contains("--check nowhere: not a directory"), "{}", text(&check.stderr));
    assert!(!dir.path().join("nowhere").exists());
    assert!(!dir.path().join("out").exists());
}

#[test]
fn check_and_stdout_cannot_be_combined() {
    let dir = tempfile::tempdir().unwrap();
    let run = stackwright(&["synth", "--check", "out", "--stdout"], dir.path());
    // Usage errors exit 1 here, like every other error (2 and 3 are diff's change statuses).
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("'--check <DIR>' cannot be used with '--stdout'"), "{}", text(&run.stderr));
}
