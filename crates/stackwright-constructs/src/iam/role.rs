//! [`Role`]: an IAM role whose inline policy grows with the grants made to it.

use stackwright_cfn::iam;
use stackwright_template::{Json, LogicalId, ResourceRef, Value};

use crate::error::Error;
use crate::iam::{Action, PolicyDocument, Principal, Statement};
use crate::path::ConstructPath;
use crate::stack::{PolicySlot, Stack};

const ASSUME_ROLE: Action = Action::from_static("sts:AssumeRole");

/// Something permissions can be granted to.
pub trait Grantee {
    /// Adds `statement` to the grantee's own policy.
    fn grant(&self, stack: &mut Stack, statement: Statement) -> Result<(), Error>;
    /// The grantee's ARN.
    fn arn(&self) -> Value<String>;
}

/// Properties of a [`Role`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RoleProps {
    /// The service that assumes the role. **Required.**
    pub assumed_by: Principal,
    /// Conditions on the trust policy, e.g. `aws:SourceAccount`. **Default:** the assuming
    /// service must act for this account (`aws:SourceAccount` = the stack's account), which
    /// stops the confused-deputy problem.
    pub source_account_condition: bool,
    /// What the role is for. **Default:** none.
    pub description: Option<String>,
    /// Managed policies attached to the role. **Default:** none; grants are inline and scoped.
    pub managed_policy_arns: Vec<Value<String>>,
}

impl RoleProps {
    /// A role that `assumed_by` may assume.
    pub fn new(assumed_by: Principal) -> Self {
        Self { assumed_by, source_account_condition: true, description: None, managed_policy_arns: Vec::new() }
    }

    /// See [`RoleProps::description`].
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// See [`RoleProps::source_account_condition`].
    #[must_use]
    pub fn source_account_condition(mut self, yes: bool) -> Self {
        self.source_account_condition = yes;
        self
    }

    /// See [`RoleProps::managed_policy_arns`].
    #[must_use]
    pub fn managed_policy(mut self, arn: impl Into<Value<String>>) -> Self {
        self.managed_policy_arns.push(arn.into());
        self
    }
}

/// An IAM role. Its inline policy, `Default`, holds every grant made to it and is written when
/// the stack is finished.
#[derive(Debug, Clone)]
pub struct Role {
    path: ConstructPath,
    resource: ResourceRef<iam::Role>,
}

impl Role {
    /// Adds the role at `path`.
    pub fn new(stack: &mut Stack, path: impl Into<ConstructPath>, props: RoleProps) -> Result<Self, Error> {
        let path = path.into();
        let mut trust = Statement::allow([ASSUME_ROLE]).principal(props.assumed_by);
        if props.source_account_condition {
            trust = trust.condition("StringEquals", "aws:SourceAccount", serde_json::json!({"Ref": "AWS::AccountId"}));
        }
        // A trust policy has no Resource element.
        let mut trust_json = PolicyDocument::from_statements([trust]).to_json();
        if let Some(statement) = trust_json.pointer_mut("/Statement/0").and_then(Json::as_object_mut) {
            statement.remove("Resource");
        }
        let mut role = iam::Role::new(Value::Literal(trust_json));
        if let Some(text) = props.description {
            role = role.description(text);
        }
        if !props.managed_policy_arns.is_empty() {
            role = role.managed_policy_arns(props.managed_policy_arns);
        }
        let resource = stack.add(&path, role)?;
        stack.register_policy(
            &path,
            resource.logical_id().clone(),
            PolicySlot::RoleInline("Default"),
            PolicyDocument::new(),
        );
        Ok(Self { path, resource })
    }

    /// The role's construct path.
    pub fn path(&self) -> &ConstructPath {
        &self.path
    }

    /// The role's logical ID.
    pub fn logical_id(&self) -> &LogicalId {
        self.resource.logical_id()
    }

    /// The L1 resource: the escape hatch (see [`Stack::override_resource`]).
    pub fn resource(&self) -> &ResourceRef<iam::Role> {
        &self.resource
    }
}

impl Grantee for Role {
    fn grant(&self, stack: &mut Stack, statement: Statement) -> Result<(), Error> {
        stack.add_statement(self.resource.logical_id(), statement)
    }

    fn arn(&self) -> Value<String> {
        self.resource.arn()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn grants_become_one_inline_policy_and_trust_is_account_scoped() {
        let mut stack = Stack::new("t").unwrap();
        let role =
            Role::new(&mut stack, "TaskRole", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com"))).unwrap();
        let read = Action::from_static("s3:GetObject");
        role.grant(&mut stack, Statement::allow([read]).on("arn:aws:s3:::a/*")).unwrap();
        role.grant(&mut stack, Statement::allow([Action::from_static("s3:PutObject")]).on("arn:aws:s3:::a/*")).unwrap();
        let done = stack.finish().unwrap();
        let r = &done.template().resources()[&LogicalId::new("TaskRole").unwrap()];
        assert_eq!(
            r.properties["Policies"][0]["PolicyDocument"]["Statement"][0]["Action"],
            json!(["s3:GetObject", "s3:PutObject"])
        );
        let trust = &r.properties["AssumeRolePolicyDocument"]["Statement"][0];
        assert_eq!(trust["Condition"]["StringEquals"]["aws:SourceAccount"], json!({"Ref": "AWS::AccountId"}));
        assert!(trust.get("Resource").is_none());
    }

    #[test]
    fn a_role_without_grants_has_no_inline_policy() {
        let mut stack = Stack::new("t").unwrap();
        Role::new(&mut stack, "Idle", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com"))).unwrap();
        let done = stack.finish().unwrap();
        assert!(!done.template().resources()[&LogicalId::new("Idle").unwrap()].properties.contains_key("Policies"));
    }
}
