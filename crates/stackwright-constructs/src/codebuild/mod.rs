//! CodeBuild: projects run by CodePipeline, with buildspecs rendered from the handlebars
//! templates in `templates/buildspec/`.

mod buildspec;
mod environment;
mod project;

pub use buildspec::{BuildKind, ImageBuild, Report};
pub use environment::{ComputeType, EnvValue, EnvironmentVariable, LinuxImage};
pub use project::{Project, ProjectProps, REPORTS};
