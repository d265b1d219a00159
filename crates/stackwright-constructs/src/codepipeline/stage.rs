//! [`Stage`]: a named group of actions.

use crate::codepipeline::actions::Action;

/// A pipeline stage.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Stage {
    /// The stage's name, 1-100 of A-Z a-z 0-9 . @ - _.
    pub name: String,
    /// Its actions; actions with the same run order run in parallel.
    pub actions: Vec<Action>,
    /// Roll the stage back to the last successful execution's artifacts when it fails.
    /// **Default:** on for a stage that deploys (an ECS deploy action, or a CodeBuild action
    /// running a release), off elsewhere (CDK: off).
    pub rollback_on_failure: Option<bool>,
}

impl Stage {
    /// An empty stage named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), actions: Vec::new(), rollback_on_failure: None }
    }

    /// Adds an action.
    #[must_use]
    pub fn action(mut self, action: impl Into<Action>) -> Self {
        self.actions.push(action.into());
        self
    }

    /// See [`Stage::rollback_on_failure`].
    #[must_use]
    pub fn rollback_on_failure(mut self, yes: bool) -> Self {
        self.rollback_on_failure = Some(yes);
        self
    }

    /// Whether the stage rolls back when it fails.
    pub fn rolls_back(&self) -> bool {
        self.rollback_on_failure.unwrap_or_else(|| {
            self.actions.iter().any(|a| match a {
                Action::EcsDeploy(_) => true,
                Action::CodeBuild(build) => build.project.releases_from().is_some(),
                _ => false,
            })
        })
    }
}
