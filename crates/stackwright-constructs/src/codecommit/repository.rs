//! [`Repository`]: a CodeCommit repository, kept when the stack is deleted.

use stackwright_cfn::codecommit;
use stackwright_template::{LogicalId, RemovalPolicy, ResourceOptions, ResourceRef, Value};

use crate::error::{Checks, Error};
use crate::path::ConstructPath;
use crate::stack::Stack;

/// Properties of a [`Repository`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RepositoryProps {
    /// The repository's name: 1-100 of A-Z a-z 0-9 . _ -, not ending in `.git`. **Required.**
    pub name: String,
    /// **Default:** none.
    pub description: Option<String>,
    /// **Default:** [`RemovalPolicy::Retain`]: the repository holds the source history.
    pub removal_policy: RemovalPolicy,
}

impl RepositoryProps {
    /// A repository named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), description: None, removal_policy: RemovalPolicy::Retain }
    }

    /// See [`RepositoryProps::description`].
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// See [`RepositoryProps::removal_policy`].
    #[must_use]
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }
}

/// A CodeCommit repository.
#[derive(Debug, Clone)]
pub struct Repository {
    path: ConstructPath,
    name: String,
    resource: ResourceRef<codecommit::Repository>,
}

impl Repository {
    /// Adds the repository at `path`.
    pub fn new(stack: &mut Stack, path: impl Into<ConstructPath>, props: RepositoryProps) -> Result<Self, Error> {
        let path = path.into();
        let mut checks = Checks::new(&path);
        let name = &props.name;
        checks.require(is_repository_name(name), "codecommit-repository/name", || {
            format!("name must be 1-100 of A-Z a-z 0-9 . _ - and not end in .git, got {name:?}")
        });
        stack.record(checks);
        let mut repository = codecommit::Repository::new(props.name.clone());
        if let Some(text) = props.description {
            repository = repository.repository_description(text);
        }
        let resource =
            stack.add_with(&path, repository, ResourceOptions::new().removal_policy(props.removal_policy))?;
        Ok(Self { path, name: props.name, resource })
    }

    /// The repository's name, known before deploy.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The repository's ARN.
    pub fn arn(&self) -> Value<String> {
        self.resource.arn()
    }

    /// The repository's construct path.
    pub fn path(&self) -> &ConstructPath {
        &self.path
    }

    /// The repository's logical ID.
    pub fn logical_id(&self) -> &LogicalId {
        self.resource.logical_id()
    }

    /// The L1 resource: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<codecommit::Repository> {
        &self.resource
    }
}

/// CodeCommit's rule for repository names.
pub(crate) fn is_repository_name(name: &str) -> bool {
    (1..=100).contains(&name.len())
        && !name.to_ascii_lowercase().ends_with(".git")
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use stackwright_template::DeletionPolicy;

    #[test]
    fn retained_by_default_and_name_checked() {
        let mut stack = Stack::new("t").unwrap();
        let repo = Repository::new(&mut stack, "Source", RepositoryProps::new("app").description("App")).unwrap();
        assert_eq!(repo.name(), "app");
        let mut bad = Stack::new("bad").unwrap();
        Repository::new(&mut bad, "Bad", RepositoryProps::new("app.git")).unwrap();
        assert_eq!(
            bad.finish().unwrap_err().to_string(),
            "Bad: name must be 1-100 of A-Z a-z 0-9 . _ - and not end in .git, got \"app.git\" [codecommit-repository/name]"
        );
        let done = stack.finish().unwrap();
        let r = &done.template().resources()[&LogicalId::new("Source").unwrap()];
        assert_eq!(r.properties["RepositoryName"], "app");
        assert_eq!(r.properties["RepositoryDescription"], "App");
        assert_eq!(r.deletion_policy, Some(DeletionPolicy::Retain.into()));
    }
}
