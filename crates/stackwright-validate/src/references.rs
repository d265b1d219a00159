//! Names that must exist: `Ref`, `Fn::GetAtt` (and its attribute), `Fn::Sub` placeholders,
//! conditions, mappings and `DependsOn` targets.

use stackwright_template::{Json, LogicalId, PolicyValue, Pseudo, Template};

use crate::finding::Finding;
use crate::json::pointer;
use stackwright_template::pointer::escape;
use stackwright_template::walk::{Site, Use, walk_at};

/// Every use of a name anywhere in the template, with the logical ID of the entry it is in.
pub(crate) fn sites(template: &Template) -> Vec<(&LogicalId, Site)> {
    let mut all = Vec::new();
    // One pointer buffer and one list of sites, reused for every value walked.
    let mut path = String::new();
    let mut found = Vec::new();
    let mut collect = |id, value: &Json, path: &mut String| {
        walk_at(value, path, &mut found);
        all.extend(found.drain(..).map(|site| (id, site)));
    };
    for (id, resource) in template.resources() {
        path.clear();
        path.push_str("/Resources/");
        path.push_str(&escape(id.as_str()));
        let resource_len = path.len();
        path.push_str("/Properties");
        let properties_len = path.len();
        for (key, value) in &resource.properties {
            path.push('/');
            path.push_str(&escape(key));
            collect(id, value, &mut path);
            path.truncate(properties_len);
        }
        // A policy computed by a function names parameters, conditions and mappings too.
        let computed = [
            (resource.deletion_policy.as_ref().and_then(computed), "DeletionPolicy"),
            (resource.update_replace_policy.as_ref().and_then(computed), "UpdateReplacePolicy"),
        ];
        for (value, name) in computed {
            if let Some(value) = value {
                path.truncate(resource_len);
                path.push('/');
                path.push_str(name);
                collect(id, value, &mut path);
            }
        }
    }
    for (id, condition) in template.conditions() {
        collect(id, &condition.to_json(), &mut pointer("/Conditions", id.as_str()));
    }
    for (id, output) in template.outputs() {
        let at = pointer("/Outputs", id.as_str());
        collect(id, &output.value, &mut pointer(&at, "Value"));
        if let Some(name) = &output.export_name {
            collect(id, name, &mut format!("{at}/Export/Name"));
        }
    }
    all
}

/// The function call a policy is, if it is one.
fn computed<T>(policy: &PolicyValue<T>) -> Option<&Json> {
    match policy {
        PolicyValue::Computed(value) => Some(value),
        PolicyValue::Literal(_) => None,
    }
}

/// Checks `sites` (the template's [`sites`], shared with the cycle check: one walk, not two).
pub(crate) fn check(template: &Template, sites: &[(&LogicalId, Site)], out: &mut Vec<Finding>) {
    // A transform (SAM, macros) adds resources and parameters this template does not show, so
    // names that do not resolve here may resolve after it runs.
    let transformed = template.other_sections.contains_key("Transform");
    for (id, site) in sites {
        if let Some((rule, message)) = check_use(template, &site.used) {
            if transformed
                && matches!(
                    rule,
                    "ref/unknown-target"
                        | "getatt/unknown-resource"
                        | "sub/unknown-variable"
                        | "intrinsic/unknown-function"
                )
            {
                continue;
            }
            out.push(Finding::new(rule, site.pointer.clone(), message).about(id.as_str()));
        }
    }
    for (id, resource) in template.resources() {
        let at = pointer("/Resources", id.as_str());
        for key in resource.other_attributes.keys() {
            if !["CreationPolicy", "UpdatePolicy", "Version"].contains(&key.as_str()) && !transformed {
                let message = format!(
                    "{key:?} is not a resource attribute; expected Type, Properties, DependsOn, Condition, \
                     DeletionPolicy, UpdateReplacePolicy, UpdatePolicy, CreationPolicy or Metadata"
                );
                out.push(Finding::new("resource/unknown-attribute", pointer(&at, key), message).about(id.as_str()));
            }
        }
        if let Some(condition) = &resource.condition
            && !template.conditions().contains_key(condition)
        {
            out.push(unknown_condition(template, condition.as_str(), pointer(&at, "Condition")).about(id.as_str()));
        }
        for target in &resource.depends_on {
            if !template.resources().contains_key(target) && !crate::modules::in_module(template, target.as_str()) {
                let what = if template.parameters().contains_key(target) { "a parameter" } else { "not defined" };
                let message =
                    format!("DependsOn {:?} is {what}; expected a resource of this template", target.as_str());
                out.push(
                    Finding::new("depends-on/unknown-target", pointer(&at, "DependsOn"), message).about(id.as_str()),
                );
            }
        }
    }
    for (id, output) in template.outputs() {
        if let Some(condition) = &output.condition
            && !template.conditions().contains_key(condition)
        {
            let at = pointer(&pointer("/Outputs", id.as_str()), "Condition");
            out.push(unknown_condition(template, condition.as_str(), at).about(id.as_str()));
        }
    }
}

fn is_named(template: &Template, name: &str) -> bool {
    Pseudo::from_name(name).is_some()
        || LogicalId::new(name)
            .is_ok_and(|id| template.resources().contains_key(&id) || template.parameters().contains_key(&id))
        || crate::modules::in_module(template, name)
}

/// The intrinsic functions CloudFormation knows, besides `Ref` and `Condition`.
const KNOWN_FUNCTIONS: [&str; 17] = [
    "Fn::And",
    "Fn::Base64",
    "Fn::Cidr",
    "Fn::Equals",
    "Fn::FindInMap",
    "Fn::GetAtt",
    "Fn::GetAZs",
    "Fn::GetStackOutput",
    "Fn::If",
    "Fn::ImportValue",
    "Fn::Join",
    "Fn::Not",
    "Fn::Or",
    "Fn::Select",
    "Fn::Split",
    "Fn::Sub",
    "Fn::Transform",
];

