//! The JSON format: a stable, versioned document of everything the text shows
//! (`docs/DIFF.md` documents every field). Keys are sorted (`serde_json`'s map), lists keep
//! the diff's order, so equal inputs give equal bytes.

use std::collections::BTreeMap;

use serde_json::json;
use stackwright_template::Json;

use crate::counts::Counts;
use crate::model::{EntryChange, Impact, PropertyChange, Reason, ResourceChange};
use crate::security::{Downgrade, IamChange, IamStatement, SgRule, SgRuleChange};
use crate::stacks::{StackDiff, StackStatus};

/// The version of the JSON document; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 2;

/// The JSON document for a set of stack diffs.
// invariant: `summary` is the object `counts` builds; setting a key of an object never panics.
pub fn render_json(stacks: &[StackDiff]) -> Json {
    let mut total = Counts::default();
    for stack in stacks {
        total += stack.diff.counts();
    }
    let count = |status: StackStatus| stacks.iter().filter(|s| s.status == status).count();
    let mut summary = counts(&total);
    summary["stacks_added"] = json!(count(StackStatus::Added));
    summary["stacks_removed"] = json!(count(StackStatus::Removed));
    summary["stacks_modified"] = json!(count(StackStatus::Modified));
    summary["has_changes"] = json!(stacks.iter().any(|s| s.status != StackStatus::Unchanged));
    let worst = stacks.iter().map(|s| s.diff.worst_impact()).max().unwrap_or(Impact::NoChange);
    summary["worst_impact"] = json!(impact(worst));
    json!({
        "schema_version": SCHEMA_VERSION,
        "summary": summary,
        "stacks": stacks.iter().map(stack).collect::<Vec<_>>(),
    })
}

fn counts(c: &Counts) -> Json {
    json!({
        "create": c.create, "update": c.update, "revision": c.revision, "may_replace": c.may_replace, "replace": c.replace,
        "orphan": c.orphan, "destroy": c.destroy, "data_loss": c.data_loss, "other_changes": c.other_changes,
        "security_broadening": c.security_broadening, "security_narrowing": c.security_narrowing,
        "security_downgrades": c.security_downgrades,
    })
}

/// The snake-case name of an impact.
pub fn impact(impact: Impact) -> &'static str {
    match impact {
        Impact::NoChange => "no_change",
        Impact::Create => "create",
        Impact::Update => "update",
        Impact::Revision => "revision",
        Impact::MayReplace => "may_replace",
        Impact::Replace => "replace",
        Impact::Orphan => "orphan",
        Impact::Destroy => "destroy",
    }
}

fn stack(stack: &StackDiff) -> Json {
    let diff = &stack.diff;
    let mut sections = serde_json::Map::new();
    for (name, entries) in [
        ("template", &diff.other),
        ("parameters", &diff.parameters),
        ("mappings", &diff.mappings),
        ("conditions", &diff.conditions),
        ("rules", &diff.rules),
        ("outputs", &diff.outputs),
    ] {
        sections.insert(name.to_owned(), section(entries));
    }
    let chains: Vec<Vec<String>> =
        diff.resources.keys().map(|id| diff.replacement_chain(id)).filter(|chain| chain.len() > 1).collect();
    // Only the longest chains: `[Repo, Task]` says nothing `[Repo, Task, Service]` does not.
    let chains: Vec<&Vec<String>> =
        chains.iter().filter(|c| !chains.iter().any(|d| d.len() > c.len() && d.starts_with(c))).collect();
    json!({
        "name": stack.name,
        "status": stack.status.as_str(),
        "summary": counts(&diff.counts()),
        "worst_impact": impact(diff.worst_impact()),
        "resources": diff.resources.values().map(resource).collect::<Vec<_>>(),
        "replacement_chains": chains,
        "renames": diff.renames.iter().map(|(from, to)| json!({"from": from, "to": to})).collect::<Vec<_>>(),
        "data_loss": diff.resources.values().filter(|r| r.data_loss).map(|r| r.logical_id.as_str()).collect::<Vec<_>>(),
        "exports": diff.exports.iter().map(|e| json!({
            "output": e.output, "old_name": e.old_name, "new_name": e.new_name, "breaks_importers": e.breaks_importers(),
            "value_change": e.value_change.as_ref().map(|c| json!({"why": c.why, "certain": c.certain})),
        })).collect::<Vec<_>>(),
        "sections": sections,
        "security": {
            "iam": diff.security.iam.iter().map(iam).collect::<Vec<_>>(),
            "security_groups": diff.security.security_groups.iter().map(sg).collect::<Vec<_>>(),
            "downgrades": diff.security.downgrades.iter().map(downgrade).collect::<Vec<_>>(),
        },
        "unread": stack.unread.iter().map(|u| json!({
            "file": u.file, "line": u.position.map(|p| p.line), "column": u.position.map(|p| p.column),
            "pointer": u.pointer, "message": u.message,
        })).collect::<Vec<_>>(),
    })
}

