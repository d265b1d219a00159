//! `AWS::LanguageExtensions`: the transform is expanded here as CloudFormation expands it —
//! `Fn::ForEach` loops, `Fn::Length` of a list, `Fn::ToJsonString` of a literal, and the
//! functions it allows as the argument of `Ref` and `Fn::GetAtt` — and the checks then run on
//! the expanded template. Every finding about an expanded value points back to where it is
//! written (the loop's fragment), so its line and column are those of the source.
//!
//! Without the transform, those functions are errors (`language/transform-required`):
//! CloudFormation does not know them.
//!
//! A loop whose collection is not known before deployment (a parameter without a default, a
//! mapping key computed from one with several candidates) cannot be expanded for certain: the
//! names it makes are then not judged (as under any transform), and a loop that could not be
//! expanded at all is listed as not checked.

use std::collections::BTreeMap;

use serde_json::Map;
use stackwright_template::Json;
use stackwright_template::pointer::{child, escape};

use crate::finding::{Finding, Unchecked, UncheckedReason, about};

/// The transform's name.
pub(crate) const TRANSFORM: &str = "AWS::LanguageExtensions";
/// The prefix of a loop's key: `Fn::ForEach::LoopName`.
pub(crate) const FOR_EACH: &str = "Fn::ForEach::";
/// The functions only the transform knows, besides `Fn::ForEach`.
const FUNCTIONS: [&str; 2] = ["Fn::Length", "Fn::ToJsonString"];
/// The sections a loop may be written in (AWS: "Conditions, Outputs, and Resources").
const LOOP_SECTIONS: [&str; 3] = ["Conditions", "Resources", "Outputs"];
/// The most values an expansion may produce: far beyond what fits in the 1 MB body
/// CloudFormation accepts, and a bound on the work a few nested loops can ask for.
#[cfg(not(test))]
const MAX_VALUES: usize = 1_000_000;
/// Smaller in unit tests, so that the bound is reached in a blink of a debug build.
#[cfg(test)]
const MAX_VALUES: usize = 10_000;

/// A template after the transform: its JSON, and where each expanded entry is written.
pub(crate) struct Expanded {
    pub(crate) json: Json,
    /// Expanded pointer → the pointer of the value it was made from.
    origins: BTreeMap<String, String>,
    /// Loops that could not be expanded (their collection is unknown before deployment).
    pub(crate) unexpanded: Vec<Unchecked>,
    /// Whether the expansion stopped at [`MAX_VALUES`]: the template is rejected as it is.
    pub(crate) overflow: bool,
}

impl Expanded {
    /// The pointer, in the template as written, of the value at `pointer` in the expanded one.
    pub(crate) fn original(&self, pointer: &str) -> Option<String> {
        let mut prefix = pointer;
        loop {
            if let Some(origin) = self.origins.get(prefix) {
                return Some(format!("{origin}{}", pointer.get(prefix.len()..).unwrap_or_default()));
            }
            prefix = prefix.get(..prefix.rfind('/')?)?;
        }
    }
}

/// Whether the template declares the transform (`Transform` a string or a list naming it).
pub(crate) fn declared(json: &Json) -> bool {
    match json.get("Transform") {
        Some(Json::String(name)) => name == TRANSFORM,
        Some(Json::Array(names)) => names.iter().any(|n| n.as_str() == Some(TRANSFORM)),
        _ => false,
    }
}

/// Expands the transform when the template declares it; otherwise reports every use of its
/// functions (`language/transform-required`) and returns `None`.
pub(crate) fn expand(json: &Json, out: &mut Vec<Finding>) -> Option<Expanded> {
    let Json::Object(root) = json else { return None };
    if !declared(json) {
        let mut path = String::new();
        undeclared(json, &mut path, out);
        return None;
    }
    let mut expander = Expander {
        root,
        origins: BTreeMap::new(),
        out,
        certain: true,
        values: 0,
        unexpanded: Vec::new(),
        overflow: false,
    };
    let mut sections = Map::new();
    for (section, value) in root {
        let at = child("", section);
        let value = match value {
            Json::Object(entries) if LOOP_SECTIONS.contains(&section.as_str()) => {
                Json::Object(expander.object(entries, &[], &at, &at, false))
            }
            Json::Object(entries) if section != "Metadata" => {
                for key in entries.keys().filter(|k| k.starts_with(FOR_EACH)) {
                    let message =
                        format!("Fn::ForEach is not allowed in {section}; only in Conditions, Resources and Outputs");
                    expander.out.push(Finding::new("language/for-each", child(&at, key), message));
                }
                value.clone()
            }
            _ => value.clone(),
        };
        sections.insert(section.clone(), value);
    }
    let Expander { origins, certain, unexpanded, overflow, .. } = expander;
    // Expanded for certain, the template has no transform left to add names: every check
    // applies. Otherwise the transform stays, and unresolved names are not judged.
    if certain {
        match sections.get_mut("Transform") {
            Some(Json::Array(names)) => {
                names.retain(|n| n.as_str() != Some(TRANSFORM));
                if names.is_empty() {
                    sections.remove("Transform");
                }
            }
            _ => {
                sections.remove("Transform");
            }
        }
    }
    Some(Expanded { json: Json::Object(sections), origins, unexpanded, overflow })
}

