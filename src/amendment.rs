//! An uncommitted change judged as if it landed: the one rule `sign` (a
//! version signed with `--no-commit`) and `amend` share, so that the two can
//! never disagree about the same pending change.
//!
//! **The landing rule.** An uncommitted change lands at the later of the
//! chain tip's clamped time and the clock (README, "History, notice and states": a commit is never
//! older than what it is built on). The clock is the start of the day given
//! with `--today` (or `CHARTER_TODAY`) when there is one — the same landing
//! `check --base` gives a pull request's commits — and otherwise the time of
//! the commit that would record the change (charter's clock is the committer
//! date: `GIT_COMMITTER_DATE`, else now).

use chrono::{DateTime, NaiveDate, Utc};

use crate::agreement::lint::Parsed;
use crate::agreement::VersionId;
use crate::diff::Change;
use crate::history::{ChainCommit, FileState, History};
use crate::record::Record;
use crate::rules::{evaluate, Approval, Evaluation, NoticeCheck, VersionReport};

/// What "now" is when an uncommitted change is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// A day chosen with `--today` (or `CHARTER_TODAY`): the change lands
    /// at its start, as `check --base` lands a pull request.
    Day(NaiveDate),
    /// No day chosen: the change lands at this time, the committer time of
    /// the commit that would record it.
    Now(DateTime<Utc>),
}

impl Clock {
    /// The clock as seconds since the epoch (UTC).
    pub fn timestamp(self) -> i64 {
        match self {
            Clock::Day(day) => day
                .and_hms_opt(0, 0, 0)
                .map_or(i64::MIN, |t| t.and_utc().timestamp()),
            Clock::Now(now) => now.timestamp(),
        }
    }
}

/// When an uncommitted change lands: the later of the chain tip's clamped
/// time (none for an empty chain) and the clock.
pub fn landing_time(tip: Option<i64>, clock: Clock) -> i64 {
    let at = clock.timestamp();
    tip.map_or(at, |tip| tip.max(at))
}

/// The record's rules applied with `state` (the working tree's file) added
/// as a commit on top of the chain, landing by [`landing_time`].
pub fn as_if_landed(
    record: &Record,
    tip: Option<i64>,
    state: FileState,
    clock: Clock,
    today: NaiveDate,
) -> Evaluation {
    let history = landed_history(record, tip, state, clock);
    evaluate(&history, &record.approvals(), today)
}

/// The record's history with `state` added as a commit on top of the chain,
/// landing by [`landing_time`].
fn landed_history(record: &Record, tip: Option<i64>, state: FileState, clock: Clock) -> History {
    let commit = ChainCommit {
        id: git2::Oid::zero(),
        raw_time: clock.timestamp(),
        time: landing_time(tip, clock),
        author: String::new(),
        subject: "(working tree)".to_owned(),
    };
    record.history.with_uncommitted(commit, state)
}

/// A sign-off `sign` may make: the version it is for, as the rules see it,
/// and the previous signed version it amends.
#[derive(Debug, Clone)]
pub struct SignPlan {
    /// The version to sign (the newest on the chain, or the working tree's).
    pub target: VersionReport,
    /// The previous signed version, named by the sign-off's `amends`.
    pub amends: Option<VersionId>,
}

/// Why the rules refuse a sign-off before any key is touched.
#[derive(Debug, Clone)]
pub enum SignRefusal {
    /// The version is not the newest of the agreement's history.
    NotInHistory,
    /// The version is the text of its own previous signed version.
    NothingNew(VersionId),
    /// The amendment takes effect before its notice period allows, and the
    /// signer does not waive it.
    Notice(NoticeCheck),
}

/// Plan a sign-off of `version`. `working` is the working tree's state when
/// it is not committed yet (judged by [`as_if_landed`]); `None` when the
/// version is the chain tip's, judged by the record as loaded.
pub fn plan_signoff(
    record: &Record,
    tip: Option<i64>,
    version: &VersionId,
    working: Option<FileState>,
    clock: Clock,
    today: NaiveDate,
    waive_notice: bool,
) -> Result<SignPlan, SignRefusal> {
    let landed;
    let evaluation = match working {
        None => &record.evaluation,
        Some(state) => {
            landed = as_if_landed(record, tip, state, clock, today);
            &landed
        }
    };
    let Some((target, earlier)) = evaluation.versions.split_last() else {
        return Err(SignRefusal::NotInHistory);
    };
    if target.version.as_ref() != Some(version) {
        return Err(SignRefusal::NotInHistory);
    }
    let amends = earlier
        .iter()
        .rev()
        .find(|v| v.signed)
        .and_then(|v| v.version.clone());
    if amends.as_ref() == Some(version) {
        return Err(SignRefusal::NothingNew(version.clone()));
    }
    if let Some(n) = &target.notice {
        // The signer's own waiver is enough to sign; the notice is waived
        // only once both sign-offs waive it.
        if !waive_notice && n.material && n.effective < n.earliest_effective {
            return Err(SignRefusal::Notice(n.clone()));
        }
    }
    Ok(SignPlan {
        target: target.clone(),
        amends,
    })
}

/// `amend`'s verdict on the working tree's valid agreement.
#[derive(Debug, Clone)]
pub enum AmendVerdict {
    /// The agreement's data is what the chain tip holds: nothing to amend.
    Unchanged,
    /// The amendment takes effect before its notice period allows.
    TooEarly(NoticeCheck),
    /// The amendment may be committed; these are its semantic changes
    /// (from nothing, for a new agreement).
    Ready(Vec<Change>),
}

