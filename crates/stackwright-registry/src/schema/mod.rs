//! A type's schema, compiled: the JSON Schema keywords the registry uses, as typed values a
//! validator walks directly.
//!
//! "Compiling" is deserializing the vendored form (annotations already removed, see
//! [`crate::vendor`]) straight into [`Node`]s: no intermediate JSON tree, no validator
//! objects, and regexes compiled only when a literal string first meets them
//! ([`Pattern`]). Each entry of `properties` and `definitions` is kept as its raw text and
//! compiled the first time a validator reaches it ([`Lazy`]): a template sets a handful of
//! a type's properties (`AWS::S3::Bucket` defines 40 and 90 definitions). `$ref`s stay pointers, resolved against the document root by
//! [`Schema::resolve`] when a validator follows one (a binary search per hop).
//!
//! The keywords are draft 07's (the registry's provider meta-schema extends draft 07), plus
//! those of draft 2019-09 and cfn-lint the registry schemas use: `dependentRequired`,
//! `prefixItems`, and cfn-lint's `requiredXor`, `requiredOr`, `dependentExcluded`,
//! `enumCaseInsensitive` and `maxUniqueItems`. A keyword outside that set is refused, so a
//! new one in a future registry is noticed when the data is vendored, not silently ignored.

pub(crate) mod de;
mod pattern;
mod simple;

use std::sync::OnceLock;

use serde_json::value::RawValue;
use serde_json::{Number, Value as Json};

pub use pattern::Pattern;

/// A compiled schema document: the root node (a resource type's `properties`, `required`…)
/// and the named definitions `$ref`s point to.
#[derive(Debug)]
pub struct Schema {
    /// The root: what a resource's `Properties` object is checked against.
    pub root: Sub,
}

/// A subschema: `true` (anything), `false` (nothing) or a node of keywords.
#[derive(Debug)]
pub enum Sub {
    /// `true` or `false`.
    Bool(bool),
    /// An object of keywords.
    Node(Box<Node>),
}

/// The JSON types a `type` keyword allows, as a bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Types(u8);

/// One JSON type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    /// `array`.
    Array,
    /// `boolean`.
    Boolean,
    /// `integer`: a number without a fractional part (`1.0` included, as in draft 07).
    Integer,
    /// `null`.
    Null,
    /// `number`.
    Number,
    /// `object`.
    Object,
    /// `string`.
    String,
}

impl JsonType {
    const ALL: [Self; 7] =
        [Self::Array, Self::Boolean, Self::Integer, Self::Null, Self::Number, Self::Object, Self::String];

    /// The keyword spelling: `array`, `boolean`…
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Array => "array",
            Self::Boolean => "boolean",
            Self::Integer => "integer",
            Self::Null => "null",
            Self::Number => "number",
            Self::Object => "object",
            Self::String => "string",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl Types {
    /// Whether `ty` is allowed.
    pub fn contains(self, ty: JsonType) -> bool {
        self.0 & ty.bit() != 0
    }

    /// The allowed types, in keyword order (`array`, `boolean`, `integer`…).
    pub fn iter(self) -> impl Iterator<Item = JsonType> {
        JsonType::ALL.into_iter().filter(move |t| self.contains(*t))
    }

    /// Whether `value` has one of the allowed types (`number` admits integers).
    pub fn admits(self, value: &Json) -> bool {
        match value {
            Json::Null => self.contains(JsonType::Null),
            Json::Bool(_) => self.contains(JsonType::Boolean),
            Json::Number(n) => self.contains(JsonType::Number) || (self.contains(JsonType::Integer) && is_integer(n)),
            Json::String(_) => self.contains(JsonType::String),
            Json::Array(_) => self.contains(JsonType::Array),
            Json::Object(_) => self.contains(JsonType::Object),
        }
    }

    fn insert(&mut self, ty: JsonType) {
        self.0 |= ty.bit();
    }
}

/// Whether a number is whole (`1.0` is, as draft 07 says).
pub fn is_integer(n: &Number) -> bool {
    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.is_finite() && f.fract() == 0.0)
}

