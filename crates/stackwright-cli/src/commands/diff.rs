//! `diff`: the semantic difference between two templates or two synth output directories
//! (or a fresh synth and a baseline directory), with exit codes for CI gates.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use stackwright_diff::{StackDiff, StackStatus, TextOptions, Unread};
use stackwright_template::read::Format;
use stackwright_template::{App, Template};

use crate::args::{DiffFormat, FailOn};
use crate::output::MANIFEST_FILE;

/// Exit status when `--exit-code` is given and the templates differ.
const CHANGED: u8 = 2;
/// Exit status when a change of a `--fail-on` class is present.
const GATED: u8 = 3;

/// What to compare.
#[derive(Clone, Copy)]
pub(crate) enum Inputs<'a> {
    /// Two template files or synth output directories.
    Paths { old: &'a Path, new: &'a Path },
    /// A synth output directory (the old side) and the app, synthesized in memory.
    Baseline { old: &'a Path, app: &'a App },
}

pub(crate) struct Options<'a> {
    pub(crate) exit_code: bool,
    pub(crate) fail_on: &'a [FailOn],
    pub(crate) no_color: bool,
    pub(crate) security_only: bool,
    pub(crate) format: DiffFormat,
    /// With `--format github`: the insta snapshot directory to point annotations at.
    pub(crate) snapshots: Option<&'a Path>,
}

/// The file names a directory's templates end with.
const TEMPLATE_SUFFIXES: [&str; 3] = [".template.json", ".template.yaml", ".template.yml"];

/// Named templates from one side.
pub(crate) type StackSet = Vec<(String, Template)>;

pub(crate) fn run(inputs: Inputs<'_>, options: &Options<'_>) -> anyhow::Result<ExitCode> {
    // Both sides are kept: the Markdown picture and the annotations read the templates too.
    // What either side's files hold that breaks a template rule is left out and listed.
    let mut unread: Vec<(String, Unread)> = Vec::new();
    let (old_set, new_set, several) = match inputs {
        Inputs::Paths { old, new } if !old.is_dir() && !new.is_dir() => {
            let name = stack_name(new);
            let (old_template, old_unread) = read_salvaging(old)?;
            let (new_template, new_unread) = read_salvaging(new)?;
            unread.extend(old_unread.into_iter().chain(new_unread).map(|u| (name.clone(), u)));
            (vec![(name.clone(), old_template)], vec![(name, new_template)], false)
        }
        Inputs::Paths { old, new } => {
            let (mut old_set, mut new_set) = (load(old, &mut unread)?, load(new, &mut unread)?);
            // A single template against a directory of one stack: compare those two.
            if let ([old_stack], [new_stack]) = (old_set.as_mut_slice(), new_set.as_mut_slice()) {
                if !old.is_dir() {
                    old_stack.0.clone_from(&new_stack.0);
                } else if !new.is_dir() {
                    new_stack.0.clone_from(&old_stack.0);
                }
                for (name, _) in &mut unread {
                    name.clone_from(&new_stack.0);
                }
            }
            (old_set, new_set, true)
        }
        Inputs::Baseline { old, app } => {
            if !old.is_dir() {
                bail!("--baseline {}: not a directory (pass a synth output directory)", old.display());
            }
            // What synth would refuse to write is no baseline to compare: the same checks,
            // the same error.
            super::validate::check_app(app)?;
            let fresh: StackSet = app.finished_stacks().map(|(name, t)| (name.to_string(), t.clone())).collect();
            (load(old, &mut unread)?, fresh, true)
        }
    };
    let mut stacks = match (several, old_set.as_slice(), new_set.as_slice()) {
        (false, [(name, old)], [(_, new)]) => vec![StackDiff::new(name.clone(), old, new)],
        _ => stackwright_diff::diff_stacks(&old_set, &new_set),
    };
    for (name, value) in unread {
        if let Some(stack) = stacks.iter_mut().find(|s| s.name == name) {
            stack.unread.push(value);
        }
    }
    let stdout = std::io::stdout();
    let color = !options.no_color && std::env::var_os("NO_COLOR").is_none() && stdout.is_terminal();
    let text = match options.format {
        DiffFormat::Text => {
            let text_options = TextOptions { color, security_only: options.security_only, ..TextOptions::default() };
            if several {
                let mut text = stackwright_diff::render_text_stacks(&stacks, text_options);
                // The order across stacks that removing an imported export needs.
                for blocked in stackwright_diff::blocked_exports(&old_set, &new_set) {
                    text.push_str("[!] ");
                    text.push_str(&blocked.to_string());
                    text.push('\n');
                }
                text
            } else {
                stacks.iter().map(|s| s.render_text(text_options)).collect()
            }
        }
        DiffFormat::Json => {
            let mut json = serde_json::to_string_pretty(&stackwright_diff::render_json(&stacks))?;
            json.push('\n');
            json
        }
        DiffFormat::Markdown => {
            let mut markdown = stackwright_diff::MarkdownOptions::default().security_only(options.security_only);
            if !options.security_only {
                let graph = stackwright_graph::diff_section(&stacks, &old_set, &new_set);
                if !graph.is_empty() {
                    markdown = markdown.section(stackwright_graph::DIFF_SECTION_TITLE, graph);
                }
            }
            stackwright_diff::render_markdown_with(&stacks, &markdown)
        }
        DiffFormat::Github => {
            let files = super::annotate::files(inputs, &stacks, options.snapshots)?;
            stackwright_diff::render_github(&stacks, &files)
        }
    };
    let mut out = stdout.lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(exit_status(&stacks, options))
}

