//! The manifest's types: what serde reads and what schemars describes, one definition for
//! both. Every field says its default, which is the construct patterns' default (a test in
//! `build.rs` compares them). Unknown keys are rejected everywhere.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A Stackwright app: its services, each delivered by its own pipeline into its own stack — or,
/// with `environments:`, a foundation stack per environment and each service once per
/// environment on it, a web service promoted through the environments by one pipeline.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Stackwright manifest", example = example_manifest())]
pub struct Manifest {
    /// The app's name: lowercase letters, digits and hyphens. A service's ECR repository is
    /// named `<name>-<service>`, and so is its stack unless the service sets `stack`.
    /// **Required.**
    #[schemars(length(min = 1, max = 64), example = &"shop")]
    pub name: String,
    /// The environments in promotion order (staging, then production): each gets a foundation
    /// stack `foundation-<environment>` (key, VPC, ECS cluster, alarm topic, exported) and each
    /// service a stack `<service>-<environment>` running on it; a web service is released by one
    /// pipeline `<service>-pipeline` (in the first environment) to each environment in order.
    /// Names are unique. **Default:** none: each service is one stack with its own pipeline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environments: Vec<Environment>,
    /// The services, one stack each (one per environment with `environments:`); their names are unique. **Required**, at least one.
    #[schemars(length(min = 1))]
    pub services: Vec<Service>,
}

fn example_manifest() -> serde_json::Value {
    serde_json::json!({
        "name": "shop",
        "services": [{
            "name": "web",
            "type": "web",
            "pipeline": {"source": {"provider": "github", "repository": "example-org/shop-web"}, "unit_test_command": "make test"}
        }]
    })
}

/// An environment: where its stacks go and what it changes in every service.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// Lowercase letters, digits and hyphens, starting with a letter, at most 32 characters;
    /// it ends every stack name of the environment (`web-staging`). **Required.**
    #[schemars(regex(pattern = r"^[a-z][a-z0-9-]{0,31}$"), example = &"staging")]
    pub name: String,
    /// The AWS account its stacks go to: 12 digits. **Required** (the promotion pipeline's
    /// release roles name it).
    #[schemars(regex(pattern = r"^[0-9]{12}$"), example = &"111111111111")]
    pub account: String,
    /// The region its stacks go to (`eu-west-1`). **Required.**
    #[schemars(example = &"eu-west-1")]
    pub region: String,
    /// What it changes in every service. **Default:** nothing.
    #[serde(default)]
    pub overrides: Overrides,
}

/// What an environment changes in the services it holds; each unset key leaves the service's
/// own value.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Tasks to run, instead of the service's `desired_count`. **Default:** the service's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<u32>,
    /// The task size, instead of the service's `cpu` and `memory`. **Default:** the service's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<Size>,
    /// Thresholds of worker rollback alarms, by the alarm's `id` (`QueueAge: 300`), instead of
    /// its `threshold`. **Default:** none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub alarm_thresholds: BTreeMap<String, f64>,
    /// Whether a release waits for manual approval before this environment, instead of the
    /// service's `pipeline.approval`. **Default:** the service's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<bool>,
}

/// A task size: CPU units and MiB, a pair Fargate accepts (as a service's `cpu` and `memory`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Size {
    /// CPU units (1024 = 1 vCPU). **Required.**
    #[schemars(extend("enum" = [256, 512, 1024, 2048, 4096, 8192, 16384]))]
    pub cpu: u32,
    /// Memory in MiB, within the CPU size's range. **Required.**
    #[schemars(range(min = 512))]
    pub memory: u32,
}

/// What kind of service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceType {
    /// A Fargate service behind an HTTPS Application Load Balancer (Copilot's "Load Balanced
    /// Web Service"): the `SeedPipeline` pattern.
    Web,
    /// A Fargate service in private subnets with no load balancer and no port — queue
    /// consumers, schedulers (Copilot's "Backend Service" and "Worker Service"): the
    /// `WorkerService` pattern.
    Worker,
}

