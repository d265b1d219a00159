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

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::simple::Simple;

/// A regex, compiled on first use; a simple one ([`Simple`]) is matched without compiling.
pub struct Pattern {
    source: String,
    simple: OnceLock<Option<Simple>>,
    compiled: OnceLock<Option<Arc<fancy_regex::Regex>>>,
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

impl Pattern {
    /// The pattern `source`, not compiled yet.
    pub fn new(source: String) -> Self {
        Self { source, simple: OnceLock::new(), compiled: OnceLock::new() }
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
        let simple = self.simple.get_or_init(|| Simple::parse(&for_engine(&self.source, LARGEST_UNICODE_REPEAT)));
        if let Some(answer) = simple.as_ref().and_then(|simple| simple.is_match(text)) {
            return answer;
        }
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
        self.compiled.get_or_init(|| shared(&self.source)).as_deref()
    }
}

/// The compiled regex of `source`, shared by every node that writes the same pattern (the
/// registry repeats its ARN and name patterns across types): each distinct pattern is
/// compiled once per process.
fn shared(source: &str) -> Option<Arc<fancy_regex::Regex>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Arc<fancy_regex::Regex>>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    if let Some(found) = cache.lock().ok().and_then(|map| map.get(source).cloned()) {
        return found;
    }
    // Several long repetitions together can still be too large: then bound none above the
    // smaller limit.
    let compiled = fancy_regex::Regex::new(&for_engine(source, LARGEST_UNICODE_REPEAT))
        .or_else(|_| fancy_regex::Regex::new(&for_engine(source, RETRY_UNICODE_REPEAT)))
        .ok()
        .map(Arc::new);
    if let Ok(mut map) = cache.lock() {
        map.insert(source.to_owned(), compiled.clone());
    }
    compiled
}

/// Bounded repetitions above this (`{1,2048}`) of an atom that matches Unicode classes are
/// compiled unbounded (see [`for_engine`]).
pub(crate) const LARGEST_UNICODE_REPEAT: u32 = 100;
/// The same, when the regex is still too large to compile (four `[\w+=,.@-]{1,64}` in one
/// IAM principal pattern).
const RETRY_UNICODE_REPEAT: u32 = 16;

/// Rewrites the Python / Java spellings that mean the same in Rust syntax but are written
/// differently, keeping their meaning (this is the form messages show):
/// - `\Z` (end of input in Python) becomes `$`, which in Rust syntax (without the `m` flag)
///   matches only at the end of the input;
/// - a quantified look-ahead `(?!\.)+` (in `AWS::EFS::AccessPoint`) becomes `(?!\.)`:
///   repeating a zero-width assertion asserts the same thing once;
/// - in a character class, a `-` right after a class escape (`[\w-.]`, `[\p{Z}-_]`) and a
///   `[` are literals in Python and Java, and are escaped;
/// - in a character class, UTF-16 surrogate escapes (`\uD800-\uDBFF\uDC00-\uDFFF`, Java's
///   way to admit characters beyond the Basic Multilingual Plane) become the range of those
///   characters, `\x{10000}-\x{10FFFF}`: Rust matches characters, not UTF-16 units.
pub(crate) fn translate(source: &str) -> String {
    Translator::run(source, u32::MAX).0
}

/// [`translate`], and then the form the regex engine compiles: a bounded repetition above
/// `largest` of an atom with a Unicode class (`[\w]{1,2048}`,
/// `.{1,65535}`) keeps its lower bound only. The engine would otherwise need hundreds of
/// megabytes (and seconds) for one such regex, or refuse it; the length is what
/// `maxLength` also checks in the registry's schemas, and a laxer pattern never refuses a
/// valid value.
pub(crate) fn for_engine(source: &str, largest: u32) -> String {
    Translator::run(source, largest).1
}

/// A one-pass rewriter producing both forms.
#[derive(Default)]
struct Translator {
    shown: String,
    engine: String,
    /// Whether the atom just written matches a Unicode class.
    last_unicode: bool,
    /// Per open group: whether it holds a Unicode-class atom.
    groups: Vec<bool>,
}

