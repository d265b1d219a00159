//! The registry schemas the judge reads: cfn-lint's copy of the us-east-1 provider schemas
//! (`cfnlint/data/schemas/providers/us-east-1.json` names each type's file in `resources/`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde_json::Value;

/// What the judge needs of one type's schema: its create-only property paths (below
/// `Properties`; `*` for every list item).
#[derive(Debug, Clone, Default)]
pub(crate) struct Replacement {
    pub(crate) create_only: Vec<Vec<String>>,
    pub(crate) conditional: Vec<Vec<String>>,
}

#[derive(Debug)]
pub(crate) struct Registry {
    dir: PathBuf,
    files: HashMap<String, String>,
    cache: HashMap<String, Replacement>,
}

impl Registry {
    /// Reads the index under `schemas` (`…/cfnlint/data/schemas`).
    pub(crate) fn open(schemas: &Path) -> Result<Registry> {
        let index = schemas.join("providers").join("us-east-1.json");
        let text = std::fs::read_to_string(&index).with_context(|| format!("cannot read {}", index.display()))?;
        let files: HashMap<String, String> = serde_json::from_str(&text).context("bad provider index")?;
        Ok(Registry { dir: schemas.join("resources"), files, cache: HashMap::new() })
    }

    /// A registry built from schemas given in memory, for tests.
    #[cfg(test)]
    pub(crate) fn from_schemas(schemas: &[(&str, Value)]) -> Registry {
        let mut registry = Registry { dir: PathBuf::new(), files: HashMap::new(), cache: HashMap::new() };
        for (name, schema) in schemas {
            registry.files.insert((*name).to_owned(), String::new());
            registry.cache.insert((*name).to_owned(), replacement(schema));
        }
        registry
    }

    /// The type's replacement rules; `None` for a type the registry does not have. A
    /// `Custom::Name` type is an `AWS::CloudFormation::CustomResource` (AWS's documentation of
    /// custom resources).
    pub(crate) fn get(&mut self, type_name: &str) -> Result<Option<&Replacement>> {
        let name = if type_name.starts_with("Custom::") { "AWS::CloudFormation::CustomResource" } else { type_name };
        if !self.cache.contains_key(name) {
            let Some(file) = self.files.get(name) else { return Ok(None) };
            let path = self.dir.join(format!("{file}.json"));
            let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let schema: Value =
                serde_json::from_str(&text).with_context(|| format!("bad schema {}", path.display()))?;
            self.cache.insert(name.to_owned(), replacement(&schema));
        }
        Ok(self.cache.get(name))
    }
}

fn replacement(schema: &Value) -> Replacement {
    let paths = |key: &str| -> Vec<Vec<String>> {
        schema
            .get(key)
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .filter_map(|p| p.strip_prefix("/properties/"))
                    .map(|p| p.split('/').map(str::to_owned).collect())
                    .collect()
            })
            .unwrap_or_default()
    };
    Replacement { create_only: paths("createOnlyProperties"), conditional: paths("conditionalCreateOnlyProperties") }
}
