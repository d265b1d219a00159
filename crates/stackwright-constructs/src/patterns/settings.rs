//! The settings the patterns share, as plain data: the application's service (container,
//! size, environment, secrets, logs, task count) and its delivery (repository, build, approval,
//! release). No closures and no template values: a manifest maps onto these directly.

use std::collections::BTreeMap;

use crate::codebuild::ProjectProps;
use crate::codepipeline::{DeploymentTimeout, PipelineProps};
use crate::ecr::{LifecycleRule, PrioritizedRule, RepositoryProps};
use crate::ecs::{Autoscaling, ContainerSecret, FargateSize, SecretSource};
use crate::logs::Retention;
use crate::patterns::Hook;
use crate::patterns::source::Source;

/// How the pipeline puts a new image into service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ReleaseMode {
    /// A stack update that changes only the image parameter (`update-stack
    /// --use-previous-template`, every other parameter kept): CloudFormation owns the running
    /// image, so no later stack update reverts a release, and a release never reverts a
    /// configuration change.
    #[default]
    CloudFormation,
    /// CodePipeline's ECS deploy action registers task-definition revisions outside
    /// CloudFormation. Trade-off: a later stack update that touches the task definition (size,
    /// environment, secrets, EFS) registers a revision with the image parameter's value again
    /// and rolls the service back to that image; set the parameter to the released image first.
    EcsDeployAction,
}

/// Where a secret environment variable's value is read from when a task starts.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecretRef {
    /// An SSM Parameter Store parameter of this account and Region, by name (`/app/db-password`).
    SsmParameter(String),
    /// A Secrets Manager secret by ARN, optionally one key of its JSON value.
    SecretsManager {
        /// The secret's ARN.
        arn: String,
        /// A key of the secret's JSON value; the whole value when `None`.
        json_key: Option<String>,
    },
}

impl SecretRef {
    pub(crate) fn to_container_secret(&self) -> ContainerSecret {
        ContainerSecret::new(match self {
            Self::SsmParameter(name) => SecretSource::SsmParameterName(name.clone()),
            Self::SecretsManager { arn, json_key } => {
                SecretSource::SecretsManager { arn: arn.as_str().into(), json_key: json_key.clone() }
            }
        })
    }
}

/// The image repository's settings, as [`crate::ecr::Repository`] offers them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EcrSettings {
    /// Scan images when they are pushed. **Default:** `true`.
    pub scan_on_push: bool,
    /// Tags cannot be moved to another image. **Default:** `true`: the release names an image
    /// by its commit tag, which must always mean the same bytes.
    pub immutable_tags: bool,
    /// **Default:** untagged images expire after 7 days (priority 1), the last 100 images are
    /// kept (priority 100).
    pub lifecycle_rules: Vec<PrioritizedRule>,
    /// Delete the images when the stack deletes the repository. **Default:** `false` (the
    /// repository is retained with its images).
    pub empty_on_delete: bool,
}

impl Default for EcrSettings {
    fn default() -> Self {
        let repository = RepositoryProps::new();
        Self {
            scan_on_push: repository.scan_on_push,
            immutable_tags: repository.immutable_tags,
            lifecycle_rules: repository.lifecycle_rules,
            empty_on_delete: repository.empty_on_delete,
        }
    }
}

impl EcrSettings {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// See [`EcrSettings::scan_on_push`].
    #[must_use]
    pub fn scan_on_push(mut self, yes: bool) -> Self {
        self.scan_on_push = yes;
        self
    }

    /// See [`EcrSettings::immutable_tags`].
    #[must_use]
    pub fn immutable_tags(mut self, yes: bool) -> Self {
        self.immutable_tags = yes;
        self
    }

    /// See [`EcrSettings::empty_on_delete`].
    #[must_use]
    pub fn empty_on_delete(mut self, yes: bool) -> Self {
        self.empty_on_delete = yes;
        self
    }

    /// Adds a lifecycle rule; see [`EcrSettings::lifecycle_rules`].
    #[must_use]
    pub fn lifecycle_rule(mut self, priority: u32, rule: LifecycleRule) -> Self {
        self.lifecycle_rules.push(PrioritizedRule { priority, rule });
        self
    }

    pub(crate) fn to_props(&self, name: &str) -> RepositoryProps {
        RepositoryProps::new()
            .name(name)
            .scan_on_push(self.scan_on_push)
            .immutable_tags(self.immutable_tags)
            .lifecycle_rules(self.lifecycle_rules.clone())
            .empty_on_delete(self.empty_on_delete)
    }
}

