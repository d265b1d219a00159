//! The corpus builder: every pair of consecutive, differing versions of every CloudFormation
//! template in the first-parent history of some git repositories.
//!
//! A *version* is a blob of a file at a commit of `HEAD`'s first-parent line; a *pair* is the
//! blob before and after a commit that modified the file (status `M`, renames not followed), when
//! both blobs are templates ([`template_format`]). Pairs whose two blobs were already seen (a
//! template copied between repositories) are kept once, the first in walk order. The output is a
//! function of the repositories' commits alone: repositories in the order given, commits oldest
//! first, paths in git's order, pair directories named by a hash of what identifies them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result, bail};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

/// The file names a template can have in a repository (quick starts use `.template`).
const EXTENSIONS: &[&str] = &["json", "yaml", "yml", "template"];
/// Blobs above this size are not read (git stores larger ones, but no template is this big).
const MAX_BLOB: usize = 2 * 1024 * 1024;

/// How a template file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Yaml,
}

impl Format {
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
        }
    }
}

/// Whether `text` is a CloudFormation template, and in which syntax: it declares
/// `AWSTemplateFormatVersion`, or it has a `Resources` section with a `Type: AWS::…` entry.
pub(crate) fn template_format(text: &str) -> Option<Format> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        let value: Value = serde_json::from_str(trimmed).ok()?;
        let object = value.as_object()?;
        let aws_type = object.get("Resources").and_then(Value::as_object).is_some_and(|resources| {
            resources.values().any(|r| r.get("Type").and_then(Value::as_str).is_some_and(|t| t.starts_with("AWS::")))
        });
        return (object.contains_key("AWSTemplateFormatVersion") || aws_type).then_some(Format::Json);
    }
    let mut version = false;
    let mut resources = false;
    let mut aws_type = false;
    for line in trimmed.lines() {
        let unquoted = line.trim_start_matches(['"', '\'']);
        version |= unquoted.starts_with("AWSTemplateFormatVersion");
        resources |= unquoted.starts_with("Resources") && line.trim_end().ends_with(':');
        let inner = line.trim_start();
        aws_type |= line.starts_with(' ')
            && inner
                .strip_prefix("Type:")
                .is_some_and(|t| t.trim_start().trim_start_matches(['"', '\'']).starts_with("AWS::"));
    }
    (version || (resources && aws_type)).then_some(Format::Yaml)
}

/// One pair as written in `corpus.json` and each pair's `meta.json`.
#[derive(Debug, Clone)]
pub(crate) struct Pair {
    pub(crate) id: String,
    pub(crate) repo: String,
    pub(crate) path: String,
    pub(crate) old_commit: String,
    pub(crate) new_commit: String,
    pub(crate) old_format: Format,
    pub(crate) new_format: Format,
}

impl Pair {
    pub(crate) fn meta(&self) -> Value {
        json!({
            "id": self.id,
            "repo": self.repo,
            "path": self.path,
            "old_commit": self.old_commit,
            "new_commit": self.new_commit,
            "old": format!("old.{}", self.old_format.extension()),
            "new": format!("new.{}", self.new_format.extension()),
        })
    }
}

/// A repository's name for the corpus: `owner/name` from a `fetch` mirror path
/// (`/work/.mirror/owner+name/repo`), else the directory's name.
pub(crate) fn repo_name(git_dir: &Path) -> String {
    for component in git_dir.components().rev() {
        let part = component.as_os_str().to_string_lossy();
        if let Some((owner, name)) = part.split_once('+') {
            return format!("{owner}/{name}");
        }
    }
    let dir = if git_dir.ends_with(".git") { git_dir.parent().unwrap_or(git_dir) } else { git_dir };
    dir.file_name().map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// A history to walk: a git directory, the repository's name, and the commit to walk from.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub(crate) git_dir: PathBuf,
    pub(crate) repo: String,
    pub(crate) commit: String,
}

impl Source {
    /// A git directory given on the command line: named by [`repo_name`], walked from `HEAD`.
    pub(crate) fn from_dir(git_dir: PathBuf) -> Source {
        Source { repo: repo_name(&git_dir), git_dir, commit: "HEAD".into() }
    }
}

/// The sources a repository list names (`owner/name COMMIT` lines, `#` comments), each found
/// under `mirrors` as `fetch` lays it out (`owner+name/repo`, bare or with a `.git` inside).
pub(crate) fn sources_from_list(list: &str, mirrors: &Path) -> Result<Vec<Source>> {
    let mut sources = Vec::new();
    for (number, line) in list.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let (Some(repo), Some(commit), None) = ({
            let mut f = line.split_whitespace();
            (f.next(), f.next(), f.next())
        }) else {
            bail!("repository list line {}: expected `owner/name COMMIT`, got `{line}`", number + 1);
        };
        let dir = mirrors.join(repo.replacen('/', "+", 1)).join("repo");
        let git_dir = if dir.join(".git").is_dir() { dir.join(".git") } else { dir };
        if !git_dir.is_dir() {
            bail!("repository list line {}: {repo} is not under {} (fetch it first)", number + 1, mirrors.display());
        }
        sources.push(Source { git_dir, repo: repo.to_owned(), commit: commit.to_owned() });
    }
    Ok(sources)
}

