//! Stacks and apps: named templates, the unit `synth` writes.

mod deferred;
mod order;

use std::collections::BTreeMap;
use std::fmt;

pub use deferred::BuildError;
use deferred::Deferred;
pub use order::Resolved;

use crate::deps::{Graph, Links, Placement};
use crate::error::Error;
use crate::template::Template;

/// A CloudFormation stack name: a letter, then letters, digits and hyphens; at most 128.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StackName(String);

impl StackName {
    /// Validates `name`.
    pub fn new(name: impl Into<String>) -> Result<Self, Error> {
        let name = name.into();
        let reason = if name.is_empty() {
            Some("it is empty")
        } else if name.len() > 128 {
            Some("it is longer than 128 characters")
        } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            Some("it must start with a letter")
        } else if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            Some("only ASCII letters, digits and hyphens are allowed")
        } else {
            None
        };
        match reason {
            Some(reason) => Err(Error::InvalidStackName { name, reason }),
            None => Ok(Self(name)),
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StackName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A finished stack: a name and a complete template, the only thing an [`App`] takes.
///
/// There are two ways to make one, and no public fields to assemble one from parts:
///
/// - `stackwright_constructs::Stack::finish()`, for stacks built with constructs: it writes the
///   policies that grants collected and reports every broken rule first;
/// - [`Stack::from_template`], for a template built with this crate and the L1 types alone.
///
/// A template copied out of a construct stack that is not finished yet (its `template()`
/// cloned) is refused by [`Stack::from_template`]: it lacks the policies `finish()` writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    name: StackName,
    template: Template,
    placement: Option<Placement>,
    /// Dependencies declared by the builder (stack -> why), beyond those its imports imply.
    declared: BTreeMap<StackName, String>,
}

impl Stack {
    /// A stack of a template built with the template model directly (the L1 layer).
    ///
    /// Refuses, with [`Error::UnfinishedTemplate`], a template made by [`Template::unfinished`]
    /// (or a clone of one): its builder has not written all of it yet.
    ///
    /// ```
    /// use stackwright_template::{App, Stack, StackName, Template};
    /// let stack = Stack::from_template(StackName::new("demo")?, Template::new())?;
    /// let app = App::new().with_stack(stack)?;
    /// assert_eq!(app.finished_stacks().len(), 1);
    /// # Ok::<(), stackwright_template::Error>(())
    /// ```
    pub fn from_template(name: StackName, template: Template) -> Result<Self, Error> {
        if template.unfinished.0 {
            return Err(Error::UnfinishedTemplate { stack: name.as_str().to_owned() });
        }
        Ok(Self { name, template, placement: None, declared: BTreeMap::new() })
    }

    /// The stack of a template made by [`Template::unfinished`], once its builder has written
    /// everything: `token` is the proof it got with the template.
    #[allow(clippy::needless_pass_by_value)] // taken by value so that it is used up with the template
    pub fn finished(name: StackName, mut template: Template, token: Unfinished) -> Self {
        let Unfinished(()) = token;
        template.unfinished = UnfinishedMark(false);
        Self { name, template, placement: None, declared: BTreeMap::new() }
    }

    /// Places the stack in an environment, account and region (recorded in `manifest.json`;
    /// imports resolve only between stacks of one account and region). **Default:** none.
    #[must_use]
    pub fn with_placement(mut self, placement: Placement) -> Self {
        self.placement = Some(placement);
        self
    }

    /// Declares that the stack is deployed after stack `on`, saying `why` (a value read from
    /// an SSM parameter `on` writes: CloudFormation does not see that dependency). Imports of
    /// `on`'s exports need no declaration.
    #[must_use]
    pub fn with_dependency(mut self, on: StackName, why: impl Into<String>) -> Self {
        self.declared.entry(on).or_insert_with(|| why.into());
        self
    }

    /// Where the stack is deployed, if placed.
    pub fn placement(&self) -> Option<&Placement> {
        self.placement.as_ref()
    }

    /// The stack name (also the output file name).
    pub fn name(&self) -> &StackName {
        &self.name
    }

    /// Its template.
    pub fn template(&self) -> &Template {
        &self.template
    }

    /// The template, without the name.
    pub fn into_template(self) -> Template {
        self.template
    }

    /// The name and the template.
    pub fn into_parts(self) -> (StackName, Template) {
        (self.name, self.template)
    }
}

