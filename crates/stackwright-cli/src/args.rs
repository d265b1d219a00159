//! Command-line definitions (clap), kept apart from what the commands do.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use stackwright_diff::Gate;

const EXAMPLES: &str = "\
Examples:
  cargo run -- synth                     write out/<Stack>.template.json and out/manifest.json
  cargo run -- synth --out build/cfn     write somewhere else
  cargo run -- synth --stdout            print the template (of the only stack, or --stack NAME)
  cargo run -- list                      list the stacks and their resource counts
  stackwright init                       write a commented stackwright.yaml here
  stackwright synth                      synthesize ./stackwright.yaml when it exists
  stackwright synth --manifest app.yaml  or the manifest named
  stackwright schema                     print the manifest's JSON Schema
  stackwright diff old.json new.json     what CloudFormation will do, offline
  stackwright validate out/              check templates before they leave the machine
  stackwright graph out/ --format svg    draw the stacks (Graphviz dot on PATH for svg)";

/// Stackwright: typed CloudFormation for container delivery on AWS.
#[derive(Debug, Parser)]
#[command(name = "stackwright", version, about, after_help = EXAMPLES)]
pub(crate) struct Cli {
    /// Which app to synthesize, when the binary holds several (the built-in examples).
    #[arg(long, global = true, value_name = "NAME", conflicts_with = "manifest")]
    pub(crate) app: Option<String>,

    /// Synthesize this manifest (YAML or JSON) instead of the app. The `stackwright` binary
    /// reads `./stackwright.yaml` when it exists and neither --app nor --manifest is given.
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) manifest: Option<PathBuf>,

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
  cargo run -- synth --minify            compact JSON, to fit the 51,200-byte inline limit
  cargo run -- synth --check out         exit 1 when the committed out/ is stale (CI)

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
        /// Write compact JSON (no whitespace): CloudFormation takes a template body of at most
        /// 51,200 bytes inline (`aws cloudformation deploy --template-file` without an S3
        /// bucket); the seed stack is 86 KB pretty, 44 KB compact.
        #[arg(long)]
        minify: bool,
        /// Write nothing: synthesize into a temporary directory and compare with DIR (the
        /// committed output) byte for byte. Exit 1, listing the files that differ, are
        /// missing or are not written by synth, when it is stale; 0 when it matches.
        #[arg(long, value_name = "DIR", conflicts_with_all = ["stdout", "out"])]
        check: Option<std::path::PathBuf>,
    },
    /// List the stacks with their resource counts.
    List,
    /// Write a commented `stackwright.yaml` (and its JSON Schema, for editors) in the current
    /// directory; it synthesizes as it stands. Refuses to overwrite an existing manifest.
    #[command(after_help = "\
Examples:
  stackwright init && stackwright synth
  stackwright init --service worker --source codecommit
  stackwright init --rust                 a Rust app crate instead, with its tests")]
    Init(crate::commands::init::InitArgs),
    /// Print the manifest's JSON Schema (draft 2020-12), for editors and check-jsonschema.
    Schema,
    /// Compare two templates (or synth output directories): what CloudFormation will create,
    /// update, replace or destroy, and which permissions widen.
    #[command(after_help = "\
Examples:
  stackwright diff base/out/app.template.json out/app.template.json
  stackwright diff base/out out                 every stack, matched by name
  cargo run -- diff --baseline base/out         a fresh synth of this app against base/out
  stackwright diff old.json new.json --exit-code
  stackwright diff old.json new.json --fail-on replace,destroy,data-loss
  stackwright diff old.json new.json --security-only --fail-on iam-broadening,security-downgrade
  stackwright diff old.json new.json --format json        (schema: docs/DIFF.md)
  stackwright diff old.json new.json --format markdown    (for a pull-request comment)

Exit status: 0 when there is nothing to report, 1 on error, 2 with --exit-code when
anything changed, 3 when a change of a class named by --fail-on is present.")]
    Diff {
        /// The template before the change (JSON, or YAML with short-form tags), or a synth output
        /// directory.
        #[arg(required_unless_present = "baseline", value_name = "OLD")]
        old: Option<PathBuf>,
        /// The template after the change (JSON, or YAML with short-form tags), or a synth output
        /// directory.
        #[arg(required_unless_present = "baseline", value_name = "NEW")]
        new: Option<PathBuf>,
        /// Compare a fresh synth of the app (in memory, nothing written, validated as synth
        /// validates it) with this synth output directory, e.g. the base branch's.
        #[arg(long, value_name = "DIR", conflicts_with_all = ["old", "new"])]
        baseline: Option<PathBuf>,
        /// Exit with status 2 when the templates differ.
        #[arg(long)]
        exit_code: bool,
        /// Exit with status 3 when a change of these classes is present.
        #[arg(long, value_delimiter = ',', value_name = "CLASS,...")]
        fail_on: Vec<FailOn>,
        /// Never color the output (also when NO_COLOR is set or stdout is not a terminal).
        #[arg(long)]
        no_color: bool,
        /// Show only the security changes (IAM statements, security-group rules, downgrades).
        #[arg(long)]
        security_only: bool,
        /// Output format: text for people, json for tools (docs/DIFF.md), markdown for PR comments
        /// (with a Mermaid picture of the changes), github for workflow annotations.
        #[arg(long, value_enum, default_value = "text")]
        format: DiffFormat,
        /// With --format github: point the annotations at the insta snapshots in this directory
        /// (`<name>__<stack>.snap`) instead of the new templates.
        #[arg(long, value_name = "DIR")]
        snapshots: Option<PathBuf>,
    },
    /// Draw a template's resources grouped by construct, or an app's stacks with their
    /// export→import links: Mermaid, Graphviz DOT, or SVG (through Graphviz's `dot`).
    #[command(after_help = "\
