//! The programme view (`charter report`): every agreement of a repository
//! at once, for the lead who runs the programme. Counts by state, who has
//! kept a version waiting for a signature, overdue reviews and goals,
//! mentor load, agreements that ran out without being concluded and notice
//! periods about to end.
//!
//! Built from the records `record::load_all` gives (one walk of history);
//! pure from there on. The JSON form ([`Report`]) is a documented, stable
//! shape: fields are only ever added.

pub mod csv;
pub mod html;
pub mod progress;
pub mod text;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::agreement::{Agreement, Role};
use crate::record::Record;
use crate::report::governing;
use crate::rules::AgreementState;

pub use progress::GoalStatus;

/// Every agreement state, in the order reports list them.
pub const STATES: [AgreementState; 7] = AgreementState::ALL;

/// Which agreements a report covers and how it judges them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Filters {
    /// Only agreements where this email is mentor, mentee or observer.
    pub party: Option<String>,
    /// Only agreements in these states (all when empty).
    pub states: Vec<AgreementState>,
    /// A version waiting for signatures longer than this many days is stale.
    pub stale_days: u64,
}

/// A person as reports name them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Party {
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: String,
}

/// A version waiting for signatures for longer than the stale limit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Waiting {
    /// The agreement id.
    pub id: String,
    /// The version waiting.
    pub version: Option<String>,
    /// The day it was committed (clamped commit time).
    pub since: NaiveDate,
    /// Days since then.
    pub days: i64,
    /// Roles still to sign.
    pub missing: Vec<Role>,
    /// Their emails.
    pub who: Vec<String>,
}

/// A periodic review that is due and not recorded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReviewOverdue {
    /// The agreement id.
    pub id: String,
    /// The review day that passed.
    pub due: NaiveDate,
    /// Days since.
    pub days: i64,
    /// The last review recorded, if any.
    pub last_review: Option<NaiveDate>,
}

/// A goal past its due date and neither done nor dropped.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GoalOverdue {
    /// The agreement id.
    pub id: String,
    /// The goal id.
    pub goal: String,
    /// Its due date.
    pub due: NaiveDate,
    /// Its status.
    pub status: GoalStatus,
}

/// Goals of the agreements in force, by status.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Goals {
    /// How many goals have each status (every status is present).
    pub by_status: BTreeMap<String, usize>,
    /// Goals past due.
    pub overdue: Vec<GoalOverdue>,
}

/// How many agreements a mentor has in force.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MentorLoad {
    /// The mentor.
    pub mentor: Party,
    /// Agreements in force (state `in-force` or `pending`).
    pub in_force: usize,
    /// Their ids.
    pub agreements: Vec<String>,
}

/// An agreement whose term ran out without a concluding version.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EndedUnconcluded {
    /// The agreement id.
    pub id: String,
    /// Its term's end.
    pub term_end: Option<NaiveDate>,
}

/// A pending amendment whose notice period has not ended yet.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoticeEnd {
    /// The agreement id.
    pub id: String,
    /// When renegotiation was opened.
    pub opened: NaiveDate,
    /// The earliest day the amendment may take effect.
    pub earliest_effective: NaiveDate,
    /// The amendment's own `effective`.
    pub effective: Option<NaiveDate>,
    /// Days from today to the end of the notice.
    pub days: i64,
}

/// One agreement's row (the CSV has one line per row).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    /// The agreement id.
    pub id: String,
    /// Its title.
    pub title: Option<String>,
    /// Its state.
    pub state: AgreementState,
    /// The mentor.
    pub mentor: Option<Party>,
    /// The mentee.
    pub mentee: Option<Party>,
    /// The version in force.
    pub in_force: Option<String>,
    /// Since when it is in force.
    pub in_force_since: Option<NaiveDate>,
    /// The version waiting for signatures.
    pub pending: Option<String>,
    /// Committed on.
    pub pending_since: Option<NaiveDate>,
    /// Roles still to sign it.
    pub missing: Vec<Role>,
    /// The term.
    pub term_start: Option<NaiveDate>,
    /// The term's end.
    pub term_end: Option<NaiveDate>,
    /// The next review day.
    pub next_review: Option<NaiveDate>,
    /// Whether a review is overdue.
    pub review_overdue: bool,
    /// Number of goals.
    pub goals: usize,
    /// Number of goals past due.
    pub goals_overdue: usize,
    /// The concluding date, when concluded.
    pub concluded: Option<NaiveDate>,
    /// The template it was made from.
    pub template: Option<String>,
}

