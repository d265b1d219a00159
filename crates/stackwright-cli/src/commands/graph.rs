//! `graph`: a picture of a template (its resources, grouped by construct) or of an app (its
//! stacks, linked by exports and imports), as Mermaid, DOT or SVG.

use std::io::Write;

use anyhow::bail;
use stackwright_graph::{Options as DrawOptions, app_graph, template_graph};
use stackwright_template::Template;

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
                let known: Vec<&str> = stacks.iter().map(|(n, _)| n.as_str()).collect();
                bail!("--stack {name:?}: no such stack; the stacks are {}", known.join(", "))
            };
            template_graph(name, template, draw)
        }
        (None, [(name, template)]) => template_graph(name, template, draw),
        (None, []) => bail!("nothing to draw: no stacks"),
        (None, _) => app_graph("app", stacks),
    };
    let text = match options.format {
        GraphFormat::Mermaid => stackwright_graph::mermaid::render(&graph),
        GraphFormat::Dot => stackwright_graph::dot::render(&graph),
        GraphFormat::Svg => stackwright_graph::svg::render(&stackwright_graph::dot::render(&graph), None)?,
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}
