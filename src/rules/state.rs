//! Signed, in force, pending (README, "History, notice and states"), computed from an agreement's
//! history and the sign-offs that verified. Pure: no git, no clock.

use std::borrow::Cow;
use std::rc::Rc;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::agreement::lint::Parsed;
use crate::agreement::{Agreement, Role, VersionId};
use crate::diff::{self, Change, ChangeKind};
use crate::history::{ChainCommit, FileState, History};

/// A sign-off that verified against the trust root, reduced to what the
/// rules need. Whether it counts for a version is decided here.
#[derive(Debug, Clone)]
pub struct Approval {
    /// The sign-off file.
    pub file: String,
    /// The role signed for.
    pub role: Role,
    /// The principal that signed.
    pub principal: String,
    /// The version signed.
    pub version: VersionId,
    /// The previous signed version it names (`None` for `amends: none`).
    pub amends: Option<VersionId>,
    /// Whether the signer waived the notice period.
    pub waive_notice: bool,
    /// Fingerprint of the signing key (two roles must use two keys).
    pub key: String,
    /// Sign-off time: clamped time of the first commit holding the file.
    pub time: i64,
    /// Chain position of the first commit holding the file (`usize::MAX`
    /// where only the time is known): the sign-off counts for the newest
    /// occurrence of its version at or before it (see [`credited_point`]).
    pub position: usize,
}

/// The history point a sign-off for `version`, first committed at chain
/// `position` and `time`, counts for: the newest point with that version id
/// that was on the chain when the sign-off landed. A proposal withdrawn and
/// made again is a new version whose renegotiation opens anew (README, "History, notice and states"),
/// so a sign-off made for the withdrawn occurrence never counts for the new
/// one, and one made for the new occurrence never revives the old one. On a
/// real chain times never decrease, so the time bound only matters where
/// the position is unknown (`usize::MAX`).
pub fn credited_point(
    history: &History,
    version: &VersionId,
    time: i64,
    position: usize,
) -> Option<usize> {
    history.points.iter().rposition(|p| {
        p.position <= position && p.commit.time <= time && p.state.version() == Some(version)
    })
}

/// The state of one version, as `log` and JSON show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VersionState {
    /// Signed and in force today.
    InForce,
    /// Signed, waiting for its date.
    Scheduled,
    /// The newest version, unsigned, newer than the newest signed one.
    Pending,
    /// Signed but replaced: it never took effect, or a newer version did.
    Superseded,
    /// Unsigned and no longer the newest.
    Abandoned,
    /// The file does not parse (or is not a valid agreement) here.
    Unparseable,
    /// The newest version of an agreement nothing of which is signed yet.
    Draft,
    /// The pending (or draft) version, refused by a party who has not
    /// signed it since.
    Declined,
}

impl VersionState {
    /// The word used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            VersionState::InForce => "in-force",
            VersionState::Scheduled => "scheduled",
            VersionState::Pending => "pending",
            VersionState::Superseded => "superseded",
            VersionState::Abandoned => "abandoned",
            VersionState::Unparseable => "unparseable",
            VersionState::Draft => "draft",
            VersionState::Declined => "declined",
        }
    }
}

/// The state of an agreement as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AgreementState {
    /// Nothing signed yet.
    Draft,
    /// A signed version is in force.
    InForce,
    /// In force, with an unsigned amendment on top.
    Pending,
    /// A signed version waits for its date.
    Scheduled,
    /// A concluding version took effect.
    Concluded,
    /// The term's end has passed.
    Ended,
    /// The proposal waiting for signatures was refused by a party.
    Declined,
}

impl AgreementState {
    /// Whether the mentorship is over (concluded, or its term ended): then
    /// the agreement's state says all, and no version's own state (draft,
    /// scheduled) is worth adding to it.
    pub fn is_over(self) -> bool {
        matches!(self, AgreementState::Concluded | AgreementState::Ended)
    }

    /// Every agreement state, in the order reports list them.
    pub const ALL: [AgreementState; 7] = [
        AgreementState::Draft,
        AgreementState::InForce,
        AgreementState::Pending,
        AgreementState::Declined,
        AgreementState::Scheduled,
        AgreementState::Concluded,
        AgreementState::Ended,
    ];

    /// The word used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            AgreementState::Draft => "draft",
            AgreementState::InForce => "in-force",
            AgreementState::Pending => "pending",
            AgreementState::Scheduled => "scheduled",
            AgreementState::Concluded => "concluded",
            AgreementState::Ended => "ended",
            AgreementState::Declined => "declined",
        }
    }
}

