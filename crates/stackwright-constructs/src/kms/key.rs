//! [`Key`]: a customer-managed KMS key with rotation, whose policy names each service that uses it.

use stackwright_cfn::kms;
use stackwright_template::{LogicalId, RemovalPolicy, ResourceOptions, ResourceRef, Value};

use crate::error::{Checks, Error};
use crate::iam::{Action, Grantee, PolicyDocument, Principal, Statement};
use crate::path::ConstructPath;
use crate::stack::{PolicySlot, Stack};

/// What the account's administrators may do with the key (and, through IAM policies, grant to
/// roles). Listed one by one: no `kms:*`.
const ADMINISTER: [Action; 31] = [
    Action::from_static("kms:CancelKeyDeletion"),
    Action::from_static("kms:CreateAlias"),
    Action::from_static("kms:CreateGrant"),
    Action::from_static("kms:Decrypt"),
    Action::from_static("kms:DeleteAlias"),
    Action::from_static("kms:DescribeKey"),
    Action::from_static("kms:DisableKey"),
    Action::from_static("kms:DisableKeyRotation"),
    Action::from_static("kms:EnableKey"),
    Action::from_static("kms:EnableKeyRotation"),
    Action::from_static("kms:Encrypt"),
    Action::from_static("kms:GenerateDataKey"),
    Action::from_static("kms:GenerateDataKeyWithoutPlaintext"),
    Action::from_static("kms:GetKeyPolicy"),
    Action::from_static("kms:GetKeyRotationStatus"),
    Action::from_static("kms:ListAliases"),
    Action::from_static("kms:ListGrants"),
    Action::from_static("kms:ListKeyPolicies"),
    Action::from_static("kms:ListKeyRotations"),
    Action::from_static("kms:ListResourceTags"),
    Action::from_static("kms:PutKeyPolicy"),
    Action::from_static("kms:ReEncryptFrom"),
    Action::from_static("kms:ReEncryptTo"),
    Action::from_static("kms:RetireGrant"),
    Action::from_static("kms:RevokeGrant"),
    Action::from_static("kms:RotateKeyOnDemand"),
    Action::from_static("kms:ScheduleKeyDeletion"),
    Action::from_static("kms:TagResource"),
    Action::from_static("kms:UntagResource"),
    Action::from_static("kms:UpdateAlias"),
    Action::from_static("kms:UpdateKeyDescription"),
];

/// Decrypt with the key.
pub const DECRYPT: [Action; 2] = [Action::from_static("kms:Decrypt"), Action::from_static("kms:DescribeKey")];
/// Encrypt and decrypt with the key (data keys included).
pub const ENCRYPT_DECRYPT: [Action; 6] = [
    Action::from_static("kms:Decrypt"),
    Action::from_static("kms:DescribeKey"),
    Action::from_static("kms:Encrypt"),
    Action::from_static("kms:GenerateDataKey"),
    Action::from_static("kms:ReEncryptFrom"),
    Action::from_static("kms:ReEncryptTo"),
];

/// Properties of a [`Key`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct KeyProps {
    /// What the key protects. **Default:** `Encrypts the resources of stack <name>`.
    pub description: Option<String>,
    /// An alias (`alias/...`). **Default:** none.
    pub alias: Option<String>,
    /// Days before a deleted key is destroyed, 7 to 30. **Default:** 30.
    pub pending_window_days: u8,
    /// **Default:** [`RemovalPolicy::Retain`]: data encrypted with a deleted key is lost.
    pub removal_policy: RemovalPolicy,
}

impl Default for KeyProps {
    fn default() -> Self {
        Self { description: None, alias: None, pending_window_days: 30, removal_policy: RemovalPolicy::Retain }
    }
}

impl KeyProps {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// See [`KeyProps::description`].
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// See [`KeyProps::alias`].
    #[must_use]
    pub fn alias(mut self, alias: impl Into<String>) -> Self {
        self.alias = Some(alias.into());
        self
    }

    /// See [`KeyProps::pending_window_days`].
    #[must_use]
    pub fn pending_window_days(mut self, days: u8) -> Self {
        self.pending_window_days = days;
        self
    }

    /// See [`KeyProps::removal_policy`].
    #[must_use]
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }
}

/// A customer-managed KMS key, rotated yearly. Its policy lets the account administer it and
/// lets exactly the services given through [`Key::allow_service`] use it.
#[derive(Debug, Clone)]
pub struct Key {
    path: ConstructPath,
    resource: ResourceRef<kms::Key>,
}

