//! The evaluator: walks a resource's properties and its compiled registry schema together,
//! the way CloudFormation reads the values.
//!
//! - A function call (`Ref`, `Fn::*`, a `Condition` object) matches any schema: its value is
//!   not known before deployment. It makes the outcome *uncertain*, so an `anyOf` / `oneOf`
//!   alternative that matches only thanks to a call counts as possibly matching: `oneOf`
//!   then refuses only two certain matches, and `not` / `if` do not decide on it.
//! - A string holding a number or boolean where one is expected, and a number or boolean
//!   where a string is expected, are converted as CloudFormation converts them, then the
//!   node's other keywords are checked against the converted value (so `"0"` is still below
//!   a minimum of 1); the error then records what was written.
//! - After a type error, the node's other keywords are not checked: they apply to another
//!   type and would only repeat it.
//! - `$ref` is followed (draft 07: the keywords beside it are ignored); one that resolves
//!   nowhere matches anything.

use std::collections::BTreeMap;

use serde_json::Number;
use stackwright_registry::{Dependency, Items, JsonType, Node, Schema, Sub, Types};
use stackwright_template::Json;
use stackwright_template::walk::{is_call, is_call_member};

use crate::json::pointer;

/// How deep the evaluator descends (values and `$ref`s together) before it stops checking:
/// templates are bounded at 128 levels when parsed, and registry schemas nest far less.
const MAX_DEPTH: usize = 256;

/// One way a value breaks its schema.
#[derive(Debug)]
pub(super) struct Error<'s> {
    /// JSON pointer of the value, relative to the resource's `Properties`.
    pub(super) path: String,
    /// The value checked (after conversion, if it was converted).
    pub(super) value: Json,
    /// What the value was written as, when it was converted.
    pub(super) written: Option<Json>,
    /// What is wrong.
    pub(super) kind: Kind<'s>,
}

