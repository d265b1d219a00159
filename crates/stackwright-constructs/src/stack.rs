//! [`Stack`]: the template constructs add their resources to, and the policies they grow.

use std::collections::BTreeMap;

use stackwright_template::{
    CfnResource, Condition, ConditionRef, Json, LogicalId, Output, ParamRef, Parameter, Placement, ResourceOptions,
    ResourceRef, StackName, Template, Unfinished,
};

use crate::error::{Checks, Error, Violation};
use crate::iam::{PolicyDocument, Statement};
use crate::path::ConstructPath;

/// Where a policy document that grants add to ends up in the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PolicySlot {
    /// A property holding the document itself (`KeyPolicy`, `PolicyDocument`).
    Property(&'static str),
    /// An IAM role's `Policies`: one inline policy of this name, left out while empty.
    RoleInline(&'static str),
}

#[derive(Debug, Clone)]
struct DeferredPolicy {
    owner: ConstructPath,
    slot: PolicySlot,
    document: PolicyDocument,
}

/// A step run when the stack is finished, on the template every construct has added to: what
/// depends on the whole template (a release names every parameter of the stack) is written then.
type FinishStep = Box<dyn FnOnce(&mut Template) -> Result<(), Error>>;

/// The steps [`Stack::finish`] runs, in the order they were registered.
#[derive(Default)]
struct FinishSteps(Vec<FinishStep>);

impl std::fmt::Debug for FinishSteps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FinishSteps({})", self.0.len())
    }
}

/// A stack under construction: constructs add resources to its template, grants add
/// statements to policies that are written when the stack is finished — so a grant made after
/// a role or key was created still lands in its policy — and constructs record the rules
/// their props break, reported together when it is finished.
///
/// Only [`Stack::finish`] makes the [`stackwright_template::Stack`] an app takes. Neither the
/// stack itself nor a copy of its template can be added unfinished; the old two-argument form
/// does not compile:
///
/// ```compile_fail,E0061
/// # use stackwright_constructs::Stack;
/// # use stackwright_template::App;
/// let stack = Stack::new("shop").unwrap();
/// let mut app = App::new();
/// app.add_stack(stack.name().clone(), stack.template().clone()).unwrap();
/// ```
///
/// and neither does handing over the unfinished stack:
///
/// ```compile_fail,E0308
/// # use stackwright_constructs::Stack;
/// # use stackwright_template::App;
/// let stack = Stack::new("shop").unwrap();
/// App::new().add_stack(stack).unwrap();
/// ```
///
/// A clone of its template is refused at run time
/// ([`stackwright_template::Error::UnfinishedTemplate`]); what compiles and works is:
///
/// ```
/// # use stackwright_constructs::Stack;
/// # use stackwright_template::App;
/// let stack = Stack::new("shop")?;
/// let mut app = App::new();
/// app.add_stack(stack.finish()?)?;
/// # Ok::<(), stackwright_constructs::Error>(())
/// ```
#[derive(Debug)]
pub struct Stack {
    name: StackName,
    template: Template,
    /// The proof `finish` hands back with the template: only it makes the template a stack.
    token: Unfinished,
    policies: BTreeMap<LogicalId, DeferredPolicy>,
    violations: Vec<Violation>,
    finish_steps: FinishSteps,
    placement: Option<Placement>,
    /// Stacks this one is deployed after, beyond those its imports name: stack -> why.
    dependencies: BTreeMap<StackName, String>,
}

impl Stack {
    /// An empty stack; `name` must be a valid CloudFormation stack name.
    pub fn new(name: &str) -> Result<Self, Error> {
        let name = StackName::new(name)?;
        let (template, token) = Template::unfinished();
        Ok(Self {
            name,
            template,
            token,
            policies: BTreeMap::new(),
            violations: Vec::new(),
            finish_steps: FinishSteps::default(),
            placement: None,
            dependencies: BTreeMap::new(),
        })
    }

    /// Places the stack in an environment, account and region: recorded in `manifest.json`,
    /// and imports are checked to stay inside one account and region. **Default:** none.
    #[must_use]
    pub fn with_placement(mut self, placement: Placement) -> Self {
        self.placement = Some(placement);
        self
    }

    /// Where the stack is deployed, if placed.
    pub fn placement(&self) -> Option<&Placement> {
        self.placement.as_ref()
    }

    /// Deploys this stack after stack `on`, for a reason CloudFormation does not see (`why`,
    /// e.g. the SSM parameter it reads). Imports need no declaration.
    pub fn depend_on(&mut self, on: StackName, why: impl Into<String>) {
        self.dependencies.entry(on).or_insert_with(|| why.into());
    }

