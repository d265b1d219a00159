//! `init`: a commented `stackwright.yaml` that synthesizes as it stands, and the schema its
//! first line points editors at.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use stackwright_manifest::DEFAULT_FILE;
use stackwright_manifest::init::{SCHEMA_FILE, app_name, manifest};
use stackwright_manifest::model::{Provider, ServiceType};

/// `init`'s options.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct InitArgs {
    /// The service: `web` (behind an HTTPS load balancer) or `worker` (no load balancer).
    #[arg(long, value_enum, default_value = "web")]
    pub(crate) service: ServiceKind,
    /// Where commits come from: `github` (through a CodeStar connection) or `codecommit`.
    #[arg(long, value_enum, default_value = "github")]
    pub(crate) source: SourceKind,
    /// Scaffold a Rust app crate instead (like `examples/seed-pipeline`: the app, `cargo run --
    /// synth`, one snapshot test and one assertion test), named after the directory.
    #[arg(long, conflicts_with_all = ["service", "source"])]
    pub(crate) rust: bool,
    /// With --rust: the Stackwright checkout the crate's path dependencies point at (default:
    /// the one this binary was built from).
    #[arg(long, value_name = "DIR", requires = "rust")]
    pub(crate) stackwright_path: Option<std::path::PathBuf>,
}

/// `init --service`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ServiceKind {
    /// A load-balanced web service.
    Web,
    /// A backend or worker service without a load balancer.
    Worker,
}

/// `init --source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SourceKind {
    /// GitHub, through a CodeStar connection the stack creates.
    Github,
    /// An AWS CodeCommit repository the stack creates.
    Codecommit,
}

/// Writes the manifest (never over an existing one) and the schema into `dir`.
pub(crate) fn run(args: &InitArgs, dir: &Path) -> anyhow::Result<()> {
    if args.rust {
        return super::init_rust::run(dir, args.stackwright_path.as_deref());
    }
    let kind = match args.service {
        ServiceKind::Web => ServiceType::Web,
        ServiceKind::Worker => ServiceType::Worker,
    };
    let provider = match args.source {
        SourceKind::Github => Provider::Github,
        SourceKind::Codecommit => Provider::Codecommit,
    };
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let app = app_name(&absolute.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
    let path = dir.join(DEFAULT_FILE);
    // `create_new`: an existing manifest is never overwritten, even one created meanwhile.
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|error| {
        if error.kind() == std::io::ErrorKind::AlreadyExists {
            anyhow::anyhow!("{DEFAULT_FILE} exists already: init does not overwrite it")
        } else {
            anyhow::anyhow!("cannot create {}: {error}", path.display())
        }
    })?;
    file.write_all(manifest(&app, kind, provider).as_bytes()).with_context(|| format!("writing {}", path.display()))?;
    // The schema is generated: written afresh, so it matches this version of Stackwright.
    let schema = dir.join(SCHEMA_FILE);
    std::fs::write(&schema, stackwright_manifest::schema()).with_context(|| format!("writing {}", schema.display()))?;
    let mut stderr = std::io::stderr().lock();
    writeln!(stderr, "wrote {DEFAULT_FILE} (app {app}) and {SCHEMA_FILE}; next: stackwright synth")?;
    Ok(())
}
