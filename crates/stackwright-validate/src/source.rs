//! Template files: read by [`stackwright_template::read`] (JSON or YAML), checked, and every
//! finding given the line and column it is about. Keys written twice are findings too.

use stackwright_template::read::{self, Document, DuplicateKey, Format};

use crate::finding::{Finding, Report, about};

/// Reads and checks a template file's text.
pub(crate) fn check(text: &str, format: Format) -> Report {
    let document = match read::read(text, format) {
        Ok(document) => document,
        Err(error) => {
            let message = format!("not valid {format}: {}", error.message);
            return Report::from_findings(vec![Finding::new("template/parse", "", message).at(error.position)]);
        }
    };
    let mut report = crate::validate_json(&document.value, text.len());
    report.findings.extend(document.duplicates.iter().map(duplicate));
    locate(&mut report, &document);
    report.sort();
    report
}

/// A key written again: CloudFormation takes the template and keeps the last value, so the
/// earlier ones are dropped without a word (cfn-lint calls it an error, E0000).
fn duplicate(duplicate: &DuplicateKey) -> Finding {
    let message = format!(
        "{:?} is written again in this object (before, at line {}, column {}); CloudFormation keeps the last \
         value and ignores the earlier ones",
        duplicate.key, duplicate.previous.line, duplicate.previous.column
    );
    let finding = Finding::new("template/duplicate-key", duplicate.pointer.clone(), message).at(duplicate.position);
    about(finding, &duplicate.pointer)
}

/// Gives each finding about a value (not the whole document) the position of that value.
fn locate(report: &mut Report, document: &Document) {
    for finding in report.findings.iter_mut().chain(report.acknowledged.iter_mut()) {
        if finding.position.is_none() && !finding.pointer.is_empty() {
            finding.position = document.positions.locate(&finding.pointer);
        }
    }
}
