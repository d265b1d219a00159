//! [`FileSystem`]: an encrypted EFS file system with a mount target per private subnet, an
//! access point, and NFS open only to the services allowed in.

use serde_json::json;
use stackwright_cfn::efs;
use stackwright_cfn::efs::access_point::{CreationInfo, PosixUser, RootDirectory};
use stackwright_cfn::efs::file_system::{
    BackupPolicy, LifecyclePolicy, Status, TransitionToIa, TransitionToPrimaryStorageClass,
};
use stackwright_template::{LogicalId, RemovalPolicy, ResourceOptions, ResourceRef, Value, fns};

use crate::ec2::{Networking, Peer, SecurityGroup, SecurityGroupProps, TcpRule};
use crate::ecs::{EfsVolume, FargateService};
use crate::error::{Checks, Error};
use crate::iam::{Action, Principal};
use crate::kms::Key;
use crate::path::ConstructPath;
use crate::stack::Stack;

const NFS: u16 = 2049;

/// What EFS does with the key on the caller's behalf: it creates a grant, then encrypts and
/// decrypts data keys through it.
const EFS_USES_KEY: [Action; 7] = [
    Action::from_static("kms:CreateGrant"),
    Action::from_static("kms:Decrypt"),
    Action::from_static("kms:DescribeKey"),
    Action::from_static("kms:Encrypt"),
    Action::from_static("kms:GenerateDataKeyWithoutPlaintext"),
    Action::from_static("kms:ReEncryptFrom"),
    Action::from_static("kms:ReEncryptTo"),
];

/// Properties of a [`FileSystem`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FileSystemProps<'a> {
    /// The key the file system is encrypted with. **Required.**
    pub key: &'a Key,
    /// The VPC and the private subnets the mount targets go in. **Required.**
    pub networking: &'a Networking,
    /// How many of `networking.private_subnets` get a mount target, 1 to 6 (one per
    /// Availability Zone: the subnets must be in different zones). A count, because the subnets
    /// may be a parameter whose length is unknown until deploy. **Default:** 2.
    pub subnet_count: u8,
    /// The POSIX user and group (`uid`, `gid`) every access through the access point runs as,
    /// and owner of its root directory. **Default:** `(1000, 1000)`.
    pub posix_user: (u32, u32),
    /// The access point's root directory, created on first use with mode `750`.
    /// **Default:** `/data`.
    pub root_directory: String,
    /// Files not read for this long move to Infrequent Access (and back on first access).
    /// **Default:** 30 days (CDK: none).
    pub transition_to_ia: TransitionToIa,
    /// **Default:** [`RemovalPolicy::Retain`]: files outlive the stack.
    pub removal_policy: RemovalPolicy,
}

impl<'a> FileSystemProps<'a> {
    /// A file system encrypted with `key`, mounted in `networking`'s private subnets.
    pub fn new(key: &'a Key, networking: &'a Networking) -> Self {
        Self {
            key,
            networking,
            subnet_count: 2,
            posix_user: (1000, 1000),
            root_directory: "/data".to_owned(),
            transition_to_ia: TransitionToIa::After30Days,
            removal_policy: RemovalPolicy::Retain,
        }
    }

    /// See [`FileSystemProps::subnet_count`].
    #[must_use]
    pub fn subnet_count(mut self, count: u8) -> Self {
        self.subnet_count = count;
        self
    }

    /// See [`FileSystemProps::posix_user`].
    #[must_use]
    pub fn posix_user(mut self, uid: u32, gid: u32) -> Self {
        self.posix_user = (uid, gid);
        self
    }

    /// See [`FileSystemProps::root_directory`].
    #[must_use]
    pub fn root_directory(mut self, path: impl Into<String>) -> Self {
        self.root_directory = path.into();
        self
    }

    /// See [`FileSystemProps::transition_to_ia`].
    #[must_use]
    pub fn transition_to_ia(mut self, after: TransitionToIa) -> Self {
        self.transition_to_ia = after;
        self
    }

    /// See [`FileSystemProps::removal_policy`].
    #[must_use]
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }

    fn check(&self, path: &ConstructPath) -> Checks {
        let mut checks = Checks::new(path);
        let count = self.subnet_count;
        checks.require((1..=6).contains(&count), "efs/subnet-count", || {
            format!("subnet_count must be 1..=6, got {count}")
        });
        if let Some(subnets) = self.networking.private_subnets.as_literal() {
            checks.require(usize::from(count) <= subnets.len(), "efs/subnet-count", || {
                format!("subnet_count is {count} but networking has {} private subnets", subnets.len())
            });
        }
        let dir = &self.root_directory;
        checks.require(
            dir.starts_with('/') && dir.len() > 1 && dir.len() <= 100 && !dir.ends_with('/') && !dir.contains("//"),
            "efs/root-directory",
            || format!("root_directory must be an absolute path other than /, up to 100 characters, got {dir:?}"),
        );
        checks
    }
}

/// An EFS file system encrypted with a customer-managed key, backed up, with one mount target
/// per private subnet behind a security group that admits NFS only from the services given to
/// [`FileSystem::allow_from`], and one access point with a fixed POSIX user.
#[derive(Debug, Clone)]
pub struct FileSystem {
    path: ConstructPath,
    resource: ResourceRef<efs::FileSystem>,
    access_point: ResourceRef<efs::AccessPoint>,
    security_group: SecurityGroup,
    mount_targets: Vec<ResourceRef<efs::MountTarget>>,
}

