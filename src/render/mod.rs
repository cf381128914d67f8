//! Writers that turn results into text, JSON and CI formats. They take data
//! and a writer; colour is decided by the caller.

pub mod check;
pub mod checkins;
pub mod escape;
pub mod findings;
pub mod flat;
pub mod sarif;
pub mod show;
pub mod style;
pub mod words;
