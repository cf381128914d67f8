//! The documents commands print with `--format json`, in one module, each
//! with `Deserialize` as well as `Serialize`: a tool (or a test) reads the
//! output back into these types, so a change of shape shows up as a type
//! change here and fails the test that reads the real binary's output
//! (`tests/cli/json_types.rs`). `docs/json.md` documents them.
//!
//! Fields are only ever added. The nested types they hold (an agreement's
//! state, a check-in, the programme report's rows) live next to the code
//! that computes them and are re-exported or referenced from here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::agreement::model::{Concluded, Person};
use crate::agreement::{Role, VersionId};
use crate::checkin::progress::GoalProgress;
use crate::checkin::CheckinReport;
use crate::diff::Change;
use crate::finding::{Finding, Summary};
use crate::record::SignoffReport;
use crate::report::{AgreementSummary, InForce, Pending};
use crate::rules::{AgreementState, NoticeCheck, VersionState};

/// `report --format json`: the programme view, built by
/// [`crate::programme::build`].
pub use crate::programme::Report;

/// `validate --format json`: `{"findings":[…],"summary":{…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Findings {
    /// Every finding, in the order reported.
    pub findings: Vec<Finding>,
    /// Their counts.
    pub summary: Summary,
}

impl Findings {
    /// The document for `findings`.
    pub fn of(findings: &[Finding]) -> Findings {
        Findings {
            findings: findings.to_vec(),
            summary: Summary::of(findings),
        }
    }
}

/// `verify --format json`: every sign-off with its verdict, and the counts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Verify {
    /// Every sign-off of the agreements verified.
    pub signoffs: Vec<SignoffReport>,
    /// Valid and invalid counts.
    pub summary: VerifySummary,
}

/// The counts of `verify --format json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifySummary {
    /// Sign-offs that verify.
    pub valid: usize,
    /// Sign-offs that do not.
    pub invalid: usize,
}

/// `diff --format json`: one entry per agreement that differs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    /// The agreements that differ, in path order.
    pub agreements: Vec<DiffAgreement>,
}

/// One agreement in `diff --format json`; the fields after `changes`
/// appear only when a side could not be compared as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffAgreement {
    /// The agreement id (the file's stem).
    pub id: String,
    /// The old side, null when the agreement is new.
    pub from: Option<DiffSide>,
    /// The new side, null when it was removed.
    pub to: Option<DiffSide>,
    /// The semantic changes (empty when a side could not be compared).
    pub changes: Vec<Change>,
    /// Why a side does not parse.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    /// The unified line diff shown instead of changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_diff: Option<String>,
    /// Why the file was not compared (`binary file`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

/// A present side of one agreement in `diff --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffSide {
    /// The commit's full hex id, or `worktree`.
    pub rev: String,
    /// The version id, null when the side does not parse.
    pub version: Option<VersionId>,
}

/// `check --format json`: the findings, every agreement's state, the counts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Check {
    /// Every finding, in the order reported.
    pub findings: Vec<Finding>,
    /// Every agreement's state at the judged tip.
    pub agreements: Vec<AgreementSummary>,
    /// The findings' counts.
    pub summary: Summary,
}

/// `status --format json`: where every agreement stands today.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Status {
    /// One entry per agreement present at HEAD (or still in force).
    pub agreements: Vec<StatusEntry>,
}

/// One agreement in `status --format json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatusEntry {
    /// The agreement id.
    pub id: String,
    /// The governing version's title, null when no version is valid.
    pub title: Option<String>,
    /// The agreement's state.
    pub state: AgreementState,
    /// The governing version's mentor.
    pub mentor: Option<Person>,
    /// The governing version's mentee.
    pub mentee: Option<Person>,
    /// The version in force.
    pub in_force: Option<InForce>,
    /// The version waiting for signatures.
    pub pending: Option<Pending>,
    /// Signed versions waiting for their date.
    pub scheduled: Vec<InForce>,
    /// The day of the next periodic review.
    pub next_review: Option<NaiveDate>,
    /// Every goal of the governing version with its latest status.
    pub goals: Vec<GoalProgress>,
    /// The day of the last recorded review.
    pub last_review: Option<NaiveDate>,
    /// Whether the next review's day has passed.
    pub review_overdue: bool,
    /// Kept for compatibility: goals due within 30 days or overdue, not settled.
    pub goals_due: Vec<GoalDue>,
    /// The governing version's last day.
    pub term_end: Option<NaiveDate>,
    /// How it ended, once a concluding version is in force.
    pub concluded: Option<Concluded>,
    /// What is wrong with the committed file, when it cannot be signed.
    pub problem: Option<String>,
}

impl StatusEntry {
    /// Whether `status --exit-code` fails on this agreement: unsigned
    /// (draft, pending or declined), a notice problem, a file that cannot
    /// be signed, an overdue goal or review.
    pub fn needs_attention(&self) -> bool {
        self.problem.is_some()
            || matches!(
                self.state,
                AgreementState::Draft | AgreementState::Pending | AgreementState::Declined
            )
            || self.pending.as_ref().is_some_and(|p| !p.notice_ok)
            || self.goals.iter().any(|g| g.overdue)
            || self.review_overdue
    }
}

/// A goal due within 30 days, or overdue, in `status --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalDue {
    /// The goal id.
    pub id: String,
    /// Its due day.
    pub due: NaiveDate,
    /// Whether the day has passed.
    pub overdue: bool,
}

/// `log ID --format json`: one agreement's versions and check-ins.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Log {
    /// The agreement id.
    pub agreement: String,
    /// The agreement's state, the same word `status` and `check` use.
    pub state: AgreementState,
    /// Every version, newest first.
    pub versions: Vec<LogEntry>,
    /// Check-ins, oldest first (invalid ones too, with the reason).
    pub checkins: Vec<CheckinReport>,
}

/// One version in `log --format json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LogEntry {
    /// The commit that introduced it (full hex).
    pub commit: String,
    /// The commit's day.
    pub date: String,
    /// The commit's author.
    pub author: String,
    /// Its version id, null when the file does not parse.
    pub version: Option<String>,
    /// Its `effective`.
    pub effective: Option<String>,
    /// Whether it changes what was agreed (not only wording).
    pub material: bool,
    /// A one-line summary of what changed from the previous version.
    pub summary: String,
    /// Roles whose sign-off verifies.
    pub signed_by: Vec<Role>,
    /// Roles that refused this version and have not signed it since.
    pub declined_by: Vec<Role>,
    /// Its state.
    pub state: VersionState,
    /// The day it took (or takes) effect.
    pub takes_effect: Option<String>,
    /// The notice rule applied to it, for an amendment.
    pub notice: Option<NoticeCheck>,
}
