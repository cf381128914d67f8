//! `charter conclude ID --reason R`: end a mentorship. Appends a
//! `concluded:` block to the end of the agreement (the rest of the file is
//! left exactly as it is), commits it, and signs it as the concluding party:
//! either party may conclude, with no notice, and one sign-off suffices.

use std::path::PathBuf;

use charter::agreement::model::ConclusionReason;
use charter::conclusion::{conclude, Conclusion, Request};
use charter::signoff::signer::{acting_role, Signing};
use charter::signoff::NAMESPACE;

use super::error::{CliError, CliResult};
use super::sign::RoleArg;
use super::Global;

/// `--reason` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReasonArg {
    /// The goals were reached, or the term ran its course.
    Completed,
    /// The mentee was matched with another mentor.
    Rematched,
    /// A party left the programme or the organisation.
    Left,
    /// Put on hold; a new agreement can resume it.
    Paused,
    /// The pairing did not work out.
    NoFit,
}

impl From<ReasonArg> for ConclusionReason {
    fn from(r: ReasonArg) -> Self {
        match r {
            ReasonArg::Completed => ConclusionReason::Completed,
            ReasonArg::Rematched => ConclusionReason::Rematched,
            ReasonArg::Left => ConclusionReason::Left,
            ReasonArg::Paused => ConclusionReason::Paused,
            ReasonArg::NoFit => ConclusionReason::NoFit,
        }
    }
}

/// Arguments of `charter conclude`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The agreement's id.
    pub id: String,
    /// Why the mentorship ends.
    #[arg(long, value_enum)]
    pub reason: ReasonArg,
    /// The day it ends (YYYY-MM-DD; default today, or CHARTER_TODAY).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// A short closing note (at most 280 characters, one line; nothing private).
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Conclude as this party (default: the party the key is trusted for,
    /// else the one whose email is git's user.email).
    #[arg(long = "as", value_enum, value_name = "ROLE")]
    pub role: Option<RoleArg>,
    /// The SSH key, as for `charter sign`.
    #[arg(long, value_name = "PATH")]
    pub key: Option<PathBuf>,
}

/// Append, commit, sign.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let ws = super::workspace(global)?;
    let repo = ws.repo.as_ref().ok_or_else(super::not_a_repository)?;
    let id = super::ids::agreement_id(&args.id, &ws, global)?;
    let id = id.as_str();
    let today = super::today(None)?;
    let date = match &args.date {
        Some(d) => {
            charter::agreement::types::Date::parse(d)
                .map_err(|e| CliError::new(format!("--date: {e}")))?
                .0
        }
        None => today,
    };
    let rel = ws.layout.agreement_file(id);
    let at_head = super::ids::record_at_head(repo, id, today, &ws)?;
    let signers = ws.signing_trust_root()?;
    let committed = at_head.committed_text(repo)?.unwrap_or_default();
    let on_disk = ws
        .read(&rel)
        .map_err(|f| CliError::new(format!("{rel}: {}", f.message)))?;
    let Conclusion { agreement, text } = conclude(
        &at_head.record,
        &rel,
        &committed,
        on_disk.as_deref(),
        &Request {
            date,
            reason: args.reason.into(),
            note: args.note.as_deref(),
        },
    )?;

    // Who concludes, and can they sign? Checked before anything is written.
    let key = args.key.as_ref().map(|k| global.cwd.join(k));
    let role = acting_role(
        args.role.map(Into::into),
        key.as_deref(),
        repo,
        agreement,
        &signers,
        NAMESPACE,
    )?;
    let signing = Signing {
        id,
        command: "conclude",
        agreement,
        role,
        namespace: NAMESPACE,
        key: key.as_deref(),
    };
    let now = charter::ident::record_time(None)?;
    ws.trusted_signer(&signers, &signing, now)?;
    charter::git::refuse_during_operation(repo)?;
    let identity = charter::ident::Identity::of(repo)?;

    charter::git::replace_file(&ws.root.join(&rel), &text)
        .map_err(|e| CliError::new(format!("{rel}: cannot write the file: {e}")))?;
    let reason: ConclusionReason = args.reason.into();
    let message = format!(
        "Conclude {id}: {reason}\n\nThe {role} concludes the agreement on {date}; either party may conclude, with no notice."
    );
    let commit = charter::git::commit_files(
        repo,
        &[(rel.clone(), text)],
        &message,
        &identity.author,
        &identity.committer,
    )
    .map_err(|e| {
        CliError::from(e).hint(format!(
            "{rel} was changed but not committed; commit it, then run `charter sign {id}`"
        ))
    })?;
    super::note(
        global,
        &format!(
            "concluded {id} on {date} ({reason}), committed {}",
            &commit.to_string()[..7]
        ),
    );
    let sign = super::sign::Args {
        id: id.to_owned(),
        role: Some(match role {
            charter::agreement::Role::Mentor => RoleArg::Mentor,
            charter::agreement::Role::Mentee => RoleArg::Mentee,
        }),
        key: args.key.clone(),
        waive_notice: false,
        no_commit: false,
        today: None,
    };
    let signoffs_before = ws.signoff_files()?.len();
    super::sign::run(&sign, global).map_err(|e| {
        // Only when `sign` stopped before writing anything is "sign it"
        // the advice; past that point its own hint says what to do.
        let untouched = ws.signoff_files().is_ok_and(|f| f.len() == signoffs_before)
            && charter::history::head_commit(repo).is_ok_and(|h| h.id() == commit);
        if untouched {
            e.hint(format!(
                "the conclusion is committed but not signed yet: sign it with `charter sign {id}`"
            ))
        } else {
            e
        }
    })
}
