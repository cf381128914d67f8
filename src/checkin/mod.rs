//! Check-ins: how an agreement is lived (README, "Check-ins"). One signed file per
//! check-in, `checkins/<id>/<YYYY-MM-DD>-<role>-<h8>.yaml`, append-only:
//! a party's record of where each goal stands, scores under the review
//! scorecard, and whether it was the periodic review.
//!
//! - [`file`](mod@file): the format, its signed bytes, its name;
//! - [`judge`]: whether a committed check-in counts;
//! - [`progress`]: what the valid check-ins say today (latest goal status,
//!   last review, what is overdue).

pub mod draft;
pub mod file;
pub mod judge;
pub mod progress;

pub use file::{CheckinFile, GoalReport, GoalStatus, Score};
pub use judge::CheckinReport;

/// The SSHSIG namespace of check-ins: a signature made for a sign-off, a
/// decline or a git commit can never pass as a check-in.
pub const NAMESPACE: &str = "charter-checkin";

/// Findings about one check-in file's form alone (fields, name, content
/// hash), as `validate` reports them; whether it verifies and what it says
/// against the agreement is judged with history, by `check`.
pub fn form_findings(path: &str, bytes: &[u8]) -> Vec<crate::finding::Finding> {
    match CheckinFile::parse(path, bytes) {
        Err(f) => vec![f],
        Ok(parsed) => match file::check_path(path, &parsed.file, bytes) {
            Ok(()) => Vec::new(),
            Err(e) => vec![crate::finding::Finding::new(
                file::RULE,
                path,
                format!("the file name does not match the file: {e}"),
            )
            .hint("check-in files are written once by `charter checkin`; restore the original or check in again")],
        },
    }
}
