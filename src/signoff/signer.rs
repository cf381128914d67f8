//! Choosing the SSH key a party signs with, and signing with it, the way
//! git and `ssh-keygen -Y sign` do: `--key PATH` (a private key, or a public
//! key whose private half is in ssh-agent), else git's `user.signingkey`
//! (with `gpg.format=ssh`), else the usual `~/.ssh/id_*` files, else the
//! agent. Every charter record that is signed (sign-offs, check-ins,
//! declines) goes through here, each in its own namespace.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use git2::Repository;
use ssh_key::{HashAlg, PublicKey};

use super::sign::{agent_keys, agent_socket_from_env, sign_with_agent_in};
use super::{KeyFile, PrivateKeyFile, SignError};
use crate::error::{Error, Result};

/// The key that will sign.
pub enum Signer {
    /// A private key file (may also be in the agent, which is then used).
    File {
        /// Where the key was read from.
        path: PathBuf,
        /// The key, still encrypted when it has a passphrase.
        key: PrivateKeyFile,
    },
    /// A key held by ssh-agent.
    Agent {
        /// The agent's socket.
        socket: PathBuf,
        /// The public half of the key the agent holds.
        key: PublicKey,
        /// Where the choice came from, for messages.
        from: String,
    },
}

impl Signer {
    /// The public half of the key.
    pub fn public_key(&self) -> &PublicKey {
        match self {
            Signer::File { key, .. } => key.public_key(),
            Signer::Agent { key, .. } => key,
        }
    }

    /// Sign `message` in `namespace`. An encrypted key file is used through
    /// the agent when the agent holds it (as `ssh-keygen -Y sign` does),
    /// else its passphrase is asked for on the terminal or by `SSH_ASKPASS`.
    pub fn sign(&self, namespace: &str, message: &[u8]) -> Result<String> {
        match self {
            Signer::Agent { socket, key, from } => {
                sign_with_agent_in(namespace, socket, key, message).map_err(|e| sign_error(e, from))
            }
            Signer::File { path, key } => {
                let shown = path.display().to_string();
                if !key.is_encrypted() {
                    return key
                        .sign_in(namespace, None, message)
                        .map_err(|e| sign_error(e, &shown));
                }
                if let Some(socket) = agent_socket_from_env() {
                    match sign_with_agent_in(namespace, &socket, key.public_key(), message) {
                        Ok(armor) => return Ok(armor),
                        Err(SignError::KeyNotInAgent(_) | SignError::AgentConnect { .. }) => {}
                        Err(e) => return Err(sign_error(e, &shown)),
                    }
                }
                let passphrase = read_passphrase(path)?;
                key.sign_in(namespace, Some(&passphrase), message)
                    .map_err(|e| sign_error(e, &shown))
            }
        }
    }
}

fn sign_error(e: SignError, key: &str) -> Error {
    let hint = match &e {
        SignError::WrongPassphrase => Some("check the passphrase and try again".to_owned()),
        SignError::KeyNotInAgent(_) => Some(format!(
            "add the private key to the agent (`ssh-add`), or pass the private key file with --key instead of {key}"
        )),
        SignError::AgentConnect { .. } => {
            Some("is ssh-agent running? SSH_AUTH_SOCK must name its socket".to_owned())
        }
        _ => None,
    };
    Error::other(format!("{key}: {e}"), hint.as_deref())
}

/// Read a key file named on the command line or in git's configuration.
pub fn read_key(path: &Path) -> Result<Signer> {
    let shown = path.display().to_string();
    match KeyFile::read(path) {
        Ok(KeyFile::Private(key)) => Ok(Signer::File {
            path: path.to_owned(),
            key,
        }),
        Ok(KeyFile::Public(key)) => agent_signer(key, shown),
        Err(e) => Err(Error::other(
            e.to_string(),
            Some("give an OpenSSH private key, or a public key (.pub) whose private half is in ssh-agent"),
        )),
    }
}

/// A public key is signed with through the agent, as git does.
fn agent_signer(key: PublicKey, from: String) -> Result<Signer> {
    let Some(socket) = agent_socket_from_env() else {
        return Err(Error::other(
            format!("{from} is a public key: charter signs with it through ssh-agent, but SSH_AUTH_SOCK is not set"),
            Some("start an agent and add the key (`eval \"$(ssh-agent)\"; ssh-add`), or pass the private key file with --key"),
        ));
    };
    Ok(Signer::Agent { socket, key, from })
}

