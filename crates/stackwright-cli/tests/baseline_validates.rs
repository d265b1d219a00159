//! `diff --baseline` end to end on an app whose one stack breaks two validation rules (a log
//! group that keeps its events forever, a topic whose key `Ref` names nothing): it refuses
//! the fresh synth exactly as `synth` does — same message, exit 1, no diff printed.
//!
//! The app is this test's own executable: started with [`AS_APP`] set, `main` is the app's
//! `main` (`stackwright_cli::run`), as in a platform team's crate; otherwise it runs the
//! checks, starting itself as that app. (`harness = false` in Cargo.toml.)

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, ExitCode, Output};

use stackwright_template::{App, Error, LogicalId, Resource, ResourceOptions, Stack, StackName, Template};

const AS_APP: &str = "STACKWRIGHT_TEST_RUN_AS_APP";

fn app() -> Result<App, Error> {
    let mut template = Template::new();
    let key = [("KmsMasterKeyId".to_owned(), serde_json::json!({"Ref": "Key"}))].into_iter().collect();
    let options = ResourceOptions::new().owner("Web/Alerts/Topic");
    template.add_resource(LogicalId::new("WebAlertsTopic")?, Resource::raw("AWS::SNS::Topic", key), options)?;
    let logs = Resource::raw("AWS::Logs::LogGroup", BTreeMap::new());
    template.add_resource(LogicalId::new("Logs")?, logs, ResourceOptions::new())?;
    let mut app = App::new();
    app.add_stack(Stack::from_template(StackName::new("web")?, template)?)?;
    Ok(app)
}

fn run_as_app(args: &[&str], cwd: &Path) -> Output {
    let exe = std::env::current_exe().expect("the test knows its executable");
    Command::new(exe).args(args).env(AS_APP, "1").current_dir(cwd).output().expect("the app starts")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

fn diff_baseline_validates_the_fresh_synth_as_synth_does() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let synth = run_as_app(&["synth"], dir.path());
    assert_eq!(synth.status.code(), Some(1));
    let refusal = text(&synth.stderr);
    assert!(refusal.starts_with("error: refusing to write: "), "{refusal}");
    assert!(refusal.contains("web: error[ref/unknown-target] WebAlertsTopic"), "{refusal}");
    assert!(!dir.path().join("out").exists());
    std::fs::create_dir(dir.path().join("base")).expect("base/");
    std::fs::write(dir.path().join("base/web.template.json"), r#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#)
        .expect("the baseline template");
    let diff = run_as_app(&["diff", "--baseline", "base"], dir.path());
    assert_eq!(diff.status.code(), Some(1), "{}", text(&diff.stdout));
    assert_eq!(text(&diff.stderr), refusal, "the same message as synth");
    assert_eq!(text(&diff.stdout), "", "no diff of what synth refuses");
}

fn main() -> ExitCode {
    if std::env::var_os(AS_APP).is_some() {
        return stackwright_cli::run(app);
    }
    diff_baseline_validates_the_fresh_synth_as_synth_does();
    let _ = writeln!(std::io::stdout(), "test diff_baseline_validates_the_fresh_synth_as_synth_does ... ok");
    ExitCode::SUCCESS
}
