//! [`LogGroup`]: a KMS-encrypted log group with a retention and explicit removal policies.

use stackwright_cfn::logs;
use stackwright_template::{LogicalId, RemovalPolicy, ResourceOptions, ResourceRef, Value, fns};

use crate::arn;
use crate::error::Error;
use crate::iam::{Action, Grantee, Principal, Statement};
use crate::kms::{ENCRYPT_DECRYPT, Key};
use crate::logs::Retention;
use crate::path::ConstructPath;
use crate::stack::Stack;

/// Create log streams and put events.
pub const WRITE: [Action; 2] = [Action::from_static("logs:CreateLogStream"), Action::from_static("logs:PutLogEvents")];

/// Properties of a [`LogGroup`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LogGroupProps {
    /// **Default:** [`Retention::OneYear`] (CloudFormation's default keeps logs forever; a year is
    /// what checkov's `CKV_AWS_338` asks for).
    pub retention: Retention,
    /// The log group's name. **Default:** `/<stack name>/<construct path>`, known before deploy,
    /// so the key policy can name exactly this log group without a dependency cycle.
    pub name: Option<String>,
    /// **Default:** [`RemovalPolicy::Retain`]: logs outlive the stack that wrote them.
    pub removal_policy: RemovalPolicy,
}

impl Default for LogGroupProps {
    fn default() -> Self {
        Self { retention: Retention::OneYear, name: None, removal_policy: RemovalPolicy::Retain }
    }
}

impl LogGroupProps {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// See [`LogGroupProps::retention`].
    #[must_use]
    pub fn retention(mut self, retention: Retention) -> Self {
        self.retention = retention;
        self
    }

    /// See [`LogGroupProps::name`].
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// See [`LogGroupProps::removal_policy`].
    #[must_use]
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }
}

/// A CloudWatch Logs log group encrypted with the stack's key; the key's policy lets CloudWatch
/// Logs use it for this log group only.
#[derive(Debug, Clone)]
pub struct LogGroup {
    path: ConstructPath,
    name: String,
    resource: ResourceRef<logs::LogGroup>,
}

impl LogGroup {
    /// Adds the log group at `path`, encrypted with `key`.
    pub fn new(
        stack: &mut Stack,
        path: impl Into<ConstructPath>,
        key: &Key,
        props: LogGroupProps,
    ) -> Result<Self, Error> {
        let path = path.into();
        let name = props.name.unwrap_or_else(|| format!("/${{AWS::StackName}}/{path}"));
        let resource = stack.add_with(
            &path,
            logs::LogGroup::new()
                .log_group_name(fns::sub(name.clone()))
                .retention_in_days(props.retention.days())
                .kms_key_id(key.arn()),
            ResourceOptions::new().removal_policy(props.removal_policy),
        )?;
        key.allow_service(
            stack,
            &format!("CloudWatchLogsEncrypts{}", resource.logical_id()),
            Principal::regional_service("logs"),
            ENCRYPT_DECRYPT,
            [(
                "ArnEquals",
                "kms:EncryptionContext:aws:logs:arn",
                arn::regional("logs", &format!("log-group:{name}")).to_json(),
            )],
        )?;
        Ok(Self { path, name, resource })
    }

    /// Lets `grantee` create streams in and write to this log group.
    pub fn grant_write(&self, stack: &mut Stack, grantee: &dyn Grantee) -> Result<(), Error> {
        grantee.grant(stack, Statement::allow(WRITE).on(self.arn()))
    }

    /// The log group's name (`Ref`).
    pub fn name(&self) -> Value<String> {
        self.resource.ref_()
    }

    /// The log group's name as an `Fn::Sub` template, for physical names built from it.
    pub fn name_template(&self) -> &str {
        &self.name
    }

    /// `arn:…:log-group:<name>:*` (what `Fn::GetAtt Arn` returns: streams included).
    pub fn arn(&self) -> Value<String> {
        self.resource.arn()
    }

    /// The log group's construct path.
    pub fn path(&self) -> &ConstructPath {
        &self.path
    }

    /// The log group's logical ID.
    pub fn logical_id(&self) -> &LogicalId {
        self.resource.logical_id()
    }

    /// The L1 resource: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<logs::LogGroup> {
        &self.resource
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kms::KeyProps;
    use serde_json::json;
    use stackwright_template::{DeletionPolicy, UpdateReplacePolicy};

    #[test]
    fn defaults_encrypt_retain_and_keep_a_year() {
        let mut stack = Stack::new("t").unwrap();
        let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
        LogGroup::new(&mut stack, ConstructPath::root("Web").child("Logs"), &key, LogGroupProps::new()).unwrap();
        let done = stack.finish().unwrap();
        let resources = done.template().resources();
        let group = &resources[&LogicalId::new("WebLogs").unwrap()];
        assert_eq!(group.properties["RetentionInDays"], 365);
        assert_eq!(group.properties["LogGroupName"], json!({"Fn::Sub": "/${AWS::StackName}/Web/Logs"}));
        assert_eq!(group.deletion_policy, Some(DeletionPolicy::Retain.into()));
        assert_eq!(group.update_replace_policy, Some(UpdateReplacePolicy::Retain.into()));
        let key_policy = &resources[&LogicalId::new("Key").unwrap()].properties["KeyPolicy"];
        assert_eq!(
            key_policy["Statement"][1]["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"],
            json!({"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/${AWS::StackName}/Web/Logs"})
        );
    }
}
