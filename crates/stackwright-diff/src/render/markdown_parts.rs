//! The pieces of the Markdown format, each rendered whole so [`super::markdown`] can fit
//! them into the comment budget: the counts table, the risky lines, one `<details>` block
//! per resource, the other sections, the security tables and a stack's short summary.

use std::fmt::Write as _;

use stackwright_template::render::canonical_json;

use super::text::{entry_lines, property_lines};
use crate::counts::Counts;
use crate::model::{Impact, ResourceChange, TemplateDiff};
use crate::security::{ChangeKind, Direction, SecurityChanges};
use crate::stacks::StackDiff;

/// The table of counts.
pub(super) fn summary_table(c: &Counts) -> String {
    let mut out = String::from("| Change | Count |\n|---|---:|\n");
    for (label, count) in [
        ("Create", c.create),
        ("Update", c.update),
        ("New revision", c.revision),
        ("May replace", c.may_replace),
        ("**Replace**", c.replace),
        ("Orphan", c.orphan),
        ("**Destroy**", c.destroy),
        ("**Data loss**", c.data_loss),
        ("**Security broadening**", c.security_broadening),
        ("**Security downgrades**", c.security_downgrades),
        ("Security narrowing", c.security_narrowing),
        ("Other changes", c.other_changes),
    ] {
        let _ = writeln!(out, "| {label} | {count} |");
    }
    out
}

/// One line per replacement, deletion, data loss, broadening, downgrade and broken export.
pub(super) fn risky_lines(stack: &StackDiff, headings: bool, security_only: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let place = if headings { format!(" in `{}`", stack.name) } else { String::new() };
    let diff = &stack.diff;
    for change in diff.resources.values().filter(|_| !security_only) {
        let risky = matches!(change.impact, Impact::Replace | Impact::MayReplace | Impact::Destroy | Impact::Orphan);
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
        lines.push(format!("- `{}` {}{place}: **IAM broadening**: {}", change.resource, change.policy, escape(&why)));
    }
    for change in diff.security.security_groups.iter().filter(|c| c.direction == Direction::Broadening) {
        let rule = change.new.as_ref().or(change.old.as_ref()).map(ToString::to_string).unwrap_or_default();
        let why = if change.reasons.is_empty() { String::new() } else { format!(" ({})", change.reasons.join("; ")) };
        lines.push(format!(
            "- `{}`{place}: **security group broadening**: {}{}",
            change.resource,
            escape(&rule),
            escape(&why)
        ));
    }
    for downgrade in &diff.security.downgrades {
        lines.push(format!(
            "- `{}` (`{}`){place}: **security downgrade** ({}): {}",
            downgrade.resource,
            downgrade.resource_type,
            downgrade.category,
            escape(&downgrade.message)
        ));
    }
    let flagged = |e: &&crate::ExportChange| e.breaks_importers() || e.value_change.is_some();
    for export in diff.exports.iter().filter(|e| !security_only && flagged(e)) {
        let name = export.old_name.as_ref().map(ToString::to_string).unwrap_or_default();
        lines.push(match &export.value_change {
            Some(change) => {
                let (verb, block) = if change.certain { ("changes", "block") } else { ("may change", "would block") };
                format!(
                    "- export `{name}` of output `{}`{place} {verb} value ({}): importers {block} the update",
                    export.output,
                    escape(&change.why)
                )
            }
            None => {
                format!("- export `{name}` of output `{}`{place} removed or renamed: importers break", export.output)
            }
        });
    }
    lines
}

/// A resource's collapsible block: its reasons and value changes, or its definition when it
/// is created or removed.
pub(super) fn resource_block(change: &ResourceChange) -> String {
    let mut out = String::new();
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
    let mut lines = property_lines(change);
    let empty =
        |definition: &&stackwright_template::Json| definition.as_object().is_some_and(serde_json::Map::is_empty);
    if let Some(definition) = change.definition.as_ref().filter(|d| lines.is_empty() && !empty(d)) {
        lines = canonical_json(definition);
    }
    if !lines.is_empty() {
        if !change.reasons.is_empty() {
            out.push('\n');
        }
        let fence = fence(&lines);
        let _ = writeln!(out, "{fence}text\n{}{}{fence}", lines, if lines.ends_with('\n') { "" } else { "\n" });
    }
    out.push_str("\n</details>\n");
    out
}

