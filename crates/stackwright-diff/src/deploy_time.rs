//! Values known only at deploy time: a function call whose result may equal a literal (a
//! parameter, an import, an attribute), and an `Fn::Sub` / `Fn::Join` whose literal parts
//! may match a literal string. A create-only change between such values *may* replace.

use stackwright_template::{Intrinsic, Json};

use crate::model::PropertyChange;

/// Whether a value is a function call whose result could equal a different literal (a
/// parameter's value, an import, an attribute…). `Fn::Sub` and `Fn::Join` are not: their
/// literal parts differ visibly.
pub(crate) fn known_only_at_deploy(value: &Json) -> bool {
    Intrinsic::is_function_object(value)
        && value.as_object().and_then(|m| m.keys().next()).is_some_and(|name| name != "Fn::Sub" && name != "Fn::Join")
}

/// Whether a change's values may turn out equal at deploy time.
pub(crate) fn uncertain(change: &PropertyChange) -> bool {
    let (old, new) = (change.old.as_ref(), change.new.as_ref());
    old.is_some_and(known_only_at_deploy)
        || new.is_some_and(known_only_at_deploy)
        || old.zip(new).is_some_and(|(a, b)| may_equal(a, b))
}

/// Whether a literal string and an `Fn::Sub` / `Fn::Join` (either way round) may give the
/// same value at deploy time: the function's literal parts match the string, its references
/// (`${AWS::StackName}`, `Ref`…) standing for anything.
pub(crate) fn may_equal(a: &Json, b: &Json) -> bool {
    let ((Json::String(literal), function) | (function, Json::String(literal))) = (a, b) else { return false };
    pattern(function).is_some_and(|pattern| crate::security::glob(&pattern, literal))
}

/// The glob pattern of the values an `Fn::Sub` or `Fn::Join` may produce: literal parts as
/// they are, every reference as `*`. `None` for anything else.
// invariant: every offset comes from `find` on the string it slices, and lands on an ASCII
// `$`, `{` or `}`, so on a character boundary inside it.
fn pattern(value: &Json) -> Option<String> {
    let map = value.as_object().filter(|m| m.len() == 1)?;
    if let Some(argument) = map.get("Fn::Sub") {
        let template = match argument {
            Json::String(template) => template.as_str(),
            Json::Array(items) => items.first()?.as_str()?,
            _ => return None,
        };
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let Some(end) = rest[start..].find('}') else {
                rest = &rest[start..];
                break;
            };
            let name = &rest[start + 2..start + end];
            // `${!Literal}` is the text `${Literal}`.
            match name.strip_prefix('!') {
                Some(literal) => {
                    out.push_str("${");
                    out.push_str(literal);
                    out.push('}');
                }
                None => out.push('*'),
            }
            rest = &rest[start + end + 1..];
        }
        out.push_str(rest);
        return Some(out);
    }
    let [Json::String(delimiter), Json::Array(parts)] = map.get("Fn::Join")?.as_array()?.as_slice() else {
        return None;
    };
    let parts: Vec<String> =
        parts.iter().map(|part| part.as_str().map_or_else(|| "*".to_owned(), str::to_owned)).collect();
    Some(parts.join(delimiter))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn functions_as_patterns() {
        assert_eq!(pattern(&json!({"Fn::Sub": "${AWS::StackName}-repo-${!Literal}"})).unwrap(), "*-repo-${Literal}");
        assert_eq!(pattern(&json!({"Fn::Sub": ["${Name}-x", {"Name": "a"}]})).unwrap(), "*-x");
        assert_eq!(pattern(&json!({"Fn::Join": ["-", ["shop", {"Ref": "Env"}]]})).unwrap(), "shop-*");
        assert_eq!(pattern(&json!({"Fn::Join": ["-", {"Ref": "List"}]})), None);
        assert_eq!(pattern(&json!({"Ref": "X"})), None);
    }

    #[test]
    fn a_literal_may_equal_a_function_whose_literal_parts_match() {
        let sub = json!({"Fn::Sub": "${AWS::StackName}-repo"});
        assert!(may_equal(&json!("shop-repo"), &sub));
        assert!(may_equal(&sub, &json!("shop-repo")));
        assert!(!may_equal(&json!("web"), &sub), "no stack name makes \"web\" end in -repo");
        assert!(!may_equal(&json!("a"), &json!("b")));
    }
}
