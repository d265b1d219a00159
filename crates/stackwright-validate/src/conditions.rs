//! Conditions: each is a condition function, refers to parameters (never to resources, which
//! do not exist yet when conditions are evaluated), and no condition depends on itself.

use std::collections::BTreeMap;

use stackwright_template::walk::{Use, walk};
use stackwright_template::{LogicalId, Template};

use crate::finding::Finding;
use crate::json::{pointer, show};

const CONDITION_FUNCTIONS: [&str; 5] = ["Fn::And", "Fn::Equals", "Fn::Not", "Fn::Or", "Condition"];

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    let mut uses: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (id, condition) in template.conditions() {
        let at = pointer("/Conditions", id.as_str());
        let body = condition.to_json();
        let is_condition_function = body
            .as_object()
            .is_some_and(|m| m.len() == 1 && m.keys().all(|k| CONDITION_FUNCTIONS.contains(&k.as_str())));
        if !is_condition_function {
            let message = format!(
                "a condition is one of Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition; found {}",
                show(&body)
            );
            out.push(Finding::new("condition/malformed", at.clone(), message).about(id.as_str()));
        }
        let mut sites = Vec::new();
        walk(&body, &at, &mut sites);
        for site in sites {
            let resource = match &site.used {
                Use::Ref(target) => Some(target.as_str()),
                Use::GetAtt { resource, .. } => Some(resource.as_str()),
                Use::Condition(name) => {
                    uses.entry(id.as_str()).or_default().push(name.clone());
                    None
                }
                _ => None,
            };
            if let Some(target) = resource
                && LogicalId::new(target).is_ok_and(|t| template.resources().contains_key(&t))
            {
                let message = format!(
                    "condition refers to resource {target:?}: conditions are evaluated before any resource \
                     exists; expected parameters, pseudo parameters, mappings or other conditions"
                );
                out.push(Finding::new("condition/resource-reference", site.pointer, message).about(id.as_str()));
            }
        }
    }
    for cycle in cycles(&uses) {
        let message = format!("conditions depend on themselves: {}", cycle.join(" -> "));
        let first = cycle.first().cloned().unwrap_or_default();
        out.push(Finding::new("condition/cycle", pointer("/Conditions", &first), message).about(&first));
    }
}

/// Each cycle once, starting at its smallest name, found without recursion.
fn cycles(uses: &BTreeMap<&str, Vec<String>>) -> Vec<Vec<String>> {
    let mut found: Vec<Vec<String>> = Vec::new();
    for &start in uses.keys() {
        // Depth-first from `start`, looking for a way back to it through larger names only, so
        // each cycle is reported from its smallest member.
        let mut stack: Vec<(String, usize)> = vec![(start.to_owned(), 0)];
        while let Some((node, next)) = stack.last().cloned() {
            let edges = uses.get(node.as_str()).map_or(&[][..], Vec::as_slice);
            let Some(target) = edges.get(next) else {
                stack.pop();
                continue;
            };
            if let Some(top) = stack.last_mut() {
                top.1 += 1;
            }
            if target == start {
                let mut cycle: Vec<String> = stack.iter().map(|(n, _)| n.clone()).collect();
                cycle.push(start.to_owned());
                if !found.contains(&cycle) {
                    found.push(cycle);
                }
            } else if target.as_str() > start && !stack.iter().any(|(n, _)| n == target) {
                stack.push((target.clone(), 0));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cycle_once_from_its_smallest_member() {
        let uses: BTreeMap<&str, Vec<String>> = BTreeMap::from([
            ("A", vec!["B".to_owned()]),
            ("B", vec!["C".to_owned()]),
            ("C", vec!["A".to_owned()]),
            ("D", vec!["D".to_owned()]),
            ("E", vec!["A".to_owned()]),
        ]);
        assert_eq!(cycles(&uses), [vec!["A", "B", "C", "A"], vec!["D", "D"]]);
    }
}
