//! How an agreement is being lived, as the programme view sees it: goal
//! statuses and reviews come from the parties' check-ins, through the same
//! rule `status` uses ([`crate::checkin::progress::progress`]), so a report
//! and `status` never disagree about what is overdue.

use chrono::NaiveDate;

use crate::agreement::Agreement;
use crate::checkin::progress::{progress, Progress};
use crate::record::Record;

pub use crate::checkin::GoalStatus;

/// The progress of `agreement` (the version that governs `record` today)
/// on `today`, with overdue judged only while the mentorship is `live`.
pub fn of(record: &Record, agreement: &Agreement, live: bool, today: NaiveDate) -> Progress {
    progress(agreement, &record.checkins, live, today)
}

/// The status of goal `goal` of the agreement in `record`, and the day it
/// was last reported (`None`: never). `not-started` when nothing is recorded.
pub fn goal_status(record: &Record, goal: &str) -> (GoalStatus, Option<NaiveDate>) {
    crate::checkin::progress::in_time_order(&record.checkins)
        .iter()
        .rev()
        .find_map(|c| c.goals.get(goal).map(|r| (r.status, c.date)))
        .map_or((GoalStatus::NotStarted, None), |(s, d)| (s, d))
}

/// The day of the last periodic review recorded for `record`, if any.
pub fn last_review(record: &Record) -> Option<NaiveDate> {
    crate::checkin::progress::in_time_order(&record.checkins)
        .iter()
        .rev()
        .find(|c| c.review)
        .and_then(|c| c.date)
}