impl Translator {
    // invariant: `i` is below `chars.len()` when it indexes (the loop condition), and every
    // slice ends at a position `position`/`len` found inside `chars`.
    fn run(source: &str, largest: u32) -> (String, String) {
        let source = source.replace("(?!\\.)+", "(?!\\.)");
        let mut t = Self::default();
        let chars: Vec<char> = source.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            i += 1;
            match c {
                '\\' => {
                    let (token, unicode, next) = escape(&chars, i);
                    i = next;
                    let token = if token == "\\Z" { "$".to_owned() } else { token };
                    t.atom(&token, unicode);
                }
                '[' => {
                    let (class, unicode, next) = class(&chars, i);
                    i = next;
                    t.atom(&class, unicode);
                }
                '.' => t.atom(".", true),
                '(' => {
                    t.push("(");
                    t.groups.push(false);
                    t.last_unicode = false;
                }
                ')' => {
                    t.push(")");
                    let inner = t.groups.pop().unwrap_or(false);
                    t.atom("", inner);
                }
                '{' => {
                    let end = chars[i..].iter().position(|c| *c == '}').map(|p| i + p);
                    let body: Option<String> = end.map(|e| chars[i..e].iter().collect());
                    match body.as_deref().and_then(bounds) {
                        Some((low, high)) => {
                            let written = format!("{{{}}}", body.unwrap_or_default());
                            t.shown.push_str(&written);
                            if t.last_unicode && high.is_some_and(|h| h > largest) {
                                t.engine.push('{');
                                t.engine.push_str(&low.to_string());
                                t.engine.push_str(",}");
                            } else {
                                t.engine.push_str(&written);
                            }
                            i = end.map_or(i, |e| e + 1);
                        }
                        None => t.push("{"),
                    }
                }
                other => {
                    let mut buffer = [0; 4];
                    let text: &str = other.encode_utf8(&mut buffer);
                    if matches!(other, '*' | '+' | '?' | '|' | '^' | '$') {
                        t.push(text);
                    } else {
                        t.atom(text, false);
                    }
                }
            }
        }
        (t.shown, t.engine)
    }

    /// Writes text that is not an atom (an operator), leaving the last atom as it was.
    fn push(&mut self, text: &str) {
        self.shown.push_str(text);
        self.engine.push_str(text);
    }

    fn atom(&mut self, text: &str, unicode: bool) {
        self.push(text);
        self.last_unicode = unicode;
        if unicode && let Some(group) = self.groups.last_mut() {
            *group = true;
        }
    }
}

/// The escape starting after a `\` at `chars[i]`: its text, whether it is a Unicode class,
/// and where the rest starts.
// invariant: `chars[i]` exists (checked by `get` first); `end` is a position found in
// `chars[i..]` plus one, or `chars.len()`; `i + 5 <= chars.len()` is checked before slicing.
fn escape(chars: &[char], i: usize) -> (String, bool, usize) {
    let Some(&c) = chars.get(i) else { return ("\\\\".to_owned(), false, i) };
    if matches!(c, 'p' | 'P') && chars.get(i + 1) == Some(&'{') {
        let end = chars[i..].iter().position(|c| *c == '}').map_or(chars.len(), |p| i + p + 1);
        return (format!("\\{}", chars[i..end].iter().collect::<String>()), true, end);
    }
    if c == 'u' && chars.len() >= i + 5 && chars[i + 1..i + 5].iter().all(char::is_ascii_hexdigit) {
        return (format!("\\{}", chars[i..i + 5].iter().collect::<String>()), false, i + 5);
    }
    (format!("\\{c}"), matches!(c, 'w' | 'W' | 'd' | 'D' | 's' | 'S'), i + 1)
}

