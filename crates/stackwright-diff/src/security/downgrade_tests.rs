//! One flagged and one unflagged change per row of [`RULES`](super::RULES).

use serde_json::json;

use super::*;

/// (type, old properties, new properties, expected messages).
type Case = (&'static str, Json, Json, &'static [&'static str]);

fn cases() -> Vec<Case> {
    let on = |path: &str| {
        let mut value = json!(true);
        for key in path.rsplit('/') {
            value = json!({ key: value });
        }
        value
    };
    vec![
        // Registry scanning.
        (
            "AWS::ECR::RegistryScanningConfiguration",
            json!({"ScanType": "ENHANCED", "Rules": []}),
            json!({"ScanType": "BASIC", "Rules": []}),
            &["registry scan type weakened: ENHANCED -> BASIC"],
        ),
        ("AWS::ECR::RegistryScanningConfiguration", json!({"ScanType": "BASIC"}), json!({"ScanType": "ENHANCED"}), &[]),
        (
            "AWS::ECR::RegistryScanningConfiguration",
            json!({"ScanType": "BASIC", "Rules": [{"ScanFrequency": "SCAN_ON_PUSH", "RepositoryFilters": [{"Filter": "*", "FilterType": "WILDCARD"}]}]}),
            json!({"ScanType": "BASIC", "Rules": []}),
            &["registry scanning rules removed"],
        ),
        // Repository.
        (
            "AWS::ECR::Repository",
            json!({"EncryptionConfiguration": {"EncryptionType": "KMS"}}),
            json!({}),
            &["repository encryption weakened: KMS -> AES256"],
        ),
        ("AWS::ECR::Repository", json!({"EncryptionConfiguration": {"EncryptionType": "AES256"}}), json!({}), &[]),
        (
            "AWS::ECR::Repository",
            json!({"ImageScanningConfiguration": {"ScanOnPush": true}}),
            json!({"ImageScanningConfiguration": {"ScanOnPush": false}}),
            &["scan on push turned off"],
        ),
        (
            "AWS::ECR::Repository",
            json!({"ImageScanningConfiguration": {"ScanOnPush": "true"}}),
            json!({}),
            &["scan on push turned off"],
        ),
        (
            "AWS::ECR::Repository",
            json!({"ImageScanningConfiguration": {"ScanOnPush": true}}),
            json!({"ImageScanningConfiguration": {"ScanOnPush": {"Ref": "Scan"}}}),
            &[],
        ),
        // Service deployment guards.
        (
            "AWS::ECS::Service",
            on("DeploymentConfiguration/Alarms/Enable"),
            json!({}),
            &["deployment alarms turned off"],
        ),
        (
            "AWS::ECS::Service",
            on("DeploymentConfiguration/Alarms/Rollback"),
            json!({"DeploymentConfiguration": {"Alarms": {"Rollback": false}}}),
            &["alarm rollback turned off"],
        ),
        (
            "AWS::ECS::Service",
            on("DeploymentConfiguration/DeploymentCircuitBreaker/Enable"),
            json!({"DeploymentConfiguration": {"DeploymentCircuitBreaker": {"Enable": false}}}),
            &["deployment circuit breaker turned off"],
        ),
        (
            "AWS::ECS::Service",
            on("DeploymentConfiguration/DeploymentCircuitBreaker/Rollback"),
            json!({"DeploymentConfiguration": {"DeploymentCircuitBreaker": {"Rollback": "false"}}}),
            &["circuit breaker rollback turned off"],
        ),
        (
            "AWS::ECS::Service",
            json!({"DeploymentConfiguration": {"DeploymentCircuitBreaker": {"Enable": false}}}),
            on("DeploymentConfiguration/DeploymentCircuitBreaker/Enable"),
            &[],
        ),
        (
            "AWS::ECS::Service",
            json!({"DeploymentConfiguration": {"MinimumHealthyPercent": 100}}),
            json!({"DeploymentConfiguration": {"MinimumHealthyPercent": 50}}),
            &["minimum healthy percent lowered: 100% -> 50%"],
        ),
        (
            "AWS::ECS::Service",
            json!({}),
            json!({"DeploymentConfiguration": {"MinimumHealthyPercent": 0}}),
            &["minimum healthy percent lowered: 100% -> 0%"],
        ),
        // A daemon's default is 0: setting 50 raises it.
        (
            "AWS::ECS::Service",
            json!({"SchedulingStrategy": "DAEMON"}),
            json!({"SchedulingStrategy": "DAEMON", "DeploymentConfiguration": {"MinimumHealthyPercent": 50}}),
            &[],
        ),
        ("AWS::ECS::Service", json!({"DeploymentConfiguration": {"MinimumHealthyPercent": 50}}), json!({}), &[]),
        // File system, key.
        ("AWS::EFS::FileSystem", json!({"Encrypted": true}), json!({}), &["file system encryption turned off"]),
        ("AWS::EFS::FileSystem", json!({"Encrypted": false}), json!({}), &[]),
        (
            "AWS::KMS::Key",
            json!({"EnableKeyRotation": true}),
            json!({"EnableKeyRotation": false}),
            &["key rotation turned off"],
        ),
        ("AWS::KMS::Key", json!({}), json!({"EnableKeyRotation": true}), &[]),
        // Listener.
        (
            "AWS::ElasticLoadBalancingV2::Listener",
            json!({"Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}),
            json!({"Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS-1-1-2017-01"}),
            &[
                "TLS policy weakened: ELBSecurityPolicy-TLS13-1-2-2021-06 (TLS 1.2+) -> ELBSecurityPolicy-TLS-1-1-2017-01 (TLS 1.1+)",
            ],
        ),
        (
            "AWS::ElasticLoadBalancingV2::Listener",
            json!({"Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}),
            json!({"Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-3-2021-06"}),
            &[],
        ),
        (
            "AWS::ElasticLoadBalancingV2::Listener",
            json!({"Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}),
            json!({"Protocol": "HTTP"}),
            &["listener protocol HTTPS -> HTTP: the listener no longer encrypts traffic"],
        ),
        (
            "AWS::ElasticLoadBalancingV2::Listener",
            json!({"Protocol": "TLS"}),
            json!({"Protocol": "TCP"}),
            &["listener protocol TLS -> TCP: the listener no longer encrypts traffic"],
        ),
        ("AWS::ElasticLoadBalancingV2::Listener", json!({"Protocol": "HTTP"}), json!({"Protocol": "HTTPS"}), &[]),
        // Load balancer.
        (
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            json!({"LoadBalancerAttributes": [{"Key": "idle_timeout.timeout_seconds", "Value": "60"}, {"Key": "deletion_protection.enabled", "Value": "true"}]}),
            json!({"LoadBalancerAttributes": [{"Key": "idle_timeout.timeout_seconds", "Value": "60"}]}),
            &["deletion protection turned off (deletion_protection.enabled)"],
        ),
        (
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            json!({"LoadBalancerAttributes": [{"Key": "deletion_protection.enabled", "Value": "true"}]}),
            json!({"LoadBalancerAttributes": [{"Key": "deletion_protection.enabled", "Value": "false"}]}),
            &["deletion protection turned off (deletion_protection.enabled)"],
        ),
        (
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            json!({"LoadBalancerAttributes": [{"Key": "deletion_protection.enabled", "Value": "true"}]}),
            json!({"LoadBalancerAttributes": [{"Key": "access_logs.s3.enabled", "Value": "true"}, {"Key": "deletion_protection.enabled", "Value": "true"}]}),
            &[],
        ),
        // Log group.
        (
            "AWS::Logs::LogGroup",
            json!({"KmsKeyId": {"Fn::GetAtt": ["Key", "Arn"]}}),
            json!({}),
            &["log group KMS key removed: CloudWatch Logs' default server-side encryption applies"],
        ),
        (
            "AWS::Logs::LogGroup",
            json!({"RetentionInDays": 365}),
            json!({"RetentionInDays": 30}),
            &["log retention lowered: 365 days -> 30 days"],
        ),
        (
            "AWS::Logs::LogGroup",
            json!({}),
            json!({"RetentionInDays": "90"}),
            &["log retention lowered: never expire -> 90 days"],
        ),
        // Removing the retention keeps the events forever: not a downgrade of retention.
        ("AWS::Logs::LogGroup", json!({"RetentionInDays": 30}), json!({}), &[]),
        ("AWS::Logs::LogGroup", json!({"RetentionInDays": 30}), json!({"RetentionInDays": {"Ref": "Days"}}), &[]),
        // Databases.
        ("AWS::RDS::DBCluster", json!({"DeletionProtection": true}), json!({}), &["deletion protection turned off"]),
        (
            "AWS::RDS::DBInstance",
            json!({"DeletionProtection": "true"}),
            json!({"DeletionProtection": false}),
            &["deletion protection turned off"],
        ),
        ("AWS::RDS::DBInstance", json!({"DeletionProtection": false}), json!({"DeletionProtection": true}), &[]),
        // Bucket.
        (
            "AWS::S3::Bucket",
            json!({"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}}),
            json!({}),
            &["default encryption weakened: aws:kms -> AES256"],
        ),
        (
            "AWS::S3::Bucket",
            json!({"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}),
            json!({"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms:dsse"}}]}}),
            &[],
        ),
        (
            "AWS::S3::Bucket",
            json!({"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true,
            "IgnorePublicAcls": true, "RestrictPublicBuckets": true}}),
            json!({"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": false}}),
            &["BlockPublicPolicy turned off", "IgnorePublicAcls turned off", "RestrictPublicBuckets turned off"],
        ),
        (
            "AWS::S3::Bucket",
            json!({"PublicAccessBlockConfiguration": {"BlockPublicAcls": true}}),
            json!({}),
            &["BlockPublicAcls turned off"],
        ),
        // Topic.
        (
            "AWS::SNS::Topic",
            json!({"KmsMasterKeyId": "alias/aws/sns"}),
            json!({}),
            &["topic encryption removed: the topic's server-side encryption is off"],
        ),
        ("AWS::SNS::Topic", json!({}), json!({"KmsMasterKeyId": "alias/aws/sns"}), &[]),
    ]
}

fn messages(type_name: &str, old: &Json, new: &Json) -> Vec<String> {
    let mut out = Vec::new();
    let resource = |properties: &Json| json!({"Type": type_name, "Properties": properties});
    resource_changes("R", &resource(old), &resource(new), &mut out);
    out.into_iter().map(|d| d.message).collect()
}

#[test]
fn each_row_flags_its_downgrade_and_nothing_else() {
    for (type_name, old, new, expected) in cases() {
        assert_eq!(messages(type_name, &old, &new), expected, "{type_name}: {old} -> {new}");
    }
}

#[test]
fn every_row_has_a_flagged_case() {
    let cases = cases();
    for rule in RULES {
        let flagged = cases.iter().filter(|c| c.0 == rule.resource_type && !c.3.is_empty()).any(|(t, old, new, _)| {
            let mut out = Vec::new();
            let resource = |p: &Json| json!({"Type": t, "Properties": p});
            resource_changes("R", &resource(old), &resource(new), &mut out);
            out.iter().any(|d| d.message.starts_with(rule.what))
        });
        assert!(flagged, "no flagged case for {} {:?}", rule.resource_type, rule.path);
    }
}

#[test]
fn downgrades_name_the_path_and_keep_both_values() {
    let mut out = Vec::new();
    let old = json!({"Type": "AWS::S3::Bucket", "Properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}}});
    let new = json!({"Type": "AWS::S3::Bucket", "Properties": {}});
    resource_changes("Bucket", &old, &new, &mut out);
    let found: Vec<(&str, Category, Option<&Json>, Option<&Json>)> =
        out.iter().map(|d| (d.path.as_str(), d.category, d.old.as_ref(), d.new.as_ref())).collect();
    assert_eq!(
        found,
        [(
            "/Properties/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm",
            Category::Encryption,
            Some(&json!("aws:kms")),
            None
        )]
    );
    // A type change is a replacement, not a downgrade of the same resource.
    let mut none = Vec::new();
    resource_changes("Bucket", &old, &json!({"Type": "AWS::SNS::Topic"}), &mut none);
    assert!(none.is_empty());
}
