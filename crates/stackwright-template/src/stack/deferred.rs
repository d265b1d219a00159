//! Deferred stacks: an app of 1,000 services need not hold 1,000 finished templates (about
//! 470 KB of model each for the seed pattern) before the first is written. A deferred stack
//! is a function that builds it; `synth` calls it on a worker thread, validates, renders and
//! writes the result, and drops it before building the next.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use std::collections::BTreeMap;

use super::{App, Stack, StackName};
use crate::deps::{Links, Placement};
use crate::error::Error;
use crate::template::Template;

/// Why a deferred stack could not be built: its builder's own error, as text.
pub type BuildError = Box<dyn std::error::Error + Send + Sync>;

type Builder = dyn Fn() -> Result<Stack, BuildError> + Send + Sync;

/// A stack's builder, shared by the threads that may call it.
#[derive(Clone)]
pub(super) struct Deferred(Arc<Builder>);

impl fmt::Debug for Deferred {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Deferred(..)")
    }
}

impl PartialEq for Deferred {
    /// The same builder; two builders are not compared by what they would build.
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl App {
    /// Adds a stack that is built when it is needed, on whichever thread needs it: `build`
    /// returns the finished stack named `name` (for a construct stack, `stack.finish()`).
    /// A second stack of the same name is an error, as for [`App::add_stack`].
    ///
    /// ```
    /// use stackwright_template::{App, Stack, StackName, Template};
    /// let mut app = App::new();
    /// for i in 0..3 {
    ///     let name = StackName::new(format!("svc-{i}"))?;
    ///     let named = name.clone();
    ///     app.add_deferred(name, move || Stack::from_template(named.clone(), Template::new()))?;
    /// }
    /// assert_eq!(app.len(), 3);
    /// assert_eq!(app.finished_stacks().len(), 0, "nothing is built yet");
    /// assert_eq!(app.templates()?.len(), 3, "built when asked for");
    /// assert_eq!(app.into_built()?.finished_stacks().len(), 3);
    /// # Ok::<(), stackwright_template::Error>(())
    /// ```
    pub fn add_deferred<E: Into<BuildError>>(
        &mut self,
        name: StackName,
        build: impl Fn() -> Result<Stack, E> + Send + Sync + 'static,
    ) -> Result<(), Error> {
        self.add_deferred_after(name, None, BTreeMap::new(), build)
    }

    /// [`App::add_deferred`] for a stack placed at `placement` and deployed after the stacks
    /// of `after` (stack -> why, e.g. `imports foundation:ClusterName`). `synth` builds it
    /// only once those are built, and refuses it if, built, it depends on any other stack of
    /// the app ([`Error::UndeclaredDependency`]) or is placed elsewhere. A declared cycle is
    /// refused here, as for [`App::add_stack`].
    pub fn add_deferred_after<E: Into<BuildError>>(
        &mut self,
        name: StackName,
        placement: Option<Placement>,
        after: BTreeMap<StackName, String>,
        build: impl Fn() -> Result<Stack, E> + Send + Sync + 'static,
    ) -> Result<(), Error> {
        if self.contains(&name) {
            return Err(Error::DuplicateStackName { name: name.as_str().to_owned() });
        }
        self.link(&name, Links { placement, declared: after, ..Links::default() })?;
        self.deferred.insert(name, Deferred(Arc::new(move || build().map_err(Into::into))));
        Ok(())
    }

    /// Whether the app has a stack (finished or deferred) of this name.
    pub fn contains(&self, name: &StackName) -> bool {
        self.stacks.contains_key(name) || self.deferred.contains_key(name)
    }

    /// How many stacks the app has, finished and deferred.
    pub fn len(&self) -> usize {
        self.stacks.len() + self.deferred.len()
    }

    /// Whether the app has no stack at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every stack name, finished and deferred, sorted.
    pub fn names(&self) -> Vec<&StackName> {
        let mut names: Vec<&StackName> = self.stacks.keys().chain(self.deferred.keys()).collect();
        names.sort();
        names
    }

    /// The template of the stack `name`: borrowed when it is finished, built when deferred.
    pub fn build(&self, name: &StackName) -> Result<Cow<'_, Template>, Error> {
        if let Some(template) = self.stacks.get(name) {
            return Ok(Cow::Borrowed(template));
        }
        let Some(Deferred(build)) = self.deferred.get(name) else {
            return Err(Error::StackBuild { stack: name.as_str().to_owned(), message: "no such stack".to_owned() });
        };
        Ok(Cow::Owned(self.built(name, build.as_ref())?))
    }

