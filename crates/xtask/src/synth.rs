//! Synthesizes every example (`examples/*/Cargo.toml`) into `target/judges/templates/<package>/`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};

use crate::{Ctx, proc};

/// What synthesis produced.
#[derive(Debug, Default)]
pub(crate) struct Synth {
    pub(crate) examples: usize,
    pub(crate) templates: Vec<PathBuf>,
    /// The same templates written by `synth --minify` (compact JSON), judged as well: what a
    /// plain `aws cloudformation deploy --template-file` gets when the pretty form is over
    /// CloudFormation's 51,200-byte inline limit.
    pub(crate) minified: Vec<PathBuf>,
    /// One line per example that failed.
    pub(crate) failures: Vec<String>,
    pub(crate) seconds: f64,
}

pub(crate) fn run(ctx: &Ctx) -> Result<Synth> {
    let started = Instant::now();
    let examples = examples(&ctx.root.join("examples"))?;
    if examples.is_empty() {
        bail!("no example to synthesize: no examples/*/Cargo.toml");
    }
    let manifests = manifests(&ctx.root.join("examples/manifests"))?;
    let mut synth = Synth { examples: examples.len(), ..Synth::default() };
    for (dir, package) in &examples {
        let out = clean_dir(&ctx.target.join("judges").join("templates").join(package))?;
        let mut cmd = Command::new(&ctx.cargo);
        cmd.args(["run", "--quiet", "-p", package, "--", "synth", "--out"]).arg(&out).current_dir(&ctx.root);
        println!("synth: {} ({})", proc::display(&cmd), ctx.rel(dir));
        synth_one(ctx, package, &mut cmd, &out, &mut synth)?;
        synth_minified(ctx, package, &mut synth)?;
    }
    // The example manifests, through the `stackwright` binary's `--manifest`. The seed
    // manifest's template is examples/seed-pipeline's, byte for byte (a test of the manifest
    // crate), and that one is judged: deploying it twice would collide on moto's shared
    // account (the same ECR repository name).
    let manifests: Vec<PathBuf> =
        manifests.into_iter().filter(|m| m.file_name().is_none_or(|n| n != "seed-pipeline.yaml")).collect();
    for manifest in &manifests {
        let stem = manifest.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let label = format!("manifest-{stem}");
        let out = clean_dir(&ctx.target.join("judges").join("templates").join(&label))?;
        let mut cmd = Command::new(&ctx.cargo);
        cmd.args(["run", "--quiet", "-p", "stackwright", "--", "synth", "--manifest"])
            .arg(manifest)
            .arg("--out")
            .arg(&out)
            .current_dir(&ctx.root);
        println!("synth: {}", proc::display(&cmd));
        synth.examples += 1;
        synth_one(ctx, &label, &mut cmd, &out, &mut synth)?;
    }
    synth.seconds = started.elapsed().as_secs_f64();
    if synth.templates.is_empty() {
        bail!(
            "the examples produced no template at all{}",
            if synth.failures.is_empty() { String::new() } else { format!(": {}", synth.failures.join("; ")) }
        );
    }
    Ok(synth)
}

fn clean_dir(out: &Path) -> Result<PathBuf> {
    if out.exists() {
        fs::remove_dir_all(out).with_context(|| format!("cannot clear {}", out.display()))?;
    }
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    Ok(out.to_path_buf())
}

/// Runs one synth into `out` and checks what it wrote.
fn synth_one(ctx: &Ctx, label: &str, cmd: &mut Command, out: &Path, synth: &mut Synth) -> Result<()> {
    let status = proc::stream(cmd)?;
    if !status.success() {
        synth.failures.push(format!("{label}: `{}` failed with {status}", proc::display(cmd)));
        return Ok(());
    }
    let found = template_files(out)?;
    let manifest = out.join("manifest.json");
    match fs::read(&manifest).map(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes)) {
        Ok(Ok(_)) => {}
        Ok(Err(err)) => synth.failures.push(format!("{label}: manifest.json is not JSON: {err}")),
        Err(_) => synth.failures.push(format!("{label}: synth wrote no manifest.json")),
    }
    if found.is_empty() {
        synth.failures.push(format!("{label}: synth wrote no *.template.json"));
    }
    for template in &found {
        println!("synth:   {}", ctx.rel(template));
    }
    synth.templates.extend(found);
    Ok(())
}

/// The same example through `synth --minify`, into `target/judges/minified/<package>/`.
fn synth_minified(ctx: &Ctx, package: &str, synth: &mut Synth) -> Result<()> {
    let minified = ctx.target.join("judges").join("minified").join(package);
    if minified.exists() {
        fs::remove_dir_all(&minified).with_context(|| format!("cannot clear {}", minified.display()))?;
    }
    let mut cmd = Command::new(&ctx.cargo);
    cmd.args(["run", "--quiet", "-p", package, "--", "synth", "--minify", "--out"])
        .arg(&minified)
        .current_dir(&ctx.root);
    println!("synth: {}", proc::display(&cmd));
    let status = proc::stream(&mut cmd)?;
    if !status.success() {
        synth.failures.push(format!("{package}: `{}` failed with {status}", proc::display(&cmd)));
        return Ok(());
    }
    synth.minified.extend(template_files(&minified)?);
    Ok(())
}

/// Every `*.yaml` / `*.json` file of `dir` (the example manifests), sorted.
pub(crate) fn manifests(dir: &Path) -> Result<Vec<PathBuf>> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json") {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// `(directory, package name)` of every `examples/*/Cargo.toml`, sorted by directory.
fn examples(root: &Path) -> Result<Vec<(PathBuf, String)>> {
    let Ok(entries) = fs::read_dir(root) else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for entry in entries {
        let dir = entry?.path();
        let manifest = dir.join("Cargo.toml");
        if !manifest.is_file() {
            continue;
        }
        let text = fs::read_to_string(&manifest).with_context(|| format!("cannot read {}", manifest.display()))?;
        let name = package_name(&text).with_context(|| format!("no [package] name in {}", manifest.display()))?;
        found.push((dir, name));
    }
    found.sort();
    Ok(found)
}

/// The `name` of the `[package]` table of a Cargo.toml (a plain `name = "…"` line).
fn package_name(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if key.trim() == "name" {
            let value = value.split('#').next().unwrap_or_default().trim();
            return Some(value.trim_matches(|c| c == '"' || c == '\'').to_owned());
        }
    }
    None
}

/// Every `*.template.json` under `dir` (recursively), sorted.
pub(crate) fn template_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in fs::read_dir(&next).with_context(|| format!("cannot list {}", next.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.ends_with(".template.json"))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::package_name;

    #[test]
    fn reads_the_package_table_only() {
        let manifest = "[package]\nname = \"example-seed\" # the app\nversion.workspace = true\n\
                        [dependencies]\nname = \"not-this\"\n";
        assert_eq!(package_name(manifest).as_deref(), Some("example-seed"));
        assert_eq!(package_name("[dependencies]\nname = \"x\"\n"), None);
    }
}
