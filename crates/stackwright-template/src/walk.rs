//! Finding every use a value makes of other names — `Ref`, `Fn::GetAtt`, `Fn::Sub`
//! placeholders, conditions, mappings — each with the JSON pointer of the function call,
//! malformed calls included: the one walk `stackwright-validate` (which checks every use) and
//! `stackwright-diff` (which follows references to propagate replacements) share.

use std::fmt::Write as _;

use crate::intrinsic::{Intrinsic, IntrinsicError, items};
use crate::pointer::escape;
use crate::value::Json;

/// What a function call uses.
#[derive(Debug, Clone, PartialEq)]
pub enum Use {
    /// `Ref`: a resource, parameter or pseudo parameter.
    Ref(String),
    /// `Fn::GetAtt`, or a `${Name.Attr}` placeholder.
    GetAtt { resource: String, attribute: String },
    /// A `${Name}` placeholder not given as a variable of the `Fn::Sub`.
    SubName(String),
    /// `Fn::If` or `Condition`: a named condition.
    Condition(String),
    /// `Fn::FindInMap` (three-argument form).
    FindInMap { map: Json, top: Json, second: Json },
    /// A call whose arguments do not have the expected shape.
    Malformed(IntrinsicError),
    /// A call this model does not parse (`Fn::Transform`, `Fn::Length`, a `Fn::GetAtt` whose
    /// attribute is computed, or a misspelt name): its name.
    Unmodelled(String),
}

/// One use, at the pointer of the value that holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// The JSON pointer of the value holding the call.
    pub pointer: String,
    /// What the call uses.
    pub used: Use,
}

/// Every use inside `value` (whose pointer is `at`), in document order.
///
/// Recursion depth is bounded by the document's nesting, which the JSON parser (and the YAML
/// converter) cap at 128. One pointer buffer is grown and cut back along the way: a pointer is
/// only copied for the uses found.
pub fn walk(value: &Json, at: &str, out: &mut Vec<Site>) {
    let mut path = at.to_owned();
    walk_into(value, &mut path, out);
}

/// [`walk`] with the caller's pointer buffer, `value`'s pointer, left as it was found: a
/// caller walking many values below one place builds that place once.
pub fn walk_at(value: &Json, path: &mut String, out: &mut Vec<Site>) {
    walk_into(value, path, out);
}

