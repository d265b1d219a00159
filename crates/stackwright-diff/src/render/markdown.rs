//! The Markdown format, for pull-request comments: a table of counts, the risky changes
//! (replace, destroy, data loss, broadening, broken exports) first, a collapsible
//! `<details>` block per resource, then the security tables.

use std::fmt::Write as _;

use super::text::{entry_lines, property_lines};
use crate::model::{Counts, Impact, ResourceChange, TemplateDiff};
use crate::security::{ChangeKind, Direction, SecurityChanges};
use crate::stacks::{StackDiff, StackStatus};

/// The diff of a set of stacks as Markdown. With `security_only`, only the counts, the
/// broadening changes and the security tables.
pub fn render_markdown(stacks: &[StackDiff], security_only: bool) -> String {
    render_markdown_with(stacks, security_only, "")
}

/// [`render_markdown`] with `section` (Markdown drawn by another crate — the picture of the
/// changes from `stackwright-graph`, which this crate must not depend on) placed after the
/// risky changes, before the details. Empty adds nothing.
pub fn render_markdown_with(stacks: &[StackDiff], security_only: bool, section: &str) -> String {
    let mut out = String::from("## Stackwright diff\n\n");
    let changed: Vec<&StackDiff> = stacks.iter().filter(|s| s.status != StackStatus::Unchanged).collect();
    if changed.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    let mut total = Counts::default();
    for stack in stacks {
        let c = stack.diff.counts();
        for (sum, value) in [
            (&mut total.create, c.create),
            (&mut total.update, c.update),
            (&mut total.may_replace, c.may_replace),
            (&mut total.replace, c.replace),
            (&mut total.orphan, c.orphan),
            (&mut total.destroy, c.destroy),
            (&mut total.data_loss, c.data_loss),
            (&mut total.other_changes, c.other_changes),
            (&mut total.security_broadening, c.security_broadening),
            (&mut total.security_narrowing, c.security_narrowing),
        ] {
            *sum += value;
        }
    }
    summary_table(&mut out, &total);
    // A single stack compared file to file needs no stack headings.
    let headings = stacks.len() > 1;
    if headings {
        out.push_str("\n| Stack | Status |\n|---|---|\n");
        for stack in stacks {
            let _ = writeln!(out, "| `{}` | {} |", stack.name, stack.status.as_str());
        }
    }
    risky(&mut out, &changed, headings, security_only);
    out.push_str(section);
    for stack in changed {
        if security_only && stack.diff.security.is_empty() {
            continue;
        }
        if headings {
            let _ = writeln!(out, "\n### Stack `{}` ({})", stack.name, stack.status.as_str());
        }
        let level = if headings { "####" } else { "###" };
        if !security_only {
            details(&mut out, &stack.diff, level);
        }
        security(&mut out, &stack.diff.security, level);
    }
    out
}

fn summary_table(out: &mut String, c: &Counts) {
    out.push_str("| Change | Count |\n|---|---:|\n");
    for (label, count) in [
        ("Create", c.create),
        ("Update", c.update),
        ("May replace", c.may_replace),
        ("**Replace**", c.replace),
        ("Orphan", c.orphan),
        ("**Destroy**", c.destroy),
        ("**Data loss**", c.data_loss),
        ("**Security broadening**", c.security_broadening),
        ("Security narrowing", c.security_narrowing),
        ("Other changes", c.other_changes),
    ] {
        let _ = writeln!(out, "| {label} | {count} |");
    }
}

/// Replacements, deletions, data loss, broadening and broken exports, one line each.
fn risky(out: &mut String, stacks: &[&StackDiff], headings: bool, security_only: bool) {
    let mut lines = Vec::new();
    for stack in stacks {
        let place = if headings { format!(" in `{}`", stack.name) } else { String::new() };
        let diff = &stack.diff;
        for change in diff.resources.values().filter(|_| !security_only) {
            let risky =
                matches!(change.impact, Impact::Replace | Impact::MayReplace | Impact::Destroy | Impact::Orphan);
            if !(risky || change.data_loss) {
                continue;
            }
            let loss = if change.data_loss { ", **data loss**" } else { "" };
            let why = change.reasons.first().map(|r| format!(": {}", escape(&r.to_string()))).unwrap_or_default();
            lines.push(format!(
                "- `{}` (`{}`){place}: **{}**{loss}{why}",
                change.logical_id,
                change.resource_type(),
                change.impact
            ));
        }
        for change in diff.security.iam.iter().filter(|c| c.direction == Direction::Broadening) {
            let why = change.reasons.join("; ");
            lines.push(format!(
                "- `{}` {}{place}: **IAM broadening**: {}",
                change.resource,
                change.policy,
                escape(&why)
            ));
        }
        for change in diff.security.security_groups.iter().filter(|c| c.direction == Direction::Broadening) {
            let rule = change.new.as_ref().or(change.old.as_ref()).map(ToString::to_string).unwrap_or_default();
            let why =
                if change.reasons.is_empty() { String::new() } else { format!(" ({})", change.reasons.join("; ")) };
            lines.push(format!(
                "- `{}`{place}: **security group broadening**: {}{}",
                change.resource,
                escape(&rule),
                escape(&why)
            ));
        }
        let flagged = |e: &&crate::ExportChange| e.breaks_importers() || e.value_change.is_some();
        for export in diff.exports.iter().filter(|e| !security_only && flagged(e)) {
            let name = export.old_name.as_ref().map(ToString::to_string).unwrap_or_default();
            lines.push(match &export.value_change {
                Some(change) => {
                    let (verb, block) =
                        if change.certain { ("changes", "block") } else { ("may change", "would block") };
                    format!(
                        "- export `{name}` of output `{}`{place} {verb} value ({}): importers {block} the update",
                        export.output,
                        escape(&change.why)
                    )
                }
                None => format!(
                    "- export `{name}` of output `{}`{place} removed or renamed: importers break",
                    export.output
                ),
            });
        }
    }
    if !lines.is_empty() {
        out.push_str("\n### ⚠ Risky changes\n\n");
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
    }
}

