//! CodePipeline's stage structure: "the first stage of a pipeline must contain at least one
//! source action, and can only contain source actions", and "only the first stage of a
//! pipeline may contain source actions" (the CodePipeline user guide, *Pipeline structure
//! reference*). `CreatePipeline` refuses anything else with `InvalidStructureException`, so
//! the stack fails when it creates the pipeline: an error. (The third requirement, at least
//! two stages, is the registry schema's `minItems: 2` on `Stages`, checked as `schema/items`.)
//!
//! Only what is certain is judged: a stage or action written as a function call (`Fn::If`
//! can drop it, which moves every later stage up) leaves the pipeline's order unknown, and
//! a category that is not a literal string is not read.

use stackwright_template::{Intrinsic, Json, Template};

use crate::finding::Finding;
use crate::json::{get, property, resources_of};

const RULE: &str = "codepipeline/source-stage";

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    for (id, pipeline, at) in resources_of(template, "AWS::CodePipeline::Pipeline") {
        let Some(Json::Array(stages)) = property(pipeline, &["Stages"]) else { continue };
        if stages.iter().any(Intrinsic::is_function_object) {
            continue;
        }
        for (s, stage) in stages.iter().enumerate() {
            let Some(Json::Array(actions)) = get(stage, &["Actions"]) else { continue };
            let name = get(stage, &["Name"]).and_then(Json::as_str).unwrap_or("?");
            for (a, action) in actions.iter().enumerate() {
                let Some(category) = get(action, &["ActionTypeId", "Category"]).and_then(Json::as_str) else {
                    continue;
                };
                let message = match (s == 0, category == "Source") {
                    (true, false) => format!(
                        "a {category} action in the first stage ({name:?}); the first stage of a pipeline may \
                         contain only Source actions (CodePipeline refuses the pipeline: InvalidStructureException)"
                    ),
                    (false, true) => format!(
                        "a Source action in stage {name:?} (stage {}); only the first stage of a pipeline may \
                         contain Source actions (CodePipeline refuses the pipeline: InvalidStructureException)",
                        s + 1
                    ),
                    _ => continue,
                };
                let pointer = format!("{at}/Stages/{s}/Actions/{a}/ActionTypeId/Category");
                out.push(Finding::new(RULE, pointer, message).about(id.as_str()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    fn action(name: &str, category: &str) -> Value {
        json!({"Name": name, "ActionTypeId": {"Category": category, "Owner": "AWS", "Provider": "X", "Version": "1"}})
    }

    fn findings(stages: &Value) -> Vec<String> {
        let template =
            json!({"Resources": {"P": {"Type": "AWS::CodePipeline::Pipeline", "Properties": {"Stages": stages}}}});
        crate::validate_source(&template.to_string())
            .findings
            .into_iter()
            .filter(|f| f.rule == super::RULE)
            .map(|f| f.pointer)
            .collect()
    }

    #[test]
    fn source_first_then_the_rest_passes() {
        let stages = json!([
            {"Name": "Source", "Actions": [action("App", "Source"), action("Config", "Source")]},
            {"Name": "Build", "Actions": [action("Build", "Build"), action("Approve", "Approval")]},
            {"Name": "Deploy", "Actions": [action("Deploy", "Deploy")]},
        ]);
        assert!(findings(&stages).is_empty());
    }

    #[test]
    fn a_first_stage_without_source_and_a_late_source_are_errors() {
        let stages = json!([
            {"Name": "Build", "Actions": [action("Build", "Build")]},
            {"Name": "Source", "Actions": [action("Deploy", "Deploy"), action("App", "Source")]},
        ]);
        assert_eq!(
            findings(&stages),
            [
                "/Resources/P/Properties/Stages/0/Actions/0/ActionTypeId/Category",
                "/Resources/P/Properties/Stages/1/Actions/1/ActionTypeId/Category",
            ]
        );
        let mixed = json!([
            {"Name": "Source", "Actions": [action("App", "Source"), action("Test", "Test")]},
            {"Name": "Build", "Actions": [action("Build", "Build")]},
        ]);
        assert_eq!(findings(&mixed), ["/Resources/P/Properties/Stages/0/Actions/1/ActionTypeId/Category"]);
    }

    #[test]
    fn a_conditional_stage_or_category_is_not_judged() {
        let conditional = json!([
            {"Fn::If": ["C", {"Name": "Pre", "Actions": [action("Build", "Build")]}, {"Ref": "AWS::NoValue"}]},
            {"Name": "Source", "Actions": [action("App", "Source")]},
        ]);
        assert!(findings(&conditional).is_empty());
        let category = json!([
            {"Name": "Source", "Actions": [{"Name": "A", "ActionTypeId": {"Category": {"Ref": "Kind"}}}]},
            {"Name": "Build", "Actions": [action("Build", "Build")]},
        ]);
        assert!(findings(&category).is_empty());
    }
}
