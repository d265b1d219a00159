//! The judge: what CloudFormation will do to each resource of a pair, from the registry schemas
//! alone (`createOnlyProperties`, `conditionalCreateOnlyProperties`, type changes, and
//! replacements reaching other resources through their values), independently of both tools.
//! Where the answer depends on something an offline reader cannot know, it says so: a
//! possible replacement is [`Verdict::MayReplace`]; a resource it cannot judge at all is
//! undecided (`verdict: None`) and counted apart.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use serde_json::{Map, Value};

use super::eval::{Side, fresh_names};
use super::registry::Registry;
use super::term::{Cmp, Fresh, Term, compare, scalar_text};

/// What happens to one resource, in increasing order of risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Verdict {
    NoChange,
    Update,
    MayReplace,
    Replace,
    Create,
    Orphan,
    Destroy,
}

impl Verdict {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Verdict::NoChange => "no_change",
            Verdict::Update => "update",
            Verdict::MayReplace => "may_replace",
            Verdict::Replace => "replace",
            Verdict::Create => "create",
            Verdict::Orphan => "orphan",
            Verdict::Destroy => "destroy",
        }
    }
}

/// The judge's answer for one resource: a verdict (`None`: undecided) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Judgement {
    pub(crate) verdict: Option<Verdict>,
    pub(crate) reason: String,
}

fn decided(verdict: Verdict, reason: impl Into<String>) -> Judgement {
    Judgement { verdict: Some(verdict), reason: reason.into() }
}

/// Judges every resource of the pair (unchanged ones included, as `NoChange`).
pub(crate) fn judge(old: &Value, new: &Value, registry: &mut Registry) -> Result<BTreeMap<String, Judgement>> {
    let empty = Map::new();
    let resources = |t: &Value| t.get("Resources").and_then(Value::as_object).unwrap_or(&empty).clone();
    let (old_resources, new_resources) = (resources(old), resources(new));
    let perhaps_params = perhaps_parameters(old, new);
    let stable_conditions = stable_conditions(old, new, &perhaps_params);
    let mut judge = Judge {
        old,
        new,
        old_resources: &old_resources,
        new_resources: &new_resources,
        perhaps_params: &perhaps_params,
        stable_conditions: &stable_conditions,
        registry,
        fresh: BTreeMap::new(),
        perhaps_attributes: BTreeSet::new(),
        uncertain: BTreeSet::new(),
        done: BTreeMap::new(),
        visiting: BTreeSet::new(),
    };
    for (id, resource) in &old_resources {
        if !new_resources.contains_key(id) {
            let retained = matches!(
                resource.get("DeletionPolicy").and_then(Value::as_str),
                // RetainExceptOnCreate deletes only when the operation that created the resource
                // rolls back; a deployed resource is kept as with Retain.
                Some("Retain" | "RetainExceptOnCreate")
            );
            let verdict = if retained {
                decided(Verdict::Orphan, "removed, DeletionPolicy retains it")
            } else {
                decided(Verdict::Destroy, "removed")
            };
            judge.done.insert(id.clone(), verdict);
        }
    }
    for id in new_resources.keys() {
        if old_resources.contains_key(id) {
            judge.visit(id)?;
        } else {
            judge.done.insert(id.clone(), decided(Verdict::Create, "added"));
        }
    }
    Ok(judge.done)
}

struct Judge<'a> {
    old: &'a Value,
    new: &'a Value,
    old_resources: &'a Map<String, Value>,
    new_resources: &'a Map<String, Value>,
    perhaps_params: &'a BTreeSet<String>,
    stable_conditions: &'a BTreeSet<String>,
    registry: &'a mut Registry,
    /// Resources judged so far whose physical ID may or will change.
    fresh: BTreeMap<String, Fresh>,
    /// Updated nested stacks and custom resources judged so far.
    perhaps_attributes: BTreeSet<String>,
    /// Resources judged so far whose effect on others the judge cannot decide: the undecided
    /// ones and `perhaps_attributes`.
    uncertain: BTreeSet<String>,
    done: BTreeMap<String, Judgement>,
    visiting: BTreeSet<String>,
}

