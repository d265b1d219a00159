//! The external judges: cfn-lint, checkov and the moto deploy harness, run on every template.
//! The three run in parallel, each once over all the templates; their verdicts are per template.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::Duration;

use serde_json::Value;

use crate::Ctx;
use crate::proc::{self, Captured};
use crate::venv::Venv;

const LIMIT: Duration = Duration::from_secs(30 * 60);

/// One judge's verdicts.
#[derive(Debug)]
pub(crate) struct Report {
    pub(crate) judge: &'static str,
    /// Template -> the reasons it failed (empty: passed). Holds every template judged.
    pub(crate) failures: BTreeMap<PathBuf, Vec<String>>,
    /// What to print for this judge (findings, skips, the harness's own log).
    pub(crate) log: String,
    /// Whether `log` already shows every failure reason (then they are not repeated).
    reasons_in_log: bool,
    /// One line for the summary, e.g. "3 documented skips".
    pub(crate) extra: String,
    pub(crate) seconds: f64,
}

impl Report {
    fn new(judge: &'static str, templates: &[PathBuf]) -> Self {
        Report {
            judge,
            failures: templates.iter().map(|t| (t.clone(), Vec::new())).collect(),
            log: String::new(),
            reasons_in_log: false,
            extra: String::new(),
            seconds: 0.0,
        }
    }

    pub(crate) fn passed(&self) -> usize {
        self.failures.values().filter(|f| f.is_empty()).count()
    }

    pub(crate) fn failed(&self) -> usize {
        self.failures.len() - self.passed()
    }

    fn fail_all(&mut self, reason: &str) {
        for reasons in self.failures.values_mut() {
            reasons.push(reason.to_owned());
        }
    }

    fn fail(&mut self, template: &Path, reason: String) {
        if let Some(reasons) = self.failures.get_mut(template) {
            reasons.push(reason);
        }
    }
}

/// Runs the three judges in parallel over `templates` (canonical absolute paths: checkov reports
/// resolved paths) and prints their output.
pub(crate) fn run(ctx: &Ctx, venv: &Venv, templates: &[PathBuf]) -> Vec<Report> {
    println!("judges: cfn-lint, checkov and moto on {} template(s), in parallel", templates.len());
    let reports = thread::scope(|scope| {
        let lint = scope.spawn(|| cfn_lint(ctx, venv, templates));
        let checkov = scope.spawn(|| checkov(ctx, venv, templates));
        let moto = scope.spawn(|| moto_in_batches(ctx, venv, templates));
        [lint, checkov, moto].map(|handle| {
            handle.join().unwrap_or_else(|_| {
                let mut report = Report::new("judge", templates);
                report.fail_all("the judge's thread panicked");
                report
            })
        })
    });
    for report in &reports {
        println!("\n== {} ({:.1} s)", report.judge, report.seconds);
        print!("{}", report.log);
        for (template, reasons) in &report.failures {
            if reasons.is_empty() {
                continue;
            }
            println!("{}: FAIL {} ({} problem(s))", report.judge, ctx.rel(template), reasons.len());
            if !report.reasons_in_log {
                for reason in reasons {
                    println!("    {reason}");
                }
            }
        }
        println!("{}: {} passed, {} failed", report.judge, report.passed(), report.failed());
    }
    reports.into()
}

/// The minified copies (`target/judges/minified/`, see `synth.rs`) create the same named
/// resources (an ECR repository name, say) as the pretty templates, so they deploy on a moto
/// server of their own, after the first.
fn moto_in_batches(ctx: &Ctx, venv: &Venv, templates: &[PathBuf]) -> Report {
    let (minified, pretty): (Vec<PathBuf>, Vec<PathBuf>) =
        templates.iter().cloned().partition(|t| t.components().any(|c| c.as_os_str() == "minified"));
    if minified.is_empty() || pretty.is_empty() {
        return moto(ctx, venv, templates);
    }
    let mut report = moto(ctx, venv, &pretty);
    let second = moto(ctx, venv, &minified);
    report.failures.extend(second.failures);
    report.log.push_str(&second.log);
    report.reasons_in_log &= second.reasons_in_log;
    report.seconds += second.seconds;
    report.extra = format!("{}; minified: {}", report.extra, second.extra);
    report
}

