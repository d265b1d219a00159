//! `list`: the stacks and their resource counts. Deferred stacks are built on every core and
//! dropped once counted.

use std::io::Write;

use stackwright_template::App;

use crate::parallel;

pub(crate) fn run(app: &App) -> anyhow::Result<()> {
    let names = app.names();
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let counts = parallel::run(&vec![Vec::new(); names.len()], threads, |i| match names.get(i) {
        Some(name) => app.build(name).map(|template| template.resources().len()).map_err(|e| e.to_string()),
        None => Err(format!("internal: no stack {i}")),
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut stdout = std::io::stdout().lock();
    for (name, count) in names.iter().zip(counts) {
        let count = count.map_err(|e| anyhow::anyhow!("{e}"))?;
        writeln!(stdout, "{name}\t{count} resources")?;
    }
    stdout.flush()?;
    Ok(())
}
