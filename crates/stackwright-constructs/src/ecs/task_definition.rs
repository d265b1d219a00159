//! [`FargateTaskDefinition`]: a Fargate task's size, containers, log group, volumes, and its
//! two roles — the execution role ECS uses to start it, and the task role its code runs as.

use stackwright_cfn::ecs;
use stackwright_cfn::ecs::task_definition as l1;
use stackwright_template::{LogicalId, ResourceRef, Value, fns};

use crate::ecs::{ContainerDefinition, CpuArchitecture, EfsVolume, FargateSize, SecretSource};
use crate::error::{Checks, Error};
use crate::iam::{Action, Grantee, Principal, Role, RoleProps, Statement};
use crate::kms::Key;
use crate::logs::{LogGroup, LogGroupProps, Retention};
use crate::path::ConstructPath;
use crate::stack::Stack;

/// Pull an image's layers from one repository.
const PULL: [Action; 3] = [
    Action::from_static("ecr:BatchCheckLayerAvailability"),
    Action::from_static("ecr:BatchGetImage"),
    Action::from_static("ecr:GetDownloadUrlForLayer"),
];
const GET_AUTHORIZATION_TOKEN: Action = Action::from_static("ecr:GetAuthorizationToken");
const GET_PARAMETERS: Action = Action::from_static("ssm:GetParameters");
const GET_SECRET_VALUE: Action = Action::from_static("secretsmanager:GetSecretValue");
const KMS_DECRYPT: Action = Action::from_static("kms:Decrypt");

/// Properties of a [`FargateTaskDefinition`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FargateTaskDefinitionProps<'a> {
    /// The key the task's log group is encrypted with. **Required.**
    pub key: &'a Key,
    /// CPU and memory of the whole task. **Required.**
    pub size: FargateSize,
    /// The main container: always essential, the one a load balancer targets and a pipeline
    /// deploys (`imagedefinitions.json` names it). **Required.**
    pub container: ContainerDefinition,
    /// Further containers (log routers, proxies). **Default:** none.
    pub sidecars: Vec<ContainerDefinition>,
    /// **Default:** [`CpuArchitecture::X86_64`].
    pub cpu_architecture: CpuArchitecture,
    /// The family name revisions are registered under. **Default:** `<stack name>-<logical ID>`,
    /// unique per stack and readable in the console (CDK: the same idea, from the node path).
    pub family: Option<String>,
    /// How long the containers' logs are kept. **Default:** [`Retention::OneYear`].
    pub log_retention: Retention,
    /// EFS volumes mounted into the main container. **Default:** none.
    pub efs_volumes: Vec<EfsVolume>,
}

impl<'a> FargateTaskDefinitionProps<'a> {
    /// A task of `size` running `container`, logging to a log group encrypted with `key`.
    pub fn new(key: &'a Key, size: FargateSize, container: ContainerDefinition) -> Self {
        Self {
            key,
            size,
            container,
            sidecars: Vec::new(),
            cpu_architecture: CpuArchitecture::X86_64,
            family: None,
            log_retention: Retention::OneYear,
            efs_volumes: Vec::new(),
        }
    }

    /// Adds a sidecar; see [`FargateTaskDefinitionProps::sidecars`].
    #[must_use]
    pub fn sidecar(mut self, container: ContainerDefinition) -> Self {
        self.sidecars.push(container);
        self
    }

    /// See [`FargateTaskDefinitionProps::cpu_architecture`].
    #[must_use]
    pub fn cpu_architecture(mut self, architecture: CpuArchitecture) -> Self {
        self.cpu_architecture = architecture;
        self
    }

    /// See [`FargateTaskDefinitionProps::family`].
    #[must_use]
    pub fn family(mut self, family: impl Into<String>) -> Self {
        self.family = Some(family.into());
        self
    }

    /// See [`FargateTaskDefinitionProps::log_retention`].
    #[must_use]
    pub fn log_retention(mut self, retention: Retention) -> Self {
        self.log_retention = retention;
        self
    }

    /// Adds an EFS volume; see [`FargateTaskDefinitionProps::efs_volumes`].
    #[must_use]
    pub fn efs_volume(mut self, volume: EfsVolume) -> Self {
        self.efs_volumes.push(volume);
        self
    }

