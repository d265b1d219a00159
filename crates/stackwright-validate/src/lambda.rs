//! Lambda functions Lambda refuses to create: a runtime whose creation is blocked, and inline
//! code (`Code.ZipFile`) without a `Runtime`.
//!
//! The runtimes are those of the "Deprecated runtimes" table of the AWS Lambda Developer Guide
//! (`lambda-runtimes.html`) whose "Block function create" date had passed when this table was
//! written (2026-12-03), with that date; cfn-lint 1.58.0 records the same dates
//! (`LmbdRuntimeLifecycle.json`). The table is fixed, not compared with today's date, so a
//! report does not change with the day it is run; a runtime blocked later is added here.
//! `CreateFunction` answers `InvalidParameterValueException` for them. SAM functions
//! (`AWS::Serverless::Function`) become Lambda functions with the same runtime, their own or
//! the one `Globals.Function` gives them.

use stackwright_template::{Json, Template};

use crate::finding::Finding;
use crate::json::pointer;

/// Runtime identifier → the date Lambda stopped creating functions with it.
const BLOCKED: [(&str, &str); 20] = [
    ("dotnetcore1.0", "2019-06-30"),
    ("dotnetcore2.0", "2019-04-30"),
    ("dotnetcore2.1", "2022-01-05"),
    ("dotnetcore3.1", "2023-04-03"),
    ("go1.x", "2024-02-08"),
    ("java8", "2024-02-08"),
    ("nodejs", "2016-09-30"),
    ("nodejs10.x", "2021-07-30"),
    ("nodejs12.x", "2023-03-31"),
    ("nodejs14.x", "2024-01-09"),
    ("nodejs4.3", "2020-02-03"),
    ("nodejs4.3-edge", "2019-03-31"),
    ("nodejs6.10", "2019-07-12"),
    ("nodejs8.10", "2020-02-04"),
    ("provided", "2024-02-08"),
    ("python2.7", "2021-07-15"),
    ("python3.6", "2022-07-18"),
    ("python3.7", "2024-01-09"),
    ("ruby2.5", "2021-07-30"),
    ("ruby2.7", "2024-01-09"),
];

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    let global = template.other_sections.get("Globals").and_then(|g| g.get("Function")).and_then(|f| f.get("Runtime"));
    for (id, resource) in template.resources() {
        let serverless = resource.type_name == "AWS::Serverless::Function";
        if resource.type_name != "AWS::Lambda::Function" && !serverless {
            continue;
        }
        let at = format!("{}/Properties", pointer("/Resources", id.as_str()));
        let own = resource.properties.get("Runtime");
        let (runtime, runtime_at, inherited) = match own {
            Some(runtime) => (Some(runtime), pointer(&at, "Runtime"), false),
            None if serverless && !ignores_global_runtime(resource.other_attributes.get("IgnoreGlobals")) => {
                (global, at.clone(), true)
            }
            None => (None, at.clone(), false),
        };
        if let Some(Json::String(name)) = runtime
            && let Some((_, date)) = BLOCKED.iter().find(|(blocked, _)| blocked == name)
        {
            let from = if inherited { " (from Globals.Function)" } else { "" };
            let message = format!(
                "Runtime {name:?}{from} is deprecated: Lambda blocks creating functions with it since {date}; \
                 expected a supported runtime (lambda-runtimes.html)"
            );
            out.push(Finding::new("lambda/runtime-deprecated", runtime_at, message).about(id.as_str()));
        }
        let inline = resource.properties.get("Code").and_then(|code| code.get("ZipFile")).is_some();
        if !serverless && inline && own.is_none() {
            let message =
                "inline code (Code.ZipFile) needs a Runtime: Lambda requires one for a .zip deployment package";
            out.push(Finding::new("lambda/zip-runtime", at, message).about(id.as_str()));
        }
    }
}

/// Whether a SAM resource's `IgnoreGlobals` (`"*"` or a list of names) drops `Runtime`.
fn ignores_global_runtime(ignore: Option<&Json>) -> bool {
    match ignore {
        Some(Json::String(all)) => all == "*",
        Some(Json::Array(names)) => names.iter().any(|n| n.as_str() == Some("Runtime")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn rules(template: &serde_json::Value) -> Vec<(&'static str, String)> {
        crate::validate_source(&template.to_string())
            .findings
            .into_iter()
            .filter(|f| f.rule.starts_with("lambda/"))
            .map(|f| (f.rule, f.pointer))
            .collect()
    }

    #[allow(clippy::needless_pass_by_value)] // json! values built inline read best passed by value
    fn function(properties: serde_json::Value) -> serde_json::Value {
        json!({"Resources": {"F": {"Type": "AWS::Lambda::Function", "Properties": properties}}})
    }

    #[test]
    fn blocked_runtimes_and_inline_code_without_runtime() {
        let code = json!({"ZipFile": "exports.handler = () => {}"});
        assert_eq!(
            rules(&function(json!({"Runtime": "nodejs4.3", "Code": code}))),
            [("lambda/runtime-deprecated", "/Resources/F/Properties/Runtime".to_owned())]
        );
        assert_eq!(rules(&function(json!({"Runtime": "nodejs22.x", "Code": code}))), []);
        assert_eq!(
            rules(&function(json!({"Code": code}))),
            [("lambda/zip-runtime", "/Resources/F/Properties".to_owned())]
        );
        assert_eq!(rules(&function(json!({"Code": {"ImageUri": "x"}, "PackageType": "Image"}))), []);
    }

    #[test]
    fn sam_functions_inherit_the_global_runtime_unless_they_ignore_it() {
        let template = json!({"Transform": "AWS::Serverless-2016-10-31", "Globals": {"Function": {"Runtime": "python3.6"}},
        "Resources": {
            "Inherits": {"Type": "AWS::Serverless::Function", "Properties": {}},
            "Own": {"Type": "AWS::Serverless::Function", "Properties": {"Runtime": "python3.13"}},
            "Ignores": {"Type": "AWS::Serverless::Function", "IgnoreGlobals": ["Runtime"], "Properties": {}}
        }});
        assert_eq!(rules(&template), [("lambda/runtime-deprecated", "/Resources/Inherits/Properties".to_owned())]);
    }
}
