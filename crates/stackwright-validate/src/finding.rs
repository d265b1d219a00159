//! [`Finding`] and [`Report`]: what validation found, sorted and deterministic.

use std::fmt;

use serde_json::json;
use stackwright_template::read::Position;

/// How bad a finding is, and who says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// CloudFormation would reject the template: when it validates it, or when the stack
    /// operation asks the service (ECS refuses an unsupported Fargate size). `validate` fails,
    /// `synth` writes nothing.
    Error,
    /// CloudFormation accepts it, but it costs or misleads: a body that must go through S3, an
    /// acknowledgement with nothing to acknowledge. Reported; fails only when denied
    /// (`validate --deny warning`, `--strict`).
    Warning,
    /// Stackwright's own rules, which CloudFormation does not make: security and hygiene
    /// (wildcard actions, writable root filesystems, unbounded log retention…) and delivery
    /// checks (a rolling update that cannot progress). Reported and counted; `validate` fails
    /// on them only when denied (`--deny policy`, `--strict`), while `synth` holds the
    /// templates it writes to them. A resource may acknowledge one, with a reason.
    Policy,
}

impl Severity {
    /// Every level, most severe first.
    pub const ALL: [Self; 3] = [Self::Error, Self::Warning, Self::Policy];

    /// `error`, `warning` or `policy`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Policy => "policy",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One violation of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Error, warning or policy (from the rule, see [`crate::RULES`]).
    pub severity: Severity,
    /// The rule's stable id, e.g. `ref/unknown-target`.
    pub rule: &'static str,
    /// The logical ID of the resource, parameter, output… the finding is about.
    pub logical_id: Option<String>,
    /// The construct path that added that entry, when the template knows a better one than
    /// `Resources/<LogicalId>`.
    pub owner: Option<String>,
    /// JSON pointer to the offending value (`""` for the whole document).
    pub pointer: String,
    /// Where the offending value is written, when the template was read from a file (the
    /// line and column of its key, or of the closest value that contains it).
    pub position: Option<Position>,
    /// The offending value and what was expected.
    pub message: String,
}

impl Finding {
    /// A finding of `rule` (its severity from [`crate::RULES`]; unknown ids are errors).
    pub fn new(rule: &'static str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        let severity = crate::rule(rule).map_or(Severity::Error, |r| r.severity);
        Self {
            severity,
            rule,
            logical_id: None,
            owner: None,
            pointer: pointer.into(),
            position: None,
            message: message.into(),
        }
    }

    /// The same finding, about the entry `logical_id`.
    #[must_use]
    pub fn about(mut self, logical_id: impl Into<String>) -> Self {
        self.logical_id = Some(logical_id.into());
        self
    }

    /// The same finding, written at `position`.
    #[must_use]
    pub fn at(mut self, position: Position) -> Self {
        self.position = Some(position);
        self
    }

    /// The finding as JSON (the `--format json` item, version 2).
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "severity": self.severity.as_str(),
            "rule": self.rule,
            "logical_id": self.logical_id,
            "construct_path": self.owner,
            "pointer": self.pointer,
            "line": self.position.map(|p| p.line),
            "column": self.position.map(|p| p.column),
            "message": self.message,
        })
    }

    /// The finding as a line about `file`: `file:line:column: <finding>` when its position is
    /// known, `file: <finding>` when not.
    pub fn located(&self, file: &str) -> String {
        match self.position {
            Some(position) => format!("{file}:{position}: {self}"),
            None => format!("{file}: {self}"),
        }
    }
}

/// `error[rule] LogicalId (construct path) at /pointer: message` (the position is not part of
/// it: [`Finding::located`] puts it after the file name, where editors look for it).
/// The sections whose members are named entries (a finding in one is about that entry).
const ENTRY_SECTIONS: [&str; 5] = ["Parameters", "Mappings", "Conditions", "Resources", "Outputs"];

