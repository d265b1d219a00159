//! Deserializing a schema straight into [`Sub`] / [`Node`]: one pass over the text, keywords
//! matched by name, annotations skipped, anything else refused.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

use serde_json::value::RawValue;

use super::{Dependency, Items, JsonType, Lazy, Node, Pattern, Sub, Types};

/// Keywords that describe and never constrain: skipped when compiling, and removed when
/// vendoring ([`crate::vendor`]). `uniqueKeys` is cfn-lint's, which it does not report for
/// resource properties; `format` is not asserted (the registry's formats, such as
/// `AWS::EC2::VPC.Id`, are hints, and CloudFormation does not reject on them).
pub(crate) const ANNOTATIONS: &[&str] = &[
    "$comment",
    "$id",
    "$schema",
    "arrayType",
    "default",
    "description",
    "examples",
    "format",
    "insertionOrder",
    "markdownDescription",
    "relationshipRef",
    "title",
    "uniqueKeys",
];

/// The keywords a node may hold.
pub(crate) const KEYWORDS: &[&str] = &[
    "$ref",
    "additionalItems",
    "additionalProperties",
    "allOf",
    "anyOf",
    "const",
    "definitions",
    "dependencies",
    "dependentExcluded",
    "dependentRequired",
    "else",
    "enum",
    "enumCaseInsensitive",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "if",
    "items",
    "maxItems",
    "maxLength",
    "maxProperties",
    "maxUniqueItems",
    "maximum",
    "minItems",
    "minLength",
    "minProperties",
    "minimum",
    "multipleOf",
    "not",
    "oneOf",
    "pattern",
    "patternProperties",
    "prefixItems",
    "properties",
    "required",
    "requiredOr",
    "requiredXor",
    "then",
    "type",
    "uniqueItems",
];

impl<'de> Deserialize<'de> for Sub {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SubVisitor)
    }
}

struct SubVisitor;

impl<'de> Visitor<'de> for SubVisitor {
    type Value = Sub;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a schema (an object or a boolean)")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Sub, E> {
        Ok(Sub::Bool(value))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Sub, A::Error> {
        let mut node = Node::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            keyword(&mut node, &key, &mut map)?;
        }
        Ok(Sub::Node(Box::new(node)))
    }
}

/// Reads the value of keyword `key` into `node`.
fn keyword<'de, A: MapAccess<'de>>(node: &mut Node, key: &str, map: &mut A) -> Result<(), A::Error> {
    match key {
        "$ref" => node.reference = Some(map.next_value()?),
        "definitions" => node.definitions = lazy(map.next_value::<Named<Box<RawValue>>>()?.0),
        "type" => node.types = Some(map.next_value::<TypeList>()?.0),
        "properties" => node.properties = lazy(map.next_value::<Named<Box<RawValue>>>()?.0),
        "patternProperties" => {
            let entries = map.next_value::<Named<Sub>>()?.0;
            node.pattern_properties = entries.into_iter().map(|(key, sub)| (Pattern::new(key), sub)).collect();
        }
        "additionalProperties" => node.additional_properties = Some(Box::new(map.next_value()?)),
        "required" => node.required = map.next_value()?,
        "minProperties" => node.min_properties = Some(map.next_value()?),
        "maxProperties" => node.max_properties = Some(map.next_value()?),
        "dependencies" => {
            node.dependencies =
                map.next_value::<Named<DependencyValue>>()?.0.into_iter().map(|(k, v)| (k, v.0)).collect();
        }
        "dependentRequired" => node.dependent_required = map.next_value::<Named<Vec<String>>>()?.0,
        "dependentExcluded" => node.dependent_excluded = map.next_value::<Named<Vec<String>>>()?.0,
        "requiredXor" => node.required_xor = Some(map.next_value()?),
        "requiredOr" => node.required_or = Some(map.next_value()?),
        "enum" => node.enumeration = Some(map.next_value()?),
        "enumCaseInsensitive" => node.enum_case_insensitive = Some(map.next_value()?),
        "const" => node.constant = Some(map.next_value()?),
        "pattern" => node.pattern = Some(Pattern::new(map.next_value()?)),
        "minLength" => node.min_length = Some(map.next_value()?),
        "maxLength" => node.max_length = Some(map.next_value()?),
        "minimum" => node.minimum = Some(map.next_value::<Number>()?),
        "maximum" => node.maximum = Some(map.next_value::<Number>()?),
        "exclusiveMinimum" => node.exclusive_minimum = Some(map.next_value::<Number>()?),
        "exclusiveMaximum" => node.exclusive_maximum = Some(map.next_value::<Number>()?),
        "multipleOf" => node.multiple_of = Some(map.next_value::<Number>()?),
        "items" => node.items = Some(map.next_value::<ItemsValue>()?.0),
        "prefixItems" => node.prefix_items = map.next_value()?,
        "additionalItems" => node.additional_items = Some(Box::new(map.next_value()?)),
        "minItems" => node.min_items = Some(map.next_value()?),
        "maxItems" => node.max_items = Some(map.next_value()?),
        "uniqueItems" => node.unique_items = map.next_value()?,
        "maxUniqueItems" => node.max_unique_items = Some(map.next_value()?),
        "allOf" => node.all_of = map.next_value()?,
        "anyOf" => node.any_of = map.next_value()?,
        "oneOf" => node.one_of = map.next_value()?,
        "not" => node.not = Some(Box::new(map.next_value()?)),
        "if" => node.if_ = Some(Box::new(map.next_value()?)),
        "then" => node.then = Some(Box::new(map.next_value()?)),
        "else" => node.else_ = Some(Box::new(map.next_value()?)),
        annotation if ANNOTATIONS.contains(&annotation) => {
            map.next_value::<IgnoredAny>()?;
        }
        unknown => return Err(de::Error::custom(format!("unknown schema keyword {unknown:?}"))),
    }
    Ok(())
}

