//! `validate`: check template files, and the checks `synth` runs before writing anything.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use serde_json::json;
use stackwright_template::read::Format as FileFormat;
use stackwright_template::{App, StackName};
use stackwright_validate::{Finding, Report, Severity};

use crate::args::{DenyLevel, Format};

/// Files larger than this are not read: far beyond CloudFormation's 1 MB limit, and reading
/// them whole would only cost memory.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The levels that fail the run: errors always, and those `--deny` (or `--strict`) names.
pub(crate) fn denied(deny: &[DenyLevel], strict: bool) -> Vec<Severity> {
    let mut levels = vec![Severity::Error];
    if strict || deny.contains(&DenyLevel::Warning) {
        levels.push(Severity::Warning);
    }
    if strict || deny.contains(&DenyLevel::Policy) {
        levels.push(Severity::Policy);
    }
    levels
}

pub(crate) fn run(paths: &[PathBuf], format: Format, denied: &[Severity]) -> anyhow::Result<ExitCode> {
    let mut results = Vec::new();
    for path in paths {
        for (file, report) in check_path(path) {
            results.push((file, report));
        }
    }
    let total = |level| results.iter().map(|(_, r): &(PathBuf, Report)| r.of(level).count()).sum::<usize>();
    let (errors, warnings, policy) = (total(Severity::Error), total(Severity::Warning), total(Severity::Policy));
    let unchecked: usize = results.iter().map(|(_, r)| r.unchecked_resources()).sum();
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Text => {
            for (file, report) in &results {
                let file = file.display().to_string();
                for finding in &report.findings {
                    writeln!(stdout, "{}", finding.located(&file))?;
                }
                for skipped in &report.unchecked {
                    writeln!(stdout, "{file}: not schema-checked: {skipped}")?;
                }
            }
            writeln!(
                stdout,
                "{} file(s) checked: {errors} error(s), {warnings} warning(s), {policy} policy finding(s), {unchecked} resource(s) not schema-checked",
                results.len()
            )?;
        }
        Format::Json => {
            let files: Vec<serde_json::Value> = results
                .iter()
                .map(|(file, report)| {
                    json!({
                        "path": file.display().to_string(),
                        "errors": report.errors().count(),
                        "warnings": report.warnings().count(),
                        "policy": report.policy_findings().count(),
                        "findings": report.findings.iter().map(Finding::to_json).collect::<Vec<_>>(),
                        "acknowledged": report.acknowledged.iter().map(Finding::to_json).collect::<Vec<_>>(),
                        "unchecked": report.unchecked.iter().map(stackwright_validate::Unchecked::to_json).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let document = json!({"version": 2, "files": files});
            writeln!(stdout, "{}", serde_json::to_string_pretty(&document)?)?;
        }
    }
    stdout.flush()?;
    let failed = denied.iter().any(|level| total(*level) > 0);
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// The file names a directory is searched for: what `synth` writes, and its YAML spellings.
const TEMPLATE_SUFFIXES: [&str; 3] = [".template.json", ".template.yaml", ".template.yml"];

/// The reports for one command-line path: a file, or a directory's `*.template.json`
/// (`.yaml`, `.yml`) files.
fn check_path(path: &Path) -> Vec<(PathBuf, Report)> {
    if !path.is_dir() {
        return vec![(path.to_owned(), check_file(path))];
    }
    let listing = std::fs::read_dir(path).map(|entries| {
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && p.file_name().is_some_and(|n| {
                        let name = n.to_string_lossy();
                        TEMPLATE_SUFFIXES.iter().any(|suffix| name.ends_with(suffix))
                    })
            })
            .collect();
        files.sort();
        files
    });
    match listing {
        Ok(files) if files.is_empty() => {
            let message = "the directory has no *.template.json, *.template.yaml or *.template.yml files";
            vec![(path.to_owned(), unreadable(message))]
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
            return Report { findings: vec![Finding::new("quota/template-size", "", message)], ..Report::default() };
        }
        Ok(_) => {}
        Err(error) => return unreadable(&format!("cannot read the file: {error}")),
    }
    match std::fs::read(path) {
        // The format as `stackwright diff` decides it: by the extension, else by the text.
        Ok(bytes) => stackwright_validate::validate_file_bytes(&bytes, FileFormat::detect(path, &bytes)),
        Err(error) => unreadable(&format!("cannot read the file: {error}")),
    }
}

fn unreadable(message: &str) -> Report {
    Report { findings: vec![Finding::new("template/unreadable", "", message)], ..Report::default() }
}

/// Validates every stack of `app` (deferred ones built one at a time, then dropped) as
/// `synth` validates it: warnings go to standard error; errors and policy findings, all of
/// them, make the run fail (the templates Stackwright writes are held to its own rules too).
/// Returns the names checked.
pub(crate) fn check_app(app: &App) -> anyhow::Result<Vec<&StackName>> {
    let names = app.names();
    let mut built = Vec::with_capacity(names.len());
    for name in &names {
        let template = app.build(name).map_err(|e| anyhow::anyhow!("{e}"))?;
        let size = template.render().len();
        built.push((*name, stackwright_validate::validate_with_size(&template, size)));
    }
    refuse_findings(built.iter().map(|(name, report)| (*name, report)))?;
    Ok(names)
}

/// Prints the reports' warnings; their errors and policy findings, all of them, refuse.
fn refuse_findings<'a>(reports: impl Iterator<Item = (&'a StackName, &'a Report)>) -> anyhow::Result<()> {
    let (mut refused, mut errors, mut policy) = (Vec::new(), 0, 0);
    let mut stderr = std::io::stderr().lock();
    for (name, report) in reports {
        for warning in report.warnings() {
            writeln!(stderr, "{name}: {warning}")?;
        }
        errors += report.errors().count();
        policy += report.policy_findings().count();
        let refusing = report.findings.iter().filter(|f| f.severity != Severity::Warning);
        refused.extend(refusing.map(|finding| format!("{name}: {finding}")));
    }
    if !refused.is_empty() {
        bail!("refusing to write: {errors} validation error(s), {policy} policy finding(s)\n{}", refused.join("\n"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use stackwright_template::{LogicalId, Resource, ResourceOptions, Stack, StackName, Template};

    use super::*;

    fn app_with(template: Template) -> App {
        let mut app = App::new();
        app.add_stack(Stack::from_template(StackName::new("web").unwrap(), template).unwrap()).unwrap();
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
        let error =
            crate::commands::synth::to_dir(&app_with(broken()), &out, crate::commands::synth::Options::default())
                .unwrap_err();
        assert_eq!(
            error.to_string(),
            "refusing to write: 1 validation error(s), 1 policy finding(s)\n\
             web: policy[logs/retention] Logs at /Resources/Logs/Properties: RetentionInDays is unset, so CloudWatch \
             keeps the events forever; expected a retention in days (e.g. 365)\n\
             web: error[ref/unknown-target] WebAlertsTopic (Web/Alerts/Topic) at \
             /Resources/WebAlertsTopic/Properties/KmsMasterKeyId: Ref \"Key\" names no resource, parameter or pseudo \
             parameter"
        );
        assert!(!out.exists());
        assert!(
            crate::commands::synth::to_stdout(&app_with(broken()), None, crate::commands::synth::Options::default())
                .is_err()
        );
    }

    #[test]
    fn a_valid_app_passes() {
        let template = Template::from_json_str(r#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#).unwrap();
        assert!(check_app(&app_with(template)).is_ok());
        // CloudFormation refuses a template without resources.
        assert!(check_app(&app_with(Template::new())).is_err());
    }

    #[test]
    fn deferred_stacks_are_built_and_checked_one_at_a_time() {
        let mut app = App::new();
        for (name, template) in [("a-fine", r#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#), ("b-empty", "")] {
            let stack_name = StackName::new(name).unwrap();
            app.add_deferred(stack_name.clone(), move || {
                // CloudFormation refuses a template without resources.
                let template =
                    if template.is_empty() { Template::new() } else { Template::from_json_str(template).unwrap() };
                Stack::from_template(stack_name.clone(), template)
            })
            .unwrap();
        }
        let error = check_app(&app).unwrap_err().to_string();
        assert!(error.starts_with("refusing to write: 1 validation error(s)"), "{error}");
        assert!(error.contains("\nb-empty: error["), "{error}");

        let mut fine = App::new();
        let name = StackName::new("fine").unwrap();
        fine.add_deferred(name.clone(), move || {
            Stack::from_template(
                name.clone(),
                Template::from_json_str(r#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#).unwrap(),
            )
        })
        .unwrap();
        let checked: Vec<String> = check_app(&fine).unwrap().iter().map(ToString::to_string).collect();
        assert_eq!(checked, ["fine"]);
    }

    fn lines(reports: &[(PathBuf, Report)], root: &Path) -> Vec<String> {
        let mut lines = Vec::new();
        for (file, report) in reports {
            let file = file.strip_prefix(root).unwrap_or(file).display().to_string();
            lines.extend(report.findings.iter().map(|finding| finding.located(&file)));
            if report.findings.is_empty() {
                lines.push(format!("{file}: ok"));
            }
        }
        lines
    }

    /// A YAML template with the short forms: the same checks as its JSON spelling.
    const YAML: &str = "\
Resources:
  Key:
    Type: AWS::KMS::Key
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      EnableKeyRotation: true
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: !Ref Kee
      TopicName: !Sub '${AWS::StackName}-${Key.Arnn}'
";

    #[test]
    fn yaml_files_are_checked_with_their_short_forms() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("app.yaml");
        std::fs::write(&file, YAML).unwrap();
        assert_eq!(
            lines(&check_path(&file), dir.path()),
            [
                "app.yaml:11:7: error[ref/unknown-target] Topic at /Resources/Topic/Properties/KmsMasterKeyId: Ref \"Kee\" \
                 names no resource, parameter or pseudo parameter",
                "app.yaml:12:7: error[getatt/unknown-attribute] Topic at /Resources/Topic/Properties/TopicName: \
                 Fn::GetAtt \"Key.Arnn\": AWS::KMS::Key has no attribute \"Arnn\"; expected one of Arn, KeyId",
            ]
        );
        let fixed = YAML.replace("Kee", "Key").replace("Arnn", "Arn");
        std::fs::write(dir.path().join("app.YML"), &fixed).unwrap();
        assert_eq!(lines(&check_path(&dir.path().join("app.YML")), dir.path()), ["app.YML: ok"]);
        // Another extension: YAML unless it starts with `{`, as for `stackwright diff`.
        std::fs::write(dir.path().join("app.template"), &fixed).unwrap();
        std::fs::write(dir.path().join("json.template"), " {\"Resources\": []}").unwrap();
        std::fs::write(dir.path().join("yaml.json"), &fixed).unwrap();
        let found: Vec<String> = ["app.template", "json.template", "yaml.json"]
            .iter()
            .flat_map(|name| lines(&check_path(&dir.path().join(name)), dir.path()))
            .collect();
        assert_eq!(
            found,
            [
                "app.template: ok",
                "json.template:1:3: error[template/parse] at /Resources: expected an object, found a list",
                "yaml.json:1:1: error[template/parse]: not valid JSON: expected value",
            ]
        );
    }

    #[test]
    fn yaml_that_is_not_a_template_is_an_error_finding() {
        let dir = tempfile::tempdir().unwrap();
        let cases: [(&str, &[u8]); 4] = [
            ("unclosed.yaml", b"Resources: [a, b\n"),
            ("two-docs.yml", b"a: 1\n---\nb: 2\n"),
            ("not-utf8.yaml", b"Resources:\n  \xff: 1\n"),
            ("list.yaml", b"- Resources\n"),
        ];
        let mut found = Vec::new();
        for (name, bytes) in cases {
            let file = dir.path().join(name);
            std::fs::write(&file, bytes).unwrap();
            found.extend(lines(&check_path(&file), dir.path()));
        }
        assert_eq!(
            found,
            [
                "unclosed.yaml:2:1: error[template/parse]: not valid YAML: while parsing a flow sequence, expected \
                 ',' or ']'",
                "two-docs.yml:2:1: error[template/parse]: not valid YAML: more than one YAML document; a template is \
                 one",
                "not-utf8.yaml: error[template/unreadable]: not UTF-8 text: invalid byte at offset 13",
                "list.yaml: error[template/parse]: expected an object, found a list",
            ]
        );
    }

    #[test]
    fn a_directory_means_its_json_and_yaml_templates() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.template.yaml"), YAML.replace("Kee", "Key").replace("Arnn", "Arn")).unwrap();
        std::fs::write(dir.path().join("b.template.yml"), "Resources: {T: {Type: AWS::SNS::Topic}}\n").unwrap();
        std::fs::write(dir.path().join("c.template.json"), r#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#)
            .unwrap();
        std::fs::write(dir.path().join("notes.yaml"), "not: a template\n").unwrap();
        assert_eq!(
            lines(&check_path(dir.path()), dir.path()),
            ["a.template.yaml: ok", "b.template.yml: ok", "c.template.json: ok"]
        );
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(
            lines(&check_path(empty.path()), empty.path()),
            [
                ": error[template/unreadable]: the directory has no *.template.json, *.template.yaml or *.template.yml files"
            ]
        );
    }
}