/// The programme report: the stable JSON of `charter report --format json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// The day judged.
    pub today: NaiveDate,
    /// The programme's display name (`program:` in charter.yaml).
    pub program: Option<String>,
    /// The filters applied.
    pub filters: Filters,
    /// Agreements covered.
    pub total: usize,
    /// Agreements by state (every state is present).
    pub by_state: BTreeMap<String, usize>,
    /// Versions waiting for signatures longer than the stale limit.
    pub waiting: Vec<Waiting>,
    /// Reviews due and not recorded.
    pub reviews_overdue: Vec<ReviewOverdue>,
    /// Goals of agreements in force.
    pub goals: Goals,
    /// Agreements in force per mentor, busiest first.
    pub mentor_load: Vec<MentorLoad>,
    /// Agreements whose term ended without a concluding version.
    pub ended_unconcluded: Vec<EndedUnconcluded>,
    /// Pending amendments whose notice has not ended, soonest first.
    pub notice_ends: Vec<NoticeEnd>,
    /// One row per agreement, by id.
    pub agreements: Vec<Row>,
}

impl Report {
    /// Agreements by state, in the order of [`STATES`].
    pub fn states(&self) -> Vec<(&'static str, usize)> {
        STATES
            .iter()
            .map(|s| {
                (
                    s.as_str(),
                    self.by_state.get(s.as_str()).copied().unwrap_or(0),
                )
            })
            .collect()
    }

    /// Goals by status, in the order of [`GoalStatus::ALL`].
    pub fn goal_statuses(&self) -> Vec<(&'static str, usize)> {
        GoalStatus::ALL
            .iter()
            .map(|s| {
                let n = self.goals.by_status.get(s.as_str()).copied().unwrap_or(0);
                (s.as_str(), n)
            })
            .collect()
    }
}

fn party(p: &crate::agreement::model::Person) -> Party {
    Party {
        name: p.name.clone(),
        email: p.email.clone(),
    }
}

fn involves(a: &Agreement, email: &str) -> bool {
    a.parties.mentor.email.eq_ignore_ascii_case(email)
        || a.parties.mentee.email.eq_ignore_ascii_case(email)
        || a.parties
            .observers
            .iter()
            .flatten()
            .any(|o| o.email.eq_ignore_ascii_case(email))
}