/// The key to sign with: `key` (already resolved against the current
/// directory), else git's `user.signingkey` (with `gpg.format=ssh`), else
/// the usual `~/.ssh/id_*` files, else ssh-agent. Among the defaults, a key
/// `trusted` accepts wins; when none is trusted the first found is returned
/// so that the caller can refuse it with the line to add.
pub fn choose_key(
    key: Option<&Path>,
    repo: &Repository,
    root: &Path,
    principal: &str,
    trusted: &dyn Fn(&PublicKey) -> bool,
) -> Result<Signer> {
    if let Some(path) = key {
        return read_key(path);
    }
    let config = repo.config().ok();
    let get = |name: &str| {
        config
            .as_ref()
            .and_then(|c| c.get_string(name).ok())
            .filter(|v| !v.trim().is_empty())
    };
    let ssh_format = get("gpg.format").is_some_and(|f| f.trim().eq_ignore_ascii_case("ssh"));
    if let (true, Some(value)) = (ssh_format, get("user.signingkey")) {
        let value = value.trim();
        let literal = value.strip_prefix("key::").unwrap_or(value);
        if let Ok(key) = PublicKey::from_openssh(literal) {
            return agent_signer(key, "git's user.signingkey".to_owned());
        }
        if value.starts_with("key::") {
            return Err(Error::other(
                "git's user.signingkey starts with key:: but is not an SSH public key",
                Some("fix it with `git config user.signingkey`, or pass --key"),
            ));
        }
        return read_key(&expand_home(value, root));
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let mut found: Vec<(PathBuf, PrivateKeyFile)> = Vec::new();
    if let Some(home) = &home {
        for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
            let path = home.join(".ssh").join(name);
            if let Ok(KeyFile::Private(key)) = KeyFile::read(&path) {
                found.push((path, key));
            }
        }
    }
    if let Some(i) = found.iter().position(|(_, k)| trusted(k.public_key())) {
        let (path, key) = found.swap_remove(i);
        return Ok(Signer::File { path, key });
    }
    if let Some(socket) = agent_socket_from_env() {
        if let Ok(keys) = agent_keys(&socket) {
            if let Some(key) = keys.into_iter().find(|k| trusted(k)) {
                return Ok(Signer::Agent {
                    socket,
                    from: format!("ssh-agent key {}", key.fingerprint(HashAlg::Sha256)),
                    key,
                });
            }
        }
    }
    if let Some((path, key)) = found.into_iter().next() {
        // Not trusted: the caller refuses it with the line to add.
        return Ok(Signer::File { path, key });
    }
    Err(Error::other(
        format!("no SSH key found to sign for {principal}"),
        Some("pass --key PATH, set git's user.signingkey (with gpg.format=ssh), create ~/.ssh/id_ed25519 (`ssh-keygen -t ed25519`), or add a key to ssh-agent"),
    ))
}

/// `~/x` relative to HOME; other relative paths relative to the repository
/// root (where git runs its signing program).
fn expand_home(value: &str, root: &Path) -> PathBuf {
    if let Some(rest) = value.strip_prefix("~/") {
        if let Some(home) = std::env::var_os("HOME") {
            return PathBuf::from(home).join(rest);
        }
    }
    root.join(value)
}

/// Ask for a key's passphrase: on the terminal, or through `SSH_ASKPASS`
/// the way OpenSSH does (always with `SSH_ASKPASS_REQUIRE=force`; when there
/// is no terminal and a display is set, or with `SSH_ASKPASS_REQUIRE=prefer`).
fn read_passphrase(path: &Path) -> Result<String> {
    let prompt = format!("Enter passphrase for {}: ", path.display());
    let askpass = std::env::var_os("SSH_ASKPASS").filter(|v| !v.is_empty());
    let require = std::env::var("SSH_ASKPASS_REQUIRE")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()));
    if let Some(program) = &askpass {
        if require == "force" || require == "prefer" {
            return run_askpass(program, &prompt);
        }
    }
    match rpassword::prompt_password(&prompt) {
        Ok(p) => Ok(p),
        Err(tty_error) => match &askpass {
            Some(program) if display && require != "never" => run_askpass(program, &prompt),
            _ => Err(Error::other(
                format!(
                    "{} is protected by a passphrase and there is no terminal to ask for it ({tty_error})",
                    path.display()
                ),
                Some(&format!(
                    "add the key to ssh-agent (`ssh-add {}`) and run again, or set SSH_ASKPASS to a program that prints the passphrase (with SSH_ASKPASS_REQUIRE=force)",
                    path.display()
                )),
            )),
        },
    }
}

