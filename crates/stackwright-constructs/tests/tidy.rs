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
