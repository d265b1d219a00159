//! The judges' Python venv: `target/judges-venv/`, keyed by the sha256 of
//! `judges/requirements.txt`, rebuilt only when that key changes or the venv is broken.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

use sha2::{Digest, Sha256};

use crate::{Ctx, proc};

const STAMP: &str = "requirements.sha256";
const INSTALL_LIMIT: Duration = Duration::from_secs(20 * 60);

/// Checks that every pinned distribution is installed at exactly its pinned version.
const CHECK_PINS: &str = r"
import sys
from importlib import metadata
bad = []
for pin in sys.argv[1:]:
    name, version = pin.split('==')
    try:
        have = metadata.version(name)
    except metadata.PackageNotFoundError:
        have = 'missing'
    if have != version:
        bad.append(f'{name} is {have}, wants {version}')
print('; '.join(bad))
sys.exit(1 if bad else 0)
";

/// A ready venv holding the judges.
#[derive(Debug, Clone)]
pub(crate) struct Venv {
    pub(crate) dir: PathBuf,
    /// What happened: "cached (key …)" or "installed in … s".
    pub(crate) how: String,
}

impl Venv {
    pub(crate) fn bin(&self, name: &str) -> PathBuf {
        self.dir.join("bin").join(name)
    }
}

/// Returns the cached venv, (re)building it when needed. With `announce`, says so before a
/// long install; the install's own output goes to `target/judges-venv.log`.
pub(crate) fn ensure(ctx: &Ctx, announce: bool) -> Result<Venv> {
    let requirements = ctx.root.join("judges").join("requirements.txt");
    let text = fs::read(&requirements).with_context(|| format!("cannot read {}", requirements.display()))?;
    let pins = pins(&String::from_utf8_lossy(&text)).with_context(|| format!("in {}", requirements.display()))?;
    let key: String = Sha256::digest(&text).iter().fold(String::new(), |hex, b| hex + &format!("{b:02x}"));
    let dir = ctx.target.join("judges-venv");
    let stamp = dir.join(STAMP);

    let reason = match fs::read_to_string(&stamp) {
        Ok(found) if found.trim() == key => match healthy(&dir, &pins) {
            Ok(()) => {
                return Ok(Venv { dir, how: format!("cached (requirements sha256 {})", &key[..12]) });
            }
            Err(problem) => format!("the cached venv is broken ({problem})"),
        },
        Ok(_) => "judges/requirements.txt changed".to_owned(),
        Err(_) => "no venv yet".to_owned(),
    };

    let log = ctx.target.join("judges-venv.log");
    if announce {
        println!("venv: {reason}; installing the judges into {} (about 45 s; log {})", ctx.rel(&dir), ctx.rel(&log));
    }
    let started = Instant::now();
    install(ctx, &dir, &requirements, &log).map_err(|err| {
        let tail = tail(&log, 60);
        anyhow::anyhow!(
            "installing the judges from judges/requirements.txt failed: {err:#}\n\
             ({reason}; last lines of {}:)\n{tail}",
            log.display()
        )
    })?;
    healthy(&dir, &pins)
        .map_err(|problem| anyhow::anyhow!("the judges venv is unusable right after installing it: {problem}"))?;
    fs::write(&stamp, format!("{key}\n")).with_context(|| format!("cannot write {}", stamp.display()))?;
    Ok(Venv { dir, how: format!("installed in {:.0} s ({reason})", started.elapsed().as_secs_f64()) })
}

/// The version `judges/requirements.txt` pins `name` at (`cfn-lint` -> `1.58.0`). A healthy
/// venv ([`ensure`]) has exactly that version installed.
pub(crate) fn pinned_version(ctx: &Ctx, name: &str) -> Result<String> {
    let requirements = ctx.root.join("judges").join("requirements.txt");
    let text = fs::read_to_string(&requirements).with_context(|| format!("cannot read {}", requirements.display()))?;
    let pins = pins(&text).with_context(|| format!("in {}", requirements.display()))?;
    pins.iter()
        .find_map(|pin| {
            pin.split_once("==").filter(|(pinned, _)| *pinned == name).map(|(_, version)| version.to_owned())
        })
        .with_context(|| format!("{} pins no {name}", requirements.display()))
}

