//! Whether a committed check-in counts: its form, its signature against the
//! trust root at the time it landed, and what it says against the version
//! it reports on (goals of that version, headings of its scorecard, a date
//! inside its term, signed by one of its parties).

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::file::{check_path, CheckinFile, GoalReport, ParsedCheckin, Score};
use super::NAMESPACE;
use crate::agreement::{Agreement, Role};
use crate::history::History;
use crate::rules::Evaluation;
use crate::signoff::AllowedSigners;
use crate::yaml::{Pos, Segment};

/// One check-in file and the verdict on it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckinReport {
    /// Repository-relative path.
    pub file: String,
    /// The day it reports, when the file parsed.
    pub date: Option<NaiveDate>,
    /// The party who checked in.
    pub by: Option<Role>,
    /// The version reported against.
    pub version: Option<String>,
    /// Whether it is the periodic review.
    pub review: bool,
    /// Goal id → status and note.
    pub goals: BTreeMap<String, GoalReport>,
    /// Scorecard heading → score.
    pub scores: BTreeMap<String, Score>,
    /// The short note.
    pub note: Option<String>,
    /// When it first appeared on the chain (RFC 3339 UTC).
    pub checkin_time: String,
    /// `SHA256:…` of the key that signed, when the signature parsed.
    pub key_fingerprint: Option<String>,
    /// Whether it counts.
    pub valid: bool,
    /// Why not, when it does not.
    pub reason: Option<String>,
    /// Where in the file the problem is.
    #[serde(skip)]
    pub pos: Option<Pos>,
    /// The landing time in seconds, for ordering.
    #[serde(skip)]
    pub time: i64,
}

