//! Keywords added to the validator: the group keywords the registry schemas use beyond draft 7
//! (`dependentRequired`, a draft 2019-09 keyword, and cfn-lint's `requiredXor` and
//! `dependentExcluded`), and `pattern`, compiled lazily.
//!
//! Each reports the object that breaks the group, with a message naming the properties; the
//! error's keyword (`requiredXor`…) picks the rule id.

use std::sync::OnceLock;

use jsonschema::paths::Location;
use jsonschema::{Draft, Keyword, ValidationError, Validator};
use serde_json::{Map, Value, json};

use crate::json::show;

/// The boxed keyword a factory returns.
type Boxed = Box<dyn for<'i> Keyword<'i>>;

/// `{"A": ["B", "C"]}`: when `A` is set, `B` and `C` are required.
pub(crate) fn dependent_required<'a>(
    _: &'a Map<String, Value>,
    value: &'a Value,
    _: Location,
) -> Result<Boxed, ValidationError<'a>> {
    Ok(Box::new(Dependent { groups: groups(value)?, excluded: false }))
}

/// `{"A": ["B", "C"]}`: when `A` is set, `B` and `C` must not be.
pub(crate) fn dependent_excluded<'a>(
    _: &'a Map<String, Value>,
    value: &'a Value,
    _: Location,
) -> Result<Boxed, ValidationError<'a>> {
    Ok(Box::new(Dependent { groups: groups(value)?, excluded: true }))
}

/// `["A", "B"]`: exactly one of `A` and `B` is set.
pub(crate) fn required_xor<'a>(
    _: &'a Map<String, Value>,
    value: &'a Value,
    _: Location,
) -> Result<Boxed, ValidationError<'a>> {
    Ok(Box::new(RequiredXor { names: names(value)? }))
}

fn names(value: &Value) -> Result<Vec<String>, ValidationError<'static>> {
    value
        .as_array()
        .and_then(|items| items.iter().map(|item| item.as_str().map(str::to_owned)).collect())
        .ok_or_else(|| ValidationError::custom("expected a list of property names"))
}

fn groups(value: &Value) -> Result<Vec<(String, Vec<String>)>, ValidationError<'static>> {
    let map = value.as_object().ok_or_else(|| ValidationError::custom("expected an object of property lists"))?;
    map.iter().map(|(key, names_)| Ok((key.clone(), names(names_)?))).collect()
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

struct Dependent {
    groups: Vec<(String, Vec<String>)>,
    excluded: bool,
}

impl Dependent {
    fn messages(&self, object: &Map<String, Value>) -> Vec<String> {
        let mut messages = Vec::new();
        for (key, names) in &self.groups {
            if !object.contains_key(key) {
                continue;
            }
            let wrong: Vec<&str> =
                names.iter().map(String::as_str).filter(|n| object.contains_key(*n) == self.excluded).collect();
            if !wrong.is_empty() {
                let (verb, what) = if self.excluded { ("must not be set", "set") } else { ("required", "missing") };
                messages.push(format!("\"{key}\" is set, so {} {verb}: {what}", quoted(&wrong)));
            }
        }
        messages
    }
}

impl<'i> Keyword<'i> for Dependent {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        self.iter_errors(instance).next().map_or(Ok(()), Err)
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        instance.as_object().is_none_or(|object| self.messages(object).is_empty())
    }

    fn iter_errors(&self, instance: &'i Value) -> Box<dyn Iterator<Item = ValidationError<'i>> + 'i> {
        let messages = instance.as_object().map(|object| self.messages(object)).unwrap_or_default();
        Box::new(messages.into_iter().map(|message| -> ValidationError<'i> { ValidationError::custom(message) }))
    }
}

struct RequiredXor {
    names: Vec<String>,
}

impl RequiredXor {
    fn message(&self, object: &Map<String, Value>) -> Option<String> {
        let set: Vec<&str> = self.names.iter().map(String::as_str).filter(|n| object.contains_key(*n)).collect();
        let all: Vec<&str> = self.names.iter().map(String::as_str).collect();
        match set.len() {
            1 => None,
            0 => Some(format!("exactly one of {} must be set: none is", quoted(&all))),
            _ => Some(format!("exactly one of {} must be set: {} are", quoted(&all), quoted(&set))),
        }
    }
}

impl<'i> Keyword<'i> for RequiredXor {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        match instance.as_object().and_then(|object| self.message(object)) {
            Some(message) => Err(ValidationError::custom(message)),
            None => Ok(()),
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        instance.as_object().is_none_or(|object| self.message(object).is_none())
    }
}

/// `pattern`, with its regex compiled the first time a literal string meets it.
///
/// Compiling the regexes is most of the cost of compiling a registry schema (`AWS::Events::Rule`:
/// 0.6 ms with them, 0.03 ms without), and a template's strings meet few of them: most values
/// that a pattern constrains (ARNs, IDs) are `Ref`s and `Fn::GetAtt`s. The regex is the one
/// the crate's own `pattern` would build (same ECMA-262 translation and engine): a one-keyword
/// schema compiled on first use. The pattern's syntax is still checked when the schema is
/// compiled (the draft-07 meta-schema's `format: regex`).
pub(crate) fn pattern<'a>(
    _: &'a Map<String, Value>,
    value: &'a Value,
    _: Location,
) -> Result<Boxed, ValidationError<'a>> {
    let pattern = value.as_str().ok_or_else(|| ValidationError::custom("expected a pattern string"))?;
    Ok(Box::new(Pattern { pattern: pattern.to_owned(), compiled: OnceLock::new() }))
}

struct Pattern {
    pattern: String,
    compiled: OnceLock<Option<Validator>>,
}

impl Pattern {
    /// Whether `instance` (a string; anything else passes) matches. A pattern the engine
    /// cannot compile matches everything: the template is not at fault.
    fn matches(&self, instance: &Value) -> bool {
        if !instance.is_string() {
            return true;
        }
        let compiled = self.compiled.get_or_init(|| {
            jsonschema::options().with_draft(Draft::Draft7).build(&json!({"pattern": self.pattern})).ok()
        });
        compiled.as_ref().is_none_or(|validator| validator.is_valid(instance))
    }

    /// Compiles the regex now (for the test that proves every vendored pattern compiles).
    #[cfg(test)]
    pub(crate) fn compiles(pattern: &str) -> bool {
        jsonschema::options().with_draft(Draft::Draft7).build(&json!({"pattern": pattern})).is_ok()
    }
}

impl<'i> Keyword<'i> for Pattern {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        if self.matches(instance) {
            Ok(())
        } else {
            Err(ValidationError::custom(format!(
                "expected a string matching {}, found {}",
                self.pattern,
                show(instance)
            )))
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        self.matches(instance)
    }
}

/// Whether the regex engine compiles `pattern` (tests).
#[cfg(test)]
pub(crate) fn pattern_compiles(pattern: &str) -> bool {
    Pattern::compiles(pattern)
}
