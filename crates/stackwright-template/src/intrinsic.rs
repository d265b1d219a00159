//! Intrinsic functions as a typed syntax tree, with their canonical JSON form.
//!
//! Arguments are held as [`Json`] because CloudFormation lets almost every argument be a
//! literal or another function; the typed constructors in [`crate::fns`] decide what may be
//! passed where and what type the result has.

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::value::Json;

/// One intrinsic function (or condition function) applied to its arguments.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Intrinsic {
    /// `Ref`: a parameter's value, a resource's primary identifier, or a pseudo parameter.
    Ref(String),
    /// `Fn::GetAtt`: an attribute of a resource. `attribute` may be dotted (`Endpoint.Address`).
    GetAtt { resource: String, attribute: String },
    /// `Fn::Sub`: `${Name}` substitution, with optional extra variables.
    Sub { template: String, variables: BTreeMap<String, Json> },
    /// `Fn::Join`: a delimiter and a list (or a function that returns one).
    Join { delimiter: String, values: Json },
    /// `Fn::Select`: the `index`-th item of `list`.
    Select { index: Json, list: Json },
    /// `Fn::Split`: a string split on `delimiter`.
    Split { delimiter: String, source: Json },
    /// `Fn::If`: `then` when the named condition is true, `otherwise` when not.
    If { condition: String, then: Json, otherwise: Json },
    /// `Fn::Equals` (condition function).
    Equals(Json, Json),
    /// `Fn::And` (condition function): 2 to 10 conditions.
    And(Vec<Json>),
    /// `Fn::Or` (condition function): 2 to 10 conditions.
    Or(Vec<Json>),
    /// `Fn::Not` (condition function).
    Not(Json),
    /// `Condition`: a reference to a named condition, inside condition functions.
    Condition(String),
    /// `Fn::ImportValue`: an output exported by another stack.
    ImportValue(Json),
    /// `Fn::GetAZs`: the availability zones of a region (`""` for the stack's own).
    GetAzs(Json),
    /// `Fn::Base64`.
    Base64(Json),
    /// `Fn::FindInMap`: a value from a mapping.
    FindInMap { map: Json, top_level_key: Json, second_level_key: Json },
    /// A function this model has no typed form for (`Fn::Length`, `Fn::ToJsonString`,
    /// `Fn::Transform`, `Fn::FindInMap` with a default…), or a form of a known one that takes
    /// computed arguments where this model expects literals (`Fn::GetAtt` with a `Ref`
    /// attribute): kept exactly as written.
    Other { name: String, argument: Json },
    /// `Fn::Cidr`: `count` CIDR blocks of `cidr_bits` host bits carved out of `ip_block`.
    Cidr { ip_block: Json, count: Json, cidr_bits: Json },
    /// `Fn::GetStackOutput`: the output `output_name` of the stack `stack_name`, exported or
    /// not, optionally in another `region` or read through the role `role_arn` (another
    /// account).
    GetStackOutput { stack_name: Json, output_name: Json, region: Option<Json>, role_arn: Option<Json> },
}

/// The keys of `Fn::GetStackOutput`'s argument, required ones first.
const GET_STACK_OUTPUT_KEYS: [&str; 4] = ["StackName", "OutputName", "Region", "RoleArn"];

/// The ways an object that looks like an intrinsic function can be malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed {function}: {problem}")]
pub struct IntrinsicError {
    /// The function's name, e.g. `Fn::GetAtt`.
    pub function: String,
    /// What is wrong with its arguments.
    pub problem: String,
}

impl Intrinsic {
    /// `Ref` to a logical ID or pseudo parameter name.
    pub fn reference(target: impl Into<String>) -> Self {
        Self::Ref(target.into())
    }

    /// `Fn::GetAtt` of a resource's attribute.
    pub fn get_att(resource: impl Into<String>, attribute: impl Into<String>) -> Self {
        Self::GetAtt { resource: resource.into(), attribute: attribute.into() }
    }

