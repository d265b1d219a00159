//! Acknowledgements: a resource may accept a finding of an acknowledgeable rule with a
//! written reason, the way checkov skips work:
//! `"Metadata": {"stackwright": {"acknowledge": [{"rule": "<id>", "reason": "<why>"}]}}`.

use std::collections::BTreeSet;

use stackwright_template::{Json, Template};

use crate::finding::{Finding, Report};
use crate::json::{pointer, show};

pub(crate) fn apply(template: &Template, findings: Vec<Finding>) -> Report {
    let mut problems = Vec::new();
    // (logical ID, rule, pointer of the acknowledgement)
    let mut accepted: Vec<(String, &'static str, String)> = Vec::new();
    for (id, resource) in template.resources() {
        let Some(block) = resource.metadata.get("stackwright") else { continue };
        let at = format!("{}/Metadata/stackwright", pointer("/Resources", id.as_str()));
        let mut push =
            |rule, at: String, message: String| problems.push(Finding::new(rule, at, message).about(id.as_str()));
        let Some(items) = block.get("acknowledge").and_then(Json::as_array) else {
            push(
                "acknowledge/malformed",
                at,
                format!("found {}; expected {{\"acknowledge\": [{{\"rule\": …, \"reason\": …}}]}}", show(block)),
            );
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            let item_at = format!("{at}/acknowledge/{i}");
            let Some(rule) = item.get("rule").and_then(Json::as_str) else {
                push(
                    "acknowledge/malformed",
                    item_at,
                    format!("found {}; expected {{\"rule\": \"<id>\", \"reason\": \"<why>\"}}", show(item)),
                );
                continue;
            };
            let Some(known) = crate::rule(rule).filter(|r| r.acknowledgeable) else {
                let message = match crate::rule(rule).map(|r| r.severity) {
                    None => format!("{rule:?} is not a rule id; see docs/VALIDATE.md for the rules"),
                    Some(crate::Severity::Error) => format!(
                        "{rule:?} is an error rule, which cannot be acknowledged: an acknowledgement cannot make \
                         CloudFormation accept the template; only policy rules can be"
                    ),
                    Some(crate::Severity::Warning) => format!(
                        "{rule:?} is a warning rule, which cannot be acknowledged (it fails nothing unless denied); \
                         only policy rules can be"
                    ),
                    Some(crate::Severity::Policy) => {
                        format!("{rule:?} is about acknowledgements themselves and cannot be acknowledged")
                    }
                };
                push("acknowledge/unknown-rule", format!("{item_at}/rule"), message);
                continue;
            };
            match item.get("reason").and_then(Json::as_str).map(str::trim) {
                Some(reason) if !reason.is_empty() => accepted.push((id.as_str().to_owned(), known.id, item_at)),
                _ => push(
                    "acknowledge/missing-reason",
                    item_at,
                    format!("acknowledging {rule:?} needs a non-empty \"reason\" saying why it does not apply"),
                ),
            }
        }
    }
    let mut used = BTreeSet::new();
    let (mut kept, mut acknowledged) = (Vec::new(), Vec::new());
    for finding in findings {
        let matched = accepted.iter().position(|(id, rule, _)| {
            finding.logical_id.as_deref() == Some(id.as_str())
                && *rule == finding.rule
                && finding.pointer.starts_with(&format!("{}/", pointer("/Resources", id)))
        });
        match matched {
            Some(index) => {
                used.insert(index);
                acknowledged.push(finding);
            }
            None => kept.push(finding),
        }
    }
    for (index, (id, rule, at)) in accepted.into_iter().enumerate() {
        if !used.contains(&index) {
            let message = format!("acknowledges {rule:?}, which has no finding on this resource; remove it");
            kept.push(Finding::new("acknowledge/unused", at, message).about(id));
        }
    }
    kept.extend(problems);
    Report { findings: kept, acknowledged, unchecked: Vec::new() }
}
