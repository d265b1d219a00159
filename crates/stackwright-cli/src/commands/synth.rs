//! `synth`: build, validate, render and write every stack, one stack at a time on every core,
//! then swap the whole output in — all files or none.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::BTreeMap;

use stackwright_template::{App, Links, StackName, Template};
use stackwright_validate::Severity;

use crate::output::{MANIFEST_FILE, Manifest, ManifestStack, Staging, hex};
use crate::parallel;

/// CloudFormation's limit on a template body passed inline (`--template-body`,
/// `aws cloudformation deploy --template-file` without `--s3-bucket`).
const MAX_INLINE_BODY: usize = 51_200;

/// How `synth` renders.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Options {
    /// Compact JSON (no whitespace) instead of the two-space pretty form.
    pub(crate) minify: bool,
}

/// What became of one stack: its manifest entry, or why it cannot be written.
struct Outcome {
    entry: Option<ManifestStack>,
    bytes: usize,
    warnings: Vec<String>,
    refused: Vec<String>,
    errors: usize,
    policy: usize,
    failure: Option<String>,
    /// A deferred stack's links once built, for [`App::resolve`].
    links: Option<(StackName, Links)>,
}

pub(crate) fn to_dir(app: &App, out: &Path, options: Options) -> anyhow::Result<()> {
    let (manifest, over) = write(app, out, options)?;
    let mut stderr = std::io::stderr().lock();
    for stack in &manifest.stacks {
        writeln!(stderr, "wrote {} ({} resources)", out.join(&stack.file).display(), stack.resources)?;
    }
    if over > 0 && !options.minify {
        writeln!(
            stderr,
            "note: {over} stack(s) are over the {MAX_INLINE_BODY} bytes CloudFormation accepts inline; \
             `synth --minify` writes compact JSON, which may fit"
        )?;
    }
    Ok(())
}

