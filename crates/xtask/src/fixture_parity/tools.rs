//! Running the two tools over every fixture, each in one process: cfn-lint (its results cached
//! by sdist sha256, cfn-lint version, command line and the venv's installed distributions) and
//! `stackwright validate`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::fetch::{Fixtures, hex};
use crate::venv::Venv;
use crate::{Ctx, proc, validate_json};

const LINT_LIMIT: Duration = Duration::from_secs(15 * 60);
const OURS_LIMIT: Duration = Duration::from_secs(5 * 60);
/// For one file alone, when the run over all of them failed: a file this slow is a finding.
const ONE_FILE_LIMIT: Duration = Duration::from_secs(20);

/// cfn-lint's default rule set (errors and warnings), as a user runs it: informational findings
/// (`--include-checks I`) cannot change either direction of the comparison, which is about
/// errors, so they are not asked for. `--` ends the options (see JUDGES.md).
const LINT_ARGS: [&str; 3] = ["--format", "json", "--"];

/// One cfn-lint finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LintFinding {
    pub(crate) rule: String,
    /// `Location.Path`: `["Resources", "Bucket", "Properties", …]`; `None` when cfn-lint gives
    /// none (parse errors).
    pub(crate) path: Option<Vec<String>>,
    pub(crate) message: String,
}

/// What cfn-lint said.
#[derive(Debug)]
pub(crate) struct LintRun {
    /// Fixture -> its findings (a fixture without findings is absent).
    pub(crate) findings: BTreeMap<String, Vec<LintFinding>>,
    /// The wall time of the cfn-lint process (of the run that filled the cache, when cached).
    pub(crate) seconds: f64,
    pub(crate) cached: bool,
    pub(crate) command: String,
}

/// What stackwright said.
#[derive(Debug)]
pub(crate) struct OurRun {
    pub(crate) findings: BTreeMap<String, Vec<validate_json::Finding>>,
    /// Fixtures on which stackwright panicked, timed out or wrote no report, with what happened.
    pub(crate) crashes: BTreeMap<String, String>,
    pub(crate) seconds: f64,
    /// How it ran ("one process, debug build" or why it fell back to one process per file).
    pub(crate) how: String,
}

pub(crate) fn cfn_lint(venv: &Venv, fixtures: &Fixtures) -> Result<LintRun> {
    let mut cmd = Command::new(venv.bin("cfn-lint"));
    cmd.args(LINT_ARGS).args(&fixtures.files).current_dir(&fixtures.root);
    let command = format!("cfn-lint {} <{} fixtures>", LINT_ARGS.join(" "), fixtures.files.len());
    let installed = installed_distributions(venv);
    let key = {
        let mut hasher = Sha256::new();
        for part in [fixtures.sha256.as_str(), fixtures.version.as_str()]
            .into_iter()
            .chain(LINT_ARGS)
            .chain(fixtures.files.iter().map(String::as_str))
            .chain(installed.iter().map(String::as_str))
        {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        hex(&hasher.finalize())
    };
    let cache = fixtures.cache.join(format!("cfn-lint-{}-{}.json", fixtures.version, &key[..16]));
    if let Some((output, seconds)) = cached(&cache, &key) {
        let findings = parse_lint(&output, &fixtures.files)?;
        return Ok(LintRun { findings, seconds, cached: true, command });
    }
    println!("fixture-parity: {command} (no cached results; about 20 s)");
    let out = proc::capture(&mut cmd, LINT_LIMIT)?;
    // A bitmask of 2 (errors), 4 (warnings), 8 (informational); anything else is cfn-lint
    // itself failing.
    if out.code.is_none_or(|code| code & !(2 | 4 | 8) != 0) {
        bail!("cfn-lint failed ({}):\n{}", out.describe_status(), out.stderr);
    }
    let output: Value = serde_json::from_str(&out.stdout)
        .with_context(|| format!("cfn-lint wrote no JSON ({}):\n{}", out.describe_status(), out.stderr))?;
    let findings = parse_lint(&output, &fixtures.files)?;
    let seconds = out.elapsed.as_secs_f64();
    let record = json!({"key": key, "cfn_lint": fixtures.version, "sdist_sha256": fixtures.sha256,
                        "seconds": seconds, "output": output});
    let staging = cache.with_extension("json.partial");
    fs::write(&staging, record.to_string())
        .and_then(|()| fs::rename(&staging, &cache))
        .with_context(|| format!("cannot write {}", cache.display()))?;
    Ok(LintRun { findings, seconds, cached: false, command })
}

/// The distributions installed in the venv (`aws_sam_translator-1.99.0.dist-info`…), part of
/// the cache key: the requirements pin cfn-lint, not every package its verdicts depend on.
fn installed_distributions(venv: &Venv) -> Vec<String> {
    let mut names = Vec::new();
    for python in fs::read_dir(venv.dir.join("lib")).into_iter().flatten().flatten() {
        for entry in fs::read_dir(python.path().join("site-packages")).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".dist-info") {
                names.push(name);
            }
        }
    }
    names.sort();
    names
}

