//! Template checks that run in milliseconds, before anything leaves the machine.
//!
//! [`validate`] checks a [`Template`] for what CloudFormation would reject — `Ref`,
//! `Fn::GetAtt` and `Fn::Sub` targets and attributes, conditions, mappings, `DependsOn`,
//! dependency cycles, quotas, duplicate exports, and every resource's properties against its
//! type's registry schema (`schema/*` rules; the whole `us-east-1` registry, from
//! `stackwright-registry`; [`Report::unchecked`] lists what could not be checked) — and for the ECS, IAM, logging and
//! CodeBuild mistakes the public linters miss. Every [`Finding`] names its rule (a stable id listed in
//! [`RULES`]), the logical ID and construct path, a JSON pointer to the offending value, and
//! a message with the value found and what was expected.
//!
//! [`validate_bytes`] and [`validate_source`] read a JSON template file, [`validate_yaml_bytes`]
//! and [`validate_yaml_source`] a YAML one (short-form tags included, alias expansion bounded),
//! [`validate_file_bytes`] either: whatever is wrong with the input is a finding, never a
//! panic, and every finding carries the line and column it is about.
//!
//! Each finding has a level ([`Severity`]): an *error* is what CloudFormation would reject,
//! and only that; a *warning* is accepted but costs or misleads; a *policy* finding breaks one
//! of Stackwright's own security, hygiene or delivery rules, which CloudFormation does not
//! make. The policy rules can be acknowledged per resource, with a written reason, in the
//! resource's `Metadata`:
//!
//! ```json
//! "Metadata": {"stackwright": {"acknowledge": [{"rule": "logs/retention", "reason": "kept by a legal hold"}]}}
//! ```
//!
//! ```
//! use stackwright_template::Template;
//! let template = Template::from_json_str(r#"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic",
//!     "Properties": {"KmsMasterKeyId": {"Ref": "Key"}}}}}"#).unwrap();
//! let report = stackwright_validate::validate(&template);
//! assert!(report.has_errors());
//! assert_eq!(
//!     report.findings[0].to_string(),
//!     "error[ref/unknown-target] Topic at /Resources/Topic/Properties/KmsMasterKeyId: \
//!      Ref \"Key\" names no resource, parameter or pseudo parameter"
//! );
//! ```

mod acknowledge;
mod cidrs;
mod codebuild;
mod conditions;
mod cycles;
mod ecs;
mod finding;
mod formats;
mod iam;
mod identifiers;
mod import_value;
mod json;
mod lambda;
mod language;
mod logs;
mod modules;
mod nulls;
mod parameters;
mod pipeline;
mod pipeline_stages;
mod policy_document;
mod quotas;
mod references;
mod required_if;
mod rules;
mod schema;
mod sections;
mod service_names;
mod services;
mod snapshot;
mod source;

pub use finding::{Finding, Report, Severity, Unchecked, UncheckedReason};
pub use rules::{RULES, Rule, rule};
use stackwright_template::Template;
pub use stackwright_template::read::{Format, Position};

/// Checks `template`; its size is measured on its canonical rendering (what `synth` writes).
pub fn validate(template: &Template) -> Report {
    validate_with_size(template, template.render().len())
}

/// Checks `template`, whose body as uploaded is `body_bytes` long.
pub fn validate_with_size(template: &Template, body_bytes: usize) -> Report {
    let mut findings = Vec::new();
    // One walk of every use of a name, for both checks that need them.
    let sites = references::sites(template);
    references::check(template, &sites, &mut findings);
    conditions::check(template, &mut findings);
    cycles::check(template, &sites, &mut findings);
    drop(sites);
    quotas::check(template, body_bytes, &mut findings);
    ecs::check(template, &mut findings);
    iam::check(template, &mut findings);
    policy_document::check(template, &mut findings);
    lambda::check(template, &mut findings);
    logs::check(template, &mut findings);
    modules::check(template, &mut findings);
    codebuild::check(template, &mut findings);
    pipeline::check(template, &mut findings);
    pipeline_stages::check(template, &mut findings);
    sections::check(template, &mut findings);
    snapshot::check(template, &mut findings);
    identifiers::check(template, &mut findings);
    parameters::check(template, &mut findings);
    services::check(template, &mut findings);
    service_names::check(template, &mut findings);
    import_value::check(template, &mut findings);
    formats::check(template, &mut findings);
    cidrs::check(template, &mut findings);
    required_if::check(template, &mut findings);
    let mut unchecked = Vec::new();
    schema::check(template, &mut findings, &mut unchecked);
    let mut report = acknowledge::apply(template, findings);
    report.unchecked = unchecked;
    for finding in report.findings.iter_mut().chain(report.acknowledged.iter_mut()) {
        finding.owner = owner(template, finding);
    }
    report.sort();
    report
}

