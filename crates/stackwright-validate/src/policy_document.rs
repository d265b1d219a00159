//! The grammar of IAM policy documents (IAM User Guide, "IAM JSON policy elements
//! reference"), which IAM, S3, SNS, SQS, KMS and ECR check when the policy is attached and
//! refuse with `MalformedPolicyDocument` (or the service's equivalent):
//!
//! - a document has only `Version`, `Id` and `Statement`, and a `Statement`; `Version` is
//!   `2012-10-17` or `2008-10-17`;
//! - a statement has only `Sid`, `Effect`, `Principal`, `NotPrincipal`, `Action`,
//!   `NotAction`, `Resource`, `NotResource` and `Condition`; `Effect` is `Allow` or `Deny`;
//!   exactly one of `Action` and `NotAction`;
//! - identity policies (attached to a role, user or group) name no principal and exactly one
//!   of `Resource` and `NotResource`, each an ARN or `*`; resource policies (bucket, queue,
//!   topic, key, repository) and a role's trust policy name exactly one of `Principal` and
//!   `NotPrincipal`: `*` or an object of `AWS`, `Service`, `Federated`, `CanonicalUser`; a
//!   trust policy names no resource; a bucket policy names its resources by ARN.
//!
//! Only what is written literally is judged: a document written as a string, a function call
//! in place of a statement or a value, is not (the branches of an `Fn::If` are).

use stackwright_template::{Intrinsic, Json, Template};

use crate::finding::Finding;
use crate::json::{is_dynamic, one_or_many, resources_of, show};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Attached to a role, user or group: says what its holder may do.
    Identity,
    /// Attached to a resource: says who may use it.
    Resource { arns: bool },
    /// A role's `AssumeRolePolicyDocument`: who may assume it.
    Trust,
}

const DOCUMENTS: &[(&str, &[&str], Kind)] = &[
    ("AWS::ECR::Repository", &["RepositoryPolicyText"], Kind::Resource { arns: false }),
    ("AWS::IAM::Group", &["Policies", "*", "PolicyDocument"], Kind::Identity),
    ("AWS::IAM::GroupPolicy", &["PolicyDocument"], Kind::Identity),
    ("AWS::IAM::ManagedPolicy", &["PolicyDocument"], Kind::Identity),
    ("AWS::IAM::Policy", &["PolicyDocument"], Kind::Identity),
    ("AWS::IAM::Role", &["AssumeRolePolicyDocument"], Kind::Trust),
    ("AWS::IAM::Role", &["Policies", "*", "PolicyDocument"], Kind::Identity),
    ("AWS::IAM::RolePolicy", &["PolicyDocument"], Kind::Identity),
    ("AWS::IAM::User", &["Policies", "*", "PolicyDocument"], Kind::Identity),
    ("AWS::IAM::UserPolicy", &["PolicyDocument"], Kind::Identity),
    ("AWS::KMS::Key", &["KeyPolicy"], Kind::Resource { arns: false }),
    ("AWS::S3::BucketPolicy", &["PolicyDocument"], Kind::Resource { arns: true }),
    ("AWS::SNS::TopicPolicy", &["PolicyDocument"], Kind::Resource { arns: false }),
    ("AWS::SQS::QueuePolicy", &["PolicyDocument"], Kind::Resource { arns: false }),
];

const DOCUMENT_KEYS: [&str; 3] = ["Id", "Statement", "Version"];
const STATEMENT_KEYS: [&str; 9] =
    ["Action", "Condition", "Effect", "NotAction", "NotPrincipal", "NotResource", "Principal", "Resource", "Sid"];
const PRINCIPAL_KEYS: [&str; 4] = ["AWS", "CanonicalUser", "Federated", "Service"];

struct Sink<'a> {
    id: &'a str,
    out: &'a mut Vec<Finding>,
}

impl Sink<'_> {
    fn push(&mut self, at: &str, message: String) {
        self.out.push(Finding::new("iam/policy-document", at, message).about(self.id));
    }
}

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    for (type_name, path, kind) in DOCUMENTS {
        for (id, resource, at) in resources_of(template, type_name) {
            let Some((first, rest)) = path.split_first() else { continue };
            let Some(root) = resource.properties.get(*first) else { continue };
            let mut sink = Sink { id: id.as_str(), out };
            documents(root, rest, &format!("{at}/{first}"), *kind, &mut sink);
        }
    }
}

fn is_call(value: &Json) -> bool {
    Intrinsic::is_function_object(value)
}

fn documents(node: &Json, path: &[&str], at: &str, kind: Kind, sink: &mut Sink<'_>) {
    match (path.split_first(), node) {
        (None, Json::Object(_)) if !is_call(node) => document(node, at, kind, sink),
        (Some((&"*", rest)), Json::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                documents(item, rest, &format!("{at}/{i}"), kind, sink);
            }
        }
        (Some((key, rest)), Json::Object(map)) if !is_call(node) => {
            if let Some(child) = map.get(*key) {
                documents(child, rest, &format!("{at}/{key}"), kind, sink);
            }
        }
        _ => {}
    }
}

