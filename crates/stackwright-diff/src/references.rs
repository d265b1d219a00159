//! Finding the references a value makes to other logical IDs: `Ref`, `Fn::GetAtt` (both
//! forms) and `${Name}` / `${Name.Attr}` inside `Fn::Sub` strings, at any depth and inside any
//! other function (`Fn::Join`, `Fn::If`, `Fn::Select`…); and to the other sections: the
//! mapping of a `Fn::FindInMap` and the condition of a `Fn::If`.

use stackwright_template::Json;
use stackwright_template::walk::{Use, walk};

/// One reference from a value to a logical ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reference {
    /// The path of the value holding the function call (`/Properties/ContainerDefinitions/0/Image`).
    pub(crate) path: String,
    /// The logical ID (or parameter, or pseudo parameter) referred to.
    pub(crate) target: String,
    /// The attribute for `Fn::GetAtt` and `${Name.Attr}`; `None` for `Ref` and `${Name}`.
    pub(crate) attribute: Option<String>,
    /// What `target` names.
    pub(crate) kind: Kind,
}

/// What a reference's target names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A resource or a parameter (`Ref`, `Fn::GetAtt`, `${Name}`).
    Value,
    /// A mapping (`Fn::FindInMap`), with each of its two keys that is a literal string.
    Mapping { top: Option<String>, second: Option<String> },
    /// A condition (the first argument of `Fn::If`).
    Condition,
}

/// Every reference inside `value`, whose own path is `path`, appended to `out` in document
/// order. A reference inside a function's arguments is reported at the path of the outermost
/// function call holding it: that is the value whose change the diff explains.
pub(crate) fn collect(value: &Json, path: &str, out: &mut Vec<Reference>) {
    let mut sites = Vec::new();
    walk(value, path, &mut sites);
    for site in sites {
        let at = outermost_call(&site.pointer, path);
        let (target, attribute, kind) = match site.used {
            Use::Ref(target) | Use::SubName(target) => (target, None, Kind::Value),
            Use::GetAtt { resource, attribute } => (resource, Some(attribute), Kind::Value),
            Use::Condition(condition) => (condition, None, Kind::Condition),
            Use::FindInMap { map: Json::String(map), top, second } => {
                let literal = |key: Json| match key {
                    Json::String(key) => Some(key),
                    _ => None,
                };
                (map, None, Kind::Mapping { top: literal(top), second: literal(second) })
            }
            Use::FindInMap { .. } | Use::Malformed(_) | Use::Unmodelled(_) => continue,
        };
        // Pseudo parameters (`AWS::Region`) never name a resource.
        if kind == Kind::Value && target.contains("::") {
            continue;
        }
        out.push(Reference { path: at.to_owned(), target, attribute, kind });
    }
}

/// `pointer` cut before the first function name below `base`: the outermost call's own path.
fn outermost_call<'a>(pointer: &'a str, base: &str) -> &'a str {
    let below = pointer.get(base.len()..).unwrap_or_default();
    match below.find("/Fn::") {
        Some(cut) => pointer.get(..base.len() + cut).unwrap_or(pointer),
        None => pointer,
    }
}

/// A reference to a condition (`Fn::If`'s first argument, a resource's `Condition`).
pub(crate) fn condition_reference(path: &str, condition: &str) -> Reference {
    Reference { path: path.to_owned(), target: condition.to_owned(), attribute: None, kind: Kind::Condition }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn refs(value: &Json) -> Vec<(String, String, Option<String>)> {
        let mut out = Vec::new();
        collect(value, "/Properties", &mut out);
        out.into_iter().map(|r| (r.path, r.target, r.attribute)).collect()
    }

    #[test]
    fn finds_mappings_and_conditions() {
        let value = json!({
            "A": {"Fn::FindInMap": ["Env", "prod", "Name"]},
            "B": {"Fn::FindInMap": ["Env", {"Ref": "Stage"}, "Name"]},
            "C": {"Fn::If": ["IsProd", "a", {"Ref": "Other"}]}
        });
        let mut out = Vec::new();
        collect(&value, "/Properties", &mut out);
        let found: Vec<(&str, &str, &Kind)> =
            out.iter().map(|r| (r.path.as_str(), r.target.as_str(), &r.kind)).collect();
        let literal = Kind::Mapping { top: Some("prod".to_owned()), second: Some("Name".to_owned()) };
        let computed = Kind::Mapping { top: None, second: Some("Name".to_owned()) };
        assert_eq!(
            found,
            [
                ("/Properties/A", "Env", &literal),
                ("/Properties/B", "Env", &computed),
                ("/Properties/B", "Stage", &Kind::Value),
                ("/Properties/C", "IsProd", &Kind::Condition),
                ("/Properties/C", "Other", &Kind::Value),
            ]
        );
    }

    #[test]
    fn finds_references_in_every_form() {
        let value = json!({
            "A": {"Ref": "Bucket"},
            "B": {"Fn::GetAtt": "Repo.RepositoryUri"},
            "C": [{"Fn::Sub": "${Repo.Arn}:${AWS::Region}:${!Literal}-${Topic}"}],
            "D": {"Fn::Join": ["", [{"Fn::GetAtt": ["Role", "Arn"]}, "/x"]]},
            "E": {"Fn::If": ["IsProd", {"Ref": "Key"}, {"Ref": "AWS::NoValue"}]},
            "F": {"Fn::Sub": ["${Name}-${Log}", {"Name": {"Ref": "Queue"}}]}
        });
        let s = |x: &str| x.to_owned();
        assert_eq!(
            refs(&value),
            [
                (s("/Properties/A"), s("Bucket"), None),
                (s("/Properties/B"), s("Repo"), Some(s("RepositoryUri"))),
                (s("/Properties/C/0"), s("Repo"), Some(s("Arn"))),
                (s("/Properties/C/0"), s("Topic"), None),
                (s("/Properties/D"), s("Role"), Some(s("Arn"))),
                (s("/Properties/E"), s("IsProd"), None),
                (s("/Properties/E"), s("Key"), None),
                (s("/Properties/F"), s("Log"), None),
                (s("/Properties/F"), s("Queue"), None),
            ]
        );
    }
}
