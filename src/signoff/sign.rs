//! Making SSHSIG signatures over sign-off messages, with a private key file
//! or through an ssh-agent, the way `ssh-keygen -Y sign -n charter-signoff`
//! would (hash sha512).
//!
//! RSA keys are signed here with the `rsa` crate directly rather than through
//! `ssh-key` 0.6.7, whose RSA signing builds the private key from the wrong
//! primes (`p`, `p`) and so fails with every `rsa` release since 0.9.7
//! (RustCrypto/SSH issue 387, fixed only in the 0.7 pre-releases). Building
//! the key from its real components keeps the current `rsa` release, with its
//! fixes, and a stable `ssh-key` that the agent client also uses.
//!
//! Every signature is verified in-process before it is returned, so a broken
//! key, library or agent can never produce a sign-off that fails later.

use std::path::{Path, PathBuf};

use rsa::signature::{SignatureEncoding, Signer};
use rsa::BigUint;
use sha2::Sha512;
use ssh_key::private::{KeypairData, RsaKeypair};
use ssh_key::{Algorithm, HashAlg, LineEnding, Mpint, PrivateKey, PublicKey, Signature, SshSig};
use thiserror::Error;

use super::verify::{verify_in_namespace, VerifyError};
use super::NAMESPACE;

/// How long to wait for an ssh-agent to answer one request. Generous,
/// because an agent may ask the user to confirm or touch a security key.
pub const AGENT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// Why signing failed, with enough detail for the CLI to tell the user what
/// to do (enter a passphrase, add the key to the agent, use another key).
#[derive(Debug, Error)]
pub enum SignError {
    /// The key file could not be read.
    #[error("cannot read key file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is neither an OpenSSH private key nor a public key.
    #[error("{0} is not an OpenSSH private or public key")]
    NotAKey(String),
    /// The key is encrypted and no passphrase was given.
    #[error("the key is protected by a passphrase; none was given")]
    PassphraseRequired,
    /// The passphrase did not decrypt the key.
    #[error("the passphrase does not decrypt the key")]
    WrongPassphrase,
    /// The key type cannot sign from a file (for example a FIDO `sk-` key,
    /// whose secret lives on the token, or DSA).
    #[error("{algorithm} keys cannot sign from a key file; {hint}")]
    UnsupportedKey {
        /// The key's algorithm.
        algorithm: String,
        /// What to do instead.
        hint: &'static str,
    },
    /// The cryptographic operation failed.
    #[error("signing failed: {0}")]
    Crypto(String),
    /// No ssh-agent could be reached.
    #[error("cannot connect to the ssh-agent at {path}: {source}")]
    AgentConnect {
        /// The agent's socket.
        path: PathBuf,
        /// The connection error.
        source: std::io::Error,
    },
    /// The agent does not hold the requested key.
    #[error("the ssh-agent does not hold the key {0}; add it with ssh-add")]
    KeyNotInAgent(String),
    /// The agent refused or failed the request.
    #[error("the ssh-agent could not sign: {0}")]
    Agent(String),
    /// The signature produced does not verify, so it is not returned.
    #[error("the signature produced does not verify: {0}")]
    SelfCheck(VerifyError),
}

/// A key file given with `--key`: either a private key (sign directly) or a
/// public key (sign through the ssh-agent holding its private half, as git
/// does with `user.signingkey`).
#[derive(Debug, Clone)]
pub enum KeyFile {
    /// An OpenSSH private key, possibly encrypted.
    Private(PrivateKeyFile),
    /// An OpenSSH public key (`*.pub` or a `user.signingkey` literal).
    Public(PublicKey),
}

impl KeyFile {
    /// Reads a key file, deciding from its contents which kind it is.
    pub fn read(path: &Path) -> Result<KeyFile, SignError> {
        let text = std::fs::read_to_string(path).map_err(|source| SignError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text).map_err(|e| match e {
            SignError::NotAKey(_) => SignError::NotAKey(path.display().to_string()),
            other => other,
        })
    }

    /// Parses key text: an OpenSSH private key, or one public key line.
    pub fn parse(text: &str) -> Result<KeyFile, SignError> {
        if let Ok(key) = super::short_scalar::from_openssh(text) {
            return Ok(KeyFile::Private(PrivateKeyFile { key: Box::new(key) }));
        }
        let line = text.trim().strip_prefix("key::").unwrap_or(text.trim());
        PublicKey::from_openssh(line)
            .map(KeyFile::Public)
            .map_err(|_| SignError::NotAKey("the key text".to_owned()))
    }