/// The notice rule applied to one amendment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeCheck {
    /// The previous signed version the amendment renegotiates.
    pub amends: VersionId,
    /// The day renegotiation was opened.
    pub opened: NaiveDate,
    /// The commit that opened it.
    pub opened_commit: String,
    /// The governing notice, in days.
    pub notice_days: u64,
    /// `opened + notice`.
    pub earliest_effective: NaiveDate,
    /// The amendment's `effective`.
    pub effective: NaiveDate,
    /// Whether the amendment is material (editorial ones need no notice).
    pub material: bool,
    /// Whether both parties waived the notice.
    pub waived: bool,
}

impl NoticeCheck {
    /// True when the rule holds: editorial, waived, or not too early.
    pub fn ok(&self) -> bool {
        !self.material || self.waived || self.effective >= self.earliest_effective
    }
}

/// Everything the rules say about one version.
#[derive(Debug, Clone)]
pub struct VersionReport {
    /// Index into `History::points`.
    pub point: usize,
    /// The commit that introduced this version.
    pub commit: ChainCommit,
    /// The version id (none when unparseable).
    pub version: Option<VersionId>,
    /// Its `effective`, when it is a valid agreement.
    pub effective: Option<NaiveDate>,
    /// Its `term.end`, when it has one.
    pub term_end: Option<NaiveDate>,
    /// Roles whose sign-offs count for this version.
    pub signed_by: Vec<Role>,
    /// Whether it is signed (README, "History, notice and states").
    pub signed: bool,
    /// The signed date, when signed.
    pub signed_date: Option<NaiveDate>,
    /// When it takes (or took) effect, when signed.
    pub takes_effect: Option<NaiveDate>,
    /// The notice rule, for amendments of a signed version.
    pub notice: Option<NoticeCheck>,
    /// Whether its only change from the previous signed version is `concluded`.
    pub concluding: bool,
    /// Whether its change from the previous version is material.
    pub material: bool,
    /// Roles still missing, for an unsigned valid version.
    pub missing: Vec<Role>,
    /// Sign-off files that count.
    pub signoff_files: Vec<String>,
    /// Roles that refused this version and have not signed it since.
    pub declined_by: Vec<Role>,
    /// Its state.
    pub state: VersionState,
}

/// The evaluation of one agreement on one day.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// One report per point with content (absent points are left out), oldest first.
    pub versions: Vec<VersionReport>,
    /// The agreement's state.
    pub state: AgreementState,
    /// Index into `versions` of the version in force today.
    pub in_force: Option<usize>,
    /// Index into `versions` of the pending version.
    pub pending: Option<usize>,
    /// Indices into `versions` of scheduled versions.
    pub scheduled: Vec<usize>,
}

impl Evaluation {
    /// Whether the mentorship is being lived: a signed version is in force
    /// and the agreement has neither concluded nor reached its end. An
    /// amendment waiting for signatures, declined or scheduled on top does
    /// not stop it. Reviews and goals fall due only then; `status` and
    /// `report` both ask this, so they never disagree on what is overdue.
    pub fn is_live(&self) -> bool {
        self.in_force.is_some() && !self.state.is_over()
    }

    /// The version in force, with its index into `versions` (which names
    /// it `v1`, `v2`, …): what `diff --signed` compares the working tree
    /// with. `None` while nothing is in force.
    pub fn in_force_version(&self) -> Option<(usize, &VersionReport)> {
        self.in_force.map(|i| (i, &self.versions[i]))
    }

    /// The version a reader is shown (an index into `versions`): the one
    /// in force, or the newest when `newest` is asked for (`show --pending`
    /// or `--at`) or nothing is in force yet. `None` without versions.
    pub fn shown(&self, newest: bool) -> Option<usize> {
        match (newest, self.in_force) {
            (false, Some(i)) => Some(i),
            _ => self.versions.len().checked_sub(1),
        }
    }

    /// Mark the version waiting for signatures (pending, or a draft) as
    /// `declined` when a party refused it (valid declines, as `(version,
    /// role)`) and has not signed it since; the agreement's state follows,
    /// unless it is concluded or ended. A sign-off outweighs a refusal.
    pub fn apply_declines(&mut self, refusals: &[(VersionId, Role)]) {
        let Some(i) = self.pending else {
            return;
        };
        let v = &mut self.versions[i];
        let Some(version) = v.version.clone() else {
            return;
        };
        for role in Role::BOTH {
            let refused = refusals.iter().any(|(id, r)| *id == version && *r == role);
            if refused && !v.signed_by.contains(&role) {
                v.declined_by.push(role);
            }
        }
        if v.declined_by.is_empty() {
            return;
        }
        v.state = VersionState::Declined;
        if matches!(self.state, AgreementState::Pending | AgreementState::Draft) {
            self.state = AgreementState::Declined;
        }
    }
}

