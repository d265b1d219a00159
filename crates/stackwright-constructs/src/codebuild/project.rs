//! [`Project`]: a CodeBuild project run by CodePipeline, with a rendered buildspec and a role
//! that may do exactly what the build needs.

use stackwright_cfn::codebuild::{self, project as l1};
use stackwright_template::{LogicalId, ResourceRef, Value, fns};

use crate::arn;
use crate::codebuild::buildspec::{self, BuildKind, REPOSITORY_URI, Report};
use crate::codebuild::environment::{self, ComputeType, EnvironmentVariable, LinuxImage};
use crate::error::{Checks, Error};
use crate::iam::{Action, Grantee, Principal, Role, RoleProps, Statement};
use crate::kms::Key;
use crate::logs::{LogGroup, LogGroupProps, Retention};
use crate::path::ConstructPath;
use crate::stack::Stack;

/// What CodeBuild needs to create and fill the implicit report groups of a project.
pub const REPORTS: [Action; 5] = [
    Action::from_static("codebuild:BatchPutCodeCoverages"),
    Action::from_static("codebuild:BatchPutTestCases"),
    Action::from_static("codebuild:CreateReport"),
    Action::from_static("codebuild:CreateReportGroup"),
    Action::from_static("codebuild:UpdateReport"),
];

/// Properties of a [`Project`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProjectProps {
    /// What the build does. **Required.**
    pub kind: BuildKind,
    /// **Default:** [`LinuxImage::AmazonLinux2023Standard5`] (CDK: `standard:7.0`).
    pub image: LinuxImage,
    /// **Default:** [`ComputeType::Small`] (same as CDK).
    pub compute_type: ComputeType,
    /// Environment variables of every build. **Default:** none (image builds also get
    /// `REPOSITORY_URI`).
    pub environment_variables: Vec<EnvironmentVariable>,
    /// `JUnit` reports the build writes. **Default:** none.
    pub reports: Vec<Report>,
    /// Minutes before a build is stopped, 5 to 2160. **Default:** 60 (same as CDK).
    pub timeout_minutes: u32,
    /// Minutes a build may wait in the queue, 5 to 480. **Default:** 480 (the AWS default).
    pub queued_timeout_minutes: u32,
    /// Keep Docker layers (image builds) and the source between builds on the same host.
    /// **Default:** `true` (CDK: no cache).
    pub local_cache: bool,
    /// Retention of the build logs. **Default:** [`Retention::OneYear`].
    pub log_retention: Retention,
    /// The project's name, `[A-Za-z0-9][A-Za-z0-9_-]`, 2-255. **Default:**
    /// `<stack name>-<path segments joined by ->`: known before deploy, so the role can name
    /// the project's report groups without a dependency cycle.
    pub name: Option<String>,
    /// **Default:** none.
    pub description: Option<String>,
}

impl ProjectProps {
    /// A project doing `kind`, with the defaults.
    pub fn new(kind: BuildKind) -> Self {
        Self {
            kind,
            image: LinuxImage::AmazonLinux2023Standard5,
            compute_type: ComputeType::Small,
            environment_variables: Vec::new(),
            reports: Vec::new(),
            timeout_minutes: 60,
            queued_timeout_minutes: 480,
            local_cache: true,
            log_retention: Retention::OneYear,
            name: None,
            description: None,
        }
    }

    /// A smoke test: runs `commands` with `SERVICE_URL` set to `service_url`.
    pub fn smoke_test(
        service_url: impl Into<Value<String>>,
        commands: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self::new(BuildKind::commands(commands)).env(EnvironmentVariable::plain("SERVICE_URL", service_url))
    }

    /// See [`ProjectProps::image`].
    #[must_use]
    pub fn image(mut self, image: LinuxImage) -> Self {
        self.image = image;
        self
    }

    /// See [`ProjectProps::compute_type`].
    #[must_use]
    pub fn compute_type(mut self, compute_type: ComputeType) -> Self {
        self.compute_type = compute_type;
        self
    }

    /// Adds an environment variable; see [`ProjectProps::environment_variables`].
    #[must_use]
    pub fn env(mut self, variable: EnvironmentVariable) -> Self {
        self.environment_variables.push(variable);
        self
    }

    /// Adds a report; see [`ProjectProps::reports`].
    #[must_use]
    pub fn report(mut self, report: Report) -> Self {
        self.reports.push(report);
        self
    }

    /// See [`ProjectProps::timeout_minutes`].
    #[must_use]
    pub fn timeout_minutes(mut self, minutes: u32) -> Self {
        self.timeout_minutes = minutes;
        self
    }

    /// See [`ProjectProps::queued_timeout_minutes`].
    #[must_use]
    pub fn queued_timeout_minutes(mut self, minutes: u32) -> Self {
        self.queued_timeout_minutes = minutes;
        self
    }

    /// See [`ProjectProps::local_cache`].
    #[must_use]
    pub fn local_cache(mut self, yes: bool) -> Self {
        self.local_cache = yes;
        self
    }

    /// See [`ProjectProps::log_retention`].
    #[must_use]
    pub fn log_retention(mut self, retention: Retention) -> Self {
        self.log_retention = retention;
        self
    }

    /// See [`ProjectProps::name`].
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// See [`ProjectProps::description`].
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }
}

/// A CodeBuild project whose source and artifacts are CodePipeline's, encrypted with the
/// stack's key, logging to an encrypted log group.
///
/// Its role may write its logs and reports, use the key, read the parameters and secrets its
/// variables name and, for image builds, push to the repository; the pipeline that runs it
/// grants access to its artifact bucket.
#[derive(Debug, Clone)]
pub struct Project {
    path: ConstructPath,
    container_name: Option<String>,
    role: Role,
    logs: LogGroup,
    resource: ResourceRef<codebuild::Project>,
}

