//! `null` anywhere in a template: CloudFormation refuses the template while validating it
//! ("Template format error: [/Resources/Box/Properties/EbsOptimized] 'null' values are not
//! allowed in templates"; cfn-lint issues #38 and #246 and the coverage roadmap's #1378
//! quote it for properties, mappings, `DependsOn` items and event patterns). In YAML an empty
//! value (`EbsOptimized:`) is `null` too. Checked on the document as read, once per file.

use std::fmt::Write as _;

use stackwright_template::Json;

use crate::finding::{Finding, about};

/// Reports every `null` of `json`, at its pointer.
pub(crate) fn check(json: &Json, out: &mut Vec<Finding>) {
    // An empty document is no template at all: `template/parse` says so.
    if json.is_null() {
        return;
    }
    let mut path = String::new();
    walk(json, &mut path, out);
}

fn walk(value: &Json, path: &mut String, out: &mut Vec<Finding>) {
    let len = path.len();
    match value {
        Json::Null => {
            let message = "the value is null; CloudFormation allows no null values in a template (omit the key, or use {\"Ref\": \"AWS::NoValue\"})";
            let finding = Finding::new("template/null", path.clone(), message);
            out.push(about(finding, path));
        }
        Json::Object(map) => {
            for (key, item) in map {
                path.push('/');
                path.push_str(&stackwright_template::pointer::escape(key));
                walk(item, path, out);
                path.truncate(len);
            }
        }
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let _ = write!(path, "/{i}");
                walk(item, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn nulls_are_reported_where_they_are() {
        let yaml = "Resources:\n  Box:\n    Type: AWS::EC2::Instance\n    Properties:\n      EbsOptimized:\n      Tags: [null]\n";
        let report = crate::validate_yaml_source(yaml);
        let found: Vec<(&str, &str, Option<usize>)> = report
            .findings
            .iter()
            .filter(|f| f.rule == "template/null")
            .map(|f| (f.rule, f.pointer.as_str(), f.position.map(|p| p.line)))
            .collect();
        assert_eq!(
            found,
            [
                ("template/null", "/Resources/Box/Properties/EbsOptimized", Some(5)),
                ("template/null", "/Resources/Box/Properties/Tags/0", Some(6)),
            ]
        );
        assert!(crate::validate_source(r#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#).findings.is_empty());
    }
}
