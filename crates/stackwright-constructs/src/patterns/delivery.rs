//! The delivery half the patterns share: the key, the image repository and the image parameter
//! ([`foundation`]), then the image build, the pipeline (source, build, approval, release,
//! smoke test) and its failure notifications ([`deliver`]); the promotion pipeline shares its
//! image build ([`image_build`]) and pipeline tail ([`pipeline_with_outputs`]).

use stackwright_template::{Output, Parameter};

use crate::codebuild::{BuildKind, ImageBuild, Project, ProjectProps, ReleaseBuild, Report};
use crate::codecommit;
use crate::codepipeline::{Action, CodeBuildAction, EcsDeploy, ManualApproval, Pipeline, PipelineProps, Stage};
use crate::codestar::Connection;
use crate::ecr::Repository;
use crate::ecs::{ContainerImage, FargateService, FargateTaskDefinition};
use crate::error::{Checks, Error};
use crate::iam::Grantee;
use crate::kms::{Key, KeyProps};
use crate::logs::Retention;
use crate::path::ConstructPath;
use crate::patterns::settings::{DeliverySettings, ReleaseMode};
use crate::patterns::source;
use crate::s3::Bucket;
use crate::sns::Topic;
use crate::stack::Stack;

/// The stack parameter naming the image the service runs. It has no `Default`: the first image
/// is given when the stack is created, each release sets it, and every other stack update keeps
/// it — one that leaves it out fails instead of reverting the service to a default.
pub const IMAGE_URI_PARAMETER: &str = "ImageUri";

/// What exists before the runtime: the key, the repository, and the container's image.
pub(super) struct Foundation {
    pub(super) key: Key,
    pub(super) repository: Repository,
    pub(super) image: ContainerImage,
}

pub(super) fn foundation(
    stack: &mut Stack,
    path: &ConstructPath,
    settings: &DeliverySettings,
) -> Result<Foundation, Error> {
    let key = Key::new(stack, path.child("Key"), KeyProps::new())?;
    let repository = Repository::new(stack, path.child("Repository"), &key, settings.ecr.to_props(&settings.name))?;
    let description = match settings.release_mode {
        ReleaseMode::CloudFormation => {
            "The image the service runs. At stack creation: a first image that serves the health check with a \
             read-only root filesystem (public, or in this stack's repository). Afterwards each release sets it; \
             every other stack update keeps its value (UsePreviousValue)."
        }
        ReleaseMode::EcsDeployAction => {
            "The image the service runs until the pipeline's first release: public, or in this stack's repository. It \
             must serve the health check with a read-only root filesystem. A stack update that changes the task \
             definition runs this image again: set it to the released image first."
        }
    };
    let mut parameter = Parameter::string().description(description);
    parameter.min_length = Some(1);
    let image = stack.add_parameter(IMAGE_URI_PARAMETER, parameter)?;
    // The repository is empty when the stack is created: the first image may come from
    // elsewhere, and the execution role may already pull from the repository.
    let image = ContainerImage::Bootstrap { image: image.value(), repository_arn: repository.arn() };
    Ok(Foundation { key, repository, image })
}

/// The runtime the pipeline delivers to.
pub(super) struct Target<'a> {
    pub(super) service: &'a FargateService,
    pub(super) task_definition: &'a FargateTaskDefinition,
    /// Approvals and failed executions are notified here.
    pub(super) topic: &'a Topic,
    /// Where the artifact bucket logs; a new log bucket when none.
    pub(super) access_logs: Option<&'a Bucket>,
    /// The smoke test run after the release, in the same stage.
    pub(super) smoke_test: Option<ProjectProps>,
    pub(super) log_retention: Retention,
}

/// The delivery half's parts.
pub(super) struct Delivery {
    pub(super) build: Project,
    pub(super) release: Option<Project>,
    pub(super) smoke_test: Option<Project>,
    pub(super) pipeline: Pipeline,
    pub(super) connection: Option<Connection>,
    pub(super) code_repository: Option<codecommit::Repository>,
}

