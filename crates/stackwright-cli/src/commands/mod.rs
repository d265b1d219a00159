//! What each command does.

mod annotate;
mod diff;
mod graph;
pub(crate) mod init;
mod init_rust;
mod list;
mod synth;
mod synth_check;
mod validate;

use std::io::Write;
use std::path::{Path, PathBuf};

use stackwright_template::App;

use crate::args::{Cli, Command};

/// Whether `./stackwright.yaml` stands for the app when no `--manifest` is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ManifestLookup {
    /// The `stackwright` binary: the manifest in the current directory, when it exists.
    CurrentDirectory,
    /// A user's app crate: its own app, unless `--manifest` says otherwise.
    ExplicitOnly,
}

/// The manifest the app comes from, if any.
fn manifest_path(cli: &Cli, lookup: ManifestLookup) -> Option<PathBuf> {
    if let Some(path) = &cli.manifest {
        return Some(path.clone());
    }
    let default = Path::new(stackwright_manifest::DEFAULT_FILE);
    (lookup == ManifestLookup::CurrentDirectory && cli.app.is_none() && default.is_file())
        .then(|| default.to_path_buf())
}

/// Runs the parsed command; `build` makes the app (given `--app`, if any) for the commands
/// that need it, unless a manifest stands for it. `Ok` carries the exit status.
pub(crate) fn dispatch(
    cli: &Cli,
    lookup: ManifestLookup,
    build: impl FnOnce(Option<&str>) -> anyhow::Result<App>,
) -> anyhow::Result<std::process::ExitCode> {
    let manifest = manifest_path(cli, lookup);
    let build = |name: Option<&str>| match &manifest {
        Some(path) => stackwright_manifest::load(path).map_err(anyhow::Error::from),
        None => build(name),
    };
    match &cli.command {
        Command::Init(args) => {
            init::run(args, Path::new("."))?;
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Schema => {
            std::io::stdout().lock().write_all(stackwright_manifest::schema().as_bytes())?;
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Validate { paths, format, .. } if paths.is_empty() => {
            if *format == crate::args::Format::Json {
                anyhow::bail!(
                    "--format json reports on files: run `stackwright synth`, then `stackwright validate out/ --format json`"
                );
            }
            // Checked as synth checks it: errors and policy findings refuse, warnings are shown.
            let app = build(cli.app.as_deref())?;
            let checked = validate::check_app(&app)?;
            let mut stderr = std::io::stderr().lock();
            for name in checked {
                writeln!(stderr, "{name}: valid")?;
            }
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Synth { out, stdout, stack, minify, check } => {
            let app = build(cli.app.as_deref())?;
            let options = synth::Options { minify: *minify };
            if let Some(dir) = check {
                return synth_check::run(&app, dir, options);
            }
            if *stdout {
                synth::to_stdout(&app, stack.as_deref(), options)?;
            } else {
                synth::to_dir(&app, out, options)?;
            }
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::List => {
            list::run(&build(cli.app.as_deref())?)?;
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Diff { old, new, baseline, exit_code, fail_on, no_color, security_only, format, snapshots } => {
            let inputs = match (baseline, old, new) {
                (Some(baseline), _, _) => {
                    diff::Inputs::Baseline { old: baseline, app: &built(build(cli.app.as_deref())?)? }
                }
                (None, Some(old), Some(new)) => diff::Inputs::Paths { old, new },
                _ => anyhow::bail!("diff needs OLD and NEW, or --baseline DIR"),
            };
            diff::run(
                inputs,
                &diff::Options {
                    exit_code: *exit_code,
                    fail_on,
                    no_color: *no_color,
                    security_only: *security_only,
                    format: *format,
                    snapshots: snapshots.as_deref(),
                },
            )
        }
        Command::Graph { path, format, depth, stack } => {
            let options = graph::Options { format: *format, depth: *depth, stack: stack.as_deref() };
            if let Some(path) = path {
                graph::run_path(path, &options)?;
            } else {
                let app = built(build(cli.app.as_deref())?)?;
                let stacks: Vec<_> = app.finished_stacks().map(|(name, t)| (name.to_string(), t.clone())).collect();
                graph::run(&stacks, &options)?;
            }
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Validate { paths, format, deny, strict } => {
            validate::run(paths, *format, &validate::denied(deny, *strict))
        }
    }
}

/// The app with its deferred stacks built, for the commands that need every template at once.
fn built(app: App) -> anyhow::Result<App> {
    app.into_built().map_err(|e| anyhow::anyhow!("{e}"))
}
