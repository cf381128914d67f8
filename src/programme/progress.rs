//! How an agreement is being lived: goal statuses and the last review.
//!
//! Everything the programme view knows about progress comes through the
//! two functions here. Nothing in the repository records progress yet, so
//! every goal is `not-started` and no review has been held; when check-in
//! records exist, these functions read them and every report follows.

use chrono::NaiveDate;
use serde::Serialize;

use crate::record::Record;

/// Where a goal stands, as the parties last reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GoalStatus {
    /// Nothing reported yet.
    NotStarted,
    /// Progressing as planned.
    OnTrack,
    /// In danger of missing its date or measure.
    AtRisk,
    /// Achieved.
    Done,
    /// Given up by agreement.
    Dropped,
}

impl GoalStatus {
    /// Every status, in the order reports list them.
    pub const ALL: [GoalStatus; 5] = [
        GoalStatus::NotStarted,
        GoalStatus::OnTrack,
        GoalStatus::AtRisk,
        GoalStatus::Done,
        GoalStatus::Dropped,
    ];

    /// The word used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            GoalStatus::NotStarted => "not-started",
            GoalStatus::OnTrack => "on-track",
            GoalStatus::AtRisk => "at-risk",
            GoalStatus::Done => "done",
            GoalStatus::Dropped => "dropped",
        }
    }

    /// A goal that is done or dropped is never overdue.
    pub fn is_closed(self) -> bool {
        matches!(self, GoalStatus::Done | GoalStatus::Dropped)
    }
}

/// The status of goal `goal` of the agreement in `record`, and the day it
/// was last reported (`None`: never). `not-started` when nothing is recorded.
pub fn goal_status(_record: &Record, _goal: &str) -> (GoalStatus, Option<NaiveDate>) {
    (GoalStatus::NotStarted, None)
}

/// The day of the last periodic review recorded for `record`, if any.
pub fn last_review(_record: &Record) -> Option<NaiveDate> {
    None
}
