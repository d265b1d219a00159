//! Deterministic rendering: the same template gives the same bytes on every run and machine.
//!
//! Sections and resource attributes come in a fixed, conventional order; every other object
//! has its keys sorted (explicitly, so a dependency enabling `serde_json`'s `preserve_order`
//! cannot change our output). Two-space indent, `"key": value`, and a trailing newline.

use std::borrow::Cow;

use crate::template::Template;
use crate::value::Json;

/// A JSON object whose key order is chosen by the renderer, or a plain JSON value. Values the
/// template holds are borrowed, not cloned: rendering a stack used to copy every property into
/// this tree and drop it again, a third of the render's instructions.
enum Node<'a> {
    Json(Cow<'a, Json>),
    Ordered(Vec<(&'static str, Node<'a>)>),
    Keyed(Vec<(Cow<'a, str>, Node<'a>)>),
}

impl Template {
    /// Renders the template as canonical JSON text.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(self.rendered_size_guess());
        write_node::<true>(&mut out, &template_node(self), 0);
        out.push('\n');
        out
    }

    /// Renders the template as compact canonical JSON: the same document, keys in the same
    /// order, no whitespace between tokens (and a trailing newline). For templates that exceed
    /// CloudFormation's 51,200-byte limit on an inline body when pretty-printed
    /// (`synth --minify`).
    pub fn render_compact(&self) -> String {
        let mut out = String::with_capacity(self.rendered_size_guess() / 2);
        write_node::<false>(&mut out, &template_node(self), 0);
        out.push('\n');
        out
    }
}

impl Template {
    /// About how many bytes [`Template::render`] writes: 2 KiB a resource (a seed stack's
    /// resources take 2.0 KiB each pretty-printed). Only the output buffer's first size: a
    /// guess too small costs a reallocation, not a wrong byte; without it an 86 KB stack
    /// was reallocated five times, copying what was written so far each time.
    fn rendered_size_guess(&self) -> usize {
        4096 + 2048 * self.resources.len()
    }

    /// The template as a JSON value: exactly what [`Template::render`] writes, without the
    /// text round trip (for tools such as diff that compare documents).
    pub fn to_json(&self) -> Json {
        node_to_json(template_node(self))
    }
}

fn node_to_json(node: Node<'_>) -> Json {
    match node {
        Node::Json(value) => value.into_owned(),
        Node::Ordered(fields) => {
            Json::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), node_to_json(v))).collect())
        }
        Node::Keyed(fields) => {
            Json::Object(fields.into_iter().map(|(k, v)| (k.into_owned(), node_to_json(v))).collect())
        }
    }
}

/// Renders any JSON value the way templates are rendered: sorted keys, two-space indent,
/// trailing newline.
pub fn canonical_json(value: &Json) -> String {
    let mut out = String::new();
    write_json::<true>(&mut out, value, 0);
    out.push('\n');
    out
}

fn json(value: impl Into<Json>) -> Node<'static> {
    Node::Json(Cow::Owned(value.into()))
}

fn borrowed(value: &Json) -> Node<'_> {
    Node::Json(Cow::Borrowed(value))
}

fn template_node(t: &Template) -> Node<'_> {
    let mut top: Vec<(Cow<'_, str>, Node<'_>)> = Vec::new();
    if let Some(version) = &t.format_version {
        top.push(("AWSTemplateFormatVersion".into(), json(version.as_str())));
    }
    if let Some(description) = &t.description {
        top.push(("Description".into(), json(description.as_str())));
    }
    // Sections this model does not know (Transform, Globals…) go near the top, where tools
    // put them.
    top.extend(t.other_sections.iter().map(|(name, value)| (Cow::Borrowed(name.as_str()), borrowed(value))));
    if !t.metadata.is_empty() {
        top.push(("Metadata".into(), json_map(&t.metadata)));
    }
    if !t.parameters.is_empty() {
        let entries = t.parameters.iter().map(|(id, p)| (Cow::Borrowed(id.as_str()), parameter_node(p))).collect();
        top.push(("Parameters".into(), Node::Keyed(entries)));
    }
    if !t.rules.is_empty() {
        top.push(("Rules".into(), json_map(&t.rules)));
    }
    if !t.mappings.is_empty() {
        let entries =
            t.mappings.iter().map(|(id, m)| (Cow::Borrowed(id.as_str()), json(crate::value::to_json(m)))).collect();
        top.push(("Mappings".into(), Node::Keyed(entries)));
    }
    if !t.conditions.is_empty() {
        let entries = t.conditions.iter().map(|(id, c)| (Cow::Borrowed(id.as_str()), json(c.to_json()))).collect();
        top.push(("Conditions".into(), Node::Keyed(entries)));
    }
    let resources = t.resources.iter().map(|(id, r)| (Cow::Borrowed(id.as_str()), resource_node(r))).collect();
    top.push(("Resources".into(), Node::Keyed(resources)));
    if !t.outputs.is_empty() {
        let entries = t.outputs.iter().map(|(id, o)| (Cow::Borrowed(id.as_str()), output_node(o))).collect();
        top.push(("Outputs".into(), Node::Keyed(entries)));
    }
    Node::Keyed(top)
}

