//! A schema error as findings: the rule id, the JSON pointer into the template, the value
//! found and what the schema expects.

use jsonschema::error::TypeKind;
use jsonschema::error::ValidationErrorKind;
use jsonschema::{JsonType, ValidationError};
use stackwright_template::Json;

use super::table::Compiled;
use crate::finding::Finding;
use crate::json::{pointer, show};

/// Enum values and property names listed in a message, at most.
const LISTED: usize = 12;

/// The findings for `error` (one per unexpected property, one otherwise); `at` is the pointer
/// of the resource's `Properties`.
pub(super) fn findings(error: &ValidationError<'_>, compiled: &Compiled, instance: &Json, at: &str) -> Vec<Finding> {
    let path = format!("{at}{}", error.instance_path().as_str());
    if let ValidationErrorKind::AdditionalProperties { unexpected } = error.kind() {
        let allowed = allowed_properties(compiled, error);
        return unexpected
            .iter()
            .map(|name| {
                let message = match suggestion(name, &allowed) {
                    Some(close) => format!("unknown property \"{name}\": did you mean \"{close}\"?"),
                    None if allowed.is_empty() => format!("unknown property \"{name}\": expected no property"),
                    None => format!("unknown property \"{name}\": expected one of {}", listed(&allowed, quote)),
                };
                Finding::new("schema/additional-property", pointer(&path, name), message)
            })
            .collect();
    }
    let (rule, message) = describe(error, compiled, instance);
    vec![Finding::new(rule, path, message)]
}

/// The rule and message of every error but unexpected properties.
fn describe(error: &ValidationError<'_>, compiled: &Compiled, instance: &Json) -> (&'static str, String) {
    let value = error.instance();
    let found = show(value);
    match error.kind() {
        ValidationErrorKind::Type { kind } => ("schema/type", format!("expected {}, found {found}", types(kind))),
        ValidationErrorKind::Enum { options } => {
            let options = options.as_array().map_or_else(|| vec![options.as_ref().clone()], Clone::clone);
            ("schema/enum", format!("expected one of {}, found {found}", listed(&options, show)))
        }
        ValidationErrorKind::Constant { expected_value } => {
            ("schema/enum", format!("expected {}, found {found}", show(expected_value)))
        }
        ValidationErrorKind::Pattern { pattern } => {
            ("schema/pattern", format!("expected a string matching {pattern}, found {found}"))
        }
        ValidationErrorKind::MinLength { limit } => ("schema/length", length("at least", *limit, value)),
        ValidationErrorKind::MaxLength { limit } => ("schema/length", length("at most", *limit, value)),
        ValidationErrorKind::Minimum { limit } => ("schema/range", format!("expected at least {limit}, found {found}")),
        ValidationErrorKind::Maximum { limit } => ("schema/range", format!("expected at most {limit}, found {found}")),
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            ("schema/range", format!("expected more than {limit}, found {found}"))
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            ("schema/range", format!("expected less than {limit}, found {found}"))
        }
        ValidationErrorKind::MinItems { limit } => ("schema/items", items("at least", *limit, value)),
        ValidationErrorKind::MaxItems { limit } => ("schema/items", items("at most", *limit, value)),
        ValidationErrorKind::UniqueItems => ("schema/unique-items", format!("expected unique items, found {found}")),
        ValidationErrorKind::Required { property } => match dependency_of(error, compiled, property) {
            Some(key) => ("schema/dependent-required", format!("\"{key}\" is set, so {property} required: missing")),
            None => ("schema/required", format!("required property {property} is missing")),
        },
        ValidationErrorKind::Custom { keyword, message } => {
            let rule = match keyword.as_str() {
                "requiredXor" => "schema/required-xor",
                "dependentExcluded" => "schema/dependent-excluded",
                "dependentRequired" => "schema/dependent-required",
                "pattern" => "schema/pattern",
                _ => "schema/invalid",
            };
            (rule, message.clone())
        }
        ValidationErrorKind::AnyOf { context } => {
            ("schema/any-of", group(error, compiled, instance, context, "at least one", false))
        }
        ValidationErrorKind::OneOfNotValid { context } => {
            ("schema/one-of", group(error, compiled, instance, context, "exactly one", false))
        }
        ValidationErrorKind::OneOfMultipleValid { context } => {
            ("schema/one-of", group(error, compiled, instance, context, "exactly one", true))
        }
        _ => ("schema/invalid", error.to_string()),
    }
}

