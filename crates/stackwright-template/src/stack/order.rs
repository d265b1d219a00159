//! The order an app's stacks deploy in. Finished stacks are linked as they are added (their
//! exports and imports are known); a deferred stack only by what it declared when added (its
//! placement and the stacks it is deployed after), until `synth` builds it and
//! [`App::resolve`] checks that what it built agrees: the queue that builds stacks in
//! parallel was scheduled from the declared edges, so an edge found later is an error.

use super::{App, StackName};
use crate::deps::{Graph, Links, Placement, Reason};
use crate::error::Error;
use crate::template::Template;

impl App {
    /// Links `name` into the dependency graph, refusing an export name another stack of the
    /// same account and region writes, and a stack that closes a cycle.
    pub(super) fn link(&mut self, name: &StackName, links: Links) -> Result<(), Error> {
        if let Some((first, export)) = self.graph.duplicate_export(&links) {
            return Err(Error::DuplicateExport {
                export: export.to_owned(),
                first: first.to_string(),
                second: name.to_string(),
            });
        }
        self.graph.insert(name.clone(), links);
        if let Some(cycle) = self.graph.path_between(name, name) {
            self.graph.remove(name);
            let other = cycle.first().map_or_else(String::new, |(_, to, _)| to.to_string());
            let steps: Vec<String> = cycle.iter().map(|(from, to, why)| format!("{from} → {to}: {why}")).collect();
            return Err(Error::StackCycle { stack: name.to_string(), other, cycle: steps.join("; ") });
        }
        Ok(())
    }

    /// The finished stacks in deployment order: each after every stack it depends on, ties by
    /// name (so an app without dependencies keeps name order). Deferred stacks are left out
    /// until [`App::into_built`] builds them.
    pub fn in_dependency_order(&self) -> Vec<(&StackName, &Template)> {
        self.graph.order().into_iter().filter_map(|name| self.stacks.get_key_value(name)).collect()
    }

    /// Every stack name, finished and deferred, in the deployment order known before the
    /// deferred stacks are built.
    pub fn order(&self) -> Vec<&StackName> {
        self.graph.order()
    }

    /// The stacks `name` depends on, sorted, each with the first reason found (for a deferred
    /// stack: those it declared).
    pub fn dependencies(&self, name: &StackName) -> Vec<(&StackName, Reason)> {
        self.graph.dependencies_of(name).into_iter().collect()
    }

    /// Dependencies declared on stacks the app does not hold: (stack, missing dependency).
    /// `synth` refuses an app with any: the order it writes would be wrong.
    pub fn missing_dependencies(&self) -> Vec<(&StackName, &StackName)> {
        let mut out = Vec::new();
        for (name, links) in &self.graph.stacks {
            out.extend(links.declared.keys().filter(|on| !self.contains(on)).map(|on| (name, on)));
        }
        out
    }

    /// Where stack `name` is deployed, if it was placed.
    pub fn placement(&self, name: &StackName) -> Option<&Placement> {
        self.graph.stacks.get(name).and_then(|links| links.placement.as_ref())
    }

    /// The links of stack `name` once built as `template`: its exports and imports, with the
    /// placement and dependencies the app holds for it.
    pub fn links(&self, name: &StackName, template: &Template) -> Links {
        let known = self.graph.stacks.get(name);
        Links::of(
            template,
            known.and_then(|l| l.placement.clone()),
            known.map(|l| l.declared.clone()).unwrap_or_default(),
        )
    }

    /// The dependency graph with the deferred stacks' `built` links in. Errors: two stacks
    /// writing one export name in one account and region; a stack depending on one it did not
    /// declare before it was built ([`Error::UndeclaredDependency`]: the parallel queue did
    /// not wait for it). Without either, the graph has no cycle, as the declared one had none.
    pub fn resolve(&self, built: impl IntoIterator<Item = (StackName, Links)>) -> Result<Resolved, Error> {
        let mut graph = self.graph.clone();
        for (name, links) in built {
            if self.deferred.contains_key(&name) {
                graph.remove(&name);
                graph.insert(name, links);
            }
        }
        if let Some((export, first, second)) = graph.any_duplicate_export() {
            return Err(Error::DuplicateExport {
                export: export.to_owned(),
                first: first.to_string(),
                second: second.to_string(),
            });
        }
        for name in graph.stacks.keys() {
            let before = self.graph.dependencies_of(name);
            if let Some((on, reason)) = graph.dependencies_of(name).into_iter().find(|(on, _)| !before.contains_key(on))
            {
                return Err(Error::UndeclaredDependency {
                    stack: name.to_string(),
                    on: on.to_string(),
                    reason: reason.to_string(),
                });
            }
        }
        Ok(Resolved { graph })
    }

    /// Replaces the graph with a resolved one (after every deferred stack was built).
    pub(super) fn set_resolved(&mut self, resolved: Resolved) {
        self.graph = resolved.graph;
    }
}

/// An app's dependency graph with every stack's links known ([`App::resolve`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    graph: Graph,
}

