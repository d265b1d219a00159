//! The picture before it is drawn: nodes placed in nested groups (construct paths), and the
//! edges between them. Both renderers ([`crate::mermaid`], [`crate::dot`]) read this one model,
//! so the Mermaid and DOT pictures of a template always show the same thing.

use std::collections::BTreeSet;

use stackwright_diff::Impact;

/// What an edge stands for. An edge `from → to` means `to` refers to `from` (so `from` is
/// created first): replacement chains and creation order both run along the arrows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// `Ref`.
    Ref,
    /// `Fn::GetAtt` of this attribute.
    GetAtt(String),
    /// A `${Name}` or `${Name.Attribute}` placeholder of an `Fn::Sub`.
    Sub,
    /// `DependsOn`.
    DependsOn,
    /// `Fn::ImportValue` of an export the source stack writes.
    Import(String),
}

impl EdgeKind {
    /// Whether this is only an ordering constraint, not a value flowing along the edge.
    pub fn is_ordering(&self) -> bool {
        matches!(self, Self::DependsOn)
    }
}

/// What a node stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// One resource, of this CloudFormation type.
    Resource { type_name: String },
    /// A construct drawn as one node (`--depth`): how many resources it holds.
    Construct { resources: usize },
    /// A whole stack, in the picture of an app: how many resources it holds.
    Stack { resources: usize },
    /// An export that no stack of the app writes: imported from outside.
    ExternalExport,
}

/// The class name the renderers style a diff status with: what CloudFormation does to the
/// resource, [`Impact::NoChange`] for an unchanged neighbour drawn for orientation.
pub fn status_class(impact: Impact) -> &'static str {
    match impact {
        Impact::NoChange => "unchanged",
        Impact::Create => "create",
        Impact::Update => "update",
        Impact::Revision => "revision",
        Impact::MayReplace => "mayreplace",
        Impact::Replace => "replace",
        Impact::Orphan => "orphan",
        Impact::Destroy => "destroy",
    }
}

/// One node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Unique within the graph: a logical ID, a construct path, a stack name.
    pub key: String,
    /// The text, one entry per line (renderers escape it).
    pub lines: Vec<String>,
    /// The nested groups (construct path segments) the node is drawn in, outermost first.
    pub group: Vec<String>,
    /// What the node stands for.
    pub kind: NodeKind,
    /// What a diff does to it (`NoChange`: an unchanged neighbour); `None` outside a diff.
    pub status: Option<Impact>,
    /// A security change widens access here (IAM statement or security-group rule).
    pub broadening: bool,
}

/// One edge between two nodes (indexes into [`Graph::nodes`]), standing for every use of
/// `from` by `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The node used.
    pub from: usize,
    /// The node that uses it.
    pub to: usize,
    /// Every kind of use this edge stands for.
    pub kinds: BTreeSet<EdgeKind>,
    /// A label drawn on the edge (the property that forces a replacement).
    pub label: Option<String>,
    /// Drawn highlighted: a link of a replacement chain.
    pub highlight: bool,
}

impl Edge {
    /// Whether the edge is only `DependsOn` (drawn dotted).
    pub fn is_ordering_only(&self) -> bool {
        self.kinds.iter().all(EdgeKind::is_ordering)
    }
}

/// A picture: nodes sorted by key, edges sorted by (from, to).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph {
    /// The title (a stack or app name).
    pub title: String,
    /// The nodes, sorted by key.
    pub nodes: Vec<Node>,
    /// The edges, sorted by endpoints, at most one per ordered pair.
    pub edges: Vec<Edge>,
}

impl Graph {
    /// The index of the node with this key.
    pub fn index_of(&self, key: &str) -> Option<usize> {
        self.nodes.binary_search_by(|n| n.key.as_str().cmp(key)).ok()
    }

    /// Sorts the nodes by key and the edges by endpoints, merging edges between the same two
    /// nodes and dropping self-loops: what every builder ends with, so output never depends on
    /// the order things were found in.
    // invariant: `order` is a permutation of the node indices and `new_index` has one entry
    // per node; builders push an edge only between nodes they pushed.
    pub(crate) fn normalize(&mut self) {
        let mut order: Vec<usize> = (0..self.nodes.len()).collect();
        order.sort_by(|&a, &b| self.nodes[a].key.cmp(&self.nodes[b].key));
        let mut new_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        let mut nodes: Vec<Option<Node>> = std::mem::take(&mut self.nodes).into_iter().map(Some).collect();
        self.nodes = order.iter().filter_map(|&old| nodes[old].take()).collect();
        let mut edges: Vec<Edge> = std::mem::take(&mut self.edges)
            .into_iter()
            .map(|mut e| {
                e.from = new_index[e.from];
                e.to = new_index[e.to];
                e
            })
            .filter(|e| e.from != e.to)
            .collect();
        edges.sort_by_key(|e| (e.from, e.to));
        let mut merged: Vec<Edge> = Vec::with_capacity(edges.len());
        for edge in edges {
            match merged.last_mut() {
                Some(last) if last.from == edge.from && last.to == edge.to => {
                    last.kinds.extend(edge.kinds);
                    last.highlight |= edge.highlight;
                    if last.label.is_none() {
                        last.label = edge.label;
                    }
                }
                _ => merged.push(edge),
            }
        }
        self.edges = merged;
    }
}
