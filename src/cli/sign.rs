//! `charter sign ID`: sign the agreement's version in the working tree with
//! an SSH key, write the sign-off file and commit exactly that file.
//!
//! Every check that can refuse runs before the key is touched (no passphrase
//! prompt for a sign-off that would be refused), and the finished sign-off
//! is verified in-process against the trust root before it is written, so
//! `charter sign` never leaves behind a file that `charter verify` rejects
//! for a reason known at signing time.

use std::io::Write;
use std::path::PathBuf;

use charter::agreement::lint::{self, Context, Parsed};
use charter::agreement::{Agreement, Role, VersionId};
use charter::amendment::{
    as_if_signed, existing_signoff, plan_signoff, SignRefusal, SignoffMeaning,
};
use charter::error::ErrorKind;
use charter::history::index::roots_of_agreements;
use charter::history::store::{self, Want};
use charter::history::{self, FileState, Index};
use charter::record;
use charter::rules::{Approval, NoticeCheck, VersionReport};
use charter::signoff::signer::{choose_key, not_yet_trusted, other_party_key, untrusted};
use charter::signoff::{seal, AllowedSigners, Claim, NAMESPACE};
use ssh_key::{HashAlg, PublicKey};

use super::error::{code, CliError, CliResult};
use super::Global;

/// The party to sign for, as given to `--as`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RoleArg {
    /// Sign as the agreement's mentor.
    Mentor,
    /// Sign as the agreement's mentee.
    Mentee,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Mentor => Role::Mentor,
            RoleArg::Mentee => Role::Mentee,
        }
    }
}