/// The message of an `anyOf` / `oneOf` group. When every alternative requires properties (the
/// usual shape: `[{"required": ["A"]}, {"required": ["B"]}]`), it names them; otherwise it
/// gives each alternative's first reason for failing.
fn group(
    error: &ValidationError<'_>,
    compiled: &Compiled,
    instance: &Json,
    context: &[Vec<ValidationError<'static>>],
    how_many: &str,
    several_match: bool,
) -> String {
    let alternatives = compiled.schema.pointer(error.schema_path().as_str()).and_then(Json::as_array);
    let required: Option<Vec<Vec<String>>> = alternatives.and_then(|alternatives| {
        alternatives
            .iter()
            .map(|alternative| {
                let names = alternative.get("required")?.as_array()?;
                names.iter().map(|n| n.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>()
            })
            .collect()
    });
    let object = error.instance().as_object();
    if let (Some(required), Some(object)) = (required, object) {
        let name = |names: &[String]| names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(" and ");
        let all: Vec<String> = required.iter().map(|names| name(names)).collect();
        let set: Vec<String> =
            required.iter().filter(|names| names.iter().all(|n| object.contains_key(n))).map(|n| name(n)).collect();
        let expected = format!("expected {how_many} of {} to be set", all.join(", "));
        match set.len() {
            0 => return format!("{expected}: none is"),
            1 => {}
            _ => return format!("{expected}: {} are", set.join(", ")),
        }
    }
    let count = alternatives.map_or(context.len(), Vec::len);
    if several_match {
        return format!("expected {how_many} of the {count} alternatives to match: more than one does");
    }
    let reasons: Vec<String> = context
        .iter()
        .enumerate()
        .filter_map(|(i, errors)| {
            let first = errors.iter().find(|e| super::counts(e, instance))?;
            let (_, message) = describe(first, compiled, instance);
            Some(format!("({}) at {}: {message}", i + 1, relative(first, error)))
        })
        .collect();
    format!("expected {how_many} of the {count} alternatives to match, found none: {}", reasons.join("; "))
}

/// The pointer of `inner` relative to `outer`'s instance (`.` for the same value).
fn relative(inner: &ValidationError<'_>, outer: &ValidationError<'_>) -> String {
    let inner = inner.instance_path().as_str();
    let rest = inner.strip_prefix(outer.instance_path().as_str()).unwrap_or(inner);
    if rest.is_empty() { ".".to_owned() } else { rest.to_owned() }
}

/// The property whose `dependencies` entry requires the missing one, if that is the keyword
/// that failed (the error's schema path ends at `dependencies`, not at the entry).
fn dependency_of(error: &ValidationError<'_>, compiled: &Compiled, missing: &Json) -> Option<String> {
    let path = error.schema_path().as_str();
    if !path.ends_with("/dependencies") {
        return None;
    }
    let entries = compiled.schema.pointer(path)?.as_object()?;
    let object = error.instance().as_object()?;
    entries
        .iter()
        .find(|(key, names)| object.contains_key(*key) && names.as_array().is_some_and(|n| n.contains(missing)))
        .map(|(key, _)| key.clone())
}

/// The property names of the schema object whose `additionalProperties` failed, sorted.
fn allowed_properties(compiled: &Compiled, error: &ValidationError<'_>) -> Vec<String> {
    let path = error.schema_path().as_str();
    let parent = path.strip_suffix("/additionalProperties").unwrap_or(path);
    let mut names: Vec<String> = compiled
        .schema
        .pointer(parent)
        .and_then(|schema| schema.get("properties"))
        .and_then(Json::as_object)
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// The allowed name closest to `name`, if it is close enough to be a misspelling.
fn suggestion<'a>(name: &str, allowed: &'a [String]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    allowed
        .iter()
        .map(|candidate| (distance(&lower, &candidate.to_lowercase()), candidate))
        .filter(|(d, candidate)| *d <= (candidate.chars().count() / 4).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate.as_str())
}

/// Edit distance counting a swap of neighbours as one edit (optimal string alignment).
// invariant: `d` is `(a.len() + 1) × (b.len() + 1)`; `i` and `j` stay in `1..=len`, and the
// `i - 2`, `j - 2` lookups run only when both exceed 1.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

fn quote(name: &String) -> String {
    format!("\"{name}\"")
}

/// Up to [`LISTED`] items, then how many there are in all.
fn listed<T>(items: &[T], show_one: impl Fn(&T) -> String) -> String {
    let shown: Vec<String> = items.iter().take(LISTED).map(show_one).collect();
    if items.len() > LISTED { format!("{}… ({} in all)", shown.join(", "), items.len()) } else { shown.join(", ") }
}

fn types(kind: &TypeKind) -> String {
    let article = |ty: JsonType| match ty {
        JsonType::Array => "an array",
        JsonType::Boolean => "a boolean",
        JsonType::Integer => "an integer",
        JsonType::Null => "null",
        JsonType::Number => "a number",
        JsonType::Object => "an object",
        JsonType::String => "a string",
    };
    match kind {
        TypeKind::Single(ty) => article(*ty).to_owned(),
        TypeKind::Multiple(set) => set.iter().map(article).collect::<Vec<_>>().join(" or "),
    }
}

fn length(bound: &str, limit: u64, value: &Json) -> String {
    let count = value.as_str().map_or(0, |s| s.chars().count());
    format!("expected {bound} {limit} characters, found {count}: {}", show(value))
}

fn items(bound: &str, limit: u64, value: &Json) -> String {
    let count = value.as_array().map_or(0, Vec::len);
    let noun = if limit == 1 { "item" } else { "items" };
    format!("expected {bound} {limit} {noun}, found {count}: {}", show(value))
}
