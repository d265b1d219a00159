//! [`Value<T>`]: a property value that is either a literal `T` or an intrinsic function.
//!
//! Every field of the generated L1 types is a `Value<T>`, so a number field can take a `Ref`
//! to a parameter and a list field can take `Fn::Split` — unlike libraries whose intrinsics
//! only fit string fields.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::intrinsic::Intrinsic;

/// Untyped JSON, for properties the schemas leave open (policy documents, free-form maps).
/// It may contain intrinsic functions in their JSON form.
pub type Json = serde_json::Value;

/// A CloudFormation property value: a literal, or an intrinsic function that CloudFormation
/// resolves at deploy time.
///
/// ```
/// use stackwright_template::{Value, Intrinsic};
/// let port: Value<i64> = 8080.into();
/// let from_param: Value<i64> = Intrinsic::reference("ContainerPort").into();
/// assert_eq!(serde_json::to_string(&port).unwrap(), "8080");
/// assert_eq!(serde_json::to_string(&from_param).unwrap(), r#"{"Ref":"ContainerPort"}"#);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Value<T> {
    /// A value known at synth time.
    Literal(T),
    /// A value CloudFormation computes at deploy time.
    Expr(Box<Intrinsic>),
}

impl<T> Value<T> {
    /// The literal, when this is not an intrinsic function.
    pub fn as_literal(&self) -> Option<&T> {
        match self {
            Self::Literal(value) => Some(value),
            Self::Expr(_) => None,
        }
    }

    /// The intrinsic function, when this is one.
    pub fn as_intrinsic(&self) -> Option<&Intrinsic> {
        match self {
            Self::Literal(_) => None,
            Self::Expr(intrinsic) => Some(intrinsic),
        }
    }
}

impl<T: Serialize> Value<T> {
    /// The value in its template JSON form.
    pub fn to_json(&self) -> Json {
        to_json(self)
    }

    /// The value in its template JSON form, consuming it: a function's arguments are moved
    /// into the result rather than serialized into a copy.
    pub fn into_json(self) -> Json {
        match self {
            Self::Literal(value) => to_json(&value),
            Self::Expr(intrinsic) => intrinsic.into_json(),
        }
    }
}

/// Serializes a value of this crate's or the generated crate's types into JSON.
///
/// These types only have string map keys and infallible `Serialize` impls, the two things
/// that can make `serde_json::to_value` fail; a failure is a bug in this crate.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Json {
    // invariant: `to_value` fails only for a map keyed by something other than strings or
    // numbers, or a `Serialize` impl that returns an error. The template model and the
    // generated L1 types have neither (every generated type is serialized by the cfn tests);
    // a user type of that kind is a programming error found at its first render, not input.
    serde_json::to_value(value).expect("template values always serialize to JSON")
}

impl<T: Serialize> Serialize for Value<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Literal(value) => value.serialize(serializer),
            Self::Expr(intrinsic) => intrinsic.serialize(serializer),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Value<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let json = Json::deserialize(deserializer)?;
        if Intrinsic::is_function_object(&json) {
            return Intrinsic::parse(&json)
                .map(|intrinsic| Self::Expr(Box::new(intrinsic)))
                .map_err(serde::de::Error::custom);
        }
        T::deserialize(json).map(Self::Literal).map_err(serde::de::Error::custom)
    }
}

impl<T> From<Intrinsic> for Value<T> {
    fn from(intrinsic: Intrinsic) -> Self {
        Self::Expr(Box::new(intrinsic))
    }
}

impl<T: Serialize> From<Value<T>> for Json {
    fn from(value: Value<T>) -> Self {
        value.into_json()
    }
}

impl<T: Serialize> From<&Value<T>> for Json {
    fn from(value: &Value<T>) -> Self {
        to_json(value)
    }
}

macro_rules! literal_from {
    ($target:ty: $($source:ty),+) => {$(
        impl From<$source> for Value<$target> {
            fn from(value: $source) -> Self {
                Self::Literal(value.into())
            }
        }
    )+};
}

literal_from!(String: String, &str, &String, Box<str>);
literal_from!(i64: i64, i32, i16, i8, u32, u16, u8);
literal_from!(f64: f64, f32, i32, i16, u32, u16, u8);
literal_from!(bool: bool);
literal_from!(Json: Json);

impl<T, U: Into<Value<T>>> From<Vec<U>> for Value<Vec<Value<T>>> {
    fn from(items: Vec<U>) -> Self {
        Self::Literal(items.into_iter().map(Into::into).collect())
    }
}

impl<T, U: Into<Value<T>>, const N: usize> From<[U; N]> for Value<Vec<Value<T>>> {
    fn from(items: [U; N]) -> Self {
        Self::Literal(items.into_iter().map(Into::into).collect())
    }
}

impl<T, K: Into<String>, U: Into<Value<T>>> From<BTreeMap<K, U>> for Value<BTreeMap<String, Value<T>>> {
    fn from(entries: BTreeMap<K, U>) -> Self {
        Self::Literal(entries.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

impl<T, K: Into<String>, U: Into<Value<T>>, const N: usize> From<[(K, U); N]> for Value<BTreeMap<String, Value<T>>> {
    fn from(entries: [(K, U); N]) -> Self {
        Self::Literal(entries.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn literals_and_expressions_serialize_to_template_json() {
        let list: Value<Vec<Value<String>>> = vec!["a", "b"].into();
        assert_eq!(list.to_json(), json!(["a", "b"]));
        let mixed: Value<Vec<Value<String>>> = Value::Literal(vec!["a".into(), Intrinsic::reference("P").into()]);
        assert_eq!(mixed.to_json(), json!(["a", {"Ref": "P"}]));
        let number: Value<f64> = 2.5.into();
        assert_eq!(number.to_json(), json!(2.5));
    }

    #[test]
    fn number_fields_take_a_ref() {
        let count: Value<i64> = Intrinsic::reference("DesiredCount").into();
        assert_eq!(count.to_json(), json!({"Ref": "DesiredCount"}));
    }

    #[test]
    fn deserializes_literals_and_intrinsics() {
        let v: Value<i64> = serde_json::from_value(json!(3)).unwrap();
        assert_eq!(v, Value::Literal(3));
        let v: Value<i64> = serde_json::from_value(json!({"Ref": "Count"})).unwrap();
        assert_eq!(v, Intrinsic::reference("Count").into());
        let v: Result<Value<i64>, _> = serde_json::from_value(json!("three"));
        assert!(v.is_err());
    }

    #[test]
    fn maps_keep_string_keys() {
        let labels: Value<BTreeMap<String, Value<String>>> = [("team", "platform")].into();
        assert_eq!(labels.to_json(), json!({"team": "platform"}));
    }
}
