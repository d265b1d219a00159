//! The picture of one template: a node per resource, grouped by construct path, and an edge
//! per resource that another refers to (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `DependsOn`).
//!
//! Where the construct path comes from:
//! - a template Stackwright built in memory knows who added each resource
//!   ([`Template::owner_of`]): `Shop/Web/Service`;
//! - a template read from a file has no construct paths, unless it carries CDK's
//!   `aws:cdk:path` resource metadata (`MyStack/Web/Service/Resource` → `Web/Service`);
//! - otherwise its resources are drawn ungrouped. Grouping by a logical-ID prefix was
//!   considered and rejected: `ShopWebLb` does not say whether it is `Shop/WebLb` or
//!   `Shop/Web/Lb`, and a wrong group misleads more than none.
//!
//! A construct's main resource has the construct's own path (`Shop/Build` is the CodeBuild
//! project, `Shop/Build/Role` its role), so a path that prefixes another is a group, and its
//! own resource is drawn inside it.

use std::collections::{BTreeMap, BTreeSet};

use stackwright_template::walk::{Site, Use, walk};
use stackwright_template::{Json, LogicalId, Resource, Template};

use crate::model::{Edge, EdgeKind, Graph, Node, NodeKind};

/// CDK's resource metadata key holding the construct path.
const CDK_PATH: &str = "aws:cdk:path";

/// How to draw a template.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Construct levels drawn as nested groups; a construct deeper than this is drawn as one
    /// node standing for all its resources. **Default:** `None` (every level).
    pub depth: Option<usize>,
}

/// The picture of `template`, titled `title`.
// invariant: `groups` and `node_of` get an entry for every resource of `template` before
// they are read; `index` is a node just pushed or found; the collapsing arm runs only when
// `group.len() > depth`.
pub fn template_graph(title: &str, template: &Template, options: Options) -> Graph {
    let paths: BTreeMap<&LogicalId, Vec<String>> =
        template.resources().iter().map(|(id, resource)| (id, construct_path(template, id, resource))).collect();
    let groups = groups_of(&paths);
    let mut graph = Graph { title: title.to_owned(), ..Graph::default() };
    // Each resource's node: itself, or the collapsed construct that holds it.
    let mut node_of: BTreeMap<&LogicalId, usize> = BTreeMap::new();
    let mut constructs: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    for (id, resource) in template.resources() {
        let group = &groups[id];
        let index = match options.depth {
            Some(depth) if group.len() > depth => {
                let construct = group[..=depth].to_vec();
                *constructs.entry(construct.clone()).or_insert_with(|| {
                    graph.nodes.push(Node {
                        key: format!("construct {}", construct.join("/")),
                        lines: Vec::new(),
                        group: construct[..depth].to_vec(),
                        kind: NodeKind::Construct { resources: 0 },
                        status: None,
                        broadening: false,
                    });
                    graph.nodes.len() - 1
                })
            }
            _ => {
                graph.nodes.push(resource_node(id.as_str(), &resource.type_name, group.clone()));
                graph.nodes.len() - 1
            }
        };
        if let NodeKind::Construct { resources } = &mut graph.nodes[index].kind {
            *resources += 1;
        }
        node_of.insert(id, index);
    }
    for (path, &index) in &constructs {
        let NodeKind::Construct { resources } = graph.nodes[index].kind else { continue };
        let name = path.last().cloned().unwrap_or_default();
        graph.nodes[index].lines = vec![name, format!("{resources} resources")];
    }
    for (id, resource) in template.resources() {
        for (used, kind) in uses(resource) {
            let Some(&from) = LogicalId::new(&used).ok().as_ref().and_then(|u| node_of.get(u)) else { continue };
            graph.edges.push(Edge {
                from,
                to: node_of[id],
                kinds: BTreeSet::from([kind]),
                label: None,
                highlight: false,
            });
        }
    }
    graph.normalize();
    graph
}

