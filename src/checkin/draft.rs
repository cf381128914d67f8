//! What `charter checkin` records, decided before anything is signed: the
//! version in force on the day, the day inside the term, goals and scores
//! that the agreement has. Every refusal names the option to change.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::file::{check_note, CheckinFile, GoalReport, GoalStatus, Score};
use crate::agreement::{Agreement, Role};
use crate::error::{Error, Result};
use crate::record::Record;
use crate::signoff::signer::Signer;

/// A check-in as the command line asks for it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The day it reports on.
    pub date: NaiveDate,
    /// Today: a check-in records what has happened, so `date` is not later.
    pub today: NaiveDate,
    /// `GOAL=STATUS` or `GOAL=STATUS:NOTE`, as given.
    pub goals: &'a [String],
    /// `NAME=N`, as given.
    pub scores: &'a [String],
    /// A short note.
    pub note: Option<&'a str>,
    /// This is the periodic review.
    pub review: bool,
}

/// A check-in checked against the version in force, not yet signed.
#[derive(Debug)]
pub struct Draft<'r> {
    /// The version in force on the day.
    pub agreement: &'r Agreement,
    file: CheckinFile,
}

impl Draft<'_> {
    /// The unsigned file, reported by `by`.
    pub fn file(&self, by: Role) -> CheckinFile {
        CheckinFile {
            by,
            ..self.file.clone()
        }
    }
}

/// Check `request` against `record` as it stands on the request's day
/// (whatever day the record was loaded for).
pub fn draft<'r>(record: &'r Record, request: &Request<'_>) -> Result<Draft<'r>> {
    let id = &record.id;
    let date = request.date;
    if date > request.today {
        return Err(Error::refused(format!(
            "--date {date} is in the future; a check-in records what has happened"
        )));
    }
    let e = &record.evaluate_on(date);
    let Some(in_force) = e.in_force.map(|i| &e.versions[i]) else {
        return Err(Error::refused(format!(
            "{id}: no signed version is in force on {date}; a check-in reports against the version in force"
        ))
        .hint_that(format!("see where the agreement stands with `charter status` or `charter log {id}`")));
    };
    if in_force.concluding {
        return Err(Error::refused(format!(
            "{id} was concluded; a concluded agreement is a closed record"
        )));
    }
    let Some(agreement) = record.history.points[in_force.point]
        .state
        .parsed()
        .and_then(|p| p.agreement())
    else {
        return Err(Error::refused(format!(
            "{id}: the version in force cannot be read"
        )));
    };
    let version = in_force
        .version
        .as_ref()
        .map(|v| v.as_str().to_owned())
        .unwrap_or_default();
    if date < agreement.term.start.0 || agreement.term.end.is_some_and(|end| date > end.0) {
        return Err(Error::refused(format!(
            "--date {date} is outside the agreement's term ({} to {})",
            agreement.term.start,
            agreement
                .term
                .end
                .map_or_else(|| "open-ended".to_owned(), |d| d.to_string())
        )));
    }
    let mut goals = BTreeMap::new();
    for text in request.goals {
        let (id, report) = parse_goal(text, agreement)?;
        if goals.insert(id.clone(), report).is_some() {
            return Err(Error::refused(format!("--goal {id} is given twice")));
        }
    }
    let mut scores = BTreeMap::new();
    for text in request.scores {
        let (name, score) = parse_score(text, agreement)?;
        if scores.insert(name.clone(), score).is_some() {
            return Err(Error::refused(format!("--score {name} is given twice")));
        }
    }
    if let Some(note) = request.note {
        check_note(note).map_err(|e| Error::refused(format!("--note: {e}")))?;
    }
    if goals.is_empty() && scores.is_empty() && request.note.is_none() && !request.review {
        return Err(Error::refused("a check-in needs something to record")
            .hint_that("give --goal GOAL=STATUS, --score NAME=N, --note TEXT or --review"));
    }
    Ok(Draft {
        agreement,
        file: CheckinFile {
            agreement: id.clone(),
            version,
            date: date.to_string(),
            by: Role::Mentee,
            review: request.review,
            goals,
            scores,
            note: request.note.map(str::to_owned),
            signature: String::new(),
        },
    })
}

/// Sign `file` and render it as it will be written under `dir/ID/`,
/// refusing text that would not read back as what was signed. Returns the
/// repository-relative path and the text.
pub fn seal(file: &mut CheckinFile, signer: &Signer, dir: &str) -> Result<(String, String)> {
    file.signature = signer.sign(super::NAMESPACE, &file.message())?;
    let text = file.render();
    let rel = format!("{dir}/{}/{}", file.agreement, file.file_name(&text));
    match CheckinFile::parse(&rel, text.as_bytes()) {
        Ok(p) if p.file == *file => Ok((rel, text)),
        _ => Err(Error::refused(
            "the check-in written would not read back as signed; nothing was written",
        )),
    }
}

fn parse_goal(text: &str, agreement: &Agreement) -> Result<(String, GoalReport)> {
    let usage = || {
        Error::refused(format!(
            "--goal {text}: expected GOAL=STATUS or GOAL=STATUS:NOTE"
        ))
        .hint_that("e.g. --goal design-review=at-risk:'waiting for the platform team'")
    };
    let (id, rest) = text.split_once('=').ok_or_else(usage)?;
    let (status, note) = match rest.split_once(':') {
        Some((s, n)) => (s, Some(n.to_owned())),
        None => (rest, None),
    };
    if !agreement.goals.iter().any(|g| g.id == id) {
        let ids: Vec<&str> = agreement.goals.iter().map(|g| g.id.as_str()).collect();
        return Err(Error::refused(format!(
            "--goal {text}: the version in force has no goal `{id}`"
        ))
        .hint_that(format!("its goals are: {}", ids.join(", "))));
    }
    let status = GoalStatus::parse(status).ok_or_else(|| {
        Error::refused(format!("--goal {text}: `{status}` is not a goal status"))
            .hint_that("a status is one of not-started, on-track, at-risk, done, dropped")
    })?;
    if let Some(n) = &note {
        check_note(n).map_err(|e| Error::refused(format!("--goal {id}: {e}")))?;
    }
    Ok((id.to_owned(), GoalReport { status, note }))
}