/// A subschema kept as its text until first use.
pub struct Lazy {
    raw: Box<RawValue>,
    compiled: OnceLock<Sub>,
}

impl std::fmt::Debug for Lazy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lazy").field("compiled", &self.compiled.get().is_some()).finish_non_exhaustive()
    }
}

impl Lazy {
    pub(crate) fn new(raw: Box<RawValue>) -> Self {
        Self { raw, compiled: OnceLock::new() }
    }

    /// The subschema, compiled now if it was not yet. Text that does not compile (the
    /// vendoring step and a test prove the registry's all do) matches anything.
    pub fn get(&self) -> &Sub {
        self.compiled.get_or_init(|| serde_json::from_str(self.raw.get()).unwrap_or(Sub::Bool(true)))
    }

    /// Compiles it now, with the error if it does not compile.
    pub fn check(&self) -> Result<&Sub, String> {
        let sub: Sub = serde_json::from_str(self.raw.get()).map_err(|e| e.to_string())?;
        Ok(self.compiled.get_or_init(|| sub))
    }
}

/// `dependencies`: the properties another requires, or a schema the object must then match.
#[derive(Debug)]
pub enum Dependency {
    /// `{"A": ["B"]}`: when `A` is set, `B` is required.
    Required(Vec<String>),
    /// `{"A": {…}}`: when `A` is set, the object matches the schema.
    Schema(Sub),
}

/// `items`: one schema for every item, or (draft 07) one per position.
#[derive(Debug)]
pub enum Items {
    /// Every item matches this schema.
    Each(Sub),
    /// Item `i` matches schema `i`; the rest match `additionalItems`.
    Tuple(Vec<Sub>),
}

/// The keywords of one subschema. Absent keywords are `None` or empty; maps are sorted
/// `Vec`s (binary search by name).
#[derive(Debug, Default)]
#[allow(clippy::struct_excessive_bools)]
pub struct Node {
    /// `$ref`: a pointer into the document (`#/definitions/Tag`). Draft 07 ignores the
    /// keywords beside it, and so does the validator.
    pub reference: Option<String>,
    /// `definitions`, sorted by name, each compiled on first use.
    pub definitions: Vec<(String, Lazy)>,
    /// `type`.
    pub types: Option<Types>,
    /// `properties`, sorted by name, each compiled on first use.
    pub properties: Vec<(String, Lazy)>,
    /// `patternProperties`, in the document's (sorted) order.
    pub pattern_properties: Vec<(Pattern, Sub)>,
    /// `additionalProperties`.
    pub additional_properties: Option<Box<Sub>>,
    /// `required`.
    pub required: Vec<String>,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
    /// `dependencies` (draft 07), sorted by property.
    pub dependencies: Vec<(String, Dependency)>,
    /// `dependentRequired` (draft 2019-09), sorted by property.
    pub dependent_required: Vec<(String, Vec<String>)>,
    /// cfn-lint's `dependentExcluded`: when the key is set, the listed properties must not be.
    pub dependent_excluded: Vec<(String, Vec<String>)>,
    /// cfn-lint's `requiredXor`: exactly one of these is set.
    pub required_xor: Option<Vec<String>>,
    /// cfn-lint's `requiredOr`: at least one of these is set.
    pub required_or: Option<Vec<String>>,
    /// `enum`.
    pub enumeration: Option<Vec<Json>>,
    /// cfn-lint's `enumCaseInsensitive`: `enum`, strings compared without case.
    pub enum_case_insensitive: Option<Vec<Json>>,
    /// `const`.
    pub constant: Option<Json>,
    /// `pattern`.
    pub pattern: Option<Pattern>,
    /// `minLength`, in characters.
    pub min_length: Option<u64>,
    /// `maxLength`, in characters.
    pub max_length: Option<u64>,
    /// `minimum`.
    pub minimum: Option<Number>,
    /// `maximum`.
    pub maximum: Option<Number>,
    /// `exclusiveMinimum` (a number, as in draft 07).
    pub exclusive_minimum: Option<Number>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: Option<Number>,
    /// `multipleOf`.
    pub multiple_of: Option<Number>,
    /// `items`.
    pub items: Option<Items>,
    /// `prefixItems` (draft 2020-12, as cfn-lint reads it): schemas of the first items.
    pub prefix_items: Vec<Sub>,
    /// `additionalItems`: the items past an `items` tuple.
    pub additional_items: Option<Box<Sub>>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// cfn-lint's `maxUniqueItems`: at most this many distinct items.
    pub max_unique_items: Option<u64>,
    /// `allOf`.
    pub all_of: Vec<Sub>,
    /// `anyOf`.
    pub any_of: Vec<Sub>,
    /// `oneOf`.
    pub one_of: Vec<Sub>,
    /// `not`.
    pub not: Option<Box<Sub>>,
    /// `if`.
    pub if_: Option<Box<Sub>>,
    /// `then`.
    pub then: Option<Box<Sub>>,
    /// `else`.
    pub else_: Option<Box<Sub>>,
}

