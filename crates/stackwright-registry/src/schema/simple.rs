//! Patterns that need no regex engine: an optional `^`, a sequence of single-character atoms
//! (a literal, `.`, a class, `\d`…) each with a repetition, an optional `$`. Most registry
//! patterns are of this shape (`^[a-zA-Z0-9-]{1,64}$`, `^arn:aws[a-z-]*:`), and compiling
//! one with `fancy-regex` costs about 100,000 instructions — a Unicode class (`[\s\S]`, `[^:]`)
//! several times that — where checking a short string here costs a few hundred.
//!
//! The meaning is exactly the engine's on the same (translated) text, in Rust `regex` syntax
//! without flags: `.` is any character but `\n`, `^` and `$` are the start and the end of the
//! text. `\d`, `\w` and `\s` are Unicode classes there; on ASCII text they are `[0-9]`,
//! `[0-9A-Za-z_]` and `[\t\n\x0B\x0C\r ]`, and a non-ASCII text meeting one is left to the
//! engine ([`Simple::is_match`] answers `None`). One group may hold the whole pattern between
//! its anchors, with alternatives of such sequences (`^(HTTPS?|#\{protocol\})$`, the
//! registry's many enum-like patterns): it matches where one alternative does. Anything else
//! — alternation elsewhere, other groups of more than one atom, look-around, flags, set
//! operations — is not parsed, and the engine compiles it. A test checks every registry
//! pattern this parses against the engine.

/// A parsed simple pattern.
#[derive(Debug, Clone)]
pub(crate) struct Simple {
    anchored_start: bool,
    anchored_end: bool,
    /// The sequences of atoms, one of which must match: those of the group that holds the
    /// whole pattern (`^(A|B)$`), or the pattern's one sequence.
    alternatives: Vec<Vec<Item>>,
    /// Whether an atom uses `\d`, `\w` or `\s` (Unicode classes in the engine).
    perl: bool,
}

/// One atom and how often it repeats.
#[derive(Debug, Clone)]
struct Item {
    set: Set,
    min: usize,
    /// `None`: unbounded.
    max: Option<usize>,
}

/// The characters one atom matches.
#[derive(Debug, Clone)]
enum Set {
    /// `.`: anything but a line feed.
    AnyButNewline,
    /// A class (a literal is a class of one range).
    Class { negated: bool, members: Vec<Member> },
}

#[derive(Debug, Clone, Copy)]
enum Member {
    Range(char, char),
    /// `\d`, `\w`, `\s` (on ASCII text), negated for `\D`, `\W`, `\S`.
    Perl(Perl, bool),
}

#[derive(Debug, Clone, Copy)]
enum Perl {
    Digit,
    Word,
    Space,
}

impl Perl {
    fn ascii(self, c: char) -> bool {
        match self {
            Self::Digit => c.is_ascii_digit(),
            Self::Word => c.is_ascii_alphanumeric() || c == '_',
            Self::Space => matches!(c, '\t' | '\n' | '\x0B' | '\x0C' | '\r' | ' '),
        }
    }
}

impl Set {
    fn contains(&self, c: char) -> bool {
        match self {
            Self::AnyButNewline => c != '\n',
            Self::Class { negated, members } => {
                let inside = members.iter().any(|m| match *m {
                    Member::Range(low, high) => (low..=high).contains(&c),
                    Member::Perl(class, negated) => class.ascii(c) != negated,
                });
                inside != *negated
            }
        }
    }
}

impl Simple {
    /// Parses `pattern` (the engine's form, see `for_engine`); `None` when it is not simple.
    pub(crate) fn parse(pattern: &str) -> Option<Self> {
        let chars: Vec<char> = pattern.chars().collect();
        let anchored_start = chars.first() == Some(&'^');
        let start = usize::from(anchored_start);
        if let Some((close, bars, anchored_end)) = whole_group(&chars, start) {
            return alternatives(&chars, start, close, &bars).map(|alts| Self::of(anchored_start, anchored_end, alts));
        }
        let (items, anchored_end) = sequence(chars.get(start..)?, true)?;
        Some(Self::of(anchored_start, anchored_end, vec![items]))
    }