fn date_of(time: i64) -> NaiveDate {
    crate::history::utc(time).date_naive()
}

fn agreement_of(state: &FileState) -> Option<&Agreement> {
    state.parsed().and_then(Parsed::agreement)
}

/// The plain data of a state. When it was not kept (a whole repository is
/// loaded without it), the typed agreement stands in: it differs only in
/// presentation (`every 3 week` is written `every 3 weeks`), never in what
/// is material.
fn data_of(state: &FileState) -> Option<Cow<'_, serde_json::Value>> {
    let parsed = state.parsed()?;
    match (parsed.data(), parsed.agreement()) {
        (Some(serde_json::Value::Null), Some(a)) => serde_json::to_value(a).ok().map(Cow::Owned),
        (Some(data), _) => Some(Cow::Borrowed(data)),
        (None, _) => None,
    }
}

/// One point's data, made once by [`data_of`] and shared by the comparisons
/// that need it (with the next version, and while it is the newest signed
/// version, with every later one).
type Data<'h> = Rc<Cow<'h, serde_json::Value>>;

/// Whether the only difference between two versions is adding `concluded`.
fn only_concludes(changes: &[Change]) -> bool {
    changes.len() == 1 && changes[0].path == "concluded" && changes[0].kind == ChangeKind::Added
}

/// Sign-offs that make a version signed: the earliest-completing choice.
struct Signing {
    time: i64,
    waived: bool,
    files: Vec<String>,
    roles: Vec<Role>,
}