    fn check(&self, path: &ConstructPath) -> Checks {
        let mut checks = Checks::new(path);
        let containers: Vec<&ContainerDefinition> = std::iter::once(&self.container).chain(&self.sidecars).collect();
        for (i, container) in containers.iter().enumerate() {
            container.check(&mut checks);
            if containers.iter().take(i).any(|c| c.name == container.name) {
                checks.fail("ecs-task/duplicate-container", format!("two containers are named {:?}", container.name));
            }
        }
        checks.require(self.container.essential, "ecs-task/main-not-essential", || {
            format!("the main container {} is always essential; essential(false) is for sidecars", self.container.name)
        });
        for (i, volume) in self.efs_volumes.iter().enumerate() {
            volume.check(&mut checks);
            if self.efs_volumes.iter().take(i).any(|v| v.name == volume.name) {
                checks.fail("ecs-task/duplicate-volume", format!("two volumes are named {:?}", volume.name));
            }
            if self.efs_volumes.iter().take(i).any(|v| v.container_path == volume.container_path) {
                checks
                    .fail("ecs-task/duplicate-mount", format!("two volumes are mounted at {}", volume.container_path));
            }
        }
        if let Some(family) = &self.family {
            checks.require(super::container::valid_name(family), "ecs-task/family", || {
                format!("family must be 1-255 letters, digits, hyphens or underscores, got {family:?}")
            });
        }
        checks
    }
}

/// A Fargate task definition (awsvpc networking, Linux) with its log group and two roles.
///
/// The execution role may pull exactly this task's images, write its log group and read its
/// secrets; the task role has nothing until granted (see [`FargateTaskDefinition::task_role`]).
#[derive(Debug, Clone)]
pub struct FargateTaskDefinition {
    path: ConstructPath,
    resource: ResourceRef<ecs::TaskDefinition>,
    family: Value<String>,
    container_name: String,
    container_ports: Vec<u16>,
    readonly_containers: Vec<String>,
    execution_role: Role,
    task_role: Role,
    log_group: LogGroup,
    volume_dependencies: Vec<LogicalId>,
}

impl FargateTaskDefinition {
    /// Adds the task definition at `path`, with its log group (`<path>/Logs`) and roles
    /// (`<path>/ExecutionRole`, `<path>/TaskRole`).
    pub fn new(
        stack: &mut Stack,
        path: impl Into<ConstructPath>,
        props: FargateTaskDefinitionProps,
    ) -> Result<Self, Error> {
        let path = path.into();
        stack.record(props.check(&path));
        let id = path.logical_id()?;
        let log_group =
            LogGroup::new(stack, path.child("Logs"), props.key, LogGroupProps::new().retention(props.log_retention))?;
        let tasks = || Principal::service("ecs-tasks.amazonaws.com");
        let execution_role = Role::new(
            stack,
            path.child("ExecutionRole"),
            RoleProps::new(tasks()).description(format!("Starts the tasks of {path}")),
        )?;
        let task_role = Role::new(
            stack,
            path.child("TaskRole"),
            RoleProps::new(tasks()).description(format!("Runs as the tasks of {path}")),
        )?;

        let containers: Vec<&ContainerDefinition> = std::iter::once(&props.container).chain(&props.sidecars).collect();
        grant_execution(stack, &execution_role, &log_group, &containers)?;
        for volume in &props.efs_volumes {
            volume.grant(stack, &task_role)?;
        }

        let mount_points: Vec<l1::MountPoint> = props.efs_volumes.iter().map(EfsVolume::mount_point).collect();
        let mut definitions = vec![props.container.to_l1(true, log_group.name(), mount_points)];
        definitions.extend(props.sidecars.iter().map(|c| c.to_l1(c.essential, log_group.name(), Vec::new())));
        let family: Value<String> = match props.family {
            Some(family) => family.into(),
            None => fns::sub(format!("${{AWS::StackName}}-{id}")),
        };
        let architecture = match props.cpu_architecture {
            CpuArchitecture::X86_64 => l1::CpuArchitecture::X86_64,
            CpuArchitecture::Arm64 => l1::CpuArchitecture::Arm64,
        };
        let mut task = ecs::TaskDefinition::new()
            .family(family.clone())
            .cpu(props.size.cpu().to_string())
            .memory(props.size.memory_mib().to_string())
            .network_mode(l1::NetworkMode::Awsvpc)
            .requires_compatibilities([l1::RequiresCompatibility::Fargate])
            .runtime_platform(
                l1::RuntimePlatform::new()
                    .cpu_architecture(architecture)
                    .operating_system_family(l1::OperatingSystemFamily::Linux),
            )
            .execution_role_arn(execution_role.arn())
            .task_role_arn(task_role.arn())
            .container_definitions(definitions);
        if !props.efs_volumes.is_empty() {
            task = task.volumes(props.efs_volumes.iter().map(EfsVolume::to_l1).collect::<Vec<_>>());
        }
        let resource = stack.add(&path, task)?;
        Ok(Self {
            path,
            resource,
            family,
            container_name: props.container.name.clone(),
            container_ports: props.container.ports.clone(),
            readonly_containers: std::iter::once(&props.container)
                .chain(&props.sidecars)
                .filter(|c| c.readonly_root_filesystem)
                .map(|c| c.name.clone())
                .collect(),
            execution_role,
            task_role,
            log_group,
            volume_dependencies: props.efs_volumes.iter().flat_map(|v| v.depends_on.iter().cloned()).collect(),
        })
    }