fn walk_into(value: &Json, path: &mut String, out: &mut Vec<Site>) {
    let len = path.len();
    match value {
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                push_index(path, i);
                walk_into(item, path, out);
                path.truncate(len);
            }
        }
        Json::Object(map) if is_call(value) => {
            let Some((name, argument)) = map.iter().next() else { return };
            let mut push = |used: Use| out.push(Site { pointer: path.clone(), used });
            // Only names are read here: the arguments kept as JSON are not copied (`Null`).
            match Intrinsic::parse_with(value, |_| Json::Null) {
                Ok(Intrinsic::Ref(target)) => push(Use::Ref(target)),
                Ok(Intrinsic::GetAtt { resource, attribute }) => push(Use::GetAtt { resource, attribute }),
                Ok(Intrinsic::Sub { template, variables }) => {
                    for placeholder in placeholders(&template) {
                        match placeholder.split_once('.') {
                            _ if variables.contains_key(&placeholder) => {}
                            Some((resource, attribute)) if !resource.contains("::") => {
                                push(Use::GetAtt { resource: resource.to_owned(), attribute: attribute.to_owned() });
                            }
                            _ => push(Use::SubName(placeholder)),
                        }
                    }
                }
                Ok(Intrinsic::If { condition, .. } | Intrinsic::Condition(condition)) => {
                    push(Use::Condition(condition));
                }
                Ok(Intrinsic::FindInMap { .. }) => {
                    // Parsed, so the argument is the list of the three.
                    if let Some([map, top, second]) = items::<3>(argument) {
                        push(Use::FindInMap { map: map.clone(), top: top.clone(), second: second.clone() });
                    }
                }
                Ok(Intrinsic::Other { name, .. }) => push(Use::Unmodelled(name)),
                Ok(_) => {}
                Err(error) => push(Use::Malformed(error)),
            }
            // Arguments may hold further calls (`Fn::Join` of `Ref`s, `Fn::Sub` variables…).
            push_key(path, name);
            walk_into(argument, path, out);
            path.truncate(len);
        }
        Json::Object(map) => {
            for (key, child) in map {
                push_key(path, key);
                walk_into(child, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// Appends `/i` to a JSON pointer (a single digit pushed directly: most lists are short, and
/// `write!` goes through the formatting machinery for every list item every walk visits).
fn push_index(path: &mut String, i: usize) {
    path.push('/');
    match u8::try_from(i) {
        Ok(digit @ 0..=9) => path.push(char::from(b'0' + digit)),
        _ => {
            let _ = write!(path, "{i}");
        }
    }
}

/// Appends `/key` to a JSON pointer, escaped.
fn push_key(path: &mut String, key: &str) {
    path.push('/');
    path.push_str(&escape(key));
}

/// A one-key object whose key is `Ref`, `Condition` or `Fn::…`. (`Condition` is a function
/// only inside condition expressions and `Fn::If` branches; elsewhere a property may be named
/// so, and a one-key `{"Condition": "x"}` property value is rare enough to read as the call.)
pub fn is_call(value: &Json) -> bool {
    value.as_object().is_some_and(|m| m.len() == 1 && m.iter().next().is_some_and(|(k, v)| is_call_member(k, v)))
}

/// Whether an object whose one member is `key: value` is a call ([`is_call`]): `Ref`, an
/// `Fn::…` function ([`Intrinsic::is_function_object`]), or `Condition` naming a condition.
pub fn is_call_member(key: &str, value: &Json) -> bool {
    key == "Ref" || key.starts_with("Fn::") || (key == "Condition" && value.is_string())
}

/// The `${Name}` placeholders of a `Fn::Sub` template, trimmed, skipping `${!Literal}`
/// escapes.
pub fn placeholders(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some((_, after)) = rest.split_once("${") {
        let Some((name, tail)) = after.split_once('}') else { break };
        let name = name.trim();
        rest = tail;
        if !name.is_empty() && !name.starts_with('!') {
            names.push(name.to_owned());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn uses(value: &Json) -> Vec<(String, Use)> {
        let mut out = Vec::new();
        walk(value, "/P", &mut out);
        out.into_iter().map(|s| (s.pointer, s.used)).collect()
    }

    #[test]
    fn finds_every_kind_of_use_at_its_pointer() {
        let value = json!({
            "A": {"Fn::Join": ["", [{"Ref": "Bucket"}, {"Fn::GetAtt": "Repo.Arn"}]]},
            "B": {"Fn::Sub": ["${X}-${AWS::Region}-${!Lit}-${Db.Endpoint.Address}", {"X": {"Ref": "P"}}]},
            "C": {"Fn::If": ["IsProd", {"Fn::FindInMap": ["M", "a", "b"]}, 1]},
            "D": {"Fn::If": ["Too", "few"]}
        });
        let s = |x: &str| x.to_owned();
        assert_eq!(
            uses(&value),
            [
                (s("/P/A/Fn::Join/1/0"), Use::Ref(s("Bucket"))),
                (s("/P/A/Fn::Join/1/1"), Use::GetAtt { resource: s("Repo"), attribute: s("Arn") }),
                (s("/P/B"), Use::SubName(s("AWS::Region"))),
                (s("/P/B"), Use::GetAtt { resource: s("Db"), attribute: s("Endpoint.Address") }),
                (s("/P/B/Fn::Sub/1/X"), Use::Ref(s("P"))),
                (s("/P/C"), Use::Condition(s("IsProd"))),
                (s("/P/C/Fn::If/1"), Use::FindInMap { map: json!("M"), top: json!("a"), second: json!("b") }),
                (
                    s("/P/D"),
                    Use::Malformed(IntrinsicError { function: s("Fn::If"), problem: s("expected a list of 3 items") })
                ),
            ]
        );
    }

    #[test]
    fn indices_are_written_in_decimal() {
        let mut path = String::from("/P");
        for i in [0, 9, 10, 255, 256, 12_345] {
            push_index(&mut path, i);
        }
        assert_eq!(path, "/P/0/9/10/255/256/12345");
    }

    #[test]
    fn placeholders_skip_escapes() {
        assert_eq!(placeholders("${!A}${ B }${}${C"), ["B"]);
    }
}