/// Evaluate an agreement's history against its valid sign-offs on `today`.
pub fn evaluate(history: &History, approvals: &[Approval], today: NaiveDate) -> Evaluation {
    let mut versions: Vec<VersionReport> = Vec::new();
    // Signed versions so far: (index into versions, superseded).
    let mut signed: Vec<(usize, bool)> = Vec::new();
    let credited: Vec<Option<usize>> = approvals
        .iter()
        .map(|a| credited_point(history, &a.version, a.time, a.position))
        .collect();
    // The newest earlier point with data, and the newest signed version's
    // point and data: the two a version is compared with. Each point's data
    // is made once, when the loop reaches it.
    let mut previous: Option<(usize, Data<'_>)> = None;
    let mut last_signed: Option<(usize, Data<'_>)> = None;

    for (point, p) in history.points.iter().enumerate() {
        if p.state == FileState::Absent {
            continue;
        }
        let version = p.state.version().cloned();
        let mut report = VersionReport {
            point,
            commit: p.commit.clone(),
            version: version.clone(),
            effective: agreement_of(&p.state).map(|a| a.effective.0),
            term_end: agreement_of(&p.state).and_then(|a| a.term.end.map(|d| d.0)),
            signed_by: Vec::new(),
            signed: false,
            signed_date: None,
            takes_effect: None,
            notice: None,
            concluding: false,
            material: true,
            missing: Vec::new(),
            signoff_files: Vec::new(),
            declined_by: Vec::new(),
            state: VersionState::Unparseable,
        };
        let data: Option<Data<'_>> = data_of(&p.state).map(Rc::new);
        let Some(data) = data else {
            versions.push(report);
            continue;
        };
        // A version with no earlier data is all new, so material.
        let from_previous = previous.as_ref().map(|(_, old)| diff::diff(old, &data));
        report.material = from_previous.as_deref().is_none_or(diff::is_material);
        let from_previous_point = previous.as_ref().map(|&(i, _)| i);
        previous = Some((point, Rc::clone(&data)));
        let Some(agreement) = agreement_of(&p.state) else {
            versions.push(report);
            continue;
        };
        let prev_signed = signed.last().map(|&(i, _)| i);
        let prev = prev_signed.map(|i| &versions[i]);
        let prev_agreement = prev.and_then(|v| agreement_of(&history.points[v.point].state));
        // The change from the previous signed version, in one diff: the
        // one just made when that version is also the previous one.
        let from_signed: Option<Cow<'_, [Change]>> = match &last_signed {
            Some((at, _)) if Some(*at) == from_previous_point => {
                from_previous.as_deref().map(Cow::Borrowed)
            }
            Some((_, old)) => Some(Cow::Owned(diff::diff(old, &data))),
            None => None,
        };
        report.concluding = from_signed.as_deref().is_some_and(only_concludes);

        let amends = prev.and_then(|v| v.version.clone());
        let mine: Vec<&Approval> = approvals
            .iter()
            .zip(&credited)
            .filter(|(a, at)| **at == Some(point) && a.amends == amends)
            .map(|(a, _)| a)
            .collect();
        let signing = choose_signing(&mine, agreement, prev_agreement, report.concluding);
        for role in Role::BOTH {
            let has = mine
                .iter()
                .any(|a| a.role == role && a.principal == role.email(agreement));
            if has {
                report.signed_by.push(role);
            } else {
                report.missing.push(role);
            }
        }

        // The notice rule, for an amendment of a signed version. Concluding
        // is exempt: ending a mentorship needs no one's permission or notice.
        if let (Some(prev_index), Some(prev_agreement), false) =
            (prev_signed, prev_agreement, report.concluding)
        {
            let material = from_signed.as_deref().is_none_or(diff::is_material);
            report.notice = notice_check(
                history,
                &versions,
                &signed,
                prev_index,
                prev_agreement,
                point,
                agreement,
                material,
                signing.as_ref().is_some_and(|s| s.waived),
            );
        }

        if let Some(s) = signing {
            let signed_date = date_of(s.time.max(p.commit.time));
            let effect = if report.concluding {
                agreement
                    .concluded
                    .as_ref()
                    .map_or(signed_date, |c| c.date.0.max(signed_date))
            } else {
                let mut effect = agreement.effective.0.max(signed_date);
                if let Some(n) = &report.notice {
                    if n.material && !n.waived {
                        effect = effect.max(n.earliest_effective);
                    }
                }
                effect
            };
            report.signed = true;
            report.signed_date = Some(signed_date);
            report.takes_effect = Some(effect);
            report.signoff_files = s.files;
            report.signed_by = s.roles;
            report.missing.clear();
            // Earlier signed versions that had not taken effect are superseded.
            for (i, superseded) in signed.iter_mut() {
                if versions[*i].takes_effect.is_some_and(|e| e > signed_date) {
                    *superseded = true;
                }
            }
            signed.push((versions.len(), false));
            last_signed = Some((point, data));
        }
        versions.push(report);
    }

    label(&mut versions, &signed, today)
}

/// The governing notice and the opened date of an amendment at `point`.
#[allow(clippy::too_many_arguments)]
fn notice_check(
    history: &History,
    versions: &[VersionReport],
    signed: &[(usize, bool)],
    prev_index: usize,
    prev_agreement: &Agreement,
    point: usize,
    agreement: &Agreement,
    material: bool,
    waived: bool,
) -> Option<NoticeCheck> {
    let prev_version = versions[prev_index].version.clone()?;
    // The last point before this one whose version equals P's; the point
    // after it opened the renegotiation.
    let last_at_p = (0..point)
        .rev()
        .find(|&i| history.points[i].state.version() == Some(&prev_version))?;
    let opener = &history.points[last_at_p + 1];
    let opened = opener.commit.date();
    let mut notice_days = prev_agreement.renegotiation.notice.days();
    if let Some(in_force) = in_force_on(versions, signed, opened) {
        if let Some(a) = agreement_of(&history.points[versions[in_force].point].state) {
            notice_days = notice_days.max(a.renegotiation.notice.days());
        }
    }
    let earliest_effective = opened
        .checked_add_days(Days::new(notice_days))
        .unwrap_or(NaiveDate::MAX);
    Some(NoticeCheck {
        amends: prev_version,
        opened,
        opened_commit: opener.commit.id.to_string(),
        notice_days,
        earliest_effective,
        effective: agreement.effective.0,
        material,
        waived,
    })
}

/// The newest signed, not superseded version that has taken effect by `day`.
fn in_force_on(
    versions: &[VersionReport],
    signed: &[(usize, bool)],
    day: NaiveDate,
) -> Option<usize> {
    signed
        .iter()
        .rev()
        .filter(|(_, superseded)| !superseded)
        .map(|&(i, _)| i)
        .find(|&i| versions[i].takes_effect.is_some_and(|e| e <= day))
}

/// Pick the sign-offs that make a version signed, if any: a mentor and a
/// mentee sign-off with different keys (plus the previous principals of
/// changed parties), or for a concluding version any one party. Among the
/// choices, prefer one that waives the notice, then the earliest.
fn choose_signing(
    mine: &[&Approval],
    agreement: &Agreement,
    prev: Option<&Agreement>,
    concluding: bool,
) -> Option<Signing> {
    let by = |role: Role, email: &str| -> Vec<&Approval> {
        mine.iter()
            .copied()
            .filter(|a| a.role == role && a.principal == email)
            .collect()
    };
    let mentors = by(Role::Mentor, &agreement.parties.mentor.email);
    let mentees = by(Role::Mentee, &agreement.parties.mentee.email);
    if concluding {
        let one = mentors
            .iter()
            .chain(mentees.iter())
            .min_by_key(|a| a.time)?;
        return Some(Signing {
            time: one.time,
            waived: false,
            files: vec![one.file.clone()],
            roles: vec![one.role],
        });
    }
    // Previous principals of parties whose email changed must sign too.
    let mut extra: Vec<&Approval> = Vec::new();
    if let Some(prev) = prev {
        for role in Role::BOTH {
            let (old, new) = (role.email(prev), role.email(agreement));
            if old != new {
                extra.push(by(role, old).into_iter().min_by_key(|a| a.time)?);
            }
        }
    }
    let mut best: Option<Signing> = None;
    for m in &mentors {
        for e in &mentees {
            if m.key == e.key {
                continue;
            }
            let waived = m.waive_notice && e.waive_notice;
            let time = extra
                .iter()
                .map(|a| a.time)
                .fold(m.time.max(e.time), i64::max);
            let better = match &best {
                None => true,
                Some(b) => {
                    (waived, std::cmp::Reverse(time)) > (b.waived, std::cmp::Reverse(b.time))
                }
            };
            if better {
                let mut files = vec![m.file.clone(), e.file.clone()];
                files.extend(extra.iter().map(|a| a.file.clone()));
                best = Some(Signing {
                    time,
                    waived,
                    files,
                    roles: vec![Role::Mentor, Role::Mentee],
                });
            }
        }
    }
    best
}

/// Give every version its state on `today`, and the agreement its own.
fn label(versions: &mut [VersionReport], signed: &[(usize, bool)], today: NaiveDate) -> Evaluation {
    let in_force = in_force_on(versions, signed, today);
    let newest_signed = signed.last().map(|&(i, _)| i);
    let mut scheduled = Vec::new();
    for &(i, superseded) in signed {
        let v = &mut versions[i];
        v.state = if Some(i) == in_force {
            VersionState::InForce
        } else if !superseded && v.takes_effect.is_some_and(|e| e > today) {
            scheduled.push(i);
            VersionState::Scheduled
        } else {
            VersionState::Superseded
        };
    }
    let newest = versions.len().checked_sub(1);
    let mut pending = None;
    // A version whose content is the newest signed version's again (a
    // proposal withdrawn) is that version, not a new proposal.
    let signed_again = newest_signed.map(|s| (versions[s].version.clone(), versions[s].state));
    for (i, v) in versions.iter_mut().enumerate() {
        if v.signed {
            continue;
        }
        if let Some((Some(id), state)) = &signed_again {
            if v.version.as_ref() == Some(id) && newest_signed.is_some_and(|s| i > s) {
                v.state = *state;
                v.missing.clear();
                continue;
            }
        }
        let is_newest = Some(i) == newest && newest_signed.is_none_or(|s| i > s);
        v.state = match (v.version.is_some(), is_newest, newest_signed.is_some()) {
            (false, _, _) => VersionState::Unparseable,
            (true, true, true) => {
                pending = Some(i);
                VersionState::Pending
            }
            (true, true, false) => {
                pending = Some(i);
                VersionState::Draft
            }
            (true, false, _) => VersionState::Abandoned,
        };
    }
    let state = match in_force.map(|i| &versions[i]) {
        None if !scheduled.is_empty() => AgreementState::Scheduled,
        None => AgreementState::Draft,
        Some(v) if v.concluding => AgreementState::Concluded,
        Some(v) if v.term_end.is_some_and(|end| end < today) => AgreementState::Ended,
        Some(_) if pending.is_some() && newest_signed.is_some() => AgreementState::Pending,
        Some(_) if !scheduled.is_empty() => AgreementState::Scheduled,
        Some(_) => AgreementState::InForce,
    };
    Evaluation {
        versions: versions.to_vec(),
        state,
        in_force,
        pending,
        scheduled,
    }
}

#[cfg(test)]
mod tests;