fn run_judge(report: &mut Report, cmd: &mut Command) -> Option<Captured> {
    match proc::capture(cmd, LIMIT) {
        Ok(captured) => {
            report.seconds = captured.elapsed.as_secs_f64();
            Some(captured)
        }
        Err(err) => {
            report.fail_all(&format!("{} could not run: {err:#}", report.judge));
            None
        }
    }
}

fn indented(text: &str) -> String {
    text.lines().fold(String::new(), |mut out, line| {
        let _ = writeln!(out, "  | {line}");
        out
    })
}

// ---------------------------------------------------------------------------------------------
// cfn-lint: zero errors, warnings and informational findings.
// ---------------------------------------------------------------------------------------------

fn cfn_lint(ctx: &Ctx, venv: &Venv, templates: &[PathBuf]) -> Report {
    let mut report = Report::new("cfn-lint", templates);
    report.reasons_in_log = true;
    // `--` before the files: --include-checks takes several values and would eat them.
    let mut cmd = Command::new(venv.bin("cfn-lint"));
    cmd.args(["--include-checks", "I", "--format", "parseable", "--"]).args(templates).current_dir(&ctx.root);
    let Some(out) = run_judge(&mut report, &mut cmd) else {
        return report;
    };
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    let mut stray = String::new();
    for line in out.stdout.lines().filter(|line| !line.trim().is_empty()) {
        match parse_lint_line(line, templates) {
            Some((template, finding)) => {
                match finding.rule.chars().next() {
                    Some('E') => errors += 1,
                    Some('W') => warnings += 1,
                    _ => infos += 1,
                }
                let _ = writeln!(
                    report.log,
                    "{}:{}: {} {}",
                    ctx.rel(&template),
                    finding.line,
                    finding.rule,
                    finding.message
                );
                report.fail(&template, format!("{} {}", finding.rule, finding.message));
            }
            None => {
                let _ = writeln!(stray, "{line}");
            }
        }
    }
    // Exit code: a bitmask of 2 (errors), 4 (warnings), 8 (informational); anything else,
    // a signal, a time-out or unparsed output means cfn-lint itself failed.
    let crashed = match out.code {
        Some(code) => code & !(2 | 4 | 8) != 0 || (code != 0 && errors + warnings + infos == 0),
        None => true,
    };
    if crashed || !stray.is_empty() {
        let _ = write!(report.log, "cfn-lint said:\n{}{}", indented(&stray), indented(&out.stderr));
    }
    if crashed {
        report.reasons_in_log = false;
        report.fail_all(&format!("cfn-lint itself failed ({})", out.describe_status()));
    }
    report.extra = format!("{errors} errors, {warnings} warnings, {infos} informational");
    report
}

pub(crate) struct Finding {
    pub(crate) line: String,
    pub(crate) rule: String,
    pub(crate) message: String,
}

/// `FILE:LINE:COL:ENDLINE:ENDCOL:RULE:MESSAGE`, FILE being one of ours (it may contain ':').
pub(crate) fn parse_lint_line(line: &str, templates: &[PathBuf]) -> Option<(PathBuf, Finding)> {
    templates.iter().find_map(|template| {
        let rest = line.strip_prefix(template.to_str()?)?.strip_prefix(':')?;
        let fields: Vec<&str> = rest.splitn(6, ':').collect();
        let [line, _col, _end_line, _end_col, rule, message] = fields[..] else {
            return None;
        };
        Some((template.clone(), Finding { line: line.to_owned(), rule: rule.to_owned(), message: message.to_owned() }))
    })
}

