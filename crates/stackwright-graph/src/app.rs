//! The picture of an app: a node per stack, and an edge from the stack that writes an export
//! to each stack that reads it with `Fn::ImportValue`.
//!
//! Export and import names are matched as CloudFormation would, once they are known offline:
//! a literal, or an `Fn::Sub` / `Fn::Join` whose only reference is `AWS::StackName` (the
//! stack's own name is known here). A name built from anything else (a parameter, another
//! import) is known only at deploy time and is not matched. An imported name that no stack of
//! the app exports is drawn as an export from outside the app.

use std::collections::{BTreeMap, BTreeSet};

use stackwright_template::{Json, Template};

use crate::model::{Edge, EdgeKind, Graph, Node, NodeKind};

/// How many export names an edge label lists before `+N more`.
const LABEL_NAMES: usize = 3;

/// What the picture of an app needs of one stack: far less than its template, so a caller
/// reading many stacks can keep these and drop each template once read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackLinks {
    /// The stack name.
    pub name: String,
    /// How many resources it has.
    pub resources: usize,
    /// The export names it writes that are known offline, in output order.
    pub exports: Vec<String>,
    /// The export names it imports that are known offline, in document order.
    pub imports: Vec<String>,
}

impl StackLinks {
    /// The links of stack `name`, whose template is `template`.
    pub fn of(name: &str, template: &Template) -> Self {
        let exports = template
            .outputs()
            .values()
            .filter_map(|o| o.export_name.as_ref().and_then(|n| known_name(n, name)))
            .collect();
        let mut imported = Vec::new();
        for resource in template.resources().values() {
            for value in resource.properties.values() {
                imports(value, &mut imported);
            }
        }
        for output in template.outputs().values() {
            imports(&output.value, &mut imported);
        }
        let imports = imported.iter().filter_map(|argument| known_name(argument, name)).collect();
        Self { name: name.to_owned(), resources: template.resources().len(), exports, imports }
    }
}

impl StackLinks {
    /// The links of stack `name` read straight from its JSON document, without building the
    /// template model: what [`StackLinks::of`] finds in the template that document parses
    /// into. `None` when the document does not have a template's shape (not an object,
    /// `Resources` missing or not an object of typed resources, `Outputs` not an object of
    /// objects, a logical ID CloudFormation rejects): the caller parses it fully then, for
    /// the error. Drawing 1,000 stacks from their files was mostly building 1,000 models.
    pub fn of_json(name: &str, document: &Json) -> Option<Self> {
        let top = document.as_object()?;
        let resources = top.get("Resources")?.as_object()?;
        let outputs = match top.get("Outputs") {
            None => None,
            Some(outputs) => Some(outputs.as_object()?),
        };
        let mut imported = Vec::new();
        for (id, resource) in resources {
            stackwright_template::LogicalId::new(id.as_str()).ok()?;
            let resource = resource.as_object()?;
            resource.get("Type")?.as_str()?;
            if let Some(properties) = resource.get("Properties") {
                properties.as_object()?.values().for_each(|value| imports(value, &mut imported));
            }
        }
        let mut exports = Vec::new();
        for (id, output) in outputs.into_iter().flatten() {
            stackwright_template::LogicalId::new(id.as_str()).ok()?;
            let output = output.as_object()?;
            if let Some(export) = output.get("Export") {
                exports.extend(known_name(export.as_object()?.get("Name")?, name));
            }
        }
        for output in outputs.into_iter().flat_map(serde_json::Map::values) {
            if let Some(value) = output.get("Value") {
                imports(value, &mut imported);
            }
        }
        let imports = imported.iter().filter_map(|argument| known_name(argument, name)).collect();
        Some(Self { name: name.to_owned(), resources: resources.len(), exports, imports })
    }
}

/// The picture of the stacks `stacks` (name, template), titled `title`.
pub fn app_graph(title: &str, stacks: &[(String, Template)]) -> Graph {
    let links: Vec<StackLinks> = stacks.iter().map(|(name, template)| StackLinks::of(name, template)).collect();
    app_graph_of(title, &links)
}

