//! `graph`: a picture of a template (its resources, grouped by construct) or of an app (its
//! stacks, linked by exports and imports), as Mermaid, DOT or SVG.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::bail;
use stackwright_graph::{Graph, Options as DrawOptions, StackLinks, app_graph, app_graph_of, template_graph};
use stackwright_template::Template;

use super::diff::{read, stack_files};
use crate::args::GraphFormat;

pub(crate) struct Options<'a> {
    pub(crate) format: GraphFormat,
    pub(crate) depth: Option<usize>,
    pub(crate) stack: Option<&'a str>,
}

/// Draws `stacks` (name, template): one stack's resources when `--stack` names it or there is
/// only one, else every stack as a node. The whole picture is rendered before anything is
/// written, so a failure (no `dot` for SVG) prints nothing on standard output.
pub(crate) fn run(stacks: &[(String, Template)], options: &Options<'_>) -> anyhow::Result<()> {
    let draw = DrawOptions { depth: options.depth };
    let graph = match (options.stack, stacks) {
        (Some(name), _) => {
            let Some((name, template)) = stacks.iter().find(|(n, _)| n == name) else {
                return Err(no_such_stack(name, stacks.iter().map(|(n, _)| n.as_str())));
            };
            template_graph(name, template, draw)
        }
        (None, [(name, template)]) => template_graph(name, template, draw),
        (None, []) => bail!("nothing to draw: no stacks"),
        (None, _) => app_graph("app", stacks),
    };
    write(&graph, options.format)
}

/// Draws the stacks of a template file or synth output directory. Several stacks, drawn as
/// one node each, need only each template's links: the files are read on every core and each
/// template is dropped once its links are taken, so a 1,000-stack directory is never in
/// memory at once.
pub(crate) fn run_path(path: &Path, options: &Options<'_>) -> anyhow::Result<()> {
    let files = stack_files(path)?;
    // One stack named: only its file is read (`run` reports an unknown name).
    let wanted: Vec<&(String, PathBuf)> = match options.stack {
        Some(name) => files.iter().filter(|(n, _)| n == name).collect(),
        None if files.len() < 2 => files.iter().collect(),
        None => return write(&app_graph_of("app", &links_in_parallel(&files)?), options.format),
    };
    if let (Some(name), true) = (options.stack, wanted.is_empty()) {
        return Err(no_such_stack(name, files.iter().map(|(n, _)| n.as_str())));
    }
    let stacks =
        wanted.iter().map(|(name, file)| Ok((name.clone(), read(file)?))).collect::<anyhow::Result<Vec<_>>>()?;
    run(&stacks, options)
}

fn no_such_stack<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> anyhow::Error {
    anyhow::anyhow!("--stack {name:?}: no such stack; the stacks are {}", known.collect::<Vec<_>>().join(", "))
}

/// [`StackLinks`] of every file, in order, read by one thread per core.
fn links_in_parallel(files: &[(String, PathBuf)]) -> anyhow::Result<Vec<StackLinks>> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get).min(8);
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter().map(|(name, file)| links(name, file)).collect::<anyhow::Result<Vec<_>>>()
                })
            })
            .collect();
        let mut all = Vec::with_capacity(files.len());
        for worker in workers {
            all.extend(worker.join().map_err(|_| anyhow::anyhow!("a reading thread panicked"))??);
        }
        Ok(all)
    })
}

/// One file's links: a JSON file is parsed as plain JSON and its links taken from the document
/// (no positions, no template model); anything else, or JSON that is not shaped as a template,
/// goes through [`read`], which says what is wrong and where.
fn links(name: &str, file: &Path) -> anyhow::Result<StackLinks> {
    let is_json = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json
        && let Ok(bytes) = std::fs::read(file)
        && let Ok(document) = serde_json::from_slice::<serde_json::Value>(&bytes)
        && let Some(links) = StackLinks::of_json(name, &document)
    {
        return Ok(links);
    }
    Ok(StackLinks::of(name, &read(file)?))
}

/// Renders the whole picture, then writes it: a failure (no `dot` for SVG) prints nothing.
fn write(graph: &Graph, format: GraphFormat) -> anyhow::Result<()> {
    let text = match format {
        GraphFormat::Mermaid => stackwright_graph::mermaid::render(graph),
        GraphFormat::Dot => stackwright_graph::dot::render(graph),
        GraphFormat::Svg => stackwright_graph::svg::render(&stackwright_graph::dot::render(graph), None)?,
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}