// ---------------------------------------------------------------------------------------------
// checkov: zero failed checks; every skip documented in Metadata with a reason.
// ---------------------------------------------------------------------------------------------

fn checkov(ctx: &Ctx, venv: &Venv, templates: &[PathBuf]) -> Report {
    let mut report = Report::new("checkov", templates);
    // No `--quiet`: it would drop the skipped checks (and their reasons) from the JSON.
    let mut cmd = Command::new(venv.bin("checkov"));
    cmd.args(["--framework", "cloudformation", "-o", "json", "--compact", "--skip-download", "-f"])
        .args(templates)
        .env("BC_SKIP_MAPPING", "TRUE")
        .current_dir(&ctx.root);
    let Some(out) = run_judge(&mut report, &mut cmd) else {
        return report;
    };
    let parsed: Option<Value> = serde_json::from_str(&out.stdout).ok();
    let ok_exit = matches!(out.code, Some(0 | 1));
    let Some(parsed) = parsed.filter(|_| ok_exit) else {
        let _ = write!(report.log, "checkov said:\n{}{}", indented(&out.stdout), indented(&out.stderr));
        report.fail_all(&format!("checkov itself failed ({}, no JSON report)", out.describe_status()));
        return report;
    };
    // One report object, or a list of them when several runners answered.
    let reports: Vec<&Value> = match &parsed {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let by_path: BTreeMap<String, PathBuf> =
        templates.iter().map(|t| (t.to_string_lossy().into_owned(), t.clone())).collect();
    let mut counted: BTreeMap<PathBuf, usize> = BTreeMap::new();
    let (mut n_passed, mut n_failed, mut skipped) = (0, 0, Vec::new());
    let mut other_reasons = false;
    for one in reports {
        let results = &one["results"];
        for check in results["passed_checks"].as_array().into_iter().flatten() {
            n_passed += 1;
            if let Some(t) = template_of(check, &by_path) {
                *counted.entry(t).or_default() += 1;
            }
        }
        for check in results["failed_checks"].as_array().into_iter().flatten() {
            n_failed += 1;
            let line = describe_check(ctx, check, &by_path);
            let _ = writeln!(report.log, "FAILED {line} ({})", text(&check["check_name"]));
            if let Some(t) = template_of(check, &by_path) {
                *counted.entry(t.clone()).or_default() += 1;
                let reason = format!("{} {}", text(&check["check_id"]), text(&check["resource"]));
                report.fail(&t, reason);
            } else {
                other_reasons = true;
                report.fail_all(&format!("failed check outside our templates: {line}"));
            }
        }
        for check in results["skipped_checks"].as_array().into_iter().flatten() {
            let comment = text(&check["check_result"]["suppress_comment"]);
            let line = describe_check(ctx, check, &by_path);
            if let Some(t) = template_of(check, &by_path) {
                *counted.entry(t.clone()).or_default() += 1;
                if comment.trim().is_empty() || comment == "No comment provided" {
                    other_reasons = true;
                    report.fail(&t, format!("skip without a written reason: {line}"));
                }
            }
            skipped.push(format!("{line}: {comment}"));
        }
        for error in results["parsing_errors"].as_array().into_iter().flatten() {
            let path = text(error);
            other_reasons = true;
            match by_path.get(&path) {
                Some(t) => report.fail(&t.clone(), "checkov could not parse it".to_owned()),
                None => report.fail_all(&format!("checkov parsing error in {path}")),
            }
        }
    }
    let _ = writeln!(
        report.log,
        "checkov: {n_passed} checks passed, {n_failed} failed, {} skipped through template Metadata",
        skipped.len()
    );
    for skip in &skipped {
        let _ = writeln!(report.log, "  skipped {skip}");
    }
    for template in templates {
        if !counted.contains_key(template) {
            let _ = writeln!(report.log, "  note: no checkov check applies to {}", ctx.rel(template));
        }
    }
    // Failed checks are listed above; other reasons (missing skip comments, parse errors) not.
    report.reasons_in_log = !other_reasons;
    report.extra = format!("{n_failed} failed checks, {} documented skips", skipped.len());
    report
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn template_of(check: &Value, by_path: &BTreeMap<String, PathBuf>) -> Option<PathBuf> {
    by_path.get(&text(&check["file_abs_path"])).cloned()
}

fn describe_check(ctx: &Ctx, check: &Value, by_path: &BTreeMap<String, PathBuf>) -> String {
    let file = template_of(check, by_path).map_or_else(|| text(&check["file_abs_path"]), |t| ctx.rel(&t));
    format!("{} {} in {file}", text(&check["check_id"]), text(&check["resource"]))
}

// ---------------------------------------------------------------------------------------------
// moto: create, update and delete every stack on a local moto server (judges/moto_deploy.py),
// and the release scenario (judges/moto_release.py) on every stack with a release project.
// ---------------------------------------------------------------------------------------------

fn moto(ctx: &Ctx, venv: &Venv, templates: &[PathBuf]) -> Report {
    let mut report = Report::new("moto", templates);
    let dir = ctx.target.join("judges");
    let report_path = dir.join("moto-report.json");
    let _ = std::fs::remove_file(&report_path);
    let mut cmd = Command::new(venv.bin("python"));
    cmd.arg(ctx.root.join("judges").join("moto_deploy.py"))
        .arg("--report")
        .arg(&report_path)
        .arg("--server-log")
        .arg(dir.join("moto-server.log"))
        .args(templates)
        .current_dir(&ctx.root);
    let Some(out) = run_judge(&mut report, &mut cmd) else {
        return report;
    };
    report.log.push_str(&out.stdout);
    let parsed: Option<Value> = std::fs::read(&report_path).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let harness_ok = matches!(out.code, Some(0 | 1));
    let Some(parsed) = parsed.filter(|_| harness_ok) else {
        report.log.push_str(&indented(&out.stderr));
        report.fail_all(&format!("the moto harness failed ({})", out.describe_status()));
        return report;
    };
    if !out.stderr.trim().is_empty() && out.code != Some(0) {
        report.log.push_str(&indented(&out.stderr));
    }
    let mut seen = 0;
    for entry in parsed["templates"].as_array().into_iter().flatten() {
        let path = PathBuf::from(text(&entry["path"]));
        if !report.failures.contains_key(&path) {
            continue;
        }
        seen += 1;
        if entry["ok"] != Value::Bool(true) {
            let error = text(&entry["error"]);
            let first = error.lines().next().unwrap_or("failed").to_owned();
            report.fail(&path, first);
        }
    }
    if seen != templates.len() {
        report.fail_all(&format!("the moto report covers {seen} of {} templates", templates.len()));
    }
    let dropped: usize = parsed["templates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["changes"].as_array())
        .map(|changes| changes.iter().filter(|c| text(c).starts_with("dropped ")).count())
        .sum();
    let releases = parsed["templates"].as_array().into_iter().flatten().filter(|t| t["release"].is_object()).count();
    report.extra =
        format!("{dropped} resources dropped for moto (no moto model); release scenario on {releases} template(s)");
    report
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::parse_lint_line;

    #[test]
    fn lint_lines_are_split_after_the_known_file_name() {
        let templates = [PathBuf::from("/w/a:b/Seed.template.json")];
        let line = "/w/a:b/Seed.template.json:801:5:801:49:W3005:'X' dependency: already enforced";
        let (template, finding) = parse_lint_line(line, &templates).unwrap();
        assert_eq!(template, templates[0]);
        assert_eq!(finding.line, "801");
        assert_eq!(finding.rule, "W3005");
        assert_eq!(finding.message, "'X' dependency: already enforced");
        assert!(parse_lint_line("E0000 something else", &templates).is_none());
    }
}