impl Node {
    /// The schema of property `name` in `properties`.
    pub fn property(&self, name: &str) -> Option<&Sub> {
        lookup(&self.properties, name).map(Lazy::get)
    }

    /// The names in `properties`, sorted.
    pub fn property_names(&self) -> impl Iterator<Item = &str> {
        self.properties.iter().map(|(name, _)| name.as_str())
    }
}

fn lookup<'a, T>(entries: &'a [(String, T)], name: &str) -> Option<&'a T> {
    entries
        .binary_search_by(|(key, _)| key.as_str().cmp(name))
        .ok()
        .and_then(|i| entries.get(i))
        .map(|(_, value)| value)
}

/// One pointer segment unescaped (`~1` is `/`, `~0` is `~`), copied only when it has escapes:
/// every `$ref` the evaluator follows is read anew.
fn unescape(segment: &str) -> std::borrow::Cow<'_, str> {
    if segment.contains('~') {
        std::borrow::Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
    } else {
        std::borrow::Cow::Borrowed(segment)
    }
}

/// How deep `$ref` chains are followed before giving up (a schema that refers to itself
/// without a keyword in between would loop).
const MAX_REF_HOPS: usize = 32;

impl Schema {
    /// Compiles a schema document (a resource type's vendored schema, or any schema of the
    /// keywords above). Annotations (`description`, `title`, `insertionOrder`…) are skipped;
    /// an unknown keyword or a keyword of the wrong shape is an error naming it. The entries
    /// of `properties` and `definitions` are compiled on first use ([`Lazy`]);
    /// [`Schema::compile_all`] compiles them all now.
    pub fn from_json_str(text: &str) -> Result<Self, String> {
        let root: Sub = serde_json::from_str(text).map_err(|e| e.to_string())?;
        Ok(Self { root })
    }

    /// Compiles a schema document and every subschema in it now.
    pub fn from_json_str_eager(text: &str) -> Result<Self, String> {
        let schema = Self::from_json_str(text)?;
        schema.compile_all()?;
        Ok(schema)
    }

    /// Like [`Schema::from_json_str_eager`], from parsed JSON.
    pub fn from_json(value: &Json) -> Result<Self, String> {
        Self::from_json_str_eager(&value.to_string())
    }

