//! The vendored registry schemas (`schemas/`), embedded, each compiled once on first use.

use std::sync::OnceLock;

use jsonschema::{Draft, Validator};
use stackwright_template::Json;

use super::keywords;

/// Every vendored schema, by type name (sorted, for binary search). A test checks this table
/// against `schemas/types.txt` and `schemas/manifest.json`.
pub(crate) const SCHEMAS: [(&str, &str); 42] = [
    (
        "AWS::ApplicationAutoScaling::ScalableTarget",
        include_str!("../../../../schemas/aws-applicationautoscaling-scalabletarget.json"),
    ),
    (
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        include_str!("../../../../schemas/aws-applicationautoscaling-scalingpolicy.json"),
    ),
    ("AWS::CloudWatch::Alarm", include_str!("../../../../schemas/aws-cloudwatch-alarm.json")),
    ("AWS::CodeBuild::Project", include_str!("../../../../schemas/aws-codebuild-project.json")),
    ("AWS::CodeCommit::Repository", include_str!("../../../../schemas/aws-codecommit-repository.json")),
    ("AWS::CodePipeline::Pipeline", include_str!("../../../../schemas/aws-codepipeline-pipeline.json")),
    (
        "AWS::CodeStarConnections::Connection",
        include_str!("../../../../schemas/aws-codestarconnections-connection.json"),
    ),
    ("AWS::EC2::EIP", include_str!("../../../../schemas/aws-ec2-eip.json")),
    ("AWS::EC2::FlowLog", include_str!("../../../../schemas/aws-ec2-flowlog.json")),
    ("AWS::EC2::InternetGateway", include_str!("../../../../schemas/aws-ec2-internetgateway.json")),
    ("AWS::EC2::NatGateway", include_str!("../../../../schemas/aws-ec2-natgateway.json")),
    ("AWS::EC2::Route", include_str!("../../../../schemas/aws-ec2-route.json")),
    ("AWS::EC2::RouteTable", include_str!("../../../../schemas/aws-ec2-routetable.json")),
    ("AWS::EC2::SecurityGroup", include_str!("../../../../schemas/aws-ec2-securitygroup.json")),
    ("AWS::EC2::SecurityGroupEgress", include_str!("../../../../schemas/aws-ec2-securitygroupegress.json")),
    ("AWS::EC2::SecurityGroupIngress", include_str!("../../../../schemas/aws-ec2-securitygroupingress.json")),
    ("AWS::EC2::Subnet", include_str!("../../../../schemas/aws-ec2-subnet.json")),
    (
        "AWS::EC2::SubnetRouteTableAssociation",
        include_str!("../../../../schemas/aws-ec2-subnetroutetableassociation.json"),
    ),
    ("AWS::EC2::VPC", include_str!("../../../../schemas/aws-ec2-vpc.json")),
    ("AWS::EC2::VPCGatewayAttachment", include_str!("../../../../schemas/aws-ec2-vpcgatewayattachment.json")),
    ("AWS::ECR::Repository", include_str!("../../../../schemas/aws-ecr-repository.json")),
    ("AWS::ECS::Cluster", include_str!("../../../../schemas/aws-ecs-cluster.json")),
    ("AWS::ECS::Service", include_str!("../../../../schemas/aws-ecs-service.json")),
    ("AWS::ECS::TaskDefinition", include_str!("../../../../schemas/aws-ecs-taskdefinition.json")),
    ("AWS::EFS::AccessPoint", include_str!("../../../../schemas/aws-efs-accesspoint.json")),
    ("AWS::EFS::FileSystem", include_str!("../../../../schemas/aws-efs-filesystem.json")),
    ("AWS::EFS::MountTarget", include_str!("../../../../schemas/aws-efs-mounttarget.json")),
    (
        "AWS::ElasticLoadBalancingV2::Listener",
        include_str!("../../../../schemas/aws-elasticloadbalancingv2-listener.json"),
    ),
    (
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        include_str!("../../../../schemas/aws-elasticloadbalancingv2-listenerrule.json"),
    ),
    (
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        include_str!("../../../../schemas/aws-elasticloadbalancingv2-loadbalancer.json"),
    ),
    (
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        include_str!("../../../../schemas/aws-elasticloadbalancingv2-targetgroup.json"),
    ),
    ("AWS::Events::Rule", include_str!("../../../../schemas/aws-events-rule.json")),
    ("AWS::IAM::Policy", include_str!("../../../../schemas/aws-iam-policy.json")),
    ("AWS::IAM::Role", include_str!("../../../../schemas/aws-iam-role.json")),
    ("AWS::KMS::Alias", include_str!("../../../../schemas/aws-kms-alias.json")),
    ("AWS::KMS::Key", include_str!("../../../../schemas/aws-kms-key.json")),
    ("AWS::Logs::LogGroup", include_str!("../../../../schemas/aws-logs-loggroup.json")),
    ("AWS::S3::Bucket", include_str!("../../../../schemas/aws-s3-bucket.json")),
    ("AWS::S3::BucketPolicy", include_str!("../../../../schemas/aws-s3-bucketpolicy.json")),
    ("AWS::SNS::Subscription", include_str!("../../../../schemas/aws-sns-subscription.json")),
    ("AWS::SNS::Topic", include_str!("../../../../schemas/aws-sns-topic.json")),
    ("AWS::SNS::TopicPolicy", include_str!("../../../../schemas/aws-sns-topicpolicy.json")),
];

