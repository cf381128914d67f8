//! `charter withdraw ID`: write back the exact bytes of the signed version a
//! proposal amends and commit them. The content is then that version again,
//! which closes the renegotiation (a later proposal opens anew, with its own
//! notice).

use charter::withdrawal::{withdraw, Withdrawal};

use super::error::{code, CliError, CliResult};
use super::Global;

/// Arguments of `charter withdraw`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The agreement's id.
    pub id: String,
}

/// Restore and commit.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let ws = super::workspace(global)?;
    let repo = ws.repo.as_ref().ok_or_else(super::not_a_repository)?;
    let id = super::ids::agreement_id(&args.id, &ws, global)?;
    let id = id.as_str();
    let today = super::today(None)?;
    let rel = ws.layout.agreement_file(id);
    let at_head = super::ids::record_at_head(repo, id, today, &ws)?;
    let committed = at_head.committed_text(repo)?;
    let on_disk = ws
        .read(&rel)
        .map_err(|f| CliError::new(format!("{rel}: {}", f.message)))?;
    let Withdrawal {
        restored,
        proposal,
        text: bytes,
    } = withdraw(
        repo,
        &at_head.record,
        &rel,
        committed.as_deref(),
        on_disk.as_deref(),
    )?;
    charter::git::refuse_during_operation(repo)?;
    let identity = charter::ident::Identity::of(repo)?;
    let version = restored.as_ref().map_or("", |v| v.short());
    let proposal = proposal.as_ref().map_or("(unparseable)", |v| v.short());
    charter::git::replace_file(&ws.root.join(&rel), &bytes)
        .map_err(|e| CliError::new(format!("{rel}: cannot write the file: {e}")))?;
    let message = format!(
        "Withdraw the proposal to amend {id}\n\nRestores version sha256:{version}, the signed version the proposal sha256:{proposal} amended.\nThe renegotiation is closed; a new proposal opens it anew."
    );
    let commit = charter::git::commit_files(
        repo,
        &[(rel.clone(), bytes)],
        &message,
        &identity.author,
        &identity.committer,
    )
    .map_err(|e| {
        CliError::from(e).hint(format!(
            "{rel} was restored but not committed; commit it with `git commit {rel}`"
        ))
    })?;
    super::note(
        global,
        &format!(
            "withdrew proposal {proposal}: {rel} is version {version} again (committed {})",
            &commit.to_string()[..7]
        ),
    );
    Ok(code::OK)
}
