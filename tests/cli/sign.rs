//! `charter sign`, `charter verify` and `charter signoff`: real keys from the
//! real `ssh-keygen`, real `ssh-agent`, real repositories, and OpenSSH
//! interoperability both ways.

use std::path::PathBuf;
use std::process::{Output, Stdio};

use charter::agreement::lint::{check, Context};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::{stderr, stdout, Env, Key};
use crate::sandbox::Agent;
use crate::snap;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const AGREEMENT: &str = "agreements/ada-grace.yaml";
const MENTOR: &str = "grace@example.com";
const MENTEE: &str = "ada@example.com";
const PASSPHRASE: &str = "correct horse battery staple";
/// charter's clock in these tests: its commits and the `signed_at` of its
/// sign-offs carry this time (`GIT_COMMITTER_DATE`), after every commit the
/// tests date themselves.
const CLOCK: &str = "2026-02-01T10:00:00Z";
/// Late enough that every version signed in a test has taken effect, and
/// before the term of [`minimal`] ends.
const LATER: &str = "2026-12-31";

/// A small valid agreement whose term runs until the end of 2027, after
/// [`LATER`], so that its state is not `ended`.
fn minimal() -> String {
    std::fs::read_to_string(format!("{FIXTURES}/valid-minimal.yaml"))
        .unwrap()
        .replace("end: 2026-07-10", "end: 2027-12-31")
}

/// The two parties' keys.
struct Parties {
    mentor: Key,
    mentee: Key,
}

/// A repository with the minimal agreement committed and both parties'
/// keys (ed25519 for the mentor, ecdsa for the mentee) in allowed_signers.
fn setup() -> (Env, Parties) {
    let env = Env::with_git().clocked(CLOCK);
    let mentor = env.keygen("grace", "ed25519", "");
    let mentee = env.keygen("ada", "ecdsa", "");
    env.write(
        "allowed_signers",
        format!(
            "{MENTOR} namespaces=\"charter-signoff\" {}\n{MENTEE} {}\n",
            mentor.line, mentee.line
        ),
    );
    env.write(AGREEMENT, minimal());
    env.commit_all("Add ada-grace", "2026-01-05T10:00:00Z");
    (env, Parties { mentor, mentee })
}

fn sign(env: &Env, role: &str, key: &Key, extra: &[&str]) -> Output {
    let mut args = vec!["sign", "ada-grace", "--as", role, "--key", key.path()];
    args.extend_from_slice(extra);
    env.run(&args)
}

fn sign_ok(env: &Env, role: &str, key: &Key, extra: &[&str]) {
    let out = sign(env, role, key, extra);
    assert_eq!(out.status.code(), Some(0), "sign: {}", stderr(&out));
}

fn verify_json(env: &Env) -> (Option<i32>, Value) {
    let out = env
        .charter(&["verify", "--format", "json"])
        .env("CHARTER_TODAY", LATER)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(&out), stderr(&out)));
    (out.status.code(), json)
}

fn verify_text(env: &Env) -> (Option<i32>, String) {
    let out = env
        .charter(&["verify", "--color", "never"])
        .env("CHARTER_TODAY", LATER)
        .output()
        .unwrap();
    (out.status.code(), stdout(&out))
}

/// `verify` as of [`LATER`], rendered for a whole-output snapshot.
fn verify_snapshot(env: &Env) -> String {
    let out = env
        .charter(&["verify", "--color", "never"])
        .env("CHARTER_TODAY", LATER)
        .output()
        .unwrap();
    snap::render(env, &out)
}

/// Like [`verify_snapshot`], for sign-offs the test wrote itself, several
/// of one version and role: each file in `labels` is named by what it is
/// (`...-mentee-[unknown key].yaml`) instead of by its hash, each other
/// text in `labels` (a hash a message names) replaced as it is, and the
/// lines under `invalid sign-offs:` sorted. charter lists those by file
/// name, and names that cover a signature made with a throwaway key sort
/// differently from run to run.
fn verify_snapshot_labelled(env: &Env, labels: &[(&str, &str)]) -> String {
    let mut out = env
        .charter(&["verify", "--color", "never"])
        .env("CHARTER_TODAY", LATER)
        .output()
        .unwrap();
    let mut text = stdout(&out);
    for (what, label) in labels {
        let named = match what.strip_suffix(".yaml") {
            Some(stem) if stem.len() > 8 => format!("{}[{label}].yaml", &stem[..stem.len() - 8]),
            _ => label.to_string(),
        };
        text = text.replace(what, &named);
    }
    out.stdout = text.into_bytes();
    let mut lines = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    let whole = snap::render(env, &out);
    for line in whole.lines() {
        if line.starts_with("    ") && !block.is_empty() {
            block.push(line);
            continue;
        }
        if block.len() > 1 {
            block[1..].sort_unstable();
        }
        lines.append(&mut block);
        if line.ends_with("invalid sign-offs:") {
            block.push(line);
        } else {
            lines.push(line);
        }
    }
    if block.len() > 1 {
        block[1..].sort_unstable();
    }
    lines.append(&mut block);
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// The single sign-off report whose file is `file`.
fn report<'a>(json: &'a Value, file: &str) -> &'a Value {
    json["signoffs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["file"] == file)
        .unwrap_or_else(|| panic!("no report for {file}: {json:#}"))
}

fn signoff_files(env: &Env) -> Vec<String> {
    let dir = env.path("signoffs/ada-grace");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| {
                format!(
                    "signoffs/ada-grace/{}",
                    e.unwrap().file_name().to_string_lossy()
                )
            })
            .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn signoff_of(env: &Env, role: &str) -> String {
    signoff_files(env)
        .into_iter()
        .find(|f| f.contains(&format!("-{role}-")))
        .unwrap_or_else(|| panic!("no {role} sign-off"))
}

/// The version id of the agreement text in the working tree.
fn version_of(env: &Env) -> String {
    let bytes = std::fs::read(env.path(AGREEMENT)).unwrap();
    check(AGREEMENT, &bytes, &Context::default())
        .0
        .version()
        .unwrap()
        .as_str()
        .to_owned()
}

