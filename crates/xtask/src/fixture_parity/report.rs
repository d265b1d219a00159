//! The figures of one run, printed and written as `parity-report.json` and `parity-report.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use super::allowlist::{Allowlist, Kind};
use super::compare::{Comparison, Outcome};

/// The catch rate the issue aims for, over the fixtures cfn-lint rejects.
pub(crate) const CATCH_TARGET: f64 = 0.9;

/// Everything one run measured.
pub(crate) struct Run<'a> {
    pub(crate) cfn_lint: &'a str,
    pub(crate) sdist_sha256: &'a str,
    pub(crate) comparisons: &'a BTreeMap<String, Comparison>,
    pub(crate) crashes: &'a BTreeMap<String, String>,
    pub(crate) allowlist: &'a Allowlist,
    pub(crate) lint_seconds: f64,
    pub(crate) lint_cached: bool,
    pub(crate) lint_command: &'a str,
    pub(crate) our_seconds: f64,
    pub(crate) our_how: &'a str,
}

#[derive(Debug, Default, PartialEq)]
pub(crate) struct Figures {
    pub(crate) templates: usize,
    pub(crate) good: usize,
    pub(crate) bad: usize,
    pub(crate) lint_accepts: usize,
    pub(crate) lint_rejects: usize,
    pub(crate) both_accept: usize,
    /// cfn-lint accepts, we reject, and CloudFormation does not (allowlisted or not).
    pub(crate) wrong_rejections: usize,
    /// cfn-lint accepts, we reject, and so does CloudFormation (allowlisted as such).
    pub(crate) cloudformation_rejects: usize,
    pub(crate) caught: usize,
    /// cfn-lint rejects, we do not (in a place it names), and CloudFormation would reject it.
    pub(crate) misses: usize,
    /// cfn-lint rejects, we do not, and CloudFormation accepts it (allowlisted as such).
    pub(crate) cloudformation_accepts: usize,
}

impl Figures {
    pub(crate) fn of(run: &Run<'_>) -> Figures {
        let mut figures = Figures { templates: run.comparisons.len(), ..Figures::default() };
        for (fixture, comparison) in run.comparisons {
            if fixture.starts_with("good/") {
                figures.good += 1;
            } else {
                figures.bad += 1;
            }
            let kind = run.allowlist.group_of(fixture).map(|group| group.kind);
            match comparison.outcome {
                Outcome::BothAccept => figures.both_accept += 1,
                Outcome::Caught => figures.caught += 1,
                Outcome::WrongRejection if kind == Some(Kind::CloudFormationRejects) => {
                    figures.cloudformation_rejects += 1;
                }
                Outcome::WrongRejection => figures.wrong_rejections += 1,
                Outcome::Miss if kind == Some(Kind::CloudFormationAccepts) => figures.cloudformation_accepts += 1,
                Outcome::Miss => figures.misses += 1,
            }
        }
        figures.lint_accepts = figures.both_accept + figures.wrong_rejections + figures.cloudformation_rejects;
        figures.lint_rejects = figures.caught + figures.misses + figures.cloudformation_accepts;
        figures
    }

    /// Caught over every fixture cfn-lint rejects.
    pub(crate) fn catch_rate(&self) -> f64 {
        ratio(self.caught, self.lint_rejects)
    }

    /// Caught over the fixtures cfn-lint rejects that CloudFormation rejects too.
    pub(crate) fn catch_rate_where_cloudformation_rejects(&self) -> f64 {
        ratio(self.caught, self.lint_rejects - self.cloudformation_accepts)
    }
}

#[allow(clippy::cast_precision_loss)] // counts of a few hundred fixtures
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 { 1.0 } else { part as f64 / whole as f64 }
}

/// A rule behind disagreements: how many fixtures, one example and its message.
struct Cause {
    fixtures: usize,
    example: String,
    message: String,
}

/// cfn-lint's rules in the misses (`outcome` Miss) or our rules in the wrong rejections, most
/// fixtures first; each fixture counts once per rule. The differences the allowlist keeps
/// (`cloudformation-accepts`, `cloudformation-rejects`) are left out: nothing to fix there.
fn causes(run: &Run<'_>, outcome: Outcome) -> Vec<(String, Cause)> {
    let kept = |fixture: &str| {
        run.allowlist
            .group_of(fixture)
            .is_some_and(|group| matches!(group.kind, Kind::CloudFormationAccepts | Kind::CloudFormationRejects))
    };
    let mut causes: BTreeMap<String, Cause> = BTreeMap::new();
    for (fixture, comparison) in run.comparisons.iter().filter(|(f, c)| c.outcome == outcome && !kept(f)) {
        let errors = if outcome == Outcome::Miss { &comparison.lint_errors } else { &comparison.our_errors };
        let mut seen = Vec::new();
        for error in errors {
            if seen.contains(&&error.rule) {
                continue;
            }
            seen.push(&error.rule);
            let cause = causes.entry(error.rule.clone()).or_insert_with(|| Cause {
                fixtures: 0,
                example: format!("{fixture} ({})", error.place),
                message: error.message.chars().take(140).collect(),
            });
            cause.fixtures += 1;
        }
    }
    let mut causes: Vec<(String, Cause)> = causes.into_iter().collect();
    causes.sort_by(|(a, x), (b, y)| y.fixtures.cmp(&x.fixtures).then_with(|| a.cmp(b)));
    causes
}

