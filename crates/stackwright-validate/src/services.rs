//! Service rules the registry schemas do not express, each one a request the service refuses
//! while CloudFormation creates the resource (an error, like the ECS rules):
//!
//! - `DynamoDB`: `AttributeDefinitions` are exactly the attributes the table's and its
//!   indexes' key schemas use (`CreateTable` refuses others: "Number of attributes in
//!   `KeySchema` does not exactly match number of attributes defined in
//!   `AttributeDefinitions`").
//! - S3: a canned ACL other than `Private` (or `BucketOwnerFullControl`) needs `OwnershipControls` that allow ACLs: new
//!   buckets default to `BucketOwnerEnforced`, which disables ACLs (S3 user guide, "Controlling
//!   ownership of objects"; the request fails with `InvalidBucketAclWithObjectOwnership`).
//! - Route 53: an alias record has no `TTL` (it takes the target's; "Alias resource record
//!   sets ... TTL" in the `ChangeResourceRecordSets` reference).
//! - `ElastiCache`: a replication group with `AutomaticFailoverEnabled` has at least two
//!   clusters (`NumCacheClusters`: "If `AutomaticFailoverEnabled` is true, the value of this
//!   parameter must be at least 2"), and one of several node groups (cluster mode) has it on.
//! - AWS Backup: a recovery point moved to cold storage stays there at least 90 days, so
//!   `DeleteAfterDays` is at least `MoveToColdStorageAfterDays` + 90 (`Lifecycle` reference).
//!
//! Only literal values are judged: a function's value is not known here.

use std::collections::BTreeSet;

use stackwright_template::{Json, Template};

use crate::finding::Finding;
use crate::json::{integer, property, resources_of};

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    dynamodb(template, out);
    s3(template, out);
    route53(template, out);
    backup(template, out);
    elasticache(template, out);
}

fn elasticache(template: &Template, out: &mut Vec<Finding>) {
    for (id, group, at) in resources_of(template, "AWS::ElastiCache::ReplicationGroup") {
        let failover = property(group, &["AutomaticFailoverEnabled"]).and_then(crate::json::boolean);
        let clusters = property(group, &["NumCacheClusters"]).and_then(integer);
        let node_groups = property(group, &["NumNodeGroups"]).and_then(integer);
        if failover == Some(true)
            && let Some(clusters @ ..2) = clusters
        {
            let message = format!(
                "AutomaticFailoverEnabled needs NumCacheClusters of at least 2 (a primary and a replica); found {clusters}"
            );
            out.push(
                Finding::new("elasticache/failover", format!("{at}/NumCacheClusters"), message).about(id.as_str()),
            );
        }
        if failover == Some(false)
            && let Some(groups @ 2..) = node_groups
        {
            let message = format!("{groups} node groups (cluster mode enabled) need AutomaticFailoverEnabled true");
            out.push(
                Finding::new("elasticache/failover", format!("{at}/AutomaticFailoverEnabled"), message)
                    .about(id.as_str()),
            );
        }
    }
}

/// The attribute names of a literal list of `{"AttributeName": …}` objects, or `None` when
/// any of it is computed.
fn names(list: &Json) -> Option<Vec<&str>> {
    list.as_array()?.iter().map(|item| item.get("AttributeName")?.as_str()).collect()
}

fn dynamodb(template: &Template, out: &mut Vec<Finding>) {
    for (id, table, at) in resources_of(template, "AWS::DynamoDB::Table") {
        let Some(defined) = property(table, &["AttributeDefinitions"]).and_then(names) else { continue };
        let mut used = BTreeSet::new();
        let Some(keys) = property(table, &["KeySchema"]).and_then(names) else { continue };
        used.extend(keys);
        let mut computed = false;
        for indexes in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
            let Some(list) = property(table, &[indexes]) else { continue };
            let Some(list) = list.as_array() else {
                computed = true;
                continue;
            };
            for index in list {
                match index.get("KeySchema").and_then(names) {
                    Some(keys) => used.extend(keys),
                    None => computed = true,
                }
            }
        }
        let defined_set: BTreeSet<&str> = defined.iter().copied().collect();
        for name in used.iter().filter(|name| !defined_set.contains(*name)) {
            let message = format!("the key schema uses {name:?}, which AttributeDefinitions does not define");
            out.push(
                Finding::new("dynamodb/attribute-definitions", format!("{at}/AttributeDefinitions"), message)
                    .about(id.as_str()),
            );
        }
        if computed {
            continue;
        }
        for (i, name) in defined.iter().enumerate().filter(|(_, name)| !used.contains(*name)) {
            let message = format!(
                "{name:?} is defined but no key schema of the table or its indexes uses it; DynamoDB wants exactly the key attributes"
            );
            out.push(
                Finding::new("dynamodb/attribute-definitions", format!("{at}/AttributeDefinitions/{i}"), message)
                    .about(id.as_str()),
            );
        }
    }
}

