//! Resource impacts: create / update / replace / may replace / destroy / orphan, from the
//! registry's create-only properties ([`crate::replacement`]); rename detection; data-loss
//! flags; and propagation of replacements along references.
//!
//! Propagation builds a reverse-reference index of the new template once and then runs a
//! worklist over it, so a chain of `n` links costs `O(n)` work, not `O(n²)`.

use std::collections::{BTreeMap, HashMap, VecDeque};

use serde_json::Map;
use stackwright_template::{DeletionPolicy, Json};

use crate::deploy_time::{known_only_at_deploy, may_equal, uncertain};
use crate::equality;
use crate::inputs::Inputs;
use crate::model::{Impact, PropertyChange, Reason, ResourceChange};
use crate::references::{self, Kind, Reference};
use crate::replacement::{self, Kind as TypeKind};
use crate::revision;
use crate::template::{diff_resource, values_at};

/// Types whose deletion loses data: images, objects, logs, files, keys, commits, tables,
/// databases, caches, search indexes, queued messages, streams, secrets, volumes, backups.
pub const STATEFUL_TYPES: [&str; 27] = [
    "AWS::Backup::BackupVault",
    "AWS::CodeCommit::Repository",
    "AWS::DocDB::DBCluster",
    "AWS::DocDB::DBInstance",
    "AWS::DynamoDB::GlobalTable",
    "AWS::DynamoDB::Table",
    "AWS::EC2::Volume",
    "AWS::ECR::Repository",
    "AWS::EFS::FileSystem",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElastiCache::ServerlessCache",
    "AWS::Elasticsearch::Domain",
    "AWS::FSx::FileSystem",
    "AWS::KMS::Key",
    "AWS::Kinesis::Stream",
    "AWS::Logs::LogGroup",
    "AWS::MSK::Cluster",
    "AWS::Neptune::DBCluster",
    "AWS::OpenSearchService::Domain",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::Redshift::Cluster",
    "AWS::S3::Bucket",
    "AWS::SQS::Queue",
    "AWS::SecretsManager::Secret",
    "AWS::Timestream::Table",
];

/// The change of every resource whose impact is not [`Impact::NoChange`], and the renames
/// detected, given the Resources sections of both templates and the changed inputs.
pub(crate) fn resource_changes(
    old: &Map<String, Json>,
    new: &Map<String, Json>,
    inputs: &Inputs<'_>,
) -> (BTreeMap<String, ResourceChange>, Vec<(String, String)>) {
    let mut changes: BTreeMap<String, ResourceChange> = BTreeMap::new();
    for (id, old_json) in old {
        let change = match new.get(id) {
            Some(new_json) => direct_change(id, old_json, new_json),
            None => removed(id, old_json),
        };
        changes.insert(id.clone(), change);
    }
    for (id, new_json) in new.iter().filter(|(id, _)| !old.contains_key(*id)) {
        let change = ResourceChange {
            logical_id: id.clone(),
            old_type: None,
            new_type: type_of(new_json),
            impact: Impact::Create,
            property_changes: Vec::new(),
            reasons: Vec::new(),
            data_loss: false,
            definition: Some(definition(new_json)),
        };
        changes.insert(id.clone(), change);
    }
    let renames = detect_renames(old, new, &mut changes);
    propagate(old, new, inputs, &mut changes);
    for change in changes.values_mut() {
        let new_json = new.get(&change.logical_id);
        match loses_data(change, new_json) {
            Some(true) => change.data_loss = true,
            Some(false) => change.reasons.push(Reason::DataLossPossible),
            None => {}
        }
        let kept = new_json.and_then(|r| r.get("UpdateReplacePolicy")).and_then(Json::as_str) == Some("Retain");
        if kept && matches!(change.impact, Impact::Replace | Impact::MayReplace) {
            change.reasons.push(Reason::OldRetainedOnReplace);
        }
    }
    changes.retain(|_, change| change.impact != Impact::NoChange);
    (changes, renames)
}

fn type_of(resource: &Json) -> Option<String> {
    resource.get("Type").and_then(Json::as_str).map(str::to_owned)
}

/// A resource the new template no longer has (or whose whole stack is deleted: the same
/// thing to CloudFormation). `RetainExceptOnCreate` deletes only when the operation that
/// created the resource rolls back; this one existed before, so it is kept like `Retain`. A
/// policy computed by a function (`Fn::If`, a `Ref` to a parameter) is unknown offline: counted as
/// `Delete`, the worst case.
fn removed(id: &str, old: &Json) -> ResourceChange {
    let policy = old.get("DeletionPolicy").and_then(Json::as_str).and_then(DeletionPolicy::from_name);
    let (impact, reasons) = match policy {
        Some(policy @ (DeletionPolicy::Retain | DeletionPolicy::RetainExceptOnCreate)) => {
            (Impact::Orphan, vec![Reason::Retained { policy: policy.as_str().to_owned() }])
        }
        _ => (Impact::Destroy, Vec::new()),
    };
    ResourceChange {
        logical_id: id.to_owned(),
        old_type: type_of(old),
        new_type: None,
        impact,
        property_changes: Vec::new(),
        reasons,
        data_loss: false,
        definition: Some(definition(old)),
    }
}

