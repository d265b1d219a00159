//! The judge's reading of template values: each value becomes a [`Term`] in which what is
//! known offline is literal and what is known only at deploy time is a named unknown (an
//! [`Atom`]), so that an old and a new value can be compared as *equal*, *certainly different*
//! or *perhaps different* ([`Cmp`]).
//!
//! The rules (docs/DIFF.md, "Judging rules"): scalars compare by their text (`10` is `"10"`);
//! `Fn::Sub` and `Fn::Join` of strings are concatenations, so `!Sub '${A}-x'` equals
//! `!Join ['-', [!Ref A, x]]`; pseudo parameters, parameters and other resources' `Ref` /
//! `Fn::GetAtt` are unknowns, the same on both sides unless a parameter's `Default` changed or
//! the resource is replaced; `Fn::If` is a choice of its branches; `Fn::FindInMap` with literal
//! keys is the mapping's value, with a key known only at deploy time a table over the mapping's
//! keys; any other function is compared by its arguments.

use std::collections::BTreeMap;

use serde_json::Value;

/// How a value compares with another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Cmp {
    Equal,
    /// Different for some deploy-time values, equal for others.
    Maybe,
    /// Different whatever the deploy-time values.
    Differs,
}

impl Cmp {
    /// The comparison of a whole whose parts compare as `parts`: one certain difference makes
    /// the whole differ.
    pub(crate) fn all(parts: impl IntoIterator<Item = Cmp>) -> Cmp {
        parts.into_iter().max().unwrap_or(Cmp::Equal)
    }

    /// The comparison of one of several alternatives (exactly one applies at deploy time).
    fn one_of(alternatives: impl IntoIterator<Item = Cmp>) -> Cmp {
        let mut iter = alternatives.into_iter();
        let Some(first) = iter.next() else { return Cmp::Equal };
        iter.fold(first, |acc, next| if acc == next { acc } else { Cmp::Maybe })
    }
}

/// Whether an unknown's value on the new side can differ from the old side's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fresh {
    /// The same value on both sides (a pseudo parameter, a parameter whose default is unchanged,
    /// a resource that is not replaced).
    Stable,
    /// Perhaps a new value (a parameter whose default changed, a resource that may be replaced).
    Perhaps,
    /// Certainly a new value (a replaced resource's new physical ID and attributes).
    New,
}

/// A value known only at deploy time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Atom {
    pub(crate) name: String,
    pub(crate) fresh: Fresh,
}

/// A piece of a string: a character known offline, or an unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    Char(char),
    Atom(Atom),
}

/// A template value as the judge reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Term {
    /// No value (`AWS::NoValue`, or a property that is not set).
    Absent,
    Str(Vec<Tok>),
    List(Vec<Term>),
    Map(BTreeMap<String, Term>),
    /// `Fn::If`: one of two values. `stable` when the condition's definition is the same on
    /// both sides (so the same branch applies to both).
    Choice {
        condition: String,
        stable: bool,
        then: Box<Term>,
        otherwise: Box<Term>,
    },
    /// `Fn::FindInMap` with a deploy-time top-level key: the value for each key. `key` is the
    /// key's spelling and `key_fresh` whether its value may differ from the old side's.
    Table {
        map: String,
        key: String,
        key_fresh: Fresh,
        rows: BTreeMap<String, Term>,
    },
    /// Any other function: compared by name and arguments.
    Func {
        name: String,
        args: Box<Term>,
    },
}

impl Term {
    pub(crate) fn text(text: &str) -> Term {
        Term::Str(text.chars().map(Tok::Char).collect())
    }

    pub(crate) fn atom(name: impl Into<String>, fresh: Fresh) -> Term {
        Term::Str(vec![Tok::Atom(Atom { name: name.into(), fresh })])
    }

