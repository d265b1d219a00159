//! The resource attributes that decide what happens to a physical resource when it leaves the
//! stack: [`DeletionPolicy`] (the resource is removed from the template, or the stack is
//! deleted) and [`UpdateReplacePolicy`] (an update replaces it with a new physical resource).
//!
//! The two take different values — `RetainExceptOnCreate` is a `DeletionPolicy` only — so
//! they are two types, and [`UpdateReplacePolicy::try_from`] is the one checked way from the
//! first to the second. [`RemovalPolicy`] sets both at once, the way constructs offer it.
//! [`PolicyValue`] holds either a value or an intrinsic function that computes it, kept as
//! written.

use std::fmt;

use crate::value::Json;

/// `DeletionPolicy`: what CloudFormation does with the physical resource when the resource is
/// removed from the template or its stack is deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeletionPolicy {
    /// Delete it (CloudFormation's default for most types).
    Delete,
    /// Keep it, orphaned from the stack.
    Retain,
    /// Keep it like [`Self::Retain`], except when the stack operation that created it rolls
    /// back: then it is deleted, so a failed first deployment leaves nothing behind.
    RetainExceptOnCreate,
    /// Snapshot it, then delete it (only types that support snapshots: RDS, EBS volumes…).
    Snapshot,
}

impl DeletionPolicy {
    /// Every value, in the order CloudFormation's documentation lists them.
    pub const ALL: [Self; 4] = [Self::Delete, Self::Retain, Self::RetainExceptOnCreate, Self::Snapshot];

    /// The value as written in templates.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Delete => "Delete",
            Self::Retain => "Retain",
            Self::RetainExceptOnCreate => "RetainExceptOnCreate",
            Self::Snapshot => "Snapshot",
        }
    }

    /// The policy with this template name (exact case, as CloudFormation requires).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

/// `UpdateReplacePolicy`: what CloudFormation does with the old physical resource when an
/// update replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UpdateReplacePolicy {
    /// Delete the old resource (CloudFormation's default).
    Delete,
    /// Keep the old resource, outside the stack.
    Retain,
    /// Snapshot the old resource, then delete it (only types that support snapshots).
    Snapshot,
}

impl UpdateReplacePolicy {
    /// Every value, in the order CloudFormation's documentation lists them.
    pub const ALL: [Self; 3] = [Self::Delete, Self::Retain, Self::Snapshot];

    /// The value as written in templates.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Delete => "Delete",
            Self::Retain => "Retain",
            Self::Snapshot => "Snapshot",
        }
    }

    /// The policy with this template name (exact case, as CloudFormation requires).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

/// The error of converting `RetainExceptOnCreate`, which has no `UpdateReplacePolicy` form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0} is a DeletionPolicy value only; UpdateReplacePolicy takes Delete, Retain or Snapshot")]
pub struct NotAnUpdateReplacePolicy(pub DeletionPolicy);

impl TryFrom<DeletionPolicy> for UpdateReplacePolicy {
    type Error = NotAnUpdateReplacePolicy;

    fn try_from(policy: DeletionPolicy) -> Result<Self, Self::Error> {
        match policy {
            DeletionPolicy::Delete => Ok(Self::Delete),
            DeletionPolicy::Retain => Ok(Self::Retain),
            DeletionPolicy::Snapshot => Ok(Self::Snapshot),
            DeletionPolicy::RetainExceptOnCreate => Err(NotAnUpdateReplacePolicy(policy)),
        }
    }
}

impl From<UpdateReplacePolicy> for DeletionPolicy {
    fn from(policy: UpdateReplacePolicy) -> Self {
        match policy {
            UpdateReplacePolicy::Delete => Self::Delete,
            UpdateReplacePolicy::Retain => Self::Retain,
            UpdateReplacePolicy::Snapshot => Self::Snapshot,
        }
    }
}

impl fmt::Display for DeletionPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for UpdateReplacePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Both policies at once, for constructs: what happens to the physical resource whenever it
/// leaves the stack, by removal, stack deletion or replacement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RemovalPolicy {
    /// Delete it: `DeletionPolicy` and `UpdateReplacePolicy` `Delete`.
    Delete,
    /// Keep it: both `Retain`.
    Retain,
    /// `DeletionPolicy: RetainExceptOnCreate` (kept, unless the operation that created it
    /// rolls back) and `UpdateReplacePolicy: Retain` (a replaced resource was not just created,
    /// so it is kept).
    RetainExceptOnCreate,
    /// Snapshot, then delete: both `Snapshot` (only types that support snapshots).
    Snapshot,
}

