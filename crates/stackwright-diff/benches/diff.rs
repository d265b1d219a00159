//! Diffing two 500-resource templates in process: 50 services of 10 resources each (ECR
//! repository, KMS key, log group, IAM role with an inline policy, task definition, ECS
//! service, security group, target group, S3 bucket, SNS topic), linked by `Ref`,
//! `Fn::GetAtt` and `Fn::Sub`. The new template renames 3 repositories (replacing them,
//! giving their task definitions a new revision through `Fn::Sub`, and updating their
//! services), adds an IAM action to 5 roles, opens 2 security groups to the internet, retags
//! 10 buckets and shortens the retention of 5 log groups (security downgrades). A third
//! benchmark renders the Markdown of the whole new template against an empty one, cut to
//! GitHub's comment limit. `cargo bench -p stackwright-diff`; figures in docs/DIFF.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Map, Value, json};
use stackwright_template::Template;

/// The resources of service `i`; `changed` applies the new template's edits.
fn service(i: usize, changed: bool, out: &mut Map<String, Value>) {
    let renamed = changed && i.is_multiple_of(17); // 0, 17, 34
    let broader = changed && i % 10 == 3; // 5 roles
    let opened = changed && (i == 5 || i == 25);
    let retagged = changed && i % 5 == 1; // 10 buckets
    let retention = if changed && i % 10 == 7 { 7 } else { 30 }; // 5 log groups
    let repo_name = if renamed { format!("svc-{i}-v2") } else { format!("svc-{i}") };
    let mut actions = vec!["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "logs:PutLogEvents"];
    if broader {
        actions.push("ecr:PutImage");
    }
    let cidr = if opened { "0.0.0.0/0" } else { "10.0.0.0/16" };
    let env = if retagged { "production" } else { "prod" };
    let resources = [
        (
            "Repo",
            json!({"Type": "AWS::ECR::Repository", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": {"RepositoryName": repo_name, "ImageScanningConfiguration": {"ScanOnPush": true},
                "EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": {"Fn::GetAtt": [format!("Key{i}"), "Arn"]}}}}),
        ),
        (
            "Key",
            json!({"Type": "AWS::KMS::Key", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": {"EnableKeyRotation": true, "KeyPolicy": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
                 "Action": "kms:*", "Resource": "*"},
                {"Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com"}, "Action": ["kms:Decrypt", "kms:Encrypt"],
                 "Resource": "*", "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                    {"Fn::Sub": format!("arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:/ecs/svc-{i}")}}}}]}}}),
        ),
        (
            "Logs",
            json!({"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": {"LogGroupName": format!("/ecs/svc-{i}"), "RetentionInDays": retention,
                "KmsKeyId": {"Fn::GetAtt": [format!("Key{i}"), "Arn"]}}}),
        ),
        (
            "Role",
            json!({"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "Policies": [{"PolicyName": "task", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": actions,
                 "Resource": [{"Fn::GetAtt": [format!("Repo{i}"), "Arn"]}, {"Fn::GetAtt": [format!("Logs{i}"), "Arn"]}]}]}}]}}),
        ),
        (
            "Task",
            json!({"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": format!("svc-{i}"),
            "Cpu": "256", "Memory": "512", "NetworkMode": "awsvpc", "RequiresCompatibilities": ["FARGATE"],
            "TaskRoleArn": {"Fn::GetAtt": [format!("Role{i}"), "Arn"]},
            "ContainerDefinitions": [{"Name": "app", "Image": {"Fn::Sub": format!("${{Repo{i}.RepositoryUri}}:latest")},
                "PortMappings": [{"ContainerPort": 8080}],
                "LogConfiguration": {"LogDriver": "awslogs", "Options": {"awslogs-group": {"Ref": format!("Logs{i}")},
                    "awslogs-region": {"Ref": "AWS::Region"}, "awslogs-stream-prefix": "app"}}}]}}),
        ),
        (
            "Service",
            json!({"Type": "AWS::ECS::Service", "Properties": {"Cluster": "main", "DesiredCount": 2,
            "LaunchType": "FARGATE", "TaskDefinition": {"Ref": format!("Task{i}")},
            "NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp": "DISABLED",
                "SecurityGroups": [{"Fn::GetAtt": [format!("Sg{i}"), "GroupId"]}], "Subnets": ["subnet-1", "subnet-2"]}},
            "LoadBalancers": [{"ContainerName": "app", "ContainerPort": 8080, "TargetGroupArn": {"Ref": format!("Tg{i}")}}]}}),
        ),
        (
            "Sg",
            json!({"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": format!("svc {i}"),
            "VpcId": "vpc-1", "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "CidrIp": cidr}]}}),
        ),
        (
            "Tg",
            json!({"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Port": 8080, "Protocol": "HTTP",
            "TargetType": "ip", "VpcId": "vpc-1", "HealthCheckPath": "/health"}}),
        ),
        (
            "Bucket",
            json!({"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": {"VersioningConfiguration": {"Status": "Enabled"}, "Tags": [{"Key": "env", "Value": env}]}}),
        ),
        ("Topic", json!({"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {"Ref": format!("Key{i}")}}})),
    ];
    for (name, resource) in resources {
        out.insert(format!("{name}{i}"), resource);
    }
}

fn template(changed: bool) -> Template {
    let mut resources = Map::new();
    for i in 0..50 {
        service(i, changed, &mut resources);
    }
    assert_eq!(resources.len(), 500);
    Template::from_json(&json!({"Resources": resources})).expect("a valid template")
}

fn bench(c: &mut Criterion) {
    let (old, new) = (template(false), template(true));
    let result = stackwright_diff::diff(&old, &new);
    let counts = result.counts();
    // Updates: 3 services and 3 roles referring to what is replaced or revised, 5 roles, 2
    // groups, 10 buckets, 5 log groups.
    assert_eq!((counts.replace, counts.revision, counts.update), (3, 3, 28), "{counts:?}");
    assert_eq!((counts.security_broadening, counts.security_downgrades), (7, 5));
    c.bench_function("diff: 500 resources, 3 replaced, 3 revised, 5 downgrades", |b| {
        b.iter(|| black_box(stackwright_diff::diff(black_box(&old), black_box(&new))));
    });
    c.bench_function("diff: 500 resources, text + json + markdown", |b| {
        b.iter(|| {
            let stack = stackwright_diff::StackDiff::new("app", &old, &new);
            let stacks = std::slice::from_ref(&stack);
            black_box((
                stack.diff.render_text(stackwright_diff::TextOptions::default()),
                stackwright_diff::render_json(stacks).to_string(),
                stackwright_diff::render_markdown(stacks, false),
            ))
        });
    });
    let created = stackwright_diff::diff_stacks(&[], &[("app".to_owned(), new.clone())]);
    let markdown = stackwright_diff::render_markdown(&created, false);
    assert!(markdown.chars().count() <= stackwright_diff::GITHUB_COMMENT_LIMIT && markdown.contains("**Left out**"));
    c.bench_function("markdown: empty -> 500 resources, cut to the comment limit", |b| {
        b.iter(|| {
            let stacks = stackwright_diff::diff_stacks(&[], &[("app".to_owned(), black_box(&new).clone())]);
            black_box(stackwright_diff::render_markdown(&stacks, false))
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
