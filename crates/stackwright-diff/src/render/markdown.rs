//! The Markdown format, for pull-request comments, kept under a character budget (GitHub's
//! comment limit by default).
//!
//! The document, in order: a title and the table of counts; the stacks (when there are
//! several); **⚠ Risky changes**; the caller's extra sections ([`MarkdownSection`], e.g. a
//! graph of the changed resources); then per stack a collapsible `<details>` block per
//! resource, the other sections and the security tables. Everything goes through one
//! [`Budget`]: the head always fits; risky lines fit up to half the budget; an extra
//! section fits whole or is left out whole; per stack, the security tables are kept before
//! the resource details, and when the details stop fitting the stack gets a short summary
//! (counts and the worst impacts not shown) instead. A last line says what was left out and
//! where the full diff is; room for it and for the later stacks' summaries is kept aside
//! from the start, so the document never exceeds [`MarkdownOptions::max_chars`].

use std::fmt::Write as _;

use super::markdown_parts::{
    Table, escape, other_sections, resource_block, risky_lines, security_tables, stack_summary, summary_table,
};
use crate::counts::Counts;
use crate::model::ResourceChange;
use crate::stacks::{StackDiff, StackStatus};

/// GitHub's limit for a pull-request comment, in characters.
pub const GITHUB_COMMENT_LIMIT: usize = 65_536;

/// Room kept for the closing "left out" line.
const FOOTER_RESERVE: usize = 1_024;

/// A section another renderer adds (a graph of the changed resources…), placed after the
/// risky changes. It is shown whole, or left out whole (and named in the closing line) when
/// it does not fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownSection {
    /// The heading, without `#`s: `Changed resources`.
    pub title: String,
    /// The Markdown under the heading.
    pub body: String,
}

/// Options of [`render_markdown_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MarkdownOptions {
    /// Only the counts, the broadening and downgrade lines and the security tables.
    /// **Default:** off.
    pub security_only: bool,
    /// The most characters (Unicode scalar values, as GitHub counts) the document may have.
    /// **Default:** [`GITHUB_COMMENT_LIMIT`].
    pub max_chars: usize,
    /// Sections placed after the risky changes. **Default:** none.
    pub sections: Vec<MarkdownSection>,
    /// Where the full diff is, for the line that says what was left out. **Default:**
    /// `` `stackwright diff --format text` (or `--format json`) on the same inputs ``.
    pub full_diff: String,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        Self {
            security_only: false,
            max_chars: GITHUB_COMMENT_LIMIT,
            sections: Vec::new(),
            full_diff: "`stackwright diff --format text` (or `--format json`) on the same inputs".to_owned(),
        }
    }
}

impl MarkdownOptions {
    /// See [`MarkdownOptions::security_only`].
    #[must_use]
    pub fn security_only(mut self, yes: bool) -> Self {
        self.security_only = yes;
        self
    }

    /// See [`MarkdownOptions::max_chars`].
    #[must_use]
    pub fn max_chars(mut self, chars: usize) -> Self {
        self.max_chars = chars;
        self
    }

    /// Adds a section (see [`MarkdownOptions::sections`]).
    #[must_use]
    pub fn section(mut self, title: impl Into<String>, body: impl Into<String>) -> Self {
        self.sections.push(MarkdownSection { title: title.into(), body: body.into() });
        self
    }

    /// See [`MarkdownOptions::full_diff`].
    #[must_use]
    pub fn full_diff(mut self, where_: impl Into<String>) -> Self {
        self.full_diff = where_.into();
        self
    }
}

/// The diff of a set of stacks as Markdown within GitHub's comment limit. With
/// `security_only`, only the counts, the broadening and downgrade lines and the security
/// tables.
pub fn render_markdown(stacks: &[StackDiff], security_only: bool) -> String {
    render_markdown_with(stacks, &MarkdownOptions::default().security_only(security_only))
}

/// What did not fit.
#[derive(Default)]
struct LeftOut {
    stack_rows: usize,
    risky: usize,
    sections: Vec<String>,
    /// (stack, resources whose details are left out).
    resources: Vec<(String, usize)>,
    other_sections: usize,
    security_rows: usize,
}

/// The document being written, and how many characters it may still take.
struct Budget {
    out: String,
    used: usize,
    limit: usize,
}

impl Budget {
    fn fits(&self, text: &str, keep: usize) -> bool {
        self.used + text.chars().count() + keep <= self.limit
    }