/// A resource's JSON without its `Type` (shown beside it).
fn definition(resource: &Json) -> Json {
    match resource {
        Json::Object(map) => {
            Json::Object(map.iter().filter(|(k, _)| *k != "Type").map(|(k, v)| (k.clone(), v.clone())).collect())
        }
        other => other.clone(),
    }
}

/// The create-only pointers of a type as path segments from the resource root
/// (`/properties/Foo/Bar` -> `["Properties", "Foo", "Bar"]`).
/// A versioned type's revision paths count too (a launch template's `LaunchTemplateData`):
/// [`revision::apply`] reads their changes as a revision afterwards.
fn create_only(type_name: Option<&str>) -> Vec<Vec<&'static str>> {
    let mut pointers = revision::extra_pointers(type_name);
    if let Some(type_name) = type_name {
        pointers.extend(replacement::create_only(type_name));
    }
    pointers
}

/// Whether a value path and a create-only pointer overlap: one is a prefix of the other.
fn overlaps(path: &str, pointer: &[&str]) -> bool {
    path.split('/').skip(1).zip(pointer).all(|(segment, expected)| *expected == "*" || segment == *expected)
}

/// Whether the values at `pointer` are the same in both resources.
fn same_at(old: &Json, new: &Json, pointer: &[&str]) -> bool {
    let (mut before, mut after) = (Vec::new(), Vec::new());
    values_at(old, pointer, &mut before, "");
    values_at(new, pointer, &mut after, "");
    before.len() == after.len() && before.iter().zip(&after).all(|((p, a), (q, b))| p == q && equality::equal(a, b))
}

/// The change of a resource present in both templates, before propagation.
fn direct_change(id: &str, old: &Json, new: &Json) -> ResourceChange {
    let mut property_changes = diff_resource(old, new);
    let (old_type, new_type) = (type_of(old), type_of(new));
    let mut impact = if property_changes.is_empty() { Impact::NoChange } else { Impact::Update };
    let mut reasons = Vec::new();
    if old_type == new_type {
        let type_name = new_type.as_deref().unwrap_or_default();
        let kind = replacement::kind(type_name);
        // A pointer inside one already reported (`EncryptionConfiguration/KmsKey` after
        // `EncryptionConfiguration`) adds nothing.
        let mut reported: Vec<Vec<&str>> = Vec::new();
        for pointer in create_only(new_type.as_deref()) {
            if reported.iter().any(|r| pointer.starts_with(r)) || same_at(old, new, &pointer) {
                continue;
            }
            let (mut before, mut after) = (Vec::new(), Vec::new());
            values_at(old, &pointer, &mut before, "");
            values_at(new, &pointer, &mut after, "");
            let path = format!("/{}", pointer.join("/"));
            reported.push(pointer.clone());
            // Judged on the values that differ (the deepest changes under the pointer), so a
            // function nested in a create-only object counts, and an unchanged one does not;
            // one difference known offline is enough to force replacement.
            let unknown = if property_changes.iter().any(|c| overlaps(&c.path, &pointer)) {
                property_changes.iter().filter(|c| overlaps(&c.path, &pointer)).all(uncertain)
            } else {
                before.iter().chain(&after).any(|(_, value)| known_only_at_deploy(value))
                    || before.iter().zip(&after).any(|((_, a), (_, b))| may_equal(a, b))
            };
            for change in property_changes.iter_mut().filter(|c| overlaps(&c.path, &pointer)) {
                if uncertain(change) {
                    change.may_force_replacement = !change.forces_replacement;
                } else {
                    change.forces_replacement = true;
                    change.may_force_replacement = false;
                }
            }
            if let Some(source) = replacement::omitted_source(type_name, &path) {
                reasons.push(Reason::DocumentedReplacement { path: path.clone(), source });
            }
            if kind == TypeKind::Custom && path == "/Properties/ServiceToken" {
                reasons.push(Reason::ServiceTokenChanged { certain: !unknown });
            }
            if unknown {
                impact = impact.max(Impact::MayReplace);
                reasons.push(Reason::CreateOnlyUnknown { path });
            } else {
                impact = Impact::Replace;
                reasons.push(Reason::CreateOnlyChanged { path });
            }
        }
        // A conditionally create-only property replaces the resource in some cases only (an
        // instance's `UserData`: an EBS-backed instance is stopped, an instance-store one
        // replaced): `may replace`, the property named.
        for pointer in replacement::conditional(type_name) {
            if reported.iter().any(|r| pointer.starts_with(r)) || same_at(old, new, &pointer) {
                continue;
            }
            reported.push(pointer.clone());
            for change in property_changes.iter_mut().filter(|c| overlaps(&c.path, &pointer)) {
                change.may_force_replacement = !change.forces_replacement;
            }
            impact = impact.max(Impact::MayReplace);
            reasons.push(Reason::ConditionallyCreateOnly { path: format!("/{}", pointer.join("/")) });
        }
        // A module or a type in no us-east-1 registry: nothing says which properties are
        // create-only, so a changed property may replace the resource, and `--fail-on
        // replace` must not pass silently. A versioned type's revision paths are assessed.
        let unassessed = matches!(kind, TypeKind::Module | TypeKind::Unknown);
        let unknown =
            |c: &PropertyChange| c.path.starts_with("/Properties") && !revision::covers(new_type.as_deref(), &c.path);
        if unassessed && property_changes.iter().any(unknown) {
            impact = impact.max(Impact::MayReplace);
            reasons.push(Reason::NotAssessed { module: kind == TypeKind::Module });
            for change in property_changes.iter_mut().filter(|c| unknown(c)) {
                change.may_force_replacement = true;
            }
        }
    } else {
        impact = Impact::Replace;
        let name = |t: &Option<String>| t.clone().unwrap_or_default();
        reasons.push(Reason::TypeChanged { old: name(&old_type), new: name(&new_type) });
    }
    ResourceChange {
        logical_id: id.to_owned(),
        old_type,
        new_type,
        impact,
        property_changes,
        reasons,
        data_loss: false,
        definition: None,
    }
}

