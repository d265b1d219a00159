//! Deferred stacks: an app of 1,000 services need not hold 1,000 finished templates (about
//! 470 KB of model each for the seed pattern) before the first is written. A deferred stack
//! is a function that builds it; `synth` calls it on a worker thread, validates, renders and
//! writes the result, and drops it before building the next.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use super::{App, Stack, StackName};
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
    /// assert_eq!(app.stacks().len(), 0, "nothing is built yet");
    /// assert_eq!(app.into_built()?.stacks().len(), 3);
    /// # Ok::<(), stackwright_template::Error>(())
    /// ```
    pub fn add_deferred<E: Into<BuildError>>(
        &mut self,
        name: StackName,
        build: impl Fn() -> Result<Stack, E> + Send + Sync + 'static,
    ) -> Result<(), Error> {
        if self.contains(&name) {
            return Err(Error::DuplicateStackName { name: name.as_str().to_owned() });
        }
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
        Ok(Cow::Owned(built(name, build.as_ref())?))
    }

    /// The app with every deferred stack built (for commands that need them all at once).
    pub fn into_built(mut self) -> Result<Self, Error> {
        for (name, Deferred(build)) in std::mem::take(&mut self.deferred) {
            let template = built(&name, build.as_ref())?;
            self.stacks.insert(name, template);
        }
        Ok(self)
    }
}

/// Runs a deferred stack's builder; the stack it returns must carry the name it was added under.
fn built(name: &StackName, build: &Builder) -> Result<Template, Error> {
    let failed = |message: String| Error::StackBuild { stack: name.as_str().to_owned(), message };
    let stack = build().map_err(|e| failed(e.to_string()))?;
    if stack.name() != name {
        return Err(failed(format!("its builder returned a stack named {:?}", stack.name().as_str())));
    }
    Ok(stack.into_template())
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