    /// The function's name as written in templates (`Fn::Other` for [`Self::Other`], whose
    /// own name is in its `name` field).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Ref(_) => "Ref",
            Self::GetAtt { .. } => "Fn::GetAtt",
            Self::Sub { .. } => "Fn::Sub",
            Self::Join { .. } => "Fn::Join",
            Self::Select { .. } => "Fn::Select",
            Self::Split { .. } => "Fn::Split",
            Self::If { .. } => "Fn::If",
            Self::Equals(..) => "Fn::Equals",
            Self::And(_) => "Fn::And",
            Self::Or(_) => "Fn::Or",
            Self::Not(_) => "Fn::Not",
            Self::Condition(_) => "Condition",
            Self::ImportValue(_) => "Fn::ImportValue",
            Self::GetAzs(_) => "Fn::GetAZs",
            Self::Base64(_) => "Fn::Base64",
            Self::FindInMap { .. } => "Fn::FindInMap",
            Self::Cidr { .. } => "Fn::Cidr",
            Self::GetStackOutput { .. } => "Fn::GetStackOutput",
            Self::Other { .. } => "Fn::Other",
        }
    }

    /// Whether `json` is a one-key object whose key names a function (`Ref` or `Fn::…`).
    /// Such an object is a function call wherever it appears in a property value.
    pub fn is_function_object(json: &Json) -> bool {
        match json {
            Json::Object(map) if map.len() == 1 => {
                map.keys().next().is_some_and(|k| k == "Ref" || k.starts_with("Fn::"))
            }
            _ => false,
        }
    }

    /// The canonical JSON form: `Fn::GetAtt` as a two-item list, `Fn::Sub` as a plain string
    /// when it has no variables.
    pub fn to_json(&self) -> Json {
        self.clone().into_json()
    }

    /// The canonical JSON form, consuming the function: its arguments are moved into the
    /// result, not copied (`json!` would serialize each of them into a fresh value).
    pub fn into_json(self) -> Json {
        let name = self.name();
        let body = match self {
            Self::Ref(target) | Self::Condition(target) => Json::String(target),
            Self::GetAtt { resource, attribute } => list([resource.into(), attribute.into()]),
            Self::Sub { template, variables } if variables.is_empty() => Json::String(template),
            Self::Sub { template, variables } => list([template.into(), Json::Object(variables.into_iter().collect())]),
            Self::Join { delimiter, values } => list([delimiter.into(), values]),
            Self::Select { index, list: items } => list([index, items]),
            Self::Split { delimiter, source } => list([delimiter.into(), source]),
            Self::If { condition, then, otherwise } => list([condition.into(), then, otherwise]),
            Self::Equals(a, b) => list([a, b]),
            Self::And(items) | Self::Or(items) => Json::Array(items),
            Self::Not(item) => list([item]),
            Self::ImportValue(arg) | Self::GetAzs(arg) | Self::Base64(arg) => arg,
            Self::FindInMap { map, top_level_key, second_level_key } => list([map, top_level_key, second_level_key]),
            Self::Cidr { ip_block, count, cidr_bits } => list([ip_block, count, cidr_bits]),
            Self::GetStackOutput { stack_name, output_name, region, role_arn } => {
                stack_output_argument(stack_name, output_name, region, role_arn)
            }
            Self::Other { name, argument } => return one_key(name, argument),
        };
        one_key(name.to_owned(), body)
    }

    /// Reads a function call from its JSON form (either form of `Fn::GetAtt` and `Fn::Sub`).
    /// `Condition` is read too, since this is also used on condition expressions.
    pub fn parse(json: &Json) -> Result<Self, IntrinsicError> {
        Self::parse_with(json, Json::clone)
    }

    /// [`Intrinsic::parse`], with `copy` making each part of the arguments kept as JSON (not
    /// the names and strings): the reference walk, which reads only names, passes one that
    /// copies nothing, rather than cloning every call's arguments (an `Fn::If`'s branches, an
    /// `Fn::Join`'s list) to drop them. Which calls parse, and their errors, are the same.
    pub(crate) fn parse_with(json: &Json, copy: fn(&Json) -> Json) -> Result<Self, IntrinsicError> {
        let Some((name, arg)) = json.as_object().filter(|m| m.len() == 1).and_then(|m| m.iter().next()) else {
            return Err(IntrinsicError {
                function: "function".into(),
                problem: "expected an object with one key".into(),
            });
        };
        let bad = |problem: &str| IntrinsicError { function: name.clone(), problem: problem.into() };
        let two = || items::<2>(arg).ok_or_else(|| bad("expected a list of 2 items"));
        let three = || items::<3>(arg).ok_or_else(|| bad("expected a list of 3 items"));
        let text = |v: &Json, what: &str| -> Result<String, IntrinsicError> {
            v.as_str().map(str::to_owned).ok_or_else(|| bad(&format!("{what} must be a string")))
        };
        Ok(match name.as_str() {
            "Ref" => Self::Ref(text(arg, "the target")?),
            "Fn::GetAtt" => {
                if let Json::String(dotted) = arg {
                    let (resource, attribute) =
                        dotted.split_once('.').ok_or_else(|| bad("expected \"Resource.Attribute\""))?;
                    Self::get_att(resource, attribute)
                } else {
                    let [resource, attribute] = two()?;
                    let resource = text(resource, "the resource")?;
                    match attribute.as_str() {
                        Some(attribute) => Self::get_att(resource, attribute),
                        // The attribute name computed by another function.
                        None => Self::Other { name: name.clone(), argument: copy(arg) },
                    }
                }
            }
            "Fn::Sub" => {
                if let Json::String(template) = arg {
                    Self::Sub { template: template.clone(), variables: BTreeMap::new() }
                } else {
                    let [template, variables] = two()?;
                    let variables = variables.as_object().ok_or_else(|| bad("the variables must be an object"))?;
                    Self::Sub {
                        template: text(template, "the template")?,
                        variables: variables.iter().map(|(k, v)| (k.clone(), copy(v))).collect(),
                    }
                }
            }
            "Fn::Join" => {
                let [delimiter, values] = two()?;
                Self::Join { delimiter: text(delimiter, "the delimiter")?, values: copy(values) }
            }
            "Fn::Select" => {
                let [index, list] = two()?;
                Self::Select { index: copy(index), list: copy(list) }
            }
            "Fn::Split" => {
                let [delimiter, source] = two()?;
                Self::Split { delimiter: text(delimiter, "the delimiter")?, source: copy(source) }
            }
            "Fn::If" => {
                let [condition, then, otherwise] = three()?;
                Self::If {
                    condition: text(condition, "the condition name")?,
                    then: copy(then),
                    otherwise: copy(otherwise),
                }
            }
            "Fn::Equals" => {
                let [left, right] = two()?;
                Self::Equals(copy(left), copy(right))
            }
            "Fn::And" | "Fn::Or" => {
                let items =
                    arg.as_array().ok_or_else(|| bad("expected a list of conditions"))?.iter().map(copy).collect();
                if name == "Fn::And" { Self::And(items) } else { Self::Or(items) }
            }
            "Fn::Not" => {
                let [condition] = items::<1>(arg).ok_or_else(|| bad("expected a list of 1 items"))?;
                Self::Not(copy(condition))
            }
            "Condition" => Self::Condition(text(arg, "the condition name")?),
            "Fn::ImportValue" => Self::ImportValue(copy(arg)),
            "Fn::GetAZs" => Self::GetAzs(copy(arg)),
            "Fn::Base64" => Self::Base64(copy(arg)),
            // With a fourth item (a default value, from the LanguageExtensions transform).
            "Fn::FindInMap" if arg.as_array().is_some_and(|items| items.len() == 4) => {
                Self::Other { name: name.clone(), argument: copy(arg) }
            }
            "Fn::FindInMap" => {
                let [map, top_level_key, second_level_key] = three()?;
                Self::FindInMap {
                    map: copy(map),
                    top_level_key: copy(top_level_key),
                    second_level_key: copy(second_level_key),
                }
            }
            "Fn::Cidr" => {
                let [ip_block, count, cidr_bits] = three()?;
                Self::Cidr { ip_block: copy(ip_block), count: copy(count), cidr_bits: copy(cidr_bits) }
            }
            "Fn::GetStackOutput" => {
                let fields = arg.as_object().ok_or_else(|| {
                    bad("expected an object of StackName, OutputName and optionally Region and RoleArn")
                })?;
                if let Some(key) = fields.keys().find(|k| !GET_STACK_OUTPUT_KEYS.contains(&k.as_str())) {
                    return Err(bad(&format!(
                        "unknown key {key:?}; expected StackName, OutputName, Region or RoleArn"
                    )));
                }
                let required = |key: &str| fields.get(key).map(copy).ok_or_else(|| bad(&format!("{key} is required")));
                Self::GetStackOutput {
                    stack_name: required("StackName")?,
                    output_name: required("OutputName")?,
                    region: fields.get("Region").map(copy),
                    role_arn: fields.get("RoleArn").map(copy),
                }
            }
            other if other.starts_with("Fn::") => Self::Other { name: name.clone(), argument: copy(arg) },
            _ => return Err(bad("unknown function")),
        })
    }
}

