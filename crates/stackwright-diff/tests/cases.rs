//! Table-driven diff cases: each a pair of small templates, with the text output snapshotted
//! (text, JSON and Markdown) under `tests/snapshots/`, plus the replacement-chain performance test.

use std::fmt::Write as _;
use std::time::Instant;

use stackwright_diff::{
    Impact, StackDiff, TextOptions, diff, diff_stacks, render_json, render_markdown, render_text_stacks,
};
use stackwright_template::Template;

/// (name, old template, new template).
const CASES: &[(&str, &str, &str)] = &[
    (
        "semantic_equality_no_change",
        r#"{"Resources": {
            "Tg": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "DependsOn": ["A", "B"],
                   "Properties": {"Port": 80, "HealthCheckEnabled": true, "VpcId": {"Fn::GetAtt": ["Vpc", "VpcId"]}}},
            "A": {"Type": "AWS::SNS::Topic"}, "B": {"Type": "AWS::SNS::Topic"}, "Vpc": {"Type": "AWS::EC2::VPC"}}}"#,
        r#"{"Resources": {
            "Tg": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "DependsOn": ["B", "A"],
                   "Properties": {"Port": "80", "HealthCheckEnabled": "true", "VpcId": {"Fn::GetAtt": "Vpc.VpcId"}}},
            "A": {"Type": "AWS::SNS::Topic"}, "B": {"Type": "AWS::SNS::Topic"}, "Vpc": {"Type": "AWS::EC2::VPC"}}}"#,
    ),
    (
        "create_and_destroy_with_data_loss",
        r#"{"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}}"#,
        r#"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "alerts"}}}}"#,
    ),
    (
        "update_in_place",
        r#"{"Resources": {"Repo": {"Type": "AWS::ECR::Repository",
            "Properties": {"RepositoryName": "app", "ImageTagMutability": "MUTABLE"}}}}"#,
        r#"{"Resources": {"Repo": {"Type": "AWS::ECR::Repository",
            "Properties": {"RepositoryName": "app", "ImageTagMutability": "IMMUTABLE", "EmptyOnDelete": true}}}}"#,
    ),
    (
        "replace_create_only_property",
        r#"{"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup",
            "Properties": {"LogGroupName": "/app/old", "RetentionInDays": 30}}}}"#,
        r#"{"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup",
            "Properties": {"LogGroupName": "/app/new", "RetentionInDays": 30}}}}"#,
    ),
    (
        "replace_type_changed",
        r#"{"Resources": {"Queue": {"Type": "AWS::SNS::Topic"}}}"#,
        r#"{"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}"#,
    ),
    (
        "may_replace_parameter",
        r#"{"Parameters": {"Name": {"Type": "String"}},
            "Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "app"}}}}"#,
        r#"{"Parameters": {"Name": {"Type": "String"}},
            "Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": {"Ref": "Name"}}}}}"#,
    ),
    (
        "orphan_retained",
        r#"{"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"}, "Keep": {"Type": "AWS::SNS::Topic"}}}"#,
        r#"{"Resources": {"Keep": {"Type": "AWS::SNS::Topic"}}}"#,
    ),
    (
        "replace_kept_by_update_replace_policy",
        r#"{"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "UpdateReplacePolicy": "Retain",
            "Properties": {"BucketName": "a"}}}}"#,
        r#"{"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "UpdateReplacePolicy": "Retain",
            "Properties": {"BucketName": "b"}}}}"#,
    ),
    (
        "rename_detected",
        r#"{"Resources": {"Artifacts": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {"Status": "Enabled"}}}}}"#,
        r#"{"Resources": {"ArtifactBucket": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {"Status": "Enabled"}}}}}"#,
    ),
    (
        // The issue's case: CDK's offline diff misses that the task definition is replaced.
        "ecr_rename_replaces_task_definition_through_sub",
        r#"{"Resources": {
            "Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "web"}},
            "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "web",
                "ContainerDefinitions": [{"Name": "web", "Image": {"Fn::Sub": "${Repo.RepositoryUri}:latest"}}]}},
            "Service": {"Type": "AWS::ECS::Service", "Properties": {"Cluster": "main", "TaskDefinition": {"Ref": "Task"}}}}}"#,
        r#"{"Resources": {
            "Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "web-app"}},
            "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "web",
                "ContainerDefinitions": [{"Name": "web", "Image": {"Fn::Sub": "${Repo.RepositoryUri}:latest"}}]}},
            "Service": {"Type": "AWS::ECS::Service", "Properties": {"Cluster": "main", "TaskDefinition": {"Ref": "Task"}}}}}"#,
    ),
    (
        // CDK-style: hashed logical IDs, aws:cdk:path metadata, Fn::Join and dotted GetAtt.
        "cdk_style_join_and_dotted_get_att",
        r#"{"Resources": {
            "LogGroupF5B46931": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/ecs/web", "RetentionInDays": 7},
                "UpdateReplacePolicy": "Retain", "DeletionPolicy": "Retain", "Metadata": {"aws:cdk:path": "Stack/LogGroup/Resource"}},
            "TaskDefTaskRoleDefaultPolicyA592CB18": {"Type": "AWS::IAM::Policy", "Properties": {
                "PolicyName": "TaskDefTaskRoleDefaultPolicyA592CB18", "Roles": ["task-role"],
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents",
                    "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": ["LogGroupF5B46931", "Arn"]}, ":*"]]}}]}}},
            "TaskDef54694570": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "web",
                "ContainerDefinitions": [{"Name": "web", "Image": "nginx", "LogConfiguration": {"LogDriver": "awslogs",
                    "Options": {"awslogs-group": {"Ref": "LogGroupF5B46931"}, "awslogs-region": {"Ref": "AWS::Region"}}}}]}}}}"#,
        r#"{"Resources": {
            "LogGroupF5B46931": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/ecs/web-v2", "RetentionInDays": 7},
                "UpdateReplacePolicy": "Retain", "DeletionPolicy": "Retain", "Metadata": {"aws:cdk:path": "Stack/LogGroup/Resource"}},
            "TaskDefTaskRoleDefaultPolicyA592CB18": {"Type": "AWS::IAM::Policy", "Properties": {
                "PolicyName": "TaskDefTaskRoleDefaultPolicyA592CB18", "Roles": ["task-role"],
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents",
                    "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": "LogGroupF5B46931.Arn"}, ":*"]]}}]}}},
            "TaskDef54694570": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "web",
                "ContainerDefinitions": [{"Name": "web", "Image": "nginx", "LogConfiguration": {"LogDriver": "awslogs",
                    "Options": {"awslogs-group": {"Ref": "LogGroupF5B46931"}, "awslogs-region": {"Ref": "AWS::Region"}}}}]}}}}"#,
    ),
    (
        "other_sections_and_exports",
        r#"{"Description": "v1",
            "Parameters": {"Env": {"Type": "String", "Default": "dev"}, "Old": {"Type": "String"}},
            "Mappings": {"Sizes": {"dev": {"Cpu": 256}}},
            "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
            "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {"TopicArn": {"Value": {"Ref": "Topic"}, "Export": {"Name": "shared-topic"}},
                        "Kept": {"Value": "x", "Export": {"Name": "kept"}}}}"#,
        r#"{"Description": "v2",
            "Parameters": {"Env": {"Type": "String", "Default": "prod"}, "New": {"Type": "Number"}},
            "Mappings": {"Sizes": {"dev": {"Cpu": "256"}, "prod": {"Cpu": 1024}}},
            "Conditions": {"IsProd": {"Fn::Equals": ["prod", {"Ref": "Env"}]}},
            "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {"Kept": {"Value": "x", "Export": {"Name": "kept"}}}}"#,
    ),
    (
        "long_value_as_line_diff",
        r#"{"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
            "Action": "sts:AssumeRole"}]},
            "Policies": [{"PolicyName": "pull", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "Resource": "*"}]}}]}}}}"#,
        r#"{"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
            "Action": "sts:AssumeRole"}]},
            "Policies": [{"PolicyName": "pull", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:PutImage", "ecr:InitiateLayerUpload"],
                "Resource": "*"}]}}]}}}}"#,
    ),
    (
        "iam_inline_policy_broadened",
        r#"{"Resources": {"TaskRole": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "Policies": [{"PolicyName": "pull", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Sid": "Pull", "Effect": "Allow", "Action": ["ecr:BatchGetImage"], "Resource": {"Fn::GetAtt": ["Repo", "Arn"]}},
                {"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "arn:aws:logs:*:*:log-group:/ecs/web:*"}]}}]}}}}"#,
        r#"{"Resources": {"TaskRole": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "Policies": [{"PolicyName": "pull", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Sid": "Pull", "Effect": "Allow", "Action": ["ecr:BatchGetImage", "ecr:PutImage"], "Resource": "*"},
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::assets/*"}]}}]}}}}"#,
    ),
    (
        "iam_trust_policy_and_managed_policies",
        r#"{"Resources": {"DeployRole": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"},
                "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}]},
            "ManagedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}}}}"#,
        r#"{"Resources": {"DeployRole": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow",
                "Principal": {"Service": "codebuild.amazonaws.com", "AWS": "arn:aws:iam::111122223333:root"},
                "Action": "sts:AssumeRole"}]},
            "ManagedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"]}}}}"#,
    ),
    (
        "resource_policies_key_bucket_topic_repository",
        r#"{"Resources": {
            "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Statement": [
                {"Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
                 "Action": "kms:*", "Resource": "*"},
                {"Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com"}, "Action": ["kms:Decrypt", "kms:Encrypt"],
                 "Resource": "*", "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:*:*:*"}}}]}}},
            "BucketPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Bucket"}, "PolicyDocument": {
                "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}},
            "TopicPolicy": {"Type": "AWS::SNS::TopicPolicy", "Properties": {"Topics": [{"Ref": "Topic"}], "PolicyDocument": {
                "Statement": []}}},
            "Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryPolicyText": {"Statement": [
                {"Sid": "Pull", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]},
                 "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]}}}}}"#,
        r#"{"Resources": {
            "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Statement": [
                {"Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
                 "Action": "kms:*", "Resource": "*"},
                {"Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com"}, "Action": ["kms:Decrypt", "kms:Encrypt"],
                 "Resource": "*"}]}}},
            "BucketPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Bucket"}, "PolicyDocument": {
                "Statement": []}}},
            "TopicPolicy": {"Type": "AWS::SNS::TopicPolicy", "Properties": {"Topics": [{"Ref": "Topic"}], "PolicyDocument": {
                "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sns:Publish", "Resource": {"Ref": "Topic"}}]}}},
            "Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryPolicyText": {"Statement": [
                {"Sid": "Pull", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                 "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]}}}}}"#,
    ),
    (
        "iam_policy_narrowed",
        r#"{"Resources": {"Policy": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "Roles": ["r"],
            "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}}}}"#,
        r#"{"Resources": {"Policy": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "Roles": ["r"],
            "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                "Resource": ["arn:aws:s3:::assets", "arn:aws:s3:::assets/*"]}]}}}}}"#,
    ),
    (
        "security_group_rules",
        r#"{"Resources": {
            "AlbSg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "alb", "VpcId": "vpc-1",
                "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/16"}],
                "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "DestinationSecurityGroupId": "sg-app"}]}},
            "AppFromAlb": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {"GroupId": {"Fn::GetAtt": ["AppSg", "GroupId"]},
                "IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "SourceSecurityGroupId": {"Fn::GetAtt": ["AlbSg", "GroupId"]}}}}}"#,
        r#"{"Resources": {
            "AlbSg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "alb", "VpcId": "vpc-1",
                "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
                    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv6": "::/0"}]}},
            "AppFromAlb": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {"GroupId": {"Fn::GetAtt": ["AppSg", "GroupId"]},
                "IpProtocol": "-1", "SourceSecurityGroupId": {"Fn::GetAtt": ["AlbSg", "GroupId"]}}}}}"#,
    ),
    (
        // A Deny's NotAction gains an exception (it denies less), and an Allow's NotAction
        // loses one (it allows more): both broaden.
        "iam_not_action_exceptions_broaden",
        r#"{"Resources": {
            "BucketPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": "b", "PolicyDocument": {"Statement": [
                {"Effect": "Deny", "Principal": "*", "NotAction": ["s3:GetObject"], "Resource": "arn:aws:s3:::b/*"}]}}},
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                "Policies": [{"PolicyName": "P", "PolicyDocument": {"Statement": [
                    {"Effect": "Allow", "NotAction": ["iam:*", "s3:*"], "Resource": "*"}]}}]}}}}"#,
        r#"{"Resources": {
            "BucketPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": "b", "PolicyDocument": {"Statement": [
                {"Effect": "Deny", "Principal": "*", "NotAction": ["s3:GetObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::b/*"}]}}},
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                "Policies": [{"PolicyName": "P", "PolicyDocument": {"Statement": [
                    {"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}]}}]}}}}"#,
    ),
    (
        // The resource's text is unchanged: the mapping value it reads changes, and it is
        // create-only (literal keys: known to differ).
        "mapping_value_feeds_create_only_property",
        r#"{"Mappings": {"Env": {"prod": {"Name": "repo-a", "Retention": 7}}},
            "Resources": {"Repo": {"Type": "AWS::ECR::Repository", "UpdateReplacePolicy": "Retain",
                "Properties": {"RepositoryName": {"Fn::FindInMap": ["Env", "prod", "Name"]}}},
            "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": {"Fn::FindInMap": ["Env", "prod", "Retention"]}}}}}"#,
        r#"{"Mappings": {"Env": {"prod": {"Name": "repo-b", "Retention": 7}}},
            "Resources": {"Repo": {"Type": "AWS::ECR::Repository", "UpdateReplacePolicy": "Retain",
                "Properties": {"RepositoryName": {"Fn::FindInMap": ["Env", "prod", "Name"]}}},
            "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": {"Fn::FindInMap": ["Env", "prod", "Retention"]}}}}}"#,
    ),
    (
        // A parameter's Default changes: a stack deployed with the default gets the new value.
        "parameter_default_feeds_create_only_property",
        r#"{"Parameters": {"Name": {"Type": "String", "Default": "shop-web"}},
            "Resources": {"Repo": {"Type": "AWS::ECR::Repository", "UpdateReplacePolicy": "Retain",
                "Properties": {"RepositoryName": {"Ref": "Name"}}},
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": "${Name} alerts"}}}}}"#,
        r#"{"Parameters": {"Name": {"Type": "String", "Default": "shop-storefront"}},
            "Resources": {"Repo": {"Type": "AWS::ECR::Repository", "UpdateReplacePolicy": "Retain",
                "Properties": {"RepositoryName": {"Ref": "Name"}}},
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": "${Name} alerts"}}}}}"#,
    ),
    (
        // A condition changes: the resource it guards may be created or deleted, and a
        // create-only property chosen by Fn::If may change; IsBig reads IsProd.
        "condition_changed_guards_resource",
        r#"{"Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "AWS::AccountId"}, "1"]},
                "IsBig": {"Fn::And": [{"Condition": "IsProd"}, {"Fn::Equals": ["a", "a"]}]}},
            "Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Condition": "IsProd", "Properties": {"QueueName": "q1"}},
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::If": ["IsBig", "big", "small"]}}}}}"#,
        r#"{"Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "AWS::AccountId"}, "2"]},
                "IsBig": {"Fn::And": [{"Condition": "IsProd"}, {"Fn::Equals": ["a", "a"]}]}},
            "Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Condition": "IsProd", "Properties": {"QueueName": "q1"}},
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::If": ["IsBig", "big", "small"]}}}}}"#,
    ),
    (
        // Types Stackwright does not synthesize, judged from the registry: each name is
        // create-only, and they are stateful (a table, a queue, a database).
        "registry_create_only_replaces_stateful_types",
        r#"{"Resources": {
            "Table": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Delete", "Properties": {"TableName": "orders",
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}},
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "q1"}},
            "Db": {"Type": "AWS::RDS::DBInstance", "UpdateReplacePolicy": "Snapshot", "Properties": {"DBInstanceIdentifier": "db1", "Engine": "postgres"}},
            "Cluster": {"Type": "AWS::RDS::DBCluster", "Properties": {"Engine": "aurora-postgresql"}}}}"#,
        r#"{"Resources": {
            "Table": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Delete", "Properties": {"TableName": "orders2",
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}},
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "q2"}},
            "Db": {"Type": "AWS::RDS::DBInstance", "UpdateReplacePolicy": "Snapshot", "Properties": {"DBInstanceIdentifier": "db2", "Engine": "postgres"}}}}"#,
    ),
    (
        // Inline policies behind Fn::If (one item, and the whole list): both branches are read.
        "iam_inline_policy_behind_fn_if",
        r#"{"Conditions": {"C": {"Fn::Equals": ["a", "a"]}}, "Resources": {
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                "Policies": [{"Fn::If": ["C", {"PolicyName": "P", "PolicyDocument": {"Statement": [
                    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}}, {"Ref": "AWS::NoValue"}]}]}},
            "User": {"Type": "AWS::IAM::User", "Properties": {"Policies": {"Fn::If": ["C",
                [{"PolicyName": "Q", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-west-1:1:q"}]}}],
                {"Ref": "AWS::NoValue"}]}}}}}"#,
        r#"{"Conditions": {"C": {"Fn::Equals": ["a", "a"]}}, "Resources": {
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                "Policies": [{"Fn::If": ["C", {"PolicyName": "P", "PolicyDocument": {"Statement": [
                    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}, {"Ref": "AWS::NoValue"}]}]}},
            "User": {"Type": "AWS::IAM::User", "Properties": {"Policies": {"Fn::If": ["C",
                [{"PolicyName": "Q", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:eu-west-1:1:q"}]}}],
                {"Ref": "AWS::NoValue"}]}}}}}"#,
    ),
    (
        // Exported values change while the names stay: a replaced bucket, a repository that may
        // be replaced (its name is a parameter whose Default changed), a changed literal.
        "export_value_changes_block_importers",
        r#"{"Parameters": {"Name": {"Type": "String", "Default": "shop-web"}},
            "Resources": {"Repo": {"Type": "AWS::ECR::Repository", "UpdateReplacePolicy": "Retain", "Properties": {"RepositoryName": {"Ref": "Name"}}},
                "Bucket": {"Type": "AWS::S3::Bucket", "UpdateReplacePolicy": "Retain", "Properties": {"BucketName": "b1"}}},
            "Outputs": {"RepoArn": {"Value": {"Fn::GetAtt": ["Repo", "Arn"]}, "Export": {"Name": "repo-arn"}},
                "BucketArn": {"Value": {"Fn::GetAtt": ["Bucket", "Arn"]}, "Export": {"Name": "bucket-arn"}},
                "Stage": {"Value": "blue", "Export": {"Name": "stage"}},
                "Same": {"Value": "x", "Export": {"Name": "same"}}}}"#,
        r#"{"Parameters": {"Name": {"Type": "String", "Default": "shop-storefront"}},
            "Resources": {"Repo": {"Type": "AWS::ECR::Repository", "UpdateReplacePolicy": "Retain", "Properties": {"RepositoryName": {"Ref": "Name"}}},
                "Bucket": {"Type": "AWS::S3::Bucket", "UpdateReplacePolicy": "Retain", "Properties": {"BucketName": "b2"}}},
            "Outputs": {"RepoArn": {"Value": {"Fn::GetAtt": ["Repo", "Arn"]}, "Export": {"Name": "repo-arn"}},
                "BucketArn": {"Value": {"Fn::GetAtt": ["Bucket", "Arn"]}, "Export": {"Name": "bucket-arn"}},
                "Stage": {"Value": "green", "Export": {"Name": "stage"}},
                "Same": {"Value": "x", "Export": {"Name": "same"}}}}"#,
    ),
    (
        // The only egress rule deleted (AWS's allow-all egress comes back) and an ingress
        // opening moved from the IPv4 to the IPv6 internet.
        "security_group_default_egress_and_ipv6_opening",
        r#"{"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d", "VpcId": "v",
            "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}],
            "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/8"}]}}}}"#,
        r#"{"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d", "VpcId": "v",
            "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv6": "::/0"}]}}}}"#,
    ),
    (
        // A literal create-only value becomes an Fn::Sub of the stack name: equal for a stack
        // named "shop", so it may (not must) replace; "web" can never end in "-logs".
        "literal_to_sub_may_replace",
        r#"{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "UpdateReplacePolicy": "Retain", "Properties": {"RepositoryName": "shop-repo"}},
            "Logs": {"Type": "AWS::Logs::LogGroup", "UpdateReplacePolicy": "Retain", "Properties": {"LogGroupName": "web"}}}}"#,
        r#"{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "UpdateReplacePolicy": "Retain", "Properties": {"RepositoryName": {"Fn::Sub": "${AWS::StackName}-repo"}}},
            "Logs": {"Type": "AWS::Logs::LogGroup", "UpdateReplacePolicy": "Retain", "Properties": {"LogGroupName": {"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "logs"]]}}}}}"#,
    ),
];

fn parse(name: &str, text: &str) -> Template {
    Template::from_json_str(text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn cases() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, old, new) in CASES {
            let stack = StackDiff::new("app", &parse(name, old), &parse(name, new));
            insta::assert_snapshot!(*name, stack.diff.render_text(TextOptions::default()));
            let json = serde_json::to_string_pretty(&render_json(std::slice::from_ref(&stack))).unwrap();
            insta::assert_snapshot!(format!("{name}_json"), json);
            insta::assert_snapshot!(format!("{name}_markdown"), render_markdown(std::slice::from_ref(&stack), false));
        }
    });
}

fn case(name: &str) -> stackwright_diff::TemplateDiff {
    let (name, old, new) = CASES.iter().find(|c| c.0 == name).unwrap();
    diff(&parse(name, old), &parse(name, new))
}

#[test]
fn security_gates() {
    assert!(case("iam_inline_policy_broadened").security.has_iam_broadening());
    assert!(!case("iam_policy_narrowed").security.has_iam_broadening());
    assert!(case("security_group_rules").security.has_sg_broadening());
    assert!(!case("security_group_rules").security.has_iam_broadening());
    assert!(case("update_in_place").security.is_empty());
    let not_action = case("iam_not_action_exceptions_broaden").security;
    assert!(not_action.iam.iter().all(|c| c.direction == stackwright_diff::Direction::Broadening), "{not_action:#?}");
    assert_eq!(not_action.iam.len(), 2);
    let behind_if = case("iam_inline_policy_behind_fn_if").security;
    let found: Vec<(&str, &str, Vec<&str>)> = behind_if
        .iam
        .iter()
        .map(|c| (c.resource.as_str(), c.policy.as_str(), c.reasons.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "Role",
                "inline policy P",
                vec!["adds actions s3:*", "adds resources *", "wildcard actions s3:*", "resource * (every resource)"]
            ),
            ("User", "inline policy Q", vec!["adds actions sqs:*", "wildcard actions sqs:*"]),
        ]
    );
    assert!(behind_if.has_iam_broadening());
    let trust = case("iam_trust_policy_and_managed_policies").security;
    let order: Vec<(&str, &str)> = trust.iam.iter().map(|c| (c.resource.as_str(), c.policy.as_str())).collect();
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(order, sorted, "security.iam[] is sorted by logical ID, then policy");
}

#[test]
fn security_only_shows_only_security() {
    let result = case("security_group_rules");
    let text = result.render_text(TextOptions { security_only: true, ..TextOptions::default() });
    assert!(text.starts_with("Security\n"), "{text}");
    assert!(!text.contains("Resources"), "{text}");
    let none = case("update_in_place").render_text(TextOptions { security_only: true, ..TextOptions::default() });
    assert!(none.starts_with("No security changes.\n"), "{none}");
}

#[test]
fn stack_sets_in_text_json_and_markdown() {
    let (_, old, new) = CASES.iter().find(|c| c.0 == "ecr_rename_replaces_task_definition_through_sub").unwrap();
    let (_, _, sg) = CASES.iter().find(|c| c.0 == "security_group_rules").unwrap();
    let topic = r#"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}"#;
    let set = |items: &[(&str, &str)]| -> Vec<(String, Template)> {
        items.iter().map(|(name, text)| ((*name).to_owned(), parse(name, text))).collect()
    };
    let stacks = diff_stacks(
        &set(&[("app", old), ("gone", topic), ("same", topic)]),
        &set(&[("app", new), ("network", sg), ("same", topic)]),
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::assert_snapshot!("stack_set_text", render_text_stacks(&stacks, TextOptions::default()));
        insta::assert_snapshot!("stack_set_markdown", render_markdown(&stacks, false));
        insta::assert_snapshot!("stack_set_markdown_security_only", render_markdown(&stacks, true));
        let json = render_json(&stacks);
        let statuses: Vec<&str> =
            json["stacks"].as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["modified", "removed", "added", "unchanged"]);
        assert_eq!(json["summary"]["stacks_added"], 1);
        assert_eq!(json["summary"]["worst_impact"], "destroy");
    });
}

#[test]
fn yaml_short_forms_equal_their_json_forms() {
    let (_, _, json) = CASES.iter().find(|c| c.0 == "ecr_rename_replaces_task_definition_through_sub").unwrap();
    let yaml = "Resources:
  Repo: {Type: AWS::ECR::Repository, Properties: {RepositoryName: web-app}}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: web
      ContainerDefinitions:
        - {Name: web, Image: !Sub '${Repo.RepositoryUri}:latest'}
  Service:
    Type: AWS::ECS::Service
    Properties: {Cluster: main, TaskDefinition: !Ref Task}
";
    let from_yaml = Template::from_json(&stackwright_template::read::yaml::to_json(yaml).unwrap()).unwrap();
    let result = diff(&parse("json", json), &from_yaml);
    assert!(!result.has_changes(), "{}", result.render_text(TextOptions::default()));
}

#[test]
fn equal_spellings_of_one_string_are_no_change() {
    // Create-only properties respelled: the repository name and the log group name stay the
    // same string, so nothing is replaced (a miss here would be a false replacement alarm).
    let old = r#"{"Parameters": {"Env": {"Type": "String"}}, "Resources": {
        "Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": {"Fn::Sub": "${AWS::StackName}-${Env}"}}},
        "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": {"Fn::Sub": "/ecs/web"},
            "KmsKeyId": {"Fn::Sub": "${Key.Arn}"}}},
        "Key": {"Type": "AWS::KMS::Key", "Properties": {"Description": {"Fn::Sub": "${Repo}"}}}}}"#;
    let new = r#"{"Parameters": {"Env": {"Type": "String"}}, "Resources": {
        "Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": {"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, {"Ref": "Env"}]]}}},
        "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/ecs/web",
            "KmsKeyId": {"Fn::GetAtt": ["Key", "Arn"]}}},
        "Key": {"Type": "AWS::KMS::Key", "Properties": {"Description": {"Ref": "Repo"}}}}}"#;
    let result = diff(&parse("old", old), &parse("new", new));
    assert!(!result.has_changes(), "{}", result.render_text(TextOptions::default()));
    let renamed = new.replace(r#"{"Ref": "Env"}]]"#, r#"{"Ref": "Env"}, "x"]]"#);
    let result = diff(&parse("old", old), &parse("renamed", &renamed));
    assert_eq!(result.resources["Repo"].impact, Impact::Replace, "a different string still replaces");
}

#[test]
fn no_change_means_no_changes() {
    let (_, old, new) = CASES[0];
    let result = diff(&parse("semantic", old), &parse("semantic", new));
    assert!(!result.has_changes(), "{result:#?}");
    assert_eq!(result.worst_impact(), Impact::NoChange);
}

#[test]
fn issue_case_impacts() {
    let (name, old, new) = CASES.iter().find(|c| c.0 == "ecr_rename_replaces_task_definition_through_sub").unwrap();
    let result = diff(&parse(name, old), &parse(name, new));
    let impact = |id: &str| result.resources[id].impact;
    // The task definition gets a new revision (its image URI changes), not a replacement;
    // the chain still starts at the repository.
    assert_eq!(
        (impact("Repo"), impact("Task"), impact("Service")),
        (Impact::Replace, Impact::Revision, Impact::Update)
    );
    assert_eq!(result.replacement_chain("Service"), ["Repo", "Task", "Service"]);
    assert!(result.has_data_loss());
}

#[test]
fn changed_inputs_reach_the_resources_that_read_them() {
    let impact = |case_name: &str, id: &str| case(case_name).resources.get(id).map(|r| r.impact);
    assert_eq!(impact("mapping_value_feeds_create_only_property", "Repo"), Some(Impact::Replace));
    assert_eq!(impact("mapping_value_feeds_create_only_property", "Logs"), None, "its mapping value is unchanged");
    assert_eq!(impact("parameter_default_feeds_create_only_property", "Repo"), Some(Impact::MayReplace));
    assert_eq!(impact("parameter_default_feeds_create_only_property", "Topic"), Some(Impact::Update));
    assert_eq!(impact("condition_changed_guards_resource", "Queue"), Some(Impact::MayReplace));
    assert_eq!(impact("condition_changed_guards_resource", "Topic"), Some(Impact::MayReplace));
}

#[test]
fn registry_create_only_properties_replace_and_stateful_ones_lose_data() {
    // None of these types is synthesized by Stackwright; the registry knows them all.
    let result = case("registry_create_only_replaces_stateful_types");
    let impacts: Vec<(&str, Impact, bool)> =
        result.resources.values().map(|r| (r.logical_id.as_str(), r.impact, r.data_loss)).collect();
    assert_eq!(
        impacts,
        [
            ("Cluster", Impact::Destroy, true),
            ("Db", Impact::Replace, true),
            ("Queue", Impact::Replace, true),
            ("Table", Impact::Replace, true)
        ]
    );
}

#[test]
fn export_value_changes_count_as_breaking_exports() {
    let result = case("export_value_changes_block_importers");
    let found: Vec<(&str, &str, bool, bool)> = result
        .exports
        .iter()
        .filter_map(|e| {
            e.value_change.as_ref().map(|c| (e.output.as_str(), c.why.as_str(), c.certain, e.breaks_importers()))
        })
        .collect();
    assert_eq!(
        found,
        [
            ("BucketArn", "Bucket is replaced", true, true),
            // Only may change: flagged, not counted for `--fail-on export-removal`.
            ("RepoArn", "Repo may be replaced", false, false),
            ("Stage", "its value changed", true, true)
        ]
    );
    assert!(result.breaks_exports());
    assert!(!case("update_in_place").breaks_exports());
}

#[test]
fn a_literal_turned_function_may_replace_only_when_it_may_be_equal() {
    let result = case("literal_to_sub_may_replace");
    let repo = &result.resources["Repo"];
    assert_eq!(repo.impact, Impact::MayReplace);
    let flags: Vec<(bool, bool)> =
        repo.property_changes.iter().map(|c| (c.forces_replacement, c.may_force_replacement)).collect();
    assert_eq!(flags, [(false, true)]);
    let logs = &result.resources["Logs"];
    assert_eq!(logs.impact, Impact::Replace);
    // A function nested inside a create-only object (an Fn::If between keys) is as unknown
    // as one at its top; a literal sibling that changes still forces replacement.
    let template = |key: &str, kind: &str| {
        format!(
            r#"{{"Resources": {{"Repo": {{"Type": "AWS::ECR::Repository", "Properties": {{"RepositoryName": "r",
            "EncryptionConfiguration": {{"EncryptionType": "{kind}", "KmsKey": {{"Fn::If": ["C", "k1", "{key}"]}}}}}}}}}}}}"#
        )
    };
    let nested = diff(&parse("k2", &template("k2", "KMS")), &parse("k3", &template("k3", "KMS")));
    assert_eq!(nested.resources["Repo"].impact, Impact::MayReplace);
    let sibling = diff(&parse("k2", &template("k2", "KMS")), &parse("k3", &template("k2", "KMS_DSSE")));
    assert_eq!(sibling.resources["Repo"].impact, Impact::Replace);
    let both = diff(&parse("k2", &template("k2", "KMS")), &parse("k3", &template("k3", "KMS_DSSE")));
    let flags: Vec<(&str, bool, bool)> = both.resources["Repo"]
        .property_changes
        .iter()
        .map(|c| (c.path.as_str(), c.forces_replacement, c.may_force_replacement))
        .collect();
    assert_eq!(
        flags,
        [
            ("/Properties/EncryptionConfiguration/EncryptionType", true, false),
            ("/Properties/EncryptionConfiguration/KmsKey", false, true)
        ]
    );
    assert_eq!(both.resources["Repo"].impact, Impact::Replace);
    assert!(logs.property_changes[0].forces_replacement && !logs.property_changes[0].may_force_replacement);
}

#[test]
fn colors_only_when_asked() {
    let (name, old, new) = CASES[1];
    let result = diff(&parse(name, old), &parse(name, new));
    assert!(!result.render_text(TextOptions::default()).contains('\u{1b}'));
    assert!(result.render_text(TextOptions { color: true, ..TextOptions::default() }).contains("\u{1b}[32m[+]"));
}

/// A chain of `links` log groups, each named after the previous one (a create-only
/// property), so replacing the first replaces every one.
fn chain(links: usize, first_name: &str) -> String {
    let mut resources =
        format!(r#""L0": {{"Type": "AWS::Logs::LogGroup", "Properties": {{"LogGroupName": "{first_name}"}}}}"#);
    for i in 1..links {
        let _ = write!(
            resources,
            r#", "L{i}": {{"Type": "AWS::Logs::LogGroup", "Properties": {{"LogGroupName": {{"Fn::Join": ["-", [{{"Ref": "L{}"}}, "x"]]}}}}}}"#,
            i - 1
        );
    }
    format!(r#"{{"Resources": {{{resources}}}}}"#)
}

#[test]
fn long_replacement_chain_is_linear() {
    let (old, new) = (parse("chain", &chain(400, "a")), parse("chain", &chain(400, "b")));
    let start = Instant::now();
    let result = diff(&old, &new);
    let elapsed = start.elapsed();
    assert_eq!(result.resources.len(), 400);
    assert!(result.resources.values().all(|r| r.impact == Impact::Replace));
    assert!(
        result.resources["L399"].reasons.iter().any(|r| r.to_string().contains("uses Ref L398, and L398 is replaced"))
    );
    assert!(elapsed.as_millis() < 1000, "400-link chain took {elapsed:?}");
}
