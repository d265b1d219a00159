//! Command-line definitions (clap), kept apart from what the commands do.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  cargo run -- synth                     write out/<Stack>.template.json and out/manifest.json
  cargo run -- synth --out build/cfn     write somewhere else
  cargo run -- synth --stdout            print the template (of the only stack, or --stack NAME)
  cargo run -- list                      list the stacks and their resource counts";

/// Stackwright: typed CloudFormation for container delivery on AWS.
#[derive(Debug, Parser)]
#[command(name = "stackwright", version, about, after_help = EXAMPLES)]
pub(crate) struct Cli {
    /// Which app to synthesize, when the binary holds several (the built-in examples).
    #[arg(long, global = true, value_name = "NAME")]
    pub(crate) app: Option<String>,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Render every stack's template and a manifest, all or nothing.
    #[command(after_help = "\
Examples:
  cargo run -- synth
  cargo run -- synth --out build/cfn
  cargo run -- synth --stdout --stack seed-pipeline

The output directory is replaced as a whole once every template has rendered, so a failed
run leaves the previous output untouched. synth refuses to replace a directory that holds
files it did not write.")]
    Synth {
        /// Directory to write into.
        #[arg(long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        /// Print a template to standard output instead of writing files.
        #[arg(long, conflicts_with = "out")]
        stdout: bool,
        /// With --stdout: the stack to print (required when there are several).
        #[arg(long, value_name = "NAME", requires = "stdout")]
        stack: Option<String>,
    },
    /// List the stacks with their resource counts.
    List,
}
