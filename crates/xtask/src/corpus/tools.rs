//! Running the two diffs and the judge's template reader over a corpus.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use super::build::Pair;
use super::judge::Verdict;
use crate::{Ctx, proc};

/// What one tool said about one pair.
#[derive(Debug, Clone)]
pub(crate) enum Answer {
    /// Its verdict per changed resource; an impact name it does not document is kept as text.
    Read(BTreeMap<String, Result<Verdict, String>>, Detail),
    /// It could not read the pair: its message.
    Refused(String),
}

/// Per resource, what else a tool said (our diff's reason kinds), for the causes.
pub(crate) type Detail = BTreeMap<String, Vec<String>>;

/// The tool's whole-process or in-process time for a pair, in milliseconds.
pub(crate) type Timings = BTreeMap<String, f64>;

/// Our impact names (`schema_version` 1; `revision`, a new ECS task definition revision, is a
/// new physical resource: CloudFormation's replacement).
pub(crate) fn our_verdict(impact: &str) -> Result<Verdict, String> {
    Ok(match impact {
        "no_change" => Verdict::NoChange,
        "update" => Verdict::Update,
        "may_replace" => Verdict::MayReplace,
        "replace" | "revision" => Verdict::Replace,
        "create" => Verdict::Create,
        "orphan" => Verdict::Orphan,
        "destroy" => Verdict::Destroy,
        other => return Err(other.to_owned()),
    })
}

/// CDK's `ResourceImpact` names.
pub(crate) fn cdk_verdict(impact: &str) -> Result<Verdict, String> {
    Ok(match impact {
        "NO_CHANGE" => Verdict::NoChange,
        "WILL_UPDATE" => Verdict::Update,
        "MAY_REPLACE" => Verdict::MayReplace,
        "WILL_REPLACE" => Verdict::Replace,
        "WILL_CREATE" | "WILL_IMPORT" => Verdict::Create,
        "WILL_ORPHAN" => Verdict::Orphan,
        "WILL_DESTROY" => Verdict::Destroy,
        other => return Err(other.to_owned()),
    })
}

/// Reads `stackwright diff --format json`: every stack's `resources[]` (`logical_id`, `impact`,
/// `reasons[].kind`), whatever else the document holds.
pub(crate) fn read_ours(document: &Value) -> Result<Answer> {
    let stacks = document.get("stacks").and_then(Value::as_array).context("no `stacks` list")?;
    let (mut verdicts, mut detail) = (BTreeMap::new(), BTreeMap::new());
    for resource in stacks.iter().filter_map(|s| s.get("resources").and_then(Value::as_array)).flatten() {
        let id = resource.get("logical_id").and_then(Value::as_str).context("a resource without `logical_id`")?;
        let impact = resource.get("impact").and_then(Value::as_str).context("a resource without `impact`")?;
        let mut kinds: Vec<String> = resource
            .get("reasons")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| r.get("kind").and_then(Value::as_str))
            .map(str::to_owned)
            .collect();
        kinds.sort();
        kinds.dedup();
        verdicts.insert(id.to_owned(), our_verdict(impact));
        detail.insert(id.to_owned(), kinds);
    }
    Ok(Answer::Read(verdicts, detail))
}

/// `stackwright diff OLD NEW --format json`, one process per pair (the time is the whole
/// process's), sequentially so that the times are not contended by each other.
pub(crate) fn run_ours(
    binary: &Path,
    corpus: &Path,
    pairs: &[Pair],
) -> Result<(BTreeMap<String, Answer>, Timings, Option<f64>)> {
    let (mut answers, mut times) = (BTreeMap::new(), BTreeMap::new());
    let cpu_before = children_cpu_seconds();
    for pair in pairs {
        let dir = corpus.join("pairs").join(&pair.id);
        let meta = pair.meta();
        let side = |key: &str| dir.join(meta[key].as_str().unwrap_or_default());
        let started = Instant::now();
        let output = Command::new(binary)
            .arg("diff")
            .arg(side("old"))
            .arg(side("new"))
            .args(["--format", "json"])
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("cannot run {}", binary.display()))?;
        times.insert(pair.id.clone(), started.elapsed().as_secs_f64() * 1000.0);
        let answer = if output.status.success() {
            let document: Value = serde_json::from_slice(&output.stdout)
                .with_context(|| format!("pair {}: stackwright diff printed no JSON", pair.id))?;
            read_ours(&document).with_context(|| format!("pair {}: unexpected diff JSON", pair.id))?
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            Answer::Refused(stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("no message").trim().to_owned())
        };
        answers.insert(pair.id.clone(), answer);
    }
    // CPU time (user + system) of the diff processes, which a loaded machine does not inflate
    // the way it does wall time: the mean per pair, in milliseconds.
    #[allow(clippy::cast_precision_loss)]
    let cpu = match (cpu_before, children_cpu_seconds()) {
        (Some(before), Some(after)) if !pairs.is_empty() => Some((after - before) * 1000.0 / pairs.len() as f64),
        _ => None,
    };
    Ok((answers, times, cpu))
}

