//! `list`: the stacks and their resource counts.

use std::io::Write;

use stackwright_template::App;

pub(crate) fn run(app: &App) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    for (name, template) in app.stacks() {
        writeln!(stdout, "{name}\t{} resources", template.resources().len())?;
    }
    stdout.flush()?;
    Ok(())
}
