//! How the stacks of an app depend on each other: where each is deployed ([`Placement`]), the
//! exports it writes and imports, the dependencies declared on it, and from these the order
//! stacks are deployed in.
//!
//! A stack depends on another when it imports (`Fn::ImportValue` of a literal name) an export
//! the other writes (a literal `Export.Name`) in the same account and region — CloudFormation
//! resolves an import only there — or when its builder declared the dependency (a value shared
//! through an SSM parameter, which CloudFormation does not track). A cycle can never be
//! deployed (neither stack can be created first), so [`crate::App::add_stack`] refuses the
//! stack that closes one, naming both ends.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::stack::StackName;
use crate::template::Template;
use crate::value::Json;

/// Where a stack is deployed: the environment it belongs to, its account and its region, and
/// the environment's parameters and overrides (as text, for `manifest.json`). Recorded in
/// `manifest.json`; stacks without one share a single unnamed environment.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Placement {
    /// The environment's name (`staging`, `production`).
    pub environment: String,
    /// The 12-digit account ID, when pinned.
    pub account: Option<String>,
    /// The region (`eu-west-1`), when pinned.
    pub region: Option<String>,
    /// The environment's stack parameter values, by parameter name. **Default:** none.
    pub parameters: BTreeMap<String, String>,
    /// What the environment overrides in the services it holds (`desired_count`, `size`,
    /// `approval`, `alarm.<name>`), as text. **Default:** none.
    pub overrides: BTreeMap<String, String>,
}

impl Placement {
    /// Whether CloudFormation resolves imports between stacks placed at `self` and `other`:
    /// exports are per account and region. An unpinned account or region matches only an
    /// unpinned one (where a stack lands is then decided at deploy time, for both alike).
    pub fn shares_exports_with(&self, other: &Self) -> bool {
        self.account == other.account && self.region == other.region
    }
}

/// Why one stack depends on another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// It imports this export name.
    Import(String),
    /// Its builder declared it, saying why (e.g. `reads SSM parameter /net/VpcId`).
    Declared(String),
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Import(name) => write!(f, "imports {name}"),
            Self::Declared(why) => f.write_str(why),
        }
    }
}

/// What the app keeps of one stack to order it: far less than the template. Made by
/// [`crate::App::links`] for a deferred stack once it is built, for [`crate::App::resolve`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Links {
    pub(crate) placement: Option<Placement>,
    /// Literal export names it writes.
    pub(crate) exports: BTreeSet<String>,
    /// Literal export names it imports.
    pub(crate) imports: BTreeSet<String>,
    /// Dependencies its builder declared: stack -> why.
    pub(crate) declared: BTreeMap<StackName, String>,
}

impl Links {
    pub(crate) fn of(template: &Template, placement: Option<Placement>, declared: BTreeMap<StackName, String>) -> Self {
        Self { placement, exports: template.export_names(), imports: template.imported_names(), declared }
    }

    fn same_exports(&self, other: &Self) -> bool {
        match (&self.placement, &other.placement) {
            (Some(a), Some(b)) => a.shares_exports_with(b),
            (None, None) => true,
            (Some(p), None) | (None, Some(p)) => p.account.is_none() && p.region.is_none(),
        }
    }
}

impl Template {
    /// The literal export names its outputs write (`Export.Name` strings).
    pub fn export_names(&self) -> BTreeSet<String> {
        self.outputs()
            .values()
            .filter_map(|o| o.export_name.as_ref().and_then(Json::as_str).map(str::to_owned))
            .collect()
    }

    /// The literal export names it imports (`Fn::ImportValue` of a string), in resources and
    /// outputs.
    pub fn imported_names(&self) -> BTreeSet<String> {
        let mut imports = BTreeSet::new();
        for resource in self.resources().values() {
            resource.properties.values().for_each(|value| collect_imports(value, &mut imports));
        }
        for output in self.outputs().values() {
            collect_imports(&output.value, &mut imports);
        }
        imports
    }
}

