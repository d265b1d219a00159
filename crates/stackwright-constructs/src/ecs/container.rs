//! [`ContainerDefinition`]: one container of a Fargate task, its image, ports, environment,
//! secrets and health check.

use std::collections::BTreeMap;

use stackwright_cfn::ecs::task_definition as l1;
use stackwright_template::{Value, fns};

use crate::ecs::{ContainerSecret, HealthCheck, SecretSource};
use crate::error::Checks;

/// Where a container's image comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum ContainerImage {
    /// A full image reference from a registry that needs no credentials, e.g.
    /// `public.ecr.aws/nginx/nginx:1.27`. For a private ECR repository use
    /// [`ContainerImage::FromRepository`], so the execution role can pull it.
    Literal(String),
    /// An image in an ECR repository: the execution role may pull from this repository only.
    FromRepository {
        /// The repository URI (`RepositoryUri`).
        uri: Value<String>,
        /// The repository ARN, which the execution role's pull rights name.
        arn: Value<String>,
        /// The tag, e.g. a parameter the pipeline sets to the commit ID.
        tag: Value<String>,
    },
    /// An image the service starts with until a pipeline deploys one from an ECR repository
    /// (which is still empty when the stack that creates it is deployed): the execution role
    /// may pull from that repository already.
    Bootstrap {
        /// The first image, e.g. a stack parameter.
        image: Value<String>,
        /// The ARN of the repository the pipeline's images will come from.
        repository_arn: Value<String>,
    },
}

impl ContainerImage {
    pub(crate) fn reference(&self) -> Value<String> {
        match self {
            Self::Literal(image) => image.clone().into(),
            Self::FromRepository { uri, tag, .. } => fns::join(":", vec![uri.clone(), tag.clone()]),
            Self::Bootstrap { image, .. } => image.clone(),
        }
    }

    /// The ECR repository the execution role must be able to pull from, if any.
    pub(crate) fn repository_arn(&self) -> Option<&Value<String>> {
        match self {
            Self::Literal(_) => None,
            Self::FromRepository { arn, .. } | Self::Bootstrap { repository_arn: arn, .. } => Some(arn),
        }
    }
}

/// One container of a Fargate task. Its root filesystem is read-only unless you say otherwise,
/// and it can never be privileged (Fargate refuses that, and nothing here can ask for it).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ContainerDefinition {
    /// The name: 1 to 255 letters, digits, hyphens and underscores, unique in the task. **Required.**
    pub name: String,
    /// The image. **Required.**
    pub image: ContainerImage,
    /// TCP ports the container listens on; the first is the one a load balancer targets.
    /// **Default:** none.
    pub ports: Vec<u16>,
    /// Plain environment variables. **Default:** none.
    pub environment: BTreeMap<String, Value<String>>,
    /// Secret environment variables, by variable name. **Default:** none.
    pub secrets: BTreeMap<String, ContainerSecret>,
    /// **Default:** none (ECS then relies on the load balancer's health check, if any).
    pub health_check: Option<HealthCheck>,
    /// **Default:** `true` (CDK: `false`): a compromised process cannot change the image's files;
    /// write to a mounted volume instead. ECS Exec needs it `false` (its agent writes into the
    /// container).
    pub readonly_root_filesystem: bool,
    /// Whether the task stops when this container stops. The task's main container must be
    /// essential (rule `ecs-task/main-not-essential`). **Default:** `true`.
    pub essential: bool,
    /// Log stream prefix: streams are named `<prefix>/<container>/<task id>`. **Default:** the
    /// container's name.
    pub log_stream_prefix: Option<String>,
    /// Overrides the image's `CMD`. **Default:** the image's.
    pub command: Option<Vec<String>>,
}

impl ContainerDefinition {
    /// A container called `name` running `image`.
    pub fn new(name: impl Into<String>, image: ContainerImage) -> Self {
        Self {
            name: name.into(),
            image,
            ports: Vec::new(),
            environment: BTreeMap::new(),
            secrets: BTreeMap::new(),
            health_check: None,
            readonly_root_filesystem: true,
            essential: true,
            log_stream_prefix: None,
            command: None,
        }
    }