impl RemovalPolicy {
    /// The `DeletionPolicy` it sets.
    pub fn deletion_policy(self) -> DeletionPolicy {
        match self {
            Self::Delete => DeletionPolicy::Delete,
            Self::Retain => DeletionPolicy::Retain,
            Self::RetainExceptOnCreate => DeletionPolicy::RetainExceptOnCreate,
            Self::Snapshot => DeletionPolicy::Snapshot,
        }
    }

    /// The `UpdateReplacePolicy` it sets.
    pub fn update_replace_policy(self) -> UpdateReplacePolicy {
        match self {
            Self::Delete => UpdateReplacePolicy::Delete,
            Self::Retain | Self::RetainExceptOnCreate => UpdateReplacePolicy::Retain,
            Self::Snapshot => UpdateReplacePolicy::Snapshot,
        }
    }
}

/// The value of a `DeletionPolicy` or `UpdateReplacePolicy` attribute.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicyValue<P> {
    /// A policy written as its string.
    Literal(P),
    /// An intrinsic function that computes it (`{"Fn::If": [...]}`, `{"Ref": "Policy"}`), kept
    /// exactly as written. CloudFormation resolves it to one of the values (its template
    /// reference, "Intrinsic function references in DeletionPolicy and UpdateReplacePolicy
    /// attributes"; at first only under the `AWS::LanguageExtensions` transform).
    Computed(Json),
}

impl<P: Copy> PolicyValue<P> {
    /// The policy, when it is written literally.
    pub fn literal(&self) -> Option<P> {
        match self {
            Self::Literal(policy) => Some(*policy),
            Self::Computed(_) => None,
        }
    }
}

impl<P> From<P> for PolicyValue<P> {
    fn from(policy: P) -> Self {
        Self::Literal(policy)
    }
}

impl<P: Copy + Into<&'static str>> PolicyValue<P> {
    /// The value in its template JSON form.
    pub fn to_json(&self) -> Json {
        match self {
            Self::Literal(policy) => Json::from((*policy).into()),
            Self::Computed(json) => json.clone(),
        }
    }
}

impl From<DeletionPolicy> for &'static str {
    fn from(policy: DeletionPolicy) -> Self {
        policy.as_str()
    }
}

impl From<UpdateReplacePolicy> for &'static str {
    fn from(policy: UpdateReplacePolicy) -> Self {
        policy.as_str()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn names_round_trip_and_are_case_sensitive() {
        for policy in DeletionPolicy::ALL {
            assert_eq!(DeletionPolicy::from_name(policy.as_str()), Some(policy));
        }
        for policy in UpdateReplacePolicy::ALL {
            assert_eq!(UpdateReplacePolicy::from_name(policy.as_str()), Some(policy));
        }
        assert_eq!(DeletionPolicy::from_name("retain"), None);
        assert_eq!(DeletionPolicy::from_name("RetainExceptOnDelete"), None, "not a CloudFormation value");
        assert_eq!(UpdateReplacePolicy::from_name("RetainExceptOnCreate"), None);
    }

    #[test]
    fn retain_except_on_create_is_not_an_update_replace_policy() {
        assert_eq!(UpdateReplacePolicy::try_from(DeletionPolicy::Retain), Ok(UpdateReplacePolicy::Retain));
        let err = UpdateReplacePolicy::try_from(DeletionPolicy::RetainExceptOnCreate).unwrap_err();
        assert_eq!(
            err.to_string(),
            "RetainExceptOnCreate is a DeletionPolicy value only; UpdateReplacePolicy takes Delete, Retain or Snapshot"
        );
        for policy in UpdateReplacePolicy::ALL {
            assert_eq!(UpdateReplacePolicy::try_from(DeletionPolicy::from(policy)), Ok(policy));
        }
    }

    #[test]
    fn removal_policy_sets_both_attributes() {
        let both = |p: RemovalPolicy| (p.deletion_policy().as_str(), p.update_replace_policy().as_str());
        assert_eq!(both(RemovalPolicy::Delete), ("Delete", "Delete"));
        assert_eq!(both(RemovalPolicy::Retain), ("Retain", "Retain"));
        assert_eq!(both(RemovalPolicy::RetainExceptOnCreate), ("RetainExceptOnCreate", "Retain"));
        assert_eq!(both(RemovalPolicy::Snapshot), ("Snapshot", "Snapshot"));
    }

    #[test]
    fn values_render_as_written() {
        assert_eq!(PolicyValue::from(DeletionPolicy::RetainExceptOnCreate).to_json(), json!("RetainExceptOnCreate"));
        let computed = json!({"Fn::If": ["IsProd", "Retain", "Delete"]});
        assert_eq!(PolicyValue::<UpdateReplacePolicy>::Computed(computed.clone()).to_json(), computed);
        assert_eq!(PolicyValue::<DeletionPolicy>::Computed(computed).literal(), None);
    }
}
