//! Resources: the contract the generated L1 types implement, typed handles to resources
//! added to a template, and the resource attributes (DependsOn, DeletionPolicy…).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::intrinsic::Intrinsic;
use crate::logical_id::LogicalId;
use crate::policy::{DeletionPolicy, PolicyValue, UpdateReplacePolicy};
use crate::value::{Json, Value};

/// Facts about a resource type taken from its registry schema, for validation and diff.
/// Property paths are JSON pointers as the schema writes them (`/properties/RepositoryName`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceFacts {
    /// The CloudFormation type name, e.g. `AWS::ECR::Repository`.
    pub type_name: &'static str,
    /// Every top-level property the schema defines, sorted.
    pub properties: &'static [&'static str],
    /// Properties the template must set.
    pub required: &'static [&'static str],
    /// The properties that identify a resource of this type.
    pub primary_identifier: &'static [&'static str],
    /// Properties whose change makes CloudFormation replace the resource.
    pub create_only_properties: &'static [&'static str],
    /// Properties CloudFormation computes: the valid `Fn::GetAtt` attributes.
    pub read_only_properties: &'static [&'static str],
    /// Properties that force replacement only in some cases (the schema's
    /// `conditionalCreateOnlyProperties`).
    pub conditional_create_only_properties: &'static [&'static str],
}

impl ResourceFacts {
    /// The attribute names `Fn::GetAtt` accepts (`Endpoint.Address` for nested ones).
    pub fn attributes(&self) -> impl Iterator<Item = String> + '_ {
        self.read_only_properties.iter().filter_map(|p| p.strip_prefix("/properties/")).map(|p| p.replace('/', "."))
    }
}

/// A CloudFormation resource type: implemented by every generated L1 struct.
pub trait CfnResource: Serialize + DeserializeOwned + Clone + fmt::Debug {
    /// The CloudFormation type name, e.g. `AWS::ECR::Repository`.
    const TYPE_NAME: &'static str;
    /// Schema facts about this type.
    const FACTS: &'static ResourceFacts;
    /// Typed `Ref` / `Fn::GetAtt` accessors for a resource of this type in a template.
    type Attributes: From<LogicalId> + fmt::Debug + Clone;
}

/// A handle to a resource added to a template: its logical ID, and through `Deref` the
/// typed `Fn::GetAtt` accessors of its type (`repository.arn()`).
pub struct ResourceRef<T: CfnResource> {
    id: LogicalId,
    attributes: T::Attributes,
    kind: PhantomData<fn() -> T>,
}

impl<T: CfnResource> ResourceRef<T> {
    /// A handle to the resource `id` of type `T` (which must exist in the template it is
    /// used in; validation checks that).
    pub fn new(id: LogicalId) -> Self {
        Self { attributes: T::Attributes::from(id.clone()), id, kind: PhantomData }
    }

    /// The resource's logical ID.
    pub fn logical_id(&self) -> &LogicalId {
        &self.id
    }

    /// `Ref` to the resource: what it returns depends on the type (see the type's docs).
    pub fn ref_(&self) -> Value<String> {
        Intrinsic::reference(self.id.as_str()).into()
    }

    /// `Fn::GetAtt` of any attribute, for attributes newer than the vendored schema.
    pub fn get_att(&self, attribute: &str) -> Value<String> {
        Intrinsic::get_att(self.id.as_str(), attribute).into()
    }
}

impl<T: CfnResource> Deref for ResourceRef<T> {
    type Target = T::Attributes;
    fn deref(&self) -> &T::Attributes {
        &self.attributes
    }
}

impl<T: CfnResource> Clone for ResourceRef<T> {
    fn clone(&self) -> Self {
        Self::new(self.id.clone())
    }
}

impl<T: CfnResource> fmt::Debug for ResourceRef<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResourceRef<{}>({})", T::TYPE_NAME, self.id)
    }
}

/// One resource of a template: its type, properties and attributes.
///
/// Properties are held in their JSON form: typed L1 structs are serialized into it when
/// added, and templates written by other tools parse into it without loss.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The CloudFormation type name.
    pub type_name: String,
    /// The properties, by name.
    pub properties: BTreeMap<String, Json>,
    /// Resources created before this one, besides those it references.
    pub depends_on: BTreeSet<LogicalId>,
    /// The condition that decides whether the resource is created.
    pub condition: Option<LogicalId>,
    /// `DeletionPolicy`.
    pub deletion_policy: Option<PolicyValue<DeletionPolicy>>,
    /// `UpdateReplacePolicy`.
    pub update_replace_policy: Option<PolicyValue<UpdateReplacePolicy>>,
    /// `Metadata` (e.g. checkov suppressions with their reasons).
    pub metadata: BTreeMap<String, Json>,
    /// Other attributes (`CreationPolicy`, `UpdatePolicy`…), kept as written.
    pub other_attributes: BTreeMap<String, Json>,
}

