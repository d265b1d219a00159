//! Where `diff --format github` points each stack's annotations: the stack's insta snapshot
//! when `--snapshots DIR` holds one (`<name>__<stack>.snap`, as the project's snapshot tests
//! name them), else the new template file (the old one for a removed stack). A stack built in
//! memory (`--baseline`) without a snapshot gets annotations without a place.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use stackwright_diff::{AnnotatedFile, StackDiff, StackStatus};

use super::diff::{Inputs, stack_files};

pub(crate) fn files(
    inputs: Inputs<'_>,
    stacks: &[StackDiff],
    snapshots: Option<&Path>,
) -> anyhow::Result<BTreeMap<String, AnnotatedFile>> {
    let mut found = BTreeMap::new();
    if let Some(dir) = snapshots {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .with_context(|| format!("--snapshots {}: cannot read the directory", dir.display()))?
            .filter_map(Result::ok)
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for stack in stacks {
            let exact = format!("{}.snap", stack.name);
            let suffix = format!("__{}.snap", stack.name);
            if let Some(name) = names.iter().find(|n| **n == exact || n.ends_with(&suffix)) {
                found.insert(stack.name.clone(), annotated(&dir.join(name))?);
            }
        }
    }
    let (old, new) = match inputs {
        Inputs::Paths { old, new } => (stack_files(old)?, stack_files(new)?),
        Inputs::Baseline { old, .. } => (stack_files(old)?, Vec::new()),
    };
    let single = stacks.len() == 1;
    for stack in stacks {
        if found.contains_key(&stack.name) {
            continue;
        }
        let side = if stack.status == StackStatus::Removed { &old } else { &new };
        // One template against another: whatever the files are called, they are this stack.
        let file =
            side.iter().find(|(name, _)| *name == stack.name).or(side.first().filter(|_| single && side.len() == 1));
        if let Some((_, path)) = file {
            found.insert(stack.name.clone(), annotated(path)?);
        }
    }
    Ok(found)
}

fn annotated(path: &Path) -> anyhow::Result<AnnotatedFile> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(AnnotatedFile { path: path.display().to_string(), text })
}
