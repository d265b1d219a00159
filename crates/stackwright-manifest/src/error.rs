//! Manifest errors: each names the file, line and column, the key path, and what was wrong.

use std::fmt;

/// A position in the manifest: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
}

impl Position {
    /// The start of the file.
    pub const START: Self = Self { line: 1, column: 1 };
}

/// One problem in a manifest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Where it is.
    pub position: Position,
    /// The key path (`services[0].rollout.max_percent`); empty for the whole file.
    pub path: String,
    /// What is wrong, and what was expected.
    pub message: String,
    /// The construct rule it broke (`ecs-service/min-healthy-above-max`), when a construct
    /// found it.
    pub rule: Option<&'static str>,
}

/// A manifest that cannot be read or does not synthesize: every problem found, each with its
/// position, sorted by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file as given on the command line (`stackwright.yaml`).
    pub file: String,
    /// The problems, at least one.
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    pub(crate) fn new(file: &str, mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort();
        diagnostics.dedup();
        Self { file: file.to_owned(), diagnostics }
    }

    pub(crate) fn one(file: &str, position: Position, path: String, message: String) -> Self {
        Self::new(file, vec![Diagnostic { position, path, message, rule: None }])
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, d) in self.diagnostics.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{}:{}:{}: ", self.file, d.position.line, d.position.column)?;
            if !d.path.is_empty() {
                write!(f, "{}: ", d.path)?;
            }
            write!(f, "{}", d.message)?;
            if let Some(rule) = d.rule {
                write!(f, " [{rule}]")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
