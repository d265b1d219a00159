//! Source actions: CodeStar connections (GitHub, Bitbucket, GitLab), CodeCommit, ECR and S3.

use serde_json::{Value as Json, json};
use stackwright_template::{Value, fns};

use super::{PushFilter, configuration};
use crate::arn;
use crate::codecommit::is_repository_name;
use crate::ecr;
use crate::error::{Checks, Error};
use crate::iam::{Action, Grantee, Role, Statement};
use crate::s3::Bucket;
use crate::stack::Stack;

const USE_CONNECTION: [Action; 2] =
    [Action::from_static("codestar-connections:UseConnection"), Action::from_static("codeconnections:UseConnection")];
const CODECOMMIT_SOURCE: [Action; 5] = [
    Action::from_static("codecommit:CancelUploadArchive"),
    Action::from_static("codecommit:GetBranch"),
    Action::from_static("codecommit:GetCommit"),
    Action::from_static("codecommit:GetUploadArchiveStatus"),
    Action::from_static("codecommit:UploadArchive"),
];
const ECR_DESCRIBE_IMAGES: Action = Action::from_static("ecr:DescribeImages");
const S3_SOURCE_OBJECT: [Action; 2] = [Action::from_static("s3:GetObject"), Action::from_static("s3:GetObjectVersion")];
const S3_SOURCE_BUCKET: Action = Action::from_static("s3:GetBucketVersioning");

/// A Git repository on GitHub, Bitbucket or GitLab, through a CodeStar connection.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CodeStarSource {
    /// **Default:** `Source`.
    pub name: String,
    /// The connection's ARN: [`crate::codestar::Connection::arn`] or an existing one.
    pub connection_arn: Value<String>,
    /// `owner/repository`.
    pub repository: String,
    /// The branch to build.
    pub branch: String,
    /// The output artifact. **Default:** `Source`.
    pub output: String,
    /// A V2 trigger that filters pushes by branch and file path. **Default:** none: every
    /// push to `branch` starts the pipeline.
    pub trigger: Option<PushFilter>,
    /// **Default:** 1.
    pub run_order: u32,
}

impl CodeStarSource {
    /// Builds `branch` of `repository` (`owner/name`) read through `connection_arn`.
    pub fn new(
        connection_arn: impl Into<Value<String>>,
        repository: impl Into<String>,
        branch: impl Into<String>,
    ) -> Self {
        Self {
            name: "Source".into(),
            connection_arn: connection_arn.into(),
            repository: repository.into(),
            branch: branch.into(),
            output: "Source".into(),
            trigger: None,
            run_order: 1,
        }
    }

    /// See [`CodeStarSource::name`].
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// See [`CodeStarSource::output`].
    #[must_use]
    pub fn output(mut self, name: impl Into<String>) -> Self {
        self.output = name.into();
        self
    }

    /// See [`CodeStarSource::trigger`].
    #[must_use]
    pub fn trigger(mut self, filter: PushFilter) -> Self {
        self.trigger = Some(filter);
        self
    }

    /// See [`CodeStarSource::run_order`].
    #[must_use]
    pub fn run_order(mut self, order: u32) -> Self {
        self.run_order = order;
        self
    }

    pub(crate) fn check(&self, checks: &mut Checks) {
        let repo = &self.repository;
        let parts: Vec<&str> = repo.split('/').collect();
        checks.require(parts.len() >= 2 && parts.iter().all(|p| !p.is_empty()), "codestar-source/repository", || {
            format!("action {}: repository must be `owner/name`, got {repo:?}", self.name)
        });
        checks.require(!self.branch.is_empty(), "codestar-source/branch", || {
            format!("action {}: branch must not be empty", self.name)
        });
        if let Some(filter) = &self.trigger {
            filter.check(&self.name, checks);
        }
    }

    pub(crate) fn grant(&self, stack: &mut Stack, role: &Role) -> Result<(), Error> {
        // Connections made since 2024 are `codeconnections` ARNs, older ones `codestar-connections`:
        // each action only matches ARNs of its own service, so both are named on this one ARN.
        role.grant(stack, Statement::allow(USE_CONNECTION).on(self.connection_arn.clone()))
    }

    pub(crate) fn configuration(&self) -> Option<Json> {
        configuration([
            ("BranchName", json!(self.branch)),
            ("ConnectionArn", self.connection_arn.to_json()),
            ("DetectChanges", json!("true")),
            ("FullRepositoryId", json!(self.repository)),
            ("OutputArtifactFormat", json!("CODE_ZIP")),
        ])
    }
}

/// A branch of a CodeCommit repository. Pushes start the pipeline through an EventBridge rule
/// the pipeline adds (polling is off).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CodeCommitSource {
    /// **Default:** `Source`.
    pub name: String,
    /// The repository's name: [`crate::codecommit::Repository::name`] or an existing one's.
    pub repository_name: String,
    /// A `Ref` to the repository when this stack creates it, so the pipeline is created after
    /// it. **Default:** none (an existing repository, named literally).
    pub repository_ref: Option<Value<String>>,
    /// The branch to build.
    pub branch: String,
    /// The output artifact. **Default:** `Source`.
    pub output: String,
    /// **Default:** 1.
    pub run_order: u32,
}

