//! [`Template`]: a synthesized (or any) template, loaded for assertions.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value as Json;
use stackwright_template::read::{self, Format};
use stackwright_template::{App, Stack};

use crate::error::{AssertionError, LoadError, or_panic};
use crate::matcher::{Match, Matcher};
use crate::report::{self, Candidate, Section};

/// A template under test, as CDK's `Template.fromStack(stack)`: its JSON, exactly as `synth`
/// writes it (or as the file says), queried and asserted on.
///
/// Every `has_*` assertion panics with a message naming the closest candidate and marking
/// where it differs; its `try_` form returns that message as an [`AssertionError`] instead.
/// The `find_*` queries never fail.
///
/// ```
/// use serde_json::json;
/// use stackwright_testing::{Match, Template, pattern};
///
/// let template = Template::from_json(json!({"Resources": {
///     "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {"Ref": "Key"}}},
///     "Key": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": true}}}}))?;
/// template.resource_count_is("AWS::SNS::Topic", 1);
/// template.has_resource_properties("AWS::SNS::Topic", pattern!({"KmsMasterKeyId": Match::any_value()}));
/// let error = template.try_has_resource_properties("AWS::KMS::Key", json!({"EnableKeyRotation": false}));
/// assert!(error.unwrap_err().message().contains("/Properties/EnableKeyRotation: expected false, found true"));
/// # Ok::<(), stackwright_testing::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    json: Json,
}

impl Template {
    /// A finished stack's template (`stack.finish()?` of the construct layer, or
    /// `Stack::from_template`).
    pub fn from_stack(stack: &Stack) -> Self {
        Self::from_template(stack.template())
    }

    /// A template built with the template model.
    pub fn from_template(template: &stackwright_template::Template) -> Self {
        Self { json: template.to_json() }
    }

    /// One stack of an app, by name.
    ///
    /// # Panics
    ///
    /// When the app has no such stack (the message lists its stacks).
    #[track_caller]
    pub fn from_app(app: &App, stack: &str) -> Self {
        match Self::try_from_app(app, stack) {
            Ok(template) => template,
            Err(error) => panic!("{error}"),
        }
    }

    /// [`Template::from_app`], with the error returned.
    pub fn try_from_app(app: &App, stack: &str) -> Result<Self, LoadError> {
        let no_stack = || LoadError::NoStack {
            name: stack.to_owned(),
            known: app.names().into_iter().map(ToString::to_string).collect(),
        };
        let name = app.names().into_iter().find(|name| name.as_str() == stack).ok_or_else(no_stack)?;
        // A deferred stack is built here, as `synth` would build it.
        let template =
            app.build(name).map_err(|e| LoadError::Build { name: stack.to_owned(), message: e.to_string() })?;
        Ok(Self::from_template(&template))
    }

    /// A template file, JSON or YAML (short-form tags such as `!Ref` included), read by
    /// `stackwright_template::read` as `stackwright validate` reads it.
    ///
    /// # Panics
    ///
    /// When the file cannot be read or is not a template (the message says where).
    #[track_caller]
    pub fn from_file(path: impl AsRef<Path>) -> Self {
        match Self::try_from_file(path) {
            Ok(template) => template,
            Err(error) => panic!("{error}"),
        }
    }

