//! [`Bucket`]: an S3 bucket that is private, encrypted, versioned and TLS-only by default.

use stackwright_cfn::s3;
use stackwright_cfn::s3::bucket as b;
use stackwright_template::{LogicalId, RemovalPolicy, ResourceOptions, ResourceRef, Value, fns};

use crate::error::{Checks, Error};
use crate::iam::{Action, DenyAll, Grantee, PolicyDocument, Principal, Statement};
use crate::kms::{self, Key};
use crate::path::ConstructPath;
use crate::stack::{PolicySlot, Stack};

/// Read objects.
pub const READ: [Action; 4] = [
    Action::from_static("s3:GetBucketLocation"),
    Action::from_static("s3:GetObject"),
    Action::from_static("s3:GetObjectVersion"),
    Action::from_static("s3:ListBucket"),
];
/// Write objects.
pub const WRITE: [Action; 2] = [Action::from_static("s3:AbortMultipartUpload"), Action::from_static("s3:PutObject")];

/// How objects are encrypted at rest.
#[derive(Debug, Clone)]
pub enum BucketEncryption {
    /// With the stack's customer-managed key (SSE-KMS, bucket key on).
    Kms(Key),
    /// With S3-managed keys (SSE-S3): only where AWS requires it — S3 server access logs and
    /// load balancer access logs can only be delivered to SSE-S3 buckets.
    S3Managed,
}

/// Properties of a [`Bucket`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BucketProps {
    /// How objects are encrypted. **Required.**
    pub encryption: BucketEncryption,
    /// Keep every version of every object. **Default:** `true` (CDK: `false`).
    pub versioned: bool,
    /// Where S3 server access logs go, and under which prefix. **Default:** none.
    pub access_logs: Option<(Value<String>, String)>,
    /// Delete current objects this many days after creation. **Default:** never.
    pub expire_objects_after_days: Option<u32>,
    /// Delete non-current versions this many days after they were replaced. **Default:** 90.
    pub expire_noncurrent_after_days: u32,
    /// **Default:** [`RemovalPolicy::Retain`].
    pub removal_policy: RemovalPolicy,
}

impl BucketProps {
    /// A bucket encrypted with `encryption`.
    pub fn new(encryption: BucketEncryption) -> Self {
        Self {
            encryption,
            versioned: true,
            access_logs: None,
            expire_objects_after_days: None,
            expire_noncurrent_after_days: 90,
            removal_policy: RemovalPolicy::Retain,
        }
    }

    /// See [`BucketProps::versioned`].
    #[must_use]
    pub fn versioned(mut self, yes: bool) -> Self {
        self.versioned = yes;
        self
    }

    /// Sends S3 server access logs to `target` under `prefix`. See [`BucketProps::access_logs`].
    #[must_use]
    pub fn access_logs(mut self, target: &Bucket, prefix: impl Into<String>) -> Self {
        self.access_logs = Some((target.name(), prefix.into()));
        self
    }

    /// See [`BucketProps::expire_objects_after_days`].
    #[must_use]
    pub fn expire_objects_after_days(mut self, days: u32) -> Self {
        self.expire_objects_after_days = Some(days);
        self
    }

    /// See [`BucketProps::expire_noncurrent_after_days`].
    #[must_use]
    pub fn expire_noncurrent_after_days(mut self, days: u32) -> Self {
        self.expire_noncurrent_after_days = days;
        self
    }

    /// See [`BucketProps::removal_policy`].
    #[must_use]
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }
}

/// An S3 bucket: public access blocked, ACLs disabled (owner enforced), encrypted, and a
/// bucket policy that denies requests without TLS. Its policy grows with
/// [`Bucket::add_to_resource_policy`].
#[derive(Debug, Clone)]
pub struct Bucket {
    path: ConstructPath,
    resource: ResourceRef<s3::Bucket>,
    policy: ResourceRef<s3::BucketPolicy>,
}

