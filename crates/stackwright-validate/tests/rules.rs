//! Every rule, with a template that breaks it and the smallest change that passes it.
#![allow(clippy::needless_pass_by_value)] // json! values built inline read best passed by value

use serde_json::{Value, json};
use stackwright_validate::{RULES, Severity, validate_bytes};

/// The rule ids a template's JSON text triggers.
fn rules_in(text: &[u8]) -> Vec<&'static str> {
    validate_bytes(text).findings.iter().map(|f| f.rule).collect()
}

fn resources(resources: Value) -> Value {
    json!({"Resources": resources})
}

fn task(cpu: &str, memory: &str, container: Value) -> Value {
    resources(json!({"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
        "Cpu": cpu, "Memory": memory, "RequiresCompatibilities": ["FARGATE"], "ContainerDefinitions": [container]}}}))
}

fn service(desired: i64, min: i64, max: i64, controller: &str, breaker: bool) -> Value {
    let mut config = json!({"MinimumHealthyPercent": min, "MaximumPercent": max});
    if breaker {
        config["DeploymentCircuitBreaker"] = json!({"Enable": true, "Rollback": true});
    }
    resources(json!({"Service": {"Type": "AWS::ECS::Service", "Properties": {
        "DesiredCount": desired, "DeploymentController": {"Type": controller}, "DeploymentConfiguration": config}}}))
}

fn alarmed_service(dimension: Value) -> Value {
    resources(json!({
        "Service": {"Type": "AWS::ECS::Service", "Properties": {"ServiceName": "web",
            "DeploymentConfiguration": {"Alarms": {"AlarmNames": [{"Ref": "Alarm"}], "Enable": true, "Rollback": true}}}},
        "Alarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Dimensions": [{"Name": "ServiceName", "Value": dimension}]}}
    }))
}

fn log_group(retention: bool, acknowledge: Value) -> Value {
    let mut group = json!({"Type": "AWS::Logs::LogGroup", "Properties": {}});
    if retention {
        group["Properties"]["RetentionInDays"] = json!(30);
    }
    if !acknowledge.is_null() {
        group["Metadata"] = json!({"stackwright": acknowledge});
    }
    resources(json!({"Logs": group}))
}

