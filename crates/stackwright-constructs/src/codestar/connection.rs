//! [`Connection`]: a CodeStar connection to a Git provider.

use stackwright_cfn::codestarconnections as l1;
use stackwright_template::{LogicalId, ResourceRef, Value};

use crate::error::{Checks, Error};
use crate::path::ConstructPath;
use crate::stack::Stack;

pub use l1::connection::ProviderType;

/// Properties of a [`Connection`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ConnectionProps {
    /// The connection's name, 1-32 characters. **Required.**
    pub name: String,
    /// The Git provider. **Required.**
    pub provider: ProviderType,
}

impl ConnectionProps {
    /// A connection named `name` to `provider`.
    pub fn new(name: impl Into<String>, provider: ProviderType) -> Self {
        Self { name: name.into(), provider }
    }
}

/// A CodeStar connection. CloudFormation creates it in the `PENDING` state: an administrator
/// completes the handshake with the provider once, in the console, before the first run.
#[derive(Debug, Clone)]
pub struct Connection {
    path: ConstructPath,
    resource: ResourceRef<l1::Connection>,
}

impl Connection {
    /// Adds the connection at `path`.
    pub fn new(stack: &mut Stack, path: impl Into<ConstructPath>, props: ConnectionProps) -> Result<Self, Error> {
        let path = path.into();
        let mut checks = Checks::new(&path);
        let name = &props.name;
        // The API's rule for ConnectionName: 1-32 characters.
        checks.require((1..=32).contains(&name.chars().count()), "codestar-connection/name", || {
            format!("name must be 1-32 characters, got {name:?}")
        });
        stack.record(checks);
        let resource = stack.add(&path, l1::Connection::new(props.name).provider_type(props.provider))?;
        Ok(Self { path, resource })
    }

    /// The connection's ARN.
    pub fn arn(&self) -> Value<String> {
        self.resource.connection_arn()
    }

    /// The connection's construct path.
    pub fn path(&self) -> &ConstructPath {
        &self.path
    }

    /// The connection's logical ID.
    pub fn logical_id(&self) -> &LogicalId {
        self.resource.logical_id()
    }

    /// The L1 resource: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<l1::Connection> {
        &self.resource
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_name_and_provider_and_checks_the_name() {
        let mut stack = Stack::new("t").unwrap();
        let connection =
            Connection::new(&mut stack, "GitHub", ConnectionProps::new("app-github", ProviderType::GitHub)).unwrap();
        assert_eq!(connection.arn().to_json(), serde_json::json!({"Fn::GetAtt": ["GitHub", "ConnectionArn"]}));
        let mut bad = Stack::new("bad").unwrap();
        Connection::new(&mut bad, "Bad", ConnectionProps::new("x".repeat(33), ProviderType::GitLab)).unwrap();
        assert_eq!(
            bad.finish().unwrap_err().to_string(),
            format!("Bad: name must be 1-32 characters, got \"{}\" [codestar-connection/name]", "x".repeat(33))
        );
        let done = stack.finish().unwrap();
        let p = &done.template().resources()[&LogicalId::new("GitHub").unwrap()].properties;
        assert_eq!(p["ConnectionName"], "app-github");
        assert_eq!(p["ProviderType"], "GitHub");
    }
}
