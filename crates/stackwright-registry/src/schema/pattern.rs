//! `pattern` and `patternProperties` keys: regexes compiled the first time a literal string
//! meets them.
//!
//! Compiling regexes is most of what compiling a registry schema would cost, and a template's
//! strings meet few of them: most values a pattern constrains (ARNs, IDs) are `Ref`s and
//! `Fn::GetAtt`s.
//!
//! The registry's patterns are written for the Java and Python engines that AWS and cfn-lint
//! run (cfn-lint uses Python's `regex` module), not for ECMA-262: `\Z`, inline flags such as
//! `(?i)` in the middle, `\p{L}`. They are compiled with `fancy-regex` (Rust `regex` syntax
//! plus look-around), whose Unicode-aware `\d`, `\w` and `\s` match as Python 3's do, after
//! the rewrites of [`translate`]. A pattern that still does not compile matches every
//! string: the template is not at fault (a test lists those patterns).

use std::sync::OnceLock;

/// A regex, compiled on first use.
pub struct Pattern {
    source: String,
    compiled: OnceLock<Option<fancy_regex::Regex>>,
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

impl Pattern {
    /// The pattern `source`, not compiled yet.
    pub fn new(source: String) -> Self {
        Self { source, compiled: OnceLock::new() }
    }

    /// The pattern as the schema writes it.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The pattern as it is compiled (see [`translate`]), for messages.
    pub fn translated(&self) -> String {
        translate(&self.source)
    }

    /// Whether `text` contains a match (JSON Schema patterns are not anchored). A pattern
    /// that does not compile matches everything.
    pub fn is_match(&self, text: &str) -> bool {
        match self.regex() {
            // A match that runs out of backtracking budget is the pattern's problem: no error.
            Some(regex) => regex.is_match(text).unwrap_or(true),
            None => true,
        }
    }

    /// Whether the pattern compiles (after [`translate`]).
    pub fn compiles(&self) -> bool {
        self.regex().is_some()
    }

    fn regex(&self) -> Option<&fancy_regex::Regex> {
        self.compiled.get_or_init(|| fancy_regex::Regex::new(&translate(&self.source)).ok()).as_ref()
    }
}

/// Rewrites the Python / Java spellings that mean the same in Rust syntax but are written
/// differently, keeping their meaning:
/// - `\Z` (end of input in Python) becomes `$`, which in Rust syntax (without the `m` flag)
///   matches only at the end of the input;
/// - a quantified look-ahead `(?!\.)+` (in `AWS::EFS::AccessPoint`) becomes `(?!\.)`:
///   repeating a zero-width assertion asserts the same thing once;
/// - in a character class, a `-` right after a class escape (`[\w-.]`) is a literal
///   hyphen in Python and Java, and is escaped.
pub(crate) fn translate(source: &str) -> String {
    let source = source.replace("(?!\\.)+", "(?!\\.)");
    let mut out = String::with_capacity(source.len() + 4);
    let mut chars = source.chars().peekable();
    let mut in_class = false;
    let mut after_class_escape = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push('\\');
                    break;
                };
                if next == 'Z' && !in_class {
                    out.push('$');
                } else {
                    out.push('\\');
                    out.push(next);
                }
                after_class_escape = in_class && matches!(next, 'w' | 'W' | 'd' | 'D' | 's' | 'S');
                continue;
            }
            '-' if in_class && after_class_escape && chars.peek().is_some_and(|n| *n != ']') => {
                out.push_str("\\-");
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap_or('^'));
                }
                // A `]` first in a class is a literal.
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str("\\]");
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            other => out.push(other),
        }
        after_class_escape = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_spellings_become_rust_ones() {
        assert_eq!(translate(r"^[a-z]+\Z"), r"^[a-z]+$");
        assert_eq!(translate(r"^(?!\.)+x$"), r"^(?!\.)x$");
        assert_eq!(translate(r"[\w-.~]+"), r"[\w\-.~]+");
        assert_eq!(translate(r"[a-z\d-]"), r"[a-z\d-]");
        assert_eq!(translate(r"[]a]"), r"[\]a]");
    }

    #[test]
    fn patterns_search_and_compile_lazily() {
        let pattern = Pattern::new(r"^[a-z]+\Z".to_owned());
        assert!(pattern.compiled.get().is_none());
        assert!(pattern.is_match("abc"));
        assert!(!pattern.is_match("abc1"));
        assert!(Pattern::new("b".to_owned()).is_match("abc"), "not anchored");
        assert!(Pattern::new(r"^(?!(?i)aws)[A-Za-z]+$".to_owned()).is_match("Foo"));
        assert!(!Pattern::new(r"^(?!(?i)aws)[A-Za-z]+$".to_owned()).is_match("AWSFoo"));
    }

    #[test]
    fn a_pattern_that_does_not_compile_matches_everything() {
        let pattern = Pattern::new("(".to_owned());
        assert!(!pattern.compiles());
        assert!(pattern.is_match("anything"));
    }
}
