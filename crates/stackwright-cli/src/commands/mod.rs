//! What each command does.

mod list;
mod synth;

use stackwright_template::App;

use crate::args::{Cli, Command};

/// Runs the parsed command; `build` makes the app (given `--app`, if any).
pub(crate) fn dispatch(cli: &Cli, build: impl FnOnce(Option<&str>) -> anyhow::Result<App>) -> anyhow::Result<()> {
    let app = build(cli.app.as_deref())?;
    match &cli.command {
        Command::Synth { out, stdout, stack } => {
            if *stdout {
                synth::to_stdout(&app, stack.as_deref())
            } else {
                synth::to_dir(&app, out)
            }
        }
        Command::List => list::run(&app),
    }
}