fn parse_score(text: &str, agreement: &Agreement) -> Result<(String, Score)> {
    let (name, value) = text.rsplit_once('=').ok_or_else(|| {
        Error::refused(format!(
            "--score {text}: expected NAME=N with N from 1 to 5"
        ))
    })?;
    let card: Vec<&str> = agreement
        .reviews
        .as_ref()
        .and_then(|r| r.scorecard.as_ref())
        .map(|c| c.iter().map(String::as_str).collect())
        .unwrap_or_default();
    if !card.contains(&name) {
        let error = Error::refused(format!(
            "--score {text}: `{name}` is not a heading of the agreement's scorecard"
        ));
        return Err(if card.is_empty() {
            error.hint_that("the version in force has no reviews.scorecard")
        } else {
            error.hint_that(format!("its headings are: {}", card.join(", ")))
        });
    }
    let score = value
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(Score::new)
        .ok_or_else(|| {
            Error::refused(format!(
                "--score {text}: a score is a whole number from 1 to 5"
            ))
        })?;
    Ok((name.to_owned(), score))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agreement() -> Agreement {
        let text = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ada-grace.yaml"),
        )
        .unwrap();
        crate::agreement::lint::load("agreements/ada-grace.yaml", &text)
            .agreement()
            .cloned()
            .unwrap()
    }

    fn refusal<T: std::fmt::Debug>(r: Result<T>) -> (String, Vec<String>) {
        let e = r.unwrap_err();
        assert_eq!(e.kind(), crate::error::ErrorKind::Refused);
        let hints = e.hints().into_iter().map(str::to_owned).collect();
        (e.to_string(), hints)
    }

    /// A check-in reports on the version in force on its own date, whatever
    /// day the record was loaded for: the demo's ada-grace has one version
    /// in force from 2026-01-12 and the next from 2026-03-23.
    #[test]
    fn a_checkin_reports_on_the_version_in_force_on_its_date() {
        let dir = tempfile::tempdir().unwrap();
        crate::demo::build(dir.path()).unwrap();
        let repo = git2::Repository::open(dir.path()).unwrap();
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let today = day("2026-06-10");
        let record = crate::record::load_at_head(&repo, "ada-grace", today)
            .unwrap()
            .record;
        let version_on = |date: &str| {
            let request = Request {
                date: day(date),
                today,
                goals: &[],
                scores: &[],
                note: Some("Met."),
                review: false,
            };
            draft(&record, &request).unwrap().file.version
        };
        let in_force = |date: &str| {
            let e = record.evaluate_on(day(date));
            let v = &e.versions[e.in_force.unwrap()];
            v.version.as_ref().unwrap().as_str().to_owned()
        };
        let (early, late) = (version_on("2026-02-20"), version_on("2026-04-12"));
        assert_ne!(early, late);
        assert_eq!(early, in_force("2026-02-20"));
        assert_eq!(late, in_force("2026-04-12"));
        assert_eq!(late, version_on("2026-06-10"));
        let (message, _) = refusal(draft(
            &record,
            &Request {
                date: day("2026-01-05"),
                today,
                goals: &[],
                scores: &[],
                note: Some("Met."),
                review: false,
            },
        ));
        assert!(
            message.contains("no signed version is in force on 2026-01-05"),
            "{message}"
        );
    }

    #[test]
    fn goals_name_a_goal_of_the_version_and_a_status() {
        let a = agreement();
        let (id, report) = parse_goal("design-review=at-risk:waiting on infra", &a).unwrap();
        assert_eq!(id, "design-review");
        assert_eq!(report.status, GoalStatus::parse("at-risk").unwrap());
        assert_eq!(report.note.as_deref(), Some("waiting on infra"));
        let (message, hints) = refusal(parse_goal("launch=done", &a));
        assert_eq!(
            message,
            "--goal launch=done: the version in force has no goal `launch`"
        );
        assert_eq!(hints, ["its goals are: design-review, tech-talk"]);
        let (message, _) = refusal(parse_goal("tech-talk=finished", &a));
        assert_eq!(
            message,
            "--goal tech-talk=finished: `finished` is not a goal status"
        );
        let (message, hints) = refusal(parse_goal("tech-talk", &a));
        assert!(
            message.ends_with("expected GOAL=STATUS or GOAL=STATUS:NOTE"),
            "{message}"
        );
        assert_eq!(hints.len(), 1);
    }

    #[test]
    fn scores_name_a_scorecard_heading_and_run_from_one_to_five() {
        let a = agreement();
        let (name, score) = parse_score("project delivery=4", &a).unwrap();
        assert_eq!(name, "project delivery");
        assert_eq!(score, Score::new(4).unwrap());
        for bad in [
            "project delivery=0",
            "project delivery=6",
            "project delivery=four",
        ] {
            let (message, _) = refusal(parse_score(bad, &a));
            assert_eq!(
                message,
                format!("--score {bad}: a score is a whole number from 1 to 5")
            );
        }
        let (message, hints) = refusal(parse_score("teamwork=3", &a));
        assert_eq!(
            message,
            "--score teamwork=3: `teamwork` is not a heading of the agreement's scorecard"
        );
        assert_eq!(
            hints,
            ["its headings are: skill development, project delivery, professional behaviour"]
        );
    }
}
