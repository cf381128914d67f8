//! charter: mentoring agreements kept as YAML in git.
//!
//! The library holds the domain (agreements, versions, sign-offs, rules) and
//! knows nothing of the command line; `src/main.rs` and `src/cli/` are a thin
//! layer over it.

// A located finding is the natural error of parsing a user's file; it is
// built once per problem, so its size does not matter.
#![allow(clippy::result_large_err)]
pub mod agreement;
pub mod amendment;
pub mod calendar;
pub mod check;
pub mod checkin;
pub mod ci;
pub mod conclusion;
pub mod demo;
pub mod diff;
pub mod document;
pub mod error;
pub mod finding;
pub mod git;
pub mod gitattributes;
pub mod history;
pub mod ident;
pub mod json;
pub mod log;
pub mod not_signed;
pub mod plural;
pub mod policy;
pub mod programme;
pub mod record;
pub mod record_file;
pub mod render;
pub mod report;
pub mod revision;
pub mod rules;
pub mod scaffold;
pub mod schema;
pub mod settings;
pub mod signoff;
pub mod status;
pub mod template;
#[cfg(test)]
mod test_repo;
pub mod unicode;
pub mod verification;
pub mod withdrawal;
pub mod workspace;
pub mod yaml;
