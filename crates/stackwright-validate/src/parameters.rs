//! Parameters: a type CloudFormation knows, and a `Default` that passes the parameter's own
//! constraints (`AllowedValues`, `AllowedPattern`, `MinLength`/`MaxLength`, `MinValue`/
//! `MaxValue`): a stack created without a value for the parameter takes the default, and
//! CloudFormation refuses it as it refuses any value that breaks them ("Parameter 'X' must be
//! one of `AllowedValues`"). Types and constraints as the template reference's "Parameters"
//! section lists them; `AllowedPattern` matches the whole value.

use stackwright_template::{Json, ParameterType, Template};

use crate::finding::Finding;
use crate::json::pointer;

/// The AWS-specific parameter types (also as `List<…>`, except the key pair name).
const AWS_TYPES: [&str; 10] = [
    "AWS::EC2::AvailabilityZone::Name",
    "AWS::EC2::Image::Id",
    "AWS::EC2::Instance::Id",
    "AWS::EC2::KeyPair::KeyName",
    "AWS::EC2::SecurityGroup::GroupName",
    "AWS::EC2::SecurityGroup::Id",
    "AWS::EC2::Subnet::Id",
    "AWS::EC2::VPC::Id",
    "AWS::EC2::Volume::Id",
    "AWS::Route53::HostedZone::Id",
];

fn known_type(name: &str) -> bool {
    let list = |inner: &str| inner != "AWS::EC2::KeyPair::KeyName" && AWS_TYPES.contains(&inner);
    let plain = |t: &str| {
        ["String", "Number", "List<Number>", "CommaDelimitedList"].contains(&t)
            || AWS_TYPES.contains(&t)
            || t.strip_prefix("List<").and_then(|r| r.strip_suffix('>')).is_some_and(list)
    };
    plain(name)
        || name == "AWS::SSM::Parameter::Name"
        || name
            .strip_prefix("AWS::SSM::Parameter::Value<")
            .and_then(|r| r.strip_suffix('>'))
            .is_some_and(|inner| inner == "List<String>" || plain(inner))
}

/// A scalar as the text CloudFormation compares.
fn text(value: &Json) -> Option<String> {
    match value {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    for (id, parameter) in template.parameters() {
        let at = pointer("/Parameters", id.as_str());
        let name = parameter.parameter_type.as_str();
        if !known_type(name) {
            let message = format!(
                "{name:?} is not a parameter type; expected String, Number, List<Number>, CommaDelimitedList, an AWS-specific type or an SSM parameter type"
            );
            out.push(Finding::new("parameter/type", format!("{at}/Type"), message).about(id.as_str()));
            continue;
        }
        let Some(default) = parameter.default.as_ref().and_then(text) else { continue };
        let at = format!("{at}/Default");
        let mut fail =
            |message: String| out.push(Finding::new("parameter/default", at.clone(), message).about(id.as_str()));
        let items: Vec<&str> = match parameter.parameter_type {
            ParameterType::CommaDelimitedList | ParameterType::NumberList => {
                default.split(',').map(str::trim).collect()
            }
            _ => vec![default.as_str()],
        };
        let allowed: Vec<String> = parameter.allowed_values.iter().filter_map(text).collect();
        if !allowed.is_empty() && allowed.len() == parameter.allowed_values.len() {
            for item in items.iter().filter(|item| !allowed.iter().any(|a| a == *item)) {
                fail(format!("the default {item:?} is not one of AllowedValues ({})", allowed.join(", ")));
            }
        }
        match parameter.parameter_type {
            ParameterType::String => {
                let length = default.chars().count() as u64;
                if let Some(min) = parameter.min_length.filter(|min| length < *min) {
                    fail(format!("the default {default:?} is {length} characters, under MinLength {min}"));
                }
                if let Some(max) = parameter.max_length.filter(|max| length > *max) {
                    fail(format!("the default {default:?} is {length} characters, over MaxLength {max}"));
                }
                if let Some(pattern) = &parameter.allowed_pattern {
                    let whole = stackwright_registry::Pattern::new(format!("^(?:{pattern})$"));
                    if whole.compiles() && !whole.is_match(&default) {
                        fail(format!("the default {default:?} does not match AllowedPattern {pattern:?}"));
                    }
                }
            }
            ParameterType::Number | ParameterType::NumberList => {
                for item in &items {
                    let Ok(number) = item.parse::<f64>() else {
                        fail(format!("the default {item:?} is not a number"));
                        continue;
                    };
                    if let Some(min) = parameter.min_value.filter(|min| number < *min) {
                        fail(format!("the default {item} is under MinValue {min}"));
                    }
                    if let Some(max) = parameter.max_value.filter(|max| number > *max) {
                        fail(format!("the default {item} is over MaxValue {max}"));
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn found(parameter: &serde_json::Value) -> Vec<(&'static str, String)> {
        let template = json!({"Parameters": {"P": parameter}, "Resources": {"T": {"Type": "AWS::SNS::Topic"}}});
        crate::validate_source(&template.to_string())
            .findings
            .into_iter()
            .filter(|f| f.rule.starts_with("parameter/"))
            .map(|f| (f.rule, f.message))
            .collect()
    }

    #[test]
    fn types() {
        for good in [
            "String",
            "List<AWS::EC2::Subnet::Id>",
            "AWS::SSM::Parameter::Value<List<String>>",
            "AWS::SSM::Parameter::Name",
            "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
        ] {
            assert_eq!(found(&json!({"Type": good})), [], "{good}");
        }
        for bad in ["Strin", "List<String>", "List<AWS::EC2::KeyPair::KeyName>", "AWS::SSM::Parameter::Value<Strin>"] {
            assert_eq!(found(&json!({"Type": bad})).len(), 1, "{bad}");
        }
    }

    #[test]
    fn defaults_meet_the_constraints() {
        assert_eq!(found(&json!({"Type": "String", "Default": "dev", "AllowedValues": ["dev", "prod"]})), []);
        assert_eq!(
            found(&json!({"Type": "String", "Default": "test", "AllowedValues": ["dev", "prod"]})),
            [("parameter/default", "the default \"test\" is not one of AllowedValues (dev, prod)".to_owned())]
        );
        assert_eq!(found(&json!({"Type": "String", "Default": "ab1", "AllowedPattern": "[a-z]+"})).len(), 1);
        assert_eq!(found(&json!({"Type": "String", "Default": "abc", "AllowedPattern": "[a-z]+"})), []);
        assert_eq!(found(&json!({"Type": "String", "Default": "a", "MinLength": 2, "MaxLength": 3})).len(), 1);
        assert_eq!(found(&json!({"Type": "Number", "Default": 5, "MinValue": 1, "MaxValue": 4})).len(), 1);
        assert_eq!(found(&json!({"Type": "Number", "Default": "x"})).len(), 1);
        assert_eq!(
            found(&json!({"Type": "CommaDelimitedList", "Default": "a, c", "AllowedValues": ["a", "b"]})).len(),
            1
        );
    }
}