/// A stack's name from its template file: `app.template.json` -> `app`.
fn stack_name(path: &Path) -> String {
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    for suffix in TEMPLATE_SUFFIXES.iter().chain(&[".json", ".yaml", ".yml"]) {
        if let Some(stem) = file.strip_suffix(suffix) {
            return stem.to_owned();
        }
    }
    file
}

/// Reads a template, JSON or YAML (short-form tags included), leniently where CloudFormation
/// is (condition names with `&` or `-`: [`Template::from_json_lenient`]), the format decided by
/// [`Format::detect`]; what is wrong with it is named at `file:line:column`.
pub(crate) fn read(path: &Path) -> anyhow::Result<Template> {
    let document = read_document(path)?;
    Template::from_json_lenient(&document.value).map_err(|error| not_a_template(path, &document, &error))
}

/// Reads a template as [`read`] does, but leaves out each value that breaks a template rule
/// ([`Template::from_json_salvaging`]) and returns those with their positions: a deployed
/// template is diffed even when it holds a value a new template could not.
pub(crate) fn read_salvaging(path: &Path) -> anyhow::Result<(Template, Vec<Unread>)> {
    let document = read_document(path)?;
    let (template, left_out) =
        Template::from_json_salvaging(&document.value).map_err(|error| not_a_template(path, &document, &error))?;
    let file = path.display().to_string();
    let unread = left_out
        .into_iter()
        .map(|l| Unread {
            file: file.clone(),
            position: document.positions.locate(&l.pointer),
            pointer: l.pointer,
            message: l.message,
        })
        .collect();
    Ok((template, unread))
}

fn read_document(path: &Path) -> anyhow::Result<stackwright_template::read::Document> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let format = Format::detect(path, text.as_bytes());
    stackwright_template::read::read(&text, format).map_err(|error| {
        anyhow!(
            "{}:{}: not a CloudFormation template: not valid {format}: {}",
            path.display(),
            error.position,
            error.message
        )
    })
}

fn not_a_template(
    path: &Path,
    document: &stackwright_template::read::Document,
    error: &stackwright_template::Error,
) -> anyhow::Error {
    let position = match error {
        stackwright_template::Error::Parse { pointer, .. } => document.positions.locate(pointer),
        _ => None,
    };
    let at = position.map_or_else(String::new, |p| format!(":{p}"));
    anyhow!("{}{at}: not a CloudFormation template: {error}", path.display())
}