/// The canned ACLs that grant others access (`Private` and `BucketOwnerFullControl` are taken
/// with ACLs disabled; other values are the schema's `enum` to judge).
const GRANTING: [&str; 6] =
    ["AuthenticatedRead", "AwsExecRead", "BucketOwnerRead", "LogDeliveryWrite", "PublicRead", "PublicReadWrite"];

fn s3(template: &Template, out: &mut Vec<Finding>) {
    for (id, bucket, at) in resources_of(template, "AWS::S3::Bucket") {
        let Some(Json::String(acl)) = property(bucket, &["AccessControl"]) else { continue };
        if !GRANTING.contains(&acl.as_str()) {
            continue;
        }
        let allows_acls = match property(bucket, &["OwnershipControls", "Rules"]) {
            Some(Json::Array(rules)) => rules.iter().any(|rule| match rule.get("ObjectOwnership") {
                Some(Json::String(owner)) => owner != "BucketOwnerEnforced",
                Some(_) => true,
                None => false,
            }),
            Some(_) => true,
            None => false,
        };
        if !allows_acls {
            let message = format!(
                "AccessControl {acl:?} needs OwnershipControls with ObjectOwnership ObjectWriter or BucketOwnerPreferred: \
                 new buckets default to BucketOwnerEnforced, which disables ACLs"
            );
            out.push(Finding::new("s3/acl-ownership", format!("{at}/AccessControl"), message).about(id.as_str()));
        }
    }
}

fn route53(template: &Template, out: &mut Vec<Finding>) {
    let mut check = |id: &str, alias: bool, ttl: bool, at: &str| {
        if alias && ttl {
            let message = "an alias record takes no TTL: Route 53 uses the alias target's";
            out.push(Finding::new("route53/alias-ttl", format!("{at}/TTL"), message).about(id));
        }
    };
    for (id, record, at) in resources_of(template, "AWS::Route53::RecordSet") {
        let has = |key: &str| record.properties.contains_key(key);
        check(id.as_str(), has("AliasTarget"), has("TTL"), &at);
    }
    for (id, group, at) in resources_of(template, "AWS::Route53::RecordSetGroup") {
        if let Some(Json::Array(records)) = property(group, &["RecordSets"]) {
            for (i, record) in records.iter().enumerate() {
                let has = |key: &str| record.get(key).is_some();
                check(id.as_str(), has("AliasTarget"), has("TTL"), &format!("{at}/RecordSets/{i}"));
            }
        }
    }
}

fn backup(template: &Template, out: &mut Vec<Finding>) {
    for (id, plan, at) in resources_of(template, "AWS::Backup::BackupPlan") {
        let Some(Json::Array(rules)) = property(plan, &["BackupPlan", "BackupPlanRule"]) else { continue };
        for (i, rule) in rules.iter().enumerate() {
            let rule_at = format!("{at}/BackupPlan/BackupPlanRule/{i}");
            let mut lifecycles = vec![(format!("{rule_at}/Lifecycle"), rule.get("Lifecycle"))];
            if let Some(Json::Array(copies)) = rule.get("CopyActions") {
                for (j, copy) in copies.iter().enumerate() {
                    lifecycles.push((format!("{rule_at}/CopyActions/{j}/Lifecycle"), copy.get("Lifecycle")));
                }
            }
            for (lifecycle_at, lifecycle) in lifecycles {
                let Some(lifecycle) = lifecycle else { continue };
                let cold = lifecycle.get("MoveToColdStorageAfterDays").and_then(integer);
                let delete = lifecycle.get("DeleteAfterDays").and_then(integer);
                if let (Some(cold), Some(delete)) = (cold, delete)
                    && delete < cold.saturating_add(90)
                {
                    let message = format!(
                        "DeleteAfterDays {delete} is less than 90 days after MoveToColdStorageAfterDays {cold}: \
                         cold storage keeps a recovery point at least 90 days"
                    );
                    out.push(
                        Finding::new("backup/cold-storage-days", format!("{lifecycle_at}/DeleteAfterDays"), message)
                            .about(id.as_str()),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
