//! House rules of the construct layer, checked over the source.

use std::fs;
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every public field of a `…Props` struct documents its default (or that it is required), the
/// way CDK's `@default` does: a reader never has to open the constructor to know it.
#[test]
fn every_props_field_states_its_default() {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut missing = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).expect("a source file");
        let mut in_props = false;
        let mut doc = String::new();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.starts_with("pub struct ") && line.contains("Props") && line.ends_with('{') {
                in_props = true;
            } else if in_props && line == "}" {
                in_props = false;
            } else if in_props && line.starts_with("///") {
                doc.push_str(line);
            } else if in_props && line.starts_with("pub ") {
                if !doc.contains("**Default:**") && !doc.contains("**Required.**") {
                    missing.push(format!("{}:{}: {line}", file.display(), number + 1));
                }
                doc.clear();
            } else if !line.starts_with("#[") {
                doc.clear();
            }
        }
    }
    assert!(
        missing.is_empty(),
        "props fields without a `**Default:**` (or `**Required.**`) line:\n{}",
        missing.join("\n")
    );
}

fn is_rule_id(text: &str) -> bool {
    let mut parts = text.split('/');
    let (Some(scope), Some(name), None) = (parts.next(), parts.next(), parts.next()) else { return false };
    [scope, name]
        .iter()
        .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
}

/// The rule ids a source text checks: the first rule-shaped string literal of each
/// `require(..)` and `fail(..)` call.
fn rule_ids(text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for call in ["require(", "fail("] {
        for (at, _) in text.match_indices(call) {
            let window = &text[at..text.len().min(at + 400)];
            let literal = window.split('"').skip(1).step_by(2).find(|s| is_rule_id(s));
            if let Some(id) = literal {
                ids.push(id.to_owned());
            }
        }
    }
    ids
}

/// Rules not reachable from props: a broken embedded buildspec template, which the buildspec
/// snapshot tests would catch first.
const INTERNAL: &[&str] = &["codebuild-buildspec/render"];

/// Every validation rule a construct checks is asserted by a test through its error text,
/// which ends with `[rule/id]`: the message is part of the contract.
#[test]
fn every_rule_has_a_test_asserting_its_error_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    sources(&root.join("tests"), &mut files);
    let texts: Vec<String> = files.iter().map(|f| fs::read_to_string(f).expect("a source file")).collect();
    let mut rules: Vec<String> = texts.iter().flat_map(|t| rule_ids(t)).collect();
    rules.sort();
    rules.dedup();
    assert!(rules.len() > 100, "found only {} rule ids: is the scan broken?", rules.len());
    let untested: Vec<&String> = rules
        .iter()
        .filter(|rule| !INTERNAL.contains(&rule.as_str()))
        .filter(|rule| !texts.iter().any(|t| t.contains(&format!("[{rule}]"))))
        .collect();
    assert!(untested.is_empty(), "rules no test asserts (`[rule]` in an expected error text): {untested:?}");
}
