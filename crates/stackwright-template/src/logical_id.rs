//! Logical IDs: the names of resources, parameters, conditions, mappings and outputs.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;

/// The longest logical ID CloudFormation accepts.
pub const MAX_LOGICAL_ID_LEN: usize = 255;

/// A validated CloudFormation logical ID: 1 to 255 ASCII letters and digits.
///
/// ```
/// use stackwright_template::LogicalId;
/// assert!(LogicalId::new("AppRepository").is_ok());
/// assert!(LogicalId::new("app-repository").is_err());
/// const REPO: LogicalId = LogicalId::from_static("AppRepository"); // checked at compile time
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LogicalId(Cow<'static, str>);

impl LogicalId {
    /// Validates `id` and wraps it.
    pub fn new(id: impl Into<String>) -> Result<Self, Error> {
        let id = id.into();
        match check(&id) {
            Ok(()) => Ok(Self(Cow::Owned(id))),
            Err(reason) => Err(Error::InvalidLogicalId { id, reason }),
        }
    }

    /// A logical ID known when the program is compiled. In a `const` the check runs at
    /// compile time, so an invalid literal does not build.
    ///
    /// # Panics
    ///
    /// When `id` is not a valid logical ID (at compile time when used in a `const`).
    pub const fn from_static(id: &'static str) -> Self {
        // invariant: a compile-time check. In a `const` item a bad literal fails the build;
        // run-time IDs go through `LogicalId::new`, which returns an error instead.
        assert!(check(id).is_ok(), "invalid logical ID literal: use 1 to 255 ASCII letters and digits");
        Self(Cow::Borrowed(id))
    }

    /// A condition name as another tool wrote it, unchecked but for being non-empty: templates
    /// CloudFormation deploys name conditions `A&B` or `Use-Cmk`, which logical IDs may not
    /// hold. For readers that must take every deployable template (`diff`), never for synth.
    pub(crate) fn lenient_condition(id: &str) -> Option<Self> {
        (!id.is_empty()).then(|| Self(Cow::Owned(id.to_owned())))
    }

    /// The ID as written in the template.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

const fn check(id: &str) -> Result<(), &'static str> {
    let bytes = id.as_bytes();
    if bytes.is_empty() {
        return Err("it is empty");
    }
    if bytes.len() > MAX_LOGICAL_ID_LEN {
        return Err("it is longer than 255 characters");
    }
    let mut rest = bytes;
    while let Some((byte, tail)) = rest.split_first() {
        if !byte.is_ascii_alphanumeric() {
            return Err("only ASCII letters and digits are allowed");
        }
        rest = tail;
    }
    Ok(())
}

impl fmt::Display for LogicalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for LogicalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LogicalId({:?})", self.as_str())
    }
}

impl AsRef<str> for LogicalId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<&str> for LogicalId {
    type Error = Error;
    fn try_from(id: &str) -> Result<Self, Error> {
        Self::new(id)
    }
}

impl TryFrom<String> for LogicalId {
    type Error = Error;
    fn try_from(id: String) -> Result<Self, Error> {
        Self::new(id)
    }
}

impl Serialize for LogicalId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for LogicalId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = String::deserialize(deserializer)?;
        Self::new(id).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_alphanumerics_up_to_255() {
        assert!(LogicalId::new("A").is_ok());
        assert!(LogicalId::new("Repo1").is_ok());
        assert!(LogicalId::new("a".repeat(255)).is_ok());
    }

    #[test]
    fn rejects_empty_long_and_punctuated_ids() {
        for (bad, why) in [
            ("", "it is empty"),
            ("my-repo", "only ASCII letters and digits are allowed"),
            ("Répo", "only ASCII letters and digits are allowed"),
            ("A B", "only ASCII letters and digits are allowed"),
        ] {
            let err = LogicalId::new(bad).unwrap_err();
            assert_eq!(err, Error::InvalidLogicalId { id: bad.into(), reason: why });
        }
        let long = "a".repeat(256);
        assert!(matches!(LogicalId::new(long), Err(Error::InvalidLogicalId { reason, .. }) if reason.contains("255")));
    }

    #[test]
    fn error_message_names_the_id_and_rule() {
        let err = LogicalId::new("my-repo").unwrap_err();
        assert_eq!(err.to_string(), "invalid logical ID \"my-repo\": only ASCII letters and digits are allowed");
    }
}
