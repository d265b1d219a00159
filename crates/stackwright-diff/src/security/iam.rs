//! IAM statement changes: identity policies (inline role, user and group policies,
//! `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy`), role trust policies, managed policy
//! attachments, and resource policies (KMS key, S3 bucket, SNS topic, SQS queue, ECR
//! repository).

use stackwright_template::Json;

use super::statement::{IamStatement, glob};
use super::{ChangeKind, Direction, display, items, property, type_of};

/// One IAM change: a statement added, removed or changed, or a managed policy attached or
/// detached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IamChange {
    /// The logical ID holding the policy.
    pub resource: String,
    /// Its type (`AWS::IAM::Role`, `AWS::KMS::Key`…).
    pub resource_type: String,
    /// Which policy: `trust policy`, `inline policy NAME`, `policy document`, `key policy`,
    /// `bucket policy`, `topic policy`, `queue policy`, `repository policy`, `managed policies`.
    pub policy: String,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// The statement before (`None` when added, and for managed policies).
    pub old: Option<IamStatement>,
    /// The statement after (`None` when removed, and for managed policies).
    pub new: Option<IamStatement>,
    /// The managed policy ARN attached (`Added`) or detached (`Removed`).
    pub managed_policy: Option<String>,
    /// Broadening or narrowing.
    pub direction: Direction,
    /// What makes it so, e.g. `adds actions s3:PutObject`, `resource * (every resource)`.
    pub reasons: Vec<String>,
}

/// Where a type keeps policy documents: (label, property) pairs; `Policies` lists are
/// expanded per policy name.
fn documents<'a>(type_name: &str, resource: Option<&'a Json>) -> Vec<(String, &'a Json)> {
    let single =
        |label: &str, name: &str| property(resource, name).map(|doc| vec![(label.to_owned(), doc)]).unwrap_or_default();
    let mut out = match type_name {
        "AWS::IAM::Role" => single("trust policy", "AssumeRolePolicyDocument"),
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => single("policy document", "PolicyDocument"),
        "AWS::KMS::Key" => single("key policy", "KeyPolicy"),
        "AWS::S3::BucketPolicy" => single("bucket policy", "PolicyDocument"),
        "AWS::SNS::TopicPolicy" | "AWS::SNS::TopicInlinePolicy" => single("topic policy", "PolicyDocument"),
        "AWS::SQS::QueuePolicy" | "AWS::SQS::QueueInlinePolicy" => single("queue policy", "PolicyDocument"),
        "AWS::ECR::Repository" => single("repository policy", "RepositoryPolicyText"),
        _ => Vec::new(),
    };
    if matches!(type_name, "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group") {
        // `Fn::If` may choose the whole list or one policy: both branches are read (what
        // either may grant), so a policy behind a condition is still compared.
        let policies = branches(property(resource, "Policies")).into_iter().flat_map(|list| items(Some(list)));
        for policy in policies.flat_map(|policy| branches(Some(policy))) {
            let name = policy.get("PolicyName").map_or_else(|| "?".to_owned(), display);
            if let Some(doc) = policy.get("PolicyDocument") {
                out.push((format!("inline policy {name}"), doc));
            }
        }
    }
    out
}

/// The values an `Fn::If` may take, both branches and nested ones, without
/// `AWS::NoValue`; any other value as itself.
fn branches(value: Option<&Json>) -> Vec<&Json> {
    let Some(value) = value else { return Vec::new() };
    if let Some(Json::Array(arguments)) =
        value.get("Fn::If").filter(|_| value.as_object().is_some_and(|m| m.len() == 1))
        && arguments.len() == 3
    {
        return arguments.iter().skip(1).flat_map(|branch| branches(Some(branch))).collect();
    }
    if value.get("Ref").and_then(Json::as_str) == Some("AWS::NoValue") {
        return Vec::new();
    }
    vec![value]
}

fn statements(docs: &[(String, &Json)], label: &str) -> Vec<IamStatement> {
    docs.iter()
        .filter(|(l, _)| l == label)
        .flat_map(|(_, doc)| branches(Some(doc)))
        .flat_map(|doc| {
            // Some policy properties (`RepositoryPolicyText`, `KeyPolicy`) also take the
            // document as a JSON string.
            let parsed = doc.as_str().and_then(|text| serde_json::from_str::<Json>(text).ok());
            let doc = parsed.as_ref().unwrap_or(doc);
            match doc.get("Statement") {
                Some(statements) => branches(Some(statements))
                    .into_iter()
                    .flat_map(|list| items(Some(list)))
                    .flat_map(|statement| branches(Some(statement)))
                    .map(IamStatement::from_json)
                    .collect(),
                // A whole document behind a function call: compared as one opaque statement.
                None => vec![IamStatement::from_json(doc)],
            }
        })
        .collect::<Vec<_>>()
}