impl CodeCommitSource {
    /// Builds `branch` of the existing CodeCommit repository `repository_name`.
    pub fn new(repository_name: impl Into<String>, branch: impl Into<String>) -> Self {
        Self {
            name: "Source".into(),
            repository_name: repository_name.into(),
            repository_ref: None,
            branch: branch.into(),
            output: "Source".into(),
            run_order: 1,
        }
    }

    /// Builds `branch` of `repository`, created in this stack.
    pub fn from_repository(repository: &crate::codecommit::Repository, branch: impl Into<String>) -> Self {
        Self { repository_ref: Some(repository.resource().ref_()), ..Self::new(repository.name(), branch) }
    }

    /// See [`CodeCommitSource::name`].
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// See [`CodeCommitSource::output`].
    #[must_use]
    pub fn output(mut self, name: impl Into<String>) -> Self {
        self.output = name.into();
        self
    }

    /// The repository's ARN.
    pub fn repository_arn(&self) -> Value<String> {
        arn::regional("codecommit", &self.repository_name)
    }

    pub(crate) fn check(&self, checks: &mut Checks) {
        let name = &self.repository_name;
        checks.require(is_repository_name(name), "codecommit-source/repository", || {
            format!("action {}: repository_name must be 1-100 of A-Z a-z 0-9 . _ -, got {name:?}", self.name)
        });
        checks.require(!self.branch.is_empty(), "codecommit-source/branch", || {
            format!("action {}: branch must not be empty", self.name)
        });
    }

    pub(crate) fn grant(&self, stack: &mut Stack, role: &Role) -> Result<(), Error> {
        role.grant(stack, Statement::allow(CODECOMMIT_SOURCE).on(self.repository_arn()))
    }

    pub(crate) fn configuration(&self) -> Option<Json> {
        configuration([
            ("BranchName", json!(self.branch)),
            ("OutputArtifactFormat", json!("CODE_ZIP")),
            ("PollForSourceChanges", json!("false")),
            (
                "RepositoryName",
                self.repository_ref.as_ref().map_or_else(|| json!(self.repository_name), Value::to_json),
            ),
        ])
    }
}

/// An image tag in an ECR repository (e.g. a base image); the output holds
/// `imageDetail.json`. Runs on demand: the pipeline adds no change-detection rule for it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EcrSource {
    /// **Default:** `Image`.
    pub name: String,
    /// The repository's name.
    pub repository_name: Value<String>,
    /// The repository's ARN.
    pub repository_arn: Value<String>,
    /// The tag to watch.
    pub tag: String,
    /// The output artifact. **Default:** `Image`.
    pub output: String,
    /// **Default:** 1.
    pub run_order: u32,
}

impl EcrSource {
    /// The image tagged `tag` in `repository`.
    pub fn new(repository: &ecr::Repository, tag: impl Into<String>) -> Self {
        Self {
            name: "Image".into(),
            repository_name: repository.name(),
            repository_arn: repository.arn(),
            tag: tag.into(),
            output: "Image".into(),
            run_order: 1,
        }
    }

    /// See [`EcrSource::name`].
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// See [`EcrSource::output`].
    #[must_use]
    pub fn output(mut self, name: impl Into<String>) -> Self {
        self.output = name.into();
        self
    }

    pub(crate) fn grant(&self, stack: &mut Stack, role: &Role) -> Result<(), Error> {
        role.grant(stack, Statement::allow([ECR_DESCRIBE_IMAGES]).on(self.repository_arn.clone()))
    }

    pub(crate) fn configuration(&self) -> Option<Json> {
        configuration([("ImageTag", json!(self.tag)), ("RepositoryName", self.repository_name.to_json())])
    }
}

/// A zip object in a versioned S3 bucket. Runs on demand: the pipeline adds no
/// change-detection rule for it (that needs a `CloudTrail` trail).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct S3Source {
    /// **Default:** `Source`.
    pub name: String,
    /// The bucket's name.
    pub bucket_name: Value<String>,
    /// The bucket's ARN.
    pub bucket_arn: Value<String>,
    /// The object's key.
    pub key: String,
    /// The output artifact. **Default:** `Source`.
    pub output: String,
    /// **Default:** 1.
    pub run_order: u32,
}

impl S3Source {
    /// The object `key` in `bucket`.
    pub fn new(bucket: &Bucket, key: impl Into<String>) -> Self {
        Self {
            name: "Source".into(),
            bucket_name: bucket.name(),
            bucket_arn: bucket.arn(),
            key: key.into(),
            output: "Source".into(),
            run_order: 1,
        }
    }

    /// See [`S3Source::name`].
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// See [`S3Source::output`].
    #[must_use]
    pub fn output(mut self, name: impl Into<String>) -> Self {
        self.output = name.into();
        self
    }

    pub(crate) fn grant(&self, stack: &mut Stack, role: &Role) -> Result<(), Error> {
        let object = fns::sub_with(format!("${{Arn}}/{}", self.key), [("Arn", self.bucket_arn.clone())]);
        role.grant(stack, Statement::allow(S3_SOURCE_OBJECT).on(object))?;
        role.grant(stack, Statement::allow([S3_SOURCE_BUCKET]).on(self.bucket_arn.clone()))
    }

    pub(crate) fn configuration(&self) -> Option<Json> {
        configuration([
            ("PollForSourceChanges", json!("false")),
            ("S3Bucket", self.bucket_name.to_json()),
            ("S3ObjectKey", json!(self.key)),
        ])
    }
}
