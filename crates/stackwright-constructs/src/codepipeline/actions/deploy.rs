//! [`EcsDeploy`]: a rolling ECS deployment of the image named in `imagedefinitions.json`.

use serde_json::{Value as Json, json};
use stackwright_template::{Value, fns};

use super::configuration;
use crate::error::{Checks, Error};
use crate::iam::{Action, Grantee, Role, Statement};
use crate::stack::Stack;

const SERVICE: [Action; 2] = [Action::from_static("ecs:DescribeServices"), Action::from_static("ecs:UpdateService")];
const TASK_DEFINITIONS: [Action; 2] =
    [Action::from_static("ecs:DescribeTaskDefinition"), Action::from_static("ecs:RegisterTaskDefinition")];
const TASKS: [Action; 2] = [Action::from_static("ecs:DescribeTasks"), Action::from_static("ecs:ListTasks")];
const TAG: Action = Action::from_static("ecs:TagResource");
const PASS_ROLE: Action = Action::from_static("iam:PassRole");

/// How long the ECS action waits for the deployment to finish, 1 to 60 minutes (checked when
/// the pipeline is built).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeploymentTimeout(u32);

impl DeploymentTimeout {
    /// `minutes` minutes.
    pub const fn minutes(minutes: u32) -> Self {
        Self(minutes)
    }

    /// The timeout in minutes.
    pub const fn get(self) -> u32 {
        self.0
    }
}

impl Default for DeploymentTimeout {
    /// 60 minutes, CodePipeline's default and maximum.
    fn default() -> Self {
        Self(60)
    }
}

/// Deploys the image in the input artifact's `imagedefinitions.json` to an ECS service.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EcsDeploy {
    /// **Default:** `Deploy`.
    pub name: String,
    /// The cluster's name.
    pub cluster_name: Value<String>,
    /// The service's name.
    pub service_name: Value<String>,
    /// The artifact holding `imagedefinitions.json`.
    pub input: String,
    /// The container the image is for, as named in the task definition; the build writing the
    /// input must write it for the same container.
    pub container_name: String,
    /// **Default:** 60 minutes.
    pub timeout: DeploymentTimeout,
    /// The task and execution roles the new task definition revision names: the pipeline
    /// may pass exactly these to ECS tasks.
    pub pass_roles: Vec<Value<String>>,
    /// **Default:** 1.
    pub run_order: u32,
}

impl EcsDeploy {
    /// Deploys `input` to `service_name` in `cluster_name`, for the container `container_name`.
    pub fn new(
        cluster_name: impl Into<Value<String>>,
        service_name: impl Into<Value<String>>,
        input: impl Into<String>,
        container_name: impl Into<String>,
    ) -> Self {
        Self {
            name: "Deploy".into(),
            cluster_name: cluster_name.into(),
            service_name: service_name.into(),
            input: input.into(),
            container_name: container_name.into(),
            timeout: DeploymentTimeout::default(),
            pass_roles: Vec::new(),
            run_order: 1,
        }
    }

    /// See [`EcsDeploy::name`].
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// See [`EcsDeploy::timeout`].
    #[must_use]
    pub fn timeout(mut self, timeout: DeploymentTimeout) -> Self {
        self.timeout = timeout;
        self
    }

    /// Adds a role to pass; see [`EcsDeploy::pass_roles`].
    #[must_use]
    pub fn pass_role(mut self, role_arn: impl Into<Value<String>>) -> Self {
        self.pass_roles.push(role_arn.into());
        self
    }

    /// See [`EcsDeploy::run_order`].
    #[must_use]
    pub fn run_order(mut self, order: u32) -> Self {
        self.run_order = order;
        self
    }

    pub(crate) fn check(&self, checks: &mut Checks) {
        let minutes = self.timeout.get();
        checks.require((1..=60).contains(&minutes), "ecs-deploy/timeout-range", || {
            format!("action {}: deployment timeout must be 1..=60 minutes, got {minutes}", self.name)
        });
        checks.require(!self.pass_roles.is_empty(), "ecs-deploy/pass-roles", || {
            format!(
                "action {}: name the task definition's execution (and task) role with pass_role: registering the new revision passes them",
                self.name
            )
        });
    }

    fn cluster_scoped(&self, rest: &str) -> Value<String> {
        // Only the variables `rest` uses: cfn-lint flags unused Fn::Sub variables.
        let variables = [("Cluster", &self.cluster_name), ("Service", &self.service_name)]
            .into_iter()
            .filter(|(name, _)| rest.contains(&format!("${{{name}}}")))
            .map(|(name, value)| (name, value.clone()));
        fns::sub_with(format!("arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:{rest}"), variables)
    }

    pub(crate) fn grant(&self, stack: &mut Stack, role: &Role) -> Result<(), Error> {
        role.grant(stack, Statement::allow(SERVICE).on(self.cluster_scoped("service/${Cluster}/${Service}")))?;
        // Task definitions are registered and described by family, before any ARN exists:
        // these two actions support no resource-level permissions, IAM only accepts "*".
        role.grant(stack, Statement::allow(TASK_DEFINITIONS).on_all_resources())?;
        role.grant(
            stack,
            Statement::allow([TAG]).on(self.cluster_scoped("task-definition/*")).condition(
                "StringEquals",
                "ecs:CreateAction",
                "RegisterTaskDefinition",
            ),
        )?;
        // The action follows the deployment's tasks; ListTasks has no resource ARN ("*" only),
        // so both are limited to this cluster by the ecs:cluster condition.
        role.grant(
            stack,
            Statement::allow(TASKS).on_all_resources().condition(
                "ArnEquals",
                "ecs:cluster",
                self.cluster_scoped("cluster/${Cluster}").to_json(),
            ),
        )?;
        let mut pass =
            Statement::allow([PASS_ROLE]).condition("StringEquals", "iam:PassedToService", "ecs-tasks.amazonaws.com");
        for arn in &self.pass_roles {
            pass = pass.on(arn.clone());
        }
        role.grant(stack, pass)
    }

    pub(crate) fn configuration(&self) -> Option<Json> {
        configuration([
            ("ClusterName", self.cluster_name.to_json()),
            ("DeploymentTimeout", json!(self.timeout.get().to_string())),
            ("FileName", json!("imagedefinitions.json")),
            ("ServiceName", self.service_name.to_json()),
        ])
    }
}