/// A compiled schema, with the (trimmed) schema document the error locations point into.
pub(crate) struct Compiled {
    pub(crate) validator: Validator,
    pub(crate) schema: Json,
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compiled").finish_non_exhaustive()
    }
}

/// One slot per schema, filled the first time a template has a resource of that type: most
/// templates use a handful of the 42 types, and compiling one costs about a millisecond.
static COMPILED: [OnceLock<Option<Compiled>>; SCHEMAS.len()] = [const { OnceLock::new() }; SCHEMAS.len()];

/// The compiled schema of `type_name`, if one is vendored. A schema that does not compile
/// (a test proves every vendored one does) checks nothing rather than failing validation.
pub(crate) fn compiled(type_name: &str) -> Option<&'static Compiled> {
    let index = SCHEMAS.binary_search_by(|(name, _)| (*name).cmp(type_name)).ok()?;
    // invariant: `index` is a position in SCHEMAS, and COMPILED has `SCHEMAS.len()` slots.
    COMPILED[index].get_or_init(|| compile(SCHEMAS[index].1).ok()).as_ref()
}

/// Compiles a registry schema's text.
///
/// The registry schemas are draft-07 documents (the provider definition meta-schema extends
/// draft-07), so they are compiled as draft 7 whatever their `$schema` says; `dependentRequired`
/// (a draft 2019-09 keyword some of them use) and cfn-lint's `requiredXor` and
/// `dependentExcluded` are added as keywords. `format` is not asserted: the registry's formats
/// (`AWS::EC2::VPC.Id`, `ipv4-network`…) are hints, and CloudFormation does not reject on them.
pub(crate) fn compile(text: &str) -> Result<Compiled, String> {
    let mut schema: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let root = schema.as_object_mut().ok_or("the schema is not an object")?;
    // `$schema` names the provider meta-schema, which is not embedded (and must not be
    // fetched); `handlers` holds the handlers' own schemas, whose `$ref`s point into files
    // that are not vendored. Neither says anything about a template's properties.
    root.remove("$schema");
    root.remove("handlers");
    patch_patterns(&mut schema);
    strip_annotations(&mut schema);
    let validator = jsonschema::options()
        .with_draft(Draft::Draft7)
        .should_validate_formats(false)
        .with_keyword("dependentRequired", keywords::dependent_required)
        .with_keyword("requiredXor", keywords::required_xor)
        .with_keyword("dependentExcluded", keywords::dependent_excluded)
        .with_keyword("pattern", keywords::pattern)
        .build(&schema)
        .map_err(|e| e.to_string())?;
    Ok(Compiled { validator, schema })
}

/// Removes the `description`s (prose, half of a schema's bytes) before compiling: the validator
/// would check each against the meta-schema and keep it, for nothing. A property *named*
/// `description` has a schema (an object) as its value, not a string, and stays.
fn strip_annotations(schema: &mut Json) {
    match schema {
        Json::Object(map) => {
            if map.get("description").is_some_and(Json::is_string) {
                map.remove("description");
            }
            map.values_mut().for_each(strip_annotations);
        }
        Json::Array(items) => items.iter_mut().for_each(strip_annotations),
        _ => {}
    }
}

