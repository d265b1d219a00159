//! Per-section comparison: splits both templates into sections, pairs entries by logical ID
//! and computes value-level changes ([`PropertyChange`]) with semantic equality.
//!
//! Resource impacts are decided afterwards by [`crate::impact`].

use std::collections::BTreeMap;

use serde_json::Map;
use stackwright_template::pointer::{child, escape};
use stackwright_template::{Json, Template};

use crate::equality;
use crate::model::{EntryChange, ExportChange, PropertyChange, TemplateDiff};

/// Sections diffed entry by entry; every other top-level key is compared as one value.
const SECTIONS: [&str; 6] = ["Parameters", "Mappings", "Conditions", "Rules", "Resources", "Outputs"];

/// The template's top-level sections as JSON, in their canonical form.
pub(crate) fn sections(template: &Template) -> Map<String, Json> {
    match template.to_json() {
        Json::Object(map) => map,
        _ => Map::new(),
    }
}

/// The entries of one section (empty when the section is absent or not an object).
pub(crate) fn section<'a>(sections: &'a Map<String, Json>, name: &str) -> &'a Map<String, Json> {
    static EMPTY: std::sync::OnceLock<Map<String, Json>> = std::sync::OnceLock::new();
    sections.get(name).and_then(Json::as_object).unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

/// Diffs every section but Resources into `diff`.
pub(crate) fn diff_sections(old: &Map<String, Json>, new: &Map<String, Json>, diff: &mut TemplateDiff) {
    diff.parameters = diff_entries(section(old, "Parameters"), section(new, "Parameters"));
    diff.mappings = diff_entries(section(old, "Mappings"), section(new, "Mappings"));
    diff.conditions = diff_entries(section(old, "Conditions"), section(new, "Conditions"));
    diff.rules = diff_entries(section(old, "Rules"), section(new, "Rules"));
    diff.outputs = diff_entries(section(old, "Outputs"), section(new, "Outputs"));
    let other = |map: &Map<String, Json>| -> Map<String, Json> {
        map.iter().filter(|(k, _)| !SECTIONS.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    diff.other = diff_entries(&other(old), &other(new));
    diff.exports = export_changes(section(old, "Outputs"), section(new, "Outputs"));
}

/// Pairs entries by key; unchanged entries are left out.
fn diff_entries(old: &Map<String, Json>, new: &Map<String, Json>) -> BTreeMap<String, EntryChange> {
    let mut out = BTreeMap::new();
    for (id, old_value) in old {
        match new.get(id) {
            None => {
                out.insert(id.clone(), EntryChange { old: Some(old_value.clone()), new: None, changes: Vec::new() });
            }
            Some(new_value) => {
                let mut changes = Vec::new();
                diff_values("", old_value, new_value, &mut changes);
                if !changes.is_empty() {
                    let (old, new) = (Some(old_value.clone()), Some(new_value.clone()));
                    out.insert(id.clone(), EntryChange { old, new, changes });
                }
            }
        }
    }
    for (id, new_value) in new {
        if !old.contains_key(id) {
            out.insert(id.clone(), EntryChange { old: None, new: Some(new_value.clone()), changes: Vec::new() });
        }
    }
    out
}

/// The export name of an output, if it has one.
pub(crate) fn export_name<'a>(outputs: &'a Map<String, Json>, id: &str) -> Option<&'a Json> {
    outputs.get(id).and_then(|o| o.get("Export")).map(|e| e.get("Name").unwrap_or(e))
}

fn export_changes(old: &Map<String, Json>, new: &Map<String, Json>) -> Vec<ExportChange> {
    let export = |outputs: &Map<String, Json>, id: &str| {
        outputs.get(id).and_then(|o| o.get("Export")).map(|e| e.get("Name").unwrap_or(e)).cloned()
    };
    let mut ids: Vec<&String> = old.keys().chain(new.keys()).collect();
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| {
            let (old_name, new_name) = (export(old, id), export(new, id));
            let same = match (&old_name, &new_name) {
                (Some(a), Some(b)) => equality::equal(a, b),
                (None, None) => true,
                _ => false,
            };
            (!same).then(|| ExportChange { output: id.clone(), old_name, new_name, value_change: None })
        })
        .collect()
}

/// The changes between two resources' JSON (Type, Properties, DependsOn and the other
/// attributes), DependsOn compared as a set.
pub(crate) fn diff_resource(old: &Json, new: &Json) -> Vec<PropertyChange> {
    let mut changes = Vec::new();
    let (Some(old), Some(new)) = (old.as_object(), new.as_object()) else {
        diff_values("", old, new, &mut changes);
        return changes;
    };
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let path = format!("/{}", escape(key));
        match (old.get(key), new.get(key)) {
            (Some(a), Some(b)) if key == "DependsOn" => {
                if !equality::same_set(a, b) {
                    changes.push(change(path, Some(a), Some(b)));
                }
            }
            (Some(a), Some(b)) => diff_values(&path, a, b, &mut changes),
            (a, b) => changes.push(change(path, a, b)),
        }
    }
    changes
}

/// Appends the changes from `old` to `new` at `path`: objects (not function calls) are
/// compared key by key, lists of equal length item by item, anything else as a whole.
pub(crate) fn diff_values(path: &str, old: &Json, new: &Json, out: &mut Vec<PropertyChange>) {
    if equality::equal(old, new) {
        return;
    }
    match (old, new) {
        (Json::Object(a), Json::Object(b))
            if !stackwright_template::Intrinsic::is_function_object(old)
                && !stackwright_template::Intrinsic::is_function_object(new) =>
        {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let at = child(path, key);
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => diff_values(&at, x, y, out),
                    (x, y) => out.push(change(at, x, y)),
                }
            }
        }
        (Json::Array(a), Json::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                diff_values(&format!("{path}/{index}"), x, y, out);
            }
        }
        _ => out.push(change(path.to_owned(), Some(old), Some(new))),
    }
}

fn change(path: String, old: Option<&Json>, new: Option<&Json>) -> PropertyChange {
    PropertyChange {
        path,
        old: old.cloned(),
        new: new.cloned(),
        forces_replacement: false,
        may_force_replacement: false,
        forces_revision: false,
    }
}

/// The value at a schema pointer relative to `root`, where `*` matches any list item: the
/// values found, in order. Used to compare create-only properties.
pub(crate) fn values_at<'a>(root: &'a Json, segments: &[&str], out: &mut Vec<(String, &'a Json)>, path: &str) {
    let Some((first, rest)) = segments.split_first() else {
        out.push((path.to_owned(), root));
        return;
    };
    match root {
        Json::Array(items) if *first == "*" => {
            for (index, item) in items.iter().enumerate() {
                values_at(item, rest, out, &format!("{path}/{index}"));
            }
        }
        Json::Object(map) if !stackwright_template::Intrinsic::is_function_object(root) => {
            if let Some(value) = map.get(*first) {
                values_at(value, rest, out, &child(path, first));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn nested_changes_have_pointer_paths() {
        let mut out = Vec::new();
        diff_values(
            "/Properties",
            &json!({"A": {"B": [1, 2]}, "C": 1}),
            &json!({"A": {"B": [1, 3]}, "D": 1}),
            &mut out,
        );
        let paths: Vec<&str> = out.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["/Properties/A/B/1", "/Properties/C", "/Properties/D"]);
    }

    #[test]
    fn depends_on_is_a_set() {
        let changes = diff_resource(
            &json!({"Type": "T", "DependsOn": ["A", "B"]}),
            &json!({"Type": "T", "DependsOn": ["B", "A"]}),
        );
        assert!(changes.is_empty());
    }
}