pub(crate) fn json(run: &Run<'_>, figures: &Figures) -> Value {
    let errors = |errors: &[super::compare::Error]| -> Vec<Value> {
        errors.iter().map(|e| json!({"rule": e.rule, "place": e.place.to_string(), "message": e.message})).collect()
    };
    let fixtures: Vec<Value> = run
        .comparisons
        .iter()
        .map(|(fixture, c)| {
            json!({
                "fixture": fixture,
                "outcome": c.outcome.name(),
                "allowlisted": run.allowlist.entry(fixture).map(|(group, member)| {
                    json!({"kind": group.kind.name(), "cause": group.reason, "note": member.note})
                }),
                "cfn_lint_errors": errors(&c.lint_errors),
                "cfn_lint_other_findings": c.lint_others,
                "stackwright_errors": errors(&c.our_errors),
                "stackwright_other_findings": c.our_others,
            })
        })
        .collect();
    let causes = |outcome| -> Vec<Value> {
        causes(run, outcome)
            .into_iter()
            .map(|(rule, c)| json!({"rule": rule, "fixtures": c.fixtures, "example": c.example, "message": c.message}))
            .collect()
    };
    let groups: Vec<Value> = run
        .allowlist
        .groups
        .iter()
        .map(|g| {
            json!({"kind": g.kind.name(), "reason": g.reason, "fixtures": g.members.len(),
                        "example": g.members.first().map(|m| m.fixture.as_str())})
        })
        .collect();
    json!({
        "cfn_lint": run.cfn_lint,
        "sdist_sha256": run.sdist_sha256,
        "templates": figures.templates,
        "good": figures.good,
        "bad": figures.bad,
        "cfn_lint_accepts": figures.lint_accepts,
        "both_accept": figures.both_accept,
        "wrong_rejections": figures.wrong_rejections,
        "cloudformation_rejects": figures.cloudformation_rejects,
        "cfn_lint_rejects": figures.lint_rejects,
        "caught": figures.caught,
        "misses": figures.misses,
        "cloudformation_accepts": figures.cloudformation_accepts,
        "catch_rate": figures.catch_rate(),
        "catch_rate_where_cloudformation_rejects": figures.catch_rate_where_cloudformation_rejects(),
        "catch_target": CATCH_TARGET,
        "crashes": run.crashes,
        "seconds": {"cfn_lint": run.lint_seconds, "cfn_lint_cached": run.lint_cached,
                    "cfn_lint_command": run.lint_command,
                    "stackwright": run.our_seconds, "stackwright_run": run.our_how},
        "allowlist_groups": groups,
        "miss_causes_by_cfn_lint_rule": causes(Outcome::Miss),
        "wrong_rejection_causes_by_our_rule": causes(Outcome::WrongRejection),
        "fixtures": fixtures,
    })
}

/// The figures in a few lines, for the terminal and the phase summary.
pub(crate) fn summary(run: &Run<'_>, f: &Figures) -> String {
    let speed = if run.our_seconds > 0.0 { run.lint_seconds / run.our_seconds } else { 0.0 };
    let mut text = format!(
        "{} templates ({} good/, {} bad/) of cfn-lint {}\n\
         cfn-lint accepts {}: stackwright accepts {}, wrong rejections {}, rightly rejected (CloudFormation rejects) {}\n\
         cfn-lint rejects {}: caught {} ({:.1} %, target {:.0} %; {:.1} % of the {} CloudFormation rejects), \
         misses {}, cfn-lint stricter than CloudFormation {}\n\
         wall time: cfn-lint {:.1} s{}, stackwright {:.2} s ({}): {speed:.0}x",
        f.templates,
        f.good,
        f.bad,
        run.cfn_lint,
        f.lint_accepts,
        f.both_accept,
        f.wrong_rejections,
        f.cloudformation_rejects,
        f.lint_rejects,
        f.caught,
        100.0 * f.catch_rate(),
        100.0 * CATCH_TARGET,
        100.0 * f.catch_rate_where_cloudformation_rejects(),
        f.lint_rejects - f.cloudformation_accepts,
        f.misses,
        f.cloudformation_accepts,
        run.lint_seconds,
        if run.lint_cached { " (cached, from the run that filled the cache)" } else { "" },
        run.our_seconds,
        run.our_how,
    );
    if !run.crashes.is_empty() {
        let _ = write!(text, "\nstackwright crashed on {} fixture(s)", run.crashes.len());
    }
    text
}