    fn of(anchored_start: bool, anchored_end: bool, alternatives: Vec<Vec<Item>>) -> Self {
        let perl = alternatives.iter().flatten().any(
            |item| matches!(&item.set, Set::Class { members, .. } if members.iter().any(|m| matches!(m, Member::Perl(..)))),
        );
        Self { anchored_start, anchored_end, alternatives, perl }
    }

    /// Whether `text` contains a match; `None` when the engine must decide (a non-ASCII text
    /// meeting `\d`, `\w` or `\s`).
    pub(crate) fn is_match(&self, text: &str) -> Option<bool> {
        if self.perl && !text.is_ascii() {
            return None;
        }
        let chars: Vec<char> = text.chars().collect();
        Some(self.alternatives.iter().any(|items| self.sequence_matches(items, &chars)))
    }

    /// Whether one sequence of atoms matches `chars`, under the pattern's anchors.
    // invariant: `reach` and `run` have `n + 1` entries and `marks` `n + 2`; every index is a
    // position `p <= n`, or `p + longest + 1` with `p + longest <= n` (`run[p]` counts
    // characters that exist from `p` on).
    fn sequence_matches(&self, items: &[Item], chars: &[char]) -> bool {
        let n = chars.len();
        // `reach[p]`: the atoms so far can end at position `p` (having started anywhere
        // allowed). One pass per atom: linear, whatever the repetitions.
        let mut reach: Vec<bool> = (0..=n).map(|p| !self.anchored_start || p == 0).collect();
        let mut run = vec![0usize; n + 1];
        let mut marks = vec![0isize; n + 2];
        for item in items {
            // `run[p]`: how many characters from `p` on the atom matches.
            for p in (0..n).rev() {
                run[p] = if chars.get(p).is_some_and(|c| item.set.contains(*c)) { run[p + 1] + 1 } else { 0 };
            }
            run[n] = 0;
            marks.fill(0);
            let mut any = false;
            for (p, _) in reach.iter().enumerate().filter(|(_, r)| **r) {
                let longest = item.max.map_or(run[p], |max| max.min(run[p]));
                if longest >= item.min {
                    marks[p + item.min] += 1;
                    marks[p + longest + 1] -= 1;
                    any = true;
                }
            }
            if !any {
                return false;
            }
            let mut open = 0;
            for (p, r) in reach.iter_mut().enumerate() {
                open += marks[p];
                *r = open > 0;
            }
        }
        if self.anchored_end { reach[n] } else { reach.iter().any(|r| *r) }
    }
}

/// `^(A|B|…)$` (either anchor optional): the group at `chars[start]` when it holds the whole
/// pattern, with where it closes, its `|`s and whether a `$` follows it.
fn whole_group(chars: &[char], start: usize) -> Option<(usize, Vec<usize>, bool)> {
    if chars.get(start) != Some(&'(') {
        return None;
    }
    let (close, bars) = group(chars, start)?;
    match chars.get(close + 1..)? {
        [] => Some((close, bars, false)),
        ['$'] => Some((close, bars, true)),
        _ => None,
    }
}

/// The sequences of the group at `chars[open]` (a `(?:` group too) that closes at `close`,
/// split at `bars`; `None` when one is not simple.
fn alternatives(chars: &[char], open: usize, close: usize, bars: &[usize]) -> Option<Vec<Vec<Item>>> {
    let mut first = open + 1;
    if chars.get(first) == Some(&'?') {
        if chars.get(first + 1) != Some(&':') {
            return None;
        }
        first += 2;
    }
    let mut out = Vec::new();
    for end in bars.iter().copied().chain([close]) {
        out.push(sequence(chars.get(first..end)?, false)?.0);
        first = end + 1;
    }
    Some(out)
}

