//! In-process verification of armored SSHSIG signatures, interoperable with
//! `ssh-keygen -Y sign`.
//!
//! Verification runs in-process (README, "Signing and verifying") because `verify` and `check`
//! handle thousands of sign-offs; spawning `ssh-keygen` for each would be
//! two orders of magnitude slower. This module answers only "does this
//! signature, made by this key, cover these bytes in our namespace?";
//! whether the key is trusted is [`super::allowed_signers`]' question.

use ssh_encoding::base64::{Base64, Encoding};
use ssh_encoding::Decode;
use ssh_key::public::{KeyData, RsaPublicKey};
use ssh_key::{Algorithm, HashAlg, PublicKey, SshSig};
use thiserror::Error;

use super::NAMESPACE;

/// Largest armored signature accepted. Real ones are under 4 KiB (a
/// 16384-bit RSA signature with its key is about 5.5 KiB armored).
pub const MAX_ARMOR_SIZE: usize = 16 * 1024;

/// Smallest RSA modulus accepted, in bits: smaller keys can be factored.
pub const MIN_RSA_BITS: usize = 2048;

/// Largest RSA modulus accepted, in bits: OpenSSH's own limit
/// (`SSHBUF_MAX_BIGNUM`), so every key `ssh-keygen` verifies with verifies here.
pub const MAX_RSA_BITS: usize = 16384;

/// A signature that verified: who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSignature {
    /// The public key that made the signature (taken from the SSHSIG, so it
    /// still has to be looked up in `allowed_signers`).
    pub public_key: PublicKey,
    /// The key's fingerprint as OpenSSH prints it: `SHA256:<base64>`.
    pub fingerprint: String,
    /// The signature algorithm, e.g. `ssh-ed25519` or `rsa-sha2-512`.
    pub algorithm: String,
    /// The hash the SSHSIG applied to the message (`sha512` or `sha256`).
    pub hash: HashAlg,
}

/// Why a signature was refused. The variants keep apart a damaged file, a
/// signature made for another purpose, a forgery or mismatch, and a key or
/// algorithm charter will not accept.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VerifyError {
    /// The text is not a well-formed SSH signature armor.
    #[error("not a valid SSH signature: {0}")]
    BadArmor(String),
    /// The signature was made for another namespace, so it was never meant
    /// as a charter sign-off.
    #[error("the signature is for namespace {found:?}, not {expected:?}")]
    WrongNamespace {
        /// The namespace in the signature.
        found: String,
        /// The namespace required.
        expected: String,
    },
    /// RSA with SHA-1 (`ssh-rsa`) or DSA: broken algorithms OpenSSH refuses too.
    #[error(
        "signature algorithm {0} is too weak; RSA signatures must use rsa-sha2-256 or rsa-sha2-512"
    )]
    WeakAlgorithm(String),
    /// An algorithm this build cannot verify.
    #[error("signature algorithm {0} is not supported")]
    UnsupportedAlgorithm(String),
    /// An RSA key too small to be safe, refused whatever the signature.
    #[error(
        "the signing key is a {bits}-bit RSA key; RSA keys under {MIN_RSA_BITS} bits are refused"
    )]
    WeakKey {
        /// The key's modulus size.
        bits: usize,
    },
    /// An RSA key larger than OpenSSH accepts.
    #[error("the signing key is a {bits}-bit RSA key; RSA keys over {MAX_RSA_BITS} bits are not supported")]
    OversizedKey {
        /// The key's modulus size.
        bits: usize,
    },
    /// The signature was made with an SSH certificate, which charter does
    /// not trust (as it does not trust `cert-authority` lines).
    #[error("the signature was made with an SSH certificate ({0}); certificates are not supported, sign with the plain key listed in allowed_signers")]
    Certificate(String),
    /// The signature does not match the message and the key it names.
    #[error("the signature does not match the signed message")]
    BadSignature,
}

/// Verifies an armored SSHSIG over `message` in the sign-off namespace
/// (`charter-signoff`). Returns the key that made it, for the trust check.
pub fn verify(armored: &str, message: &[u8]) -> Result<VerifiedSignature, VerifyError> {
    verify_in_namespace(armored, message, NAMESPACE)
}

