//! Changes to where charter reads its trust root and records from.
//!
//! `charter.yaml` names the agreements directory, the sign-off directory and
//! the allowed-signers file. Pointing any of them elsewhere changes what is
//! trusted and what is on record as surely as editing the files themselves,
//! so each such change is a `trust-root-change` (with the keys the new trust
//! root adds and removes), and a move that leaves signed records behind is
//! an error: a signed agreement no longer read is `agreement-removed`, a
//! sign-off no longer read is `signoff-modified`. A directory that holds
//! signed records cannot move, since their history stays where it was.

use git2::{Commit, Repository};

use super::trust_root;
use crate::error::Result;
use crate::finding::Finding;
use crate::history::blob_at;
use crate::record::Record;
use crate::settings::{Layout, FILE};
use crate::signoff::AllowedSigners;
use crate::yaml::Segment;

/// The layout `charter.yaml` in `commit` sets (defaults where it is absent
/// or invalid, as `check` applies it).
pub fn layout_at(repo: &Repository, commit: &Commit<'_>) -> Result<Layout> {
    crate::revision::Tree::Commit(repo, commit).layout()
}

/// One change of layout: from `old` (in force before) to `new` (set by
/// `after`'s `charter.yaml`).
pub struct Move<'a> {
    /// The layout before.
    pub old: &'a Layout,
    /// The layout after.
    pub new: &'a Layout,
    /// The trust root before (read through `old`).
    pub old_signers: &'a AllowedSigners,
    /// The commit whose tree the new layout is read in.
    pub after: &'a Commit<'a>,
    /// The commit that made the change, for history findings.
    pub commit: Option<String>,
}

/// Findings for a change of layout; `records` are the agreements as read
/// through the old layout (their signed versions and sign-off files are
/// what a move would leave behind).
pub fn findings(
    repo: &Repository,
    change: &Move<'_>,
    records: &[Record],
    findings: &mut Vec<Finding>,
) -> Result<()> {
    if change.old == change.new {
        return Ok(());
    }
    let settings_text = blob_at(repo, change.after, FILE)?.unwrap_or_default();
    let node = crate::document::parse(FILE, &settings_text).ok();
    let with_commit = |f: Finding| match &change.commit {
        Some(c) => f.commit(c.clone()),
        None => f,
    };
    let (old, new) = (change.old, change.new);
    for (key, what, from, to) in [
        (
            "allowed_signers",
            "trust root",
            &old.allowed_signers,
            &new.allowed_signers,
        ),
        (
            "agreements",
            "agreements directory",
            &old.agreements,
            &new.agreements,
        ),
        (
            "signoffs",
            "sign-off directory",
            &old.signoffs,
            &new.signoffs,
        ),
        (
            "checkins",
            "check-in directory",
            &old.checkins,
            &new.checkins,
        ),
    ] {
        if from == to {
            continue;
        }
        let mut f = Finding::new(
            crate::finding::Rule::TrustRootChange,
            FILE,
            format!("moves the {what} from `{from}` to `{to}`: charter reads what it trusts and what is on record from there once this is merged"),
        )
        .hint(format!("review `{to}` as carefully as `{from}`; a directory that holds signed records cannot move"));
        if let Some(node) = &node {
            f = f.at(node.locate_key(vec![Segment::Key(key)]));
        }
        findings.push(with_commit(f));
    }
    if old.allowed_signers != new.allowed_signers {
        let (new_signers, _) = crate::revision::Tree::Commit(repo, change.after).signers(new)?;
        let keys = trust_root::Change {
            old_file: &old.allowed_signers,
            old: change.old_signers,
            new_file: &new.allowed_signers,
            new: &new_signers,
            commit: change.commit.clone(),
        };
        trust_root::findings(&keys, records, findings);
    }
    if old.agreements != new.agreements {
        for record in records {
            let e = &record.evaluation;
            let concluded = e.in_force.is_some_and(|i| e.versions[i].concluding);
            let present = record.history.current() != &crate::history::FileState::Absent;
            if present && !concluded && e.versions.iter().any(|v| v.signed) {
                let path = &record.history.path;
                findings.push(with_commit(
                    Finding::new(
                        crate::finding::Rule::AgreementRemoved,
                        path,
                        format!(
                            "{path} has a signed version, and charter.yaml moves the agreements directory to `{}`, where its history is not",
                            new.agreements
                        ),
                    )
                    .hint(format!("keep `agreements: {}`; to end the mentorship, add `concluded: {{date, note}}` and sign", old.agreements)),
                ));
            }
        }
    }
    if old.signoffs != new.signoffs {
        for s in records.iter().flat_map(|r| &r.signoffs) {
            findings.push(with_commit(
                Finding::new(
                    crate::finding::Rule::SignoffModified,
                    &s.file,
                    format!(
                        "charter.yaml moves the sign-off directory to `{}`, so this sign-off would no longer be read; sign-offs are append-only",
                        new.signoffs
                    ),
                )
                .hint(format!("keep `signoffs: {}`", old.signoffs)),
            ));
        }
    }
    if old.checkins != new.checkins {
        for c in records.iter().flat_map(|r| &r.checkins) {
            findings.push(with_commit(
                Finding::new(
                    crate::finding::Rule::CheckinModified,
                    &c.file,
                    format!(
                        "charter.yaml moves the check-in directory to `{}`, so this check-in would no longer be read; check-ins are append-only",
                        new.checkins
                    ),
                )
                .hint(format!("keep `checkins: {}`", old.checkins)),
            ));
        }
    }
    Ok(())
}