impl Bucket {
    /// Adds the bucket and its policy at `path` (the policy at `path/Policy`).
    #[allow(clippy::needless_pass_by_value)] // by value, so builder chains end in the call
    pub fn new(stack: &mut Stack, path: impl Into<ConstructPath>, props: BucketProps) -> Result<Self, Error> {
        let path = path.into();
        let mut checks = Checks::new(&path);
        checks.require(props.expire_noncurrent_after_days >= 1, "s3-bucket/noncurrent-expiry", || {
            "expire_noncurrent_after_days must be at least 1, got 0".to_owned()
        });
        checks.require(props.expire_objects_after_days != Some(0), "s3-bucket/expiry", || {
            "expire_objects_after_days must be at least 1, got 0".to_owned()
        });
        if let Some((_, prefix)) = &props.access_logs {
            checks.require(prefix.is_empty() || prefix.ends_with('/'), "s3-bucket/log-prefix", || {
                format!("an access log prefix must end with `/`, got {prefix:?}")
            });
        }
        stack.record(checks);

        let mut bucket = s3::Bucket::new()
            .bucket_encryption(b::BucketEncryption::new(vec![encryption_rule(&props.encryption)]))
            .public_access_block_configuration(
                b::PublicAccessBlockConfiguration::new()
                    .block_public_acls(true)
                    .block_public_policy(true)
                    .ignore_public_acls(true)
                    .restrict_public_buckets(true),
            )
            .ownership_controls(b::OwnershipControls::new(vec![
                b::OwnershipControlsRule::new().object_ownership(b::ObjectOwnership::BucketOwnerEnforced),
            ]))
            .lifecycle_configuration(b::LifecycleConfiguration::new(lifecycle_rules(&props)));
        if props.versioned {
            bucket = bucket
                .versioning_configuration(b::VersioningConfiguration::new(b::VersioningConfigurationStatus::Enabled));
        }
        let mut options = ResourceOptions::new().removal_policy(props.removal_policy);
        match &props.access_logs {
            Some((target, prefix)) => {
                bucket = bucket.logging_configuration(
                    b::LoggingConfiguration::new()
                        .destination_bucket_name(target.clone())
                        .log_file_prefix(prefix.clone()),
                );
            }
            None => {
                options = options.checkov_skip(
                    "CKV_AWS_18",
                    "this bucket is the access-log destination; logging it to itself would loop",
                );
            }
        }
        let resource = stack.add_with(&path, bucket, options)?;

        let deny_plain_http = Statement::deny_every_action_of(DenyAll::S3)
            .principal(Principal::Aws(Value::Literal("*".into())))
            .on(resource.arn())
            .on(objects(&resource.arn(), ""))
            .condition("Bool", "aws:SecureTransport", false)
            .sid("DenyRequestsWithoutTls");
        let policy_path = path.child("Policy");
        let policy = stack.add(&policy_path, s3::BucketPolicy::new(resource.ref_(), serde_json::json!({})))?;
        stack.register_policy(
            &policy_path,
            policy.logical_id().clone(),
            PolicySlot::Property("PolicyDocument"),
            PolicyDocument::from_statements([deny_plain_http]),
        );
        Ok(Self { path, resource, policy })
    }

    /// A bucket for S3 server access logs and load balancer access logs: SSE-S3 (the only
    /// encryption those deliveries support), versioned, objects expire after 365 days, and the
    /// S3 logging service may write to it.
    pub fn log_bucket(stack: &mut Stack, path: impl Into<ConstructPath>) -> Result<Self, Error> {
        let bucket = Self::new(
            stack,
            path,
            BucketProps::new(BucketEncryption::S3Managed)
                .expire_objects_after_days(365)
                .expire_noncurrent_after_days(30),
        )?;
        let account = fns::sub("${AWS::AccountId}");
        bucket.add_to_resource_policy(
            stack,
            Statement::allow([Action::from_static("s3:PutObject")])
                .principal(Principal::service("logging.s3.amazonaws.com"))
                .on(bucket.objects_arn(""))
                .condition("StringEquals", "aws:SourceAccount", account.to_json())
                .sid("S3ServerAccessLogsDelivery"),
        )?;
        Ok(bucket)
    }

    /// Lets Elastic Load Balancing deliver access logs under `prefix`, for load balancers of
    /// this account only.
    pub fn allow_load_balancer_logs(&self, stack: &mut Stack, prefix: &str) -> Result<(), Error> {
        let logs = self.objects_arn(&format!("{prefix}AWSLogs/${{AWS::AccountId}}/"));
        self.add_to_resource_policy(
            stack,
            Statement::allow([Action::from_static("s3:PutObject")])
                .principal(Principal::service("logdelivery.elasticloadbalancing.amazonaws.com"))
                .on(logs.clone())
                .sid("LoadBalancerLogsDelivery"),
        )?;
        super::elb_log_delivery::allow_legacy_region_accounts(stack, self, logs)
    }