/// Rewrites the few registry patterns that are not ECMA-262 regexes the regex engine accepts,
/// keeping their meaning (the test `every_vendored_schema_compiles` finds any new one):
/// - `\Z` (a Python/Java end-of-input anchor, in `AWS::Logs::LogGroup`) becomes `$`, which
///   in ECMA (without the `m` flag) matches only at the end of the input;
/// - a quantified lookahead `(?!\.)+` (legal in ECMA's Annex B, in `AWS::EFS::AccessPoint`)
///   becomes `(?!\.)`: repeating a zero-width assertion asserts the same thing once.
fn patch_patterns(schema: &mut Json) {
    fn patch(pattern: &str) -> Option<String> {
        let patched = pattern.replace("(?!\\.)+", "(?!\\.)").replace("\\Z", "$");
        (patched != pattern).then_some(patched)
    }
    match schema {
        Json::Object(map) => {
            if let Some(Json::String(pattern)) = map.get_mut("pattern")
                && let Some(patched) = patch(pattern)
            {
                *pattern = patched;
            }
            if let Some(Json::Object(properties)) = map.get_mut("patternProperties")
                && properties.keys().any(|key| patch(key).is_some())
            {
                let entries = std::mem::take(properties);
                *properties = entries.into_iter().map(|(key, value)| (patch(&key).unwrap_or(key), value)).collect();
            }
            map.values_mut().for_each(patch_patterns);
        }
        Json::Array(items) => items.iter_mut().for_each(patch_patterns),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas");

    #[test]
    fn the_table_is_the_list_of_vendored_types() {
        let listed = std::fs::read_to_string(format!("{ROOT}/types.txt")).unwrap();
        let mut listed: Vec<&str> =
            listed.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
        listed.sort_unstable();
        let table: Vec<&str> = SCHEMAS.iter().map(|(name, _)| *name).collect();
        assert_eq!(table, listed);
        assert!(table.windows(2).all(|w| w[0] < w[1]), "sorted for binary search");
    }

    #[test]
    fn every_entry_embeds_the_file_the_manifest_names() {
        let manifest: Json =
            serde_json::from_str(&std::fs::read_to_string(format!("{ROOT}/manifest.json")).unwrap()).unwrap();
        let entries = manifest["types"].as_array().unwrap();
        assert_eq!(entries.len(), SCHEMAS.len());
        for entry in entries {
            let name = entry["type_name"].as_str().unwrap();
            let file = entry["file"].as_str().unwrap();
            let on_disk = std::fs::read_to_string(format!("{ROOT}/{file}")).unwrap();
            let embedded = SCHEMAS.iter().find(|(n, _)| *n == name).map(|(_, text)| *text);
            assert_eq!(embedded, Some(on_disk.as_str()), "{name} should embed {file}");
        }
    }

    #[test]
    fn every_vendored_schema_compiles() {
        for (name, text) in SCHEMAS {
            if let Err(error) = compile(text) {
                panic!("{name}: {error}");
            }
            assert!(compiled(name).is_some());
        }
        assert!(compiled("Custom::Thing").is_none());
    }

    /// Patterns are compiled lazily, on first use: compile every one now.
    #[test]
    fn every_vendored_pattern_compiles() {
        fn patterns(schema: &Json, out: &mut Vec<String>) {
            match schema {
                Json::Object(map) => {
                    if let Some(Json::String(pattern)) = map.get("pattern") {
                        out.push(pattern.clone());
                    }
                    map.values().for_each(|value| patterns(value, out));
                }
                Json::Array(items) => items.iter().for_each(|item| patterns(item, out)),
                _ => {}
            }
        }
        let mut all = Vec::new();
        for (_, text) in SCHEMAS {
            let mut schema: Json = serde_json::from_str(text).unwrap();
            schema.as_object_mut().unwrap().remove("handlers");
            patch_patterns(&mut schema);
            patterns(&schema, &mut all);
        }
        assert!(all.len() > 50, "{} patterns", all.len());
        let failing: Vec<&String> = all.iter().filter(|p| !keywords::pattern_compiles(p)).collect();
        assert!(failing.is_empty(), "{failing:?}");
    }
}
