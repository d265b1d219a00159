//! `validate-parity`: every case of the validate corpus that cfn-lint flags, `stackwright
//! validate` flags too.
//!
//! cfn-lint runs once over `tests/good.json` and every `tests/corpus/*.json` of
//! `stackwright-validate`; the good template's own findings (cfn-lint warns about things the
//! corpus keeps on purpose) are the baseline, and a case is flagged when cfn-lint reports a
//! finding the baseline does not have (same rule and message). Our side is
//! `stackwright validate --format json` over the same files. A case fails the phase when
//! cfn-lint reports a new error (`E…`) and we report no error, or no error in any of the
//! template entries (`Resources/Service`…) cfn-lint's errors are in, or when cfn-lint reports
//! only new warnings and we report nothing; unless the allowlist
//! (`tests/cfn-lint-parity-allowlist.txt`: `CASE.json  reason` lines) names the case with the
//! reason. An allowlisted case that we flag after all, or that is no corpus case, fails too:
//! the list stays exact.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use crate::venv::Venv;
use crate::{Ctx, Phase, judges, proc};

const LIMIT: Duration = Duration::from_secs(15 * 60);
const ALLOWLIST: &str = "cfn-lint-parity-allowlist.txt";

/// What one side said about one file.
#[derive(Debug, Default)]
struct Verdict {
    errors: usize,
    warnings: usize,
    /// Findings of Stackwright's own (policy) rules.
    policy: usize,
    /// The template entries (`Resources/Service`, `Outputs/Url`; a section alone, or `""`
    /// for the document) that errors point into.
    error_entries: BTreeSet<String>,
}

impl Verdict {
    /// Whether we report anything at all, of any level.
    fn flagged(&self) -> bool {
        self.errors + self.warnings + self.policy > 0
    }
}

/// One cfn-lint finding: its rule, message and the entry its line falls in.
type LintFinding = (String, String, String);

pub(crate) fn run(ctx: &Ctx, venv: &Venv) -> Phase {
    let started = Instant::now();
    let (ok, mut detail) = match check(ctx, venv) {
        Ok(outcome) => outcome,
        Err(err) => (false, format!("could not run: {err:#}")),
    };
    detail.insert_str(0, &format!("{:.0} s: ", started.elapsed().as_secs_f64()));
    Phase { name: "validate-parity".into(), ok, detail }
}

