//! The text format: one block per section, `[+] [-] [~]` markers, the impact of each
//! resource with its reasons, value changes (long values as line diffs), and a summary line.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use similar::{ChangeTag, TextDiff};
use stackwright_template::Json;

use super::{TextOptions, lines};
use crate::model::{EntryChange, Impact, PropertyChange, ResourceChange, TemplateDiff};

/// Values whose compact JSON is longer than this are shown as line diffs.
const MAX_INLINE: usize = 80;

impl TemplateDiff {
    /// The diff as text for people.
    pub fn render_text(&self, options: TextOptions) -> String {
        let mut out = String::new();
        let w = Writer { options };
        if options.security_only {
            w.security(&mut out, &self.security);
            if self.security.is_empty() {
                out.push_str("No security changes.\n");
            }
            out.push_str(&summary(self));
            out.push('\n');
            return out;
        }
        for (title, section) in [
            ("Template", &self.other),
            ("Parameters", &self.parameters),
            ("Mappings", &self.mappings),
            ("Conditions", &self.conditions),
            ("Rules", &self.rules),
        ] {
            w.entries(&mut out, title, section);
        }
        if !self.resources.is_empty() {
            out.push_str("Resources\n");
            for change in self.resources.values() {
                w.resource(&mut out, change);
            }
        }
        w.entries(&mut out, "Outputs", &self.outputs);
        for export in &self.exports {
            if let Some(change) = &export.value_change {
                let (verb, block) = if change.certain { ("changes", "block") } else { ("may change", "would block") };
                let _ = writeln!(
                    out,
                    "{} export {} of output {} {verb} value ({}): importers {block} the update",
                    w.marker("[!]"),
                    compact(export.old_name.as_ref()),
                    export.output,
                    change.why
                );
            } else if export.breaks_importers() {
                let old = compact(export.old_name.as_ref());
                let what = if export.new_name.is_some() { "renamed" } else { "removed" };
                let _ = writeln!(
                    out,
                    "{} export {old} of output {} {what}: stacks importing it will fail to deploy",
                    w.marker("[!]"),
                    export.output
                );
            }
        }
        w.security(&mut out, &self.security);
        out.push_str(&summary(self));
        out.push('\n');
        out
    }
}

/// The value changes of a resource, as the text format prints them (for Markdown's code
/// blocks).
pub(super) fn property_lines(change: &ResourceChange) -> String {
    let w = Writer { options: TextOptions::default() };
    let mut out = String::new();
    for property in &change.property_changes {
        w.change(&mut out, property);
    }
    out
}

/// A non-resource section as the text format prints it (for Markdown's code blocks).
pub(super) fn entry_lines(title: &str, entries: &BTreeMap<String, EntryChange>) -> String {
    let mut out = String::new();
    Writer { options: TextOptions::default() }.entries(&mut out, title, entries);
    out
}

pub(super) struct Writer {
    pub(super) options: TextOptions,
}

impl Writer {
    pub(super) fn marker(&self, marker: &str) -> String {
        if !self.options.color {
            return marker.to_owned();
        }
        let code = match marker {
            "[+]" | "+" => "32",
            "[-]" | "-" => "31",
            "[!]" => "1;31",
            _ => "33",
        };
        format!("\u{1b}[{code}m{marker}\u{1b}[0m")
    }

    fn entries(&self, out: &mut String, title: &str, entries: &BTreeMap<String, EntryChange>) {
        if entries.is_empty() {
            return;
        }
        let _ = writeln!(out, "{title}");
        for (id, entry) in entries {
            match (&entry.old, &entry.new) {
                (None, Some(new)) => {
                    let _ = writeln!(out, "{} {id}", self.marker("[+]"));
                    self.value(out, None, Some(new));
                }
                (Some(old), None) => {
                    let _ = writeln!(out, "{} {id}", self.marker("[-]"));
                    self.value(out, Some(old), None);
                }
                _ => {
                    let _ = writeln!(out, "{} {id}", self.marker("[~]"));
                    for change in &entry.changes {
                        self.change(out, change);
                    }
                }
            }
        }
    }

    fn resource(&self, out: &mut String, change: &ResourceChange) {
        let marker = match change.impact {
            Impact::Create => "[+]",
            Impact::Destroy | Impact::Orphan => "[-]",
            _ => "[~]",
        };
        let type_name = match (&change.old_type, &change.new_type) {
            (Some(old), Some(new)) if old != new => format!("{old} -> {new}"),
            _ => change.resource_type().to_owned(),
        };
        let loss = if change.data_loss { ", DATA LOSS" } else { "" };
        let _ = writeln!(out, "{} {} ({type_name}): {}{loss}", self.marker(marker), change.logical_id, change.impact);
        for reason in &change.reasons {
            let _ = writeln!(out, "    {} {reason}", self.marker("!"));
        }
        for property in &change.property_changes {
            self.change(out, property);
        }
    }