/// Every literal `Fn::ImportValue` name inside `value`. Depth is bounded by the template's
/// nesting, which the builders and parsers cap.
fn collect_imports(value: &Json, out: &mut BTreeSet<String>) {
    match value {
        Json::Object(map) => {
            if map.len() == 1
                && let Some(Json::String(name)) = map.get("Fn::ImportValue")
            {
                out.insert(name.clone());
            }
            map.values().for_each(|child| collect_imports(child, out));
        }
        Json::Array(items) => items.iter().for_each(|child| collect_imports(child, out)),
        _ => {}
    }
}

/// One step of a dependency path: (stack, the stack it depends on, why).
pub(crate) type Step = (StackName, StackName, Reason);

/// The stacks of an app as the ordering sees them, with an index of who exports what.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Graph {
    pub(crate) stacks: BTreeMap<StackName, Links>,
    /// Export name -> the stacks writing it (several only in different accounts or regions).
    exporters: BTreeMap<String, BTreeSet<StackName>>,
}

impl Graph {
    pub(crate) fn insert(&mut self, name: StackName, links: Links) {
        for export in &links.exports {
            self.exporters.entry(export.clone()).or_default().insert(name.clone());
        }
        self.stacks.insert(name, links);
    }

    /// Takes `name` out again (a stack [`crate::App::add_stack`] refused).
    pub(crate) fn remove(&mut self, name: &StackName) {
        let Some(links) = self.stacks.remove(name) else { return };
        for export in &links.exports {
            if let Some(writers) = self.exporters.get_mut(export) {
                writers.remove(name);
                if writers.is_empty() {
                    self.exporters.remove(export);
                }
            }
        }
    }

    /// Two stacks writing one export name in one account and region, if any: (name, first
    /// writer, second writer), the first such name.
    pub(crate) fn any_duplicate_export(&self) -> Option<(&str, &StackName, &StackName)> {
        self.exporters.iter().find_map(|(export, writers)| {
            let writers: Vec<&StackName> = writers.iter().collect();
            writers.iter().enumerate().find_map(|(i, first)| {
                let a = self.stacks.get(*first)?;
                writers.iter().skip(i + 1).find_map(|second| {
                    let b = self.stacks.get(*second)?;
                    a.same_exports(b).then_some((export.as_str(), *first, *second))
                })
            })
        })
    }

