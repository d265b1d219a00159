//! The Markdown section `diff --format markdown` puts in a pull-request comment: a Mermaid
//! picture of the diff, or — when it would be too large for GitHub to draw — a sentence
//! saying so.
//!
//! The limits: GitHub draws Mermaid blocks with Mermaid, whose defaults refuse a diagram of
//! more than 50,000 characters (`maxTextSize`) or 500 edges (`maxEdges`, "Edge limit
//! exceeded"), and a comment holds at most 65,536 characters. The picture is kept to a
//! fraction of both, [`MAX_CHARS`] and [`MAX_EDGES`], so the rest of the comment keeps its
//! room: first with the unchanged neighbours, then with the changed resources alone, else not
//! at all.

use std::fmt::Write as _;

use stackwright_diff::{Impact, StackDiff};

use crate::diff::{Stacks, diff_graph};
use crate::mermaid;

/// The most characters the Mermaid text of a diff may have (Mermaid's own limit: 50,000).
pub const MAX_CHARS: usize = 20_000;
/// The most edges the picture of a diff may have (Mermaid's own limit: 500).
pub const MAX_EDGES: usize = 200;

/// The heading of the graph section.
pub const TITLE: &str = "Graph";

/// The body of the graph section of the Markdown diff (under [`TITLE`]); empty when no
/// resource changed.
pub fn diff_section(stacks: &[StackDiff], old: &Stacks, new: &Stacks) -> String {
    let full = diff_graph(stacks, old, new, true);
    if full.nodes.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    let changed = full.nodes.iter().filter(|n| n.status != Some(Impact::NoChange)).count();
    for (graph, note) in [
        (full.clone(), ""),
        (diff_graph(stacks, old, new, false), "Unchanged neighbours are left out to keep the picture small. "),
    ] {
        let text = mermaid::render(&graph);
        if text.len() <= MAX_CHARS && graph.edges.len() <= MAX_EDGES {
            let _ = write!(out, "```mermaid\n{text}```\n\n<sub>{note}{}</sub>\n", legend(&graph));
            return out;
        }
    }
    let _ = writeln!(
        out,
        "Not drawn: {changed} changed resources and {} links are more than a comment's picture holds \
         ({MAX_CHARS} characters and {MAX_EDGES} links; GitHub's Mermaid draws at most 50,000 and 500). \
         The lists below give every change; `stackwright graph --format svg` draws the whole stack.",
        full.edges.len()
    );
    out
}

/// What the colours and arrows mean, naming only what the picture holds.
fn legend(graph: &crate::model::Graph) -> String {
    let has = |status: Impact| graph.nodes.iter().any(|n| n.status == Some(status));
    let mut parts: Vec<&str> = [
        (Impact::Create, "green: created"),
        (Impact::Update, "yellow: updated"),
        (Impact::Revision, "blue: new revision, rolled out"),
        (Impact::MayReplace, "orange, dashed: may be replaced"),
        (Impact::Replace, "red: replaced"),
        (Impact::Orphan, "grey, dashed: orphaned (kept)"),
        (Impact::Destroy, "red, dashed: destroyed"),
        (Impact::NoChange, "white: unchanged neighbour"),
    ]
    .into_iter()
    .filter(|(status, _)| has(*status))
    .map(|(_, text)| text)
    .collect();
    if graph.nodes.iter().any(|n| n.broadening) {
        parts.push("thick red border: security broadening");
    }
    if graph.edges.iter().any(|e| e.highlight) {
        parts.push("thick red arrows: a replacement carried along, labelled with the property that refers to it");
    }
    parts.push("an arrow points from a resource to the one that refers to it");
    let mut text = parts.join(" · ");
    text.push('.');
    text
}