/// A resource's node: its logical ID and its type without the `AWS::` prefix.
pub(crate) fn resource_node(id: &str, type_name: &str, group: Vec<String>) -> Node {
    Node {
        key: id.to_owned(),
        lines: vec![id.to_owned(), type_name.strip_prefix("AWS::").unwrap_or(type_name).to_owned()],
        group,
        kind: NodeKind::Resource { type_name: type_name.to_owned() },
        status: None,
        broadening: false,
    }
}

/// The construct path of a resource, as segments; empty when unknown.
fn construct_path(template: &Template, id: &LogicalId, resource: &Resource) -> Vec<String> {
    if let Some(owner) = template.owner_of("Resources", id)
        && owner != format!("Resources/{id}")
    {
        return owner.split('/').map(str::to_owned).collect();
    }
    if let Some(Json::String(path)) = resource.metadata.get(CDK_PATH) {
        let mut segments: Vec<String> = path.split('/').skip(1).map(str::to_owned).collect();
        if segments.len() > 1 && segments.last().is_some_and(|s| s == "Resource") {
            segments.pop();
        }
        return segments;
    }
    Vec::new()
}

/// The group each resource is drawn in: its construct path when that path holds other
/// resources too (it is the construct's main resource), else its parent's path.
// invariant: prefixes are cut at lengths below `path.len()`, and the parent at
// `len - 1` saturating.
pub(crate) fn groups_of<'a>(paths: &BTreeMap<&'a LogicalId, Vec<String>>) -> BTreeMap<&'a LogicalId, Vec<String>> {
    let prefixes: BTreeSet<&[String]> =
        paths.values().flat_map(|path| (1..path.len()).map(move |len| &path[..len])).collect();
    paths
        .iter()
        .map(|(&id, path)| {
            let group = if prefixes.contains(path.as_slice()) {
                path.clone()
            } else {
                path[..path.len().saturating_sub(1)].to_vec()
            };
            (id, group)
        })
        .collect()
}

/// The construct path of every resource of a template (empty when unknown), for pictures that
/// draw only some of them.
pub(crate) fn all_groups(template: &Template) -> BTreeMap<String, Vec<String>> {
    let paths: BTreeMap<&LogicalId, Vec<String>> =
        template.resources().iter().map(|(id, resource)| (id, construct_path(template, id, resource))).collect();
    groups_of(&paths).into_iter().map(|(id, group)| (id.to_string(), group)).collect()
}

