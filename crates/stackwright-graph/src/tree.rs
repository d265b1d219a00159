//! The nested groups of a graph, as both renderers walk them: each group's nodes, then its
//! subgroups, sorted by name.

use std::collections::BTreeMap;

use crate::model::Graph;

/// One group (a construct path segment) with what it holds.
#[derive(Debug, Default)]
pub(crate) struct Group {
    /// Indexes into the graph's nodes, in key order.
    pub(crate) nodes: Vec<usize>,
    /// Subgroups by name.
    pub(crate) children: BTreeMap<String, Group>,
}

/// The root group (no name, drawn as the diagram itself).
pub(crate) fn group_tree(graph: &Graph) -> Group {
    let mut root = Group::default();
    for (index, node) in graph.nodes.iter().enumerate() {
        let mut group = &mut root;
        for segment in &node.group {
            group = group.children.entry(segment.clone()).or_default();
        }
        group.nodes.push(index);
    }
    root
}

/// One step of a depth-first walk through the groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step<'a> {
    /// A group opens, at this nesting depth (1 for a top-level group).
    Open(&'a str, usize),
    /// A node, drawn at this depth.
    Node(usize, usize),
    /// The group opened at this depth closes.
    Close(usize),
}

/// The steps of a depth-first walk from `group` (not opened itself) at `depth`: each group's
/// nodes, then its subgroups.
pub(crate) fn steps(group: &Group, depth: usize) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    walk(group, depth, &mut out);
    out
}

fn walk<'a>(group: &'a Group, depth: usize, out: &mut Vec<Step<'a>>) {
    out.extend(group.nodes.iter().map(|&index| Step::Node(index, depth)));
    for (name, child) in &group.children {
        out.push(Step::Open(name, depth));
        walk(child, depth + 1, out);
        out.push(Step::Close(depth));
    }
}
