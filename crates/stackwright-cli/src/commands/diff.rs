//! `diff`: the semantic difference between two templates, with exit codes for CI gates.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use stackwright_diff::{Impact, StackDiff, TextOptions};
use stackwright_template::Template;

use crate::args::{DiffFormat, FailOn};

/// Exit status when `--exit-code` is given and the templates differ.
const CHANGED: u8 = 2;
/// Exit status when a change of a `--fail-on` class is present.
const GATED: u8 = 3;

pub(crate) struct Options<'a> {
    pub(crate) old: &'a Path,
    pub(crate) new: &'a Path,
    pub(crate) exit_code: bool,
    pub(crate) fail_on: &'a [FailOn],
    pub(crate) no_color: bool,
    pub(crate) security_only: bool,
    pub(crate) format: DiffFormat,
}

pub(crate) fn run(options: &Options<'_>) -> anyhow::Result<ExitCode> {
    let old = read(options.old)?;
    let new = read(options.new)?;
    let stacks = vec![StackDiff::new(stack_name(options.new), &old, &new)];
    let stdout = std::io::stdout();
    let color = !options.no_color && std::env::var_os("NO_COLOR").is_none() && stdout.is_terminal();
    let text = match options.format {
        DiffFormat::Text => {
            let text_options = TextOptions { color, security_only: options.security_only, ..TextOptions::default() };
            stacks.iter().map(|s| s.diff.render_text(text_options)).collect::<String>()
        }
        DiffFormat::Json => {
            let mut json = serde_json::to_string_pretty(&stackwright_diff::render_json(&stacks))?;
            json.push('\n');
            json
        }
        DiffFormat::Markdown => stackwright_diff::render_markdown(&stacks, options.security_only),
    };
    let mut out = stdout.lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(exit_status(&stacks, options))
}

/// A stack's name from its template file: `app.template.json` -> `app`.
fn stack_name(path: &Path) -> String {
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    for suffix in [".template.json", ".template.yaml", ".template.yml", ".json", ".yaml", ".yml"] {
        if let Some(stem) = file.strip_suffix(suffix) {
            return stem.to_owned();
        }
    }
    file
}

fn read(path: &Path) -> anyhow::Result<Template> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Template::from_json_str(&text).with_context(|| format!("{} is not a CloudFormation template", path.display()))
}

fn exit_status(stacks: &[StackDiff], options: &Options<'_>) -> ExitCode {
    let gated = options.fail_on.iter().any(|class| {
        stacks.iter().map(|s| &s.diff).any(|diff| match class {
            FailOn::Replace => {
                diff.resources.values().any(|c| matches!(c.impact, Impact::Replace | Impact::MayReplace))
            }
            FailOn::Destroy => diff.resources.values().any(|c| matches!(c.impact, Impact::Destroy | Impact::Orphan)),
            FailOn::DataLoss => diff.has_data_loss(),
            FailOn::ExportRemoval => diff.breaks_exports(),
            FailOn::IamBroadening => diff.security.has_iam_broadening(),
            FailOn::SgBroadening => diff.security.has_sg_broadening(),
        })
    });
    if gated {
        ExitCode::from(GATED)
    } else if options.exit_code && stacks.iter().any(|s| s.diff.has_changes()) {
        ExitCode::from(CHANGED)
    } else {
        ExitCode::SUCCESS
    }
}
