//! Template-level rules: the format version, the shape of `Transform`, and logical IDs
//! shared by a parameter and a resource.

use stackwright_template::{Json, Template, template::FORMAT_VERSION};

use crate::finding::Finding;
use crate::json::{pointer, show};

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    // "The only valid value is 2010-09-09" (template anatomy, AWSTemplateFormatVersion).
    if let Some(version) = &template.format_version
        && version != FORMAT_VERSION
    {
        let message = format!("AWSTemplateFormatVersion is {version:?}; the only version is \"{FORMAT_VERSION}\"");
        out.push(Finding::new("template/format-version", "/AWSTemplateFormatVersion", message));
    }
    if let Some(transform) = template.other_sections.get("Transform") {
        transforms(transform, "/Transform", out);
    }
    // A `Ref` names either; CloudFormation needs logical IDs unique across the template.
    for id in template.parameters().keys().filter(|id| template.resources().contains_key(*id)) {
        let message =
            format!("{:?} names both a parameter and a resource; logical IDs are unique in a template", id.as_str());
        out.push(Finding::new("template/duplicate-id", pointer("/Resources", id.as_str()), message).about(id.as_str()));
    }
}

/// `Transform`: a macro's name, `{"Name": …, "Parameters": {…}}`, or a list of them.
fn transforms(value: &Json, at: &str, out: &mut Vec<Finding>) {
    match value {
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if item.is_array() {
                    out.push(malformed(item, &format!("{at}/{i}")));
                } else {
                    transforms(item, &format!("{at}/{i}"), out);
                }
            }
        }
        Json::String(_) => {}
        Json::Object(map) => {
            let named = map.get("Name").is_some_and(Json::is_string);
            let known = map.iter().all(|(key, v)| key == "Name" || (key == "Parameters" && v.is_object()));
            if !named || !known {
                out.push(malformed(value, at));
            }
        }
        other => out.push(malformed(other, at)),
    }
}

fn malformed(value: &Json, at: &str) -> Finding {
    let message = format!(
        "Transform {} is not a transform: expected a name, {{\"Name\": name, \"Parameters\": {{…}}}}, or a list of them",
        show(value)
    );
    Finding::new("template/transform", at, message)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn rules(template: &serde_json::Value) -> Vec<(&'static str, String)> {
        crate::validate_source(&template.to_string()).findings.into_iter().map(|f| (f.rule, f.pointer)).collect()
    }

    #[test]
    fn the_format_version_transform_shapes_and_shared_ids() {
        let topic = json!({"Type": "AWS::SNS::Topic"});
        assert_eq!(
            rules(&json!({"AWSTemplateFormatVersion": "2010-09-10", "Resources": {"T": topic}})),
            [("template/format-version", "/AWSTemplateFormatVersion".to_owned())]
        );
        assert_eq!(rules(&json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"T": topic}})), []);
        let found = rules(&json!({"Transform": {"key": "ATransform"}, "Resources": {"T": topic}}));
        assert_eq!(found, [("template/transform", "/Transform".to_owned())]);
        for good in [
            json!("AWS::Serverless-2016-10-31"),
            json!(["A", {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}]),
        ] {
            assert_eq!(rules(&json!({"Transform": good, "Resources": {"T": topic}})), []);
        }
        assert_eq!(
            rules(&json!({"Parameters": {"T": {"Type": "String"}}, "Resources": {"T": topic}})),
            [("template/duplicate-id", "/Resources/T".to_owned())]
        );
    }
}