    /// The node a local `$ref` points to (`#/definitions/Tag`, `#/properties/Name`, and
    /// deeper pointers through `definitions`, `properties` and `items`), following further
    /// `$ref`s; `None` when it points outside the document or nowhere.
    pub fn resolve<'s>(&'s self, reference: &str) -> Option<&'s Sub> {
        let mut target = self.pointer(reference)?;
        for _ in 0..MAX_REF_HOPS {
            match target {
                Sub::Node(node) if node.reference.is_some() => {
                    target = self.pointer(node.reference.as_deref()?)?;
                }
                _ => return Some(target),
            }
        }
        None
    }

    /// The subschema `sub` stands for: itself, or the target of its `$ref`.
    pub fn deref<'s>(&'s self, sub: &'s Sub) -> Option<&'s Sub> {
        match sub {
            Sub::Node(node) => match &node.reference {
                Some(reference) => self.resolve(reference),
                None => Some(sub),
            },
            Sub::Bool(_) => Some(sub),
        }
    }

    fn pointer(&self, reference: &str) -> Option<&Sub> {
        // Some schemas spell the document: `resource-schema.json#/definitions/X`.
        let (_, pointer) = reference.split_once('#')?;
        let mut node = &self.root;
        let mut segments = pointer.split('/').skip(1).map(unescape);
        while let Some(section) = segments.next() {
            let Sub::Node(current) = node else { return None };
            node = match section.as_ref() {
                "definitions" => lookup(&current.definitions, &segments.next()?)?.get(),
                "properties" => lookup(&current.properties, &segments.next()?)?.get(),
                "items" => match current.items.as_ref()? {
                    Items::Each(sub) => sub,
                    Items::Tuple(subs) => subs.get(segments.next()?.parse::<usize>().ok()?)?,
                },
                _ => return None,
            };
        }
        Some(node)
    }

    /// Compiles every lazily kept subschema now; the first that does not compile is the
    /// error (for tests of the data).
    pub fn compile_all(&self) -> Result<(), String> {
        let mut error = None;
        walk(&self.root, &mut |_| {}, &mut |lazy| {
            if error.is_none()
                && let Err(e) = lazy.check()
            {
                error = Some(e);
            }
        });
        error.map_or(Ok(()), Err)
    }

    /// Every `$ref` in the document, with whether it resolves (for tests of the data).
    pub fn references(&self) -> Vec<(&str, bool)> {
        let mut out = Vec::new();
        walk(
            &self.root,
            &mut |node| {
                if let Some(reference) = &node.reference {
                    out.push((reference.as_str(), self.resolve(reference).is_some()));
                }
            },
            &mut |_| {},
        );
        out
    }

    /// Every `pattern` and `patternProperties` key in the document.
    pub fn patterns(&self) -> Vec<&Pattern> {
        let mut out = Vec::new();
        walk(
            &self.root,
            &mut |node| {
                out.extend(node.pattern.as_ref());
                out.extend(node.pattern_properties.iter().map(|(p, _)| p));
            },
            &mut |_| {},
        );
        out
    }
}

/// Calls `visit` on every node below `sub`, `sub` included, compiling every lazy subschema
/// on the way (each is first shown to `lazy`).
fn walk<'s>(sub: &'s Sub, visit: &mut dyn FnMut(&'s Node), lazy: &mut dyn FnMut(&'s Lazy)) {
    let Sub::Node(node) = sub else { return };
    visit(node);
    let singles = [&node.additional_properties, &node.additional_items, &node.not, &node.if_, &node.then, &node.else_];
    for single in singles.into_iter().flatten() {
        walk(single, visit, lazy);
    }
    let maps = [&node.definitions, &node.properties];
    for (_, child) in maps.into_iter().flatten() {
        lazy(child);
        walk(child.get(), visit, lazy);
    }
    for (_, child) in &node.pattern_properties {
        walk(child, visit, lazy);
    }
    for (_, dependency) in &node.dependencies {
        if let Dependency::Schema(child) = dependency {
            walk(child, visit, lazy);
        }
    }
    match &node.items {
        Some(Items::Each(child)) => walk(child, visit, lazy),
        Some(Items::Tuple(children)) => children.iter().for_each(|child| walk(child, visit, lazy)),
        None => {}
    }
    for child in node.prefix_items.iter().chain(&node.all_of).chain(&node.any_of).chain(&node.one_of) {
        walk(child, visit, lazy);
    }
}

#[cfg(test)]
mod tests;
