//! `validate`: check template files, and the checks `synth` runs before writing anything.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use serde_json::json;
use stackwright_template::App;
use stackwright_validate::{Finding, Report};

use crate::args::Format;

/// Files larger than this are not read: far beyond CloudFormation's 1 MB limit, and reading
/// them whole would only cost memory.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

pub(crate) fn run(paths: &[PathBuf], format: Format, strict: bool) -> anyhow::Result<ExitCode> {
    let mut results = Vec::new();
    for path in paths {
        for (file, report) in check_path(path) {
            results.push((file, report));
        }
    }
    let errors: usize = results.iter().map(|(_, r)| r.errors().count()).sum();
    let warnings: usize = results.iter().map(|(_, r)| r.warnings().count()).sum();
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Text => {
            for (file, report) in &results {
                for finding in &report.findings {
                    writeln!(stdout, "{}: {finding}", file.display())?;
                }
            }
            writeln!(stdout, "{} file(s) checked: {errors} error(s), {warnings} warning(s)", results.len())?;
        }
        Format::Json => {
            let files: Vec<serde_json::Value> = results
                .iter()
                .map(|(file, report)| {
                    json!({
                        "path": file.display().to_string(),
                        "errors": report.errors().count(),
                        "warnings": report.warnings().count(),
                        "findings": report.findings.iter().map(Finding::to_json).collect::<Vec<_>>(),
                        "acknowledged": report.acknowledged.iter().map(Finding::to_json).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let document = json!({"version": 1, "files": files});
            writeln!(stdout, "{}", serde_json::to_string_pretty(&document)?)?;
        }
    }
    stdout.flush()?;
    Ok(if errors > 0 || (strict && warnings > 0) { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// The reports for one command-line path: a file, or a directory's `*.template.json` files.
fn check_path(path: &Path) -> Vec<(PathBuf, Report)> {
    if !path.is_dir() {
        return vec![(path.to_owned(), check_file(path))];
    }
    let listing = std::fs::read_dir(path).map(|entries| {
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n.to_string_lossy().ends_with(".template.json")))
            .collect();
        files.sort();
        files
    });
    match listing {
        Ok(files) if files.is_empty() => {
            vec![(path.to_owned(), unreadable("the directory has no *.template.json files"))]
        }
        Ok(files) => files.into_iter().map(|file| (file.clone(), check_file(&file))).collect(),
        Err(error) => vec![(path.to_owned(), unreadable(&format!("cannot list the directory: {error}")))],
    }
}

fn check_file(path: &Path) -> Report {
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_FILE_BYTES => {
            let message =
                format!("the file is {} bytes; CloudFormation accepts at most 1048576 (not read)", meta.len());
            return Report {
                findings: vec![Finding::new("quota/template-size", "", message)],
                acknowledged: Vec::new(),
            };
        }
        Ok(_) => {}
        Err(error) => return unreadable(&format!("cannot read the file: {error}")),
    }
    match std::fs::read(path) {
        Ok(bytes) => stackwright_validate::validate_bytes(&bytes),
        Err(error) => unreadable(&format!("cannot read the file: {error}")),
    }
}

fn unreadable(message: &str) -> Report {
    Report { findings: vec![Finding::new("template/unreadable", "", message)], acknowledged: Vec::new() }
}

/// Validates every stack of `app` before `synth` writes anything: warnings go to standard
/// error; errors, all of them, make the run fail and nothing is written.
pub(crate) fn check_app(app: &App) -> anyhow::Result<()> {
    let mut errors = Vec::new();
    let mut stderr = std::io::stderr().lock();
    for (name, template) in app.stacks() {
        let report = stackwright_validate::validate(template);
        for warning in report.warnings() {
            writeln!(stderr, "{name}: {warning}")?;
        }
        errors.extend(report.errors().map(|error| format!("{name}: {error}")));
    }
    if !errors.is_empty() {
        bail!("refusing to write: {} validation error(s)\n{}", errors.len(), errors.join("\n"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use stackwright_template::{LogicalId, Resource, ResourceOptions, StackName, Template};

    use super::*;

    fn app_with(template: Template) -> App {
        let mut app = App::new();
        app.add_stack(StackName::new("web").unwrap(), template).unwrap();
        app
    }

    /// Two errors (owned by construct paths) and a warning-free template otherwise.
    fn broken() -> Template {
        let mut template = Template::new();
        let topic = Resource::raw(
            "AWS::SNS::Topic",
            [("KmsMasterKeyId".to_owned(), serde_json::json!({"Ref": "Key"}))].into_iter().collect(),
        );
        let options = ResourceOptions::new().owner("Web/Alerts/Topic");
        template.add_resource(LogicalId::new("WebAlertsTopic").unwrap(), topic, options).unwrap();
        let logs = Resource::raw("AWS::Logs::LogGroup", std::collections::BTreeMap::new());
        template.add_resource(LogicalId::new("Logs").unwrap(), logs, ResourceOptions::new()).unwrap();
        template
    }

    #[test]
    fn synth_lists_every_error_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let error = crate::commands::synth::to_dir(&app_with(broken()), &out).unwrap_err();
        assert_eq!(
            error.to_string(),
            "refusing to write: 2 validation error(s)\n\
             web: error[logs/retention] Logs at /Resources/Logs/Properties: RetentionInDays is unset, so CloudWatch \
             keeps the events forever; expected a retention in days (e.g. 365)\n\
             web: error[ref/unknown-target] WebAlertsTopic (Web/Alerts/Topic) at \
             /Resources/WebAlertsTopic/Properties/KmsMasterKeyId: Ref \"Key\" names no resource, parameter or pseudo \
             parameter"
        );
        assert!(!out.exists());
        assert!(crate::commands::synth::to_stdout(&app_with(broken()), None).is_err());
    }

    #[test]
    fn a_valid_app_passes() {
        assert!(check_app(&app_with(Template::new())).is_ok());
    }
}
