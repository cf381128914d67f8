//! What the valid check-ins say on one day: each goal's latest status, the
//! last review, when the next one is due, and what is overdue. Pure: data
//! in, data out.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{CheckinReport, GoalStatus};
use crate::agreement::Agreement;

/// One goal of the governing version, as `status` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalProgress {
    /// The goal id.
    pub id: String,
    /// When it is due.
    pub due: NaiveDate,
    /// Its latest status in a valid check-in (none when never reported).
    pub status: Option<GoalStatus>,
    /// Past due, not settled (`done`/`dropped`), and the agreement is in force.
    pub overdue: bool,
    /// The day of the check-in that gave the status.
    pub updated: Option<NaiveDate>,
}

/// Progress of one agreement on one day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Progress {
    /// Every goal of the governing version, in its order.
    pub goals: Vec<GoalProgress>,
    /// The day of the last valid check-in marked `review`.
    pub last_review: Option<NaiveDate>,
    /// When the next review is due: one review cadence after the last
    /// review (or after `term.start`), never after `term.end`.
    pub next_review: Option<NaiveDate>,
    /// Whether the next review's day has passed (only while in force).
    pub review_overdue: bool,
}

/// Valid check-ins in time order (see [`all_in_time_order`]).
pub fn in_time_order(checkins: &[CheckinReport]) -> Vec<&CheckinReport> {
    let mut all = all_in_time_order(checkins);
    all.retain(|c| c.valid);
    all
}

/// Every check-in, valid or not, in the order they happened: by date, then
/// by the time they landed, then by file name, so two on one day keep the
/// order they were committed in. `log` lists them so, invalid ones with
/// their reason.
pub fn all_in_time_order(checkins: &[CheckinReport]) -> Vec<&CheckinReport> {
    let mut all: Vec<&CheckinReport> = checkins.iter().collect();
    all.sort_by(|a, b| (a.date, a.time, &a.file).cmp(&(b.date, b.time, &b.file)));
    all
}

/// The progress of `agreement` (the governing version) on `today`. `live`
/// says whether anything can be overdue: only a signed agreement in force,
/// neither concluded nor ended; drafts and unsigned agreements have nothing
/// overdue.
pub fn progress(
    agreement: &Agreement,
    checkins: &[CheckinReport],
    live: bool,
    today: NaiveDate,
) -> Progress {
    // What the parties had reported by `today`: a later check-in is not
    // known yet on that day.
    let ordered: Vec<&CheckinReport> = in_time_order(checkins)
        .into_iter()
        .filter(|c| c.date.is_some_and(|d| d <= today))
        .collect();
    let goals = agreement
        .goals
        .iter()
        .map(|g| {
            let latest = ordered
                .iter()
                .rev()
                .find_map(|c| c.goals.get(&g.id).map(|r| (r.status, c.date)));
            let status = latest.map(|(s, _)| s);
            GoalProgress {
                id: g.id.clone(),
                due: g.due.0,
                status,
                overdue: live && g.due.0 < today && !status.is_some_and(GoalStatus::is_settled),
                updated: latest.and_then(|(_, d)| d),
            }
        })
        .collect();
    let last_review = ordered.iter().rev().find(|c| c.review).and_then(|c| c.date);
    let next_review = agreement.reviews.as_ref().map(|r| {
        let from = last_review.unwrap_or(agreement.term.start.0);
        let next = r.cadence.next_after(from);
        match agreement.term.end {
            Some(end) => next.min(end.0),
            None => next,
        }
    });
    Progress {
        goals,
        last_review,
        next_review,
        review_overdue: live && next_review.is_some_and(|d| d < today),
    }
}
