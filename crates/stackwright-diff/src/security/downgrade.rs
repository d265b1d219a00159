//! Security downgrades: a setting that protects data, a deployment or the network weakened
//! between two versions of the same resource — log retention shortened, scanning or
//! encryption turned off, deletion protection off, public access opened, a TLS policy
//! weakened, a circuit breaker or alarm rollback off, min healthy percent lowered.
//!
//! One declarative table ([`RULES`]) names each setting by its registry-schema property
//! path. A value behind a function call (`Ref`, `Fn::If`…) is not judged: only literals are
//! compared. New and removed resources are not downgrades (`validate` judges new ones).

use std::fmt;

use stackwright_template::Json;

use super::downgrade_check::{Check, judge};

/// What kind of protection weakened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Log retention shortened.
    Retention,
    /// Image scanning turned off.
    Scanning,
    /// Encryption at rest removed or weakened.
    Encryption,
    /// Deletion protection turned off.
    DeletionProtection,
    /// Public access opened.
    PublicAccess,
    /// Encryption in transit weakened (TLS policy, HTTPS to HTTP).
    Tls,
    /// A deployment guard turned off or loosened (circuit breaker, alarm rollback, min
    /// healthy percent).
    DeploymentSafety,
}

impl Category {
    /// The snake-case name: `retention`, `deletion_protection`…
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Retention => "retention",
            Self::Scanning => "scanning",
            Self::Encryption => "encryption",
            Self::DeletionProtection => "deletion_protection",
            Self::PublicAccess => "public_access",
            Self::Tls => "tls",
            Self::DeploymentSafety => "deployment_safety",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str().replace('_', " "))
    }
}

/// One weakened setting.
#[derive(Debug, Clone, PartialEq)]
pub struct Downgrade {
    /// The logical ID.
    pub resource: String,
    /// Its type.
    pub resource_type: String,
    /// What kind of protection weakened.
    pub category: Category,
    /// A JSON pointer from the resource's root (`/Properties/RetentionInDays`).
    pub path: String,
    /// The value before (`None` when it was not set).
    pub old: Option<Json>,
    /// The value after (`None` when it is removed).
    pub new: Option<Json>,
    /// What weakened, for people: `log retention shortened: 365 -> 30 days`.
    pub message: String,
}

/// One row of the table.
struct Rule {
    resource_type: &'static str,
    /// Segments from the resource root; `*` is each list item (paired by index).
    path: &'static [&'static str],
    category: Category,
    /// The setting, for messages.
    what: &'static str,
    check: Check,
}

const fn rule(
    resource_type: &'static str,
    path: &'static [&'static str],
    category: Category,
    what: &'static str,
    check: Check,
) -> Rule {
    Rule { resource_type, path, category, what, check }
}

use Category::{DeletionProtection, DeploymentSafety, Encryption, PublicAccess, Retention, Scanning, Tls};

