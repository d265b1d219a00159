//! ARNs of this account's and Region's resources, built as `Fn::Sub` so they work in every
//! partition.

use stackwright_template::{Value, fns};

/// `arn:${AWS::Partition}:<service>:${AWS::Region}:${AWS::AccountId}:<rest>`.
pub(crate) fn regional(service: &str, rest: &str) -> Value<String> {
    fns::sub(format!("arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}:{rest}"))
}

/// The ARN of the SSM parameter `name` (with or without its leading `/`).
pub(crate) fn ssm_parameter(name: &str) -> Value<String> {
    regional("ssm", &format!("parameter/{}", name.trim_start_matches('/')))
}
