//! `charter checkin ID`: record, sign and commit one party's check-in on
//! the version in force: goal statuses, review scores, a short note.

use std::path::PathBuf;

use charter::checkin::draft::{self, Request};
use charter::checkin::NAMESPACE;
use charter::signoff::signer::{acting_role, Signing};
use chrono::NaiveDate;
use ssh_key::HashAlg;

use super::error::{code, CliError, CliResult};
use super::sign::RoleArg;
use super::Global;

/// Arguments of `charter checkin`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The agreement's id (the file stem of agreements/ID.yaml).
    pub id: String,
    /// The day of the check-in (YYYY-MM-DD; default today, or CHARTER_TODAY).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// This check-in is the periodic review of `reviews.cadence`.
    #[arg(long)]
    pub review: bool,
    /// A goal's status: GOAL=STATUS or GOAL=STATUS:NOTE, STATUS one of
    /// not-started, on-track, at-risk, done, dropped (repeatable).
    #[arg(long = "goal", value_name = "GOAL=STATUS[:NOTE]")]
    pub goals: Vec<String>,
    /// A score from 1 to 5 under a heading of `reviews.scorecard`: NAME=N (repeatable).
    #[arg(long = "score", value_name = "NAME=1..5")]
    pub scores: Vec<String>,
    /// A short note (at most 280 characters; no narrative or private content).
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Check in as this party (default: the party the key is trusted for,
    /// else the one whose email is git's user.email).
    #[arg(long = "as", value_enum, value_name = "ROLE")]
    pub role: Option<RoleArg>,
    /// The SSH key, as for `charter sign`.
    #[arg(long, value_name = "PATH")]
    pub key: Option<PathBuf>,
    /// Write the check-in file but commit nothing.
    #[arg(long)]
    pub no_commit: bool,
}

/// Write, sign and commit the check-in.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let ws = super::workspace(global)?;
    let repo = ws.repo.as_ref().ok_or_else(super::not_a_repository)?;
    let id = super::ids::agreement_id(&args.id, &ws, global)?;
    let id = id.as_str();
    let today = super::today(None)?;
    let date: NaiveDate = match &args.date {
        Some(d) => charter::agreement::types::Date::parse(d)
            .map(|d| d.0)
            .map_err(|e| CliError::new(format!("--date: {e}")))?,
        None => today,
    };
    let at_head = super::ids::record_at_head(repo, id, today, &ws)?;
    let signers = ws.signing_trust_root()?;
    let draft = draft::draft(
        &at_head.record,
        &Request {
            date,
            today,
            goals: &args.goals,
            scores: &args.scores,
            note: args.note.as_deref(),
            review: args.review,
        },
    )?;
    let key = args.key.as_ref().map(|k| global.cwd.join(k));
    let role = acting_role(
        args.role.map(Into::into),
        key.as_deref(),
        repo,
        draft.agreement,
        &signers,
        NAMESPACE,
    )?;
    let principal = role.email(draft.agreement).to_owned();
    let identity = if args.no_commit {
        None
    } else {
        charter::git::refuse_during_operation(repo)?;
        Some(charter::ident::Identity::of(repo)?)
    };
    let now = charter::ident::record_time(identity.as_ref())?;
    let signing = Signing {
        id,
        command: "checkin",
        agreement: draft.agreement,
        role,
        namespace: NAMESPACE,
        key: key.as_deref(),
    };
    let signer = ws.trusted_signer(&signers, &signing, now)?;
    super::warn_if_not_yet_trusted(
        global,
        &ws,
        &at_head.inputs.signers,
        (&signing, &signer),
        ("check-in", now),
    );
    let mut file = draft.file(role);
    let (rel, text) = draft::seal(&mut file, &signer, &ws.layout.checkins)?;
    charter::git::create_new_file(&ws.root.join(&rel), text.as_bytes()).map_err(|e| {
        CliError::new(format!("{rel}: cannot write the check-in: {e}"))
            .hint("nothing was committed; run `charter checkin` again")
    })?;
    super::note(
        global,
        &format!(
            "checked in on {id} as {role} ({principal}) for {date} with key {}",
            signer.public_key().fingerprint(HashAlg::Sha256)
        ),
    );
    super::note(global, &format!("wrote {rel}"));
    let Some(identity) = identity else {
        super::note(
            global,
            &format!("not committed (--no-commit): commit {rel} to record the check-in"),
        );
        return Ok(code::OK);
    };
    let message = format!("check-in: {id} {date} by {role}");
    super::commit_record(repo, global, &identity, &rel, text.into_bytes(), &message)?;
    Ok(code::OK)
}