/// Appends the IAM changes of one logical ID.
pub(crate) fn resource_changes(id: &str, old: Option<&Json>, new: Option<&Json>, out: &mut Vec<IamChange>) {
    let (old_type, new_type) = (type_of(old).unwrap_or_default(), type_of(new).unwrap_or_default());
    let resource_type = if new_type.is_empty() { old_type } else { new_type };
    let (old_docs, new_docs) = (documents(old_type, old), documents(new_type, new));
    let mut labels: Vec<&String> = old_docs.iter().chain(&new_docs).map(|(l, _)| l).collect();
    labels.sort();
    labels.dedup();
    let change = |policy: &str, kind, old, new, managed_policy, (direction, reasons)| IamChange {
        resource: id.to_owned(),
        resource_type: resource_type.to_owned(),
        policy: policy.to_owned(),
        kind,
        old,
        new,
        managed_policy,
        direction,
        reasons,
    };
    for label in labels {
        let (before, after) = (statements(&old_docs, label), statements(&new_docs, label));
        for (old, new) in pair(before, after) {
            let kind = match (&old, &new) {
                (None, _) => ChangeKind::Added,
                (_, None) => ChangeKind::Removed,
                _ => ChangeKind::Changed,
            };
            let judged = judge(old.as_ref(), new.as_ref());
            out.push(change(label, kind, old, new, None, judged));
        }
    }
    let managed = |resource, type_name: &str| -> Vec<String> {
        if !matches!(type_name, "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group") {
            return Vec::new();
        }
        let mut arns: Vec<String> = items(property(resource, "ManagedPolicyArns")).into_iter().map(display).collect();
        arns.sort();
        arns.dedup();
        arns
    };
    let (before, after) = (managed(old, old_type), managed(new, new_type));
    for arn in after.iter().filter(|a| !before.contains(a)) {
        let reason = vec![format!("attaches managed policy {arn}")];
        out.push(change(
            "managed policies",
            ChangeKind::Added,
            None,
            None,
            Some(arn.clone()),
            (Direction::Broadening, reason),
        ));
    }
    for arn in before.iter().filter(|a| !after.contains(a)) {
        let reason = vec![format!("detaches managed policy {arn}")];
        out.push(change(
            "managed policies",
            ChangeKind::Removed,
            None,
            None,
            Some(arn.clone()),
            (Direction::Narrowing, reason),
        ));
    }
}

/// Pairs old and new statements: equal ones cancel out; the rest pair by `Sid`, then by
/// effect, principals and resources, then by effect, principals and actions, then by effect,
/// actions and resources, then by effect and principals; what is left is added or removed.
fn pair(mut old: Vec<IamStatement>, mut new: Vec<IamStatement>) -> Vec<(Option<IamStatement>, Option<IamStatement>)> {
    old.retain(|o| match new.iter().position(|n| n.same_access(o)) {
        Some(index) => {
            new.remove(index);
            false
        }
        None => true,
    });
    let keys: [fn(&IamStatement, &IamStatement) -> bool; 5] = [
        |a, b| a.sid.is_some() && a.sid == b.sid,
        |a, b| a.effect == b.effect && a.principals == b.principals && a.resources == b.resources,
        |a, b| a.effect == b.effect && a.principals == b.principals && a.actions == b.actions,
        |a, b| a.effect == b.effect && a.actions == b.actions && a.resources == b.resources,
        |a, b| a.effect == b.effect && a.principals == b.principals,
    ];
    let mut pairs = Vec::new();
    for key in keys {
        let mut index = 0;
        while index < old.len() {
            // invariant: the loop runs while `index < old.len()`.
            if let Some(found) = new.iter().position(|n| key(&old[index], n)) {
                pairs.push((Some(old.remove(index)), Some(new.remove(found))));
            } else {
                index += 1;
            }
        }
    }
    pairs.extend(old.into_iter().map(|o| (Some(o), None)));
    pairs.extend(new.into_iter().map(|n| (None, Some(n))));
    pairs
}

/// The items of `new` no item of `old` covers (by wildcard match; `NOT` items only by
/// equality).
fn uncovered<'a>(old: &[String], new: &'a [String], fold_case: bool) -> Vec<&'a str> {
    let norm = |s: &str| if fold_case { s.to_ascii_lowercase() } else { s.to_owned() };
    new.iter()
        .filter(|n| {
            !old.iter()
                .any(|o| *o == **n || (!o.starts_with("NOT ") && !n.starts_with("NOT ") && glob(&norm(o), &norm(n))))
        })
        .map(String::as_str)
        .collect()
}