pub(super) fn deliver(
    stack: &mut Stack,
    path: &ConstructPath,
    foundation: &Foundation,
    settings: &DeliverySettings,
    target: Target<'_>,
) -> Result<Delivery, Error> {
    let Foundation { key, repository, .. } = foundation;
    let task_definition = target.task_definition;
    let build =
        image_build(stack, path, key, repository, task_definition.container_name(), settings, target.log_retention)?;

    let built_source = source::build(stack, path, settings.source.clone())?;
    let mut stages = vec![
        Stage::new("Source").action(built_source.action),
        Stage::new("Build").action(CodeBuildAction::new(&build, "Source").output("Image")),
    ];
    if settings.approval {
        let approval = ManualApproval::new()
            .notify(target.topic.arn())
            .message(format!("Deploy {} to production?", settings.name));
        stages.push(Stage::new("Approve").action(approval));
    }
    let timeout = settings.deployment_timeout;
    let (release_action, release): (Action, Option<Project>) = match settings.release_mode {
        ReleaseMode::CloudFormation => {
            let release = ReleaseBuild::new(repository, IMAGE_URI_PARAMETER, target.service, task_definition)
                .deployment_timeout(timeout);
            // Room for the deployment, and for the rollback that cancelling it starts.
            let props = ProjectProps::new(BuildKind::Release(release))
                .timeout_minutes(2 * timeout.get() + 10)
                // Its input is one small artifact: nothing worth caching.
                .local_cache(false)
                .log_retention(target.log_retention)
                .description("Releases an image: a stack update that changes only the image parameter");
            let project = Project::new(stack, path.child("Release"), key, props)?;
            (CodeBuildAction::new(&project, "Image").name("Release").into(), Some(project))
        }
        ReleaseMode::EcsDeployAction => {
            let deploy = EcsDeploy::new(
                target.service.cluster_name(),
                target.service.service_name(),
                "Image",
                task_definition.container_name(),
            )
            .timeout(timeout)
            .pass_role(task_definition.execution_role().arn())
            .pass_role(task_definition.task_role().arn());
            (deploy.into(), None)
        }
    };
    // The smoke test runs in the release's stage, after it: when it fails, the stage rolls back
    // to the previous successful execution, whose release restores the previous image.
    let mut deploy = Stage::new("Deploy").action(release_action);
    let smoke_test = match target.smoke_test {
        Some(props) => {
            let project = Project::new(stack, path.child("SmokeTest"), key, props.log_retention(target.log_retention))?;
            deploy = deploy.action(CodeBuildAction::test(&project, "Source").name("SmokeTest").run_order(2));
            Some(project)
        }
        None => None,
    };
    stages.push(deploy);
    let mut pipeline_props = PipelineProps::new(stages);
    if let Some(bucket) = target.access_logs {
        pipeline_props = pipeline_props.access_logs(bucket);
    }
    let pipeline = pipeline_with_outputs(
        stack,
        path,
        key,
        pipeline_props,
        settings,
        target.topic,
        repository,
        ["Where the pipeline pushes the application's images", "The delivery pipeline"],
    )?;
    Ok(Delivery {
        build,
        release,
        smoke_test,
        pipeline,
        connection: built_source.connection,
        code_repository: built_source.repository,
    })
}

/// The image build, run once per commit: the unit tests (and their report) when the settings
/// have a command, then the settings' build hook, which may not change the log retention.
pub(super) fn image_build(
    stack: &mut Stack,
    path: &ConstructPath,
    key: &Key,
    repository: &Repository,
    container_name: impl Into<String>,
    settings: &DeliverySettings,
    log_retention: Retention,
) -> Result<Project, Error> {
    let mut image_build = ImageBuild::new(repository, container_name);
    let mut reports = Vec::new();
    if let Some(command) = &settings.unit_test_command {
        image_build = image_build.unit_test_command(command.clone());
        reports.push(Report::junit("unit", "reports/unit"));
    }
    let mut build_props =
        reports.into_iter().fold(ProjectProps::new(BuildKind::Image(image_build)), ProjectProps::report);
    build_props = build_props.log_retention(log_retention);
    if let Some(hook) = &settings.build_hook {
        build_props = hook.apply(build_props);
        let mut checks = Checks::new(path);
        checks.require(build_props.log_retention == log_retention, "pattern/hook-conflict", || {
            format!(
                "build_hook changes log_retention from {:?} to {:?}: set it in one place, the pattern's log_retention",
                log_retention, build_props.log_retention
            )
        });
        stack.record(checks);
    }
    Project::new(stack, path.child("Build"), key, build_props)
}

/// The pipeline (after the settings' pipeline hook), its failure notifications to `topic`, and
/// the outputs naming the repository and the pipeline, described by `descriptions`.
#[allow(clippy::too_many_arguments)] // each is a distinct part of the stack; a struct would only rename them
pub(super) fn pipeline_with_outputs(
    stack: &mut Stack,
    path: &ConstructPath,
    key: &Key,
    mut pipeline_props: PipelineProps,
    settings: &DeliverySettings,
    topic: &Topic,
    repository: &Repository,
    [repository_description, pipeline_description]: [&str; 2],
) -> Result<Pipeline, Error> {
    if let Some(hook) = &settings.pipeline_hook {
        pipeline_props = hook.apply(pipeline_props);
    }
    let pipeline = Pipeline::new(stack, path.child("Pipeline"), key, pipeline_props)?;
    let failures = pipeline.notify_failures(stack, topic.arn())?;
    // Approval notifications are published with the pipeline's role (granted by the action),
    // failure notifications by EventBridge, which the topic must admit.
    topic.allow_publish_from(stack, "events.amazonaws.com", Some(failures.arn()))?;
    let prefix = path.segments().concat();
    stack.add_output(
        &format!("{prefix}RepositoryUri"),
        Output::new(repository.uri()).description(repository_description),
    )?;
    stack
        .add_output(&format!("{prefix}PipelineName"), Output::new(pipeline.name()).description(pipeline_description))?;
    Ok(pipeline)
}
