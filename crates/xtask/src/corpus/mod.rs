//! `cargo xtask diff-corpus`: `stackwright diff` and CDK's diff side by side on real pairs of
//! consecutive template versions, each verdict judged against the registry schemas.
//!
//! - `diff-corpus build --out DIR GIT_DIR...`: the corpus ([`build`]).
//! - `diff-corpus run [--corpus DIR] [--sample N]`: a release build of `stackwright`, the
//!   pinned CDK packages (`npm ci`), cfn-lint's reader ([`tools::decode`]) and the judge
//!   ([`judge`]) on every pair; the figures and causes go to `target/diff-corpus/report.md` and
//!   every judged resource to `report.json`.
//!
//! Not part of `cargo xtask test`: it needs fetched repositories (docs/DIFF.md, "Accuracy on
//! real template histories", says which and how).

mod build;
#[cfg(test)]
mod build_tests;
mod eval;
mod judge;
mod registry;
mod report;
mod term;
#[cfg(test)]
mod tests;
mod tools;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};
use serde_json::{Value, json};

use crate::{Ctx, proc, venv};
use report::{Class, Row};
use tools::Answer;

pub(crate) const USAGE: &str = "\
  diff-corpus build --out DIR [--max-per-file N] [--repos FILE [--mirrors DIR]] [GIT_DIR...]
                    the corpus of consecutive template versions of these git histories
                    (HEAD of each GIT_DIR; the commits FILE names, fetched under DIR,
                    default /work/.mirror); at most N pairs of each file, evenly spaced
  diff-corpus run [--corpus DIR] [--sample N]
                    stackwright diff and CDK's diff on every pair, judged against the registry
                    schemas; report in target/diff-corpus/ (default corpus target/diff-corpus/corpus)
";

pub(crate) fn command(ctx: &Ctx, args: &[String]) -> Result<bool> {
    match args.first().map(String::as_str) {
        Some("build") => {
            let mut out = None;
            let mut max_per_file = None;
            let mut sources = Vec::new();
            let (mut list, mut mirrors) = (None, None);
            let mut iter = args[1..].iter();
            while let Some(arg) = iter.next() {
                match arg.as_str() {
                    "--out" => out = Some(PathBuf::from(iter.next().context("--out needs a directory")?)),
                    "--max-per-file" => {
                        let n = iter.next().context("--max-per-file needs a number")?;
                        max_per_file = Some(n.parse().context("--max-per-file needs a number")?);
                    }
                    "--repos" => list = Some(PathBuf::from(iter.next().context("--repos needs a file")?)),
                    "--mirrors" => mirrors = Some(PathBuf::from(iter.next().context("--mirrors needs a directory")?)),
                    other if other.starts_with("--") => bail!("unknown argument {other}"),
                    _ => sources.push(build::Source::from_dir(PathBuf::from(arg))),
                }
            }
            if let Some(list) = list {
                let text = std::fs::read_to_string(&list).with_context(|| format!("cannot read {}", list.display()))?;
                let mirrors = mirrors.unwrap_or_else(|| PathBuf::from("/work/.mirror"));
                sources.extend(build::sources_from_list(&text, &mirrors)?);
            }
            let out = out.context("diff-corpus build needs --out DIR")?;
            let pairs = build::build(&sources, &out, max_per_file)?;
            println!("diff-corpus: {} pair(s) in {}", pairs.len(), out.display());
            Ok(true)
        }
        Some("run") => {
            let mut corpus = ctx.target.join("diff-corpus").join("corpus");
            let mut sample = 30;
            let mut iter = args[1..].iter();
            while let Some(arg) = iter.next() {
                match arg.as_str() {
                    "--corpus" => corpus = PathBuf::from(iter.next().context("--corpus needs a directory")?),
                    "--sample" => {
                        sample = iter
                            .next()
                            .context("--sample needs a number")?
                            .parse()
                            .context("--sample needs a number")?;
                    }
                    other => bail!("unknown argument {other}"),
                }
            }
            run(ctx, &corpus, sample)
        }
        _ => {
            eprint!("usage: cargo xtask diff-corpus ...\n{USAGE}");
            Ok(false)
        }
    }
}

fn load_pairs(corpus: &Path) -> Result<Vec<Value>> {
    let path = corpus.join("corpus.json");
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!("cannot read {} (build the corpus first: cargo xtask diff-corpus build)", path.display())
    })?;
    let index: Value = serde_json::from_str(&text).context("bad corpus.json")?;
    Ok(index["pairs"].as_array().cloned().unwrap_or_default())
}