Examples:
  cargo run -- graph                           this app: one stack's resources, or every stack
  stackwright --app seed graph --format svg > seed.svg
  stackwright graph out/seed.template.json --format dot
  stackwright graph out/ --stack web --depth 2  constructs deeper than 2 levels as one node each
  stackwright graph cdk.out/MyStack.template.json   (grouped by aws:cdk:path when present)

An arrow X -> Y means Y refers to X (Ref, Fn::GetAtt, Fn::Sub; dashed: DependsOn), so X is
created first. Output is deterministic. --format svg runs `dot -Tsvg`; without Graphviz it
fails with how to install it (docs/GRAPH.md).")]
    Graph {
        /// A template file (JSON or YAML) or a synth output directory; without it, the app.
        #[arg(value_name = "FILE|DIR")]
        path: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "mermaid")]
        format: GraphFormat,
        /// Construct levels drawn as nested groups; a deeper construct is one node.
        #[arg(long, value_name = "N")]
        depth: Option<usize>,
        /// Draw this stack's resources (default: the resources of the only stack, or every
        /// stack as one node when there are several).
        #[arg(long, value_name = "NAME")]
        stack: Option<String>,
    },
    /// Check templates for what CloudFormation would reject and for unsafe settings.
    #[command(after_help = "\
Examples:
  stackwright validate                   this app (or ./stackwright.yaml), synthesized in memory
  stackwright validate --manifest app.yaml
  stackwright validate out/
  stackwright validate app.template.json --format json
  stackwright validate out/ --deny policy
  stackwright validate out/ --strict

A directory stands for its *.template.json files. Text output is one line per finding:
  <file>: <level>[<rule>] <LogicalId> (<construct path>) at <JSON pointer>: <message>
--format json prints {\"version\": 2, \"files\": [{\"path\", \"findings\": [...]}]} (docs/VALIDATE.md).

Levels: error (CloudFormation would reject it), warning (accepted, but it costs or misleads),
policy (Stackwright's security, hygiene and delivery rules, which CloudFormation does not make).

Exit status: 0 when there is no error, 1 on errors and on findings of a denied level.")]
    Validate {
        /// Template files (JSON or YAML) or directories of `*.template.json` (`.yaml`, `.yml`)
        /// files. Without them: the app (or manifest), synthesized in memory, checked as synth
        /// checks it.
        #[arg(value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Exit with status 1 on findings of these levels too (errors always fail).
        #[arg(long, value_enum, value_delimiter = ',', value_name = "LEVEL,...")]
        deny: Vec<DenyLevel>,
        /// Exit with status 1 on warnings and policy findings too: `--deny warning,policy`.
        #[arg(long)]
        strict: bool,
    },
}

/// Finding levels `validate --deny` can make fail (errors always do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DenyLevel {
    /// Warnings: CloudFormation accepts them, but they cost or mislead.
    Warning,
    /// Policy findings: Stackwright's security, hygiene and delivery rules.
    Policy,
}

/// Output formats of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// One line per finding.
    Text,
    /// A versioned JSON document.
    Json,
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DiffFormat {
    /// `[+] [-] [~]` blocks per section and a summary line.
    Text,
    /// A versioned JSON document (`{"schema_version": 2, ...}`, docs/DIFF.md).
    Json,
    /// Markdown for pull-request comments: summary table, risky changes, a Mermaid picture of
    /// the changes, collapsible details, within GitHub's 65,536-character comment limit.
    Markdown,
    /// GitHub Actions workflow commands (`::warning file=…,line=…::…`): one annotation per
    /// changed resource, at its line in the template or snapshot file.
    Github,
}

/// Output formats of `graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum GraphFormat {
    /// A Mermaid flowchart (GitHub renders it in Markdown).
    Mermaid,
    /// Graphviz DOT.
    Dot,
    /// SVG, laid out by Graphviz's `dot` (must be on PATH).
    Svg,
}

/// A class of change that `diff --fail-on` gates on: a [`Gate`], with its name and help
/// from the diff crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FailOn(pub(crate) Gate);

impl clap::ValueEnum for FailOn {
    // invariant: `index` runs below `all.len()`, which is `Gate::ALL.len()` by construction.
    fn value_variants<'a>() -> &'a [Self] {
        const ALL: [FailOn; Gate::ALL.len()] = {
            let mut all = [FailOn(Gate::Replace); Gate::ALL.len()];
            let mut index = 0;
            while index < all.len() {
                all[index] = FailOn(Gate::ALL[index]);
                index += 1;
            }
            all
        };
        &ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.as_str()).help(self.0.description()))
    }
}
