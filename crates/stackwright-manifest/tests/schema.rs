//! The checked-in schema (`schemas/stackwright.schema.json`) is the generated one.

#[test]
fn the_checked_in_schema_is_fresh() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/stackwright.schema.json");
    let generated = stackwright_manifest::schema();
    if std::env::var_os("STACKWRIGHT_WRITE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "schemas/stackwright.schema.json is stale: run `cargo run -- schema > schemas/stackwright.schema.json` \
         (or STACKWRIGHT_WRITE_SCHEMA=1 cargo test -p stackwright-manifest --test schema)"
    );
}

#[test]
fn the_schema_is_draft_2020_12_with_descriptions_defaults_and_enums() {
    let schema: serde_json::Value = serde_json::from_str(&stackwright_manifest::schema()).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let service = &schema["$defs"]["Service"];
    assert_eq!(service["additionalProperties"], false);
    assert_eq!(service["properties"]["cpu"]["default"], 256);
    assert!(service["properties"]["desired_count"]["description"].as_str().unwrap().contains("Default"));
    assert_eq!(schema["$defs"]["ServiceType"]["oneOf"].as_array().map(Vec::len), Some(2));
    assert!(schema["examples"].is_array());
}