/// One service: its container, how many tasks run it, how it rolls out, and its pipeline.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("allOf" = [
    {
        "if": {"properties": {"type": {"const": "worker"}}},
        "then": {"properties": {
            "port": false, "health_check_path": false, "efs": false,
            "pipeline": {"properties": {"smoke_test": {"properties": {"enabled": false, "url": false, "urls": false}}}}
        }}
    },
    {
        "if": {"properties": {"type": {"const": "web"}}},
        "then": {"properties": {
            "alarms": {"properties": {"rollback": false}},
            "pipeline": {"properties": {"smoke_test": {"properties": {"command": false, "commands": false}}}}
        }}
    }
]))]
pub struct Service {
    /// A short lowercase name (`web`), unique in the app. `<app>-<name>` (`shop-web`) names
    /// the ECR repository, and is the default of the stack name and of the GitHub
    /// connection's name (`shop-web-github`). **Required.**
    #[schemars(length(min = 1, max = 200), example = &"web")]
    pub name: String,
    /// `web` (load-balanced) or `worker` (no load balancer). **Required.**
    #[serde(rename = "type")]
    pub kind: ServiceType,
    /// The CloudFormation stack's name. **Default:** `<app name>-<service name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 128))]
    pub stack: Option<String>,
    /// The construct id: the prefix of every logical ID in the stack (`Shop` gives
    /// `ShopWebService…`). Changing it replaces every resource. **Default:** the service name
    /// in `PascalCase` (`web` → `Web`, `invoice-worker` → `InvoiceWorker`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Za-z][A-Za-z0-9]*$"), example = &"Shop")]
    pub id: Option<String>,
    /// The stack's description. **Default:** none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1024))]
    pub description: Option<String>,
    /// The container's name in the task definition (and in the build's
    /// `imagedefinitions.json`). **Default:** `app`.
    #[serde(default = "defaults::container_name")]
    pub container_name: String,
    /// The port the application listens on (web services only). **Default:** 8080.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1), extend("default" = 8080))]
    pub port: Option<u16>,
    /// CPU units of a task (1024 = 1 vCPU); Fargate pairs each with a range of memory.
    /// **Default:** 256.
    #[serde(default = "defaults::cpu")]
    #[schemars(extend("enum" = [256, 512, 1024, 2048, 4096, 8192, 16384]))]
    pub cpu: u32,
    /// Memory of a task in MiB: 512–2048 for 256 CPU units, 1024–4096 for 512, 2048–8192 for
    /// 1024, 4096–16384 for 2048 (steps of 1024), 8192–30720 for 4096, 16384–61440 for 8192
    /// and 32768–122880 for 16384 (steps of 4096 and 8192). **Default:** 512.
    #[serde(default = "defaults::memory")]
    #[schemars(range(min = 512))]
    pub memory: u32,
    /// Tasks to run. **Default:** 2; with `autoscaling`, not written (the autoscaler owns the
    /// count), and setting both is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = 2))]
    pub desired_count: Option<u32>,
    /// Target-tracking scaling of the task count. **Default:** none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autoscaling: Option<Autoscaling>,
    /// Plain environment variables of the container. **Default:** none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = example_variables())]
    pub variables: BTreeMap<String, String>,
    /// Secret environment variables, read when a task starts; the execution role may read
    /// exactly these. **Default:** none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub secrets: BTreeMap<String, Secret>,
    /// Days the service's logs (and the pipeline's build logs) are kept, one of the values
    /// CloudWatch Logs accepts. **Default:** 365.
    #[serde(default = "defaults::log_retention_days")]
    #[schemars(extend("enum" = defaults::retention_values()))]
    pub log_retention_days: u32,
    /// The path the load balancer's health check and the smoke test request (web services
    /// only): letters, digits and `/-._~?=&%+,`. **Default:** `/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^/[A-Za-z0-9/\-._~?=&%+,]*$"), extend("default" = "/"))]
    pub health_check_path: Option<String>,
    /// An encrypted EFS file system mounted into the container (web services only).
    /// **Default:** none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub efs: Option<Efs>,
    /// Where the tasks run. **Default:** `existing_vpc`.
    #[serde(default)]
    pub networking: Networking,
    /// Who is told about the alarms, and (worker services) the alarms that roll a deployment
    /// back. **Default:** nobody is subscribed; no extra alarms.
    #[serde(default)]
    pub alarms: Alarms,
    /// How a new task definition rolls out. **Default:** 100/200 percent, circuit breaker with
    /// rollback.
    #[serde(default)]
    pub rollout: Rollout,
    /// How the image is built. **Default:** `Dockerfile` at the source root, context `.`.
    #[serde(default)]
    pub image: Image,
    /// The ECR repository. **Default:** scan on push, immutable tags, kept with its images when
    /// the stack is deleted.
    #[serde(default)]
    pub ecr: Ecr,
    /// The delivery pipeline. **Required** (its `source` is).
    pub pipeline: Pipeline,
}