/// [`app_graph`] from each stack's [`StackLinks`].
pub fn app_graph_of(title: &str, stacks: &[StackLinks]) -> Graph {
    let mut graph = Graph { title: title.to_owned(), ..Graph::default() };
    let mut exporters: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, stack) in stacks.iter().enumerate() {
        let resources = stack.resources;
        graph.nodes.push(Node {
            key: format!("stack {}", stack.name),
            lines: vec![stack.name.clone(), format!("{resources} resources")],
            group: Vec::new(),
            kind: NodeKind::Stack { resources },
            status: None,
            broadening: false,
        });
        for export in &stack.exports {
            exporters.entry(export).or_insert(index);
        }
    }
    // (exporter, importer) -> names, so one edge lists every export it stands for.
    let mut links: BTreeMap<(usize, usize), BTreeSet<String>> = BTreeMap::new();
    for (importer, stack) in stacks.iter().enumerate() {
        for export in &stack.imports {
            let exporter = match exporters.get(export.as_str()) {
                Some(&exporter) => exporter,
                None => *exporters.entry(export).or_insert_with(|| {
                    graph.nodes.push(Node {
                        key: format!("export {export}"),
                        lines: vec![export.clone(), "export from outside the app".to_owned()],
                        group: Vec::new(),
                        kind: NodeKind::ExternalExport,
                        status: None,
                        broadening: false,
                    });
                    graph.nodes.len() - 1
                }),
            };
            links.entry((exporter, importer)).or_default().insert(export.clone());
        }
    }
    for ((from, to), names) in links {
        let mut label: Vec<&str> = names.iter().take(LABEL_NAMES).map(String::as_str).collect();
        let more = names.len().saturating_sub(LABEL_NAMES);
        let more_text = format!("+{more} more");
        if more > 0 {
            label.push(&more_text);
        }
        graph.edges.push(Edge {
            from,
            to,
            label: Some(label.join(", ")),
            kinds: names.iter().cloned().map(EdgeKind::Import).collect(),
            highlight: false,
        });
    }
    graph.normalize();
    graph
}

/// The arguments of every `Fn::ImportValue` inside `value`. Depth is bounded by the
/// template's nesting, which the parsers cap.
fn imports<'a>(value: &'a Json, out: &mut Vec<&'a Json>) {
    match value {
        Json::Object(map) => {
            if map.len() == 1
                && let Some(argument) = map.get("Fn::ImportValue")
            {
                out.push(argument);
            }
            map.values().for_each(|child| imports(child, out));
        }
        Json::Array(items) => items.iter().for_each(|child| imports(child, out)),
        _ => {}
    }
}

/// A name known offline: a literal, or an `Fn::Sub` / `Fn::Join` of literals and
/// `AWS::StackName` (the stack is `stack`).
// invariant: `items` is indexed only under the guard `items.len() == 2`.
fn known_name(value: &Json, stack: &str) -> Option<String> {
    match value {
        Json::String(text) => Some(text.clone()),
        Json::Object(map) if map.len() == 1 => {
            if let Some(sub) = map.get("Fn::Sub") {
                let template = match sub {
                    Json::String(text) => text,
                    Json::Array(items)
                        if items.len() == 2 && items[1].as_object().is_some_and(serde_json::Map::is_empty) =>
                    {
                        items[0].as_str()?
                    }
                    _ => return None,
                };
                let names = stackwright_template::walk::placeholders(template);
                if names.iter().any(|n| n != "AWS::StackName") {
                    return None;
                }
                return Some(substitute_stack_name(template, stack));
            }
            if let Some(Json::Array(join)) = map.get("Fn::Join")
                && let [Json::String(separator), Json::Array(parts)] = join.as_slice()
            {
                let parts: Option<Vec<String>> = parts
                    .iter()
                    .map(|part| match part {
                        Json::String(text) => Some(text.clone()),
                        Json::Object(m) if m.len() == 1 && m.get("Ref") == Some(&Json::from("AWS::StackName")) => {
                            Some(stack.to_owned())
                        }
                        _ => None,
                    })
                    .collect();
                return parts.map(|parts| parts.join(separator));
            }
            None
        }
        _ => None,
    }
}