/// A JSON list of these items.
fn list<const N: usize>(items: [Json; N]) -> Json {
    Json::Array(Vec::from(items))
}

/// `Fn::GetStackOutput`'s argument object.
fn stack_output_argument(stack_name: Json, output_name: Json, region: Option<Json>, role_arn: Option<Json>) -> Json {
    let mut argument = serde_json::Map::new();
    argument.insert("StackName".into(), stack_name);
    argument.insert("OutputName".into(), output_name);
    for (key, value) in [("Region", region), ("RoleArn", role_arn)] {
        if let Some(value) = value {
            argument.insert(key.into(), value);
        }
    }
    Json::Object(argument)
}

/// `{key: value}`.
fn one_key(key: String, value: Json) -> Json {
    let mut map = serde_json::Map::new();
    map.insert(key, value);
    Json::Object(map)
}

/// The items of a function's argument when it is a list of exactly `N`.
pub(crate) fn items<const N: usize>(argument: &Json) -> Option<&[Json; N]> {
    argument.as_array().and_then(|items| <&[Json; N]>::try_from(items.as_slice()).ok())
}

/// The canonical JSON form, written straight into the serializer: a typed resource's
/// properties are serialized once, not first copied into a [`Json`] per function call.
/// [`Intrinsic::to_json`] is the same form (a test checks every function).
impl Serialize for Intrinsic {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        let name = self.name();
        match self {
            Self::Ref(target) | Self::Condition(target) => map.serialize_entry(name, target)?,
            Self::GetAtt { resource, attribute } => map.serialize_entry(name, &(resource, attribute))?,
            Self::Sub { template, variables } if variables.is_empty() => map.serialize_entry(name, template)?,
            Self::Sub { template, variables } => map.serialize_entry(name, &(template, variables))?,
            Self::Join { delimiter, values } => map.serialize_entry(name, &(delimiter, values))?,
            Self::Select { index, list } => map.serialize_entry(name, &(index, list))?,
            Self::Split { delimiter, source } => map.serialize_entry(name, &(delimiter, source))?,
            Self::If { condition, then, otherwise } => map.serialize_entry(name, &(condition, then, otherwise))?,
            Self::Equals(a, b) => map.serialize_entry(name, &(a, b))?,
            Self::And(items) | Self::Or(items) => map.serialize_entry(name, items)?,
            Self::Not(item) => map.serialize_entry(name, &(item,))?,
            Self::ImportValue(arg) | Self::GetAzs(arg) | Self::Base64(arg) => map.serialize_entry(name, arg)?,
            Self::FindInMap { map: mapping, top_level_key, second_level_key } => {
                map.serialize_entry(name, &(mapping, top_level_key, second_level_key))?;
            }
            Self::Cidr { ip_block, count, cidr_bits } => map.serialize_entry(name, &(ip_block, count, cidr_bits))?,
            // Rare: through the JSON object, whose keys are in the order every other object's are.
            Self::GetStackOutput { stack_name, output_name, region, role_arn } => {
                let argument =
                    stack_output_argument(stack_name.clone(), output_name.clone(), region.clone(), role_arn.clone());
                map.serialize_entry(name, &argument)?;
            }
            Self::Other { name, argument } => map.serialize_entry(name, argument)?,
        }
        map.end()
    }
}