    fn change(&self, out: &mut String, change: &PropertyChange) {
        let note = if change.forces_replacement {
            " (forces replacement)"
        } else if change.may_force_replacement {
            " (may force replacement)"
        } else if change.forces_revision {
            " (new revision)"
        } else {
            ""
        };
        // A change of a whole entry (a Description, a condition) has no path to show.
        let path = if change.path.is_empty() { String::new() } else { format!("{}: ", change.path) };
        let (old, new) = (change.old.as_ref(), change.new.as_ref());
        let marker = match (old, new) {
            (None, _) => "+",
            (_, None) => "-",
            _ => "~",
        };
        let (a, b) = (inline(old), inline(new));
        match (old, new) {
            _ if a.is_some() && b.is_some() && old.is_some() && new.is_some() => {
                let (a, b) = (a.unwrap_or_default(), b.unwrap_or_default());
                let _ = writeln!(out, "    {} {path}{a} -> {b}{note}", self.marker(marker));
            }
            (None, Some(_)) | (Some(_), None) if a.is_some() || b.is_some() => {
                let value = a.or(b).unwrap_or_default();
                let _ = writeln!(out, "    {} {path}{value}{note}", self.marker(marker));
            }
            _ => {
                let head = format!("    {} {}{note}", self.marker(marker), path.trim_end());
                let _ = writeln!(out, "{}", head.trim_end());
                self.lines(out, old, new, "        ");
            }
        }
    }

    /// A whole added or removed entry: inline when short, else as lines.
    fn value(&self, out: &mut String, old: Option<&Json>, new: Option<&Json>) {
        match inline(old.or(new)) {
            Some(text) => {
                let _ = writeln!(out, "    {text}");
            }
            None => self.lines(out, old, new, "    "),
        }
    }

    /// A line diff, with `context_lines` of context per hunk: of the text a multi-line or
    /// JSON string stands for, else of the canonical JSON.
    fn lines(&self, out: &mut String, old: Option<&Json>, new: Option<&Json>, indent: &str) {
        let (old, new) = (lines::lines(old), lines::lines(new));
        let diff = TextDiff::from_lines(&old, &new);
        for (index, group) in diff.grouped_ops(self.options.context_lines).iter().enumerate() {
            if index > 0 {
                let _ = writeln!(out, "{indent}  ...");
            }
            for op in group {
                for line in diff.iter_changes(op) {
                    let sign = match line.tag() {
                        ChangeTag::Delete => self.marker("-"),
                        ChangeTag::Insert => self.marker("+"),
                        ChangeTag::Equal => " ".to_owned(),
                    };
                    let _ = writeln!(out, "{indent}{sign} {}", line.value().trim_end_matches('\n'));
                }
            }
        }
    }
}

/// Compact JSON when short enough to print on one line.
fn inline(value: Option<&Json>) -> Option<String> {
    let text = serde_json::to_string(value?).ok()?;
    (text.len() <= MAX_INLINE).then_some(text)
}

fn compact(value: Option<&Json>) -> String {
    value.and_then(|v| serde_json::to_string(v).ok()).unwrap_or_default()
}

pub(super) fn summary(diff: &TemplateDiff) -> String {
    if !diff.has_changes() {
        return "No changes.".to_owned();
    }
    let c = diff.counts();
    let mut line = format!(
        "Summary: {} to create, {} to update, {} with a new revision, {} may be replaced, {} to replace, {} to orphan, \
         {} to destroy",
        c.create, c.update, c.revision, c.may_replace, c.replace, c.orphan, c.destroy
    );
    if c.data_loss > 0 {
        let _ = write!(line, "; {} with data loss", c.data_loss);
    }
    if c.security_broadening + c.security_narrowing + c.security_downgrades > 0 {
        let _ = write!(line, "; security: {} broadening, {} narrowing", c.security_broadening, c.security_narrowing);
        if c.security_downgrades > 0 {
            let _ = write!(
                line,
                ", {} downgrade{}",
                c.security_downgrades,
                if c.security_downgrades == 1 { "" } else { "s" }
            );
        }
    }
    let _ = write!(line, "; {} other change{}", c.other_changes, if c.other_changes == 1 { "" } else { "s" });
    line
}
