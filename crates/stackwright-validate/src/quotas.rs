//! CloudFormation quotas (resources, parameters, outputs, mappings, logical IDs, body size,
//! description) and duplicate export names.

use std::collections::BTreeMap;

use stackwright_template::logical_id::MAX_LOGICAL_ID_LEN;
use stackwright_template::{Json, LogicalId, Template};

use crate::finding::Finding;
use crate::json::{pointer, show};

/// The most resources a template may declare.
pub(crate) const MAX_RESOURCES: usize = 500;
/// The most parameters, outputs or mappings a template may declare (each).
pub(crate) const MAX_ENTRIES: usize = 200;
/// The largest body `CreateStack` accepts inline; larger ones go through S3.
pub(crate) const MAX_INLINE_BODY: usize = 51_200;
/// The largest body CloudFormation accepts from S3.
pub(crate) const MAX_BODY: usize = 1_048_576;
/// The longest template description, in bytes.
pub(crate) const MAX_DESCRIPTION: usize = 1024;

const SECTIONS: [&str; 5] = ["Parameters", "Mappings", "Conditions", "Resources", "Outputs"];

pub(crate) fn check(template: &Template, body_bytes: usize, out: &mut Vec<Finding>) {
    let counts = [
        ("quota/resources", "Resources", template.resources().len(), MAX_RESOURCES),
        ("quota/parameters", "Parameters", template.parameters().len(), MAX_ENTRIES),
        ("quota/outputs", "Outputs", template.outputs().len(), MAX_ENTRIES),
        ("quota/mappings", "Mappings", template.mappings().len(), MAX_ENTRIES),
    ];
    // A transform (SAM, macros) may add the resources the template does not show.
    if template.resources().is_empty() && !template.other_sections.contains_key("Transform") {
        let message = "the template has no resource; CloudFormation requires at least one";
        out.push(Finding::new("template/no-resources", "/Resources", message));
    }
    for (rule, section, count, max) in counts {
        if count > max {
            out.push(Finding::new(
                rule,
                format!("/{section}"),
                format!("{count} {section} entries; at most {max} are allowed"),
            ));
        }
    }
    if body_bytes > MAX_BODY {
        let message = format!("the template body is {body_bytes} bytes; CloudFormation accepts at most {MAX_BODY}");
        out.push(Finding::new("quota/template-size", "", message));
    } else if body_bytes > MAX_INLINE_BODY {
        let message = format!(
            "the template body is {body_bytes} bytes, over the {MAX_INLINE_BODY} accepted inline: deploy it through an S3 upload (TemplateURL)"
        );
        out.push(Finding::new("quota/template-size-s3", "", message));
    }
    if let Some(description) = &template.description
        && description.len() > MAX_DESCRIPTION
    {
        let message = format!("the description is {} bytes; at most {MAX_DESCRIPTION} are allowed", description.len());
        out.push(Finding::new("quota/description", "/Description", message));
    }
    duplicate_exports(template, out);
}

fn duplicate_exports(template: &Template, out: &mut Vec<Finding>) {
    let mut first: BTreeMap<String, &LogicalId> = BTreeMap::new();
    for (id, output) in template.outputs() {
        let Some(name) = &output.export_name else { continue };
        let key = name.to_string();
        match first.get(&key) {
            Some(owner) => {
                let at = format!("{}/Export/Name", pointer("/Outputs", id.as_str()));
                let message = format!(
                    "export name {} is already exported by output {owner}; export names are unique",
                    show(name)
                );
                out.push(Finding::new("output/duplicate-export", at, message).about(id.as_str()));
            }
            None => {
                first.insert(key, id);
            }
        }
    }
}

/// Checks on the raw document that the template model cannot hold: logical IDs it would
/// refuse to parse, reported all at once rather than the first as a parse error.
pub(crate) fn check_source(json: &Json, _body_bytes: usize, out: &mut Vec<Finding>) {
    for section in SECTIONS {
        let Some(entries) = json.get(section).and_then(Json::as_object) else { continue };
        // A loop of `AWS::LanguageExtensions` is expanded, or reported, by `language`.
        for key in entries.keys().filter(|key| !key.starts_with(crate::language::FOR_EACH)) {
            if let Err(error) = LogicalId::new(key.as_str()) {
                let reason = match error {
                    stackwright_template::Error::InvalidLogicalId { reason, .. } => reason,
                    _ => "it is not a valid logical ID",
                };
                let shown: String = key.chars().take(40).collect();
                let message = format!(
                    "logical ID {shown:?}{} is invalid: {reason}; expected 1 to {MAX_LOGICAL_ID_LEN} ASCII letters and digits",
                    if shown.len() < key.len() { "…" } else { "" }
                );
                out.push(Finding::new("quota/logical-id", pointer(&format!("/{section}"), key), message));
            }
        }
    }
}
