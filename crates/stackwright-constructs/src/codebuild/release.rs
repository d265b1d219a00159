//! [`ReleaseBuild`]: a release as a CloudFormation stack update that changes only the stack
//! parameter naming the running image, rendered from `templates/buildspec/release.yml.hbs`.
//!
//! CloudFormation stays the one owner of the running image: the release runs `update-stack
//! --use-previous-template` with the new image and `UsePreviousValue` for every other
//! parameter, so a later stack update keeps the released image and a release never reverts a
//! configuration change. The list of kept parameters is the finished template's (rendered when
//! the stack is finished), never a hand-kept list.

use serde_json::json;
use stackwright_template::{LogicalId, Pseudo, Template, Value, fns};

use crate::codebuild::buildspec;
use crate::codepipeline::DeploymentTimeout;
use crate::ecr::Repository;
use crate::ecs::{FargateService, FargateTaskDefinition};
use crate::error::{Checks, Error};
use crate::iam::{Action, Grantee, Statement};
use crate::path::ConstructPath;
use crate::stack::Stack;

/// The release buildspec's template, compiled with the others (`buildspec::render_named`).
pub(crate) const TEMPLATE: &str = include_str!("../../../../templates/buildspec/release.yml.hbs");

/// The variables a release build sets itself.
pub(crate) const STACK_ID: &str = "STACK_ID";
pub(crate) const DEPLOYMENT_TIMEOUT: &str = "DEPLOYMENT_TIMEOUT_MINUTES";
/// For a release to another stack: the role it assumes there, and the stack's region.
pub(crate) const RELEASE_ROLE_ARN: &str = "RELEASE_ROLE_ARN";
pub(crate) const TARGET_REGION: &str = "TARGET_REGION";
/// Every variable a release project sets itself: the user's may not take these names.
pub(crate) const RESERVED: [&str; 5] =
    [buildspec::REPOSITORY_URI, STACK_ID, DEPLOYMENT_TIMEOUT, RELEASE_ROLE_ARN, TARGET_REGION];
const ASSUME_ROLE: Action = Action::from_static("sts:AssumeRole");

/// Update this stack and follow the update (cancelling it rolls it back).
const STACK: [Action; 4] = [
    Action::from_static("cloudformation:CancelUpdateStack"),
    Action::from_static("cloudformation:DescribeStackEvents"),
    Action::from_static("cloudformation:DescribeStacks"),
    Action::from_static("cloudformation:UpdateStack"),
];
/// What CloudFormation calls, with the caller's credentials, to replace the task definition
/// (registry schema `AWS::ECS::TaskDefinition`, handlers create/delete/read): these actions
/// have no resource type, IAM only accepts `*`.
const TASK_DEFINITION_REVISIONS: [Action; 3] = [
    Action::from_static("ecs:DeregisterTaskDefinition"),
    Action::from_static("ecs:DescribeTaskDefinition"),
    Action::from_static("ecs:RegisterTaskDefinition"),
];
/// What CloudFormation calls to update the service (registry schema `AWS::ECS::Service`,
/// handlers update/read).
const SERVICE: [Action; 7] = [
    Action::from_static("ecs:DescribeServiceDeployments"),
    Action::from_static("ecs:DescribeServices"),
    Action::from_static("ecs:ListServiceDeployments"),
    Action::from_static("ecs:ListTagsForResource"),
    Action::from_static("ecs:TagResource"),
    Action::from_static("ecs:UntagResource"),
    Action::from_static("ecs:UpdateService"),
];
/// The same handlers, on the service's deployments.
const SERVICE_DEPLOYMENTS: [Action; 2] =
    [Action::from_static("ecs:DescribeServiceDeployments"), Action::from_static("ecs:StopServiceDeployment")];
const TAG: Action = Action::from_static("ecs:TagResource");
const GET_ROLE: Action = Action::from_static("iam:GetRole");
const PASS_ROLE: Action = Action::from_static("iam:PassRole");

/// Properties of IAM resources that give them a custom name, which needs
/// `CAPABILITY_NAMED_IAM` rather than `CAPABILITY_IAM`.
const IAM_NAME_PROPERTIES: [&str; 5] =
    ["GroupName", "InstanceProfileName", "ManagedPolicyName", "RoleName", "UserName"];

/// A release of the image in the input artifact's `image-uri.txt` (written by an image build
/// of `repository`) to the ECS service of this stack, as an update of this stack.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReleaseBuild {
    /// The stack parameter naming the running image (the task definition's image is a `Ref`
    /// to it). It must be a parameter of the stack, without a `Default`.
    pub image_parameter: String,
    /// The repository images are released from: the release refuses any other image.
    pub repository: Repository,
    /// The stack it updates, and with which credentials.
    pub(crate) updates: Updates,
    /// How long the release waits for CloudFormation before it cancels the update (which
    /// rolls it back), 1 to 60 minutes. **Default:** 30 minutes.
    pub deployment_timeout: DeploymentTimeout,
}

