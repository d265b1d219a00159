//! The diff's data model: what changed in each section, and for each resource what
//! CloudFormation will do about it ([`Impact`]) and why ([`Reason`]).
//!
//! Everything is keyed by sorted maps or kept in sorted order, so two runs over the same
//! inputs give equal values (and equal rendered output).

use std::collections::BTreeMap;
use std::fmt;

use stackwright_template::Json;

use crate::security::SecurityChanges;

/// What CloudFormation will do to one resource, ordered from harmless to worst.
///
/// The order is a "badness" scale for gating CI: `NoChange < Create < Update < Revision <
/// MayReplace < Replace < Orphan < Destroy`. Creating is less risky than touching something
/// that exists; a new revision (an ECS task definition, a launch template version) starts a
/// rollout but loses nothing; replacing creates a new physical resource and deletes the old
/// one; orphaning removes the
/// resource from the stack but keeps it (no data lost, but it leaks and may block a later
/// create with the same name); destroying deletes it and its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    /// Nothing changes.
    NoChange,
    /// The resource is new.
    Create,
    /// Updated in place.
    Update,
    /// A new revision of a versioned resource: an ECS task definition (every property is
    /// create-only, and the old revision is only deregistered) or an EC2 launch template
    /// (a new version). What runs it rolls out; no data is lost.
    Revision,
    /// Replaced if a value unknown offline (a parameter, an import…) differs from the
    /// deployed one.
    MayReplace,
    /// A new physical resource is created and the old one deleted.
    Replace,
    /// Removed from the stack but kept (`DeletionPolicy: Retain`).
    Orphan,
    /// Removed from the stack and deleted.
    Destroy,
}

impl Impact {
    /// A short lowercase word for output: `create`, `may replace`…
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoChange => "no change",
            Self::Create => "create",
            Self::Update => "update",
            Self::Revision => "revision",
            Self::MayReplace => "may replace",
            Self::Replace => "replace",
            Self::Orphan => "orphan",
            Self::Destroy => "destroy",
        }
    }
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One changed value, at a path inside an entry (`/Properties/ImageTagMutability`,
/// `/DependsOn`, `/Default`…). `old` is `None` when added, `new` is `None` when removed.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyChange {
    /// JSON-pointer-like path from the entry's root (`/Properties/Tags/0/Value`).
    pub path: String,
    /// The value before, if any.
    pub old: Option<Json>,
    /// The value after, if any.
    pub new: Option<Json>,
    /// Whether this change (alone) makes CloudFormation replace the resource: it touches a
    /// create-only property, and the values are known to differ.
    pub forces_replacement: bool,
    /// Whether this change may make CloudFormation replace the resource: it touches a
    /// create-only property whose old or new value is known only at deploy time, or a
    /// property of a type without a vendored schema. Never with `forces_replacement`.
    pub may_force_replacement: bool,
    /// Whether this change makes a new revision of a versioned resource (a task
    /// definition's create-only property, a launch template's `LaunchTemplateData`). Never
    /// with the two above.
    pub forces_revision: bool,
}

