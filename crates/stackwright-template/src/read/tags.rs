//! YAML tags and plain scalars, the CloudFormation way.
//!
//! Every local tag `!Name` is the short form of a function: `!Ref` and `!Condition` keep their
//! names, any other `!Name` is `Fn::Name` (`!Sub`, `!GetAZs`, the rule functions `!Contains`,
//! `!EachMemberEquals`…, `!GetStackOutput`, `!Length`). A name CloudFormation does not know
//! becomes `{"Fn::Name": …}` all the same, for the function check to judge, as cfn-lint's
//! decoder does: a misspelt tag is one finding, not a parse error that hides every other.
//! `!GetAtt Resource.Attribute` is the list form split at the first dot. The non-specific tag
//! `!` makes a scalar a string (no plain-scalar resolution: `! 10` is `"10"`).

use saphyr_parser::Tag;
use serde_json::{Map, Number};

use crate::value::Json;

/// What a tag makes of the node it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Meaning {
    /// A function call, under this key (`Ref`, `Fn::Sub`…).
    Function(String),
    /// The non-specific tag `!`: the node's kind decides (a scalar is a string).
    NonSpecific,
    /// A YAML core-schema tag (`!!str`, `!!int`…), by suffix.
    Core(String),
}

/// The meaning of `tag`, or why it has none.
pub(crate) fn meaning(tag: &Tag) -> Result<Meaning, String> {
    if tag.is_yaml_core_schema() {
        return Ok(Meaning::Core(tag.suffix.clone()));
    }
    match (tag.handle.as_str(), tag.suffix.as_str()) {
        ("", "!") => Ok(Meaning::NonSpecific),
        ("!", "Ref" | "Condition") => Ok(Meaning::Function(tag.suffix.clone())),
        ("!", name) if !name.is_empty() => Ok(Meaning::Function(format!("Fn::{name}"))),
        _ => Err(format!("unknown tag {tag}: CloudFormation's short forms are local tags (!Ref, !Sub…)")),
    }
}

/// The call `key` with the tagged node's value as its argument.
pub(crate) fn call(key: String, value: Json) -> Json {
    let argument = match (key.as_str(), value) {
        // `!GetAtt Resource.Attribute.With.Dots`: the attribute is everything after the first
        // dot. Without a dot it stays a string, for the function check to call malformed.
        ("Fn::GetAtt", Json::String(dotted)) => match dotted.split_once('.') {
            Some((resource, attribute)) => serde_json::json!([resource, attribute]),
            None => Json::String(dotted),
        },
        (_, value) => value,
    };
    let mut map = Map::new();
    map.insert(key, argument);
    Json::Object(map)
}

/// A plain scalar, resolved by the core schema (leading-zero numbers stay strings).
pub(crate) fn plain(text: &str) -> Json {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Json::Null,
        "true" | "True" | "TRUE" => return Json::Bool(true),
        "false" | "False" | "FALSE" => return Json::Bool(false),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
    if !leading_zero && digits.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        if let Ok(int) = text.parse::<i64>() {
            return Json::Number(int.into());
        }
        if digits.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
            && let Some(number) = text.parse::<f64>().ok().and_then(Number::from_f64)
        {
            return Json::Number(number);
        }
    }
    Json::String(text.to_owned())
}

/// A scalar with an explicit core tag (`!!str 10`, `!!int "10"`).
pub(crate) fn core(text: &str, suffix: &str) -> Option<Json> {
    match suffix {
        "int" | "float" => match plain(text) {
            number @ Json::Number(_) => Some(number),
            _ => None,
        },
        "bool" => match plain(text) {
            boolean @ Json::Bool(_) => Some(boolean),
            _ => None,
        },
        "null" => Some(Json::Null),
        // `!!str` and the rest (`!!binary`, `!!timestamp`…): the text as it is.
        _ => Some(Json::String(text.to_owned())),
    }
}