/// Pairs each removed resource with an added one of the same type and equal properties.
// invariant: `added` holds keys of `new`, and `taken` has one flag per entry of `added`.
fn detect_renames(
    old: &Map<String, Json>,
    new: &Map<String, Json>,
    changes: &mut BTreeMap<String, ResourceChange>,
) -> Vec<(String, String)> {
    let added: Vec<&String> = new.keys().filter(|id| !old.contains_key(*id)).collect();
    let mut taken = vec![false; added.len()];
    let mut renames = Vec::new();
    for (from, old_json) in old.iter().filter(|(id, _)| !new.contains_key(*id)) {
        let found = added.iter().enumerate().find(|(index, to)| {
            let new_json = &new[to.as_str()];
            !taken[*index]
                && type_of(old_json) == type_of(new_json)
                && match (old_json.get("Properties"), new_json.get("Properties")) {
                    (Some(a), Some(b)) => equality::equal(a, b),
                    (a, b) => a == b,
                }
        });
        if let Some((index, to)) = found {
            taken[index] = true;
            let reason = Reason::Renamed { from: from.clone(), to: (*to).clone() };
            for id in [from, *to] {
                if let Some(change) = changes.get_mut(id) {
                    change.reasons.push(reason.clone());
                }
            }
            renames.push((from.clone(), (*to).clone()));
        }
    }
    renames
}

