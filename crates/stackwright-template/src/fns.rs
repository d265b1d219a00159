//! Typed constructors for intrinsic functions: each takes typed arguments and returns a
//! [`Value`] of the type CloudFormation gives the result.
//!
//! ```
//! use stackwright_template::{fns, Pseudo, Value};
//! let arn: Value<String> = fns::sub("arn:${AWS::Partition}:s3:::my-bucket/*");
//! let first_az: Value<String> = fns::select(0, fns::get_azs(""));
//! assert_eq!(
//!     first_az.to_json(),
//!     serde_json::json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]})
//! );
//! ```

use serde::Serialize;

use crate::intrinsic::{Intrinsic, Pseudo};
use crate::template::{Condition, ConditionRef};
use crate::value::{Json, Value, to_json};

/// A list of strings, as lists are typed in [`Value`].
pub type StringList = Value<Vec<Value<String>>>;

/// `Fn::Sub` with only `${Name}` references to parameters, resources, attributes and
/// pseudo parameters.
pub fn sub(template: impl Into<String>) -> Value<String> {
    Intrinsic::Sub { template: template.into(), variables: std::collections::BTreeMap::new() }.into()
}

/// `Fn::Sub` with extra variables.
pub fn sub_with<K: Into<String>, V: Into<Value<String>>>(
    template: impl Into<String>,
    variables: impl IntoIterator<Item = (K, V)>,
) -> Value<String> {
    let variables = variables.into_iter().map(|(k, v)| (k.into(), Value::into_json(v.into()))).collect();
    Intrinsic::Sub { template: template.into(), variables }.into()
}

/// `Fn::Join`: the items joined with `delimiter`.
pub fn join(delimiter: impl Into<String>, items: impl Into<StringList>) -> Value<String> {
    Intrinsic::Join { delimiter: delimiter.into(), values: Value::into_json(items.into()) }.into()
}

/// `Fn::Select`: the `index`-th item of `list`.
pub fn select<T: Serialize>(index: impl Into<Value<i64>>, list: impl Into<Value<Vec<Value<T>>>>) -> Value<T> {
    Intrinsic::Select { index: Value::into_json(index.into()), list: Value::into_json(list.into()) }.into()
}

/// `Fn::Split`: `source` split on `delimiter`.
pub fn split(delimiter: impl Into<String>, source: impl Into<Value<String>>) -> StringList {
    Intrinsic::Split { delimiter: delimiter.into(), source: Value::into_json(source.into()) }.into()
}

/// `Fn::If`: `then` when the named condition holds, else `otherwise`.
pub fn if_<T: Serialize>(
    condition: &ConditionRef,
    then: impl Into<Value<T>>,
    otherwise: impl Into<Value<T>>,
) -> Value<T> {
    Intrinsic::If {
        condition: condition.logical_id().as_str().to_owned(),
        then: Value::into_json(then.into()),
        otherwise: Value::into_json(otherwise.into()),
    }
    .into()
}

/// `Ref AWS::NoValue`: removes the property (use it as a branch of [`if_`]).
pub fn no_value<T>() -> Value<T> {
    Intrinsic::from(Pseudo::NoValue).into()
}

/// `Ref` to a pseudo parameter.
pub fn pseudo(parameter: Pseudo) -> Value<String> {
    Intrinsic::from(parameter).into()
}

/// `Fn::ImportValue`: an output another stack exports under `name`.
pub fn import_value(name: impl Into<Value<String>>) -> Value<String> {
    Intrinsic::ImportValue(Value::into_json(name.into())).into()
}

/// `Fn::GetAZs`: the availability zones of `region` (`""` means the stack's region).
pub fn get_azs(region: impl Into<Value<String>>) -> StringList {
    Intrinsic::GetAzs(Value::into_json(region.into())).into()
}

/// `Fn::Base64`.
pub fn base64(text: impl Into<Value<String>>) -> Value<String> {
    Intrinsic::Base64(Value::into_json(text.into())).into()
}

/// `Fn::FindInMap`: `mapping[top_level_key][second_level_key]`.
pub fn find_in_map<T>(
    mapping: impl Into<Value<String>>,
    top_level_key: impl Into<Value<String>>,
    second_level_key: impl Into<Value<String>>,
) -> Value<T> {
    Intrinsic::FindInMap {
        map: Value::into_json(mapping.into()),
        top_level_key: Value::into_json(top_level_key.into()),
        second_level_key: Value::into_json(second_level_key.into()),
    }
    .into()
}

