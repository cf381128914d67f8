//! `charter checkin ID`: record, sign and commit one party's check-in on
//! the version in force: goal statuses, review scores, a short note.

use std::collections::BTreeMap;
use std::path::PathBuf;

use charter::agreement::{Agreement, Role};
use charter::checkin::file::{check_note, CheckinFile, GoalReport, GoalStatus, Score};
use charter::checkin::NAMESPACE;
use charter::signoff::signer::{choose_key, read_key, Signer};
use charter::signoff::AllowedSigners;
use chrono::NaiveDate;
use ssh_key::{HashAlg, PublicKey};

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

/// The party that acts: `--as`, else the party whose email `allowed_signers`
/// trusts the `--key` for in `namespace`, else the party whose email is
/// git's `user.email` (as `charter sign` decides).
pub(super) fn acting_role(
    role: Option<RoleArg>,
    key: Option<&std::path::Path>,
    repo: &git2::Repository,
    agreement: &Agreement,
    signers: &AllowedSigners,
    namespace: &str,
) -> Result<Role, CliError> {
    if let Some(r) = role {
        return Ok(r.into());
    }
    if let Some(path) = key {
        if let Ok(signer) = read_key(path) {
            let now = charter::ident::committer_now()?;
            let roles: Vec<Role> = Role::BOTH
                .into_iter()
                .filter(|r| {
                    signers
                        .check(
                            r.email(agreement),
                            signer.public_key().key_data(),
                            namespace,
                            now,
                        )
                        .is_ok()
                })
                .collect();
            if let [only] = roles.as_slice() {
                return Ok(*only);
            }
        }
    }
    super::sign::role_from_git(repo, agreement)
}

/// Choose the key for `principal` and refuse one the trust root does not
/// accept in `namespace`, naming the line to add.
pub(super) fn trusted_signer(
    key: Option<&std::path::Path>,
    repo: &git2::Repository,
    root: &std::path::Path,
    principal: &str,
    signers: &AllowedSigners,
    namespace: &str,
    allowed_signers: &str,
) -> Result<Signer, CliError> {
    let now = charter::ident::committer_now()?;
    let trusted = |k: &PublicKey| {
        signers
            .check(principal, k.key_data(), namespace, now)
            .is_ok()
    };
    let signer = choose_key(key, repo, root, principal, &trusted)?;
    if let Err(why) = signers.check(principal, signer.public_key().key_data(), namespace, now) {
        let mut line_key = signer.public_key().clone();
        line_key.set_comment("");
        let line = line_key
            .to_openssh()
            .map(|k| {
                format!(
                    "{principal} namespaces=\"{}\" {k}",
                    charter::signoff::RECORD_NAMESPACES
                )
            })
            .unwrap_or_default();
        return Err(CliError::new(format!(
            "{allowed_signers} at HEAD does not trust key {} to sign {namespace} records for {principal}: {why}",
            signer.public_key().fingerprint(HashAlg::Sha256)
        ))
        .hint(format!(
            "the key's line must allow the namespace {namespace}, e.g.:\n    {line}"
        ))
        .hint("commit that change (reviewed by the file's owners), then try again; or pass the key that is listed with --key"));
    }
    Ok(signer)
}

fn parse_goal(text: &str, agreement: &Agreement) -> Result<(String, GoalReport), CliError> {
    let usage = || {
        CliError::new(format!(
            "--goal {text}: expected GOAL=STATUS or GOAL=STATUS:NOTE"
        ))
        .hint("e.g. --goal design-review=at-risk:'waiting for the platform team'")
    };
    let (id, rest) = text.split_once('=').ok_or_else(usage)?;
    let (status, note) = match rest.split_once(':') {
        Some((s, n)) => (s, Some(n.to_owned())),
        None => (rest, None),
    };
    if !agreement.goals.iter().any(|g| g.id == id) {
        let ids: Vec<&str> = agreement.goals.iter().map(|g| g.id.as_str()).collect();
        return Err(CliError::new(format!(
            "--goal {text}: the version in force has no goal `{id}`"
        ))
        .hint(format!("its goals are: {}", ids.join(", "))));
    }
    let status = GoalStatus::parse(status).ok_or_else(|| {
        CliError::new(format!("--goal {text}: `{status}` is not a goal status"))
            .hint("a status is one of not-started, on-track, at-risk, done, dropped")
    })?;
    if let Some(n) = &note {
        check_note(n).map_err(|e| CliError::new(format!("--goal {id}: {e}")))?;
    }
    Ok((id.to_owned(), GoalReport { status, note }))
}