/// The direction of a statement change and its reasons.
fn judge(old: Option<&IamStatement>, new: Option<&IamStatement>) -> (Direction, Vec<String>) {
    let mut reasons = Vec::new();
    let (old, new) = match (old, new) {
        (None, Some(new)) => {
            wildcards(new, &mut reasons);
            let direction = if new.is_allow() { Direction::Broadening } else { Direction::Narrowing };
            reasons.insert(0, format!("new {}", new.effect));
            return (direction, reasons);
        }
        (Some(old), None) => {
            let direction = if old.is_allow() { Direction::Narrowing } else { Direction::Broadening };
            return (direction, vec![format!("removed {}", old.effect)]);
        }
        (Some(old), Some(new)) => (old, new),
        (None, None) => return (Direction::Narrowing, reasons),
    };
    if old.effect != new.effect {
        let direction = if new.is_allow() { Direction::Broadening } else { Direction::Narrowing };
        return (direction, vec![format!("effect {} -> {}", old.effect, new.effect)]);
    }
    // "Wider" is what an Allow gains and a Deny loses. A `NOT` item (`NotAction`,
    // `NotResource`, `NotPrincipal`) is an exception: adding one to an Allow excludes more,
    // adding one to a Deny denies less, so its direction is the opposite.
    let mut wider = false;
    for (what, before, after, fold) in [
        ("actions", &old.actions, &new.actions, true),
        ("resources", &old.resources, &new.resources, false),
        ("principals", &old.principals, &new.principals, false),
    ] {
        let negated = |list: &[String]| list.iter().any(|item| item.starts_with("NOT "));
        let flipped = negated(before) != negated(after);
        if flipped {
            // `Action` became `NotAction` (or back): a list became its complement, which an
            // Allow widens to (nearly) everything and a Deny shrinks the same way.
            let to_not = negated(after);
            let element = not_element(what);
            reasons.push(if to_not {
                format!("{what} become {element} (everything except the listed)")
            } else {
                format!("{element} becomes {what} (only the listed)")
            });
            wider |= to_not == new.is_allow();
        }
        let added = uncovered(before, after, fold);
        let removed = uncovered(after, before, fold);
        let is_not = |item: &&str| item.starts_with("NOT ");
        if !added.is_empty() {
            reasons.push(format!("adds {what} {}", added.join(", ")));
            // After a flip the items are listed, but the flip alone decides the direction.
            wider |= !flipped && added.iter().any(|i| !is_not(i)) && new.is_allow();
            wider |= !flipped && added.iter().any(is_not) && !new.is_allow();
        }
        if !removed.is_empty() {
            reasons.push(format!("removes {what} {}", removed.join(", ")));
            wider |= !flipped && removed.iter().any(|i| !is_not(i)) && !new.is_allow();
            wider |= !flipped && removed.iter().any(is_not) && new.is_allow();
        }
    }
    let dropped: Vec<&String> = old.conditions.iter().filter(|c| !new.conditions.contains(c)).collect();
    let gained: Vec<&String> = new.conditions.iter().filter(|c| !old.conditions.contains(c)).collect();
    if !dropped.is_empty() {
        reasons.push(format!("removes conditions {}", join(&dropped)));
        wider |= new.is_allow();
    }
    if !gained.is_empty() {
        reasons.push(format!("adds conditions {}", join(&gained)));
        wider |= !new.is_allow();
    }
    if new.is_allow() {
        // Only the risky spellings this change brings in.
        let (mut before, mut after) = (Vec::new(), Vec::new());
        wildcards(old, &mut before);
        wildcards(new, &mut after);
        reasons.extend(after.into_iter().filter(|r| !before.contains(r)));
    }
    (if wider { Direction::Broadening } else { Direction::Narrowing }, reasons)
}

/// The negated element of a statement list: `NotAction`, `NotResource`, `NotPrincipal`.
fn not_element(what: &str) -> &'static str {
    match what {
        "actions" => "NotAction",
        "resources" => "NotResource",
        _ => "NotPrincipal",
    }
}

fn join(items: &[&String]) -> String {
    items.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
}

