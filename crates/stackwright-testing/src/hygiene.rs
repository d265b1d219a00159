//! IAM hygiene: no wildcard action in any `Allow` statement, and `Resource: "*"` in identity
//! policies only for the actions that have no resource type.

use serde_json::Value as Json;
use stackwright_template::Template;

/// Actions an identity policy can only grant on `*` (they have no resource type, per the
/// Service Authorization Reference), with the condition key that must narrow them, if any.
const RESOURCELESS_ACTIONS: &[(&str, Option<&str>)] = &[
    ("ecr:GetAuthorizationToken", None),
    // Task definitions are registered, described and deregistered by family or revision before
    // (or without) a resource ARN in the request: a release's stack update calls all three.
    ("ecs:DeregisterTaskDefinition", None),
    ("ecs:DescribeTaskDefinition", None),
    ("ecs:RegisterTaskDefinition", None),
    // Their task and container-instance ARNs are unknown in advance: the cluster narrows them.
    ("ecs:DescribeTasks", Some("ecs:cluster")),
    ("ecs:ListTasks", Some("ecs:cluster")),
    ("ssmmessages:CreateControlChannel", None),
    ("ssmmessages:CreateDataChannel", None),
    ("ssmmessages:OpenControlChannel", None),
    ("ssmmessages:OpenDataChannel", None),
];

/// No `Allow` statement anywhere in the template names a wildcard action, and identity
/// policies (role inline policies) use `Resource: "*"` only for actions that have no
/// resource type.
///
/// # Panics
///
/// When a statement breaks either rule; the message lists every one, naming its resource.
#[track_caller]
pub fn assert_policy_hygiene(what: &str, template: &Template) {
    let findings = hygiene_findings(what, template);
    assert!(findings.is_empty(), "IAM hygiene:\n{}", findings.join("\n"));
}

/// What [`assert_policy_hygiene`] refuses, one line per offending action.
pub(crate) fn hygiene_findings(what: &str, template: &Template) -> Vec<String> {
    let mut findings = Vec::new();
    for (id, resource) in template.resources() {
        let properties = Json::Object(resource.properties.clone().into_iter().collect());
        let mut statements = Vec::new();
        collect_statements(&properties, &mut statements);
        for statement in statements {
            if statement["Effect"] != "Allow" {
                continue;
            }
            let actions = strings(&statement["Action"]);
            for action in actions.iter().filter(|a| a.contains('*')) {
                findings.push(format!("{what}: {id} allows the wildcard action {action:?}"));
            }
            let identity_policy = resource.type_name == "AWS::IAM::Role" && statement.get("Principal").is_none();
            if identity_policy && strings(&statement["Resource"]).iter().any(|r| r == "*") {
                for action in &actions {
                    let allowed = RESOURCELESS_ACTIONS.iter().find(|(a, _)| a == action);
                    let narrowed = match allowed {
                        Some((_, Some(key))) => has_condition_key(statement, key),
                        Some((_, None)) => true,
                        None => false,
                    };
                    if !narrowed {
                        findings.push(format!("{what}: {id} grants {action} on every resource"));
                    }
                }
            }
        }
    }
    findings
}

fn has_condition_key(statement: &Json, key: &str) -> bool {
    statement["Condition"].as_object().is_some_and(|ops| ops.values().any(|keys| keys.get(key).is_some()))
}

fn collect_statements<'a>(node: &'a Json, out: &mut Vec<&'a Json>) {
    match node {
        Json::Object(map) => {
            if let Some(Json::Array(list)) = map.get("Statement") {
                out.extend(list.iter());
            }
            map.values().for_each(|v| collect_statements(v, out));
        }
        Json::Array(list) => list.iter().for_each(|v| collect_statements(v, out)),
        _ => {}
    }
}

fn strings(node: &Json) -> Vec<String> {
    match node {
        Json::String(s) => vec![s.clone()],
        Json::Array(list) => list.iter().filter_map(Json::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}
