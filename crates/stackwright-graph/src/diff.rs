//! The picture of a diff: the changed resources and their unchanged neighbours, styled by
//! what CloudFormation will do, with replacement chains drawn as highlighted paths and
//! security broadening marked — and the Markdown section that puts it in a PR comment,
//! within GitHub's limits.

use std::collections::{BTreeMap, BTreeSet};

use stackwright_diff::{Direction, Impact, Reason, StackDiff, StackStatus};
use stackwright_template::{LogicalId, Template};

use crate::model::{Edge, EdgeKind, Graph};
use crate::template::{all_groups, resource_node, uses};

/// The templates of one side of a diff, by stack name.
pub type Stacks = [(String, Template)];

/// The picture of `stacks`' changes. `old` and `new` are the templates the diff compared
/// (a stack missing from one side is empty there). With `context`, the unchanged resources
/// next to a changed one are drawn too.
pub fn diff_graph(stacks: &[StackDiff], old: &Stacks, new: &Stacks, context: bool) -> Graph {
    let mut graph = Graph { title: "diff".to_owned(), ..Graph::default() };
    let several = stacks.len() > 1;
    let empty = Template::default();
    for stack in stacks.iter().filter(|s| s.status != StackStatus::Unchanged && !s.diff.resources.is_empty()) {
        let (before, after) = (find(old, &stack.name, &empty), find(new, &stack.name, &empty));
        add_stack(&mut graph, stack, before, after, context, several.then_some(stack.name.as_str()));
    }
    graph.normalize();
    graph
}

/// The template of stack `name` in `set`, or `empty`.
fn find<'a>(set: &'a Stacks, name: &str, empty: &'a Template) -> &'a Template {
    set.iter().find(|(n, _)| n == name).map_or(empty, |(_, t)| t)
}

/// Adds one stack's changed resources (and neighbours), prefixed and grouped under the stack
/// when `prefix` is given.
fn add_stack(
    graph: &mut Graph,
    stack: &StackDiff,
    old: &Template,
    new: &Template,
    context: bool,
    prefix: Option<&str>,
) {
    let diff = &stack.diff;
    // Edges of the new template, plus those of resources that only the old one has.
    let mut links: BTreeSet<(String, String, EdgeKind)> = BTreeSet::new();
    for (template, only_removed) in [(new, false), (old, true)] {
        for (id, resource) in template.resources() {
            if only_removed && new.resources().contains_key(id) {
                continue;
            }
            for (used, kind) in uses(resource) {
                if LogicalId::new(&used).is_ok_and(|u| template.resources().contains_key(&u)) {
                    links.insert((used, id.to_string(), kind));
                }
            }
        }
    }
    let changed = |id: &str| diff.resources.contains_key(id);
    let mut shown: BTreeSet<&str> = diff.resources.keys().map(String::as_str).collect();
    if context {
        for (from, to, _) in &links {
            if changed(from) || changed(to) {
                shown.insert(from);
                shown.insert(to);
            }
        }
    }
    let broadening: BTreeSet<&str> = diff
        .security
        .iam
        .iter()
        .filter(|c| c.direction == Direction::Broadening)
        .map(|c| c.resource.as_str())
        .chain(
            diff.security
                .security_groups
                .iter()
                .filter(|c| c.direction == Direction::Broadening)
                .map(|c| c.resource.as_str()),
        )
        .collect();
    let mut groups = all_groups(old);
    groups.extend(all_groups(new));
    let key = |id: &str| prefix.map_or_else(|| id.to_owned(), |p| format!("{p}/{id}"));
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for id in &shown {
        let type_name = diff.resources.get(*id).map(|c| c.resource_type().to_owned()).or_else(|| {
            let id = LogicalId::new(*id).ok()?;
            new.resources().get(&id).or_else(|| old.resources().get(&id)).map(|r| r.type_name.clone())
        });
        let mut group = groups.get(*id).cloned().unwrap_or_default();
        if let Some(p) = prefix {
            group.insert(0, format!("stack {p}"));
        }
        let mut node = resource_node(id, type_name.as_deref().unwrap_or("unknown"), group);
        node.key = key(id);
        let change = diff.resources.get(*id);
        node.status = Some(change.map_or(Impact::NoChange, |c| c.impact));
        if let Some(change) = change {
            node.lines.push(impact_line(change));
        }
        if broadening.contains(id) {
            node.broadening = true;
            node.lines.push("⚠ security broadening".to_owned());
        }
        graph.nodes.push(node);
        index.insert(id, graph.nodes.len() - 1);
    }
    // Replacement links: `target` is replaced (or may be), and `user` changes because it
    // refers to it, at `path`.
    let mut chains: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for change in diff.resources.values() {
        for reason in &change.reasons {
            if let Reason::ReferencesReplaced { path, target, .. } = reason {
                chains.entry((target.as_str(), change.logical_id.as_str())).or_insert(path.as_str());
            }
        }
    }
    for (from, to, kind) in &links {
        // Links between two unchanged neighbours are left out: they are context, not change.
        if !(changed(from) || changed(to)) {
            continue;
        }
        let (Some(&a), Some(&b)) = (index.get(from.as_str()), index.get(to.as_str())) else { continue };
        let chain = chains.get(&(from.as_str(), to.as_str()));
        graph.edges.push(Edge {
            from: a,
            to: b,
            kinds: BTreeSet::from([kind.clone()]),
            label: chain.map(|path| short_path(path)),
            highlight: chain.is_some(),
        });
    }
}

/// `replace: RepositoryName` — the impact, and for a replacement started here the property
/// (or type change) that forces it.
fn impact_line(change: &stackwright_diff::ResourceChange) -> String {
    let cause = change.reasons.iter().find_map(|reason| match reason {
        Reason::CreateOnlyChanged { path } | Reason::CreateOnlyUnknown { path } => Some(short_path(path)),
        Reason::TypeChanged { .. } => Some("type changed".to_owned()),
        Reason::Renamed { from, .. } => Some(format!("renamed from {from}")),
        _ => None,
    });
    let mut line = change.impact.as_str().to_owned();
    if let Some(cause) = cause.filter(|_| matches!(change.impact, Impact::Replace | Impact::MayReplace)) {
        line.push_str(": ");
        line.push_str(&cause);
    }
    if change.data_loss {
        line.push_str(" (data loss)");
    }
    line
}

/// A property path without its `/Properties/` prefix: `/Properties/TaskDefinition` →
/// `TaskDefinition`.
fn short_path(path: &str) -> String {
    path.strip_prefix("/Properties/").unwrap_or(path).to_owned()
}

#[cfg(test)]
mod tests;
