//! Parsing templates written by any tool back into the model, without losing anything:
//! unknown sections, resource types and attributes are kept as written.
//!
//! Every error carries the JSON pointer of the value that broke the rule.

use std::collections::BTreeMap;

use crate::error::Error;
use crate::intrinsic::Intrinsic;
use crate::logical_id::LogicalId;
use crate::pointer::child as pointer;
use crate::policy::{DeletionPolicy, PolicyValue, UpdateReplacePolicy};
use crate::resource::Resource;
use crate::template::{Condition, Output, Parameter, ParameterType, Template};
use crate::value::Json;

type Object = serde_json::Map<String, Json>;

impl Template {
    /// Parses a template from JSON text.
    pub fn from_json_str(text: &str) -> Result<Self, Error> {
        let json: Json = serde_json::from_str(text)
            .map_err(|e| Error::Parse { pointer: String::new(), message: format!("not valid JSON: {e}") })?;
        Self::from_json(&json)
    }

    /// Parses a template from a JSON value.
    pub fn from_json(json: &Json) -> Result<Self, Error> {
        Self::parse(json, false)
    }

    /// Parses a template from a JSON value, taking what CloudFormation deploys though a
    /// logical ID may not hold it: condition names with `&` or `-` (the AWS quick starts'
    /// `AdditionalPrivateSubnets&3AZCondition`, `UseAWS-ManagedCMK`). For `diff`, which must
    /// read every deployed template; `validate` and synth keep [`Template::from_json`]. A
    /// resource's `Metadata` that is not an object is kept as written too.
    pub fn from_json_lenient(json: &Json) -> Result<Self, Error> {
        Self::parse(json, true)
    }

    pub(crate) fn parse(json: &Json, lenient: bool) -> Result<Self, Error> {
        let condition = |key: &str, at: &str| -> Result<LogicalId, Error> {
            match LogicalId::lenient_condition(key) {
                Some(id) if lenient => Ok(id),
                _ => logical_id(key, at),
            }
        };
        let root = object(json, "")?;
        let mut template = Template::default();
        for (key, value) in root {
            let at = pointer("", key);
            match key.as_str() {
                "AWSTemplateFormatVersion" => template.format_version = Some(string(value, &at)?),
                "Description" => template.description = Some(string(value, &at)?),
                "Metadata" => template.metadata = plain_map(object(value, &at)?),
                "Rules" => template.rules = plain_map(object(value, &at)?),
                "Parameters" => template.parameters = entries(value, &at, parse_parameter)?,
                "Mappings" => template.mappings = entries(value, &at, parse_mapping)?,
                "Conditions" => {
                    template.conditions = object(value, &at)?
                        .iter()
                        .map(|(key, item)| {
                            Ok((condition(key, &pointer(&at, key))?, Condition::from_json(item.clone())))
                        })
                        .collect::<Result<_, Error>>()?;
                }
                "Resources" => {
                    template.resources = entries(value, &at, |v, a| parse_resource(v, a, &condition, lenient))?;
                }
                "Outputs" => template.outputs = entries(value, &at, |v, a| parse_output(v, a, &condition))?,
                _ => {
                    template.other_sections.insert(key.clone(), value.clone());
                }
            }
        }
        if !root.contains_key("Resources") {
            return Err(Error::Parse {
                pointer: String::new(),
                message: "a template needs a Resources section".into(),
            });
        }
        template.record_parsed_owners();
        Ok(template)
    }
}

fn fail<T>(at: &str, message: impl Into<String>) -> Result<T, Error> {
    Err(Error::Parse { pointer: at.to_owned(), message: message.into() })
}

fn object<'a>(value: &'a Json, at: &str) -> Result<&'a Object, Error> {
    value.as_object().map_or_else(|| fail(at, format!("expected an object, found {}", kind(value))), Ok)
}

fn string(value: &Json, at: &str) -> Result<String, Error> {
    value.as_str().map_or_else(|| fail(at, format!("expected a string, found {}", kind(value))), |s| Ok(s.to_owned()))
}

fn kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