    /// Appends `text` when it fits with `keep` characters to spare.
    fn push(&mut self, text: &str, keep: usize) -> bool {
        let fits = self.fits(text, keep);
        if fits {
            self.out.push_str(text);
            self.used += text.chars().count();
        }
        fits
    }
}

/// [`render_markdown`] with every option.
// invariant: `tables`, `securities` and `summaries` hold one entry per stack of `shown`, so
// every index below `shown.len()` is in range; `at` enumerates `resources`.
pub fn render_markdown_with(stacks: &[StackDiff], options: &MarkdownOptions) -> String {
    let mut doc = Budget { out: String::new(), used: 0, limit: options.max_chars.saturating_sub(FOOTER_RESERVE) };
    let changed: Vec<&StackDiff> = stacks.iter().filter(|s| s.status != StackStatus::Unchanged).collect();
    let unread = unread_section(stacks);
    if changed.is_empty() {
        return format!("## Stackwright diff\n\nNo changes.\n{unread}");
    }
    let mut total = Counts::default();
    for stack in stacks {
        total += stack.diff.counts();
    }
    let mut left = LeftOut::default();
    doc.push(&format!("## Stackwright diff\n\n{}", summary_table(&total)), 0);
    // A single stack compared file to file needs no stack headings.
    let headings = stacks.len() > 1;
    if headings {
        doc.push("\n| Stack | Status |\n|---|---|\n", 0);
        for (index, stack) in stacks.iter().enumerate() {
            if !doc.push(&format!("| `{}` | {} |\n", stack.name, stack.status.as_str()), doc.limit * 3 / 4) {
                left.stack_rows = stacks.len() - index;
                break;
            }
        }
    }
    // What could not be read comes before the risky list: a reader must know the diff is partial.
    doc.push(&unread, 0);
    let risky: Vec<String> = changed.iter().flat_map(|s| risky_lines(s, headings, options.security_only)).collect();
    if !risky.is_empty() {
        left.risky = risky.len();
        if doc.push("\n### ⚠ Risky changes\n\n", 0) {
            for line in &risky {
                if !doc.push(&format!("{line}\n"), doc.limit / 2) {
                    break;
                }
                left.risky -= 1;
            }
        }
    }
    let shown: Vec<&StackDiff> =
        changed.into_iter().filter(|s| !options.security_only || !s.diff.security.is_empty()).collect();
    let level = if headings { "####" } else { "###" };
    // Room for each stack's heading, summary (should its details not fit) and security
    // tables: kept aside for the later stacks while the earlier ones and the extra sections
    // are written.
    let tables: Vec<Vec<Table>> = shown.iter().map(|s| security_tables(&s.diff.security)).collect();
    let securities: Vec<String> = tables.iter().map(|t| security_text(t, level)).collect();
    let summaries: Vec<usize> = shown
        .iter()
        .map(|s| {
            let summary = stack_summary(&s.diff, &s.diff.resources.values().collect::<Vec<_>>());
            if options.security_only { 0 } else { summary.len() + s.name.len() + 40 }
        })
        .collect();
    let reserve = |from: usize| -> usize { (from..shown.len()).map(|i| summaries[i] + securities[i].len()).sum() };
    for section in &options.sections {
        if !doc.push(&format!("\n### {}\n\n{}\n", section.title, section.body.trim_end()), reserve(0)) {
            left.sections.push(section.title.clone());
        }
    }
    let mut details = !options.security_only;
    for (index, stack) in shown.iter().enumerate() {
        let later = reserve(index + 1);
        let keep = if details { later + summaries[index] } else { later };
        if headings {
            doc.push(&format!("\n### Stack `{}` ({})\n", stack.name, stack.status.as_str()), keep);
        }
        let tables = &tables[index];
        // The security tables come first in the budget, last on the page.
        let security = &securities[index];
        let keep_security = if doc.fits(security, keep) { security.chars().count() } else { 0 };
        let mut hidden: Vec<&ResourceChange> = Vec::new();
        let mut summarize = false;
        let other = other_sections(&stack.diff, level);
        if details {
            let resources: Vec<&ResourceChange> = stack.diff.resources.values().collect();
            if !resources.is_empty() {
                doc.push(&format!("\n{level} Resources\n\n"), keep + keep_security);
            }
            for (at, change) in resources.iter().enumerate() {
                if !doc.push(&resource_block(change), keep + keep_security) {
                    hidden = resources[at..].to_vec();
                    (summarize, details) = (true, false);
                    break;
                }
            }
            if let Some(other) = &other
                && (summarize || !doc.push(other, keep + keep_security))
            {
                left.other_sections += 1;
                details = false;
            }
        } else if !options.security_only {
            hidden = stack.diff.resources.values().collect();
            summarize = true;
            left.other_sections += usize::from(other.is_some());
        }
        if summarize {
            if !hidden.is_empty() {
                left.resources.push((stack.name.clone(), hidden.len()));
            }
            // Kept aside above; only summaries that alone exceed the budget miss it.
            doc.push(&stack_summary(&stack.diff, &hidden), later);
        }
        if keep_security == 0 || !doc.push(security, later) {
            left.security_rows += write_rows(&mut doc, tables, level, later);
        }
    }
    let room = options.max_chars.saturating_sub(doc.used);
    let mut out = doc.out;
    out.extend(footer(&left, options).chars().take(room));
    out
}