/// Verifies an armored SSHSIG over `message`, requiring `namespace`.
/// Exposed so tests and tools can show that other namespaces are refused.
pub fn verify_in_namespace(
    armored: &str,
    message: &[u8],
    namespace: &str,
) -> Result<VerifiedSignature, VerifyError> {
    DecodedSignature::decode(armored).verify(message, namespace)
}

/// An armored SSHSIG read once: the key it names (for reports, even when the
/// signature is refused) and the signature itself, or why it cannot be
/// read. Reading is most of the cost of a signature that is then refused,
/// and reports want the key's fingerprint either way, so a caller decodes
/// once and both verifies and names the key from the result.
#[derive(Debug, Clone)]
pub struct DecodedSignature(Result<ReadSignature, VerifyError>);

/// A signature blob that decoded.
#[derive(Debug, Clone)]
struct ReadSignature {
    sig: SshSig,
    /// The fingerprint of the key the signature names.
    fingerprint: String,
    /// Bytes followed the signature, which is refused for it.
    trailing_data: bool,
}

impl DecodedSignature {
    /// Reads an armored SSHSIG. Never fails: what cannot be read is kept as
    /// the error [`DecodedSignature::verify`] reports.
    pub fn decode(armored: &str) -> Self {
        DecodedSignature(read(armored))
    }

    /// The fingerprint (`SHA256:<base64>`) of the key the signature names,
    /// without verifying anything; `None` when it cannot be read.
    pub fn fingerprint(&self) -> Option<&str> {
        self.0.as_ref().ok().map(|r| r.fingerprint.as_str())
    }

    /// Verifies the signature over `message`, requiring `namespace`.
    pub fn verify(
        &self,
        message: &[u8],
        namespace: &str,
    ) -> Result<VerifiedSignature, VerifyError> {
        let read = self.0.as_ref().map_err(Clone::clone)?;
        if read.trailing_data {
            return Err(VerifyError::BadArmor(
                "trailing data after the signature".to_owned(),
            ));
        }
        let sig = &read.sig;
        if sig.namespace() != namespace {
            return Err(VerifyError::WrongNamespace {
                found: sig.namespace().to_owned(),
                expected: namespace.to_owned(),
            });
        }
        let algorithm = sig.algorithm();
        match algorithm {
            Algorithm::Rsa { hash: None } | Algorithm::Dsa => {
                return Err(VerifyError::WeakAlgorithm(algorithm.to_string()))
            }
            Algorithm::Other(_) => {
                return Err(VerifyError::UnsupportedAlgorithm(algorithm.to_string()))
            }
            _ => {}
        }
        let public_key = PublicKey::new(sig.public_key().clone(), "");
        match (sig.public_key(), &algorithm) {
            (KeyData::Rsa(key), Algorithm::Rsa { hash: Some(hash) }) => {
                verify_rsa(key, *hash, sig, namespace, message)?
            }
            (KeyData::Ed25519(key), Algorithm::Ed25519) => {
                verify_ed25519(key.0, sig, namespace, message)?
            }
            _ => public_key
                .verify(namespace, message, sig)
                .map_err(|e| match e {
                    ssh_key::Error::AlgorithmUnknown
                    | ssh_key::Error::AlgorithmUnsupported { .. } => {
                        VerifyError::UnsupportedAlgorithm(algorithm.to_string())
                    }
                    _ => VerifyError::BadSignature,
                })?,
        }
        Ok(VerifiedSignature {
            fingerprint: read.fingerprint.clone(),
            public_key,
            algorithm: algorithm.to_string(),
            hash: sig.hash_alg(),
        })
    }
}

