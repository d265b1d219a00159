//! Deterministic rendering: the same template gives the same bytes on every run and machine.
//!
//! Sections and resource attributes come in a fixed, conventional order; every other object
//! has its keys sorted (explicitly, so a dependency enabling `serde_json`'s `preserve_order`
//! cannot change our output). Two-space indent, `"key": value`, and a trailing newline.

use crate::template::Template;
use crate::value::Json;

/// A JSON object whose key order is chosen by the renderer, or a plain JSON value.
enum Node {
    Json(Json),
    Ordered(Vec<(&'static str, Node)>),
    Keyed(Vec<(String, Node)>),
}

impl Template {
    /// Renders the template as canonical JSON text.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(4096);
        write_node(&mut out, &template_node(self), 0);
        out.push('\n');
        out
    }
}

impl Template {
    /// The template as a JSON value: exactly what [`Template::render`] writes, without the
    /// text round trip (for tools such as diff that compare documents).
    pub fn to_json(&self) -> Json {
        node_to_json(template_node(self))
    }
}

fn node_to_json(node: Node) -> Json {
    match node {
        Node::Json(value) => value,
        Node::Ordered(fields) => {
            Json::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), node_to_json(v))).collect())
        }
        Node::Keyed(fields) => Json::Object(fields.into_iter().map(|(k, v)| (k, node_to_json(v))).collect()),
    }
}

/// Renders any JSON value the way templates are rendered: sorted keys, two-space indent,
/// trailing newline.
pub fn canonical_json(value: &Json) -> String {
    let mut out = String::new();
    write_json(&mut out, value, 0);
    out.push('\n');
    out
}

fn json(value: impl Into<Json>) -> Node {
    Node::Json(value.into())
}

fn template_node(t: &Template) -> Node {
    let mut top: Vec<(String, Node)> = Vec::new();
    if let Some(version) = &t.format_version {
        top.push(("AWSTemplateFormatVersion".into(), json(version.as_str())));
    }
    if let Some(description) = &t.description {
        top.push(("Description".into(), json(description.as_str())));
    }
    // Sections this model does not know (Transform, Globals…) go near the top, where tools
    // put them.
    top.extend(t.other_sections.iter().map(|(name, value)| (name.clone(), Node::Json(value.clone()))));
    if !t.metadata.is_empty() {
        top.push(("Metadata".into(), json_map(&t.metadata)));
    }
    if !t.parameters.is_empty() {
        let entries = t.parameters.iter().map(|(id, p)| (id.to_string(), parameter_node(p))).collect();
        top.push(("Parameters".into(), Node::Keyed(entries)));
    }
    if !t.rules.is_empty() {
        top.push(("Rules".into(), json_map(&t.rules)));
    }
    if !t.mappings.is_empty() {
        let entries = t.mappings.iter().map(|(id, m)| (id.to_string(), Node::Json(crate::value::to_json(m)))).collect();
        top.push(("Mappings".into(), Node::Keyed(entries)));
    }
    if !t.conditions.is_empty() {
        let entries = t.conditions.iter().map(|(id, c)| (id.to_string(), Node::Json(c.to_json()))).collect();
        top.push(("Conditions".into(), Node::Keyed(entries)));
    }
    let resources = t.resources.iter().map(|(id, r)| (id.to_string(), resource_node(r))).collect();
    top.push(("Resources".into(), Node::Keyed(resources)));
    if !t.outputs.is_empty() {
        let entries = t.outputs.iter().map(|(id, o)| (id.to_string(), output_node(o))).collect();
        top.push(("Outputs".into(), Node::Keyed(entries)));
    }
    Node::Keyed(top)
}

fn json_map(map: &std::collections::BTreeMap<String, Json>) -> Node {
    Node::Keyed(map.iter().map(|(k, v)| (k.clone(), Node::Json(v.clone()))).collect())
}

fn parameter_node(p: &crate::template::Parameter) -> Node {
    let mut fields = vec![("Type", json(p.parameter_type.as_str()))];
    if let Some(d) = &p.description {
        fields.push(("Description", json(d.as_str())));
    }
    if let Some(d) = &p.default {
        fields.push(("Default", Node::Json(d.clone())));
    }
    if !p.allowed_values.is_empty() {
        fields.push(("AllowedValues", json(p.allowed_values.clone())));
    }
    if let Some(d) = &p.allowed_pattern {
        fields.push(("AllowedPattern", json(d.as_str())));
    }
    if let Some(d) = &p.constraint_description {
        fields.push(("ConstraintDescription", json(d.as_str())));
    }
    for (name, value) in [("MinLength", p.min_length), ("MaxLength", p.max_length)] {
        if let Some(v) = value {
            fields.push((name, json(v)));
        }
    }
    for (name, value) in [("MinValue", p.min_value), ("MaxValue", p.max_value)] {
        if let Some(v) = value {
            fields.push((name, Node::Json(number(v))));
        }
    }
    if p.no_echo {
        fields.push(("NoEcho", json(true)));
    }
    Node::Ordered(fields)
}

