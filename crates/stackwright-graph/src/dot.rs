//! Graphviz DOT text, for `dot -Tsvg`: construct groups are clusters.
//!
//! Every ID and label is a double-quoted DOT string, where `"` must be escaped and a
//! backslash starts an escape of Graphviz's own (`\N` is the node's name, `\l` a
//! left-justified line break): [`escape`] doubles backslashes and escapes quotes, so a name
//! always shows as written.

use std::fmt::Write as _;

use stackwright_diff::Impact;

use crate::model::{Graph, Node, NodeKind};
use crate::service::{Shape, colours, service_of, shape_of};
use crate::tree::{Step, group_tree, steps};

/// The graph as a DOT digraph, left to right, ending in a newline.
// invariant: `steps` walks `group_tree(graph)`, whose nodes are indices of `graph.nodes`.
pub fn render(graph: &Graph) -> String {
    let mut out = String::new();
    // The graph ID is fixed: Graphviz keeps an ID's backslashes as written (only labels read
    // escapes), so the title goes in the label alone.
    out.push_str("digraph \"stackwright\" {\n");
    let _ = writeln!(
        out,
        "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, nodesep=0.25, ranksep=0.7, \
         label=\"{}\", labelloc=t];",
        escape(&graph.title)
    );
    out.push_str(
        "  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", margin=\"0.12,0.05\"];\n",
    );
    out.push_str("  edge [color=\"#616161\", arrowsize=0.7];\n");
    let tree = group_tree(graph);
    let mut next_group = 0;
    for step in steps(&tree, 1) {
        match step {
            Step::Open(name, depth) => {
                let pad = "  ".repeat(depth);
                let _ = writeln!(out, "{pad}subgraph \"cluster_{next_group}\" {{");
                let _ = writeln!(
                    out,
                    "{pad}  label=\"{}\"; style=\"rounded,dashed\"; color=\"#9e9e9e\"; fontcolor=\"#424242\";",
                    escape(name)
                );
                next_group += 1;
            }
            Step::Node(index, depth) => {
                let _ =
                    writeln!(out, "{}\"n{index}\" [{}];", "  ".repeat(depth), attributes(&graph.nodes[index], graph));
            }
            Step::Close(depth) => {
                let _ = writeln!(out, "{}}}", "  ".repeat(depth));
            }
        }
    }
    for edge in &graph.edges {
        let mut attrs = Vec::new();
        if edge.highlight {
            attrs.push("color=\"#cb2431\", penwidth=2.5".to_owned());
        } else if edge.is_ordering_only() {
            attrs.push("style=dashed".to_owned());
        }
        if let Some(label) = &edge.label {
            attrs.push(format!("label=\"{}\", fontsize=9, fontcolor=\"#cb2431\"", escape(label)));
        }
        let attrs = if attrs.is_empty() { String::new() } else { format!(" [{}]", attrs.join(", ")) };
        let _ = writeln!(out, "  \"n{}\" -> \"n{}\"{attrs};", edge.from, edge.to);
    }
    out.push_str("}\n");
    out
}

/// A node's attribute list.
fn attributes(node: &Node, graph: &Graph) -> String {
    let label = node.lines.iter().map(|line| escape(line)).collect::<Vec<_>>().join("\\n");
    let shape = match &node.kind {
        NodeKind::Resource { type_name } => match shape_of(type_name) {
            Shape::Box => "box",
            Shape::Cylinder => "cylinder",
            Shape::Hexagon => "hexagon",
            // Graphviz's parallelogram grows far wider than its label: a square box instead.
            Shape::Parallelogram => "rect",
            Shape::Stadium => "oval",
        },
        NodeKind::Construct { .. } => "box3d",
        NodeKind::Stack { .. } => "box",
        NodeKind::ExternalExport => "note",
    };
    let diff = graph.nodes.iter().any(|n| n.status.is_some());
    let (fill, stroke, dashed, width) = match (&node.kind, node.status) {
        (_, Some(status)) => status_colours(status),
        (NodeKind::Resource { type_name }, None) if !diff => {
            let (fill, stroke) = colours(service_of(type_name));
            (fill, stroke, false, 1.0)
        }
        (NodeKind::ExternalExport, None) => ("#ffffff", "#616161", true, 1.0),
        _ => ("#f5f5f5", "#616161", false, 1.0),
    };
    let width = if node.broadening { 4.0 } else { width };
    let stroke = if node.broadening { "#d73a49" } else { stroke };
    let style = match (shape, dashed) {
        ("box", true) => "rounded,filled,dashed",
        ("box", false) => "rounded,filled",
        (_, true) => "filled,dashed",
        (_, false) => "filled",
    };
    format!(
        "label=\"{label}\", shape={shape}, style=\"{style}\", fillcolor=\"{fill}\", color=\"{stroke}\", penwidth={width:.1}"
    )
}

/// Fill, border, dashed border, border width of a diff status (the Mermaid palette).
fn status_colours(status: Impact) -> (&'static str, &'static str, bool, f32) {
    match status {
        Impact::NoChange => ("#ffffff", "#d1d5da", false, 1.0),
        Impact::Create => ("#e6ffed", "#22863a", false, 2.0),
        Impact::Update => ("#fff5b1", "#b08800", false, 2.0),
        Impact::Revision => ("#dbedff", "#0366d6", false, 2.0),
        Impact::MayReplace => ("#ffebda", "#e36209", true, 2.0),
        Impact::Replace => ("#ffdce0", "#cb2431", false, 3.0),
        Impact::Orphan => ("#f6f8fa", "#6a737d", true, 2.0),
        Impact::Destroy => ("#f6f8fa", "#cb2431", true, 2.0),
    }
}

/// Text safe inside a double-quoted DOT string that Graphviz reads as a label: backslashes
/// doubled (Graphviz's `\N`, `\G`, `\l` escapes stay literal), quotes escaped, line breaks and
/// other control characters as spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(escape(r#"a"b\N\"c"#), r#"a\"b\\N\\\"c"#);
        assert_eq!(escape("x\ny\u{7}"), "x y ");
    }
}