/// Functions CloudFormation knows that the template model keeps as written: a `Fn::GetAtt`
/// with a computed attribute, `Fn::Transform`, and those of `AWS::LanguageExtensions`.
const UNMODELLED_FUNCTIONS: [&str; 4] = ["Fn::GetAtt", "Fn::Transform", "Fn::Length", "Fn::ToJsonString"];

fn check_use(template: &Template, used: &Use) -> Option<(&'static str, String)> {
    match used {
        Use::Ref(target) if !is_named(template, target) => {
            Some(("ref/unknown-target", format!("Ref {target:?} names no resource, parameter or pseudo parameter")))
        }
        Use::SubName(name) if !is_named(template, name) => Some((
            "sub/unknown-variable",
            format!("Fn::Sub placeholder ${{{name}}} names no variable, resource, parameter or pseudo parameter"),
        )),
        Use::GetAtt { resource, attribute } => check_get_att(template, resource, attribute),
        Use::Condition(name) => {
            let known = LogicalId::new(name.as_str()).is_ok_and(|id| template.conditions().contains_key(&id));
            (!known).then(|| ("condition/unknown", unknown_condition(template, name, String::new()).message))
        }
        Use::FindInMap { map, top, second } => check_find_in_map(template, map, top, second),
        Use::Malformed(error) => Some(("intrinsic/malformed", error.to_string())),
        Use::Unmodelled(name) if !UNMODELLED_FUNCTIONS.contains(&name.as_str()) => Some((
            "intrinsic/unknown-function",
            format!(
                "{name} is not a CloudFormation function; expected one of Ref, Condition, {}",
                KNOWN_FUNCTIONS.join(", ")
            ),
        )),
        Use::Ref(_) | Use::SubName(_) | Use::Unmodelled(_) => None,
    }
}

fn check_get_att(template: &Template, resource: &str, attribute: &str) -> Option<(&'static str, String)> {
    let call = format!("Fn::GetAtt \"{resource}.{attribute}\"");
    let found = LogicalId::new(resource).ok().and_then(|id| template.resources().get(&id));
    if found.is_none() && crate::modules::in_module(template, resource) {
        return None;
    }
    let Some(target) = found else {
        let what = if is_named(template, resource) {
            "a parameter or pseudo parameter, which has no attributes"
        } else {
            "not defined"
        };
        return Some((
            "getatt/unknown-resource",
            format!("{call}: {resource:?} is {what}; expected a resource of this template"),
        ));
    };
    // The registry's attribute names (cfn-lint's derivation: older types return their
    // configurable properties too). Custom resources return whatever their provider sends;
    // modules, and types outside the registry, are not known here.
    if stackwright_registry::classify(&target.type_name) != stackwright_registry::TypeClass::Registry {
        return None;
    }
    let facts = stackwright_registry::facts(&target.type_name)?;
    (!facts.has_attribute(attribute)).then(|| {
        const SHOWN: usize = 12;
        let attributes = &facts.attributes;
        let expected = match attributes.len() {
            0 => "it has no attributes".to_owned(),
            n if n <= SHOWN => format!("expected one of {}", attributes.join(", ")),
            n => {
                let shown: Vec<&str> = attributes.iter().take(SHOWN).map(String::as_str).collect();
                format!("expected one of {}… ({n} in all)", shown.join(", "))
            }
        };
        ("getatt/unknown-attribute", format!("{call}: {} has no attribute {attribute:?}; {expected}", target.type_name))
    })
}

fn check_find_in_map(template: &Template, map: &Json, top: &Json, second: &Json) -> Option<(&'static str, String)> {
    let name = map.as_str()?;
    let Some(mapping) = LogicalId::new(name).ok().and_then(|id| template.mappings().get(&id)) else {
        let known: Vec<&str> = template.mappings().keys().map(LogicalId::as_str).collect();
        return Some((
            "mapping/unknown",
            format!("Fn::FindInMap names mapping {name:?}, which is not defined; defined: {}", list(&known)),
        ));
    };
    let top_key = top.as_str()?;
    let Some(level) = mapping.get(top_key) else {
        let known: Vec<&str> = mapping.keys().map(String::as_str).collect();
        return Some((
            "mapping/unknown-key",
            format!("mapping {name:?} has no key {top_key:?}; keys: {}", list(&known)),
        ));
    };
    let second_key = second.as_str()?;
    (!level.contains_key(second_key)).then(|| {
        let known: Vec<&str> = level.keys().map(String::as_str).collect();
        (
            "mapping/unknown-key",
            format!("mapping {name:?} key {top_key:?} has no key {second_key:?}; keys: {}", list(&known)),
        )
    })
}

fn unknown_condition(template: &Template, name: &str, at: String) -> Finding {
    let known: Vec<&str> = template.conditions().keys().map(LogicalId::as_str).collect();
    Finding::new("condition/unknown", at, format!("condition {name:?} is not defined; defined: {}", list(&known)))
}

/// The names to choose from, at most ten of them: a message lists a few, not a whole section
/// (thousands of bad references to a large mapping would otherwise print gigabytes).
fn list(names: &[&str]) -> String {
    const SHOWN: usize = 10;
    match names.len() {
        0 => "none".to_owned(),
        n if n <= SHOWN => names.join(", "),
        n => format!("{}, and {} more", names.get(..SHOWN).unwrap_or(names).join(", "), n - SHOWN),
    }
}