/// Why a resource gets its impact. Each variant names the path involved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The resource type changed: always a replacement.
    TypeChanged { old: String, new: String },
    /// A create-only property changed to a value known to differ.
    CreateOnlyChanged { path: String },
    /// A create-only property changed, and its old or new value is known only at deploy time
    /// (a parameter, an import…), so it may or may not differ.
    CreateOnlyUnknown { path: String },
    /// A property refers to a resource that is replaced (or may be, or gets a new revision),
    /// so its value changes too. `attribute` is `None` for a `Ref`. `impact` is what this link
    /// alone does: `Update`, `Revision` (a create-only property of a versioned resource),
    /// `MayReplace` or `Replace` (a create-only property); `forces_replacement` when it is
    /// one of the last two.
    ReferencesReplaced {
        path: String,
        target: String,
        attribute: Option<String>,
        target_impact: Impact,
        impact: Impact,
        forces_replacement: bool,
    },
    /// The resource gets a new revision rather than a replacement: `effect` says what that
    /// does (`new task definition revision; the service rolls out`).
    Revision { effect: &'static str },
    /// A property whose change makes a new revision changed (`certain`), or depends on a
    /// value known only at deploy time.
    RevisionPropertyChanged { path: String, certain: bool },
    /// The resource's text is unchanged (or changed elsewhere), but a value it reads from
    /// another section changed: a parameter's `Default` (`section` `parameters`), a mapping
    /// value read by `Fn::FindInMap` (`mappings`; `name` is `Map/Top/Second` when the keys
    /// are literal, else the mapping), or a condition used by `Fn::If` or by the resource's
    /// `Condition` attribute (`conditions`; `path` `/Condition`: the resource may be created
    /// or deleted). `impact` is what this link alone does: `Update`, `MayReplace` or
    /// `Replace` (a create-only property whose value is known to change).
    InputChanged { path: String, section: String, name: String, impact: Impact },
    /// A property the registry schema lists as conditionally create-only changed: some
    /// changes to it replace the resource, others update it.
    ConditionallyCreateOnly { path: String },
    /// A custom resource's `ServiceToken` changed (`certain`), or depends on a deploy-time
    /// value: CloudFormation does not update it (AWS documents "Updates aren't supported"),
    /// so the stack update fails.
    ServiceTokenChanged { certain: bool },
    /// A replacement AWS documents for a property the registry schema does not list as
    /// create-only (`source`: the documentation page).
    DocumentedReplacement { path: String, source: &'static str },
    /// The type is a module (`module`) or in no us-east-1 registry, so which properties are
    /// create-only is unknown: a changed property may force replacement.
    NotAssessed { module: bool },
    /// A stateful resource that may be replaced (without `UpdateReplacePolicy: Retain`):
    /// its data may be lost. Certain losses are [`ResourceChange::data_loss`].
    DataLossPossible,
    /// Removed (or its stack deleted) with `DeletionPolicy: Retain` or `RetainExceptOnCreate`
    /// (which deletes only when the operation that created the resource rolls back).
    Retained { policy: String },
    /// Replaced, but `UpdateReplacePolicy: Retain` keeps the old physical resource.
    OldRetainedOnReplace,
    /// A removed and an added resource of the same type with equal properties.
    Renamed { from: String, to: String },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TypeChanged { old, new } => write!(f, "type changed {old} -> {new}: forces replacement"),
            Self::CreateOnlyChanged { path } => write!(f, "{path} is create-only: changing it forces replacement"),
            Self::CreateOnlyUnknown { path } => {
                write!(
                    f,
                    "{path} is create-only and depends on a value known only at deploy time: may force replacement"
                )
            }
            Self::ReferencesReplaced { path, target, attribute, target_impact, impact, .. } => {
                let what = match attribute {
                    Some(attribute) => format!("{target}.{attribute}"),
                    None => format!("Ref {target}"),
                };
                let verb = match target_impact {
                    Impact::Replace => "is replaced",
                    Impact::Revision => "gets a new revision",
                    _ => "may be replaced",
                };
                write!(f, "{path} uses {what}, and {target} {verb}")?;
                let value = match attribute {
                    Some(attribute) => format!("new {attribute}"),
                    None => "new physical ID".to_owned(),
                };
                match (impact, target_impact) {
                    (Impact::MayReplace, Impact::Replace | Impact::Revision) => {
                        f.write_str(": conditionally create-only, may force replacement")
                    }
                    (Impact::Replace | Impact::MayReplace, _) => f.write_str(": create-only, forces replacement"),
                    (Impact::Revision, _) => f.write_str(": create-only, new revision"),
                    (_, Impact::Replace) => write!(f, ": an update to its {value}"),
                    (_, Impact::Revision) => Ok(()),
                    _ => write!(f, ": an update if it gets a {value}"),
                }
            }
            Self::Revision { effect } => f.write_str(effect),
            Self::RevisionPropertyChanged { path, certain: true } => {
                write!(f, "{path} changed: a new revision is registered")
            }
            Self::RevisionPropertyChanged { path, certain: false } => {
                write!(f, "{path} depends on a value known only at deploy time: may register a new revision")
            }
            Self::InputChanged { path, section, name, impact } => {
                match section.as_str() {
                    "conditions" if path == "/Condition" => {
                        return write!(
                            f,
                            "Condition {name} changed: the resource may be created or deleted (its value is known only at deploy time)"
                        );
                    }
                    "parameters" => {
                        let what = match impact {
                            Impact::Replace | Impact::MayReplace => "create-only: replaced if",
                            Impact::Revision => "a new revision if",
                            _ => "an update only if",
                        };
                        return write!(
                            f,
                            "{path} reads parameter {name}, whose Default changed: {what} the stack uses the default"
                        );
                    }
                    "mappings" => write!(f, "{path} uses mapping value {name}, which changed")?,
                    _ => write!(f, "{path} uses condition {name}, which changed")?,
                }
                match impact {
                    Impact::Replace => f.write_str(": create-only, forces replacement"),
                    Impact::MayReplace => f.write_str(": create-only, may force replacement"),
                    Impact::Revision => f.write_str(": new revision"),
                    _ => Ok(()),
                }
            }
            Self::ConditionallyCreateOnly { path } => {
                write!(f, "{path} is conditionally create-only (registry schema): some changes to it force replacement")
            }
            Self::ServiceTokenChanged { certain: true } => f.write_str(
                "ServiceToken changed: CloudFormation does not update a custom resource's ServiceToken (\"Updates aren't supported\"), so the stack update fails; give the resource a new logical ID to replace it",
            ),
            Self::ServiceTokenChanged { certain: false } => f.write_str(
                "ServiceToken depends on a value known only at deploy time: if it changes, the stack update fails (a custom resource's ServiceToken cannot be updated)",
            ),
            Self::DocumentedReplacement { path, source } => {
                write!(f, "{path}: AWS documents \"Update requires: Replacement\", which the registry schema omits ({source})")
            }
            Self::NotAssessed { module: false } => {
                f.write_str("type not in the us-east-1 registry: replacement not assessed")
            }
            Self::NotAssessed { module: true } => {
                f.write_str("module: the resources it expands to are not in the template: replacement not assessed")
            }
            Self::DataLossPossible => f.write_str("stateful and may be replaced: its data may be lost"),
            Self::Retained { policy } => write!(f, "DeletionPolicy {policy}: removed from the stack but kept"),
            Self::OldRetainedOnReplace => f.write_str("UpdateReplacePolicy Retain: the old physical resource is kept"),
            Self::Renamed { from, to } => {
                write!(f, "logical ID renamed {from} -> {to}: CloudFormation will replace it; keep the old ID")
            }
        }
    }
}