impl From<Intrinsic> for Json {
    fn from(intrinsic: Intrinsic) -> Self {
        intrinsic.into_json()
    }
}

/// CloudFormation's pseudo parameters, available to `Ref` in every template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pseudo {
    /// `AWS::AccountId`.
    AccountId,
    /// `AWS::NotificationARNs`.
    NotificationArns,
    /// `AWS::NoValue`: removes the property it is assigned to (typically inside `Fn::If`).
    NoValue,
    /// `AWS::Partition`: `aws`, `aws-cn`, `aws-us-gov`…
    Partition,
    /// `AWS::Region`.
    Region,
    /// `AWS::StackId`.
    StackId,
    /// `AWS::StackName`.
    StackName,
    /// `AWS::URLSuffix`: `amazonaws.com` in most partitions.
    UrlSuffix,
}

impl Pseudo {
    /// Every pseudo parameter.
    pub const ALL: [Self; 8] = [
        Self::AccountId,
        Self::NotificationArns,
        Self::NoValue,
        Self::Partition,
        Self::Region,
        Self::StackId,
        Self::StackName,
        Self::UrlSuffix,
    ];

    /// The name `Ref` takes, e.g. `AWS::Region`.
    pub fn name(self) -> &'static str {
        match self {
            Self::AccountId => "AWS::AccountId",
            Self::NotificationArns => "AWS::NotificationARNs",
            Self::NoValue => "AWS::NoValue",
            Self::Partition => "AWS::Partition",
            Self::Region => "AWS::Region",
            Self::StackId => "AWS::StackId",
            Self::StackName => "AWS::StackName",
            Self::UrlSuffix => "AWS::URLSuffix",
        }
    }

    /// The pseudo parameter with this `Ref` name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }
}

