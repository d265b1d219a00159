//! Security tables: IAM statement changes and security-group rule changes between two
//! templates, each marked [`Direction::Broadening`] or [`Direction::Narrowing`], and
//! security downgrades ([`downgrade`]: retention, scanning, encryption, deletion protection,
//! public access, TLS and deployment guards weakened).
//!
//! Statements and rules are compared as sets: equal ones (semantically) cancel out, the rest
//! are paired (by `Sid`, then by what they share) so a widened statement reads as one change,
//! not as a removal and an addition.

pub mod downgrade;
mod downgrade_check;
mod iam;
mod network;
mod statement;
mod tls;

use std::fmt;

use serde_json::Map;
use stackwright_template::{Intrinsic, Json};

pub use downgrade::{Category, Downgrade};
pub use iam::IamChange;
pub use network::{SgRule, SgRuleChange};
pub use statement::IamStatement;
pub(crate) use statement::glob;

/// Whether a change widens or restricts access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// Access shrinks (fewer actions, narrower resources, a removed Allow, a new Deny…).
    Narrowing,
    /// Access grows (more actions, wider resources or principals, fewer conditions, a new
    /// Allow, a removed Deny, a port opened…). Changes that cannot be ordered (a principal
    /// replaced by another) count as broadening: the new one gains access.
    Broadening,
}

impl Direction {
    /// `broadening` or `narrowing`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Narrowing => "narrowing",
            Self::Broadening => "broadening",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a statement or rule was added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// Present only in the new template.
    Added,
    /// Present only in the old template.
    Removed,
    /// Present in both, different.
    Changed,
}

impl ChangeKind {
    /// `added`, `removed` or `changed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
        }
    }
}

/// Every security-relevant change between two templates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SecurityChanges {
    /// IAM statement and managed-policy changes, sorted by resource then policy.
    pub iam: Vec<IamChange>,
    /// Security-group rule changes, sorted by resource.
    pub security_groups: Vec<SgRuleChange>,
    /// Settings weakened, by logical ID, then in the order of the downgrade table.
    pub downgrades: Vec<Downgrade>,
}

impl SecurityChanges {
    /// Whether there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.iam.is_empty() && self.security_groups.is_empty() && self.downgrades.is_empty()
    }

    /// Whether an IAM change widens access.
    pub fn has_iam_broadening(&self) -> bool {
        self.iam.iter().any(|c| c.direction == Direction::Broadening)
    }

    /// Whether a security-group change widens access.
    pub fn has_sg_broadening(&self) -> bool {
        self.security_groups.iter().any(|c| c.direction == Direction::Broadening)
    }
}

/// The security changes between two Resources sections.
pub(crate) fn changes(old: &Map<String, Json>, new: &Map<String, Json>) -> SecurityChanges {
    let mut ids: Vec<&String> = old.keys().chain(new.keys()).collect();
    ids.sort();
    ids.dedup();
    let mut result = SecurityChanges::default();
    for id in ids {
        let (before, after) = (old.get(id.as_str()), new.get(id.as_str()));
        iam::resource_changes(id, before, after, &mut result.iam);
        network::resource_changes(id, before, after, &mut result.security_groups);
        if let (Some(before), Some(after)) = (before, after) {
            downgrade::resource_changes(id, before, after, &mut result.downgrades);
        }
    }
    // By logical ID, then policy (as documented); a stable sort keeps each policy's
    // statements in pairing order.
    result.iam.sort_by(|a, b| (&a.resource, &a.policy).cmp(&(&b.resource, &b.policy)));
    result
}

/// A value for people: strings as they are, `Ref X` as `!Ref X`, `Fn::GetAtt` as `X.Attr`,
/// `Fn::Sub` as its template, anything else as compact JSON.
pub(crate) fn display(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        Json::Object(_) if Intrinsic::is_function_object(value) => match Intrinsic::parse(value) {
            Ok(Intrinsic::Ref(target)) => format!("!Ref {target}"),
            Ok(Intrinsic::GetAtt { resource, attribute }) => format!("!GetAtt {resource}.{attribute}"),
            Ok(Intrinsic::Sub { template, variables }) if variables.is_empty() => format!("!Sub {template}"),
            _ => serde_json::to_string(&canonical(value)).unwrap_or_default(),
        },
        other => serde_json::to_string(&canonical(other)).unwrap_or_default(),
    }
}

/// `value` with every `Fn::GetAtt` in its list form, so both spellings display the same.
fn canonical(value: &Json) -> Json {
    match value {
        Json::Array(items) => Json::Array(items.iter().map(canonical).collect()),
        Json::Object(map) => {
            if let Some(Json::String(dotted)) = map.get("Fn::GetAtt").filter(|_| map.len() == 1)
                && let Some((resource, attribute)) = dotted.split_once('.')
            {
                return serde_json::json!({"Fn::GetAtt": [resource, attribute]});
            }
            Json::Object(map.iter().map(|(k, v)| (k.clone(), canonical(v))).collect())
        }
        other => other.clone(),
    }
}

/// A value that may be one item or a list, as a list (a function call is one item).
pub(crate) fn items(value: Option<&Json>) -> Vec<&Json> {
    match value {
        Some(Json::Array(items)) => items.iter().collect(),
        Some(Json::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

/// The resource type of a resource's JSON.
pub(crate) fn type_of(resource: Option<&Json>) -> Option<&str> {
    resource?.get("Type")?.as_str()
}

/// A property of a resource's JSON.
pub(crate) fn property<'a>(resource: Option<&'a Json>, name: &str) -> Option<&'a Json> {
    resource?.get("Properties")?.get(name)
}
