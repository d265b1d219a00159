//! The text format for a set of stacks: a heading per stack, its diff, and a line of stack
//! counts.

use std::fmt::Write as _;

use super::TextOptions;
use crate::stacks::{StackDiff, StackStatus};

/// The diff of a set of stacks as text: `Stack NAME (status)` then the stack's diff for
/// each changed stack, `Stack NAME: no changes` for the others, and a line of counts.
pub fn render_text_stacks(stacks: &[StackDiff], options: TextOptions) -> String {
    let mut out = String::new();
    for stack in stacks {
        if stack.status == StackStatus::Unchanged {
            let _ = writeln!(out, "Stack {}: no changes", stack.name);
            out.push_str(&unread_lines(stack));
            continue;
        }
        let _ = writeln!(out, "Stack {} ({})", stack.name, stack.status.as_str());
        out.push_str(&stack.render_text(options));
    }
    let count = |status| stacks.iter().filter(|s| s.status == status).count();
    let _ = writeln!(
        out,
        "Stacks: {} added, {} removed, {} modified, {} unchanged",
        count(StackStatus::Added),
        count(StackStatus::Removed),
        count(StackStatus::Modified),
        count(StackStatus::Unchanged)
    );
    out
}

impl StackDiff {
    /// The stack's diff as text ([`crate::TemplateDiff::render_text`]), then a `[!] left out
    /// of the diff: …` line for each value of its templates that could not be read.
    pub fn render_text(&self, options: TextOptions) -> String {
        let mut out = self.diff.render_text(options);
        out.push_str(&unread_lines(self));
        out
    }
}

fn unread_lines(stack: &StackDiff) -> String {
    let mut out = String::new();
    for unread in &stack.unread {
        let _ = writeln!(out, "[!] left out of the diff: {unread}");
    }
    out
}