/// The application's service: its container and how many tasks run it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ServiceSettings {
    /// The container's name: the task definition's and the build's — one value, checked by the
    /// pipeline. **Default:** `app`.
    pub container_name: String,
    /// CPU and memory of a task. **Default:** 0.25 vCPU and 512 MiB.
    pub size: FargateSize,
    /// Plain environment variables of the container. **Default:** none.
    pub environment: BTreeMap<String, String>,
    /// Secret environment variables of the container, by variable name; the execution role may
    /// read exactly these. **Default:** none.
    pub secrets: BTreeMap<String, SecretRef>,
    /// Retention of the service's logs and of the pipeline's build logs. **Default:**
    /// [`Retention::OneYear`].
    pub log_retention: Retention,
    /// Tasks to run. **Default:** 2; with `autoscaling`, not written (the autoscaler owns the
    /// count); setting both is an error.
    pub desired_count: Option<u32>,
    /// Target-tracking scaling. **Default:** none.
    pub autoscaling: Option<Autoscaling>,
    /// Addresses subscribed to the alarm topic. **Default:** none.
    pub alarm_emails: Vec<String>,
}

impl Default for ServiceSettings {
    fn default() -> Self {
        Self {
            container_name: "app".into(),
            size: FargateSize::CPU_256_MEMORY_512,
            environment: BTreeMap::new(),
            secrets: BTreeMap::new(),
            log_retention: Retention::OneYear,
            desired_count: None,
            autoscaling: None,
            alarm_emails: Vec::new(),
        }
    }
}

/// The delivery half: where commits come from, how they are built and approved, how a build
/// is released.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DeliverySettings {
    /// A short lowercase name: the ECR repository's name. **Required.**
    pub name: String,
    /// Where commits come from. **Required.**
    pub source: Source,
    /// The image repository's settings. **Default:** [`EcrSettings::default`].
    pub ecr: EcrSettings,
    /// Unit tests, run on the source before the image is built; JUnit reports written under
    /// `reports/unit` are published. **Default:** none.
    pub unit_test_command: Option<String>,
    /// A manual approval before the release, notified on the alarm topic. **Default:** `true`.
    pub approval: bool,
    /// How long a release may take before it is given up (and, in
    /// [`ReleaseMode::CloudFormation`], rolled back). **Default:** 30 minutes.
    pub deployment_timeout: DeploymentTimeout,
    /// **Default:** [`ReleaseMode::CloudFormation`].
    pub release_mode: ReleaseMode,
    /// Final adjustments to the image build's props (compute type, build image, cache…);
    /// several compose in order. **Default:** none.
    pub build_hook: Option<Hook<ProjectProps>>,
    /// Final adjustments to the pipeline's props (execution mode, name, artifact expiry…);
    /// several compose in order. **Default:** none.
    pub pipeline_hook: Option<Hook<PipelineProps>>,
}

impl DeliverySettings {
    /// Delivery of the application `name` from `source`, with the defaults.
    pub fn new(name: impl Into<String>, source: Source) -> Self {
        Self {
            name: name.into(),
            source,
            ecr: EcrSettings::default(),
            unit_test_command: None,
            approval: true,
            deployment_timeout: DeploymentTimeout::minutes(30),
            release_mode: ReleaseMode::default(),
            build_hook: None,
            pipeline_hook: None,
        }
    }
}

/// The setters of [`ServiceSettings`] on a pattern's props, which holds them in the field
/// `service`.
macro_rules! service_setters {
    ($props:ident) => {
        impl $props {
            /// See [`ServiceSettings::container_name`].
            #[must_use]
            pub fn container_name(mut self, name: impl Into<String>) -> Self {
                self.service.container_name = name.into();
                self
            }

            /// See [`ServiceSettings::size`].
            #[must_use]
            pub fn size(mut self, size: $crate::ecs::FargateSize) -> Self {
                self.service.size = size;
                self
            }

            /// Adds a plain environment variable; see [`ServiceSettings::environment`].
            #[must_use]
            pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.service.environment.insert(name.into(), value.into());
                self
            }

            /// Adds a secret environment variable; see [`ServiceSettings::secrets`].
            #[must_use]
            pub fn secret(mut self, name: impl Into<String>, secret: $crate::patterns::SecretRef) -> Self {
                self.service.secrets.insert(name.into(), secret);
                self
            }

            /// See [`ServiceSettings::log_retention`].
            #[must_use]
            pub fn log_retention(mut self, retention: $crate::logs::Retention) -> Self {
                self.service.log_retention = retention;
                self
            }

            /// See [`ServiceSettings::desired_count`].
            #[must_use]
            pub fn desired_count(mut self, count: u32) -> Self {
                self.service.desired_count = Some(count);
                self
            }

            /// See [`ServiceSettings::autoscaling`].
            #[must_use]
            pub fn autoscaling(mut self, autoscaling: $crate::ecs::Autoscaling) -> Self {
                self.service.autoscaling = Some(autoscaling);
                self
            }

            /// Adds an address; see [`ServiceSettings::alarm_emails`].
            #[must_use]
            pub fn alarm_email(mut self, address: impl Into<String>) -> Self {
                self.service.alarm_emails.push(address.into());
                self
            }
        }
    };
}
pub(crate) use service_setters;

