//! IAM statements that allow every action (`*`) or every action of a service (`s3:*`), in
//! identity and resource policies.

use stackwright_template::{Json, Template};

use crate::finding::Finding;
use crate::json::{get, one_or_many, property, resources_of, show};

/// Where each type keeps its policy documents: (type, property path; `*` = every list item).
const POLICIES: &[(&str, &[&str])] = &[
    ("AWS::ECR::Repository", &["RepositoryPolicyText"]),
    ("AWS::IAM::Group", &["Policies", "*", "PolicyDocument"]),
    ("AWS::IAM::ManagedPolicy", &["PolicyDocument"]),
    ("AWS::IAM::Policy", &["PolicyDocument"]),
    ("AWS::IAM::Role", &["AssumeRolePolicyDocument"]),
    ("AWS::IAM::Role", &["Policies", "*", "PolicyDocument"]),
    ("AWS::IAM::User", &["Policies", "*", "PolicyDocument"]),
    ("AWS::KMS::Key", &["KeyPolicy"]),
    ("AWS::S3::BucketPolicy", &["PolicyDocument"]),
    ("AWS::SNS::TopicPolicy", &["PolicyDocument"]),
    ("AWS::SQS::QueuePolicy", &["PolicyDocument"]),
];

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    for (type_name, path) in POLICIES {
        for (id, resource, at) in resources_of(template, type_name) {
            let Some((first, rest)) = path.split_first() else { continue };
            let Some(root) = property(resource, &[first]) else { continue };
            let mut documents = Vec::new();
            documents_at(root, rest, &format!("{at}/{first}"), &mut documents);
            // AWS's default key policy (`kms:*` to the account root) is flagged too: a key's
            // administrators need named actions like everyone else (acknowledge it otherwise).
            for (doc_at, document) in documents {
                for (statement_at, statement, action_at, action) in wildcard_actions(&document, &doc_at) {
                    let sid = get(statement, &["Sid"]).map_or_else(
                        || match statement_at.rsplit_once('/') {
                            Some((_, index)) if index != "Statement" => format!("#{index}"),
                            _ => "(the only one)".to_owned(),
                        },
                        show,
                    );
                    let message = if action_at.contains("/NotAction") {
                        format!(
                            "Allow statement {sid} uses NotAction {}: it grants every action except those; expected the actions it needs, named one by one",
                            show(action)
                        )
                    } else {
                        format!(
                            "Allow statement {sid} grants action {}: every action{}; expected the actions it needs, named one by one",
                            show(action),
                            if action.as_str() == Some("*") { " of every service" } else { " of the service" }
                        )
                    };
                    out.push(Finding::new("iam/wildcard-action", action_at, message).about(id.as_str()));
                }
            }
        }
    }
}

/// The documents at `path` below `node`; a document written as a JSON string is parsed.
fn documents_at(node: &Json, path: &[&str], at: &str, out: &mut Vec<(String, Json)>) {
    match path.split_first() {
        None => match node {
            Json::String(text) => {
                if let Ok(parsed) = serde_json::from_str::<Json>(text) {
                    out.push((at.to_owned(), parsed));
                }
            }
            other => out.push((at.to_owned(), other.clone())),
        },
        Some((&"*", rest)) => {
            if let Json::Array(items) = node {
                for (i, item) in items.iter().enumerate() {
                    documents_at(item, rest, &format!("{at}/{i}"), out);
                }
            }
        }
        Some((key, rest)) => {
            if let Some(child) = get(node, &[key]) {
                documents_at(child, rest, &format!("{at}/{key}"), out);
            }
        }
    }
}

/// (statement pointer, statement, action pointer, action) for each wildcard action of an
/// `Allow` statement.
fn wildcard_actions<'a>(document: &'a Json, at: &str) -> Vec<(String, &'a Json, String, &'a Json)> {
    let mut found = Vec::new();
    let Some(statements) = get(document, &["Statement"]) else { return found };
    for (statement_at, statement) in one_or_many(statements, &format!("{at}/Statement")) {
        if get(statement, &["Effect"]).and_then(Json::as_str) != Some("Allow") {
            continue;
        }
        if let Some(actions) = get(statement, &["Action"]) {
            for (action_at, action) in one_or_many(actions, &format!("{statement_at}/Action")) {
                if action.as_str().is_some_and(is_wildcard) {
                    found.push((statement_at.clone(), statement, action_at, action));
                }
            }
        }
        // `NotAction` in an Allow grants everything but the listed actions: broader than `*` of
        // a service.
        if let Some(not_actions) = get(statement, &["NotAction"]) {
            found.push((statement_at.clone(), statement, format!("{statement_at}/NotAction"), not_actions));
        }
    }
    found
}

/// `*`, or `service:*`.
fn is_wildcard(action: &str) -> bool {
    action == "*"
        || action.split_once(':').is_some_and(|(service, rest)| {
            rest == "*" && !service.is_empty() && service.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::is_wildcard;

    #[test]
    fn wildcards_are_star_and_service_star() {
        assert!(is_wildcard("*"));
        assert!(is_wildcard("s3:*"));
        assert!(!is_wildcard("s3:Get*"));
        assert!(!is_wildcard("s3:GetObject"));
    }
}
