//! The first example: the generated L1 layer used directly, without constructs.
//!
//! An ECR repository and a log group, both encrypted with a customer-managed KMS key, an ECS
//! cluster with Container Insights, and a task role whose inline policy may pull from that
//! repository and write to that log group — wired with `Ref`, `Fn::GetAtt` and `Fn::Sub`, with
//! parameters (one of them feeding a number field) and exported outputs.

use serde_json::json;
use stackwright_cfn::{ecr, ecs, iam, kms, logs};
use stackwright_template::{
    App, Error, LogicalId, Output, Parameter, RemovalPolicy, ResourceOptions, Stack, StackName, Template, Value, fns,
};

/// The stack this example synthesizes.
pub const STACK_NAME: &str = "l1-basics";

const KEY: LogicalId = LogicalId::from_static("EncryptionKey");
const REPOSITORY: LogicalId = LogicalId::from_static("AppRepository");
const LOG_GROUP: LogicalId = LogicalId::from_static("AppLogGroup");
const CLUSTER: LogicalId = LogicalId::from_static("Cluster");
const TASK_ROLE: LogicalId = LogicalId::from_static("TaskRole");

/// The app: one stack.
pub fn app() -> Result<App, Error> {
    App::new().with_stack(Stack::from_template(StackName::new(STACK_NAME)?, template()?)?)
}

/// The example's template.
pub fn template() -> Result<Template, Error> {
    let mut t = Template::new().with_description(
        "Stackwright example: the L1 layer used directly (ECR, logs, ECS cluster, IAM role, KMS key)",
    );

    let repository_name = t.add_parameter(
        LogicalId::new("RepositoryName")?,
        Parameter::string()
            .description("Name of the ECR repository")
            .default_value("stackwright/l1-basics")
            .allowed_pattern(
                "^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$",
                "lowercase letters, digits, and . _ - / separators",
            )
            .length(2, 256),
    )?;
    let retention = t.add_parameter(
        LogicalId::new("LogRetentionDays")?,
        Parameter::integer()
            .description("How long CloudWatch keeps the application's logs")
            .default_value(365)
            .allowed_values([30, 90, 180, 365, 731]),
    )?;

    let key = t.add_with(KEY, encryption_key(), ResourceOptions::new().removal_policy(RemovalPolicy::Retain))?;

    let repository = t.add_with(
        REPOSITORY,
        ecr::Repository::new()
            .repository_name(repository_name.value())
            .image_tag_mutability(ecr::repository::ImageTagMutability::Immutable)
            .image_scanning_configuration(ecr::repository::ImageScanningConfiguration::new().scan_on_push(true))
            .encryption_configuration(
                ecr::repository::EncryptionConfiguration::new(ecr::repository::EncryptionType::Kms).kms_key(key.arn()),
            )
            .lifecycle_policy(ecr::repository::LifecyclePolicy::new().lifecycle_policy_text(lifecycle_policy())),
        ResourceOptions::new().removal_policy(RemovalPolicy::Retain),
    )?;

    let log_group = t.add_with(
        LOG_GROUP,
        logs::LogGroup::new()
            .log_group_name(fns::sub("/stackwright/${AWS::StackName}/app"))
            // A number field fed by a parameter: `Value<i64>` takes the `Ref`.
            .retention_in_days(retention.value())
            .kms_key_id(key.arn()),
        ResourceOptions::new().removal_policy(RemovalPolicy::Retain),
    )?;

    let cluster = t.add(
        CLUSTER,
        ecs::Cluster::new()
            .cluster_settings(vec![ecs::cluster::ClusterSettings::new().name("containerInsights").value("enabled")]),
    )?;

    let task_role = t.add(TASK_ROLE, task_role(&repository.arn(), &log_group.arn()))?;

    t.add_output(
        LogicalId::new("RepositoryUri")?,
        Output::new(repository.repository_uri())
            .description("Where to push the application image")
            .export(fns::sub("${AWS::StackName}-RepositoryUri")),
    )?;
    t.add_output(
        LogicalId::new("ClusterName")?,
        Output::new(cluster.ref_()).description("The ECS cluster").export(fns::sub("${AWS::StackName}-ClusterName")),
    )?;
    t.add_output(
        LogicalId::new("TaskRoleArn")?,
        Output::new(task_role.arn()).description("Role for the application's tasks"),
    )?;
    Ok(t)
}

/// A customer-managed key that the account administers and CloudWatch Logs may use for this
/// stack's log groups. Actions are listed one by one: no `kms:*`.
fn encryption_key() -> kms::Key {
    let account_root = fns::sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root");
    let logs_principal = fns::sub("logs.${AWS::Region}.amazonaws.com");
    let log_groups = fns::sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*");
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministersTheKey",
                "Effect": "Allow",
                "Principal": {"AWS": account_root.to_json()},
                "Action": [
                    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateGrant", "kms:Decrypt",
                    "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey", "kms:DisableKeyRotation",
                    "kms:EnableKey", "kms:EnableKeyRotation", "kms:Encrypt", "kms:GenerateDataKey",
                    "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListGrants",
                    "kms:ListKeyPolicies", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ReEncryptFrom",
                    "kms:ReEncryptTo", "kms:RevokeGrant", "kms:ScheduleKeyDeletion", "kms:TagResource",
                    "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription"
                ],
                // In a key policy, "*" means this key.
                "Resource": "*"
            },
            {
                "Sid": "CloudWatchLogsEncryptsThisStacksLogGroups",
                "Effect": "Allow",
                "Principal": {"Service": logs_principal.to_json()},
                "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
                "Resource": "*",
                "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": log_groups.to_json()}}
            }
        ]
    });
    kms::Key::new()
        .description(fns::sub("Encrypts the ${AWS::StackName} repository and logs"))
        .enable_key_rotation(true)
        .key_policy(Value::Literal(policy))
}

/// Keep the 30 most recent images.
fn lifecycle_policy() -> String {
    json!({
        "rules": [{
            "rulePriority": 1,
            "description": "Keep the 30 most recent images",
            "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 30},
            "action": {"type": "expire"}
        }]
    })
    .to_string()
}

/// The application's task role: pull from this repository, write to this log group.
fn task_role(repository_arn: &Value<String>, log_group_arn: &Value<String>) -> iam::Role {
    let trust = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "ecs-tasks.amazonaws.com"},
            "Action": "sts:AssumeRole"
        }]
    });
    let permissions = json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PullTheApplicationImage",
                "Effect": "Allow",
                "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                "Resource": repository_arn.to_json()
            },
            {
                "Sid": "WriteTheApplicationLogs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": log_group_arn.to_json()
            }
        ]
    });
    iam::Role::new(Value::Literal(trust))
        .description("Task role of the l1-basics example")
        .policies(vec![iam::role::Policy::new(Value::Literal(permissions), "AppAccess")])
}