fn check(ctx: &Ctx, venv: &Venv) -> Result<(bool, String)> {
    let tests = ctx.root.join("crates").join("stackwright-validate").join("tests");
    let good = tests.join("good.json");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(tests.join("corpus"))
        .context("cannot list the validate corpus")?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    cases.sort();
    if cases.is_empty() {
        bail!("the validate corpus is empty");
    }
    let allowlist = allowlist(&tests.join(ALLOWLIST))?;
    let mut files = vec![good.clone()];
    files.extend(cases.iter().cloned());

    println!("validate-parity: cfn-lint and stackwright validate on {} corpus case(s)", cases.len());
    let lint = cfn_lint(ctx, venv, &files)?;
    let ours = ours(ctx, &files)?;
    let baseline = lint.get(&good).cloned().unwrap_or_default();

    let (mut flagged, mut both, mut only_ours) = (0, 0, 0);
    let mut failures = Vec::new();
    // The cases are mutations of good.json: an error in it would be in every case.
    for (rule, message, _) in baseline.iter().filter(|(rule, _, _)| rule.starts_with('E')) {
        failures.push(format!("good.json: cfn-lint reports {rule} {message}; the corpus's base must have no error"));
    }
    let mut allowed = Vec::new();
    let mut log = String::new();
    for case in &cases {
        let name = case.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let new: Vec<&LintFinding> = lint
            .get(case)
            .into_iter()
            .flatten()
            .filter(|(rule, message, _)| !baseline.iter().any(|(r, m, _)| r == rule && m == message))
            .collect();
        let verdict = ours.get(case).with_context(|| format!("stackwright validate said nothing about {name}"))?;
        if new.is_empty() {
            if verdict.flagged() {
                only_ours += 1;
            }
            continue;
        }
        flagged += 1;
        let lint_errors: Vec<&&LintFinding> = new.iter().filter(|(rule, _, _)| rule.starts_with('E')).collect();
        let rules: BTreeSet<&str> = new.iter().map(|(rule, _, _)| rule.as_str()).collect();
        let rules = rules.into_iter().collect::<Vec<_>>().join(",");
        // cfn-lint's errors are in entries none of ours points into: not the same finding.
        // (An error of cfn-lint's about a whole section or the document is met by any error of
        // ours; one shared entry is enough: cfn-lint reports every member of a cycle and the
        // consequences of a parse error, we report a cycle once and stop at a parse error.)
        let lint_entries: BTreeSet<&str> = lint_errors.iter().map(|(_, _, entry)| entry.as_str()).collect();
        let elsewhere =
            !lint_entries.iter().any(|entry| !entry.contains('/') || verdict.error_entries.contains(*entry));
        let problem = if lint_errors.is_empty() {
            (!verdict.flagged()).then(|| "does not flag it".to_owned())
        } else if verdict.errors == 0 {
            Some("reports no error".to_owned())
        } else if elsewhere {
            let ours: Vec<&str> = verdict.error_entries.iter().map(String::as_str).collect();
            Some(format!(
                "reports no error in {} (its errors are in {})",
                lint_entries.into_iter().collect::<Vec<_>>().join(", "),
                ours.join(", ")
            ))
        } else {
            None
        };
        let _ = writeln!(
            log,
            "  {name}: cfn-lint {rules}; stackwright {} error(s), {} warning(s), {} policy finding(s){}",
            verdict.errors,
            verdict.warnings,
            verdict.policy,
            problem.as_ref().map_or(String::new(), |p| format!(": MISSED, stackwright {p}"))
        );
        match problem {
            None if allowlist.contains_key(&name) => {
                both += 1;
                failures.push(format!("{name}: stackwright validate flags it now; remove it from {ALLOWLIST}"));
            }
            None => both += 1,
            Some(_) if allowlist.contains_key(&name) => {
                allowed.push(format!("{name} ({})", allowlist[&name]));
            }
            Some(problem) => failures.push(format!("{name}: cfn-lint reports {rules}, stackwright validate {problem}")),
        }
    }
    print!("{log}");
    let stale: Vec<&String> =
        allowlist.keys().filter(|name| !cases.iter().any(|case| case.ends_with(name.as_str()))).collect();
    for name in &stale {
        failures.push(format!("{ALLOWLIST} names {name}, which is not a corpus case"));
    }
    let mut detail = format!(
        "{} case(s): cfn-lint flags {flagged}, stackwright flags {both} of them; {only_ours} flagged by stackwright only; {} allowlisted",
        cases.len(),
        allowed.len()
    );
    for line in allowed.iter().map(|a| format!("allowed: {a}")).chain(failures.iter().cloned()) {
        detail.push_str("\n    ");
        detail.push_str(&line);
    }
    Ok((failures.is_empty(), detail))
}

/// `CASE.json  reason` lines; `#` comments and blank lines skipped; a reason is required.
fn allowlist(path: &Path) -> Result<BTreeMap<String, String>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    let mut entries = BTreeMap::new();
    for line in text.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with('#')) {
        let (name, reason) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        if reason.trim().is_empty() {
            bail!("{}: `{name}` has no reason", path.display());
        }
        entries.insert(name.to_owned(), reason.trim().to_owned());
    }
    Ok(entries)
}