/// The security tables with their heading, whole.
fn security_text(tables: &[Table], level: &str) -> String {
    if tables.is_empty() {
        return String::new();
    }
    let mut out = format!("\n{level} Security\n\n");
    for (index, table) in tables.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        out.push_str(&table.head);
        for row in &table.rows {
            let _ = writeln!(out, "{row}");
        }
    }
    out
}

/// The security tables row by row while they fit; the number of rows left out.
fn write_rows(doc: &mut Budget, tables: &[Table], level: &str, keep: usize) -> usize {
    let total: usize = tables.iter().map(|t| t.rows.len()).sum();
    let mut written = 0;
    for (index, table) in tables.iter().enumerate() {
        let heading = if index == 0 { format!("\n{level} Security\n\n") } else { "\n".to_owned() };
        // A table starts only when its first row fits under its head.
        let first = table.rows.first().map(|row| format!("{row}\n")).unwrap_or_default();
        if !doc.push(&format!("{heading}{}{first}", table.head), keep) {
            return total - written;
        }
        written += usize::from(!table.rows.is_empty());
        for row in table.rows.iter().skip(1) {
            if !doc.push(&format!("{row}\n"), keep) {
                return total - written;
            }
            written += 1;
        }
    }
    total - written
}

/// The closing line: what was left out to stay under the limit, and where the full diff is.
fn footer(left: &LeftOut, options: &MarkdownOptions) -> String {
    let mut parts = Vec::new();
    let plural = |n: usize, one: &str, many: &str| if n == 1 { format!("{n} {one}") } else { format!("{n} {many}") };
    if left.stack_rows > 0 {
        parts.push(plural(left.stack_rows, "row of the stack table", "rows of the stack table"));
    }
    if left.risky > 0 {
        parts.push(plural(left.risky, "risky change", "risky changes"));
    }
    for title in &left.sections {
        parts.push(format!("the section \"{}\"", escape(title)));
    }
    let resources: usize = left.resources.iter().map(|(_, n)| n).sum();
    if resources > 0 {
        let stacks: Vec<String> = left.resources.iter().take(3).map(|(name, _)| format!("`{name}`")).collect();
        let more = if left.resources.len() > 3 {
            format!(" and {} more stacks", left.resources.len() - 3)
        } else {
            String::new()
        };
        parts.push(format!(
            "the details of {} in {}{more}",
            plural(resources, "resource", "resources"),
            stacks.join(", ")
        ));
    }
    if left.other_sections > 0 {
        parts.push(plural(left.other_sections, "stack's other sections", "stacks' other sections"));
    }
    if left.security_rows > 0 {
        parts.push(plural(left.security_rows, "security table row", "security table rows"));
    }
    if parts.is_empty() {
        return String::new();
    }
    let limit = if options.max_chars == GITHUB_COMMENT_LIMIT {
        "GitHub's 65,536-character comment limit".to_owned()
    } else {
        format!("the {}-character limit", options.max_chars)
    };
    let text = format!(
        "\n---\n\n**Left out** to stay under {limit}: {}. The full diff: {}.\n",
        parts.join("; "),
        options.full_diff
    );
    // The reserve bounds the line: a very long `full_diff` is cut rather than overflow.
    text.chars().take(FOOTER_RESERVE).collect()
}

/// The values left out of the diff, one line each, under their own heading; empty when all
/// was read.
fn unread_section(stacks: &[StackDiff]) -> String {
    let lines: Vec<String> =
        stacks.iter().flat_map(|s| &s.unread).map(|u| format!("- `{}`", u.to_string().replace('`', "'"))).collect();
    if lines.is_empty() {
        return String::new();
    }
    format!("\n### ⚠ Left out of the diff (breaks a template rule)\n\n{}\n", lines.join("\n"))
}
