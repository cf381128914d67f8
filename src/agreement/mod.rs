//! Agreements: the model, loading with located findings, lint rules and version ids.

pub mod file_name;
pub mod lint;
pub mod model;
pub mod role;
pub mod schedule;
pub mod types;
pub mod version;

pub use model::Agreement;
pub use role::Role;
pub use version::VersionId;
