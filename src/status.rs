//! `status`: where every agreement stands on a day, built from the records
//! at a revision. The command prints it; `status --exit-code` and JSON
//! readers judge from the same entries.

use chrono::{Days, NaiveDate};
use git2::Repository;

use crate::agreement::lint::Parsed;
use crate::checkin::progress::progress;
use crate::checkin::GoalStatus;
use crate::error::{Error, Result};
use crate::json::{GoalDue, Status, StatusEntry};
use crate::record::Record;
use crate::report::{governing, AgreementSummary};
use crate::rules::AgreementState;
use crate::settings::Settings;

/// Goals due within this many days are "due soon" (`goals_due`).
pub const DUE_SOON_DAYS: u64 = 30;

/// The status of every listed agreement among `records` (read at one
/// revision), as of `today`. `settings` are that revision's `charter.yaml`:
/// a committed version waiting for signatures with an error left after its
/// lint settings is a `problem`, the error `sign` would refuse it with.
pub fn status(
    repo: &Repository,
    records: &[Record],
    settings: &Settings,
    today: NaiveDate,
) -> Result<Status> {
    let soon = today
        .checked_add_days(Days::new(DUE_SOON_DAYS))
        .unwrap_or(today);
    let agreements = records
        .iter()
        .filter(|r| r.is_listed())
        .map(|record| entry(repo, record, settings, today, soon))
        .collect::<Result<_>>()?;
    Ok(Status { agreements })
}

fn entry(
    repo: &Repository,
    record: &Record,
    settings: &Settings,
    today: NaiveDate,
    soon: NaiveDate,
) -> Result<StatusEntry> {
    let summary = AgreementSummary::of(record);
    let agreement = governing(record);
    let ongoing = !summary.state.is_over();
    let live = record.evaluation.is_live();
    let progress = agreement
        .filter(|_| ongoing)
        .map(|a| progress(a, &record.checkins, live, today))
        .unwrap_or_default();
    Ok(StatusEntry {
        id: record.id.clone(),
        title: agreement.map(|a| a.title.clone()),
        state: summary.state,
        mentor: agreement.map(|a| a.parties.mentor.clone()),
        mentee: agreement.map(|a| a.parties.mentee.clone()),
        in_force: summary.in_force,
        pending: summary.pending,
        scheduled: summary.scheduled,
        next_review: progress.next_review,
        goals_due: progress
            .goals
            .iter()
            .filter(|g| g.due <= soon && !g.status.is_some_and(GoalStatus::is_settled))
            .map(|g| GoalDue {
                id: g.id.clone(),
                due: g.due,
                overdue: g.overdue,
            })
            .collect(),
        last_review: progress.last_review,
        review_overdue: progress.review_overdue,
        goals: progress.goals,
        term_end: agreement.and_then(|a| a.term.end.map(|d| d.0)),
        concluded: agreement
            .filter(|_| summary.state == AgreementState::Concluded)
            .and_then(|a| a.concluded.clone()),
        problem: problem(repo, record, settings)?,
    })
}

/// Why the committed file cannot be signed, if it cannot: it does not
/// parse, is not a valid agreement, or (while its version waits for
/// signatures) has an error left after the lint settings. A version
/// already signed needs no signature, so it is not linted again. A blob
/// that cannot be read (a partial clone, a damaged repository) is an
/// error, never "no problem".
fn problem(repo: &Repository, record: &Record, settings: &Settings) -> Result<Option<String>> {
    let path = &record.history.path;
    let Some(tip) = record.history.points.last() else {
        return Ok(None);
    };
    Ok(match tip.state.parsed() {
        None => None,
        Some(Parsed::Unparseable) => Some(format!(
            "{path} does not parse at HEAD; run `charter validate`"
        )),
        Some(Parsed::SchemaInvalid { .. }) => Some(format!(
            "{path} is not a valid agreement at HEAD; run `charter validate`"
        )),
        Some(Parsed::Valid { .. }) => {
            let waiting = record
                .evaluation
                .versions
                .last()
                .is_some_and(|v| !v.signed && v.point + 1 == record.history.points.len());
            let Some(oid) = tip.blob().filter(|_| waiting) else {
                return Ok(None);
            };
            let blob = repo
                .find_blob(oid)
                .map_err(|e| Error::git(format!("reading {path} at HEAD"), e))?;
            let errors = crate::workspace::judge(path, blob.content(), settings)
                .errors()
                .len();
            (errors > 0).then(|| {
                format!(
                    "{path} has {} at HEAD, so it cannot be signed; run `charter validate`",
                    crate::plural::count(errors, "error")
                )
            })
        }
    })
}
