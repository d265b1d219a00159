//! The rule registry: every rule id, its level, and whether a resource may acknowledge it.
//!
//! The line between the levels: a rule is an [`Error`] only when CloudFormation rejects what
//! it finds — while validating the template, or when the stack operation asks the service
//! (ECS refuses an unsupported Fargate size or a circuit breaker under another deployment
//! controller). Everything CloudFormation accepts is a [`Warning`] (it costs or misleads) or,
//! for Stackwright's own security, hygiene and delivery rules, [`Policy`]. Only policy rules
//! can be acknowledged: an acknowledgement cannot make CloudFormation accept a template, and
//! a warning does not fail a run unless it is denied.

use crate::finding::Severity;

/// One validation rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The stable id, e.g. `ecs/fargate-cpu-memory`.
    pub id: &'static str,
    /// Error, warning or policy (see the module documentation for the line between them).
    pub severity: Severity,
    /// Whether a resource may acknowledge it in `Metadata.stackwright.acknowledge`: policy
    /// rules only (but not the `acknowledge/*` ones, which are about acknowledgements).
    pub acknowledgeable: bool,
    /// What it checks, in one line.
    pub summary: &'static str,
}

const fn rule_(id: &'static str, severity: Severity, acknowledgeable: bool, summary: &'static str) -> Rule {
    Rule { id, severity, acknowledgeable, summary }
}

use Severity::{Error, Policy, Warning};

