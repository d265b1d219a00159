//! Matchers: patterns a template value is tested against, as AWS CDK's `Match` has them.
//!
//! A plain JSON pattern (from [`serde_json::json!`], a string, a number…) takes the mode of
//! where it sits: inside [`Match::object_like`] (and at the top of
//! [`Template::has_resource_properties`](crate::Template::has_resource_properties)) its
//! objects are subsets of the value — keys the pattern does not name may be present —
//! while inside [`Match::exact`] they must have exactly the pattern's keys. Arrays in a plain
//! pattern always match element by element, with the same length; [`Match::array_with`]
//! matches a subsequence. The [`pattern!`](crate::pattern!) macro writes JSON-like patterns
//! with matchers inside them.

use std::fmt;

use serde_json::Value as Json;

use crate::capture::Capture;
use crate::outcome::{Outcome, Path};

/// A pattern: plain JSON, or one of [`Match`]'s matchers, nested freely.
#[derive(Clone)]
pub struct Matcher(pub(crate) Kind);

#[derive(Clone)]
pub(crate) enum Kind {
    /// `null`, a boolean, a number or a string, equal to the value.
    Scalar(Json),
    /// An object, a subset of the value's or exactly its keys (the mode of where it sits).
    Object(Vec<(String, Matcher)>),
    /// An array of the same length, element by element.
    Array(Vec<Matcher>),
    ObjectLike(Box<Matcher>),
    Exact(Box<Matcher>),
    ArrayWith(Vec<Matcher>),
    AnyValue,
    Absent,
    Regex(Box<fancy_regex::Regex>),
    SerializedJson(Box<Matcher>),
    Not(Box<Matcher>),
    Capture(Capture),
}

/// The matchers, named as CDK's `Match` names them.
///
/// ```
/// use serde_json::json;
/// use stackwright_testing::{Match, pattern};
///
/// let service = json!({"DesiredCount": 2, "DeploymentConfiguration": {
///     "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true}, "MaximumPercent": 200}});
/// let rollback = Match::object_like(pattern!({
///     "DeploymentConfiguration": {"DeploymentCircuitBreaker": {"Rollback": true}},
///     "LaunchType": Match::absent(),
/// }));
/// assert!(rollback.matches(&service));
/// assert!(!Match::exact(json!({"DesiredCount": 2})).matches(&service));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Match;

impl Match {
    /// An object that has at least the pattern's keys, each matching; nested plain objects
    /// are subsets too (recursively, as CDK's `objectLike`). Arrays still match element by
    /// element unless [`Match::array_with`] says otherwise.
    pub fn object_like(pattern: impl Into<Matcher>) -> Matcher {
        Matcher(Kind::ObjectLike(Box::new(pattern.into())))
    }

    /// Exactly the pattern: objects have exactly its keys, at every depth (matchers inside it
    /// still apply).
    pub fn exact(pattern: impl Into<Matcher>) -> Matcher {
        Matcher(Kind::Exact(Box::new(pattern.into())))
    }

    /// An array that contains the pattern's elements in this order, others possibly between
    /// them. Each element matches in the mode of where `array_with` sits.
    pub fn array_with(elements: impl IntoIterator<Item = impl Into<Matcher>>) -> Matcher {
        Matcher(Kind::ArrayWith(elements.into_iter().map(Into::into).collect()))
    }

    /// Any value that is present and not `null`.
    pub fn any_value() -> Matcher {
        Matcher(Kind::AnyValue)
    }

    /// The key is not present at all (as an object's key only).
    pub fn absent() -> Matcher {
        Matcher(Kind::Absent)
    }

    /// A string in which the regular expression finds a match (not anchored: add `^…$` for
    /// the whole string). The syntax is the `fancy-regex` crate's: Rust's `regex` syntax
    /// with look-around and backreferences, close to JavaScript's.
    ///
    /// # Panics
    ///
    /// When `regex` does not compile; [`Match::try_string_like_regex`] returns the error.
    pub fn string_like_regex(regex: &str) -> Matcher {
        match Self::try_string_like_regex(regex) {
            Ok(matcher) => matcher,
            Err(error) => panic!("Match::string_like_regex({regex:?}): not a regular expression: {error}"),
        }
    }

    /// [`Match::string_like_regex`], with the compile error returned.
    pub fn try_string_like_regex(regex: &str) -> Result<Matcher, fancy_regex::Error> {
        Ok(Matcher(Kind::Regex(Box::new(fancy_regex::Regex::new(regex)?))))
    }

    /// A string that holds serialized JSON (a policy document in a string, say) whose parsed
    /// value matches `pattern`.
    pub fn serialized_json(pattern: impl Into<Matcher>) -> Matcher {
        Matcher(Kind::SerializedJson(Box::new(pattern.into())))
    }

    /// Anything that does not match `pattern` (a missing key included).
    pub fn not(pattern: impl Into<Matcher>) -> Matcher {
        Matcher(Kind::Not(Box::new(pattern.into())))
    }
}

