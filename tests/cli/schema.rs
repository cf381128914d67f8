//! The committed JSON Schemas must be exactly what the Rust types generate.
//! Regenerate with `CHARTER_UPDATE_SCHEMAS=1 cargo test --test cli schema::`.

use std::path::Path;

#[test]
fn committed_schemas_match_the_types() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let update = std::env::var_os("CHARTER_UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for (name, generated) in charter::schema::all() {
        let path = dir.join(name);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &generated).unwrap();
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != generated {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "schema/{stale:?} differ from the types; run CHARTER_UPDATE_SCHEMAS=1 cargo test --test cli schema:: and commit the result"
    );
}

#[test]
fn examples_validate_against_the_agreement_schema_shape() {
    // The schema forbids unknown keys at the top level, as charter does.
    let (_, text) = charter::schema::all()
        .into_iter()
        .find(|(n, _)| *n == "agreement.schema.json")
        .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(schema["additionalProperties"], false);
    let required = schema["required"].as_array().unwrap();
    for key in [
        "charter",
        "title",
        "parties",
        "purpose",
        "effective",
        "term",
        "meetings",
        "goals",
        "confidentiality",
        "renegotiation",
    ] {
        assert!(
            required.iter().any(|r| r == key),
            "{key} should be required"
        );
    }
}
