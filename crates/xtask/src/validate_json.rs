//! Reading `stackwright validate --format json`, for the fixture-parity phase.
//!
//! Only what the comparison needs is read, and leniently, so that the output may gain fields
//! (a `version` bump that keeps `files`, `line`/`column`, new levels such as `policy`) without
//! breaking the phase: a finding's level is its `level` field, or its `severity` field when it
//! has no `level`; only the level `error` counts as an error.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

/// One finding of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    /// `error`, `warning`, `policy`…
    pub(crate) level: String,
    pub(crate) rule: String,
    /// The JSON pointer (`""` for the whole document).
    pub(crate) pointer: String,
    /// The entry it is about (for a loop of `AWS::LanguageExtensions`, the entry it expanded to).
    pub(crate) logical_id: Option<String>,
    pub(crate) message: String,
}

impl Finding {
    pub(crate) fn is_error(&self) -> bool {
        self.level == "error"
    }
}

/// File path (as given on the command line) -> its findings (acknowledged ones left out: they
/// are accepted, not reported).
pub(crate) fn parse(stdout: &str) -> Result<BTreeMap<String, Vec<Finding>>> {
    let report: Value = serde_json::from_str(stdout).context("not JSON")?;
    let Some(files) = report.get("files").and_then(Value::as_array) else {
        bail!("no `files` array (output version {})", report.get("version").unwrap_or(&Value::Null));
    };
    let mut by_file = BTreeMap::new();
    for file in files {
        let path = file.get("path").and_then(Value::as_str).context("a file without a `path`")?;
        let findings = file.get("findings").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        let findings =
            findings.iter().map(finding).collect::<Result<Vec<_>>>().with_context(|| format!("in {path}"))?;
        by_file.insert(path.to_owned(), findings);
    }
    Ok(by_file)
}

fn finding(value: &Value) -> Result<Finding> {
    let text = |key: &str| value.get(key).and_then(Value::as_str);
    let level = text("level").or_else(|| text("severity")).context("a finding without a level or severity")?;
    Ok(Finding {
        level: level.to_owned(),
        rule: text("rule").unwrap_or_default().to_owned(),
        pointer: text("pointer").unwrap_or_default().to_owned(),
        logical_id: text("logical_id").map(str::to_owned),
        message: text("message").unwrap_or_default().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn version_1_output_is_read() {
        let out = r#"{"version": 1, "files": [{"path": "a.json", "errors": 1, "warnings": 0, "findings": [
            {"severity": "error", "rule": "ref/unknown-target", "logical_id": "S", "construct_path": null,
             "pointer": "/Resources/S/Properties/Cluster", "message": "m"}], "acknowledged": []}]}"#;
        let files = parse(out).unwrap();
        let finding = &files["a.json"][0];
        assert!(finding.is_error());
        assert_eq!(finding.pointer, "/Resources/S/Properties/Cluster");
        assert_eq!(finding.rule, "ref/unknown-target");
    }

    #[test]
    fn new_fields_and_levels_are_tolerated() {
        let out = r#"{"version": 2, "files": [{"path": "a.yaml", "policy": 1, "findings": [
            {"level": "policy", "severity": "error", "rule": "iam/wildcard-action", "pointer": "/Resources/R",
             "line": 3, "column": 5, "message": "m"},
            {"level": "warning", "rule": "x", "pointer": "", "message": "m"}]}]}"#;
        let files = parse(out).unwrap();
        assert_eq!(files["a.yaml"].len(), 2);
        assert!(files["a.yaml"].iter().all(|finding| !finding.is_error()), "`level` wins over `severity`");
    }

    #[test]
    fn output_without_files_is_refused() {
        assert!(parse(r#"{"version": 3, "templates": []}"#).is_err());
        assert!(parse("thread 'main' panicked").is_err());
        assert!(parse(r#"{"files": [{"path": "a", "findings": [{"rule": "r"}]}]}"#).is_err());
    }
}
