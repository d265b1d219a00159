//! What changed in the sections resources read values from: parameter defaults, mapping
//! values and conditions ([`Inputs`]), and what a reference to one does to its value.

use std::collections::BTreeSet;

use serde_json::Map;
use stackwright_template::Json;

use crate::equality;
use crate::model::Impact;
use crate::references::{self, Kind, Reference};

/// What changed in the sections resources read values from.
pub(crate) struct Inputs<'a> {
    /// Parameters whose `Default` changed.
    parameters: BTreeSet<String>,
    /// Both Mappings sections, to compare the values `Fn::FindInMap` reads.
    mappings: (&'a Map<String, Json>, &'a Map<String, Json>),
    /// Conditions whose value may change: their definition changed, or they read a changed
    /// parameter default, mapping or condition.
    conditions: BTreeSet<String>,
}

impl<'a> Inputs<'a> {
    /// The changed inputs between two templates' sections.
    pub(crate) fn new(old: &'a Map<String, Json>, new: &'a Map<String, Json>) -> Self {
        let section = |sections: &'a Map<String, Json>, name| crate::template::section(sections, name);
        let (old_parameters, new_parameters) = (section(old, "Parameters"), section(new, "Parameters"));
        let parameters = new_parameters
            .iter()
            .filter(|(name, parameter)| {
                old_parameters.get(*name).is_some_and(|before| {
                    match (before.get("Default"), parameter.get("Default")) {
                        (Some(a), Some(b)) => !equality::equal(a, b),
                        (None, None) => false,
                        _ => true,
                    }
                })
            })
            .map(|(name, _)| name.clone())
            .collect();
        let mut inputs = Self {
            parameters,
            mappings: (section(old, "Mappings"), section(new, "Mappings")),
            conditions: BTreeSet::new(),
        };
        let (old_conditions, new_conditions) = (section(old, "Conditions"), section(new, "Conditions"));
        inputs.conditions = new_conditions
            .iter()
            .filter(|(name, body)| old_conditions.get(*name).is_none_or(|before| !equality::equal(before, body)))
            .map(|(name, _)| name.clone())
            .collect();
        // Conditions reading changed inputs change too, transitively (a few passes at most:
        // each adds at least one condition).
        loop {
            let before = inputs.conditions.len();
            for (name, body) in new_conditions {
                if !inputs.conditions.contains(name) && inputs.condition_reads_changes(body) {
                    inputs.conditions.insert(name.clone());
                }
            }
            if inputs.conditions.len() == before {
                break;
            }
        }
        inputs
    }

    fn condition_reads_changes(&self, body: &Json) -> bool {
        let mut found = Vec::new();
        references::collect(body, "", &mut found);
        found.iter().any(|r| self.link(r).is_some()) || uses_changed_condition(body, &self.conditions)
    }

    /// What a reference to another section does to its value: the section's name for
    /// reasons, the entry's name, and whether the value is known to change (`Replace`) or
    /// may (`MayReplace`). `None` when that input did not change.
    pub(crate) fn link(&self, reference: &Reference) -> Option<(&'static str, String, Impact)> {
        match &reference.kind {
            Kind::Value => self
                .parameters
                .contains(&reference.target)
                .then(|| ("parameters", reference.target.clone(), Impact::MayReplace)),
            Kind::Condition => self
                .conditions
                .contains(&reference.target)
                .then(|| ("conditions", reference.target.clone(), Impact::MayReplace)),
            Kind::Mapping { top, second } => {
                let (old, new) = (self.mappings.0.get(&reference.target), self.mappings.1.get(&reference.target));
                let every = mapping_lookups_changed(old, new, top.as_deref(), second.as_deref())?;
                let name = match (top, second) {
                    (Some(top), Some(second)) => format!("{}/{top}/{second}", reference.target),
                    _ => reference.target.clone(),
                };
                // Every value the lookup can give changed (an AMI bumped in every region):
                // whichever key the stack uses, the value differs.
                let level = if every { Impact::Replace } else { Impact::MayReplace };
                Some(("mappings", name, level))
            }
        }
    }
}

/// Whether every value a `Fn::FindInMap` lookup can give changed (`Some(true)`), only some
/// (`Some(false)`), or none (`None`). The lookups are the old mapping's entries matching the
/// literal keys: the deployed stack read one of them. A key the new mapping no longer has
/// fails the lookup: counted as changed.
fn mapping_lookups_changed(
    old: Option<&Json>,
    new: Option<&Json>,
    top: Option<&str>,
    second: Option<&str>,
) -> Option<bool> {
    let Some(old_map) = old.and_then(Json::as_object) else {
        // No mapping before: nothing is known of what the stack read.
        return new.is_some().then_some(false);
    };
    let (mut total, mut changed) = (0, 0);
    for (top_key, level) in old_map.iter().filter(|(k, _)| top.is_none_or(|t| t == k.as_str())) {
        let Some(level) = level.as_object() else { continue };
        for (second_key, value) in level.iter().filter(|(k, _)| second.is_none_or(|s| s == k.as_str())) {
            total += 1;
            let after = new.and_then(|m| m.get(top_key)).and_then(|m| m.get(second_key));
            if after.is_none_or(|after| !equality::equal(value, after)) {
                changed += 1;
            }
        }
    }
    // A literal key the old mapping lacked: the old template could not have deployed that
    // lookup, so nothing is known of the value before.
    if total == 0 {
        return (!new.is_some_and(|n| equality::equal(n, old.unwrap_or(&Json::Null)))).then_some(false);
    }
    (changed > 0).then_some(changed == total)
}

/// Whether a condition's body uses (`{"Condition": "X"}`) one of `changed`.
fn uses_changed_condition(body: &Json, changed: &BTreeSet<String>) -> bool {
    match body {
        Json::Array(items) => items.iter().any(|item| uses_changed_condition(item, changed)),
        Json::Object(map) => map.iter().any(|(key, value)| {
            (key == "Condition" && value.as_str().is_some_and(|name| changed.contains(name)))
                || uses_changed_condition(value, changed)
        }),
        _ => false,
    }
}