fn example_variables() -> serde_json::Value {
    serde_json::json!({"LOG_LEVEL": "info"})
}

/// Target-tracking scaling of the task count.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Autoscaling {
    /// Fewest tasks, 1 or more. **Required.**
    pub min: u32,
    /// Most tasks. **Required.**
    pub max: u32,
    /// Average CPU utilization to hold, 1–100 %. **Default:** none (give this or
    /// `memory_target_percent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 100))]
    pub cpu_target_percent: Option<u32>,
    /// Average memory utilization to hold, 1–100 %. **Default:** none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 100))]
    pub memory_target_percent: Option<u32>,
    /// Seconds between scale-in activities. **Default:** 300.
    #[serde(default = "defaults::scale_in_cooldown_seconds")]
    pub scale_in_cooldown_seconds: u32,
    /// Seconds between scale-out activities. **Default:** 60.
    #[serde(default = "defaults::scale_out_cooldown_seconds")]
    pub scale_out_cooldown_seconds: u32,
}

/// Where a secret's value comes from: exactly one of `ssm` and `secrets_manager`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("oneOf" = [{"required": ["ssm"]}, {"required": ["secrets_manager"]}]))]
pub struct Secret {
    /// An SSM Parameter Store parameter of this account and Region, by name
    /// (`/shop/db-password`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"/shop/db-password")]
    pub ssm: Option<String>,
    /// A Secrets Manager secret, by ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets_manager: Option<String>,
    /// With `secrets_manager`: one key of the secret's JSON value. **Default:** the whole value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json_key: Option<String>,
}

/// An EFS file system for the service's files.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Efs {
    /// Where the container sees it (an absolute path). **Required.**
    #[schemars(example = &"/srv/media")]
    pub mount_path: String,
}

/// Where the tasks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Networking {
    /// An existing VPC, given as the stack parameters `VpcId`, `PrivateSubnetIds` (and, for a
    /// web service, `PublicSubnetIds`).
    #[default]
    ExistingVpc,
    /// A VPC the stack creates: two zones, public and private subnets, NAT.
    NewVpc,
}

/// Alarm notifications and rollback alarms.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Alarms {
    /// E-mail addresses subscribed to the encrypted alarm topic (alarms, approvals, failed
    /// pipeline runs). **Default:** none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = example_emails())]
    pub notify: Vec<String>,
    /// Alarms whose `ALARM` state rolls a deployment back (worker services; a web service
    /// always rolls back on target 5xx and p99 latency). **Default:** none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollback: Vec<RollbackAlarm>,
}

/// An alarm on a CloudWatch metric that rolls a deployment back and notifies the topic.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RollbackAlarm {
    /// Its construct id under the service (`QueueAge`). **Required.**
    #[schemars(regex(pattern = r"^[A-Za-z][A-Za-z0-9]*$"), example = &"QueueAge")]
    pub id: String,
    /// The metric's namespace (`AWS/SQS`). **Required.**
    pub namespace: String,
    /// The metric's name (`ApproximateAgeOfOldestMessage`). **Required.**
    pub metric: String,
    /// The metric's dimensions. **Default:** none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dimensions: BTreeMap<String, String>,
    /// How datapoints are aggregated over a minute. **Default:** `average`.
    #[serde(default)]
    pub statistic: Statistic,
    /// What the metric measures, which bounds the threshold. **Default:** `other`.
    #[serde(default)]
    pub unit: MetricUnit,
    /// How the statistic is compared with the threshold. **Required.**
    pub comparison: Comparison,
    /// **Required.**
    pub threshold: f64,
    /// Consecutive one-minute periods that must breach. **Required.**
    #[schemars(range(min = 1))]
    pub evaluation_periods: u32,
    /// What the alarm means. **Default:** the metric, comparison and periods in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A statistic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Statistic {
    #[default]
    Average,
    Sum,
    Maximum,
    Minimum,
    SampleCount,
}