/// Every name a resource uses, with how: its properties' `Ref`, `Fn::GetAtt` and `Fn::Sub`
/// placeholders (found by the shared walker), and its `DependsOn`. Names that are not
/// resources (parameters, pseudo parameters) are filtered by the caller.
pub(crate) fn uses(resource: &Resource) -> Vec<(String, EdgeKind)> {
    let mut found = Vec::new();
    let mut sites: Vec<Site> = Vec::new();
    for value in resource.properties.values() {
        sites.clear();
        walk(value, "", &mut sites);
        for site in &sites {
            // The walker reports a `${X.Attr}` placeholder as a GetAtt; the value at its
            // pointer tells a Sub from a GetAtt.
            let in_sub =
                value.pointer(&site.pointer).and_then(Json::as_object).is_some_and(|m| m.contains_key("Fn::Sub"));
            match &site.used {
                Use::Ref(name) => found.push((name.clone(), EdgeKind::Ref)),
                Use::GetAtt { resource, .. } if in_sub => found.push((resource.clone(), EdgeKind::Sub)),
                Use::GetAtt { resource, attribute } => {
                    found.push((resource.clone(), EdgeKind::GetAtt(attribute.clone())));
                }
                Use::SubName(name) => found.push((name.clone(), EdgeKind::Sub)),
                _ => {}
            }
        }
    }
    found.extend(resource.depends_on.iter().map(|dep| (dep.to_string(), EdgeKind::DependsOn)));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(json: &str) -> Template {
        Template::from_json_str(json).unwrap()
    }

    #[test]
    fn every_kind_of_use_is_an_edge_from_the_used_to_the_user() {
        let t = template(
            r#"{"Parameters": {"P": {"Type": "String"}}, "Resources": {
                "A": {"Type": "AWS::S3::Bucket"},
                "B": {"Type": "AWS::SNS::Topic", "Properties": {"X": {"Ref": "A"}, "Y": {"Ref": "P"}}},
                "C": {"Type": "AWS::SNS::Topic", "Properties": {"X": {"Fn::GetAtt": ["A", "Arn"]}}},
                "D": {"Type": "AWS::SNS::Topic", "Properties": {"X": {"Fn::Sub": "${A}-${B.TopicName}-${AWS::Region}"}}},
                "E": {"Type": "AWS::SNS::Topic", "DependsOn": ["A", "Missing"]}}}"#,
        );
        let g = template_graph("t", &t, Options::default());
        let edges: Vec<(String, String, Vec<EdgeKind>)> = g
            .edges
            .iter()
            .map(|e| (g.nodes[e.from].key.clone(), g.nodes[e.to].key.clone(), e.kinds.iter().cloned().collect()))
            .collect();
        let s = |x: &str| x.to_owned();
        assert_eq!(
            edges,
            [
                (s("A"), s("B"), vec![EdgeKind::Ref]),
                (s("A"), s("C"), vec![EdgeKind::GetAtt(s("Arn"))]),
                (s("A"), s("D"), vec![EdgeKind::Sub]),
                (s("A"), s("E"), vec![EdgeKind::DependsOn]),
                (s("B"), s("D"), vec![EdgeKind::Sub]),
            ]
        );
    }

    #[test]
    fn cdk_paths_group_and_a_construct_holds_its_main_resource() {
        let t = template(
            r#"{"Resources": {
                "Repo": {"Type": "AWS::ECR::Repository", "Metadata": {"aws:cdk:path": "S/Web/Repo/Resource"}},
                "Svc": {"Type": "AWS::ECS::Service", "Metadata": {"aws:cdk:path": "S/Web/Resource"}},
                "Flat": {"Type": "AWS::SNS::Topic"}}}"#,
        );
        let g = template_graph("t", &t, Options::default());
        let groups: Vec<(&str, Vec<String>)> = g.nodes.iter().map(|n| (n.key.as_str(), n.group.clone())).collect();
        let s = |x: &str| x.to_owned();
        assert_eq!(groups, [("Flat", vec![]), ("Repo", vec![s("Web")]), ("Svc", vec![s("Web")])]);
    }

    #[test]
    fn depth_collapses_a_construct_into_one_node_and_keeps_its_edges() {
        let t = template(
            r#"{"Resources": {
                "A": {"Type": "AWS::S3::Bucket", "Metadata": {"aws:cdk:path": "S/App/Store/Bucket"}},
                "B": {"Type": "AWS::S3::BucketPolicy", "Metadata": {"aws:cdk:path": "S/App/Store/Policy"},
                      "Properties": {"Bucket": {"Ref": "A"}}},
                "C": {"Type": "AWS::SNS::Topic", "Metadata": {"aws:cdk:path": "S/App/Topic"},
                      "Properties": {"X": {"Ref": "B"}}}}}"#,
        );
        let g = template_graph("t", &t, Options { depth: Some(1) });
        let keys: Vec<&str> = g.nodes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["C", "construct App/Store"]);
        assert_eq!(g.nodes[1].lines, ["Store", "2 resources"]);
        assert_eq!(g.nodes[1].group, ["App"]);
        assert_eq!((g.edges.len(), g.edges[0].from, g.edges[0].to), (1, 1, 0));
        let everything = template_graph("t", &t, Options { depth: Some(0) });
        assert_eq!(everything.nodes.len(), 1);
        assert!(everything.edges.is_empty(), "edges inside a collapsed construct vanish");
    }
}
