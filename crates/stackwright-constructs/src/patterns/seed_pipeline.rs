//! [`SeedPipeline`]: the whole seed architecture — a commit becomes a running, watched release.

use stackwright_template::{Output, Parameter, Value};

use crate::codebuild::{BuildKind, ImageBuild, Project, ProjectProps, Report};
use crate::codecommit;
use crate::codepipeline::{
    CodeBuildAction, DeploymentTimeout, EcsDeploy, ManualApproval, Pipeline, PipelineProps, Stage,
};
use crate::codestar::Connection;
use crate::ecr::{Repository, RepositoryProps};
use crate::ecs::{ContainerDefinition, ContainerImage, FargateSize};
use crate::error::{Checks, Error};
use crate::iam::Grantee;
use crate::kms::{Key, KeyProps};
use crate::path::ConstructPath;
use crate::patterns::source::{self, Source};
use crate::patterns::{Hook, LoadBalancedService, LoadBalancedServiceProps};
use crate::stack::Stack;

/// The stack parameter naming the image the service runs until the pipeline's first release.
pub const INITIAL_IMAGE_PARAMETER: &str = "InitialImage";

/// Properties of a [`SeedPipeline`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SeedPipelineProps {
    /// A short lowercase name: the ECR repository's name. **Required.**
    pub name: String,
    /// Where commits come from. **Required.**
    pub source: Source,
    /// The container's name: the task definition's, the buildspec's `imagedefinitions.json`'s
    /// and the deploy action's — one value, checked by the pipeline. **Default:** `app`.
    pub container_name: String,
    /// The port the application listens on. **Default:** 8080.
    pub container_port: u16,
    /// CPU and memory of a task. **Default:** 0.25 vCPU and 512 MiB.
    pub size: FargateSize,
    /// The path the load balancer and the smoke test check. **Default:** `/`.
    pub health_check_path: String,
    /// Unit tests, run on the source before the image is built; JUnit reports written under
    /// `reports/unit` are published. **Default:** none.
    pub unit_test_command: Option<String>,
    /// A manual approval before the deploy, notified on the alarm topic. **Default:** `true`.
    pub approval: bool,
    /// After the deploy, a CodeBuild project requests the health-check path. **Default:** `true`.
    pub smoke_test: bool,
    /// The service's public URL for the smoke test. **Default:** the load balancer's DNS name,
    /// requested without certificate verification (the certificate names your domain, not the
    /// load balancer); give your URL to verify TLS as well.
    pub public_url: Option<Value<String>>,
    /// How long the deploy action waits for the service to become stable. **Default:** 30 minutes.
    pub deployment_timeout: DeploymentTimeout,
    /// Adjustments to the runtime's props — networking, desired count, autoscaling, alarm
    /// e-mails, EFS, the service's own knobs — after the pattern has set the container, size
    /// and health-check path. **Default:** none.
    pub runtime_hook: Option<Hook<LoadBalancedServiceProps>>,
    /// Final adjustments to the image build's props (compute type, build image, cache…).
    /// **Default:** none.
    pub build_hook: Option<Hook<ProjectProps>>,
    /// Final adjustments to the pipeline's props (execution mode, name, artifact expiry…).
    /// **Default:** none.
    pub pipeline_hook: Option<Hook<PipelineProps>>,
}

impl SeedPipelineProps {
    /// The seed architecture for the application `name`, built from `source`.
    pub fn new(name: impl Into<String>, source: Source) -> Self {
        Self {
            name: name.into(),
            source,
            container_name: "app".into(),
            container_port: 8080,
            size: FargateSize::CPU_256_MEMORY_512,
            health_check_path: "/".into(),
            unit_test_command: None,
            approval: true,
            smoke_test: true,
            public_url: None,
            deployment_timeout: DeploymentTimeout::minutes(30),
            runtime_hook: None,
            build_hook: None,
            pipeline_hook: None,
        }
    }

    /// See [`SeedPipelineProps::runtime_hook`].
    #[must_use]
    pub fn runtime_hook(
        mut self,
        adjust: impl Fn(LoadBalancedServiceProps) -> LoadBalancedServiceProps + Send + Sync + 'static,
    ) -> Self {
        self.runtime_hook = Some(Hook::new(adjust));
        self
    }

    /// See [`SeedPipelineProps::build_hook`].
    #[must_use]
    pub fn build_hook(mut self, adjust: impl Fn(ProjectProps) -> ProjectProps + Send + Sync + 'static) -> Self {
        self.build_hook = Some(Hook::new(adjust));
        self
    }