/// The runtime setters a pattern's props share, each named in the call and writing the field
/// of its name: `networking`, `alarm_topic`, `rollback_alarm` (pushes onto `rollback_alarms`)
/// and `service_hook` (composes with the hooks set before).
macro_rules! runtime_setters {
    ($props:ident: $($setter:ident),+ $(,)?) => {
        impl $props {
            $($crate::patterns::settings::runtime_setters!(@ $props $setter);)+
        }
    };
    (@ $props:ident networking) => {
        #[doc = concat!("See [`", stringify!($props), "::networking`].")]
        #[must_use]
        pub fn networking(mut self, networking: $crate::patterns::NetworkingChoice) -> Self {
            self.networking = networking;
            self
        }
    };
    (@ $props:ident alarm_topic) => {
        #[doc = concat!("See [`", stringify!($props), "::alarm_topic`].")]
        #[must_use]
        pub fn alarm_topic(mut self, topic: $crate::patterns::AlarmTopicChoice) -> Self {
            self.alarm_topic = topic;
            self
        }
    };
    (@ $props:ident rollback_alarm) => {
        #[doc = concat!("Adds an alarm at `<path>/<id>`; see [`", stringify!($props), "::rollback_alarms`].")]
        #[must_use]
        pub fn rollback_alarm(
            mut self,
            id: impl Into<String>,
            metric: $crate::cloudwatch::Metric,
            alarm: $crate::cloudwatch::AlarmProps,
        ) -> Self {
            self.rollback_alarms.push($crate::patterns::RollbackAlarm { id: id.into(), metric, alarm });
            self
        }
    };
    (@ $props:ident service_hook) => {
        #[doc = concat!("Adds a hook, run after those set before; see [`", stringify!($props), "::service_hook`].")]
        #[must_use]
        pub fn service_hook(
            mut self,
            adjust: impl for<'a> Fn($crate::ecs::FargateServiceProps<'a>) -> $crate::ecs::FargateServiceProps<'a>
                + Send
                + Sync
                + 'static,
        ) -> Self {
            self.service_hook = Some($crate::patterns::ServiceHook::then(self.service_hook.take(), adjust));
            self
        }
    };
}
pub(crate) use runtime_setters;

/// The setters of [`ServiceSettings`] and [`DeliverySettings`] on a pattern's props, which
/// hold them in the fields `service` and `delivery`.
macro_rules! settings_setters {
    ($props:ident) => {
        $crate::patterns::settings::service_setters!($props);

        impl $props {
            /// See [`DeliverySettings::ecr`].
            #[must_use]
            pub fn ecr(mut self, settings: $crate::patterns::EcrSettings) -> Self {
                self.delivery.ecr = settings;
                self
            }

            /// See [`DeliverySettings::unit_test_command`].
            #[must_use]
            pub fn unit_test_command(mut self, command: impl Into<String>) -> Self {
                self.delivery.unit_test_command = Some(command.into());
                self
            }

            /// See [`DeliverySettings::approval`].
            #[must_use]
            pub fn approval(mut self, yes: bool) -> Self {
                self.delivery.approval = yes;
                self
            }

            /// See [`DeliverySettings::deployment_timeout`].
            #[must_use]
            pub fn deployment_timeout(mut self, timeout: $crate::codepipeline::DeploymentTimeout) -> Self {
                self.delivery.deployment_timeout = timeout;
                self
            }

            /// See [`DeliverySettings::release_mode`].
            #[must_use]
            pub fn release_mode(mut self, mode: $crate::patterns::ReleaseMode) -> Self {
                self.delivery.release_mode = mode;
                self
            }

            /// Adds a hook, run after those set before; see [`DeliverySettings::build_hook`].
            #[must_use]
            pub fn build_hook(
                mut self,
                adjust: impl Fn($crate::codebuild::ProjectProps) -> $crate::codebuild::ProjectProps
                    + Send
                    + Sync
                    + 'static,
            ) -> Self {
                self.delivery.build_hook = Some($crate::patterns::Hook::then(self.delivery.build_hook.take(), adjust));
                self
            }

            /// Adds a hook, run after those set before; see [`DeliverySettings::pipeline_hook`].
            #[must_use]
            pub fn pipeline_hook(
                mut self,
                adjust: impl Fn($crate::codepipeline::PipelineProps) -> $crate::codepipeline::PipelineProps
                    + Send
                    + Sync
                    + 'static,
            ) -> Self {
                self.delivery.pipeline_hook =
                    Some($crate::patterns::Hook::then(self.delivery.pipeline_hook.take(), adjust));
                self
            }
        }
    };
}
pub(crate) use settings_setters;