impl Judge<'_> {
    /// Judges `id` after every resource its new definition refers to (a cycle, which
    /// CloudFormation rejects, is cut where it closes).
    fn visit(&mut self, id: &str) -> Result<()> {
        if self.done.contains_key(id) || !self.visiting.insert(id.to_owned()) {
            return Ok(());
        }
        for target in targets_of(&self.new_resources[id]) {
            if target != id && self.old_resources.contains_key(&target) && self.new_resources.contains_key(&target) {
                self.visit(&target)?;
            }
        }
        let mut judgement = self.resource(id, &self.fresh.clone(), &self.perhaps_attributes.clone())?;
        // What the judge cannot decide (a resource it has no verdict for, what an updated nested
        // stack or custom resource returns) reaches this one: when assuming those unchanged
        // gives another verdict, this one is undecided too.
        let uncertain: Vec<String> =
            targets_of(&self.new_resources[id]).into_iter().filter(|t| self.uncertain.contains(t)).collect();
        if !uncertain.is_empty() && judgement.verdict.is_some() {
            let mut fresh = self.fresh.clone();
            let mut attributes = self.perhaps_attributes.clone();
            for target in &uncertain {
                fresh.remove(target);
                attributes.remove(target);
            }
            if self.resource(id, &fresh, &attributes)?.verdict != judgement.verdict {
                let names: Vec<&str> = uncertain.iter().map(String::as_str).collect();
                judgement = Judgement {
                    verdict: None,
                    reason: format!("depends on {}, whose outcome is not in the template", names.join(", ")),
                };
            }
        }
        let fresh = match judgement.verdict {
            Some(Verdict::Replace) => Fresh::New,
            Some(Verdict::MayReplace) | None => Fresh::Perhaps,
            _ => Fresh::Stable,
        };
        if fresh != Fresh::Stable {
            self.fresh.insert(id.to_owned(), fresh);
        }
        let type_name = self.new_resources[id].get("Type").and_then(Value::as_str).unwrap_or_default();
        let provider_attributes = type_name == "AWS::CloudFormation::Stack"
            || type_name == "AWS::CloudFormation::CustomResource"
            || type_name.starts_with("Custom::");
        if provider_attributes && judgement.verdict == Some(Verdict::Update) {
            self.perhaps_attributes.insert(id.to_owned());
            self.uncertain.insert(id.to_owned());
        }
        if judgement.verdict.is_none() {
            self.uncertain.insert(id.to_owned());
        }
        self.done.insert(id.to_owned(), judgement);
        Ok(())
    }

    fn resource(
        &mut self,
        id: &str,
        fresh: &BTreeMap<String, Fresh>,
        perhaps_attributes: &BTreeSet<String>,
    ) -> Result<Judgement> {
        let (old, new) = (&self.old_resources[id], &self.new_resources[id]);
        let type_of = |r: &Value| r.get("Type").and_then(Value::as_str).unwrap_or_default().to_owned();
        let (old_type, new_type) = (type_of(old), type_of(new));
        if old_type != new_type {
            return Ok(decided(Verdict::Replace, format!("type changed {old_type} -> {new_type}")));
        }
        let no_fresh = BTreeMap::new();
        let no_params = BTreeSet::new();
        let old_side = Side {
            template: self.old,
            perhaps_params: &no_params,
            stable_conditions: self.stable_conditions,
            fresh_resources: &no_fresh,
            perhaps_attributes: &no_params,
        };
        let new_side = Side {
            template: self.new,
            perhaps_params: self.perhaps_params,
            stable_conditions: self.stable_conditions,
            fresh_resources: fresh,
            perhaps_attributes,
        };
        let condition = |r: &Value| r.get("Condition").cloned();
        let (old_condition, new_condition) = (condition(old), condition(new));
        let unstable =
            new_condition.as_ref().and_then(Value::as_str).is_some_and(|c| !self.stable_conditions.contains(c));
        if old_condition != new_condition || unstable {
            return Ok(Judgement {
                verdict: None,
                reason: "its Condition changed: created or deleted depending on parameter values".into(),
            });
        }
        let properties = |side: &Side<'_>, r: &Value| r.get("Properties").map_or(Term::Absent, |p| side.eval(p));
        let (old_props, new_props) = (properties(&old_side, old), properties(&new_side, new));
        // The attributes a change set reports as a resource modification (the `Attribute` of
        // `ResourceTargetDefinition`, CloudFormation's API reference); `DependsOn` only orders.
        let attributes_changed =
            ["Metadata", "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy"].iter().any(|key| {
                let value = |side: &Side<'_>, r: &Value| r.get(*key).map_or(Term::Absent, |v| side.eval(v));
                compare(&value(&old_side, old), &value(&new_side, new)) != Cmp::Equal
            });
        let whole = compare(&old_props, &new_props);
        if whole == Cmp::Equal && !attributes_changed {
            if depends_on(old) != depends_on(new) {
                // Not a `ResourceTargetDefinition` attribute, and no document says whether a
                // change set lists the resource: not guessed.
                return Ok(Judgement { verdict: None, reason: "only DependsOn changed".into() });
            }
            return Ok(decided(Verdict::NoChange, "unchanged"));
        }
        let Some(rules) = self.registry.get(&new_type)? else {
            return Ok(Judgement { verdict: None, reason: format!("{new_type} is not in the registry schemas") });
        };
        let mut maybe = None;
        for path in &rules.create_only {
            let new_value = new_props.at(path);
            let via = match fresh_names(&new_value)[..] {
                [] => String::new(),
                ref names => format!(" (reads {})", names.join(", ")),
            };
            match compare(&old_props.at(path), &new_value) {
                Cmp::Differs => {
                    return Ok(decided(Verdict::Replace, format!("create-only /{} changed{via}", path.join("/"))));
                }
                Cmp::Maybe => {
                    maybe = maybe.or_else(|| {
                        Some(format!("create-only /{} may change (deploy-time value){via}", path.join("/")))
                    });
                }
                Cmp::Equal => {}
            }
        }
        if let Some(reason) = maybe {
            return Ok(decided(Verdict::MayReplace, reason));
        }
        for path in &rules.conditional {
            if compare(&old_props.at(path), &new_props.at(path)) != Cmp::Equal {
                return Ok(decided(
                    Verdict::MayReplace,
                    format!("conditionally create-only /{} changed", path.join("/")),
                ));
            }
        }
        let reason = if whole == Cmp::Equal { "attributes changed" } else { "updatable properties changed" };
        Ok(decided(Verdict::Update, reason))
    }
}

