//! CodePipeline: the container an ECS deploy action's `imagedefinitions.json` names must be a
//! container of the service's task definition — ECS fails the deployment otherwise, after the
//! build has run and the image was pushed.

use std::collections::BTreeMap;

use stackwright_template::{Json, Template};

use crate::finding::Finding;
use crate::json::{get, named_resource, property, resource, resources_of};

const RULE: &str = "codepipeline/image-definitions-container";

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    for (id, pipeline, at) in resources_of(template, "AWS::CodePipeline::Pipeline") {
        let Some(Json::Array(stages)) = property(pipeline, &["Stages"]) else { continue };
        let actions: Vec<(String, &Json)> = stages
            .iter()
            .enumerate()
            .flat_map(|(s, stage)| match get(stage, &["Actions"]) {
                Some(Json::Array(actions)) => actions
                    .iter()
                    .enumerate()
                    .map(|(a, action)| (format!("{at}/Stages/{s}/Actions/{a}"), action))
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        // Output artifact -> the CodeBuild project that writes it, with the variables the
        // action sets for its builds (they override the project's).
        let mut producers: BTreeMap<&str, (String, BTreeMap<String, String>)> = BTreeMap::new();
        for (_, action) in &actions {
            if provider(action) == Some("CodeBuild")
                && let Some(project) = get(action, &["Configuration", "ProjectName"]).and_then(named_resource)
            {
                for artifact in artifact_names(action, "OutputArtifacts") {
                    producers.insert(artifact, (project.clone(), action_variables(action)));
                }
            }
        }
        for (action_at, action) in &actions {
            if provider(action) != Some("ECS") {
                continue;
            }
            let Some(containers) = service_containers(template, action) else { continue };
            let file = match get(action, &["Configuration", "FileName"]) {
                Some(Json::String(name)) => name.as_str(),
                _ => "imagedefinitions.json",
            };
            for input in artifact_names(action, "InputArtifacts") {
                let Some((project, overrides)) = producers.get(input) else { continue };
                for name in written_names(template, project, overrides, file) {
                    if !containers.contains(&name) {
                        let message = format!(
                            "build project {project} writes {file} for container {name:?}, which the service's task \
                             definition does not have; expected one of {containers:?}"
                        );
                        out.push(Finding::new(RULE, format!("{action_at}/Configuration"), message).about(id.as_str()));
                    }
                }
            }
        }
    }
}

fn provider(action: &Json) -> Option<&str> {
    get(action, &["ActionTypeId", "Provider"]).and_then(Json::as_str)
}

fn artifact_names<'a>(action: &'a Json, key: &str) -> Vec<&'a str> {
    match get(action, &[key]) {
        Some(Json::Array(items)) => items.iter().filter_map(|a| get(a, &["Name"]).and_then(Json::as_str)).collect(),
        _ => Vec::new(),
    }
}

/// The literal container names of the task definition of the service the action deploys to,
/// when the template says which service and task definition that is.
fn service_containers(template: &Template, action: &Json) -> Option<Vec<String>> {
    let service = resource(template, &get(action, &["Configuration", "ServiceName"]).and_then(named_resource)?)?;
    if service.type_name != "AWS::ECS::Service" {
        return None;
    }
    let task = resource(template, &property(service, &["TaskDefinition"]).and_then(named_resource)?)?;
    let Some(Json::Array(containers)) = property(task, &["ContainerDefinitions"]) else { return None };
    let names: Vec<String> =
        containers.iter().filter_map(|c| get(c, &["Name"]).and_then(Json::as_str)).map(str::to_owned).collect();
    (names.len() == containers.len()).then_some(names)
}

/// The container names the project's inline buildspec writes into `file`: a literal
/// `"name":"x"`, or a `printf` format whose `%s` name is a literal or a plain-text environment
/// variable (the action's, then the project's). The buildspec is read as YAML (or JSON, which
/// CDK writes), so quoting is undone before the commands are read. Anything else cannot be
/// known here and yields nothing.
fn written_names(
    template: &Template,
    project_id: &str,
    overrides: &BTreeMap<String, String>,
    file: &str,
) -> Vec<String> {
    let Some(project) = resource(template, project_id) else { return Vec::new() };
    let Some(Json::String(buildspec)) = property(project, &["Source", "BuildSpec"]) else { return Vec::new() };
    let mut variables = plain_variables(project);
    variables.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
    commands(buildspec)
        .iter()
        .flat_map(|command| command.lines())
        .filter(|line| line.contains(file) && line.contains("\"name\""))
        .filter_map(|line| name_in(line, &variables))
        .collect()
}