/// Every setting judged, by type. Property names are the registry schemas' (`schemas/`,
/// and cfn-lint's for the RDS and ECR registry types, which are not vendored).
const RULES: &[Rule] = &[
    rule(
        "AWS::ECR::RegistryScanningConfiguration",
        &["Properties", "ScanType"],
        Scanning,
        "registry scan type",
        Check::Weakened { rank: scan_type_rank, absent: "BASIC" },
    ),
    rule(
        "AWS::ECR::RegistryScanningConfiguration",
        &["Properties", "Rules"],
        Scanning,
        "registry scanning rules",
        Check::Emptied,
    ),
    rule(
        "AWS::ECR::Repository",
        &["Properties", "EncryptionConfiguration", "EncryptionType"],
        Encryption,
        "repository encryption",
        Check::Weakened { rank: kms_rank, absent: "AES256" },
    ),
    rule(
        "AWS::ECR::Repository",
        &["Properties", "ImageScanningConfiguration", "ScanOnPush"],
        Scanning,
        "scan on push",
        Check::TurnedOff,
    ),
    rule(
        "AWS::ECS::Service",
        &["Properties", "DeploymentConfiguration", "Alarms", "Enable"],
        DeploymentSafety,
        "deployment alarms",
        Check::TurnedOff,
    ),
    rule(
        "AWS::ECS::Service",
        &["Properties", "DeploymentConfiguration", "Alarms", "Rollback"],
        DeploymentSafety,
        "alarm rollback",
        Check::TurnedOff,
    ),
    rule(
        "AWS::ECS::Service",
        &["Properties", "DeploymentConfiguration", "DeploymentCircuitBreaker", "Enable"],
        DeploymentSafety,
        "deployment circuit breaker",
        Check::TurnedOff,
    ),
    rule(
        "AWS::ECS::Service",
        &["Properties", "DeploymentConfiguration", "DeploymentCircuitBreaker", "Rollback"],
        DeploymentSafety,
        "circuit breaker rollback",
        Check::TurnedOff,
    ),
    rule(
        "AWS::ECS::Service",
        &["Properties", "DeploymentConfiguration", "MinimumHealthyPercent"],
        DeploymentSafety,
        "minimum healthy percent",
        Check::Lowered { absent: default_minimum_healthy_percent, unit: "%" },
    ),
    rule("AWS::EFS::FileSystem", &["Properties", "Encrypted"], Encryption, "file system encryption", Check::TurnedOff),
    rule(
        "AWS::ElasticLoadBalancingV2::Listener",
        &["Properties", "Protocol"],
        Tls,
        "listener protocol",
        Check::Plaintext,
    ),
    rule("AWS::ElasticLoadBalancingV2::Listener", &["Properties", "SslPolicy"], Tls, "TLS policy", Check::TlsPolicy),
    rule(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        &["Properties", "LoadBalancerAttributes"],
        DeletionProtection,
        "deletion protection",
        Check::AttributeOff { key: "deletion_protection.enabled" },
    ),
    rule("AWS::KMS::Key", &["Properties", "EnableKeyRotation"], Encryption, "key rotation", Check::TurnedOff),
    rule(
        "AWS::Logs::LogGroup",
        &["Properties", "KmsKeyId"],
        Encryption,
        "log group KMS key",
        Check::Removed { instead: "CloudWatch Logs' default server-side encryption applies" },
    ),
    rule(
        "AWS::Logs::LogGroup",
        &["Properties", "RetentionInDays"],
        Retention,
        "log retention",
        Check::Lowered { absent: never_expires, unit: " days" },
    ),
    rule(
        "AWS::RDS::DBCluster",
        &["Properties", "DeletionProtection"],
        DeletionProtection,
        "deletion protection",
        Check::TurnedOff,
    ),
    rule(
        "AWS::RDS::DBInstance",
        &["Properties", "DeletionProtection"],
        DeletionProtection,
        "deletion protection",
        Check::TurnedOff,
    ),
    rule(
        "AWS::S3::Bucket",
        &[
            "Properties",
            "BucketEncryption",
            "ServerSideEncryptionConfiguration",
            "*",
            "ServerSideEncryptionByDefault",
            "SSEAlgorithm",
        ],
        Encryption,
        "default encryption",
        Check::Weakened { rank: s3_rank, absent: "AES256" },
    ),
    rule(
        "AWS::S3::Bucket",
        &["Properties", "PublicAccessBlockConfiguration", "BlockPublicAcls"],
        PublicAccess,
        "BlockPublicAcls",
        Check::TurnedOff,
    ),
    rule(
        "AWS::S3::Bucket",
        &["Properties", "PublicAccessBlockConfiguration", "BlockPublicPolicy"],
        PublicAccess,
        "BlockPublicPolicy",
        Check::TurnedOff,
    ),
    rule(
        "AWS::S3::Bucket",
        &["Properties", "PublicAccessBlockConfiguration", "IgnorePublicAcls"],
        PublicAccess,
        "IgnorePublicAcls",
        Check::TurnedOff,
    ),
    rule(
        "AWS::S3::Bucket",
        &["Properties", "PublicAccessBlockConfiguration", "RestrictPublicBuckets"],
        PublicAccess,
        "RestrictPublicBuckets",
        Check::TurnedOff,
    ),
    rule(
        "AWS::SNS::Topic",
        &["Properties", "KmsMasterKeyId"],
        Encryption,
        "topic encryption",
        Check::Removed { instead: "the topic's server-side encryption is off" },
    ),
];