/// Synthesizes the whole app into `out` (all files or none), printing the validation
/// warnings; returns the manifest written and how many stacks are over the inline limit.
pub(crate) fn write(app: &App, out: &Path, options: Options) -> anyhow::Result<(Manifest, usize)> {
    if app.is_empty() {
        bail!("the app has no stacks to synthesize");
    }
    let missing = app.missing_dependencies();
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|(stack, on)| format!("{stack} depends on {on}")).collect();
        bail!("stacks depend on stacks the app does not hold: {}", list.join("; "));
    }
    // The queue's edges are the dependencies known before building: a finished stack's
    // imports, a deferred stack's declared dependencies. A job starts after those it needs.
    let names = app.order();
    let index: BTreeMap<&StackName, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let deps: Vec<Vec<usize>> = names
        .iter()
        .map(|name| app.dependencies(name).iter().filter_map(|(on, _)| index.get(on).copied()).collect())
        .collect();
    let staging = Staging::new(out)?;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let mut outcomes = parallel::run(&deps, threads, |i| match names.get(i) {
        Some(name) => synth_one(app, name, &staging, options),
        None => Outcome::failed(format!("internal: no stack {i}")),
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;

    let mut stderr = std::io::stderr().lock();
    let (mut refused, mut failures, mut errors, mut policy) = (Vec::new(), Vec::new(), 0, 0);
    for outcome in &outcomes {
        for warning in &outcome.warnings {
            writeln!(stderr, "{warning}")?;
        }
        refused.extend(outcome.refused.iter().cloned());
        failures.extend(outcome.failure.iter().cloned());
        errors += outcome.errors;
        policy += outcome.policy;
    }
    if !failures.is_empty() {
        bail!("nothing written: {}", failures.join("\n"));
    }
    if !refused.is_empty() {
        bail!("refusing to write: {errors} validation error(s), {policy} policy finding(s)\n{}", refused.join("\n"));
    }
    let over = outcomes.iter().filter(|o| o.bytes > MAX_INLINE_BODY).count();
    let resolved = app.resolve(outcomes.iter_mut().filter_map(|o| o.links.take()))?;
    let mut entries: BTreeMap<String, ManifestStack> =
        outcomes.into_iter().filter_map(|o| o.entry).map(|e| (e.name.clone(), e)).collect();
    let mut stacks = Vec::with_capacity(entries.len());
    for name in resolved.order() {
        if let Some(mut entry) = entries.remove(name.as_str()) {
            entry.dependencies =
                resolved.dependencies(name).into_iter().map(|(on, why)| (on.to_string(), why.to_string())).collect();
            entry.placement = resolved.placement(name).cloned();
            stacks.push(entry);
        }
    }
    let manifest = Manifest { stacks };
    staging.write(MANIFEST_FILE, manifest.render().as_bytes())?;
    staging.commit()?;
    Ok((manifest, over))
}

/// Builds, validates, renders and writes one stack; the template is dropped on return.
fn synth_one(app: &App, name: &StackName, staging: &Staging, options: Options) -> Outcome {
    let template = match app.build(name) {
        Ok(template) => template,
        Err(error) => return Outcome::failed(error.to_string()),
    };
    let text = render(&template, options);
    let mut outcome = check(name, &template, text.len());
    if outcome.refused.is_empty() {
        let file = format!("{name}.template.json");
        if let Err(error) = staging.write(&file, text.as_bytes()) {
            return Outcome::failed(format!("{error:#}"));
        }
        let sha256 = hex(&Sha256::digest(text.as_bytes()));
        let resources = template.resources().len();
        outcome.entry = Some(ManifestStack {
            name: name.to_string(),
            file,
            resources,
            sha256,
            dependencies: Vec::new(),
            placement: None,
        });
    }
    if let Cow::Owned(built) = &template {
        outcome.links = Some((name.clone(), app.links(name, built)));
    }
    outcome
}

fn render(template: &Template, options: Options) -> String {
    if options.minify { template.render_compact() } else { template.render() }
}

/// Validates one stack as it will be written (`size` bytes): warnings are kept to be printed,
/// errors and policy findings refuse the whole synth.
fn check(name: &StackName, template: &Template, size: usize) -> Outcome {
    let report = stackwright_validate::validate_with_size(template, size);
    let refusing = report.findings.iter().filter(|f| f.severity != Severity::Warning);
    Outcome {
        entry: None,
        bytes: size,
        warnings: report.warnings().map(|w| format!("{name}: {w}")).collect(),
        refused: refusing.map(|finding| format!("{name}: {finding}")).collect(),
        errors: report.errors().count(),
        policy: report.policy_findings().count(),
        failure: None,
        links: None,
    }
}

impl Outcome {
    fn failed(message: String) -> Self {
        Self {
            entry: None,
            bytes: 0,
            warnings: Vec::new(),
            refused: Vec::new(),
            errors: 0,
            policy: 0,
            failure: Some(message),
            links: None,
        }
    }
}

pub(crate) fn to_stdout(app: &App, stack: Option<&str>, options: Options) -> anyhow::Result<()> {
    let names = app.names();
    let name = if let Some(wanted) = stack {
        let found = names.iter().find(|n| n.as_str() == wanted);
        *found.with_context(|| {
            let names: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
            format!("no stack named {wanted:?}; stacks: {}", names.join(", "))
        })?
    } else {
        match names.as_slice() {
            [only] => *only,
            [] => bail!("the app has no stacks to synthesize"),
            _ => bail!("the app has several stacks: choose one with --stack NAME"),
        }
    };
    let template = app.build(name)?;
    let text = render(&template, options);
    let outcome = check(name, &template, text.len());
    let mut stderr = std::io::stderr().lock();
    for warning in &outcome.warnings {
        writeln!(stderr, "{warning}")?;
    }
    if !outcome.refused.is_empty() {
        bail!(
            "refusing to write: {} validation error(s), {} policy finding(s)\n{}",
            outcome.errors,
            outcome.policy,
            outcome.refused.join("\n")
        );
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use stackwright_template::{Json, LogicalId, Resource, ResourceOptions, Stack};

    use super::*;

    /// A template of `count` wait-condition handles (a type with no properties and no rules
    /// of its own), the first carrying `padding` bytes of metadata.
    fn handles(count: usize, padding: usize) -> Template {
        let mut template = Template::new();
        for i in 0..count {
            let mut options = ResourceOptions::new();
            if i == 0 && padding > 0 {
                options = options.metadata("Padding", Json::from("x".repeat(padding)));
            }
            let handle = Resource::raw("AWS::CloudFormation::WaitConditionHandle", std::collections::BTreeMap::new());
            template.add_resource(LogicalId::new(format!("Handle{i}")).unwrap(), handle, options).unwrap();
        }
        template
    }

    fn deferred(app: &mut App, name: &str, template: Template) {
        let name = StackName::new(name).unwrap();
        let named = name.clone();
        app.add_deferred(name, move || Stack::from_template(named.clone(), template.clone())).unwrap();
    }

    #[test]
    fn quotas_are_checked_per_stack_and_name_the_stack() {
        let mut app = App::new();
        deferred(&mut app, "fine", handles(500, 0));
        deferred(&mut app, "many", handles(501, 0));
        deferred(&mut app, "huge", handles(1, 1_100_000));
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let error = to_dir(&app, &out, Options::default()).unwrap_err().to_string();
        assert_eq!(
            error,
            "refusing to write: 2 validation error(s), 0 policy finding(s)\n\
             huge: error[quota/template-size]: the template body is 1100200 bytes; CloudFormation accepts at most \
             1048576\n\
             many: error[quota/resources] at /Resources: 501 Resources entries; at most 500 are allowed"
        );
        assert!(!out.exists(), "nothing is written");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no staging directory is left");
    }

    #[test]
    fn deferred_stacks_are_written_in_name_order_and_a_failed_build_writes_nothing() {
        let mut app = App::new();
        for name in ["c", "a", "b"] {
            deferred(&mut app, name, handles(2, 0));
        }
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        to_dir(&app, &out, Options { minify: true }).unwrap();
        let manifest: Json = serde_json::from_slice(&std::fs::read(out.join(MANIFEST_FILE)).unwrap()).unwrap();
        let names: Vec<&str> =
            manifest["stacks"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(
            std::fs::read_to_string(out.join("a.template.json")).unwrap(),
            "{\"AWSTemplateFormatVersion\":\"2010-09-09\",\"Resources\":{\"Handle0\":{\"Type\":\"AWS::CloudFormation::WaitConditionHandle\"},\
             \"Handle1\":{\"Type\":\"AWS::CloudFormation::WaitConditionHandle\"}}}\n"
        );
        app.add_deferred(StackName::new("d").unwrap(), || Err::<Stack, _>("the props break a rule")).unwrap();
        let error = to_dir(&app, &out, Options::default()).unwrap_err().to_string();
        assert_eq!(error, "nothing written: stack \"d\" could not be built: the props break a rule");
        assert!(out.join("a.template.json").is_file(), "the previous output is kept");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn deferred_importers_wait_for_their_exporters_and_the_manifest_records_the_order() {
        let net = Template::from_json_str(
            r#"{"Resources": {"H": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
                "Outputs": {"Vpc": {"Value": {"Ref": "H"}, "Export": {"Name": "z-net:Vpc"}}}}"#,
        )
        .unwrap();
        let web = Template::from_json_str(
            r#"{"Resources": {"H": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
                "Outputs": {"Vpc": {"Value": {"Fn::ImportValue": "z-net:Vpc"}}}}"#,
        )
        .unwrap();
        let mut app = App::new();
        let after: std::collections::BTreeMap<StackName, String> =
            [(StackName::new("z-net").unwrap(), "imports z-net:Vpc".to_owned())].into();
        let importer = web.clone();
        app.add_deferred_after(StackName::new("a-web").unwrap(), None, after, move || {
            Stack::from_template(StackName::new("a-web")?, importer.clone())
        })
        .unwrap();
        deferred(&mut app, "z-net", net);
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        to_dir(&app, &out, Options::default()).unwrap();
        let manifest: Json = serde_json::from_slice(&std::fs::read(out.join(MANIFEST_FILE)).unwrap()).unwrap();
        let names: Vec<&str> =
            manifest["stacks"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["z-net", "a-web"]);
        assert_eq!(
            manifest["stacks"][1]["dependencies"],
            serde_json::json!([{"stack": "z-net", "reason": "imports z-net:Vpc"}])
        );

        // The same importer without the declaration: refused, nothing written.
        let mut app = App::new();
        deferred(&mut app, "a-web", web);
        deferred(
            &mut app,
            "z-net",
            Template::from_json_str(&std::fs::read_to_string(out.join("z-net.template.json")).unwrap()).unwrap(),
        );
        let fresh = dir.path().join("fresh");
        let error = to_dir(&app, &fresh, Options::default()).unwrap_err().to_string();
        assert!(error.starts_with("stack \"a-web\" depends on stack \"z-net\" (imports z-net:Vpc)"), "{error}");
        assert!(!fresh.exists());
    }
}
