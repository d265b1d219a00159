//! What a build does ([`BuildKind`]) and the buildspec rendered for it from the handlebars
//! templates in `templates/buildspec/`.

use handlebars::{Handlebars, handlebars_helper, no_escape};
use serde_json::json;

use crate::codebuild::environment::{EnvValue, EnvironmentVariable, is_env_name};
use crate::ecr::Repository;
use crate::error::{Checks, Error, Violation};

const IMAGE: &str = include_str!("../../../../templates/buildspec/image.yml.hbs");
const COMMANDS: &str = include_str!("../../../../templates/buildspec/commands.yml.hbs");
const REPORTS: &str = include_str!("../../../../templates/buildspec/reports.yml.hbs");

/// The variable holding the repository URI in image builds.
pub(crate) const REPOSITORY_URI: &str = "REPOSITORY_URI";

/// A container image build: log in to ECR, run the unit tests, build, tag with the commit id,
/// push, and write `imagedefinitions.json` for the ECS deploy action.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ImageBuild {
    /// The repository the image is pushed to; the project role may push to it.
    pub repository: Repository,
    /// The container's name in the task definition, written to `imagedefinitions.json`
    /// (`[A-Za-z0-9_-]`, 1-255): the deploy action checks it names the same container.
    pub container_name: String,
    /// The Dockerfile, relative to the source root. **Default:** `Dockerfile`.
    pub dockerfile: String,
    /// The build context, relative to the source root. **Default:** `.`.
    pub context: String,
    /// A shell command running the unit tests on the source before the image is built (in the
    /// build environment, not in the image: the image needs no shell or test tools, and a
    /// failure stops the build before anything is pushed). **Default:** none.
    pub unit_test_command: Option<String>,
    /// Docker build arguments; each is passed as `--build-arg NAME` and its value is the
    /// build's environment variable of the same name, so values are never spliced into the
    /// shell command. **Default:** none.
    pub build_args: Vec<EnvironmentVariable>,
}

impl ImageBuild {
    /// Builds the image of container `container_name` and pushes it to `repository`.
    pub fn new(repository: &Repository, container_name: impl Into<String>) -> Self {
        Self {
            repository: repository.clone(),
            container_name: container_name.into(),
            dockerfile: "Dockerfile".into(),
            context: ".".into(),
            unit_test_command: None,
            build_args: Vec::new(),
        }
    }

    /// See [`ImageBuild::dockerfile`].
    #[must_use]
    pub fn dockerfile(mut self, path: impl Into<String>) -> Self {
        self.dockerfile = path.into();
        self
    }

    /// See [`ImageBuild::context`].
    #[must_use]
    pub fn context(mut self, path: impl Into<String>) -> Self {
        self.context = path.into();
        self
    }

    /// See [`ImageBuild::unit_test_command`].
    #[must_use]
    pub fn unit_test_command(mut self, command: impl Into<String>) -> Self {
        self.unit_test_command = Some(command.into());
        self
    }

    /// Adds a build argument; see [`ImageBuild::build_args`].
    #[must_use]
    pub fn build_arg(mut self, name: impl Into<String>, value: EnvValue) -> Self {
        self.build_args.push(EnvironmentVariable::new(name, value));
        self
    }
}

/// What a CodeBuild project does.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum BuildKind {
    /// Builds and pushes a container image. The only kind that runs Docker, so the only one
    /// with privileged mode (and the Docker layer cache, which needs it).
    Image(ImageBuild),
    /// Runs shell commands: integration tests, smoke tests, migrations.
    Commands {
        /// The commands, run in order; at least one.
        commands: Vec<String>,
    },
}

impl BuildKind {
    /// Runs `commands`.
    pub fn commands(commands: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self::Commands { commands: commands.into_iter().map(Into::into).collect() }
    }

    /// Whether the build runs the Docker daemon (privileged mode).
    pub fn builds_images(&self) -> bool {
        matches!(self, Self::Image(_))
    }
}

/// A `JUnit` XML test report, sent to CodeBuild's implicit report group `<project name>-<name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The report's name, `[A-Za-z0-9_-]`, 1-64.
    pub name: String,
    /// The directory the test runner writes its XML files to, relative to the source root.
    pub base_directory: String,
    /// Which files in it are reports. **Default:** `**/*.xml`.
    pub files: String,
}