    /// [`Template::from_file`], with the error returned.
    pub fn try_from_file(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io { path: path.to_owned(), source })?;
        let format = Format::detect(path, text.as_bytes());
        let document = read::read(&text, format).map_err(|error| LoadError::Syntax { path: path.to_owned(), error })?;
        Self::checked(document.value, path.display().to_string())
    }

    /// A template already parsed to JSON.
    pub fn from_json(json: Json) -> Result<Self, LoadError> {
        Self::checked(json, "JSON".to_owned())
    }

    /// Keeps the document as written, once the template model accepts it.
    fn checked(json: Json, source: String) -> Result<Self, LoadError> {
        stackwright_template::Template::from_json(&json)
            .map_err(|error| LoadError::NotATemplate { source, message: error.to_string() })?;
        Ok(Self { json })
    }

    /// The whole template.
    pub fn to_json(&self) -> &Json {
        &self.json
    }

    fn section(&self, name: &str) -> impl Iterator<Item = (&String, &Json)> {
        self.json.get(name).and_then(Json::as_object).into_iter().flatten()
    }

    /// The resources of `type_name`, by logical ID.
    fn of_type<'a>(&'a self, type_name: &'a str) -> impl Iterator<Item = (&'a String, &'a Json)> {
        self.section("Resources").filter(move |(_, r)| r.get("Type").and_then(Json::as_str) == Some(type_name))
    }

    // ---- resources ----

    /// Exactly `count` resources of `type_name`.
    ///
    /// # Panics
    ///
    /// When there are more or fewer (the message names those there are).
    #[track_caller]
    pub fn resource_count_is(&self, type_name: &str, count: usize) {
        or_panic(self.try_resource_count_is(type_name, count));
    }

    /// [`Template::resource_count_is`], with the message returned.
    pub fn try_resource_count_is(&self, type_name: &str, count: usize) -> Result<(), AssertionError> {
        let ids: Vec<&str> = self.of_type(type_name).map(|(id, _)| id.as_str()).collect();
        report::count(&format!("{type_name} resource"), &ids, count, None)
    }

    /// Exactly `count` resources of `type_name` whose properties match `properties`
    /// (object-like, as in [`Template::has_resource_properties`]).
    ///
    /// # Panics
    ///
    /// When more or fewer match.
    #[track_caller]
    pub fn resource_properties_count_is(&self, type_name: &str, properties: impl Into<Matcher>, count: usize) {
        or_panic(self.try_resource_properties_count_is(type_name, properties, count));
    }

    /// [`Template::resource_properties_count_is`], with the message returned.
    pub fn try_resource_properties_count_is(
        &self,
        type_name: &str,
        properties: impl Into<Matcher>,
        count: usize,
    ) -> Result<(), AssertionError> {
        let pattern = properties_pattern(properties.into());
        let all: Vec<(&String, Json)> = self.of_type(type_name).map(|(id, r)| (id, with_properties(r))).collect();
        let matching: Vec<&str> = all.iter().filter(|(_, r)| pattern.matches(r)).map(|(id, _)| id.as_str()).collect();
        report::count(&format!("{type_name} resource"), &matching, count, Some(all.len()))
    }

    /// At least one resource of `type_name` whose whole definition (`Properties`,
    /// `DependsOn`, `DeletionPolicy`, `Metadata`…) matches `pattern`, object-like.
    ///
    /// # Panics
    ///
    /// When none does: the message shows the closest one with its differences marked.
    #[track_caller]
    pub fn has_resource(&self, type_name: &str, pattern: impl Into<Matcher>) {
        or_panic(self.try_has_resource(type_name, pattern));
    }

    /// [`Template::has_resource`], with the message returned.
    pub fn try_has_resource(&self, type_name: &str, pattern: impl Into<Matcher>) -> Result<(), AssertionError> {
        let candidates = self.of_type(type_name).map(|(id, r)| (id.as_str(), r.clone()));
        self.assert_any(&Section::Resources(type_name), candidates, &Match::object_like(pattern))
    }

    /// At least one resource of `type_name` whose `Properties` match `properties`,
    /// object-like (a resource without `Properties` has `{}`).
    ///
    /// # Panics
    ///
    /// When none does: the message shows the closest one with its differences marked.
    #[track_caller]
    pub fn has_resource_properties(&self, type_name: &str, properties: impl Into<Matcher>) {
        or_panic(self.try_has_resource_properties(type_name, properties));
    }

    /// [`Template::has_resource_properties`], with the message returned.
    pub fn try_has_resource_properties(
        &self,
        type_name: &str,
        properties: impl Into<Matcher>,
    ) -> Result<(), AssertionError> {
        let candidates = self.of_type(type_name).map(|(id, r)| (id.as_str(), with_properties(r)));
        self.assert_any(&Section::Resources(type_name), candidates, &properties_pattern(properties.into()))
    }

    /// The resources of `type_name` whose definitions match `pattern` (object-like; `json!({})`
    /// for all of them), by logical ID. Captures in the pattern record every match.
    pub fn find_resources(&self, type_name: &str, pattern: impl Into<Matcher>) -> BTreeMap<String, Json> {
        let matcher = Match::object_like(pattern);
        find(self.of_type(type_name), &matcher)
    }

    // ---- outputs, parameters, mappings, conditions ----

    /// An output named `id` (`"*"`: any output) that matches `pattern`, object-like
    /// (`Value`, `Export`, `Description`, `Condition`).
    ///
    /// # Panics
    ///
    /// When none does: the message shows the closest one with its differences marked.
    #[track_caller]
    pub fn has_output(&self, id: &str, pattern: impl Into<Matcher>) {
        or_panic(self.try_has_output(id, pattern));
    }

    /// [`Template::has_output`], with the message returned.
    pub fn try_has_output(&self, id: &str, pattern: impl Into<Matcher>) -> Result<(), AssertionError> {
        self.assert_named("Outputs", id, pattern.into())
    }

    /// The outputs named `id` (`"*"`: all) that match `pattern`, by logical ID.
    pub fn find_outputs(&self, id: &str, pattern: impl Into<Matcher>) -> BTreeMap<String, Json> {
        self.find_named("Outputs", id, pattern.into())
    }

    /// A parameter named `id` (`"*"`: any parameter) that matches `pattern`, object-like
    /// (`Type`, `Default`, `AllowedValues`…).
    ///
    /// # Panics
    ///
    /// When none does: the message shows the closest one with its differences marked.
    #[track_caller]
    pub fn has_parameter(&self, id: &str, pattern: impl Into<Matcher>) {
        or_panic(self.try_has_parameter(id, pattern));
    }

    /// [`Template::has_parameter`], with the message returned.
    pub fn try_has_parameter(&self, id: &str, pattern: impl Into<Matcher>) -> Result<(), AssertionError> {
        self.assert_named("Parameters", id, pattern.into())
    }

    /// The parameters named `id` (`"*"`: all) that match `pattern`, by logical ID.
    pub fn find_parameters(&self, id: &str, pattern: impl Into<Matcher>) -> BTreeMap<String, Json> {
        self.find_named("Parameters", id, pattern.into())
    }

    /// A mapping named `id` (`"*"`: any mapping) that matches `pattern`, object-like
    /// (`{"us-east-1": {"Ami": "ami-…"}}`).
    ///
    /// # Panics
    ///
    /// When none does: the message shows the closest one with its differences marked.
    #[track_caller]
    pub fn has_mapping(&self, id: &str, pattern: impl Into<Matcher>) {
        or_panic(self.try_has_mapping(id, pattern));
    }

    /// [`Template::has_mapping`], with the message returned.
    pub fn try_has_mapping(&self, id: &str, pattern: impl Into<Matcher>) -> Result<(), AssertionError> {
        self.assert_named("Mappings", id, pattern.into())
    }

    /// The mappings named `id` (`"*"`: all) that match `pattern`, by logical ID.
    pub fn find_mappings(&self, id: &str, pattern: impl Into<Matcher>) -> BTreeMap<String, Json> {
        self.find_named("Mappings", id, pattern.into())
    }

    /// A condition named `id` (`"*"`: any condition) whose function matches `pattern`
    /// (`{"Fn::Equals": [...]}`), object-like.
    ///
    /// # Panics
    ///
    /// When none does: the message shows the closest one with its differences marked.
    #[track_caller]
    pub fn has_condition(&self, id: &str, pattern: impl Into<Matcher>) {
        or_panic(self.try_has_condition(id, pattern));
    }

    /// [`Template::has_condition`], with the message returned.
    pub fn try_has_condition(&self, id: &str, pattern: impl Into<Matcher>) -> Result<(), AssertionError> {
        self.assert_named("Conditions", id, pattern.into())
    }

    /// The conditions named `id` (`"*"`: all) that match `pattern`, by logical ID.
    pub fn find_conditions(&self, id: &str, pattern: impl Into<Matcher>) -> BTreeMap<String, Json> {
        self.find_named("Conditions", id, pattern.into())
    }

    fn named<'a>(&'a self, section: &'a str, id: &'a str) -> impl Iterator<Item = (&'a String, &'a Json)> {
        self.section(section).filter(move |(name, _)| id == "*" || name.as_str() == id)
    }

    fn assert_named(&self, section: &str, id: &str, pattern: Matcher) -> Result<(), AssertionError> {
        let candidates = self.named(section, id).map(|(name, value)| (name.as_str(), value.clone()));
        self.assert_any(&Section::Named(section, id), candidates, &Match::object_like(pattern))
    }

    fn find_named(&self, section: &str, id: &str, pattern: Matcher) -> BTreeMap<String, Json> {
        find(self.named(section, id), &Match::object_like(pattern))
    }

    /// Passes when at least one candidate matches; records the captures of every one that does.
    fn assert_any<'a>(
        &self,
        section: &Section<'_>,
        candidates: impl Iterator<Item = (&'a str, Json)>,
        pattern: &Matcher,
    ) -> Result<(), AssertionError> {
        let tested: Vec<Candidate<'a>> =
            candidates.map(|(id, value)| Candidate { outcome: pattern.test(&value), id, value }).collect();
        if tested.iter().any(|c| c.outcome.is_success()) {
            for candidate in tested.into_iter().filter(|c| c.outcome.is_success()) {
                candidate.outcome.commit();
            }
            return Ok(());
        }
        Err(report::no_match(section, &self.json, tested, pattern))
    }
}

/// `{"Properties": object_like(properties)}`, the pattern of a resource's properties.
fn properties_pattern(properties: Matcher) -> Matcher {
    Matcher::object([("Properties", Match::object_like(properties))])
}

/// The resource, with `"Properties": {}` when it has none (a pattern of absent keys holds).
fn with_properties(resource: &Json) -> Json {
    let mut resource = resource.clone();
    if let Json::Object(map) = &mut resource {
        map.entry("Properties").or_insert_with(|| Json::Object(serde_json::Map::new()));
    }
    resource
}

fn find<'a>(candidates: impl Iterator<Item = (&'a String, &'a Json)>, pattern: &Matcher) -> BTreeMap<String, Json> {
    let mut found = BTreeMap::new();
    for (id, value) in candidates {
        let outcome = pattern.test(value);
        if outcome.is_success() {
            outcome.commit();
            found.insert(id.clone(), value.clone());
        }
    }
    found
}