/// File -> its cfn-lint findings, each with the template entry its line falls in.
fn cfn_lint(ctx: &Ctx, venv: &Venv, files: &[PathBuf]) -> Result<BTreeMap<PathBuf, Vec<LintFinding>>> {
    let mut cmd = Command::new(venv.bin("cfn-lint"));
    cmd.args(["--format", "parseable", "--"]).args(files).current_dir(&ctx.root);
    let out = proc::capture(&mut cmd, LIMIT)?;
    // Exit code: a bitmask of 2 (errors), 4 (warnings), 8 (informational); anything else is
    // cfn-lint itself failing.
    if out.code.is_none_or(|code| code & !(2 | 4 | 8) != 0) {
        bail!("cfn-lint failed ({}):\n{}", out.describe_status(), out.stderr);
    }
    let mut findings: BTreeMap<PathBuf, Vec<LintFinding>> = BTreeMap::new();
    let mut entries: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for line in out.stdout.lines().filter(|line| !line.trim().is_empty()) {
        let Some((file, finding)) = judges::parse_lint_line(line, files) else {
            bail!("unexpected cfn-lint output: {line}");
        };
        if !entries.contains_key(&file) {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            entries.insert(file.clone(), entry_of_each_line(&text));
        }
        let number: usize = finding.line.parse().unwrap_or(0);
        let entry = entries[&file].get(number.wrapping_sub(1)).cloned().unwrap_or_default();
        findings.entry(file).or_default().push((finding.rule, finding.message, entry));
    }
    Ok(findings)
}

/// For each line of a template written as the corpus is (JSON indented by two spaces), the
/// entry it belongs to: `Section/Name` below a section's entry, `Section` on a section's own
/// line, `""` outside every section.
fn entry_of_each_line(text: &str) -> Vec<String> {
    let (mut section, mut entry) = (String::new(), String::new());
    text.lines()
        .map(|line| {
            let key = || line.trim_start().strip_prefix('"').and_then(|k| k.split('"').next()).unwrap_or_default();
            let indent = line.len() - line.trim_start().len();
            if indent == 2 {
                key().clone_into(&mut section);
                entry.clear();
            } else if indent == 4 && !section.is_empty() {
                key().clone_into(&mut entry);
            } else if indent < 2 {
                section.clear();
                entry.clear();
            }
            match (section.is_empty(), entry.is_empty()) {
                (true, _) => String::new(),
                (false, true) => section.clone(),
                (false, false) => format!("{section}/{entry}"),
            }
        })
        .collect()
}

/// File -> our verdict, from `stackwright validate --format json`.
fn ours(ctx: &Ctx, files: &[PathBuf]) -> Result<BTreeMap<PathBuf, Verdict>> {
    let mut cmd = Command::new(&ctx.cargo);
    cmd.args(["run", "--quiet", "-p", "stackwright", "--", "validate", "--format", "json"])
        .args(files)
        .current_dir(&ctx.root);
    let out = proc::capture(&mut cmd, LIMIT)?;
    let report: Value = serde_json::from_str(&out.stdout)
        .with_context(|| format!("stackwright validate gave no JSON ({}):\n{}", out.describe_status(), out.stderr))?;
    let mut verdicts = BTreeMap::new();
    for file in report["files"].as_array().into_iter().flatten() {
        let path = PathBuf::from(file["path"].as_str().unwrap_or_default());
        let count = |key: &str| file[key].as_u64().and_then(|n| usize::try_from(n).ok()).unwrap_or_default();
        let error_entries = file["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|finding| finding["severity"] == "error")
            .map(|finding| {
                // `/Resources/Service/Properties/Cluster` -> `Resources/Service`.
                let pointer = finding["pointer"].as_str().unwrap_or_default();
                pointer.split('/').skip(1).take(2).collect::<Vec<_>>().join("/")
            })
            .collect();
        verdicts.insert(
            path,
            Verdict { errors: count("errors"), warnings: count("warnings"), policy: count("policy"), error_entries },
        );
    }
    Ok(verdicts)
}