/// Every rule, sorted by id.
pub const RULES: &[Rule] = &[
    rule_(
        "acknowledge/malformed",
        Policy,
        false,
        "Metadata.stackwright.acknowledge is a list of {rule, reason} objects",
    ),
    rule_("acknowledge/missing-reason", Policy, false, "an acknowledgement states why the rule does not apply"),
    rule_("acknowledge/unknown-rule", Policy, false, "an acknowledgement names an acknowledgeable rule id"),
    rule_("acknowledge/unused", Warning, false, "an acknowledgement matches a finding on its resource"),
    rule_(
        "backup/cold-storage-days",
        Error,
        false,
        "a backup lifecycle deletes at least 90 days after moving to cold storage",
    ),
    rule_("cloudfront/alias", Error, false, "a CloudFront distribution's aliases are domain names"),
    rule_(
        "codebuild/privileged-without-image-build",
        Policy,
        true,
        "privileged mode only for buildspecs that build images",
    ),
    rule_(
        "codebuild/service-role-path",
        Error,
        false,
        "a CodeBuild service role given by name (Ref) is at the root path",
    ),
    rule_(
        "codepipeline/image-definitions-container",
        Policy,
        true,
        "the container an ECS deploy action's imagedefinitions.json names is in the service's task definition",
    ),
    rule_(
        "codepipeline/source-stage",
        Error,
        false,
        "a pipeline's first stage has only Source actions, and no later stage has one",
    ),
    rule_("condition/cycle", Error, false, "no condition depends on itself"),
    rule_("condition/malformed", Error, false, "a condition is Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition"),
    rule_("condition/resource-reference", Error, false, "conditions refer to parameters, never to resources"),
    rule_("condition/unknown", Error, false, "Condition attributes, Fn::If and Condition name a defined condition"),
    rule_("dependency/cycle", Error, false, "resources do not depend on themselves through references or DependsOn"),
    rule_("depends-on/unknown-target", Error, false, "DependsOn names a resource of the template"),
    rule_(
        "dynamodb/attribute-definitions",
        Error,
        false,
        "a DynamoDB table defines exactly the attributes its key schemas use",
    ),
    rule_(
        "ec2/cidr",
        Error,
        false,
        "where the registry declares a CIDR block on an EC2 type, a literal is a well-formed IPv4 or IPv6 block",
    ),
    rule_("ecs/alarm-references-service", Error, false, "a deployment alarm does not reference the service it guards"),
    rule_(
        "ecs/controller-feature",
        Error,
        false,
        "circuit breaker and deployment alarms need the ECS deployment controller",
    ),
    rule_("ecs/execution-role-is-task-role", Policy, true, "the task role is not the execution role"),
    rule_("ecs/fargate-cpu-memory", Error, false, "Fargate task CPU and memory form a supported pair"),
    rule_("ecs/read-only-root-filesystem", Policy, true, "containers run with ReadonlyRootFilesystem: true"),
    rule_("ecs/rolling-no-progress", Policy, true, "rolling-update percentages let a deployment make progress"),
    rule_(
        "elasticache/failover",
        Error,
        false,
        "automatic failover has a replica to fail over to, and cluster mode has automatic failover",
    ),
    rule_("getatt/unknown-attribute", Error, false, "Fn::GetAtt names an attribute the resource type has"),
    rule_("getatt/unknown-resource", Error, false, "Fn::GetAtt names a resource of the template"),
    rule_(
        "iam/policy-document",
        Error,
        false,
        "policy documents have the IAM grammar: elements, Effect, Action, principals and resources where the policy kind needs them",
    ),
    rule_("iam/wildcard-action", Policy, true, "Allow statements name actions, not * or service:*"),
    rule_(
        "intrinsic/import-value",
        Error,
        false,
        "Fn::ImportValue takes a string or a function of parameters, and is not used in conditions",
    ),
    rule_("intrinsic/malformed", Error, false, "intrinsic functions have the arguments CloudFormation expects"),
    rule_("intrinsic/unknown-function", Error, false, "a one-key `Fn::…` object names a function CloudFormation knows"),
    rule_(
        "lambda/runtime-deprecated",
        Error,
        false,
        "a Lambda function's runtime is not one Lambda blocks creating functions with",
    ),
    rule_("lambda/zip-runtime", Error, false, "a Lambda function with inline code (Code.ZipFile) sets Runtime"),
    rule_(
        "language/for-each",
        Error,
        false,
        "Fn::ForEach loops have an identifier, a collection and a fragment, in Conditions, Resources or Outputs, and expand to unique keys",
    ),
    rule_(
        "language/transform-required",
        Error,
        false,
        "Fn::ForEach, Fn::Length and Fn::ToJsonString are used only under the AWS::LanguageExtensions transform",
    ),
    rule_("logs/retention", Policy, true, "log groups set RetentionInDays"),
    rule_("mapping/unknown", Error, false, "Fn::FindInMap names a defined mapping"),
    rule_("mapping/unknown-key", Error, false, "Fn::FindInMap literal keys exist in the mapping"),
    rule_(
        "module/attribute",
        Error,
        false,
        "a module has no CreationPolicy, UpdatePolicy or Tags, and no Metadata key AWS::CloudFormation::Module",
    ),
    rule_("output/duplicate-export", Error, false, "export names are unique within the template"),
    rule_(
        "parameter/default",
        Error,
        false,
        "a parameter's Default meets its AllowedValues, AllowedPattern, lengths and bounds",
    ),
    rule_("parameter/type", Error, false, "a parameter's Type is one CloudFormation knows"),
    rule_("quota/description", Error, false, "the template description is at most 1,024 bytes"),
    rule_("quota/logical-id", Error, false, "logical IDs are 1 to 255 ASCII letters and digits"),
    rule_("quota/mappings", Error, false, "at most 200 mappings"),
    rule_("quota/outputs", Error, false, "at most 200 outputs"),
    rule_("quota/parameters", Error, false, "at most 200 parameters"),
    rule_("quota/resources", Error, false, "at most 500 resources"),
    rule_("quota/template-size", Error, false, "the template body is at most 1 MB"),
    rule_("quota/template-size-s3", Warning, false, "a body over 51,200 bytes must be uploaded through S3"),
    rule_("rds/engine", Error, false, "a DB instance's Engine is one RDS offers"),
    rule_("ref/unknown-target", Error, false, "Ref names a resource, parameter or pseudo parameter"),
    rule_(
        "resource/duplicate-identifier",
        Error,
        false,
        "no two resources of a type share a literal primary identifier",
    ),
    rule_(
        "resource/snapshot-policy",
        Error,
        false,
        "DeletionPolicy and UpdateReplacePolicy Snapshot only on types that can be snapshotted",
    ),
    rule_("resource/unknown-attribute", Error, false, "a resource has only the attributes CloudFormation defines"),
    rule_(
        "resource/unknown-type",
        Error,
        false,
        "an AWS resource type is in a region's registry (or the template's transform expands it)",
    ),
    rule_("route53/alias-ttl", Error, false, "an alias record set has no TTL"),
    rule_("s3/acl-ownership", Error, false, "a bucket's canned ACL is one its object ownership allows"),
    rule_(
        "schema/additional-property",
        Error,
        false,
        "objects have only the properties the type's registry schema defines",
    ),
    rule_("schema/any-of", Error, false, "at least one alternative of a schema anyOf group matches"),
    rule_(
        "schema/cidr",
        Warning,
        false,
        "where the registry declares a CIDR block on a type outside EC2, a literal is a well-formed block",
    ),
    rule_("schema/dependent-excluded", Error, false, "a property the schema excludes when another is set is not set"),
    rule_("schema/dependent-required", Error, false, "a property the schema requires when another is set is set"),
    rule_("schema/enum", Error, false, "values are among the schema's enum (or const) values"),
    rule_(
        "schema/format",
        Error,
        false,
        "EC2 identifiers (VPC, subnet, security group, image) have the format the registry declares",
    ),
    rule_("schema/invalid", Error, false, "values satisfy the schema's other keywords"),
    rule_("schema/items", Error, false, "lists have the number of items the schema allows"),
    rule_("schema/length", Error, false, "strings have the length the schema allows"),
    rule_("schema/one-of", Error, false, "exactly one alternative of a schema oneOf group matches"),
    rule_("schema/pattern", Error, false, "strings match the schema's pattern"),
    rule_("schema/range", Error, false, "numbers lie within the schema's minimum and maximum"),
    rule_("schema/required", Error, false, "the properties the schema requires are set"),
    rule_("schema/required-if", Error, false, "a required property is not removed by an Fn::If branch of AWS::NoValue"),
    rule_("schema/required-xor", Error, false, "exactly one property of a schema requiredXor group is set"),
    rule_(
        "schema/type",
        Error,
        false,
        "values have the JSON type the schema expects (CloudFormation's conversions allowed)",
    ),
    rule_("schema/unique-items", Error, false, "lists the schema declares uniqueItems have no duplicate"),
    rule_(
        "sub/unknown-variable",
        Error,
        false,
        "Fn::Sub placeholders name a variable, resource, parameter or pseudo parameter",
    ),
    rule_("template/duplicate-id", Error, false, "no parameter has the logical ID of a resource"),
    rule_(
        "template/duplicate-key",
        Warning,
        false,
        "no key is written twice in one object (CloudFormation keeps the last and ignores the others)",
    ),
    rule_("template/format-version", Error, false, "AWSTemplateFormatVersion is 2010-09-09"),
    rule_("template/no-resources", Error, false, "a template has at least one resource"),
    rule_("template/null", Error, false, "no value of the template is null"),
    rule_("template/parse", Error, false, "the document is a CloudFormation template"),
    rule_("template/transform", Error, false, "Transform is a name, {Name, Parameters}, or a list of them"),
    rule_("template/unreadable", Error, false, "the file exists, can be read and is UTF-8 text"),
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.binary_search_by(|r| r.id.cmp(id)).ok().and_then(|i| RULES.get(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_sorted_and_unique() {
        assert!(RULES.windows(2).all(|w| w[0].id < w[1].id));
        assert_eq!(rule("logs/retention").map(|r| r.severity), Some(Severity::Policy));
        assert!(rule("nope").is_none());
    }

    #[test]
    fn exactly_the_policy_rules_can_be_acknowledged() {
        for rule in RULES {
            let expected = rule.severity == Severity::Policy && !rule.id.starts_with("acknowledge/");
            assert_eq!(rule.acknowledgeable, expected, "{}", rule.id);
        }
    }
}