fn run(ctx: &Ctx, corpus: &Path, sample_size: usize) -> Result<bool> {
    let metas = load_pairs(corpus)?;
    let pairs: Vec<build::Pair> = metas.iter().map(pair_of).collect::<Result<_>>()?;
    let work = ctx.target.join("diff-corpus");
    std::fs::create_dir_all(&work)?;

    let mut cmd = Command::new(&ctx.cargo);
    cmd.args(["build", "--release", "-p", "stackwright"]).current_dir(&ctx.root);
    println!("diff-corpus: {}", proc::display(&cmd));
    if !proc::stream(&mut cmd)?.success() {
        bail!("the release build failed");
    }
    let binary = ctx.target.join("release").join("stackwright");
    let venv = venv::ensure(ctx, true)?;
    let schemas = venv.dir.join("lib/python3.11/site-packages/cfnlint/data/schemas");
    let mut registry = registry::Registry::open(&schemas)?;
    let cdk_dir = tools::ensure_cdk(ctx, &work)?;

    println!("diff-corpus: reading {} pair(s) with cfn-lint's decoder", pairs.len());
    let decoded = tools::decode(ctx, &venv.dir.join("bin").join("python"), corpus, &work)?;
    let load_before = load_average();
    println!("diff-corpus: stackwright diff on each pair");
    let (ours, our_times, our_cpu) = tools::run_ours(&binary, corpus, &pairs)?;
    println!("diff-corpus: CDK's diff on each pair");
    let (cdk, cdk_times) = tools::run_cdk(ctx, &cdk_dir, corpus)?;
    let cdk_startup = cdk_times.startup_wall;
    let load_after = load_average();

    let mut rows = Vec::new();
    let mut unreadable = Vec::new();
    for (pair, meta) in pairs.iter().zip(&metas) {
        let dir = decoded.join(&pair.id);
        if let Ok(error) = std::fs::read_to_string(dir.join("error.txt")) {
            unreadable.push(format!("{} {} ({}): {}", pair.repo, pair.path, &pair.new_commit[..12], error.trim()));
            continue;
        }
        let read =
            |side: &str| -> Result<Value> { Ok(serde_json::from_str(&std::fs::read_to_string(dir.join(side))?)?) };
        let (old, new) = (read("old.json")?, read("new.json")?);
        let judged = judge::judge(&old, &new, &mut registry).with_context(|| format!("judging pair {}", pair.id))?;
        rows.extend(rows_of(meta, &new, &old, judged, ours.get(&pair.id), cdk.get(&pair.id)));
    }
    let refused = |answers: &BTreeMap<String, Answer>| {
        answers.iter().filter(|(id, a)| matches!(a, Answer::Refused(_)) && !unreadable_id(&decoded, id)).count()
    };
    let (ours_counts, cdk_counts) = (report::counts(&rows, Row::ours_class), report::counts(&rows, Row::cdk_class));
    let ours_median = report::median(our_times.values().copied());
    let cdk_median = report::median(cdk_times.wall.values().copied());
    let cdk_cpu_median = report::median(cdk_times.cpu.values().copied());
    let cdk_cpu_mean = mean(cdk_times.cpu.values().copied());

    let mut md = String::new();
    let _ = writeln!(md, "# diff-corpus report\n");
    let _ = writeln!(
        md,
        "{} pairs from {} repositories; {} judged ({} the judge's reader could not read); {} resources judged.\n",
        pairs.len(),
        pairs.iter().map(|p| &p.repo).collect::<BTreeSet<_>>().len(),
        pairs.len() - unreadable.len(),
        unreadable.len(),
        rows.len()
    );
    md.push_str(&report::table(&ours_counts, &cdk_counts, (refused(&ours), refused(&cdk))));
    let _ = writeln!(
        md,
        "\nMedian time per pair: stackwright diff {ours_median:.1} ms (whole process); CDK {cdk_median:.1} ms in-process, plus {cdk_startup:.0} ms start-up (load average {load_before} before, {load_after} after, on {} cores).\n",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
    );
    let cpu_text = our_cpu.map_or_else(|| "unknown".to_owned(), |ms| format!("{ms:.1} ms"));
    let _ = writeln!(
        md,
        "CPU time (user + system) per pair, which load inflates least: stackwright diff {cpu_text} (mean of the whole processes); CDK {cdk_cpu_median:.1} ms median, {cdk_cpu_mean:.1} ms mean in-process, plus {:.0} ms start-up.\n",
        cdk_times.startup_cpu
    );
    let _ = writeln!(md, "## Our disagreements by cause\n");
    for (key, count, types, example) in report::causes(&rows) {
        let p = &example.pair;
        let _ = writeln!(
            md,
            "- **{count}** {key}\n  - types: {types}\n  - e.g. {} `{}` {}..{} `{}` ({})",
            p["repo"].as_str().unwrap_or_default(),
            p["path"].as_str().unwrap_or_default(),
            &p["old_commit"].as_str().unwrap_or_default()[..12],
            &p["new_commit"].as_str().unwrap_or_default()[..12],
            example.resource,
            example.judge.reason
        );
    }
    let _ = writeln!(md, "\n## Refusals\n");
    for (tool, answers) in [("stackwright", &ours), ("CDK", &cdk)] {
        for (id, answer) in answers {
            if let Answer::Refused(message) = answer {
                let meta = metas.iter().find(|m| m["id"] == id.as_str()).cloned().unwrap_or_default();
                let _ = writeln!(
                    md,
                    "- {tool}: {} `{}` ({id}): {message}",
                    meta["repo"].as_str().unwrap_or_default(),
                    meta["path"].as_str().unwrap_or_default()
                );
            }
        }
    }
    let _ = writeln!(md, "\n## Pairs the judge's reader (cfn-lint) could not read\n");
    for line in &unreadable {
        let _ = writeln!(md, "- {line}");
    }
    let _ = writeln!(md, "\n## A sample of {sample_size} disagreements, to check by hand\n");
    for row in report::sample(&rows, sample_size) {
        let v = row.to_json();
        let _ = writeln!(
            md,
            "- {} `{}` pair {} `{}` ({}): judge {} ({}); ours {} [{}]; CDK {}",
            v["pair"]["repo"].as_str().unwrap_or_default(),
            v["pair"]["path"].as_str().unwrap_or_default(),
            v["pair"]["id"].as_str().unwrap_or_default(),
            row.resource,
            row.resource_type,
            v["judge"].as_str().unwrap_or_default(),
            row.judge.reason,
            v["ours"].as_str().unwrap_or_default(),
            row.our_reasons.join(", "),
            v["cdk"].as_str().unwrap_or_default()
        );
    }
    std::fs::write(work.join("report.md"), &md)?;
    let document = json!({
        "pairs": pairs.len(),
        "judged_pairs": pairs.len() - unreadable.len(),
        "ours": class_counts(&ours_counts),
        "cdk": class_counts(&cdk_counts),
        "median_ms": { "ours_process": ours_median, "cdk_in_process": cdk_median, "cdk_startup": cdk_startup },
        "cpu_ms": { "ours_process_mean": our_cpu, "cdk_in_process_median": cdk_cpu_median, "cdk_in_process_mean": cdk_cpu_mean, "cdk_startup": cdk_times.startup_cpu },
        "load_average": [load_before, load_after],
        "rows": rows.iter().map(Row::to_json).collect::<Vec<_>>(),
    });
    std::fs::write(work.join("report.json"), format!("{}\n", serde_json::to_string_pretty(&document)?))?;
    print!("{md}");
    println!("diff-corpus: report in {}", ctx.rel(&work.join("report.md")));
    Ok(true)
}