/// Builds the corpus of `sources` into `out`, at most `max_per_file` pairs of each file (replaced whole: written beside it, then renamed).
pub(crate) fn build(sources: &[Source], out: &Path, max_per_file: Option<usize>) -> Result<Vec<Pair>> {
    if sources.is_empty() {
        bail!("no git directory given");
    }
    let staging = out.with_extension("partial");
    if staging.exists() {
        std::fs::remove_dir_all(&staging).with_context(|| format!("cannot remove {}", staging.display()))?;
    }
    std::fs::create_dir_all(staging.join("pairs"))?;
    let mut seen = BTreeSet::new();
    let mut pairs = Vec::new();
    for source in sources {
        let found = walk(source, &mut seen, &staging, max_per_file)
            .with_context(|| format!("cannot read the history of {}", source.git_dir.display()))?;
        println!("diff-corpus: {}: {} pair(s)", source.repo, found.len());
        pairs.extend(found);
    }
    let index: Vec<Value> = pairs.iter().map(Pair::meta).collect();
    let mut text = serde_json::to_string_pretty(&json!({ "pairs": index }))?;
    text.push('\n');
    std::fs::write(staging.join("corpus.json"), text)?;
    if out.exists() {
        std::fs::remove_dir_all(out).with_context(|| format!("cannot replace {}", out.display()))?;
    }
    std::fs::rename(&staging, out)?;
    Ok(pairs)
}

/// One modification of one file: the commit and the blobs before and after.
struct Change {
    commit: String,
    parent: String,
    path: String,
    old_blob: String,
    new_blob: String,
}

fn walk(
    source: &Source,
    seen: &mut BTreeSet<(String, String)>,
    staging: &Path,
    max_per_file: Option<usize>,
) -> Result<Vec<Pair>> {
    let (git_dir, repo) = (source.git_dir.as_path(), source.repo.as_str());
    let changes = modifications(git_dir, &source.commit)?;
    let mut blobs = BlobReader::new(git_dir)?;
    // First pass: which modifications are pairs of templates, per file in history order.
    let mut by_path: BTreeMap<String, Vec<(Change, Format, Format)>> = BTreeMap::new();
    let mut order = Vec::new();
    for change in changes {
        if !seen.insert((change.old_blob.clone(), change.new_blob.clone())) {
            continue;
        }
        let (Some(old), Some(new)) = (blobs.read(&change.old_blob)?, blobs.read(&change.new_blob)?) else {
            continue;
        };
        let (Some(old_format), Some(new_format)) = (template_format(&old), template_format(&new)) else {
            continue;
        };
        if !by_path.contains_key(&change.path) {
            order.push(change.path.clone());
        }
        by_path.entry(change.path.clone()).or_default().push((change, old_format, new_format));
    }
    // Second pass: at most `max_per_file` pairs of each file, evenly spaced along its history,
    // so that a file with hundreds of versions does not outweigh the rest.
    let mut pairs = Vec::new();
    for path in order {
        let versions = by_path.remove(&path).unwrap_or_default();
        let keep = max_per_file.unwrap_or(usize::MAX).min(versions.len());
        let picked: BTreeSet<usize> = (0..keep).map(|i| i * versions.len() / keep).collect();
        for (index, (change, old_format, new_format)) in versions.into_iter().enumerate() {
            if !picked.contains(&index) {
                continue;
            }
            let (Some(old), Some(new)) = (blobs.read(&change.old_blob)?, blobs.read(&change.new_blob)?) else {
                continue;
            };
            pairs.push(write_pair(staging, repo, change, (old_format, &old), (new_format, &new))?);
        }
    }
    Ok(pairs)
}

fn write_pair(staging: &Path, repo: &str, change: Change, old: (Format, &str), new: (Format, &str)) -> Result<Pair> {
    let mut hasher = Sha256::new();
    for part in [repo, &change.path, &change.parent, &change.commit] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    let mut id = String::new();
    for byte in &digest[..6] {
        let _ = write!(id, "{byte:02x}");
    }
    let pair = Pair {
        id,
        repo: repo.to_owned(),
        path: change.path,
        old_commit: change.parent,
        new_commit: change.commit,
        old_format: old.0,
        new_format: new.0,
    };
    let dir = staging.join("pairs").join(&pair.id);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(format!("old.{}", old.0.extension())), old.1)?;
    std::fs::write(dir.join(format!("new.{}", new.0.extension())), new.1)?;
    std::fs::write(dir.join("meta.json"), format!("{}\n", serde_json::to_string_pretty(&pair.meta())?))?;
    Ok(pair)
}

