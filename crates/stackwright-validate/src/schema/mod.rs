//! Schema checks: every resource whose type has a vendored registry schema (`schemas/`) is
//! validated against it — property names, JSON types, enums, patterns, lengths, ranges, list
//! sizes, required properties and the schemas' `oneOf` / `anyOf` / dependent groups.
//!
//! What CloudFormation accepts is accepted here too:
//! - an intrinsic function is checked for shape (by `references`), not for value: an error at
//!   or inside a `Ref` / `Fn::*` / `Condition` object is dropped, and an `anyOf` / `oneOf`
//!   alternative that fails only there counts as matching;
//! - `{"Ref": "AWS::NoValue"}` removes the property (or list item) it stands for;
//! - numbers and booleans written as strings (`"10"`, `"true"`), and numbers or booleans where
//!   a string is expected, are converted the way CloudFormation converts them, then checked
//!   (so `"0"` is still below a minimum of 1).

mod keywords;
mod report;
mod table;

use std::collections::BTreeMap;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use jsonschema::{JsonType, ValidationError};
use stackwright_template::{Json, Template};

use crate::finding::Finding;
use crate::json::pointer;
use stackwright_template::walk::is_call;
use table::Compiled;

/// Passes of convert-then-revalidate; each pass converts at least one value, and templates
/// rarely write more than a few levels of values as strings.
const MAX_PASSES: usize = 8;

/// Checks every resource of a vendored type against its schema.
pub(crate) fn check(template: &Template, findings: &mut Vec<Finding>) {
    for (id, resource) in template.resources() {
        let Some(compiled) = table::compiled(&resource.type_name) else { continue };
        let at = format!("{}/Properties", pointer("/Resources", id.as_str()));
        for finding in check_properties(compiled, &resource.properties, &at) {
            findings.push(finding.about(id.as_str()));
        }
    }
}

/// The findings for one resource's properties (whose pointer is `at`).
fn check_properties(compiled: &Compiled, properties: &BTreeMap<String, Json>, at: &str) -> Vec<Finding> {
    let mut instance = Json::Object(
        properties.iter().filter(|(_, v)| !is_no_value(v)).map(|(k, v)| (k.clone(), without_no_value(v))).collect(),
    );
    // What each converted value was written as, for the message.
    let mut written: Vec<(String, Json)> = Vec::new();
    for _ in 1..MAX_PASSES {
        let errors: Vec<ValidationError<'_>> = compiled.validator.iter_errors(&instance).collect();
        let conversions: Vec<(String, Json)> = errors.iter().filter_map(conversion).collect();
        if conversions.is_empty() {
            return findings(compiled, &errors, &instance, at, &written);
        }
        drop(errors);
        for (path, value) in conversions {
            if let Some(slot) = instance.pointer_mut(&path) {
                written.push((path, std::mem::replace(slot, value)));
            }
        }
    }
    let errors: Vec<ValidationError<'_>> = compiled.validator.iter_errors(&instance).collect();
    findings(compiled, &errors, &instance, at, &written)
}

fn findings(
    compiled: &Compiled,
    errors: &[ValidationError<'_>],
    instance: &Json,
    at: &str,
    written: &[(String, Json)],
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = errors
        .iter()
        .filter(|e| counts(e, instance))
        .flat_map(|e| report::findings(e, compiled, instance, at))
        .collect();
    for finding in &mut findings {
        let path = finding.pointer.strip_prefix(at).unwrap_or_default();
        if let Some((_, original)) = written.iter().find(|(converted, _)| converted == path) {
            finding.message = format!("{} (written {})", finding.message, crate::json::show(original));
        }
    }
    findings
}

/// `{"Ref": "AWS::NoValue"}`.
fn is_no_value(value: &Json) -> bool {
    value.as_object().is_some_and(|m| m.len() == 1 && m.get("Ref").is_some_and(|r| r == "AWS::NoValue"))
}

/// A copy of `value` without the properties and list items that are `AWS::NoValue` (function
/// calls are copied as they are: what they hold is not checked).
fn without_no_value(value: &Json) -> Json {
    match value {
        Json::Object(map) if !is_call(value) => Json::Object(
            map.iter().filter(|(_, v)| !is_no_value(v)).map(|(k, v)| (k.clone(), without_no_value(v))).collect(),
        ),
        Json::Array(items) => Json::Array(items.iter().filter(|v| !is_no_value(v)).map(without_no_value).collect()),
        other => other.clone(),
    }
}

/// Whether the error is one CloudFormation would reject for: not about (or inside) a function
/// call, not a value CloudFormation converts, and for `anyOf` / `oneOf`, no alternative that
/// fails only for such reasons.
fn counts(error: &ValidationError<'_>, instance: &Json) -> bool {
    if in_call(error, instance) || conversion(error).is_some() {
        return false;
    }
    match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            !context.iter().any(|alternative| alternative.iter().all(|e| !counts(e, instance)))
        }
        // Formats are not asserted; a pattern too costly to run or a reference the registry
        // schema cannot resolve is the schema's problem, not the template's.
        ValidationErrorKind::Format { .. }
        | ValidationErrorKind::BacktrackLimitExceeded { .. }
        | ValidationErrorKind::RegexEngineFailure { .. }
        | ValidationErrorKind::Referencing(_) => false,
        _ => true,
    }
}

/// Whether the error's instance is, or lies inside, a function call.
fn in_call(error: &ValidationError<'_>, instance: &Json) -> bool {
    let mut node = instance;
    for segment in error.instance_path().segments() {
        if is_call(node) {
            return true;
        }
        let next = match (&segment, node) {
            (LocationSegment::Property(key), Json::Object(map)) => map.get(key.as_ref()),
            (LocationSegment::Index(i), Json::Array(items)) => items.get(*i),
            _ => None,
        };
        let Some(next) = next else { return false };
        node = next;
    }
    is_call(node)
}

/// The value CloudFormation would convert this wrongly-typed value to, with its JSON pointer
/// in the instance: a string holding a number or boolean where one is expected, or a number or
/// boolean where a string is expected.
fn conversion(error: &ValidationError<'_>) -> Option<(String, Json)> {
    let ValidationErrorKind::Type { kind } = error.kind() else { return None };
    let expects = |ty: JsonType| match kind {
        TypeKind::Single(single) => *single == ty,
        TypeKind::Multiple(set) => set.contains(ty),
    };
    let converted = match error.instance().as_ref() {
        Json::String(text) => {
            let text = text.trim();
            if expects(JsonType::Integer)
                && let Ok(n) = text.parse::<i64>()
            {
                Json::from(n)
            } else if expects(JsonType::Number)
                && let Some(n) = text.parse::<f64>().ok().and_then(serde_json::Number::from_f64)
            {
                Json::Number(n)
            } else if expects(JsonType::Boolean)
                && (text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false"))
            {
                Json::Bool(text.eq_ignore_ascii_case("true"))
            } else {
                return None;
            }
        }
        Json::Number(n) if expects(JsonType::String) => Json::String(n.to_string()),
        Json::Bool(b) if expects(JsonType::String) => Json::String(b.to_string()),
        _ => return None,
    };
    Some((error.instance_path().as_str().to_owned(), converted))
}

#[cfg(test)]
mod tests;