/// Checks a JSON template file's bytes: invalid UTF-8 is a finding (with the byte offset),
/// like every other reason the bytes are not a template. Findings carry their line and column.
pub fn validate_bytes(bytes: &[u8]) -> Report {
    validate_file_bytes(bytes, Format::Json)
}

/// Checks a YAML template file's bytes (short-form tags such as `!Ref` included, read by
/// [`stackwright_template::read`]): invalid UTF-8, YAML that does not parse and YAML that is
/// not a template are findings, like [`validate_bytes`]'s.
pub fn validate_yaml_bytes(bytes: &[u8]) -> Report {
    validate_file_bytes(bytes, Format::Yaml)
}

/// Checks a template file's bytes read as `format` ([`Format::detect`] decides from the file
/// name and text). Findings carry their line and column; keys written twice are findings too.
pub fn validate_file_bytes(bytes: &[u8], format: Format) -> Report {
    match std::str::from_utf8(bytes) {
        Ok(text) => source::check(text, format),
        Err(error) => not_utf8(&error),
    }
}

/// Parses and checks a template's YAML text; the size quotas apply to the YAML body, the one
/// CloudFormation receives.
pub fn validate_yaml_source(text: &str) -> Report {
    source::check(text, Format::Yaml)
}

fn not_utf8(error: &std::str::Utf8Error) -> Report {
    Report::from_findings(vec![Finding::new(
        "template/unreadable",
        "",
        format!("not UTF-8 text: invalid byte at offset {}", error.valid_up_to()),
    )])
}

/// Parses and checks a template's JSON text. A document that is not a template (invalid
/// JSON, too deeply nested, wrong types, logical IDs CloudFormation rejects) is reported as
/// findings too, never as a panic.
pub fn validate_source(text: &str) -> Report {
    source::check(text, Format::Json)
}

/// Checks a template already parsed to JSON (from YAML, say), whose body as uploaded is
/// `body_bytes` long. Like [`validate_source`], a document that is not a template is reported
/// as findings.
pub fn validate_json(json: &serde_json::Value, body_bytes: usize) -> Report {
    // `AWS::LanguageExtensions` first: the checks judge the template CloudFormation expands.
    let mut language = Vec::new();
    nulls::check(json, &mut language);
    let expanded = language::expand(json, &mut language);
    let source = expanded.as_ref().map_or(json, |e| &e.json);
    // A loop without the transform leaves a section CloudFormation cannot read.
    let unreadable =
        language.iter().any(|f| f.rule == "language/transform-required" && f.pointer.split('/').count() == 3);
    let mut findings = Vec::new();
    quotas::check_source(source, body_bytes, &mut findings);
    let overflow = expanded.as_ref().is_some_and(|e| e.overflow);
    let mut report = if unreadable || overflow || !findings.is_empty() {
        Report::from_findings(findings)
    } else {
        match Template::from_json(source) {
            Ok(template) => validate_with_size(&template, body_bytes),
            Err(stackwright_template::Error::Parse { pointer, message }) => {
                Report::from_findings(vec![Finding::new("template/parse", pointer, message)])
            }
            Err(other) => Report::from_findings(vec![Finding::new("template/parse", "", other.to_string())]),
        }
    };
    if let Some(expanded) = expanded {
        for finding in report.findings.iter_mut().chain(report.acknowledged.iter_mut()) {
            if let Some(original) = expanded.original(&finding.pointer) {
                finding.pointer = original;
            }
        }
        report.unchecked.extend(expanded.unexpanded);
    }
    report.findings.extend(language);
    report.sort();
    report
}

/// The construct path that added the finding's entry, when it says more than the default
/// `Section/LogicalId`.
fn owner(template: &Template, finding: &Finding) -> Option<String> {
    let id = finding.logical_id.as_deref()?;
    let section = finding.pointer.split('/').nth(1)?;
    let logical_id = stackwright_template::LogicalId::new(id).ok()?;
    let owner = template.owner_of(section, &logical_id)?;
    (owner != format!("{section}/{id}")).then(|| owner.to_owned())
}