/// The atoms of `chars` in order, and whether a final `$` anchors them (only where
/// `may_anchor`: inside a group a `$` is not simple).
fn sequence(chars: &[char], may_anchor: bool) -> Option<(Vec<Item>, bool)> {
    let mut at = 0;
    let mut items = Vec::new();
    while let Some(&c) = chars.get(at) {
        at += 1;
        let set = match c {
            '$' if may_anchor && at == chars.len() => return Some((items, true)),
            '.' => Set::AnyButNewline,
            '[' => {
                let (set, next) = class(chars, at)?;
                at = next;
                set
            }
            '\\' => {
                let (member, next) = escape(chars, at)?;
                at = next;
                Set::Class { negated: false, members: vec![member] }
            }
            '(' => {
                // A group of one unrepeated atom, repeated as a whole: `([a-z,.])*`.
                if chars.get(at) == Some(&'?') {
                    if chars.get(at + 1) != Some(&':') {
                        return None;
                    }
                    at += 2;
                }
                let (set, next) = single_atom(chars, at)?;
                if chars.get(next) != Some(&')') {
                    return None;
                }
                at = next + 1;
                set
            }
            '^' | '$' | '|' | ')' | '*' | '+' | '?' | '{' | '}' | ']' => return None,
            literal => Set::Class { negated: false, members: vec![Member::Range(literal, literal)] },
        };
        let (min, max, next) = repetition(chars, at)?;
        at = next;
        items.push(Item { set, min, max });
    }
    Some((items, false))
}

/// Where the group opened at `chars[open]` closes, and the `|`s directly inside it (classes
/// and escapes skipped); `None` when it does not close or holds a class that is not simple.
fn group(chars: &[char], open: usize) -> Option<(usize, Vec<usize>)> {
    let mut depth = 0usize;
    let mut bars = Vec::new();
    let mut at = open;
    while let Some(&c) = chars.get(at) {
        match c {
            '\\' => at += 1,
            '[' => {
                at = class(chars, at + 1)?.1;
                continue;
            }
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some((at, bars));
                }
            }
            '|' if depth == 1 => bars.push(at),
            _ => {}
        }
        at += 1;
    }
    None
}

/// The atom at `chars[at]` outside a class, without repetition: its set and where the rest
/// starts.
fn single_atom(chars: &[char], at: usize) -> Option<(Set, usize)> {
    match *chars.get(at)? {
        '.' => Some((Set::AnyButNewline, at + 1)),
        '[' => class(chars, at + 1),
        '\\' => escape(chars, at + 1).map(|(m, next)| (Set::Class { negated: false, members: vec![m] }, next)),
        '^' | '$' | '|' | '(' | ')' | '*' | '+' | '?' | '{' | '}' | ']' => None,
        literal => Some((Set::Class { negated: false, members: vec![Member::Range(literal, literal)] }, at + 1)),
    }
}

/// The repetition at `chars[at]` (none, `*`, `+`, `?`, `{m}`, `{m,}`, `{m,n}`): its bounds
/// and where the rest starts. A lazy or doubled quantifier is not simple.
fn repetition(chars: &[char], at: usize) -> Option<(usize, Option<usize>, usize)> {
    let (min, max, next) = match chars.get(at) {
        Some('*') => (0, None, at + 1),
        Some('+') => (1, None, at + 1),
        Some('?') => (0, Some(1), at + 1),
        Some('{') => {
            let end = at + chars.get(at..)?.iter().position(|c| *c == '}')?;
            let body: String = chars.get(at + 1..end)?.iter().collect();
            let number = |s: &str| -> Option<usize> {
                (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit())).then(|| s.parse().ok()).flatten()
            };
            let (min, max) = match body.split_once(',') {
                None => (number(&body)?, Some(number(&body)?)),
                Some((low, "")) => (number(low)?, None),
                Some((low, high)) => (number(low)?, Some(number(high)?)),
            };
            if max.is_some_and(|max| max < min) {
                return None;
            }
            (min, max, end + 1)
        }
        _ => return Some((1, Some(1), at)),
    };
    if matches!(chars.get(next), Some('*' | '+' | '?' | '{')) {
        return None;
    }
    Some((min, max, next))
}

