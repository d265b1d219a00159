//! Counts of what a diff does, and the classes of change a CI gate fails on
//! (`stackwright diff --fail-on`).

use crate::model::{Impact, TemplateDiff};
use crate::security::Direction;

/// A class of change a CI gate can fail on (`stackwright diff --fail-on CLASS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gate {
    /// A resource replaced or that may be replaced. A new revision is not one.
    Replace,
    /// A new revision of a versioned resource (task definition, launch template).
    Revision,
    /// A resource destroyed or orphaned.
    Destroy,
    /// A stateful resource destroyed or replaced without keeping the old one.
    DataLoss,
    /// An export removed, renamed, or certainly changing value.
    ExportRemoval,
    /// An IAM change that widens access.
    IamBroadening,
    /// A security-group change that widens access.
    SgBroadening,
    /// A security setting weakened ([`crate::security::downgrade`]).
    SecurityDowngrade,
}

impl Gate {
    /// Every gate, in the order above.
    pub const ALL: [Self; 8] = [
        Self::Replace,
        Self::Revision,
        Self::Destroy,
        Self::DataLoss,
        Self::ExportRemoval,
        Self::IamBroadening,
        Self::SgBroadening,
        Self::SecurityDowngrade,
    ];

    /// The class's name on the command line: `replace`, `security-downgrade`…
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Replace => "replace",
            Self::Revision => "revision",
            Self::Destroy => "destroy",
            Self::DataLoss => "data-loss",
            Self::ExportRemoval => "export-removal",
            Self::IamBroadening => "iam-broadening",
            Self::SgBroadening => "sg-broadening",
            Self::SecurityDowngrade => "security-downgrade",
        }
    }

    /// What the class holds, for help texts.
    pub fn description(self) -> &'static str {
        match self {
            Self::Replace => {
                "A resource CloudFormation replaces (or may replace). A new revision of a task definition or \
                 launch template is not one: see `revision`."
            }
            Self::Revision => "A new revision of a versioned resource (ECS task definition, launch template version).",
            Self::Destroy => "A resource CloudFormation deletes or orphans.",
            Self::DataLoss => "Destroying or replacing a stateful resource (repository, bucket, log group, key…).",
            Self::ExportRemoval => "Removing an export other stacks may import, or certainly changing its value.",
            Self::IamBroadening => "An IAM statement or managed-policy change that widens access.",
            Self::SgBroadening => "A security-group rule change that widens access.",
            Self::SecurityDowngrade => {
                "A security setting weakened: log retention shortened, scanning or encryption turned off, deletion \
                 protection off, public access opened, a TLS policy weakened, a deployment circuit breaker or alarm \
                 rollback off, min healthy percent lowered."
            }
        }
    }
}

/// How many resources get each impact, for summaries and exit codes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Resources created.
    pub create: usize,
    /// Resources updated in place.
    pub update: usize,
    /// Resources that get a new revision (task definitions, launch template versions).
    pub revision: usize,
    /// Resources that may be replaced.
    pub may_replace: usize,
    /// Resources replaced.
    pub replace: usize,
    /// Resources removed but kept.
    pub orphan: usize,
    /// Resources deleted.
    pub destroy: usize,
    /// Resources whose data is lost (destroyed or replaced stateful resources).
    pub data_loss: usize,
    /// Changed entries of the other sections (parameters, outputs…).
    pub other_changes: usize,
    /// IAM and security-group changes that widen access.
    pub security_broadening: usize,
    /// IAM and security-group changes that restrict access.
    pub security_narrowing: usize,
    /// Security settings weakened ([`crate::security::downgrade`]).
    pub security_downgrades: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Self) {
        let Self {
            create,
            update,
            revision,
            may_replace,
            replace,
            orphan,
            destroy,
            data_loss,
            other_changes,
            security_broadening,
            security_narrowing,
            security_downgrades,
        } = other;
        self.create += create;
        self.update += update;
        self.revision += revision;
        self.may_replace += may_replace;
        self.replace += replace;
        self.orphan += orphan;
        self.destroy += destroy;
        self.data_loss += data_loss;
        self.other_changes += other_changes;
        self.security_broadening += security_broadening;
        self.security_narrowing += security_narrowing;
        self.security_downgrades += security_downgrades;
    }
}

impl TemplateDiff {
    /// Whether a change of this class is present.
    pub fn trips(&self, gate: Gate) -> bool {
        let any = |impacts: &[Impact]| self.resources.values().any(|c| impacts.contains(&c.impact));
        match gate {
            Gate::Replace => any(&[Impact::Replace, Impact::MayReplace]),
            Gate::Revision => any(&[Impact::Revision]),
            Gate::Destroy => any(&[Impact::Destroy, Impact::Orphan]),
            Gate::DataLoss => self.has_data_loss(),
            Gate::ExportRemoval => self.breaks_exports(),
            Gate::IamBroadening => self.security.has_iam_broadening(),
            Gate::SgBroadening => self.security.has_sg_broadening(),
            Gate::SecurityDowngrade => !self.security.downgrades.is_empty(),
        }
    }

    /// Counts of resource impacts and other changes.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for change in self.resources.values() {
            match change.impact {
                Impact::NoChange => {}
                Impact::Create => counts.create += 1,
                Impact::Update => counts.update += 1,
                Impact::Revision => counts.revision += 1,
                Impact::MayReplace => counts.may_replace += 1,
                Impact::Replace => counts.replace += 1,
                Impact::Orphan => counts.orphan += 1,
                Impact::Destroy => counts.destroy += 1,
            }
            counts.data_loss += usize::from(change.data_loss);
        }
        counts.other_changes =
            [&self.other, &self.parameters, &self.mappings, &self.conditions, &self.rules, &self.outputs]
                .iter()
                .map(|section| section.len())
                .sum();
        let directions = self
            .security
            .iam
            .iter()
            .map(|c| c.direction)
            .chain(self.security.security_groups.iter().map(|c| c.direction));
        for direction in directions {
            match direction {
                Direction::Broadening => counts.security_broadening += 1,
                Direction::Narrowing => counts.security_narrowing += 1,
            }
        }
        counts.security_downgrades = self.security.downgrades.len();
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gate_is_listed_once_with_a_name_and_a_description() {
        let mut sorted = Gate::ALL;
        sorted.sort_unstable();
        assert_eq!(sorted, Gate::ALL, "ALL is in declaration order");
        let mut names: Vec<&str> = Gate::ALL.iter().map(|g| g.as_str()).collect();
        names.dedup();
        assert_eq!(names.len(), Gate::ALL.len());
        assert!(Gate::ALL.iter().all(|g| g.description().ends_with('.')));
    }
}
