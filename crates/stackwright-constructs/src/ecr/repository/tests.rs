use serde_json::json;

use super::*;
use crate::iam::{Principal, Role, RoleProps};
use crate::kms::KeyProps;
use stackwright_template::PolicyValue;

fn setup() -> (Stack, Key) {
    let mut stack = Stack::new("t").unwrap();
    let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
    (stack, key)
}

fn rendered(stack: Stack, id: &str) -> serde_json::Value {
    let done = stack.finish().unwrap();
    let r = &done.template().resources()[&LogicalId::new(id).unwrap()];
    json!({"Properties": r.properties, "DeletionPolicy": r.deletion_policy.as_ref().map(PolicyValue::to_json)})
}

#[test]
fn defaults_scan_immutable_kms_retain_and_expire() {
    let (mut stack, key) = setup();
    Repository::new(&mut stack, "Repo", &key, RepositoryProps::new()).unwrap();
    let r = rendered(stack, "Repo");
    let p = &r["Properties"];
    assert_eq!(p["ImageScanningConfiguration"], json!({"ScanOnPush": true}));
    assert_eq!(p["ImageTagMutability"], "IMMUTABLE");
    assert_eq!(
        p["EncryptionConfiguration"],
        json!({"EncryptionType": "KMS", "KmsKey": {"Fn::GetAtt": ["Key", "Arn"]}})
    );
    assert_eq!(p["EmptyOnDelete"], false);
    assert!(p.get("RepositoryName").is_none());
    assert!(p.get("RepositoryPolicyText").is_none());
    let policy: serde_json::Value =
        serde_json::from_str(p["LifecyclePolicy"]["LifecyclePolicyText"].as_str().unwrap()).unwrap();
    assert_eq!(policy["rules"][0]["selection"]["tagStatus"], "untagged");
    assert_eq!(
        policy["rules"][1]["selection"],
        json!({"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 100})
    );
    assert_eq!(r["DeletionPolicy"], "Retain");
}

#[test]
fn options_are_rendered() {
    let (mut stack, key) = setup();
    let props = RepositoryProps::new()
        .name("team/app")
        .scan_on_push(false)
        .immutable_tags(false)
        .lifecycle_rules([])
        .empty_on_delete(true)
        .removal_policy(RemovalPolicy::Delete)
        .policy_statement(
            Statement::allow(PULL)
                .principal(Principal::Aws("arn:aws:iam::111122223333:root".into()))
                .sid("CrossAccountPull"),
        );
    Repository::new(&mut stack, "Repo", &key, props).unwrap();
    let r = rendered(stack, "Repo");
    let p = &r["Properties"];
    assert_eq!(p["RepositoryName"], "team/app");
    assert_eq!(p["ImageTagMutability"], "MUTABLE");
    assert_eq!(p["ImageScanningConfiguration"]["ScanOnPush"], false);
    assert!(p.get("LifecyclePolicy").is_none());
    assert_eq!(p["RepositoryPolicyText"]["Statement"][0]["Sid"], "CrossAccountPull");
    assert_eq!(r["DeletionPolicy"], "Delete");
}

#[test]
fn invalid_name_and_rules_are_reported_together() {
    let (mut stack, key) = setup();
    let props = RepositoryProps::new().name("My_App").lifecycle_rule(1, LifecycleRule::KeepLast(0));
    Repository::new(&mut stack, "Repo", &key, props).unwrap();
    let err = stack.finish().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Repo: lifecycle rule 1 (KeepLast) applies to every image and must have the highest priority number, 100 is higher [ecr-lifecycle/any-last]\n\
         Repo: lifecycle rule 1 (KeepLast(0)) must count at least 1 [ecr-lifecycle/count-range]\n\
         Repo: lifecycle rule priority 1 is used more than once [ecr-lifecycle/duplicate-priority]\n\
         Repo: name must be 2-256 characters of lowercase components (a-z 0-9 joined by . _ __ or -) separated by /, got \"My_App\" [ecr-repository/name]"
    );
}

#[test]
fn pull_and_push_grants_are_scoped() {
    let (mut stack, key) = setup();
    let repo = Repository::new(&mut stack, "Repo", &key, RepositoryProps::new()).unwrap();
    let puller =
        Role::new(&mut stack, "Puller", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com"))).unwrap();
    let pusher =
        Role::new(&mut stack, "Pusher", RoleProps::new(Principal::service("codebuild.amazonaws.com"))).unwrap();
    repo.grant_pull(&mut stack, &puller).unwrap();
    repo.grant_push(&mut stack, &pusher).unwrap();
    let done = stack.finish().unwrap();
    let statements = |id: &str| {
        done.template().resources()[&LogicalId::new(id).unwrap()].properties["Policies"][0]["PolicyDocument"]["Statement"]
            .clone()
    };
    assert_eq!(
        statements("Puller"),
        json!([
            {"Effect": "Allow", "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "Resource": {"Fn::GetAtt": ["Repo", "Arn"]}},
            {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": {"Fn::GetAtt": ["Key", "Arn"]}}
        ])
    );
    let push = statements("Pusher");
    assert_eq!(
        push[0]["Action"],
        json!([
            "ecr:BatchCheckLayerAvailability",
            "ecr:BatchGetImage",
            "ecr:CompleteLayerUpload",
            "ecr:DescribeImages",
            "ecr:GetDownloadUrlForLayer",
            "ecr:InitiateLayerUpload",
            "ecr:PutImage",
            "ecr:UploadLayerPart"
        ])
    );
    assert_eq!(push[2]["Action"], json!(["kms:Decrypt", "kms:GenerateDataKey"]));
}

#[test]
fn resource_policy_needs_initial_statements() {
    let (mut stack, key) = setup();
    let repo = Repository::new(&mut stack, "Repo", &key, RepositoryProps::new()).unwrap();
    let err = repo.add_to_resource_policy(&mut stack, Statement::allow(PULL)).unwrap_err();
    assert_eq!(err.to_string(), "Repo: resource Repo has no policy that grants can extend [iam/no-policy]");
}