/// The finding, about the entry `pointer` is in (`/Resources/Bucket/…` is about `Bucket`); a
/// pointer outside the named-entry sections leaves it as it is.
pub(crate) fn about(finding: Finding, pointer: &str) -> Finding {
    let mut segments = pointer.split('/').skip(1);
    match (segments.next(), segments.next()) {
        (Some(section), Some(entry)) if ENTRY_SECTIONS.contains(&section) => {
            finding.about(stackwright_template::pointer::unescape(entry))
        }
        _ => finding,
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.severity, self.rule)?;
        if let Some(id) = &self.logical_id {
            write!(f, " {id}")?;
        }
        if let Some(owner) = &self.owner {
            write!(f, " ({owner})")?;
        }
        if !self.pointer.is_empty() {
            write!(f, " at {}", self.pointer)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why a resource's properties could not be checked against a registry schema.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UncheckedReason {
    /// `Custom::*` or `AWS::CloudFormation::CustomResource`: the provider behind
    /// `ServiceToken` defines the properties; only `ServiceToken` is checked.
    Custom,
    /// `Org::Service::Name::MODULE`: a module registered in the deploying account.
    Module,
    /// Not in `us-east-1`'s registry, but in these regions'.
    OtherRegions(Vec<String>),
    /// Not a public registry type (another namespace than `AWS::`): a private or
    /// third-party extension, registered in the deploying account.
    Unregistered,
    /// Expanded or possibly rewritten by this transform before CloudFormation reads it.
    Transform(String),
}

impl UncheckedReason {
    /// A stable one-word code: `custom`, `module`, `other-regions`, `unregistered`,
    /// `transform`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Custom => "custom",
            Self::Module => "module",
            Self::OtherRegions(_) => "other-regions",
            Self::Unregistered => "unregistered",
            Self::Transform(_) => "transform",
        }
    }
}

impl fmt::Display for UncheckedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Custom => {
                f.write_str("custom resource: its provider defines the properties; only ServiceToken is checked")
            }
            Self::Module => f.write_str("module: its schema is registered in the deploying account"),
            Self::OtherRegions(regions) => {
                write!(f, "not in the us-east-1 registry; registered in {}", regions.join(", "))
            }
            Self::Unregistered => {
                f.write_str("not a public registry type: a private or third-party extension of the deploying account")
            }
            Self::Transform(name) => write!(f, "expanded by the transform {name} before CloudFormation reads it"),
        }
    }
}

/// The resources of one type whose properties were not checked against a registry schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchecked {
    /// The resource type.
    pub type_name: String,
    /// Why not.
    pub reason: UncheckedReason,
    /// The resources of that type, sorted.
    pub logical_ids: Vec<String>,
}

impl Unchecked {
    /// As JSON (an item of `--format json`'s `unchecked`, version 1).
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "type": self.type_name,
            "reason": self.reason.code(),
            "detail": self.reason.to_string(),
            "logical_ids": self.logical_ids,
        })
    }
}

/// `Custom::Seeder (custom resource: …): Seed, Reseed`.
impl fmt::Display for Unchecked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.type_name, self.reason, self.logical_ids.join(", "))
    }
}

/// Everything validation found, sorted by pointer, then rule, then message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Findings that count: errors, warnings and policy findings.
    pub findings: Vec<Finding>,
    /// Findings acknowledged in the resource's `Metadata`, with a reason: not counted.
    pub acknowledged: Vec<Finding>,
    /// What could not be checked against a registry schema, by type (sorted).
    pub unchecked: Vec<Unchecked>,
}

impl Report {
    pub(crate) fn from_findings(findings: Vec<Finding>) -> Self {
        let mut report = Self { findings, acknowledged: Vec::new(), unchecked: Vec::new() };
        report.sort();
        report
    }

    /// The number of resources not checked against a registry schema.
    pub fn unchecked_resources(&self) -> usize {
        self.unchecked.iter().map(|u| u.logical_ids.len()).sum()
    }

    pub(crate) fn sort(&mut self) {
        let key = |f: &Finding| (f.pointer.clone(), f.rule, f.message.clone());
        self.findings.sort_by_key(key);
        self.findings.dedup();
        self.acknowledged.sort_by_key(key);
    }

    /// The findings of one level.
    pub fn of(&self, severity: Severity) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.severity == severity)
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.of(Severity::Error)
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.of(Severity::Warning)
    }

    /// The policy findings.
    pub fn policy_findings(&self) -> impl Iterator<Item = &Finding> {
        self.of(Severity::Policy)
    }

    /// Whether anything is an error.
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// Whether anything is a policy finding.
    pub fn has_policy_findings(&self) -> bool {
        self.policy_findings().next().is_some()
    }

    /// Whether there is nothing to report at all.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

/// One finding per line.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in &self.findings {
            writeln!(f, "{finding}")?;
        }
        Ok(())
    }
}
