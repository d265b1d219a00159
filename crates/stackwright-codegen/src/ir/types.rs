//! Schema nodes as Rust types, and the names of generated modules and documentation links.

use std::collections::BTreeSet;

use stackwright_schema::{JsonType, PropertySchema, SchemaType};

use crate::naming;

/// A Rust type for a schema node, before it is wrapped in `Value<_>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Ty {
    String,
    Integer,
    Number,
    Boolean,
    Json,
    Named(String),
    List(Box<Ty>),
    Map(Box<Ty>),
}

impl Ty {
    pub(super) fn value(&self) -> String {
        match self {
            Self::String => "Value<String>".to_owned(),
            Self::Integer => "Value<i64>".to_owned(),
            Self::Number => "Value<f64>".to_owned(),
            Self::Boolean => "Value<bool>".to_owned(),
            Self::Json => "Value<Json>".to_owned(),
            Self::Named(name) => format!("Value<{name}>"),
            Self::List(item) => format!("Value<Vec<{}>>", item.value()),
            Self::Map(item) => format!("Value<BTreeMap<String, {}>>", item.value()),
        }
    }

    pub(super) fn uses(&self, json: &mut bool, map: &mut bool) {
        match self {
            Self::Json => *json = true,
            Self::List(item) => item.uses(json, map),
            Self::Map(item) => {
                *map = true;
                item.uses(json, map);
            }
            _ => {}
        }
    }
}

/// The Rust path of the shared tag struct.
pub const SHARED_TAG: &str = "crate::Tag";

/// Rust string literal of a string.
pub fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// Service module name for a type name: `AWS::ElasticLoadBalancingV2::Listener` →
/// `elasticloadbalancingv2`.
pub fn service_module(type_name: &str) -> String {
    type_name.split("::").nth(1).unwrap_or_default().to_ascii_lowercase()
}

/// Resource module name: `AWS::ECS::TaskDefinition` → `task_definition`.
pub fn resource_module(type_name: &str) -> String {
    naming::escape_keyword(&naming::snake_case(type_name.rsplit("::").next().unwrap_or_default()))
}

/// The CloudFormation user guide page of a resource type.
pub fn doc_url(type_name: &str) -> String {
    let parts: Vec<String> = type_name.split("::").skip(1).map(str::to_ascii_lowercase).collect();
    format!("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-{}.html", parts.join("-"))
}

/// Whether a definition is exactly the shared `Tag` shape: a `…Tag` object with required
/// string `Key` and `Value` and nothing else.
pub(super) fn is_shared_tag(name: &str, schema: &PropertySchema) -> bool {
    let string = |p: Option<&PropertySchema>| p.is_some_and(|p| p.single_type() == Some(JsonType::String));
    name.ends_with("Tag")
        && schema.properties.len() == 2
        && string(schema.properties.get("Key"))
        && string(schema.properties.get("Value"))
        && schema.required.len() == 2
        && schema.required.iter().any(|r| r == "Key")
        && schema.required.iter().any(|r| r == "Value")
}

pub(super) fn is_object_with_properties(schema: &PropertySchema) -> bool {
    !schema.properties.is_empty()
        && matches!(schema.single_type(), Some(JsonType::Object) | None)
        && schema.ty.as_ref().is_none_or(|t| !matches!(t, SchemaType::Many(v) if v.len() > 1))
}

pub(super) fn string_enum_values(schema: &PropertySchema) -> Option<Vec<String>> {
    if !matches!(schema.single_type(), Some(JsonType::String) | None)
        || schema.ty.as_ref().is_some_and(|t| matches!(t, SchemaType::Many(v) if v.len() > 1))
    {
        return None;
    }
    let values: Vec<&serde_json::Value> = match (&schema.enum_values, &schema.const_value) {
        (Some(values), _) => values.iter().collect(),
        (None, Some(value)) => vec![value],
        (None, None) => return None,
    };
    let strings: Option<Vec<String>> = values.iter().map(|v| v.as_str().map(str::to_owned)).collect();
    let mut strings = strings?;
    let mut seen = BTreeSet::new();
    strings.retain(|s| seen.insert(s.clone()));
    (!strings.is_empty()).then_some(strings)
}

pub(super) fn escape_pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