fn details(out: &mut String, diff: &TemplateDiff, level: &str) {
    if !diff.resources.is_empty() {
        let _ = writeln!(out, "\n{level} Resources\n");
        for change in diff.resources.values() {
            resource(out, change);
        }
    }
    let mut other = String::new();
    for (title, entries) in [
        ("Template", &diff.other),
        ("Parameters", &diff.parameters),
        ("Mappings", &diff.mappings),
        ("Conditions", &diff.conditions),
        ("Rules", &diff.rules),
        ("Outputs", &diff.outputs),
    ] {
        other.push_str(&entry_lines(title, entries));
    }
    if !other.is_empty() {
        let _ = writeln!(out, "\n{level} Other sections\n");
        let _ = writeln!(out, "<details><summary>Parameters, mappings, conditions, rules, outputs</summary>\n");
        let _ = writeln!(out, "```text\n{other}```\n\n</details>");
    }
}

fn resource(out: &mut String, change: &ResourceChange) {
    let marker = match change.impact {
        Impact::Create => "[+]",
        Impact::Destroy | Impact::Orphan => "[-]",
        _ => "[~]",
    };
    let impact = match change.impact {
        Impact::Replace | Impact::Destroy => format!("<b>{}</b>", change.impact),
        other => other.to_string(),
    };
    let loss = if change.data_loss { ", <b>data loss</b>" } else { "" };
    let type_name = match (&change.old_type, &change.new_type) {
        (Some(old), Some(new)) if old != new => format!("{old} → {new}"),
        _ => change.resource_type().to_owned(),
    };
    let _ = writeln!(
        out,
        "<details><summary><code>{marker}</code> <code>{}</code> (<code>{type_name}</code>): {impact}{loss}</summary>\n",
        change.logical_id
    );
    for reason in &change.reasons {
        let _ = writeln!(out, "- {}", escape(&reason.to_string()));
    }
    let lines = property_lines(change);
    if !lines.is_empty() {
        if !change.reasons.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "```text\n{lines}```");
    }
    out.push_str("\n</details>\n");
}

fn security(out: &mut String, security: &SecurityChanges, level: &str) {
    if security.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{level} Security\n");
    if !security.iam.is_empty() {
        out.push_str("| | Direction | Resource | Policy | Before | After | Why |\n|---|---|---|---|---|---|---|\n");
        for change in &security.iam {
            let (before, after) = match &change.managed_policy {
                Some(arn) if change.kind == ChangeKind::Removed => (arn.clone(), String::new()),
                Some(arn) => (String::new(), arn.clone()),
                None => (
                    change.old.as_ref().map(ToString::to_string).unwrap_or_default(),
                    change.new.as_ref().map(ToString::to_string).unwrap_or_default(),
                ),
            };
            let _ = writeln!(
                out,
                "| {} | {} | `{}` | {} | {} | {} | {} |",
                mark(change.kind),
                direction(change.direction),
                change.resource,
                change.policy,
                cell(&before),
                cell(&after),
                escape(&change.reasons.join("; "))
            );
        }
    }
    if !security.security_groups.is_empty() {
        if !security.iam.is_empty() {
            out.push('\n');
        }
        out.push_str("| | Direction | Resource | Before | After | Why |\n|---|---|---|---|---|---|\n");
        for change in &security.security_groups {
            let show = |rule: Option<&crate::SgRule>| rule.map(ToString::to_string).unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | {} | `{}` | {} | {} | {} |",
                mark(change.kind),
                direction(change.direction),
                change.resource,
                cell(&show(change.old.as_ref())),
                cell(&show(change.new.as_ref())),
                escape(&change.reasons.join("; "))
            );
        }
    }
}

fn mark(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "➕",
        ChangeKind::Removed => "➖",
        ChangeKind::Changed => "✏️",
    }
}

fn direction(direction: Direction) -> &'static str {
    match direction {
        Direction::Broadening => "⚠ **broadening**",
        Direction::Narrowing => "narrowing",
    }
}

/// A table cell holding code; empty stays empty.
fn cell(text: &str) -> String {
    if text.is_empty() { String::new() } else { format!("`{}`", text.replace('|', "\\|").replace('`', "'")) }
}

/// Text safe inside a table cell or list item: pipes escaped, no HTML.
fn escape(text: &str) -> String {
    text.replace("->", "→").replace('|', "\\|").replace('<', "&lt;").replace('>', "&gt;")
}
