//! [`Template`]: the sections of a CloudFormation template, keyed by logical ID.

use std::collections::BTreeMap;

use crate::error::Error;
use crate::intrinsic::Intrinsic;
use crate::logical_id::LogicalId;
use crate::policy::{DeletionPolicy, PolicyValue, RemovalPolicy, UpdateReplacePolicy};
use crate::resource::{CfnResource, Resource, ResourceRef};
use crate::value::{Json, Value, to_json};

/// The only template format version CloudFormation has.
pub const FORMAT_VERSION: &str = "2010-09-09";

mod parameter;
pub use parameter::{ParamRef, Parameter, ParameterType, ScalarParameter};

/// A CloudFormation template.
///
/// Sections are sorted maps, so the rendered template does not depend on the order things
/// were added in. Adding a logical ID twice is an error naming both owners.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Template {
    /// `AWSTemplateFormatVersion`; `None` only for parsed templates that omit it.
    pub format_version: Option<String>,
    /// `Description`.
    pub description: Option<String>,
    /// Template-level `Metadata`.
    pub metadata: BTreeMap<String, Json>,
    /// `Rules` (kept as written).
    pub rules: BTreeMap<String, Json>,
    /// Top-level sections this model does not know (`Transform`, `Globals`…), kept as written.
    pub other_sections: BTreeMap<String, Json>,
    pub(crate) parameters: BTreeMap<LogicalId, Parameter>,
    pub(crate) mappings: BTreeMap<LogicalId, Mapping>,
    pub(crate) conditions: BTreeMap<LogicalId, Condition>,
    pub(crate) resources: BTreeMap<LogicalId, Resource>,
    pub(crate) outputs: BTreeMap<LogicalId, Output>,
    owners: Owners,
    /// Set while a layer above still has to write part of the template (see
    /// [`Template::unfinished`]); copied by `Clone`, so a copy taken early stays unfinished.
    pub(crate) unfinished: crate::stack::UnfinishedMark,
}

/// Who added each entry (a construct path), by section and ID, for error messages.
/// Bookkeeping, not content: two templates with the same sections are equal whoever built them.
/// By section first, so an ID is looked up as it is, not copied into a key.
#[derive(Debug, Clone, Default)]
struct Owners(BTreeMap<&'static str, BTreeMap<LogicalId, String>>);

impl PartialEq for Owners {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Attributes of a resource besides its properties, and the construct that owns it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResourceOptions {
    owner: Option<String>,
    depends_on: Vec<LogicalId>,
    condition: Option<LogicalId>,
    deletion_policy: Option<DeletionPolicy>,
    update_replace_policy: Option<UpdateReplacePolicy>,
    metadata: BTreeMap<String, Json>,
}

impl ResourceOptions {
    /// No attributes.
    pub fn new() -> Self {
        Self::default()
    }

    /// The construct path that owns the resource, named in errors.
    /// **Default:** `Resources/<logical ID>`.
    #[must_use]
    pub fn owner(mut self, path: impl Into<String>) -> Self {
        self.owner = Some(path.into());
        self
    }

    /// Creates the resource after `other`. **Default:** only implicit dependencies.
    #[must_use]
    pub fn depends_on(mut self, other: &LogicalId) -> Self {
        self.depends_on.push(other.clone());
        self
    }

    /// Creates the resource only when `condition` holds. **Default:** always.
    #[must_use]
    pub fn condition(mut self, condition: &ConditionRef) -> Self {
        self.condition = Some(condition.logical_id().clone());
        self
    }

    /// Sets both `DeletionPolicy` and `UpdateReplacePolicy` ([`RemovalPolicy`] says how).
    /// **Default:** unset (CloudFormation deletes).
    #[must_use]
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.deletion_policy = Some(policy.deletion_policy());
        self.update_replace_policy = Some(policy.update_replace_policy());
        self
    }

    /// `DeletionPolicy` alone. **Default:** unset.
    #[must_use]
    pub fn deletion_policy(mut self, policy: DeletionPolicy) -> Self {
        self.deletion_policy = Some(policy);
        self
    }

    /// `UpdateReplacePolicy` alone. **Default:** unset.
    #[must_use]
    pub fn update_replace_policy(mut self, policy: UpdateReplacePolicy) -> Self {
        self.update_replace_policy = Some(policy);
        self
    }

    /// One `Metadata` entry. **Default:** none.
    #[must_use]
    pub fn metadata(mut self, key: impl Into<String>, value: Json) -> Self {
        self.metadata.insert(key.into(), value);
        self
    }

    /// A checkov suppression, with the reason it does not apply. **Default:** none.
    #[must_use]
    pub fn checkov_skip(mut self, check_id: &str, reason: &str) -> Self {
        let entry = self.metadata.entry("checkov".to_owned()).or_insert_with(|| serde_json::json!({"skip": []}));
        if let Some(skips) = entry.get_mut("skip").and_then(Json::as_array_mut) {
            skips.push(serde_json::json!({"id": check_id, "comment": reason}));
        }
        self
    }

    fn apply(self, resource: &mut Resource) {
        resource.depends_on.extend(self.depends_on);
        resource.condition = self.condition.or(resource.condition.take());
        if let Some(policy) = self.deletion_policy {
            resource.deletion_policy = Some(PolicyValue::Literal(policy));
        }
        if let Some(policy) = self.update_replace_policy {
            resource.update_replace_policy = Some(PolicyValue::Literal(policy));
        }
        resource.metadata.extend(self.metadata);
    }
}

/// A condition expression (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`);
/// build them with [`crate::fns::equals`] and friends.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition(Json);

impl Condition {
    pub(crate) fn from_intrinsic(intrinsic: Intrinsic) -> Self {
        Self(intrinsic.into_json())
    }

    /// A condition given as JSON, e.g. read from another tool's template.
    pub fn from_json(json: Json) -> Self {
        Self(json)
    }

    /// `{"Condition": name}`: another named condition.
    pub fn reference(condition: &ConditionRef) -> Self {
        Self::from_intrinsic(Intrinsic::Condition(condition.logical_id().as_str().to_owned()))
    }

    /// The JSON form.
    pub fn to_json(&self) -> Json {
        self.0.clone()
    }

    /// The JSON form, consuming the condition.
    pub fn into_json(self) -> Json {
        self.0
    }
}

/// A handle to a named condition, for `Fn::If` and the `Condition` resource attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionRef(LogicalId);

impl ConditionRef {
    /// A handle to the condition `id`.
    pub fn new(id: LogicalId) -> Self {
        Self(id)
    }

    /// The condition's logical ID.
    pub fn logical_id(&self) -> &LogicalId {
        &self.0
    }
}

/// A mapping: two levels of keys to values.
pub type Mapping = BTreeMap<String, BTreeMap<String, Json>>;

/// A stack output, optionally exported for other stacks' `Fn::ImportValue`.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// The value.
    pub value: Json,
    /// `Description`.
    pub description: Option<String>,
    /// `Export.Name`: the name other stacks import it by.
    pub export_name: Option<Json>,
    /// The condition under which the output exists.
    pub condition: Option<LogicalId>,
}

