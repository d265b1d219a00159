//! What every example's tests assert, in one place: the templates' exact bytes (insta
//! snapshots under `snapshots/`, named `<example>__<stack>`), byte-for-byte determinism,
//! parse-back, IAM hygiene, and `stackwright validate` without errors or policy findings.

use std::fmt::Debug;

use serde_json::Value as Json;
use stackwright_template::{App, Template};

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

/// Builds the app twice and asserts, for every stack: the snapshot, identical bytes, and
/// that the template parses back and re-renders identically, and [`assert_policy_hygiene`].
///
/// # Panics
///
/// When any of those does not hold (this is a test helper).
pub fn assert_example<E: Debug>(example: &str, build: fn() -> Result<App, E>) {
    let app = build().unwrap_or_else(|e| panic!("{example}: the example does not build: {e:?}"));
    let again = build().unwrap_or_else(|e| panic!("{example}: the example does not build twice: {e:?}"));
    assert!(app.stacks().len() > 0, "{example}: no stack");
    for ((name, template), (_, template_again)) in app.stacks().zip(again.stacks()) {
        let rendered = template.render();
        assert_eq!(rendered, template_again.render(), "{example}/{name}: two builds render different bytes");
        let parsed = Template::from_json_str(&rendered)
            .unwrap_or_else(|e| panic!("{example}/{name}: the rendered template does not parse: {e}"));
        assert_eq!(parsed.render(), rendered, "{example}/{name}: parse and re-render changed the bytes");
        assert_policy_hygiene(&format!("{example}/{name}"), template);
        let report = stackwright_validate::validate(template);
        // Stackwright's own templates are held to its policy rules too, as `synth` holds them.
        assert!(
            !report.has_errors() && !report.has_policy_findings(),
            "{example}/{name}: stackwright validate finds errors or policy findings:\n{report}"
        );
        insta::with_settings!({
            snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/../../snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("{example}__{name}"), rendered);
        });
    }
}

/// No `Allow` statement anywhere in the template names a wildcard action, and identity
/// policies (role inline policies) use `Resource: "*"` only for actions that have no
/// resource type.
///
/// # Panics
///
/// On the first offending statement, naming its resource.
pub fn assert_policy_hygiene(what: &str, template: &Template) {
    for (id, resource) in template.resources() {
        let properties = Json::Object(resource.properties.clone().into_iter().collect());
        let mut statements = Vec::new();
        collect_statements(&properties, &mut statements);
        for statement in statements {
            if statement["Effect"] != "Allow" {
                continue;
            }
            let actions = strings(&statement["Action"]);
            for action in &actions {
                assert!(!action.contains('*'), "{what}: {id} allows the wildcard action {action:?}");
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
                    assert!(narrowed, "{what}: {id} grants {action} on every resource");
                }
            }
        }
    }
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