    /// Sets the template's description.
    #[must_use]
    pub fn with_description(mut self, text: impl Into<String>) -> Self {
        self.template.description = Some(text.into());
        self
    }

    /// The stack's name.
    pub fn name(&self) -> &StackName {
        &self.name
    }

    /// Adds the L1 resource named by `path` (its logical ID is the path's segments joined).
    pub fn add<T: CfnResource>(&mut self, path: &ConstructPath, properties: T) -> Result<ResourceRef<T>, Error> {
        self.add_with(path, properties, ResourceOptions::new())
    }

    /// Adds the L1 resource named by `path` with resource attributes.
    pub fn add_with<T: CfnResource>(
        &mut self,
        path: &ConstructPath,
        properties: T,
        options: ResourceOptions,
    ) -> Result<ResourceRef<T>, Error> {
        let id = path.logical_id()?;
        Ok(self.template.add_with(id, properties, options.owner(path.to_string()))?)
    }

    /// Adds a parameter.
    pub fn add_parameter<T>(&mut self, id: &str, parameter: Parameter<T>) -> Result<ParamRef<T>, Error> {
        Ok(self.template.add_parameter(LogicalId::new(id)?, parameter)?)
    }

    /// Adds a condition.
    pub fn add_condition(&mut self, id: &str, condition: Condition) -> Result<ConditionRef, Error> {
        Ok(self.template.add_condition(LogicalId::new(id)?, condition)?)
    }

    /// Adds an output.
    pub fn add_output(&mut self, id: &str, output: Output) -> Result<(), Error> {
        Ok(self.template.add_output(LogicalId::new(id)?, output)?)
    }

    /// The template so far, to read. It lacks the policies [`Stack::finish`] writes, and a
    /// copy of it is refused by [`stackwright_template::Stack::from_template`].
    pub fn template(&self) -> &Template {
        &self.template
    }

    /// The template itself: the last escape hatch, for anything the constructs do not model.
    pub fn template_mut(&mut self) -> &mut Template {
        &mut self.template
    }

    /// Records the rules `checks` found broken, reported with every other construct's when
    /// the stack is finished; returns whether there were none. A construct whose props
    /// break a rule still adds its resources and returns its handle, so the constructs built
    /// after it (and their mistakes) are reached in the same run.
    pub fn record(&mut self, checks: Checks) -> bool {
        let ok = checks.is_ok();
        self.violations.extend(checks.into_violations());
        ok
    }

    /// Records `checks` and returns the error to stop with, for a failure that makes going
    /// on meaningless (a block that cannot be split, a grant with no policy to land in): every
    /// rule broken on this stack so far, this one included, sorted.
    pub fn stop(&mut self, checks: Checks) -> Error {
        self.record(checks);
        Error::Invalid(sorted(self.violations.clone()))
    }

    /// The rules broken so far, in the order they were recorded.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The typed escape hatch: reads a resource's properties back as its L1 struct, lets
    /// `edit` change any of them, and writes them back.
    ///
    /// ```
    /// # use stackwright_constructs::{ConstructPath, Stack};
    /// # use stackwright_cfn::ecs;
    /// let mut stack = Stack::new("demo").unwrap();
    /// let cluster = stack.add(&ConstructPath::root("Cluster"), ecs::Cluster::new()).unwrap();
    /// stack.override_resource(&cluster, |c| c.cluster_name("shared")).unwrap();
    /// ```
    pub fn override_resource<T: CfnResource>(
        &mut self,
        resource: &ResourceRef<T>,
        edit: impl FnOnce(T) -> T,
    ) -> Result<(), Error> {
        let id = resource.logical_id();
        let owner = self.template.owner_of("Resources", id).unwrap_or(id.as_str()).to_owned();
        let mut checks = Checks::new(&owner);
        let Some(entry) = self.template.resource_mut(id) else {
            checks.fail("escape-hatch/unknown-resource", format!("no resource {id} in this stack"));
            return Err(self.stop(checks));
        };
        match entry.properties_as::<T>() {
            Ok(properties) => {
                let edited = stackwright_template::Resource::new(&edit(properties));
                entry.properties = edited.properties;
                Ok(())
            }
            Err(e) => {
                checks.fail("escape-hatch/typed-read", format!("cannot read it as {}: {e}", T::TYPE_NAME));
                Err(self.stop(checks))
            }
        }
    }

    /// Makes resource `id` wait for `on` (`DependsOn`), for a dependency found after `id` was
    /// added.
    pub(crate) fn add_dependency(&mut self, id: &LogicalId, on: LogicalId) {
        if let Some(resource) = self.template.resource_mut(id) {
            resource.depends_on.insert(on);
        }
    }

