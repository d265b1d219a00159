//! [`PromotionPipeline`]: one pipeline per service that builds an image once and promotes it
//! through the environments in order (staging, then after approval production, which may be in
//! another account); [`PromotionTarget`]: what each environment's service stack adds so the
//! pipeline may release to it.
//!
//! Every release is the seed pipeline's: a stack update of that environment's service stack
//! that changes only the image parameter, so no later stack update reverts it and the service's
//! rolling deployment, circuit breaker and alarm rollback apply. The release project runs in the
//! pipeline's account and assumes a role of the target stack (`<stack>-release`) that may do
//! exactly that update; no artifact leaves the pipeline's account (see `docs/PLATFORM.md`).

use std::collections::{BTreeMap, BTreeSet};

use stackwright_template::{Parameter, StackName, Value, fns};

use crate::codebuild::{AssumedStack, BuildKind, Project, ProjectProps, ReleaseBuild, ReleaseTarget};
use crate::codecommit;
use crate::codepipeline::{CodeBuildAction, ManualApproval, Pipeline, PipelineProps, Stage};
use crate::codestar::Connection;
use crate::ecr::{PULL, Repository};
use crate::ecs::{ContainerImage, FargateService, FargateTaskDefinition};
use crate::environment::Environment;
use crate::error::{Checks, Error};
use crate::iam::{Principal, Role, RoleProps, Statement};
use crate::kms::{Key, KeyProps};
use crate::logs::Retention;
use crate::path::ConstructPath;
use crate::patterns::settings::{DeliverySettings, ReleaseMode};
use crate::patterns::{IMAGE_URI_PARAMETER, Source, delivery, source};
use crate::sns::{Topic, TopicProps};
use crate::stack::Stack;

/// Properties of a [`PromotionPipeline`], shared with the [`PromotionTarget`]s of its service
/// stacks: both sides name the same roles, stacks and repository from them.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PromotionPipelineProps {
    /// The service's name (its stacks are `<name>-<environment>`, its pipeline's
    /// `<name>-pipeline`, its ECR repository `<name>`), source, unit tests, deployment timeout
    /// and hooks; **Required.** `approval` is each environment's unless it overrides it, and
    /// only [`ReleaseMode::CloudFormation`] is accepted (rule `promotion/release-mode`).
    pub delivery: DeliverySettings,
    /// The environments in promotion order, each with its account and region pinned (rule
    /// `promotion/placement`: the roles' ARNs name them). The pipeline lives in the first's
    /// account and region. **Required.**
    pub environments: Vec<Environment>,
    /// The container the image runs in, as the task definitions name it. **Default:** `app`.
    pub container_name: String,
    /// After each release, a smoke test requests this URL of that environment, by environment
    /// name. **Default:** none (the release's own checks — the rolling deployment's health
    /// checks, circuit breaker and alarms — still gate the stage).
    pub smoke_test_urls: BTreeMap<String, String>,
    /// After each release, a smoke test runs this shell command of that environment, by
    /// environment name, on the source in the pipeline's account — for a service with no URL to
    /// request (a worker): one that checks a test queue drains, say. An environment has a URL or
    /// a command, not both (rule `promotion/smoke-test-twice`). **Default:** none.
    pub smoke_test_commands: BTreeMap<String, String>,
    /// Addresses told of approvals waiting and of failed executions. **Default:** none.
    pub notification_emails: Vec<String>,
    /// Retention of the build, release and smoke-test logs. **Default:** [`Retention::OneYear`].
    pub log_retention: Retention,
}

impl PromotionPipelineProps {
    /// The promotion of service `name`, built from `source`, through `environments` in order.
    pub fn new(name: impl Into<String>, source: Source, environments: impl IntoIterator<Item = Environment>) -> Self {
        Self {
            delivery: DeliverySettings::new(name, source),
            environments: environments.into_iter().collect(),
            container_name: "app".into(),
            smoke_test_urls: BTreeMap::new(),
            smoke_test_commands: BTreeMap::new(),
            notification_emails: Vec::new(),
            log_retention: Retention::OneYear,
        }
    }

    /// See [`PromotionPipelineProps::container_name`].
    #[must_use]
    pub fn container_name(mut self, name: impl Into<String>) -> Self {
        self.container_name = name.into();
        self
    }

    /// Adds a smoke test; see [`PromotionPipelineProps::smoke_test_urls`].
    #[must_use]
    pub fn smoke_test(mut self, environment: impl Into<String>, url: impl Into<String>) -> Self {
        self.smoke_test_urls.insert(environment.into(), url.into());
        self
    }

    /// Adds a smoke test; see [`PromotionPipelineProps::smoke_test_commands`].
    #[must_use]
    pub fn smoke_test_command(mut self, environment: impl Into<String>, command: impl Into<String>) -> Self {
        self.smoke_test_commands.insert(environment.into(), command.into());
        self
    }