/// Arguments of `charter sign`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The agreement's id (the file stem of agreements/ID.yaml).
    pub id: String,
    /// Sign as this party (default: the party whose email is git's user.email).
    #[arg(long = "as", value_enum, value_name = "ROLE")]
    pub role: Option<RoleArg>,
    /// The SSH key: a private key file, or a public key (.pub) whose private
    /// half is in ssh-agent (default: git's user.signingkey when
    /// gpg.format=ssh, else ~/.ssh/id_ed25519, id_ecdsa, id_rsa, else the agent).
    #[arg(long, value_name = "PATH")]
    pub key: Option<PathBuf>,
    /// Agree to waive the notice period for this version (it is waived only
    /// when both parties' sign-offs say so).
    #[arg(long)]
    pub waive_notice: bool,
    /// Write the sign-off file but commit nothing; the agreement's version may
    /// then differ from HEAD (commit both together).
    #[arg(long)]
    pub no_commit: bool,
    /// Judge the notice period as of this day (YYYY-MM-DD; default today, or CHARTER_TODAY).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// Sign, write and commit; exit 1 when the rules refuse the sign-off.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let ws = super::workspace(global)?;
    let Some(repo) = ws.repo.as_ref() else {
        return Err(CliError::new(format!(
            "{} is not inside a git repository",
            ws.root.display()
        ))
        .hint("sign-offs are recorded in git: run `charter init` (or `git init`) first"));
    };
    let id = super::ids::agreement_id(&args.id, &ws, global)?;
    let id = id.as_str();
    let rel = ws.layout.agreement_file(id);

    // The working tree's text: a valid agreement without error findings.
    let bytes = match ws.read(&rel) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            return Err(super::ids::unknown_agreement(
                id,
                "in the working tree",
                &ws,
                &ws.known_ids(),
            ))
        }
        Err(f) => return Err(CliError::new(format!("{rel}: {}", f.message))),
    };
    let judged = ws.judge_agreement(&rel, &bytes);
    let errors = judged.errors();
    let (version, data, agreement) = match judged.parsed {
        Parsed::Valid {
            version,
            data,
            agreement,
        } if judged.actionable => (version, data, agreement),
        _ => {
            let mut sources = charter::render::findings::Sources::new();
            if let Ok(text) = String::from_utf8(bytes) {
                sources.insert(rel.clone(), text);
            }
            let mut err = std::io::stderr().lock();
            let _ = charter::render::findings::text(&mut err, &errors, &sources, global.color_err);
            return refuse(
                global,
                CliError::new(format!(
                    "{rel} is not a valid agreement ({}); only a valid version can be signed",
                    charter::plural::count(errors.len().max(1), "error")
                ))
                .hint(format!(
                    "fix the errors above (`charter validate {rel}`), commit, then sign"
                )),
            );
        }
    };

    // HEAD: the version there, and whether this is it.
    let head = match repo.head() {
        Ok(_) => Some(history::head_commit(repo)?),
        Err(e)
            if e.code() == git2::ErrorCode::UnbornBranch
                || e.code() == git2::ErrorCode::NotFound =>
        {
            None
        }
        Err(e) => return Err(charter::error::Error::git("reading HEAD", e).into()),
    };
    let head_version = match &head {
        Some(head) => history::blob_at(repo, head, &rel)?.and_then(|b| {
            lint::check(&rel, &b, &Context::default())
                .0
                .version()
                .cloned()
        }),
        None => None,
    };
    let committed = head_version.as_ref() == Some(&version);
    if !committed && !args.no_commit {
        let what = match &head_version {
            Some(v) => format!(
                "{rel} in the working tree (version {}) differs from HEAD (version {})",
                version.short(),
                v.short()
            ),
            None => format!("{rel} is not committed"),
        };
        return Err(CliError::new(format!(
            "{what}; a sign-off is for a committed version"
        ))
        .hint(format!(
            "commit the change first (`charter amend {id}` or `git commit`), then sign"
        ))
        .hint("or sign the working-tree version with --no-commit and commit the sign-off together with it"));
    }
    if !args.no_commit {
        charter::git::refuse_during_operation(repo)?;
    }

    // Who signs.
    let role = match args.role {
        Some(r) => Role::from(r),
        None => charter::signoff::signer::role_from_git(repo, &agreement)?,
    };
    let principal = role.email(&agreement).to_owned();

    // The record at HEAD, judged with HEAD's trust root.
    let today = super::today(args.today.as_deref())?;
    let head_signers = match &head {
        Some(head) => record::signers_at(repo, head, &ws.layout)?.0,
        None => AllowedSigners::default(),
    };
    let index = match &head {
        Some(head) => store::open(repo, &ws.layout, head.id(), Want::Agreements(&[id]), true)?,
        None => Index::empty(roots_of_agreements(&ws.layout, [id])),
    };
    let record = record::load(repo, &index, &ws.layout, id, &head_signers, today)?;
    // charter's clock is the commit's: the committer date git would give
    // the commit that records this sign-off (GIT_COMMITTER_DATE, else now).
    let identity = if args.no_commit {
        None
    } else {
        Some(charter::ident::Identity::of(repo)?)
    };
    let now = match &identity {
        Some(who) => charter::ident::time_of(who.committer_time())?,
        None => charter::ident::committer_now()?,
    };
    // An uncommitted version lands by charter::amendment's one rule, as
    // `amend` judges it.
    let working = (!committed).then(|| {
        FileState::Present(Parsed::Valid {
            version: version.clone(),
            data,
            agreement: agreement.clone(),
        })
    });
    let tip = index.chain().commits.last().map(|c| c.time);
    let clock = super::clock(args.today.as_deref(), now)?;
    let plan = match plan_signoff(
        &record,
        tip,
        &version,
        working.clone(),
        clock,
        today,
        args.waive_notice,
    ) {
        Ok(plan) => plan,
        Err(SignRefusal::NotInHistory) => {
            return Err(CliError::new(format!(
                "{rel}: charter could not find this version in the agreement's history"
            )))
        }
        Err(SignRefusal::NothingNew(version)) => {
            return refuse(
                global,
                CliError::new(format!(
                    "{rel} is the same text as its signed version {}; there is nothing new to sign",
                    version.short()
                )),
            )
        }
        Err(SignRefusal::Notice(notice)) => return refuse(global, notice_refusal(&notice, &rel)),
    };
    let (target, amends) = (&plan.target, plan.amends);

    // The trust root in the working tree decides whether the key may sign.
    let signers = ws.signing_trust_root()?;
    let wanted = SignoffMeaning {
        version: version.as_str(),
        amends: amends.as_ref().map_or("none", VersionId::as_str),
        role,
        principal: &principal,
        waive_notice: args.waive_notice,
    };
    let worktree = charter::revision::Tree::Working(&ws.root);
    if let Some(existing) = existing_signoff(
        &worktree,
        &ws.layout,
        &record,
        target.point,
        &signers,
        now,
        &wanted,
    ) {
        return refuse(
            global,
            CliError::new(format!(
                "{existing} already records this sign-off ({role} {principal} for version {}{})",
                version.short(),
                if args.waive_notice {
                    ", waiving the notice"
                } else {
                    ""
                }
            ))
            .hint("a second identical sign-off would change nothing"),
        );
    }
    let trusted = |key: &PublicKey| {
        signers
            .check(&principal, key.key_data(), NAMESPACE, now)
            .is_ok()
    };
    let key_path = args.key.as_ref().map(|k| global.cwd.join(k));
    let signer = choose_key(key_path.as_deref(), repo, &ws.root, &principal, &trusted)?;
    if let Err(why) = signers.check(&principal, signer.public_key().key_data(), NAMESPACE, now) {
        if let Some(refusal) =
            other_party_key(id, role, &agreement, &signers, signer.public_key(), now)
        {
            return refuse(global, refusal.into());
        }
        return refuse(
            global,
            untrusted(
                &ws.layout.allowed_signers,
                &principal,
                signer.public_key(),
                &why,
            )
            .into(),
        );
    }

    // Sign, and check the result as `verify` will.
    let claim = Claim::new(
        id,
        version.as_str(),
        amends.as_ref().map(VersionId::as_str),
        role,
        &principal,
        now,
        args.waive_notice,
    )
    .map_err(|e| CliError::new(format!("{rel}: cannot sign: {e}")))?;
    let (signoff_rel, text) = match seal(&claim, &signer, &signers, now, &ws.layout.signoffs) {
        Err(e) if e.kind() == ErrorKind::Refused => return refuse(global, e.into()),
        sealed => sealed?,
    };
    charter::git::create_new_file(&ws.root.join(&signoff_rel), text.as_bytes()).map_err(|e| {
        CliError::new(format!("{signoff_rel}: cannot write the sign-off: {e}"))
            .hint("nothing was committed; run `charter sign` again")
    })?;
    let fingerprint = signer.public_key().fingerprint(HashAlg::Sha256);
    super::note(
        global,
        &format!(
            "signed {id} version {} as {role} ({principal}) with key {fingerprint}{}",
            version.short(),
            if args.waive_notice {
                ", waiving the notice period"
            } else {
                ""
            }
        ),
    );
    super::note(global, &format!("wrote {signoff_rel}"));
    if let Some(warning) = not_yet_trusted(
        &head_signers,
        &ws.layout.allowed_signers,
        &principal,
        signer.public_key(),
        NAMESPACE,
        now,
        "sign-off",
    ) {
        super::note(global, &warning);
    }

    let Some(identity) = identity else {
        super::note(
            global,
            &format!("not committed (--no-commit): commit {signoff_rel} to record the sign-off"),
        );
        let signoff = Approval {
            file: signoff_rel,
            role,
            principal,
            version: version.clone(),
            amends: amends.clone(),
            waive_notice: args.waive_notice,
            key: fingerprint.to_string(),
            time: 0,
            position: usize::MAX,
        };
        let after = as_if_signed(&record, tip, working, signoff, clock, today);
        note_outcome(global, after.as_ref(), &version, id, &agreement, false);
        return Ok(code::OK);
    };
    let message = format!("sign-off: {id} sha256:{} by {role}", version.short());
    let commit = charter::git::commit_files(
        repo,
        &[(signoff_rel.clone(), text.into_bytes())],
        &message,
        &identity.author,
        &identity.committer,
    )
    .map_err(|e| {
        CliError::from(e).hint(format!(
            "{signoff_rel} was written but not committed; commit it with `git add {signoff_rel} && git commit`"
        ))
    })?;
    super::note(
        global,
        &format!("committed {} {message}", &commit.to_string()[..7]),
    );
    // What the record says now.
    let index = store::open(repo, &ws.layout, commit, Want::Agreements(&[id]), true)?;
    let record = record::load(repo, &index, &ws.layout, id, &head_signers, today)?;
    note_outcome(
        global,
        record.evaluation.versions.last(),
        &version,
        id,
        &agreement,
        true,
    );
    Ok(code::OK)
}

