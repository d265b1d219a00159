//! A pre-scan of YAML text, before it is converted to JSON: anchors and aliases let a few
//! hundred bytes expand to a document of a billion values (the "billion laughs") or one
//! nested deeper than any stack (an alias of a deep node inside a deep node, repeated).
//! The conversion ([`stackwright_diff::yaml::to_json`]) expands every alias by copying, so the
//! expansion is measured here, from the parser's events, without building anything.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser};

/// The deepest nesting accepted: the same as for JSON (`serde_json`'s recursion limit).
pub(crate) const MAX_DEPTH: usize = 128;
/// The most values (scalars, lists, objects) a document may expand to. A 1 MB template
/// written without aliases holds at most about half a million.
pub(crate) const MAX_VALUES: u64 = 1_000_000;

/// A list or mapping being read.
struct Open {
    anchor: usize,
    tagged: bool,
    values: u64,
    height: usize,
}

/// Why the document must not be expanded, if it must not. Syntax errors are left to the
/// conversion, which reports them with their position.
pub(crate) fn too_big(text: &str) -> Option<String> {
    let mut parser = Parser::new_from_str(text);
    // Anchor id -> (values, height) of the node it names.
    let mut anchors: BTreeMap<usize, (u64, usize)> = BTreeMap::new();
    let mut open: Vec<Open> = Vec::new();
    // Values of the expanded document so far: every scalar, list and mapping once, an alias
    // as many as the node it names.
    let mut expanded: u64 = 0;
    while let Some(Ok((event, _))) = parser.next_event() {
        // A node that is complete: its anchor, how many values it expands to, its height, and
        // whether those values are new (a closed list's were counted as they came).
        let (anchor, values, height, new) = match event {
            Event::Alias(id) => match anchors.get(&id) {
                Some(&(values, height)) => (0, values, height, true),
                None => continue,
            },
            Event::Scalar(_, _, anchor, tag) => {
                // A function tag (`!Ref X`) becomes an object around its argument.
                let tagged = tag.is_some_and(|tag| !tag.is_yaml_core_schema());
                (anchor, 1 + u64::from(tagged), usize::from(tagged), true)
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                if open.len() >= MAX_DEPTH {
                    return Some(format!("the YAML document is nested deeper than {MAX_DEPTH} levels"));
                }
                let tagged = tag.is_some_and(|tag| !tag.is_yaml_core_schema());
                open.push(Open { anchor, tagged, values: 1 + u64::from(tagged), height: 0 });
                expanded = expanded.saturating_add(1 + u64::from(tagged));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match open.pop() {
                Some(node) => (node.anchor, node.values, node.height + 1 + usize::from(node.tagged), false),
                None => continue,
            },
            _ => continue,
        };
        if new {
            expanded = expanded.saturating_add(values);
        }
        if expanded > MAX_VALUES {
            return Some(format!(
                "the YAML document expands to more than {MAX_VALUES} values through its aliases; \
                 expected at most what a 1 MB template holds written out"
            ));
        }
        if open.len() + height > MAX_DEPTH {
            return Some(format!(
                "the YAML document is nested deeper than {MAX_DEPTH} levels once its aliases are expanded"
            ));
        }
        if anchor > 0 {
            anchors.insert(anchor, (values, height));
        }
        if let Some(parent) = open.last_mut() {
            parent.values = parent.values.saturating_add(values);
            parent.height = parent.height.max(height);
        }
    }
    None
}