fn document(doc: &Json, at: &str, kind: Kind, sink: &mut Sink<'_>) {
    let Json::Object(map) = doc else { return };
    for key in map.keys().filter(|k| !DOCUMENT_KEYS.contains(&k.as_str())) {
        sink.push(
            &format!("{at}/{key}"),
            format!("{key:?} is not a policy element; expected Version, Id and Statement"),
        );
    }
    if let Some(Json::String(version)) = map.get("Version")
        && version != "2012-10-17"
        && version != "2008-10-17"
    {
        sink.push(
            &format!("{at}/Version"),
            format!("policy Version {version:?}; expected \"2012-10-17\" (or \"2008-10-17\")"),
        );
    }
    let Some(statements) = map.get("Statement") else {
        sink.push(at, "the policy document has no Statement".to_owned());
        return;
    };
    if is_call(statements) {
        return;
    }
    for (statement_at, item) in one_or_many(statements, &format!("{at}/Statement")) {
        statement_or_branches(item, &statement_at, kind, sink);
    }
}

/// A statement, or the branches of an `Fn::If` that stands for one.
fn statement_or_branches(item: &Json, at: &str, kind: Kind, sink: &mut Sink<'_>) {
    if let Some(Json::Array(branches)) = item.get("Fn::If").filter(|_| is_call(item)) {
        for (i, branch) in branches.iter().enumerate().skip(1) {
            if branch.get("Ref").and_then(Json::as_str) != Some("AWS::NoValue") {
                statement_or_branches(branch, &format!("{at}/Fn::If/{i}"), kind, sink);
            }
        }
        return;
    }
    match item {
        Json::Object(_) if is_call(item) => {}
        Json::Object(map) => statement(map, at, kind, sink),
        other => sink.push(at, format!("a statement is an object, found {}", show(other))),
    }
}

fn statement(map: &serde_json::Map<String, Json>, at: &str, kind: Kind, sink: &mut Sink<'_>) {
    for key in map.keys().filter(|k| !STATEMENT_KEYS.contains(&k.as_str())) {
        sink.push(
            &format!("{at}/{key}"),
            format!("{key:?} is not a statement element; expected {}", STATEMENT_KEYS.join(", ")),
        );
    }
    match map.get("Effect") {
        None => sink.push(at, "the statement has no Effect; expected \"Allow\" or \"Deny\"".to_owned()),
        Some(Json::String(effect)) if effect != "Allow" && effect != "Deny" => {
            sink.push(&format!("{at}/Effect"), format!("Effect {effect:?}; expected \"Allow\" or \"Deny\""));
        }
        _ => {}
    }
    exactly_one(map, at, ["Action", "NotAction"], sink);
    let principal = map.contains_key("Principal") || map.contains_key("NotPrincipal");
    match kind {
        Kind::Identity if principal => {
            let key = if map.contains_key("Principal") { "Principal" } else { "NotPrincipal" };
            sink.push(
                &format!("{at}/{key}"),
                format!("an identity policy names no {key}: it applies to whoever holds it"),
            );
        }
        Kind::Resource { .. } | Kind::Trust => exactly_one(map, at, ["Principal", "NotPrincipal"], sink),
        Kind::Identity => {}
    }
    for key in ["Principal", "NotPrincipal"] {
        if let Some(value) = map.get(key) {
            principal_value(value, &format!("{at}/{key}"), sink);
        }
    }
    match kind {
        Kind::Identity | Kind::Resource { arns: true } => {
            exactly_one(map, at, ["Resource", "NotResource"], sink);
            for key in ["Resource", "NotResource"] {
                let Some(value) = map.get(key).filter(|v| !is_call(v)) else { continue };
                for (item_at, item) in one_or_many(value, &format!("{at}/{key}")) {
                    if let Json::String(arn) = item
                        && arn != "*"
                        && !arn.starts_with("arn:")
                        && !is_dynamic(arn)
                    {
                        sink.push(&item_at, format!("{key} {arn:?} is not an ARN or \"*\""));
                    }
                }
            }
        }
        Kind::Trust => {
            for key in ["Resource", "NotResource"].into_iter().filter(|k| map.contains_key(*k)) {
                sink.push(&format!("{at}/{key}"), format!("a trust policy names no {key}: the role is the resource"));
            }
        }
        Kind::Resource { arns: false } => {}
    }
}

fn exactly_one(map: &serde_json::Map<String, Json>, at: &str, keys: [&str; 2], sink: &mut Sink<'_>) {
    let [a, b] = keys;
    match (map.contains_key(a), map.contains_key(b)) {
        (false, false) => sink.push(at, format!("the statement has neither {a} nor {b}; expected one of them")),
        (true, true) => {
            sink.push(&format!("{at}/{b}"), format!("the statement has both {a} and {b}; expected one of them"));
        }
        _ => {}
    }
}

fn principal_value(value: &Json, at: &str, sink: &mut Sink<'_>) {
    match value {
        Json::String(s) if s != "*" && !is_dynamic(s) => {
            sink.push(at, format!("principal {s:?}: expected \"*\" or an object such as {{\"AWS\": {s:?}}}"));
        }
        Json::Object(map) if !is_call(value) => {
            for key in map.keys().filter(|k| !PRINCIPAL_KEYS.contains(&k.as_str())) {
                sink.push(
                    &format!("{at}/{key}"),
                    format!("{key:?} is not a principal type; expected AWS, Service, Federated or CanonicalUser"),
                );
            }
        }
        Json::Array(_) | Json::Number(_) | Json::Bool(_) | Json::Null => {
            sink.push(
                at,
                format!(
                    "principal {}: expected \"*\" or an object of AWS, Service, Federated or CanonicalUser",
                    show(value)
                ),
            );
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