/// What is wrong, with what the schema expects.
#[derive(Debug)]
pub(super) enum Kind<'s> {
    Type(Types),
    Enum(&'s [Json]),
    EnumCaseInsensitive(&'s [Json]),
    Const(&'s Json),
    /// The pattern as compiled.
    Pattern(String),
    MinLength(u64),
    MaxLength(u64),
    Minimum(&'s Number),
    Maximum(&'s Number),
    ExclusiveMinimum(&'s Number),
    ExclusiveMaximum(&'s Number),
    MultipleOf(&'s Number),
    MinItems(u64),
    MaxItems(u64),
    /// Items past the `prefixItems` / `items` tuple where the schema allows none.
    ExtraItems(usize),
    UniqueItems,
    MaxUniqueItems(u64),
    MinProperties(u64),
    MaxProperties(u64),
    /// A property neither `properties` nor `patternProperties` allows; `allowed` is the
    /// sorted `properties` names.
    AdditionalProperty {
        name: String,
        allowed: Vec<&'s str>,
    },
    /// A missing required property; `because` is the `dependencies` key that requires it.
    Required {
        name: &'s str,
        because: Option<&'s str>,
    },
    DependentRequired {
        key: &'s str,
        missing: Vec<&'s str>,
    },
    DependentExcluded {
        key: &'s str,
        set: Vec<&'s str>,
    },
    RequiredXor {
        names: &'s [String],
        set: Vec<&'s str>,
    },
    RequiredOr {
        names: &'s [String],
    },
    /// No alternative matches; `reasons` holds each alternative's errors.
    AnyOf {
        alternatives: &'s [Sub],
        reasons: Vec<Vec<Error<'s>>>,
    },
    OneOfNone {
        alternatives: &'s [Sub],
        reasons: Vec<Vec<Error<'s>>>,
    },
    /// More than one alternative certainly matches.
    OneOfMany {
        alternatives: &'s [Sub],
    },
    Not,
    /// The `false` schema: nothing is allowed here.
    Nothing,
}

/// A value to check: JSON, or a resource's `Properties` as the template holds them, an
/// object checked where it is rather than copied into a JSON object first.
#[derive(Debug, Clone, Copy)]
pub(super) enum Value<'v> {
    Json(&'v Json),
    Properties(&'v BTreeMap<String, Json>),
}

impl Value<'_> {
    /// [`is_call`] of the value.
    fn is_call(self) -> bool {
        match self {
            Value::Json(json) => is_call(json),
            Value::Properties(map) => {
                map.len() == 1 && map.iter().next().is_some_and(|(key, value)| is_call_member(key, value))
            }
        }
    }

    /// The value as JSON (a copy, for an error to keep).
    fn to_json(self) -> Json {
        match self {
            Value::Json(json) => json.clone(),
            Value::Properties(map) => Json::Object(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        }
    }
}

/// An object's members, whichever map holds them.
trait Members {
    fn count(&self) -> usize;
    fn has(&self, name: &str) -> bool;
    fn members(&self) -> impl Iterator<Item = (&String, &Json)>;
}

/// Both kinds of object the evaluator reads hold their members the same way.
macro_rules! members_of {
    ($($map:ty),+) => {$(
        impl Members for $map {
            fn count(&self) -> usize {
                self.len()
            }
            fn has(&self, name: &str) -> bool {
                self.contains_key(name)
            }
            fn members(&self) -> impl Iterator<Item = (&String, &Json)> {
                self.iter()
            }
        }
    )+};
}

members_of!(serde_json::Map<String, Json>, BTreeMap<String, Json>);

/// Checks `value` (the resource's properties, `NoValue`s removed) against `schema`. A string
/// at one of the `packaged` pointers is a local path `aws cloudformation package` replaces,
/// and matches like a function call.
pub(super) fn check<'s>(schema: &'s Schema, value: Value<'_>, packaged: &[&str]) -> Vec<Error<'s>> {
    let mut out = Vec::new();
    let mut uncertain = false;
    Evaluator { schema, packaged }.sub(&schema.root, value, "", 0, &mut out, &mut uncertain);
    out
}

struct Evaluator<'s, 'p> {
    schema: &'s Schema,
    packaged: &'p [&'p str],
}

impl<'s> Evaluator<'s, '_> {
    fn sub(
        &self,
        sub: &'s Sub,
        value: Value<'_>,
        path: &str,
        depth: usize,
        out: &mut Vec<Error<'s>>,
        uncertain: &mut bool,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        if value.is_call() || (matches!(value, Value::Json(Json::String(_))) && self.packaged.contains(&path)) {
            *uncertain = true;
            return;
        }
        let node = match sub {
            Sub::Bool(true) => return,
            Sub::Bool(false) => return out.push(error(path, value, Kind::Nothing)),
            Sub::Node(node) => node,
        };
        if let Some(reference) = &node.reference {
            if let Some(target) = self.schema.resolve(reference) {
                self.sub(target, value, path, depth + 1, out, uncertain);
            }
            return;
        }
        let converted;
        let (value, written) = match (node.types, value) {
            (Some(types), Value::Json(json)) if !types.admits(json) => match convert(json, types) {
                Some(to) => {
                    converted = to;
                    (Value::Json(&converted), Some(json))
                }
                None => return out.push(error(path, value, Kind::Type(types))),
            },
            // The properties are an object; `convert` converts no object.
            (Some(types), Value::Properties(_)) if !types.contains(JsonType::Object) => {
                return out.push(error(path, value, Kind::Type(types)));
            }
            _ => (value, None),
        };
        let start = out.len();
        self.keywords(node, value, path, depth, out, uncertain);
        if let Some(written) = written {
            for e in out.iter_mut().skip(start) {
                if e.path == path {
                    e.written = Some(written.clone());
                }
            }
        }
    }

    fn keywords(
        &self,
        node: &'s Node,
        value: Value<'_>,
        path: &str,
        depth: usize,
        out: &mut Vec<Error<'s>>,
        uncertain: &mut bool,
    ) {
        if let Some(options) = &node.enumeration
            && !options.iter().any(|o| same_value(o, value))
        {
            out.push(error(path, value, Kind::Enum(options)));
        }
        if let Some(options) = &node.enum_case_insensitive
            && !options.iter().any(|o| same_ignoring_case(o, value))
        {
            out.push(error(path, value, Kind::EnumCaseInsensitive(options)));
        }
        if let Some(constant) = &node.constant
            && !same_value(constant, value)
        {
            out.push(error(path, value, Kind::Const(constant)));
        }
        match value {
            Value::Json(Json::String(text)) => string(node, text, value, path, out),
            Value::Json(Json::Number(n)) => number(node, n, value, path, out),
            Value::Json(Json::Array(items)) => self.array(node, items, value, path, depth, out, uncertain),
            Value::Json(Json::Object(map)) => self.object(node, map, value, path, depth, out, uncertain),
            Value::Properties(map) => self.object(node, map, value, path, depth, out, uncertain),
            Value::Json(_) => {}
        }
        for sub in &node.all_of {
            self.sub(sub, value, path, depth + 1, out, uncertain);
        }
        if !node.any_of.is_empty() {
            let outcomes = self.alternatives(&node.any_of, value, path, depth);
            if outcomes.iter().all(|o| !o.matches()) {
                let reasons = outcomes.into_iter().map(|o| o.errors).collect();
                out.push(error(path, value, Kind::AnyOf { alternatives: &node.any_of, reasons }));
            } else if !outcomes.iter().any(Outcome::certain) {
                *uncertain = true;
            }
        }
        if !node.one_of.is_empty() {
            let outcomes = self.alternatives(&node.one_of, value, path, depth);
            let certain = outcomes.iter().filter(|o| o.certain()).count();
            let possible = outcomes.iter().filter(|o| o.matches()).count();
            if certain > 1 {
                out.push(error(path, value, Kind::OneOfMany { alternatives: &node.one_of }));
            } else if possible == 0 {
                let reasons = outcomes.into_iter().map(|o| o.errors).collect();
                out.push(error(path, value, Kind::OneOfNone { alternatives: &node.one_of, reasons }));
            } else if certain == 0 || possible > 1 {
                *uncertain = true;
            }
        }
        if let Some(not) = &node.not {
            let outcome = self.outcome(not, value, path, depth);
            if outcome.certain() {
                out.push(error(path, value, Kind::Not));
            } else if outcome.matches() {
                *uncertain = true;
            }
        }
        if let Some(condition) = &node.if_ {
            let outcome = self.outcome(condition, value, path, depth);
            let branch = if outcome.certain() {
                node.then.as_deref()
            } else if outcome.matches() {
                *uncertain = true;
                None
            } else {
                node.else_.as_deref()
            };
            if let Some(branch) = branch {
                self.sub(branch, value, path, depth + 1, out, uncertain);
            }
        }
    }

    fn outcome(&self, sub: &'s Sub, value: Value<'_>, path: &str, depth: usize) -> Outcome<'s> {
        let mut errors = Vec::new();
        let mut uncertain = false;
        self.sub(sub, value, path, depth + 1, &mut errors, &mut uncertain);
        Outcome { errors, uncertain }
    }

    fn alternatives(&self, subs: &'s [Sub], value: Value<'_>, path: &str, depth: usize) -> Vec<Outcome<'s>> {
        subs.iter().map(|sub| self.outcome(sub, value, path, depth)).collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn array(
        &self,
        node: &'s Node,
        items: &[Json],
        value: Value<'_>,
        path: &str,
        depth: usize,
        out: &mut Vec<Error<'s>>,
        uncertain: &mut bool,
    ) {
        let count = items.len() as u64;
        if let Some(min) = node.min_items
            && count < min
        {
            out.push(error(path, value, Kind::MinItems(min)));
        }
        if let Some(max) = node.max_items
            && count > max
        {
            out.push(error(path, value, Kind::MaxItems(max)));
        }
        if node.unique_items && has_duplicates(items) {
            out.push(error(path, value, Kind::UniqueItems));
        }
        if let Some(max) = node.max_unique_items
            && distinct(items) as u64 > max
        {
            out.push(error(path, value, Kind::MaxUniqueItems(max)));
        }
        let (positional, rest): (&'s [Sub], Option<&'s Sub>) = match &node.items {
            _ if !node.prefix_items.is_empty() => {
                let rest = match &node.items {
                    Some(Items::Each(sub)) => Some(sub),
                    _ => None,
                };
                (&node.prefix_items, rest)
            }
            Some(Items::Each(sub)) => (&[], Some(sub)),
            Some(Items::Tuple(subs)) => (subs, node.additional_items.as_deref()),
            None => (&[], None),
        };
        for (i, item) in items.iter().enumerate() {
            let schema = positional.get(i).or(rest);
            if let Some(schema) = schema {
                if matches!(schema, Sub::Bool(false)) && i >= positional.len() {
                    out.push(error(path, value, Kind::ExtraItems(positional.len())));
                    break;
                }
                self.sub(schema, Value::Json(item), &format!("{path}/{i}"), depth + 1, out, uncertain);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn object(
        &self,
        node: &'s Node,
        map: &impl Members,
        value: Value<'_>,
        path: &str,
        depth: usize,
        out: &mut Vec<Error<'s>>,
        uncertain: &mut bool,
    ) {
        let count = map.count() as u64;
        if let Some(min) = node.min_properties
            && count < min
        {
            out.push(error(path, value, Kind::MinProperties(min)));
        }
        if let Some(max) = node.max_properties
            && count > max
        {
            out.push(error(path, value, Kind::MaxProperties(max)));
        }
        for (name, child) in map.members() {
            let child = Value::Json(child);
            let here = pointer(path, name);
            let mut matched = false;
            if let Some(sub) = node.property(name) {
                matched = true;
                self.sub(sub, child, &here, depth + 1, out, uncertain);
            }
            for (pattern, sub) in &node.pattern_properties {
                if pattern.is_match(name) {
                    matched = true;
                    self.sub(sub, child, &here, depth + 1, out, uncertain);
                }
            }
            if !matched && let Some(additional) = &node.additional_properties {
                if matches!(**additional, Sub::Bool(false)) {
                    let allowed = node.property_names().collect();
                    out.push(error(path, value, Kind::AdditionalProperty { name: name.clone(), allowed }));
                } else {
                    self.sub(additional, child, &here, depth + 1, out, uncertain);
                }
            }
        }
        for name in &node.required {
            if !map.has(name) {
                out.push(error(path, value, Kind::Required { name, because: None }));
            }
        }
        for (key, dependency) in &node.dependencies {
            if !map.has(key) {
                continue;
            }
            match dependency {
                Dependency::Required(names) => {
                    for name in names.iter().filter(|n| !map.has(n)) {
                        out.push(error(path, value, Kind::Required { name, because: Some(key) }));
                    }
                }
                Dependency::Schema(sub) => self.sub(sub, value, path, depth + 1, out, uncertain),
            }
        }
        for (key, names) in &node.dependent_required {
            let missing: Vec<&str> = names.iter().map(String::as_str).filter(|n| !map.has(n)).collect();
            if map.has(key) && !missing.is_empty() {
                out.push(error(path, value, Kind::DependentRequired { key, missing }));
            }
        }
        for (key, names) in &node.dependent_excluded {
            let set: Vec<&str> = names.iter().map(String::as_str).filter(|n| map.has(n)).collect();
            if map.has(key) && !set.is_empty() {
                out.push(error(path, value, Kind::DependentExcluded { key, set }));
            }
        }
        if let Some(names) = &node.required_xor {
            let set: Vec<&str> = names.iter().map(String::as_str).filter(|n| map.has(n)).collect();
            if set.len() != 1 {
                out.push(error(path, value, Kind::RequiredXor { names, set }));
            }
        }
        if let Some(names) = &node.required_or
            && !names.iter().any(|n| map.has(n))
        {
            out.push(error(path, value, Kind::RequiredOr { names }));
        }
    }
}

/// What one alternative (or `not` / `if` schema) made of a value.
struct Outcome<'s> {
    errors: Vec<Error<'s>>,
    uncertain: bool,
}

impl Outcome<'_> {
    /// No error: it matches, certainly or thanks to a function call.
    fn matches(&self) -> bool {
        self.errors.is_empty()
    }

    /// It matches whatever the calls return.
    fn certain(&self) -> bool {
        self.errors.is_empty() && !self.uncertain
    }
}

fn error<'s>(path: &str, value: Value<'_>, kind: Kind<'s>) -> Error<'s> {
    Error { path: path.to_owned(), value: value.to_json(), written: None, kind }
}

fn string<'s>(node: &'s Node, text: &str, value: Value<'_>, path: &str, out: &mut Vec<Error<'s>>) {
    let length = || text.chars().count() as u64;
    if let Some(min) = node.min_length
        && length() < min
    {
        out.push(error(path, value, Kind::MinLength(min)));
    }
    if let Some(max) = node.max_length
        && length() > max
    {
        out.push(error(path, value, Kind::MaxLength(max)));
    }
    if let Some(pattern) = &node.pattern
        && !pattern.is_match(text)
    {
        out.push(error(path, value, Kind::Pattern(pattern.translated())));
    }
}

fn number<'s>(node: &'s Node, n: &Number, value: Value<'_>, path: &str, out: &mut Vec<Error<'s>>) {
    let Some(x) = n.as_f64() else { return };
    let bound = |limit: &Number| limit.as_f64().unwrap_or(f64::NAN);
    if let Some(limit) = &node.minimum
        && x < bound(limit)
    {
        out.push(error(path, value, Kind::Minimum(limit)));
    }
    if let Some(limit) = &node.maximum
        && x > bound(limit)
    {
        out.push(error(path, value, Kind::Maximum(limit)));
    }
    if let Some(limit) = &node.exclusive_minimum
        && x <= bound(limit)
    {
        out.push(error(path, value, Kind::ExclusiveMinimum(limit)));
    }
    if let Some(limit) = &node.exclusive_maximum
        && x >= bound(limit)
    {
        out.push(error(path, value, Kind::ExclusiveMaximum(limit)));
    }
    if let Some(divisor) = &node.multiple_of
        && !is_multiple(n, divisor)
    {
        out.push(error(path, value, Kind::MultipleOf(divisor)));
    }
}

fn is_multiple(n: &Number, divisor: &Number) -> bool {
    if let (Some(a), Some(b)) = (n.as_i64(), divisor.as_i64()) {
        return b == 0 || a % b == 0;
    }
    let (Some(a), Some(b)) = (n.as_f64(), divisor.as_f64()) else { return true };
    if b == 0.0 {
        return true;
    }
    let quotient = a / b;
    (quotient - quotient.round()).abs() < 1e-9
}

/// The value CloudFormation would convert a wrongly-typed scalar to: a string holding an
/// integer, number or boolean where one is expected; a number or boolean where a string is.
fn convert(value: &Json, types: Types) -> Option<Json> {
    match value {
        Json::String(text) => {
            let text = text.trim();
            if types.contains(JsonType::Integer)
                && let Ok(n) = text.parse::<i64>()
            {
                Some(Json::from(n))
            } else if types.contains(JsonType::Number)
                && let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64)
            {
                Some(Json::Number(n))
            } else if types.contains(JsonType::Boolean)
                && (text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false"))
            {
                Some(Json::Bool(text.eq_ignore_ascii_case("true")))
            } else {
                None
            }
        }
        Json::Number(n) if types.contains(JsonType::String) => Some(Json::String(n.to_string())),
        Json::Bool(b) if types.contains(JsonType::String) => Some(Json::String(b.to_string())),
        _ => None,
    }
}

/// [`same`] for a value to check.
fn same_value(a: &Json, b: Value<'_>) -> bool {
    match (a, b) {
        (_, Value::Json(b)) => same(a, b),
        (Json::Object(x), Value::Properties(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (_, Value::Properties(_)) => false,
    }
}

/// JSON equality with numbers compared by value (`1` equals `1.0`), as JSON Schema's.
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Json::Array(x), Json::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn same_ignoring_case(option: &Json, value: Value<'_>) -> bool {
    match (option, value) {
        (Json::String(a), Value::Json(Json::String(b))) => a.to_lowercase() == b.to_lowercase(),
        _ => same_value(option, value),
    }
}

fn has_duplicates(items: &[Json]) -> bool {
    items.iter().enumerate().any(|(i, a)| items.iter().take(i).any(|b| same(a, b)))
}

fn distinct(items: &[Json]) -> usize {
    items.iter().enumerate().filter(|(i, a)| !items.iter().take(*i).any(|b| same(a, b))).count()
}
