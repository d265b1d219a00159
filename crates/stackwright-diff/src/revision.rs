//! Versioned resources: types whose "replacement" is a new revision of the same thing, so
//! the diff reports [`Impact::Revision`] instead of a replacement.
//!
//! - `AWS::ECS::TaskDefinition`: every property but `Tags` is create-only in the registry
//!   schema, so CloudFormation "replaces" a task definition on any change. Its create
//!   handler registers a new revision and its delete handler only deregisters the old one
//!   (`ecs:RegisterTaskDefinition` / `ecs:DeregisterTaskDefinition`); a deregistered
//!   (`INACTIVE`) revision keeps running the tasks that use it. What refers to it (a
//!   service's `TaskDefinition`, an updatable property) rolls out to the new revision.
//! - `AWS::EC2::LaunchTemplate`: only `LaunchTemplateName` is create-only; a
//!   `LaunchTemplateData` change is an update whose handler creates a new version
//!   (`ec2:CreateLaunchTemplateVersion`), changing `LatestVersionNumber`. The handler has no
//!   `ec2:ModifyLaunchTemplate`, which sets the default version, so `DefaultVersionNumber`
//!   and the template's ID (`Ref`) stay.
//!
//! The impacts are computed as for any type first (a revision cause counts as a
//! replacement, so propagation and export checks see how certain it is), then [`apply`]
//! turns them into revisions.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Impact, Reason, ResourceChange};

/// One versioned type.
pub(crate) struct RevisionType {
    pub(crate) type_name: &'static str,
    /// The properties whose change makes a new revision.
    pub(crate) paths: RevisionPaths,
    /// The values that change with a new revision: `None` for `Ref`, else the attribute.
    pub(crate) changed_values: &'static [Option<&'static str>],
    /// Whether CloudFormation carries out the revision as a replacement (so
    /// `UpdateReplacePolicy: Retain` keeps the old revision registered) rather than as an
    /// update.
    pub(crate) replaced_by_cloudformation: bool,
    /// What a new revision does, for people.
    pub(crate) effect: &'static str,
}

/// Which properties make a new revision.
pub(crate) enum RevisionPaths {
    /// Every create-only property of the registry schema.
    CreateOnly,
    /// These top-level properties (the type may have no vendored schema).
    Properties(&'static [&'static str]),
}

/// The versioned types, sorted by name.
pub(crate) const REVISION_TYPES: [RevisionType; 2] = [
    RevisionType {
        type_name: "AWS::EC2::LaunchTemplate",
        paths: RevisionPaths::Properties(&["LaunchTemplateData"]),
        changed_values: &[Some("LatestVersionNumber")],
        replaced_by_cloudformation: false,
        effect: "new launch template version; what launches from LatestVersionNumber picks it up",
    },
    RevisionType {
        type_name: "AWS::ECS::TaskDefinition",
        paths: RevisionPaths::CreateOnly,
        changed_values: &[None, Some("TaskDefinitionArn")],
        replaced_by_cloudformation: true,
        effect: "new task definition revision; the service rolls out",
    },
];

/// The versioned type named `type_name`, if it is one.
pub(crate) fn revision_type(type_name: Option<&str>) -> Option<&'static RevisionType> {
    let type_name = type_name?;
    REVISION_TYPES.iter().find(|t| t.type_name == type_name)
}

/// The pointers (as path segments from the resource root) a versioned type adds to its
/// create-only ones: a launch template's `LaunchTemplateData`. Changes there are judged like
/// create-only changes, then read as a revision by [`apply`].
pub(crate) fn extra_pointers(type_name: Option<&str>) -> Vec<Vec<&'static str>> {
    match revision_type(type_name).map(|t| &t.paths) {
        Some(RevisionPaths::Properties(names)) => names.iter().map(|name| vec!["Properties", name]).collect(),
        _ => Vec::new(),
    }
}

