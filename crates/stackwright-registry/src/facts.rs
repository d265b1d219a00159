//! [`Facts`]: what diff and validate need to know about a type besides its property schema.

use serde::{Deserialize, Serialize};

/// A resource type's registry facts. Property paths are JSON pointers as the schema writes
/// them (`/properties/RepositoryName`, `/properties/Tags/*/Key` for each item of a list).
///
/// ```
/// let facts = stackwright_registry::facts("AWS::SQS::Queue").unwrap();
/// assert!(facts.create_only_properties.iter().any(|p| p == "/properties/FifoQueue"));
/// assert!(facts.has_attribute("Arn") && facts.has_attribute("QueueName"));
/// assert!(!facts.has_attribute("Nope"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// `AWS::SQS::Queue`.
    pub type_name: String,
    /// The schema file inside the cfn-lint wheel it was vendored from
    /// (`cfnlint/data/schemas/resources/<hash>.json`).
    pub source: String,
    /// Top-level properties a template must set.
    pub required: Vec<String>,
    /// The properties that identify a resource of this type.
    pub primary_identifier: Vec<String>,
    /// Properties whose change makes CloudFormation replace the resource.
    pub create_only_properties: Vec<String>,
    /// Properties whose change replaces the resource only in some cases.
    pub conditional_create_only_properties: Vec<String>,
    /// Properties CloudFormation computes; a template cannot set them.
    pub read_only_properties: Vec<String>,
    /// Properties accepted on create or update but never returned by a read.
    pub write_only_properties: Vec<String>,
    /// Properties the schema marks deprecated.
    pub deprecated_properties: Vec<String>,
    /// The attribute names `Fn::GetAtt` accepts, dotted (`Endpoint.Address`); a `*` segment
    /// stands for any one segment (`Outputs.*` of a nested stack). Derived as cfn-lint
    /// derives them (see [`crate::getatt`]).
    pub attributes: Vec<String>,
}

/// Where the wheel keeps the resource schemas.
const SOURCE_DIR: &str = "cfnlint/data/schemas/resources/";
/// The prefix of a top-level property's pointer.
const PROPERTIES: &str = "/properties/";

/// [`Facts`] as an entry stores them: the first line of an entry is read for every type a
/// template uses, and is compressed on its own beside its schema, so it is kept short. The
/// type name is the index's; `src` is the schema file's hash; pointers are written without
/// their `/properties/` prefix (every registry pointer has it, a test checks); empty lists
/// are left out; `a` (the attributes) only when they are not the read-only properties, dotted.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Stored {
    src: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    req: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    id: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    co: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    cco: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    ro: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    wo: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    dep: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    a: Option<Vec<String>>,
}

impl Stored {
    /// The stored form of `facts`; `None` when a pointer lacks the `/properties/` prefix or
    /// the source is not a wheel resource file (the form could not give them back).
    pub(crate) fn from_facts(facts: &Facts) -> Option<Self> {
        let short = |pointers: &[String]| -> Option<Vec<String>> {
            pointers.iter().map(|p| p.strip_prefix(PROPERTIES).map(str::to_owned)).collect()
        };
        let hash = facts.source.strip_prefix(SOURCE_DIR)?.strip_suffix(".json")?.to_owned();
        let derived = dotted(&facts.read_only_properties);
        Some(Self {
            src: hash,
            req: facts.required.clone(),
            id: short(&facts.primary_identifier)?,
            co: short(&facts.create_only_properties)?,
            cco: short(&facts.conditional_create_only_properties)?,
            ro: short(&facts.read_only_properties)?,
            wo: short(&facts.write_only_properties)?,
            dep: short(&facts.deprecated_properties)?,
            a: (facts.attributes != derived).then(|| facts.attributes.clone()),
        })
    }

    /// The facts of `type_name` back.
    pub(crate) fn into_facts(self, type_name: &str) -> Facts {
        let long =
            |names: Vec<String>| -> Vec<String> { names.into_iter().map(|n| format!("{PROPERTIES}{n}")).collect() };
        let read_only = long(self.ro);
        let attributes = self.a.unwrap_or_else(|| dotted(&read_only));
        Facts {
            type_name: type_name.to_owned(),
            source: format!("{SOURCE_DIR}{}.json", self.src),
            required: self.req,
            primary_identifier: long(self.id),
            create_only_properties: long(self.co),
            conditional_create_only_properties: long(self.cco),
            read_only_properties: read_only,
            write_only_properties: long(self.wo),
            deprecated_properties: long(self.dep),
            attributes,
        }
    }
}

