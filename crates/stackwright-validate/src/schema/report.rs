//! A schema error as a finding: the rule id, the JSON pointer into the template, the value
//! found and what the schema expects.

use stackwright_registry::{JsonType, Sub, Types};
use stackwright_template::Json;

use super::eval::{Error, Kind};
use crate::finding::Finding;
use crate::json::{pointer, show};

/// Enum values and property names listed in a message, at most.
const LISTED: usize = 12;

/// The rule, pointer (relative to the resource's `Properties`) and message of `error`.
pub(super) fn finding(error: &Error<'_>) -> (&'static str, String, String) {
    if let Kind::AdditionalProperty { name, allowed } = &error.kind {
        let message = match suggestion(name, allowed) {
            Some(close) => format!("unknown property \"{name}\": did you mean \"{close}\"?"),
            None if allowed.is_empty() => format!("unknown property \"{name}\": expected no property"),
            None => format!("unknown property \"{name}\": expected one of {}", listed(allowed, |n| format!("\"{n}\""))),
        };
        return ("schema/additional-property", pointer(&error.path, name), message);
    }
    let (rule, mut message) = describe(error);
    if let Some(original) = &error.written {
        message = format!("{message} (written {})", show(original));
    }
    (rule, error.path.clone(), message)
}

/// The findings of a resource's errors, with pointers below `at`.
pub(super) fn findings(errors: &[Error<'_>], at: &str) -> Vec<Finding> {
    errors
        .iter()
        .map(|error| {
            let (rule, path, message) = finding(error);
            Finding::new(rule, format!("{at}{path}"), message)
        })
        .collect()
}

/// The rule and message of every error but unexpected properties.
fn describe(error: &Error<'_>) -> (&'static str, String) {
    let value = &error.value;
    let found = show(value);
    match &error.kind {
        Kind::Type(types) => ("schema/type", format!("expected {}, found {found}", type_names(*types))),
        Kind::Enum(options) => ("schema/enum", format!("expected one of {}, found {found}", listed(options, show))),
        Kind::EnumCaseInsensitive(options) => {
            ("schema/enum", format!("expected one of {} (in any case), found {found}", listed(options, show)))
        }
        Kind::Const(expected) => ("schema/enum", format!("expected {}, found {found}", show(expected))),
        Kind::Pattern(pattern) => ("schema/pattern", format!("expected a string matching {pattern}, found {found}")),
        Kind::MinLength(limit) => ("schema/length", length("at least", *limit, value)),
        Kind::MaxLength(limit) => ("schema/length", length("at most", *limit, value)),
        Kind::Minimum(limit) => ("schema/range", format!("expected at least {limit}, found {found}")),
        Kind::Maximum(limit) => ("schema/range", format!("expected at most {limit}, found {found}")),
        Kind::ExclusiveMinimum(limit) => ("schema/range", format!("expected more than {limit}, found {found}")),
        Kind::ExclusiveMaximum(limit) => ("schema/range", format!("expected less than {limit}, found {found}")),
        Kind::MultipleOf(divisor) => ("schema/invalid", format!("{found} is not a multiple of {divisor}")),
        Kind::MinItems(limit) => ("schema/items", items("at least", *limit, value)),
        Kind::MaxItems(limit) => ("schema/items", items("at most", *limit, value)),
        Kind::ExtraItems(allowed) => ("schema/items", items("at most", *allowed as u64, value)),
        Kind::UniqueItems => ("schema/unique-items", format!("expected unique items, found {found}")),
        Kind::MaxUniqueItems(limit) => {
            ("schema/unique-items", format!("expected at most {limit} distinct items, found {found}"))
        }
        Kind::MinProperties(limit) => ("schema/invalid", properties("at least", *limit, value)),
        Kind::MaxProperties(limit) => ("schema/invalid", properties("at most", *limit, value)),
        Kind::Required { name, because: None } => {
            ("schema/required", format!("required property {} is missing", quoted(name)))
        }
        Kind::Required { name, because: Some(key) } => {
            ("schema/dependent-required", format!("\"{key}\" is set, so {} required: missing", quoted(name)))
        }
        Kind::DependentRequired { key, missing } => {
            ("schema/dependent-required", format!("\"{key}\" is set, so {} required: missing", quote_all(missing)))
        }
        Kind::DependentExcluded { key, set } => {
            ("schema/dependent-excluded", format!("\"{key}\" is set, so {} must not be set: set", quote_all(set)))
        }
        Kind::RequiredXor { names, set } => {
            let all: Vec<&str> = names.iter().map(String::as_str).collect();
            let message = if set.is_empty() {
                format!("exactly one of {} must be set: none is", quote_all(&all))
            } else {
                format!("exactly one of {} must be set: {} are", quote_all(&all), quote_all(set))
            };
            ("schema/required-xor", message)
        }
        Kind::RequiredOr { names } => {
            let all: Vec<&str> = names.iter().map(String::as_str).collect();
            ("schema/required", format!("at least one of {} must be set: none is", quote_all(&all)))
        }
        Kind::AnyOf { alternatives, reasons } => {
            ("schema/any-of", group(error, alternatives, Some(reasons), "at least one"))
        }
        Kind::OneOfNone { alternatives, reasons } => {
            ("schema/one-of", group(error, alternatives, Some(reasons), "exactly one"))
        }
        Kind::OneOfMany { alternatives } => ("schema/one-of", group(error, alternatives, None, "exactly one")),
        Kind::Not => {
            ("schema/invalid", format!("expected a value the schema's \"not\" excludes not to be, found {found}"))
        }
        Kind::Nothing => ("schema/invalid", format!("expected no value here, found {found}")),
        // Reported by `finding`, one per property.
        Kind::AdditionalProperty { name, .. } => ("schema/additional-property", format!("unknown property \"{name}\"")),
    }
}

/// The message of an `anyOf` / `oneOf` group (`reasons` is `None` when several
/// alternatives match). When every alternative requires properties (the usual shape:
/// `[{"required": ["A"]}, {"required": ["B"]}]`), it names them; otherwise it gives each
/// alternative's first reason for failing.
fn group(error: &Error<'_>, alternatives: &[Sub], reasons: Option<&Vec<Vec<Error<'_>>>>, how_many: &str) -> String {
    let value = &error.value;
    let required: Option<Vec<&[String]>> = alternatives
        .iter()
        .map(|alternative| match alternative {
            Sub::Node(node) if !node.required.is_empty() => Some(node.required.as_slice()),
            _ => None,
        })
        .collect();
    if let (Some(required), Some(object)) = (required, value.as_object()) {
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
    let count = alternatives.len();
    let Some(reasons) = reasons else {
        return format!("expected {how_many} of the {count} alternatives to match: more than one does");
    };
    let reasons: Vec<String> = reasons
        .iter()
        .enumerate()
        .filter_map(|(i, errors)| {
            let first = errors.first()?;
            let (_, path, message) = finding(first);
            Some(format!("({}) at {}: {message}", i + 1, relative(&path, &error.path)))
        })
        .collect();
    format!("expected {how_many} of the {count} alternatives to match, found none: {}", reasons.join("; "))
}

/// The pointer of an alternative's error relative to the group's value (`.` for the same
/// value).
fn relative(inner: &str, outer: &str) -> String {
    let rest = inner.strip_prefix(outer).unwrap_or(inner);
    if rest.is_empty() { ".".to_owned() } else { rest.to_owned() }
}

/// The allowed name closest to `name`, if it is close enough to be a misspelling.
fn suggestion<'a>(name: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    allowed
        .iter()
        .map(|candidate| (distance(&lower, &candidate.to_lowercase()), *candidate))
        .filter(|(d, candidate)| *d <= (candidate.chars().count() / 4).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate)
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

/// A property name as JSON (`"Name"`), escaped.
fn quoted(name: &str) -> String {
    Json::from(name).to_string()
}

fn quote_all(names: &[&str]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

/// Up to [`LISTED`] items, then how many there are in all.
fn listed<T>(items: &[T], show_one: impl Fn(&T) -> String) -> String {
    let shown: Vec<String> = items.iter().take(LISTED).map(show_one).collect();
    if items.len() > LISTED { format!("{}… ({} in all)", shown.join(", "), items.len()) } else { shown.join(", ") }
}

fn type_names(types: Types) -> String {
    let article = |ty: JsonType| match ty {
        JsonType::Array => "an array",
        JsonType::Boolean => "a boolean",
        JsonType::Integer => "an integer",
        JsonType::Null => "null",
        JsonType::Number => "a number",
        JsonType::Object => "an object",
        JsonType::String => "a string",
    };
    types.iter().map(article).collect::<Vec<_>>().join(" or ")
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

fn properties(bound: &str, limit: u64, value: &Json) -> String {
    let count = value.as_object().map_or(0, serde_json::Map::len);
    let noun = if limit == 1 { "property" } else { "properties" };
    format!("expected {bound} {limit} {noun}, found {count}")
}
