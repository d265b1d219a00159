//! Mermaid flowchart text, as GitHub renders it in Markdown.
//!
//! Node and group IDs are generated (`n0`, `g0`…), never taken from names, so no name can
//! collide with Mermaid's keywords (`end`) or edge syntax (`o`, `x` after `--`). Every name
//! is shown inside a quoted label, where Mermaid ends the string at `"` and reads `#…;` as an
//! entity code and HTML tags as markup: those characters are written as entity codes
//! ([`escape`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use stackwright_diff::Impact;

use crate::model::{Graph, NodeKind, status_class};
use crate::service::{Shape, colours, identifier, service_of, shape_of};
use crate::tree::{Step, group_tree, steps};

/// Styles of the diff statuses (GitHub's diff colours), and of security broadening.
const STATUS_STYLES: [(&str, &str); 9] = [
    ("unchanged", "fill:#ffffff,stroke:#d1d5da,color:#6a737d"),
    ("create", "fill:#e6ffed,stroke:#22863a,stroke-width:2px,color:#000000"),
    ("update", "fill:#fff5b1,stroke:#b08800,stroke-width:2px,color:#000000"),
    ("revision", "fill:#dbedff,stroke:#0366d6,stroke-width:2px,color:#000000"),
    ("mayreplace", "fill:#ffebda,stroke:#e36209,stroke-width:2px,stroke-dasharray:5 5,color:#000000"),
    ("replace", "fill:#ffdce0,stroke:#cb2431,stroke-width:3px,color:#000000"),
    ("orphan", "fill:#f6f8fa,stroke:#6a737d,stroke-width:2px,stroke-dasharray:3 3,color:#000000"),
    ("destroy", "fill:#f6f8fa,stroke:#cb2431,stroke-width:2px,stroke-dasharray:3 3,color:#000000"),
    ("broadening", "stroke:#d73a49,stroke-width:4px"),
];

/// The graph as a Mermaid flowchart (left to right), ending in a newline.
// invariant: `steps` walks `group_tree(graph)`, whose nodes are indices of `graph.nodes`.
pub fn render(graph: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    let tree = group_tree(graph);
    let mut next_group = 0;
    for step in steps(&tree, 1) {
        match step {
            Step::Open(name, depth) => {
                let _ = writeln!(out, "{}subgraph g{next_group}[\"{}\"]", indent(depth), escape(name));
                next_group += 1;
            }
            Step::Node(index, depth) => {
                let node = &graph.nodes[index];
                let label = node.lines.iter().map(|line| escape(line)).collect::<Vec<_>>().join("<br/>");
                let (open, close) = delimiters(&node.kind);
                let _ = writeln!(out, "{}n{index}{open}\"{label}\"{close}", indent(depth));
            }
            Step::Close(depth) => {
                let _ = writeln!(out, "{}end", indent(depth));
            }
        }
    }
    let mut highlighted = Vec::new();
    for (position, edge) in graph.edges.iter().enumerate() {
        let arrow = if edge.highlight {
            highlighted.push(position.to_string());
            "==>"
        } else if edge.is_ordering_only() {
            "-.->"
        } else {
            "-->"
        };
        let label = edge.label.as_ref().map(|l| format!("|\"{}\"|", escape(l))).unwrap_or_default();
        let _ = writeln!(out, "  n{} {arrow}{label} n{}", edge.from, edge.to);
    }
    styles(graph, &mut out);
    if !highlighted.is_empty() {
        let _ = writeln!(out, "  linkStyle {} stroke:#cb2431,stroke-width:3px", highlighted.join(","));
    }
    out
}

fn indent(depth: usize) -> String {
    "  ".repeat(depth)
}

/// The bracket pair of a node's shape.
fn delimiters(kind: &NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Resource { type_name } => match shape_of(type_name) {
            Shape::Box => ("(", ")"),
            Shape::Cylinder => ("[(", ")]"),
            Shape::Hexagon => ("{{", "}}"),
            Shape::Parallelogram => ("[/", "/]"),
            Shape::Stadium => ("([", "])"),
        },
        NodeKind::Construct { .. } => ("[[", "]]"),
        NodeKind::Stack { .. } => ("[", "]"),
        NodeKind::ExternalExport => (">", "]"),
    }
}

/// `classDef` and `class` lines: by diff status when the graph has any, else by service.
fn styles(graph: &Graph, out: &mut String) {
    let mut members: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    let diff = graph.nodes.iter().any(|n| n.status.is_some());
    for (index, node) in graph.nodes.iter().enumerate() {
        let class = match (&node.kind, node.status) {
            (_, Some(status)) => Some((status_class(status).to_owned(), status_style(status).to_owned())),
            (NodeKind::Resource { type_name }, None) if !diff => {
                let service = service_of(type_name);
                let (fill, stroke) = colours(service);
                Some((format!("svc_{}", identifier(service)), format!("fill:{fill},stroke:{stroke},color:#000000")))
            }
            (NodeKind::Construct { .. }, None) => {
                Some(("construct".to_owned(), "fill:#f5f5f5,stroke:#616161,color:#000000".to_owned()))
            }
            (NodeKind::ExternalExport, None) => {
                Some(("external".to_owned(), "fill:#ffffff,stroke:#616161,stroke-dasharray:4 4".to_owned()))
            }
            _ => None,
        };
        if let Some((name, style)) = class {
            members.entry(name).or_insert_with(|| (style, Vec::new())).1.push(index);
        }
        if node.broadening {
            let style = status_style_named("broadening");
            members.entry("broadening".to_owned()).or_insert_with(|| (style.to_owned(), Vec::new())).1.push(index);
        }
    }
    // Broadening last, so its border wins over the status's.
    let broadening = members.remove("broadening");
    for (name, (style, nodes)) in
        members.iter().map(|(n, v)| (n.as_str(), v)).chain(broadening.iter().map(|b| ("broadening", b)))
    {
        let ids: Vec<String> = nodes.iter().map(|i| format!("n{i}")).collect();
        let _ = writeln!(out, "  classDef {name} {style}");
        let _ = writeln!(out, "  class {} {name}", ids.join(","));
    }
}

fn status_style(status: Impact) -> &'static str {
    status_style_named(status_class(status))
}

fn status_style_named(class: &str) -> &'static str {
    STATUS_STYLES.iter().find(|(name, _)| *name == class).map_or("", |(_, style)| style)
}

/// Text safe inside a quoted Mermaid label: `"` ends the string, `#name;` is an entity code,
/// `<…>` is HTML, and a leading backtick would start a Markdown string; each is written as an
/// entity code. Line breaks and other control characters become spaces (the renderers put
/// their own `<br/>` between lines).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
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
    fn hostile_text_becomes_entity_codes() {
        assert_eq!(escape("a\"b#c<d>e&f`g\nh"), "a#quot;b#35;c#lt;d#gt;e#amp;f#96;g h");
        assert_eq!(escape("#quot;"), "#35;quot;", "an entity code in a name stays literal");
    }
}