/// The CPU time of this process's waited-for children (`cutime` + `cstime` of
/// `/proc/self/stat`), in seconds; `None` where there is no such file.
fn children_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces, so split after its `)`): state is
    // field 3, cutime 16 and cstime 17.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(13)?.parse::<f64>().ok()? + fields.get(14)?.parse::<f64>().ok()?;
    let output = Command::new("getconf").arg("CLK_TCK").stdin(Stdio::null()).output().ok()?;
    let per_second: f64 = String::from_utf8_lossy(&output.stdout).trim().parse().ok()?;
    Some(ticks / per_second)
}

/// Installs the pinned CDK packages (`npm ci` from the committed lock file) under
/// `work/cdk`, unless they already are.
pub(crate) fn ensure_cdk(ctx: &Ctx, work: &Path) -> Result<PathBuf> {
    let assets = ctx.root.join("crates/xtask/assets/diff-corpus");
    let dir = work.join("cdk");
    std::fs::create_dir_all(&dir)?;
    let lock = std::fs::read(assets.join("package-lock.json")).context("cannot read the CDK lock file")?;
    let installed = std::fs::read(dir.join("package-lock.json")).ok();
    if installed.as_deref() != Some(&lock[..]) || !dir.join("node_modules/@aws-cdk/cloudformation-diff").is_dir() {
        std::fs::copy(assets.join("package.json"), dir.join("package.json"))?;
        std::fs::write(dir.join("package-lock.json"), &lock)?;
        let mut cmd = Command::new("npm");
        cmd.args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"]).current_dir(&dir);
        println!("diff-corpus: {} (in {})", proc::display(&cmd), ctx.rel(&dir));
        let out = proc::capture(&mut cmd, Duration::from_secs(600))?;
        if out.code != Some(0) {
            bail!("npm ci failed ({}): {}", out.describe_status(), out.stderr.trim());
        }
    }
    Ok(dir)
}

/// CDK's diff of every pair in one Node process: its answers, in-process times per pair,
/// and its start-up time (Node and the package loaded).
/// What CDK's run measured besides its answers: wall and CPU milliseconds per pair, and its
/// start-up (wall and CPU).
#[derive(Debug, Default)]
pub(crate) struct CdkTimes {
    pub(crate) wall: Timings,
    pub(crate) cpu: Timings,
    pub(crate) startup_wall: f64,
    pub(crate) startup_cpu: f64,
}

pub(crate) fn run_cdk(ctx: &Ctx, cdk_dir: &Path, corpus: &Path) -> Result<(BTreeMap<String, Answer>, CdkTimes)> {
    let script = ctx.root.join("crates/xtask/assets/diff-corpus/cdk-diff.js");
    let mut cmd = Command::new("node");
    cmd.arg(&script).arg(corpus).env("NODE_PATH", cdk_dir.join("node_modules"));
    let out = proc::capture(&mut cmd, Duration::from_secs(1800))?;
    if out.code != Some(0) {
        bail!("{} failed ({}): {}", proc::display(&cmd), out.describe_status(), out.stderr.trim());
    }
    let (mut answers, mut times, mut startup) = (BTreeMap::new(), CdkTimes::default(), None);
    for line in out.stdout.lines() {
        let value: Value = serde_json::from_str(line).with_context(|| format!("bad line from cdk-diff.js: {line}"))?;
        if let Some(ms) = value.get("startup_ms").and_then(Value::as_f64) {
            startup = Some(ms);
            times.startup_cpu = value["startup_cpu_ms"].as_f64().unwrap_or(f64::NAN);
            continue;
        }
        let id = value["id"].as_str().context("a line without id")?.to_owned();
        times.wall.insert(id.clone(), value["ms"].as_f64().unwrap_or_default());
        times.cpu.insert(id.clone(), value["cpu_ms"].as_f64().unwrap_or(f64::NAN));
        let answer =
            match (value.get("resources").and_then(Value::as_object), value.get("error").and_then(Value::as_str)) {
                (Some(resources), _) => Answer::Read(
                    resources.iter().map(|(k, v)| (k.clone(), cdk_verdict(v.as_str().unwrap_or("?")))).collect(),
                    BTreeMap::new(),
                ),
                (None, error) => Answer::Refused(error.unwrap_or("no message").to_owned()),
            };
        answers.insert(id, answer);
    }
    times.startup_wall = startup.context("cdk-diff.js printed no start-up time")?;
    Ok((answers, times))
}

/// cfn-lint's decoder over the corpus (`decode.py`), into `work/decoded/<id>/`.
pub(crate) fn decode(ctx: &Ctx, python: &Path, corpus: &Path, work: &Path) -> Result<PathBuf> {
    let out = work.join("decoded");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    std::fs::create_dir_all(&out)?;
    let script = ctx.root.join("crates/xtask/assets/diff-corpus/decode.py");
    let mut cmd = Command::new(python);
    cmd.arg(&script).arg(corpus).arg(&out);
    let captured = proc::capture(&mut cmd, Duration::from_secs(1800))?;
    if captured.code != Some(0) {
        bail!("{} failed ({}): {}", proc::display(&cmd), captured.describe_status(), captured.stderr.trim());
    }
    Ok(out)
}
