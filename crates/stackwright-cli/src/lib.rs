//! The `stackwright` command line, as a library: a platform team's app crate calls
//! [`run`] from its `main`, so `cargo run -- synth` synthesizes *its* stacks.
//!
//! ```no_run
//! use stackwright_template::{App, Error, Stack, StackName, Template};
//!
//! fn app() -> Result<App, Error> {
//!     // An app takes finished stacks: `app.add_stack(stack.finish()?)` for a construct
//!     // stack, `Stack::from_template` for a template built with the L1 layer alone.
//!     App::new().with_stack(Stack::from_template(StackName::new("my-stack")?, Template::new())?)
//! }
//!
//! fn main() -> std::process::ExitCode {
//!     stackwright_cli::run(app)
//! }
//! ```

mod args;
mod commands;
mod output;
mod parallel;

use std::fmt::Display;
use std::process::ExitCode;

use clap::Parser;
use stackwright_template::App;

pub use output::{Manifest, ManifestStack, render_app};

/// Runs the command line for one app: parses `std::env::args`, runs the command, and
/// returns the exit status (0 on success, 1 on error).
pub fn run<E: Display>(build: impl FnOnce() -> Result<App, E>) -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(code) => return code,
    };
    finish(commands::dispatch(&args, commands::ManifestLookup::ExplicitOnly, |name| match name {
        Some(name) => anyhow::bail!("--app {name:?}: this program has a single app"),
        None => build().map_err(|e| anyhow::anyhow!("{e}")),
    }))
}

/// A function that builds an app.
pub type BuildApp<E> = fn() -> Result<App, E>;

/// Runs the command line for a set of named apps, as the `stackwright` binary does for its
/// built-in examples: `--app NAME` picks one; the first is the default.
pub fn run_named<E: Display>(apps: &[(&str, BuildApp<E>)]) -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(code) => return code,
    };
    finish(commands::dispatch(&args, commands::ManifestLookup::CurrentDirectory, |name| {
        let (_, build) = match name {
            None => apps.first().ok_or_else(|| anyhow::anyhow!("no apps are registered"))?,
            Some(name) => apps.iter().find(|(n, _)| *n == name).ok_or_else(|| {
                let known: Vec<&str> = apps.iter().map(|(n, _)| *n).collect();
                anyhow::anyhow!("unknown app {name:?}; known apps: {}", known.join(", "))
            })?,
        };
        build().map_err(|e| anyhow::anyhow!("{e}"))
    }))
}

/// Parses the command line. Usage errors exit with 1, like every other error: clap's own
/// status 2 would read as "templates differ" to a CI gate on `diff --exit-code`.
fn parse_args() -> Result<args::Cli, ExitCode> {
    args::Cli::try_parse().map_err(|error| {
        let _ = error.print();
        if error.use_stderr() { ExitCode::FAILURE } else { ExitCode::SUCCESS }
    })
}

fn finish(result: anyhow::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(error) if output::is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            #[allow(clippy::print_stderr)] // the one place errors reach the user
            {
                eprintln!("error: {error:#}");
            }
            ExitCode::FAILURE
        }
    }
}