fn run_askpass(program: &std::ffi::OsStr, prompt: &str) -> Result<String> {
    let out = std::process::Command::new(program)
        .arg(prompt)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| {
            Error::other(
                format!(
                    "cannot run SSH_ASKPASS program {}: {e}",
                    Path::new(program).display()
                ),
                None,
            )
        })?;
    if !out.status.success() {
        return Err(Error::other(
            "the SSH_ASKPASS program gave no passphrase (it failed or was cancelled)",
            None,
        ));
    }
    let text = String::from_utf8(out.stdout).map_err(|_| {
        Error::other(
            "the SSH_ASKPASS program printed a passphrase that is not UTF-8",
            None,
        )
    })?;
    let line = text.strip_suffix('\n').unwrap_or(&text);
    Ok(line.strip_suffix('\r').unwrap_or(line).to_owned())
}

/// The role whose email is git's `user.email` (compared without regard to
/// case, as mail systems do; the principal is then the agreement's
/// spelling): who "I" am when a command is not told.
pub fn role_from_git(
    repo: &Repository,
    agreement: &crate::agreement::Agreement,
) -> Result<crate::agreement::Role> {
    use crate::agreement::Role;
    let email = repo
        .config()
        .and_then(|c| c.get_string("user.email"))
        .ok()
        .filter(|e| !e.trim().is_empty());
    let Some(email) = email else {
        return Err(Error::refused(
            "git has no user.email, so charter cannot tell which party you are",
        )
        .hint_that("pass --as mentor or --as mentee"));
    };
    let email = email.trim();
    let matches: Vec<Role> = Role::BOTH
        .into_iter()
        .filter(|r| r.email(agreement).eq_ignore_ascii_case(email))
        .collect();
    match matches.as_slice() {
        [role] => Ok(*role),
        _ => Err(Error::refused(format!(
            "git's user.email ({email}) is neither the mentor's ({}) nor the mentee's ({}) email",
            agreement.parties.mentor.email, agreement.parties.mentee.email
        ))
        .hint_that("pass --as mentor or --as mentee")),
    }
}

/// The party that acts on a signed record: `role` when given, else the
/// only party whose email the trust root accepts `key` for in `namespace`,
/// else the party whose email is git's `user.email` (as `sign` decides).
pub fn acting_role(
    role: Option<crate::agreement::Role>,
    key: Option<&Path>,
    repo: &Repository,
    agreement: &crate::agreement::Agreement,
    signers: &super::AllowedSigners,
    namespace: &str,
) -> Result<crate::agreement::Role> {
    use crate::agreement::Role;
    if let Some(r) = role {
        return Ok(r);
    }
    if let Some(signer) = key.and_then(|path| read_key(path).ok()) {
        let now = crate::ident::committer_now()?;
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
    role_from_git(repo, agreement)
}

/// What a command that makes a signed record asks for: the party who
/// signs, the agreement, the record's namespace and the key if one was
/// given. `sign`, `checkin`, `decline` and `conclude` all choose and check
/// the key through [`trusted_signer`] with it, so they accept and refuse
/// the same keys with the same words.
pub struct Signing<'a> {
    /// The agreement's id, for advice.
    pub id: &'a str,
    /// The command that makes the record (`sign`, `checkin`, ...), for advice.
    pub command: &'a str,
    /// The agreement whose parties' emails are the principals.
    pub agreement: &'a crate::agreement::Agreement,
    /// The party who signs.
    pub role: crate::agreement::Role,
    /// The record's namespace (sign-off, check-in, decline).
    pub namespace: &'a str,
    /// `--key`, when given.
    pub key: Option<&'a Path>,
}