/// Whether `path` (a value path from the resource root) lies in one of the extra pointers
/// of a versioned type without a vendored schema: such a change is assessed, not
/// "replacement not assessed".
pub(crate) fn covers(type_name: Option<&str>, path: &str) -> bool {
    extra_pointers(type_name).iter().any(|pointer| {
        let mut segments = path.split('/').skip(1);
        pointer.iter().all(|expected| segments.next() == Some(expected))
    })
}

/// Whether a create-only `path` of a versioned type is one of its revision paths.
fn is_revision_path(revision: &RevisionType, type_name: Option<&str>, path: &str) -> bool {
    match revision.paths {
        RevisionPaths::CreateOnly => true,
        RevisionPaths::Properties(_) => covers(type_name, path),
    }
}

/// Whether a change of a versioned type stays a replacement whatever its revision causes:
/// its type changed, its `Condition` changed (it may be created or deleted), a property of
/// a type without a vendored schema changed outside the revision paths, or a create-only
/// property outside them changed.
fn stays_replacement(revision: &RevisionType, change: &ResourceChange) -> bool {
    let type_name = change.new_type.as_deref();
    change.old_type != change.new_type
        || change.reasons.iter().any(|reason| match reason {
            Reason::TypeChanged { .. } | Reason::NotAssessed { .. } => true,
            Reason::InputChanged { path, .. } => path == "/Condition",
            Reason::CreateOnlyChanged { path }
            | Reason::CreateOnlyUnknown { path }
            | Reason::ConditionallyCreateOnly { path } => !is_revision_path(revision, type_name, path),
            _ => false,
        })
}

/// The impact a reason alone gives.
fn implied(reason: &Reason) -> Impact {
    match reason {
        Reason::TypeChanged { .. } | Reason::CreateOnlyChanged { .. } => Impact::Replace,
        Reason::CreateOnlyUnknown { .. } | Reason::ConditionallyCreateOnly { .. } | Reason::NotAssessed { .. } => {
            Impact::MayReplace
        }
        Reason::ReferencesReplaced { impact, .. } | Reason::InputChanged { impact, .. } => *impact,
        Reason::Revision { .. } | Reason::RevisionPropertyChanged { .. } => Impact::Revision,
        _ => Impact::NoChange,
    }
}

/// Whether `change` is a versioned resource whose replacement-class impact becomes a
/// revision (so only [`RevisionType::changed_values`] change for what refers to it).
pub(crate) fn becomes_revision(change: &ResourceChange) -> Option<&'static RevisionType> {
    let revision = revision_type(change.new_type.as_deref())?;
    (matches!(change.impact, Impact::Replace | Impact::MayReplace) && !stays_replacement(revision, change))
        .then_some(revision)
}

/// Whether a reference to a resource of this versioned type (`attribute` `None` for `Ref`)
/// reads a value that a new revision changes.
pub(crate) fn reference_changes(revision: &RevisionType, attribute: Option<&str>) -> bool {
    revision.changed_values.contains(&attribute)
}