/// `Fn::Cidr`: `count` blocks with `cidr_bits` host bits each, carved from `ip_block`.
pub fn cidr(
    ip_block: impl Into<Value<String>>,
    count: impl Into<Value<i64>>,
    cidr_bits: impl Into<Value<i64>>,
) -> StringList {
    Intrinsic::Cidr {
        ip_block: Value::into_json(ip_block.into()),
        count: Value::into_json(count.into()),
        cidr_bits: Value::into_json(cidr_bits.into()),
    }
    .into()
}

/// `Fn::Equals` of two values: a condition.
pub fn equals<T: Serialize>(a: impl Into<Value<T>>, b: impl Into<Value<T>>) -> Condition {
    Condition::from_intrinsic(Intrinsic::Equals(Value::into_json(a.into()), Value::into_json(b.into())))
}

/// `Fn::And` of 2 to 10 conditions.
pub fn and(conditions: impl IntoIterator<Item = Condition>) -> Condition {
    Condition::from_intrinsic(Intrinsic::And(conditions.into_iter().map(Condition::into_json).collect()))
}

/// `Fn::Or` of 2 to 10 conditions.
pub fn or(conditions: impl IntoIterator<Item = Condition>) -> Condition {
    Condition::from_intrinsic(Intrinsic::Or(conditions.into_iter().map(Condition::into_json).collect()))
}

/// `Fn::Not` of a condition.
pub fn not(condition: Condition) -> Condition {
    Condition::from_intrinsic(Intrinsic::Not(condition.into_json()))
}

/// Untyped JSON with an intrinsic function inside, for [`Json`] properties such as policy
/// documents.
pub fn json<T: Serialize>(value: &Value<T>) -> Json {
    to_json(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LogicalId;
    use serde_json::json;

    #[test]
    fn typed_constructors_render_the_documented_json() {
        let cond = ConditionRef::new(LogicalId::from_static("IsProd"));
        let count: Value<i64> = if_(&cond, 3, 1);
        assert_eq!(count.to_json(), json!({"Fn::If": ["IsProd", 3, 1]}));
        let joined = join(":", vec![pseudo(Pseudo::Region), "x".into()]);
        assert_eq!(joined.to_json(), json!({"Fn::Join": [":", [{"Ref": "AWS::Region"}, "x"]]}));
        let subbed = sub_with("${A}-b", [("A", pseudo(Pseudo::StackName))]);
        assert_eq!(subbed.to_json(), json!({"Fn::Sub": ["${A}-b", {"A": {"Ref": "AWS::StackName"}}]}));
        let subnets = cidr("10.0.0.0/16", 2, 8);
        assert_eq!(subnets.to_json(), json!({"Fn::Cidr": ["10.0.0.0/16", 2, 8]}));
        let first: Value<String> = select(1, split(",", "a,b"));
        assert_eq!(first.to_json(), json!({"Fn::Select": [1, {"Fn::Split": [",", "a,b"]}]}));
        let mapped: Value<String> = find_in_map("Regions", pseudo(Pseudo::Region), "Ami");
        assert_eq!(mapped.to_json(), json!({"Fn::FindInMap": ["Regions", {"Ref": "AWS::Region"}, "Ami"]}));
        assert_eq!(base64("hi").to_json(), json!({"Fn::Base64": "hi"}));
        assert_eq!(import_value("net-vpc").to_json(), json!({"Fn::ImportValue": "net-vpc"}));
        assert_eq!(no_value::<i64>().to_json(), json!({"Ref": "AWS::NoValue"}));
    }

    #[test]
    fn condition_functions_compose() {
        let prod = equals::<String>(pseudo(Pseudo::StackName), "prod");
        let eu = equals::<String>(pseudo(Pseudo::Region), "eu-west-1");
        let both = and([prod, not(eu)]);
        assert_eq!(
            both.to_json(),
            json!({"Fn::And": [
                {"Fn::Equals": [{"Ref": "AWS::StackName"}, "prod"]},
                {"Fn::Not": [{"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]}]}
            ]})
        );
        let either = or([Condition::reference(&ConditionRef::new(LogicalId::from_static("A"))), prod_again()]);
        assert_eq!(either.to_json()["Fn::Or"][0], json!({"Condition": "A"}));
    }

    fn prod_again() -> Condition {
        equals::<String>(pseudo(Pseudo::StackName), "prod")
    }
}