impl FileSystem {
    /// Adds the file system at `path`, with `<path>/SecurityGroup`, `<path>/MountTarget<i>` and
    /// `<path>/AccessPoint`.
    pub fn new(stack: &mut Stack, path: impl Into<ConstructPath>, props: FileSystemProps) -> Result<Self, Error> {
        let path = path.into();
        stack.record(props.check(&path));
        // EFS uses the key through grants it creates for the account's principals; the account
        // root (that is, IAM policies in this account) may do so only through EFS in this region.
        props.key.allow_service(
            stack,
            &format!("ElasticFileSystemEncrypts{}", path.logical_id()?),
            Principal::this_account(),
            EFS_USES_KEY,
            [
                (
                    "StringEquals",
                    "kms:ViaService",
                    fns::sub("elasticfilesystem.${AWS::Region}.amazonaws.com").to_json(),
                ),
                ("StringEquals", "kms:CallerAccount", json!({"Ref": "AWS::AccountId"})),
            ],
        )?;
        let resource = stack.add_with(
            &path,
            efs::FileSystem::new()
                .encrypted(true)
                .kms_key_id(props.key.arn())
                .backup_policy(BackupPolicy::new(Status::Enabled))
                .lifecycle_policies([
                    LifecyclePolicy::new().transition_to_ia(props.transition_to_ia),
                    LifecyclePolicy::new()
                        .transition_to_primary_storage_class(TransitionToPrimaryStorageClass::After1Access),
                ]),
            ResourceOptions::new().removal_policy(props.removal_policy),
        )?;
        // No outbound rule: mount targets answer, they never call out (groups are stateful).
        let security_group = SecurityGroup::new(
            stack,
            path.child("SecurityGroup"),
            props.networking.vpc_id.clone(),
            SecurityGroupProps::new(format!("Mount targets of {path}")),
        )?;
        let mut mount_targets = Vec::new();
        for i in 0..props.subnet_count {
            mount_targets.push(stack.add(
                &path.child(format!("MountTarget{i}")),
                efs::MountTarget::new(
                    resource.ref_(),
                    [security_group.id()],
                    fns::select(i64::from(i), props.networking.private_subnets.clone()),
                ),
            )?);
        }
        let (uid, gid) = props.posix_user;
        let access_point = stack.add(
            &path.child("AccessPoint"),
            efs::AccessPoint::new(resource.ref_())
                .posix_user(PosixUser::new(gid.to_string(), uid.to_string()))
                .root_directory(RootDirectory::new().path(props.root_directory).creation_info(CreationInfo::new(
                    gid.to_string(),
                    uid.to_string(),
                    "750",
                ))),
        )?;
        Ok(Self { path, resource, access_point, security_group, mount_targets })
    }

    /// Admits NFS (TCP 2049) from `source_group_id`, as a separate ingress resource at
    /// `<path>/SecurityGroup/<id>` so neither security group refers to the other.
    pub fn allow_from(&self, stack: &mut Stack, id: &str, source_group_id: Value<String>) -> Result<(), Error> {
        let rule = TcpRule::new(Peer::security_group(source_group_id), NFS, format!("NFS from {id}"));
        self.security_group.allow_ingress(stack, id, rule)?;
        Ok(())
    }

    /// Opens NFS between `service`'s tasks and the mount targets: ingress on the mount targets'
    /// group (`<path>/SecurityGroup/From<service id>`) and egress on the service's
    /// (`<service path>/SecurityGroup/NfsTo<id>`).
    pub fn allow_service(&self, stack: &mut Stack, service: &FargateService) -> Result<(), Error> {
        let service_id = service.path().logical_id()?;
        let from = TcpRule::new(
            Peer::security_group(service.security_group_id()),
            NFS,
            format!("NFS from the tasks of {}", service.path()),
        );
        let ingress = self.security_group.allow_ingress(stack, &format!("From{service_id}"), from)?;
        let to = TcpRule::new(Peer::security_group(self.security_group.id()), NFS, format!("NFS to {}", self.path));
        let egress = service.security_group().allow_egress(stack, &format!("NfsTo{}", self.path.logical_id()?), to)?;
        // The service's first tasks mount the file system: they wait for both rules.
        for rule in [ingress, egress] {
            stack.add_dependency(service.resource().logical_id(), rule);
        }
        Ok(())
    }

    /// A task volume named `name` mounting the access point at `container_path`; the service
    /// running it waits for the mount targets.
    pub fn volume(&self, name: impl Into<String>, container_path: impl Into<String>) -> EfsVolume {
        let mut volume = EfsVolume::new(name, self.file_system_id(), self.access_point_id(), container_path);
        for target in &self.mount_targets {
            volume = volume.depends_on(target.logical_id().clone());
        }
        volume
    }

    /// The file system's ID (`Ref`).
    pub fn file_system_id(&self) -> Value<String> {
        self.resource.ref_()
    }

    /// The file system's ARN.
    pub fn arn(&self) -> Value<String> {
        self.resource.arn()
    }

    /// The access point's ID (`Ref`).
    pub fn access_point_id(&self) -> Value<String> {
        self.access_point.ref_()
    }

    /// The mount targets' security group.
    pub fn security_group_id(&self) -> Value<String> {
        self.security_group.id()
    }

    /// The file system's construct path.
    pub fn path(&self) -> &ConstructPath {
        &self.path
    }

    /// The logical IDs of the mount targets.
    pub fn mount_target_ids(&self) -> Vec<LogicalId> {
        self.mount_targets.iter().map(|t| t.logical_id().clone()).collect()
    }

    /// The L1 file system: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<efs::FileSystem> {
        &self.resource
    }

    /// The L1 access point.
    pub fn access_point(&self) -> &ResourceRef<efs::AccessPoint> {
        &self.access_point
    }

    /// The mount targets' security group.
    pub fn security_group(&self) -> &SecurityGroup {
        &self.security_group
    }

    /// The L1 mount targets.
    pub fn mount_targets(&self) -> &[ResourceRef<efs::MountTarget>] {
        &self.mount_targets
    }
}