/// The cached output and wall time, when the cache file exists and is for this key.
fn cached(path: &Path, key: &str) -> Option<(Value, f64)> {
    let record: Value = serde_json::from_str(&fs::read_to_string(path).ok()?).ok()?;
    if record["key"] != key {
        return None;
    }
    Some((record["output"].clone(), record["seconds"].as_f64()?))
}

fn parse_lint(output: &Value, files: &[String]) -> Result<BTreeMap<String, Vec<LintFinding>>> {
    let mut findings: BTreeMap<String, Vec<LintFinding>> = BTreeMap::new();
    for finding in output.as_array().context("cfn-lint's JSON is not a list of findings")? {
        let file = finding["Filename"].as_str().context("a cfn-lint finding without Filename")?;
        if files.binary_search_by(|known| known.as_str().cmp(file)).is_err() {
            bail!("cfn-lint reported on {file}, which is not one of the fixtures it was given");
        }
        let rule = finding["Rule"]["Id"].as_str().context("a cfn-lint finding without Rule.Id")?;
        let location = &finding["Location"];
        let path = location["Path"].as_array().map(|parts| {
            parts.iter().map(|part| part.as_str().map_or_else(|| part.to_string(), str::to_owned)).collect()
        });
        findings.entry(file.to_owned()).or_default().push(LintFinding {
            rule: rule.to_owned(),
            path,
            message: finding["Message"].as_str().unwrap_or_default().to_owned(),
        });
    }
    Ok(findings)
}

/// Builds `stackwright` (the debug build `cargo test` already made, or the release build) and
/// runs `stackwright validate --format json` once over every fixture.
pub(crate) fn stackwright(ctx: &Ctx, fixtures: &Fixtures, release: bool) -> Result<OurRun> {
    let mut build = Command::new(&ctx.cargo);
    build.args(["build", "--quiet", "-p", "stackwright"]).current_dir(&ctx.root);
    if release {
        build.arg("--release");
    }
    let status = proc::stream(&mut build)?;
    if !status.success() {
        bail!("`{}` failed with {status}", proc::display(&build));
    }
    let profile = if release { "release" } else { "debug" };
    let binary = ctx.target.join(profile).join(format!("stackwright{}", std::env::consts::EXE_SUFFIX));
    validate_all(&binary, &fixtures.root, &fixtures.files, &format!("{profile} build"))
}

