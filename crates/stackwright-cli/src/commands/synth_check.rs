//! `synth --check DIR`: is DIR exactly what `synth` writes now? For CI without insta: the
//! committed output must match a fresh synth byte for byte, file for file.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use stackwright_template::App;

use super::synth::{self, Options};

/// How DIR differs from a fresh synth; empty when it matches.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Drift {
    /// Files both have, with different bytes.
    pub(crate) changed: Vec<String>,
    /// Files synth writes that DIR lacks.
    pub(crate) missing: Vec<String>,
    /// Entries of DIR that synth does not write (a stack removed from the app, a stray file).
    pub(crate) extra: Vec<String>,
}

impl Drift {
    fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }

    fn render(&self, dir: &Path) -> String {
        let mut text = format!("{} is not what synth writes now:\n", dir.display());
        for (label, names) in
            [("changed", &self.changed), ("missing", &self.missing), ("not written by synth", &self.extra)]
        {
            for name in names {
                let _ = writeln!(text, "  {label}: {name}");
            }
        }
        let _ = write!(
            text,
            "run `stackwright diff --baseline {}` to see what changed, then `stackwright synth --out {}` to update it",
            dir.display(),
            dir.display()
        );
        text
    }
}

/// Synthesizes the app into a temporary directory (DIR is never written) and compares.
/// Exit 0 when DIR matches, 1 (with the list on stderr) when it does not; an app that synth
/// would refuse is an error, as it is for synth.
pub(crate) fn run(app: &App, dir: &Path, options: Options) -> anyhow::Result<ExitCode> {
    if !dir.is_dir() {
        bail!("--check {}: not a directory (pass the committed synth output)", dir.display());
    }
    let scratch = tempfile::tempdir().context("cannot create a temporary directory")?;
    let fresh = scratch.path().join("out");
    synth::write(app, &fresh, options)?;
    let drift = compare(&fresh, dir)?;
    let mut stderr = std::io::stderr().lock();
    if drift.is_empty() {
        writeln!(stderr, "{}: up to date", dir.display())?;
        Ok(ExitCode::SUCCESS)
    } else {
        writeln!(stderr, "{}", drift.render(dir))?;
        Ok(ExitCode::FAILURE)
    }
}

/// Compares the fresh output with the committed one, entry by entry.
fn compare(fresh: &Path, committed: &Path) -> anyhow::Result<Drift> {
    let (fresh_names, committed_names) = (entries(fresh)?, entries(committed)?);
    let mut drift = Drift::default();
    for name in &fresh_names {
        if !committed_names.contains(name) {
            drift.missing.push(name.clone());
            continue;
        }
        let path = committed.join(name);
        let same = path.is_file() && read(&path)? == read(&fresh.join(name))?;
        if !same {
            drift.changed.push(name.clone());
        }
    }
    drift.extra = committed_names.difference(&fresh_names).cloned().collect();
    Ok(drift)
}

fn entries(dir: &Path) -> anyhow::Result<BTreeSet<String>> {
    let read = || fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()));
    read()?
        .map(|entry| {
            entry
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .with_context(|| format!("cannot read {}", dir.display()))
        })
        .collect()
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    #[test]
    fn equal_directories_have_no_drift() {
        let files = [("a.template.json", "{}"), ("manifest.json", "{}")];
        assert_eq!(compare(dir(&files).path(), dir(&files).path()).unwrap(), Drift::default());
    }

    #[test]
    fn changed_missing_and_extra_files_are_each_listed() {
        let fresh = dir(&[("a.template.json", "{}"), ("b.template.json", "{}"), ("manifest.json", "{1}")]);
        let committed = dir(&[("a.template.json", "{ }"), ("c.template.json", "{}"), ("manifest.json", "{1}")]);
        let drift = compare(fresh.path(), committed.path()).unwrap();
        assert_eq!(drift.changed, ["a.template.json"]);
        assert_eq!(drift.missing, ["b.template.json"]);
        assert_eq!(drift.extra, ["c.template.json"]);
        let text = drift.render(Path::new("out"));
        assert!(text.starts_with("out is not what synth writes now:\n  changed: a.template.json\n"), "{text}");
        assert!(text.contains("  missing: b.template.json\n  not written by synth: c.template.json\n"), "{text}");
    }

    #[test]
    fn a_directory_where_a_file_should_be_is_a_change() {
        let fresh = dir(&[("a.template.json", "{}")]);
        let committed = tempfile::tempdir().unwrap();
        fs::create_dir(committed.path().join("a.template.json")).unwrap();
        assert_eq!(compare(fresh.path(), committed.path()).unwrap().changed, ["a.template.json"]);
    }
}
