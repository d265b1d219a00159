//! Deserialization support for the generated types.
//!
//! The generated `Deserialize` impls read an object into a JSON map and take each property
//! out of it by name, instead of serde's derived visitors: the same behaviour (plus a
//! clear error for unknown properties) for about a third of the compile time.

use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value as Json};

/// The properties of one object being deserialized.
pub(crate) struct Fields {
    object: Map<String, Json>,
    expected: &'static [&'static str],
}

impl Fields {
    /// Reads an object whose property names are `expected`.
    pub(crate) fn read<'de, D: Deserializer<'de>>(
        deserializer: D,
        expected: &'static [&'static str],
    ) -> Result<Self, D::Error> {
        Ok(Self { object: Map::deserialize(deserializer)?, expected })
    }

    /// Builds the value with `build`, then rejects properties it did not take.
    pub(crate) fn build<T, E: Error>(mut self, build: impl FnOnce(&mut Self) -> Result<T, String>) -> Result<T, E> {
        let value = build(&mut self).map_err(E::custom)?;
        match self.object.keys().next() {
            None => Ok(value),
            Some(unknown) => {
                Err(E::custom(format!("unknown property `{unknown}`, expected one of: {}", self.expected.join(", "))))
            }
        }
    }

    /// Takes a required property.
    pub(crate) fn required<T: DeserializeOwned>(&mut self, name: &str) -> Result<T, String> {
        let json = self.object.remove(name).ok_or_else(|| format!("missing required property `{name}`"))?;
        serde_json::from_value(json).map_err(|error| format!("property `{name}`: {error}"))
    }

    /// Takes an optional property (`null` counts as absent).
    pub(crate) fn optional<T: DeserializeOwned>(&mut self, name: &str) -> Result<Option<T>, String> {
        match self.object.remove(name) {
            None | Some(Json::Null) => Ok(None),
            Some(json) => serde_json::from_value(json).map(Some).map_err(|error| format!("property `{name}`: {error}")),
        }
    }
}

/// Reads a string enum value, by its template name.
pub(crate) fn enum_value<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    from_name: fn(&str) -> Option<T>,
    expected: &'static [&'static str],
) -> Result<T, D::Error> {
    let name = String::deserialize(deserializer)?;
    from_name(&name).ok_or_else(|| D::Error::unknown_variant(&name, expected))
}
