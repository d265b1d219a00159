//! [`ContainerSecret`]: a container environment variable read from SSM Parameter Store or
//! Secrets Manager when the task starts.

use stackwright_template::{Value, fns};

use crate::arn;

/// Where a secret's value is read from when the task starts.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SecretSource {
    /// An SSM Parameter Store parameter of this account and region, by name (`/app/db-password`).
    SsmParameterName(String),
    /// An SSM Parameter Store parameter, by ARN.
    SsmParameterArn(Value<String>),
    /// A Secrets Manager secret by ARN, and optionally one key of its JSON value.
    SecretsManager {
        /// The secret's ARN.
        arn: Value<String>,
        /// A key of the secret's JSON value; the whole value when `None`.
        json_key: Option<String>,
    },
}

/// A secret exposed to the container as an environment variable. The execution role may read
/// exactly this parameter or secret, and decrypt with `kms_key_arn` when it is given.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerSecret {
    /// Where the value comes from. **Required.**
    pub source: SecretSource,
    /// The customer-managed KMS key the value is encrypted with. **Default:** none (the
    /// AWS-managed key, which needs no grant).
    pub kms_key_arn: Option<Value<String>>,
}

impl ContainerSecret {
    /// A secret read from `source`.
    pub fn new(source: SecretSource) -> Self {
        Self { source, kms_key_arn: None }
    }

    /// See [`ContainerSecret::kms_key_arn`].
    #[must_use]
    pub fn kms_key(mut self, arn: impl Into<Value<String>>) -> Self {
        self.kms_key_arn = Some(arn.into());
        self
    }

    /// The ARN IAM statements name.
    pub(crate) fn resource_arn(&self) -> Value<String> {
        match &self.source {
            SecretSource::SsmParameterName(name) => arn::ssm_parameter(name),
            SecretSource::SsmParameterArn(arn) | SecretSource::SecretsManager { arn, .. } => arn.clone(),
        }
    }

    pub(crate) fn value_from(&self) -> Value<String> {
        match &self.source {
            SecretSource::SecretsManager { arn, json_key: Some(key) } => {
                // `<secret ARN>:<json key>:<version stage>:<version id>`, the last two empty: current.
                fns::sub_with(format!("${{Secret}}:{key}::"), [("Secret", arn.clone())])
            }
            _ => self.resource_arn(),
        }
    }
}
