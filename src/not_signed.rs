//! Why a version both parties have signed is still not signed (README, "History, notice and states"):
//! a replaced party has not signed it with their previous email, or the
//! mentor and the mentee signed with the same key. `verify` prints it under
//! the version, `check` reports it (`party-change`, `same-key`, `unsigned`);
//! both ask this module, so they always give the same reason.

use crate::agreement::Role;
use crate::record::Record;
use crate::rules::VersionReport;

/// A party's email that changed since the previous signed version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyChange {
    /// The role whose email changed.
    pub role: Role,
    /// Its email in the previous signed version, whose owner must sign too.
    pub old: String,
    /// Its email in this version.
    pub new: String,
}

impl PartyChange {
    /// One sentence for users: who changed and who has not signed.
    pub fn message(&self) -> String {
        format!(
            "the {} changes from {} to {}, and {} has not signed this version",
            self.role, self.old, self.new, self.old
        )
    }
}

/// Why a version with a sign-off from each role is not signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotSigned {
    /// A party changed, and the previous principal has not signed.
    PartyChange(PartyChange),
    /// The two sign-offs were made with the same key.
    SameKey,
}

/// The first party (mentor, then mentee) whose email in the version at
/// `point` differs from the previous signed version's: that previous
/// principal must sign too.
pub fn party_change(record: &Record, point: usize) -> Option<PartyChange> {
    let e = &record.evaluation;
    let agreement = record
        .history
        .points
        .get(point)?
        .state
        .parsed()?
        .agreement()?;
    let previous = e
        .versions
        .iter()
        .rev()
        .find(|v| v.signed && v.point < point)
        .and_then(|v| record.history.points[v.point].state.parsed()?.agreement())?;
    Role::BOTH.into_iter().find_map(|role| {
        let (old, new) = (role.email(previous), role.email(agreement));
        (old != new).then(|| PartyChange {
            role,
            old: old.to_owned(),
            new: new.to_owned(),
        })
    })
}

/// Why `version` (of `record`) is not signed although each role has a
/// sign-off for it; `None` when it is signed, or a role has not signed yet
/// (then `missing` says who), or it concludes the agreement.
pub fn why_not_signed(record: &Record, version: &VersionReport) -> Option<NotSigned> {
    if version.signed || version.concluding || version.signed_by.len() < Role::BOTH.len() {
        return None;
    }
    Some(match party_change(record, version.point) {
        Some(change) => NotSigned::PartyChange(change),
        None => NotSigned::SameKey,
    })
}