/// Verifies an Ed25519 SSHSIG exactly as `ssh-key` does (the same signed
/// data, `ed25519-dalek`'s `verify`), with each key decompressed once per
/// thread: a repository's sign-offs come from few keys, and decompressing
/// the key was a tenth of each verification.
fn verify_ed25519(
    key: [u8; 32],
    sig: &SshSig,
    namespace: &str,
    message: &[u8],
) -> Result<(), VerifyError> {
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static KEYS: RefCell<HashMap<[u8; 32], VerifyingKey>> = RefCell::default();
    }
    let signed = SshSig::signed_data(namespace, sig.hash_alg(), message)
        .map_err(|_| VerifyError::BadSignature)?;
    let signature =
        Signature::from_slice(sig.signature_bytes()).map_err(|_| VerifyError::BadSignature)?;
    let verifying = KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        if let Some(k) = keys.get(&key) {
            return Ok(*k);
        }
        let k = VerifyingKey::from_bytes(&key).map_err(|_| VerifyError::BadSignature)?;
        keys.insert(key, k);
        Ok(k)
    })?;
    verifying
        .verify(&signed, &signature)
        .map_err(|_| VerifyError::BadSignature)
}

/// Verifies an RSA SSHSIG as OpenSSH does. `ssh-key` builds its RSA keys with
/// the `rsa` crate's default cap of 4096 bits, so a signature by a larger key
/// (which `ssh-keygen` accepts) would read as a mismatch; and it refuses
/// small keys with the same words. Here the size is checked first, with its
/// own reason, and the key is built with OpenSSH's cap.
fn verify_rsa(
    key: &RsaPublicKey,
    hash: HashAlg,
    sig: &SshSig,
    namespace: &str,
    message: &[u8],
) -> Result<(), VerifyError> {
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::signature::Verifier;
    let positive = |m: &ssh_key::Mpint| {
        m.as_positive_bytes()
            .map(rsa::BigUint::from_bytes_be)
            .ok_or(VerifyError::BadSignature)
    };
    let n = positive(&key.n)?;
    let e = positive(&key.e)?;
    let bits = n.bits();
    if bits < MIN_RSA_BITS {
        return Err(VerifyError::WeakKey { bits });
    }
    if bits > MAX_RSA_BITS {
        return Err(VerifyError::OversizedKey { bits });
    }
    let public = rsa::RsaPublicKey::new_with_max_size(n, e, MAX_RSA_BITS)
        .map_err(|_| VerifyError::BadSignature)?;
    let signed = SshSig::signed_data(namespace, sig.hash_alg(), message)
        .map_err(|_| VerifyError::BadSignature)?;
    let signature =
        Signature::try_from(sig.signature().as_bytes()).map_err(|_| VerifyError::BadSignature)?;
    let verified = match hash {
        HashAlg::Sha256 => VerifyingKey::<sha2::Sha256>::new(public).verify(&signed, &signature),
        HashAlg::Sha512 => VerifyingKey::<sha2::Sha512>::new(public).verify(&signed, &signature),
        other => {
            return Err(VerifyError::UnsupportedAlgorithm(format!(
                "rsa with {other}"
            )))
        }
    };
    verified.map_err(|_| VerifyError::BadSignature)
}

/// The fingerprint of the key inside an armored SSHSIG, without verifying
/// anything: reports name the key even when the signature is refused.
/// (To verify as well, decode once with [`DecodedSignature::decode`].)
pub fn signer_fingerprint(armored: &str) -> Option<String> {
    DecodedSignature::decode(armored)
        .fingerprint()
        .map(str::to_owned)
}

/// Reads an armored SSHSIG blob, or says why it cannot be read.
fn read(armored: &str) -> Result<ReadSignature, VerifyError> {
    if armored.len() > MAX_ARMOR_SIZE {
        return Err(VerifyError::BadArmor(format!(
            "the armor is {} bytes, more than {MAX_ARMOR_SIZE}",
            armored.len()
        )));
    }
    let blob = dearmor(armored)?;
    let mut reader = blob.as_slice();
    match SshSig::decode(&mut reader) {
        Ok(sig) => Ok(ReadSignature {
            fingerprint: PublicKey::new(sig.public_key().clone(), "")
                .fingerprint(HashAlg::Sha256)
                .to_string(),
            trailing_data: !reader.is_empty(),
            sig,
        }),
        // ssh-key refuses to decode SHA-1 RSA and DSA signatures and
        // certificates at all; look inside so the user hears the real
        // cause, not "damaged".
        Err(e) => Err(if let Some(alg) = certificate_in(&blob) {
            VerifyError::Certificate(alg)
        } else if let Some(alg) = weak_algorithm_in(&blob) {
            VerifyError::WeakAlgorithm(alg)
        } else {
            VerifyError::BadArmor(e.to_string())
        }),
    }
}