fn parse_score(text: &str, agreement: &Agreement) -> Result<(String, Score), CliError> {
    let (name, value) = text.rsplit_once('=').ok_or_else(|| {
        CliError::new(format!(
            "--score {text}: expected NAME=N with N from 1 to 5"
        ))
    })?;
    let card: Vec<&str> = agreement
        .reviews
        .as_ref()
        .and_then(|r| r.scorecard.as_ref())
        .map(|c| c.iter().map(String::as_str).collect())
        .unwrap_or_default();
    if !card.contains(&name) {
        let error = CliError::new(format!(
            "--score {text}: `{name}` is not a heading of the agreement's scorecard"
        ));
        return Err(if card.is_empty() {
            error.hint("the version in force has no reviews.scorecard")
        } else {
            error.hint(format!("its headings are: {}", card.join(", ")))
        });
    }
    let score = value
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(Score::new)
        .ok_or_else(|| {
            CliError::new(format!(
                "--score {text}: a score is a whole number from 1 to 5"
            ))
        })?;
    Ok((name.to_owned(), score))
}

/// Write, sign and commit the check-in.
pub fn run(args: &Args, global: &Global) -> CliResult {
    super::check_id(&args.id)?;
    let ws = super::workspace(global)?;
    let repo = ws.repo.as_ref().ok_or_else(super::not_a_repository)?;
    let id = args.id.as_str();
    let today = super::today(None)?;
    let date: NaiveDate = match &args.date {
        Some(d) => charter::agreement::types::Date::parse(d)
            .map(|d| d.0)
            .map_err(|e| CliError::new(format!("--date: {e}")))?,
        None => today,
    };
    if date > today {
        return Err(CliError::new(format!(
            "--date {date} is in the future; a check-in records what has happened"
        )));
    }
    let head = charter::history::head_commit(repo)?;
    let (signers, _) = charter::record::signers_at(repo, &head, &ws.layout)?;
    let (record, _) = charter::record::load_at_head(repo, &ws.layout, id, date)?;
    let e = &record.evaluation;
    let Some(in_force) = e.in_force.map(|i| &e.versions[i]) else {
        return Err(CliError::new(format!(
            "{id}: no signed version is in force on {date}; a check-in reports against the version in force"
        ))
        .hint(format!("see where the agreement stands with `charter status` or `charter log {id}`")));
    };
    if in_force.concluding {
        return Err(CliError::new(format!(
            "{id} was concluded; a concluded agreement is a closed record"
        )));
    }
    let Some(agreement) = record.history.points[in_force.point]
        .state
        .parsed()
        .and_then(|p| p.agreement())
    else {
        return Err(CliError::new(format!(
            "{id}: the version in force cannot be read"
        )));
    };
    let version = in_force
        .version
        .as_ref()
        .map(|v| v.as_str().to_owned())
        .unwrap_or_default();
    if date < agreement.term.start.0 || agreement.term.end.is_some_and(|end| date > end.0) {
        return Err(CliError::new(format!(
            "--date {date} is outside the agreement's term ({} to {})",
            agreement.term.start,
            agreement
                .term
                .end
                .map_or_else(|| "open-ended".to_owned(), |d| d.to_string())
        )));
    }
    let mut goals = BTreeMap::new();
    for text in &args.goals {
        let (id, report) = parse_goal(text, agreement)?;
        if goals.insert(id.clone(), report).is_some() {
            return Err(CliError::new(format!("--goal {id} is given twice")));
        }
    }
    let mut scores = BTreeMap::new();
    for text in &args.scores {
        let (name, score) = parse_score(text, agreement)?;
        if scores.insert(name.clone(), score).is_some() {
            return Err(CliError::new(format!("--score {name} is given twice")));
        }
    }
    if let Some(note) = &args.note {
        check_note(note).map_err(|e| CliError::new(format!("--note: {e}")))?;
    }
    if goals.is_empty() && scores.is_empty() && args.note.is_none() && !args.review {
        return Err(CliError::new("a check-in needs something to record")
            .hint("give --goal GOAL=STATUS, --score NAME=N, --note TEXT or --review"));
    }
    let key = args.key.as_ref().map(|k| global.cwd.join(k));
    let role = acting_role(
        args.role,
        key.as_deref(),
        repo,
        agreement,
        &signers,
        NAMESPACE,
    )?;
    let principal = role.email(agreement).to_owned();
    let identity = if args.no_commit {
        None
    } else {
        charter::git::refuse_during_operation(repo)?;
        Some(charter::ident::Identity::of(repo)?)
    };
    let signer = trusted_signer(
        key.as_deref(),
        repo,
        &ws.root,
        &principal,
        &signers,
        NAMESPACE,
        &ws.layout.allowed_signers,
    )?;
    let mut file = CheckinFile {
        agreement: id.to_owned(),
        version,
        date: date.to_string(),
        by: role,
        review: args.review,
        goals,
        scores,
        note: args.note.clone(),
        signature: String::new(),
    };
    file.signature = signer.sign(NAMESPACE, &file.message())?;
    let text = file.render();
    let rel = format!("{}/{id}/{}", ws.layout.checkins, file.file_name(&text));
    // The file as `check` will read it: it must parse back to what was signed.
    match CheckinFile::parse(&rel, text.as_bytes()) {
        Ok(p) if p.file == file => {}
        _ => {
            return Err(CliError::new(
                "the check-in written would not read back as signed; nothing was written",
            ))
        }
    }
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