/// The proof that goes with a template made by [`Template::unfinished`]: only
/// [`Stack::finished`], given this token, turns that template into a [`Stack`]. It is neither
/// `Clone` nor `Copy`, so whoever holds it (the construct layer's stack) is the one who
/// finishes the template.
#[derive(Debug)]
#[must_use = "without its token, an unfinished template never becomes a stack"]
pub struct Unfinished(());

/// Whether a template is still being built by a layer above (see [`Template::unfinished`]).
/// Bookkeeping, not content: it takes no part in equality and is never rendered.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct UnfinishedMark(bool);

impl PartialEq for UnfinishedMark {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Template {
    /// An empty template (format version set) for a builder that writes part of it last,
    /// as the construct layer's stack writes the policies grants collected: the template, and
    /// every clone of it, becomes a [`Stack`] only through [`Stack::finished`] with the
    /// returned token.
    pub fn unfinished() -> (Self, Unfinished) {
        let mut template = Self::new();
        template.unfinished = UnfinishedMark(true);
        (template, Unfinished(()))
    }

    /// Whether this template came from [`Template::unfinished`] and was not finished since.
    pub fn is_unfinished(&self) -> bool {
        self.unfinished.0
    }
}

/// The stacks an app synthesizes, sorted by name: finished stacks, and stacks built only when
/// `synth` reaches them ([`App::add_deferred`]); and how they depend on each other
/// ([`App::in_dependency_order`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct App {
    stacks: BTreeMap<StackName, Template>,
    deferred: BTreeMap<StackName, Deferred>,
    graph: Graph,
}

impl App {
    /// An app with no stacks.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a finished stack. Errors: a second stack of the same name; an export name another
    /// stack of the same account and region already writes; a stack that closes a dependency
    /// cycle (the error names it, the stack it depends on, and the whole cycle).
    pub fn add_stack(&mut self, stack: Stack) -> Result<(), Error> {
        if self.contains(&stack.name) {
            return Err(Error::DuplicateStackName { name: stack.name.as_str().to_owned() });
        }
        let links = Links::of(&stack.template, stack.placement, stack.declared);
        self.link(&stack.name, links)?;
        self.stacks.insert(stack.name, stack.template);
        Ok(())
    }

    /// Adds a finished stack (builder form).
    pub fn with_stack(mut self, stack: Stack) -> Result<Self, Error> {
        self.add_stack(stack)?;
        Ok(self)
    }

    /// The finished stacks only, sorted by name: a deferred stack is not among them until
    /// it is built. [`App::templates`] gives every stack; [`App::build`] one at a time;
    /// [`App::into_built`] builds them all in place.
    pub fn finished_stacks(&self) -> impl ExactSizeIterator<Item = (&StackName, &Template)> {
        self.stacks.iter()
    }

