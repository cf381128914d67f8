//! `unsigned` (README, "The CI gate"): in a pull request, an
//! agreement whose version at head is not signed by both parties would land
//! as a proposal nobody has agreed to. The gate says who must still sign and
//! the command that does it, at the severity `charter.yaml` `gate.unsigned`
//! of the base revision asks for.
//!
//! Both material and editorial changes need both sign-offs (§4), so both are
//! reported; a concluding version needs one sign-off, from either party.
//! A pull request that brings the content back to the newest signed version
//! (a withdrawn proposal) needs no one's signature.

use git2::Repository;

use crate::agreement::{Agreement, Role};
use crate::finding::{Finding, Severity};
use crate::not_signed::NotSigned;
use crate::record::Record;
use crate::rules::VersionReport;
use crate::settings::GateLevel;
use crate::yaml::{Pos, Segment};

/// Add the `unsigned` finding for `record` when its version at the judged
/// tip is not signed, at the severity `level` says (nothing when `off`).
pub(super) fn check(
    repo: &Repository,
    record: &Record,
    level: GateLevel,
    findings: &mut Vec<Finding>,
) {
    let severity = match level {
        GateLevel::Off => return,
        GateLevel::Warning => Severity::Warning,
        GateLevel::Error => Severity::Error,
    };
    let e = &record.evaluation;
    let (Some(head), Some(last_point)) = (
        e.versions.last(),
        record.history.points.len().checked_sub(1),
    ) else {
        return;
    };
    if head.point != last_point || head.signed {
        return;
    }
    let state = &record.history.points[head.point].state;
    let Some(agreement) = state.parsed().and_then(|p| p.agreement()) else {
        // Unparseable or schema-invalid: validation findings say why, and
        // such a version cannot be signed anyway.
        return;
    };
    let previous = e.versions.iter().rev().find(|v| v.signed);
    if previous.is_some_and(|p| p.version.is_some() && p.version == head.version) {
        return;
    }
    let id = &record.id;
    let path = &record.history.path;
    let who = |role: Role| format!("the {role} ({})", role.email(agreement));
    let command = |role: Role| format!("`charter sign {id} --as {role}`");
    let (message, hint) = if head.concluding {
        (
            format!(
                "the concluding version of {id} is not signed: {} or {} must sign it before it is merged",
                who(Role::Mentor),
                who(Role::Mentee)
            ),
            format!(
                "on the pull-request branch, one party runs {} or {}, commits the sign-off and pushes",
                command(Role::Mentor),
                command(Role::Mentee)
            ),
        )
    } else {
        let roles = must_sign(record, head, agreement);
        let kind = match previous {
            None => "the first version of",
            Some(_) if head.material => "a material amendment of",
            Some(_) => "an editorial amendment of",
        };
        let names: Vec<String> = roles
            .iter()
            .map(|(role, email)| format!("the {role} ({email})"))
            .collect();
        let commands: Vec<String> = roles.iter().map(|(role, _)| command(*role)).collect();
        let mut message = format!(
            "{kind} {id} is not signed: {} must sign it before it is merged",
            names.join(" and ")
        );
        if head.signed_by.len() == 2 && head.missing.is_empty() && roles.len() < 2 {
            message.push_str(" (the sign-offs so far do not make it signed)");
        }
        (
            message,
            format!(
                "on the pull-request branch, {} with their own key, then commit and push; the gate passes once both parties have signed",
                commands.join(" and ")
            ),
        )
    };
    let mut finding = Finding::new(crate::finding::Rule::Unsigned, path, message)
        .at(changed_key(repo, record, head, previous))
        .commit(head.commit.id.to_string())
        .hint(hint);
    finding.severity = severity;
    findings.push(finding);
}

/// Who still has to sign a version that is not concluding: the roles with no
/// sign-off, or when both have signed but that is not enough, the previous
/// principal of a replaced party, or (same key) both.
fn must_sign(record: &Record, head: &VersionReport, agreement: &Agreement) -> Vec<(Role, String)> {
    if !head.missing.is_empty() {
        return head
            .missing
            .iter()
            .map(|r| (*r, r.email(agreement).to_owned()))
            .collect();
    }
    if let Some(NotSigned::PartyChange(change)) = crate::not_signed::why_not_signed(record, head) {
        return vec![(change.role, change.old)];
    }
    // Both signed with the same key: either one signs again with their own.
    Role::BOTH
        .iter()
        .map(|r| (*r, r.email(agreement).to_owned()))
        .collect()
}

/// Where to point: the top-level key of the first change against the newest
/// signed version (its first change for a new agreement: line 1).
fn changed_key(
    repo: &Repository,
    record: &Record,
    head: &VersionReport,
    previous: Option<&VersionReport>,
) -> Pos {
    let start = Pos { line: 1, column: 1 };
    let Some(previous) = previous else {
        return start;
    };
    let data = |v: &VersionReport| {
        let parsed = record.history.points[v.point].state.parsed()?;
        match (parsed.data(), parsed.agreement()) {
            (Some(serde_json::Value::Null) | None, Some(a)) => serde_json::to_value(a).ok(),
            (Some(d), _) => Some(d.clone()),
            (None, None) => None,
        }
    };
    let (Some(old), Some(new)) = (data(previous), data(head)) else {
        return start;
    };
    let changes = crate::diff::diff(&old, &new);
    let Some(first) = changes
        .iter()
        .find(|c| c.new.is_some())
        .or_else(|| changes.first())
    else {
        return start;
    };
    let section = first.section().to_owned();
    super::position_in(
        repo,
        head.commit.id,
        &record.history.path,
        &[Segment::Key(&section)],
    )
    .filter(|p| p.line > 0)
    .unwrap_or(start)
}