impl Key {
    /// Adds the key (and its alias) at `path`.
    pub fn new(stack: &mut Stack, path: impl Into<ConstructPath>, props: KeyProps) -> Result<Self, Error> {
        let path = path.into();
        let mut checks = Checks::new(&path);
        checks.require((7..=30).contains(&props.pending_window_days), "kms-key/pending-window", || {
            format!("pending_window_days must be 7..=30, got {}", props.pending_window_days)
        });
        if let Some(alias) = &props.alias {
            checks.require(valid_alias(alias), "kms-key/alias", || {
                format!("alias must be `alias/` then 1-250 of A-Z a-z 0-9 / _ - and not `alias/aws/`, got {alias:?}")
            });
        }
        stack.record(checks);
        let description =
            props.description.unwrap_or_else(|| format!("Encrypts the resources of stack {}", stack.name()));
        let resource = stack.add_with(
            &path,
            kms::Key::new()
                .description(description)
                .enable_key_rotation(true)
                .pending_window_in_days(i64::from(props.pending_window_days)),
            ResourceOptions::new().removal_policy(props.removal_policy),
        )?;
        // In a key policy, "*" as the resource means this key.
        let administer = Statement::allow(ADMINISTER)
            .principal(Principal::this_account())
            .on_all_resources()
            .sid("AccountAdministersTheKey");
        stack.register_policy(
            &path,
            resource.logical_id().clone(),
            PolicySlot::Property("KeyPolicy"),
            PolicyDocument::from_statements([administer]),
        );
        if let Some(alias) = props.alias {
            stack.add(&path.child("Alias"), kms::Alias::new(alias, resource.arn()))?;
        }
        Ok(Self { path, resource })
    }

    /// Lets a service principal use the key for `actions`, under `conditions` given as
    /// `(operator, key, value)` — e.g. an encryption context naming the resource it protects.
    pub fn allow_service(
        &self,
        stack: &mut Stack,
        sid: &str,
        service: Principal,
        actions: impl IntoIterator<Item = Action>,
        conditions: impl IntoIterator<Item = (&'static str, &'static str, serde_json::Value)>,
    ) -> Result<(), Error> {
        // In a key policy, "*" as the resource means this key.
        let mut statement = Statement::allow(actions).principal(service).on_all_resources().sid(sid);
        for (operator, key, value) in conditions {
            statement = statement.condition(operator, key, value);
        }
        stack.add_statement(self.resource.logical_id(), statement)
    }

    /// Lets `grantee` encrypt and decrypt with the key, through its own IAM policy (the key's
    /// policy already lets the account's IAM policies grant it; naming the role in the key
    /// policy as well would make a dependency cycle).
    pub fn grant_encrypt_decrypt(&self, stack: &mut Stack, grantee: &dyn Grantee) -> Result<(), Error> {
        grantee.grant(stack, Statement::allow(ENCRYPT_DECRYPT).on(self.arn()))
    }

    /// Lets `grantee` decrypt with the key.
    pub fn grant_decrypt(&self, stack: &mut Stack, grantee: &dyn Grantee) -> Result<(), Error> {
        grantee.grant(stack, Statement::allow(DECRYPT).on(self.arn()))
    }

    /// The key's ARN.
    pub fn arn(&self) -> Value<String> {
        self.resource.arn()
    }

    /// The key's construct path.
    pub fn path(&self) -> &ConstructPath {
        &self.path
    }

    /// The key's logical ID.
    pub fn logical_id(&self) -> &LogicalId {
        self.resource.logical_id()
    }

    /// The L1 resource: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<kms::Key> {
        &self.resource
    }
}

fn valid_alias(alias: &str) -> bool {
    alias.strip_prefix("alias/").is_some_and(|name| {
        !name.is_empty()
            && name.len() <= 250
            && !name.starts_with("aws/")
            && name.chars().all(|c| c.is_ascii_alphanumeric() || "/_-".contains(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn props_are_checked_together() {
        let mut stack = Stack::new("t").unwrap();
        Key::new(&mut stack, "Key", KeyProps::new().pending_window_days(3).alias("aws/x")).unwrap();
        let err = stack.finish().unwrap_err();
        assert_eq!(
            err.to_string(),
            "Key: alias must be `alias/` then 1-250 of A-Z a-z 0-9 / _ - and not `alias/aws/`, got \"aws/x\" [kms-key/alias]\n\
             Key: pending_window_days must be 7..=30, got 3 [kms-key/pending-window]"
        );
    }

    #[test]
    fn defaults_rotate_retain_and_name_every_action() {
        let mut stack = Stack::new("t").unwrap();
        let key = Key::new(&mut stack, "Key", KeyProps::new().alias("alias/app")).unwrap();
        key.allow_service(&mut stack, "Logs", Principal::regional_service("logs"), ENCRYPT_DECRYPT, []).unwrap();
        let done = stack.finish().unwrap();
        let json = done.template().render();
        assert!(json.contains("\"EnableKeyRotation\": true"));
        assert!(json.contains("\"DeletionPolicy\": \"Retain\""));
        assert!(json.contains("\"KeyAlias\""));
        assert!(!json.contains("kms:*"));
        assert!(json.contains("\"Sid\": \"Logs\""));
    }
}