/// What happens to one resource.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceChange {
    /// The logical ID.
    pub logical_id: String,
    /// The type before (`None` when created).
    pub old_type: Option<String>,
    /// The type after (`None` when removed).
    pub new_type: Option<String>,
    /// What CloudFormation will do.
    pub impact: Impact,
    /// Changed values, sorted by path.
    pub property_changes: Vec<PropertyChange>,
    /// Why the impact is what it is (replacement causes, propagation links, renames).
    pub reasons: Vec<Reason>,
    /// A stateful resource (repository, bucket, log group…) is deleted or replaced, and its
    /// data with it.
    pub data_loss: bool,
    /// The whole resource (without its `Type`) when it is created (the new one) or removed
    /// (the old one), for renderers that show what is created or destroyed; `None` otherwise.
    pub definition: Option<Json>,
}

impl ResourceChange {
    /// The type to show: the new one, or the old one for a removed resource.
    pub fn resource_type(&self) -> &str {
        self.new_type.as_deref().or(self.old_type.as_deref()).unwrap_or_default()
    }
}

/// A change to one entry of a section other than Resources (a parameter, output…).
#[derive(Debug, Clone, PartialEq)]
pub struct EntryChange {
    /// The entry before (`None` when added).
    pub old: Option<Json>,
    /// The entry after (`None` when removed).
    pub new: Option<Json>,
    /// Changed values inside the entry; empty when added or removed.
    pub changes: Vec<PropertyChange>,
}

