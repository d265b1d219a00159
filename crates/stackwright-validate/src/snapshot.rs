//! `Snapshot` as a `DeletionPolicy` or `UpdateReplacePolicy` only on the types that can be
//! snapshotted: the `DeletionPolicy` attribute reference lists them (`DocumentDB` and `Neptune`
//! clusters, EBS volumes, `ElastiCache` clusters and replication groups, RDS clusters and
//! instances, Redshift clusters; cfn-lint's E3035 holds the same eight), and CloudFormation
//! refuses the policy on any other type.

use stackwright_template::{DeletionPolicy, PolicyValue, Template, UpdateReplacePolicy};

use crate::finding::Finding;
use crate::json::pointer;

const SNAPSHOT_TYPES: [&str; 8] = [
    "AWS::DocDB::DBCluster",
    "AWS::EC2::Volume",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::Neptune::DBCluster",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::Redshift::Cluster",
];

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    for (id, resource) in template.resources() {
        // Only the registry's types: a module or a private type may be anything.
        if stackwright_registry::classify(&resource.type_name) != stackwright_registry::TypeClass::Registry
            || SNAPSHOT_TYPES.contains(&resource.type_name.as_str())
        {
            continue;
        }
        let deletion = matches!(resource.deletion_policy, Some(PolicyValue::Literal(DeletionPolicy::Snapshot)));
        let replace =
            matches!(resource.update_replace_policy, Some(PolicyValue::Literal(UpdateReplacePolicy::Snapshot)));
        for (attribute, set) in [("DeletionPolicy", deletion), ("UpdateReplacePolicy", replace)] {
            if set {
                let message = format!(
                    "{attribute} Snapshot: {} cannot be snapshotted; Snapshot is for {}",
                    resource.type_name,
                    SNAPSHOT_TYPES.join(", ")
                );
                out.push(
                    Finding::new(
                        "resource/snapshot-policy",
                        pointer(&pointer("/Resources", id.as_str()), attribute),
                        message,
                    )
                    .about(id.as_str()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn found(type_name: &str) -> Vec<String> {
        let template = json!({"Resources": {"R": {"Type": type_name, "DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "Snapshot"}}});
        crate::validate_source(&template.to_string())
            .findings
            .into_iter()
            .filter(|f| f.rule == "resource/snapshot-policy")
            .map(|f| f.pointer)
            .collect()
    }

    #[test]
    fn snapshot_only_where_supported() {
        assert_eq!(found("AWS::S3::Bucket"), ["/Resources/R/DeletionPolicy", "/Resources/R/UpdateReplacePolicy"]);
        assert!(found("AWS::RDS::DBInstance").is_empty());
        assert!(found("My::Org::Thing::MODULE").is_empty());
    }
}