fn rfc3339(time: i64) -> String {
    DateTime::<Utc>::from_timestamp(time, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// The agreement of the version `version` on the chain, and whether that
/// version is signed.
fn version_on_chain<'h>(
    history: &'h History,
    evaluation: &Evaluation,
    version: &str,
) -> Option<(&'h Agreement, bool)> {
    let v = evaluation
        .versions
        .iter()
        .find(|v| v.version.as_ref().is_some_and(|id| id.as_str() == version))?;
    let agreement = history.points[v.point].state.parsed()?.agreement()?;
    Some((agreement, v.signed))
}

/// The last day a check-in may report: the term's end, or the day a signed
/// concluding version took effect, whichever comes first.
fn last_day(agreement: &Agreement, evaluation: &Evaluation) -> Option<NaiveDate> {
    let concluded = evaluation
        .versions
        .iter()
        .filter(|v| v.signed && v.concluding)
        .filter_map(|v| v.takes_effect)
        .min();
    match (agreement.term.end.map(|d| d.0), concluded) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Judge one check-in file, committed at `time` (its landing time).
pub fn judge(
    path: &str,
    bytes: &[u8],
    time: i64,
    id: &str,
    history: &History,
    evaluation: &Evaluation,
    signers: &AllowedSigners,
) -> CheckinReport {
    let mut report = CheckinReport {
        file: path.to_owned(),
        date: None,
        by: None,
        version: None,
        review: false,
        goals: BTreeMap::new(),
        scores: BTreeMap::new(),
        note: None,
        checkin_time: rfc3339(time),
        key_fingerprint: None,
        valid: false,
        reason: None,
        pos: None,
        time,
    };
    let parsed = match CheckinFile::parse(path, bytes) {
        Ok(p) => p,
        Err(f) => {
            report.reason = Some(f.message);
            report.pos = f
                .line
                .zip(f.column)
                .map(|(line, column)| Pos { line, column });
            return report;
        }
    };
    let c = &parsed.file;
    report.date = Some(parsed.date);
    report.by = Some(c.by);
    report.version = Some(c.version.clone());
    report.review = c.review;
    report.goals = c.goals.clone();
    report.scores = c.scores.clone();
    report.note = c.note.clone();
    // Decoded once: the report names the key even when it is refused.
    let decoded = crate::signoff::verify::DecodedSignature::decode(&c.signature);
    report.key_fingerprint = decoded.fingerprint().map(str::to_owned);
    match problem(
        path, &parsed, &decoded, bytes, time, id, history, evaluation, signers,
    ) {
        Ok(fingerprint) => {
            report.key_fingerprint = Some(fingerprint);
            report.valid = true;
        }
        Err((message, at)) => {
            report.reason = Some(message);
            report.pos = Some(parsed.locate(&at));
        }
    }
    report
}

type Problem<'a> = (String, Vec<Segment<'a>>);

#[allow(clippy::too_many_arguments)]
fn problem<'a>(
    path: &str,
    parsed: &'a ParsedCheckin,
    decoded: &crate::signoff::verify::DecodedSignature,
    bytes: &[u8],
    time: i64,
    id: &str,
    history: &History,
    evaluation: &Evaluation,
    signers: &AllowedSigners,
) -> Result<String, Problem<'a>> {
    let c = &parsed.file;
    check_path(path, c, bytes)
        .map_err(|e| (format!("file name does not match its content: {e}"), vec![]))?;
    if c.agreement != id {
        return Err((
            format!("reports on agreement `{}`, not `{id}`", c.agreement),
            vec![Segment::Key("agreement")],
        ));
    }
    let verified = decoded
        .verify(&c.message(), NAMESPACE)
        .map_err(|e| (e.to_string(), vec![Segment::Key("signature")]))?;
    let Some((agreement, signed)) = version_on_chain(history, evaluation, &c.version) else {
        return Err((
            format!(
                "version {} is not a valid version in this agreement's history",
                short(&c.version)
            ),
            vec![Segment::Key("version")],
        ));
    };
    if !signed {
        return Err((
            format!(
                "version {} was never signed by both parties; a check-in reports against the version in force",
                short(&c.version)
            ),
            vec![Segment::Key("version")],
        ));
    }
    let principal = c.by.email(agreement);
    let at = DateTime::<Utc>::from_timestamp(time, 0).unwrap_or_default();
    signers
        .check(principal, verified.public_key.key_data(), NAMESPACE, at)
        .map_err(|why| {
            (
                format!(
                    "the signer is not the {} ({principal}) of version {}: {why}",
                    c.by,
                    short(&c.version)
                ),
                vec![Segment::Key("by")],
            )
        })?;
    for goal in c.goals.keys() {
        if agreement.goals.iter().any(|g| &g.id == goal) {
            continue;
        }
        let elsewhere = history.points.iter().any(|p| {
            p.state
                .parsed()
                .and_then(|p| p.agreement())
                .is_some_and(|a| a.goals.iter().any(|g| &g.id == goal))
        });
        let message = if elsewhere {
            format!(
                "goal `{goal}` belongs to another version of the agreement, not to version {} that the check-in reports on",
                short(&c.version)
            )
        } else {
            format!("no goal `{goal}` in version {}", short(&c.version))
        };
        return Err((message, vec![Segment::Key("goals"), Segment::Key(goal)]));
    }
    let card: &[String] = agreement
        .reviews
        .as_ref()
        .and_then(|r| r.scorecard.as_deref())
        .unwrap_or(&[]);
    for heading in c.scores.keys() {
        if !card.contains(heading) {
            return Err((
                format!(
                    "`{heading}` is not a heading of the scorecard of version {} ({})",
                    short(&c.version),
                    if card.is_empty() {
                        "it has none".to_owned()
                    } else {
                        card.join(", ")
                    }
                ),
                vec![Segment::Key("scores"), Segment::Key(heading)],
            ));
        }
    }
    let date = parsed.date;
    if date < agreement.term.start.0 {
        return Err((
            format!(
                "dated {date}, before the term starts on {}",
                agreement.term.start
            ),
            vec![Segment::Key("date")],
        ));
    }
    if let Some(last) = last_day(agreement, evaluation) {
        if date > last {
            return Err((
                format!("dated {date}, after the agreement's last day {last}"),
                vec![Segment::Key("date")],
            ));
        }
    }
    let landed = at.date_naive();
    if date > landed.checked_add_days(Days::new(1)).unwrap_or(landed) {
        return Err((
            format!("dated {date}, after the day it was committed ({landed})"),
            vec![Segment::Key("date")],
        ));
    }
    Ok(verified.fingerprint)
}

fn short(version: &str) -> &str {
    version.get(7..19).unwrap_or(version)
}