    /// Adds an address; see [`PromotionPipelineProps::notification_emails`].
    #[must_use]
    pub fn notification_email(mut self, address: impl Into<String>) -> Self {
        self.notification_emails.push(address.into());
        self
    }

    /// See [`DeliverySettings::unit_test_command`].
    #[must_use]
    pub fn unit_test_command(mut self, command: impl Into<String>) -> Self {
        self.delivery.unit_test_command = Some(command.into());
        self
    }

    /// The stack the pipeline lives in: `<name>-pipeline`, placed in the first environment.
    pub fn stack(&self) -> Result<Stack, Error> {
        let mut stack = Stack::new(&self.pipeline_stack_name())?;
        if let Some(first) = self.environments.first() {
            stack = stack.with_placement(first.placement());
        }
        Ok(stack)
    }

    /// In a service stack: the image parameter (`ImageUri`, no `Default`: the first image is
    /// given at creation, each release sets it, every other update keeps it) and the image it
    /// names, pulled from the pipeline's repository once the pipeline has released one.
    pub fn service_image(&self, stack: &mut Stack) -> Result<ContainerImage, Error> {
        let homes = self.homes(&ConstructPath::from(IMAGE_URI_PARAMETER))?;
        // invariant: `homes` returns one home per environment once `promotion/environments` (at least
        // one) and `promotion/placement` (each pinned) hold, or an error.
        let pipeline = &homes[0];
        let mut parameter = Parameter::string().description(
            "The image the service runs. At stack creation: a first image that serves the health check with a \
             read-only root filesystem (public, or in the promotion pipeline's repository). Afterwards each release \
             sets it; every other stack update keeps its value (UsePreviousValue).",
        );
        parameter.min_length = Some(1);
        let image = stack.add_parameter(IMAGE_URI_PARAMETER, parameter)?;
        let repository_arn = fns::sub(format!(
            "arn:${{AWS::Partition}}:ecr:{}:{}:repository/{}",
            pipeline.region, pipeline.account, self.delivery.name
        ));
        Ok(ContainerImage::Bootstrap { image: image.value(), repository_arn })
    }

    /// Where each environment is, in order, once the environments are checked; the pipeline
    /// lives in the first's account and region.
    fn homes(&self, path: &ConstructPath) -> Result<Vec<Home>, Error> {
        let mut checks = Checks::new(path);
        check_environments(self, &mut checks);
        checks.finish()?;
        Ok(self.environments.iter().filter_map(home).collect())
    }

    fn pipeline_stack_name(&self) -> String {
        format!("{}-pipeline", self.delivery.name)
    }

    /// The role the release project of `environment` runs as, in the pipeline's account.
    fn release_project_role(&self, environment: &str) -> String {
        format!("{}-release-{environment}", self.pipeline_stack_name())
    }
}

/// Where an environment's stacks go.
struct Home {
    account: String,
    region: String,
}

fn home(env: &Environment) -> Option<Home> {
    let placement = env.placement();
    Some(Home { account: placement.account?, region: placement.region? })
}

/// The role a release assumes in the service stack `stack` (`<stack>-release`).
fn release_role_name(stack: &str) -> String {
    format!("{stack}-release")
}

fn check_environments(props: &PromotionPipelineProps, checks: &mut Checks) {
    checks.require(!props.environments.is_empty(), "promotion/environments", || {
        "a promotion needs at least one environment to release to".to_owned()
    });
    let mut seen = BTreeSet::new();
    for env in &props.environments {
        let name = env.name();
        checks.require(home(env).is_some(), "promotion/placement", || {
            format!(
                "environment {name:?} must pin its account and region: the release roles' ARNs and trust policies \
                 name them"
            )
        });
        checks.require(seen.insert(name), "promotion/duplicate-environment", || {
            format!("environment {name:?} is listed twice: its stack and stages would be written twice")
        });
    }
    for name in props.smoke_test_urls.keys().chain(props.smoke_test_commands.keys()) {
        checks.require(seen.contains(name.as_str()), "promotion/smoke-test-environment", || {
            format!("smoke test for {name:?}, which is not an environment of this promotion")
        });
    }
    for name in props.smoke_test_commands.keys() {
        checks.require(!props.smoke_test_urls.contains_key(name), "promotion/smoke-test-twice", || {
            format!("environment {name:?} has a smoke-test URL and a smoke-test command: give one")
        });
    }
    checks.require(
        props.delivery.release_mode == ReleaseMode::CloudFormation,
        "promotion/release-mode",
        || "a promotion releases as stack updates (ReleaseMode::CloudFormation): the ECS deploy action cannot reach another account's service without its artifacts".to_owned(),
    );
}

