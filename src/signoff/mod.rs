//! Sign-offs: each party's SSH signature over one agreement version
//! (README, "Signing and verifying").
//!
//! - [`message`]: the exact bytes that are signed;
//! - [`file`](mod@file): the sign-off file, its strict reading, canonical writing and
//!   naming;
//! - [`sign`]: making signatures with a key file or an ssh-agent;
//! - [`verify`]: checking signatures in-process;
//! - [`allowed_signers`]: the trust root, read as OpenSSH reads it.
//!
//! [`verify_signoff`] ties them together for one file. The rules that need
//! the agreement and its history (the principal is the role's email, the
//! version is on the chain, what the sign-off time is) belong to the caller.

pub mod allowed_signers;
pub mod decline;
pub mod file;
pub mod message;
mod short_scalar;
pub mod sign;
pub mod signer;
pub mod verify;

use chrono::{DateTime, Duration, Utc};
use thiserror::Error;

pub use allowed_signers::{AllowedSigners, Diagnostic, Severity, SignerEntry, Untrusted};
pub use file::{SignoffFile, SignoffFileError};
pub use message::{Claim, FieldError, Role};
pub use sign::{sign_with_agent, KeyFile, PrivateKeyFile, SignError};
pub use verify::{DecodedSignature, VerifiedSignature, VerifyError};

/// The SSHSIG namespace of every sign-off. A signature made for git commits
/// or any other purpose has another namespace and can never pass as one.
pub const NAMESPACE: &str = "charter-signoff";

/// The `namespaces="…"` pattern list of an `allowed_signers` line that lets
/// a key sign every kind of charter record: sign-offs, check-ins and
/// declines. Each kind has its own namespace, so a signature made for one
/// never passes as another.
pub const RECORD_NAMESPACES: &str = "charter-signoff,charter-checkin,charter-decline";

/// How far `signed_at` may run ahead of the sign-off time before the
/// sign-off is refused: a day, to allow for clocks and time zones.
pub const SIGNED_AT_TOLERANCE: Duration = Duration::days(1);

/// A sign-off whose signature verified and whose key is trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSignoff<'a> {
    /// The checked claim.
    pub claim: Claim,
    /// The key that signed, and its fingerprint.
    pub signature: VerifiedSignature,
    /// The `allowed_signers` line that trusts the key.
    pub trusted_by: &'a SignerEntry,
}

/// Why a sign-off is not valid.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidSignoff {
    /// A field breaks its rule.
    #[error(transparent)]
    Field(#[from] FieldError),
    /// The signature does not verify over the claim's message.
    #[error(transparent)]
    Signature(#[from] VerifyError),
    /// The key is not trusted for the principal at the sign-off time.
    #[error(transparent)]
    Untrusted(#[from] Untrusted),
    /// `signed_at` is more than a day after the sign-off time.
    #[error("signed_at {signed_at} is more than a day after the sign-off time {signoff_time}")]
    SignedInFuture {
        /// The claimed signing time.
        signed_at: DateTime<Utc>,
        /// The sign-off time taken from git.
        signoff_time: DateTime<Utc>,
    },
}

/// Sign `claim` with `signer` and render the sign-off as it will be
/// written under `dir/ID/`, checked first as `verify` will check it
/// (against `signers` at `now`), so that `charter sign` never writes a
/// sign-off it knows to be rejected. Returns the repository-relative path
/// and the exact text. A signature that does not verify is a denial
/// ([`crate::error::ErrorKind::Denied`]); the rest are failures.
pub fn seal(
    claim: &Claim,
    signer: &signer::Signer,
    signers: &AllowedSigners,
    now: DateTime<Utc>,
    dir: &str,
) -> crate::error::Result<(String, String)> {
    use crate::error::Error;
    let armor = signer.sign(NAMESPACE, &claim.message())?;
    let file = SignoffFile::new(claim, &armor)
        .map_err(|e| Error::other(format!("the signature made is unusable: {e}"), None))?;
    verify_signoff(&file, signers, now)
        .map_err(|e| Error::denied(format!("the new sign-off does not verify: {e}")))?;
    let rendered = file
        .to_rendered()
        .map_err(|e| Error::other(format!("cannot write the sign-off: {e}"), None))?;
    let rel = format!("{dir}/{}/{}", claim.agreement(), rendered.file_name);
    Ok((rel, rendered.text))
}

/// Checks one sign-off file: its fields, its signature over the exact
/// message, the key's trust for its principal at `signoff_time` (the time
/// git says the file landed, since SSHSIG carries no time), and that
/// `signed_at` does not claim a time more than a day after that.
pub fn verify_signoff<'a>(
    file: &SignoffFile,
    signers: &'a AllowedSigners,
    signoff_time: DateTime<Utc>,
) -> Result<ValidSignoff<'a>, InvalidSignoff> {
    let signature = verify::DecodedSignature::decode(&file.signature);
    verify_decoded_signoff(file, &signature, signers, signoff_time)
}

/// As [`verify_signoff`], with the file's signature already decoded (by
/// [`verify::DecodedSignature::decode`] of `file.signature`), so that a
/// report can name the signing key without reading the signature twice.
pub fn verify_decoded_signoff<'a>(
    file: &SignoffFile,
    signature: &verify::DecodedSignature,
    signers: &'a AllowedSigners,
    signoff_time: DateTime<Utc>,
) -> Result<ValidSignoff<'a>, InvalidSignoff> {
    let claim = file.claim()?;
    let signature = signature.verify(&claim.message(), NAMESPACE)?;
    let trusted_by = signers.check(
        claim.principal(),
        signature.public_key.key_data(),
        NAMESPACE,
        signoff_time,
    )?;
    if claim.signed_at() > signoff_time + SIGNED_AT_TOLERANCE {
        return Err(InvalidSignoff::SignedInFuture {
            signed_at: claim.signed_at(),
            signoff_time,
        });
    }
    Ok(ValidSignoff {
        claim,
        signature,
        trusted_by,
    })
}
