//! charter: mentoring agreements kept as YAML in git.
//!
//! The library holds the domain (agreements, versions, sign-offs, rules) and
//! knows nothing of the command line; `src/main.rs` and `src/cli/` are a thin
//! layer over it.

pub mod signoff;
