//! Exports whose name stays but whose value changes: CloudFormation refuses to change a
//! value another stack imports.

use std::collections::BTreeMap;

use serde_json::Map;
use stackwright_template::Json;

use crate::equality;
use crate::inputs::Inputs;
use crate::model::{ExportChange, Impact, ResourceChange, ValueChange};
use crate::references::{self, Kind};
use crate::revision;

/// Exports whose name stays but whose value changes: the output's value itself changed, or
/// it refers to a replaced (or maybe replaced) resource, or reads a changed input. Sorted by
/// output.
pub(crate) fn export_value_changes(
    old_outputs: &Map<String, Json>,
    new_outputs: &Map<String, Json>,
    resources: &BTreeMap<String, ResourceChange>,
    inputs: &Inputs<'_>,
) -> Vec<ExportChange> {
    let mut out = Vec::new();
    for (id, output) in new_outputs {
        let (Some(old_name), Some(new_name)) =
            (crate::template::export_name(old_outputs, id), crate::template::export_name(new_outputs, id))
        else {
            continue;
        };
        if !equality::equal(old_name, new_name) {
            continue; // Reported as renamed.
        }
        let (old_value, new_value) = (old_outputs.get(id.as_str()).and_then(|o| o.get("Value")), output.get("Value"));
        let why = match (old_value, new_value) {
            (Some(a), Some(b)) if equality::equal(a, b) => {
                let mut found = Vec::new();
                references::collect(b, "/Value", &mut found);
                found.iter().find_map(|reference| {
                    match reference.kind {
                        Kind::Value => resources.get(&reference.target).and_then(|change| {
                            let certain = change.impact == Impact::Replace;
                            match revision::becomes_revision(change) {
                                Some(r) if !revision::reference_changes(r, reference.attribute.as_deref()) => None,
                                Some(_) => {
                                    let verb = if certain { "gets" } else { "may get" };
                                    Some((format!("{} {verb} a new revision", reference.target), certain))
                                }
                                None if certain => Some((format!("{} is replaced", reference.target), true)),
                                None if change.impact == Impact::MayReplace => {
                                    Some((format!("{} may be replaced", reference.target), false))
                                }
                                None => None,
                            }
                        }),
                        _ => None,
                    }
                    .or_else(|| {
                        inputs.link(reference).map(|(section, name, level)| {
                            let why = match section {
                                "parameters" => format!("parameter {name}'s Default changed"),
                                "mappings" => format!("mapping value {name} changed"),
                                _ => format!("condition {name} changed"),
                            };
                            (why, level == Impact::Replace)
                        })
                    })
                })
            }
            (None, None) => None,
            _ => Some(("its value changed".to_owned(), true)),
        };
        if let Some((why, certain)) = why {
            out.push(ExportChange {
                output: id.clone(),
                old_name: Some(old_name.clone()),
                new_name: Some(new_name.clone()),
                value_change: Some(ValueChange { why, certain }),
            });
        }
    }
    out
}