fn plain_map(object: &Object) -> BTreeMap<String, Json> {
    object.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

fn logical_id(key: &str, at: &str) -> Result<LogicalId, Error> {
    LogicalId::new(key).or_else(|e| fail(at, e.to_string()))
}

fn entries<T>(
    value: &Json,
    at: &str,
    parse: impl Fn(&Json, &str) -> Result<T, Error>,
) -> Result<BTreeMap<LogicalId, T>, Error> {
    object(value, at)?
        .iter()
        .map(|(key, item)| {
            let item_at = pointer(at, key);
            Ok((logical_id(key, &item_at)?, parse(item, &item_at)?))
        })
        .collect()
}

/// A number, or a string holding one (CloudFormation accepts both in parameter constraints).
fn number(value: &Json, at: &str) -> Result<f64, Error> {
    match value {
        Json::Number(n) => n.as_f64().map_or_else(|| fail(at, "number out of range"), Ok),
        Json::String(s) => s.trim().parse().or_else(|_| fail(at, format!("expected a number, found {s:?}"))),
        other => fail(at, format!("expected a number, found {}", kind(other))),
    }
}

fn count(value: &Json, at: &str) -> Result<u64, Error> {
    let n = number(value, at)?;
    if n < 0.0 || n.fract() != 0.0 || n > 1.0e15 {
        return fail(at, format!("expected a whole number of characters, found {n}"));
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(n as u64)
}

fn parse_parameter(value: &Json, at: &str) -> Result<Parameter, Error> {
    let fields = object(value, at)?;
    let type_at = pointer(at, "Type");
    let type_name = fields.get("Type").map_or_else(|| fail(at, "a parameter needs a Type"), |t| string(t, &type_at))?;
    let mut p = Parameter::untyped(ParameterType::from_name(&type_name));
    for (key, v) in fields {
        let at = pointer(at, key);
        match key.as_str() {
            "Type" => {}
            "Description" => p.description = Some(string(v, &at)?),
            "Default" => p.default = Some(v.clone()),
            "AllowedValues" => {
                p.allowed_values = v
                    .as_array()
                    .map_or_else(|| fail(&at, format!("expected a list, found {}", kind(v))), |a| Ok(a.clone()))?;
            }
            "AllowedPattern" => p.allowed_pattern = Some(string(v, &at)?),
            "ConstraintDescription" => p.constraint_description = Some(string(v, &at)?),
            "MinLength" => p.min_length = Some(count(v, &at)?),
            "MaxLength" => p.max_length = Some(count(v, &at)?),
            "MinValue" => p.min_value = Some(number(v, &at)?),
            "MaxValue" => p.max_value = Some(number(v, &at)?),
            "NoEcho" => {
                p.no_echo = match v {
                    Json::Bool(b) => *b,
                    Json::String(s) if s.eq_ignore_ascii_case("true") => true,
                    Json::String(s) if s.eq_ignore_ascii_case("false") => false,
                    other => return fail(&at, format!("expected true or false, found {}", kind(other))),
                };
            }
            other => return fail(&at, format!("unknown parameter attribute {other:?}")),
        }
    }
    Ok(p)
}

fn parse_mapping(value: &Json, at: &str) -> Result<BTreeMap<String, BTreeMap<String, Json>>, Error> {
    object(value, at)?
        .iter()
        .map(|(key, level)| Ok((key.clone(), plain_map(object(level, &pointer(at, key))?))))
        .collect()
}

/// A `DeletionPolicy` or `UpdateReplacePolicy`: one of `allowed` by name, or an intrinsic
/// function that computes it, kept as written.
/// `misplaced` is a value of the other attribute that this one does not take, and why.
fn policy<P: Copy + Into<&'static str>>(
    value: &Json,
    at: &str,
    allowed: &[P],
    misplaced: Option<(&str, &str)>,
) -> Result<PolicyValue<P>, Error> {
    if Intrinsic::is_function_object(value) {
        return Ok(PolicyValue::Computed(value.clone()));
    }
    let names: Vec<&str> = allowed.iter().map(|p| (*p).into()).collect();
    let expected = match names.split_last() {
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    };
    let Json::String(name) = value else {
        return fail(at, format!("expected {expected} (or a function that computes it), found {}", kind(value)));
    };
    if let Some(policy) = allowed.iter().find(|p| (**p).into() == name.as_str()) {
        return Ok(PolicyValue::Literal(*policy));
    }
    let hint = match misplaced {
        Some((other, why)) if other == name => format!(" ({why})"),
        _ => String::new(),
    };
    fail(at, format!("expected {expected}, found {name:?}{hint}"))
}

fn deletion_policy(value: &Json, at: &str) -> Result<PolicyValue<DeletionPolicy>, Error> {
    policy(value, at, &DeletionPolicy::ALL, None)
}

fn update_replace_policy(value: &Json, at: &str) -> Result<PolicyValue<UpdateReplacePolicy>, Error> {
    let misplaced =
        (DeletionPolicy::RetainExceptOnCreate.as_str(), "RetainExceptOnCreate is a DeletionPolicy value only");
    policy(value, at, &UpdateReplacePolicy::ALL, Some(misplaced))
}

/// Checks a condition name (a logical ID, or leniently any non-empty name).
type ConditionName<'a> = dyn Fn(&str, &str) -> Result<LogicalId, Error> + 'a;

/// `lenient` keeps a `Metadata` that is not an object as written (CloudFormation "doesn't
/// validate the syntax within the metadata attribute"), as another attribute.
fn parse_resource(value: &Json, at: &str, condition: &ConditionName<'_>, lenient: bool) -> Result<Resource, Error> {
    let fields = object(value, at)?;
    let type_at = pointer(at, "Type");
    let type_name = fields.get("Type").map_or_else(|| fail(at, "a resource needs a Type"), |t| string(t, &type_at))?;
    let mut resource = Resource::raw(type_name, BTreeMap::new());
    for (key, v) in fields {
        let at = pointer(at, key);
        match key.as_str() {
            "Type" => {}
            "Properties" => resource.properties = plain_map(object(v, &at)?),
            "DependsOn" => {
                let targets: Vec<&Json> = match v {
                    Json::Array(items) => items.iter().collect(),
                    single => vec![single],
                };
                for (i, target) in targets.into_iter().enumerate() {
                    let item_at = if v.is_array() { format!("{at}/{i}") } else { at.clone() };
                    resource.depends_on.insert(logical_id(&string(target, &item_at)?, &item_at)?);
                }
            }
            "Condition" => resource.condition = Some(condition(&string(v, &at)?, &at)?),
            "DeletionPolicy" => resource.deletion_policy = Some(deletion_policy(v, &at)?),
            "UpdateReplacePolicy" => resource.update_replace_policy = Some(update_replace_policy(v, &at)?),
            "Metadata" if lenient && !v.is_object() => {
                resource.other_attributes.insert(key.clone(), v.clone());
            }
            "Metadata" => resource.metadata = plain_map(object(v, &at)?),
            _ => {
                resource.other_attributes.insert(key.clone(), v.clone());
            }
        }
    }
    Ok(resource)
}

fn parse_output(value: &Json, at: &str, condition: &ConditionName<'_>) -> Result<Output, Error> {
    let fields = object(value, at)?;
    let Some(output_value) = fields.get("Value") else {
        return fail(at, "an output needs a Value");
    };
    let mut output = Output { value: output_value.clone(), description: None, export_name: None, condition: None };
    for (key, v) in fields {
        let at = pointer(at, key);
        match key.as_str() {
            "Value" => {}
            "Description" => output.description = Some(string(v, &at)?),
            "Condition" => output.condition = Some(condition(&string(v, &at)?, &at)?),
            "Export" => {
                let export = object(v, &at)?;
                let name = export.get("Name").map_or_else(|| fail(&at, "an export needs a Name"), Ok)?;
                output.export_name = Some(name.clone());
            }
            other => return fail(&at, format!("unknown output attribute {other:?}")),
        }
    }
    Ok(output)
}