impl Output {
    /// An output of `value`.
    pub fn new<T: serde::Serialize>(value: impl Into<Value<T>>) -> Self {
        Self { value: to_json(&value.into()), description: None, export_name: None, condition: None }
    }

    /// Sets the description. **Default:** none.
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Exports the output under `name`. **Default:** not exported.
    #[must_use]
    pub fn export(mut self, name: impl Into<Value<String>>) -> Self {
        self.export_name = Some(to_json(&name.into()));
        self
    }

    /// Creates the output only when `condition` holds. **Default:** always.
    #[must_use]
    pub fn condition(mut self, condition: &ConditionRef) -> Self {
        self.condition = Some(condition.logical_id().clone());
        self
    }
}

const RESOURCES: &str = "Resources";
const PARAMETERS: &str = "Parameters";
const CONDITIONS: &str = "Conditions";
const MAPPINGS: &str = "Mappings";
const OUTPUTS: &str = "Outputs";

impl Template {
    /// An empty template with the format version set.
    pub fn new() -> Self {
        Self { format_version: Some(FORMAT_VERSION.to_owned()), ..Self::default() }
    }

    /// Sets the description. **Default:** none.
    #[must_use]
    pub fn with_description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Claims `id` in `section` for `owner`. Resources and parameters share one namespace,
    /// because `Ref` cannot tell them apart.
    fn claim(&mut self, section: &'static str, id: &LogicalId, owner: String) -> Result<(), Error> {
        let rivals: &[&'static str] = match section {
            RESOURCES | PARAMETERS => &[RESOURCES, PARAMETERS],
            CONDITIONS => &[CONDITIONS],
            MAPPINGS => &[MAPPINGS],
            _ => &[OUTPUTS],
        };
        for rival in rivals {
            if let Some(first) = self.owners.0.get(rival).and_then(|ids| ids.get(id)) {
                return Err(Error::DuplicateLogicalId {
                    id: id.as_str().to_owned(),
                    section,
                    first_owner: first.clone(),
                    second_owner: owner,
                });
            }
        }
        self.owners.0.entry(section).or_default().insert(id.clone(), owner);
        Ok(())
    }