/// `binary validate --format json FILES…` in `root`, once over all files; when that fails
/// (a panic, a time-out, no report, a file left out), once per file, to name the culprits.
fn validate_all(binary: &Path, root: &Path, files: &[String], build: &str) -> Result<OurRun> {
    let validate = |files: &[String], limit: Duration| {
        let mut cmd = Command::new(binary);
        cmd.args(["validate", "--format", "json"]).args(files).current_dir(root);
        proc::capture(&mut cmd, limit)
    };
    let started = Instant::now();
    let out = validate(files, OURS_LIMIT)?;
    let seconds = started.elapsed().as_secs_f64();
    let batch = match out.code {
        Some(0 | 1) => validate_json::parse(&out.stdout).map_err(|err| format!("{err:#}")),
        _ => Err(out.describe_status()),
    };
    let batch = batch.and_then(|findings| match files.iter().find(|file| !findings.contains_key(*file)) {
        Some(missing) => Err(format!("its report leaves out {missing}")),
        None => Ok(findings),
    });
    let problem = match batch {
        Ok(findings) => {
            let how = format!("one process, {build}");
            return Ok(OurRun { findings, crashes: BTreeMap::new(), seconds, how });
        }
        Err(problem) => problem,
    };
    // Name the culprits: every file on its own.
    println!("fixture-parity: stackwright validate failed over all fixtures ({problem}); running it per file");
    let (mut findings, mut crashes) = (BTreeMap::new(), BTreeMap::new());
    let started = Instant::now();
    for file in files {
        let out = validate(std::slice::from_ref(file), ONE_FILE_LIMIT)?;
        let parsed = match out.code {
            Some(0 | 1) => validate_json::parse(&out.stdout).map_err(|err| format!("{err:#}")),
            _ => Err(out.describe_status()),
        };
        match parsed.map(|mut report| report.remove(file)) {
            Ok(Some(found)) => {
                findings.insert(file.clone(), found);
            }
            Ok(None) => {
                crashes.insert(file.clone(), "its report leaves the file out".to_owned());
            }
            Err(problem) => {
                let said = out.stderr.lines().find(|line| !line.trim().is_empty()).unwrap_or_default();
                crashes.insert(file.clone(), format!("{problem}: {said}"));
            }
        }
    }
    let how = format!("one process per file, {build}, after one process over all of them failed: {problem}");
    Ok(OurRun { findings, crashes, seconds: started.elapsed().as_secs_f64(), how })
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::PathBuf;

    use serde_json::json;

    use super::{parse_lint, validate_all};

    #[test]
    fn cfn_lint_findings_are_read_per_file() {
        let files = ["bad/a.yaml".to_owned(), "good/b.json".to_owned()];
        let output = json!([
            {"Filename": "bad/a.yaml", "Rule": {"Id": "E3012"}, "Level": "Error", "Message": "m",
             "Location": {"Path": ["Resources", "A", "Properties", 0], "Start": {"LineNumber": 3}}},
            {"Filename": "bad/a.yaml", "Rule": {"Id": "E0000"}, "Message": "parse", "Location": {"Path": null}},
        ]);
        let findings = parse_lint(&output, &files).unwrap();
        let found = &findings["bad/a.yaml"];
        assert_eq!(
            found[0].path.as_deref(),
            Some(&["Resources".into(), "A".into(), "Properties".into(), "0".into()][..])
        );
        assert_eq!(found[1].path, None);
        assert!(!findings.contains_key("good/b.json"));
        let stray = json!([{"Filename": "elsewhere.yaml", "Rule": {"Id": "E1"}, "Location": {}}]);
        assert!(parse_lint(&stray, &files).is_err());
    }

    /// A stand-in for stackwright that panics on one file: the run over all files fails, and
    /// the per-file runs name that file and keep the verdicts on the others.
    #[cfg(unix)]
    #[test]
    fn a_crash_is_pinned_on_its_file() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = std::env::temp_dir().join(format!("xtask-crash-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let script = dir.join("fake-stackwright");
        let body = r#"#!/bin/sh
shift 3
out='{"version":1,"files":['
sep=''
for f in "$@"; do
  if [ "$f" = boom.yaml ]; then echo "thread 'main' panicked at src/x.rs:1:1" >&2; exit 101; fi
  out="$out$sep{\"path\":\"$f\",\"findings\":[]}"
  sep=','
done
echo "$out]}"
"#;
        fs::write(&script, body).unwrap();
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
        let files: Vec<String> = ["a.yaml", "boom.yaml", "c.yaml"].map(str::to_owned).into();
        let run = validate_all(&script, &dir, &files, "test build").unwrap();
        assert_eq!(run.findings.keys().collect::<Vec<_>>(), ["a.yaml", "c.yaml"]);
        assert_eq!(run.crashes.len(), 1);
        assert!(run.crashes["boom.yaml"].contains("panicked"), "{:?}", run.crashes);
        assert!(run.how.starts_with("one process per file"), "{}", run.how);
        let whole = validate_all(&script, &dir, &files[..1], "test build").unwrap();
        assert!(whole.crashes.is_empty() && whole.how == "one process, test build", "{}", whole.how);
        let _ = fs::remove_dir_all(PathBuf::from(&dir));
    }
}