/// A change to an output's export name. Removing or renaming an export that another stack
/// imports makes the deploy fail.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportChange {
    /// The output's logical ID.
    pub output: String,
    /// The export name before.
    pub old_name: Option<Json>,
    /// The export name after.
    pub new_name: Option<Json>,
    /// Why the exported value changes (or may) while its name stays: CloudFormation refuses
    /// to change a value another stack imports. `None` for a removed or renamed export.
    pub value_change: Option<ValueChange>,
}

/// Why an export's value changes while its name stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueChange {
    /// `Bucket is replaced`, `Repo may be replaced`, `its value changed`,
    /// `parameter Name's Default changed`…
    pub why: String,
    /// Known to change (a replaced resource, a changed value or mapping value), not just
    /// possibly (a may-replace, a parameter default, a condition).
    pub certain: bool,
}

impl ExportChange {
    /// Whether importers of the old name break: the old export disappears, or its value
    /// changes (the update is blocked while anything imports it).
    pub fn breaks_importers(&self) -> bool {
        // A value that only may change is flagged, not counted: like a may-replace, it
        // depends on what is deployed.
        self.old_name.is_some() && self.value_change.as_ref().is_none_or(|change| change.certain)
    }
}

/// The semantic difference between two templates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TemplateDiff {
    /// Top-level values other than the sections below (`Description`, `Transform`,
    /// `Metadata`, `AWSTemplateFormatVersion`…), by section name.
    pub other: BTreeMap<String, EntryChange>,
    /// Changed parameters.
    pub parameters: BTreeMap<String, EntryChange>,
    /// Changed mappings.
    pub mappings: BTreeMap<String, EntryChange>,
    /// Changed conditions.
    pub conditions: BTreeMap<String, EntryChange>,
    /// Changed rules.
    pub rules: BTreeMap<String, EntryChange>,
    /// Changed resources (only those whose impact is not [`Impact::NoChange`]).
    pub resources: BTreeMap<String, ResourceChange>,
    /// Changed outputs.
    pub outputs: BTreeMap<String, EntryChange>,
    /// Changed export names, sorted by output.
    pub exports: Vec<ExportChange>,
    /// Detected logical-ID renames `(from, to)`, sorted.
    pub renames: Vec<(String, String)>,
    /// IAM statement and security-group rule changes, each broadening or narrowing.
    pub security: SecurityChanges,
}

impl TemplateDiff {
    /// Whether anything differs at all.
    pub fn has_changes(&self) -> bool {
        !(self.other.is_empty()
            && self.parameters.is_empty()
            && self.mappings.is_empty()
            && self.conditions.is_empty()
            && self.rules.is_empty()
            && self.resources.is_empty()
            && self.outputs.is_empty())
    }

    /// The worst resource impact, [`Impact::NoChange`] when no resource changes.
    pub fn worst_impact(&self) -> Impact {
        self.resources.values().map(|r| r.impact).max().unwrap_or(Impact::NoChange)
    }

    /// Whether a stateful resource loses its data.
    pub fn has_data_loss(&self) -> bool {
        self.resources.values().any(|r| r.data_loss)
    }

    /// Whether an export that other stacks may import is removed or renamed.
    pub fn breaks_exports(&self) -> bool {
        self.exports.iter().any(ExportChange::breaks_importers)
    }

    /// The replacement chain ending at `id`: the resource whose own change started it first,
    /// then each resource replaced, revised or updated because it refers to the previous one,
    /// `id` last. Just `[id]` when its impact has no propagated cause.
    pub fn replacement_chain(&self, id: &str) -> Vec<String> {
        let mut chain = vec![id.to_owned()];
        let mut current = id;
        while let Some(target) = self.resources.get(current).and_then(|change| {
            change.reasons.iter().find_map(|reason| match reason {
                Reason::ReferencesReplaced { target, .. } => Some(target.as_str()),
                _ => None,
            })
        }) {
            if chain.iter().any(|seen| seen == target) {
                break;
            }
            chain.push(target.to_owned());
            current = target;
        }
        chain.reverse();
        chain
    }
}
