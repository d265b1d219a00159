//! The manifest schema judged by check-jsonschema: the schema is valid draft 2020-12, every
//! example manifest conforms, and every file of `crates/stackwright-manifest/tests/schema-rejects/`
//! is refused (the manifest crate's tests show Stackwright refuses them too).

use std::fmt::Write as _;
use std::process::Command;
use std::time::Duration;

use crate::venv::Venv;
use crate::{Ctx, Phase, proc, synth};

const LIMIT: Duration = Duration::from_secs(120);

pub(crate) fn run(ctx: &Ctx, venv: &Venv) -> Phase {
    let name = "manifests: check-jsonschema".to_owned();
    match judge(ctx, venv) {
        Ok((ok, detail)) => Phase { name, ok, detail },
        Err(error) => Phase { name, ok: false, detail: format!("{error:#}") },
    }
}

fn judge(ctx: &Ctx, venv: &Venv) -> anyhow::Result<(bool, String)> {
    let schema = ctx.root.join("schemas/stackwright.schema.json");
    let examples = synth::manifests(&ctx.root.join("examples/manifests"))?;
    let rejects = synth::manifests(&ctx.root.join("crates/stackwright-manifest/tests/schema-rejects"))?;
    if examples.is_empty() || rejects.is_empty() {
        anyhow::bail!("no example manifests or no schema-rejects files");
    }
    let mut failures = Vec::new();
    let mut meta = Command::new(venv.bin("check-jsonschema"));
    meta.arg("--check-metaschema").arg(&schema);
    let run = proc::capture(&mut meta, LIMIT)?;
    if run.code != Some(0) {
        failures.push(format!("the schema is not valid: {}{}", run.stdout.trim(), run.stderr.trim()));
    }
    let mut good = Command::new(venv.bin("check-jsonschema"));
    good.arg("--schemafile").arg(&schema).args(&examples);
    let run = proc::capture(&mut good, LIMIT)?;
    if run.code != Some(0) {
        failures.push(format!("example manifests refused: {}{}", run.stdout.trim(), run.stderr.trim()));
    }
    let mut refused = 0;
    for file in &rejects {
        let mut bad = Command::new(venv.bin("check-jsonschema"));
        bad.arg("--schemafile").arg(&schema).arg(file);
        let run = proc::capture(&mut bad, LIMIT)?;
        // 1 is check-jsonschema's "validation failed"; anything else is a failure to judge.
        match run.code {
            Some(1) => refused += 1,
            _ => failures.push(format!("{} ({}): expected a refusal", ctx.rel(file), run.describe_status())),
        }
    }
    let mut detail = format!(
        "schema valid; {} example manifests conform; {refused} of {} broken manifests refused",
        examples.len(),
        rejects.len()
    );
    for failure in &failures {
        let _ = write!(detail, "\n    {failure}");
    }
    Ok((failures.is_empty(), detail))
}