/// The commands of every phase of a buildspec; its raw lines when it does not parse.
fn commands(buildspec: &str) -> Vec<String> {
    let Ok(parsed) = stackwright_template::read::yaml::to_json(buildspec) else {
        return buildspec.lines().map(str::to_owned).collect();
    };
    let Some(Json::Object(phases)) = parsed.get("phases") else { return Vec::new() };
    phases
        .values()
        .filter_map(|phase| phase.get("commands").and_then(Json::as_array))
        .flatten()
        .filter_map(Json::as_str)
        .map(str::to_owned)
        .collect()
}

/// The plain-text variables a CodeBuild action sets (`EnvironmentVariables`, a JSON string).
fn action_variables(action: &Json) -> BTreeMap<String, String> {
    let Some(Json::String(text)) = get(action, &["Configuration", "EnvironmentVariables"]) else {
        return BTreeMap::new();
    };
    let Ok(Json::Array(variables)) = serde_json::from_str::<Json>(text) else { return BTreeMap::new() };
    variables
        .iter()
        .filter(|v| v.get("type").and_then(Json::as_str).is_none_or(|t| t == "PLAINTEXT"))
        .filter_map(|v| Some((v.get("name")?.as_str()?.to_owned(), v.get("value")?.as_str()?.to_owned())))
        .collect()
}

fn plain_variables(project: &stackwright_template::Resource) -> BTreeMap<String, String> {
    let Some(Json::Array(variables)) = property(project, &["Environment", "EnvironmentVariables"]) else {
        return BTreeMap::new();
    };
    variables
        .iter()
        .filter(|v| get(v, &["Type"]).and_then(Json::as_str).is_none_or(|t| t == "PLAINTEXT"))
        .filter_map(|v| Some((get(v, &["Name"])?.as_str()?.to_owned(), get(v, &["Value"])?.as_str()?.to_owned())))
        .collect()
}

/// The container name one buildspec line writes.
fn name_in(line: &str, variables: &BTreeMap<String, String>) -> Option<String> {
    let after = line.split_once("\"name\"")?.1.trim_start().strip_prefix(':')?.trim_start();
    let value = after.strip_prefix('"')?.split('"').next()?;
    if value != "%s" {
        return (!value.contains('$')).then(|| value.to_owned());
    }
    // printf '[{"name":"%s",...}]' ARG ...: the first argument after the format string.
    let rest = line.split_once("printf")?.1.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let argument = rest.strip_prefix(quote)?.split_once(quote)?.1.split_whitespace().next()?;
    let argument = argument.trim_matches('"');
    match argument.strip_prefix('$') {
        Some(variable) => variables.get(variable.trim_start_matches('{').trim_end_matches('}')).cloned(),
        None => Some(argument.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_name_a_buildspec_line_writes() {
        let vars = BTreeMap::from([("CONTAINER_NAME".to_owned(), "web".to_owned())]);
        let printf = r#"- printf '[{"name":"%s","imageUri":"%s"}]' app "$IMAGE_URI" > imagedefinitions.json"#;
        assert_eq!(name_in(printf, &vars).as_deref(), Some("app"));
        let cdk = r#"printf '[{"name":"%s","imageUri":"%s"}]' $CONTAINER_NAME $REPOSITORY_URI:$IMAGE_TAG > imagedefinitions.json"#;
        assert_eq!(name_in(cdk, &vars).as_deref(), Some("web"));
        let literal = r#"echo '[{"name": "api", "imageUri": "x"}]' > imagedefinitions.json"#;
        assert_eq!(name_in(literal, &vars).as_deref(), Some("api"));
        let unknown = r#"printf '[{"name":"%s"}]' $OTHER > imagedefinitions.json"#;
        assert_eq!(name_in(unknown, &vars), None);
    }
}

#[cfg(test)]
mod buildspec_tests {
    use super::*;

    #[test]
    fn commands_are_read_unquoted_from_yaml_and_json_buildspecs() {
        let yaml =
            "phases:\n  build:\n    commands:\n      - 'printf ''[{\"name\":\"%s\"}]'' $C > imagedefinitions.json'\n";
        let json =
            r#"{"phases": {"post_build": {"commands": ["printf '[{\"name\":\"%s\"}]' $C > imagedefinitions.json"]}}}"#;
        let vars = BTreeMap::from([("C".to_owned(), "web".to_owned())]);
        for buildspec in [yaml, json] {
            let names: Vec<String> = commands(buildspec).iter().filter_map(|c| name_in(c, &vars)).collect();
            assert_eq!(names, ["web"], "{buildspec}");
        }
    }
}
