//! `schemas/`: the vendored registry schemas, their manifest, and the refresh from a
//! cfn-lint wheel.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::registry::{self, RegistryManifest};

/// Where the schemas come from.
pub const SOURCE: &str = "PyPI wheel cfn-lint";
/// The provider region whose schemas are vendored.
pub const REGION: &str = "us-east-1";

/// `schemas/manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`SOURCE`].
    pub source: String,
    /// cfn-lint version.
    pub version: String,
    /// File name of the wheel.
    pub wheel: String,
    /// sha256 of the wheel.
    pub wheel_sha256: String,
    /// Provider region.
    pub region: String,
    /// One entry per vendored type, sorted by type name.
    pub types: Vec<ManifestEntry>,
    /// The whole registry of the region, for `stackwright-registry`.
    pub registry: RegistryManifest,
}

/// One vendored schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// `AWS::ECR::Repository`.
    pub type_name: String,
    /// File name under `schemas/`: `aws-ecr-repository.json`.
    pub file: String,
    /// Path of the schema inside the wheel.
    pub wheel_path: String,
    /// sha256 of the file.
    pub sha256: String,
}

impl Manifest {
    /// Reads `schemas/manifest.json`.
    pub fn load(schemas_dir: &Path) -> Result<Self> {
        let path = schemas_dir.join("manifest.json");
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    /// The manifest as written to disk: pretty JSON and a trailing newline.
    ///
    /// # Panics
    ///
    /// Never: the manifest is strings only.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("the manifest serializes");
        text.push('\n');
        text
    }
}

/// The schema file name of a type: `AWS::ECR::Repository` → `aws-ecr-repository.json`.
pub fn file_name(type_name: &str) -> String {
    format!("{}.json", type_name.to_ascii_lowercase().replace("::", "-"))
}

/// Whether a file name under `schemas/` is a vendored schema (`aws-….json`).
pub fn is_schema_file(name: &str) -> bool {
    name.starts_with("aws-") && Path::new(name).extension().is_some_and(|e| e == "json")
}

/// Lower-case hex sha256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(bytes).iter().fold(String::with_capacity(64), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

/// The wanted type names from `schemas/types.txt` (one per line, `#` comments), sorted.
pub fn wanted_types(schemas_dir: &Path) -> Result<Vec<String>> {
    let path = schemas_dir.join("types.txt");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut types: Vec<String> = text
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    types.sort();
    types.dedup();
    Ok(types)
}

/// Rewrites the schema files, `registry.bin` and the manifest of `schemas_dir` from a
/// cfn-lint wheel: the types in `types.txt` as published (schema files of types no longer
/// wanted are removed), and every type of the region in the registry archive.
pub fn refresh(schemas_dir: &Path, wheel_path: &Path) -> Result<Manifest> {
    let wheel_bytes = std::fs::read(wheel_path).with_context(|| format!("reading {}", wheel_path.display()))?;
    let wheel = wheel_path.file_name().and_then(|n| n.to_str()).context("the wheel path has no file name")?.to_owned();
    let version =
        wheel.split('-').nth(1).context("the wheel file name has no version (cfn_lint-<version>-…)")?.to_owned();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&wheel_bytes)).context("opening the wheel")?;
    let providers_path = format!("cfnlint/data/schemas/providers/{REGION}.json");
    let providers: BTreeMap<String, String> = serde_json::from_slice(&read_entry(&mut archive, &providers_path)?)
        .with_context(|| format!("parsing {providers_path}"))?;

    let mut files = BTreeMap::new();
    let mut types = Vec::new();
    for type_name in wanted_types(schemas_dir)? {
        let Some(hash) = providers.get(&type_name) else {
            bail!("{type_name} is not in {providers_path} of {wheel}");
        };
        let entry_path = format!("cfnlint/data/schemas/resources/{hash}.json");
        let bytes = read_entry(&mut archive, &entry_path)?;
        let file = file_name(&type_name);
        types.push(ManifestEntry { type_name, file: file.clone(), wheel_path: entry_path, sha256: sha256_hex(&bytes) });
        files.insert(file, bytes);
    }
    let built = registry::build(&mut archive)?;
    let manifest = Manifest {
        source: SOURCE.to_owned(),
        version,
        wheel,
        wheel_sha256: sha256_hex(&wheel_bytes),
        region: REGION.to_owned(),
        types,
        registry: built.manifest,
    };

    for entry in std::fs::read_dir(schemas_dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if is_schema_file(&name) && !files.contains_key(&name) {
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    for (file, bytes) in &files {
        std::fs::write(schemas_dir.join(file), bytes)?;
    }
    std::fs::write(schemas_dir.join(registry::FILE), &built.bytes)?;
    std::fs::write(schemas_dir.join("manifest.json"), manifest.to_json())?;
    Ok(manifest)
}

fn read_entry(archive: &mut zip::ZipArchive<std::io::Cursor<&Vec<u8>>>, path: &str) -> Result<Vec<u8>> {
    let mut entry = archive.by_name(path).with_context(|| format!("{path} is not in the wheel"))?;
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).with_context(|| format!("reading {path} from the wheel"))?;
    Ok(bytes)
}

/// Files under `schemas/` whose sha256 differs from the manifest, or that are missing.
pub fn verify(schemas_dir: &Path, manifest: &Manifest) -> Vec<String> {
    let mut problems = Vec::new();
    match std::fs::read(schemas_dir.join(&manifest.registry.file)) {
        Ok(bytes) if sha256_hex(&bytes) == manifest.registry.sha256 => {}
        Ok(_) => problems.push(format!("{}: sha256 differs from manifest.json", manifest.registry.file)),
        Err(error) => problems.push(format!("{}: {error}", manifest.registry.file)),
    }
    for entry in &manifest.types {
        match std::fs::read(schemas_dir.join(&entry.file)) {
            Ok(bytes) if sha256_hex(&bytes) == entry.sha256 => {}
            Ok(_) => problems.push(format!("{}: sha256 differs from manifest.json", entry.file)),
            Err(error) => problems.push(format!("{}: {error}", entry.file)),
        }
    }
    problems
}