    /// Adds a TCP port; see [`ContainerDefinition::ports`].
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.ports.push(port);
        self
    }

    /// Adds an environment variable; see [`ContainerDefinition::environment`].
    #[must_use]
    pub fn env(mut self, name: impl Into<String>, value: impl Into<Value<String>>) -> Self {
        self.environment.insert(name.into(), value.into());
        self
    }

    /// Adds a secret environment variable; see [`ContainerDefinition::secrets`].
    #[must_use]
    pub fn secret(mut self, name: impl Into<String>, secret: ContainerSecret) -> Self {
        self.secrets.insert(name.into(), secret);
        self
    }

    /// See [`ContainerDefinition::health_check`].
    #[must_use]
    pub fn health_check(mut self, check: HealthCheck) -> Self {
        self.health_check = Some(check);
        self
    }

    /// See [`ContainerDefinition::readonly_root_filesystem`].
    #[must_use]
    pub fn readonly_root_filesystem(mut self, yes: bool) -> Self {
        self.readonly_root_filesystem = yes;
        self
    }

    /// See [`ContainerDefinition::essential`].
    #[must_use]
    pub fn essential(mut self, yes: bool) -> Self {
        self.essential = yes;
        self
    }

    /// See [`ContainerDefinition::log_stream_prefix`].
    #[must_use]
    pub fn log_stream_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.log_stream_prefix = Some(prefix.into());
        self
    }

    /// See [`ContainerDefinition::command`].
    #[must_use]
    pub fn command(mut self, command: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.command = Some(command.into_iter().map(Into::into).collect());
        self
    }

    /// Records every broken rule of this container.
    pub(crate) fn check(&self, checks: &mut Checks) {
        let name = &self.name;
        checks.require(valid_name(name), "ecs-container/name", || {
            format!("container name must be 1-255 letters, digits, hyphens or underscores, got {name:?}")
        });
        if let ContainerImage::Literal(image) = &self.image {
            checks.require(!image.contains(".dkr.ecr."), "ecs-container/ecr-literal-image", || {
                format!(
                    "container {name}: image {image:?} is in a private ECR repository; use \
                     ContainerImage::FromRepository so the execution role may pull it"
                )
            });
            checks.require(!image.trim().is_empty(), "ecs-container/empty-image", || {
                format!("container {name}: the image reference is empty")
            });
        }
        let mut seen = Vec::new();
        for &port in &self.ports {
            checks.require(port != 0, "ecs-container/port", || {
                format!("container {name}: port must be 1..=65535, got 0")
            });
            checks.require(!seen.contains(&port), "ecs-container/duplicate-port", || {
                format!("container {name}: port {port} is mapped twice")
            });
            seen.push(port);
        }
        for variable in self.environment.keys().chain(self.secrets.keys()) {
            checks.require(valid_variable(variable), "ecs-container/variable-name", || {
                format!("container {name}: environment variable names are [A-Za-z_][A-Za-z0-9_]*, got {variable:?}")
            });
        }
        for variable in self.secrets.keys().filter(|v| self.environment.contains_key(*v)) {
            checks.fail(
                "ecs-container/duplicate-variable",
                format!("container {name}: {variable} is both an environment variable and a secret"),
            );
        }
        for (variable, secret) in &self.secrets {
            if let SecretSource::SsmParameterName(parameter) = &secret.source {
                checks.require(valid_parameter_name(parameter), "ecs-container/ssm-parameter-name", || {
                    format!(
                        "container {name}: secret {variable}: SSM parameter names are 1-2048 of A-Z a-z 0-9 _ . - /, \
                         got {parameter:?}"
                    )
                });
            }
            if let SecretSource::SecretsManager { json_key: Some(key), .. } = &secret.source {
                checks.require(!key.is_empty() && !key.contains(':'), "ecs-container/secret-json-key", || {
                    format!(
                        "container {name}: secret {variable}: the JSON key must be non-empty without `:`, got {key:?}"
                    )
                });
            }
        }
        if let Some(prefix) = &self.log_stream_prefix {
            checks.require(
                !prefix.is_empty() && prefix.len() <= 512 && !prefix.contains([':', '*']),
                "ecs-container/log-stream-prefix",
                || format!("container {name}: log stream prefix must be 1-512 characters without `:` or `*`, got {prefix:?}"),
            );
        }
        if let Some(check) = &self.health_check {
            check.check(checks, name);
        }
    }

    /// The L1 container definition, logging to `log_group_name`.
    pub(crate) fn to_l1(
        &self,
        essential: bool,
        log_group_name: Value<String>,
        mount_points: Vec<l1::MountPoint>,
    ) -> l1::ContainerDefinition {
        let prefix = self.log_stream_prefix.clone().unwrap_or_else(|| self.name.clone());
        let mut options: BTreeMap<String, Value<String>> = BTreeMap::new();
        options.insert("awslogs-group".into(), log_group_name);
        options.insert("awslogs-region".into(), fns::sub("${AWS::Region}"));
        options.insert("awslogs-stream-prefix".into(), prefix.into());
        let mut container = l1::ContainerDefinition::new(self.image.reference(), self.name.clone())
            .essential(essential)
            .readonly_root_filesystem(self.readonly_root_filesystem)
            .privileged(false)
            .log_configuration(l1::LogConfiguration::new("awslogs").options(options));
        if !self.ports.is_empty() {
            let mappings: Vec<l1::PortMapping> = self
                .ports
                .iter()
                .map(|&p| l1::PortMapping::new().container_port(p).protocol(l1::Protocol::Tcp))
                .collect();
            container = container.port_mappings(mappings);
        }
        if !self.environment.is_empty() {
            let pairs: Vec<l1::KeyValuePair> = self
                .environment
                .iter()
                .map(|(k, v)| l1::KeyValuePair::new().name(k.clone()).value(v.clone()))
                .collect();
            container = container.environment(pairs);
        }
        if !self.secrets.is_empty() {
            let secrets: Vec<l1::Secret> =
                self.secrets.iter().map(|(k, s)| l1::Secret::new(k.clone(), s.value_from())).collect();
            container = container.secrets(secrets);
        }
        if let Some(check) = &self.health_check {
            container = container.health_check(check.to_l1());
        }
        if let Some(command) = &self.command {
            container = container.command(command.clone());
        }
        if !mount_points.is_empty() {
            container = container.mount_points(mount_points);
        }
        container
    }
}

/// Container and volume names: 1 to 255 letters, digits, hyphens and underscores.
pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 255 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn valid_variable(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn valid_parameter_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 2048 && name.chars().all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c))
}
