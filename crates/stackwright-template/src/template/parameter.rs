//! Template parameters with their types and constraints, and typed handles to their values.

use std::fmt;
use std::marker::PhantomData;

use crate::intrinsic::Intrinsic;
use crate::logical_id::LogicalId;
use crate::value::{Json, Value};

/// The `Type` of a parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParameterType {
    /// `String`.
    String,
    /// `Number`.
    Number,
    /// `List<Number>`.
    NumberList,
    /// `CommaDelimitedList`.
    CommaDelimitedList,
    /// An AWS-specific or SSM type, e.g. `AWS::EC2::VPC::Id`, `List<AWS::EC2::Subnet::Id>`,
    /// `AWS::SSM::Parameter::Value<String>`.
    Aws(String),
}

impl ParameterType {
    /// The type as written in templates.
    pub fn as_str(&self) -> &str {
        match self {
            Self::String => "String",
            Self::Number => "Number",
            Self::NumberList => "List<Number>",
            Self::CommaDelimitedList => "CommaDelimitedList",
            Self::Aws(name) => name,
        }
    }

    /// The type with this template name.
    pub fn from_name(name: &str) -> Self {
        match name {
            "String" => Self::String,
            "Number" => Self::Number,
            "List<Number>" => Self::NumberList,
            "CommaDelimitedList" => Self::CommaDelimitedList,
            other => Self::Aws(other.to_owned()),
        }
    }
}

/// A template parameter. `T` is the Rust type its `Ref` has (`String`, `i64`, `f64`, or a
/// list); a parameter stored in a template has `T = ()`.
#[derive(Clone, PartialEq)]
pub struct Parameter<T = ()> {
    /// `Type`.
    pub parameter_type: ParameterType,
    /// `Description`.
    pub description: Option<String>,
    /// `Default`.
    pub default: Option<Json>,
    /// `AllowedValues`.
    pub allowed_values: Vec<Json>,
    /// `AllowedPattern`.
    pub allowed_pattern: Option<String>,
    /// `ConstraintDescription`.
    pub constraint_description: Option<String>,
    /// `MinLength`.
    pub min_length: Option<u64>,
    /// `MaxLength`.
    pub max_length: Option<u64>,
    /// `MinValue`.
    pub min_value: Option<f64>,
    /// `MaxValue`.
    pub max_value: Option<f64>,
    /// `NoEcho`.
    pub no_echo: bool,
    kind: PhantomData<fn() -> T>,
}

impl<T> Parameter<T> {
    fn of_type(parameter_type: ParameterType) -> Self {
        Self {
            parameter_type,
            description: None,
            default: None,
            allowed_values: Vec::new(),
            allowed_pattern: None,
            constraint_description: None,
            min_length: None,
            max_length: None,
            min_value: None,
            max_value: None,
            no_echo: false,
            kind: PhantomData,
        }
    }

    pub(crate) fn erase(self) -> Parameter {
        Parameter {
            parameter_type: self.parameter_type,
            description: self.description,
            default: self.default,
            allowed_values: self.allowed_values,
            allowed_pattern: self.allowed_pattern,
            constraint_description: self.constraint_description,
            min_length: self.min_length,
            max_length: self.max_length,
            min_value: self.min_value,
            max_value: self.max_value,
            no_echo: self.no_echo,
            kind: PhantomData,
        }
    }

    /// Sets the description. **Default:** none.
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Sets `AllowedPattern` and the message shown when a value breaks it. **Default:** none.
    #[must_use]
    pub fn allowed_pattern(mut self, pattern: impl Into<String>, constraint_description: impl Into<String>) -> Self {
        self.allowed_pattern = Some(pattern.into());
        self.constraint_description = Some(constraint_description.into());
        self
    }

    /// Sets `MinLength` and `MaxLength`. **Default:** none.
    #[must_use]
    pub fn length(mut self, min: u64, max: u64) -> Self {
        self.min_length = Some(min);
        self.max_length = Some(max);
        self
    }

    /// Sets `MinValue` and `MaxValue`. **Default:** none.
    #[must_use]
    pub fn range(mut self, min: f64, max: f64) -> Self {
        self.min_value = Some(min);
        self.max_value = Some(max);
        self
    }

    /// Hides the value in the console and API (`NoEcho`). **Default:** shown.
    #[must_use]
    pub fn no_echo(mut self) -> Self {
        self.no_echo = true;
        self
    }
}

/// The types a single-valued parameter's `Ref` can have: its `Default` and `AllowedValues`
/// are values of that type.
pub trait ScalarParameter: serde::Serialize {}
impl ScalarParameter for String {}
impl ScalarParameter for i64 {}
impl ScalarParameter for f64 {}

impl<T: ScalarParameter> Parameter<T> {
    /// Sets `Default`. **Default:** none (the value must be given at deploy time).
    #[must_use]
    pub fn default_value(mut self, value: impl Into<T>) -> Self {
        self.default = Some(crate::value::to_json(&value.into()));
        self
    }