const ARMOR_BEGIN: &str = "-----BEGIN SSH SIGNATURE-----";
const ARMOR_END: &str = "-----END SSH SIGNATURE-----";

/// Removes the armor the way OpenSSH's `sshsig_dearmor` does: begin line,
/// base64 with line breaks dropped whatever the line width, end line.
/// (`SshSig::from_pem` insists on exactly 70 columns, so a signature
/// re-wrapped by an editor would verify in `ssh-keygen` but not here.)
fn dearmor(armored: &str) -> Result<Vec<u8>, VerifyError> {
    let body = armored
        .trim()
        .strip_prefix(ARMOR_BEGIN)
        .ok_or_else(|| VerifyError::BadArmor(format!("it does not start with {ARMOR_BEGIN}")))?
        .strip_suffix(ARMOR_END)
        .ok_or_else(|| VerifyError::BadArmor(format!("it does not end with {ARMOR_END}")))?;
    let base64: String = body.chars().filter(|c| !matches!(c, '\n' | '\r')).collect();
    if base64.is_empty() {
        return Err(VerifyError::BadArmor(
            "it holds no signature data".to_owned(),
        ));
    }
    Base64::decode_vec(&base64)
        .map_err(|_| VerifyError::BadArmor("the signature data is not valid base64".to_owned()))
}

/// Reads the public key's type out of an SSHSIG blob without checking
/// anything else, and returns it when it is an OpenSSH certificate type
/// (`…-cert-v01@openssh.com`), which `ssh-key` cannot decode inside an SSHSIG.
fn certificate_in(blob: &[u8]) -> Option<String> {
    let rest = blob.strip_prefix(b"SSHSIG".as_slice())?.get(4..)?;
    let field = |data: &[u8]| -> Option<(usize, usize)> {
        let len = usize::try_from(u32::from_be_bytes(data.get(..4)?.try_into().ok()?)).ok()?;
        Some((4, len.checked_add(4)?))
    };
    let (start, end) = field(rest)?;
    let public_key = rest.get(start..end)?;
    let (start, end) = field(public_key)?;
    let key_type = std::str::from_utf8(public_key.get(start..end)?).ok()?;
    key_type
        .ends_with("-cert-v01@openssh.com")
        .then(|| key_type.to_owned())
}

/// Reads the signature algorithm out of an SSHSIG blob without checking
/// anything else (PROTOCOL.sshsig: `"SSHSIG"`, version, public key,
/// namespace, reserved, hash algorithm, signature), and returns it when it
/// is one charter refuses as weak.
fn weak_algorithm_in(blob: &[u8]) -> Option<String> {
    let mut rest = blob.strip_prefix(b"SSHSIG".as_slice())?.get(4..)?;
    let mut field = || -> Option<&[u8]> {
        let len = usize::try_from(u32::from_be_bytes(rest.get(..4)?.try_into().ok()?)).ok()?;
        let end = len.checked_add(4)?;
        let value = rest.get(4..end)?;
        rest = rest.get(end..)?;
        Some(value)
    };
    for _ in 0..4 {
        field()?; // public key, namespace, reserved, hash algorithm
    }
    let signature = field()?;
    let len = usize::try_from(u32::from_be_bytes(signature.get(..4)?.try_into().ok()?)).ok()?;
    let algorithm = std::str::from_utf8(signature.get(4..len.checked_add(4)?)?).ok()?;
    matches!(algorithm, "ssh-rsa" | "ssh-dss").then(|| algorithm.to_owned())
}