pub(crate) fn markdown(run: &Run<'_>, f: &Figures) -> String {
    let mut md = String::from("# Parity with cfn-lint on its own fixtures\n\n");
    let _ = writeln!(
        md,
        "cfn-lint {} (sdist sha256 `{}`), `cargo xtask parity fixtures`.\n",
        run.cfn_lint, run.sdist_sha256
    );
    md.push_str("| | |\n|---|---|\n");
    let rows = [
        ("templates (good/, bad/)", format!("{} ({}, {})", f.templates, f.good, f.bad)),
        ("cfn-lint accepts", f.lint_accepts.to_string()),
        ("… stackwright accepts too", f.both_accept.to_string()),
        ("… wrong rejections", f.wrong_rejections.to_string()),
        ("… rejected rightly (CloudFormation rejects)", f.cloudformation_rejects.to_string()),
        ("cfn-lint rejects", f.lint_rejects.to_string()),
        (
            "… caught, in a place cfn-lint names",
            format!("{} ({:.1} %, target {:.0} %)", f.caught, 100.0 * f.catch_rate(), 100.0 * CATCH_TARGET),
        ),
        ("… misses", f.misses.to_string()),
        ("… cfn-lint stricter than CloudFormation", f.cloudformation_accepts.to_string()),
        (
            "catch rate where CloudFormation rejects",
            format!("{:.1} %", 100.0 * f.catch_rate_where_cloudformation_rejects()),
        ),
        ("stackwright crashes", run.crashes.len().to_string()),
        ("cfn-lint wall time", format!("{:.1} s{}", run.lint_seconds, if run.lint_cached { " (cached)" } else { "" })),
        ("stackwright wall time", format!("{:.2} s ({})", run.our_seconds, run.our_how)),
    ];
    for (label, value) in rows {
        let _ = writeln!(md, "| {label} | {value} |");
    }
    md.push_str("\n## Allowlist, by cause\n\n| kind | fixtures | cause | example |\n|---|---|---|---|\n");
    for group in &run.allowlist.groups {
        let example = group.members.first().map_or("", |member| member.fixture.as_str());
        let _ =
            writeln!(md, "| {} | {} | {} | `{example}` |", group.kind.name(), group.members.len(), cell(&group.reason));
    }
    for (title, outcome) in [
        ("cfn-lint's rules in the misses (kept differences left out)", Outcome::Miss),
        ("Our rules in the wrong rejections (kept differences left out)", Outcome::WrongRejection),
    ] {
        let _ = write!(md, "\n## {title}\n\n| rule | fixtures | example | message |\n|---|---|---|---|\n");
        for (rule, cause) in causes(run, outcome) {
            let _ = writeln!(md, "| {rule} | {} | `{}` | {} |", cause.fixtures, cause.example, cell(&cause.message));
        }
    }
    md
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{Figures, Run};
    use crate::fixture_parity::allowlist::Allowlist;
    use crate::fixture_parity::compare::{Comparison, Outcome};

    fn comparison(outcome: Outcome) -> Comparison {
        Comparison { outcome, lint_errors: Vec::new(), lint_others: 0, our_errors: Vec::new(), our_others: 0 }
    }

    #[test]
    fn figures_count_each_direction_and_the_kept_differences_apart() {
        let comparisons: BTreeMap<String, Comparison> = [
            ("good/a.yaml", Outcome::BothAccept),
            ("good/b.yaml", Outcome::WrongRejection),
            ("good/c.yaml", Outcome::WrongRejection),
            ("bad/d.yaml", Outcome::Caught),
            ("bad/e.yaml", Outcome::Caught),
            ("bad/f.yaml", Outcome::Miss),
            ("bad/g.yaml", Outcome::Miss),
        ]
        .map(|(fixture, outcome)| (fixture.to_owned(), comparison(outcome)))
        .into();
        let allowlist = Allowlist::parse(
            "[wrong-rejection] w\ngood/b.yaml\n[cloudformation-rejects] r\ngood/c.yaml\n\
             [miss] m\nbad/f.yaml\n[cloudformation-accepts] a\nbad/g.yaml\n",
        )
        .unwrap();
        let crashes = BTreeMap::new();
        let run = Run {
            cfn_lint: "1.0",
            sdist_sha256: "0",
            comparisons: &comparisons,
            crashes: &crashes,
            allowlist: &allowlist,
            lint_seconds: 10.0,
            lint_cached: false,
            lint_command: "cfn-lint",
            our_seconds: 0.1,
            our_how: "one process",
        };
        let figures = Figures::of(&run);
        let expected = Figures {
            templates: 7,
            good: 3,
            bad: 4,
            lint_accepts: 3,
            lint_rejects: 4,
            both_accept: 1,
            wrong_rejections: 1,
            cloudformation_rejects: 1,
            caught: 2,
            misses: 1,
            cloudformation_accepts: 1,
        };
        assert_eq!(figures, expected);
        assert!((figures.catch_rate() - 0.5).abs() < 1e-9);
        assert!((figures.catch_rate_where_cloudformation_rejects() - 2.0 / 3.0).abs() < 1e-9);
        let summary = super::summary(&run, &figures);
        assert!(summary.contains("caught 2 (50.0 %, target 90 %"), "{summary}");
    }
}
