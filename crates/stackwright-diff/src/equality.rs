//! Semantic equality of template values: the few spellings CloudFormation treats as the same
//! value compare equal, and nothing else is ignored.
//!
//! - a number and the string of the same digits (`10` and `"10"`);
//! - a boolean and its string (`true` and `"true"`);
//! - `Fn::GetAtt` as `"Res.Attr"` and as `["Res", "Attr"]`;
//! - strings built by `Fn::Sub` and `Fn::Join` from the same pieces (see [`crate::spelling`]):
//!   `!Sub '${X}'` is `!Ref X`, `!Sub '${X.A}'` is `!GetAtt X.A`, `!Sub 'text'` is `text`,
//!   `!Sub '${A}-x'` is `!Join ['-', [!Ref A, x]]`.
//!
//! `DependsOn` order is handled where the resource attributes are compared
//! (by the per-section comparison), since only that list is unordered.

use stackwright_template::Json;

use crate::spelling::{self, Piece};

/// Whether `a` and `b` are the same value to CloudFormation.
pub fn equal(a: &Json, b: &Json) -> bool {
    if let Some(same) = same_pieces(a, b) {
        return same;
    }
    match (a, b) {
        (Json::Number(n), Json::String(s)) | (Json::String(s), Json::Number(n)) => n.to_string() == *s,
        (Json::Bool(v), Json::String(s)) | (Json::String(s), Json::Bool(v)) => v.to_string() == *s,
        (Json::Array(x), Json::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b)),
        (Json::Object(x), Json::Object(y)) => {
            if let (Some(a), Some(b)) = (spelling::get_att(a), spelling::get_att(b)) {
                return a == b;
            }
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

/// Whether `a` and `b` build the same string, when one of them is a concatenation
/// (`Fn::Sub`, `Fn::Join`) and the other a string, a reference or a concatenation; `None`
/// otherwise.
fn same_pieces(a: &Json, b: &Json) -> Option<bool> {
    let (left, right) = match (spelling::pieces(a), spelling::pieces(b)) {
        (None, None) => return None,
        (Some(left), None) => (left, spelling::single(b)?),
        (None, Some(right)) => (spelling::single(a)?, right),
        (Some(left), Some(right)) => (left, right),
    };
    Some(
        left.len() == right.len()
            && left.iter().zip(&right).all(|pair| match pair {
                (Piece::Opaque(one), Piece::Opaque(other)) => equal(one, other),
                (one, other) => one == other,
            }),
    )
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
    fn sub_of_one_reference_is_the_reference() {
        assert!(equal(&json!({"Fn::Sub": "${Bucket}"}), &json!({"Ref": "Bucket"})));
        assert!(equal(&json!({"Ref": "AWS::Region"}), &json!({"Fn::Sub": "${AWS::Region}"})));
        assert!(equal(&json!({"Fn::Sub": "${Repo.Arn}"}), &json!({"Fn::GetAtt": ["Repo", "Arn"]})));
        assert!(equal(&json!({"Fn::Sub": "${Db.Endpoint.Address}"}), &json!({"Fn::GetAtt": "Db.Endpoint.Address"})));
        assert!(equal(&json!({"Fn::Sub": ["${V}", {"V": {"Ref": "X"}}]}), &json!({"Ref": "X"})));
        assert!(!equal(&json!({"Fn::Sub": "${Bucket}"}), &json!({"Ref": "Other"})));
        assert!(!equal(&json!({"Fn::Sub": "${Repo.Arn}"}), &json!({"Ref": "Repo"})));
    }

    #[test]
    fn sub_without_variables_is_its_text() {
        assert!(equal(&json!({"Fn::Sub": "arn:aws:s3:::logs"}), &json!("arn:aws:s3:::logs")));
        assert!(equal(&json!({"Fn::Sub": ["plain", {}]}), &json!("plain")));
        assert!(equal(&json!({"Fn::Sub": "${!Literal}-x"}), &json!("${Literal}-x")));
        assert!(!equal(&json!({"Fn::Sub": "${!Literal}"}), &json!({"Ref": "Literal"})));
        assert!(!equal(&json!({"Fn::Sub": "plain"}), &json!("Plain")));
    }

    #[test]
    fn sub_and_join_of_the_same_pieces_are_equal() {
        let sub = json!({"Fn::Sub": "${AWS::StackName}-logs-${Env}"});
        let join = json!({"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "logs", {"Ref": "Env"}]]});
        assert!(equal(&sub, &join));
        let nested = json!({"Fn::Join": ["", [{"Ref": "AWS::StackName"}, {"Fn::Sub": "-logs-${Env}"}]]});
        assert!(equal(&join, &nested));
        assert!(equal(&json!({"Fn::Join": ["", ["a", "b"]]}), &json!("ab")));
        assert!(!equal(&sub, &json!({"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, {"Ref": "Env"}]]})));
        assert!(!equal(&sub, &json!({"Fn::Sub": "${AWS::StackName}-logs-${Stage}"})));
    }

    #[test]
    fn other_values_inside_a_concatenation_compare_as_values() {
        let a = json!({"Fn::Join": [",", [{"Fn::ImportValue": "Net-Subnet"}, "x"]]});
        let b = json!({"Fn::Sub": ["${S},x", {"S": {"Fn::ImportValue": "Net-Subnet"}}]});
        assert!(equal(&a, &b));
        let c = json!({"Fn::Sub": ["${S},x", {"S": {"Fn::ImportValue": "Net-Other"}}]});
        assert!(!equal(&a, &c));
        // A join of a list that is not literal (a parameter) is not a concatenation of pieces.
        assert!(!equal(&json!({"Fn::Join": [",", {"Ref": "Subnets"}]}), &json!({"Ref": "Subnets"})));
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
        assert!(!equal(&json!("a"), &json!("A")));
    }
}