/// Where a rank is the position in a list, weakest first.
fn position(order: &[&str], value: &str) -> Option<u8> {
    order.iter().position(|x| *x == value).and_then(|i| u8::try_from(i).ok())
}

/// ECR registry scan types: basic, then enhanced (Amazon Inspector).
fn scan_type_rank(value: &str) -> Option<u8> {
    position(&["BASIC", "ENHANCED"], value)
}

/// A log group without `RetentionInDays` keeps its events forever.
fn never_expires(_: &Json) -> f64 {
    f64::INFINITY
}

/// ECR encryption types, weakest first.
fn kms_rank(value: &str) -> Option<u8> {
    position(&["AES256", "KMS", "KMS_DSSE"], value)
}

/// S3 default-encryption algorithms, weakest first (S3-managed keys, a KMS key, two layers).
fn s3_rank(value: &str) -> Option<u8> {
    position(&["AES256", "aws:kms", "aws:kms:dsse"], value)
}

/// ECS's default: 100 for a replica service, 0 for a daemon (the schema's description).
fn default_minimum_healthy_percent(resource: &Json) -> f64 {
    let daemon = resource.pointer("/Properties/SchedulingStrategy").and_then(Json::as_str) == Some("DAEMON");
    if daemon { 0.0 } else { 100.0 }
}

/// The downgrades between two versions of resource `id` (same type), appended to `out`.
pub(crate) fn resource_changes(id: &str, old: &Json, new: &Json, out: &mut Vec<Downgrade>) {
    let Some(resource_type) = old.get("Type").and_then(Json::as_str) else { return };
    if new.get("Type").and_then(Json::as_str) != Some(resource_type) {
        return;
    }
    for rule in RULES.iter().filter(|r| r.resource_type == resource_type) {
        let mut sites = Vec::new();
        values(Some(old), Some(new), rule.path, String::new(), &mut sites);
        for (path, before, after) in sites {
            if let Some(message) = judge(&rule.check, rule.what, old, new, before, after) {
                out.push(Downgrade {
                    resource: id.to_owned(),
                    resource_type: resource_type.to_owned(),
                    category: rule.category,
                    path,
                    old: before.cloned(),
                    new: after.cloned(),
                    message,
                });
            }
        }
    }
}

/// The (path, old, new) values at `segments`, `*` pairing list items by index (an old
/// item without a new one is paired with nothing).
fn values<'a>(
    old: Option<&'a Json>,
    new: Option<&'a Json>,
    segments: &[&str],
    path: String,
    out: &mut Vec<(String, Option<&'a Json>, Option<&'a Json>)>,
) {
    let Some((first, rest)) = segments.split_first() else {
        out.push((path, old, new));
        return;
    };
    if *first == "*" {
        let count = old.and_then(Json::as_array).map_or(0, Vec::len);
        for index in 0..count {
            let item = |side: Option<&'a Json>| side.and_then(Json::as_array).and_then(|items| items.get(index));
            values(item(old), item(new), rest, format!("{path}/{index}"), out);
        }
        return;
    }
    let child = |side: Option<&'a Json>| side.and_then(Json::as_object).and_then(|map| map.get(*first));
    values(child(old), child(new), rest, format!("{path}/{first}"), out);
}

#[cfg(test)]
#[path = "downgrade_tests.rs"]
mod tests;
