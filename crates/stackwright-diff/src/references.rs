//! Finding the references a value makes to other logical IDs: `Ref`, `Fn::GetAtt` (both
//! forms) and `${Name}` / `${Name.Attr}` inside `Fn::Sub` strings, at any depth and inside any
//! other function (`Fn::Join`, `Fn::If`, `Fn::Select`…); and to the other sections: the
//! mapping of a `Fn::FindInMap` and the condition of a `Fn::If`.

use stackwright_template::{Intrinsic, Json};

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
    /// A mapping (`Fn::FindInMap`), with its two keys when they are literal strings.
    Mapping(Option<(String, String)>),
    /// A condition (the first argument of `Fn::If`).
    Condition,
}

/// Every reference inside `value`, whose own path is `path`, appended to `out` in document
/// order.
pub(crate) fn collect(value: &Json, path: &str, out: &mut Vec<Reference>) {
    match value {
        Json::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect(item, &format!("{path}/{index}"), out);
            }
        }
        Json::Object(map) if Intrinsic::is_function_object(value) => {
            let Some((name, argument)) = map.iter().next() else { return };
            match (name.as_str(), Intrinsic::parse(value)) {
                ("Ref", Ok(Intrinsic::Ref(target))) => push(out, path, target, None),
                ("Fn::FindInMap", _) => {
                    let arguments = argument.as_array().map(Vec::as_slice).unwrap_or_default();
                    if let Some(Json::String(map)) = arguments.first() {
                        let keys = match (arguments.get(1), arguments.get(2)) {
                            (Some(Json::String(top)), Some(Json::String(second))) => {
                                Some((top.clone(), second.clone()))
                            }
                            _ => None,
                        };
                        let reference = Reference {
                            path: path.to_owned(),
                            target: map.clone(),
                            attribute: None,
                            kind: Kind::Mapping(keys),
                        };
                        out.push(reference);
                    }
                    // Keys may be function calls with references of their own.
                    collect_inside(argument, path, out);
                }
                ("Fn::If", _) => {
                    if let Some(Json::String(condition)) = argument.as_array().and_then(|a| a.first()) {
                        out.push(condition_reference(path, condition));
                    }
                    collect_inside(argument, path, out);
                }
                ("Fn::GetAtt", Ok(Intrinsic::GetAtt { resource, attribute })) => {
                    push(out, path, resource, Some(attribute));
                }
                ("Fn::Sub", Ok(Intrinsic::Sub { template, variables })) => {
                    for (target, attribute) in sub_names(&template) {
                        if !variables.contains_key(&target) {
                            push(out, path, target, attribute);
                        }
                    }
                    for variable in variables.values() {
                        collect(variable, path, out);
                    }
                }
                // Every other function (and a malformed one): its arguments may hold references.
                _ => collect_inside(argument, path, out),
            }
        }
        Json::Object(map) => {
            for (key, child) in map {
                collect(child, &format!("{path}/{}", key.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        _ => {}
    }
}

/// References inside a function's arguments are reported at the function's own path.
fn collect_inside(argument: &Json, path: &str, out: &mut Vec<Reference>) {
    match argument {
        Json::Array(items) => items.iter().for_each(|item| collect_inside(item, path, out)),
        Json::Object(map) if !Intrinsic::is_function_object(argument) => {
            map.values().for_each(|child| collect_inside(child, path, out));
        }
        _ => collect(argument, path, out),
    }
}

fn push(out: &mut Vec<Reference>, path: &str, target: String, attribute: Option<String>) {
    // Pseudo parameters (`AWS::Region`) never name a resource.
    if !target.contains("::") {
        out.push(Reference { path: path.to_owned(), target, attribute, kind: Kind::Value });
    }
}

/// A reference to a condition (`Fn::If`'s first argument, a resource's `Condition`).
pub(crate) fn condition_reference(path: &str, condition: &str) -> Reference {
    Reference { path: path.to_owned(), target: condition.to_owned(), attribute: None, kind: Kind::Condition }
}

/// The `${Name}` and `${Name.Attr}` placeholders of a `Fn::Sub` template, skipping the
/// `${!Literal}` escapes.
fn sub_names(template: &str) -> Vec<(String, Option<String>)> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find('}') else { break };
        let name = rest[..end].trim();
        rest = &rest[end + 1..];
        if name.starts_with('!') || name.is_empty() {
            continue;
        }
        match name.split_once('.') {
            Some((target, attribute)) => names.push((target.to_owned(), Some(attribute.to_owned()))),
            None => names.push((name.to_owned(), None)),
        }
    }
    names
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
        let keys = Some(("prod".to_owned(), "Name".to_owned()));
        assert_eq!(
            found,
            [
                ("/Properties/A", "Env", &Kind::Mapping(keys)),
                ("/Properties/B", "Env", &Kind::Mapping(None)),
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
