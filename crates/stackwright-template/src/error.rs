//! Errors of the template model. Each names what it is about and the rule it broke.

/// An error building, parsing or rendering a template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A logical ID that CloudFormation would reject.
    #[error("invalid logical ID {id:?}: {reason}")]
    InvalidLogicalId {
        /// The rejected ID.
        id: String,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// Two things claim the same logical ID.
    #[error("duplicate logical ID {id:?} in {section}: defined by {first_owner} and again by {second_owner}")]
    DuplicateLogicalId {
        /// The contested ID.
        id: String,
        /// `Resources`, `Parameters`, `Conditions`, `Mappings` or `Outputs`.
        section: &'static str,
        /// Who added it first (a construct path).
        first_owner: String,
        /// Who tried to add it again.
        second_owner: String,
    },
    /// A stack name that CloudFormation would reject.
    #[error("invalid stack name {name:?}: {reason}")]
    InvalidStackName {
        /// The rejected name.
        name: String,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// A template whose builder has not finished it (see [`crate::Template::unfinished`]),
    /// offered as a finished stack.
    #[error(
        "stack {stack:?}: its template is unfinished (copied out of a construct stack before `finish()`), \
         so it lacks the policies `finish()` writes: add `stack.finish()?` to the app instead"
    )]
    UnfinishedTemplate {
        /// The stack it was offered for.
        stack: String,
    },
    /// Two stacks of one app share a name.
    #[error("duplicate stack name {name:?}: every stack of an app needs its own name")]
    DuplicateStackName {
        /// The contested name.
        name: String,
    },
    /// Two stacks of one account and region write the same export name.
    #[error(
        "export {export:?} is written by stack {first:?} and again by stack {second:?}: export names are unique \
         in an account and region"
    )]
    DuplicateExport {
        /// The contested export name.
        export: String,
        /// The stack that writes it first.
        first: String,
        /// The stack that writes it again.
        second: String,
    },
    /// A stack that closes a cycle of dependencies between stacks: no order deploys them.
    #[error(
        "stacks {stack:?} and {other:?} depend on each other ({cycle}): neither can be deployed first; \
         share the value in one direction only"
    )]
    StackCycle {
        /// The stack whose addition closes the cycle.
        stack: String,
        /// The stack it depends on along the cycle.
        other: String,
        /// Every step of the cycle, with its reason.
        cycle: String,
    },
    /// A stack that, once built, depends on a stack it was not declared to depend on when it
    /// was added deferred: `synth` had already scheduled it without that edge.
    #[error(
        "stack {stack:?} depends on stack {on:?} ({reason}), which was not declared when it was added: \
         declare it in `App::add_deferred_after` (or on the other stack, if that one is deferred)"
    )]
    UndeclaredDependency {
        /// The dependent stack.
        stack: String,
        /// The stack it turned out to depend on.
        on: String,
        /// Why (`imports net:VpcId`).
        reason: String,
    },
    /// A deferred stack (see [`crate::App::add_deferred`]) whose builder failed.
    #[error("stack {stack:?} could not be built: {message}")]
    StackBuild {
        /// The stack.
        stack: String,
        /// The builder's error.
        message: String,
    },
    /// A property path that cannot be set without overwriting what is there.
    #[error("cannot set property {path:?}: {reason}")]
    PropertyPath {
        /// The path given.
        path: String,
        /// Where it stops and why.
        reason: String,
    },
    /// A template document that does not have the shape of a CloudFormation template.
    #[error("{}: {message}", if pointer.is_empty() { "template" } else { pointer.as_str() })]
    Parse {
        /// JSON pointer to the offending value (`""` for the whole document).
        pointer: String,
        /// What was expected there.
        message: String,
    },
}
