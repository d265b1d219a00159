//! CodeBuild: projects run by CodePipeline, with buildspecs rendered from the handlebars
//! templates in `templates/buildspec/`.

mod buildspec;
mod environment;
mod project;
mod release;

pub use buildspec::{BuildKind, ImageBuild, Report};
pub(crate) use environment::is_env_name;
pub use environment::{ComputeType, EnvValue, EnvironmentVariable, LinuxImage};
pub use project::{Project, ProjectProps, REPORTS};
pub use release::ReleaseBuild;
pub(crate) use release::{AssumedStack, ReleaseTarget};
