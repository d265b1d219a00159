//! The group keywords the registry schemas use beyond draft 7: `dependentRequired` (draft
//! 2019-09) and cfn-lint's `requiredXor` and `dependentExcluded`.
//!
//! Each reports the object that breaks the group, with a message naming the properties; the
//! error's keyword (`requiredXor`…) picks the rule id.

use jsonschema::paths::Location;
use jsonschema::{Keyword, ValidationError};
use serde_json::{Map, Value};

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
