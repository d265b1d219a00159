//! [`Source`]: where the seed pipeline's commits come from.

use stackwright_template::Value;

use crate::codecommit;
use crate::codepipeline::{CodeCommitSource, CodeStarSource, PushFilter};
use crate::codestar::{Connection, ConnectionProps, ProviderType};
use crate::error::Error;
use crate::path::ConstructPath;
use crate::stack::Stack;

/// The CodeStar connection a [`Source::Connection`] uses.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ConnectionChoice {
    /// A connection the stack creates (someone completes the handshake once, in the console).
    Create {
        /// The connection's name, at most 32 characters.
        name: String,
    },
    /// An existing connection's ARN.
    Existing(Value<String>),
}

/// The CodeCommit repository a [`Source::CodeCommit`] uses.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum CodeCommitChoice {
    /// A repository the stack creates (and retains).
    Create(String),
    /// An existing repository's name.
    Existing(String),
}

/// Where commits come from.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Source {
    /// GitHub, Bitbucket or GitLab through a CodeStar connection.
    Connection {
        /// The Git provider.
        provider: ProviderType,
        /// The connection.
        connection: ConnectionChoice,
        /// `owner/repository`.
        repository: String,
        /// The branch releases come from.
        branch: String,
        /// Which pushes start the pipeline. **Default:** pushes to `branch`.
        trigger: Option<PushFilter>,
    },
    /// An AWS CodeCommit repository.
    CodeCommit {
        /// The repository.
        repository: CodeCommitChoice,
        /// The branch releases come from.
        branch: String,
    },
}

impl Source {
    /// `owner/repository` on GitHub through a connection the stack creates, named `connection_name`.
    pub fn github(
        connection_name: impl Into<String>,
        repository: impl Into<String>,
        branch: impl Into<String>,
    ) -> Self {
        Self::Connection {
            provider: ProviderType::GitHub,
            connection: ConnectionChoice::Create { name: connection_name.into() },
            repository: repository.into(),
            branch: branch.into(),
            trigger: None,
        }
    }

    /// A CodeCommit repository the stack creates.
    pub fn codecommit(repository: impl Into<String>, branch: impl Into<String>) -> Self {
        Self::CodeCommit { repository: CodeCommitChoice::Create(repository.into()), branch: branch.into() }
    }

    /// Which pushes start the pipeline (connection sources only; CodeCommit starts on pushes
    /// to the branch).
    #[must_use]
    pub fn trigger(mut self, filter: PushFilter) -> Self {
        if let Self::Connection { trigger, .. } = &mut self {
            *trigger = Some(filter);
        }
        self
    }
}

/// The source action and the resources it needed.
pub(super) struct BuiltSource {
    pub(super) action: crate::codepipeline::Action,
    pub(super) connection: Option<Connection>,
    pub(super) repository: Option<codecommit::Repository>,
}

pub(super) fn build(stack: &mut Stack, path: &ConstructPath, source: Source) -> Result<BuiltSource, Error> {
    match source {
        Source::Connection { provider, connection, repository, branch, trigger } => {
            let (arn, created) = match connection {
                ConnectionChoice::Create { name } => {
                    let created =
                        Connection::new(stack, path.child("Connection"), ConnectionProps::new(name, provider))?;
                    (created.arn(), Some(created))
                }
                ConnectionChoice::Existing(arn) => (arn, None),
            };
            let filter = trigger.unwrap_or_else(|| PushFilter::branches([branch.clone()]));
            let action = CodeStarSource::new(arn, repository, branch).trigger(filter);
            Ok(BuiltSource { action: action.into(), connection: created, repository: None })
        }
        Source::CodeCommit { repository, branch } => match repository {
            CodeCommitChoice::Create(name) => {
                let created =
                    codecommit::Repository::new(stack, path.child("Code"), codecommit::RepositoryProps::new(name))?;
                let action = CodeCommitSource::from_repository(&created, branch);
                Ok(BuiltSource { action: action.into(), connection: None, repository: Some(created) })
            }
            CodeCommitChoice::Existing(name) => {
                let action = CodeCommitSource::new(name, branch);
                Ok(BuiltSource { action: action.into(), connection: None, repository: None })
            }
        },
    }
}
