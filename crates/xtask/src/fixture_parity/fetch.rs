//! cfn-lint's own test templates, fetched at test time and never vendored: the sdist of the
//! pinned cfn-lint is downloaded from `PyPI` with pip, checked against the sha256 committed in
//! `judges/cfn-lint-sdist.sha256`, and its `test/fixtures/templates/` unpacked once per sha256
//! under `target/cfn-lint-fixtures/`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use sha2::{Digest, Sha256};

use crate::venv::{self, Venv};
use crate::{Ctx, proc};

const CHECKSUM_FILE: &str = "cfn-lint-sdist.sha256";
const DOWNLOAD_LIMIT: Duration = Duration::from_secs(10 * 60);
/// Written last into an unpacked cache directory: without it the directory is incomplete.
const STAMP: &str = "unpacked.sha256";
/// The fixture directories measured. cfn-lint's `templates/` also holds `integration/`,
/// `public/`, `quickstart/`… which its suite runs with snapshot results rather than as
/// good or bad; everything is unpacked so that a fixture's relative references (nested stack
/// `TemplateURL`s) resolve as in cfn-lint's own tree.
pub(crate) const DIRECTORIES: [&str; 2] = ["good", "bad"];

/// The fixtures, ready on disk.
#[derive(Debug)]
pub(crate) struct Fixtures {
    /// The unpacked `test/fixtures/templates`: both tools run there, and fixture names are
    /// relative to it (`good/minimal.yaml`).
    pub(crate) root: PathBuf,
    /// The directory of this sdist's cache (the cfn-lint results are cached there too).
    pub(crate) cache: PathBuf,
    pub(crate) sha256: String,
    pub(crate) version: String,
    /// Every `*.json`, `*.yaml` and `*.yml` under `good/` and `bad/`, sorted.
    pub(crate) files: Vec<String>,
    /// "cached (sha256 …)" or "downloaded and unpacked in … s".
    pub(crate) how: String,
}

pub(crate) fn ensure(ctx: &Ctx, venv: &Venv) -> Result<Fixtures> {
    let version = venv::pinned_version(ctx, "cfn-lint")?;
    let (sha256, sdist_name) = committed_checksum(ctx, &version)?;
    let dir = ctx.target.join("cfn-lint-fixtures");
    let cache = dir.join(&sha256[..16]);
    let root = cache.join("templates");
    let started = Instant::now();
    let how = if fs::read_to_string(cache.join(STAMP)).is_ok_and(|stamp| stamp.trim() == sha256) {
        format!("cached (sha256 {})", &sha256[..12])
    } else {
        let sdist = dir.join(&sdist_name);
        let downloaded = if file_sha256(&sdist).is_ok_and(|found| found == sha256) {
            false
        } else {
            download(venv, &dir, &version, &sdist_name)?;
            true
        };
        let found = file_sha256(&sdist)?;
        if found != sha256 {
            let _ = fs::remove_file(&sdist);
            bail!(
                "{sdist_name} from PyPI has sha256 {found}, but judges/{CHECKSUM_FILE} expects {sha256}; \
                 nothing was unpacked"
            );
        }
        unpack(&sdist, &cache, &version, &sha256)?;
        let verb = if downloaded { "downloaded, checked and unpacked" } else { "checked and unpacked" };
        format!("{verb} in {:.0} s (sha256 {})", started.elapsed().as_secs_f64(), &sha256[..12])
    };
    let files = fixture_files(&root)?;
    if files.is_empty() {
        bail!("no fixture template under {}", root.display());
    }
    Ok(Fixtures { root, cache, sha256, version, files, how })
}

/// `(sha256, file name)` from `judges/cfn-lint-sdist.sha256`, which must name the sdist of the
/// pinned version.
fn committed_checksum(ctx: &Ctx, version: &str) -> Result<(String, String)> {
    let path = ctx.root.join("judges").join(CHECKSUM_FILE);
    let text = fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let line = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .with_context(|| format!("{} holds no `SHA256  FILE` line", path.display()))?;
    let (sha256, name) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let name = name.trim();
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!("{}: `{sha256}` is not a sha256", path.display());
    }
    let wanted = format!("cfn_lint-{version}.tar.gz");
    if name != wanted {
        bail!(
            "{} records `{name}`, but judges/requirements.txt pins cfn-lint {version}: download \
             {wanted}, check it, and record its sha256 there",
            path.display()
        );
    }
    Ok((sha256.to_ascii_lowercase(), wanted))
}

