//! Two resources of one type with the same literal primary identifier (two `AWS::S3::Bucket`s
//! with one `BucketName`, two log groups with one `LogGroupName`): the type's registry schema
//! names the property that identifies a resource (`primaryIdentifier`), so the second create
//! fails ("already exists"). Only single-property identifiers a template sets are compared,
//! and only between resources without a `Condition` (exclusive conditions may keep one).

use std::collections::BTreeMap;

use stackwright_template::{Json, Template};

use crate::finding::Finding;
use crate::json::pointer;

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    // (type, identifier value) → the first resource that has it.
    let mut first: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for (id, resource) in template.resources() {
        if resource.condition.is_some()
            || stackwright_registry::classify(&resource.type_name) != stackwright_registry::TypeClass::Registry
        {
            continue;
        }
        let Some(facts) = stackwright_registry::facts(&resource.type_name) else { continue };
        let [identifier] = facts.primary_identifier.as_slice() else { continue };
        let Some(name) = identifier.strip_prefix("/properties/") else { continue };
        if name.contains('/') || facts.is_read_only(name) {
            continue;
        }
        let Some(Json::String(value)) = resource.properties.get(name) else { continue };
        if crate::json::is_dynamic(value) {
            continue;
        }
        match first.get(&(resource.type_name.as_str(), value.as_str())) {
            Some(other) => {
                let message = format!(
                    "{name} {value:?} is also the {name} of {other}: it identifies a {}, so the second cannot be created",
                    resource.type_name
                );
                let at = format!("{}/Properties/{name}", pointer("/Resources", id.as_str()));
                out.push(Finding::new("resource/duplicate-identifier", at, message).about(id.as_str()));
            }
            None => {
                first.insert((resource.type_name.as_str(), value.as_str()), id.as_str());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn found(resources: &serde_json::Value) -> Vec<String> {
        crate::validate_source(&json!({"Resources": resources}).to_string())
            .findings
            .into_iter()
            .filter(|f| f.rule == "resource/duplicate-identifier")
            .map(|f| f.pointer)
            .collect()
    }

    #[test]
    fn one_name_for_two_buckets() {
        let bucket = |name: &str| json!({"Type": "AWS::S3::Bucket", "Properties": {"BucketName": name}});
        assert_eq!(found(&json!({"A": bucket("b"), "B": bucket("b")})), ["/Resources/B/Properties/BucketName"]);
        assert!(found(&json!({"A": bucket("a"), "B": bucket("b")})).is_empty());
        let mut conditional = bucket("b");
        conditional["Condition"] = json!("C");
        let template =
            json!({"Conditions": {"C": {"Fn::Equals": ["a", "b"]}}, "Resources": {"A": bucket("b"), "B": conditional}});
        let report = crate::validate_source(&template.to_string());
        assert!(report.findings.iter().all(|f| f.rule != "resource/duplicate-identifier"));
    }
}