/// The stacks of a template file (one, named after the file) or of a synth output directory:
/// the manifest's stacks when there is a `manifest.json` (CDK's `cdk.out` has one too, in
/// another shape, so a manifest without our `stacks` list falls back to the file names),
/// else every `*.template.json` (or `.template.yaml` / `.template.yml`), named after the file.
/// What each file holds that breaks a template rule is left out and added to `unread`, with
/// its stack's name.
pub(crate) fn load(path: &Path, unread: &mut Vec<(String, Unread)>) -> anyhow::Result<StackSet> {
    stack_files(path)?
        .into_iter()
        .map(|(name, file)| {
            let (template, left_out) = read_salvaging(&file)?;
            unread.extend(left_out.into_iter().map(|u| (name.clone(), u)));
            Ok((name, template))
        })
        .collect()
}

/// The stacks [`load`] reads, and the file of each.
pub(crate) fn stack_files(path: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    if !path.is_dir() {
        return Ok(vec![(stack_name(path), path.to_path_buf())]);
    }
    let manifest = path.join(MANIFEST_FILE);
    if manifest.is_file() {
        let text = std::fs::read_to_string(&manifest).with_context(|| format!("cannot read {}", manifest.display()))?;
        let json: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("{} is not JSON", manifest.display()))?;
        if let Some(stacks) = json.get("stacks").and_then(serde_json::Value::as_array) {
            let mut set = Vec::with_capacity(stacks.len());
            for stack in stacks {
                let (Some(name), Some(file)) =
                    (stack.get("name").and_then(|v| v.as_str()), stack.get("file").and_then(|v| v.as_str()))
                else {
                    bail!("{}: every stack needs a \"name\" and a \"file\"", manifest.display());
                };
                if file.contains(['/', '\\']) || file.starts_with('.') {
                    bail!("{}: stack {name:?} names a file outside the directory: {file:?}", manifest.display());
                }
                set.push((name.to_owned(), path.join(file)));
            }
            return Ok(set);
        }
    }
    let mut files: Vec<_> = std::fs::read_dir(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| {
            p.is_file()
                && p.file_name().is_some_and(|n| TEMPLATE_SUFFIXES.iter().any(|s| n.to_string_lossy().ends_with(s)))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("{}: no manifest.json and no *.template.json (or .yaml) files", path.display());
    }
    Ok(files.into_iter().map(|file| (stack_name(&file), file)).collect())
}

fn exit_status(stacks: &[StackDiff], options: &Options<'_>) -> ExitCode {
    let gated = options.fail_on.iter().any(|class| stacks.iter().any(|s| s.diff.trips(class.0)));
    if gated {
        ExitCode::from(GATED)
    } else if options.exit_code && stacks.iter().any(|s| s.status != StackStatus::Unchanged) {
        ExitCode::from(CHANGED)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    #[test]
    fn a_yaml_alias_bomb_is_an_error_not_gigabytes() {
        let dir = tempfile::tempdir().unwrap();
        let mut yaml = String::from("Metadata:\n  a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for level in 1..=8 {
            let previous = format!("*a{}", level - 1);
            let _ = writeln!(yaml, "  a{level}: &a{level} [{}]", [previous.as_str(); 9].join(", "));
        }
        yaml.push_str("Resources: {}\n");
        let bomb = dir.path().join("bomb.yaml");
        std::fs::write(&bomb, yaml).unwrap();
        let empty = dir.path().join("empty.json");
        std::fs::write(&empty, r#"{"Resources": {}}"#).unwrap();
        let options = Options {
            exit_code: false,
            fail_on: &[],
            no_color: true,
            security_only: false,
            format: DiffFormat::Text,
            snapshots: None,
        };
        // `run`'s error is printed by the caller, which exits with 1.
        let error = run(Inputs::Paths { old: &bomb, new: &empty }, &options).unwrap_err();
        let message = format!("{error:#}");
        assert!(
            message.ends_with(
                "bomb.yaml:8:12: not a CloudFormation template: not valid YAML: the document \
             expands to more than 1000000 nodes (aliases included): refused as an alias bomb"
            ),
            "{message}"
        );
    }
}