    /// Adds a statement to the bucket policy.
    pub fn add_to_resource_policy(&self, stack: &mut Stack, statement: Statement) -> Result<(), Error> {
        stack.add_statement(self.policy.logical_id(), statement)
    }

    /// Lets `grantee` list the bucket and read its objects (and decrypt them with `key`, when
    /// the bucket is encrypted with one).
    pub fn grant_read(&self, stack: &mut Stack, grantee: &dyn Grantee, key: Option<&Key>) -> Result<(), Error> {
        grantee.grant(stack, Statement::allow(READ).on(self.arn()).on(self.objects_arn("")))?;
        if let Some(key) = key {
            grantee.grant(stack, Statement::allow(kms::DECRYPT).on(key.arn()))?;
        }
        Ok(())
    }

    /// Lets `grantee` write objects (and encrypt them with `key`).
    pub fn grant_write(&self, stack: &mut Stack, grantee: &dyn Grantee, key: Option<&Key>) -> Result<(), Error> {
        grantee.grant(stack, Statement::allow(WRITE).on(self.objects_arn("")))?;
        if let Some(key) = key {
            key.grant_encrypt_decrypt(stack, grantee)?;
        }
        Ok(())
    }

    /// Both [`Bucket::grant_read`] and [`Bucket::grant_write`].
    pub fn grant_read_write(&self, stack: &mut Stack, grantee: &dyn Grantee, key: Option<&Key>) -> Result<(), Error> {
        self.grant_read(stack, grantee, key)?;
        self.grant_write(stack, grantee, key)
    }

    /// The bucket's ARN.
    pub fn arn(&self) -> Value<String> {
        self.resource.arn()
    }

    /// The bucket's name (`Ref`).
    pub fn name(&self) -> Value<String> {
        self.resource.ref_()
    }

    /// The ARN of the objects under `prefix` (`<bucket ARN>/<prefix>*`).
    pub fn objects_arn(&self, prefix: &str) -> Value<String> {
        objects(&self.arn(), prefix)
    }

    /// The bucket's construct path.
    pub fn path(&self) -> &ConstructPath {
        &self.path
    }

    /// The bucket's logical ID.
    pub fn logical_id(&self) -> &LogicalId {
        self.resource.logical_id()
    }

    /// The L1 bucket: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<s3::Bucket> {
        &self.resource
    }

    /// The L1 bucket policy.
    pub fn policy(&self) -> &ResourceRef<s3::BucketPolicy> {
        &self.policy
    }
}

fn objects(bucket_arn: &Value<String>, prefix: &str) -> Value<String> {
    fns::sub_with(format!("${{Arn}}/{prefix}*"), [("Arn", bucket_arn.clone())])
}

fn encryption_rule(encryption: &BucketEncryption) -> b::ServerSideEncryptionRule {
    let by_default = match encryption {
        BucketEncryption::Kms(key) => {
            b::ServerSideEncryptionByDefault::new(b::ServerSideEncryptionByDefaultSseAlgorithm::AwsKms)
                .kms_master_key_id(key.arn())
        }
        BucketEncryption::S3Managed => {
            b::ServerSideEncryptionByDefault::new(b::ServerSideEncryptionByDefaultSseAlgorithm::Aes256)
        }
    };
    b::ServerSideEncryptionRule::new().server_side_encryption_by_default(by_default).bucket_key_enabled(true)
}

fn lifecycle_rules(props: &BucketProps) -> Vec<b::Rule> {
    let mut rule = b::Rule::new(b::RuleStatus::Enabled)
        .id("ExpireOldData")
        .abort_incomplete_multipart_upload(b::AbortIncompleteMultipartUpload::new(7))
        .noncurrent_version_expiration(b::NoncurrentVersionExpiration::new(i64::from(
            props.expire_noncurrent_after_days,
        )));
    if let Some(days) = props.expire_objects_after_days {
        rule = rule.expiration_in_days(i64::from(days));
    }
    vec![rule]
}

#[cfg(test)]
#[path = "bucket_tests.rs"]
mod tests;
