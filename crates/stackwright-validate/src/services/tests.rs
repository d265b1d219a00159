#![allow(clippy::needless_pass_by_value)] // json! values built inline read best passed by value

use serde_json::{Value, json};

fn rules(type_name: &str, properties: Value) -> Vec<(&'static str, String)> {
    let template = json!({"Resources": {"R": {"Type": type_name, "Properties": properties}}});
    crate::validate_source(&template.to_string())
        .findings
        .into_iter()
        .filter(|f| ["dynamodb/", "s3/", "route53/", "backup/", "elasticache/"].iter().any(|p| f.rule.starts_with(p)))
        .map(|f| (f.rule, f.pointer))
        .collect()
}

fn table(defined: &[&str], keys: &[&str]) -> Value {
    let defined: Vec<Value> = defined.iter().map(|n| json!({"AttributeName": n, "AttributeType": "S"})).collect();
    let keys: Vec<Value> = keys
        .iter()
        .enumerate()
        .map(|(i, n)| json!({"AttributeName": n, "KeyType": if i == 0 { "HASH" } else { "RANGE" }}))
        .collect();
    json!({"AttributeDefinitions": defined, "KeySchema": keys, "BillingMode": "PAY_PER_REQUEST"})
}

#[test]
fn dynamodb_defines_exactly_the_key_attributes() {
    assert_eq!(rules("AWS::DynamoDB::Table", table(&["A", "B"], &["A", "B"])), []);
    assert_eq!(
        rules("AWS::DynamoDB::Table", table(&["A", "B", "C"], &["A", "B"])),
        [("dynamodb/attribute-definitions", "/Resources/R/Properties/AttributeDefinitions/2".to_owned())]
    );
    assert_eq!(
        rules("AWS::DynamoDB::Table", table(&["A"], &["A", "B"])),
        [("dynamodb/attribute-definitions", "/Resources/R/Properties/AttributeDefinitions".to_owned())]
    );
    let mut with_index = table(&["A", "C"], &["A"]);
    with_index["GlobalSecondaryIndexes"] = json!([{"IndexName": "i", "KeySchema": [{"AttributeName": "C", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "ALL"}}]);
    assert_eq!(rules("AWS::DynamoDB::Table", with_index), []);
}

#[test]
fn s3_acls_need_ownership_controls_that_allow_them() {
    assert_eq!(
        rules("AWS::S3::Bucket", json!({"AccessControl": "PublicRead"})),
        [("s3/acl-ownership", "/Resources/R/Properties/AccessControl".to_owned())]
    );
    let allowed =
        json!({"AccessControl": "PublicRead", "OwnershipControls": {"Rules": [{"ObjectOwnership": "ObjectWriter"}]}});
    assert_eq!(rules("AWS::S3::Bucket", allowed), []);
    assert_eq!(rules("AWS::S3::Bucket", json!({"AccessControl": "Private"})), []);
}

#[test]
fn route53_alias_records_have_no_ttl() {
    let alias = json!({"DNSName": "d.cloudfront.net", "HostedZoneId": "Z2FDTNDATAQYW2"});
    let record =
        json!({"HostedZoneId": "Z1", "Name": "a.example.com", "Type": "A", "TTL": "300", "AliasTarget": alias});
    assert_eq!(
        rules("AWS::Route53::RecordSet", record),
        [("route53/alias-ttl", "/Resources/R/Properties/TTL".to_owned())]
    );
    let group =
        json!({"HostedZoneId": "Z1", "RecordSets": [{"Name": "a.example.com", "Type": "A", "AliasTarget": alias}]});
    assert_eq!(rules("AWS::Route53::RecordSetGroup", group), []);
}

#[test]
fn backup_deletes_at_least_90_days_after_cold_storage() {
    let plan = |delete: i64| {
        json!({"BackupPlan": {"BackupPlanName": "p", "BackupPlanRule": [{"RuleName": "r", "TargetBackupVault": "v",
        "Lifecycle": {"MoveToColdStorageAfterDays": 7, "DeleteAfterDays": delete}}]}})
    };
    assert_eq!(
        rules("AWS::Backup::BackupPlan", plan(30)),
        [(
            "backup/cold-storage-days",
            "/Resources/R/Properties/BackupPlan/BackupPlanRule/0/Lifecycle/DeleteAfterDays".to_owned()
        )]
    );
    assert_eq!(rules("AWS::Backup::BackupPlan", plan(97)), []);
}

#[test]
fn elasticache_failover_needs_replicas_and_cluster_mode_needs_failover() {
    let group = |failover: bool, key: &str, n: i64| json!({"ReplicationGroupDescription": "d", "AutomaticFailoverEnabled": failover, key: n});
    assert_eq!(
        rules("AWS::ElastiCache::ReplicationGroup", group(true, "NumCacheClusters", 1)),
        [("elasticache/failover", "/Resources/R/Properties/NumCacheClusters".to_owned())]
    );
    assert_eq!(rules("AWS::ElastiCache::ReplicationGroup", group(true, "NumCacheClusters", 2)), []);
    assert_eq!(
        rules("AWS::ElastiCache::ReplicationGroup", group(false, "NumNodeGroups", 2)),
        [("elasticache/failover", "/Resources/R/Properties/AutomaticFailoverEnabled".to_owned())]
    );
}
