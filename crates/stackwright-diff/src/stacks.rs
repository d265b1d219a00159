//! Diffing sets of stacks (two synth output directories): stacks matched by name, added and
//! removed stacks diffed against an empty template so every resource shows as created or
//! destroyed.

use std::fmt;

use stackwright_template::Template;
use stackwright_template::read::Position;

use crate::model::TemplateDiff;

/// What happened to one stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StackStatus {
    /// Only in the new set.
    Added,
    /// Only in the old set.
    Removed,
    /// In both, with changes.
    Modified,
    /// In both, equal.
    Unchanged,
}

impl StackStatus {
    /// `added`, `removed`, `modified` or `unchanged`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Modified => "modified",
            Self::Unchanged => "unchanged",
        }
    }
}

/// The diff of one stack.
#[derive(Debug, Clone, PartialEq)]
pub struct StackDiff {
    /// The stack name (from the manifest, or the template file name).
    pub name: String,
    /// Added, removed, modified or unchanged.
    pub status: StackStatus,
    /// The template diff (against an empty template for added and removed stacks).
    pub diff: TemplateDiff,
    /// Values of either side's template that break a template rule and were left out of the
    /// diff (see `Template::from_json_salvaging`); the caller that read the files fills it.
    pub unread: Vec<Unread>,
}

/// A value left out of the diff because it breaks a template rule: the file, where in it,
/// and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    /// The template file.
    pub file: String,
    /// Where the value is written, when the reader recorded it.
    pub position: Option<Position>,
    /// The JSON pointer of the value.
    pub pointer: String,
    /// The rule it breaks.
    pub message: String,
}

impl fmt::Display for Unread {
    /// `FILE:LINE:COLUMN: POINTER: MESSAGE` (without the position when it is unknown).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(position) = self.position {
            write!(f, ":{position}")?;
        }
        write!(f, ": {}: {}", self.pointer, self.message)
    }
}

impl StackDiff {
    /// The diff of two templates of one stack.
    pub fn new(name: impl Into<String>, old: &Template, new: &Template) -> Self {
        let diff = crate::diff(old, new);
        let status = if diff.has_changes() { StackStatus::Modified } else { StackStatus::Unchanged };
        Self { name: name.into(), status, diff, unread: Vec::new() }
    }
}

/// Diffs two sets of named stacks: matched by name, sorted by name; a stack only in `old` is
/// [`StackStatus::Removed`] (all its resources destroyed or orphaned), one only in `new` is
/// [`StackStatus::Added`].
pub fn diff_stacks(old: &[(String, Template)], new: &[(String, Template)]) -> Vec<StackDiff> {
    // Not `Template::new()`: its format version would show as a change of its own.
    let empty = Template::default();
    let mut names: Vec<&String> = old.iter().chain(new).map(|(name, _)| name).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|name| match (find(old, name), find(new, name)) {
            (Some(a), Some(b)) => StackDiff::new(name.clone(), a, b),
            (Some(a), None) => StackDiff {
                name: name.clone(),
                status: StackStatus::Removed,
                diff: crate::diff(a, &empty),
                unread: Vec::new(),
            },
            (None, b) => StackDiff {
                name: name.clone(),
                status: StackStatus::Added,
                diff: crate::diff(&empty, b.unwrap_or(&empty)),
                unread: Vec::new(),
            },
        })
        .collect()
}

fn find<'a>(set: &'a [(String, Template)], name: &str) -> Option<&'a Template> {
    set.iter().find(|(n, _)| n == name).map(|(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(json: &str) -> Template {
        Template::from_json_str(json).unwrap()
    }

    #[test]
    fn stacks_match_by_name() {
        let topic = template(r#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#);
        let old = vec![("a".to_owned(), topic.clone()), ("gone".to_owned(), topic.clone())];
        let new = vec![("new".to_owned(), topic.clone()), ("a".to_owned(), topic)];
        let stacks = diff_stacks(&old, &new);
        let statuses: Vec<(&str, StackStatus)> = stacks.iter().map(|s| (s.name.as_str(), s.status)).collect();
        assert_eq!(
            statuses,
            [("a", StackStatus::Unchanged), ("gone", StackStatus::Removed), ("new", StackStatus::Added)]
        );
        assert_eq!(stacks[1].diff.resources["T"].impact, crate::Impact::Destroy);
        assert_eq!(stacks[2].diff.resources["T"].impact, crate::Impact::Create);
    }

    #[test]
    fn retain_except_on_create_resources_outlive_their_removal_and_their_stack() {
        // RetainExceptOnCreate deletes only when the operation that created the resource
        // rolls back; a resource already in a deployed stack is kept like Retain.
        let old = template(
            r#"{"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "RetainExceptOnCreate"},
                "Kept": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"},
                "Gone": {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot"}}}"#,
        );
        let stays = template(r#"{"Resources": {}}"#);
        let removed_stack = diff_stacks(&[("s".to_owned(), old.clone())], &[]);
        let emptied_stack = diff_stacks(&[("s".to_owned(), old)], &[("s".to_owned(), stays)]);
        for stacks in [removed_stack, emptied_stack] {
            let logs = &stacks[0].diff.resources["Logs"];
            assert_eq!((logs.impact, logs.data_loss), (crate::Impact::Orphan, false));
            assert_eq!(
                logs.reasons.iter().map(ToString::to_string).collect::<Vec<_>>(),
                ["DeletionPolicy RetainExceptOnCreate: removed from the stack but kept"]
            );
            assert_eq!(stacks[0].diff.resources["Kept"].impact, crate::Impact::Orphan);
            let gone = &stacks[0].diff.resources["Gone"];
            assert_eq!((gone.impact, gone.data_loss), (crate::Impact::Destroy, true));
        }
    }
}