    /// The public half, whichever kind of file this is.
    pub fn public_key(&self) -> &PublicKey {
        match self {
            KeyFile::Private(k) => k.public_key(),
            KeyFile::Public(k) => k,
        }
    }
}

/// An OpenSSH private key loaded from a file, kept encrypted until
/// [`PrivateKeyFile::sign`] needs it.
#[derive(Debug, Clone)]
pub struct PrivateKeyFile {
    key: Box<PrivateKey>,
}

impl PrivateKeyFile {
    /// Parses an OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`).
    pub fn parse(text: &str) -> Result<PrivateKeyFile, SignError> {
        super::short_scalar::from_openssh(text)
            .map(|key| PrivateKeyFile { key: Box::new(key) })
            .map_err(|_| SignError::NotAKey("the key text".to_owned()))
    }

    /// Whether a passphrase is needed; the CLI prompts only then.
    pub fn is_encrypted(&self) -> bool {
        self.key.is_encrypted()
    }

    /// The public key, readable without the passphrase.
    pub fn public_key(&self) -> &PublicKey {
        self.key.public_key()
    }

    /// Signs `message` as an armored SSHSIG (namespace `charter-signoff`,
    /// hash sha512). `passphrase` is used only when the key is encrypted.
    /// Ed25519, ECDSA and RSA (as `rsa-sha2-512`) keys are supported.
    pub fn sign(&self, passphrase: Option<&str>, message: &[u8]) -> Result<String, SignError> {
        self.sign_in(NAMESPACE, passphrase, message)
    }

    /// Like [`PrivateKeyFile::sign`], in another namespace: each kind of
    /// record (sign-off, check-in, decline) has its own, so a signature made
    /// for one can never pass as another.
    pub fn sign_in(
        &self,
        namespace: &str,
        passphrase: Option<&str>,
        message: &[u8],
    ) -> Result<String, SignError> {
        let decrypted;
        let key = if self.key.is_encrypted() {
            let pass = passphrase.ok_or(SignError::PassphraseRequired)?;
            decrypted = super::short_scalar::decrypt(&self.key, pass).map_err(|e| match e {
                ssh_key::Error::AlgorithmUnknown | ssh_key::Error::AlgorithmUnsupported { .. } => {
                    SignError::Crypto(format!("cannot decrypt the key: {e}"))
                }
                // A wrong passphrase yields garbage whose check bytes or
                // encoding fail; ssh-key cannot tell the two apart.
                _ => SignError::WrongPassphrase,
            })?;
            &decrypted
        } else {
            &self.key
        };
        let sshsig = match key.key_data() {
            KeypairData::Ed25519(_) | KeypairData::Ecdsa(_) => {
                SshSig::sign(key, namespace, HashAlg::Sha512, message)
                    .map_err(|e| SignError::Crypto(e.to_string()))?
            }
            KeypairData::Rsa(keypair) => {
                let data = SshSig::signed_data(namespace, HashAlg::Sha512, message)
                    .map_err(|e| SignError::Crypto(e.to_string()))?;
                let signature = rsa_sha512_sign(keypair, &data)?;
                SshSig::new(
                    key.public_key().key_data().clone(),
                    namespace,
                    HashAlg::Sha512,
                    signature,
                )
                .map_err(|e| SignError::Crypto(e.to_string()))?
            }
            _ => {
                return Err(SignError::UnsupportedKey {
                    algorithm: key.algorithm().to_string(),
                    hint: "use an ed25519, ECDSA or RSA key, or sign through ssh-agent",
                })
            }
        };
        finish(&sshsig, key.public_key(), namespace, message)
    }
}

fn to_biguint(m: &Mpint) -> Result<BigUint, SignError> {
    m.as_positive_bytes()
        .map(BigUint::from_bytes_be)
        .ok_or_else(|| SignError::Crypto("malformed RSA key component".to_owned()))
}

/// RSA PKCS#1 v1.5 with SHA-512 (`rsa-sha2-512`), from the key's real
/// components (see the module docs for why not through `ssh-key`).
fn rsa_sha512_sign(keypair: &RsaKeypair, data: &[u8]) -> Result<Signature, SignError> {
    let key = rsa::RsaPrivateKey::from_components(
        to_biguint(&keypair.public.n)?,
        to_biguint(&keypair.public.e)?,
        to_biguint(&keypair.private.d)?,
        vec![
            to_biguint(&keypair.private.p)?,
            to_biguint(&keypair.private.q)?,
        ],
    )
    .map_err(|e| SignError::Crypto(format!("invalid RSA key: {e}")))?;
    let signing_key = rsa::pkcs1v15::SigningKey::<Sha512>::new(key);
    let signature = signing_key
        .try_sign(data)
        .map_err(|e| SignError::Crypto(e.to_string()))?;
    Signature::new(
        Algorithm::Rsa {
            hash: Some(HashAlg::Sha512),
        },
        signature.to_vec(),
    )
    .map_err(|e| SignError::Crypto(e.to_string()))
}

