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
            Kind::Mapping(keys) => {
                let (old, new) = (self.mappings.0.get(&reference.target), self.mappings.1.get(&reference.target));
                let same = |a: Option<&Json>, b: Option<&Json>| match (a, b) {
                    (Some(a), Some(b)) => equality::equal(a, b),
                    (a, b) => a.is_none() && b.is_none(),
                };
                if let Some((top, second)) = keys {
                    let value = |map: Option<&'a Json>| map.and_then(|m| m.get(top)).and_then(|m| m.get(second));
                    (!same(value(old), value(new)))
                        .then(|| ("mappings", format!("{}/{top}/{second}", reference.target), Impact::Replace))
                } else {
                    (!same(old, new)).then(|| ("mappings", reference.target.clone(), Impact::MayReplace))
                }
            }
        }
    }
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