/// The escape after a `\` at `chars[at]` (outside or inside a class): a class member and where
/// the rest starts.
fn escape(chars: &[char], at: usize) -> Option<(Member, usize)> {
    let c = *chars.get(at)?;
    let member = match c {
        'd' => Member::Perl(Perl::Digit, false),
        'D' => Member::Perl(Perl::Digit, true),
        'w' => Member::Perl(Perl::Word, false),
        'W' => Member::Perl(Perl::Word, true),
        's' => Member::Perl(Perl::Space, false),
        'S' => Member::Perl(Perl::Space, true),
        't' => Member::Range('\t', '\t'),
        'n' => Member::Range('\n', '\n'),
        'r' => Member::Range('\r', '\r'),
        'u' => {
            let hex: String = chars.get(at + 1..at + 5)?.iter().collect();
            if !hex.chars().all(|h| h.is_ascii_hexdigit()) {
                return None;
            }
            let c = char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?;
            return Some((Member::Range(c, c), at + 5));
        }
        // Escaped punctuation is the character itself (`\.`, `\-`, `\/`); `\<` and `\>` are
        // word boundaries, and letters and digits are other escapes.
        punctuation if punctuation.is_ascii_punctuation() && !matches!(punctuation, '<' | '>') => {
            Member::Range(punctuation, punctuation)
        }
        _ => return None,
    };
    Some((member, at + 1))
}