    /// Registers the policy document of resource `id`, written into `slot` when the stack is
    /// finished. Statements added later with [`Stack::add_statement`] join `initial`.
    pub(crate) fn register_policy(
        &mut self,
        owner: &ConstructPath,
        id: LogicalId,
        slot: PolicySlot,
        initial: PolicyDocument,
    ) {
        self.policies.insert(id, DeferredPolicy { owner: owner.clone(), slot, document: initial });
    }

    /// Adds a statement to the registered policy of resource `id`.
    pub(crate) fn add_statement(&mut self, id: &LogicalId, statement: Statement) -> Result<(), Error> {
        if let Some(policy) = self.policies.get_mut(id) {
            policy.document.add(statement);
            return Ok(());
        }
        let mut checks = Checks::new(id);
        checks.fail("iam/no-policy", format!("resource {id} has no policy that grants can extend"));
        Err(self.stop(checks))
    }

    /// Runs `step` on the template when the stack is finished, before the policies are written:
    /// for properties that depend on everything added to the stack, such as a release's list of
    /// the stack's parameters. A step's broken rules join the stack's.
    pub(crate) fn at_finish(&mut self, step: impl FnOnce(&mut Template) -> Result<(), Error> + 'static) {
        self.finish_steps.0.push(Box::new(step));
    }

    /// Runs the finish steps, writes every policy and returns the finished stack — or, when
    /// any construct broke a rule, every broken rule of the whole stack, each with its
    /// construct path, sorted (the first [`crate::error::MAX_LISTED`] printed, the rest
    /// counted).
    pub fn finish(mut self) -> Result<stackwright_template::Stack, Error> {
        for step in std::mem::take(&mut self.finish_steps.0) {
            match step(&mut self.template) {
                Ok(()) => {}
                Err(Error::Invalid(found)) => self.violations.extend(found),
                Err(other) => return Err(other),
            }
        }
        for (id, policy) in std::mem::take(&mut self.policies) {
            let Some(resource) = self.template.resource_mut(&id) else { continue };
            match policy.slot {
                PolicySlot::Property(property) if policy.document.is_empty() => {
                    let mut checks = Checks::new(&policy.owner);
                    checks.fail("iam/empty-policy", format!("{property} has no statement"));
                    self.record(checks);
                }
                PolicySlot::Property(property) => resource.set_property(property, policy.document.into_json())?,
                PolicySlot::RoleInline(name) if !policy.document.is_empty() => {
                    // Built in place: `json!` would serialize the document into a copy first.
                    let mut inline = serde_json::Map::new();
                    inline.insert("PolicyName".to_owned(), Json::from(name));
                    inline.insert("PolicyDocument".to_owned(), policy.document.into_json());
                    resource.set_property("Policies", Json::Array(vec![Json::Object(inline)]))?;
                }
                PolicySlot::RoleInline(_) => {}
            }
        }
        if !self.violations.is_empty() {
            return Err(Error::Invalid(sorted(self.violations)));
        }
        let mut done = stackwright_template::Stack::finished(self.name, self.template, self.token);
        if let Some(placement) = self.placement {
            done = done.with_placement(placement);
        }
        Ok(self.dependencies.into_iter().fold(done, |stack, (on, why)| stack.with_dependency(on, why)))
    }

    /// Finishes every stack into one app, reporting the rules broken in all of them together:
    /// each violation's path starts with its stack's name, as in CDK (`seed-efs/Media/Service`),
    /// since two stacks may hold constructs of the same path.
    ///
    /// ```
    /// # use stackwright_constructs::Stack;
    /// let app = Stack::finish_all([Stack::new("api")?, Stack::new("web")?])?;
    /// assert_eq!(app.finished_stacks().len(), 2);
    /// # Ok::<(), stackwright_constructs::Error>(())
    /// ```
    pub fn finish_all(stacks: impl IntoIterator<Item = Self>) -> Result<stackwright_template::App, Error> {
        let mut app = stackwright_template::App::new();
        let mut violations = Vec::new();
        for stack in stacks {
            let name = stack.name.clone();
            match stack.finish() {
                Ok(done) => app.add_stack(done)?,
                Err(Error::Invalid(found)) => {
                    let in_stack = |v: Violation| Violation { path: format!("{name}/{}", v.path), ..v };
                    violations.extend(found.into_iter().map(in_stack));
                }
                Err(other) => return Err(other),
            }
        }
        if violations.is_empty() { Ok(app) } else { Err(Error::Invalid(sorted(violations))) }
    }
}

/// Sorted by path, rule and message, each once: a check shared by two constructs' props (or
/// recorded again by [`Stack::stop`] and then [`Stack::finish`]) is listed once.
fn sorted(mut violations: Vec<Violation>) -> Vec<Violation> {
    violations.sort();
    violations.dedup();
    violations
}

