//! Dependency cycles between resources, through `Ref`, `Fn::GetAtt`, `Fn::Sub` and
//! `DependsOn`, each reported once with its path (`A -> B -> C -> A`).
//!
//! Tarjan's strongly-connected-components algorithm, written with an explicit stack so a
//! chain of thousands of resources cannot overflow the call stack; linear in resources plus
//! references.

use std::collections::{BTreeMap, VecDeque};

use stackwright_template::{LogicalId, Template};

use crate::finding::Finding;
use crate::json::pointer;
use stackwright_template::walk::{Site, Use};

/// The resource graph: node `i` is the `i`-th resource in logical-ID order; `edges[i]` the
/// resources it depends on, sorted; `at[(i, j)]` where the first dependency of `i` on `j` is.
struct Graph<'a> {
    ids: Vec<&'a LogicalId>,
    edges: Vec<Vec<usize>>,
    at: BTreeMap<(usize, usize), String>,
}

// invariant: `from` and `to` come from `index`, a position in `ids`; `edges` has one entry per id.
fn graph<'a>(template: &'a Template, sites: &[(&LogicalId, Site)]) -> Graph<'a> {
    let ids: Vec<&LogicalId> = template.resources().keys().collect();
    let index = |name: &str| ids.binary_search_by(|id| id.as_str().cmp(name)).ok();
    let mut at = BTreeMap::new();
    for (id, site) in sites {
        let Some(from) = index(id.as_str()) else { continue };
        if !site.pointer.starts_with("/Resources/") {
            continue;
        }
        let (Use::Ref(target) | Use::SubName(target) | Use::GetAtt { resource: target, .. }) = &site.used else {
            continue;
        };
        if let Some(to) = index(target) {
            at.entry((from, to)).or_insert_with(|| site.pointer.clone());
        }
    }
    for (from, (id, resource)) in template.resources().iter().enumerate() {
        for target in &resource.depends_on {
            if let Some(to) = index(target.as_str()) {
                at.entry((from, to)).or_insert_with(|| format!("{}/DependsOn", pointer("/Resources", id.as_str())));
            }
        }
    }
    let mut edges = vec![Vec::new(); ids.len()];
    for &(from, to) in at.keys() {
        edges[from].push(to);
    }
    Graph { ids, edges, at }
}

/// Tarjan's bookkeeping.
struct Tarjan {
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    counter: usize,
    stack: Vec<usize>,
    /// The explicit call stack: (node, position of the next edge to follow).
    calls: Vec<(usize, usize)>,
}

impl Tarjan {
    // invariant: `v` is a node number below the `n` every vector was sized to.
    fn enter(&mut self, v: usize) {
        self.index[v] = self.counter;
        self.low[v] = self.counter;
        self.counter += 1;
        self.stack.push(v);
        self.on_stack[v] = true;
        self.calls.push((v, 0));
    }
}

/// The strongly connected components, each sorted, by iterative Tarjan.
// invariant: every node number (`root`, `v`, `w`, `parent`) is below `n`: roots count up to
// it, and edges only name nodes of the graph; `index`, `low` and `on_stack` hold `n` entries.
fn components(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let mut t = Tarjan {
        index: vec![usize::MAX; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        counter: 0,
        stack: Vec::new(),
        calls: Vec::new(),
    };
    let mut out = Vec::new();
    for root in 0..n {
        if t.index[root] != usize::MAX {
            continue;
        }
        t.enter(root);
        while let Some(&(v, next)) = t.calls.last() {
            if let Some(&w) = edges[v].get(next) {
                if let Some(call) = t.calls.last_mut() {
                    call.1 += 1;
                }
                if t.index[w] == usize::MAX {
                    t.enter(w);
                } else if t.on_stack[w] {
                    t.low[v] = t.low[v].min(t.index[w]);
                }
                continue;
            }
            t.calls.pop();
            if let Some(&(parent, _)) = t.calls.last() {
                t.low[parent] = t.low[parent].min(t.low[v]);
            }
            if t.low[v] == t.index[v] {
                let mut component = Vec::new();
                while let Some(w) = t.stack.pop() {
                    t.on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                out.push(component);
            }
        }
    }
    out
}

/// The shortest cycle through `start` inside `component` (breadth-first, so deterministic).
// invariant: node numbers come from the graph's edges; every node on the chain back to
// `start` got its `parent` entry when it was queued.
fn cycle_through(edges: &[Vec<usize>], component: &[usize], start: usize) -> Vec<usize> {
    let mut parent: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &edges[v] {
            if w == start {
                let mut chain = Vec::new();
                let mut node = v;
                while node != start {
                    chain.push(node);
                    node = parent[&node];
                }
                let mut path = vec![start];
                path.extend(chain.into_iter().rev());
                path.push(start);
                return path;
            }
            if component.binary_search(&w).is_ok() && !parent.contains_key(&w) {
                parent.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    vec![start, start]
}

// invariant: a component is never empty, and a cycle path holds at least two nodes (`start`
// twice), all of them nodes of the graph.
/// Checks the resource graph `sites` (the template's [`crate::references::sites`]) and
/// `DependsOn` make.
pub(crate) fn check(template: &Template, sites: &[(&LogicalId, Site)], out: &mut Vec<Finding>) {
    let graph = graph(template, sites);
    for component in components(&graph.edges) {
        let start = component[0];
        if component.len() == 1 && !graph.edges[start].contains(&start) {
            continue;
        }
        let path = cycle_through(&graph.edges, &component, start);
        let names: Vec<&str> = path.iter().map(|&i| graph.ids[i].as_str()).collect();
        let at = graph.at.get(&(path[0], path[1])).cloned().unwrap_or_default();
        let message = format!(
            "dependency cycle {}: CloudFormation cannot order these resources; remove one of the references or DependsOn",
            names.join(" -> ")
        );
        out.push(Finding::new("dependency/cycle", at, message).about(names[0]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_components_and_paths() {
        // 0 -> 1 -> 2 -> 0, 3 -> 3, 4 -> 0
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![0]];
        let mut found = components(&edges);
        found.sort();
        assert_eq!(found, [vec![0, 1, 2], vec![3], vec![4]]);
        assert_eq!(cycle_through(&edges, &[0, 1, 2], 0), [0, 1, 2, 0]);
        assert_eq!(cycle_through(&edges, &[3], 3), [3, 3]);
    }

    #[test]
    fn a_long_chain_does_not_overflow() {
        let n = 200_000;
        let mut edges: Vec<Vec<usize>> = (0..n).map(|i| vec![i + 1]).collect();
        edges[n - 1] = vec![0];
        let found = components(&edges);
        assert_eq!(found.len(), 1);
        assert_eq!(cycle_through(&edges, &found[0], 0).len(), n + 1);
    }
}