impl Project {
    /// Adds the project, its role (`<path>/Role`) and log group (`<path>/Logs`) at `path`.
    pub fn new(
        stack: &mut Stack,
        path: impl Into<ConstructPath>,
        key: &Key,
        props: ProjectProps,
    ) -> Result<Self, Error> {
        let path = path.into();
        let mut checks = Checks::new(&path);
        checks.require((5..=2160).contains(&props.timeout_minutes), "codebuild-project/timeout", || {
            format!("timeout_minutes must be 5..=2160, got {}", props.timeout_minutes)
        });
        checks.require((5..=480).contains(&props.queued_timeout_minutes), "codebuild-project/queued-timeout", || {
            format!("queued_timeout_minutes must be 5..=480, got {}", props.queued_timeout_minutes)
        });
        if let Some(name) = &props.name {
            checks.require(is_project_name(name), "codebuild-project/name", || {
                format!("name must be 2-255 of A-Z a-z 0-9 _ - starting with a letter or digit, got {name:?}")
            });
        }
        let mut variables = props.environment_variables.clone();
        let mut reserved: Vec<&str> = Vec::new();
        if let BuildKind::Image(image) = &props.kind {
            reserved.push(REPOSITORY_URI);
            variables.extend(image.build_args.iter().cloned());
        }
        environment::check(&variables, &reserved, &mut checks);
        buildspec::check(&props.kind, &props.reports, &mut checks);
        stack.record(checks);
        let buildspec = buildspec::render(&props.kind, &props.reports)?;

        let name = props.name.clone().unwrap_or_else(|| format!("${{AWS::StackName}}-{}", path.segments().join("-")));
        let role = Role::new(
            stack,
            path.child("Role"),
            RoleProps::new(Principal::service("codebuild.amazonaws.com"))
                .description(format!("Runs the builds of {path}")),
        )?;
        let logs = LogGroup::new(stack, path.child("Logs"), key, LogGroupProps::new().retention(props.log_retention))?;
        logs.grant_write(stack, &role)?;
        key.grant_encrypt_decrypt(stack, &role)?;
        for variable in &variables {
            variable.grant_read(stack, &role)?;
        }
        if !props.reports.is_empty() {
            let groups = arn::regional("codebuild", &format!("report-group/{name}-*"));
            role.grant(stack, Statement::allow(REPORTS).on(groups))?;
        }
        let privileged = props.kind.builds_images();
        let mut container_name = None;
        if let BuildKind::Image(image) = &props.kind {
            image.repository.grant_push(stack, &role)?;
            variables.insert(0, EnvironmentVariable::plain(REPOSITORY_URI, image.repository.uri()));
            container_name = Some(image.container_name.clone());
        }

        let mut environment =
            l1::Environment::new(props.compute_type.as_str(), props.image.as_str(), "LINUX_CONTAINER")
                .image_pull_credentials_type("CODEBUILD")
                .privileged_mode(privileged);
        if !variables.is_empty() {
            environment =
                environment.environment_variables(variables.iter().map(EnvironmentVariable::to_l1).collect::<Vec<_>>());
        }
        let mut project = codebuild::Project::new(
            l1::Artifacts::new("CODEPIPELINE"),
            environment,
            role.arn(),
            l1::Source::new("CODEPIPELINE").build_spec(buildspec),
        )
        .name(fns::sub(name))
        .encryption_key(key.arn())
        .timeout_in_minutes(i64::from(props.timeout_minutes))
        .queued_timeout_in_minutes(i64::from(props.queued_timeout_minutes))
        .logs_config(
            l1::LogsConfig::new().cloud_watch_logs(l1::CloudWatchLogsConfig::new("ENABLED").group_name(logs.name())),
        );
        if props.local_cache {
            // The Docker layer cache needs the Docker daemon, so only image builds use it.
            let mut modes = vec!["LOCAL_SOURCE_CACHE"];
            if privileged {
                modes.insert(0, "LOCAL_DOCKER_LAYER_CACHE");
            }
            project = project.cache(l1::ProjectCache::new("LOCAL").modes(modes));
        }
        if let Some(text) = props.description {
            project = project.description(text);
        }
        let resource = stack.add(&path, project)?;
        Ok(Self { path, container_name, role, logs, resource })
    }

    /// For image builds, the container name written to `imagedefinitions.json`.
    pub fn image_definitions_container(&self) -> Option<&str> {
        self.container_name.as_deref()
    }

    /// The project's ARN.
    pub fn arn(&self) -> Value<String> {
        self.resource.arn()
    }

    /// The project's name (`Ref`).
    pub fn name(&self) -> Value<String> {
        self.resource.ref_()
    }

    /// The role the builds run as.
    pub fn role(&self) -> &Role {
        &self.role
    }

    /// The build log group.
    pub fn log_group(&self) -> &LogGroup {
        &self.logs
    }

    /// The project's construct path.
    pub fn path(&self) -> &ConstructPath {
        &self.path
    }

    /// The project's logical ID.
    pub fn logical_id(&self) -> &LogicalId {
        self.resource.logical_id()
    }

    /// The L1 resource: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<codebuild::Project> {
        &self.resource
    }
}

fn is_project_name(name: &str) -> bool {
    (2..=255).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
}

#[cfg(test)]
#[path = "project_tests.rs"]
mod tests;
