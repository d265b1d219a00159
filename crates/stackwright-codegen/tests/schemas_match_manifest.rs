//! `schemas/` holds exactly the files `manifest.json` records, byte for byte, and the
//! types `types.txt` asks for.

use stackwright_codegen::Paths;
use stackwright_codegen::manifest::{Manifest, SOURCE, file_name, is_schema_file, verify, wanted_types};

#[test]
fn schema_files_match_their_recorded_sha256() {
    let paths = Paths::workspace();
    let manifest = Manifest::load(&paths.schemas).expect("manifest.json parses");
    let problems = verify(&paths.schemas, &manifest);
    assert!(problems.is_empty(), "{problems:#?}\nre-vendor with `cargo codegen refresh-schemas --wheel PATH`");
}

#[test]
fn manifest_lists_the_wanted_types_sorted_and_nothing_else() {
    let paths = Paths::workspace();
    let manifest = Manifest::load(&paths.schemas).expect("manifest.json parses");
    assert_eq!(manifest.source, SOURCE);
    let listed: Vec<String> = manifest.types.iter().map(|t| t.type_name.clone()).collect();
    assert_eq!(listed, wanted_types(&paths.schemas).expect("types.txt reads"));
    for entry in &manifest.types {
        assert_eq!(entry.file, file_name(&entry.type_name));
    }
    let mut on_disk: Vec<String> = std::fs::read_dir(&paths.schemas)
        .expect("schemas/ lists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| is_schema_file(name))
        .collect();
    on_disk.sort();
    let mut files: Vec<String> = manifest.types.iter().map(|t| t.file.clone()).collect();
    files.sort();
    assert_eq!(on_disk, files);
    // The manifest on disk is exactly what `refresh-schemas` writes.
    let text = std::fs::read_to_string(paths.schemas.join("manifest.json")).expect("reads");
    assert_eq!(text, manifest.to_json());
}

/// `registry.bin` is the manifest's (sha256 checked above), holds as many types as it
/// records, and agrees with the L1 schemas: each of the `types.txt` types is the vendored
/// form of the very file `schemas/` holds, from the same wheel path.
#[test]
fn the_registry_agrees_with_the_manifest_and_the_l1_schemas() {
    let paths = Paths::workspace();
    let manifest = Manifest::load(&paths.schemas).expect("manifest.json parses");
    assert_eq!(manifest.registry.file, stackwright_codegen::registry::FILE);
    assert_eq!(stackwright_registry::type_names().count(), manifest.registry.types);
    let bytes = std::fs::read(paths.schemas.join(&manifest.registry.file)).expect("registry.bin reads");
    assert_eq!(bytes, stackwright_registry::DATA, "the crate embeds schemas/registry.bin");
    for entry in &manifest.types {
        let original = std::fs::read(paths.schemas.join(&entry.file)).expect("schema reads");
        let expected = stackwright_registry::vendor::entry(&entry.type_name, &original, &entry.wheel_path)
            .unwrap_or_else(|e| panic!("{e}"));
        let embedded = stackwright_registry::entry_text(&entry.type_name)
            .unwrap_or_else(|| panic!("{} is not in registry.bin", entry.type_name))
            .expect("inflates");
        assert_eq!(embedded, expected, "{}", entry.type_name);
        let facts = stackwright_registry::facts(&entry.type_name).expect("loads");
        assert_eq!(facts.source, entry.wheel_path);
    }
}