fn lazy(entries: Vec<(String, Box<RawValue>)>) -> Vec<(String, Lazy)> {
    entries.into_iter().map(|(name, raw)| (name, Lazy::new(raw))).collect()
}

/// A JSON object read as `(name, value)` pairs sorted by name.
struct Named<T>(Vec<(String, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Named<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NamedVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for NamedVisitor<T> {
            type Value = Named<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Named<T>, A::Error> {
                let mut entries: Vec<(String, T)> = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some((key, value)) = map.next_entry::<String, T>()? {
                    entries.push((key, value));
                }
                // A JSON object's keys are unique; keep the last of a duplicated key, as a
                // parser into a map would.
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                entries.dedup_by(|later, earlier| {
                    if later.0 == earlier.0 {
                        std::mem::swap(later, earlier);
                        true
                    } else {
                        false
                    }
                });
                Ok(Named(entries))
            }
        }
        deserializer.deserialize_map(NamedVisitor(std::marker::PhantomData))
    }
}

/// `"string"` or `["string", "number"]`.
struct TypeList(Types);

impl<'de> Deserialize<'de> for TypeList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TypeVisitor;
        impl<'de> Visitor<'de> for TypeVisitor {
            type Value = TypeList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON type name or a list of them")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<TypeList, E> {
                let ty = JsonType::parse(name).ok_or_else(|| E::custom(format!("unknown JSON type {name:?}")))?;
                let mut types = Types::default();
                types.insert(ty);
                Ok(TypeList(types))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TypeList, A::Error> {
                let mut types = Types::default();
                while let Some(name) = seq.next_element::<std::borrow::Cow<'de, str>>()? {
                    let ty = JsonType::parse(&name)
                        .ok_or_else(|| de::Error::custom(format!("unknown JSON type {name:?}")))?;
                    types.insert(ty);
                }
                Ok(TypeList(types))
            }
        }
        deserializer.deserialize_any(TypeVisitor)
    }
}

/// A `dependencies` entry: a list of names or a schema.
struct DependencyValue(Dependency);

impl<'de> Deserialize<'de> for DependencyValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DependencyVisitor;
        impl<'de> Visitor<'de> for DependencyVisitor {
            type Value = DependencyValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of property names or a schema")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<DependencyValue, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(name);
                }
                Ok(DependencyValue(Dependency::Required(names)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DependencyValue, A::Error> {
                Ok(DependencyValue(Dependency::Schema(SubVisitor.visit_map(map)?)))
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<DependencyValue, E> {
                Ok(DependencyValue(Dependency::Schema(Sub::Bool(value))))
            }
        }
        deserializer.deserialize_any(DependencyVisitor)
    }
}

/// `items`: a schema or a list of them.
struct ItemsValue(Items);

impl<'de> Deserialize<'de> for ItemsValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemsVisitor;
        impl<'de> Visitor<'de> for ItemsVisitor {
            type Value = ItemsValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a schema or a list of schemas")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ItemsValue, A::Error> {
                let mut subs = Vec::new();
                while let Some(sub) = seq.next_element::<Sub>()? {
                    subs.push(sub);
                }
                Ok(ItemsValue(Items::Tuple(subs)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ItemsValue, A::Error> {
                Ok(ItemsValue(Items::Each(SubVisitor.visit_map(map)?)))
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<ItemsValue, E> {
                Ok(ItemsValue(Items::Each(Sub::Bool(value))))
            }
        }
        deserializer.deserialize_any(ItemsVisitor)
    }
}