impl Matcher {
    /// A plain object pattern, as [`pattern!`](crate::pattern!) writes it: a subset or an
    /// exact object depending on where it sits.
    pub fn object<K: Into<String>>(entries: impl IntoIterator<Item = (K, Matcher)>) -> Self {
        Self(Kind::Object(entries.into_iter().map(|(k, v)| (k.into(), v)).collect()))
    }

    /// A plain array pattern: the same length, element by element.
    pub fn array(elements: impl IntoIterator<Item = Matcher>) -> Self {
        Self(Kind::Array(elements.into_iter().collect()))
    }

    /// Whether `value` matches, as an object-like top level would test it (no capture is
    /// recorded).
    pub fn matches(&self, value: &Json) -> bool {
        self.test(value).is_success()
    }

    /// Tests `value`; the outcome lists every difference with where it is.
    pub(crate) fn test(&self, value: &Json) -> Outcome {
        let mut outcome = Outcome::default();
        self.test_at(Some(value), true, &mut Path::default(), &mut outcome);
        outcome
    }

    /// Tests `actual` (`None`: the key is missing) at `path`; `partial`: plain objects are
    /// subsets.
    pub(crate) fn test_at(&self, actual: Option<&Json>, partial: bool, path: &mut Path, out: &mut Outcome) {
        match (&self.0, actual) {
            (Kind::Absent, None) => {}
            (Kind::Absent, Some(found)) => out.fail(path, format!("expected no value, found {}", short(found))),
            (Kind::Not(inner), _) => {
                let mut scratch = Outcome::default();
                inner.test_at(actual, partial, path, &mut scratch);
                if scratch.is_success() {
                    let found = actual.map_or_else(|| "nothing".to_owned(), short);
                    out.fail(path, format!("expected anything but {inner}, found {found}"));
                }
            }
            (Kind::Capture(capture), _) => capture.test_at(actual, partial, path, out),
            (_, None) => out.fail(path, format!("missing: expected {self}")),
            (Kind::AnyValue, Some(Json::Null)) => out.fail(path, "expected any value but null, found null".to_owned()),
            (Kind::AnyValue, Some(_)) => {}
            (Kind::Scalar(expected), Some(found)) => {
                if !scalar_eq(expected, found) {
                    out.fail(path, format!("expected {}, found {}", short(expected), short(found)));
                }
            }
            (Kind::Object(entries), Some(found)) => test_object(entries, found, partial, path, out),
            (Kind::Array(elements), Some(found)) => test_array(elements, found, partial, path, out),
            (Kind::ObjectLike(inner), Some(_)) => inner.test_at(actual, true, path, out),
            (Kind::Exact(inner), Some(_)) => inner.test_at(actual, false, path, out),
            (Kind::ArrayWith(elements), Some(found)) => test_array_with(elements, found, partial, path, out),
            (Kind::Regex(regex), Some(found)) => match found {
                Json::String(text) if regex.is_match(text).unwrap_or(false) => {}
                _ => out.fail(path, format!("expected a string matching /{}/, found {}", regex.as_str(), short(found))),
            },
            (Kind::SerializedJson(inner), Some(found)) => match found {
                Json::String(text) => match serde_json::from_str::<Json>(text) {
                    Ok(parsed) => {
                        path.push("(json)");
                        inner.test_at(Some(&parsed), partial, path, out);
                        path.pop();
                    }
                    Err(error) => {
                        out.fail(path, format!("expected serialized JSON, found a string that is not: {error}"));
                    }
                },
                _ => out.fail(path, format!("expected a string of serialized JSON, found {}", short(found))),
            },
        }
    }
}

fn test_object(entries: &[(String, Matcher)], found: &Json, partial: bool, path: &mut Path, out: &mut Outcome) {
    let Json::Object(map) = found else {
        return out.fail(path, format!("expected an object, found {}", short(found)));
    };
    for (key, matcher) in entries {
        path.push(key);
        matcher.test_at(map.get(key), partial, path, out);
        path.pop();
    }
    if !partial {
        for (key, value) in map {
            if !entries.iter().any(|(k, _)| k == key) {
                path.push(key);
                out.fail(path, format!("unexpected key, found {}", short(value)));
                path.pop();
            }
        }
    }
}

fn test_array(elements: &[Matcher], found: &Json, partial: bool, path: &mut Path, out: &mut Outcome) {
    let Json::Array(items) = found else {
        return out.fail(path, format!("expected an array, found {}", short(found)));
    };
    if items.len() != elements.len() {
        let expected = crate::annotate::count(elements.len(), "element");
        out.fail(path, format!("expected an array of {expected}, found {}", items.len()));
        // Element differences would only repeat the length: which ones are "the same" is
        // unknown once the lengths differ.
        return;
    }
    for (index, (matcher, item)) in elements.iter().zip(items).enumerate() {
        path.push(&index.to_string());
        matcher.test_at(Some(item), partial, path, out);
        path.pop();
    }
}

