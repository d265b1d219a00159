//! CodePipeline: V2 pipelines of typed stages and actions, checked before they are built.

pub mod actions;
mod pipeline;
mod stage;
mod validation;

pub use actions::{
    Action, CodeBuildAction, CodeCommitSource, CodeStarSource, DeploymentTimeout, EcrSource, EcsDeploy, ManualApproval,
    PushFilter, S3Source,
};
pub use pipeline::{ExecutionMode, Pipeline, PipelineProps};
pub use stage::Stage;
