//! `charter decline ID --as ROLE`: a party's signed refusal of the version
//! waiting for signatures, written beside the sign-offs and committed alone.

use std::path::PathBuf;

use charter::signoff::decline::{check_reason, proposal_to_decline, seal, DeclineFile, NAMESPACE};
use charter::signoff::signer::Signing;
use ssh_key::HashAlg;

use super::error::{code, CliError, CliResult};
use super::sign::RoleArg;
use super::Global;

/// Arguments of `charter decline`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The agreement's id.
    pub id: String,
    /// The party who refuses the proposal.
    #[arg(long = "as", value_enum, value_name = "ROLE")]
    pub role: RoleArg,
    /// A short reason (at most 280 characters, one line).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// The SSH key, as for `charter sign`.
    #[arg(long, value_name = "PATH")]
    pub key: Option<PathBuf>,
}

/// Sign, write and commit the refusal.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let ws = super::workspace(global)?;
    let repo = ws.repo.as_ref().ok_or_else(super::not_a_repository)?;
    let id = super::ids::agreement_id(&args.id, &ws, global)?;
    let id = id.as_str();
    let today = super::today(None)?;
    if let Some(r) = &args.reason {
        check_reason(r).map_err(|e| CliError::new(format!("--reason: {e}")))?;
    }
    let at_head = super::ids::record_at_head(repo, id, today, &ws)?;
    let signers = ws.signing_trust_root()?;
    let role: charter::agreement::Role = args.role.into();
    let (version, agreement) = proposal_to_decline(&at_head.record, role)?;
    let principal = role.email(agreement).to_owned();
    charter::git::refuse_during_operation(repo)?;
    let identity = charter::ident::Identity::of(repo)?;
    let now = charter::ident::record_time(Some(&identity))?;
    let key = args.key.as_ref().map(|k| global.cwd.join(k));
    let signing = Signing {
        id,
        command: "decline",
        agreement,
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
        ("decline", now),
    );
    let mut file = DeclineFile::new(
        id,
        version.as_str(),
        role,
        &principal,
        now,
        args.reason.clone(),
    );
    let (rel, text) = seal(&mut file, &signer, &ws.layout.signoffs)?;
    charter::git::create_new_file(&ws.root.join(&rel), text.as_bytes()).map_err(|e| {
        CliError::new(format!("{rel}: cannot write the decline: {e}"))
            .hint("nothing was committed; run `charter decline` again")
    })?;
    super::note(
        global,
        &format!(
            "declined {id} version {} as {role} ({principal}) with key {}",
            version.short(),
            signer.public_key().fingerprint(HashAlg::Sha256)
        ),
    );
    let message = format!("decline: {id} sha256:{} by {role}", version.short());
    super::commit_record(repo, global, &identity, &rel, text.into_bytes(), &message)?;
    super::note(
        global,
        &format!(
            "the proposal stays declined until the {role} signs it; the proposer may revise it, or withdraw it with `charter withdraw {id}`"
        ),
    );
    Ok(code::OK)
}
