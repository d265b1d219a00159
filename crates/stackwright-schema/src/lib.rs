//! A serde model of the CloudFormation resource provider ("registry") schema: the subset of
//! keywords Stackwright reads to generate L1 types, validate templates and diff them.
//!
//! Unknown keywords (`handlers`, `tagging`, cfn-lint's `requiredXor`…) are ignored, so a
//! newer schema still parses. The model is plain data: no resolution of `$ref`s happens on
//! parse; [`ResourceSchema::resolve`] follows one local reference on demand.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Untyped JSON, for keywords whose value can be anything (`const`, `default`, `enum`).
pub type Json = serde_json::Value;

/// A whole resource provider schema, e.g. the one of `AWS::ECR::Repository`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceSchema {
    /// `AWS::ECR::Repository`.
    pub type_name: String,
    /// What the resource is.
    #[serde(default)]
    pub description: Option<String>,
    /// The top-level properties, by name.
    #[serde(default)]
    pub properties: BTreeMap<String, PropertySchema>,
    /// Named sub-schemas referenced as `#/definitions/<name>`.
    #[serde(default)]
    pub definitions: BTreeMap<String, PropertySchema>,
    /// Properties a template must set.
    #[serde(default)]
    pub required: Vec<String>,
    /// JSON pointers of the properties that identify a resource.
    #[serde(default)]
    pub primary_identifier: Vec<String>,
    /// JSON pointers of properties whose change replaces the resource.
    #[serde(default)]
    pub create_only_properties: Vec<String>,
    /// JSON pointers of properties CloudFormation computes (`Fn::GetAtt` attributes).
    #[serde(default)]
    pub read_only_properties: Vec<String>,
    /// JSON pointers of properties that are accepted but never returned.
    #[serde(default)]
    pub write_only_properties: Vec<String>,
    /// JSON pointers of properties that replace the resource only in some cases.
    #[serde(default)]
    pub conditional_create_only_properties: Vec<String>,
    /// JSON pointers of deprecated properties.
    #[serde(default)]
    pub deprecated_properties: Vec<String>,
}

impl ResourceSchema {
    /// Parses a schema from its JSON text.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The schema a local `$ref` points to: `#/definitions/<name>` or
    /// `#/properties/<name>` (also with a `resource-schema.json` file prefix).
    pub fn resolve(&self, reference: &str) -> Option<&PropertySchema> {
        let (_, pointer) = reference.split_once('#')?;
        let (section, name) = pointer.trim_start_matches('/').split_once('/')?;
        match section {
            "definitions" => self.definitions.get(name),
            "properties" => self.properties.get(name),
            _ => None,
        }
    }

