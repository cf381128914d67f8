//! Withdrawing a proposal (`charter withdraw`): the agreement's file goes
//! back to the newest signed version's bytes, which closes the
//! renegotiation (a new proposal opens it anew, README "History, notice
//! and states").

use git2::Repository;

use crate::agreement::VersionId;
use crate::error::{Error, Result};
use crate::record::Record;

/// A withdrawal ready to be written and committed.
#[derive(Debug)]
pub struct Withdrawal {
    /// The signed version restored.
    pub restored: Option<VersionId>,
    /// The proposal withdrawn (`None` when it does not parse).
    pub proposal: Option<VersionId>,
    /// The restored version's bytes, exactly as they were committed.
    pub text: Vec<u8>,
}

/// Withdraw the pending proposal of `record`, whose file at `rel` is
/// `committed` at HEAD and `on_disk` in the working tree.
pub fn withdraw(
    repo: &Repository,
    record: &Record,
    rel: &str,
    committed: Option<&[u8]>,
    on_disk: Option<&[u8]>,
) -> Result<Withdrawal> {
    let id = &record.id;
    let e = &record.evaluation;
    let Some(pending) = e.pending.map(|i| &e.versions[i]) else {
        return Err(Error::refused(format!(
            "{id}: no proposal is waiting for signatures, so there is nothing to withdraw"
        ))
        .hint_that(format!(
            "see the agreement's history with `charter log {id}`"
        )));
    };
    // The version the proposal amends: the newest signed one (the version
    // in force, unless a signed version waits for its date after it).
    let Some(signed) = e.versions.iter().rev().find(|v| v.signed) else {
        return Err(Error::refused(format!(
            "{id}: nothing of this agreement was ever signed, so there is no version to go back to"
        ))
        .hint_that(format!(
            "to drop the draft, remove it with `git rm {rel}` and commit"
        )));
    };
    if on_disk != committed {
        return Err(Error::refused(format!(
            "{rel} has changes that are not committed; withdrawing would overwrite them"
        ))
        .hint_that("commit or stash them first (`git stash`), then withdraw"));
    }
    let Some(text) = record.history.points[signed.point]
        .blob()
        .and_then(|b| repo.find_blob(b).ok())
        .map(|b| b.content().to_vec())
    else {
        return Err(Error::refused(format!(
            "{rel}: the signed version's text cannot be read from git"
        )));
    };
    Ok(Withdrawal {
        restored: signed.version.clone(),
        proposal: pending.version.clone(),
        text,
    })
}
