//! JSON Schemas generated from the Rust types, so editors and charter agree.
//!
//! The files in `schema/` are these, committed; a test fails when they drift.

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;

use crate::agreement::Agreement;
use crate::settings::Settings;

/// File name and generated text of every schema charter publishes.
pub fn all() -> Vec<(&'static str, String)> {
    let mut schemas = vec![
        ("agreement.schema.json", render::<Agreement>()),
        ("settings.schema.json", render::<Settings>()),
    ];
    schemas.extend(extra());
    schemas
}

fn extra() -> Vec<(&'static str, String)> {
    vec![
        (
            "signoff.schema.json",
            render::<crate::signoff::file::SignoffFile>(),
        ),
        (
            "checkin.schema.json",
            render::<crate::checkin::CheckinFile>(),
        ),
        (
            "decline.schema.json",
            render::<crate::signoff::decline::DeclineFile>(),
        ),
    ]
}

/// The schema of one type, as data (to look fields up, as the policy does).
pub fn generate<T: JsonSchema>() -> schemars::Schema {
    SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>()
}

/// The schema of one type, pretty-printed with a trailing newline.
pub fn render<T: JsonSchema>() -> String {
    let schema = generate::<T>();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
