//! `charter sign ID`: sign the agreement's version in the working tree with
//! an SSH key, write the sign-off file and commit exactly that file.
//!
//! Every check that can refuse runs before the key is touched (no passphrase
//! prompt for a sign-off that would be refused), and the finished sign-off
//! is verified in-process against the trust root before it is written, so
//! `charter sign` never leaves behind a file that `charter verify` rejects
//! for a reason known at signing time.

use std::path::PathBuf;

use charter::agreement::lint::Parsed;
use charter::agreement::{Agreement, Role, VersionId};
use charter::amendment::{
    as_if_signed, existing_signoff, plan_signoff, SignRefusal, SignoffMeaning,
};
use charter::history::FileState;
use charter::record;
use charter::rules::{Approval, NoticeCheck, VersionReport};
use charter::signoff::signer::{acting_role, Signing};
use charter::signoff::{seal, Claim, NAMESPACE};
use ssh_key::HashAlg;

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
    /// Sign as this party (default: the party the key is trusted for,
    /// else the one whose email is git's user.email).
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
            return Err(CliError::denied(format!(
                "{rel} is not a valid agreement ({}); only a valid version can be signed",
                charter::plural::count(errors.len().max(1), "error")
            ))
            .hint(format!(
                "fix the errors above (`charter validate {rel}`), commit, then sign"
            )));
        }
    };

    // The record at HEAD, read and judged as HEAD says, and whether the
    // working tree's version is HEAD's.
    let today = super::today(args.today.as_deref())?;
    let at_head = record::load_at_head_or_empty(repo, id, today, &ws.layout)?;
    if !args.no_commit {
        ws.refuse_uncommitted_layout(&at_head.inputs.layout)?;
    }
    let committed = at_head.version() == Some(&version);
    if !committed && !args.no_commit {
        let what = match at_head.version() {
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
    // charter's clock is the commit's: the committer date git would give
    // the commit that records this sign-off (GIT_COMMITTER_DATE, else now).
    let identity = if args.no_commit {
        None
    } else {
        Some(charter::ident::Identity::of(repo)?)
    };
    let now = charter::ident::record_time(identity.as_ref())?;

    // Who signs: the trust root in the working tree decides which keys may.
    let signers = ws.signing_trust_root()?;
    let key_path = args.key.as_ref().map(|k| global.cwd.join(k));
    let role = acting_role(
        args.role.map(Role::from),
        key_path.as_deref(),
        repo,
        &agreement,
        &signers,
        NAMESPACE,
    )?;
    let principal = role.email(&agreement).to_owned();

    // An uncommitted version lands by charter::amendment's one rule, as
    // `amend` judges it.
    let record = &at_head.record;
    let working = (!committed).then(|| {
        FileState::Present(Parsed::Valid {
            version: version.clone(),
            data,
            agreement: agreement.clone(),
        })
    });
    let tip = at_head.tip_time();
    let clock = super::clock(args.today.as_deref(), now)?;
    let plan = match plan_signoff(
        record,
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
            return Err(CliError::denied(format!(
                "{rel} is the same text as its signed version {}; there is nothing new to sign",
                version.short()
            )))
        }
        Err(SignRefusal::Notice(notice)) => return Err(notice_refusal(&notice, &rel)),
    };
    let (target, amends) = (&plan.target, plan.amends);
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
        record,
        target.point,
        &signers,
        now,
        &wanted,
    ) {
        return Err(CliError::denied(format!(
            "{existing} already records this sign-off ({role} {principal} for version {}{})",
            version.short(),
            if args.waive_notice {
                ", waiving the notice"
            } else {
                ""
            }
        ))
        .hint("a second identical sign-off would change nothing"));
    }
    let signing = Signing {
        id,
        command: "sign",
        agreement: &agreement,
        role,
        namespace: NAMESPACE,
        key: key_path.as_deref(),
    };
    let signer = ws.trusted_signer(&signers, &signing, now)?;

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
    let (signoff_rel, text) = seal(&claim, &signer, &signers, now, &ws.layout.signoffs)?;
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
    super::warn_if_not_yet_trusted(
        global,
        &ws,
        &at_head.inputs.signers,
        (&signing, &signer),
        ("sign-off", now),
    );

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
        let after = as_if_signed(record, tip, working, signoff, clock, today);
        note_outcome(global, after.as_ref(), &version, id, &agreement, false);
        return Ok(code::OK);
    };
    let message = format!("sign-off: {id} sha256:{} by {role}", version.short());
    super::commit_record(
        repo,
        global,
        &identity,
        &signoff_rel,
        text.into_bytes(),
        &message,
    )?;
    // What the record says now.
    let now_signed = record::load_at_head(repo, id, today)?;
    note_outcome(
        global,
        now_signed.record.evaluation.versions.last(),
        &version,
        id,
        &agreement,
        true,
    );
    Ok(code::OK)
}

/// The denial for an amendment that takes effect before the notice period
/// allows, for a signer who does not waive it.
fn notice_refusal(n: &NoticeCheck, rel: &str) -> CliError {
    CliError::denied(format!(
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