#[allow(clippy::cast_precision_loss)]
fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let values: Vec<f64> = values.collect();
    values.iter().sum::<f64>() / values.len() as f64
}

/// The 1-minute load average, as the times depend on it.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

fn unreadable_id(decoded: &Path, id: &str) -> bool {
    decoded.join(id).join("error.txt").exists()
}

fn class_counts(counts: &BTreeMap<Class, usize>) -> Value {
    Value::Object(counts.iter().map(|(c, n)| (c.name().replace(' ', "_"), json!(n))).collect())
}

fn pair_of(meta: &Value) -> Result<build::Pair> {
    let text = |key: &str| {
        meta[key].as_str().map(str::to_owned).with_context(|| format!("corpus.json: a pair without `{key}`"))
    };
    let format = |key: &str| -> Result<build::Format> {
        Ok(if Path::new(&text(key)?).extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            build::Format::Json
        } else {
            build::Format::Yaml
        })
    };
    Ok(build::Pair {
        id: text("id")?,
        repo: text("repo")?,
        path: text("path")?,
        old_commit: text("old_commit")?,
        new_commit: text("new_commit")?,
        old_format: format("old")?,
        new_format: format("new")?,
    })
}

/// The rows of one pair: every resource that the judge or a tool finds changed.
fn rows_of(
    meta: &Value,
    new: &Value,
    old: &Value,
    judged: BTreeMap<String, judge::Judgement>,
    ours: Option<&Answer>,
    cdk: Option<&Answer>,
) -> Vec<Row> {
    let verdict = |answer: Option<&Answer>, id: &str| -> report::ToolVerdict {
        match answer {
            Some(Answer::Read(verdicts, _)) => Some(verdicts.get(id).cloned().unwrap_or(Ok(judge::Verdict::NoChange))),
            _ => None,
        }
    };
    let type_of =
        |id: &str| [new, old].iter().find_map(|t| t["Resources"][id]["Type"].as_str()).unwrap_or_default().to_owned();
    let mut rows = Vec::new();
    for (id, judgement) in judged {
        let (o, c) = (verdict(ours, &id), verdict(cdk, &id));
        // A refused pair adds no rows of its own: only those the judge or the other tool finds.
        let changed = |v: &report::ToolVerdict| {
            matches!(v, Some(Err(_))) || matches!(v, Some(Ok(v)) if *v != judge::Verdict::NoChange)
        };
        if judgement.verdict == Some(judge::Verdict::NoChange) && !changed(&o) && !changed(&c) {
            continue;
        }
        let our_reasons = match ours {
            Some(Answer::Read(_, detail)) => detail.get(&id).cloned().unwrap_or_default(),
            _ => Vec::new(),
        };
        rows.push(Row {
            pair: meta.clone(),
            resource_type: type_of(&id),
            resource: id,
            judge: judgement,
            ours: o,
            our_reasons,
            cdk: c,
        });
    }
    rows
}
