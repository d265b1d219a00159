//! [`SeedPipeline`]: the whole seed architecture — a commit becomes a running, watched release.

use stackwright_template::Value;

use crate::codebuild::{Project, ProjectProps};
use crate::codecommit;
use crate::codepipeline::Pipeline;
use crate::codestar::Connection;
use crate::ecr::Repository;
use crate::ecs::ContainerDefinition;
use crate::error::{Checks, Error};
use crate::kms::Key;
use crate::path::ConstructPath;
use crate::patterns::delivery::{self, Target};
use crate::patterns::settings::settings_setters;
use crate::patterns::source::Source;
use crate::patterns::{
    DeliverySettings, Hook, LoadBalancedService, LoadBalancedServiceProps, ServiceSettings, conflicts,
};
use crate::stack::Stack;

/// Properties of a [`SeedPipeline`]. The common settings are plain data ([`ServiceSettings`],
/// [`DeliverySettings`], with setters here); hooks reach everything else.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SeedPipelineProps {
    /// Repository, source, build, approval and release; its name and source are **Required.**
    pub delivery: DeliverySettings,
    /// The container, its environment and secrets, size, logs and task count. **Default:**
    /// [`ServiceSettings::default`].
    pub service: ServiceSettings,
    /// The port the application listens on. **Default:** 8080.
    pub container_port: u16,
    /// The path the load balancer and the smoke test check. **Default:** `/`.
    pub health_check_path: String,
    /// After the release, a CodeBuild project requests the health-check path. **Default:** `true`.
    pub smoke_test: bool,
    /// The service's public URL for the smoke test. **Default:** the load balancer's DNS name,
    /// requested without certificate verification (the certificate names your domain, not the
    /// load balancer); give your URL to verify TLS as well.
    pub public_url: Option<Value<String>>,
    /// Adjustments to the runtime's props — networking, EFS, the service's own knobs — after the
    /// pattern has set them from the settings; several compose in order. Changing what a setting
    /// set is an error naming both (rule `pattern/hook-conflict`). **Default:** none.
    pub runtime_hook: Option<Hook<LoadBalancedServiceProps>>,
}

impl SeedPipelineProps {
    /// The seed architecture for the application `name`, built from `source`.
    pub fn new(name: impl Into<String>, source: Source) -> Self {
        Self {
            delivery: DeliverySettings::new(name, source),
            service: ServiceSettings::default(),
            container_port: 8080,
            health_check_path: "/".into(),
            smoke_test: true,
            public_url: None,
            runtime_hook: None,
        }
    }

    /// Adds a hook, run after those set before; see [`SeedPipelineProps::runtime_hook`].
    #[must_use]
    pub fn runtime_hook(
        mut self,
        adjust: impl Fn(LoadBalancedServiceProps) -> LoadBalancedServiceProps + Send + Sync + 'static,
    ) -> Self {
        self.runtime_hook = Some(Hook::then(self.runtime_hook.take(), adjust));
        self
    }

    /// See [`SeedPipelineProps::container_port`].
    #[must_use]
    pub fn container_port(mut self, port: u16) -> Self {
        self.container_port = port;
        self
    }

    /// See [`SeedPipelineProps::health_check_path`].
    #[must_use]
    pub fn health_check_path(mut self, path: impl Into<String>) -> Self {
        self.health_check_path = path.into();
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
}

settings_setters!(SeedPipelineProps);

/// The seed architecture: ECR repository, image build with unit tests, CodePipeline V2
/// (source, build, approval, release, smoke test) whose failures are notified, and the
/// [`LoadBalancedService`] it delivers to — all encrypted with one customer-managed key.
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
    /// The release (a stack update), in [`crate::patterns::ReleaseMode::CloudFormation`].
    pub release: Option<Project>,
    /// The post-release smoke test, with [`SeedPipelineProps::smoke_test`].
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
        let foundation = delivery::foundation(stack, &path, &props.delivery)?;
        let runtime_props = runtime_props(&props, &foundation.image);
        let runtime_props = match &props.runtime_hook {
            Some(hook) => {
                let hooked = hook.apply(runtime_props.clone());
                let mut checks = Checks::new(&path);
                conflicts::runtime(&mut checks, "SeedPipelineProps", &runtime_props, &hooked);
                stack.record(checks);
                hooked
            }
            None => runtime_props,
        };
        let runtime = LoadBalancedService::new(stack, path.child("Web"), &foundation.key, runtime_props)?;
        foundation.repository.grant_pull(stack, runtime.task_definition.execution_role())?;
        // The pipeline's notifications need a grant on the topic's policy, which only a topic
        // of this stack can take.
        let Some(topic) = runtime.topic.own() else {
            let mut checks = Checks::new(&path);
            checks.fail(
                "seed-pipeline/shared-topic",
                "runtime_hook sets a shared alarm topic, but the pipeline publishes its failures to the service's own \
                 topic, whose policy this stack writes: keep LoadBalancedServiceProps::alarm_topic Own",
            );
            return Err(stack.stop(checks));
        };

        let smoke_test = props.smoke_test.then(|| {
            let (url, insecure) = match props.public_url.clone() {
                Some(url) => (url, ""),
                None => (runtime.load_balancer.url(), " --insecure"),
            };
            let command = format!(
                "curl --fail --silent --show-error --retry 5 --retry-all-errors{insecure} \"$SERVICE_URL{}\"",
                props.health_check_path
            );
            ProjectProps::smoke_test(url, [command])
        });
        let target = Target {
            service: &runtime.service,
            task_definition: &runtime.task_definition,
            topic,
            access_logs: Some(runtime.load_balancer.access_log_bucket()),
            smoke_test,
            log_retention: props.service.log_retention,
        };
        let delivered = delivery::deliver(stack, &path, &foundation, &props.delivery, target)?;
        Ok(Self {
            key: foundation.key,
            repository: foundation.repository,
            runtime,
            build: delivered.build,
            release: delivered.release,
            smoke_test: delivered.smoke_test,
            pipeline: delivered.pipeline,
            connection: delivered.connection,
            code_repository: delivered.code_repository,
        })
    }
}

/// The runtime's props from the settings.
fn runtime_props(props: &SeedPipelineProps, image: &crate::ecs::ContainerImage) -> LoadBalancedServiceProps {
    let settings = &props.service;
    // No container health check: it would need a shell and curl in every image (distroless
    // and scratch images have neither); the load balancer's check watches the same path.
    let mut container =
        ContainerDefinition::new(settings.container_name.clone(), image.clone()).port(props.container_port);
    for (name, value) in &settings.environment {
        container = container.env(name.clone(), value.clone());
    }
    for (name, secret) in &settings.secrets {
        container = container.secret(name.clone(), secret.to_container_secret());
    }
    let mut runtime = LoadBalancedServiceProps::new(container)
        .size(settings.size)
        .health_check_path(props.health_check_path.clone())
        .log_retention(settings.log_retention);
    runtime.desired_count = settings.desired_count;
    runtime.autoscaling.clone_from(&settings.autoscaling);
    runtime.alarm_emails.clone_from(&settings.alarm_emails);
    runtime
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