fn section(entries: &BTreeMap<String, EntryChange>) -> Json {
    let list: Vec<Json> = entries
        .iter()
        .map(|(name, entry)| {
            let change = match (&entry.old, &entry.new) {
                (None, _) => "added",
                (_, None) => "removed",
                _ => "modified",
            };
            json!({"name": name, "change": change, "old": entry.old, "new": entry.new,
                   "property_changes": entry.changes.iter().map(property).collect::<Vec<_>>()})
        })
        .collect();
    Json::Array(list)
}

fn resource(change: &ResourceChange) -> Json {
    json!({
        "logical_id": change.logical_id,
        "type": change.resource_type(),
        "old_type": change.old_type,
        "new_type": change.new_type,
        "impact": impact(change.impact),
        "data_loss": change.data_loss,
        "reasons": change.reasons.iter().map(reason).collect::<Vec<_>>(),
        "property_changes": change.property_changes.iter().map(property).collect::<Vec<_>>(),
    })
}

fn property(change: &PropertyChange) -> Json {
    json!({"path": change.path, "old": change.old, "new": change.new, "forces_replacement": change.forces_replacement,
           "may_force_replacement": change.may_force_replacement, "forces_revision": change.forces_revision,
           "line_diff": super::lines::unified(change.old.as_ref(), change.new.as_ref())})
}

// invariant: every arm builds a `json!({…})` object; setting a key of an object never panics.
fn reason(reason: &Reason) -> Json {
    let mut out = match reason {
        Reason::TypeChanged { old, new } => json!({"kind": "type_changed", "old_type": old, "new_type": new}),
        Reason::CreateOnlyChanged { path } => json!({"kind": "create_only_changed", "path": path}),
        Reason::CreateOnlyUnknown { path } => json!({"kind": "create_only_unknown", "path": path}),
        Reason::ReferencesReplaced { path, target, attribute, target_impact, impact: link, forces_replacement } => {
            json!({
                "kind": "references_replaced", "path": path, "target": target, "attribute": attribute,
                "target_impact": impact(*target_impact), "impact": impact(*link), "forces_replacement": forces_replacement,
            })
        }
        Reason::Revision { effect } => json!({"kind": "revision", "effect": effect}),
        Reason::RevisionPropertyChanged { path, certain } => {
            json!({"kind": "revision_property_changed", "path": path, "certain": certain})
        }
        Reason::InputChanged { path, section, name, impact: link } => json!({
            "kind": "input_changed", "path": path, "section": section, "name": name, "impact": impact(*link),
        }),
        Reason::ConditionallyCreateOnly { path } => json!({"kind": "conditionally_create_only", "path": path}),
        Reason::ServiceTokenChanged { certain } => json!({"kind": "service_token_changed", "certain": certain}),
        Reason::DocumentedReplacement { path, source } => {
            json!({"kind": "documented_replacement", "path": path, "source": source})
        }
        Reason::NotAssessed { module } => json!({"kind": "not_assessed", "module": module}),
        Reason::DataLossPossible => json!({"kind": "data_loss_possible"}),
        Reason::Retained { policy } => json!({"kind": "retained", "policy": policy}),
        Reason::OldRetainedOnReplace => json!({"kind": "old_retained_on_replace"}),
        Reason::Renamed { from, to } => json!({"kind": "renamed", "from": from, "to": to}),
    };
    out["message"] = json!(reason.to_string());
    out
}

fn statement(statement: Option<&IamStatement>) -> Json {
    statement.map_or(Json::Null, |s| {
        json!({"sid": s.sid, "effect": s.effect, "principals": s.principals, "actions": s.actions,
               "resources": s.resources, "conditions": s.conditions, "text": s.to_string()})
    })
}

fn iam(change: &IamChange) -> Json {
    json!({
        "resource": change.resource, "type": change.resource_type, "policy": change.policy,
        "change": change.kind.as_str(), "direction": change.direction.as_str(),
        "old": statement(change.old.as_ref()), "new": statement(change.new.as_ref()),
        "managed_policy": change.managed_policy, "reasons": change.reasons,
    })
}

fn rule(rule: Option<&SgRule>) -> Json {
    rule.map_or(Json::Null, |r| {
        let ports = r.ports.map(|(from, to)| json!({"from": from, "to": to}));
        json!({"flow": r.flow, "group": r.group, "protocol": r.protocol, "ports": ports, "peer": r.peer,
               "open_to_internet": r.is_world(), "aws_default": r.aws_default, "text": r.to_string()})
    })
}

fn sg(change: &SgRuleChange) -> Json {
    json!({
        "resource": change.resource, "type": change.resource_type, "change": change.kind.as_str(),
        "direction": change.direction.as_str(), "old": rule(change.old.as_ref()), "new": rule(change.new.as_ref()),
        "reasons": change.reasons,
    })
}

fn downgrade(downgrade: &Downgrade) -> Json {
    json!({
        "resource": downgrade.resource, "type": downgrade.resource_type, "category": downgrade.category.as_str(),
        "path": downgrade.path, "old": downgrade.old, "new": downgrade.new, "message": downgrade.message,
    })
}
