//! `synth`: validate and render every stack, then write all files or none.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use stackwright_template::App;

use crate::output::{render_app, write_all_or_nothing};

pub(crate) fn to_dir(app: &App, out: &Path) -> anyhow::Result<()> {
    if app.stacks().len() == 0 {
        bail!("the app has no stacks to synthesize");
    }
    let missing = app.missing_dependencies();
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|(stack, on)| format!("{stack} depends on {on}")).collect();
        bail!("stacks depend on stacks the app does not hold: {}", list.join("; "));
    }
    // Rendered once: the files hold the stacks in deployment order (the manifest last), and
    // validation measures the same bytes it checks.
    let (files, manifest) = render_app(app);
    let sizes = files.iter().map(|(_, text)| text.len());
    let stacks =
        app.in_dependency_order().into_iter().zip(sizes).map(|((name, template), size)| (name, template, size));
    super::validate::check_stacks(stacks)?;
    write_all_or_nothing(out, &files)?;
    let mut stderr = std::io::stderr().lock();
    for stack in &manifest.stacks {
        writeln!(stderr, "wrote {} ({} resources)", out.join(&stack.file).display(), stack.resources)?;
    }
    Ok(())
}

pub(crate) fn to_stdout(app: &App, stack: Option<&str>) -> anyhow::Result<()> {
    let template = if let Some(name) = stack {
        app.stack(name).with_context(|| {
            let names: Vec<String> = app.stacks().map(|(n, _)| n.to_string()).collect();
            format!("no stack named {name:?}; stacks: {}", names.join(", "))
        })?
    } else {
        let mut stacks = app.stacks();
        match (stacks.next(), stacks.next()) {
            (Some((_, template)), None) => template,
            (None, _) => bail!("the app has no stacks to synthesize"),
            (Some(_), Some(_)) => bail!("the app has several stacks: choose one with --stack NAME"),
        }
    };
    super::validate::check_app(app)?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(template.render().as_bytes())?;
    stdout.flush()?;
    Ok(())
}