    /// Adds a resource of type `T`; returns its typed handle.
    pub fn add<T: CfnResource>(&mut self, id: LogicalId, properties: T) -> Result<ResourceRef<T>, Error> {
        self.add_with(id, properties, ResourceOptions::new())
    }

    /// Adds a resource of type `T` with attributes (DependsOn, DeletionPolicy…).
    #[allow(clippy::needless_pass_by_value)] // by value, so builder chains end in the call
    pub fn add_with<T: CfnResource>(
        &mut self,
        id: LogicalId,
        properties: T,
        options: ResourceOptions,
    ) -> Result<ResourceRef<T>, Error> {
        self.add_resource(id.clone(), Resource::new(&properties), options)?;
        Ok(ResourceRef::new(id))
    }

    /// Adds a resource given in its untyped form (any type, e.g. one without a struct).
    pub fn add_resource(
        &mut self,
        id: LogicalId,
        mut resource: Resource,
        options: ResourceOptions,
    ) -> Result<(), Error> {
        let owner = options.owner.clone().unwrap_or_else(|| format!("{RESOURCES}/{id}"));
        self.claim(RESOURCES, &id, owner)?;
        options.apply(&mut resource);
        self.resources.insert(id, resource);
        Ok(())
    }

    /// Adds a parameter; returns a handle whose value has the parameter's type.
    pub fn add_parameter<T>(&mut self, id: LogicalId, parameter: Parameter<T>) -> Result<ParamRef<T>, Error> {
        self.claim(PARAMETERS, &id, format!("{PARAMETERS}/{id}"))?;
        self.parameters.insert(id.clone(), parameter.erase());
        Ok(ParamRef::new(id))
    }

    /// Adds a named condition.
    pub fn add_condition(&mut self, id: LogicalId, condition: Condition) -> Result<ConditionRef, Error> {
        self.claim(CONDITIONS, &id, format!("{CONDITIONS}/{id}"))?;
        self.conditions.insert(id.clone(), condition);
        Ok(ConditionRef::new(id))
    }

    /// Adds a mapping.
    pub fn add_mapping(&mut self, id: LogicalId, mapping: Mapping) -> Result<(), Error> {
        self.claim(MAPPINGS, &id, format!("{MAPPINGS}/{id}"))?;
        self.mappings.insert(id, mapping);
        Ok(())
    }

    /// Adds an output.
    pub fn add_output(&mut self, id: LogicalId, output: Output) -> Result<(), Error> {
        self.claim(OUTPUTS, &id, format!("{OUTPUTS}/{id}"))?;
        self.outputs.insert(id, output);
        Ok(())
    }

    /// The resources, sorted by logical ID.
    pub fn resources(&self) -> &BTreeMap<LogicalId, Resource> {
        &self.resources
    }

    /// One resource, to read or change (the escape hatch below typed constructs).
    pub fn resource_mut(&mut self, id: &LogicalId) -> Option<&mut Resource> {
        self.resources.get_mut(id)
    }

    /// The parameters, sorted by logical ID.
    pub fn parameters(&self) -> &BTreeMap<LogicalId, Parameter> {
        &self.parameters
    }

    /// The named conditions.
    pub fn conditions(&self) -> &BTreeMap<LogicalId, Condition> {
        &self.conditions
    }

    /// The mappings.
    pub fn mappings(&self) -> &BTreeMap<LogicalId, Mapping> {
        &self.mappings
    }

    /// The outputs.
    pub fn outputs(&self) -> &BTreeMap<LogicalId, Output> {
        &self.outputs
    }

    /// The construct path that added a resource (or parameter, condition…), if recorded.
    pub fn owner_of(&self, section: &str, id: &LogicalId) -> Option<&str> {
        self.owners.0.get(section)?.get(id).map(String::as_str)
    }

    /// Records owners for a parsed template, whose entries were not added through `add`.
    pub(crate) fn record_parsed_owners(&mut self) {
        let entries: Vec<(&'static str, LogicalId)> = self
            .parameters
            .keys()
            .map(|id| (PARAMETERS, id.clone()))
            .chain(self.mappings.keys().map(|id| (MAPPINGS, id.clone())))
            .chain(self.conditions.keys().map(|id| (CONDITIONS, id.clone())))
            .chain(self.resources.keys().map(|id| (RESOURCES, id.clone())))
            .chain(self.outputs.keys().map(|id| (OUTPUTS, id.clone())))
            .collect();
        for (section, id) in entries {
            let owner = format!("{section}/{id}");
            self.owners.0.entry(section).or_default().insert(id, owner);
        }
    }
}

#[cfg(test)]
mod tests;