/// The class after a `[` at `chars[at]`: its set and where the rest starts. Nested classes,
/// POSIX classes and set operations (`&&`, `--`, `~~`) are not simple.
fn class(chars: &[char], mut at: usize) -> Option<(Set, usize)> {
    let negated = chars.get(at) == Some(&'^');
    if negated {
        at += 1;
    }
    let mut members = Vec::new();
    let mut first = true;
    loop {
        let c = *chars.get(at)?;
        if c == ']' && !first {
            return Some((Set::Class { negated, members }, at + 1));
        }
        first = false;
        if c == '[' || (matches!(c, '&' | '~' | '-') && chars.get(at + 1) == Some(&c)) {
            return None;
        }
        let (member, next) = if c == '\\' { escape(chars, at + 1)? } else { (Member::Range(c, c), at + 1) };
        at = next;
        // A range `a-z`, unless the `-` is last.
        if chars.get(at) == Some(&'-') && chars.get(at + 1).is_some_and(|n| *n != ']') {
            let Member::Range(low, _) = member else { return None };
            let high_at = at + 1;
            let (high, next) = match *chars.get(high_at)? {
                '\\' => escape(chars, high_at + 1)?,
                '[' => return None,
                other => (Member::Range(other, other), high_at + 1),
            };
            let Member::Range(high, _) = high else { return None };
            if high < low {
                return None;
            }
            members.push(Member::Range(low, high));
            at = next;
        } else {
            members.push(member);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> Option<bool> {
        Simple::parse(pattern).expect("simple").is_match(text)
    }

    #[test]
    fn anchors_repetitions_and_classes() {
        assert_eq!(matches(r"^[a-zA-Z0-9-]{1,3}$", "a-1"), Some(true));
        assert_eq!(matches(r"^[a-zA-Z0-9-]{1,3}$", "a-12"), Some(false));
        assert_eq!(matches(r"^[a-zA-Z0-9-]{1,3}$", ""), Some(false));
        assert_eq!(matches(r"[0-9]{3}", "ab1234"), Some(true), "not anchored");
        assert_eq!(matches(r"^arn:aws[a-z-]*:", "arn:aws-cn:iam"), Some(true));
        assert_eq!(matches(r"^arn:aws[a-z-]*:", "xarn:aws:"), Some(false));
        assert_eq!(matches(r"^[^:]", ":x"), Some(false));
        assert_eq!(matches(r"^[^:]", "\u{e9}"), Some(true));
        assert_eq!(matches(r"^.*$", "a\nb"), Some(false), "dot is not a line feed");
        assert_eq!(matches(r"^[\s\S]*$", "a\nb"), Some(true));
        assert_eq!(matches(r"^[\s\S]*$", "\u{e9}"), None, "the engine decides");
        assert_eq!(matches(r"^([a-z,. _\-:])*$", "a, b-c"), Some(true));
        assert_eq!(matches(r"^([a-z,. _\-:])*$", "A"), Some(false));
        assert_eq!(matches(r"^[\u0020-\u007E\u00A1-\u00FF]*$", "caf\u{e9}"), Some(true));
        assert_eq!(matches(r"^[\u0020-\u007E]*$", "tab\t"), Some(false));
        assert_eq!(matches(r"^a?b+c*$", "bbb"), Some(true));
        assert_eq!(matches(r"^a?b+c*$", "ac"), Some(false));
        assert_eq!(matches(r"^\d{12}$", "123456789012"), Some(true));
        assert_eq!(matches(r"x{2,}", "axxb"), Some(true));
        assert_eq!(matches(r"x{2,}", "axb"), Some(false));
        assert_eq!(matches(r"", "anything"), Some(true));
        assert_eq!(matches(r"^$", ""), Some(true));
        assert_eq!(matches(r"[a-]", "-"), Some(true), "a last `-` is a literal");
    }

    #[test]
    fn a_group_holding_the_whole_pattern_matches_where_one_alternative_does() {
        let protocol = r"^(HTTPS?|#\{protocol\})$";
        for (text, expected) in [("HTTP", true), ("HTTPS", true), ("#{protocol}", true), ("HTTPSS", false), ("", false)]
        {
            assert_eq!(matches(protocol, text), Some(expected), "{text}");
        }
        assert_eq!(matches(r"^(?:a|bc)$", "bc"), Some(true));
        assert_eq!(matches(r"^(?:a|bc)$", "abc"), Some(false));
        assert_eq!(matches(r"(ab|x[0-9]+)", "--x12--"), Some(true), "not anchored");
        assert_eq!(matches(r"^(ab|cd)", "cdzz"), Some(true));
        assert_eq!(matches(r"(ab|cd)$", "zzab"), Some(true));
        assert_eq!(matches(r"(ab|cd)$", "abzz"), Some(false));
        assert_eq!(matches(r"^(a|)$", ""), Some(true), "an empty alternative");
        assert_eq!(matches(r"^(abc)$", "abc"), Some(true), "one alternative");
        assert_eq!(matches(r"^([|]|\|)$", "|"), Some(true), "a `|` in a class or escaped is a literal");
        assert_eq!(matches(r"^([|]|\|)$", "a"), Some(false));
        assert_eq!(matches(r"^(\d+|none)$", "\u{663}"), None, "the engine decides");
    }

    #[test]
    fn what_needs_the_engine_is_not_parsed() {
        for pattern in [
            r"^a|b$",
            r"^(a|b)+$",
            r"^(a|b)c$",
            r"^(a|(b|c))$",
            r"^(a$|b)$",
            r"^(^a|b)$",
            r"^(?i:a|b)$",
            r"^(?=a|b)$",
            r"^(a|b",
            r"^(?=.{2,5}$)[a-z]+$",
            r"^(?i)aws$",
            r"^(ab)+$",
            r"^a+?$",
            r"[a-z&&[^x]]",
            r"[[:alpha:]]",
            r"^a$b",
            r"\bword",
            r"[z-a]",
            r"a{2,1}",
            r"a{,3}",
            r"[\w-z]",
            r"\p{L}",
            r"[a",
        ] {
            assert!(Simple::parse(pattern).is_none(), "{pattern}");
        }
    }
}

/// Every registry pattern [`Simple`] parses means the same as the engine's regex: compiled
/// as the engine compiles it (the first form `Pattern` tries must compile, so the retry form
/// never applies), and matching the same way on strings made from the pattern itself and on
/// a common set.
#[cfg(test)]
mod registry_tests {
    use std::collections::BTreeSet;

    use super::super::pattern::{LARGEST_UNICODE_REPEAT, for_engine};
    use super::*;

    /// Strings each alternative's atoms make: each atom's first character repeated its
    /// minimum, maximum and one more time, with characters around and without the last, and
    /// two alternatives' strings one after the other.
    fn samples_of(simple: &Simple) -> Vec<String> {
        let first = |set: &Set| match set {
            Set::AnyButNewline => 'a',
            Set::Class { negated: false, members } => match members.first() {
                Some(Member::Range(low, _)) => *low,
                Some(Member::Perl(Perl::Digit, false)) => '7',
                Some(Member::Perl(Perl::Space, false)) => ' ',
                _ => 'x',
            },
            Set::Class { negated: true, .. } => '\u{e9}',
        };
        let text_of = |items: &[Item], count: fn(&Item) -> usize| -> String {
            items.iter().flat_map(|i| std::iter::repeat_n(first(&i.set), count(i).min(300))).collect()
        };
        let counts: [fn(&Item) -> usize; 3] =
            [|i| i.min, |i| i.max.unwrap_or(i.min + 3), |i| i.max.unwrap_or(i.min) + 1];
        let mut out = Vec::new();
        for items in &simple.alternatives {
            for count in counts {
                let text = text_of(items, count);
                let mut shorter = text.clone();
                shorter.pop();
                out.extend([format!("x{text}"), format!("{text}-"), format!("{text}\n"), shorter, text]);
            }
        }
        let shortest: Vec<String> = simple.alternatives.iter().map(|items| text_of(items, counts[0])).collect();
        out.extend(shortest.iter().zip(shortest.iter().skip(1)).map(|(a, b)| format!("{a}{b}")));
        out
    }

    const COMMON: &[&str] = &[
        "",
        " ",
        "a",
        "A",
        "0",
        "abc",
        "my-bucket.name_1",
        "arn:aws:iam::123456789012:role/service-role/x",
        "123456789012",
        "sg-0123456789abcdef0",
        "Hello World!",
        "tab\there",
        "line\nbreak",
        "caf\u{e9}",
        "\u{65e5}\u{672c}",
        "x\u{1f600}",
        "{{resolve:ssm:/a/b}}",
        "${AWS::StackName}-topic",
        "https://example.com/path?q=1",
        "10.0.0.0/16",
    ];

    #[test]
    fn every_simple_registry_pattern_matches_as_the_engine_does() {
        let mut distinct = BTreeSet::new();
        for name in crate::type_names() {
            for pattern in crate::schema(name).expect("compiles").patterns() {
                distinct.insert(pattern.as_str().to_owned());
            }
        }
        let mut simple_count = 0;
        let mut disagreements = Vec::new();
        for source in &distinct {
            let engine_form = for_engine(source, LARGEST_UNICODE_REPEAT);
            let Some(simple) = Simple::parse(&engine_form) else { continue };
            simple_count += 1;
            let regex = fancy_regex::Regex::new(&engine_form).unwrap_or_else(|e| panic!("{source}: {e}"));
            let samples = samples_of(&simple);
            for text in samples.iter().map(String::as_str).chain(COMMON.iter().copied()) {
                let Some(ours) = simple.is_match(text) else { continue };
                if regex.is_match(text).unwrap() != ours {
                    disagreements.push(format!("{source:?} on {text:?}: simple says {ours}"));
                }
            }
        }
        assert!(simple_count > 1000, "{simple_count} of {} patterns are simple", distinct.len());
        assert!(disagreements.is_empty(), "{disagreements:#?}");
    }
}