/// A metric's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetricUnit {
    /// 0 to 100.
    Percent,
    /// A count, 0 or more.
    Count,
    /// A duration in seconds, 0 or more.
    Seconds,
    /// Any finite number.
    #[default]
    Other,
}

/// A comparison with the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Comparison {
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
}

/// The rolling deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rollout {
    /// Percent of the task count that must stay running during a deployment, 0–100.
    /// **Default:** 100: new tasks start before old ones stop.
    #[serde(default = "defaults::min_healthy_percent")]
    pub min_healthy_percent: u32,
    /// Percent of the task count that may run during a deployment, 100–200.
    /// **Default:** 200.
    #[serde(default = "defaults::max_percent")]
    pub max_percent: u32,
    /// The deployment circuit breaker, with rollback: a deployment whose tasks keep failing is
    /// stopped and the previous revision restored. **Default:** `true`.
    #[serde(default = "defaults::yes")]
    pub circuit_breaker: bool,
}

impl Default for Rollout {
    fn default() -> Self {
        Self {
            min_healthy_percent: defaults::min_healthy_percent(),
            max_percent: defaults::max_percent(),
            circuit_breaker: true,
        }
    }
}

/// The image build.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Image {
    /// The Dockerfile, relative to the source root. **Default:** `Dockerfile`.
    #[serde(default = "defaults::dockerfile")]
    pub dockerfile: String,
    /// The build context, relative to the source root. **Default:** `.`.
    #[serde(default = "defaults::context")]
    pub context: String,
}

impl Default for Image {
    fn default() -> Self {
        Self { dockerfile: defaults::dockerfile(), context: defaults::context() }
    }
}

/// The ECR repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ecr {
    /// Scan images when they are pushed. **Default:** `true`.
    #[serde(default = "defaults::yes")]
    pub scan_on_push: bool,
    /// Tags cannot be moved to another image (a release names an image by its commit tag).
    /// **Default:** `true`.
    #[serde(default = "defaults::yes")]
    pub immutable_tags: bool,
    /// Delete the images when the stack deletes the repository. **Default:** `false`.
    #[serde(default)]
    pub empty_on_delete: bool,
}

impl Default for Ecr {
    fn default() -> Self {
        Self { scan_on_push: true, immutable_tags: true, empty_on_delete: false }
    }
}

/// The delivery pipeline: source, build with unit tests, approval, release, smoke test.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    /// Where commits come from. **Required.**
    pub source: Source,
    /// A shell command running the unit tests before the image is built; JUnit reports under
    /// `reports/unit` are published. **Default:** none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"make test")]
    pub unit_test_command: Option<String>,
    /// A manual approval before the release, notified on the alarm topic. **Default:** `true`.
    #[serde(default = "defaults::yes")]
    pub approval: bool,
    /// The check after the release, in the same stage: when it fails, the stage rolls back to
    /// the previous release. **Default:** a web service requests its health-check path; a
    /// worker has none.
    #[serde(default)]
    pub smoke_test: SmokeTest,
    /// Minutes a release may take before it is cancelled (and rolled back), 1–60.
    /// **Default:** 30.
    #[serde(default = "defaults::deployment_timeout_minutes")]
    #[schemars(range(min = 1, max = 60))]
    pub deployment_timeout_minutes: u32,
    /// How a build is released. **Default:** `cloudformation`.
    #[serde(default)]
    pub release: Release,
    /// What a failed release stage does. **Default:** `rollback`.
    #[serde(default)]
    pub on_failure: OnFailure,
}

/// Where commits come from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// `github` (through a CodeStar connection) or `codecommit`. **Required.**
    pub provider: Provider,
    /// GitHub: `owner/repository`; CodeCommit: the repository's name. **Required.**
    #[schemars(example = &"example-org/shop-web")]
    pub repository: String,
    /// The branch releases come from. **Default:** `main`.
    #[serde(default = "defaults::branch")]
    pub branch: String,
    /// GitHub: the name of the CodeStar connection the stack creates (at most 32 characters;
    /// someone completes its handshake once, in the console). **Default:**
    /// `<app name>-<service name>-github`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_name: Option<String>,
    /// GitHub: an existing connection's ARN, instead of a new connection. **Default:** none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_arn: Option<String>,
    /// CodeCommit: the stack creates (and retains) the repository; `false` uses an existing
    /// one. **Default:** `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = true))]
    pub create_repository: Option<bool>,
}

