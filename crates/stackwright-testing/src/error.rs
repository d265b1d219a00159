//! The errors of loading a template and of an assertion that does not hold.

use std::fmt;
use std::path::PathBuf;

/// Why a template could not be loaded for assertions.
#[derive(Debug)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is not JSON or YAML (`file:line:column: message`).
    Syntax {
        /// The file.
        path: PathBuf,
        /// Where and why.
        error: stackwright_template::read::ReadError,
    },
    /// The document is JSON but not a template.
    NotATemplate {
        /// The file, or `JSON` for a value handed over directly.
        source: String,
        /// Why.
        message: String,
    },
    /// The app has no stack of that name.
    NoStack {
        /// The name asked for.
        name: String,
        /// The app's stacks.
        known: Vec<String>,
    },
    /// The app's deferred stack of that name failed to build.
    Build {
        /// The stack.
        name: String,
        /// Why (the builder's error).
        message: String,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => write!(f, "{}: cannot read the template: {source}", path.display()),
            Self::Syntax { path, error } => write!(
                f,
                "{}:{}:{}: not a {} template: {}",
                path.display(),
                error.position.line,
                error.position.column,
                error.format,
                error.message
            ),
            Self::NotATemplate { source, message } => write!(f, "{source}: not a template: {message}"),
            Self::NoStack { name, known } if known.is_empty() => {
                write!(f, "the app has no stack named {name:?}: it has no stacks")
            }
            Self::NoStack { name, known } => {
                write!(f, "the app has no stack named {name:?}; its stacks: {}", known.join(", "))
            }
            Self::Build { name, message } => write!(f, "the app's stack {name} does not build: {message}"),
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            Self::Syntax { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// An assertion that does not hold: the message says what was expected, what is closest and
/// where it differs. The panicking assertions panic with this message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssertionError {
    message: String,
}

impl AssertionError {
    pub(crate) fn new(message: String) -> Self {
        Self { message }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for AssertionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AssertionError {}

/// Panics with the assertion's message: the contract of the panicking forms.
#[track_caller]
pub(crate) fn or_panic(result: Result<(), AssertionError>) {
    if let Err(error) = result {
        panic!("{error}");
    }
}