/// Armors a signature after checking it verifies with the expected key.
fn finish(
    sshsig: &SshSig,
    expected: &PublicKey,
    namespace: &str,
    message: &[u8],
) -> Result<String, SignError> {
    let armored = sshsig
        .to_pem(LineEnding::LF)
        .map_err(|e| SignError::Crypto(e.to_string()))?;
    let verified =
        verify_in_namespace(&armored, message, namespace).map_err(SignError::SelfCheck)?;
    if verified.public_key.key_data() != expected.key_data() {
        return Err(SignError::SelfCheck(VerifyError::BadSignature));
    }
    Ok(armored)
}

/// The ssh-agent socket from `SSH_AUTH_SOCK`, if set and non-empty.
pub fn agent_socket_from_env() -> Option<PathBuf> {
    std::env::var_os("SSH_AUTH_SOCK")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
}

#[cfg(unix)]
fn connect_agent(socket: &Path) -> Result<ssh_agent_client_rs::Client, SignError> {
    let connect_err = |source| SignError::AgentConnect {
        path: socket.to_owned(),
        source,
    };
    let stream = std::os::unix::net::UnixStream::connect(socket).map_err(connect_err)?;
    stream
        .set_read_timeout(Some(AGENT_TIMEOUT))
        .map_err(connect_err)?;
    stream
        .set_write_timeout(Some(AGENT_TIMEOUT))
        .map_err(connect_err)?;
    Ok(ssh_agent_client_rs::Client::with_read_write(Box::new(
        stream,
    )))
}

#[cfg(not(unix))]
fn connect_agent(socket: &Path) -> Result<ssh_agent_client_rs::Client, SignError> {
    ssh_agent_client_rs::Client::connect(socket).map_err(|e| SignError::AgentConnect {
        path: socket.to_owned(),
        source: std::io::Error::other(e.to_string()),
    })
}

/// The public keys the ssh-agent at `socket` holds (certificates left out),
/// so that `charter sign` can pick the one `allowed_signers` trusts when the
/// user named no key, as `ssh-keygen` picks from the agent.
pub fn agent_keys(socket: &Path) -> Result<Vec<PublicKey>, SignError> {
    let mut client = connect_agent(socket)?;
    let held = client
        .list_all_identities()
        .map_err(|e| SignError::Agent(e.to_string()))?;
    Ok(held
        .into_iter()
        .filter_map(|identity| match identity {
            ssh_agent_client_rs::Identity::PublicKey(k) => Some(k.into_owned()),
            _ => None,
        })
        .collect())
}

/// Signs `message` through the ssh-agent at `socket` with the private half
/// of `public_key`, as an armored SSHSIG (namespace `charter-signoff`, hash
/// sha512; RSA keys are asked for `rsa-sha2-512`). This is how keys that
/// never leave an agent or a security key sign.
pub fn sign_with_agent(
    socket: &Path,
    public_key: &PublicKey,
    message: &[u8],
) -> Result<String, SignError> {
    sign_with_agent_in(NAMESPACE, socket, public_key, message)
}

/// Like [`sign_with_agent`], in another namespace (see
/// [`PrivateKeyFile::sign_in`]).
pub fn sign_with_agent_in(
    namespace: &str,
    socket: &Path,
    public_key: &PublicKey,
    message: &[u8],
) -> Result<String, SignError> {
    let agent_err = |e: ssh_agent_client_rs::Error| SignError::Agent(e.to_string());
    let mut client = connect_agent(socket)?;
    let held = client.list_all_identities().map_err(agent_err)?;
    let present = held.iter().any(|identity| {
        matches!(identity, ssh_agent_client_rs::Identity::PublicKey(k)
            if k.key_data() == public_key.key_data())
    });
    if !present {
        return Err(SignError::KeyNotInAgent(
            public_key.fingerprint(HashAlg::Sha256).to_string(),
        ));
    }
    let data = SshSig::signed_data(namespace, HashAlg::Sha512, message)
        .map_err(|e| SignError::Crypto(e.to_string()))?;
    let signature = client.sign(public_key, &data).map_err(agent_err)?;
    let sshsig = SshSig::new(
        public_key.key_data().clone(),
        namespace,
        HashAlg::Sha512,
        signature,
    )
    .map_err(|e| SignError::Crypto(e.to_string()))?;
    finish(&sshsig, public_key, namespace, message)
}