impl Report {
    /// `JUnit` XML files under `base_directory`.
    pub fn junit(name: impl Into<String>, base_directory: impl Into<String>) -> Self {
        Self { name: name.into(), base_directory: base_directory.into(), files: "**/*.xml".into() }
    }
}

/// A path relative to the source root that is safe unquoted in YAML and in the shell.
fn is_safe_path(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= 1024
        && !path.starts_with('-')
        && path.chars().all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c))
}

fn is_name(name: &str, max: usize) -> bool {
    (1..=max).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
}

/// Checks what the buildspec is rendered from.
pub(crate) fn check(kind: &BuildKind, reports: &[Report], checks: &mut Checks) {
    match kind {
        BuildKind::Image(image) => {
            let name = &image.container_name;
            checks.require(is_name(name, 255), "codebuild-image/container-name", || {
                format!("container_name must be 1-255 of A-Z a-z 0-9 _ -, got {name:?}")
            });
            for (what, path) in [("dockerfile", &image.dockerfile), ("context", &image.context)] {
                checks.require(is_safe_path(path), "codebuild-image/path", || {
                    format!("{what} must be a relative path of A-Z a-z 0-9 . _ / - not starting with -, got {path:?}")
                });
            }
            if let Some(command) = &image.unit_test_command {
                checks.require(!command.trim().is_empty(), "codebuild-image/unit-test-command", || {
                    "unit_test_command must not be blank".to_owned()
                });
            }
            for arg in &image.build_args {
                checks.require(is_env_name(&arg.name), "codebuild-image/build-arg", || {
                    format!("build argument name must match [A-Za-z_][A-Za-z0-9_]*, got {:?}", arg.name)
                });
            }
        }
        BuildKind::Commands { commands } => {
            checks.require(
                !commands.is_empty() && commands.iter().all(|c| !c.trim().is_empty()),
                "codebuild-commands/empty",
                || format!("commands must be at least one non-blank command, got {commands:?}"),
            );
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for report in reports {
        checks.require(is_name(&report.name, 64), "codebuild-report/name", || {
            format!("report name must be 1-64 of A-Z a-z 0-9 _ -, got {:?}", report.name)
        });
        checks.require(seen.insert(&report.name), "codebuild-report/duplicate", || {
            format!("report {} is defined more than once", report.name)
        });
        checks.require(is_safe_path(&report.base_directory), "codebuild-report/base-directory", || {
            format!(
                "report {}: base_directory must be a relative path of A-Z a-z 0-9 . _ / -, got {:?}",
                report.name, report.base_directory
            )
        });
    }
}

handlebars_helper!(yaml: |text: str| serde_json::to_string(text).unwrap_or_default());

/// Renders the buildspec of checked props (strict mode, no HTML escaping: user text reaches
/// the YAML either checked to a safe character set or through the `yaml` helper, which writes
/// a double-quoted YAML scalar).
pub(crate) fn render(kind: &BuildKind, reports: &[Report]) -> Result<String, Error> {
    let mut registry = Handlebars::new();
    registry.set_strict_mode(true);
    registry.register_escape_fn(no_escape);
    registry.register_helper("yaml", Box::new(yaml));
    let reports: Vec<_> =
        reports.iter().map(|r| json!({"name": r.name, "base_directory": r.base_directory, "files": r.files})).collect();
    let (template, data) = match kind {
        BuildKind::Image(image) => (
            IMAGE,
            json!({
                "container_name": image.container_name,
                "dockerfile": image.dockerfile,
                "context": image.context,
                "unit_test_command": image.unit_test_command,
                "build_args": image.build_args.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
                "reports": reports,
            }),
        ),
        BuildKind::Commands { commands } => (COMMANDS, json!({"commands": commands, "reports": reports})),
    };
    let template_error = |e: &dyn std::fmt::Display| {
        Error::Invalid(vec![Violation {
            path: "templates/buildspec".to_owned(),
            rule: "codebuild-buildspec/render",
            message: e.to_string(),
        }])
    };
    registry.register_partial("reports", REPORTS).map_err(|e| template_error(&e))?;
    registry.render_template(template, &data).map_err(|e| template_error(&e))
}

#[cfg(test)]
#[path = "buildspec_tests.rs"]
mod tests;
