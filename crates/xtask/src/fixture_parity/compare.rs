//! The verdict on one fixture: does `stackwright validate` agree with cfn-lint on whether the
//! template has an error, and where?
//!
//! cfn-lint's verdict, not the fixture's directory, is the reference: some `good/` fixtures are
//! good only for the one rule their unit test runs, and cfn-lint's default rule set reports
//! errors in them. A cfn-lint *error* is a finding whose rule id starts with `E`, except `E0002`
//! (a rule of cfn-lint's crashed: that says nothing about the template). A finding of ours is an
//! error when its level is `error` (warnings and policy findings never are).
//!
//! - cfn-lint reports no error: we must report none, else a *wrong rejection*.
//! - cfn-lint reports errors: one of ours must be in the same place, else a *miss*. The place of
//!   a finding is its template entry (`Resources/Bucket`, `Outputs/Url`: the first two segments
//!   of its path in the sections whose members are named entries), its section (`Transform`,
//!   `AWSTemplateFormatVersion`, `Globals`…), or the whole document (cfn-lint's parse errors
//!   carry no path). An entry of cfn-lint's is met by an error of ours in the same entry; a
//!   section by an error anywhere in it; the document by any error. An error of ours about the
//!   whole document (our parse errors) meets only a cfn-lint error about the whole document: a
//!   template we fail to read is not caught, it is misread. One shared place is enough:
//!   cfn-lint reports every member of a cycle, or each consequence of a broken section.

use std::collections::BTreeSet;
use std::fmt;

use super::tools::LintFinding;
use crate::validate_json::Finding;

/// The sections whose members are named entries (a resource, a parameter…).
const NAMED_SECTIONS: [&str; 6] = ["Resources", "Parameters", "Outputs", "Mappings", "Conditions", "Rules"];

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Place {
    Document,
    Section(String),
    Entry(String, String),
}

impl Place {
    pub(crate) fn of_path(path: &[String]) -> Place {
        match path {
            [] => Place::Document,
            [section, name, ..] if NAMED_SECTIONS.contains(&section.as_str()) => {
                Place::Entry(section.clone(), name.clone())
            }
            [section, ..] => Place::Section(section.clone()),
        }
    }

    /// From a JSON pointer (`/Resources/My~1Bucket/Properties` -> `Resources/My/Bucket`).
    pub(crate) fn of_pointer(pointer: &str) -> Place {
        let segments: Vec<String> =
            pointer.split('/').skip(1).map(|segment| segment.replace("~1", "/").replace("~0", "~")).collect();
        Place::of_path(&segments)
    }

    /// Where a finding of ours is: its pointer's, except in a loop of `AWS::LanguageExtensions`
    /// (`/Resources/Fn::ForEach::Buckets/2/Bucket${Name}/…`), where it is the entry the loop
    /// expanded to (its `logical_id`, `BucketA`), the one cfn-lint names.
    pub(crate) fn of_finding(finding: &Finding) -> Place {
        match (Place::of_pointer(&finding.pointer), &finding.logical_id) {
            (Place::Entry(section, name), Some(id)) if name.starts_with("Fn::ForEach::") => {
                Place::Entry(section, id.clone())
            }
            (place, _) => place,
        }
    }

    fn section(&self) -> Option<&str> {
        match self {
            Place::Document => None,
            Place::Section(section) | Place::Entry(section, _) => Some(section),
        }
    }

