//! An agreement's history as `log` tells it: each version with what it
//! changed from the version before, and the check-ins in the order they
//! happened. `log --format json`, its text form and the demo all read it
//! from here, so they can never tell the history differently.

use crate::checkin::progress::all_in_time_order;
use crate::json::{Log, LogEntry};
use crate::record::Record;

/// The log of agreement `id` from its record: versions newest first,
/// check-ins oldest first.
pub fn of(id: &str, record: &Record) -> Log {
    Log {
        agreement: id.to_owned(),
        state: record.evaluation.state,
        versions: entries(record),
        checkins: all_in_time_order(&record.checkins)
            .into_iter()
            .cloned()
            .collect(),
    }
}

/// One entry per version, newest first. Each version's summary is its
/// semantic change from the newest earlier version that parses: a version
/// that does not parse says so, and the next one is compared with the last
/// that did, so a broken commit in between never hides a change.
pub fn entries(record: &Record) -> Vec<LogEntry> {
    let points = &record.history.points;
    let mut out = Vec::new();
    let mut previous: Option<&serde_json::Value> = None;
    for v in &record.evaluation.versions {
        let data = points[v.point].state.parsed().and_then(|p| p.data());
        let summary = match (previous, data) {
            (_, None) => "does not parse".to_owned(),
            (None, Some(_)) => "created".to_owned(),
            (Some(old), Some(new)) => crate::diff::summary(&crate::diff::diff(old, new)),
        };
        if data.is_some() {
            previous = data;
        }
        out.push(LogEntry {
            commit: v.commit.id.to_string(),
            date: v.commit.date().to_string(),
            author: v.commit.author.clone(),
            version: v.version.as_ref().map(|id| id.as_str().to_owned()),
            effective: v.effective.map(|d| d.to_string()),
            material: v.material,
            summary,
            signed_by: v.signed_by.clone(),
            declined_by: v.declined_by.clone(),
            state: v.state,
            takes_effect: v.takes_effect.map(|d| d.to_string()),
            notice: v.notice.clone(),
        });
    }
    out.reverse();
    out
}