/// `name==version` lines, extras dropped: `moto[server]==5.2.5` -> `moto==5.2.5`.
fn pins(text: &str) -> Result<Vec<String>> {
    let mut pins = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let Some((name, version)) = line.split_once("==") else {
            bail!("`{line}` is not pinned with `==`: the judges must be exact versions");
        };
        let name = name.split('[').next().unwrap_or_default().trim();
        pins.push(format!("{name}=={}", version.trim()));
    }
    if pins.is_empty() {
        bail!("no pinned requirement");
    }
    Ok(pins)
}

fn healthy(dir: &Path, pins: &[String]) -> std::result::Result<(), String> {
    for tool in ["python", "cfn-lint", "checkov", "moto_server"] {
        if !dir.join("bin").join(tool).exists() {
            return Err(format!("bin/{tool} is missing"));
        }
    }
    let output = Command::new(dir.join("bin").join("python"))
        .args(["-c", CHECK_PINS])
        .args(pins)
        .stdin(Stdio::null())
        .output()
        .map_err(|err| format!("its python does not run: {err}"))?;
    if output.status.success() {
        Ok(())
    } else {
        let said = String::from_utf8_lossy(&output.stdout);
        let err = String::from_utf8_lossy(&output.stderr);
        Err(format!("{}{}", said.trim(), err.trim()))
    }
}

fn install(ctx: &Ctx, dir: &Path, requirements: &Path, log_path: &Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    }
    if let Some(parent) = log_path.parent() {
        fs::create_dir_all(parent)?;
    }
    let log = File::create(log_path).with_context(|| format!("cannot create {}", log_path.display()))?;
    let python = find_python()?;

    let mut create = Command::new(&python);
    create.arg("-m").arg("venv").arg(dir);
    run_logged(&mut create, &log)?;

    let mut pip = Command::new(dir.join("bin").join("python"));
    pip.args(["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-r"])
        .arg(requirements)
        .current_dir(&ctx.root);
    run_logged(&mut pip, &log)
}

fn run_logged(cmd: &mut Command, log: &File) -> Result<()> {
    use std::io::Write as _;
    let mut writer = log;
    let _ = writeln!(writer, "$ {}", proc::display(cmd));
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log.try_clone()?)
        .spawn()
        .with_context(|| format!("cannot start `{}`", proc::display(cmd)))?;
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            if status.success() {
                return Ok(());
            }
            bail!("`{}` failed with {status}", proc::display(cmd));
        }
        if started.elapsed() > INSTALL_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            bail!("`{}` took more than {} s", proc::display(cmd), INSTALL_LIMIT.as_secs());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `$STACKWRIGHT_PYTHON`, else the first of python3.11, python3, python that runs.
fn find_python() -> Result<String> {
    let candidates: Vec<String> = match std::env::var("STACKWRIGHT_PYTHON") {
        Ok(python) if !python.is_empty() => vec![python],
        _ => ["python3.11", "python3", "python"].map(str::to_owned).to_vec(),
    };
    for candidate in &candidates {
        let works = Command::new(candidate)
            .args(["-c", "import sys, venv; sys.exit(sys.version_info < (3, 9))"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if works {
            return Ok(candidate.clone());
        }
    }
    bail!("no Python >= 3.9 with the venv module found (tried {}); set STACKWRIGHT_PYTHON", candidates.join(", "))
}

fn tail(path: &Path, lines: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].iter().fold(String::new(), |mut out, line| {
        let _ = writeln!(out, "  | {line}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::pins;

    #[test]
    fn pins_drop_extras_and_comments() {
        let text = "# judges\ncfn-lint==1.58.0\nmoto[server,cloudformation]==5.2.5  # server\n\n";
        assert_eq!(pins(text).unwrap(), ["cfn-lint==1.58.0", "moto==5.2.5"]);
    }

    #[test]
    fn unpinned_requirement_is_refused() {
        assert!(pins("checkov>=3\n").is_err());
        assert!(pins("# nothing\n").is_err());
    }
}