impl From<Pseudo> for Intrinsic {
    fn from(pseudo: Pseudo) -> Self {
        Self::Ref(pseudo.name().to_owned())
    }
}

impl From<Pseudo> for crate::Value<String> {
    fn from(pseudo: Pseudo) -> Self {
        Intrinsic::from(pseudo).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_every_function() {
        for text in [
            r#"{"Ref":"AWS::Region"}"#,
            r#"{"Fn::GetAtt":["Repo","Arn"]}"#,
            r#"{"Fn::Sub":"${Repo.RepositoryUri}:latest"}"#,
            r#"{"Fn::Sub":["${A}-x",{"A":{"Ref":"P"}}]}"#,
            r#"{"Fn::Join":["",["a",{"Ref":"B"}]]}"#,
            r#"{"Fn::Select":[0,{"Fn::GetAZs":""}]}"#,
            r#"{"Fn::Split":[",",{"Ref":"L"}]}"#,
            r#"{"Fn::If":["C",1,{"Ref":"AWS::NoValue"}]}"#,
            r#"{"Fn::Equals":[{"Ref":"Env"},"prod"]}"#,
            r#"{"Fn::And":[{"Condition":"A"},{"Condition":"B"}]}"#,
            r#"{"Fn::Or":[{"Condition":"A"},{"Condition":"B"}]}"#,
            r#"{"Fn::Not":[{"Condition":"A"}]}"#,
            r#"{"Fn::ImportValue":"shared-vpc-id"}"#,
            r#"{"Fn::Base64":"hello"}"#,
            r#"{"Fn::FindInMap":["M","a","b"]}"#,
            r#"{"Fn::Cidr":["10.0.0.0/16",4,8]}"#,
            r#"{"Fn::FindInMap":["M","a","b",{"DefaultValue":"x"}]}"#,
            r#"{"Fn::GetAtt":["Res",{"Ref":"AttributeName"}]}"#,
            r#"{"Fn::Length":[1,2]}"#,
            r#"{"Fn::ToJsonString":{"a":1}}"#,
            r#"{"Fn::GetStackOutput":{"OutputName":"VpcId","StackName":"network"}}"#,
            r#"{"Fn::GetStackOutput":{"OutputName":"VpcId","Region":"eu-west-1","RoleArn":{"Ref":"Role"},"StackName":{"Ref":"Net"}}}"#,
        ] {
            let json: Json = serde_json::from_str(text).unwrap();
            let parsed = Intrinsic::parse(&json).unwrap();
            assert_eq!(parsed.to_json(), json, "{text}");
            // `Serialize` writes the same form without building the JSON value first.
            assert_eq!(serde_json::to_value(&parsed).unwrap(), json, "{text}");
            assert_eq!(serde_json::to_string(&parsed).unwrap(), serde_json::to_string(&json).unwrap(), "{text}");
            assert_eq!(parsed.clone().into_json(), json, "{text}");
        }
    }

    #[test]
    fn get_att_dotted_form_normalises_to_the_list_form() {
        let parsed = Intrinsic::parse(&json!({"Fn::GetAtt": "Lb.DNSName"})).unwrap();
        assert_eq!(parsed, Intrinsic::get_att("Lb", "DNSName"));
    }

    #[test]
    fn malformed_calls_are_errors_not_panics() {
        for bad in [
            json!({"Fn::GetAtt": 3}),
            json!({"Fn::GetAtt": "NoDot"}),
            json!({"Fn::If": ["C", 1]}),
            json!({"Fn::Sub": ["x", 3]}),
            json!({"Ref": ["x"]}),
            json!([1]),
            json!({"Fn::GetStackOutput": ["network", "VpcId"]}),
            json!({"Fn::GetStackOutput": {"StackName": "network"}}),
            json!({"Fn::GetStackOutput": {"StackName": "network", "OutputName": "VpcId", "Account": "1"}}),
        ] {
            assert!(Intrinsic::parse(&bad).is_err(), "{bad}");
        }
        let err = Intrinsic::parse(&json!({"Fn::If": ["C", 1]})).unwrap_err();
        assert_eq!(err.to_string(), "malformed Fn::If: expected a list of 3 items");
    }

    #[test]
    fn parsing_without_copies_accepts_refuses_and_names_as_parse_does() {
        let calls = [
            json!({"Ref": "X"}),
            json!({"Ref": ["x"]}),
            json!({"Fn::GetAtt": "Lb.DNSName"}),
            json!({"Fn::GetAtt": ["Lb", "DNSName"]}),
            json!({"Fn::GetAtt": ["Lb", {"Ref": "A"}]}),
            json!({"Fn::GetAtt": 3}),
            json!({"Fn::Sub": "${A}-${B.Arn}"}),
            json!({"Fn::Sub": ["${A}-${V}", {"V": {"Ref": "X"}, "W": [1]}]}),
            json!({"Fn::Sub": ["x", 3]}),
            json!({"Fn::Join": ["-", [{"Ref": "A"}, "b"]]}),
            json!({"Fn::Join": [1, []]}),
            json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]}),
            json!({"Fn::Split": [",", {"Ref": "L"}]}),
            json!({"Fn::If": ["C", {"A": [1, 2]}, {"Ref": "AWS::NoValue"}]}),
            json!({"Fn::If": ["C", 1]}),
            json!({"Fn::If": [1, 2, 3]}),
            json!({"Fn::Equals": [{"Ref": "E"}, "prod"]}),
            json!({"Fn::And": [{"Condition": "A"}, {"Condition": "B"}]}),
            json!({"Fn::Or": "x"}),
            json!({"Fn::Not": [{"Condition": "A"}]}),
            json!({"Fn::Not": []}),
            json!({"Condition": "C"}),
            json!({"Condition": 1}),
            json!({"Fn::ImportValue": {"Fn::Sub": "${S}-vpc"}}),
            json!({"Fn::Base64": "x"}),
            json!({"Fn::FindInMap": ["M", {"Ref": "AWS::Region"}, "Ami"]}),
            json!({"Fn::FindInMap": ["M", "a", "b", {"DefaultValue": 1}]}),
            json!({"Fn::FindInMap": ["M", "a"]}),
            json!({"Fn::Cidr": ["10.0.0.0/16", 4, 8]}),
            json!({"Fn::GetStackOutput": {"StackName": "n", "OutputName": "VpcId", "Region": "eu-west-1"}}),
            json!({"Fn::GetStackOutput": {"StackName": "network"}}),
            json!({"Fn::Length": [1, 2]}),
            json!({"Fn::Nope": 1}),
            json!({"Nope": 1}),
            json!({"Ref": "A", "Fn::Join": 1}),
            json!([1]),
        ];
        for call in calls {
            let light = Intrinsic::parse_with(&call, |_| Json::Null);
            assert_eq!(Intrinsic::parse_with(&call, Json::clone), Intrinsic::parse(&call), "{call}");
            match (Intrinsic::parse(&call), light) {
                (Err(full), Err(light)) => assert_eq!(full, light, "{call}"),
                (Ok(full), Ok(light)) => {
                    assert_eq!(full.name(), light.name(), "{call}");
                    match (full, light) {
                        (
                            Intrinsic::Sub { template: a, variables: x },
                            Intrinsic::Sub { template: b, variables: y },
                        ) => {
                            assert_eq!((a, x.keys().collect::<Vec<_>>()), (b, y.keys().collect::<Vec<_>>()), "{call}");
                        }
                        (Intrinsic::If { condition: a, .. }, Intrinsic::If { condition: b, .. })
                        | (Intrinsic::Other { name: a, .. }, Intrinsic::Other { name: b, .. }) => {
                            assert_eq!(a, b, "{call}");
                        }
                        (full @ (Intrinsic::Ref(_) | Intrinsic::Condition(_) | Intrinsic::GetAtt { .. }), light) => {
                            assert_eq!(full, light, "{call}");
                        }
                        _ => {}
                    }
                }
                (full, light) => panic!("{call}: {full:?} but {light:?}"),
            }
        }
    }

    #[test]
    fn pseudo_parameters_have_their_ref_names() {
        assert_eq!(Pseudo::from_name("AWS::URLSuffix"), Some(Pseudo::UrlSuffix));
        assert_eq!(Intrinsic::from(Pseudo::NoValue).to_json(), json!({"Ref": "AWS::NoValue"}));
    }
}
