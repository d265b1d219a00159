//! Schema checks: every resource of a registry type (the whole `us-east-1` registry, from
//! [`stackwright_registry`]) is validated against its schema — property names, JSON types,
//! enums, patterns, lengths, ranges, list sizes, required properties and the schemas'
//! `oneOf` / `anyOf` / dependent groups. Custom resources are checked against the registry's
//! `AWS::CloudFormation::CustomResource` schema (`ServiceToken`).
//!
//! What CloudFormation accepts is accepted here too ([`eval`] says how):
//! - an intrinsic function is checked for shape (by `references`), not for value;
//! - `{"Ref": "AWS::NoValue"}` removes the property (or list item) it stands for;
//! - numbers and booleans written as strings (`"10"`, `"true"`), and numbers or booleans where
//!   a string is expected, are converted the way CloudFormation converts them, then checked
//!   (so `"0"` is still below a minimum of 1).
//!
//! What cannot be checked is reported, never skipped silently ([`crate::Unchecked`]):
//! custom resources (beyond `ServiceToken`), modules, types only other regions have, private
//! or third-party types, and types a transform expands. An `AWS::` (or `Alexa::`) type in no
//! region's registry is an error (`resource/unknown-type`): CloudFormation refuses the
//! template ("Unrecognized resource types"), as cfn-lint does (E3006).

mod eval;
mod report;

use std::collections::BTreeMap;

use stackwright_registry::{CUSTOM_RESOURCE, Schema, TypeClass};
use stackwright_template::pointer::unescape;
use stackwright_template::walk::is_call;
use stackwright_template::{Json, Template};

use crate::finding::{Finding, Unchecked, UncheckedReason};
use crate::json::pointer;

/// The properties `aws cloudformation package` fills in from a local path (cfn-lint's
/// `TEMPLATED_PROPERTY_CFN_PATHS`): a string there is a template still to be packaged, not a
/// wrongly typed value (`Code: ./src` for a function whose schema wants an object).
/// cfn-lint skips their type check too (and warns, W3002).
const PACKAGED: &[(&str, &str)] = &[
    ("AWS::ApiGateway::RestApi", "/BodyS3Location"),
    ("AWS::AppSync::FunctionConfiguration", "/RequestMappingTemplateS3Location"),
    ("AWS::AppSync::FunctionConfiguration", "/ResponseMappingTemplateS3Location"),
    ("AWS::AppSync::GraphQLSchema", "/DefinitionS3Location"),
    ("AWS::AppSync::Resolver", "/RequestMappingTemplateS3Location"),
    ("AWS::AppSync::Resolver", "/ResponseMappingTemplateS3Location"),
    ("AWS::CloudFormation::Stack", "/TemplateURL"),
    ("AWS::CodeCommit::Repository", "/Code/S3"),
    ("AWS::ElasticBeanstalk::ApplicationVersion", "/SourceBundle"),
    ("AWS::Lambda::Function", "/Code"),
    ("AWS::Lambda::LayerVersion", "/Content"),
    ("AWS::StepFunctions::StateMachine", "/DefinitionS3Location"),
];

/// The transform that expands `AWS::Serverless::*` resources.
const SERVERLESS: &str = "AWS::Serverless-2016-10-31";

/// Checks every resource against its type's registry schema; what cannot be checked goes to
/// `unchecked`.
pub(crate) fn check(template: &Template, findings: &mut Vec<Finding>, unchecked: &mut Vec<Unchecked>) {
    let transforms = transforms(template);
    let mut skipped: BTreeMap<(String, UncheckedReason), Vec<String>> = BTreeMap::new();
    for (id, resource) in template.resources() {
        let type_name = resource.type_name.as_str();
        let at = format!("{}/Properties", pointer("/Resources", id.as_str()));
        let class = stackwright_registry::classify(type_name);
        let reason = match &class {
            TypeClass::Registry => None,
            TypeClass::Custom => Some(UncheckedReason::Custom),
            TypeClass::Module => Some(UncheckedReason::Module),
            TypeClass::OtherRegions(regions) => {
                Some(UncheckedReason::OtherRegions(regions.iter().map(|r| (*r).to_owned()).collect()))
            }
            TypeClass::Unknown => match unknown(type_name, &transforms) {
                Ok(reason) => Some(reason),
                Err(message) => {
                    let type_at = format!("{}/Type", pointer("/Resources", id.as_str()));
                    findings.push(Finding::new("resource/unknown-type", type_at, message).about(id.as_str()));
                    continue;
                }
            },
        };
        let checked_as = match class {
            TypeClass::Registry => Some(type_name),
            TypeClass::Custom => Some(CUSTOM_RESOURCE),
            _ => None,
        };
        if let Some(reason) = reason {
            skipped.entry((type_name.to_owned(), reason)).or_default().push(id.as_str().to_owned());
        }
        let Some(schema) = checked_as.and_then(stackwright_registry::schema) else { continue };
        let packaged: Vec<&str> = PACKAGED.iter().filter(|(t, _)| *t == type_name).map(|(_, p)| *p).collect();
        for finding in check_properties(schema, &resource.properties, &at, &packaged) {
            findings.push(finding.about(id.as_str()));
        }
    }
    unchecked.extend(skipped.into_iter().map(|((type_name, reason), logical_ids)| Unchecked {
        type_name,
        reason,
        logical_ids,
    }));
}