    /// The term at `path` below this one (`*` steps into each list item), choices and tables
    /// followed into each alternative.
    pub(crate) fn at(&self, path: &[String]) -> Term {
        let Some((first, rest)) = path.split_first() else { return self.clone() };
        match self {
            Term::Absent => Term::Absent,
            Term::Map(map) => map.get(first).map_or(Term::Absent, |t| t.at(rest)),
            Term::List(items) if first == "*" => Term::List(items.iter().map(|t| t.at(rest)).collect()),
            Term::Choice { condition, stable, then, otherwise } => Term::Choice {
                condition: condition.clone(),
                stable: *stable,
                then: Box::new(then.at(path)),
                otherwise: Box::new(otherwise.at(path)),
            },
            Term::Table { map, key, key_fresh, rows } => Term::Table {
                map: map.clone(),
                key: key.clone(),
                key_fresh: *key_fresh,
                rows: rows.iter().map(|(k, t)| (k.clone(), t.at(path))).collect(),
            },
            // A deploy-time value (a `Ref` to an object parameter, a function): the part is as
            // unknown as the whole, and the same when the whole is.
            other => Term::Func { name: format!("part {}", path.join("/")), args: Box::new(other.clone()) },
        }
    }
}

/// Compares an old value with a new one.
pub(crate) fn compare(old: &Term, new: &Term) -> Cmp {
    match (old, new) {
        (
            Term::Choice { condition: c1, stable: true, then: t1, otherwise: o1 },
            Term::Choice { condition: c2, then: t2, otherwise: o2, .. },
        ) if c1 == c2 => Cmp::one_of([compare(t1, t2), compare(o1, o2)]),
        (Term::Choice { then, otherwise, .. }, other) => Cmp::one_of([compare(then, other), compare(otherwise, other)]),
        (other, Term::Choice { then, otherwise, .. }) => Cmp::one_of([compare(other, then), compare(other, otherwise)]),
        // The same key on both sides: row by row (the stack's region, say, stays the same),
        // even when the mapping or the second key changed.
        (Term::Table { key: k1, rows: r1, .. }, Term::Table { key: k2, key_fresh: Fresh::Stable, rows: r2, .. })
            if k1 == k2 =>
        {
            let rows: Vec<Cmp> = r1.iter().filter_map(|(key, old)| r2.get(key).map(|new| compare(old, new))).collect();
            // No key in common: nothing is known of the row a stack reads.
            if rows.is_empty() { Cmp::Maybe } else { Cmp::one_of(rows) }
        }
        // A key that may have changed: any old row against any new one.
        (Term::Table { rows: r1, .. }, Term::Table { rows: r2, .. }) => {
            Cmp::one_of(r1.values().flat_map(|old| r2.values().map(move |new| compare(old, new))))
        }
        (Term::Table { rows, .. }, other) => Cmp::one_of(rows.values().map(|old| compare(old, other))),
        (other, Term::Table { rows, .. }) => Cmp::one_of(rows.values().map(|new| compare(other, new))),
        (Term::Absent, Term::Absent) => Cmp::Equal,
        // Setting a property that was not set, or removing it: only `AWS::NoValue` makes no
        // value, and it is read as `Absent` (or a choice) above.
        (Term::Absent, _) | (_, Term::Absent) => Cmp::Differs,
        (Term::Str(a), Term::Str(b)) => compare_strings(a, b),
        (Term::List(a), Term::List(b)) => {
            if a.len() == b.len() {
                Cmp::all(a.iter().zip(b).map(|(x, y)| compare(x, y)))
            } else if a.iter().chain(b).any(may_vanish) {
                Cmp::Maybe
            } else {
                Cmp::Differs
            }
        }
        (Term::Map(a), Term::Map(b)) => Cmp::all(
            a.keys()
                .chain(b.keys())
                .map(|key| compare(a.get(key).unwrap_or(&Term::Absent), b.get(key).unwrap_or(&Term::Absent))),
        ),
        (Term::Func { name: n1, args: a1 }, Term::Func { name: n2, args: a2 }) if n1 == n2 => match compare(a1, a2) {
            Cmp::Equal => Cmp::Equal,
            // Base64 is one-to-one: different text, different encoding.
            cmp if n1 == "Fn::Base64" => cmp,
            _ => Cmp::Maybe,
        },
        (Term::Func { .. }, _) | (_, Term::Func { .. }) => Cmp::Maybe,
        // A single unknown can stand for a list or an object (a `List<…>` parameter).
        (Term::Str(s), _) | (_, Term::Str(s)) if matches!(s[..], [Tok::Atom(_)]) => Cmp::Maybe,
        _ => Cmp::Differs,
    }
}

/// A list item that may turn out to be no item at all (`Fn::If` with `AWS::NoValue`), or may
/// stand for several (a deploy-time list).
fn may_vanish(term: &Term) -> bool {
    match term {
        Term::Choice { .. } | Term::Func { .. } | Term::Table { .. } => true,
        Term::Str(s) => matches!(s[..], [Tok::Atom(_)]),
        _ => false,
    }
}

