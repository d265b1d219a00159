//! `Fn::ImportValue`: its argument is the export's name, a string or a function that makes
//! one from parameters (`Fn::Base64`, `Fn::FindInMap`, `Fn::If`, `Fn::Join`, `Fn::Select`,
//! `Fn::Split`, `Fn::Sub`, `Ref`: the functions its reference page lists), never another
//! import; and conditions cannot import (they are evaluated before any export is read:
//! "Template error: Cannot use `Fn::ImportValue` in Conditions").

use std::fmt::Write as _;

use stackwright_template::{Intrinsic, Json, Template};

use crate::finding::Finding;
use crate::json::pointer;

const ALLOWED: [&str; 8] =
    ["Fn::Base64", "Fn::FindInMap", "Fn::If", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::Sub", "Ref"];

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    for (id, resource) in template.resources() {
        let mut path = format!("{}/Properties", pointer("/Resources", id.as_str()));
        for (key, value) in &resource.properties {
            let len = path.len();
            path.push('/');
            path.push_str(&stackwright_template::pointer::escape(key));
            walk(value, &mut path, id.as_str(), false, out);
            path.truncate(len);
        }
    }
    for (id, output) in template.outputs() {
        let mut path = format!("{}/Value", pointer("/Outputs", id.as_str()));
        walk(&output.value, &mut path, id.as_str(), false, out);
    }
    for (id, condition) in template.conditions() {
        let mut path = pointer("/Conditions", id.as_str());
        walk(&condition.to_json(), &mut path, id.as_str(), true, out);
    }
}

fn walk(value: &Json, path: &mut String, id: &str, in_condition: bool, out: &mut Vec<Finding>) {
    let len = path.len();
    match value {
        Json::Object(map) => {
            if Intrinsic::is_function_object(value)
                && let Some(argument) = map.get("Fn::ImportValue")
            {
                if in_condition {
                    let message =
                        "a condition cannot use Fn::ImportValue: conditions are evaluated before exports are read";
                    out.push(Finding::new("intrinsic/import-value", path.clone(), message).about(id));
                } else if let Some(problem) = argument_problem(argument) {
                    out.push(Finding::new("intrinsic/import-value", path.clone(), problem).about(id));
                }
            }
            for (key, item) in map {
                path.push('/');
                path.push_str(&stackwright_template::pointer::escape(key));
                walk(item, path, id, in_condition, out);
                path.truncate(len);
            }
        }
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let _ = write!(path, "/{i}");
                walk(item, path, id, in_condition, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

fn argument_problem(argument: &Json) -> Option<String> {
    let name = match argument {
        Json::String(_) => return None,
        Json::Object(map) if Intrinsic::is_function_object(argument) => map.keys().next()?.as_str(),
        _ => {
            return Some(format!(
                "Fn::ImportValue takes an export name, a string; found {}",
                crate::json::show(argument)
            ));
        }
    };
    (!ALLOWED.contains(&name)).then(|| {
        format!(
            "Fn::ImportValue cannot take {name} as its argument; expected a string or one of {}",
            ALLOWED.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn import_value_arguments_and_conditions() {
        let template = json!({
            "Conditions": {"C": {"Fn::Equals": [{"Ref": "AWS::Region"}, {"Fn::ImportValue": "Region"}]}},
            "Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {
                "TopicName": {"Fn::ImportValue": {"Fn::ImportValue": "Name"}},
                "DisplayName": {"Fn::ImportValue": ["Name"]},
                "KmsMasterKeyId": {"Fn::ImportValue": {"Fn::Sub": "${AWS::StackName}-Key"}}}}}
        });
        let found: Vec<String> = crate::validate_source(&template.to_string())
            .findings
            .into_iter()
            .filter(|f| f.rule == "intrinsic/import-value")
            .map(|f| f.pointer)
            .collect();
        assert_eq!(
            found,
            ["/Conditions/C/Fn::Equals/1", "/Resources/T/Properties/DisplayName", "/Resources/T/Properties/TopicName",]
        );
    }
}
