//! Semantic equality of template values: the few spellings CloudFormation treats as the same
//! value compare equal, and nothing else is ignored.
//!
//! - a number and the string of the same digits (`10` and `"10"`);
//! - a boolean and its string (`true` and `"true"`);
//! - `Fn::GetAtt` as `"Res.Attr"` and as `["Res", "Attr"]`.
//!
//! `DependsOn` order is handled where the resource attributes are compared
//! (by the per-section comparison), since only that list is unordered.

use stackwright_template::{Intrinsic, Json};

/// Whether `a` and `b` are the same value to CloudFormation.
pub fn equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(n), Json::String(s)) | (Json::String(s), Json::Number(n)) => n.to_string() == *s,
        (Json::Bool(v), Json::String(s)) | (Json::String(s), Json::Bool(v)) => v.to_string() == *s,
        (Json::Array(x), Json::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b)),
        (Json::Object(x), Json::Object(y)) => {
            if let (Some(a), Some(b)) = (get_att(a), get_att(b)) {
                return a == b;
            }
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

/// `(resource, attribute)` when `json` is a well-formed `Fn::GetAtt` in either form.
fn get_att(json: &Json) -> Option<(String, String)> {
    let object = json.as_object()?;
    if !object.contains_key("Fn::GetAtt") {
        return None;
    }
    match Intrinsic::parse(json).ok()? {
        Intrinsic::GetAtt { resource, attribute } => Some((resource, attribute)),
        _ => None,
    }
}

/// Whether two `DependsOn` values name the same resources, in any order (a single string is
/// a one-item list).
pub fn same_set(a: &Json, b: &Json) -> bool {
    fn items(value: &Json) -> Vec<&Json> {
        let mut items: Vec<&Json> = match value {
            Json::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        items.sort_by_key(ToString::to_string);
        items.dedup();
        items
    }
    let (a, b) = (items(a), items(b));
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| equal(x, y))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_equal_their_strings() {
        assert!(equal(&json!(10), &json!("10")));
        assert!(equal(&json!({"Port": "443"}), &json!({"Port": 443})));
        assert!(!equal(&json!(10), &json!("10.0")));
        assert!(!equal(&json!(10), &json!(11)));
    }

    #[test]
    fn booleans_equal_their_strings() {
        assert!(equal(&json!(true), &json!("true")));
        assert!(equal(&json!(["false"]), &json!([false])));
        assert!(!equal(&json!(true), &json!("True")));
        assert!(!equal(&json!(true), &json!(false)));
    }

    #[test]
    fn get_att_forms_are_equal() {
        assert!(equal(&json!({"Fn::GetAtt": "Repo.Arn"}), &json!({"Fn::GetAtt": ["Repo", "Arn"]})));
        assert!(equal(
            &json!({"Fn::GetAtt": "Db.Endpoint.Address"}),
            &json!({"Fn::GetAtt": ["Db", "Endpoint.Address"]})
        ));
        assert!(!equal(&json!({"Fn::GetAtt": "Repo.Arn"}), &json!({"Fn::GetAtt": ["Repo", "RepositoryUri"]})));
    }

    #[test]
    fn depends_on_order_is_ignored() {
        assert!(same_set(&json!(["A", "B"]), &json!(["B", "A"])));
        assert!(same_set(&json!("A"), &json!(["A"])));
        assert!(!same_set(&json!(["A", "B"]), &json!(["A"])));
    }

    #[test]
    fn nothing_else_is_ignored() {
        assert!(!equal(&json!(["A", "B"]), &json!(["B", "A"])), "list order matters outside DependsOn");
        assert!(!equal(&json!({"a": 1}), &json!({"a": 1, "b": 1})));
        assert!(!equal(&json!(null), &json!("null")));
        assert!(!equal(&json!({"Fn::Sub": "x"}), &json!("x")));
        assert!(!equal(&json!("a"), &json!("A")));
    }
}