/// The stack a release updates.
#[derive(Debug, Clone)]
pub(crate) enum Updates {
    /// The project's own stack, with the project's role (granted [`ReleaseTarget::grant`]).
    ThisStack(ReleaseTarget),
    /// A stack of another account or region, with a role of that stack which may update it
    /// (granted [`ReleaseTarget::grant`] there); the project's role may only assume it.
    Assumed(AssumedStack),
}

/// A stack a release reaches by assuming its release role.
#[derive(Debug, Clone)]
pub(crate) struct AssumedStack {
    pub(crate) stack_name: String,
    pub(crate) region: String,
    pub(crate) role_arn: Value<String>,
}

/// The resources a release updates.
#[derive(Debug, Clone)]
pub(crate) struct ReleaseTarget {
    cluster_name: Value<String>,
    service_name: Value<String>,
    service_arn: Value<String>,
    family: Value<String>,
    roles: Vec<Value<String>>,
}

impl ReleaseTarget {
    /// The service's cluster, name and ARN; the task definition's family and roles: what
    /// CloudFormation touches with the release's credentials.
    pub(crate) fn of(service: &FargateService, task_definition: &FargateTaskDefinition) -> Self {
        Self {
            cluster_name: service.cluster_name(),
            service_name: service.service_name(),
            // `Ref` is the service ARN (and the form every CloudFormation implementation resolves).
            service_arn: service.ref_(),
            family: task_definition.family(),
            roles: vec![task_definition.execution_role().arn(), task_definition.task_role().arn()],
        }
    }

    /// Lets `grantee` update the stack being built and do what CloudFormation then does with
    /// its credentials: register and deregister task-definition revisions of this family,
    /// update this service, pass exactly the task's two roles to ECS tasks.
    pub(crate) fn grant(&self, stack: &mut Stack, grantee: &dyn Grantee) -> Result<(), Error> {
        let t = self;
        grantee.grant(stack, Statement::allow(STACK).on(fns::pseudo(Pseudo::StackId)))?;
        // Registered by family before any ARN exists: IAM accepts only "*" for these.
        grantee.grant(stack, Statement::allow(TASK_DEFINITION_REVISIONS).on_all_resources())?;
        let family_arn = fns::sub_with(
            "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/${Family}:*",
            [("Family", t.family.clone())],
        );
        grantee.grant(
            stack,
            Statement::allow([TAG]).on(family_arn).condition(
                "StringEquals",
                "ecs:CreateAction",
                "RegisterTaskDefinition",
            ),
        )?;
        grantee.grant(stack, Statement::allow(SERVICE).on(t.service_arn.clone()))?;
        let deployments = fns::sub_with(
            "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service-deployment/${Cluster}/${Service}/*",
            [("Cluster", t.cluster_name.clone()), ("Service", t.service_name.clone())],
        );
        grantee.grant(stack, Statement::allow(SERVICE_DEPLOYMENTS).on(deployments))?;
        let mut get = Statement::allow([GET_ROLE]);
        let mut pass =
            Statement::allow([PASS_ROLE]).condition("StringEquals", "iam:PassedToService", "ecs-tasks.amazonaws.com");
        for role in &t.roles {
            get = get.on(role.clone());
            pass = pass.on(role.clone());
        }
        grantee.grant(stack, get)?;
        grantee.grant(stack, pass)
    }
}

impl ReleaseBuild {
    /// Releases images of `repository` to `service`, running `task_definition`, by setting the
    /// stack parameter `image_parameter`.
    pub fn new(
        repository: &Repository,
        image_parameter: impl Into<String>,
        service: &FargateService,
        task_definition: &FargateTaskDefinition,
    ) -> Self {
        Self {
            image_parameter: image_parameter.into(),
            repository: repository.clone(),
            updates: Updates::ThisStack(ReleaseTarget::of(service, task_definition)),
            deployment_timeout: DeploymentTimeout::minutes(30),
        }
    }

    /// Releases images of `repository` to the stack `target` by assuming its release role:
    /// the stack's parameter `image_parameter` is set, every other parameter the stack has
    /// is kept (read from the stack when the release runs: its template is not this one).
    pub(crate) fn assuming(repository: &Repository, image_parameter: impl Into<String>, target: AssumedStack) -> Self {
        Self {
            image_parameter: image_parameter.into(),
            repository: repository.clone(),
            updates: Updates::Assumed(target),
            deployment_timeout: DeploymentTimeout::minutes(30),
        }
    }

    /// See [`ReleaseBuild::deployment_timeout`].
    #[must_use]
    pub fn deployment_timeout(mut self, timeout: DeploymentTimeout) -> Self {
        self.deployment_timeout = timeout;
        self
    }

    pub(crate) fn check(&self, checks: &mut Checks) {
        let minutes = self.deployment_timeout.get();
        checks.require((1..=60).contains(&minutes), "codebuild-release/timeout-range", || {
            format!("deployment_timeout must be 1..=60 minutes, got {minutes}")
        });
    }