fn depends_on(resource: &Value) -> BTreeSet<String> {
    match resource.get("DependsOn") {
        Some(Value::String(s)) => BTreeSet::from([s.clone()]),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => BTreeSet::new(),
    }
}

fn targets_of(resource: &Value) -> BTreeSet<String> {
    let mut targets = BTreeSet::new();
    references(resource, &mut targets);
    targets
}

/// The logical IDs a value names through `Ref`, `Fn::GetAtt` and `Fn::Sub` variables.
pub(crate) fn references(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("Ref", Value::String(target)) => {
                        out.insert(target.clone());
                    }
                    ("Fn::GetAtt", Value::String(spec)) => {
                        out.insert(spec.split('.').next().unwrap_or_default().to_owned());
                    }
                    ("Fn::GetAtt", Value::Array(parts)) => {
                        if let Some(Value::String(target)) = parts.first() {
                            out.insert(target.clone());
                        }
                    }
                    ("Fn::Sub", _) => {
                        let text = inner.as_str().or_else(|| inner.get(0).and_then(Value::as_str)).unwrap_or_default();
                        for part in text.split("${").skip(1) {
                            let name = part.split('}').next().unwrap_or_default();
                            if !name.starts_with('!') {
                                out.insert(name.split('.').next().unwrap_or_default().to_owned());
                            }
                        }
                    }
                    _ => {}
                }
                references(inner, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

/// Parameters of the new template whose value may differ from the old one's for a stack that
/// keeps its parameter values: new ones, those whose `Default` changed, and those whose `Type`
/// changed what their value is (an SSM parameter type, a list).
fn perhaps_parameters(old: &Value, new: &Value) -> BTreeSet<String> {
    let empty = Map::new();
    let params = |t: &Value| t.get("Parameters").and_then(Value::as_object).unwrap_or(&empty).clone();
    let (old_params, new_params) = (params(old), params(new));
    let field = |p: &Value, key: &str| p.get(key).map(|v| scalar_text(v).unwrap_or_else(|| v.to_string()));
    // `String` and `Number` hold the same text; a change to or from a list or an SSM parameter
    // type changes what `Ref` gives.
    let same_kind = |a: Option<String>, b: Option<String>| {
        a == b || matches!((a.as_deref(), b.as_deref()), (Some("String" | "Number"), Some("String" | "Number")))
    };
    new_params
        .iter()
        .filter(|(name, param)| {
            old_params.get(*name).is_none_or(|old| {
                field(old, "Default") != field(param, "Default") || !same_kind(field(old, "Type"), field(param, "Type"))
            })
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// Conditions defined the same on both sides, reading only parameters and conditions that
/// are stable too.
fn stable_conditions(old: &Value, new: &Value, perhaps_params: &BTreeSet<String>) -> BTreeSet<String> {
    let empty = Map::new();
    let conditions = |t: &Value| t.get("Conditions").and_then(Value::as_object).unwrap_or(&empty).clone();
    let (old_conditions, new_conditions) = (conditions(old), conditions(new));
    let mut stable: BTreeSet<String> = new_conditions
        .iter()
        .filter(|(name, definition)| old_conditions.get(*name) == Some(definition))
        .filter(|(_, definition)| {
            let mut names = BTreeSet::new();
            references(definition, &mut names);
            names.is_disjoint(perhaps_params)
        })
        .map(|(name, _)| name.clone())
        .collect();
    loop {
        let before = stable.len();
        let snapshot = stable.clone();
        stable.retain(|name| condition_names(&new_conditions[name]).iter().all(|c| snapshot.contains(c)));
        if stable.len() == before {
            return stable;
        }
    }
}

/// The conditions a condition's definition names (`{"Condition": "X"}`).
fn condition_names(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let (1, Some(Value::String(name))) = (map.len(), map.get("Condition")) {
                    out.push(name.clone());
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}