/// Matches the pattern's elements, in order, against a subsequence of the array (greedily:
/// each takes the first element after the previous one's that it matches).
fn test_array_with(elements: &[Matcher], found: &Json, partial: bool, path: &mut Path, out: &mut Outcome) {
    let Json::Array(items) = found else {
        return out.fail(path, format!("expected an array, found {}", short(found)));
    };
    let mut next = 0;
    for (position, matcher) in elements.iter().enumerate() {
        let mut closest: Option<(usize, Outcome)> = None;
        let mut matched = None;
        for (index, item) in items.iter().enumerate().skip(next) {
            let mut attempt = Outcome::default();
            path.push(&index.to_string());
            matcher.test_at(Some(item), partial, path, &mut attempt);
            path.pop();
            if attempt.is_success() {
                matched = Some((index, attempt));
                break;
            }
            if closest.as_ref().is_none_or(|(_, best)| attempt.failures.len() < best.failures.len()) {
                closest = Some((index, attempt));
            }
        }
        if let Some((index, attempt)) = matched {
            out.absorb(attempt);
            next = index + 1;
            continue;
        }
        let after = if next == 0 { String::new() } else { format!(" after element {}", next - 1) };
        match closest {
            Some((index, attempt)) => {
                out.fail(
                    path,
                    format!("array_with: no element{after} matches pattern #{position} {matcher}; closest is element {index}"),
                );
                out.absorb_failures(attempt);
            }
            None => out.fail(path, format!("array_with: no element{after} left for pattern #{position} {matcher}")),
        }
        return;
    }
}

/// Equal scalars; numbers by value (`1` equals `1.0`).
fn scalar_eq(expected: &Json, found: &Json) -> bool {
    match (expected, found) {
        (Json::Number(a), Json::Number(b)) if a.is_f64() || b.is_f64() => a.as_f64() == b.as_f64(),
        _ => expected == found,
    }
}

/// A value in one line, long ones cut, for messages.
pub(crate) fn short(value: &Json) -> String {
    const MAX: usize = 80;
    let text = value.to_string();
    if text.chars().count() <= MAX {
        return text;
    }
    let cut: String = text.chars().take(MAX - 1).collect();
    format!("{cut}…")
}

impl From<Json> for Matcher {
    fn from(value: Json) -> Self {
        match value {
            Json::Object(map) => Self(Kind::Object(map.into_iter().map(|(k, v)| (k, Self::from(v))).collect())),
            Json::Array(items) => Self(Kind::Array(items.into_iter().map(Self::from).collect())),
            scalar => Self(Kind::Scalar(scalar)),
        }
    }
}

impl From<&Json> for Matcher {
    fn from(value: &Json) -> Self {
        Self::from(value.clone())
    }
}

macro_rules! scalar_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Matcher {
            fn from(value: $t) -> Self {
                Self::from(Json::from(value))
            }
        }
    )*};
}
scalar_from!(&str, String, bool, i32, i64, u32, u64, f64);

impl From<Capture> for Matcher {
    fn from(capture: Capture) -> Self {
        Self(Kind::Capture(capture))
    }
}

impl From<&Capture> for Matcher {
    fn from(capture: &Capture) -> Self {
        Self(Kind::Capture(capture.clone()))
    }
}

/// The pattern in one line, as messages quote it: plain JSON as JSON, matchers by name.
impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::Scalar(value) => write!(f, "{}", short(value)),
            Kind::Object(entries) => {
                f.write_str("{")?;
                for (n, (key, matcher)) in entries.iter().enumerate() {
                    let comma = if n == 0 { "" } else { ", " };
                    write!(f, "{comma}{}: {matcher}", Json::from(key.as_str()))?;
                }
                f.write_str("}")
            }
            Kind::Array(elements) => {
                f.write_str("[")?;
                for (n, matcher) in elements.iter().enumerate() {
                    write!(f, "{}{matcher}", if n == 0 { "" } else { ", " })?;
                }
                f.write_str("]")
            }
            Kind::ObjectLike(inner) => write!(f, "object_like({inner})"),
            Kind::Exact(inner) => write!(f, "exact({inner})"),
            Kind::ArrayWith(elements) => write!(f, "array_with({})", Matcher::array(elements.iter().cloned())),
            Kind::AnyValue => f.write_str("any_value()"),
            Kind::Absent => f.write_str("absent()"),
            Kind::Regex(regex) => write!(f, "string_like_regex({:?})", regex.as_str()),
            Kind::SerializedJson(inner) => write!(f, "serialized_json({inner})"),
            Kind::Not(inner) => write!(f, "not({inner})"),
            Kind::Capture(capture) => write!(f, "{capture}"),
        }
    }
}

impl fmt::Debug for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Matcher({self})")
    }
}