    /// A stack already in the graph that writes one of `links`' exports where `links` would
    /// write it too (CloudFormation refuses a second export of one name in an account and
    /// region), with that name.
    pub(crate) fn duplicate_export<'a>(&'a self, links: &'a Links) -> Option<(&'a StackName, &'a str)> {
        links.exports.iter().find_map(|export| {
            let writers = self.exporters.get(export)?;
            writers
                .iter()
                .find(|w| self.stacks.get(*w).is_some_and(|other| other.same_exports(links)))
                .map(|w| (w, export.as_str()))
        })
    }

    /// The dependencies of `name`: stack -> why, the first reason of each.
    pub(crate) fn dependencies_of(&self, name: &StackName) -> BTreeMap<&StackName, Reason> {
        let mut out: BTreeMap<&StackName, Reason> = BTreeMap::new();
        let Some(links) = self.stacks.get(name) else { return out };
        for (other, why) in &links.declared {
            if let Some((key, _)) = self.stacks.get_key_value(other) {
                out.entry(key).or_insert_with(|| Reason::Declared(why.clone()));
            }
        }
        for import in &links.imports {
            for other in self.exporters.get(import).into_iter().flatten() {
                let same = self.stacks.get(other).is_some_and(|candidate| links.same_exports(candidate));
                if other != name && same {
                    out.entry(other).or_insert_with(|| Reason::Import(import.clone()));
                }
            }
        }
        out
    }

    /// A path `from` → … → `to` through dependencies, each step with its reason, if any.
    pub(crate) fn path_between(&self, from: &StackName, to: &StackName) -> Option<Vec<Step>> {
        let mut seen = BTreeSet::new();
        let mut pending: Vec<(StackName, Vec<Step>)> = vec![(from.clone(), Vec::new())];
        while let Some((at, path)) = pending.pop() {
            if !seen.insert(at.clone()) {
                continue;
            }
            for (next, why) in self.dependencies_of(&at).into_iter().rev() {
                let mut longer = path.clone();
                longer.push((at.clone(), next.clone(), why));
                if next == to {
                    return Some(longer);
                }
                pending.push((next.clone(), longer));
            }
        }
        None
    }

    /// The stacks in deployment order: each after every stack it depends on, ties by name
    /// (Kahn's algorithm over a sorted set of ready stacks). The app holds no cycle
    /// ([`crate::App::add_stack`] refuses one); were there one, its stacks would come last
    /// by name rather than be lost.
    pub(crate) fn order(&self) -> Vec<&StackName> {
        let mut waiting: BTreeMap<&StackName, usize> = BTreeMap::new();
        let mut dependents: BTreeMap<&StackName, Vec<&StackName>> = BTreeMap::new();
        for name in self.stacks.keys() {
            let deps = self.dependencies_of(name);
            waiting.insert(name, deps.len());
            for dep in deps.into_keys() {
                dependents.entry(dep).or_default().push(name);
            }
        }
        let mut ready: BTreeSet<&StackName> = waiting.iter().filter(|(_, n)| **n == 0).map(|(s, _)| *s).collect();
        let mut out = Vec::with_capacity(self.stacks.len());
        while let Some(next) = ready.pop_first() {
            out.push(next);
            for dependent in dependents.get(next).into_iter().flatten() {
                if let Some(count) = waiting.get_mut(dependent) {
                    *count = count.saturating_sub(1);
                    if *count == 0 {
                        ready.insert(dependent);
                    }
                }
            }
        }
        if out.len() < self.stacks.len() {
            let placed: BTreeSet<&StackName> = out.iter().copied().collect();
            out.extend(self.stacks.keys().filter(|name| !placed.contains(name)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> StackName {
        StackName::new(text).unwrap()
    }

    fn links(exports: &[&str], imports: &[&str]) -> Links {
        Links {
            exports: exports.iter().map(|s| (*s).to_owned()).collect(),
            imports: imports.iter().map(|s| (*s).to_owned()).collect(),
            ..Links::default()
        }
    }

    #[test]
    fn an_import_of_an_export_in_the_same_account_and_region_is_a_dependency() {
        let mut graph = Graph::default();
        graph.insert(name("web"), links(&[], &["net:VpcId", "elsewhere:Thing"]));
        graph.insert(name("net"), links(&["net:VpcId"], &[]));
        let deps = graph.dependencies_of(&name("web"));
        assert_eq!(deps.into_iter().collect::<Vec<_>>(), [(&name("net"), Reason::Import("net:VpcId".into()))]);
        assert_eq!(graph.order(), [&name("net"), &name("web")]);

        // The same export name in another account is another export.
        let prod = Placement {
            environment: "production".into(),
            account: Some("2".repeat(12)),
            region: None,
            ..Placement::default()
        };
        graph.stacks.get_mut(&name("net")).unwrap().placement = Some(prod);
        assert!(graph.dependencies_of(&name("web")).is_empty());
    }

    #[test]
    fn the_order_puts_each_stack_after_its_dependencies_ties_by_name() {
        let mut graph = Graph::default();
        graph.insert(name("a-service"), links(&[], &["z-net:Vpc"]));
        graph.insert(name("b-other"), links(&[], &[]));
        graph.insert(name("z-net"), links(&["z-net:Vpc"], &[]));
        assert_eq!(graph.order(), [&name("b-other"), &name("z-net"), &name("a-service")]);
    }
}