/// A code fence longer than any run of backticks in `text` (a buildspec may hold some).
fn fence(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// The other sections (parameters, mappings, conditions, rules, outputs) in one collapsible
/// block; `None` when none changed.
pub(super) fn other_sections(diff: &TemplateDiff, level: &str) -> Option<String> {
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
    if other.is_empty() {
        return None;
    }
    let fence = fence(&other);
    Some(format!(
        "\n{level} Other sections\n\n<details><summary>Parameters, mappings, conditions, rules, outputs</summary>\n\n\
         {fence}text\n{other}{fence}\n\n</details>\n"
    ))
}

/// A table: its heading and header lines, then one line per row.
pub(super) struct Table {
    pub(super) head: String,
    pub(super) rows: Vec<String>,
}

/// The security tables of one stack: downgrades, IAM, security groups.
pub(super) fn security_tables(security: &SecurityChanges) -> Vec<Table> {
    let mut tables = Vec::new();
    if !security.downgrades.is_empty() {
        let rows = security
            .downgrades
            .iter()
            .map(|d| {
                let show = |value: Option<&stackwright_template::Json>| {
                    value.map(|v| cell(&serde_json::to_string(v).unwrap_or_default())).unwrap_or_default()
                };
                format!(
                    "| ⚠ **{}** | `{}` | `{}` | {} | {} | {} |",
                    d.category,
                    d.resource,
                    d.path,
                    show(d.old.as_ref()),
                    show(d.new.as_ref()),
                    escape(&d.message)
                )
            })
            .collect();
        let head = "| Downgrade | Resource | Setting | Before | After | What |\n|---|---|---|---|---|---|\n".to_owned();
        tables.push(Table { head, rows });
    }
    if !security.iam.is_empty() {
        let rows = security
            .iam
            .iter()
            .map(|change| {
                let (before, after) = match &change.managed_policy {
                    Some(arn) if change.kind == ChangeKind::Removed => (arn.clone(), String::new()),
                    Some(arn) => (String::new(), arn.clone()),
                    None => (
                        change.old.as_ref().map(ToString::to_string).unwrap_or_default(),
                        change.new.as_ref().map(ToString::to_string).unwrap_or_default(),
                    ),
                };
                format!(
                    "| {} | {} | `{}` | {} | {} | {} | {} |",
                    mark(change.kind),
                    direction(change.direction),
                    change.resource,
                    change.policy,
                    cell(&before),
                    cell(&after),
                    escape(&change.reasons.join("; "))
                )
            })
            .collect();
        let head =
            "| | Direction | Resource | Policy | Before | After | Why |\n|---|---|---|---|---|---|---|\n".to_owned();
        tables.push(Table { head, rows });
    }
    if !security.security_groups.is_empty() {
        let rows = security
            .security_groups
            .iter()
            .map(|change| {
                let show = |rule: Option<&crate::SgRule>| rule.map(ToString::to_string).unwrap_or_default();
                format!(
                    "| {} | {} | `{}` | {} | {} | {} |",
                    mark(change.kind),
                    direction(change.direction),
                    change.resource,
                    cell(&show(change.old.as_ref())),
                    cell(&show(change.new.as_ref())),
                    escape(&change.reasons.join("; "))
                )
            })
            .collect();
        let head = "| | Direction | Resource | Before | After | Why |\n|---|---|---|---|---|---|\n".to_owned();
        tables.push(Table { head, rows });
    }
    tables
}

/// The most resources a stack's short summary names.
const WORST_SHOWN: usize = 10;

/// A stack's short summary, for when its details do not fit: how many resources it leaves
/// out, the stack's counts on one line, and the worst impacts among `resources` (the ones
/// not shown), worst first.
pub(super) fn stack_summary(diff: &TemplateDiff, resources: &[&ResourceChange]) -> String {
    let c = diff.counts();
    let mut out = format!(
        "\n**Details left out** for {} of {} resources. This stack: {} to create, {} to update, {} with a new \
         revision, {} may be replaced, {} to replace, {} to orphan, {} to destroy, {} with data loss; security: {} \
         broadening, {} downgrades; {} other changes.\n",
        resources.len(),
        diff.resources.len(),
        c.create,
        c.update,
        c.revision,
        c.may_replace,
        c.replace,
        c.orphan,
        c.destroy,
        c.data_loss,
        c.security_broadening,
        c.security_downgrades,
        c.other_changes
    );
    let mut worst: Vec<&&ResourceChange> = resources.iter().collect();
    worst.sort_by(|a, b| b.impact.cmp(&a.impact).then_with(|| a.logical_id.cmp(&b.logical_id)));
    if !worst.is_empty() {
        let _ = writeln!(out, "\nThe worst impacts among them:\n");
    }
    for change in worst.iter().take(WORST_SHOWN) {
        let loss = if change.data_loss { ", **data loss**" } else { "" };
        let _ = writeln!(out, "- `{}` (`{}`): {}{loss}", change.logical_id, change.resource_type(), change.impact);
    }
    if worst.len() > WORST_SHOWN {
        let _ = writeln!(out, "- … and {} more", worst.len() - WORST_SHOWN);
    }
    out
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
pub(super) fn escape(text: &str) -> String {
    text.replace("->", "→").replace('|', "\\|").replace('<', "&lt;").replace('>', "&gt;")
}