/// Turns the replacement-class impacts of versioned resources into revisions: their
/// create-only reasons become [`Reason::RevisionPropertyChanged`], the links that made them
/// read `Revision`, their value changes `forces_revision`, and the resources referring to
/// them name a new revision rather than a replacement.
pub(crate) fn apply(changes: &mut BTreeMap<String, ResourceChange>) {
    let mut revised = BTreeSet::new();
    for change in changes.values_mut() {
        let Some(revision) = revision_type(change.new_type.as_deref()) else { continue };
        if change.old_type != change.new_type || !matches!(change.impact, Impact::Replace | Impact::MayReplace) {
            continue;
        }
        let stays = stays_replacement(revision, change);
        let type_name = change.new_type.clone();
        let mut caused = false;
        let reasons = std::mem::take(&mut change.reasons);
        for reason in reasons {
            let reason = match reason {
                Reason::CreateOnlyChanged { path } if is_revision_path(revision, type_name.as_deref(), &path) => {
                    Reason::RevisionPropertyChanged { path, certain: true }
                }
                Reason::CreateOnlyUnknown { path } if is_revision_path(revision, type_name.as_deref(), &path) => {
                    Reason::RevisionPropertyChanged { path, certain: false }
                }
                Reason::ReferencesReplaced {
                    path,
                    target,
                    attribute,
                    target_impact,
                    impact: Impact::Replace | Impact::MayReplace,
                    ..
                } if is_revision_path(revision, type_name.as_deref(), &path) => {
                    let impact = Impact::Revision;
                    Reason::ReferencesReplaced {
                        path,
                        target,
                        attribute,
                        target_impact,
                        impact,
                        forces_replacement: false,
                    }
                }
                Reason::InputChanged { path, section, name, impact: Impact::Replace | Impact::MayReplace }
                    if path != "/Condition" && is_revision_path(revision, type_name.as_deref(), &path) =>
                {
                    Reason::InputChanged { path, section, name, impact: Impact::Revision }
                }
                // An update that adds a version replaces nothing: the policy never runs.
                Reason::OldRetainedOnReplace if !revision.replaced_by_cloudformation && !stays => continue,
                other => other,
            };
            caused |= implied(&reason) == Impact::Revision;
            change.reasons.push(reason);
        }
        if !caused {
            continue;
        }
        for property in &mut change.property_changes {
            let known = revision_type_has_schema(revision) || covers(type_name.as_deref(), &property.path);
            if (property.forces_replacement || property.may_force_replacement) && known {
                property.forces_revision = true;
                property.forces_replacement = false;
                property.may_force_replacement = false;
            }
        }
        // What the remaining causes give: a revision, or still a (possible) replacement.
        let floor = if change.property_changes.is_empty() { Impact::NoChange } else { Impact::Update };
        change.impact = change.reasons.iter().map(implied).fold(floor, Impact::max);
        if change.impact == Impact::Revision {
            change.reasons.insert(0, Reason::Revision { effect: revision.effect });
            revised.insert(change.logical_id.clone());
        }
    }
    for change in changes.values_mut() {
        for reason in &mut change.reasons {
            if let Reason::ReferencesReplaced { target, target_impact, .. } = reason
                && revised.contains(target)
            {
                *target_impact = Impact::Revision;
            }
        }
    }
}

/// Whether the versioned type's revision paths come from a vendored schema.
fn revision_type_has_schema(revision: &RevisionType) -> bool {
    matches!(revision.paths, RevisionPaths::CreateOnly) && stackwright_registry::facts(revision.type_name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_the_task_definition_schema_is_in_the_registry() {
        let names: Vec<&str> = REVISION_TYPES.iter().map(|t| t.type_name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        // `CreateOnly` needs the facts; without them nothing would read as a revision.
        for revision in &REVISION_TYPES {
            if matches!(revision.paths, RevisionPaths::CreateOnly) {
                assert!(stackwright_registry::facts(revision.type_name).is_some(), "{}", revision.type_name);
            }
        }
    }

    #[test]
    fn only_the_launch_template_data_is_covered() {
        let lt = Some("AWS::EC2::LaunchTemplate");
        assert!(covers(lt, "/Properties/LaunchTemplateData/ImageId"));
        assert!(covers(lt, "/Properties/LaunchTemplateData"));
        assert!(!covers(lt, "/Properties/LaunchTemplateName"));
        assert!(!covers(lt, "/Properties/LaunchTemplateDataX"));
        assert!(!covers(Some("AWS::ECS::TaskDefinition"), "/Properties/Cpu"));
    }

    #[test]
    fn a_new_revision_changes_only_some_values() {
        let task = revision_type(Some("AWS::ECS::TaskDefinition")).unwrap();
        assert!(reference_changes(task, None) && reference_changes(task, Some("TaskDefinitionArn")));
        let template = revision_type(Some("AWS::EC2::LaunchTemplate")).unwrap();
        assert!(reference_changes(template, Some("LatestVersionNumber")));
        assert!(!reference_changes(template, None), "the launch template's ID stays");
        assert!(!reference_changes(template, Some("DefaultVersionNumber")));
    }
}