fn json_map(map: &std::collections::BTreeMap<String, Json>) -> Node<'_> {
    Node::Keyed(map.iter().map(|(k, v)| (Cow::Borrowed(k.as_str()), borrowed(v))).collect())
}

fn parameter_node(p: &crate::template::Parameter) -> Node<'_> {
    let mut fields = vec![("Type", json(p.parameter_type.as_str()))];
    if let Some(d) = &p.description {
        fields.push(("Description", json(d.as_str())));
    }
    if let Some(d) = &p.default {
        fields.push(("Default", borrowed(d)));
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
            fields.push((name, json(number(v))));
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

fn resource_node(r: &crate::resource::Resource) -> Node<'_> {
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
        fields.push(("DeletionPolicy", json(p.to_json())));
    }
    if let Some(p) = &r.update_replace_policy {
        fields.push(("UpdateReplacePolicy", json(p.to_json())));
    }
    if !r.metadata.is_empty() {
        fields.push(("Metadata", json_map(&r.metadata)));
    }
    let mut keyed: Vec<(Cow<'_, str>, Node<'_>)> = fields.into_iter().map(|(k, v)| (Cow::Borrowed(k), v)).collect();
    keyed.extend(r.other_attributes.iter().map(|(k, v)| (Cow::Borrowed(k.as_str()), borrowed(v))));
    Node::Keyed(keyed)
}

fn output_node(o: &crate::template::Output) -> Node<'_> {
    let mut fields = Vec::new();
    if let Some(d) = &o.description {
        fields.push(("Description", json(d.as_str())));
    }
    if let Some(c) = &o.condition {
        fields.push(("Condition", json(c.as_str())));
    }
    fields.push(("Value", borrowed(&o.value)));
    if let Some(name) = &o.export_name {
        fields.push(("Export", Node::Ordered(vec![("Name", borrowed(name))])));
    }
    Node::Ordered(fields)
}

/// `PRETTY`: two-space indent, one entry a line, `"key": value`; else no whitespace at all.
fn write_node<const PRETTY: bool>(out: &mut String, node: &Node<'_>, indent: usize) {
    match node {
        Node::Json(value) => write_json::<PRETTY>(out, value, indent),
        Node::Ordered(fields) => {
            write_object::<PRETTY, _>(out, fields.iter().map(|(k, v)| (*k, v)), indent, write_node::<PRETTY>);
        }
        Node::Keyed(fields) => {
            write_object::<PRETTY, _>(out, fields.iter().map(|(k, v)| (k.as_ref(), v)), indent, write_node::<PRETTY>);
        }
    }
}

fn write_json<const PRETTY: bool>(out: &mut String, value: &Json, indent: usize) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => {
            use std::fmt::Write;
            let _ = write!(out, "{n}");
        }
        Json::String(s) => write_string(out, s),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline::<PRETTY>(out, indent + 1);
                write_json::<PRETTY>(out, item, indent + 1);
            }
            newline::<PRETTY>(out, indent);
            out.push(']');
        }
        // serde_json's map is sorted unless a dependency turns on `preserve_order`: checking
        // costs the comparisons a sort of sorted input does, without collecting the entries.
        Json::Object(map) if map.keys().is_sorted() => {
            write_object::<PRETTY, _>(out, map.iter().map(|(k, v)| (k.as_str(), v)), indent, write_json::<PRETTY>);
        }
        Json::Object(map) => {
            let mut entries: Vec<(&str, &Json)> = map.iter().map(|(k, v)| (k.as_str(), v)).collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            write_object::<PRETTY, _>(out, entries.into_iter(), indent, write_json::<PRETTY>);
        }
    }
}

fn write_object<'a, const PRETTY: bool, V: 'a>(
    out: &mut String,
    entries: impl Iterator<Item = (&'a str, &'a V)>,
    indent: usize,
    write_value: fn(&mut String, &V, usize),
) {
    let mut empty = true;
    out.push('{');
    for (key, value) in entries {
        if !empty {
            out.push(',');
        }
        empty = false;
        newline::<PRETTY>(out, indent + 1);
        write_string(out, key);
        out.push_str(if PRETTY { ": " } else { ":" });
        write_value(out, value, indent + 1);
    }
    if !empty {
        newline::<PRETTY>(out, indent);
    }
    out.push('}');
}

/// A line break and 32 two-space indents: a line's start is one copy of a prefix of it.
const LINE_START: &str = "\n                                                                ";