    /// The release's own variables: the stack to update and how long to wait (and, for another
    /// stack, the role to assume and its region).
    pub(crate) fn variables(&self) -> Vec<(&'static str, Value<String>)> {
        let timeout = (DEPLOYMENT_TIMEOUT, self.deployment_timeout.get().to_string().into());
        match &self.updates {
            Updates::ThisStack(_) => vec![(STACK_ID, fns::pseudo(Pseudo::StackId)), timeout],
            Updates::Assumed(target) => vec![
                (STACK_ID, target.stack_name.as_str().into()),
                timeout,
                (RELEASE_ROLE_ARN, target.role_arn.clone()),
                (TARGET_REGION, target.region.as_str().into()),
            ],
        }
    }

    /// Lets `grantee` release: update this stack ([`ReleaseTarget::grant`]), or assume the
    /// other stack's release role, nothing else.
    pub(crate) fn grant(&self, stack: &mut Stack, grantee: &dyn Grantee) -> Result<(), Error> {
        match &self.updates {
            Updates::ThisStack(target) => target.grant(stack, grantee),
            Updates::Assumed(target) => {
                grantee.grant(stack, Statement::allow([ASSUME_ROLE]).on(target.role_arn.clone()))
            }
        }
    }
}

/// The capabilities an update of `template` must acknowledge.
fn capabilities(template: &Template) -> Vec<&'static str> {
    let iam: Vec<_> = template.resources().values().filter(|r| r.type_name.starts_with("AWS::IAM::")).collect();
    let mut found = Vec::new();
    if iam.iter().any(|r| IAM_NAME_PROPERTIES.iter().any(|p| r.properties.contains_key(*p))) {
        found.push("CAPABILITY_NAMED_IAM");
    } else if !iam.is_empty() {
        found.push("CAPABILITY_IAM");
    }
    if template.other_sections.contains_key("Transform") {
        found.push("CAPABILITY_AUTO_EXPAND");
    }
    found
}

/// The release buildspec of the project at `path` for `template` (parameter names are logical
/// IDs, alphanumeric: nothing to escape).
pub(crate) fn render(
    path: &ConstructPath,
    release: &ReleaseBuild,
    template: &Template,
    reports: &[serde_json::Value],
) -> Result<String, Error> {
    let image_parameter = &release.image_parameter;
    if matches!(release.updates, Updates::Assumed(_)) {
        // The parameters and capabilities are the other stack's, read when the release runs.
        let data = json!({
            "image_parameter": image_parameter,
            "assumed": true,
            "kept_parameters": [],
            "capabilities": [],
            "reports": reports,
        });
        return buildspec::render_named("release", &data);
    }
    let parameter = template.parameters().iter().find(|(id, _)| id.as_str() == image_parameter).map(|(_, p)| p);
    let mut checks = Checks::new(path);
    checks.require(parameter.is_some(), "codebuild-release/image-parameter", || {
        format!("the stack has no parameter {image_parameter} for the release to set")
    });
    checks.require(parameter.is_none_or(|p| p.default.is_none()), "codebuild-release/image-parameter-default", || {
        format!("parameter {image_parameter} has a Default: an update that leaves it out would reset the running image to it")
    });
    checks.finish()?;
    let kept: Vec<&str> =
        template.parameters().keys().map(LogicalId::as_str).filter(|id| id != image_parameter).collect();
    let data = json!({
        "image_parameter": image_parameter,
        "assumed": false,
        "kept_parameters": kept,
        "capabilities": capabilities(template),
        "reports": reports,
    });
    buildspec::render_named("release", &data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use stackwright_template::{LogicalId, Resource, ResourceOptions};

    fn with(resources: &[(&str, &str, Option<&str>)]) -> Template {
        let mut template = Template::new();
        for (id, type_name, name_property) in resources {
            let mut properties = std::collections::BTreeMap::new();
            if let Some(property) = name_property {
                properties.insert((*property).to_owned(), serde_json::json!("fixed"));
            }
            template
                .add_resource(
                    LogicalId::new(*id).unwrap(),
                    Resource::raw(*type_name, properties),
                    ResourceOptions::new(),
                )
                .unwrap();
        }
        template
    }

    #[test]
    fn capabilities_follow_the_template() {
        assert!(capabilities(&with(&[("Q", "AWS::SQS::Queue", None)])).is_empty());
        assert_eq!(capabilities(&with(&[("R", "AWS::IAM::Role", None)])), ["CAPABILITY_IAM"]);
        let named = with(&[("R", "AWS::IAM::Role", None), ("U", "AWS::IAM::User", Some("UserName"))]);
        assert_eq!(capabilities(&named), ["CAPABILITY_NAMED_IAM"]);
        let mut macros = with(&[("R", "AWS::IAM::Role", None)]);
        macros.other_sections.insert("Transform".into(), serde_json::json!("AWS::Serverless-2016-10-31"));
        assert_eq!(capabilities(&macros), ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]);
    }
}