/// Print a refusal like any error, but end with exit code 1: the rules said
/// no, which is a verdict rather than a failure to decide.
pub(super) fn refuse(global: &Global, error: CliError) -> CliResult {
    if let CliError::Failed { message, hints } = &error {
        let paint = charter::render::style::paint;
        let style = charter::render::style::ERROR;
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "{} {message}",
            paint(style, "error:", global.color_err)
        );
        for hint in hints {
            let label = paint(charter::render::style::DIM, "hint:", global.color_err);
            let _ = writeln!(err, "{label} {hint}");
        }
        Ok(code::VERDICT)
    } else {
        Err(error)
    }
}

/// The refusal for an amendment that takes effect before the notice period
/// allows, for a signer who does not waive it.
fn notice_refusal(n: &NoticeCheck, rel: &str) -> CliError {
    CliError::new(format!(
        "{rel}: this amendment takes effect on {}, but its notice period of {}, counted from {} when renegotiation was opened, allows {} at the earliest",
        n.effective, charter::plural::count(n.notice_days as usize, "day"), n.opened, n.earliest_effective
    ))
    .hint(format!(
        "set `effective: {}` or later and commit it, then sign",
        n.earliest_effective
    ))
    .hint("or, if both parties agree to waive the notice, sign with --waive-notice (it is waived only when both sign-offs waive it)")
}

/// What the rules say of the signed version: signed (and when it takes
/// effect), who is still missing, or where to look; after the commit, or
/// (`committed` false) as it will be once the sign-off is committed.
fn note_outcome(
    global: &Global,
    report: Option<&VersionReport>,
    version: &VersionId,
    id: &str,
    agreement: &Agreement,
    committed: bool,
) {
    let when = if committed {
        "is now signed"
    } else {
        "will be signed once the sign-off is committed"
    };
    match report {
        Some(v) if v.signed => super::note(
            global,
            &format!(
                "version {} {when}{}",
                version.short(),
                v.takes_effect
                    .map(|d| format!("; it takes effect on {d}"))
                    .unwrap_or_default()
            ),
        ),
        Some(v) if !v.missing.is_empty() => {
            super::note(global, &missing_line(&v.missing, agreement));
        }
        Some(_) => super::note(
            global,
            &format!(
                "version {} is not signed yet: see `charter verify {id}`",
                version.short()
            ),
        ),
        None => {}
    }
}

fn missing_line(missing: &[Role], agreement: &Agreement) -> String {
    let who: Vec<String> = missing
        .iter()
        .map(|r| format!("{r} ({})", r.email(agreement)))
        .collect();
    format!("still missing: a sign-off by the {}", who.join(" and the "))
}
