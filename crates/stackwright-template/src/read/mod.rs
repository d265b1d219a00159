//! Reading template files, JSON or YAML, through one entry point: [`read`] gives the document
//! as JSON ([`Template::from_json`](crate::Template::from_json) parses it), where each value
//! is written ([`Positions`]: JSON pointer → line and column, for messages that name
//! `file:line:column`), and the keys written twice ([`DuplicateKey`]), which both formats
//! allow and CloudFormation reads as last-wins.
//!
//! [`Format::detect`] decides the format from the file name and the text; YAML short-form tags
//! (`!Ref`, `!Sub`…) become their functions ([`yaml`]). Positions are only built here, for
//! files: templates built in Rust never pay for them.

mod json;
mod lax;
mod positions;
mod tags;
pub mod yaml;

use std::fmt;
use std::path::Path;

pub use positions::{DuplicateKey, Position, Positions};

use crate::value::Json;

/// The syntax of a template file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JSON.
    Json,
    /// YAML, CloudFormation's short-form tags included.
    Yaml,
}

impl Format {
    /// The format of a file: YAML when its name ends in `.yaml` or `.yml`, JSON when it ends
    /// in `.json` (any case); otherwise (`app.template`, no extension) JSON when the text
    /// starts with `{` (after white space), YAML when it does not.
    pub fn detect(path: &Path, text: &[u8]) -> Self {
        let has = |name: &str| path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case(name));
        if has("yaml") || has("yml") {
            Self::Yaml
        } else if has("json") || text.trim_ascii_start().starts_with(b"{") {
            Self::Json
        } else {
            Self::Yaml
        }
    }

    /// `JSON` or `YAML`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Json => "JSON",
            Self::Yaml => "YAML",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A template file read: its value, where each value is written, and the keys written twice.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The document as JSON (YAML short forms converted; of keys written twice, the last).
    pub value: Json,
    /// The syntax it was read as.
    pub format: Format,
    /// Where each value is written.
    pub positions: Positions,
    /// Keys written twice in one object, in document order.
    pub duplicates: Vec<DuplicateKey>,
}

/// Why a file's text is not a JSON or YAML document (or expands too far).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The syntax it was read as.
    pub format: Format,
    /// Where reading stopped.
    pub position: Position,
    /// What is wrong there.
    pub message: String,
}

/// `line L column C: message`.
impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} column {}: {}", self.position.line, self.position.column, self.message)
    }
}

impl std::error::Error for ReadError {}

/// Reads a template file's text in `format`, with positions and duplicate keys.
pub fn read(text: &str, format: Format) -> Result<Document, ReadError> {
    match format {
        Format::Json => json::read(text),
        Format::Yaml => yaml::read(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_comes_from_the_name_then_the_text() {
        let detect = |name: &str, text: &str| Format::detect(Path::new(name), text.as_bytes());
        assert_eq!(detect("a.yaml", "{}"), Format::Yaml);
        assert_eq!(detect("a.YML", "{}"), Format::Yaml);
        assert_eq!(detect("a.json", "Resources: {}"), Format::Json);
        assert_eq!(detect("a.template", "  \n{\"Resources\": {}}"), Format::Json);
        assert_eq!(detect("a.template", "Resources: {}"), Format::Yaml);
        assert_eq!(detect("template", ""), Format::Yaml);
    }

    #[test]
    fn both_formats_read_to_the_same_value() {
        let json = read(r#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#, Format::Json).unwrap();
        let yaml = read("Resources:\n  T:\n    Type: AWS::SNS::Topic\n", Format::Yaml).unwrap();
        assert_eq!(json.value, yaml.value);
        assert_eq!(json.positions.get("/Resources/T/Type").map(|p| p.line), Some(1));
        assert_eq!(yaml.positions.get("/Resources/T/Type").map(|p| p.line), Some(3));
    }
}
