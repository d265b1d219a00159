//! Output formats of a [`TemplateDiff`](crate::TemplateDiff). Only text for now.

mod text;

/// Options of [`TemplateDiff::render_text`](crate::TemplateDiff::render_text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextOptions {
    /// ANSI colors on markers (`[+]` green, `[-]` red, `[~]` yellow). **Default:** off.
    pub color: bool,
    /// Unchanged lines shown around each change of a long value. **Default:** 3.
    pub context_lines: usize,
}

impl Default for TextOptions {
    fn default() -> Self {
        Self { color: false, context_lines: 3 }
    }
}