/// The template's transforms (`Transform` is a name or a list of names).
fn transforms(template: &Template) -> Vec<String> {
    match template.other_sections.get("Transform") {
        Some(Json::String(name)) => vec![name.clone()],
        Some(Json::Array(names)) => names.iter().filter_map(Json::as_str).map(str::to_owned).collect(),
        Some(_) => vec!["(a transform)".to_owned()],
        None => Vec::new(),
    }
}

/// Why a type in no region's registry is not checked, or the error CloudFormation gives.
fn unknown(type_name: &str, transforms: &[String]) -> Result<UncheckedReason, String> {
    let serverless = type_name.starts_with("AWS::Serverless::");
    if serverless && transforms.iter().any(|t| t == SERVERLESS) {
        return Ok(UncheckedReason::Transform(SERVERLESS.to_owned()));
    }
    let aws_owned = type_name.starts_with("AWS::") || type_name.starts_with("Alexa::");
    if !aws_owned {
        return Ok(UncheckedReason::Unregistered);
    }
    if let Some(transform) = transforms.iter().find(|t| *t != SERVERLESS) {
        // A macro may rewrite the resource before CloudFormation reads its type.
        return Ok(UncheckedReason::Transform(transform.clone()));
    }
    let hint = if serverless { format!("; it needs \"Transform\": \"{SERVERLESS}\"") } else { String::new() };
    Err(format!(
        "resource type {type_name:?} is in no region's CloudFormation registry; CloudFormation refuses the \
         template (Unrecognized resource types){hint}"
    ))
}

/// The findings for one resource's properties (whose pointer is `at`).
///
/// The evaluator reads the properties where they are, unless an `AWS::NoValue` is to be
/// removed: then it reads a copy without them (copying every resource's properties was about
/// a tenth of validation's cost on first use).
fn check_properties(schema: &Schema, properties: &BTreeMap<String, Json>, at: &str, packaged: &[&str]) -> Vec<Finding> {
    let errors = if properties.values().any(holds_no_value) {
        let instance = Json::Object(
            properties.iter().filter(|(_, v)| !is_no_value(v)).map(|(k, v)| (k.clone(), without_no_value(v))).collect(),
        );
        let mut errors = eval::check(schema, eval::Value::Json(&instance), packaged);
        // The copy's list indices skip the removed items; a finding names the item as written.
        for error in &mut errors {
            error.path = as_written(properties, &error.path);
        }
        errors
    } else {
        eval::check(schema, eval::Value::Properties(properties), packaged)
    };
    report::findings(&errors, at)
}

/// Whether `value` is `AWS::NoValue` or [`without_no_value`] would remove something from it
/// (otherwise its copy would be the same value).
fn holds_no_value(value: &Json) -> bool {
    is_no_value(value)
        || match value {
            Json::Object(map) if !is_call(value) => map.values().any(holds_no_value),
            Json::Array(items) => items.iter().any(holds_no_value),
            _ => false,
        }
}

/// The pointer (below `Properties`) of the value that `path` names in the copy
/// [`without_no_value`] makes: each list index counts the items the copy kept, so it is moved
/// past the `AWS::NoValue` items before it. Object keys are the same in both.
fn as_written(properties: &BTreeMap<String, Json>, path: &str) -> String {
    let mut segments = path.split('/').skip(1);
    let Some(first) = segments.next() else { return path.to_owned() };
    let mut out = String::with_capacity(path.len() + 4);
    out.push('/');
    out.push_str(first);
    let mut current = properties.get(unescape(first).as_ref());
    for segment in segments {
        out.push('/');
        let kept = match current {
            Some(Json::Array(items)) => segment
                .parse::<usize>()
                .ok()
                .and_then(|n| items.iter().enumerate().filter(|(_, item)| !is_no_value(item)).nth(n)),
            _ => None,
        };
        match (kept, current) {
            (Some((index, item)), _) => {
                out.push_str(&index.to_string());
                current = Some(item);
            }
            (None, Some(value @ Json::Object(map))) if !is_call(value) => {
                out.push_str(segment);
                current = map.get(unescape(segment).as_ref());
            }
            (None, _) => {
                out.push_str(segment);
                current = None;
            }
        }
    }
    out
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

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_in_place;
