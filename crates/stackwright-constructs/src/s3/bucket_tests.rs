//! Tests of [`Bucket`]: defaults, the log bucket, load balancer logs, validation, grants.

use super::*;
use crate::kms::KeyProps;
use serde_json::json;
use stackwright_template::DeletionPolicy;

fn finished(build: impl FnOnce(&mut Stack)) -> stackwright_template::Template {
    let mut stack = Stack::new("t").unwrap();
    build(&mut stack);
    stack.finish().unwrap().into_template()
}

fn resource<'t>(t: &'t stackwright_template::Template, id: &str) -> &'t stackwright_template::Resource {
    &t.resources()[&LogicalId::new(id).unwrap()]
}

#[test]
fn defaults_are_private_versioned_encrypted_retained_and_tls_only() {
    let t = finished(|stack| {
        let key = Key::new(stack, "Key", KeyProps::new()).unwrap();
        let logs = Bucket::log_bucket(stack, "Logs").unwrap();
        Bucket::new(stack, "Artifacts", BucketProps::new(BucketEncryption::Kms(key)).access_logs(&logs, "artifacts/"))
            .unwrap();
    });
    let bucket = resource(&t, "Artifacts");
    let p = &bucket.properties;
    assert_eq!(p["VersioningConfiguration"]["Status"], "Enabled");
    assert_eq!(p["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"], true);
    assert_eq!(p["OwnershipControls"]["Rules"][0]["ObjectOwnership"], "BucketOwnerEnforced");
    assert_eq!(
        p["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]["SSEAlgorithm"],
        "aws:kms"
    );
    assert_eq!(p["LoggingConfiguration"]["LogFilePrefix"], "artifacts/");
    assert_eq!(p["LifecycleConfiguration"]["Rules"][0]["NoncurrentVersionExpiration"]["NoncurrentDays"], 90);
    assert_eq!(bucket.deletion_policy, Some(DeletionPolicy::Retain.into()));
    let tls = &resource(&t, "ArtifactsPolicy").properties["PolicyDocument"]["Statement"][0];
    assert_eq!(tls["Effect"], "Deny");
    assert_eq!(tls["Action"], "s3:*");
    assert_eq!(tls["Condition"], json!({"Bool": {"aws:SecureTransport": false}}));
}

#[test]
fn log_bucket_uses_sse_s3_says_why_and_admits_s3_logging() {
    let t = finished(|stack| {
        Bucket::log_bucket(stack, "Logs").unwrap();
    });
    let bucket = resource(&t, "Logs");
    let skips: Vec<&str> =
        bucket.metadata["checkov"]["skip"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(skips, ["CKV_AWS_18"]);
    let statements = &resource(&t, "LogsPolicy").properties["PolicyDocument"]["Statement"];
    assert_eq!(statements[1]["Principal"], json!({"Service": "logging.s3.amazonaws.com"}));
}

#[test]
fn load_balancer_logs_are_scoped_to_the_prefix_and_account() {
    let t = finished(|stack| {
        let logs = Bucket::log_bucket(stack, "Logs").unwrap();
        logs.allow_load_balancer_logs(stack, "alb/").unwrap();
    });
    let statements = &resource(&t, "LogsPolicy").properties["PolicyDocument"]["Statement"];
    assert_eq!(statements[2]["Principal"], json!({"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}));
    assert_eq!(
        statements[2]["Resource"],
        json!({"Fn::Sub": ["${Arn}/alb/AWSLogs/${AWS::AccountId}/*", {"Arn": {"Fn::GetAtt": ["Logs", "Arn"]}}]})
    );
    assert_eq!(t.mappings().len(), 1);
    assert_eq!(t.conditions().len(), 1);
}

#[test]
fn invalid_props_are_all_reported() {
    let mut stack = Stack::new("t").unwrap();
    let logs = Bucket::log_bucket(&mut stack, "Logs").unwrap();
    let props = BucketProps::new(BucketEncryption::S3Managed)
        .expire_noncurrent_after_days(0)
        .expire_objects_after_days(0)
        .access_logs(&logs, "no-slash");
    Bucket::new(&mut stack, "Data", props).unwrap();
    let err = stack.finish().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Data: expire_objects_after_days must be at least 1, got 0 [s3-bucket/expiry]\n\
         Data: an access log prefix must end with `/`, got \"no-slash\" [s3-bucket/log-prefix]\n\
         Data: expire_noncurrent_after_days must be at least 1, got 0 [s3-bucket/noncurrent-expiry]"
    );
}

#[test]
fn grants_scope_to_the_bucket_and_key() {
    let t = finished(|stack| {
        let key = Key::new(stack, "Key", KeyProps::new()).unwrap();
        let bucket = Bucket::new(stack, "Data", BucketProps::new(BucketEncryption::Kms(key.clone()))).unwrap();
        let role = crate::iam::Role::new(
            stack,
            "Reader",
            crate::iam::RoleProps::new(Principal::service("codebuild.amazonaws.com")),
        )
        .unwrap();
        bucket.grant_read(stack, &role, Some(&key)).unwrap();
    });
    let policy = &resource(&t, "Reader").properties["Policies"][0]["PolicyDocument"]["Statement"];
    assert_eq!(policy[0]["Resource"][0], json!({"Fn::GetAtt": ["Data", "Arn"]}));
    assert_eq!(policy[1]["Resource"], json!({"Fn::GetAtt": ["Key", "Arn"]}));
    assert!(!t.render().contains("\"s3:GetObject*\""));
}