/// The key the party of `signing` signs with ([`choose_key`]), denied
/// ([`Error::Denied`]) when the trust root (`signers`, read from the file
/// `allowed_signers`; the working tree's, see
/// [`crate::workspace::Workspace::signing_trust_root`]) does not accept it
/// at `now`: as the *other* party's key when it is one, else with the line
/// that would trust it.
pub fn trusted_signer(
    repo: &Repository,
    root: &Path,
    signers: &super::AllowedSigners,
    allowed_signers: &str,
    signing: &Signing<'_>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Signer> {
    let principal = signing.role.email(signing.agreement);
    let namespace = signing.namespace;
    let trusted = |k: &PublicKey| {
        signers
            .check(principal, k.key_data(), namespace, now)
            .is_ok()
    };
    let signer = choose_key(signing.key, repo, root, principal, &trusted)?;
    let key = signer.public_key();
    if let Err(why) = signers.check(principal, key.key_data(), namespace, now) {
        return Err(other_party_key(signing, signers, key, now)
            .unwrap_or_else(|| untrusted(allowed_signers, principal, key, namespace, &why)));
    }
    Ok(signer)
}

/// The warning for a record (`what`: "sign-off", "check-in", ...) made
/// with a key that the working tree's `allowed_signers` trusts and HEAD's
/// (`head`) does not yet: the record counts only once that change is
/// committed, and reviewed.
pub fn not_yet_trusted(
    head: &super::AllowedSigners,
    allowed_signers: &str,
    principal: &str,
    key: &PublicKey,
    namespace: &str,
    now: chrono::DateTime<chrono::Utc>,
    what: &str,
) -> Option<String> {
    head.check(principal, key.key_data(), namespace, now)
        .is_err()
        .then(|| format!("warning: {allowed_signers} at HEAD does not trust this key yet; the {what} counts once your change to it is committed"))
}

/// The `allowed_signers` line that trusts `key` for `principal` in every
/// namespace of charter's records: what a refusal tells the user to add.
pub fn allowed_signers_line(principal: &str, key: &PublicKey) -> String {
    let mut key = key.clone();
    key.set_comment("");
    key.to_openssh()
        .map(|k| {
            format!(
                "{principal} namespaces=\"{}\" {k}",
                super::RECORD_NAMESPACES
            )
        })
        .unwrap_or_default()
}

/// The denial for a key that is trusted for the *other* party of the
/// agreement: the signer most likely chose the wrong role. It names the
/// right one, and never suggests trusting this key for the role asked
/// (that would let one person sign for two). `None` when the key is not
/// the other party's.
fn other_party_key(
    signing: &Signing<'_>,
    signers: &super::AllowedSigners,
    key: &PublicKey,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Error> {
    use crate::agreement::Role;
    let role = signing.role;
    let other = Role::BOTH.into_iter().find(|r| *r != role)?;
    let (mine, theirs) = (
        role.email(signing.agreement),
        other.email(signing.agreement),
    );
    signers
        .check(theirs, key.key_data(), signing.namespace, now)
        .ok()?;
    let fingerprint = key.fingerprint(HashAlg::Sha256);
    Some(
        Error::denied(format!(
            "key {fingerprint} is trusted for the {other} ({theirs}), not for the {role} ({mine}); you asked to act as the {role}"
        ))
        .hint_that(format!(
            "if you are the {other}, act as the {other}: `charter {} {} --as {other}`",
            signing.command, signing.id
        ))
        .hint_that(format!(
            "if you are the {role}, sign with your own key, the one listed for {mine} in allowed_signers (`--key PATH`); each party signs with their own key"
        )),
    )
}

/// The denial for a key that `allowed_signers` (at `path`) does not accept
/// for `principal` in `namespace`, with the line to add or to fix.
fn untrusted(
    path: &str,
    principal: &str,
    key: &PublicKey,
    namespace: &str,
    why: &super::allowed_signers::Untrusted,
) -> Error {
    use super::allowed_signers::Untrusted;
    let fingerprint = key.fingerprint(HashAlg::Sha256);
    let line = allowed_signers_line(principal, key);
    let error = Error::denied(format!(
        "{path} does not trust key {fingerprint} to sign {namespace} records for {principal}: {why}"
    ));
    match why {
        Untrusted::UnknownKey | Untrusted::PrincipalNotAllowed { .. } => error
            .hint_that(format!("add your key to {path}:\n    {line}"))
            .hint_that("commit that change (reviewed by the file's owners), then try again; or pass the key that is listed with --key"),
        _ => error.hint_that(format!(
            "fix the key's line in {path}, or add a current one:\n    {line}"
        )),
    }
}