    /// Every stack's template, finished and deferred, sorted by name: deferred stacks are
    /// built now, one after another, and all are held at once (for an app of many deferred
    /// stacks, [`App::names`] and [`App::build`] take one at a time). The first stack that
    /// fails to build is the error.
    pub fn templates(&self) -> Result<Vec<(&StackName, Cow<'_, Template>)>, Error> {
        self.names().into_iter().map(|name| Ok((name, self.build(name)?))).collect()
    }

    /// The app with every deferred stack built (for commands that need them all at once),
    /// its dependencies resolved as `synth` resolves them ([`App::resolve`]).
    pub fn into_built(mut self) -> Result<Self, Error> {
        let (mut built, mut links) = (Vec::new(), Vec::new());
        for (name, Deferred(build)) in &self.deferred {
            let template = self.built(name, build.as_ref())?;
            links.push((name.clone(), self.links(name, &template)));
            built.push((name.clone(), template));
        }
        let resolved = self.resolve(links)?;
        self.set_resolved(resolved);
        self.deferred.clear();
        self.stacks.extend(built);
        Ok(self)
    }

    /// Runs a deferred stack's builder; the stack it returns must carry the name it was added
    /// under, the placement, and no dependency beyond those declared with it.
    fn built(&self, name: &StackName, build: &Builder) -> Result<Template, Error> {
        let failed = |message: String| Error::StackBuild { stack: name.as_str().to_owned(), message };
        let stack = build().map_err(|e| failed(e.to_string()))?;
        if stack.name() != name {
            return Err(failed(format!("its builder returned a stack named {:?}", stack.name().as_str())));
        }
        let placed = self.placement(name);
        if stack.placement.is_some() && stack.placement.as_ref() != placed {
            return Err(failed(format!(
                "its builder placed it in {}, but it was added for {}",
                describe(stack.placement.as_ref()),
                describe(placed)
            )));
        }
        let declared = self.dependencies(name);
        if let Some(on) = stack.declared.keys().find(|on| !declared.iter().any(|(d, _)| d == on)) {
            return Err(Error::UndeclaredDependency {
                stack: name.to_string(),
                on: on.to_string(),
                reason: stack.declared.get(on).cloned().unwrap_or_default(),
            });
        }
        Ok(stack.into_template())
    }
}

fn describe(placement: Option<&Placement>) -> String {
    placement.map_or_else(|| "no environment".to_owned(), |p| format!("environment {}", p.environment))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> StackName {
        StackName::new(name).unwrap()
    }

    #[test]
    fn deferred_and_finished_stacks_share_one_namespace() {
        let mut app = App::new();
        app.add_stack(Stack::from_template(named("b"), Template::new()).unwrap()).unwrap();
        app.add_deferred(named("a"), || Stack::from_template(named("a"), Template::new())).unwrap();
        let again = app.add_deferred(named("b"), || Stack::from_template(named("b"), Template::new()));
        assert_eq!(again.unwrap_err(), Error::DuplicateStackName { name: "b".into() });
        let twice = app.add_stack(Stack::from_template(named("a"), Template::new()).unwrap());
        assert_eq!(twice.unwrap_err(), Error::DuplicateStackName { name: "a".into() });
        assert_eq!(app.names(), [&named("a"), &named("b")]);
        assert!(matches!(app.build(&named("a")).unwrap(), Cow::Owned(_)));
        assert!(matches!(app.build(&named("b")).unwrap(), Cow::Borrowed(_)));
    }

    #[test]
    fn a_failing_or_misnamed_builder_is_an_error_naming_the_stack() {
        let mut app = App::new();
        app.add_deferred(named("bad"), || Err::<Stack, _>("the props break a rule")).unwrap();
        app.add_deferred(named("odd"), || Stack::from_template(named("other"), Template::new())).unwrap();
        assert_eq!(
            app.build(&named("bad")).unwrap_err().to_string(),
            "stack \"bad\" could not be built: the props break a rule"
        );
        assert_eq!(
            app.build(&named("odd")).unwrap_err().to_string(),
            "stack \"odd\" could not be built: its builder returned a stack named \"other\""
        );
        assert!(app.into_built().is_err());
    }
}