impl Resource {
    /// A resource of type `T` with these properties.
    pub fn new<T: CfnResource>(properties: &T) -> Self {
        let properties = match crate::value::to_json(properties) {
            Json::Object(map) => map.into_iter().collect(),
            _ => BTreeMap::new(),
        };
        Self::raw(T::TYPE_NAME, properties)
    }

    /// A resource of any type, with properties given as JSON: for types this crate has no
    /// struct for.
    pub fn raw(type_name: impl Into<String>, properties: BTreeMap<String, Json>) -> Self {
        Self {
            type_name: type_name.into(),
            properties,
            depends_on: BTreeSet::new(),
            condition: None,
            deletion_policy: None,
            update_replace_policy: None,
            metadata: BTreeMap::new(),
            other_attributes: BTreeMap::new(),
        }
    }

    /// Reads the properties back as the typed struct `T`.
    pub fn properties_as<T: CfnResource>(&self) -> Result<T, serde_json::Error> {
        let object: serde_json::Map<String, Json> =
            self.properties.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        serde_json::from_value(Json::Object(object))
    }

    /// Sets (or, with `Json::Null`, removes) a property at a `/`-separated path, creating
    /// objects on the way: the escape hatch for settings the typed layers do not model.
    ///
    /// A path through something that is not an object (a list, a string, an intrinsic
    /// function) is an error naming where it stops, rather than overwriting that value.
    ///
    /// ```
    /// # use stackwright_template::Resource;
    /// let mut r = Resource::raw("AWS::ECS::Service", Default::default());
    /// r.set_property("DeploymentConfiguration/MaximumPercent", 150.into()).unwrap();
    /// assert_eq!(r.properties["DeploymentConfiguration"]["MaximumPercent"], 150);
    /// ```
    pub fn set_property(&mut self, path: &str, value: Json) -> Result<(), Error> {
        let keys: Vec<&str> = path.split('/').filter(|k| !k.is_empty()).collect();
        let Some((first, rest)) = keys.split_first() else {
            return Err(Error::PropertyPath { path: path.to_owned(), reason: "the path is empty".into() });
        };
        if rest.is_empty() {
            if value.is_null() {
                self.properties.remove(*first);
            } else {
                self.properties.insert((*first).to_owned(), value);
            }
            return Ok(());
        }
        let node = self.properties.entry((*first).to_owned()).or_insert_with(empty_object);
        set_in(node, &keys, 1, value, path)
    }
}

fn empty_object() -> Json {
    Json::Object(serde_json::Map::new())
}

/// Sets `keys[depth..]` below `node`, which sits at `keys[..depth]`.
fn set_in(node: &mut Json, keys: &[&str], depth: usize, value: Json, path: &str) -> Result<(), Error> {
    let above = || keys.iter().take(depth).copied().collect::<Vec<_>>().join("/");
    let Json::Object(object) = node else {
        let found = match node {
            Json::Array(_) => "a list",
            Json::String(_) => "a string",
            Json::Number(_) => "a number",
            Json::Bool(_) => "a boolean",
            _ => "null",
        };
        return Err(Error::PropertyPath {
            path: path.to_owned(),
            reason: format!("{} is {found}, not an object", above()),
        });
    };
    if object.len() == 1 && object.keys().all(|k| k == "Ref" || k.starts_with("Fn::")) {
        return Err(Error::PropertyPath {
            path: path.to_owned(),
            reason: format!("{} is an intrinsic function, not an object", above()),
        });
    }
    let Some(&key) = keys.get(depth) else {
        return Err(Error::PropertyPath { path: path.to_owned(), reason: "it names no property".to_owned() });
    };
    if depth + 1 == keys.len() {
        if value.is_null() {
            object.remove(key);
        } else {
            object.insert(key.to_owned(), value);
        }
        return Ok(());
    }
    set_in(object.entry(key.to_owned()).or_insert_with(empty_object), keys, depth + 1, value, path)
}
