//! Tests of statements and policy documents: actions, rendering, merging, statement ids.

use super::*;
use serde_json::json;

const GET: Action = Action::from_static("s3:GetObject");
const PUT: Action = Action::from_static("s3:PutObject");

#[test]
fn wildcards_are_not_actions() {
    for bad in ["*", "s3:*", "s3:Get*", "s3", ":Get", "s3:", "s3:Get:Object", "s3:Get Object"] {
        assert!(!is_named_action(bad), "{bad}");
    }
    assert!(is_named_action("ecr:GetAuthorizationToken"));
    assert!(is_named_action("codestar-connections:UseConnection"));
}

#[test]
fn a_run_time_wildcard_is_an_error_naming_the_rule_not_a_panic() {
    // Built from a run-time string, as from a configuration file.
    let from_config = String::from("sqs:*");
    let err = Action::new(from_config).unwrap_err();
    assert_eq!(
        err.to_string(),
        "iam::Action: an IAM action must be `service:Action` (letters, digits and -) without wildcards (* or ?), \
         got \"sqs:*\" [iam/action]"
    );
    for bad in ["", "*", "sqs:Send*", "sqs:Send?", "sqs", ":Send", "sqs:", "sqs:a:b", "sqs:Send Message", "sqs:Séance"]
    {
        assert!(Action::new(bad).is_err(), "{bad:?}");
    }
    let named = Action::new(String::from("sqs:SendMessage")).unwrap();
    assert_eq!(named.as_str(), "sqs:SendMessage");
    assert_eq!(named, Action::from_static("sqs:SendMessage"), "run-time and compile-time actions are one type");
}

#[test]
fn statements_render_scalars_for_single_items() {
    let s = Statement::allow([PUT, GET, GET])
        .on("arn:aws:s3:::b/*")
        .principal(Principal::service("logs.amazonaws.com"))
        .condition("Bool", "aws:SecureTransport", true)
        .sid("Write");
    assert_eq!(
        s.to_json(),
        json!({
            "Sid": "Write", "Effect": "Allow",
            "Principal": {"Service": "logs.amazonaws.com"},
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": "arn:aws:s3:::b/*",
            "Condition": {"Bool": {"aws:SecureTransport": true}}
        })
    );
}

#[test]
fn documents_merge_statements_that_differ_only_by_actions() {
    let mut doc = PolicyDocument::new();
    doc.add(Statement::allow([PUT]).on("arn:aws:s3:::b/*"));
    doc.add(Statement::allow([GET]).on("arn:aws:s3:::b/*"));
    doc.add(Statement::allow([GET]).on("arn:aws:s3:::other/*"));
    assert_eq!(doc.statements().len(), 2);
    assert_eq!(doc.to_json()["Statement"][0]["Action"], json!(["s3:GetObject", "s3:PutObject"]));
}

#[test]
fn repeated_statement_ids_are_numbered() {
    let mut doc = PolicyDocument::new();
    doc.add(Statement::allow([PUT]).on("arn:aws:s3:::a/*").sid("Write"));
    doc.add(Statement::allow([PUT]).on("arn:aws:s3:::b/*").sid("Write"));
    let json = doc.to_json();
    assert_eq!(json["Statement"][0]["Sid"], "Write");
    assert_eq!(json["Statement"][1]["Sid"], "Write2");
}

/// A number given to a repeated id is never an id another statement is written with.
#[test]
fn a_numbered_statement_id_does_not_take_one_written_later() {
    let mut doc = PolicyDocument::new();
    doc.add(Statement::allow([PUT]).on("arn:aws:s3:::a/*").sid("Write"));
    doc.add(Statement::allow([GET]).on("arn:aws:s3:::b/*").sid("Write"));
    doc.add(Statement::allow([Action::from_static("s3:DeleteObject")]).on("arn:aws:s3:::c/*").sid("Write2"));
    doc.add(Statement::allow([Action::from_static("s3:ListBucket")]).on("arn:aws:s3:::d").sid("Write"));
    let json = doc.to_json();
    let sids: Vec<&str> = (0..4).map(|i| json["Statement"][i]["Sid"].as_str().unwrap()).collect();
    assert_eq!(sids, ["Write", "Write3", "Write2", "Write4"]);
}

#[test]
fn all_resources_is_explicit() {
    let s = Statement::allow([Action::from_static("ecr:GetAuthorizationToken")]).on_all_resources();
    assert!(s.is_on_all_resources());
    assert_eq!(s.to_json()["Resource"], "*");
}
