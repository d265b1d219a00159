//! A property the type's registry schema requires, written as `Fn::If` with an
//! `AWS::NoValue` branch: when the condition takes that branch the property is removed, and
//! CloudFormation refuses to create the resource ("required key not found"). The evaluator
//! cannot say so (a call matches any schema); this rule reads the schema's top-level
//! `required` list and the `Fn::If` at the top of each property. A resource that has a
//! `Condition` of its own is not judged (it may exist only when the branch keeps the value).

use stackwright_registry::Sub;
use stackwright_template::{Json, Template};

use crate::finding::Finding;
use crate::json::pointer;

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    for (id, resource) in template.resources() {
        if resource.condition.is_some() {
            continue;
        }
        // Only properties written as `Fn::If`: no schema lookup for a resource without one.
        let mut conditional =
            resource.properties.iter().filter_map(|(name, value)| removed_when(value).map(|c| (name, c))).peekable();
        if conditional.peek().is_none() {
            continue;
        }
        let Some(schema) = stackwright_registry::schema(&resource.type_name) else { continue };
        let Sub::Node(root) = &schema.root else { continue };
        for (name, (condition, when)) in conditional {
            if root.required.iter().any(|r| r == name) {
                let message = format!(
                    "{name} is required, and Fn::If removes it (AWS::NoValue) when condition {condition:?} is {when}; \
                     expected a value in both branches"
                );
                let at = format!(
                    "{}/Properties/{}",
                    pointer("/Resources", id.as_str()),
                    stackwright_template::pointer::escape(name)
                );
                out.push(Finding::new("schema/required-if", at, message).about(id.as_str()));
            }
        }
    }
}

/// The condition and the branch (`true`: the first) of an `Fn::If` that gives
/// `AWS::NoValue`.
fn removed_when(value: &Json) -> Option<(&str, bool)> {
    let Json::Object(map) = value else { return None };
    if map.len() != 1 {
        return None;
    }
    let Some(Json::Array(args)) = map.get("Fn::If") else { return None };
    let [Json::String(condition), yes, no] = args.as_slice() else { return None };
    let no_value = |v: &Json| v.get("Ref").and_then(Json::as_str) == Some("AWS::NoValue");
    match (no_value(yes), no_value(no)) {
        (true, false) => Some((condition, true)),
        (false, true) => Some((condition, false)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn found(resource: &serde_json::Value) -> Vec<String> {
        let template = json!({"Conditions": {"C": {"Fn::Equals": ["a", "b"]}}, "Resources": {"F": resource}});
        crate::validate_source(&template.to_string())
            .findings
            .into_iter()
            .filter(|f| f.rule == "schema/required-if")
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn a_required_property_removed_by_a_branch() {
        let role = json!({"Fn::If": ["C", "arn:aws:iam::123456789012:role/r", {"Ref": "AWS::NoValue"}]});
        let function = |role: &serde_json::Value| json!({"Type": "AWS::Lambda::Function", "Properties": {"Role": role, "Code": {"ZipFile": "x"}, "Runtime": "python3.13", "Handler": "i.h"}});
        assert_eq!(
            found(&function(&role)),
            [
                "Role is required, and Fn::If removes it (AWS::NoValue) when condition \"C\" is false; expected a value in both branches"
            ]
        );
        assert!(found(&function(&json!("arn:aws:iam::123456789012:role/r"))).is_empty());
        let mut guarded = function(&role);
        guarded["Condition"] = json!("C");
        assert!(found(&guarded).is_empty());
        let optional = json!({"Type": "AWS::Lambda::Function", "Properties": {"Role": "arn:aws:iam::123456789012:role/r",
            "Code": {"ZipFile": "x"}, "Runtime": "python3.13", "Handler": "i.h", "Timeout": {"Fn::If": ["C", 3, {"Ref": "AWS::NoValue"}]}}});
        assert!(found(&optional).is_empty());
    }
}
