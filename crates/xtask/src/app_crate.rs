//! A user's app crate, outside the workspace: `stackwright init --rust` scaffolds one in a
//! temporary directory, and its own `cargo test` must pass (its snapshot test and assertion
//! test, through the public testing API only), then fail once the app changes. This proves
//! the testing kit works for a crate that is not this repository's, and that the scaffold
//! synthesizes as it stands.

use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, bail};

use crate::{Ctx, Phase, proc};

/// Building the scaffold shares the workspace's target directory, so only its own crate
/// compiles; the limit covers a cold cache on a slow machine.
const LIMIT: Duration = Duration::from_secs(900);

pub(crate) fn run(ctx: &Ctx) -> Phase {
    let name = "app crate: init --rust, its cargo test".to_owned();
    match judge(ctx) {
        Ok(detail) => Phase { name, ok: true, detail },
        Err(error) => Phase { name, ok: false, detail: format!("{error:#}") },
    }
}

fn judge(ctx: &Ctx) -> anyhow::Result<String> {
    let scratch = tempfile::tempdir().context("cannot create a temporary directory")?;
    let dir = scratch.path().join("shop-api");
    std::fs::create_dir(&dir)?;
    let mut build = Command::new(&ctx.cargo);
    build.args(["build", "--quiet", "-p", "stackwright"]).current_dir(&ctx.root).env("CARGO_TARGET_DIR", &ctx.target);
    let compiled = proc::capture(&mut build, LIMIT)?;
    if compiled.code != Some(0) {
        bail!("cannot build stackwright: {}", compiled.stderr.trim());
    }
    let binary = ctx.target.join("debug").join(format!("stackwright{}", std::env::consts::EXE_SUFFIX));
    let mut scaffold = Command::new(&binary);
    scaffold.args(["init", "--rust", "--stackwright-path"]).arg(&ctx.root).current_dir(&dir);
    let written = proc::capture(&mut scaffold, LIMIT)?;
    if written.code != Some(0) {
        bail!("init --rust failed: {}", written.stderr.trim());
    }
    // The workspace's lock file pins the same versions the workspace was tested with; cargo
    // drops the entries the app crate does not use.
    std::fs::copy(ctx.root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    let passing = cargo_test(ctx, &dir)?;
    if passing.code != Some(0) {
        bail!("the fresh app crate's tests fail ({}):\n{}", passing.describe_status(), tail(&passing));
    }
    // A test that cannot fail proves nothing: change the service, and the snapshot must differ.
    let lib = dir.join("src/lib.rs");
    let source = std::fs::read_to_string(&lib)?;
    let changed = source.replacen("\"/healthz\"", "\"/status\"", 1);
    if changed == source {
        bail!("the scaffold's src/lib.rs no longer sets the health check path: update this phase");
    }
    std::fs::write(&lib, changed)?;
    let failing = cargo_test(ctx, &dir)?;
    let output = format!("{}{}", failing.stdout, failing.stderr);
    if failing.code == Some(0) || !output.contains("stack snapshot(s) differ") {
        bail!("the app crate's snapshot test did not catch a changed service:\n{}", tail(&failing));
    }
    Ok(format!(
        "2 tests pass as scaffolded ({:.0} s); a changed health check fails the snapshot test",
        passing.elapsed.as_secs_f64()
    ))
}

fn cargo_test(ctx: &Ctx, dir: &std::path::Path) -> anyhow::Result<proc::Captured> {
    let mut cmd = Command::new(&ctx.cargo);
    cmd.args(["test", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &ctx.target)
        .env("INSTA_UPDATE", "no")
        .env("CI", "true")
        .env_remove("INSTA_FORCE_PASS");
    proc::capture(&mut cmd, LIMIT)
}

/// The last lines of a run, for a failure message.
fn tail(run: &proc::Captured) -> String {
    let text = format!("{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}
