//! What each command does.

mod annotate;
mod diff;
mod graph;
mod list;
mod synth;
mod validate;

use stackwright_template::App;

use crate::args::{Cli, Command};

/// Runs the parsed command; `build` makes the app (given `--app`, if any) for the commands
/// that need it. `Ok` carries the exit status.
pub(crate) fn dispatch(
    cli: &Cli,
    build: impl FnOnce(Option<&str>) -> anyhow::Result<App>,
) -> anyhow::Result<std::process::ExitCode> {
    match &cli.command {
        Command::Synth { out, stdout, stack, minify } => {
            let app = build(cli.app.as_deref())?;
            let options = synth::Options { minify: *minify };
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
                let stacks: Vec<_> = app.stacks().map(|(name, t)| (name.to_string(), t.clone())).collect();
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