/// The class starting after a `[` at `chars[i]`, rewritten: its text (brackets included),
/// whether it matches Unicode classes (an escape class, or a negation), and where the rest
/// starts. An unterminated class is copied as it is (the engine will refuse it).
fn class(chars: &[char], mut i: usize) -> (String, bool, usize) {
    let mut out = String::from("[");
    let mut unicode = false;
    if chars.get(i) == Some(&'^') {
        out.push('^');
        unicode = true;
        i += 1;
    }
    // A `]` first in a class is a literal.
    if chars.get(i) == Some(&']') {
        out.push_str("\\]");
        i += 1;
    }
    let mut items: Vec<String> = Vec::new();
    let mut surrogates = false;
    let mut after_escape_class = false;
    while let Some(&c) = chars.get(i) {
        i += 1;
        match c {
            ']' => {
                for item in items {
                    out.push_str(&item);
                }
                if surrogates {
                    out.push_str("\\x{10000}-\\x{10FFFF}");
                }
                out.push(']');
                return (out, unicode, i);
            }
            '\\' => {
                let (token, class_escape, next) = escape(chars, i);
                i = next;
                unicode |= class_escape;
                after_escape_class = class_escape;
                if is_surrogate(&token) {
                    surrogates = true;
                    // A range to or from a surrogate goes with it.
                    if items.last().is_some_and(|last| last == "-") {
                        items.pop();
                        items.pop();
                    }
                    if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|n| *n != ']') {
                        i += 1;
                        let (_, _, after) = if chars.get(i) == Some(&'\\') {
                            escape(chars, i + 1)
                        } else {
                            (String::new(), false, i + 1)
                        };
                        i = after;
                    }
                    continue;
                }
                items.push(token);
                continue;
            }
            '-' if after_escape_class && chars.get(i).is_some_and(|n| *n != ']') => items.push("\\-".to_owned()),
            '[' if chars.get(i) != Some(&':') => items.push("\\[".to_owned()),
            other => items.push(other.to_string()),
        }
        after_escape_class = false;
    }
    (format!("[{}", chars[..].iter().skip(1).collect::<String>()), unicode, chars.len())
}

/// Whether an escape is a UTF-16 surrogate (`\uD800` to `\uDFFF`).
fn is_surrogate(token: &str) -> bool {
    token
        .strip_prefix("\\u")
        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
        .is_some_and(|n| (0xD800..=0xDFFF).contains(&n))
}

/// `m`, `m,` or `m,n` of a repetition: the bounds, `None` for the upper one if open.
fn bounds(body: &str) -> Option<(u32, Option<u32>)> {
    match body.split_once(',') {
        None => body.parse().ok().map(|n| (n, Some(n))),
        Some((low, "")) => low.parse().ok().map(|l| (l, None)),
        Some((low, high)) => Some((low.parse().ok()?, Some(high.parse().ok()?))),
    }
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
        assert_eq!(translate(r"[\p{Z}-_]"), r"[\p{Z}\-_]");
        assert_eq!(translate(r"^([a,. @[\]+=])*$"), r"^([a,. @\[\]+=])*$");
        assert_eq!(
            translate(r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDBFF-\uDC00\uDFFF\t]*"),
            r"[\u0020-\uD7FF\uE000-\uFFFD\t\x{10000}-\x{10FFFF}]*"
        );
        assert_eq!(translate(r"^a{2}(b|c){1,3}$"), r"^a{2}(b|c){1,3}$");
    }

    fn for_engine_default(source: &str) -> String {
        for_engine(source, LARGEST_UNICODE_REPEAT)
    }

    #[test]
    fn long_unicode_repetitions_keep_their_lower_bound_only_for_the_engine() {
        assert_eq!(for_engine_default(r"^[\w]{1,2048}$"), r"^[\w]{1,}$");
        assert_eq!(for_engine_default(r"^.{1,65535}$"), r"^.{1,}$");
        assert_eq!(for_engine_default(r"(\w|/|-){1,1011}"), r"(\w|/|-){1,}");
        assert_eq!(for_engine_default(r"^[a-z]{1,512}$"), r"^[a-z]{1,512}$", "ASCII classes compile small");
        assert_eq!(for_engine_default(r"^\w{1,64}$"), r"^\w{1,64}$");
        assert_eq!(translate(r"^[\w]{1,2048}$"), r"^[\w]{1,2048}$", "messages show the bound");
        let pattern = Pattern::new(r"^[\w]{1,2048}$".to_owned());
        assert!(pattern.compiles() && pattern.is_match("héllo") && !pattern.is_match("a b"));
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