    /// Sets `AllowedValues`. **Default:** any value.
    #[must_use]
    pub fn allowed_values<V: Into<T>>(mut self, values: impl IntoIterator<Item = V>) -> Self {
        self.allowed_values = values.into_iter().map(|v| crate::value::to_json(&v.into())).collect();
        self
    }
}

impl<T> Parameter<Vec<Value<T>>> {
    /// Sets `Default` of a list parameter: the items, which the template writes as one
    /// comma-separated string. **Default:** none.
    #[must_use]
    pub fn default_items<S: ToString>(mut self, items: impl IntoIterator<Item = S>) -> Self {
        let joined: Vec<String> = items.into_iter().map(|item| item.to_string()).collect();
        self.default = Some(Json::from(joined.join(",")));
        self
    }

    /// Sets `AllowedValues` of a list parameter: the values each item may take.
    /// **Default:** any value.
    #[must_use]
    pub fn allowed_items<S: ToString>(mut self, items: impl IntoIterator<Item = S>) -> Self {
        self.allowed_values = items.into_iter().map(|item| Json::from(item.to_string())).collect();
        self
    }
}

impl Parameter<String> {
    /// A `String` parameter.
    pub fn string() -> Self {
        Self::of_type(ParameterType::String)
    }

    /// A parameter of an AWS-specific single-value type, e.g. `AWS::EC2::VPC::Id`.
    pub fn aws(type_name: impl Into<String>) -> Self {
        Self::of_type(ParameterType::Aws(type_name.into()))
    }
}

impl Parameter<i64> {
    /// A `Number` parameter used where an integer is expected.
    pub fn integer() -> Self {
        Self::of_type(ParameterType::Number)
    }
}

impl Parameter<f64> {
    /// A `Number` parameter.
    pub fn number() -> Self {
        Self::of_type(ParameterType::Number)
    }
}

impl Parameter<Vec<Value<String>>> {
    /// A `CommaDelimitedList` parameter.
    pub fn comma_delimited_list() -> Self {
        Self::of_type(ParameterType::CommaDelimitedList)
    }

    /// A parameter of an AWS-specific list type, e.g. `List<AWS::EC2::Subnet::Id>`.
    pub fn aws_list(type_name: impl Into<String>) -> Self {
        Self::of_type(ParameterType::Aws(type_name.into()))
    }
}

impl Parameter<Vec<Value<f64>>> {
    /// A `List<Number>` parameter.
    pub fn number_list() -> Self {
        Self::of_type(ParameterType::NumberList)
    }
}

impl Parameter {
    /// A parameter of any type, e.g. read from another tool's template.
    pub fn untyped(parameter_type: ParameterType) -> Self {
        Self::of_type(parameter_type)
    }
}

impl<T> fmt::Debug for Parameter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parameter")
            .field("type", &self.parameter_type.as_str())
            .field("description", &self.description)
            .field("default", &self.default)
            .finish_non_exhaustive()
    }
}

/// A handle to a parameter in a template; its `Ref` has type `T`.
pub struct ParamRef<T> {
    id: LogicalId,
    kind: PhantomData<fn() -> T>,
}

impl<T> ParamRef<T> {
    pub(crate) fn new(id: LogicalId) -> Self {
        Self { id, kind: PhantomData }
    }

    /// The parameter's logical ID.
    pub fn logical_id(&self) -> &LogicalId {
        &self.id
    }

    /// `Ref` to the parameter: its value, typed.
    pub fn value(&self) -> Value<T> {
        Intrinsic::reference(self.id.as_str()).into()
    }
}

impl<T> Clone for ParamRef<T> {
    fn clone(&self) -> Self {
        Self::new(self.id.clone())
    }
}

impl<T> fmt::Debug for ParamRef<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ParamRef({})", self.id)
    }
}

impl<T> From<&ParamRef<T>> for Value<T> {
    fn from(param: &ParamRef<T>) -> Self {
        param.value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_defaults_take_anything_convertible() {
        let p = Parameter::string().default_value("dev").allowed_values(["dev", "prod"]);
        assert_eq!(p.default, Some(Json::from("dev")));
        assert_eq!(p.allowed_values, [Json::from("dev"), Json::from("prod")]);
        let n = Parameter::integer().default_value(3).allowed_values([1, 3]);
        assert_eq!(n.default, Some(Json::from(3)));
    }

    #[test]
    fn list_defaults_are_one_comma_separated_string() {
        let p = Parameter::comma_delimited_list().default_items(["a", "b"]).allowed_items(["a", "b", "c"]);
        assert_eq!(p.default, Some(Json::from("a,b")));
        assert_eq!(p.allowed_values.len(), 3);
        let n = Parameter::number_list().default_items([1, 2]);
        assert_eq!(n.default, Some(Json::from("1,2")));
    }
}