/// Build the report from loaded records.
pub fn build(
    records: &[Record],
    today: NaiveDate,
    program: Option<String>,
    filters: Filters,
) -> Report {
    let mut by_state: BTreeMap<String, usize> =
        STATES.iter().map(|s| (s.as_str().to_owned(), 0)).collect();
    let mut goal_counts: BTreeMap<String, usize> = GoalStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), 0))
        .collect();
    let mut report = Report {
        today,
        program,
        filters: filters.clone(),
        total: 0,
        by_state: BTreeMap::new(),
        waiting: Vec::new(),
        reviews_overdue: Vec::new(),
        goals: Goals {
            by_status: BTreeMap::new(),
            overdue: Vec::new(),
        },
        mentor_load: Vec::new(),
        ended_unconcluded: Vec::new(),
        notice_ends: Vec::new(),
        agreements: Vec::new(),
    };
    let mut load: BTreeMap<String, MentorLoad> = BTreeMap::new();
    for record in records {
        let e = &record.evaluation;
        if !record.is_listed() {
            continue;
        }
        let state = e.state;
        let agreement = governing(record);
        if let Some(email) = &filters.party {
            if !agreement.is_some_and(|a| involves(a, email)) {
                continue;
            }
        }
        if !filters.states.is_empty() && !filters.states.contains(&state) {
            continue;
        }
        report.total += 1;
        *by_state.entry(state.as_str().to_owned()).or_default() += 1;

        let in_force = e.in_force.map(|i| &e.versions[i]);
        let pending = e.pending.map(|i| &e.versions[i]);
        let pending_agreement = pending.and_then(|v| {
            record.history.points[v.point]
                .state
                .parsed()
                .and_then(|p| p.agreement())
        });
        let open = matches!(
            state,
            AgreementState::Draft | AgreementState::Pending | AgreementState::Scheduled
        );
        if let (Some(v), Some(a), true) = (pending, pending_agreement, open) {
            let since = v.commit.date();
            let days = (today - since).num_days();
            if days > filters.stale_days as i64 {
                report.waiting.push(Waiting {
                    id: record.id.clone(),
                    version: v.version.as_ref().map(|x| x.as_str().to_owned()),
                    since,
                    days,
                    missing: v.missing.clone(),
                    who: v.missing.iter().map(|r| r.email(a).to_owned()).collect(),
                });
            }
            if let Some(n) = v.notice.as_ref().filter(|n| n.earliest_effective >= today) {
                if e.is_live() {
                    report.notice_ends.push(NoticeEnd {
                        id: record.id.clone(),
                        opened: n.opened,
                        earliest_effective: n.earliest_effective,
                        effective: v.effective,
                        days: (n.earliest_effective - today).num_days(),
                    });
                }
            }
        }

        let mut review_overdue = false;
        let mut goals_overdue = 0;
        if let (true, Some(a)) = (e.is_live(), agreement) {
            let lived = progress::of(record, a, true, today);
            if let (true, Some(due)) = (lived.review_overdue, lived.next_review) {
                review_overdue = true;
                report.reviews_overdue.push(ReviewOverdue {
                    id: record.id.clone(),
                    due,
                    days: (today - due).num_days(),
                    last_review: lived.last_review,
                });
            }
            for g in &lived.goals {
                let status = g.status.unwrap_or(GoalStatus::NotStarted);
                *goal_counts.entry(status.as_str().to_owned()).or_default() += 1;
                if g.overdue {
                    goals_overdue += 1;
                    report.goals.overdue.push(GoalOverdue {
                        id: record.id.clone(),
                        goal: g.id.clone(),
                        due: g.due,
                        status,
                    });
                }
            }
            let mentor = party(&a.parties.mentor);
            let entry = load
                .entry(mentor.email.to_lowercase())
                .or_insert_with(|| MentorLoad {
                    mentor,
                    in_force: 0,
                    agreements: Vec::new(),
                });
            entry.in_force += 1;
            entry.agreements.push(record.id.clone());
        }
        if state == AgreementState::Ended {
            report.ended_unconcluded.push(EndedUnconcluded {
                id: record.id.clone(),
                term_end: agreement.and_then(|a| a.term.end.map(|d| d.0)),
            });
        }
        let ongoing = !state.is_over();
        report.agreements.push(Row {
            id: record.id.clone(),
            title: agreement.map(|a| a.title.clone()),
            state,
            mentor: agreement.map(|a| party(&a.parties.mentor)),
            mentee: agreement.map(|a| party(&a.parties.mentee)),
            in_force: in_force.and_then(|v| v.version.as_ref().map(|x| x.as_str().to_owned())),
            in_force_since: in_force.and_then(|v| v.takes_effect),
            pending: pending.and_then(|v| v.version.as_ref().map(|x| x.as_str().to_owned())),
            pending_since: pending.map(|v| v.commit.date()),
            missing: pending.map(|v| v.missing.clone()).unwrap_or_default(),
            term_start: agreement.map(|a| a.term.start.0),
            term_end: agreement.and_then(|a| a.term.end.map(|d| d.0)),
            next_review: agreement
                .filter(|_| ongoing)
                .and_then(|a| progress::of(record, a, false, today).next_review),
            review_overdue,
            goals: agreement.map_or(0, |a| a.goals.len()),
            goals_overdue,
            concluded: in_force
                .filter(|v| v.concluding)
                .and_then(|v| v.takes_effect),
            template: agreement.and_then(|a| a.template.as_ref().map(|t| t.name.clone())),
        });
    }
    report.by_state = by_state;
    report.goals.by_status = goal_counts;
    let mut load: Vec<MentorLoad> = load.into_values().collect();
    load.sort_by(|a, b| {
        b.in_force
            .cmp(&a.in_force)
            .then_with(|| a.mentor.email.cmp(&b.mentor.email))
    });
    report.mentor_load = load;
    report
        .waiting
        .sort_by(|a, b| b.days.cmp(&a.days).then(a.id.cmp(&b.id)));
    report
        .reviews_overdue
        .sort_by(|a, b| a.due.cmp(&b.due).then(a.id.cmp(&b.id)));
    report
        .goals
        .overdue
        .sort_by(|a, b| a.due.cmp(&b.due).then(a.id.cmp(&b.id)));
    report.notice_ends.sort_by(|a, b| {
        a.earliest_effective
            .cmp(&b.earliest_effective)
            .then(a.id.cmp(&b.id))
    });
    report
}
