//! Pipeline actions as typed values: what each one does, which artifacts it reads and writes,
//! and exactly which permissions the pipeline needs to run it.

mod approval;
mod build;
mod deploy;
mod source;
mod trigger;

use serde_json::{Value as Json, json};
use stackwright_cfn::codepipeline::pipeline as l1;

pub use approval::ManualApproval;
pub use build::{CodeBuildAction, RUN_BUILD};
pub use deploy::{DeploymentTimeout, EcsDeploy};
pub use source::{CodeCommitSource, CodeStarSource, EcrSource, S3Source};
pub use trigger::PushFilter;

use crate::error::{Checks, Error};
use crate::iam::Role;
use crate::kms::Key;
use crate::s3::Bucket;
use crate::stack::Stack;

/// One action of a pipeline stage.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Action {
    /// GitHub, Bitbucket or GitLab through a CodeStar connection.
    CodeStarSource(CodeStarSource),
    /// A CodeCommit repository.
    CodeCommitSource(CodeCommitSource),
    /// An image tag in ECR.
    EcrSource(EcrSource),
    /// An object in S3.
    S3Source(S3Source),
    /// A CodeBuild project (build, test, smoke test).
    CodeBuild(CodeBuildAction),
    /// A manual approval.
    ManualApproval(ManualApproval),
    /// A rolling ECS deployment of `imagedefinitions.json`.
    EcsDeploy(EcsDeploy),
}

macro_rules! from_action {
    ($($variant:ident),+) => {$(
        impl From<$variant> for Action {
            fn from(action: $variant) -> Self {
                Self::$variant(action)
            }
        }
    )+};
}
from_action!(CodeStarSource, CodeCommitSource, EcrSource, S3Source, ManualApproval, EcsDeploy);

impl From<CodeBuildAction> for Action {
    fn from(action: CodeBuildAction) -> Self {
        Self::CodeBuild(action)
    }
}

/// What the pipeline construct hands to an action when it grants its permissions.
pub(crate) struct Grants<'a> {
    pub(crate) role: &'a Role,
    pub(crate) artifacts: &'a Bucket,
    pub(crate) key: &'a Key,
}

impl Action {
    /// The action's name.
    pub fn name(&self) -> &str {
        match self {
            Self::CodeStarSource(a) => &a.name,
            Self::CodeCommitSource(a) => &a.name,
            Self::EcrSource(a) => &a.name,
            Self::S3Source(a) => &a.name,
            Self::CodeBuild(a) => &a.name,
            Self::ManualApproval(a) => &a.name,
            Self::EcsDeploy(a) => &a.name,
        }
    }

    /// The action's run order in its stage.
    pub fn run_order(&self) -> u32 {
        match self {
            Self::CodeStarSource(a) => a.run_order,
            Self::CodeCommitSource(a) => a.run_order,
            Self::EcrSource(a) => a.run_order,
            Self::S3Source(a) => a.run_order,
            Self::CodeBuild(a) => a.run_order,
            Self::ManualApproval(a) => a.run_order,
            Self::EcsDeploy(a) => a.run_order,
        }
    }

    /// Whether it is a source action.
    pub fn is_source(&self) -> bool {
        matches!(self, Self::CodeStarSource(_) | Self::CodeCommitSource(_) | Self::EcrSource(_) | Self::S3Source(_))
    }

    /// The artifacts it reads.
    pub fn inputs(&self) -> Vec<&str> {
        match self {
            Self::CodeBuild(a) => vec![a.input.as_str()],
            Self::EcsDeploy(a) => vec![a.input.as_str()],
            _ => Vec::new(),
        }
    }

    /// The artifacts it writes.
    pub fn outputs(&self) -> Vec<&str> {
        match self {
            Self::CodeStarSource(a) => vec![a.output.as_str()],
            Self::CodeCommitSource(a) => vec![a.output.as_str()],
            Self::EcrSource(a) => vec![a.output.as_str()],
            Self::S3Source(a) => vec![a.output.as_str()],
            Self::CodeBuild(a) => a.output.iter().map(String::as_str).collect(),
            Self::ManualApproval(_) | Self::EcsDeploy(_) => Vec::new(),
        }
    }

    /// Checks of the action's own props.
    pub(crate) fn check(&self, checks: &mut Checks) {
        match self {
            Self::CodeStarSource(a) => a.check(checks),
            Self::CodeCommitSource(a) => a.check(checks),
            Self::CodeBuild(a) => a.check(checks),
            Self::ManualApproval(a) => a.check(checks),
            Self::EcsDeploy(a) => a.check(checks),
            Self::EcrSource(_) | Self::S3Source(_) => {}
        }
    }

    /// Grants the pipeline (and the build projects) what running the action takes.
    pub(crate) fn grant(&self, stack: &mut Stack, grants: &Grants<'_>) -> Result<(), Error> {
        match self {
            Self::CodeStarSource(a) => a.grant(stack, grants.role),
            Self::CodeCommitSource(a) => a.grant(stack, grants.role),
            Self::EcrSource(a) => a.grant(stack, grants.role),
            Self::S3Source(a) => a.grant(stack, grants.role),
            Self::CodeBuild(a) => a.grant(stack, grants),
            Self::ManualApproval(a) => a.grant(stack, grants.role),
            Self::EcsDeploy(a) => a.grant(stack, grants.role),
        }
    }

    /// The L1 action declaration.
    pub(crate) fn to_l1(&self) -> l1::ActionDeclaration {
        let (category, provider, configuration) = match self {
            Self::CodeStarSource(a) => (l1::Category::Source, "CodeStarSourceConnection", a.configuration()),
            Self::CodeCommitSource(a) => (l1::Category::Source, "CodeCommit", a.configuration()),
            Self::EcrSource(a) => (l1::Category::Source, "ECR", a.configuration()),
            Self::S3Source(a) => (l1::Category::Source, "S3", a.configuration()),
            Self::CodeBuild(a) => (a.category(), "CodeBuild", a.configuration()),
            Self::ManualApproval(a) => (l1::Category::Approval, "Manual", a.configuration()),
            Self::EcsDeploy(a) => (l1::Category::Deploy, "ECS", a.configuration()),
        };
        let mut action = l1::ActionDeclaration::new(l1::ActionTypeId::new(category, "AWS", provider, "1"), self.name())
            .run_order(i64::from(self.run_order()));
        if let Some(configuration) = configuration {
            action = action.configuration(configuration);
        }
        let inputs = self.inputs();
        if !inputs.is_empty() {
            action = action.input_artifacts(inputs.into_iter().map(l1::InputArtifact::new).collect::<Vec<_>>());
        }
        let outputs = self.outputs();
        if !outputs.is_empty() {
            action = action.output_artifacts(outputs.into_iter().map(l1::OutputArtifact::new).collect::<Vec<_>>());
        }
        action
    }
}

/// A configuration object with its keys sorted.
pub(crate) fn configuration(entries: impl IntoIterator<Item = (&'static str, Json)>) -> Option<Json> {
    let map: serde_json::Map<String, Json> = entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    if map.is_empty() { None } else { Some(json!(map)) }
}

/// Whether `name` is a valid action, stage or artifact name: 1-100 of the characters
/// `allowed_punctuation` adds to A-Z a-z 0-9.
pub(crate) fn is_name(name: &str, allowed_punctuation: &str) -> bool {
    (1..=100).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || allowed_punctuation.contains(c))
}