fn policy(action: Value) -> Value {
    resources(json!({"Policy": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "PolicyDocument": {
        "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}}}}))
}

fn project(buildspec: &str) -> Value {
    resources(json!({"Build": {"Type": "AWS::CodeBuild::Project", "Properties": {
        "Environment": {"PrivilegedMode": true}, "Source": {"BuildSpec": buildspec}}}}))
}

/// A pipeline whose build writes imagedefinitions.json for `written`, deploying to a service
/// whose task definition has the container `web`.
/// A pipeline of two stages, one action each, of these categories.
fn stages(first: &str, second: &str) -> Value {
    let stage = |category: &str| {
        json!({"Name": category, "Actions": [{"Name": category,
            "ActionTypeId": {"Category": category, "Owner": "AWS", "Provider": "S3", "Version": "1"}}]})
    };
    resources(json!({"P": {"Type": "AWS::CodePipeline::Pipeline",
        "Properties": {"Stages": [stage(first), stage(second)]}}}))
}

fn pipeline(written: &str) -> Value {
    let buildspec = format!(
        "phases:\n  build:\n    commands:\n      - printf '[{{\"name\":\"%s\",\"imageUri\":\"%s\"}}]' {written} \"$URI\" > imagedefinitions.json\n"
    );
    resources(json!({
        "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "web", "Image": "x"}]}},
        "Service": {"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": {"Ref": "Task"}}},
        "Build": {"Type": "AWS::CodeBuild::Project", "Properties": {"Source": {"BuildSpec": buildspec}}},
        "Pipeline": {"Type": "AWS::CodePipeline::Pipeline", "Properties": {"Stages": [
            {"Name": "Build", "Actions": [{"Name": "Build", "ActionTypeId": {"Provider": "CodeBuild"},
                "Configuration": {"ProjectName": {"Ref": "Build"}}, "OutputArtifacts": [{"Name": "Image"}]}]},
            {"Name": "Deploy", "Actions": [{"Name": "Deploy", "ActionTypeId": {"Provider": "ECS"},
                "Configuration": {"ServiceName": {"Fn::GetAtt": ["Service", "Name"]}}, "InputArtifacts": [{"Name": "Image"}]}]}
        ]}}
    }))
}

fn topic_with(properties: Value) -> Value {
    resources(json!({"Topic": {"Type": "AWS::SNS::Topic", "Properties": properties}, "Key": {"Type": "AWS::KMS::Key"}}))
}

/// One resource `R` of `type_name` with these properties.
fn one(type_name: &str, properties: Value) -> Value {
    resources(json!({"R": {"Type": type_name, "Properties": properties}}))
}

fn many(section: &str, n: usize) -> Value {
    let entries: serde_json::Map<String, Value> = (0..n)
        .map(|i| {
            let entry = match section {
                "Resources" => json!({"Type": "AWS::SNS::Topic"}),
                "Parameters" => json!({"Type": "String"}),
                "Outputs" => json!({"Value": "x"}),
                _ => json!({"a": {"b": "c"}}),
            };
            (format!("E{i}"), entry)
        })
        .collect();
    let mut template = json!({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}});
    template[section] = Value::Object(entries);
    template
}

fn padded(bytes: usize) -> Vec<u8> {
    let skeleton = json!({"Metadata": {"Pad": ""}, "Resources": {"T": {"Type": "AWS::SNS::Topic"}}}).to_string();
    let template = json!({"Metadata": {"Pad": "x".repeat(bytes - skeleton.len())}, "Resources": {"T": {"Type": "AWS::SNS::Topic"}}});
    let text = template.to_string();
    assert_eq!(text.len(), bytes);
    text.into_bytes()
}

/// (rule, a template that breaks it, one that does not).
fn cases() -> Vec<(&'static str, Vec<u8>, Vec<u8>)> {
    let t = |v: Value| v.to_string().into_bytes();
    let ack = |rule: &str, reason: Value| json!({"acknowledge": [{"rule": rule, "reason": reason}]});
    let container = |readonly: Value| json!({"Name": "app", "Image": "nginx", "ReadonlyRootFilesystem": readonly});
    let ro = container(json!(true));
    vec![
        (
            "acknowledge/malformed",
            t(log_group(true, json!({"acknowledge": 3}))),
            t(log_group(false, ack("logs/retention", json!("legal hold")))),
        ),
        (
            "acknowledge/missing-reason",
            t(log_group(false, ack("logs/retention", json!("")))),
            t(log_group(false, ack("logs/retention", json!("legal hold")))),
        ),
        (
            "acknowledge/unknown-rule",
            t(log_group(false, ack("logs/forever", json!("x")))),
            t(log_group(false, ack("logs/retention", json!("x")))),
        ),
        (
            "acknowledge/unused",
            t(log_group(true, ack("logs/retention", json!("x")))),
            t(log_group(false, ack("logs/retention", json!("x")))),
        ),
        (
            "codebuild/privileged-without-image-build",
            t(project("phases:\n  build:\n    commands:\n      - make\n")),
            t(project("phases:\n  build:\n    commands:\n      - docker buildx build .\n")),
        ),
        ("codepipeline/image-definitions-container", t(pipeline("app")), t(pipeline("web"))),
        ("codepipeline/source-stage", t(stages("Build", "Source")), t(stages("Source", "Build"))),
        (
            "ec2/cidr",
            t(resources(json!({"I": {"Type": "AWS::EC2::SecurityGroupIngress",
                "Properties": {"GroupId": "sg-12345678", "IpProtocol": "-1", "CidrIp": "0.0.0.0/33"}}}))),
            t(resources(json!({"I": {"Type": "AWS::EC2::SecurityGroupIngress",
                "Properties": {"GroupId": "sg-12345678", "IpProtocol": "-1", "CidrIp": "0.0.0.0/32"}}}))),
        ),
        (
            "schema/cidr",
            t(resources(json!({"I": {"Type": "AWS::RDS::DBSecurityGroupIngress",
                "Properties": {"DBSecurityGroupName": "g", "CIDRIP": "10.0.0.256/32"}}}))),
            t(resources(json!({"I": {"Type": "AWS::RDS::DBSecurityGroupIngress",
                "Properties": {"DBSecurityGroupName": "g", "CIDRIP": "10.0.0.255/32"}}}))),
        ),
        (
            "intrinsic/unknown-function",
            t(resources(json!({"T": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Bogus": "x"}}}}))),
            t(resources(json!({"T": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Base64": "x"}}}}))),
        ),
        (
            "resource/unknown-attribute",
            t(resources(json!({"T": {"Type": "AWS::SNS::Topic", "Propertiess": {}}}))),
            t(resources(json!({"T": {"Type": "AWS::SNS::Topic", "Properties": {}}}))),
        ),
        (
            "resource/unknown-type",
            t(one("AWS::SNS::Topik", json!({}))),
            t(one("AWS::DeviceFarm::Project", json!({"Name": "only in us-west-2"}))),
        ),
        (
            "language/for-each",
            t(json!({"Transform": "AWS::LanguageExtensions", "Resources": {"Fn::ForEach::T": ["N", ["A", "B"], {
                "Topic": {"Type": "AWS::SNS::Topic"}}]}})),
            t(json!({"Transform": "AWS::LanguageExtensions", "Resources": {"Fn::ForEach::T": ["N", ["A", "B"], {
                "Topic${N}": {"Type": "AWS::SNS::Topic"}}]}})),
        ),
        (
            "language/transform-required",
            t(json!({"Resources": {"Fn::ForEach::T": ["N", ["A"], {"Topic${N}": {"Type": "AWS::SNS::Topic"}}]}})),
            t(json!({"Transform": "AWS::LanguageExtensions", "Resources": {"Fn::ForEach::T": ["N", ["A"], {
                "Topic${N}": {"Type": "AWS::SNS::Topic"}}]}})),
        ),
        (
            "module/attribute",
            t(one("My::Org::Thing::MODULE", json!({"Tags": []}))),
            t(one("My::Org::Thing::MODULE", json!({"Name": "x"}))),
        ),
        (
            "lambda/runtime-deprecated",
            t(one("AWS::Lambda::Function", json!({"Runtime": "python3.6"}))),
            t(one("AWS::Lambda::Function", json!({"Runtime": "python3.13"}))),
        ),
        (
            "lambda/zip-runtime",
            t(one("AWS::Lambda::Function", json!({"Code": {"ZipFile": "x"}}))),
            t(one("AWS::Lambda::Function", json!({"Code": {"ZipFile": "x"}, "Runtime": "python3.13"}))),
        ),
        (
            "backup/cold-storage-days",
            t(one(
                "AWS::Backup::BackupPlan",
                json!({"BackupPlan": {"BackupPlanName": "p", "BackupPlanRule": [{"RuleName": "r",
                "TargetBackupVault": "v", "Lifecycle": {"MoveToColdStorageAfterDays": 7, "DeleteAfterDays": 30}}]}}),
            )),
            t(one(
                "AWS::Backup::BackupPlan",
                json!({"BackupPlan": {"BackupPlanName": "p", "BackupPlanRule": [{"RuleName": "r",
                "TargetBackupVault": "v", "Lifecycle": {"MoveToColdStorageAfterDays": 7, "DeleteAfterDays": 97}}]}}),
            )),
        ),
        (
            "dynamodb/attribute-definitions",
            t(one(
                "AWS::DynamoDB::Table",
                json!({"BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "A", "AttributeType": "S"}, {"AttributeName": "B", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "A", "KeyType": "HASH"}]}),
            )),
            t(one(
                "AWS::DynamoDB::Table",
                json!({"BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "A", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "A", "KeyType": "HASH"}]}),
            )),
        ),
        (
            "route53/alias-ttl",
            t(one(
                "AWS::Route53::RecordSet",
                json!({"HostedZoneId": "Z1", "Name": "a.example.com", "Type": "A", "TTL": "60",
                "AliasTarget": {"DNSName": "d.example.com", "HostedZoneId": "Z2"}}),
            )),
            t(one(
                "AWS::Route53::RecordSet",
                json!({"HostedZoneId": "Z1", "Name": "a.example.com", "Type": "A",
                "AliasTarget": {"DNSName": "d.example.com", "HostedZoneId": "Z2"}}),
            )),
        ),
        (
            "s3/acl-ownership",
            t(one("AWS::S3::Bucket", json!({"AccessControl": "PublicRead"}))),
            t(one("AWS::S3::Bucket", json!({"AccessControl": "Private"}))),
        ),
        (
            "template/duplicate-id",
            t(json!({"Parameters": {"T": {"Type": "String"}}, "Resources": {"T": {"Type": "AWS::SNS::Topic"}}})),
            t(json!({"Parameters": {"P": {"Type": "String"}}, "Resources": {"T": {"Type": "AWS::SNS::Topic"}}})),
        ),
        (
            "template/format-version",
            t(json!({"AWSTemplateFormatVersion": "2010-09-10", "Resources": {"T": {"Type": "AWS::SNS::Topic"}}})),
            t(json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"T": {"Type": "AWS::SNS::Topic"}}})),
        ),
        (
            "template/transform",
            t(json!({"Transform": {"key": "X"}, "Resources": {"T": {"Type": "AWS::SNS::Topic"}}})),
            t(json!({"Transform": {"Name": "X"}, "Resources": {"T": {"Type": "AWS::SNS::Topic"}}})),
        ),
        (
            "schema/format",
            t(one("AWS::EC2::Subnet", json!({"VpcId": "vpc-123456", "CidrBlock": "10.0.0.0/24"}))),
            t(one("AWS::EC2::Subnet", json!({"VpcId": "vpc-0123abcd", "CidrBlock": "10.0.0.0/24"}))),
        ),
        (
            "iam/policy-document",
            t(one("AWS::IAM::Role", json!({"AssumeRolePolicyDocument": {}}))),
            t(one(
                "AWS::IAM::Role",
                json!({"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}),
            )),
        ),
        (
            "cloudfront/alias",
            t(one(
                "AWS::CloudFront::Distribution",
                json!({"DistributionConfig": {"Enabled": true, "Aliases": ["-x.example.com"]}}),
            )),
            t(one(
                "AWS::CloudFront::Distribution",
                json!({"DistributionConfig": {"Enabled": true, "Aliases": ["x.example.com"]}}),
            )),
        ),
        (
            "codebuild/service-role-path",
            t(resources(json!({"P": {"Type": "AWS::CodeBuild::Project", "Properties": {"ServiceRole": {"Ref": "R"}}},
                "R": {"Type": "AWS::IAM::Role", "Properties": {"Path": "/ci/"}}}))),
            t(resources(
                json!({"P": {"Type": "AWS::CodeBuild::Project", "Properties": {"ServiceRole": {"Fn::GetAtt": ["R", "Arn"]}}},
                "R": {"Type": "AWS::IAM::Role", "Properties": {"Path": "/ci/"}}}),
            )),
        ),
        (
            "intrinsic/import-value",
            t(one("AWS::SNS::Topic", json!({"TopicName": {"Fn::ImportValue": {"Fn::ImportValue": "N"}}}))),
            t(one("AWS::SNS::Topic", json!({"TopicName": {"Fn::ImportValue": "N"}}))),
        ),
        (
            "rds/engine",
            t(one("AWS::RDS::DBInstance", json!({"Engine": "bad-ee"}))),
            t(one("AWS::RDS::DBInstance", json!({"Engine": "mysql"}))),
        ),
        (
            "elasticache/failover",
            t(one(
                "AWS::ElastiCache::ReplicationGroup",
                json!({"ReplicationGroupDescription": "d", "AutomaticFailoverEnabled": true, "NumCacheClusters": 1}),
            )),
            t(one(
                "AWS::ElastiCache::ReplicationGroup",
                json!({"ReplicationGroupDescription": "d", "AutomaticFailoverEnabled": true, "NumCacheClusters": 2}),
            )),
        ),
        (
            "schema/required-if",
            t(
                json!({"Conditions": {"C": {"Fn::Equals": ["a", "b"]}}, "Resources": {"Q": {"Type": "AWS::SQS::QueuePolicy",
                "Properties": {"Queues": ["q"], "PolicyDocument": {"Fn::If": ["C", {}, {"Ref": "AWS::NoValue"}]}}}}}),
            ),
            t(
                json!({"Conditions": {"C": {"Fn::Equals": ["a", "b"]}}, "Resources": {"Q": {"Type": "AWS::SQS::QueuePolicy",
                "Properties": {"Queues": ["q"], "PolicyDocument": {"Fn::If": ["C", {}, {}]}}}}}),
            ),
        ),
        (
            "parameter/default",
            t(
                json!({"Parameters": {"P": {"Type": "String", "Default": "x", "AllowedValues": ["a"]}}, "Resources": {"T": {"Type": "AWS::SNS::Topic"}}}),
            ),
            t(
                json!({"Parameters": {"P": {"Type": "String", "Default": "a", "AllowedValues": ["a"]}}, "Resources": {"T": {"Type": "AWS::SNS::Topic"}}}),
            ),
        ),
        (
            "parameter/type",
            t(json!({"Parameters": {"P": {"Type": "Strin"}}, "Resources": {"T": {"Type": "AWS::SNS::Topic"}}})),
            t(json!({"Parameters": {"P": {"Type": "String"}}, "Resources": {"T": {"Type": "AWS::SNS::Topic"}}})),
        ),
        (
            "template/null",
            t(one("AWS::SNS::Topic", json!({"TopicName": null}))),
            t(one("AWS::SNS::Topic", json!({"TopicName": "t"}))),
        ),
        (
            "resource/snapshot-policy",
            t(resources(json!({"B": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Snapshot"}}))),
            t(resources(json!({"B": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"}}))),
        ),
        (
            "resource/duplicate-identifier",
            t(resources(json!({"A": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}},
                "B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}}}))),
            t(resources(json!({"A": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "a"}},
                "B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}}}))),
        ),
        ("template/no-resources", t(json!({"Resources": {}})), t(resources(json!({"T": {"Type": "AWS::SNS::Topic"}})))),
        (
            "condition/cycle",
            t(
                json!({"Conditions": {"C": {"Fn::Not": [{"Condition": "C"}]}}, "Resources": {"T": {"Type": "AWS::SNS::Topic"}}}),
            ),
            t(json!({"Conditions": {"B": {"Fn::Equals": ["a", "b"]}, "C": {"Fn::Not": [{"Condition": "B"}]}},
                "Resources": {"T": {"Type": "AWS::SNS::Topic"}}})),
        ),
        (
            "condition/malformed",
            t(json!({"Conditions": {"C": {"Ref": "P"}}, "Parameters": {"P": {"Type": "String"}},
                "Resources": {"T": {"Type": "AWS::SNS::Topic"}}})),
            t(
                json!({"Conditions": {"C": {"Fn::Equals": [{"Ref": "P"}, "x"]}}, "Parameters": {"P": {"Type": "String"}},
                "Resources": {"T": {"Type": "AWS::SNS::Topic"}}}),
            ),
        ),
        (
            "condition/resource-reference",
            t(
                json!({"Conditions": {"C": {"Fn::Equals": [{"Ref": "T"}, "x"]}}, "Resources": {"T": {"Type": "AWS::SNS::Topic"}}}),
            ),
            t(json!({"Conditions": {"C": {"Fn::Equals": [{"Ref": "AWS::Region"}, "x"]}},
                "Resources": {"T": {"Type": "AWS::SNS::Topic"}}})),
        ),
        (
            "condition/unknown",
            t(json!({"Resources": {"T": {"Type": "AWS::SNS::Topic", "Condition": "C"}}})),
            t(
                json!({"Conditions": {"C": {"Fn::Equals": ["a", "a"]}}, "Resources": {"T": {"Type": "AWS::SNS::Topic", "Condition": "C"}}}),
            ),
        ),
        (
            "dependency/cycle",
            t(resources(
                json!({"A": {"Type": "AWS::SNS::Topic", "DependsOn": "B"}, "B": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::GetAtt": ["A", "TopicName"]}}}}),
            )),
            t(resources(json!({"A": {"Type": "AWS::SNS::Topic", "DependsOn": "B"}, "B": {"Type": "AWS::SNS::Topic"}}))),
        ),
        (
            "depends-on/unknown-target",
            t(resources(json!({"A": {"Type": "AWS::SNS::Topic", "DependsOn": "C"}}))),
            t(resources(json!({"A": {"Type": "AWS::SNS::Topic", "DependsOn": "B"}, "B": {"Type": "AWS::SNS::Topic"}}))),
        ),
        (
            "ecs/alarm-references-service",
            t(alarmed_service(json!({"Fn::GetAtt": ["Service", "Name"]}))),
            t(alarmed_service(json!("web"))),
        ),
        (
            "ecs/controller-feature",
            t(service(2, 50, 200, "CODE_DEPLOY", true)),
            t(service(2, 50, 200, "CODE_DEPLOY", false)),
        ),
        (
            "ecs/execution-role-is-task-role",
            t(resources(
                json!({"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"TaskRoleArn": "arn:a", "ExecutionRoleArn": "arn:a"}}}),
            )),
            t(resources(
                json!({"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"TaskRoleArn": "arn:a", "ExecutionRoleArn": "arn:b"}}}),
            )),
        ),
        ("ecs/fargate-cpu-memory", t(task("512", "512", ro.clone())), t(task("512", "4 GB", ro.clone()))),
        (
            "ecs/read-only-root-filesystem",
            t(task("256", "512", container(json!("false")))),
            t(task("256", "512", container(json!({"Ref": "ReadOnly"})))),
        ),
        ("ecs/rolling-no-progress", t(service(4, 100, 110, "ECS", true)), t(service(4, 75, 100, "ECS", true))),
        (
            "getatt/unknown-attribute",
            t(topic_with(json!({"KmsMasterKeyId": {"Fn::GetAtt": ["Key", "KeyArn"]}}))),
            t(topic_with(json!({"KmsMasterKeyId": {"Fn::GetAtt": ["Key", "Arn"]}}))),
        ),
        // A configurable property that `Fn::GetAtt` returns too, on an older type.
        (
            "getatt/unknown-attribute",
            t(topic_with(json!({"DisplayName": {"Fn::GetAtt": ["Key", "Description"]}}))),
            t(resources(json!({"T": {"Type": "AWS::SNS::Topic"}, "U": {"Type": "AWS::SNS::Topic",
                "Properties": {"DisplayName": {"Fn::GetAtt": ["T", "TopicName"]}}}}))),
        ),
        (
            "getatt/unknown-resource",
            t(topic_with(json!({"KmsMasterKeyId": {"Fn::GetAtt": ["Kee", "Arn"]}}))),
            t(topic_with(json!({"KmsMasterKeyId": {"Fn::GetAtt": "Key.KeyId"}}))),
        ),
        ("iam/wildcard-action", t(policy(json!(["s3:GetObject", "*"]))), t(policy(json!(["s3:GetObject", "s3:Get*"])))),
        (
            "intrinsic/malformed",
            t(topic_with(json!({"KmsMasterKeyId": {"Fn::Select": [0]}}))),
            t(topic_with(json!({"KmsMasterKeyId": {"Fn::Select": [0, ["a"]]}}))),
        ),
        ("logs/retention", t(log_group(false, Value::Null)), t(log_group(true, Value::Null))),
        (
            "mapping/unknown",
            t(
                json!({"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::FindInMap": ["M", "a", "b"]}}}}}),
            ),
            t(
                json!({"Mappings": {"M": {"a": {"b": "c"}}}, "Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::FindInMap": ["M", "a", "b"]}}}}}),
            ),
        ),
        (
            "mapping/unknown-key",
            t(
                json!({"Mappings": {"M": {"a": {"b": "c"}}}, "Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::FindInMap": ["M", "a", "z"]}}}}}),
            ),
            t(
                json!({"Mappings": {"M": {"a": {"b": "c"}}}, "Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::FindInMap": ["M", "a", {"Ref": "AWS::Region"}]}}}}}),
            ),
        ),
        (
            "output/duplicate-export",
            t(
                json!({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}, "Outputs": {"A": {"Value": "1", "Export": {"Name": "x"}}, "B": {"Value": "2", "Export": {"Name": "x"}}}}),
            ),
            t(
                json!({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}, "Outputs": {"A": {"Value": "1", "Export": {"Name": "x"}}, "B": {"Value": "2", "Export": {"Name": "y"}}}}),
            ),
        ),
        (
            "quota/description",
            t(json!({"Description": "d".repeat(1025), "Resources": {}})),
            t(json!({"Description": "d".repeat(1024), "Resources": {}})),
        ),
        (
            "quota/logical-id",
            t(resources(json!({"My-Topic": {"Type": "AWS::SNS::Topic"}}))),
            t(resources(json!({"MyTopic": {"Type": "AWS::SNS::Topic"}}))),
        ),
        ("quota/mappings", t(many("Mappings", 201)), t(many("Mappings", 200))),
        ("quota/outputs", t(many("Outputs", 201)), t(many("Outputs", 200))),
        ("quota/parameters", t(many("Parameters", 201)), t(many("Parameters", 200))),
        ("quota/resources", t(many("Resources", 501)), t(many("Resources", 499))),
        ("quota/template-size", padded(1_048_577), padded(1_048_576)),
        ("quota/template-size-s3", padded(51_201), padded(51_200)),
        (
            "ref/unknown-target",
            t(topic_with(json!({"KmsMasterKeyId": {"Ref": "AWS::Key"}}))),
            t(topic_with(json!({"KmsMasterKeyId": {"Ref": "Key"}}))),
        ),
        (
            "schema/additional-property",
            t(one("AWS::SNS::Topic", json!({"TopicNme": "t"}))),
            t(one("AWS::SNS::Topic", json!({"TopicName": "t"}))),
        ),
        (
            "schema/any-of",
            t(one("AWS::IAM::Policy", json!({"PolicyName": "p", "PolicyDocument": {"Statement": []}}))),
            t(one("AWS::IAM::Policy", json!({"PolicyName": "p", "PolicyDocument": {"Statement": []}, "Roles": ["r"]}))),
        ),
        (
            "schema/dependent-excluded",
            t(one(
                "AWS::EC2::Subnet",
                json!({"VpcId": "vpc-1", "AvailabilityZone": "us-east-1a", "AvailabilityZoneId": "use1-az1"}),
            )),
            t(one("AWS::EC2::Subnet", json!({"VpcId": "vpc-1", "AvailabilityZone": "us-east-1a"}))),
        ),
        (
            "schema/dependent-required",
            t(one("AWS::EC2::VPC", json!({"Ipv4IpamPoolId": "ipam-pool-1"}))),
            t(one("AWS::EC2::VPC", json!({"Ipv4IpamPoolId": "ipam-pool-1", "Ipv4NetmaskLength": 24}))),
        ),
        (
            "schema/enum",
            t(one("AWS::Logs::LogGroup", json!({"RetentionInDays": 31}))),
            t(one("AWS::Logs::LogGroup", json!({"RetentionInDays": "30"}))),
        ),
        (
            "schema/items",
            t(one(
                "AWS::CloudWatch::Alarm",
                json!({"MetricName": "CPU", "Dimensions": vec![json!({"Name": "a", "Value": "b"}); 31]}),
            )),
            t(one(
                "AWS::CloudWatch::Alarm",
                json!({"MetricName": "CPU", "Dimensions": vec![json!({"Name": "a", "Value": "b"}); 30]}),
            )),
        ),
        (
            "schema/length",
            t(one("AWS::SNS::Topic", json!({"TopicName": "t".repeat(257)}))),
            t(one("AWS::SNS::Topic", json!({"TopicName": "t".repeat(256)}))),
        ),
        (
            "schema/one-of",
            t(one("AWS::CloudWatch::Alarm", json!({"MetricName": "CPU", "EvaluationWindow": {}}))),
            t(one("AWS::CloudWatch::Alarm", json!({"MetricName": "CPU", "EvaluationWindow": {"SlidingWindow": {}}}))),
        ),
        (
            "schema/pattern",
            t(one("AWS::Logs::LogGroup", json!({"RetentionInDays": 30, "LogGroupName": "app logs"}))),
            t(one("AWS::Logs::LogGroup", json!({"RetentionInDays": 30, "LogGroupName": "/app/logs"}))),
        ),
        // `\p{Print}` (a Java class the registry uses) is understood.
        (
            "schema/pattern",
            t(one(
                "AWS::ApplicationAutoScaling::ScalingPolicy",
                json!({"PolicyName": "cpu\ttarget", "PolicyType": "TargetTrackingScaling", "ScalingTargetId": "t"}),
            )),
            t(one(
                "AWS::ApplicationAutoScaling::ScalingPolicy",
                json!({"PolicyName": "cpu target", "PolicyType": "TargetTrackingScaling", "ScalingTargetId": "t"}),
            )),
        ),
        (
            "schema/range",
            t(one("AWS::KMS::Key", json!({"PendingWindowInDays": 6}))),
            t(one("AWS::KMS::Key", json!({"PendingWindowInDays": "7"}))),
        ),
        (
            "schema/required",
            t(one("AWS::SNS::Subscription", json!({"Protocol": "email"}))),
            t(one(
                "AWS::SNS::Subscription",
                json!({"Protocol": "email", "TopicArn": "arn:aws:sns:us-east-1:123456789012:t"}),
            )),
        ),
        (
            "schema/required-xor",
            t(one("AWS::CloudWatch::Alarm", json!({"MetricName": "CPU", "Metrics": []}))),
            t(one("AWS::CloudWatch::Alarm", json!({"MetricName": "CPU"}))),
        ),
        (
            "schema/type",
            t(one("AWS::SNS::Topic", json!({"FifoTopic": "yes"}))),
            t(one("AWS::SNS::Topic", json!({"FifoTopic": "true"}))),
        ),
        (
            "schema/unique-items",
            t(one(
                "AWS::KMS::Key",
                json!({"Tags": [{"Key": "team", "Value": "web"}, {"Key": "team", "Value": "web"}]}),
            )),
            t(one(
                "AWS::KMS::Key",
                json!({"Tags": [{"Key": "team", "Value": "web"}, {"Key": "cost", "Value": "web"}]}),
            )),
        ),
        (
            "sub/unknown-variable",
            t(topic_with(json!({"TopicName": {"Fn::Sub": "${Name}-${AWS::Region}"}}))),
            t(topic_with(json!({"TopicName": {"Fn::Sub": ["${Name}-${!Literal}", {"Name": "n"}]}}))),
        ),
        (
            "template/duplicate-key",
            br#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}, "T": {"Type": "AWS::SQS::Queue"}}}"#.to_vec(),
            br#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}, "U": {"Type": "AWS::SQS::Queue"}}}"#.to_vec(),
        ),
        (
            "template/parse",
            b"{\"Resources\": {\"T\": {}}}".to_vec(),
            b"{\"Resources\": {\"T\": {\"Type\": \"AWS::SNS::Topic\"}}}".to_vec(),
        ),
        (
            "template/unreadable",
            b"{\"Description\": \"\xff\", \"Resources\": {}}".to_vec(),
            "{\"Description\": \"ÿ\", \"Resources\": {}}".as_bytes().to_vec(),
        ),
    ]
}

#[test]
fn every_rule_fails_its_bad_case_and_passes_its_good_case() {
    for (rule, bad, good) in cases() {
        assert!(rules_in(&bad).contains(&rule), "{rule}: not flagged: {:?}", validate_bytes(&bad).findings);
        assert!(!rules_in(&good).contains(&rule), "{rule}: flagged: {:?}", validate_bytes(&good).findings);
    }
}

/// Rules no vendored schema can trigger, tested with a schema of their own instead.
const WITHOUT_TEMPLATE_CASE: &[&str] = [
    // Keywords the vendored schemas do not use (`multipleOf`, `not`…): see the unit test
    // `schema::tests::each_keyword_has_its_rule_pointer_value_and_expectation`.
    "schema/invalid",
]
.as_slice();

#[test]
fn every_rule_has_a_case() {
    let covered: Vec<&str> =
        cases().iter().map(|(rule, ..)| *rule).chain(WITHOUT_TEMPLATE_CASE.iter().copied()).collect();
    let missing: Vec<&str> = RULES.iter().map(|r| r.id).filter(|id| !covered.contains(id)).collect();
    assert!(missing.is_empty(), "rules without a case: {missing:?}");
}

#[test]
fn an_acknowledged_finding_is_kept_aside_not_counted() {
    let text =
        log_group(false, json!({"acknowledge": [{"rule": "logs/retention", "reason": "legal hold"}]})).to_string();
    let report = validate_bytes(text.as_bytes());
    assert!(report.is_clean(), "{report}");
    assert_eq!(report.acknowledged.len(), 1);
    assert_eq!(report.acknowledged[0].rule, "logs/retention");
}

#[test]
fn security_hygiene_and_delivery_rules_are_policy_and_size_for_s3_is_a_warning() {
    let level = |severity| RULES.iter().filter(|r| r.severity == severity).map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(
        level(Severity::Warning),
        ["acknowledge/unused", "quota/template-size-s3", "schema/cidr", "template/duplicate-key"]
    );
    assert_eq!(
        level(Severity::Policy),
        [
            "acknowledge/malformed",
            "acknowledge/missing-reason",
            "acknowledge/unknown-rule",
            "codebuild/privileged-without-image-build",
            "codepipeline/image-definitions-container",
            "ecs/execution-role-is-task-role",
            "ecs/read-only-root-filesystem",
            "ecs/rolling-no-progress",
            "iam/wildcard-action",
            "logs/retention",
        ]
    );
}

#[test]
fn policy_findings_are_counted_apart_from_errors() {
    let report = validate_bytes(log_group(false, Value::Null).to_string().as_bytes());
    assert!(!report.has_errors());
    assert!(report.has_policy_findings());
    assert_eq!(report.policy_findings().map(|f| f.rule).collect::<Vec<_>>(), ["logs/retention"]);
    assert_eq!(report.findings[0].to_string().split('[').next(), Some("policy"));
}

#[test]
fn names_a_transform_may_add_are_not_reported() {
    let text = json!({"Transform": "AWS::Serverless-2016-10-31", "Resources": {"T": {"Type": "AWS::SNS::Topic",
        "Properties": {"KmsMasterKeyId": {"Ref": "FunctionRole"}}}}})
    .to_string();
    assert!(validate_bytes(text.as_bytes()).is_clean());
}

#[test]
fn every_deletion_policy_cloudformation_takes_is_accepted() {
    for policy in ["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"] {
        let text = resources(json!({"Db": {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": policy}})).to_string();
        assert!(!rules_in(text.as_bytes()).contains(&"template/parse"), "{policy}");
    }
    // Computed (CloudFormation resolves it; with or without AWS::LanguageExtensions): the names it
    // uses are checked like any other.
    let computed = |policy: Value| {
        let template = json!({"Parameters": {"Policy": {"Type": "String"}}, "Resources": {"T": {"Type": "AWS::SNS::Topic",
            "DeletionPolicy": policy.clone(), "UpdateReplacePolicy": policy}}});
        rules_in(template.to_string().as_bytes())
    };
    assert_eq!(computed(json!({"Ref": "Policy"})), Vec::<&str>::new());
    assert_eq!(computed(json!({"Ref": "Policyy"})), ["ref/unknown-target", "ref/unknown-target"]);
    for (attribute, policy) in
        [("DeletionPolicy", "RetainExceptOnDelete"), ("UpdateReplacePolicy", "RetainExceptOnCreate")]
    {
        let text = resources(json!({"T": {"Type": "AWS::SNS::Topic", attribute: policy}})).to_string();
        assert_eq!(rules_in(text.as_bytes()), ["template/parse"], "{attribute}: {policy}");
    }
}

#[test]
fn an_acknowledgement_of_a_rule_that_cannot_be_acknowledged_says_why() {
    let message = |rule: &str| {
        let text = log_group(true, json!({"acknowledge": [{"rule": rule, "reason": "x"}]})).to_string();
        let report = validate_bytes(text.as_bytes());
        let finding = report.findings.iter().find(|f| f.rule == "acknowledge/unknown-rule").expect("flagged");
        assert_eq!(finding.severity, Severity::Policy);
        finding.message.clone()
    };
    assert!(message("ref/unknown-target").contains("is an error rule"));
    assert!(message("quota/template-size-s3").contains("is a warning rule"));
    assert!(message("acknowledge/unused").contains("is a warning rule"));
    assert!(message("acknowledge/malformed").contains("about acknowledgements themselves"));
    assert!(message("logs/forever").contains("is not a rule id"));
}
