//! GitHub Actions workflow commands: one annotation per changed resource, placed at the line
//! that declares it in a file of the pull request (a template, or the insta snapshot that
//! holds it), so the change is marked inline in the PR's diff.
//!
//! `::warning file=…,line=…,title=…::message`: replace, may replace, destroy, orphan and
//! security broadening are warnings, data loss an error, create and update notices. GitHub's
//! escaping rules for workflow commands (those of `@actions/core`): in the message, `%`, CR
//! and LF are written `%25`, `%0D`, `%0A`; in a property value, also `:` and `,` (`%3A`,
//! `%2C`), which would otherwise end the value.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::{Impact, ResourceChange};
use crate::security::Direction;
use crate::stacks::StackDiff;

/// A file to point a stack's annotations at: its path as the workflow sees it (relative to
/// the repository root), and its text (to find each resource's line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotatedFile {
    /// The path printed in `file=`.
    pub path: String,
    /// The file's text.
    pub text: String,
}

/// The annotations of `stacks`, one line each; `files` maps a stack name to its file. A stack
/// without a file gets annotations without a place (shown on the workflow run's summary).
pub fn render_github(stacks: &[StackDiff], files: &BTreeMap<String, AnnotatedFile>) -> String {
    let mut out = String::new();
    for stack in stacks {
        for unread in &stack.unread {
            let mut properties = vec![format!("file={}", escape_property(&unread.file))];
            if let Some(position) = unread.position {
                properties.push(format!("line={},col={}", position.line, position.column));
            }
            properties.push(format!("title={}", escape_property("Stackwright: left out of the diff")));
            let message = format!("{}: {}", unread.pointer, unread.message);
            let _ = writeln!(out, "::warning {}::{}", properties.join(","), escape_data(&message));
        }
        let file = files.get(&stack.name);
        let broadening: BTreeMap<&str, Vec<String>> = broadening_by_resource(stack);
        let mut ids: Vec<&str> = stack.diff.resources.keys().map(String::as_str).collect();
        ids.extend(broadening.keys().filter(|id| !stack.diff.resources.contains_key(**id)));
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            let change = stack.diff.resources.get(id);
            let widened = broadening.get(id);
            let level = match change {
                Some(c) if c.data_loss => "error",
                Some(c)
                    if matches!(c.impact, Impact::Replace | Impact::MayReplace | Impact::Destroy | Impact::Orphan) =>
                {
                    "warning"
                }
                _ if widened.is_some() => "warning",
                _ => "notice",
            };
            let mut properties = Vec::new();
            if let Some(file) = file {
                properties.push(format!("file={}", escape_property(&file.path)));
                properties.push(format!("line={}", line_of(&file.text, id)));
            }
            let what = change.map_or("security change", |c| c.impact.as_str());
            properties.push(format!("title={}", escape_property(&format!("Stackwright: {id} {what}"))));
            let message = message(id, change, widened.map(Vec::as_slice).unwrap_or_default());
            let _ = writeln!(out, "::{level} {}::{}", properties.join(","), escape_data(&message));
        }
    }
    out
}

/// The reasons of every broadening change, by resource.
fn broadening_by_resource(stack: &StackDiff) -> BTreeMap<&str, Vec<String>> {
    let mut found: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let security = &stack.diff.security;
    for change in security.iam.iter().filter(|c| c.direction == Direction::Broadening) {
        found.entry(&change.resource).or_default().push(format!(
            "IAM {} broadening: {}",
            change.policy,
            change.reasons.join("; ")
        ));
    }
    for change in security.security_groups.iter().filter(|c| c.direction == Direction::Broadening) {
        found
            .entry(&change.resource)
            .or_default()
            .push(format!("security group broadening: {}", change.reasons.join("; ")));
    }
    found
}

/// The message: what happens and why, one reason per line.
fn message(id: &str, change: Option<&ResourceChange>, broadening: &[String]) -> String {
    let mut lines = Vec::new();
    if let Some(change) = change {
        let loss = if change.data_loss { " (data loss)" } else { "" };
        lines.push(format!("{id} ({}): {}{loss}", change.resource_type(), change.impact));
        lines.extend(change.reasons.iter().map(ToString::to_string));
    }
    lines.extend(broadening.iter().cloned());
    lines.join("\n")
}

/// The 1-based line declaring resource `id` in a template (JSON or YAML) or snapshot text:
/// the first line after the `Resources` key that starts with its key; else the `Resources`
/// line; else 1.
pub(crate) fn line_of(text: &str, id: &str) -> usize {
    let json_key = format!("\"{id}\":");
    let yaml_key = format!("{id}:");
    let mut resources = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        match resources {
            None if trimmed.starts_with("\"Resources\":") || trimmed.starts_with("Resources:") => {
                resources = Some(index + 1);
            }
            Some(_) if trimmed.starts_with(&json_key) || trimmed.starts_with(&yaml_key) => return index + 1,
            _ => {}
        }
    }
    resources.unwrap_or(1)
}

/// A workflow command's message: `%`, CR and LF escaped.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value: as [`escape_data`], and `:` and `,` too.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use stackwright_template::Template;

    use super::*;

    #[test]
    fn escapes_follow_the_workflow_command_rules() {
        assert_eq!(escape_data("50%\r\nnext: a,b"), "50%25%0D%0Anext: a,b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn finds_the_resource_line_in_json_and_yaml() {
        let json = "{\n  \"Outputs\": {\"Repo\": 1},\n  \"Resources\": {\n    \"Other\": {},\n    \"Repo\": {\n";
        assert_eq!(line_of(json, "Repo"), 5);
        assert_eq!(line_of(json, "Gone"), 3);
        assert_eq!(line_of("Resources:\n  Repo:\n    Type: X\n", "Repo"), 2);
        assert_eq!(line_of("", "Repo"), 1);
    }

    #[test]
    fn one_annotation_per_changed_resource_at_its_line() {
        let old = Template::from_json_str(
            r#"{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "a"}}}}"#,
        )
        .unwrap();
        let text = "{\n  \"Resources\": {\n    \"Repo\": {\n      \"Type\": \"AWS::ECR::Repository\", \"Properties\": {\"RepositoryName\": \"b\"}\n    }\n  }\n}\n";
        let new = Template::from_json_str(text).unwrap();
        let stacks = vec![StackDiff::new("s", &old, &new)];
        let files = BTreeMap::from([(
            "s".to_owned(),
            AnnotatedFile { path: "snapshots/app__s,1.snap".to_owned(), text: text.to_owned() },
        )]);
        assert_eq!(
            render_github(&stacks, &files),
            "::error file=snapshots/app__s%2C1.snap,line=3,title=Stackwright%3A Repo replace::Repo \
             (AWS::ECR::Repository): replace (data loss)%0A/Properties/RepositoryName is create-only: \
             changing it forces replacement\n"
        );
    }
}