    /// Follows `$ref`s (at most a few hops) until a schema without one.
    pub fn deref<'a>(&'a self, mut schema: &'a PropertySchema) -> &'a PropertySchema {
        for _ in 0..8 {
            match schema.reference.as_deref().and_then(|r| self.resolve(r)) {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    /// The schema at a JSON pointer such as `/properties/Endpoint/Address`, following
    /// `$ref`s, object `properties` and (for `*` segments) array `items`.
    pub fn at_pointer(&self, pointer: &str) -> Option<&PropertySchema> {
        let rest = pointer.strip_prefix("/properties/")?;
        let mut segments = rest.split('/');
        let mut current = self.deref(self.properties.get(segments.next()?)?);
        for segment in segments {
            let next = if segment == "*" { current.items.as_deref()? } else { current.properties.get(segment)? };
            current = self.deref(next);
        }
        Some(current)
    }
}

/// One JSON schema node: a property, a definition, or an array's `items`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PropertySchema {
    /// `type`: one JSON type or several.
    #[serde(default, rename = "type")]
    pub ty: Option<SchemaType>,
    /// `$ref` to a definition or property of the same schema.
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    /// Allowed values.
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<Json>>,
    /// The only allowed value.
    #[serde(default, rename = "const")]
    pub const_value: Option<Json>,
    /// Schema of array elements.
    #[serde(default)]
    pub items: Option<Box<PropertySchema>>,
    /// Object members, by name.
    #[serde(default)]
    pub properties: BTreeMap<String, PropertySchema>,
    /// Object members whose names match a regex.
    #[serde(default)]
    pub pattern_properties: BTreeMap<String, PropertySchema>,
    /// `false`, `true`, or a schema for members not listed in `properties`.
    #[serde(default)]
    pub additional_properties: Option<AdditionalProperties>,
    /// Members an object must have.
    #[serde(default)]
    pub required: Vec<String>,
    /// Exactly one of these must match.
    #[serde(default)]
    pub one_of: Vec<PropertySchema>,
    /// At least one of these must match.
    #[serde(default)]
    pub any_of: Vec<PropertySchema>,
    /// All of these must match.
    #[serde(default)]
    pub all_of: Vec<PropertySchema>,
    /// Regex a string must match.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Minimum string length.
    #[serde(default)]
    pub min_length: Option<u64>,
    /// Maximum string length.
    #[serde(default)]
    pub max_length: Option<u64>,
    /// Minimum number.
    #[serde(default)]
    pub minimum: Option<f64>,
    /// Maximum number.
    #[serde(default)]
    pub maximum: Option<f64>,
    /// Minimum array length.
    #[serde(default)]
    pub min_items: Option<u64>,
    /// Maximum array length.
    #[serde(default)]
    pub max_items: Option<u64>,
    /// Whether array elements must be distinct.
    #[serde(default)]
    pub unique_items: Option<bool>,
    /// Whether array order matters (CloudFormation extension).
    #[serde(default)]
    pub insertion_order: Option<bool>,
    /// What the property is.
    #[serde(default)]
    pub description: Option<String>,
    /// A format name such as `uri` or `date-time`.
    #[serde(default)]
    pub format: Option<String>,
    /// The value the service assumes when the property is absent.
    #[serde(default)]
    pub default: Option<Json>,
}

impl PropertySchema {
    /// The single JSON type of this node, if it declares exactly one.
    pub fn single_type(&self) -> Option<JsonType> {
        match &self.ty {
            Some(SchemaType::One(ty)) => Some(*ty),
            Some(SchemaType::Many(types)) if types.len() == 1 => Some(types[0]),
            _ => None,
        }
    }
}

/// The `type` keyword: one type or a list of types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SchemaType {
    /// `"type": "string"`.
    One(JsonType),
    /// `"type": ["object", "string"]`.
    Many(Vec<JsonType>),
}

/// A JSON schema primitive type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JsonType {
    /// `string`.
    String,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `array`.
    Array,
    /// `object`.
    Object,
    /// `null`.
    Null,
}

/// The `additionalProperties` keyword.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AdditionalProperties {
    /// `true` or `false`.
    Allowed(bool),
    /// A schema the extra members must match.
    Schema(Box<PropertySchema>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_types_refs_and_ignores_unknown_keys() {
        let schema = ResourceSchema::from_json(
            r##"{
              "typeName": "AWS::X::Y",
              "handlers": {"create": {}},
              "properties": {
                "A": {"type": ["object", "string"]},
                "B": {"$ref": "#/definitions/B"},
                "C": {"type": "array", "items": {"type": "string"}},
                "D": {"type": "object", "additionalProperties": false, "properties": {"E": {"type": "integer"}}}
              },
              "definitions": {"B": {"type": "string", "enum": ["x", "y"]}},
              "readOnlyProperties": ["/properties/D/E"],
              "requiredXor": [["A", "B"]]
            }"##,
        )
        .unwrap();
        assert_eq!(schema.properties["A"].single_type(), None);
        assert_eq!(schema.deref(&schema.properties["B"]).enum_values.as_ref().unwrap().len(), 2);
        assert_eq!(schema.at_pointer("/properties/D/E").unwrap().single_type(), Some(JsonType::Integer));
        assert_eq!(schema.properties["D"].additional_properties, Some(AdditionalProperties::Allowed(false)));
    }
}