    /// One finished stack's template (`None` for a deferred stack: see [`App::build`]).
    pub fn finished_stack(&self, name: &str) -> Option<&Template> {
        self.stacks.iter().find(|(n, _)| n.as_str() == name).map(|(_, t)| t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_names_follow_cloudformation_rules() {
        assert!(StackName::new("seed-pipeline-1").is_ok());
        for (bad, why) in [
            ("", "it is empty"),
            ("1stack", "it must start with a letter"),
            ("my_stack", "only ASCII letters, digits and hyphens are allowed"),
        ] {
            assert_eq!(StackName::new(bad), Err(Error::InvalidStackName { name: bad.into(), reason: why }));
        }
        assert!(StackName::new("a".repeat(129)).is_err());
    }

    fn stack(name: &str, template: Template) -> Result<Stack, Error> {
        Stack::from_template(StackName::new(name)?, template)
    }

    #[test]
    fn duplicate_stacks_are_rejected() {
        let mut app = App::new();
        app.add_stack(stack("a", Template::new()).unwrap()).unwrap();
        let err = app.add_stack(stack("a", Template::new()).unwrap()).unwrap_err();
        assert_eq!(err.to_string(), "duplicate stack name \"a\": every stack of an app needs its own name");
    }

    #[test]
    fn an_unfinished_template_and_its_clones_are_refused() {
        let (template, token) = Template::unfinished();
        assert!(template.is_unfinished());
        let copy = template.clone();
        assert_eq!(
            stack("web", copy).unwrap_err().to_string(),
            "stack \"web\": its template is unfinished (copied out of a construct stack before `finish()`), \
             so it lacks the policies `finish()` writes: add `stack.finish()?` to the app instead"
        );
        let done = Stack::finished(StackName::new("web").unwrap(), template, token);
        assert!(!done.template().is_unfinished());
        assert_eq!(done.template(), &Template::new(), "the mark is bookkeeping, not content");
        // A finished template may be reused freely.
        assert!(stack("again", done.template().clone()).is_ok());
    }

    fn exporting(names: &[&str], imports: &[&str]) -> Template {
        let mut text = String::from(r#"{"Resources": {"R": {"Type": "AWS::SNS::Topic", "Properties": {"Tags": ["#);
        let imports: Vec<String> =
            imports.iter().map(|i| format!(r#"{{"Key": "k", "Value": {{"Fn::ImportValue": "{i}"}}}}"#)).collect();
        text.push_str(&imports.join(","));
        text.push_str(r#"]}}}, "Outputs": {"#);
        let outputs: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(n, e)| format!(r#""O{n}": {{"Value": "v", "Export": {{"Name": "{e}"}}}}"#))
            .collect();
        text.push_str(&outputs.join(","));
        text.push_str("}}");
        Template::from_json_str(&text).unwrap()
    }

    #[test]
    fn stacks_are_ordered_by_their_imports_then_by_name() {
        let mut app = App::new();
        app.add_stack(stack("a-web", exporting(&[], &["net:VpcId"])).unwrap()).unwrap();
        app.add_stack(stack("b-lone", Template::new()).unwrap()).unwrap();
        app.add_stack(stack("net", exporting(&["net:VpcId"], &[])).unwrap()).unwrap();
        let order: Vec<&str> = app.in_dependency_order().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(order, ["b-lone", "net", "a-web"]);
        let web = StackName::new("a-web").unwrap();
        let deps: Vec<(String, String)> =
            app.dependencies(&web).into_iter().map(|(n, why)| (n.to_string(), why.to_string())).collect();
        assert_eq!(deps, [("net".to_owned(), "imports net:VpcId".to_owned())]);
    }

    #[test]
    fn a_cycle_between_stacks_is_refused_naming_both_ends() {
        let mut app = App::new();
        app.add_stack(stack("net", exporting(&["net:VpcId"], &["web:Url"])).unwrap()).unwrap();
        let err = app.add_stack(stack("web", exporting(&["web:Url"], &["net:VpcId"])).unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "stacks \"web\" and \"net\" depend on each other (web → net: imports net:VpcId; net → web: imports \
             web:Url): neither can be deployed first; share the value in one direction only"
        );
        // The refused stack left nothing behind.
        assert_eq!(app.finished_stacks().len(), 1);
        assert!(app.add_stack(stack("web", exporting(&["web:Url"], &[])).unwrap()).is_ok());
        let order: Vec<&str> = app.in_dependency_order().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(order, ["web", "net"]);
    }

    #[test]
    fn a_longer_cycle_and_a_declared_dependency() {
        let mut app = App::new();
        let a = stack("a", exporting(&["a:X"], &[]))
            .unwrap()
            .with_dependency(StackName::new("c").unwrap(), "reads SSM parameter /c/Y");
        app.add_stack(a).unwrap();
        app.add_stack(stack("b", exporting(&["b:X"], &["a:X"])).unwrap()).unwrap();
        assert_eq!(app.missing_dependencies().len(), 1);
        let err = app.add_stack(stack("c", exporting(&[], &["b:X"])).unwrap()).unwrap_err().to_string();
        assert!(
            err.starts_with("stacks \"c\" and \"b\" depend on each other (c → b: imports b:X; b → a: imports a:X; a → c: reads SSM parameter /c/Y)"),
            "{err}"
        );
    }

    #[test]
    fn export_names_are_unique_per_account_and_region_only() {
        let mut app = App::new();
        let staging = Placement {
            environment: "staging".into(),
            account: Some("111111111111".into()),
            region: None,
            ..Placement::default()
        };
        let production = Placement {
            environment: "production".into(),
            account: Some("222222222222".into()),
            region: None,
            ..Placement::default()
        };
        app.add_stack(stack("net-staging", exporting(&["net:VpcId"], &[])).unwrap().with_placement(staging.clone()))
            .unwrap();
        app.add_stack(stack("net-production", exporting(&["net:VpcId"], &[])).unwrap().with_placement(production))
            .unwrap();
        let err =
            app.add_stack(stack("copy", exporting(&["net:VpcId"], &[])).unwrap().with_placement(staging)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "export \"net:VpcId\" is written by stack \"net-staging\" and again by stack \"copy\": export names are \
             unique in an account and region"
        );
    }
}