/// Judge an amendment of `record` (none when the repository has no commit
/// yet) to the working tree's `parsed` agreement, as if it landed by
/// [`landing_time`].
pub fn judge_amendment(
    record: Option<&Record>,
    tip: Option<i64>,
    parsed: &Parsed,
    clock: Clock,
    today: NaiveDate,
) -> AmendVerdict {
    let Some(data) = parsed.data() else {
        return AmendVerdict::Unchanged;
    };
    let previous = record.and_then(|r| r.history.current().parsed().and_then(|p| p.data()));
    let changes = crate::diff::diff(previous.unwrap_or(&serde_json::Value::Null), data);
    if previous.is_some() && changes.is_empty() {
        return AmendVerdict::Unchanged;
    }
    if let Some(record) = record {
        let evaluation = as_if_landed(
            record,
            tip,
            FileState::Present(parsed.clone()),
            clock,
            today,
        );
        if let Some(notice) = evaluation.versions.last().and_then(|v| v.notice.as_ref()) {
            if !notice.ok() {
                return AmendVerdict::TooEarly(notice.clone());
            }
        }
    }
    AmendVerdict::Ready(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_chosen_day_lands_at_its_start_unless_the_tip_is_later() {
        let start = Clock::Day(day("2026-03-01")).timestamp();
        assert_eq!(
            DateTime::from_timestamp(start, 0).unwrap().to_rfc3339(),
            "2026-03-01T00:00:00+00:00"
        );
        assert_eq!(landing_time(None, Clock::Day(day("2026-03-01"))), start);
        assert_eq!(
            landing_time(Some(start - 10), Clock::Day(day("2026-03-01"))),
            start
        );
        assert_eq!(
            landing_time(Some(start + 10), Clock::Day(day("2026-03-01"))),
            start + 10
        );
    }

    #[test]
    fn without_a_day_the_clock_is_now_clamped_to_the_tip() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert_eq!(
            landing_time(Some(1_700_000_000), Clock::Now(now)),
            1_800_000_000
        );
        assert_eq!(
            landing_time(Some(1_900_000_000), Clock::Now(now)),
            1_900_000_000
        );
    }
}

/// What makes two sign-offs the same in meaning: everything they sign but
/// the time.
#[derive(Debug, PartialEq, Eq)]
pub struct SignoffMeaning<'a> {
    /// The version signed.
    pub version: &'a str,
    /// The version it amends, or `none`.
    pub amends: &'a str,
    /// The party.
    pub role: crate::agreement::Role,
    /// The party's email.
    pub principal: &'a str,
    /// Whether the notice period is waived.
    pub waive_notice: bool,
}

/// The newest version as the rules will see it once `signoff` is committed
/// (with `working`, the working tree's version, when that is not committed
/// yet): the record's own sign-offs plus this one, landing by
/// [`landing_time`]. What `sign --no-commit` tells the signer: who is still
/// missing, or that the version will be signed and when it takes effect.
/// The rules are applied whole, so a change of party or a key already used
/// for the other role is judged exactly as it will be once committed.
/// `signoff`'s time and position are set to its landing.
pub fn as_if_signed(
    record: &Record,
    tip: Option<i64>,
    working: Option<FileState>,
    mut signoff: Approval,
    clock: Clock,
    today: NaiveDate,
) -> Option<VersionReport> {
    signoff.time = landing_time(tip, clock);
    // After every committed commit, as an uncommitted version is.
    signoff.position = usize::MAX;
    let mut approvals = record.approvals();
    approvals.push(signoff);
    let history = match working {
        None => record.history.clone(),
        Some(state) => landed_history(record, tip, state, clock),
    };
    evaluate(&history, &approvals, today).versions.pop()
}

/// A valid sign-off that already says what `wanted` says, for the same
/// occurrence of the version (`point`: one made for a withdrawn proposal
/// does not count for the proposal made again): one in `record` (at HEAD),
/// else one in `tree` not committed yet. A second would change nothing, so
/// `sign` refuses and names it.
pub fn existing_signoff(
    tree: &crate::revision::Tree<'_>,
    layout: &crate::settings::Layout,
    record: &Record,
    point: usize,
    signers: &crate::signoff::AllowedSigners,
    now: DateTime<Utc>,
    wanted: &SignoffMeaning<'_>,
) -> Option<String> {
    use crate::signoff::{verify_signoff, SignoffFile};
    for s in record
        .signoffs
        .iter()
        .filter(|s| s.valid && s.point == Some(point))
    {
        let (Some(version), Some(role), Some(principal)) =
            (s.version.as_deref(), s.role, s.principal.as_deref())
        else {
            continue;
        };
        let meaning = SignoffMeaning {
            version,
            amends: s.amends.as_deref().unwrap_or("none"),
            role,
            principal,
            waive_notice: s.waive_notice,
        };
        if &meaning == wanted {
            return Some(s.file.clone());
        }
    }
    let dir = format!("{}/{}", layout.signoffs, record.id);
    let mut names: Vec<String> = tree
        .entries(&dir)
        .ok()?
        .into_iter()
        .filter(|(n, kind)| *kind == crate::revision::EntryKind::File && n.ends_with(".yaml"))
        .map(|(n, _)| n)
        .collect();
    names.sort();
    for name in names {
        let rel = format!("{dir}/{name}");
        if record.signoffs.iter().any(|s| s.file == rel) {
            continue;
        }
        let Some(file) = tree
            .read(&rel)
            .ok()
            .and_then(crate::revision::File::bytes)
            .and_then(|b| SignoffFile::parse_bytes(&b).ok())
        else {
            continue;
        };
        let meaning = SignoffMeaning {
            version: &file.version,
            amends: &file.amends,
            role: file.role,
            principal: &file.principal,
            waive_notice: file.waive_notice,
        };
        if &meaning == wanted && verify_signoff(&file, signers, now).is_ok() {
            return Some(rel);
        }
    }
    None
}