fn download(venv: &Venv, dir: &Path, version: &str, sdist_name: &str) -> Result<()> {
    let staging = dir.join("download");
    if staging.exists() {
        fs::remove_dir_all(&staging).with_context(|| format!("cannot remove {}", staging.display()))?;
    }
    fs::create_dir_all(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
    let mut pip = Command::new(venv.bin("python"));
    pip.args(["-m", "pip", "download", "--disable-pip-version-check", "--no-input", "--no-binary", ":all:"])
        .args(["--no-deps", "--dest"])
        .arg(&staging)
        .arg(format!("cfn-lint=={version}"));
    println!("fixture-parity: {}", proc::display(&pip));
    let out = proc::capture(&mut pip, DOWNLOAD_LIMIT)?;
    if out.code != Some(0) {
        bail!("`{}` failed ({}):\n{}{}", proc::display(&pip), out.describe_status(), out.stdout, out.stderr);
    }
    let fetched = staging.join(sdist_name);
    if !fetched.is_file() {
        bail!("`{}` did not write {sdist_name}:\n{}", proc::display(&pip), out.stdout);
    }
    let sdist = dir.join(sdist_name);
    fs::rename(&fetched, &sdist).with_context(|| format!("cannot move the sdist to {}", sdist.display()))?;
    let _ = fs::remove_dir_all(&staging);
    Ok(())
}

/// Unpacks `test/fixtures/templates/` of the sdist into `<cache>/templates`, then writes the
/// stamp: an interrupted unpack leaves no stamp and is redone.
fn unpack(sdist: &Path, cache: &Path, version: &str, sha256: &str) -> Result<()> {
    if cache.exists() {
        fs::remove_dir_all(cache).with_context(|| format!("cannot remove {}", cache.display()))?;
    }
    let staging = cache.join("unpacking");
    fs::create_dir_all(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
    let member = format!("cfn_lint-{version}/test/fixtures/templates");
    let mut tar = Command::new("tar");
    tar.arg("-xzf").arg(sdist).arg("-C").arg(&staging).arg(&member);
    let out = proc::capture(&mut tar, DOWNLOAD_LIMIT)?;
    if out.code != Some(0) {
        bail!("`{}` failed ({}):\n{}", proc::display(&tar), out.describe_status(), out.stderr);
    }
    let root = cache.join("templates");
    fs::rename(staging.join(&member), &root)
        .with_context(|| format!("cannot move the fixtures to {}", root.display()))?;
    fs::remove_dir_all(&staging).with_context(|| format!("cannot remove {}", staging.display()))?;
    fs::write(cache.join(STAMP), format!("{sha256}\n")).with_context(|| format!("cannot write {STAMP}"))?;
    Ok(())
}

pub(crate) fn file_sha256(path: &Path) -> Result<String> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(hex(&Sha256::digest(&bytes)))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut hex, b| {
        use std::fmt::Write as _;
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

/// The templates under `good/` and `bad/`, as `/`-separated paths relative to `root`.
fn fixture_files(root: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    let mut pending: Vec<PathBuf> = DIRECTORIES.iter().map(|dir| root.join(dir)).collect();
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if is_template(&path) {
                let relative = path.strip_prefix(root).unwrap_or(&path);
                let parts: Vec<String> =
                    relative.components().map(|part| part.as_os_str().to_string_lossy().into_owned()).collect();
                files.push(parts.join("/"));
            }
        }
    }
    files.sort();
    Ok(files)
}

fn is_template(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| ["json", "yaml", "yml"].iter().any(|known| ext.eq_ignore_ascii_case(known)))
}

#[cfg(test)]
mod tests {
    use super::{hex, is_template};
    use std::path::Path;

    #[test]
    fn templates_are_json_and_yaml_files() {
        assert!(is_template(Path::new("good/a.yaml")));
        assert!(is_template(Path::new("bad/b.YML")));
        assert!(is_template(Path::new("bad/c.json")));
        assert!(!is_template(Path::new("good/generic.yaml.dot")));
        assert!(!is_template(Path::new("good/README.md")));
    }

    #[test]
    fn hex_is_lowercase_and_padded() {
        assert_eq!(hex(&[0x00, 0x0f, 0xab]), "000fab");
    }
}