/// Spreads changed inputs (parameter defaults, mapping values, conditions) to the resources
/// that read them, and replacements to the resources that refer to replaced ones,
/// transitively.
fn propagate(
    old: &Map<String, Json>,
    new: &Map<String, Json>,
    inputs: &Inputs<'_>,
    changes: &mut BTreeMap<String, ResourceChange>,
) {
    // Reverse index over resources that exist on both sides: target -> (referrer, reference).
    let mut index: HashMap<&str, Vec<(&str, Reference)>> = HashMap::new();
    let mut buffer = Vec::new();
    for (id, json) in new.iter().filter(|(id, _)| old.contains_key(*id)) {
        buffer.clear();
        if let Some(map) = json.as_object() {
            for (key, value) in map.iter().filter(|(key, _)| *key != "DependsOn") {
                match value {
                    Json::String(condition) if key == "Condition" => {
                        buffer.push(references::condition_reference("/Condition", condition));
                    }
                    _ => references::collect(value, &format!("/{key}"), &mut buffer),
                }
            }
        }
        for reference in buffer.drain(..) {
            if reference.kind == Kind::Value
                && let Some((target, _)) = new.get_key_value(reference.target.as_str())
            {
                index.entry(target.as_str()).or_default().push((id.as_str(), reference));
            } else if let Some((section, name, level)) = inputs.link(&reference)
                && let Some(change) = changes.get_mut(id.as_str())
            {
                let type_name = change.new_type.as_deref();
                let forces = create_only(type_name).iter().any(|p| overlaps(&reference.path, p));
                // A changed `Condition` may create or delete the resource: as uncertain as a
                // may-replace, and as risky.
                let link_impact = if reference.path == "/Condition" || forces {
                    level
                } else if conditional_only(type_name, &reference.path) {
                    level.min(Impact::MayReplace)
                } else {
                    Impact::Update
                };
                let reason = Reason::InputChanged {
                    path: reference.path,
                    section: section.to_owned(),
                    name,
                    impact: link_impact,
                };
                if !change.reasons.contains(&reason) {
                    change.reasons.push(reason);
                }
                change.impact = change.impact.max(link_impact);
            }
        }
    }
    let mut done: HashMap<String, Impact> = HashMap::new();
    // How many `may` links a possible replacement is from its own cause (absent: 0).
    let mut may_depth: HashMap<String, usize> = HashMap::new();
    let mut queue: VecDeque<String> = changes
        .values()
        .filter(|c| c.impact >= Impact::MayReplace && c.impact <= Impact::Replace)
        .map(|c| c.logical_id.clone())
        .collect();
    while let Some(target) = queue.pop_front() {
        let Some(target_impact) = changes.get(&target).map(|change| change.impact) else { continue };
        if done.get(&target).is_some_and(|seen| *seen >= target_impact) {
            continue;
        }
        done.insert(target.clone(), target_impact);
        // A possible replacement reaches its direct referrers only: past that, "may" would
        // compound guesses.
        let depth = if target_impact == Impact::MayReplace { may_depth.get(&target).copied().unwrap_or(0) } else { 0 };
        if depth >= MAY_HOPS {
            continue;
        }
        // A new revision changes only some of a versioned resource's values (a launch
        // template's ID stays).
        let revision = changes.get(&target).and_then(revision::becomes_revision);
        for (referrer, reference) in index.get(target.as_str()).map(Vec::as_slice).unwrap_or_default() {
            if revision.is_some_and(|r| !revision::reference_changes(r, reference.attribute.as_deref())) {
                continue;
            }
            let Some(change) = changes.get_mut(*referrer) else { continue };
            let type_name = change.new_type.as_deref();
            let forces = create_only(type_name).iter().any(|p| overlaps(&reference.path, p));
            let conditional = !forces && conditional_only(type_name, &reference.path);
            let link_impact = if forces {
                target_impact
            } else if conditional {
                target_impact.min(Impact::MayReplace)
            } else {
                Impact::Update
            };
            change.reasons.retain(|r| {
                !matches!(r, Reason::ReferencesReplaced { path, target: t, .. } if *path == reference.path && *t == target)
            });
            change.reasons.push(Reason::ReferencesReplaced {
                path: reference.path.clone(),
                target: target.clone(),
                attribute: reference.attribute.clone(),
                target_impact,
                impact: link_impact,
                forces_replacement: forces || conditional,
            });
            if link_impact > change.impact {
                change.impact = link_impact;
                if link_impact == Impact::MayReplace {
                    let from = if target_impact == Impact::MayReplace { depth + 1 } else { 0 };
                    may_depth.insert((*referrer).to_owned(), from);
                }
                if link_impact >= Impact::MayReplace {
                    queue.push_back((*referrer).to_owned());
                }
            }
        }
    }
}

/// How many links a possible replacement travels: its direct referrers may be replaced (or
/// are updated), theirs are not told.
const MAY_HOPS: usize = 1;

/// Whether a value path lies in a conditionally create-only property of the type.
fn conditional_only(type_name: Option<&str>, path: &str) -> bool {
    type_name.is_some_and(|t| replacement::conditional(t).iter().any(|p| overlaps(path, p)))
}

/// Whether a change of a stateful resource deletes its data (`Some(true)`: destroyed, or
/// certainly replaced without `UpdateReplacePolicy: Retain`) or may (`Some(false)`: a
/// possible replacement).
fn loses_data(change: &ResourceChange, new: Option<&Json>) -> Option<bool> {
    let stateful = change.old_type.as_deref().is_some_and(|t| STATEFUL_TYPES.contains(&t));
    let kept_on_replace = new.and_then(|r| r.get("UpdateReplacePolicy")).and_then(Json::as_str) == Some("Retain");
    match change.impact {
        _ if !stateful => None,
        Impact::Destroy => Some(true),
        Impact::Replace if !kept_on_replace => Some(true),
        Impact::MayReplace if !kept_on_replace => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn removal_keeps_what_the_deletion_policy_keeps() {
        let impact = |policy: Json| removed("R", &json!({"Type": "AWS::S3::Bucket", "DeletionPolicy": policy})).impact;
        assert_eq!(impact(json!("Retain")), Impact::Orphan);
        assert_eq!(impact(json!("RetainExceptOnCreate")), Impact::Orphan);
        assert_eq!(impact(json!("Delete")), Impact::Destroy);
        assert_eq!(impact(json!("Snapshot")), Impact::Destroy);
        // Unknown offline: the worst case.
        assert_eq!(impact(json!({"Fn::If": ["IsProd", "Retain", "Delete"]})), Impact::Destroy);
    }
}