/// What a service stack of a promotion adds: the role the pipeline's release assumes to update
/// this stack (`<stack>-release`, a fixed name the pipeline's account can name before it
/// exists).
///
/// It trusts the pipeline's account, on condition that the caller is that environment's
/// release project role (`aws:PrincipalArn`): IAM refuses a trust policy naming a role that does
/// not exist yet, and the pipeline stack is deployed after this one. It may update this stack
/// only, and do what CloudFormation then does with its credentials (the same grants as the seed
/// pipeline's release role).
#[derive(Debug)]
#[non_exhaustive]
pub struct PromotionTarget {
    /// The release role.
    pub role: Role,
}

impl PromotionTarget {
    /// Adds the release role at `path` to `stack`, the stack of `environment` for the promotion
    /// `promotion`, whose service is `service` running `task_definition`.
    pub fn new(
        stack: &mut Stack,
        path: impl Into<ConstructPath>,
        promotion: &PromotionPipelineProps,
        environment: &Environment,
        service: &FargateService,
        task_definition: &FargateTaskDefinition,
    ) -> Result<Self, Error> {
        let path = path.into();
        let homes = promotion.homes(&path)?;
        // invariant: `homes` returns one home per environment once `promotion/environments` (at least
        // one) and `promotion/placement` (each pinned) hold, or an error.
        let pipeline = &homes[0];
        let mut checks = Checks::new(&path);
        let expected = format!("{}-{}", promotion.delivery.name, environment.name());
        let actual = stack.name().as_str().to_owned();
        checks.require(actual == expected, "promotion/stack-name", || {
            format!(
                "the pipeline releases environment {:?} to stack {expected:?}, not to {actual:?}",
                environment.name()
            )
        });
        checks.require(
            promotion.environments.iter().any(|e| e.name() == environment.name()),
            "promotion/unknown-environment",
            || format!("environment {:?} is not one the promotion releases to", environment.name()),
        );
        checks.finish()?;
        let caller = fns::sub(format!(
            "arn:${{AWS::Partition}}:iam::{}:role/{}",
            pipeline.account,
            promotion.release_project_role(environment.name())
        ));
        let props =
            RoleProps::new(Principal::Aws(fns::sub(format!("arn:${{AWS::Partition}}:iam::{}:root", pipeline.account))))
                .source_account_condition(false)
                .trust_condition("ArnEquals", "aws:PrincipalArn", caller.to_json())
                .name(release_role_name(&actual))
                .description(format!("Releases images of pipeline {} to this stack", promotion.pipeline_stack_name()));
        let role = Role::new(stack, path, props)?;
        ReleaseTarget::of(service, task_definition).grant(stack, &role)?;
        Ok(Self { role })
    }
}

/// One pipeline per service: source, one image build, then for each environment in order an
/// optional manual approval and a deploy stage — the release (a stack update of that
/// environment's service stack through its [`PromotionTarget`] role, run order 1) and the
/// smoke test (run order 2). A deploy stage that fails rolls back (CodePipeline V2
/// `OnFailure: ROLLBACK`) to the stage's last successful execution, whose release restores the
/// previous image.
///
/// Every part is a public field.
#[derive(Debug)]
#[non_exhaustive]
pub struct PromotionPipeline {
    /// The customer-managed key of the repository, artifacts, logs and topic.
    pub key: Key,
    /// The image repository; other environments' accounts may pull from it.
    pub repository: Repository,
    /// The image build, run once per commit.
    pub build: Project,
    /// The release projects, one per environment, in order.
    pub releases: Vec<Project>,
    /// The smoke tests, in the order of their environments.
    pub smoke_tests: Vec<Project>,
    /// Approvals and failed executions are notified here.
    pub topic: Topic,
    /// The pipeline.
    pub pipeline: Pipeline,
    /// The CodeStar connection, when the stack creates it.
    pub connection: Option<Connection>,
    /// The CodeCommit repository, when the stack creates it.
    pub code_repository: Option<codecommit::Repository>,
}