    /// See [`SeedPipelineProps::pipeline_hook`].
    #[must_use]
    pub fn pipeline_hook(mut self, adjust: impl Fn(PipelineProps) -> PipelineProps + Send + Sync + 'static) -> Self {
        self.pipeline_hook = Some(Hook::new(adjust));
        self
    }

    /// See [`SeedPipelineProps::container_name`].
    #[must_use]
    pub fn container_name(mut self, name: impl Into<String>) -> Self {
        self.container_name = name.into();
        self
    }

    /// See [`SeedPipelineProps::container_port`].
    #[must_use]
    pub fn container_port(mut self, port: u16) -> Self {
        self.container_port = port;
        self
    }

    /// See [`SeedPipelineProps::size`].
    #[must_use]
    pub fn size(mut self, size: FargateSize) -> Self {
        self.size = size;
        self
    }

    /// See [`SeedPipelineProps::health_check_path`].
    #[must_use]
    pub fn health_check_path(mut self, path: impl Into<String>) -> Self {
        self.health_check_path = path.into();
        self
    }

    /// See [`SeedPipelineProps::unit_test_command`].
    #[must_use]
    pub fn unit_test_command(mut self, command: impl Into<String>) -> Self {
        self.unit_test_command = Some(command.into());
        self
    }

    /// See [`SeedPipelineProps::approval`].
    #[must_use]
    pub fn approval(mut self, yes: bool) -> Self {
        self.approval = yes;
        self
    }

    /// See [`SeedPipelineProps::smoke_test`].
    #[must_use]
    pub fn smoke_test(mut self, yes: bool) -> Self {
        self.smoke_test = yes;
        self
    }

    /// See [`SeedPipelineProps::public_url`].
    #[must_use]
    pub fn public_url(mut self, url: impl Into<Value<String>>) -> Self {
        self.public_url = Some(url.into());
        self
    }

    /// See [`SeedPipelineProps::deployment_timeout`].
    #[must_use]
    pub fn deployment_timeout(mut self, timeout: DeploymentTimeout) -> Self {
        self.deployment_timeout = timeout;
        self
    }
}

/// The seed architecture: ECR repository, image build with unit tests, CodePipeline V2
/// (source, build, approval, rolling ECS deploy, smoke test) whose failures are notified, and
/// the [`LoadBalancedService`] it deploys to — all encrypted with one customer-managed key.
///
/// Every part is a public field: the L2 constructs, and through their `.resource()` the L1s.
#[derive(Debug)]
#[non_exhaustive]
pub struct SeedPipeline {
    /// The customer-managed key.
    pub key: Key,
    /// The image repository.
    pub repository: Repository,
    /// The runtime: service, load balancer, alarms, topic.
    pub runtime: LoadBalancedService,
    /// The image build.
    pub build: Project,
    /// The post-deploy smoke test, with [`SeedPipelineProps::smoke_test`].
    pub smoke_test: Option<Project>,
    /// The pipeline.
    pub pipeline: Pipeline,
    /// The CodeStar connection, when the stack creates it.
    pub connection: Option<Connection>,
    /// The CodeCommit repository, when the stack creates it.
    pub code_repository: Option<codecommit::Repository>,
}

