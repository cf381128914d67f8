//! The JSON-facing summary of an agreement's state, shared by `status` and
//! `check` so both speak the same shapes (docs/json.md).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::agreement::{Agreement, Role};
use crate::record::Record;
use crate::rules::{AgreementState, VersionReport, VersionState};

/// The version in force (or a scheduled one).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InForce {
    /// Its version id.
    pub version: String,
    /// Its 0-based position among the agreement's versions, for `v3`.
    #[serde(skip)]
    pub index: usize,
    /// Its `effective`.
    pub effective: Option<NaiveDate>,
    /// The day it took (or takes) effect.
    pub since: Option<NaiveDate>,
    /// The commit that introduced it.
    pub commit: String,
}

/// The pending amendment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    /// Its version id.
    pub version: Option<String>,
    /// Its 0-based position among the agreement's versions, for `v3`.
    #[serde(skip)]
    pub index: usize,
    /// When renegotiation was opened (none for a first version).
    pub opened: Option<NaiveDate>,
    /// The earliest day it may take effect under the notice rule.
    pub earliest_effective: Option<NaiveDate>,
    /// Its `effective`.
    pub effective: Option<NaiveDate>,
    /// Whether its `effective` respects the notice rule.
    pub notice_ok: bool,
    /// Whether both parties waived the notice.
    pub waived: bool,
    /// Roles that have signed it.
    pub signed_by: Vec<Role>,
    /// Roles still to sign.
    pub missing: Vec<Role>,
    /// Roles that refused it (`charter decline`) and have not signed it since.
    pub declined_by: Vec<Role>,
    /// `pending` (an amendment of a signed version), `draft` (a first
    /// version) or `declined`, so readers tell a proposal from a first
    /// version without re-deriving it from the other fields.
    pub state: VersionState,
}

/// One agreement's state for `check --format json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgreementSummary {
    /// The agreement id.
    pub id: String,
    /// The agreement's state.
    pub state: AgreementState,
    /// The version in force.
    pub in_force: Option<InForce>,
    /// The pending amendment.
    pub pending: Option<Pending>,
    /// Signed versions waiting for their date.
    pub scheduled: Vec<InForce>,
}

fn in_force(index: usize, v: &VersionReport) -> InForce {
    InForce {
        index,
        version: v
            .version
            .as_ref()
            .map_or_else(String::new, |id| id.as_str().to_owned()),
        effective: v.effective,
        since: v.takes_effect,
        commit: v.commit.id.to_string(),
    }
}

fn pending(index: usize, v: &VersionReport) -> Pending {
    let notice = v.notice.as_ref();
    Pending {
        index,
        version: v.version.as_ref().map(|id| id.as_str().to_owned()),
        opened: notice.map(|n| n.opened),
        earliest_effective: notice.map(|n| n.earliest_effective),
        effective: v.effective,
        notice_ok: notice.is_none_or(|n| n.ok()),
        waived: notice.is_some_and(|n| n.waived),
        signed_by: v.signed_by.clone(),
        missing: v.missing.clone(),
        declined_by: v.declined_by.clone(),
        state: v.state,
    }
}

impl AgreementSummary {
    /// Summarise a record.
    pub fn of(record: &Record) -> AgreementSummary {
        let e = &record.evaluation;
        AgreementSummary {
            id: record.id.clone(),
            state: e.state,
            in_force: e.in_force.map(|i| in_force(i, &e.versions[i])),
            pending: e.pending.map(|i| pending(i, &e.versions[i])),
            scheduled: e
                .scheduled
                .iter()
                .map(|&i| in_force(i, &e.versions[i]))
                .collect(),
        }
    }
}

/// The agreement that governs a record today: the version in force, else
/// the newest valid version.
pub fn governing(record: &Record) -> Option<&Agreement> {
    let e = &record.evaluation;
    let point_of = |i: usize| e.versions[i].point;
    let from = |i: usize| {
        record.history.points[point_of(i)]
            .state
            .parsed()
            .and_then(|p| p.agreement())
    };
    e.in_force
        .and_then(from)
        .or_else(|| (0..e.versions.len()).rev().find_map(from))
}