fn h8(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The fields of a sign-off made by the test itself.
#[derive(Clone)]
struct Fields {
    version: String,
    amends: String,
    role: &'static str,
    principal: &'static str,
    signed_at: &'static str,
    waive: bool,
}

impl Fields {
    fn new(version: &str, role: &'static str) -> Fields {
        Fields {
            version: version.to_owned(),
            amends: "none".to_owned(),
            role,
            principal: if role == "mentor" { MENTOR } else { MENTEE },
            signed_at: "2026-02-01T10:00:00Z",
            waive: false,
        }
    }

    /// The sign-off file's text around an armored signature.
    fn yaml(&self, armor: &str) -> String {
        let mut text = format!(
            "agreement: ada-grace\nversion: {}\namends: {}\nrole: {}\nprincipal: {}\nsigned_at: {}\nwaive_notice: {}\nsignature: |\n",
            self.version, self.amends, self.role, self.principal, self.signed_at, self.waive
        );
        for line in armor.lines() {
            text.push_str(&format!("  {line}\n"));
        }
        text
    }
}

const DUMMY_ARMOR: &str = "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n";

/// The signed bytes for `fields`, as `charter signoff message` prints them
/// for a file holding those fields.
fn message_for(env: &Env, fields: &Fields) -> Vec<u8> {
    let draft = env.home.join("draft.yaml");
    std::fs::write(&draft, fields.yaml(DUMMY_ARMOR)).unwrap();
    let out = env.run(&["signoff", "message", draft.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    out.stdout
}

/// `ssh-keygen -Y sign -n NAMESPACE` over `message`; the armored signature.
fn keygen_sign(env: &Env, key: &Key, namespace: &str, message: &[u8]) -> String {
    let msg = env.home.join("message");
    std::fs::write(&msg, message).unwrap();
    let sig = env.home.join("message.sig");
    let _ = std::fs::remove_file(&sig);
    let out = env
        .process("ssh-keygen")
        .stdin(Stdio::null())
        .args(["-Y", "sign", "-n", namespace, "-f"])
        .arg(&key.private)
        .arg(&msg)
        .output()
        .unwrap();
    assert!(out.status.success(), "ssh-keygen -Y sign: {}", stderr(&out));
    std::fs::read_to_string(sig).unwrap()
}

/// A sign-off signed with `ssh-keygen` and written (not committed) under its
/// proper name; returns its repository-relative path.
fn forge(env: &Env, key: &Key, namespace: &str, fields: &Fields) -> String {
    let armor = keygen_sign(env, key, namespace, &message_for(env, fields));
    place(env, fields, &fields.yaml(&armor))
}

/// Write sign-off text under `<v12>-<role>-<h8>.yaml`.
fn place(env: &Env, fields: &Fields, text: &str) -> String {
    let rel = format!(
        "signoffs/ada-grace/{}-{}-{}.yaml",
        &fields.version[7..19],
        fields.role,
        h8(text.as_bytes())
    );
    env.write(&rel, text);
    rel
}

/// `ssh-keygen -Y verify` of a sign-off through `charter signoff message`
/// and `charter signoff signature`.
fn openssh_verify(env: &Env, file: &str, principal: &str, extra: &[&str]) -> Output {
    let message = env.run(&["signoff", "message", file]);
    assert_eq!(message.status.code(), Some(0), "{}", stderr(&message));
    let signature = env.run(&["signoff", "signature", file]);
    assert_eq!(signature.status.code(), Some(0), "{}", stderr(&signature));
    let msg = env.home.join("verify-message");
    let sig = env.home.join("verify-signature");
    std::fs::write(&msg, &message.stdout).unwrap();
    std::fs::write(&sig, &signature.stdout).unwrap();
    env.process("ssh-keygen")
        .args(["-Y", "verify", "-f"])
        .arg(env.path("allowed_signers"))
        .args(["-I", principal, "-n", "charter-signoff", "-s"])
        .arg(&sig)
        .args(extra)
        .stdin(std::fs::File::open(&msg).unwrap())
        .output()
        .unwrap()
}

/// A script that prints the passphrase, for `SSH_ASKPASS`.
fn askpass(env: &Env) -> PathBuf {
    let path = env.home.join("askpass.sh");
    std::fs::write(&path, format!("#!/bin/sh\necho '{PASSPHRASE}'\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    path
}

fn head(env: &Env) -> String {
    env.git(&["rev-parse", "HEAD"]).trim().to_owned()
}

// ---------------------------------------------------------------------------
// Signing and verifying

#[test]
fn both_parties_sign_and_verify_shows_both_valid() {
    let (env, keys) = setup();
    // Something the user has staged must stay staged and out of the sign-off commit.
    env.write("notes.txt", "staged, not signed\n");
    env.git(&["add", "notes.txt"]);

    let out = sign(&env, "mentor", &keys.mentor, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("sign_as_mentor", snap::render(&env, &out));
    let version = version_of(&env);
    let subject = env.git(&["log", "-1", "--format=%s"]);
    assert_eq!(
        subject.trim(),
        format!("sign-off: ada-grace sha256:{} by mentor", &version[7..19])
    );
    let changed = env.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(changed.trim(), signoff_of(&env, "mentor"));
    let status = env.git(&["status", "--porcelain"]);
    assert_eq!(status, "A  notes.txt\n", "the staged file stays staged");

    let out = sign(&env, "mentee", &keys.mentee, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("sign_as_mentee", snap::render(&env, &out));

    let (code, json) = verify_json(&env);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(
        json["summary"],
        serde_json::json!({"valid": 2, "invalid": 0})
    );
    let mentor = report(&json, &signoff_of(&env, "mentor"));
    assert_eq!(mentor["valid"], true);
    assert_eq!(mentor["role"], "mentor");
    assert_eq!(mentor["principal"], MENTOR);
    assert_eq!(mentor["agreement"], "ada-grace");
    assert_eq!(mentor["version"], version.as_str());
    assert!(mentor["reason"].is_null());
    assert!(mentor["key_fingerprint"]
        .as_str()
        .unwrap()
        .starts_with("SHA256:"));
    for field in ["signed_at", "signoff_time"] {
        let t = mentor[field].as_str().unwrap();
        assert_eq!(t.len(), 20, "{field}: {t}");
        assert!(t.ends_with('Z'));
    }
    let mut fields: Vec<&String> = mentor.as_object().unwrap().keys().collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "agreement",
            "file",
            "key_fingerprint",
            "principal",
            "reason",
            "role",
            "signed_at",
            "signoff_time",
            "valid",
            "version"
        ]
    );

    insta::assert_snapshot!("verify_both_valid", verify_snapshot(&env));
}

/// One P-256 key in about 512 that `ssh-keygen` makes has a secret scalar
/// with a leading zero byte, which OpenSSH stores one byte short. The mentee
/// keys of these tests are fresh ECDSA keys, so such a key used to fail
/// `sign` (and so [`both_parties_sign_and_verify_shows_both_valid`]) now and
/// then; the fixture is such a key, kept so the case runs every time.
#[test]
fn an_ecdsa_key_stored_with_a_short_scalar_signs() {
    let keys = std::path::Path::new(FIXTURES).join("keys");
    let public = std::fs::read_to_string(keys.join("ecdsa-short-scalar.pub")).unwrap();
    for name in ["ecdsa-short-scalar", "ecdsa-short-scalar-encrypted"] {
        let env = Env::with_git();
        env.write("allowed_signers", format!("{MENTEE} {}", public.trim()));
        env.write(AGREEMENT, minimal());
        env.commit_all("Add ada-grace", "2026-01-05T10:00:00Z");
        let key = env.home.join(name);
        std::fs::copy(keys.join(name), &key).unwrap();
        let out = env
            .charter(&["sign", "ada-grace", "--as", "mentee", "--key"])
            .arg(&key)
            .env("SSH_ASKPASS", askpass(&env))
            .env("SSH_ASKPASS_REQUIRE", "force")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let file = signoff_of(&env, "mentee");
        let (code, json) = verify_json(&env);
        assert_eq!(code, Some(0), "{name}: {json:#}");
        assert_eq!(report(&json, &file)["valid"], true, "{name}: {json:#}");
        let verified = openssh_verify(&env, &file, MENTEE, &[]);
        assert!(verified.status.success(), "{name}: {}", stderr(&verified));
    }
}

#[test]
fn the_role_comes_from_git_user_email() {
    let (env, keys) = setup();
    env.git(&["config", "user.email", "ADA@example.com"]);
    let out = env.run(&["sign", "ada-grace", "--key", keys.mentee.path()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("role_from_git_email", snap::render(&env, &out));
    assert!(
        stderr(&out).contains("as mentee (ada@example.com)"),
        "{}",
        stderr(&out)
    );
    env.git(&["config", "user.email", "someone@example.com"]);
    let out = env.run(&["sign", "ada-grace"]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("no_role_from_git_email", snap::render(&env, &out));
    assert!(stderr(&out).contains("--as mentor"), "{}", stderr(&out));
}

/// Without `--as`, a key trusted for one party alone says who signs, before
/// git's `user.email` does: as `checkin` and `conclude` decide.
#[test]
fn the_role_comes_from_the_key_before_git_user_email() {
    let (env, keys) = setup();
    env.git(&["config", "user.email", "ada@example.com"]);
    let out = env.run(&["sign", "ada-grace", "--key", keys.mentor.path()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("as mentor (grace@example.com)"),
        "{}",
        stderr(&out)
    );
    let file = signoff_of(&env, "mentor");
    let (code, json) = verify_json(&env);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(report(&json, &file)["valid"], true, "{json:#}");
}

#[test]
fn openssh_verifies_signoffs_made_with_every_key_type() {
    let env = Env::with_git().clocked(CLOCK);
    let ed25519 = env.keygen("ed", "ed25519", "");
    let ecdsa = env.keygen("ec", "ecdsa", "");
    let rsa = env.keygen("rsa", "rsa", "");
    let encrypted = env.keygen("enc", "ed25519", PASSPHRASE);
    let askpass = askpass(&env);
    let keys = [&ed25519, &ecdsa, &rsa, &encrypted];
    // Every key may sign for the mentee; the validity window makes
    // ssh-keygen need -Overify-time, as the README says.
    let mut signers = String::new();
    for k in keys {
        signers.push_str(&format!(
            "{MENTEE} namespaces=\"charter-signoff\",valid-after=\"20260101Z\",valid-before=\"20270101Z\" {}\n",
            k.line
        ));
    }
    env.write("allowed_signers", signers);
    env.write(AGREEMENT, minimal());
    env.commit_all("Add ada-grace", "2026-01-05T10:00:00Z");
    for (i, key) in keys.into_iter().enumerate() {
        // Each signs a different waiver setting or uses --no-commit, so none
        // is a duplicate of an earlier one: the text changes instead.
        if i > 0 {
            let text = minimal().replace("Grow as an engineer.", &format!("Grow, part {i}."));
            env.write(AGREEMENT, text);
            env.commit_all(&format!("Amend {i}"), "2026-01-06T10:00:00Z");
        }
        let out = env
            .charter(&["sign", "ada-grace", "--as", "mentee", "--key", key.path()])
            .env("SSH_ASKPASS", &askpass)
            .env("SSH_ASKPASS_REQUIRE", "force")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}: {}", key.line, stderr(&out));
        let file = env.git(&["show", "--name-only", "--format=", "HEAD"]);
        let file = file.trim();
        let (_, json) = verify_json(&env);
        let r = report(&json, file);
        assert_eq!(r["valid"], true, "{r:#}");
        let time = r["signoff_time"].as_str().unwrap().to_owned();
        let verify_time = format!("-Overify-time={}", time.replace(['-', ':', 'T'], ""));
        let out = openssh_verify(&env, file, MENTEE, &["-O", &verify_time[2..]]);
        assert!(
            out.status.success(),
            "ssh-keygen -Y verify refused a charter sign-off made with {}: {}{}",
            key.line,
            stdout(&out),
            stderr(&out)
        );
        assert!(stdout(&out).contains("Good \"charter-signoff\" signature for ada@example.com"));
        // The same bytes under another principal are refused by OpenSSH too.
        let out = openssh_verify(&env, file, MENTOR, &["-O", &verify_time[2..]]);
        assert!(!out.status.success());
    }
}

#[test]
fn signoff_message_and_signature_are_byte_exact() {
    let (env, keys) = setup();
    sign_ok(&env, "mentee", &keys.mentee, &[]);
    let file = signoff_of(&env, "mentee");
    let text = env.read(&file);
    let version = version_of(&env);
    let out = env.run(&["signoff", "message", &file]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("signoff_message", snap::render(&env, &out));
    let signed_at = text
        .lines()
        .find_map(|l| l.strip_prefix("signed_at: "))
        .unwrap();
    assert_eq!(
        stdout(&out),
        format!("charter sign-off v1\nagreement: ada-grace\nversion: {version}\namends: none\nrole: mentee\nprincipal: ada@example.com\nsigned-at: {signed_at}\nwaive-notice: false\n")
    );
    let out = env.run(&["signoff", "signature", &file]);
    let armor = stdout(&out);
    assert!(
        armor.starts_with("-----BEGIN SSH SIGNATURE-----\n"),
        "{armor}"
    );
    assert!(
        armor.ends_with("\n-----END SSH SIGNATURE-----\n"),
        "{armor}"
    );
    assert!(!armor.ends_with("\n\n"));
    let indented: String = armor.lines().map(|l| format!("  {l}\n")).collect();
    assert!(
        text.ends_with(&format!("signature: |\n{indented}")),
        "{text}"
    );

    // A malformed file is named in the error.
    env.write("broken.yaml", "agreement: ada-grace\nversion: 1\n");
    let out = env.run(&["signoff", "message", "broken.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("signoff_message_malformed", snap::render(&env, &out));
    assert!(
        stderr(&out).contains("broken.yaml: not a valid sign-off file"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["signoff", "signature", "missing.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("signoff_signature_missing", snap::render(&env, &out));
    assert!(stderr(&out).contains("missing.yaml"), "{}", stderr(&out));
}

#[test]
fn charter_accepts_signoffs_made_by_ssh_keygen() {
    let (env, keys) = setup();
    let version = version_of(&env);
    // The mentor signs with charter, the mentee with plain OpenSSH over the
    // bytes `charter signoff message` prints, assembled into a file here.
    sign_ok(&env, "mentor", &keys.mentor, &[]);
    let mut fields = Fields::new(&version, "mentee");
    fields.signed_at = "2026-01-05T12:00:00Z";
    let file = forge(&env, &keys.mentee, "charter-signoff", &fields);
    env.commit_all("Mentee signs with ssh-keygen", CLOCK);
    let (code, json) = verify_json(&env);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(report(&json, &file)["valid"], true);
    assert_eq!(json["summary"]["valid"], 2);
    insta::assert_snapshot!("verify_ssh_keygen_signoff", verify_snapshot(&env));
    let (_, text) = verify_text(&env);
    assert!(text.starts_with("ada-grace (in-force)"), "{text}");
    // And OpenSSH agrees with itself through charter's output.
    let out = openssh_verify(&env, &file, MENTEE, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn signs_through_a_real_ssh_agent() {
    let (env, keys) = setup();
    let agent = Agent::start(&env.home);
    agent.add(&keys.mentee.private);
    // A public key names the agent's key, as git's user.signingkey does.
    let out = env
        .charter(&[
            "sign",
            "ada-grace",
            "--as",
            "mentee",
            "--key",
            keys.mentee.pub_path(),
        ])
        .env("SSH_AUTH_SOCK", &agent.socket)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("agent_public_key", snap::render(&env, &out));
    // With no key named and no ~/.ssh keys, the agent's trusted key is used.
    agent.add(&keys.mentor.private);
    let out = env
        .charter(&["sign", "ada-grace", "--as", "mentor"])
        .env("SSH_AUTH_SOCK", &agent.socket)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("agent_trusted_key", snap::render(&env, &out));
    let (code, json) = verify_json(&env);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["valid"], 2);

    // A public key with no agent to hold its private half is a clear error.
    let out = env.run(&[
        "sign",
        "ada-grace",
        "--as",
        "mentee",
        "--key",
        keys.mentee.pub_path(),
        "--waive-notice",
    ]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("agent_missing", snap::render(&env, &out));
    assert!(
        stderr(&out).contains("SSH_AUTH_SOCK is not set"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_encrypted_key_in_the_agent_needs_no_passphrase() {
    let (env, _) = setup();
    let key = env.keygen("locked", "ed25519", PASSPHRASE);
    env.write(
        "allowed_signers",
        format!("{}{MENTEE} {}\n", env.read("allowed_signers"), key.line),
    );
    env.commit_all("Trust the locked key", "2026-01-06T10:00:00Z");
    let agent = Agent::start(&env.home);
    let out = env
        .process("ssh-add")
        .env("SSH_AUTH_SOCK", &agent.socket)
        .env("SSH_ASKPASS", askpass(&env))
        .env("SSH_ASKPASS_REQUIRE", "force")
        .env("DISPLAY", ":0")
        .stdin(Stdio::null())
        .arg(&key.private)
        .output()
        .unwrap();
    assert!(out.status.success(), "ssh-add: {}", stderr(&out));
    let out = env
        .charter(&["sign", "ada-grace", "--as", "mentee", "--key", key.path()])
        .env("SSH_AUTH_SOCK", &agent.socket)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("agent_encrypted_key", snap::render(&env, &out));
}

#[test]
fn default_keys_come_from_git_config_or_home() {
    let (env, keys) = setup();
    // user.signingkey as a path, with gpg.format=ssh.
    env.git(&["config", "gpg.format", "ssh"]);
    env.git(&["config", "user.signingkey", keys.mentee.path()]);
    let out = env.run(&["sign", "ada-grace", "--as", "mentee"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("key_from_signingkey", snap::render(&env, &out));
    // A literal key:: public key signs through the agent, which is absent here.
    env.git(&[
        "config",
        "user.signingkey",
        &format!("key::{}", keys.mentor.line),
    ]);
    let out = env.run(&["sign", "ada-grace", "--as", "mentor"]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("literal_signingkey_without_agent", snap::render(&env, &out));
    assert!(stderr(&out).contains("SSH_AUTH_SOCK"), "{}", stderr(&out));
    // Without gpg.format=ssh, ~/.ssh/id_* are tried; the trusted one wins.
    env.git(&["config", "--unset", "gpg.format"]);
    let ssh = env.home.join(".ssh");
    env.keygen_at(&ssh.join("id_ed25519"), "ed25519", "");
    std::fs::copy(&keys.mentor.private, ssh.join("id_rsa")).unwrap();
    let out = env.run(&["sign", "ada-grace", "--as", "mentor"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("key_from_home", snap::render(&env, &out));
    let (code, json) = verify_json(&env);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["valid"], 2);
}

#[test]
fn without_any_key_sign_says_where_keys_come_from() {
    let (env, _) = setup();
    let out = env.run(&["sign", "ada-grace", "--as", "mentor"]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("no_key", snap::render(&env, &out));
    let err = stderr(&out);
    assert!(err.contains("no SSH key found"), "{err}");
    assert!(err.contains("--key"), "{err}");
}

#[test]
fn an_encrypted_key_without_a_terminal_is_a_clear_error() {
    let (env, _) = setup();
    let key = env.keygen("locked", "ed25519", PASSPHRASE);
    env.write(
        "allowed_signers",
        format!("{}{MENTEE} {}\n", env.read("allowed_signers"), key.line),
    );
    env.commit_all("Trust the locked key", "2026-01-06T10:00:00Z");
    // setsid: a new session without a controlling terminal.
    let out = env
        .program("setsid")
        .arg("-w")
        .arg(env!("CARGO_BIN_EXE_charter"))
        .args(["sign", "ada-grace", "--as", "mentee", "--key", key.path()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    insta::assert_snapshot!("encrypted_key_without_terminal", snap::render(&env, &out));
    let err = stderr(&out);
    assert!(err.contains("no terminal to ask for it"), "{err}");
    assert!(err.contains("ssh-add"), "{err}");
    assert!(signoff_files(&env).is_empty());
    // A wrong passphrase through SSH_ASKPASS is refused, nothing written.
    let wrong = env.home.join("wrong.sh");
    std::fs::write(&wrong, "#!/bin/sh\necho nope\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrong, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let out = env
        .charter(&["sign", "ada-grace", "--as", "mentee", "--key", key.path()])
        .env("SSH_ASKPASS", &wrong)
        .env("SSH_ASKPASS_REQUIRE", "force")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("wrong_passphrase", snap::render(&env, &out));
    assert!(stderr(&out).contains("passphrase"), "{}", stderr(&out));
    assert!(signoff_files(&env).is_empty());
}

// ---------------------------------------------------------------------------
// What verify rejects, each with its reason

/// Rewrite a committed sign-off's text and put it back under the name that
/// matches the new bytes, as a forger who knows the naming rule would.
fn rename_edited(env: &Env, file: &str, text: &str, fields: &Fields) -> String {
    env.git(&["rm", "-q", file]);
    place(env, fields, text)
}

fn reason(json: &Value, file: &str) -> String {
    let r = report(json, file);
    assert_eq!(r["valid"], false, "{r:#}");
    r["reason"].as_str().unwrap().to_owned()
}

#[test]
fn tampered_signoffs_are_rejected() {
    let (env, keys) = setup();
    sign_ok(&env, "mentor", &keys.mentor, &[]);
    sign_ok(&env, "mentee", &keys.mentee, &[]);
    let version = version_of(&env);
    let mentor_file = signoff_of(&env, "mentor");
    let mentee_file = signoff_of(&env, "mentee");

    // Edit a field in place: the content hash in the name no longer matches.
    let edited = env
        .read(&mentor_file)
        .replace("waive_notice: false", "waive_notice: true");
    env.write(&mentor_file, &edited);
    // Edit a field and rename the file to match: the signature fails.
    let mut fields = Fields::new(&version, "mentee");
    fields.waive = true;
    let mentee_text = env.read(&mentee_file);
    let renamed = rename_edited(
        &env,
        &mentee_file,
        &mentee_text.replace("waive_notice: false", "waive_notice: true"),
        &fields,
    );
    env.commit_all("Tamper", CLOCK);
    let (code, json) = verify_json(&env);
    assert_eq!(code, Some(1), "{json:#}");
    assert!(
        reason(&json, &mentor_file).contains("file name does not match its content"),
        "{json:#}"
    );
    assert!(
        reason(&json, &renamed).contains("the signature does not match the signed message"),
        "{json:#}"
    );
    assert_eq!(
        json["summary"],
        serde_json::json!({"valid": 0, "invalid": 2})
    );
    let named = &mentor_file[mentor_file.len() - 13..mentor_file.len() - 5];
    insta::assert_snapshot!(
        "verify_tampered",
        verify_snapshot_labelled(
            &env,
            &[
                (
                    &format!("content hash {named}"),
                    "content hash [H8 of the name]"
                ),
                (
                    &format!("hash to {}", h8(edited.as_bytes())),
                    "hash to [H8 of the bytes]"
                ),
            ]
        )
    );
    let (code, text) = verify_text(&env);
    assert_eq!(code, Some(1));
    assert!(text.contains("invalid sign-offs:"), "{text}");
    assert!(
        text.contains(&format!("{renamed}: the signature does not match")),
        "{text}"
    );
}

#[test]
fn a_tampered_signature_is_rejected() {
    let (env, keys) = setup();
    sign_ok(&env, "mentee", &keys.mentee, &[]);
    let file = signoff_of(&env, "mentee");
    let text = env.read(&file);
    // Flip one character of the last base64 line: the signature bytes.
    let lines: Vec<&str> = text.lines().collect();
    let last = lines.len() - 2;
    let mut changed: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let line = &changed[last];
    let flipped = if line.as_bytes()[2] == b'A' { "B" } else { "A" };
    changed[last] = format!("  {flipped}{}", &line[3..]);
    let tampered = changed.join("\n") + "\n";
    let fields = Fields::new(&version_of(&env), "mentee");
    let renamed = rename_edited(&env, &file, &tampered, &fields);
    env.commit_all("Tamper with the signature", CLOCK);
    let (code, json) = verify_json(&env);
    assert_eq!(code, Some(1));
    let why = reason(&json, &renamed);
    assert!(why.contains("signature"), "{why}");
}

#[test]
fn wrong_namespace_unknown_key_and_other_party_are_rejected() {
    let (env, keys) = setup();
    let version = version_of(&env);
    let stranger = env.keygen("stranger", "ed25519", "");
    let fields = Fields::new(&version, "mentee");
    // A signature made for another purpose (namespace).
    let other_ns = forge(&env, &keys.mentee, "other", &fields);
    // A key allowed_signers does not list.
    let mut f = fields.clone();
    f.signed_at = "2026-02-01T10:00:01Z";
    let unknown = forge(&env, &stranger, "charter-signoff", &f);
    // The mentor's key signing as the mentee.
    let mut f = fields.clone();
    f.signed_at = "2026-02-01T10:00:02Z";
    let impostor = forge(&env, &keys.mentor, "charter-signoff", &f);
    // The mentee's own key, claiming the mentor's role with her own email.
    let mut f = Fields::new(&version, "mentor");
    f.principal = MENTEE;
    let wrong_role = forge(&env, &keys.mentee, "charter-signoff", &f);
    env.commit_all("Sign-offs that must not count", "2026-02-01T12:00:00Z");

    let (code, json) = verify_json(&env);
    assert_eq!(code, Some(1), "{json:#}");
    assert!(reason(&json, &other_ns).contains("namespace"), "{json:#}");
    assert!(
        reason(&json, &unknown).contains("not listed in allowed_signers"),
        "{json:#}"
    );
    assert!(
        reason(&json, &impostor).contains("not allowed to sign for principal \"ada@example.com\""),
        "{json:#}"
    );
    assert!(
        reason(&json, &wrong_role).contains("is not the mentor's email"),
        "{json:#}"
    );
    assert_eq!(
        json["summary"],
        serde_json::json!({"valid": 0, "invalid": 4})
    );
    insta::assert_snapshot!(
        "verify_wrong_signers",
        verify_snapshot_labelled(
            &env,
            &[
                (&other_ns, "other namespace"),
                (&unknown, "unknown key"),
                (&impostor, "the mentor's key"),
                (&wrong_role, "the mentee as mentor"),
            ]
        )
    );
}

#[test]
fn a_signoff_replayed_onto_another_version_is_rejected() {
    let (env, keys) = setup();
    sign_ok(&env, "mentor", &keys.mentor, &[]);
    sign_ok(&env, "mentee", &keys.mentee, &[]);
    let v1 = version_of(&env);
    let original = signoff_of(&env, "mentee");
    let text = env.read(&original);
    // A material amendment, committed.
    env.write(AGREEMENT, minimal().replace("biweekly", "weekly"));
    env.commit_all("Meet weekly", CLOCK);
    let v2 = version_of(&env);
    // Copied with its version edited and the name made to match.
    let mut fields = Fields::new(&v2, "mentee");
    let edited = place(&env, &fields, &text.replace(&v1, &v2));
    // Copied as it is, only renamed to the new version.
    fields.version = v2.clone();
    let copied = format!(
        "signoffs/ada-grace/{}-mentee-{}.yaml",
        &v2[7..19],
        h8(text.as_bytes())
    );
    env.write(&copied, &text);
    env.commit_all("Replay", CLOCK);
    let (code, json) = verify_json(&env);
    assert_eq!(code, Some(1), "{json:#}");
    assert!(
        reason(&json, &edited).contains("the signature does not match"),
        "{json:#}"
    );
    assert!(
        reason(&json, &copied).contains("file name does not match its content"),
        "{json:#}"
    );
    // The originals still count for the first version.
    assert_eq!(report(&json, &original)["valid"], true);
    insta::assert_snapshot!(
        "verify_replayed",
        verify_snapshot_labelled(&env, &[(&edited, "version edited"), (&copied, "copied")])
    );
    let (_, text) = verify_text(&env);
    assert!(text.contains(&format!("  v2 ({})  ", &v2[7..19])), "{text}");
    assert!(text.contains("pending, missing: mentor, mentee"), "{text}");
}

#[test]
fn signoffs_do_not_revive_after_a_revert() {
    let (env, keys) = setup();
    sign_ok(&env, "mentor", &keys.mentor, &[]);
    sign_ok(&env, "mentee", &keys.mentee, &[]);
    let v1 = version_of(&env);
    // An editorial amendment (title only), signed by both.
    env.write(
        AGREEMENT,
        minimal().replace("Minimal agreement", "A small agreement"),
    );
    env.commit_all("Retitle", CLOCK);
    let v2 = version_of(&env);
    sign_ok(&env, "mentor", &keys.mentor, &[]);
    sign_ok(&env, "mentee", &keys.mentee, &[]);
    // Back to the first text: the old sign-offs amend `none`, not v2.
    env.write(AGREEMENT, minimal());
    env.commit_all("Revert the title", CLOCK);
    assert_eq!(version_of(&env), v1);
    let (code, json) = verify_json(&env);
    assert_eq!(
        code,
        Some(0),
        "all four files are valid sign-offs: {json:#}"
    );
    assert_eq!(
        json["summary"],
        serde_json::json!({"valid": 4, "invalid": 0})
    );
    insta::assert_snapshot!("verify_after_a_revert", verify_snapshot(&env));
    let (_, text) = verify_text(&env);
    let newest = text.lines().nth(1).unwrap();
    assert!(
        newest.starts_with(&format!("  v3 ({})  ", &v1[7..19])),
        "{text}"
    );
    assert!(
        newest.contains("pending, missing: mentor, mentee"),
        "{text}"
    );
    // The old sign-offs stay with the first occurrence of the text, which
    // they signed; none is listed under (or counts for) the revert.
    let after = text.lines().nth(2).unwrap();
    assert!(
        after.starts_with(&format!("  v2 ({})  ", &v2[7..19])),
        "{text}"
    );
    assert!(text.starts_with("ada-grace (pending)"), "{text}");
    // Signing the reverted text now names v2 as what it amends.
    let out = sign(&env, "mentee", &keys.mentee, &[]);
    assert_eq!(out.status.code(), Some(0), "sign: {}", stderr(&out));
    insta::assert_snapshot!("sign_after_a_revert", snap::render(&env, &out));
    let newest_file = env.git(&["show", "--name-only", "--format=", "HEAD"]);
    let signed = env.read(newest_file.trim());
    assert!(signed.contains(&format!("amends: {v2}")), "{signed}");
}

#[test]
fn one_key_for_both_parties_signs_nothing() {
    let env = Env::with_git().clocked(CLOCK);
    let shared = env.keygen("shared", "ed25519", "");
    env.write(
        "allowed_signers",
        format!("{MENTOR},{MENTEE} {}\n", shared.line),
    );
    env.write(AGREEMENT, minimal());
    env.commit_all("Add ada-grace", "2026-01-05T10:00:00Z");
    sign_ok(&env, "mentor", &shared, &[]);
    let out = sign(&env, "mentee", &shared, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("sign_with_the_other_party_key", snap::render(&env, &out));
    assert!(stderr(&out).contains("not signed yet"), "{}", stderr(&out));
    let (code, json) = verify_json(&env);
    assert_eq!(code, Some(0), "both files are valid: {json:#}");
    assert_eq!(json["summary"]["valid"], 2);
    insta::assert_snapshot!("verify_one_key_for_both", verify_snapshot(&env));
    let (_, text) = verify_text(&env);
    assert!(text.starts_with("ada-grace (draft)"), "{text}");
    assert!(
        text.contains("not signed: the mentor and the mentee signed with the same key"),
        "{text}"
    );
}

/// Both parties signed the first version; the second changes the mentee's
/// email to ada2@example.com (listed with the same key), and the mentor
/// has signed it.
fn mentee_email_changed_and_mentor_signed() -> (Env, Parties) {
    let (env, keys) = setup();
    sign_ok(&env, "mentor", &keys.mentor, &[]);
    sign_ok(&env, "mentee", &keys.mentee, &[]);
    env.write(
        "allowed_signers",
        format!(
            "{}ada2@example.com {}\n",
            env.read("allowed_signers"),
            keys.mentee.line
        ),
    );
    env.write(
        AGREEMENT,
        minimal()
            .replace("email: ada@example.com", "email: ada2@example.com")
            .replace("effective: 2026-01-12", "effective: 2026-03-01"),
    );
    env.commit_all("Ada's new address", CLOCK);
    sign_ok(&env, "mentor", &keys.mentor, &[]);
    (env, keys)
}

/// A version that changes a party's email needs the previous principal's
/// sign-off too: `verify` and `check` give the same reason for the version
/// not being signed, in the same words.
#[test]
fn verify_and_check_say_alike_why_a_new_party_is_not_enough() {
    let (env, keys) = mentee_email_changed_and_mentor_signed();
    sign_ok(&env, "mentee", &keys.mentee, &[]);
    let why = "the mentee changes from ada@example.com to ada2@example.com, and ada@example.com has not signed this version";
    insta::assert_snapshot!("verify_new_party", verify_snapshot(&env));
    let (_, text) = verify_text(&env);
    assert!(text.contains(&format!("not signed: {why}")), "{text}");
    let check_text = env
        .charter(&["check", "--color", "never"])
        .env("CHARTER_TODAY", LATER)
        .output()
        .unwrap();
    insta::assert_snapshot!("check_new_party", snap::render(&env, &check_text));
    let out = env
        .charter(&["check", "--format", "json"])
        .env("CHARTER_TODAY", LATER)
        .output()
        .unwrap();
    let json = crate::common::findings_json(&out);
    let findings = json["findings"].as_array().expect("findings");
    assert!(
        findings
            .iter()
            .any(|f| f["rule"] == "party-change" && f["message"] == why),
        "{json:#}"
    );
    assert!(
        !findings.iter().any(|f| f["rule"] == "same-key"),
        "{json:#}"
    );
}

#[test]
fn a_key_expired_when_the_signoff_landed_does_not_count() {
    for (landed, valid) in [
        ("2026-03-15T10:00:00Z", false),
        ("2026-02-15T10:00:00Z", true),
    ] {
        let env = Env::with_git().clocked(CLOCK);
        let mentee = env.keygen("ada", "ed25519", "");
        env.write(
            "allowed_signers",
            format!("{MENTEE} valid-before=\"20260301Z\" {}\n", mentee.line),
        );
        env.write(AGREEMENT, minimal());
        env.commit_all("Add ada-grace", "2026-01-05T10:00:00Z");
        // signed_at claims a time inside the window either way.
        let mut fields = Fields::new(&version_of(&env), "mentee");
        fields.signed_at = "2026-02-01T10:00:00Z";
        let file = forge(&env, &mentee, "charter-signoff", &fields);
        env.commit_all("Mentee signs", landed);
        let (code, json) = verify_json(&env);
        let r = report(&json, &file);
        assert_eq!(r["valid"], valid, "{landed}: {r:#}");
        insta::assert_snapshot!(
            format!("verify_key_expiry_landed_{}", &landed[..10]),
            verify_snapshot(&env)
        );
        assert_eq!(r["signoff_time"], landed);
        if valid {
            assert_eq!(code, Some(0));
        } else {
            assert_eq!(code, Some(1));
            assert!(r["reason"].as_str().unwrap().contains("expired"), "{r:#}");
        }
    }
}

#[test]
fn garbage_armor_and_unknown_fields_are_rejected() {
    let (env, keys) = setup();
    sign_ok(&env, "mentee", &keys.mentee, &[]);
    let good = signoff_of(&env, "mentee");
    let text = env.read(&good);
    let version = version_of(&env);
    let fields = Fields::new(&version, "mentee");
    // Truncated: the armor loses its middle lines.
    let lines: Vec<&str> = text.lines().collect();
    let begin = lines.iter().position(|l| l.contains("BEGIN SSH")).unwrap();
    let mut truncated: Vec<&str> = lines[..=begin + 1].to_vec();
    truncated.push(lines[lines.len() - 1]);
    let truncated = place(&env, &fields, &(truncated.join("\n") + "\n"));
    // Garbage that is shaped like armor.
    let garbage = place(&env, &fields, &fields.yaml(DUMMY_ARMOR));
    // Not armor at all.
    let mut f = fields.clone();
    f.signed_at = "2026-02-01T10:00:05Z";
    let not_armor = place(
        &env,
        &f,
        &f.yaml("hello world")
            .replace("signature: |\n  hello world\n", "signature: hello\n"),
    );
    // An unknown field.
    let unknown = place(&env, &fields, &format!("{text}comment: looks harmless\n"));
    env.commit_all("Broken sign-offs", CLOCK);
    let (code, json) = verify_json(&env);
    assert_eq!(code, Some(1), "{json:#}");
    assert!(reason(&json, &truncated).contains("signature"), "{json:#}");
    assert!(
        reason(&json, &garbage).contains("not a valid SSH signature"),
        "{json:#}"
    );
    assert!(
        reason(&json, &not_armor).contains("malformed sign-off file"),
        "{json:#}"
    );
    assert!(
        reason(&json, &unknown).contains("unknown field `comment`"),
        "{json:#}"
    );
    assert_eq!(report(&json, &good)["valid"], true);
}

// ---------------------------------------------------------------------------
// What sign refuses

#[test]
fn sign_refuses_an_uncommitted_or_invalid_agreement() {
    let (env, keys) = setup();
    env.write(AGREEMENT, minimal().replace("biweekly", "weekly"));
    let out = sign(&env, "mentor", &keys.mentor, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    insta::assert_snapshot!("refuses_uncommitted", snap::render(&env, &out));
    assert!(signoff_files(&env).is_empty());

    env.write(
        AGREEMENT,
        minimal().replace("end: 2027-12-31", "end: 2025-07-10"),
    );
    env.commit_all("Break it", "2026-01-06T10:00:00Z");
    let out = sign(&env, "mentor", &keys.mentor, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!("refuses_invalid", snap::render(&env, &out));
    assert!(signoff_files(&env).is_empty());

    insta::assert_snapshot!(
        "refuses_bad_id",
        snap::run(&env, &["sign", "Not_An_Id", "--as", "mentor"])
    );
    insta::assert_snapshot!(
        "refuses_unknown_id",
        snap::run(&env, &["sign", "nobody", "--as", "mentor"])
    );
}

#[test]
fn sign_refuses_an_untrusted_key_and_says_what_to_add() {
    let (env, keys) = setup();
    let stranger = env.keygen("stranger", "ed25519", "");
    let out = sign(&env, "mentor", &stranger, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!("refuses_untrusted_key", snap::render(&env, &out));
    let err = stderr(&out);
    let key_body = stranger.line.split(' ').nth(1).unwrap();
    assert!(
        err.contains(&format!(
            "grace@example.com namespaces=\"charter-signoff,charter-checkin,charter-decline\" ssh-ed25519 {key_body}"
        )),
        "{err}"
    );
    // The other party's key is listed, but not for this principal: the
    // signer chose the wrong role, and is never told to trust the key.
    let out = sign(&env, "mentor", &keys.mentee, &[]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("refuses_the_other_role", snap::render(&env, &out));
    let err = stderr(&out);
    assert!(!err.contains("namespaces="), "no line to add: {err}");
    assert!(signoff_files(&env).is_empty());
    let head_before = head(&env);
    // A key added in the working tree only is accepted, with a warning.
    env.write(
        "allowed_signers",
        format!(
            "{}{MENTOR} {}\n",
            env.read("allowed_signers"),
            stranger.line
        ),
    );
    let out = sign(&env, "mentor", &stranger, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("key_trusted_in_the_working_tree", snap::render(&env, &out));
    assert_ne!(head(&env), head_before);
}

#[test]
fn sign_refuses_a_duplicate_but_not_a_waiver() {
    let (env, keys) = setup();
    sign_ok(&env, "mentee", &keys.mentee, &[]);
    let out = sign(&env, "mentee", &keys.mentee, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!("refuses_a_duplicate", snap::render(&env, &out));
    assert_eq!(signoff_files(&env).len(), 1);
    let out = sign(&env, "mentee", &keys.mentee, &["--waive-notice"]);
    assert_eq!(out.status.code(), Some(0), "sign: {}", stderr(&out));
    insta::assert_snapshot!("a_waiver_is_no_duplicate", snap::render(&env, &out));
    assert_eq!(signoff_files(&env).len(), 2);
    // An uncommitted sign-off counts as already there too.
    sign_ok(&env, "mentor", &keys.mentor, &["--no-commit"]);
    let out = sign(&env, "mentor", &keys.mentor, &["--no-commit"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!("refuses_an_uncommitted_duplicate", snap::render(&env, &out));
}

#[test]
fn sign_refuses_to_break_the_notice_period_unless_waived() {
    let (env, keys) = setup();
    sign_ok(&env, "mentor", &keys.mentor, &[]);
    sign_ok(&env, "mentee", &keys.mentee, &[]);
    // A material amendment whose effective date is long before the 14 days
    // of notice from now have passed.
    env.write(
        AGREEMENT,
        minimal()
            .replace("biweekly", "weekly")
            .replace("effective: 2026-01-12", "effective: 2026-01-20"),
    );
    env.commit_all("Meet weekly", CLOCK);
    let out = sign(&env, "mentor", &keys.mentor, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!("refuses_to_break_the_notice", snap::render(&env, &out));
    let count = signoff_files(&env).len();
    let out = sign(&env, "mentor", &keys.mentor, &["--waive-notice"]);
    assert_eq!(out.status.code(), Some(0), "sign: {}", stderr(&out));
    insta::assert_snapshot!("waive_notice_as_mentor", snap::render(&env, &out));
    assert_eq!(signoff_files(&env).len(), count + 1);
    let newest = env.git(&["show", "--name-only", "--format=", "HEAD"]);
    let newest = env.read(newest.trim());
    assert!(newest.contains("waive_notice: true"), "{newest}");
    let out = sign(&env, "mentee", &keys.mentee, &["--waive-notice"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("waive_notice_as_mentee", snap::render(&env, &out));
    assert!(
        stderr(&out).contains("is now signed; it takes effect on"),
        "{}",
        stderr(&out)
    );
    // An editorial amendment (the title alone) needs no notice.
    env.write(
        AGREEMENT,
        minimal()
            .replace("biweekly", "weekly")
            .replace("effective: 2026-01-12", "effective: 2026-01-20")
            .replace("Minimal agreement", "Weekly agreement"),
    );
    env.commit_all("Retitle", CLOCK);
    let out = sign(&env, "mentor", &keys.mentor, &[]);
    assert_eq!(out.status.code(), Some(0), "sign: {}", stderr(&out));
    insta::assert_snapshot!("editorial_needs_no_notice", snap::render(&env, &out));
}

/// `sign --no-commit` and `amend` judge the same uncommitted amendment by
/// one landing rule: the start of `--today`, never earlier than HEAD. With
/// charter's clock (the committer date) weeks before `--today`, landing at
/// the clock would allow what landing at `--today` refuses.
#[test]
fn sign_and_amend_judge_a_pending_change_alike() {
    let (env, keys) = setup();
    sign_ok(&env, "mentor", &keys.mentor, &[]);
    sign_ok(&env, "mentee", &keys.mentee, &[]);
    let amended = minimal()
        .replace("biweekly", "weekly")
        .replace("effective: 2026-01-12", "effective: 2026-03-10");
    env.write(AGREEMENT, &amended);
    let before = head(&env);
    let files = signoff_files(&env).len();

    // Landing on 2026-03-01, 14 days of notice allow 2026-03-15 at the earliest.
    let signed = sign(
        &env,
        "mentor",
        &keys.mentor,
        &["--no-commit", "--today", "2026-03-01"],
    );
    let amend = env.run(&["amend", "ada-grace", "--today", "2026-03-01"]);
    assert_eq!(signed.status.code(), Some(1), "{}", stderr(&signed));
    assert_eq!(amend.status.code(), Some(1), "{}", stderr(&amend));
    insta::assert_snapshot!("sign_too_early", snap::render(&env, &signed));
    insta::assert_snapshot!("amend_too_early", snap::render(&env, &amend));
    assert!(
        stderr(&signed).contains("allows 2026-03-15 at the earliest"),
        "{}",
        stderr(&signed)
    );
    assert!(
        stderr(&amend).contains("the earliest allowed date is 2026-03-15"),
        "{}",
        stderr(&amend)
    );
    assert_eq!(head(&env), before);
    assert_eq!(signoff_files(&env).len(), files);

    // Landing on 2026-02-10 allows 2026-02-24: both accept it.
    let signed = sign(
        &env,
        "mentor",
        &keys.mentor,
        &["--no-commit", "--today", "2026-02-10"],
    );
    assert_eq!(signed.status.code(), Some(0), "{}", stderr(&signed));
    insta::assert_snapshot!("sign_in_time", snap::render(&env, &signed));
    let amend = env.run(&["amend", "ada-grace", "--today", "2026-02-10"]);
    assert_eq!(amend.status.code(), Some(0), "{}", stderr(&amend));
    insta::assert_snapshot!("amend_in_time", snap::render(&env, &amend));
    assert_ne!(head(&env), before);
}

#[test]
fn sign_refuses_during_a_merge() {
    let (env, keys) = setup();
    env.write("notes.txt", "main\n");
    env.commit_all("notes", "2026-01-06T10:00:00Z");
    env.git(&["checkout", "-q", "-b", "side", "HEAD~1"]);
    env.write("notes.txt", "side\n");
    env.commit_all("notes on the side", "2026-01-06T11:00:00Z");
    env.git(&["checkout", "-q", "main"]);
    let merge = env
        .process("git")
        .current_dir(&env.repo)
        .args(["merge", "-q", "side"])
        .output()
        .unwrap();
    assert!(!merge.status.success(), "the merge conflicts");
    assert!(env.path(".git/MERGE_HEAD").exists());
    let before = head(&env);
    let out = sign(&env, "mentor", &keys.mentor, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    insta::assert_snapshot!("refuses_during_a_merge", snap::render(&env, &out));
    assert!(
        stderr(&out).contains("in the middle of an operation"),
        "{}",
        stderr(&out)
    );
    assert_eq!(head(&env), before);
    assert!(signoff_files(&env).is_empty());
}

#[test]
fn no_commit_writes_the_file_and_commits_nothing() {
    let (env, keys) = setup();
    let before = head(&env);
    let out = sign(&env, "mentor", &keys.mentor, &["--no-commit"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("no_commit", snap::render(&env, &out));
    assert!(stderr(&out).contains("not committed"), "{}", stderr(&out));
    assert_eq!(head(&env), before);
    let file = signoff_of(&env, "mentor");
    let status = env.git(&["status", "--porcelain", "--untracked-files=all"]);
    assert_eq!(status, format!("?? {file}\n"));
    // An uncommitted version can be signed this way and committed with it.
    env.write(
        AGREEMENT,
        minimal().replace("Grow as an engineer.", "Grow."),
    );
    let out = sign(&env, "mentee", &keys.mentee, &["--no-commit"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("no_commit_uncommitted_version", snap::render(&env, &out));
    let v = version_of(&env);
    assert!(signoff_files(&env).iter().any(|f| f.contains(&v[7..19])));
    env.commit_all("Shorter purpose, signed by the mentee", CLOCK);
    let (code, json) = verify_json(&env);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["valid"], 2);
}

// ---------------------------------------------------------------------------
// verify's own edges

#[test]
fn verify_reports_allowed_signers_problems_and_unknown_ids() {
    let (env, keys) = setup();
    sign_ok(&env, "mentor", &keys.mentor, &[]);
    env.write(
        "allowed_signers",
        format!("{}this is not a key line\n", env.read("allowed_signers")),
    );
    env.commit_all("Break a line", "2026-01-07T10:00:00Z");
    insta::assert_snapshot!("broken_signers_line", snap::run(&env, &["verify"]));
    insta::assert_snapshot!("unknown_id", snap::run(&env, &["verify", "nobody"]));
    insta::assert_snapshot!("one_id", snap::run(&env, &["verify", "ada-grace"]));
    // The working tree's trust root is not HEAD's: an uncommitted removal
    // of every key changes nothing.
    env.write("allowed_signers", "");
    let (code, json) = verify_json(&env);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["valid"], 1);
}

/// The sign-offs of a removed agreement are still signatures: `verify`
/// checks them with the rest, and by the agreement's id, and counts an
/// invalid one.
#[test]
fn verify_still_checks_the_sign_offs_of_a_removed_agreement() {
    let (env, keys) = setup();
    sign_ok(&env, "mentor", &keys.mentor, &[]);
    sign_ok(&env, "mentee", &keys.mentee, &[]);
    env.git(&["rm", "-q", AGREEMENT]);
    env.commit_all("Remove ada-grace", "2026-03-01T10:00:00Z");
    let (code, json) = verify_json(&env);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["valid"], 2, "{json:#}");
    let by_id = env
        .charter(&["verify", "ada-grace", "--format", "json"])
        .env("CHARTER_TODAY", LATER)
        .output()
        .unwrap();
    assert_eq!(by_id.status.code(), Some(0), "{}", stderr(&by_id));
    let json: Value = serde_json::from_slice(&by_id.stdout).unwrap();
    assert_eq!(json["summary"]["valid"], 2, "{json:#}");
    // A sign-off tampered with afterwards is reported under the id.
    let dir = env.path("signoffs/ada-grace");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("waive_notice: false"), "{text}");
    std::fs::write(
        &file,
        text.replace("waive_notice: false", "waive_notice: true"),
    )
    .unwrap();
    env.commit_all("Tamper", "2026-03-02T10:00:00Z");
    let (code, json) = verify_json(&env);
    assert_eq!(code, Some(1), "{json:#}");
    assert_eq!(json["summary"]["invalid"], 1, "{json:#}");
    let (_, text) = verify_text(&env);
    assert!(text.starts_with("ada-grace"), "{text}");
}

/// An amendment on top of a signed version that has not taken effect yet
/// is pending, not a draft: `status` uses the rules' word for it, in text
/// and in JSON.
#[test]
fn an_amendment_of_a_scheduled_version_is_pending_in_status() {
    let (env, keys) = setup();
    env.write(
        AGREEMENT,
        minimal().replace("effective: 2026-01-12", "effective: 2027-06-01"),
    );
    env.commit_all("Start in June 2027", "2026-01-06T10:00:00Z");
    sign_ok(&env, "mentor", &keys.mentor, &[]);
    sign_ok(&env, "mentee", &keys.mentee, &[]);
    env.write(
        AGREEMENT,
        minimal()
            .replace("effective: 2026-01-12", "effective: 2027-07-01")
            .replace("cadence: biweekly", "cadence: weekly"),
    );
    env.commit_all("Meet weekly", "2026-03-01T10:00:00Z");
    let status = |format: &str| {
        env.charter(&["status", "--format", format])
            .env("CHARTER_TODAY", LATER)
            .output()
            .unwrap()
    };
    let text = stdout(&status("text"));
    assert!(text.contains("  scheduled: v2 "), "{text}");
    assert!(text.contains("  pending: v3 "), "{text}");
    assert!(!text.contains("draft"), "{text}");
    let json: Value = serde_json::from_slice(&status("json").stdout).unwrap();
    assert_eq!(
        json["agreements"][0]["pending"]["state"], "pending",
        "{json:#}"
    );
}

#[test]
fn verify_outside_a_repository_cannot_decide() {
    let env = Env::new().clocked(CLOCK);
    insta::assert_snapshot!("outside_git", snap::run(&env, &["verify"]));
    let empty = Env::with_git().clocked(CLOCK);
    insta::assert_snapshot!("no_commits", snap::run(&empty, &["verify"]));
}

/// A sign-off that names the wrong previous version in `amends` verifies
/// as a signature but does not count: `verify` lists it under its version
/// and says why, the version stays unsigned, and `show` lists it among
/// the signatures waiting for that version.
#[test]
fn a_signoff_amending_the_wrong_version_does_not_count() {
    let (env, keys) = setup();
    let version = version_of(&env);
    sign_ok(&env, "mentor", &keys.mentor, &[]);
    let mut fields = Fields::new(&version, "mentee");
    fields.amends = version.clone();
    fields.signed_at = "2026-01-05T12:00:00Z";
    forge(&env, &keys.mentee, "charter-signoff", &fields);
    env.commit_all("Mentee signs, naming the wrong version", CLOCK);
    let (_, text) = verify_text(&env);
    assert!(text.contains("does not count:"), "{text}");
    assert!(
        text.contains("but this version's previous signed version is none"),
        "{text}"
    );
    let (_, json) = verify_json(&env);
    assert_eq!(
        json["summary"]["valid"], 2,
        "both signatures verify: {json:#}"
    );
    let status = env
        .charter(&["status", "--format", "json"])
        .env("CHARTER_TODAY", LATER)
        .output()
        .unwrap();
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert!(status["agreements"][0]["in_force"].is_null(), "{status:#}");
    let shown = env
        .charter(&["show", "ada-grace"])
        .env("CHARTER_TODAY", LATER)
        .output()
        .unwrap();
    let page = String::from_utf8_lossy(&shown.stdout);
    assert_eq!(shown.status.code(), Some(0), "{}", stderr(&shown));
    let signatures = page.split("## Signatures").nth(1).unwrap_or_default();
    assert!(
        signatures.contains(&format!("({MENTOR}), mentor: signed"))
            && signatures.contains(&format!("({MENTEE}), mentee: signed")),
        "both waiting signatures are shown: {page}"
    );
    // The mentee's is marked as verify marks it; the mentor's is not.
    let mentee_line = signatures
        .lines()
        .find(|l| l.contains(&format!("({MENTEE}), mentee: signed")))
        .expect("the mentee's signature");
    assert!(
        mentee_line.contains(&format!(
            "does not count: it amends {}, but this version's previous signed version is none",
            &version[7..19]
        )),
        "{mentee_line}"
    );
    let mentor_line = signatures
        .lines()
        .find(|l| l.contains(&format!("({MENTOR}), mentor: signed")))
        .expect("the mentor's signature");
    assert!(!mentor_line.contains("does not count"), "{mentor_line}");
}

/// `sign --no-commit` says who still has to sign once the sign-off is
/// committed: the other party, or nobody when the other party has signed.
#[test]
fn no_commit_says_who_is_still_to_sign() {
    let (env, keys) = setup();
    let first = sign(&env, "mentee", &keys.mentee, &["--no-commit"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("still missing: a sign-off by the mentor (grace@example.com)"),
        "{}",
        stderr(&first)
    );
    env.commit_all("Mentee signs", CLOCK);
    let second = sign(&env, "mentor", &keys.mentor, &["--no-commit"]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    // Judged as landing at the start of the day charter is told it is
    // (CHARTER_TODAY, set for every run), as `amend` judges a change.
    assert!(
        stderr(&second).contains(
            "will be signed once the sign-off is committed; it takes effect on 2026-11-21"
        ),
        "{}",
        stderr(&second)
    );
}

/// `sign --no-commit` judges the sign-off by the rules, not by counting:
/// when the mentee's email changes, the two parties' sign-offs are not
/// enough (the previous mentee must sign too), and `sign` does not claim
/// the version will be signed.
#[test]
fn no_commit_after_a_party_change_does_not_promise_a_signed_version() {
    let (env, keys) = mentee_email_changed_and_mentor_signed();
    let out = sign(&env, "mentee", &keys.mentee, &["--no-commit"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(!text.contains("will be signed"), "{text}");
    assert!(
        text.contains("is not signed yet: see `charter verify ada-grace`"),
        "{text}"
    );
}