/// Whole numbers render without a fraction (`5`, not `5.0`), as people write them.
fn number(v: f64) -> Json {
    #[allow(clippy::cast_possible_truncation)]
    if v.fract() == 0.0 && v.abs() < 9.0e15 { Json::from(v as i64) } else { Json::from(v) }
}

fn resource_node(r: &crate::resource::Resource) -> Node {
    let mut fields = vec![("Type", json(r.type_name.as_str()))];
    if let Some(c) = &r.condition {
        fields.push(("Condition", json(c.as_str())));
    }
    if !r.depends_on.is_empty() {
        fields.push(("DependsOn", json(r.depends_on.iter().map(|d| Json::from(d.as_str())).collect::<Vec<_>>())));
    }
    if !r.properties.is_empty() {
        fields.push(("Properties", json_map(&r.properties)));
    }
    if let Some(p) = &r.deletion_policy {
        fields.push(("DeletionPolicy", Node::Json(p.to_json())));
    }
    if let Some(p) = &r.update_replace_policy {
        fields.push(("UpdateReplacePolicy", Node::Json(p.to_json())));
    }
    if !r.metadata.is_empty() {
        fields.push(("Metadata", json_map(&r.metadata)));
    }
    let mut keyed: Vec<(String, Node)> = fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    keyed.extend(r.other_attributes.iter().map(|(k, v)| (k.clone(), Node::Json(v.clone()))));
    Node::Keyed(keyed)
}

fn output_node(o: &crate::template::Output) -> Node {
    let mut fields = Vec::new();
    if let Some(d) = &o.description {
        fields.push(("Description", json(d.as_str())));
    }
    if let Some(c) = &o.condition {
        fields.push(("Condition", json(c.as_str())));
    }
    fields.push(("Value", Node::Json(o.value.clone())));
    if let Some(name) = &o.export_name {
        fields.push(("Export", Node::Ordered(vec![("Name", Node::Json(name.clone()))])));
    }
    Node::Ordered(fields)
}

fn write_node(out: &mut String, node: &Node, indent: usize) {
    match node {
        Node::Json(value) => write_json(out, value, indent),
        Node::Ordered(fields) => write_object(out, fields.iter().map(|(k, v)| (*k, v)), indent, write_node),
        Node::Keyed(fields) => write_object(out, fields.iter().map(|(k, v)| (k.as_str(), v)), indent, write_node),
    }
}

fn write_json(out: &mut String, value: &Json, indent: usize) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(&n.to_string()),
        Json::String(s) => write_string(out, s),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                push_indent(out, indent + 1);
                write_json(out, item, indent + 1);
            }
            out.push('\n');
            push_indent(out, indent);
            out.push(']');
        }
        Json::Object(map) => {
            let mut entries: Vec<(&str, &Json)> = map.iter().map(|(k, v)| (k.as_str(), v)).collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            write_object(out, entries.into_iter(), indent, write_json);
        }
    }
}

fn write_object<'a, V: 'a>(
    out: &mut String,
    entries: impl Iterator<Item = (&'a str, &'a V)>,
    indent: usize,
    write_value: fn(&mut String, &V, usize),
) {
    let mut empty = true;
    out.push('{');
    for (key, value) in entries {
        out.push_str(if empty { "\n" } else { ",\n" });
        empty = false;
        push_indent(out, indent + 1);
        write_string(out, key);
        out.push_str(": ");
        write_value(out, value, indent + 1);
    }
    if !empty {
        out.push('\n');
        push_indent(out, indent);
    }
    out.push('}');
}

fn push_indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// Writes a JSON string literal, escaping what JSON requires and nothing else (non-ASCII
/// text stays readable UTF-8).
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                use std::fmt::Write;
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(value: &Json) -> String {
        let mut out = String::new();
        write_json(&mut out, value, 0);
        out
    }

    #[test]
    fn sorts_keys_and_indents_two_spaces() {
        let value = serde_json::json!({"b": [1, {"z": true, "a": null}], "a": {}, "c": []});
        assert_eq!(
            rendered(&value),
            "{\n  \"a\": {},\n  \"b\": [\n    1,\n    {\n      \"a\": null,\n      \"z\": true\n    }\n  ],\n  \"c\": []\n}"
        );
    }

    #[test]
    fn escapes_like_json_requires() {
        let value = Json::from("a\"b\\c\nd\u{01}é");
        assert_eq!(rendered(&value), r#""a\"b\\c\nd\u0001é""#);
        let back: Json = serde_json::from_str(&rendered(&value)).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn to_json_is_what_render_writes() {
        let text = r#"{"Parameters": {"P": {"Type": "Number", "MinValue": "1"}},
            "Resources": {"B": {"Type": "X", "DependsOn": "A"}, "A": {"Type": "X", "Properties": {"z": 1, "a": [true]}}},
            "Outputs": {"O": {"Value": {"Ref": "A"}, "Export": {"Name": "n"}}}}"#;
        let template = Template::from_json_str(text).unwrap();
        let reparsed: Json = serde_json::from_str(&template.render()).unwrap();
        assert_eq!(template.to_json(), reparsed);
    }

    #[test]
    fn whole_numbers_have_no_fraction() {
        assert_eq!(number(5.0), Json::from(5));
        assert_eq!(number(0.5), Json::from(0.5));
    }
}
