//! `fixture-parity`: `stackwright validate` against cfn-lint on cfn-lint's own test templates
//! (`test/fixtures/templates/good/` and `bad/` of the pinned cfn-lint's sdist, fetched at test
//! time: [`fetch`]), both directions:
//!
//! - where cfn-lint reports no error, we must report none (else a *wrong rejection*);
//! - where cfn-lint reports errors, we must report one in a place it names (else a *miss*).
//!
//! Both tools run once over every fixture ([`tools`]); each fixture is judged by [`compare`].
//! A disagreement fails the phase unless the allowlist ([`allowlist`], [`ALLOWLIST`]) lists
//! it under its cause, and the list must stay exact. The figures (counts, catch rate, both
//! tools' wall time in the same run) are printed and written to
//! `target/cfn-lint-fixtures/parity-report.{json,md}` ([`report`]).

mod allowlist;
mod compare;
mod fetch;
mod report;
mod tools;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::time::Instant;

use anyhow::{Context as _, Result};

use self::allowlist::Allowlist;
use self::compare::{Comparison, Outcome, compare};
use self::report::{Figures, Run};
use crate::venv::Venv;
use crate::{Ctx, Phase};

/// The allowlist, relative to the workspace root.
const ALLOWLIST: &str = "crates/stackwright-validate/tests/cfn-lint-fixtures-allowlist.txt";
const ALLOWLIST_NAME: &str = "cfn-lint-fixtures-allowlist.txt";

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Options {
    /// Time the release build of stackwright instead of the debug build `cargo test` made.
    pub(crate) release: bool,
    /// Remove from the allowlist the fixtures that agree with cfn-lint now (never adds any).
    pub(crate) prune: bool,
}

pub(crate) fn run(ctx: &Ctx, venv: &Venv, options: Options) -> Phase {
    let started = Instant::now();
    let (ok, mut detail) = match check(ctx, venv, options) {
        Ok(outcome) => outcome,
        Err(err) => (false, format!("could not run: {err:#}")),
    };
    detail.insert_str(0, &format!("{:.0} s: ", started.elapsed().as_secs_f64()));
    Phase { name: "fixture-parity".into(), ok, detail }
}

fn check(ctx: &Ctx, venv: &Venv, options: Options) -> Result<(bool, String)> {
    let fixtures = fetch::ensure(ctx, venv)?;
    println!(
        "fixture-parity: cfn-lint {}'s fixtures {}: {} templates under {}",
        fixtures.version,
        fixtures.how,
        fixtures.files.len(),
        ctx.rel(&fixtures.root)
    );
    let path = ctx.root.join(ALLOWLIST);
    let text = fs::read_to_string(&path).with_context(|| format!("cannot read {ALLOWLIST}"))?;
    let mut allowlist = Allowlist::parse(&text).with_context(|| format!("in {ALLOWLIST}"))?;

    let lint = tools::cfn_lint(venv, &fixtures)?;
    let ours = tools::stackwright(ctx, &fixtures, options.release)?;
    let comparisons: BTreeMap<String, Comparison> = fixtures
        .files
        .iter()
        .filter_map(|fixture| {
            let theirs = lint.findings.get(fixture).map(Vec::as_slice).unwrap_or_default();
            let found = ours.findings.get(fixture)?;
            Some((fixture.clone(), compare(theirs, found)))
        })
        .collect();
    let outcomes: BTreeMap<String, Outcome> =
        comparisons.iter().map(|(fixture, comparison)| (fixture.clone(), comparison.outcome)).collect();

    if options.prune {
        let agreeing: BTreeSet<String> = allowlist
            .groups
            .iter()
            .flat_map(|group| &group.members)
            .filter(|member| outcomes.get(&member.fixture).is_some_and(|outcome| outcome.agrees()))
            .map(|member| member.fixture.clone())
            .collect();
        if !agreeing.is_empty() {
            let pruned = allowlist.pruned(&agreeing);
            fs::write(&path, &pruned).with_context(|| format!("cannot write {ALLOWLIST}"))?;
            allowlist = Allowlist::parse(&pruned).with_context(|| format!("in the pruned {ALLOWLIST}"))?;
            println!("fixture-parity: removed {} fixture(s) that agree now from {ALLOWLIST}", agreeing.len());
        }
    }

    let mut log = String::new();
    for (fixture, comparison) in comparisons.iter().filter(|(_, c)| !c.outcome.agrees()) {
        let listed = allowlist
            .group_of(fixture)
            .map_or_else(|| "NOT IN THE ALLOWLIST".to_owned(), |group| format!("allowlisted as {}", group.kind.name()));
        let _ = writeln!(log, "  {fixture}: {} ({listed}): {}", comparison.outcome.name(), describe(comparison));
    }
    print!("{log}");

    let mut problems = allowlist.problems(&outcomes, ALLOWLIST_NAME);
    for (fixture, what) in &ours.crashes {
        problems.push(format!("{fixture}: stackwright validate did not report on it: {what}"));
    }
    let run = Run {
        cfn_lint: &fixtures.version,
        sdist_sha256: &fixtures.sha256,
        comparisons: &comparisons,
        crashes: &ours.crashes,
        allowlist: &allowlist,
        lint_seconds: lint.seconds,
        lint_cached: lint.cached,
        lint_command: &lint.command,
        our_seconds: ours.seconds,
        our_how: &ours.how,
    };
    let figures = Figures::of(&run);
    let dir = fixtures.cache.parent().unwrap_or(&fixtures.cache);
    let json_path = dir.join("parity-report.json");
    let markdown_path = dir.join("parity-report.md");
    let json = serde_json::to_string_pretty(&report::json(&run, &figures))?;
    fs::write(&json_path, json + "\n").with_context(|| format!("cannot write {}", json_path.display()))?;
    fs::write(&markdown_path, report::markdown(&run, &figures))
        .with_context(|| format!("cannot write {}", markdown_path.display()))?;

    let mut detail = report::summary(&run, &figures);
    let _ = write!(detail, "\nreport: {}, {}", ctx.rel(&json_path), ctx.rel(&markdown_path));
    for problem in &problems {
        detail.push_str("\n    ");
        detail.push_str(problem);
    }
    Ok((problems.is_empty(), detail))
}

/// `cfn-lint E3012 Resources/A, E3003 Resources/B; stackwright schema/type Resources/A`.
fn describe(comparison: &Comparison) -> String {
    let side = |errors: &[compare::Error]| {
        let mut seen: Vec<String> = Vec::new();
        for error in errors {
            let item = format!("{} {}", error.rule, error.place);
            if !seen.contains(&item) {
                seen.push(item);
            }
        }
        if seen.is_empty() { "no error".to_owned() } else { seen.join(", ") }
    };
    format!("cfn-lint {}; stackwright {}", side(&comparison.lint_errors), side(&comparison.our_errors))
}