/// Reasons for the riskiest spellings of an Allow: wildcard actions, every resource, anyone.
fn wildcards(statement: &IamStatement, reasons: &mut Vec<String>) {
    if !statement.is_allow() {
        return;
    }
    let wild: Vec<&String> = statement.actions.iter().filter(|a| a.contains('*') && !a.starts_with("NOT ")).collect();
    if !wild.is_empty() {
        reasons.push(format!("wildcard actions {}", join(&wild)));
    }
    if statement.actions.iter().any(|a| a.starts_with("NOT ")) {
        reasons.push("NotAction (every action except the listed)".to_owned());
    }
    if statement.resources.iter().any(|r| r == "*") {
        reasons.push("resource * (every resource)".to_owned());
    }
    if statement.principals.iter().any(|p| p == "*") {
        reasons.push("principal * (anyone)".to_owned());
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn judged(old: &Json, new: &Json) -> (Direction, Vec<String>) {
        judge(Some(&IamStatement::from_json(old)), Some(&IamStatement::from_json(new)))
    }

    #[test]
    fn documents_as_json_strings_are_read() {
        let old = json!({"Type": "AWS::ECR::Repository", "Properties": {"RepositoryPolicyText":
            r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "ecr:BatchGetImage"}]}"#}});
        let new = json!({"Type": "AWS::ECR::Repository", "Properties": {"RepositoryPolicyText":
            {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"}]}}});
        let mut out = Vec::new();
        resource_changes("Repo", Some(&old), Some(&new), &mut out);
        assert_eq!(out.len(), 1, "{out:#?}");
        assert_eq!(out[0].direction, Direction::Broadening);
        assert_eq!(out[0].reasons, ["adds principals *", "principal * (anyone)"]);
    }

    #[test]
    fn wider_actions_resources_and_fewer_conditions_broaden_an_allow() {
        let old = json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
            "Condition": {"Bool": {"aws:SecureTransport": "true"}}});
        let new = json!({"Effect": "Allow", "Action": ["s3:*"], "Resource": "*"});
        let (direction, reasons) = judged(&old, &new);
        assert_eq!(direction, Direction::Broadening);
        assert_eq!(
            reasons,
            [
                "adds actions s3:*",
                "adds resources *",
                "removes conditions Bool aws:SecureTransport=true",
                "wildcard actions s3:*",
                "resource * (every resource)"
            ]
        );
    }

    #[test]
    fn fewer_actions_narrow_an_allow_and_broaden_a_deny() {
        let old = json!({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"});
        let new = json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"});
        assert_eq!(judged(&old, &new).0, Direction::Narrowing);
        let deny = |v: &Json| {
            let mut v = v.clone();
            v["Effect"] = json!("Deny");
            v
        };
        assert_eq!(judged(&deny(&old), &deny(&new)).0, Direction::Broadening);
    }

    #[test]
    fn not_elements_are_judged_the_other_way_round() {
        // A Deny with more NotAction denies less: broadening; fewer: narrowing.
        let deny = json!({"Effect": "Deny", "Principal": "*", "NotAction": ["s3:GetObject"], "Resource": "*"});
        let deny_more_exceptions = json!({"Effect": "Deny", "Principal": "*", "NotAction": ["s3:GetObject", "s3:DeleteObject"], "Resource": "*"});
        assert_eq!(
            judged(&deny, &deny_more_exceptions),
            (Direction::Broadening, vec!["adds actions NOT s3:DeleteObject".to_owned()])
        );
        assert_eq!(judged(&deny_more_exceptions, &deny).0, Direction::Narrowing);
        // An Allow with fewer NotAction allows more: broadening; more: narrowing.
        let allow = json!({"Effect": "Allow", "NotAction": ["iam:*", "s3:*"], "Resource": "*"});
        let allow_fewer_exceptions = json!({"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"});
        assert_eq!(judged(&allow, &allow_fewer_exceptions).0, Direction::Broadening);
        assert_eq!(judged(&allow_fewer_exceptions, &allow).0, Direction::Narrowing);
        // NotResource and NotPrincipal likewise.
        let deny_not_resource = json!({"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::a/*"]});
        let deny_not_resources =
            json!({"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]});
        assert_eq!(judged(&deny_not_resource, &deny_not_resources).0, Direction::Broadening);
        let deny_not_principal =
            json!({"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:*"});
        let deny_not_principals = json!({"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::1:root", "arn:aws:iam::2:root"]}, "Action": "s3:*"});
        assert_eq!(judged(&deny_not_principal, &deny_not_principals).0, Direction::Broadening);
        assert_eq!(judged(&deny_not_principals, &deny_not_principal).0, Direction::Narrowing);
        // Action becoming NotAction in an Allow allows nearly everything.
        let plain = json!({"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"});
        let (direction, reasons) = judged(&plain, &allow_fewer_exceptions);
        assert_eq!(direction, Direction::Broadening);
        assert_eq!(reasons[0], "actions become NotAction (everything except the listed)");
        assert_eq!(judged(&allow_fewer_exceptions, &plain).0, Direction::Narrowing);
    }

    #[test]
    fn covered_actions_do_not_broaden() {
        let old = json!({"Effect": "Allow", "Action": "ecr:*", "Resource": "*"});
        let new = json!({"Effect": "Allow", "Action": "ecr:BatchGetImage", "Resource": "*"});
        assert_eq!(judged(&old, &new).0, Direction::Narrowing);
    }
}