    /// Whether an error of ours at `ours` reports what a cfn-lint error at `self` reports.
    fn met_by(&self, ours: &Place) -> bool {
        match self {
            Place::Document => true,
            Place::Section(section) => ours.section() == Some(section),
            Place::Entry(..) => ours == self,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Document => f.write_str("the document"),
            Place::Section(section) => f.write_str(section),
            Place::Entry(section, name) => write!(f, "{section}/{name}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Outcome {
    /// Neither reports an error.
    BothAccept,
    /// cfn-lint reports errors and we report one in a place it names.
    Caught,
    /// cfn-lint reports no error; we report one.
    WrongRejection,
    /// cfn-lint reports errors; we report none in any place it names.
    Miss,
}

impl Outcome {
    pub(crate) fn agrees(self) -> bool {
        matches!(self, Outcome::BothAccept | Outcome::Caught)
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Outcome::BothAccept => "both-accept",
            Outcome::Caught => "caught",
            Outcome::WrongRejection => "wrong-rejection",
            Outcome::Miss => "miss",
        }
    }
}

/// An error of either side, reduced to what the comparison and the report use.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Error {
    pub(crate) rule: String,
    pub(crate) place: Place,
    pub(crate) message: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Comparison {
    pub(crate) outcome: Outcome,
    /// cfn-lint's errors (`E0002` left out), sorted.
    pub(crate) lint_errors: Vec<Error>,
    /// cfn-lint's other findings (warnings…).
    pub(crate) lint_others: usize,
    /// Our errors, sorted.
    pub(crate) our_errors: Vec<Error>,
    /// Our other findings (warnings, policy…).
    pub(crate) our_others: usize,
}

pub(crate) fn compare(lint: &[LintFinding], ours: &[Finding]) -> Comparison {
    let (lint_errors, lint_others): (Vec<&LintFinding>, Vec<&LintFinding>) =
        lint.iter().filter(|finding| finding.rule != "E0002").partition(|finding| finding.rule.starts_with('E'));
    let mut lint_errors: Vec<Error> = lint_errors
        .into_iter()
        .map(|finding| Error {
            rule: finding.rule.clone(),
            place: finding.path.as_deref().map_or(Place::Document, Place::of_path),
            message: finding.message.clone(),
        })
        .collect();
    lint_errors.sort();
    let (our_errors, our_others): (Vec<&Finding>, Vec<&Finding>) = ours.iter().partition(|finding| finding.is_error());
    let mut our_errors: Vec<Error> = our_errors
        .into_iter()
        .map(|finding| Error {
            rule: finding.rule.clone(),
            place: Place::of_finding(finding),
            message: finding.message.clone(),
        })
        .collect();
    our_errors.sort();
    let outcome = match (lint_errors.is_empty(), our_errors.is_empty()) {
        (true, true) => Outcome::BothAccept,
        (true, false) => Outcome::WrongRejection,
        (false, _) => {
            let theirs: BTreeSet<&Place> = lint_errors.iter().map(|error| &error.place).collect();
            let ours: BTreeSet<&Place> = our_errors.iter().map(|error| &error.place).collect();
            if theirs.iter().any(|lint| ours.iter().any(|our| lint.met_by(our))) {
                Outcome::Caught
            } else {
                Outcome::Miss
            }
        }
    };
    Comparison { outcome, lint_errors, lint_others: lint_others.len(), our_errors, our_others: our_others.len() }
}

#[cfg(test)]
mod tests {
    use super::{Outcome, Place, compare};
    use crate::fixture_parity::tools::LintFinding;
    use crate::validate_json::Finding;

    fn lint(rule: &str, path: Option<&[&str]>) -> LintFinding {
        LintFinding {
            rule: rule.to_owned(),
            path: path.map(|parts| parts.iter().map(|part| (*part).to_owned()).collect()),
            message: "m".to_owned(),
        }
    }

    fn ours(level: &str, pointer: &str) -> Finding {
        Finding {
            level: level.to_owned(),
            rule: "r".to_owned(),
            pointer: pointer.to_owned(),
            logical_id: None,
            message: "m".to_owned(),
        }
    }

    #[test]
    fn places_of_paths_and_pointers() {
        let entry = Place::Entry("Resources".into(), "Bucket".into());
        assert_eq!(Place::of_path(&["Resources".into(), "Bucket".into(), "Properties".into()]), entry);
        assert_eq!(Place::of_pointer("/Resources/Bucket/Properties/Name"), entry);
        assert_eq!(Place::of_pointer("/Resources/A~1B~0C"), Place::Entry("Resources".into(), "A/B~C".into()));
        assert_eq!(Place::of_pointer("/Transform/Name"), Place::Section("Transform".into()));
        assert_eq!(Place::of_pointer("/Resources"), Place::Section("Resources".into()));
        assert_eq!(Place::of_pointer(""), Place::Document);
        let mut expanded = ours("error", "/Resources/Fn::ForEach::Buckets/2/Bucket${Name}/Properties");
        expanded.logical_id = Some("BucketA".into());
        assert_eq!(Place::of_finding(&expanded), Place::Entry("Resources".into(), "BucketA".into()));
        expanded.pointer = "/Resources/Other/Properties".into();
        assert_eq!(Place::of_finding(&expanded), Place::Entry("Resources".into(), "Other".into()));
    }

    #[test]
    fn no_error_on_either_side_agrees_whatever_else_is_reported() {
        let outcome = compare(&[lint("W2001", Some(&["Parameters", "P"]))], &[ours("policy", "/Resources/R")]).outcome;
        assert_eq!(outcome, Outcome::BothAccept);
        assert_eq!(compare(&[lint("E0002", None)], &[ours("warning", "")]).outcome, Outcome::BothAccept);
    }

    #[test]
    fn an_error_of_ours_alone_is_a_wrong_rejection() {
        assert_eq!(compare(&[], &[ours("error", "/Resources/R")]).outcome, Outcome::WrongRejection);
    }

    #[test]
    fn an_error_in_the_same_entry_is_caught_and_elsewhere_missed() {
        let theirs = [lint("E3012", Some(&["Resources", "A", "Properties"])), lint("E3012", Some(&["Resources", "B"]))];
        assert_eq!(compare(&theirs, &[ours("error", "/Resources/B/Type")]).outcome, Outcome::Caught);
        assert_eq!(compare(&theirs, &[ours("error", "/Resources/C")]).outcome, Outcome::Miss);
        assert_eq!(compare(&theirs, &[ours("policy", "/Resources/A")]).outcome, Outcome::Miss);
        assert_eq!(compare(&theirs, &[]).outcome, Outcome::Miss);
    }

    #[test]
    fn sections_and_the_document() {
        let section = [lint("E1001", Some(&["Conditions"]))];
        assert_eq!(compare(&section, &[ours("error", "/Conditions/C")]).outcome, Outcome::Caught);
        assert_eq!(compare(&section, &[ours("error", "/Resources/R")]).outcome, Outcome::Miss);
        let parse = [lint("E0000", None)];
        assert_eq!(compare(&parse, &[ours("error", "/Resources/R")]).outcome, Outcome::Caught);
        assert_eq!(compare(&parse, &[ours("error", "")]).outcome, Outcome::Caught);
    }

    #[test]
    fn a_document_error_of_ours_does_not_meet_a_precise_one() {
        let theirs = [lint("E3012", Some(&["Resources", "A"])), lint("E1001", Some(&["Transform"]))];
        assert_eq!(compare(&theirs, &[ours("error", "")]).outcome, Outcome::Miss);
    }
}