impl SeedPipeline {
    /// Builds the seed architecture at `path`.
    pub fn new(stack: &mut Stack, path: impl Into<ConstructPath>, mut props: SeedPipelineProps) -> Result<Self, Error> {
        let path = path.into();
        if !stack.record(check(&path, &props)) {
            // The path broke `pattern/health-check-path`: the load balancer is built with `/`
            // rather than report the same path again (the stack will not finish).
            props.health_check_path = "/".into();
        }
        let key = Key::new(stack, path.child("Key"), KeyProps::new())?;
        let repository =
            Repository::new(stack, path.child("Repository"), &key, RepositoryProps::new().name(props.name.clone()))?;

        // The repository is empty when this stack is first deployed: the service starts with
        // an image named by a parameter, and may already pull from the repository.
        let initial_image = stack.add_parameter(
            INITIAL_IMAGE_PARAMETER,
            Parameter::string().description(
                "The image the service runs until the pipeline's first release: public, or in this stack's \
                 repository. It must serve the health-check path with a read-only root filesystem. A stack update \
                 that changes the task definition runs this image again: set it to the released image first.",
            ),
        )?;
        let image = ContainerImage::Bootstrap { image: initial_image.value(), repository_arn: repository.arn() };
        // No container health check: it would need a shell and curl in every image (distroless
        // and scratch images have neither); the load balancer's check watches the same path.
        let container = ContainerDefinition::new(props.container_name.clone(), image).port(props.container_port);
        let mut runtime_props = LoadBalancedServiceProps::new(container)
            .size(props.size)
            .health_check_path(props.health_check_path.clone());
        if let Some(hook) = &props.runtime_hook {
            runtime_props = hook.apply(runtime_props);
        }
        let runtime = LoadBalancedService::new(stack, path.child("Web"), &key, runtime_props)?;
        repository.grant_pull(stack, runtime.task_definition.execution_role())?;

        let mut image_build = ImageBuild::new(&repository, props.container_name.clone());
        let mut build_props = ProjectProps::new(BuildKind::Image(image_build.clone()));
        if let Some(command) = props.unit_test_command {
            image_build = image_build.unit_test_command(command);
            build_props =
                ProjectProps::new(BuildKind::Image(image_build)).report(Report::junit("unit", "reports/unit"));
        }
        if let Some(hook) = &props.build_hook {
            build_props = hook.apply(build_props);
        }
        let build = Project::new(stack, path.child("Build"), &key, build_props)?;

        let built_source = source::build(stack, &path, props.source)?;
        let topic_arn = runtime.topic.arn();
        let mut stages = vec![
            Stage::new("Source").action(built_source.action),
            Stage::new("Build").action(CodeBuildAction::new(&build, "Source").output("Image")),
        ];
        if props.approval {
            stages.push(
                Stage::new("Approve").action(
                    ManualApproval::new()
                        .notify(topic_arn.clone())
                        .message(format!("Deploy {} to production?", props.name)),
                ),
            );
        }
        let task_definition = &runtime.task_definition;
        let mut deploy = Stage::new("Deploy").action(
            EcsDeploy::new(
                runtime.service.cluster_name(),
                runtime.service.service_name(),
                "Image",
                task_definition.container_name(),
            )
            .timeout(props.deployment_timeout)
            .pass_role(task_definition.execution_role().arn())
            .pass_role(task_definition.task_role().arn()),
        );
        // The smoke test runs in the deploy stage, after the deploy: when it fails, the stage's
        // rollback restores the previous release.
        let smoke_test = if props.smoke_test {
            let (url, insecure) = match props.public_url {
                Some(url) => (url, ""),
                None => (runtime.load_balancer.url(), " --insecure"),
            };
            let command = format!(
                "curl --fail --silent --show-error --retry 5 --retry-all-errors{insecure} \"$SERVICE_URL{}\"",
                props.health_check_path
            );
            let project = Project::new(stack, path.child("SmokeTest"), &key, ProjectProps::smoke_test(url, [command]))?;
            deploy = deploy.action(CodeBuildAction::test(&project, "Source").name("SmokeTest").run_order(2));
            Some(project)
        } else {
            None
        };
        stages.push(deploy);
        let mut pipeline_props = PipelineProps::new(stages).access_logs(runtime.load_balancer.access_log_bucket());
        if let Some(hook) = &props.pipeline_hook {
            pipeline_props = hook.apply(pipeline_props);
        }
        let pipeline = Pipeline::new(stack, path.child("Pipeline"), &key, pipeline_props)?;
        let failures = pipeline.notify_failures(stack, topic_arn)?;
        // Approval notifications are published with the pipeline's role (granted by the action),
        // failure notifications by EventBridge, which the topic must admit.
        runtime.topic.allow_publish_from(stack, "events.amazonaws.com", Some(failures.arn()))?;

        let prefix = path.segments().concat();
        stack.add_output(
            &format!("{prefix}RepositoryUri"),
            Output::new(repository.uri()).description("Where the pipeline pushes the application's images"),
        )?;
        stack.add_output(
            &format!("{prefix}PipelineName"),
            Output::new(pipeline.name()).description("The delivery pipeline"),
        )?;
        Ok(Self {
            key,
            repository,
            runtime,
            build,
            smoke_test,
            pipeline,
            connection: built_source.connection,
            code_repository: built_source.repository,
        })
    }
}

/// Characters a health-check path may hold: it is written into the smoke test's shell command
/// (inside double quotes), so nothing the shell would expand there.
fn valid_health_check_path(path: &str) -> bool {
    path.starts_with('/') && path.chars().all(|c| c.is_ascii_alphanumeric() || "/-._~?=&%+,".contains(c))
}

fn check(path: &ConstructPath, props: &SeedPipelineProps) -> Checks {
    let mut checks = Checks::new(path);
    let health = &props.health_check_path;
    checks.require(valid_health_check_path(health), "pattern/health-check-path", || {
        format!("health_check_path must start with `/` and hold only letters, digits and / - . _ ~ ? = & % + , (it is used in the smoke test's shell command), got {health:?}")
    });
    checks
}