impl PromotionPipeline {
    /// Builds the pipeline at `path` in `stack` (from [`PromotionPipelineProps::stack`]); the
    /// stack is deployed after the service stacks it releases to.
    pub fn new(
        stack: &mut Stack,
        path: impl Into<ConstructPath>,
        props: &PromotionPipelineProps,
    ) -> Result<Self, Error> {
        let path = path.into();
        let homes = props.homes(&path)?;
        // invariant: `homes` returns one home per environment once `promotion/environments` (at least
        // one) and `promotion/placement` (each pinned) hold, or an error.
        let pipeline_home = &homes[0];
        let name = props.delivery.name.clone();
        let key = Key::new(stack, path.child("Key"), KeyProps::new())?;
        let mut repository_props = props.delivery.ecr.to_props(&name);
        let other_accounts: BTreeSet<&str> =
            homes.iter().map(|h| h.account.as_str()).filter(|account| *account != pipeline_home.account).collect();
        // Each other account's execution roles pull the released image from here; their own
        // policies still have to allow it (cross-account access needs both sides).
        for account in &other_accounts {
            repository_props = repository_props.policy_statement(
                Statement::allow(PULL)
                    .principal(Principal::Aws(fns::sub(format!("arn:${{AWS::Partition}}:iam::{account}:root"))))
                    .sid(format!("PullFrom{account}")),
            );
        }
        let repository = Repository::new(stack, path.child("Repository"), &key, repository_props)?;
        let topic = props.notification_emails.iter().fold(TopicProps::new(), |t, a| t.email(a.clone()));
        let topic = Topic::new(stack, path.child("Notifications"), &key, topic)?;

        let build = delivery::image_build(
            stack,
            &path,
            &key,
            &repository,
            props.container_name.clone(),
            &props.delivery,
            props.log_retention,
        )?;
        let built_source = source::build(stack, &path, props.delivery.source.clone())?;
        let mut stages = vec![
            Stage::new("Source").action(built_source.action),
            Stage::new("Build").action(CodeBuildAction::new(&build, "Source").output("Image")),
        ];

        let timeout = props.delivery.deployment_timeout;
        let (mut releases, mut smoke_tests) = (Vec::new(), Vec::new());
        for (env, target_home) in props.environments.iter().zip(homes.iter()) {
            let env_name = env.name();
            let target_stack = format!("{name}-{env_name}");
            stack.depend_on(StackName::new(target_stack.clone())?, format!("releases {name} to it"));
            if env.overrides().approval.unwrap_or(props.delivery.approval) {
                let approval =
                    ManualApproval::new().notify(topic.arn()).message(format!("Promote {name} to {env_name}?"));
                stages.push(Stage::new(format!("Approve-{env_name}")).action(approval));
            }
            let role_arn = fns::sub(format!(
                "arn:${{AWS::Partition}}:iam::{}:role/{}",
                target_home.account,
                release_role_name(&target_stack)
            ));
            let target =
                AssumedStack { stack_name: target_stack.clone(), region: target_home.region.clone(), role_arn };
            let release = ReleaseBuild::assuming(&repository, IMAGE_URI_PARAMETER, target).deployment_timeout(timeout);
            let release_props = ProjectProps::new(BuildKind::Release(release))
                // Room for the deployment, and for the rollback that cancelling it starts.
                .timeout_minutes(2 * timeout.get() + 10)
                .local_cache(false)
                .log_retention(props.log_retention)
                .role_name(props.release_project_role(env_name))
                .description(format!(
                    "Releases an image to {target_stack}: a stack update that changes only its image"
                ));
            let segment = pascal(env_name);
            let project = Project::new(stack, path.child(format!("Release{segment}")), &key, release_props)?;
            let mut deploy = Stage::new(format!("Deploy-{env_name}"))
                .action(CodeBuildAction::new(&project, "Image").name("Release"));
            releases.push(project);
            let smoke_props = match (props.smoke_test_urls.get(env_name), props.smoke_test_commands.get(env_name)) {
                (Some(url), _) => {
                    let command = "curl --fail --silent --show-error --retry 5 --retry-all-errors \"$SERVICE_URL\"";
                    Some(ProjectProps::smoke_test(Value::from(url.as_str()), [command]))
                }
                (None, Some(command)) => Some(ProjectProps::new(BuildKind::commands([command.as_str()]))),
                (None, None) => None,
            };
            if let Some(smoke_props) = smoke_props {
                let smoke_props = smoke_props.log_retention(props.log_retention);
                let project = Project::new(stack, path.child(format!("SmokeTest{segment}")), &key, smoke_props)?;
                deploy = deploy.action(CodeBuildAction::test(&project, "Source").name("SmokeTest").run_order(2));
                smoke_tests.push(project);
            }
            stages.push(deploy);
        }

        let pipeline = delivery::pipeline_with_outputs(
            stack,
            &path,
            &key,
            PipelineProps::new(stages),
            &props.delivery,
            &topic,
            &repository,
            ["Where the pipeline pushes the service's images", "The promotion pipeline"],
        )?;
        Ok(Self {
            key,
            repository,
            build,
            releases,
            smoke_tests,
            topic,
            pipeline,
            connection: built_source.connection,
            code_repository: built_source.repository,
        })
    }
}

/// `production` -> `Production`, `eu-prod` -> `EuProd`: a construct path segment.
fn pascal(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
#[path = "promotion_tests.rs"]
mod tests;
