//! Failure messages: what was asked, which candidate comes closest, and where it differs —
//! a list of the differences, then the candidate with each one marked under its line.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value as Json;

use crate::annotate::{annotate, count as counted};
use crate::error::AssertionError;
use crate::matcher::Matcher;
use crate::outcome::{Outcome, Path};

/// Where the candidates came from.
pub(crate) enum Section<'a> {
    /// The resources of a type.
    Resources(&'a str),
    /// A section's entries named so (`*`: all): `Outputs`, `Parameters`…
    Named(&'a str, &'a str),
}

/// One candidate, tested.
pub(crate) struct Candidate<'a> {
    pub(crate) id: &'a str,
    pub(crate) value: Json,
    pub(crate) outcome: Outcome,
}

/// How many others are named after the closest.
const OTHERS_SHOWN: usize = 4;
/// Longest pattern quoted whole.
const PATTERN_CHARS: usize = 600;

fn singular(section: &str) -> &str {
    match section {
        "Outputs" => "output",
        "Parameters" => "parameter",
        "Mappings" => "mapping",
        "Conditions" => "condition",
        other => other,
    }
}

/// The message of a `has_*` assertion that no candidate passes.
pub(crate) fn no_match(
    section: &Section<'_>,
    template: &Json,
    mut tested: Vec<Candidate<'_>>,
    pattern: &Matcher,
) -> AssertionError {
    let mut message = String::new();
    if tested.is_empty() {
        let _ = write!(message, "{}", nothing_of(section, template));
        return AssertionError::new(message);
    }
    let noun = match section {
        Section::Resources(type_name) => format!("{type_name} resource"),
        Section::Named(name, "*") => singular(name).to_owned(),
        Section::Named(name, id) => format!("{} named {id:?}", singular(name)),
    };
    let what = counted(tested.len(), &noun);
    let verb = if tested.len() == 1 { "it does not match" } else { "none matches" };
    let _ = writeln!(message, "Template has {what}, but {verb} the pattern:\n  {}", quoted(pattern));
    tested.sort_by_key(|c| c.outcome.failures.len());
    let mut rest = tested.into_iter();
    let Some(closest) = rest.next() else { return AssertionError::new(message) };
    let differences = counted(closest.outcome.failures.len(), "difference");
    let _ = writeln!(message, "The closest is {} ({differences}):", closest.id);
    for failure in &closest.outcome.failures {
        let _ = writeln!(message, "  {}: {}", Path::pointer(&failure.path), failure.message);
    }
    let _ = write!(message, "{} =\n{}", closest.id, annotate(&closest.value, &closest.outcome.failures));
    let others: Vec<String> = rest
        .take(OTHERS_SHOWN)
        .map(|c| format!("{} ({})", c.id, counted(c.outcome.failures.len(), "difference")))
        .collect();
    if !others.is_empty() {
        let _ = writeln!(message, "Then: {}", others.join(", "));
    }
    AssertionError::new(message.trim_end().to_owned())
}

/// The message when the section holds no candidate at all: what it does hold.
fn nothing_of(section: &Section<'_>, template: &Json) -> String {
    let entries = |name: &str| template.get(name).and_then(Json::as_object).cloned().unwrap_or_default();
    match section {
        Section::Resources(type_name) => {
            let mut types: BTreeMap<&str, usize> = BTreeMap::new();
            let resources = entries("Resources");
            for resource in resources.values() {
                *types.entry(resource.get("Type").and_then(Json::as_str).unwrap_or("(no Type)")).or_default() += 1;
            }
            if types.is_empty() {
                return format!("Template has no {type_name} resource: it has no resources");
            }
            let list: Vec<String> = types.iter().map(|(t, n)| format!("{t} ({n})")).collect();
            format!("Template has no {type_name} resource; its resources: {}", list.join(", "))
        }
        Section::Named(name, id) => {
            let what = if *id == "*" { singular(name).to_owned() } else { format!("{} named {id:?}", singular(name)) };
            let ids: Vec<String> = entries(name).keys().cloned().collect();
            if ids.is_empty() {
                format!("Template has no {what}: it has no {}", name.to_lowercase())
            } else {
                format!("Template has no {what}; its {}: {}", name.to_lowercase(), ids.join(", "))
            }
        }
    }
}

/// The message of a count that is not the expected one, naming those there are.
pub(crate) fn count(noun: &str, ids: &[&str], expected: usize, of: Option<usize>) -> Result<(), AssertionError> {
    if ids.len() == expected {
        return Ok(());
    }
    let matching = if of.is_some() { " matching the pattern" } else { "" };
    let found = counted(ids.len(), noun);
    let mut listed: Vec<String> = Vec::new();
    if !ids.is_empty() {
        listed.push(ids.join(", "));
    }
    if let Some(all) = of {
        listed.push(format!("{all} of this type in all"));
    }
    let listed = if listed.is_empty() { String::new() } else { format!(" ({})", listed.join("; ")) };
    Err(AssertionError::new(format!("Template has {found}{matching}{listed}, expected {expected}")))
}

fn quoted(pattern: &Matcher) -> String {
    let text = pattern.to_string();
    if text.chars().count() <= PATTERN_CHARS {
        return text;
    }
    let cut: String = text.chars().take(PATTERN_CHARS - 1).collect();
    format!("{cut}…")
}