/// A line break and `level` indents when pretty, nothing when compact.
fn newline<const PRETTY: bool>(out: &mut String, level: usize) {
    if PRETTY {
        let mut width = 1 + 2 * level;
        out.push_str(LINE_START.get(..width).unwrap_or(LINE_START));
        // Deeper than 32 levels (never in practice): the rest, 32 indents at a time.
        while width > LINE_START.len() {
            width -= LINE_START.len() - 1;
            out.push_str(LINE_START.get(1..width.min(LINE_START.len())).unwrap_or_default());
        }
    }
}

/// Whether JSON requires `byte` escaped inside a string: `"`, `\\` and control characters.
fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Writes a JSON string literal, escaping what JSON requires and nothing else (non-ASCII
/// text stays readable UTF-8).
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    // Runs that need no escape are copied whole. Every escaped character is ASCII, and no
    // byte of a multi-byte UTF-8 sequence is, so scanning bytes cuts only at characters.
    let bytes = s.as_bytes();
    let mut plain = 0;
    while let Some(at) = next_escape(bytes, plain) {
        out.push_str(s.get(plain..at).unwrap_or_default());
        match bytes.get(at).copied().unwrap_or_default() {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            other => {
                use std::fmt::Write;
                let _ = write!(out, "\\u{other:04x}");
            }
        }
        plain = at + 1;
    }
    out.push_str(s.get(plain..).unwrap_or_default());
    out.push('"');
}

/// Where the first byte at or after `from` that needs an escape is. Most strings have none:
/// they are tested 16 bytes at a time (a test the compiler vectorizes), the last few bytes
/// padded with spaces to a whole block.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let (blocks, tail) = rest.as_chunks::<16>();
    let clean = blocks.iter().take_while(|block| !any_escape(block)).count();
    if clean == blocks.len() {
        let mut last = [b' '; 16];
        last.get_mut(..tail.len())?.copy_from_slice(tail);
        if !any_escape(&last) {
            return None;
        }
    }
    let start = 16 * clean;
    rest.get(start..)?.iter().position(|&b| needs_escape(b)).map(|i| from + start + i)
}

/// Whether any byte of `block` needs an escape.
fn any_escape(block: &[u8; 16]) -> bool {
    block.iter().fold(false, |any, &b| any | needs_escape(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(value: &Json) -> String {
        let mut out = String::new();
        write_json::<true>(&mut out, value, 0);
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
        let value = Json::from("a\"b\\c\nd\u{01}é\u{1f}");
        assert_eq!(rendered(&value), r#""a\"b\\c\nd\u0001é\u001f""#);
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
    fn compact_is_the_same_document_without_whitespace() {
        let text = r#"{"Resources": {"B": {"Type": "X", "Properties": {"z": [1, {"b": "a b\n"}], "a": {}, "e": []}}},
            "Outputs": {"O": {"Value": {"Ref": "B"}, "Export": {"Name": "n"}}}}"#;
        let template = Template::from_json_str(text).unwrap();
        let compact = template.render_compact();
        assert_eq!(
            compact,
            "{\"Resources\":{\"B\":{\"Type\":\"X\",\"Properties\":{\"a\":{},\"e\":[],\"z\":[1,{\"b\":\"a b\\n\"}]}}},\
             \"Outputs\":{\"O\":{\"Value\":{\"Ref\":\"B\"},\"Export\":{\"Name\":\"n\"}}}}\n"
        );
        let pretty: Json = serde_json::from_str(&template.render()).unwrap();
        assert_eq!(serde_json::from_str::<Json>(&compact).unwrap(), pretty);
        assert_eq!(compact, template.render_compact(), "deterministic");
    }

    #[test]
    fn escapes_wherever_they_fall_in_long_strings() {
        let clean = "0123456789abcdef".repeat(3);
        for at in [0, 5, 15, 16, 17, 31, 32, 47, 48] {
            for special in ["\"", "\\", "\n", "\u{01}", "\u{1f}", "é"] {
                let mut text = clean.clone();
                text.insert_str(at, special);
                let value = Json::from(text.as_str());
                assert_eq!(rendered(&value), serde_json::to_string(&value).unwrap(), "{text:?}");
            }
        }
        assert_eq!(rendered(&Json::from(clean.as_str())), format!("\"{clean}\""));
    }

    #[test]
    fn deep_nesting_indents_every_level() {
        let mut value = Json::from(1);
        for _ in 0..40 {
            value = Json::Array(vec![value]);
        }
        let text = rendered(&value);
        let indents: Vec<usize> = text.lines().map(|line| line.len() - line.trim_start().len()).collect();
        let expected: Vec<usize> = (0..=40).chain((0..40).rev()).map(|depth| 2 * depth).collect();
        assert_eq!(indents, expected);
    }

    #[test]
    fn whole_numbers_have_no_fraction() {
        assert_eq!(number(5.0), Json::from(5));
        assert_eq!(number(0.5), Json::from(0.5));
    }
}
