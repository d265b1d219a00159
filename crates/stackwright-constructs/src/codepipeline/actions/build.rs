//! [`CodeBuildAction`]: runs a CodeBuild project as a build, test or smoke-test action.

use serde_json::{Value as Json, json};
use stackwright_cfn::codepipeline::pipeline as l1;

use super::{Grants, configuration};
use crate::codebuild::{Project, is_env_name};
use crate::error::{Checks, Error};
use crate::iam::{Action, Grantee, Statement};
use crate::stack::Stack;

/// What the pipeline needs to run a build and follow it.
pub const RUN_BUILD: [Action; 3] = [
    Action::from_static("codebuild:BatchGetBuilds"),
    Action::from_static("codebuild:StartBuild"),
    Action::from_static("codebuild:StopBuild"),
];

/// Runs a CodeBuild project on an input artifact.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CodeBuildAction {
    /// **Default:** `Build` (`Test` for [`CodeBuildAction::test`]).
    pub name: String,
    /// The project.
    pub project: Project,
    /// The input artifact.
    pub input: String,
    /// The output artifact (for image builds: the one holding `imagedefinitions.json`).
    /// **Default:** none.
    pub output: Option<String>,
    /// Reported as a `Test` action rather than a `Build` one. **Default:** `false`.
    pub is_test: bool,
    /// Plain-text variables for this action's builds, on top of the project's. **Default:** none.
    pub environment_variables: Vec<(String, String)>,
    /// **Default:** 1.
    pub run_order: u32,
}

impl CodeBuildAction {
    /// Builds `input` with `project`.
    pub fn new(project: &Project, input: impl Into<String>) -> Self {
        Self {
            name: "Build".into(),
            project: project.clone(),
            input: input.into(),
            output: None,
            is_test: false,
            environment_variables: Vec::new(),
            run_order: 1,
        }
    }

    /// A test action (integration tests, smoke tests) running `project` on `input`.
    pub fn test(project: &Project, input: impl Into<String>) -> Self {
        Self { name: "Test".into(), is_test: true, ..Self::new(project, input) }
    }

    /// See [`CodeBuildAction::name`].
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// See [`CodeBuildAction::output`].
    #[must_use]
    pub fn output(mut self, name: impl Into<String>) -> Self {
        self.output = Some(name.into());
        self
    }

    /// Adds a variable; see [`CodeBuildAction::environment_variables`].
    #[must_use]
    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.environment_variables.push((name.into(), value.into()));
        self
    }

    /// See [`CodeBuildAction::run_order`].
    #[must_use]
    pub fn run_order(mut self, order: u32) -> Self {
        self.run_order = order;
        self
    }

    pub(crate) fn category(&self) -> l1::Category {
        if self.is_test { l1::Category::Test } else { l1::Category::Build }
    }

    pub(crate) fn check(&self, checks: &mut Checks) {
        if let Some(output) = &self.output {
            checks.require(self.project.image_definitions_container().is_some(), "codebuild-action/output", || {
                format!(
                    "action {}: output {output:?} needs a project whose buildspec declares artifacts (an image build); this project's does not",
                    self.name
                )
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        for (name, _) in &self.environment_variables {
            checks.require(is_env_name(name) && !name.starts_with("CODEBUILD_"), "codebuild-action/env-name", || {
                format!("action {}: environment variable name must match [A-Za-z_][A-Za-z0-9_]* and not start with CODEBUILD_, got {name:?}", self.name)
            });
            checks.require(seen.insert(name), "codebuild-action/env-duplicate", || {
                format!("action {}: environment variable {name} is defined more than once", self.name)
            });
        }
    }

    pub(crate) fn grant(&self, stack: &mut Stack, grants: &Grants<'_>) -> Result<(), Error> {
        grants.role.grant(stack, Statement::allow(RUN_BUILD).on(self.project.arn()))?;
        let build_role = self.project.role();
        grants.artifacts.grant_read(stack, build_role, Some(grants.key))?;
        if self.output.is_some() {
            grants.artifacts.grant_write(stack, build_role, Some(grants.key))?;
        }
        Ok(())
    }

    pub(crate) fn configuration(&self) -> Option<Json> {
        let mut entries = vec![("ProjectName", self.project.name().to_json())];
        if !self.environment_variables.is_empty() {
            let variables: Vec<Json> = self
                .environment_variables
                .iter()
                .map(|(name, value)| json!({"name": name, "type": "PLAINTEXT", "value": value}))
                .collect();
            entries.push(("EnvironmentVariables", json!(Json::Array(variables).to_string())));
        }
        configuration(entries)
    }
}