    /// The family revisions are registered under.
    pub fn family(&self) -> Value<String> {
        self.family.clone()
    }

    /// The ARN of this revision (`Ref`).
    pub fn arn(&self) -> Value<String> {
        self.resource.ref_()
    }

    /// The main container's name: the one source of truth for load balancer registration and
    /// `imagedefinitions.json`.
    pub fn container_name(&self) -> &str {
        &self.container_name
    }

    /// The main container's first port, if it has one.
    pub fn container_port(&self) -> Option<u16> {
        self.container_ports.first().copied()
    }

    /// The containers whose root filesystem is read-only.
    pub fn readonly_containers(&self) -> &[String] {
        &self.readonly_containers
    }

    /// Every port of the main container.
    pub fn container_ports(&self) -> &[u16] {
        &self.container_ports
    }

    /// The role ECS uses to start tasks: pulls images, writes logs, reads secrets.
    pub fn execution_role(&self) -> &Role {
        &self.execution_role
    }

    /// The role the containers' code runs as: grant it what the application needs.
    pub fn task_role(&self) -> &Role {
        &self.task_role
    }

    /// The containers' log group.
    pub fn log_group(&self) -> &LogGroup {
        &self.log_group
    }

    /// Resources a service running this task must be created after (EFS mount targets).
    pub fn volume_dependencies(&self) -> &[LogicalId] {
        &self.volume_dependencies
    }

    /// The task definition's construct path.
    pub fn path(&self) -> &ConstructPath {
        &self.path
    }

    /// The L1 resource: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<ecs::TaskDefinition> {
        &self.resource
    }
}

/// Grants the execution role what starting these containers takes, and nothing more.
fn grant_execution(
    stack: &mut Stack,
    role: &Role,
    log_group: &LogGroup,
    containers: &[&ContainerDefinition],
) -> Result<(), Error> {
    log_group.grant_write(stack, role)?;
    let mut pulls_from_ecr = false;
    for container in containers {
        if let Some(arn) = container.image.repository_arn() {
            role.grant(stack, Statement::allow(PULL).on(arn.clone()))?;
            pulls_from_ecr = true;
        }
        for secret in container.secrets.values() {
            let action = match secret.source {
                SecretSource::SecretsManager { .. } => GET_SECRET_VALUE,
                _ => GET_PARAMETERS,
            };
            role.grant(stack, Statement::allow([action]).on(secret.resource_arn()))?;
            if let Some(key) = &secret.kms_key_arn {
                role.grant(stack, Statement::allow([KMS_DECRYPT]).on(key.clone()))?;
            }
        }
    }
    if pulls_from_ecr {
        // ecr:GetAuthorizationToken has no resource type: IAM only accepts "*" for it. The token
        // alone reads nothing; the pull actions above are scoped to the repositories.
        role.grant(stack, Statement::allow([GET_AUTHORIZATION_TOKEN]).on_all_resources())?;
    }
    Ok(())
}
