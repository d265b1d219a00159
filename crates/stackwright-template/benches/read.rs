//! Reading a template file: `serde_json` (or the YAML reader) alone against
//! `stackwright_template::read`, which also records every value's line and column and the keys
//! written twice — the cost `stackwright validate` and `diff` pay for `file:line:column`.
//! The template: 500 resources (an SNS topic, a log group and an IAM role with an inline
//! policy, repeated), about 0.4 MB of JSON, and the same as block YAML with short forms.
//! `cargo bench -p stackwright-template --bench read`; figures in docs/PERFORMANCE.md.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use stackwright_template::read::{self, Format};

fn json_template(services: usize) -> String {
    let mut resources = serde_json::Map::new();
    for i in 0..services {
        resources.insert(format!("Topic{i}"), serde_json::json!({"Type": "AWS::SNS::Topic",
            "Properties": {"TopicName": {"Fn::Sub": format!("${{AWS::StackName}}-{i}")}, "KmsMasterKeyId": {"Ref": "Key"}}}));
        resources.insert(
            format!("Logs{i}"),
            serde_json::json!({"Type": "AWS::Logs::LogGroup",
            "DeletionPolicy": "Retain", "Properties": {"RetentionInDays": 365, "LogGroupName": format!("/app/{i}")}}),
        );
        resources.insert(
            format!("Role{i}"),
            serde_json::json!({"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "Policies": [{"PolicyName": "logs", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": {"Fn::GetAtt": [format!("Logs{i}"), "Arn"]}}]}}]}}),
        );
    }
    serde_json::to_string_pretty(&serde_json::json!({"Resources": resources})).unwrap()
}

fn yaml_template(services: usize) -> String {
    let mut yaml = String::from("Resources:\n");
    for i in 0..services {
        let _ = write!(
            yaml,
            "  Topic{i}:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub '${{AWS::StackName}}-{i}'\n      \
             KmsMasterKeyId: !Ref Key\n  Logs{i}:\n    Type: AWS::Logs::LogGroup\n    DeletionPolicy: Retain\n    \
             Properties:\n      RetentionInDays: 365\n      LogGroupName: /app/{i}\n  Role{i}:\n    Type: AWS::IAM::Role\n    \
             Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          \
             - Effect: Allow\n            Principal: {{Service: ecs-tasks.amazonaws.com}}\n            Action: sts:AssumeRole\n      \
             Policies:\n        - PolicyName: logs\n          PolicyDocument:\n            Version: '2012-10-17'\n            \
             Statement:\n              - Effect: Allow\n                Action: [logs:CreateLogStream, logs:PutLogEvents]\n                \
             Resource: !GetAtt Logs{i}.Arn\n"
        );
    }
    yaml
}

fn bench(c: &mut Criterion) {
    // 167 services of three resources: 501 resources.
    let json = json_template(167);
    let yaml = yaml_template(167);
    assert_eq!(read::read(&json, Format::Json).unwrap().value, read::read(&yaml, Format::Yaml).unwrap().value);
    c.bench_function("json: serde_json alone", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&json)).unwrap());
    });
    c.bench_function("json: read, with positions", |b| b.iter(|| read::read(black_box(&json), Format::Json).unwrap()));
    c.bench_function("yaml: to_json, no positions", |b| b.iter(|| read::yaml::to_json(black_box(&yaml)).unwrap()));
    c.bench_function("yaml: read, with positions", |b| b.iter(|| read::read(black_box(&yaml), Format::Yaml).unwrap()));
}

criterion_group!(benches, bench);
criterion_main!(benches);
