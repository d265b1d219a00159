//! Small helpers over template JSON: pointers, literal lookups, numbers.

use stackwright_template::{Intrinsic, Json};

pub(crate) use stackwright_template::pointer::child as pointer;

/// The value at `path` (object keys) below `value`, if every step is a plain object (not a
/// function call).
pub(crate) fn get<'a>(value: &'a Json, path: &[&str]) -> Option<&'a Json> {
    path.iter().try_fold(value, |node, key| match node {
        Json::Object(map) if !Intrinsic::is_function_object(node) => map.get(*key),
        _ => None,
    })
}

/// Whether `value` is known at synth time (no function call at its top).
pub(crate) fn is_literal(value: &Json) -> bool {
    !Intrinsic::is_function_object(value)
}

/// A literal whole number, written as a number or a string (CloudFormation accepts both).
pub(crate) fn integer(value: &Json) -> Option<i64> {
    match value {
        Json::Number(n) => n.as_i64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A literal boolean, written as a boolean or a string.
pub(crate) fn boolean(value: &Json) -> Option<bool> {
    match value {
        Json::Bool(b) => Some(*b),
        Json::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Json::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// The value as it reads in a message: compact JSON, cut at 80 characters.
pub(crate) fn show(value: &Json) -> String {
    let text = value.to_string();
    if text.chars().count() <= 80 { text } else { format!("{}…", text.chars().take(80).collect::<String>()) }
}

/// Items of a value that may be one item or a list of them, with their pointers.
pub(crate) fn one_or_many<'a>(value: &'a Json, at: &str) -> Vec<(String, &'a Json)> {
    match value {
        Json::Array(items) => items.iter().enumerate().map(|(i, item)| (format!("{at}/{i}"), item)).collect(),
        single => vec![(at.to_owned(), single)],
    }
}

/// The resources of one type, with the pointer of their `Properties`.
pub(crate) fn resources_of<'a>(
    template: &'a stackwright_template::Template,
    type_name: &'a str,
) -> impl Iterator<Item = (&'a stackwright_template::LogicalId, &'a stackwright_template::Resource, String)> + 'a {
    template
        .resources()
        .iter()
        .filter(move |(_, r)| r.type_name == type_name)
        .map(|(id, resource)| (id, resource, format!("{}/Properties", pointer("/Resources", id.as_str()))))
}

/// A property of `resource` at `path` (through plain objects only).
pub(crate) fn property<'a>(resource: &'a stackwright_template::Resource, path: &[&str]) -> Option<&'a Json> {
    let (first, rest) = path.split_first()?;
    get(resource.properties.get(*first)?, rest)
}

/// The resource a value names as its only use of a name: a `Ref` or `Fn::GetAtt` (either
/// form), possibly inside another function (`{"Fn::Sub": "${Role.Arn}"}`).
pub(crate) fn named_resource(value: &Json) -> Option<String> {
    let mut uses = Vec::new();
    stackwright_template::walk::walk(value, "", &mut uses);
    match uses.as_slice() {
        [site] => match &site.used {
            stackwright_template::walk::Use::Ref(id) | stackwright_template::walk::Use::GetAtt { resource: id, .. } => {
                Some(id.clone())
            }
            _ => None,
        },
        _ => None,
    }
}

/// The template's resource `id`, if it has one (a map lookup, not a scan).
pub(crate) fn resource<'a>(
    template: &'a stackwright_template::Template,
    id: &str,
) -> Option<&'a stackwright_template::Resource> {
    template.resources().get(&stackwright_template::LogicalId::new(id).ok()?)
}

/// Whether a string holds a dynamic reference (`{{resolve:ssm:…}}`, `{{resolve:secretsmanager:…}}`),
/// which CloudFormation replaces with its value at deployment: its literal text says nothing.
pub(crate) fn is_dynamic(text: &str) -> bool {
    text.contains("{{resolve:")
}
