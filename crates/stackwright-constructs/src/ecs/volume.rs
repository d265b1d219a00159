//! [`EfsVolume`]: an EFS access point mounted into a task's main container.

use stackwright_cfn::ecs::task_definition as l1;
use stackwright_template::{LogicalId, Value, fns};

use crate::error::{Checks, Error};
use crate::iam::{Action, Grantee, Statement};
use crate::stack::Stack;

const CLIENT_MOUNT: Action = Action::from_static("elasticfilesystem:ClientMount");
const CLIENT_WRITE: Action = Action::from_static("elasticfilesystem:ClientWrite");

/// An EFS file system mounted through an access point into the task's main container, with
/// transit encryption and IAM authorization on: the task role is what lets a task mount it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct EfsVolume {
    /// The volume's name in the task definition (letters, digits, hyphens, underscores). **Required.**
    pub name: String,
    /// The file system's ID. **Required.**
    pub file_system_id: Value<String>,
    /// The access point's ID: the POSIX user and root directory the task sees. **Required.**
    pub access_point_id: Value<String>,
    /// Where the main container sees the volume, an absolute path. **Required.**
    pub container_path: String,
    /// **Default:** `false`. When `true`, the task role gets no `ClientWrite`.
    pub read_only: bool,
    /// Resources the service must be created after — the file system's mount targets, without
    /// which tasks fail to start. **Default:** none ([`crate::efs::FileSystem::volume`] fills it).
    pub depends_on: Vec<LogicalId>,
}

impl EfsVolume {
    /// Mounts `access_point_id` of `file_system_id` at `container_path`, read-write.
    pub fn new(
        name: impl Into<String>,
        file_system_id: impl Into<Value<String>>,
        access_point_id: impl Into<Value<String>>,
        container_path: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            file_system_id: file_system_id.into(),
            access_point_id: access_point_id.into(),
            container_path: container_path.into(),
            read_only: false,
            depends_on: Vec::new(),
        }
    }

    /// See [`EfsVolume::read_only`].
    #[must_use]
    pub fn read_only(mut self, yes: bool) -> Self {
        self.read_only = yes;
        self
    }

    /// See [`EfsVolume::depends_on`].
    #[must_use]
    pub fn depends_on(mut self, id: LogicalId) -> Self {
        self.depends_on.push(id);
        self
    }

    pub(crate) fn check(&self, checks: &mut Checks) {
        let name = &self.name;
        checks.require(super::container::valid_name(name), "ecs-task/volume-name", || {
            format!("volume name must be 1-255 letters, digits, hyphens or underscores, got {name:?}")
        });
        checks.require(
            self.container_path.starts_with('/') && self.container_path != "/",
            "ecs-task/volume-container-path",
            || {
                format!(
                    "volume {name}: container_path must be an absolute path other than /, got {:?}",
                    self.container_path
                )
            },
        );
    }

    pub(crate) fn to_l1(&self) -> l1::Volume {
        let authorization =
            l1::AuthorizationConfig::new().access_point_id(self.access_point_id.clone()).iam(l1::Iam::Enabled);
        l1::Volume::new().name(self.name.clone()).efs_volume_configuration(
            l1::EfsVolumeConfiguration::new(self.file_system_id.clone())
                .transit_encryption(l1::TransitEncryption::Enabled)
                .authorization_config(authorization),
        )
    }

    pub(crate) fn mount_point(&self) -> l1::MountPoint {
        l1::MountPoint::new()
            .source_volume(self.name.clone())
            .container_path(self.container_path.clone())
            .read_only(self.read_only)
    }

    /// Lets `task_role` mount (and, unless read-only, write) the file system through this
    /// access point only.
    pub(crate) fn grant(&self, stack: &mut Stack, task_role: &dyn Grantee) -> Result<(), Error> {
        let file_system_arn = fns::sub_with(
            "arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/${Id}",
            [("Id", self.file_system_id.clone())],
        );
        let access_point_arn = fns::sub_with(
            "arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:access-point/${Id}",
            [("Id", self.access_point_id.clone())],
        );
        let actions = if self.read_only { vec![CLIENT_MOUNT] } else { vec![CLIENT_MOUNT, CLIENT_WRITE] };
        task_role.grant(
            stack,
            Statement::allow(actions).on(file_system_arn).condition(
                "StringEquals",
                "elasticfilesystem:AccessPointArn",
                access_point_arn.to_json(),
            ),
        )
    }
}