fn compare_strings(old: &[Tok], new: &[Tok]) -> Cmp {
    let same_name = |a: &Tok, b: &Tok| match (a, b) {
        (Tok::Char(x), Tok::Char(y)) => x == y,
        (Tok::Atom(x), Tok::Atom(y)) => x.name == y.name,
        _ => false,
    };
    if old.len() == new.len() && old.iter().zip(new).all(|(a, b)| same_name(a, b)) {
        // Spelled the same: only the new side's unknowns can make a difference.
        let fresh = new.iter().filter_map(|t| if let Tok::Atom(a) = t { Some(a.fresh) } else { None });
        return fresh.fold(Cmp::Equal, |acc, f| {
            acc.max(match f {
                Fresh::Stable => Cmp::Equal,
                Fresh::Perhaps => Cmp::Maybe,
                Fresh::New => Cmp::Differs,
            })
        });
    }
    // Spelled differently. What both share at the start and the end (stable unknowns included)
    // is the same; the rest can be equal only if some string matches both, reading every
    // unknown as a wildcard.
    let same =
        |a: &Tok, b: &Tok| same_name(a, b) && !matches!(b, Tok::Atom(Atom { fresh: Fresh::Perhaps | Fresh::New, .. }));
    let prefix = old.iter().zip(new).take_while(|(a, b)| same(a, b)).count();
    let (old, new) = (&old[prefix..], &new[prefix..]);
    let suffix = old.iter().rev().zip(new.iter().rev()).take_while(|(a, b)| same(a, b)).count();
    let (old, new) = (&old[..old.len() - suffix], &new[..new.len() - suffix]);
    if patterns_intersect(old, new) { Cmp::Maybe } else { Cmp::Differs }
}

/// Whether some string matches both patterns, each unknown matching any string.
fn patterns_intersect(a: &[Tok], b: &[Tok]) -> bool {
    let wild = |p: &[Tok]| p.iter().any(|t| matches!(t, Tok::Atom(_)));
    match (wild(a), wild(b)) {
        (false, false) => a == b,
        (true, false) => glob_matches(a, &chars(b)),
        (false, true) => glob_matches(b, &chars(a)),
        (true, true) => {
            // Two patterns with wildcards share a string when their literal starts and ends
            // are compatible: the wildcards absorb each other's middles.
            let head = |p: &[Tok]| chars(&p[..p.iter().position(|t| matches!(t, Tok::Atom(_))).unwrap_or(p.len())]);
            let tail = |p: &[Tok]| {
                let start = p.iter().rposition(|t| matches!(t, Tok::Atom(_))).map_or(0, |i| i + 1);
                chars(&p[start..])
            };
            let (ha, hb, ta, tb) = (head(a), head(b), tail(a), tail(b));
            let compatible_head = ha.iter().zip(&hb).all(|(x, y)| x == y);
            let compatible_tail = ta.iter().rev().zip(tb.iter().rev()).all(|(x, y)| x == y);
            compatible_head && compatible_tail
        }
    }
}

fn chars(p: &[Tok]) -> Vec<char> {
    p.iter().filter_map(|t| if let Tok::Char(c) = t { Some(*c) } else { None }).collect()
}

/// Glob matching of a text against a pattern whose unknowns match any string.
fn glob_matches(pattern: &[Tok], text: &[char]) -> bool {
    // dp[j]: pattern prefix matches text[..j].
    let mut dp = vec![false; text.len() + 1];
    dp[0] = true;
    for tok in pattern {
        match tok {
            Tok::Atom(_) => {
                for j in 1..=text.len() {
                    dp[j] = dp[j] || dp[j - 1];
                }
            }
            Tok::Char(c) => {
                for j in (1..=text.len()).rev() {
                    dp[j] = dp[j - 1] && text[j - 1] == *c;
                }
                dp[0] = false;
            }
        }
    }
    dp[text.len()]
}

/// A JSON value's text as a CloudFormation scalar: numbers and booleans compare as strings.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(match n.as_f64() {
            #[allow(clippy::cast_possible_truncation)]
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 && n.is_f64() => format!("{}", f as i64),
            _ => n.to_string(),
        }),
        Value::Null => Some(String::new()),
        _ => None,
    }
}
