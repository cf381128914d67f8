//! charter's integration tests, in one test binary (one link, one run):
//! the real `charter` binary end to end in temporary git repositories, the
//! library against the real OpenSSH tools, property tests, the JSON
//! Schemas and the version-id vectors. Every program a test starts goes
//! through `sandbox::command`. The fuzz targets are a workspace of their
//! own (`fuzz/`), since they build only with cargo-fuzz.

mod browser;
mod calendar;
mod check;
mod ci;
mod common;
mod corpus;
mod demo;
mod diff;
mod errors;
mod escaping;
mod faults;
mod gate;
mod help;
mod history;
mod hostile;
mod ident;
mod index;
mod init;
mod invisible;
mod json_docs;
mod json_types;
mod keep_corpus;
mod lifecycle;
mod new;
mod newcomer;
mod openssh_keys;
mod openssh_recipe;
mod programme;
mod properties;
mod report;
mod rules;
mod sandbox;
mod sarif;
mod schema;
mod show;
mod sign;
mod sign_concurrency;
mod signoff_openssh;
mod snap;
mod status;
mod story;
mod trust;
mod tutorial;
mod validate;
mod version_id;
mod words;
mod yaml_limits;
