//! Output formats of a [`TemplateDiff`](crate::TemplateDiff): text for people, JSON for
//! machines ([`json`]), Markdown for pull-request comments ([`markdown`]).

pub mod json;
mod lines;
pub mod markdown;
mod markdown_parts;
mod stacks_text;
mod text;
mod text_security;

pub use stacks_text::render_text_stacks;

/// Options of [`TemplateDiff::render_text`](crate::TemplateDiff::render_text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextOptions {
    /// ANSI colors on markers (`[+]` green, `[-]` red, `[~]` yellow). **Default:** off.
    pub color: bool,
    /// Unchanged lines shown around each change of a long value. **Default:** 3.
    pub context_lines: usize,
    /// Show only the Security section (and the summary line). **Default:** off.
    pub security_only: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        Self { color: false, context_lines: 3, security_only: false }
    }
}