impl Resolved {
    /// Every stack in deployment order: each after the stacks it depends on, ties by name.
    pub fn order(&self) -> Vec<&StackName> {
        self.graph.order()
    }

    /// The stacks `name` depends on, sorted, each with the first reason found.
    pub fn dependencies(&self, name: &StackName) -> Vec<(&StackName, Reason)> {
        self.graph.dependencies_of(name).into_iter().collect()
    }

    /// Where stack `name` is deployed, if it was placed.
    pub fn placement(&self, name: &StackName) -> Option<&Placement> {
        self.graph.stacks.get(name).and_then(|links| links.placement.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::stack::Stack;

    fn name(text: &str) -> StackName {
        StackName::new(text).unwrap()
    }

    fn template(json: &str) -> Template {
        Template::from_json_str(json).unwrap()
    }

    const NET: &str = r#"{"Resources": {}, "Outputs": {"Vpc": {"Value": "v", "Export": {"Name": "net:Vpc"}}}}"#;
    const WEB: &str = r#"{"Resources": {}, "Outputs": {"V": {"Value": {"Fn::ImportValue": "net:Vpc"}}}}"#;

    fn deferred(app: &mut App, stack: &str, json: &'static str, after: &[&str]) -> Result<(), Error> {
        let after: BTreeMap<StackName, String> = after.iter().map(|a| (name(a), format!("imports {a}:Vpc"))).collect();
        let named = name(stack);
        app.add_deferred_after(name(stack), None, after, move || Stack::from_template(named.clone(), template(json)))
    }

    fn built_links(app: &App) -> Vec<(StackName, Links)> {
        app.order().into_iter().map(|n| (n.clone(), app.links(n, &app.build(n).unwrap()))).collect()
    }

    #[test]
    fn a_deferred_stack_is_ordered_by_what_it_declared_and_resolved_once_built() {
        let mut app = App::new();
        deferred(&mut app, "a-web", WEB, &["net"]).unwrap();
        deferred(&mut app, "net", NET, &[]).unwrap();
        assert_eq!(app.order(), [&name("net"), &name("a-web")]);
        let resolved = app.resolve(built_links(&app)).unwrap();
        assert_eq!(resolved.order(), [&name("net"), &name("a-web")]);
        let deps: Vec<String> =
            resolved.dependencies(&name("a-web")).iter().map(|(n, r)| format!("{n}: {r}")).collect();
        assert_eq!(deps, ["net: imports net:Vpc"]);
        let built = app.into_built().unwrap();
        assert_eq!(built.in_dependency_order().len(), 2);
    }

    #[test]
    fn an_import_a_deferred_stack_did_not_declare_is_refused_naming_both() {
        let mut app = App::new();
        deferred(&mut app, "a-web", WEB, &[]).unwrap();
        deferred(&mut app, "net", NET, &[]).unwrap();
        assert_eq!(app.order(), [&name("a-web"), &name("net")], "nothing declared: name order");
        let err = app.resolve(built_links(&app)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "stack \"a-web\" depends on stack \"net\" (imports net:Vpc), which was not declared when it was added: \
             declare it in `App::add_deferred_after` (or on the other stack, if that one is deferred)"
        );
        assert!(app.into_built().is_err());
    }

    #[test]
    fn declared_cycles_and_duplicate_exports_among_deferred_stacks_are_refused() {
        let mut app = App::new();
        deferred(&mut app, "net", NET, &["web"]).unwrap();
        let err = deferred(&mut app, "web", WEB, &["net"]).unwrap_err().to_string();
        assert_eq!(
            err,
            "stacks \"web\" and \"net\" depend on each other (web → net: imports net:Vpc; net → web: imports \
             web:Vpc): neither can be deployed first; share the value in one direction only"
        );
        let mut app = App::new();
        deferred(&mut app, "net", NET, &[]).unwrap();
        deferred(&mut app, "net-copy", NET, &[]).unwrap();
        // A builder returning another template under the same export name.
        let err = app.resolve(built_links(&app)).unwrap_err().to_string();
        assert_eq!(
            err,
            "export \"net:Vpc\" is written by stack \"net\" and again by stack \"net-copy\": export names are \
             unique in an account and region"
        );
    }

    #[test]
    fn a_builder_may_not_move_its_stack_or_add_dependencies() {
        let staging = Placement { environment: "staging".into(), account: None, region: None, ..Placement::default() };
        let mut app = App::new();
        let placed = staging.clone();
        app.add_deferred(name("web"), move || {
            Stack::from_template(name("web"), Template::new()).map(|s| s.with_placement(placed.clone()))
        })
        .unwrap();
        assert_eq!(
            app.build(&name("web")).unwrap_err().to_string(),
            "stack \"web\" could not be built: its builder placed it in environment staging, but it was added for \
             no environment"
        );
        let mut app = App::new();
        app.add_deferred(name("web"), || {
            Stack::from_template(name("web"), Template::new()).map(|s| s.with_dependency(name("net"), "reads /net/Vpc"))
        })
        .unwrap();
        assert!(matches!(app.build(&name("web")), Err(Error::UndeclaredDependency { .. })));
    }
}
