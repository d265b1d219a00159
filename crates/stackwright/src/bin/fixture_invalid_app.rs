//! A test fixture, not a tool: a platform team's app whose one stack breaks two validation
//! rules (a log group that keeps its events forever, a topic whose key `Ref` names nothing).
//! The end-to-end tests run it to check that `synth` and `diff --baseline` refuse it alike.

use std::collections::BTreeMap;
use std::process::ExitCode;

use stackwright_template::{App, Error, LogicalId, Resource, ResourceOptions, StackName, Template};

fn app() -> Result<App, Error> {
    let mut template = Template::new();
    let key = [("KmsMasterKeyId".to_owned(), serde_json::json!({"Ref": "Key"}))].into_iter().collect();
    let options = ResourceOptions::new().owner("Web/Alerts/Topic");
    template.add_resource(LogicalId::new("WebAlertsTopic")?, Resource::raw("AWS::SNS::Topic", key), options)?;
    let logs = Resource::raw("AWS::Logs::LogGroup", BTreeMap::new());
    template.add_resource(LogicalId::new("Logs")?, logs, ResourceOptions::new())?;
    let mut app = App::new();
    app.add_stack(StackName::new("web")?, template)?;
    Ok(app)
}

fn main() -> ExitCode {
    stackwright_cli::run(app)
}