/// A source provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// GitHub, through a CodeStar connection.
    Github,
    /// AWS CodeCommit (closed to new customers since July 2024).
    Codecommit,
}

/// The check after the release.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SmokeTest {
    /// Web services: request the health-check path after the release. **Default:** `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = true))]
    pub enabled: Option<bool>,
    /// Web services: the service's public URL, requested with certificate verification.
    /// **Default:** the load balancer's DNS name, requested without verification (the
    /// certificate names your domain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"https://shop.example.com")]
    pub url: Option<String>,
    /// Worker services: a shell command run after the release. **Default:** none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Web services with `environments:`: the URL requested (with certificate verification)
    /// after the release to each environment, by environment name; an environment without one
    /// has no smoke test. **Default:** none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = example_urls())]
    pub urls: BTreeMap<String, String>,
    /// Worker services with `environments:`: a shell command run on the source (in the first
    /// environment's account) after the release to each environment, by environment name; an
    /// environment without one has no smoke test. **Default:** none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(example = example_commands())]
    pub commands: BTreeMap<String, String>,
}

fn example_commands() -> serde_json::Value {
    serde_json::json!({"staging": "./bin/check-queue-drains jobs-staging"})
}

fn example_urls() -> serde_json::Value {
    serde_json::json!({"staging": "https://web.staging.example.com/healthz"})
}

/// How a build is released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Release {
    /// A stack update that changes only the image parameter: no later stack update reverts a
    /// release, and a release never reverts a configuration change.
    #[default]
    Cloudformation,
    /// CodePipeline's ECS deploy action: a later stack update that changes the task
    /// definition runs the `ImageUri` parameter's image again.
    EcsDeployAction,
}

/// What a failed release stage does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnFailure {
    /// Roll the stage back to the previous successful execution (its release restores the
    /// previous image).
    #[default]
    Rollback,
    /// Stop, leaving the failed release in place for someone to look at.
    Fail,
}

/// The defaults, read from the construct layer where it has them as values.
pub(crate) mod defaults {
    use stackwright_constructs::logs::Retention;
    use stackwright_constructs::patterns::ServiceSettings;

    pub(crate) fn container_name() -> String {
        ServiceSettings::default().container_name
    }
    pub(crate) fn cpu() -> u32 {
        ServiceSettings::default().size.cpu()
    }
    pub(crate) fn memory() -> u32 {
        ServiceSettings::default().size.memory_mib()
    }
    pub(crate) fn log_retention_days() -> u32 {
        u32::try_from(ServiceSettings::default().log_retention.days()).unwrap_or(365)
    }
    pub(crate) fn retention_values() -> Vec<i64> {
        Retention::ALL.iter().map(|r| r.days()).collect()
    }
    pub(crate) fn scale_in_cooldown_seconds() -> u32 {
        stackwright_constructs::ecs::Autoscaling::new(1, 1).scale_in_cooldown_seconds
    }
    pub(crate) fn scale_out_cooldown_seconds() -> u32 {
        stackwright_constructs::ecs::Autoscaling::new(1, 1).scale_out_cooldown_seconds
    }
    // The rollout's and the pipeline's defaults live in props that need a stack to build;
    // `build.rs` tests them against those props.
    pub(crate) fn min_healthy_percent() -> u32 {
        100
    }
    pub(crate) fn max_percent() -> u32 {
        200
    }
    pub(crate) fn deployment_timeout_minutes() -> u32 {
        30
    }
    pub(crate) fn dockerfile() -> String {
        "Dockerfile".into()
    }
    pub(crate) fn context() -> String {
        ".".into()
    }
    pub(crate) fn branch() -> String {
        "main".into()
    }
    pub(crate) fn yes() -> bool {
        true
    }
}

fn example_emails() -> serde_json::Value {
    serde_json::json!(["oncall@example.com"])
}
