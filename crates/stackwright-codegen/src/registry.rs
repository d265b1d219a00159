//! `schemas/registry.bin`: the whole registry of [`REGION`](crate::manifest::REGION), vendored
//! from the cfn-lint wheel for `stackwright-registry`, and its record in the manifest.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use stackwright_registry::archive::{self, Kind};
use stackwright_registry::vendor;

use crate::manifest::{REGION, sha256_hex};

/// The archive's file name under `schemas/`.
pub const FILE: &str = "registry.bin";

/// Where cfn-lint keeps the schemas inside its wheel.
const SCHEMAS: &str = "cfnlint/data/schemas";

/// The manifest's record of `registry.bin`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryManifest {
    /// Always [`FILE`].
    pub file: String,
    /// sha256 of the file.
    pub sha256: String,
    /// The wheel's type → schema map the archive was built from.
    pub providers: String,
    /// sha256 of that map.
    pub providers_sha256: String,
    /// Types of the region, each with its schema.
    pub types: usize,
    /// Types only other regions have (names and regions only).
    pub other_region_types: usize,
}

/// The archive built from a wheel, and its manifest record.
#[derive(Debug)]
pub struct Built {
    /// The bytes of `registry.bin`.
    pub bytes: Vec<u8>,
    /// The record for `manifest.json`.
    pub manifest: RegistryManifest,
}

/// Builds `registry.bin` from an opened wheel: every type of the region's providers map, and
/// the names of the types only other regions have (from their maps; `sam.json` is the
/// Serverless transform's, whose types exist only before the transform, and is left out).
pub fn build(archive: &mut zip::ZipArchive<std::io::Cursor<&Vec<u8>>>) -> Result<Built> {
    let providers_path = format!("{SCHEMAS}/providers/{REGION}.json");
    let providers_bytes = read(archive, &providers_path)?;
    let providers: BTreeMap<String, String> =
        serde_json::from_slice(&providers_bytes).with_context(|| format!("parsing {providers_path}"))?;
    let mut records = Vec::new();
    for (type_name, hash) in &providers {
        let source = format!("{SCHEMAS}/resources/{hash}.json");
        let original = read(archive, &source)?;
        let entry = vendor::entry(type_name, &original, &source).map_err(anyhow::Error::msg)?;
        records.push((type_name.clone(), Kind::Vendored, entry));
    }
    let mut elsewhere: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let prefix = format!("{SCHEMAS}/providers/");
    let region_files: Vec<(String, String)> = archive
        .file_names()
        .filter_map(|name| {
            let region = name.strip_prefix(&prefix)?.strip_suffix(".json")?;
            (!region.contains('/')).then(|| (name.to_owned(), region.to_owned()))
        })
        .collect();
    for (file, region) in region_files {
        if region == REGION || region == "sam" {
            continue;
        }
        let map: BTreeMap<String, String> =
            serde_json::from_slice(&read(archive, &file)?).with_context(|| format!("parsing {file}"))?;
        for type_name in map.into_keys().filter(|t| !providers.contains_key(t)) {
            elsewhere.entry(type_name).or_default().insert(region.clone());
        }
    }
    if records.is_empty() {
        bail!("{providers_path} lists no type");
    }
    let types = records.len();
    let other_region_types = elsewhere.len();
    for (type_name, regions) in elsewhere {
        records.push((type_name, Kind::OtherRegions, regions.into_iter().collect::<Vec<_>>().join(",")));
    }
    let bytes = archive::write(&records).map_err(anyhow::Error::msg)?;
    let manifest = RegistryManifest {
        file: FILE.to_owned(),
        sha256: sha256_hex(&bytes),
        providers: providers_path,
        providers_sha256: sha256_hex(&providers_bytes),
        types,
        other_region_types,
    };
    Ok(Built { bytes, manifest })
}

fn read(archive: &mut zip::ZipArchive<std::io::Cursor<&Vec<u8>>>, path: &str) -> Result<Vec<u8>> {
    let mut entry = archive.by_name(path).with_context(|| format!("{path} is not in the wheel"))?;
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).with_context(|| format!("reading {path} from the wheel"))?;
    Ok(bytes)
}
