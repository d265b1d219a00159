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
            continue;
        }
        let _ = writeln!(out, "Stack {} ({})", stack.name, stack.status.as_str());
        out.push_str(&stack.diff.render_text(options));
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
