//! The `stackwright` binary end to end: `stackwright graph`, and the pictures and
//! annotations `diff` adds for pull requests.

mod common;

use std::fs;

use common::{stackwright, text};

#[test]
fn graph_draws_the_app_in_each_format_the_same_every_time() {
    let dir = tempfile::tempdir().unwrap();
    let mermaid = stackwright(&["graph"], dir.path());
    assert_eq!(mermaid.status.code(), Some(0), "{}", text(&mermaid.stderr));
    let out = text(&mermaid.stdout);
    assert!(out.starts_with("flowchart LR\n  subgraph g0[\"Shop\"]\n"), "{out}");
    assert_eq!(out, text(&stackwright(&["graph"], dir.path()).stdout), "deterministic");
    let dot = text(&stackwright(&["graph", "--format", "dot", "--depth", "1"], dir.path()).stdout);
    assert!(dot.starts_with("digraph \"stackwright\" {"), "{dot}");
    assert!(dot.contains("label=\"Web\\n25 resources\", shape=box3d"), "the runtime collapses at depth 1: {dot}");
}

#[test]
fn graph_of_several_stacks_draws_the_stacks_and_one_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let app = text(&stackwright(&["--app", "seed-variants", "graph"], dir.path()).stdout);
    assert!(app.contains("n0[\"seed-codecommit<br/>40 resources\"]"), "{app}");
    let one = stackwright(&["--app", "seed-variants", "graph", "--stack", "seed-efs"], dir.path());
    assert!(text(&one.stdout).contains("FileSystem"), "{}", text(&one.stdout));
    let missing = stackwright(&["--app", "seed-variants", "graph", "--stack", "nope"], dir.path());
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(
        text(&missing.stderr),
        "error: --stack \"nope\": no such stack; the stacks are seed-codecommit, seed-efs, seed-no-approval, seed-worker\n"
    );
}

#[test]
fn graph_reads_synth_output_and_svg_without_dot_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    assert!(stackwright(&["synth", "--app", "l1-basics"], dir.path()).status.success());
    let files = stackwright(&["graph", "out", "--format", "dot"], dir.path());
    assert_eq!(files.status.code(), Some(0), "{}", text(&files.stderr));
    assert!(!text(&files.stdout).contains("cluster_"), "files carry no construct paths: drawn ungrouped");
    let missing = stackwright(&["graph", "out", "--stack", "nope"], dir.path());
    assert_eq!(text(&missing.stderr), "error: --stack \"nope\": no such stack; the stacks are l1-basics\n");
    let no_dot = std::process::Command::new(env!("CARGO_BIN_EXE_stackwright"))
        .args(["graph", "out", "--format", "svg"])
        .current_dir(dir.path())
        .env("PATH", dir.path())
        .output()
        .unwrap();
    assert_eq!(no_dot.status.code(), Some(1));
    assert!(no_dot.stdout.is_empty(), "nothing half-written");
    assert!(text(&no_dot.stderr).contains("needs Graphviz's `dot` on PATH"), "{}", text(&no_dot.stderr));
}

#[test]
fn markdown_diff_draws_the_change_and_github_format_annotates_it() {
    let dir = tempfile::tempdir().unwrap();
    assert!(stackwright(&["synth", "--app", "l1-basics"], dir.path()).status.success());
    let old = "out/l1-basics.template.json";
    let mut template: serde_json::Value = serde_json::from_slice(&fs::read(dir.path().join(old)).unwrap()).unwrap();
    template["Resources"]["AppRepository"]["Properties"]["RepositoryName"] = "renamed".into();
    let new_text = serde_json::to_string_pretty(&template).unwrap();
    fs::write(dir.path().join("new.template.json"), &new_text).unwrap();

    let markdown = text(&stackwright(&["diff", old, "new.template.json", "--format", "markdown"], dir.path()).stdout);
    assert!(markdown.contains("### Graph\n\n```mermaid\nflowchart LR\n"), "{markdown}");
    let security =
        stackwright(&["diff", old, "new.template.json", "--format", "markdown", "--security-only"], dir.path());
    assert!(!text(&security.stdout).contains("```mermaid"), "--security-only draws no picture");

    let github = text(&stackwright(&["diff", old, "new.template.json", "--format", "github"], dir.path()).stdout);
    let line = new_text.lines().position(|l| l.trim_start().starts_with("\"AppRepository\":")).unwrap() + 1;
    assert!(
        github.contains(&format!(
            "::warning file=new.template.json,line={line},title=Stackwright%3A AppRepository may replace::"
        )),
        "{github}"
    );
    // Pointed at a snapshot instead, named like the project's snapshot tests.
    fs::create_dir(dir.path().join("head")).unwrap();
    fs::write(dir.path().join("head/l1-basics.template.json"), &new_text).unwrap();
    fs::create_dir(dir.path().join("snaps")).unwrap();
    fs::write(dir.path().join("snaps/app__l1-basics.snap"), format!("---\nsource: x\n---\n{new_text}")).unwrap();
    let args = ["diff", old, "head", "--format", "github", "--snapshots", "snaps"];
    let snapped = text(&stackwright(&args, dir.path()).stdout);
    let at = format!("::warning file=snaps/app__l1-basics.snap,line={},", line + 3);
    assert!(snapped.contains(&at), "{snapped}");
}