/// Every `M` entry of `git log --first-parent --raw` from `commit`, oldest commit first.
fn modifications(git_dir: &Path, commit: &str) -> Result<Vec<Change>> {
    let output = Command::new("git")
        .arg("--git-dir")
        .arg(git_dir)
        .args([
            "log",
            "--first-parent",
            "--reverse",
            "--diff-merges=first-parent",
            "--no-renames",
            "--raw",
            "--no-abbrev",
            "-z",
            "--format=commit %H %P",
            commit,
        ])
        .stdin(Stdio::null())
        .output()
        .context("cannot run git log")?;
    if !output.status.success() {
        bail!("git log failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut tokens = text.split('\0').map(|t| t.trim_start_matches('\n'));
    let mut changes = Vec::new();
    let (mut commit, mut parent) = (String::new(), String::new());
    while let Some(token) = tokens.next() {
        if let Some(header) = token.strip_prefix("commit ") {
            let mut ids = header.split(' ');
            ids.next().unwrap_or_default().clone_into(&mut commit);
            ids.next().unwrap_or_default().clone_into(&mut parent);
        } else if let Some(raw) = token.strip_prefix(':') {
            let path = tokens.next().unwrap_or_default().to_owned();
            let fields: Vec<&str> = raw.split(' ').collect();
            let [old_mode, new_mode, old_blob, new_blob, status] = fields[..] else { continue };
            let is_file = |mode: &str| mode.starts_with("100");
            let extension = path.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase());
            if status == "M"
                && is_file(old_mode)
                && is_file(new_mode)
                && extension.is_some_and(|ext| EXTENSIONS.contains(&ext.as_str()))
                && !parent.is_empty()
            {
                changes.push(Change {
                    commit: commit.clone(),
                    parent: parent.clone(),
                    path,
                    old_blob: old_blob.to_owned(),
                    new_blob: new_blob.to_owned(),
                });
            }
        }
    }
    Ok(changes)
}

/// `git cat-file --batch`, one process per repository.
struct BlobReader {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: BufReader<std::process::ChildStdout>,
}

impl BlobReader {
    fn new(git_dir: &Path) -> Result<Self> {
        let mut child = Command::new("git")
            .arg("--git-dir")
            .arg(git_dir)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start git cat-file")?;
        let stdin = child.stdin.take().context("no stdin")?;
        let stdout = BufReader::new(child.stdout.take().context("no stdout")?);
        Ok(BlobReader { child, stdin, stdout })
    }

    /// The blob's text; `None` when it is missing from the snapshot, too big, or not UTF-8.
    fn read(&mut self, blob: &str) -> Result<Option<String>> {
        writeln!(self.stdin, "{blob}")?;
        self.stdin.flush()?;
        let mut header = String::new();
        self.stdout.read_line(&mut header)?;
        let fields: Vec<&str> = header.split_whitespace().collect();
        let [_, "blob", size] = fields[..] else { return Ok(None) };
        let size: usize = size.parse().context("bad git cat-file header")?;
        let mut bytes = vec![0; size + 1];
        self.stdout.read_exact(&mut bytes)?;
        bytes.pop();
        if size > MAX_BLOB {
            return Ok(None);
        }
        Ok(String::from_utf8(bytes).ok())
    }
}

impl Drop for BlobReader {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_templates_by_version_or_aws_resource_types() {
        assert_eq!(template_format("{\"AWSTemplateFormatVersion\": \"2010-09-09\"}"), Some(Format::Json));
        assert_eq!(template_format("{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\"}}}"), Some(Format::Json));
        assert_eq!(template_format("{\"Resources\": {\"B\": {\"Type\": \"Other\"}}}"), None);
        assert_eq!(template_format("{\"name\": \"package.json\"}"), None);
        assert_eq!(template_format("AWSTemplateFormatVersion: '2010-09-09'\n"), Some(Format::Yaml));
        assert_eq!(template_format("Resources:\n  B:\n    Type: 'AWS::S3::Bucket'\n"), Some(Format::Yaml));
        assert_eq!(template_format("Resources:\n  - name: x\n"), None);
        assert_eq!(template_format("version: 2\njobs:\n  Type: AWS::x\n"), None);
    }

    #[test]
    fn names_fetch_mirrors_by_owner_and_repository() {
        assert_eq!(
            repo_name(Path::new("/work/.mirror/aws-quickstart+quickstart-aws-vpc/repo")),
            "aws-quickstart/quickstart-aws-vpc"
        );
        assert_eq!(repo_name(Path::new("/src/my-templates/.git")), "my-templates");
    }
}
