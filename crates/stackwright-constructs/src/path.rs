//! Construct paths: where a construct sits in the stack, and the logical IDs derived from it.

use std::fmt;

use stackwright_template::{Error, LogicalId};

/// The path of a construct inside its stack, e.g. `Web/Service/TaskRole`.
///
/// A resource's logical ID is its path's segments concatenated (`WebServiceTaskRole`): stable
/// and readable, with no hash suffix. Two paths that concatenate to the same ID are reported by
/// the template as a duplicate naming both construct paths, never merged silently.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConstructPath(Vec<String>);

impl ConstructPath {
    /// A top-level construct.
    pub fn root(id: impl Into<String>) -> Self {
        Self(vec![id.into()])
    }

    /// A construct inside this one.
    #[must_use]
    pub fn child(&self, id: impl Into<String>) -> Self {
        let mut segments = self.0.clone();
        segments.push(id.into());
        Self(segments)
    }

    /// The logical ID of the resource this path names.
    pub fn logical_id(&self) -> Result<LogicalId, Error> {
        LogicalId::new(self.0.concat())
    }

    /// The segments, outermost first.
    pub fn segments(&self) -> &[String] {
        &self.0
    }

    /// The last segment.
    pub fn id(&self) -> &str {
        self.0.last().map_or("", String::as_str)
    }
}

impl fmt::Display for ConstructPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("/"))
    }
}

impl From<&str> for ConstructPath {
    fn from(id: &str) -> Self {
        Self::root(id)
    }
}

impl From<&ConstructPath> for ConstructPath {
    fn from(path: &ConstructPath) -> Self {
        path.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logical_ids_concatenate_segments() {
        let path = ConstructPath::root("Web").child("Service").child("TaskRole");
        assert_eq!(path.to_string(), "Web/Service/TaskRole");
        assert_eq!(path.logical_id().unwrap().as_str(), "WebServiceTaskRole");
        assert_eq!(path.id(), "TaskRole");
    }

    #[test]
    fn segments_that_make_an_invalid_id_are_an_error() {
        let err = ConstructPath::root("web-service").logical_id().unwrap_err();
        assert!(err.to_string().contains("web-service"), "{err}");
    }
}