/// Reports the transform's functions in a template that does not declare it.
fn undeclared(value: &Json, path: &mut String, out: &mut Vec<Finding>) {
    let len = path.len();
    match value {
        Json::Object(map) => {
            for (key, item) in map {
                path.push('/');
                path.push_str(&escape(key));
                let function = if key.starts_with(FOR_EACH) {
                    Some("Fn::ForEach")
                } else {
                    FUNCTIONS.iter().copied().find(|f| f == key && map.len() == 1)
                };
                if let Some(function) = function {
                    let message =
                        format!("{function} needs the transform {TRANSFORM}: add \"Transform\": \"{TRANSFORM}\"");
                    let at = if function == "Fn::ForEach" {
                        path.clone()
                    } else {
                        path.get(..len).unwrap_or_default().to_owned()
                    };
                    out.push(about(Finding::new("language/transform-required", at.clone(), message), &at));
                } else {
                    undeclared(item, path, out);
                }
                path.truncate(len);
            }
        }
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push('/');
                path.push_str(&i.to_string());
                undeclared(item, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// The loop identifiers in scope and their values, innermost last.
type Params<'p> = [(&'p str, String)];

struct Expander<'a, 'o> {
    root: &'a Map<String, Json>,
    origins: BTreeMap<String, String>,
    out: &'o mut Vec<Finding>,
    /// Whether every loop's collection was known (not taken from a default or a guess).
    certain: bool,
    /// Values produced so far (bounded by [`MAX_VALUES`]).
    values: usize,
    unexpanded: Vec<Unchecked>,
    overflow: bool,
}

impl<'a> Expander<'a, '_> {
    /// Expands the members of an object at `exp` (its pointer once expanded), written at
    /// `orig`. In a loop's fragment (`fragment`), each key's origin is recorded.
    fn object(
        &mut self,
        map: &'a Map<String, Json>,
        params: &Params<'a>,
        exp: &str,
        orig: &str,
        fragment: bool,
    ) -> Map<String, Json> {
        let mut result = Map::new();
        for (key, value) in map {
            let key_at = child(orig, key);
            if let Some(name) = key.strip_prefix(FOR_EACH) {
                self.for_each(name, value, params, exp, &key_at, &mut result);
                continue;
            }
            let new_key = if params.is_empty() { key.clone() } else { substitute(key, params) };
            let new_at = child(exp, &new_key);
            if fragment || new_key != *key {
                self.origins.entry(new_at.clone()).or_insert_with(|| key_at.clone());
            }
            let expanded = self.value(value, params, &new_at, &key_at);
            self.insert(&mut result, new_key, expanded, &key_at);
        }
        result
    }

    fn insert(&mut self, result: &mut Map<String, Json>, key: String, value: Json, at: &str) {
        if result.contains_key(&key) {
            let message = format!("the expansion writes {key:?} twice; each key a loop makes must be unique");
            self.out.push(about(Finding::new("language/for-each", at, message), at));
        } else {
            result.insert(key, value);
        }
    }

    fn value(&mut self, value: &'a Json, params: &Params<'a>, exp: &str, orig: &str) -> Json {
        self.values += 1;
        match value {
            Json::Object(map) if map.len() == 1 => match map.iter().next() {
                Some((name, argument))
                    if name == "Ref" || (name.starts_with("Fn::") && !name.starts_with(FOR_EACH)) =>
                {
                    self.call(name, argument, params, exp, orig)
                }
                _ => Json::Object(self.object(map, params, exp, orig, false)),
            },
            Json::Object(map) => Json::Object(self.object(map, params, exp, orig, false)),
            Json::Array(items) => Json::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.value(item, params, &format!("{exp}/{i}"), &format!("{orig}/{i}")))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// A function call: those the transform resolves become their value.
    fn call(&mut self, name: &str, argument: &'a Json, params: &Params<'a>, exp: &str, orig: &str) -> Json {
        let argument = self.value(argument, params, &child(exp, name), &child(orig, name));
        match (name, argument) {
            // `Ref` of a loop identifier is its value; a function as `Ref`'s argument is
            // resolved first.
            ("Ref", Json::String(target)) => match lookup(params, &target) {
                Some(value) => Json::String(value.to_owned()),
                None => call("Ref", Json::String(target)),
            },
            ("Fn::Sub", Json::String(text)) => {
                let text = substitute(&text, params);
                if text.contains("${") { call(name, Json::String(text)) } else { Json::String(text) }
            }
            ("Fn::Sub", Json::Array(mut items)) => {
                if let Some(Json::String(text)) = items.first_mut() {
                    *text = substitute(text, params);
                }
                match items.as_slice() {
                    [Json::String(text), ..] if !text.contains("${") => Json::String(text.clone()),
                    _ => call(name, Json::Array(items)),
                }
            }
            ("Fn::Length", Json::Array(items)) => Json::from(items.len()),
            // The transform's fourth argument, `{"DefaultValue": …}`: the value when the keys are
            // missing. Literal keys are looked up now; computed ones keep the three-argument call.
            ("Fn::FindInMap", Json::Array(mut items)) if items.len() == 4 => {
                let default = items.pop().and_then(|d| d.get("DefaultValue").cloned());
                match (default, self.mapped(&items)) {
                    (_, Lookup::Found(value)) => value,
                    (Some(default), Lookup::Missing) => default,
                    _ => call(name, Json::Array(items)),
                }
            }
            // Only when the text does not depend on key order, which the parsed document has lost.
            ("Fn::ToJsonString", argument) if !has_call(&argument) && !has_object_of_many(&argument) => {
                Json::String(argument.to_string())
            }
            (_, argument) => call(name, argument),
        }
    }

    /// One loop: its fragment once per item of the collection, merged into `result`.
    fn for_each(
        &mut self,
        name: &str,
        value: &'a Json,
        params: &Params<'a>,
        exp: &str,
        orig: &str,
        result: &mut Map<String, Json>,
    ) {
        let shape = "expected [Identifier, Collection, {OutputKey: OutputValue}]";
        let Json::Array(parts) = value else {
            return self.malformed(orig, format!("Fn::ForEach::{name} is not a list; {shape}"));
        };
        let [Json::String(identifier), collection, Json::Object(fragment)] = parts.as_slice() else {
            return self.malformed(orig, format!("Fn::ForEach::{name} has the wrong arguments; {shape}"));
        };
        if identifier.is_empty() || !identifier.chars().all(|c| c.is_ascii_alphanumeric()) {
            return self.malformed(
                &format!("{orig}/0"),
                format!("the identifier {identifier:?} is not 1 or more ASCII letters and digits"),
            );
        }
        let Some(items) = self.collection(collection, params, &format!("{orig}/1")) else {
            self.certain = false;
            let section = orig.split('/').nth(1).unwrap_or_default();
            if section == "Resources" && exp == "/Resources" {
                self.unexpanded.push(Unchecked {
                    type_name: format!("{FOR_EACH}{name}"),
                    reason: UncheckedReason::Transform(TRANSFORM.to_owned()),
                    logical_ids: fragment.keys().cloned().collect(),
                });
            }
            return;
        };
        let fragment_at = format!("{orig}/2");
        for item in items {
            if self.overflow {
                return;
            }
            if self.values > MAX_VALUES {
                self.overflow = true;
                let message = format!(
                    "Fn::ForEach::{name} expands to more than {MAX_VALUES} values, more than the 1 MB template \
                     CloudFormation accepts"
                );
                return self.malformed(orig, message);
            }
            let mut inner: Vec<(&str, String)> = params.iter().filter(|(id, _)| id != identifier).cloned().collect();
            inner.push((identifier.as_str(), item));
            for (key, value) in self.object(fragment, &inner, exp, &fragment_at, true) {
                self.insert(result, key, value, &fragment_at);
            }
        }
    }

    fn malformed(&mut self, at: &str, message: String) {
        self.certain = false;
        self.out.push(about(Finding::new("language/for-each", at, message), at));
    }

    /// The items of a loop's collection, when they are known before deployment: a literal
    /// list, a `CommaDelimitedList` parameter's default, a list in a mapping. A value taken
    /// from a default, or from one of several mapping keys, makes the expansion uncertain.
    fn collection(&mut self, collection: &'a Json, params: &Params<'a>, at: &str) -> Option<Vec<String>> {
        let resolved = self.value(collection, params, at, at);
        match &resolved {
            Json::Array(items) => items.iter().map(scalar).collect(),
            Json::Object(map) => match map.iter().next() {
                Some((name, Json::String(parameter))) if name == "Ref" => {
                    self.certain = false;
                    let default = self.root.get("Parameters")?.get(parameter)?.get("Default")?.as_str()?;
                    Some(default.split(',').map(|s| s.trim().to_owned()).collect())
                }
                Some((name, Json::Array(args))) if name == "Fn::FindInMap" => self.find_in_map(args),
                _ => None,
            },
            _ => None,
        }
    }

    /// What `Fn::FindInMap` of three arguments finds, when they are literal.
    fn mapped(&self, args: &[Json]) -> Lookup {
        let [Json::String(map), Json::String(top), Json::String(second)] = args else { return Lookup::Computed };
        let found =
            self.root.get("Mappings").and_then(|m| m.get(map)).and_then(|m| m.get(top)).and_then(|m| m.get(second));
        found.map_or(Lookup::Missing, |value| Lookup::Found(value.clone()))
    }

    /// A list from `Fn::FindInMap` of a literal mapping name; a key given by a parameter is
    /// its default, or, without one, the only key that has the second-level key.
    fn find_in_map(&mut self, args: &[Json]) -> Option<Vec<String>> {
        let [Json::String(map), top, second, ..] = args else { return None };
        let mapping = self.root.get("Mappings")?.get(map)?.as_object()?;
        let second = self.key(second)?;
        let level = if let Some(top) = self.key(top) {
            mapping.get(&top)?
        } else {
            let mut candidates = mapping.values().filter(|level| level.get(&second).is_some());
            let first = candidates.next()?;
            if candidates.next().is_some() {
                self.certain = false;
            }
            first
        };
        match level.get(&second)? {
            Json::Array(items) => items.iter().map(scalar).collect(),
            _ => None,
        }
    }

    /// A mapping key: a literal, or a parameter's default (which makes the expansion uncertain).
    fn key(&mut self, key: &Json) -> Option<String> {
        match key {
            Json::Object(map) => {
                let parameter = map.get("Ref")?.as_str()?;
                let default = self.root.get("Parameters")?.get(parameter)?.get("Default")?;
                self.certain = false;
                scalar(default)
            }
            other => scalar(other),
        }
    }
}

/// What a lookup in the mappings found.
enum Lookup {
    Found(Json),
    Missing,
    /// A key or the mapping name is computed.
    Computed,
}

fn call(name: &str, argument: Json) -> Json {
    let mut map = Map::new();
    map.insert(name.to_owned(), argument);
    Json::Object(map)
}

/// A collection item as the string it stands for.
fn scalar(value: &Json) -> Option<String> {
    match value {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn lookup<'p>(params: &'p Params<'_>, name: &str) -> Option<&'p str> {
    params.iter().rev().find(|(id, _)| *id == name).map(|(_, value)| value.as_str())
}

/// `text` with `${Identifier}` replaced by each identifier's value and `&{Identifier}` by its
/// value without the characters that are not ASCII letters or digits.
fn substitute(text: &str, params: &Params<'_>) -> String {
    if !text.contains("${") && !text.contains("&{") {
        return text.to_owned();
    }
    let mut result = text.to_owned();
    for (id, value) in params {
        let plain: String = value.chars().filter(char::is_ascii_alphanumeric).collect();
        result = result.replace(&format!("${{{id}}}"), value).replace(&format!("&{{{id}}}"), &plain);
    }
    result
}

/// Whether an object of two or more keys is anywhere in `value`.
fn has_object_of_many(value: &Json) -> bool {
    match value {
        Json::Object(map) => map.len() > 1 || map.values().any(has_object_of_many),
        Json::Array(items) => items.iter().any(has_object_of_many),
        _ => false,
    }
}

/// Whether a function call is left anywhere in `value`.
fn has_call(value: &Json) -> bool {
    match value {
        Json::Object(map) => {
            (map.len() == 1 && map.keys().all(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::")))
                || map.values().any(has_call)
        }
        Json::Array(items) => items.iter().any(has_call),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
