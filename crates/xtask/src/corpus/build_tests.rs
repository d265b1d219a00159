//! The corpus builder on a small git history made here: which versions become pairs, and that
//! the corpus is the same bytes every time.

use std::path::Path;
use std::process::Command;

use super::build::{Source, build};
use super::judge::Verdict;
use super::tools::{Answer, read_ours};

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2020-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2020-01-01T00:00:00Z")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn commit(dir: &Path, files: &[(&str, &str)], message: &str) {
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("written");
    }
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("listed") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).expect("inside").display().to_string();
                out.push((name, std::fs::read(&path).expect("read")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn consecutive_template_versions_become_pairs_the_same_way_every_time() {
    let work = tempfile::tempdir().expect("temp dir");
    let repo = work.path().join("templates");
    std::fs::create_dir(&repo).expect("dir");
    git(&repo, &["init", "-q", "-b", "main"]);
    let json = |name: &str| {
        format!(
            "{{\"Resources\": {{\"B\": {{\"Type\": \"AWS::S3::Bucket\", \"Properties\": {{\"BucketName\": \"{name}\"}}}}}}}}"
        )
    };
    let yaml = |days: u32| {
        format!(
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  L:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: {days}\n"
        )
    };
    commit(&repo, &[("a.json", &json("one")), ("b.yaml", &yaml(1)), ("package.json", "{\"name\": \"x\"}")], "first");
    commit(&repo, &[("a.json", &json("two")), ("package.json", "{\"name\": \"y\"}")], "second");
    commit(&repo, &[("a.json", &json("three")), ("b.yaml", &yaml(7))], "third");
    let git_dir = repo.join(".git");

    let out = work.path().join("corpus");
    let pairs = build(&[Source::from_dir(git_dir.clone())], &out, None).expect("built");
    // a.json twice, b.yaml once; package.json is no template.
    let paths: Vec<&str> = pairs.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["a.json", "a.json", "b.yaml"]);
    let first = &pairs[0];
    let dir = out.join("pairs").join(&first.id);
    assert!(std::fs::read_to_string(dir.join("old.json")).expect("old").contains("one"));
    assert!(std::fs::read_to_string(dir.join("new.json")).expect("new").contains("two"));
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).expect("meta")).expect("json");
    assert_eq!(meta["repo"], "templates");
    assert_eq!(meta["old_commit"].as_str().map(str::len), Some(40));

    let again = work.path().join("again");
    build(&[Source::from_dir(git_dir.clone())], &again, None).expect("built again");
    assert_eq!(tree(&out), tree(&again), "the same history gives the same bytes");

    let capped = work.path().join("capped");
    let pairs = build(&[Source::from_dir(git_dir)], &capped, Some(1)).expect("built capped");
    assert_eq!(pairs.len(), 2, "at most one pair of each file");
    assert!(!work.path().join("capped.partial").exists(), "no staging directory left behind");
}

#[test]
fn our_json_is_read_whatever_else_it_holds() {
    let document = serde_json::json!({
        "schema_version": 2,
        "stacks": [{"name": "s", "resources": [
            {"logical_id": "T", "impact": "revision", "reasons": [{"kind": "create_only_changed"}], "new_field": 1},
            {"logical_id": "U", "impact": "surprise"}
        ]}]
    });
    let Answer::Read(verdicts, detail) = read_ours(&document).expect("read") else { panic!("read") };
    assert_eq!(verdicts["T"], Ok(Verdict::Replace), "a new task definition revision is a new physical resource");
    assert_eq!(verdicts["U"], Err("surprise".to_owned()), "an impact we do not know is kept, and counted as a refusal");
    assert_eq!(detail["T"], ["create_only_changed"]);
    assert!(read_ours(&serde_json::json!({"schema_version": 2})).is_err(), "no stacks: an error, not an empty answer");
}