/// An `Fn::Sub` template whose only placeholders are `${AWS::StackName}`, with the name put
/// in and `${!Literal}` escapes turned into `${Literal}`.
// invariant: every offset comes from `find` of the ASCII `${` or `}` in the string it slices,
// so it is a character boundary, and `start + 2` and `end + 1` stay within that string.
fn substitute_stack_name(template: &str, stack: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        rest = &rest[start + 2..];
        let Some(end) = rest.find('}') else {
            out.push_str("${");
            break;
        };
        let inner = &rest[..end];
        match inner.strip_prefix('!') {
            Some(literal) => {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            }
            None if inner.trim() == "AWS::StackName" => out.push_str(stack),
            None => {
                out.push_str("${");
                out.push_str(inner);
                out.push('}');
            }
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn names_known_offline() {
        assert_eq!(known_name(&json!("vpc-id"), "s"), Some("vpc-id".into()));
        assert_eq!(known_name(&json!({"Fn::Sub": "${AWS::StackName}-vpc-${!x}"}), "net"), Some("net-vpc-${x}".into()));
        assert_eq!(known_name(&json!({"Fn::Sub": ["${AWS::StackName}-a", {}]}), "net"), Some("net-a".into()));
        assert_eq!(
            known_name(&json!({"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "b"]]}), "net"),
            Some("net-b".into())
        );
        assert_eq!(known_name(&json!({"Fn::Sub": "${Env}-vpc"}), "net"), None);
        assert_eq!(known_name(&json!({"Ref": "Param"}), "net"), None);
    }

    #[test]
    fn an_import_links_the_exporting_stack_to_the_importer() {
        let net = Template::from_json_str(
            r#"{"Resources": {"Vpc": {"Type": "AWS::EC2::VPC"}},
                "Outputs": {"V": {"Value": {"Ref": "Vpc"}, "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-vpc"}}}}}"#,
        )
        .unwrap();
        let web = Template::from_json_str(
            r#"{"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
                "VpcId": {"Fn::ImportValue": "net-vpc"}, "GroupDescription": {"Fn::ImportValue": "shared-thing"}}}}}"#,
        )
        .unwrap();
        let g = app_graph("app", &[("net".into(), net), ("web".into(), web)]);
        let keys: Vec<&str> = g.nodes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["export shared-thing", "stack net", "stack web"]);
        let edges: Vec<(usize, usize, Option<&str>)> =
            g.edges.iter().map(|e| (e.from, e.to, e.label.as_deref())).collect();
        assert_eq!(edges, [(0, 2, Some("shared-thing")), (1, 2, Some("net-vpc"))]);
    }

    #[test]
    fn links_read_from_json_are_those_of_the_parsed_template() {
        let documents = [
            json!({"Resources": {"Vpc": {"Type": "AWS::EC2::VPC"}, "B": {"Type": "X", "Properties": {
                    "A": [{"Fn::ImportValue": "one"}], "Z": {"Fn::ImportValue": {"Fn::Sub": "${AWS::StackName}-two"}}}}},
                "Outputs": {"V": {"Value": {"Fn::ImportValue": "three"}, "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-vpc"}}},
                    "W": {"Value": "x", "Export": {"Name": "plain"}}, "U": {"Value": {"Ref": "Vpc"}}}}),
            json!({"Resources": {}}),
        ];
        for document in documents {
            let template = Template::from_json(&document).unwrap();
            assert_eq!(StackLinks::of_json("net", &document), Some(StackLinks::of("net", &template)));
        }
        for bad in [
            json!([]),
            json!({"Outputs": {}}),
            json!({"Resources": {"A": {"Properties": {}}}}),
            json!({"Resources": {"a-b": {"Type": "X"}}}),
            json!({"Resources": {"A": {"Type": "X", "Properties": []}}}),
            json!({"Resources": {}, "Outputs": {"O": {"Value": 1, "Export": "n"}}}),
        ] {
            assert_eq!(StackLinks::of_json("s", &bad), None, "{bad}");
        }
    }
}
