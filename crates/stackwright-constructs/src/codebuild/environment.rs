//! The build environment: curated images, compute types and typed environment variables.

use stackwright_cfn::codebuild::project;
use stackwright_template::{Value, fns};

use crate::arn;
use crate::error::{Checks, Error};
use crate::iam::{Action, Grantee, Statement};
use crate::stack::Stack;

const SSM_GET_PARAMETERS: Action = Action::from_static("ssm:GetParameters");
const SECRETS_GET_VALUE: Action = Action::from_static("secretsmanager:GetSecretValue");

/// A curated CodeBuild Linux image (x86-64), maintained and patched by AWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LinuxImage {
    /// `aws/codebuild/amazonlinux-x86_64-standard:5.0` (Amazon Linux 2023).
    AmazonLinux2023Standard5,
    /// `aws/codebuild/amazonlinux2-x86_64-standard:5.0` (Amazon Linux 2).
    AmazonLinux2Standard5,
    /// `aws/codebuild/standard:7.0` (Ubuntu 22.04).
    UbuntuStandard7,
}

impl LinuxImage {
    /// The image's name in CodeBuild.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AmazonLinux2023Standard5 => "aws/codebuild/amazonlinux-x86_64-standard:5.0",
            Self::AmazonLinux2Standard5 => "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
            Self::UbuntuStandard7 => "aws/codebuild/standard:7.0",
        }
    }
}

/// The build's compute size (EC2 compute, Linux containers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ComputeType {
    /// 3 GB, 2 vCPUs.
    Small,
    /// 7 GB, 4 vCPUs.
    Medium,
    /// 15 GB, 8 vCPUs.
    Large,
    /// 70 GB, 36 vCPUs.
    XLarge,
    /// 145 GB, 72 vCPUs.
    X2Large,
}

impl ComputeType {
    /// The compute type's name in CodeBuild.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Small => "BUILD_GENERAL1_SMALL",
            Self::Medium => "BUILD_GENERAL1_MEDIUM",
            Self::Large => "BUILD_GENERAL1_LARGE",
            Self::XLarge => "BUILD_GENERAL1_XLARGE",
            Self::X2Large => "BUILD_GENERAL1_2XLARGE",
        }
    }
}

/// Where an environment variable's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvValue {
    /// A value written into the project (visible to anyone who can read the project: never a
    /// secret).
    Plain(Value<String>),
    /// A Systems Manager Parameter Store parameter, by name (`/app/db-host`); the project
    /// role may read exactly this parameter.
    ParameterStore(String),
    /// A Secrets Manager secret by ARN, optionally one JSON key of it; the project role may
    /// read exactly this secret. A secret encrypted with a customer key also needs
    /// `kms:Decrypt` on that key, granted by its owner.
    SecretsManager {
        /// The secret's full ARN.
        arn: Value<String>,
        /// A JSON key inside the secret. **Default:** none, the whole secret.
        json_key: Option<String>,
    },
}

/// One environment variable of a build.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvironmentVariable {
    /// `[A-Za-z_][A-Za-z0-9_]*`, not starting with `CODEBUILD_`.
    pub name: String,
    /// Its value.
    pub value: EnvValue,
}

impl EnvironmentVariable {
    /// A variable named `name` with `value`.
    pub fn new(name: impl Into<String>, value: EnvValue) -> Self {
        Self { name: name.into(), value }
    }

    /// A plain variable.
    pub fn plain(name: impl Into<String>, value: impl Into<Value<String>>) -> Self {
        Self::new(name, EnvValue::Plain(value.into()))
    }

    pub(crate) fn to_l1(&self) -> project::EnvironmentVariable {
        let (kind, value) = match &self.value {
            EnvValue::Plain(v) => ("PLAINTEXT", v.clone()),
            EnvValue::ParameterStore(name) => ("PARAMETER_STORE", Value::from(name.as_str())),
            EnvValue::SecretsManager { arn, json_key: None } => ("SECRETS_MANAGER", arn.clone()),
            EnvValue::SecretsManager { arn, json_key: Some(key) } => {
                ("SECRETS_MANAGER", fns::join("", vec![arn.clone(), Value::from(format!(":{key}"))]))
            }
        };
        project::EnvironmentVariable::new(self.name.clone(), value).r#type(kind)
    }

    /// Lets `grantee` read the parameter or secret the value comes from, if any.
    pub(crate) fn grant_read(&self, stack: &mut Stack, grantee: &dyn Grantee) -> Result<(), Error> {
        match &self.value {
            EnvValue::Plain(_) => Ok(()),
            EnvValue::ParameterStore(name) => {
                let arn = arn::ssm_parameter(name);
                grantee.grant(stack, Statement::allow([SSM_GET_PARAMETERS]).on(arn))
            }
            EnvValue::SecretsManager { arn, .. } => {
                grantee.grant(stack, Statement::allow([SECRETS_GET_VALUE]).on(arn.clone()))
            }
        }
    }
}

/// Whether `name` is a usable environment variable name.
pub(crate) fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Checks names (shape, `CODEBUILD_` prefix, duplicates, names the build sets itself) and
/// parameter names.
pub(crate) fn check(variables: &[EnvironmentVariable], reserved: &[&str], checks: &mut Checks) {
    let mut seen = std::collections::BTreeSet::new();
    for variable in variables {
        let name = variable.name.as_str();
        checks.require(is_env_name(name) && !name.starts_with("CODEBUILD_"), "codebuild-env/name", || {
            format!("environment variable name must match [A-Za-z_][A-Za-z0-9_]* and not start with CODEBUILD_, got {name:?}")
        });
        checks.require(seen.insert(name), "codebuild-env/duplicate", || {
            format!("environment variable {name} is defined more than once")
        });
        checks.require(!reserved.contains(&name), "codebuild-env/reserved", || {
            format!("environment variable {name} is set by the build itself")
        });
        if let EnvValue::ParameterStore(parameter) = &variable.value {
            let ok = !parameter.is_empty()
                && parameter.len() <= 2048
                && parameter.chars().all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c));
            checks.require(ok, "codebuild-env/parameter-name", || {
                format!("environment variable {name}: parameter name must be 1-2048 of A-Z a-z 0-9 _ . - /, got {parameter:?}")
            });
        }
        if let EnvValue::SecretsManager { json_key: Some(key), .. } = &variable.value {
            checks.require(!key.is_empty() && !key.contains(':'), "codebuild-env/secret-key", || {
                format!("environment variable {name}: JSON key must be non-empty without ':', got {key:?}")
            });
        }
    }
}