#[cfg(test)]
mod tests {
    use super::*;
    use stackwright_cfn::{ecr, ecs};
    use stackwright_template::ResourceRef;

    #[test]
    fn the_typed_escape_hatch_edits_a_property() {
        let mut stack = Stack::new("t").unwrap();
        let cluster = stack.add(&ConstructPath::root("Cluster"), ecs::Cluster::new()).unwrap();
        stack.override_resource(&cluster, |c| c.cluster_name("shared")).unwrap();
        let done = stack.finish().unwrap();
        assert_eq!(done.template().resources()[cluster.logical_id()].properties["ClusterName"], "shared");
    }

    #[test]
    fn the_escape_hatch_names_what_it_cannot_edit() {
        let mut stack = Stack::new("t").unwrap();
        let missing: ResourceRef<ecs::Cluster> = ResourceRef::new(LogicalId::new("Nope").unwrap());
        let err = stack.override_resource(&missing, |c| c).unwrap_err();
        assert_eq!(err.to_string(), "Nope: no resource Nope in this stack [escape-hatch/unknown-resource]");

        let repo = stack.add(&ConstructPath::root("Web").child("Repo"), ecr::Repository::new()).unwrap();
        let raw = stack.template_mut().resource_mut(repo.logical_id()).unwrap();
        raw.set_property("RepositoryName", serde_json::json!(5)).unwrap();
        let err = stack.override_resource(&repo, |r| r).unwrap_err().to_string();
        // A stop reports every rule broken on the stack so far, the earlier one included.
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 2, "{err}");
        assert_eq!(lines[0], "Nope: no resource Nope in this stack [escape-hatch/unknown-resource]");
        assert!(lines[1].starts_with("Web/Repo: cannot read it as AWS::ECR::Repository: "), "{err}");
        assert!(lines[1].ends_with("[escape-hatch/typed-read]"), "{err}");
    }

    #[test]
    fn a_copy_of_the_unfinished_template_cannot_become_a_stack() {
        let mut stack = Stack::new("shop").unwrap();
        let copy = stackwright_template::Stack::from_template(stack.name().clone(), stack.template().clone());
        let err = copy.unwrap_err().to_string();
        assert!(err.starts_with("stack \"shop\": its template is unfinished"), "{err}");
        assert!(err.ends_with("add `stack.finish()?` to the app instead"), "{err}");
        let taken = std::mem::take(stack.template_mut());
        assert!(stackwright_template::Stack::from_template(stack.name().clone(), taken).is_err());
    }

    #[test]
    fn recorded_violations_are_reported_together_sorted_once_by_finish() {
        let mut stack = Stack::new("t").unwrap();
        let mut second = Checks::new(&"Web/Service");
        second.fail("b-rule", "second");
        assert!(!stack.record(second));
        assert!(stack.record(Checks::new(&"Clean")));
        let mut first = Checks::new(&"Api");
        first.fail("a-rule", "first");
        let stopped = stack.stop(first);
        assert_eq!(stopped.to_string(), "Api: first [a-rule]\nWeb/Service: second [b-rule]");
        assert_eq!(stack.violations().len(), 2);
        // A stopped stack that is finished anyway lists each violation once.
        assert_eq!(stack.finish().unwrap_err(), stopped);
    }

    #[test]
    fn finish_steps_see_what_was_added_after_them() {
        let mut stack = Stack::new("t").unwrap();
        let cluster = stack.add(&ConstructPath::root("Cluster"), ecs::Cluster::new()).unwrap();
        let id = cluster.logical_id().clone();
        stack.at_finish(move |template| {
            let names: Vec<String> = template.parameters().keys().map(|k| k.as_str().to_owned()).collect();
            let resource = template.resource_mut(&id).expect("the cluster");
            Ok(resource.set_property("ClusterName", serde_json::json!(names.join("-")))?)
        });
        stack.add_parameter("Late", stackwright_template::Parameter::string()).unwrap();
        let done = stack.finish().unwrap();
        assert_eq!(done.template().resources()[cluster.logical_id()].properties["ClusterName"], "Late");
    }

    #[test]
    fn a_resource_policy_without_statements_is_an_error() {
        let mut stack = Stack::new("t").unwrap();
        let path = ConstructPath::root("Topic");
        let topic = stack.add(&path, stackwright_cfn::sns::Topic::new()).unwrap();
        stack.register_policy(
            &path,
            topic.logical_id().clone(),
            PolicySlot::Property("PolicyDocument"),
            PolicyDocument::new(),
        );
        let err = stack.finish().unwrap_err();
        assert_eq!(err.to_string(), "Topic: PolicyDocument has no statement [iam/empty-policy]");
    }
}