/// Read-only pointers as attribute names, in order, without repeats:
/// `/properties/Endpoint/Address` → `Endpoint.Address`.
pub(crate) fn dotted(read_only: &[String]) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    read_only
        .iter()
        .filter_map(|p| p.strip_prefix(PROPERTIES))
        .map(|p| p.replace('/', "."))
        .filter(|name| seen.insert(name.clone()))
        .collect()
}

impl Facts {
    /// Whether `Fn::GetAtt` accepts `attribute`: a listed name (segment by segment, `*`
    /// matching any one), or a name nested below one (`Endpoint.Address` when `Endpoint` is
    /// listed), which CloudFormation resolves for object-valued attributes.
    pub fn has_attribute(&self, attribute: &str) -> bool {
        self.attributes.iter().any(|listed| {
            let mut wanted = attribute.split('.');
            listed.split('.').all(|segment| wanted.next().is_some_and(|w| segment == "*" || segment == w))
        })
    }

    /// Whether `pointer` (`/properties/Name`) is, or lies below, a create-only property.
    pub fn is_create_only(&self, pointer: &str) -> bool {
        covers(&self.create_only_properties, pointer)
    }

    /// Whether `pointer` is, or lies below, a conditionally create-only property.
    pub fn is_conditionally_create_only(&self, pointer: &str) -> bool {
        covers(&self.conditional_create_only_properties, pointer)
    }

    /// Whether the top-level property `name` is read-only (CloudFormation computes it).
    pub fn is_read_only(&self, name: &str) -> bool {
        self.read_only_properties.iter().any(|p| p.strip_prefix("/properties/") == Some(name))
    }
}

/// Whether one of `listed` is `pointer` or an ancestor of it; `*` in a listed pointer stands
/// for any list index or key.
fn covers(listed: &[String], pointer: &str) -> bool {
    listed.iter().any(|p| {
        let mut wanted = pointer.split('/');
        p.split('/').all(|segment| wanted.next().is_some_and(|w| segment == "*" || segment == w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(attributes: &[&str], create_only: &[&str]) -> Facts {
        Facts {
            type_name: "AWS::X::Y".into(),
            source: String::new(),
            required: Vec::new(),
            primary_identifier: Vec::new(),
            create_only_properties: create_only.iter().map(|s| (*s).to_owned()).collect(),
            conditional_create_only_properties: Vec::new(),
            read_only_properties: Vec::new(),
            write_only_properties: Vec::new(),
            deprecated_properties: Vec::new(),
            attributes: attributes.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn attributes_match_by_segment_with_wildcards_and_nesting() {
        let f = facts(&["Arn", "Endpoint", "Outputs.*"], &[]);
        assert!(f.has_attribute("Arn"));
        assert!(f.has_attribute("Endpoint.Address"), "below an object attribute");
        assert!(f.has_attribute("Outputs.BucketName"));
        assert!(!f.has_attribute("Outputs"), "the wildcard needs a segment");
        assert!(!f.has_attribute("ArnX"));
        assert!(!f.has_attribute("Name"));
    }

    #[test]
    fn the_stored_form_gives_the_facts_back() {
        let mut full = facts(&["Arn", "Endpoint.Address"], &["/properties/Name"]);
        full.source = "cfnlint/data/schemas/resources/0123abcd.json".into();
        full.read_only_properties = vec!["/properties/Arn".into(), "/properties/Endpoint/Address".into()];
        let stored = Stored::from_facts(&full).unwrap();
        assert!(stored.a.is_none(), "derivable from the read-only properties");
        assert_eq!(
            serde_json::to_string(&stored).unwrap(),
            r#"{"src":"0123abcd","co":["Name"],"ro":["Arn","Endpoint/Address"]}"#
        );
        assert_eq!(stored.into_facts("AWS::X::Y"), full);
        full.attributes.push("Extra".into());
        assert_eq!(Stored::from_facts(&full).unwrap().into_facts("AWS::X::Y"), full);
        full.create_only_properties.push("/Other".into());
        assert!(Stored::from_facts(&full).is_none());
    }

    #[test]
    fn create_only_covers_descendants_and_list_items() {
        let f = facts(&[], &["/properties/Name", "/properties/Tags/*/Key"]);
        assert!(f.is_create_only("/properties/Name"));
        assert!(f.is_create_only("/properties/Name/Sub"));
        assert!(f.is_create_only("/properties/Tags/3/Key"));
        assert!(!f.is_create_only("/properties/Tags/3/Value"));
        assert!(!f.is_create_only("/properties/NameX"));
    }
}
