//! Keys at the edges of what OpenSSH accepts, side by side with the real
//! `ssh-keygen -Y sign` / `-Y verify`: large and small RSA keys, signatures
//! made with an SSH certificate, and an allowed_signers line whose validity
//! time is not a real date. charter accepts what OpenSSH accepts, except
//! where charter refuses on purpose (README, "Signing and verifying"), and then names the real cause.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use charter::signoff::allowed_signers::{AllowedSigners, Untrusted};
use charter::signoff::file::SignoffFile;
use charter::signoff::message::{parse_signed_at, Claim, Role};
use charter::signoff::verify::{verify, VerifyError};
use charter::signoff::{verify_signoff, InvalidSignoff, NAMESPACE};
use tempfile::TempDir;

const ADA: &str = "ada@example.com";
const NOON: &str = "2026-11-22T12:00:00Z";

/// `ssh-keygen` in the sandbox, with `home` as its HOME.
fn ssh_keygen(home: &Path) -> Command {
    crate::sandbox::command("ssh-keygen", home)
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run ssh-keygen");
    assert!(
        out.status.success(),
        "ssh-keygen: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A key pair made by `ssh-keygen`; returns the private key path and the public line.
fn generate(dir: &Path, name: &str, args: &[&str]) -> (PathBuf, String) {
    let private = dir.join(name);
    run(ssh_keygen(dir)
        .args(["-q", "-N", "", "-C", name, "-f"])
        .arg(&private)
        .args(args));
    let line = fs::read_to_string(private.with_extension("pub")).unwrap();
    (private, line.trim().to_owned())
}

fn message() -> Vec<u8> {
    Claim::new(
        "ada-grace",
        &format!("sha256:{}", "3f2a".repeat(16)),
        None,
        Role::Mentee,
        ADA,
        parse_signed_at("2026-11-22T10:00:00Z").unwrap(),
        false,
    )
    .unwrap()
    .message()
}

/// `ssh-keygen -Y sign -n charter-signoff -f KEY` over the sign-off message.
fn keygen_sign(dir: &Path, key: &Path) -> String {
    let msg = dir.join("message");
    fs::write(&msg, message()).unwrap();
    let sig = dir.join("message.sig");
    let _ = fs::remove_file(&sig);
    run(ssh_keygen(dir)
        .args(["-Y", "sign", "-n", NAMESPACE, "-f"])
        .arg(key)
        .arg(&msg));
    fs::read_to_string(sig).unwrap()
}

/// `ssh-keygen -Y verify` of `signature` for ADA; `Ok` when OpenSSH accepts.
fn keygen_verify(dir: &Path, allowed: &str, signature: &str) -> Result<String, String> {
    crate::sandbox::keygen_verify(
        dir,
        allowed,
        ADA,
        NAMESPACE,
        signature,
        &message(),
        Some("20261122120000Z"),
    )
}

/// charter's verdict on a whole sign-off carrying `signature`.
fn charter_verdict(allowed: &str, signature: &str) -> Result<(), InvalidSignoff> {
    let claim = Claim::new(
        "ada-grace",
        &format!("sha256:{}", "3f2a".repeat(16)),
        None,
        Role::Mentee,
        ADA,
        parse_signed_at("2026-11-22T10:00:00Z").unwrap(),
        false,
    )
    .unwrap();
    let file = SignoffFile::new(&claim, signature).unwrap();
    let (signers, _) = AllowedSigners::parse(allowed);
    verify_signoff(&file, &signers, parse_signed_at(NOON).unwrap()).map(|_| ())
}

#[test]
fn an_8192_bit_rsa_key_verifies_as_in_openssh() {
    let dir = TempDir::new().unwrap();
    // Slow to generate (seconds to a minute): once per run.
    let (private, line) = generate(dir.path(), "id_rsa8192", &["-t", "rsa", "-b", "8192"]);
    let signature = keygen_sign(dir.path(), &private);
    let allowed = format!("{ADA} {line}\n");
    let theirs = keygen_verify(dir.path(), &allowed, &signature);
    assert!(theirs.is_ok(), "OpenSSH: {theirs:?}");
    let verified = verify(&signature, &message()).expect("charter verifies it too");
    assert_eq!(verified.algorithm, "rsa-sha2-512");
    charter_verdict(&allowed, &signature).expect("a valid sign-off");
    // And a tampered message is still refused, with the mismatch reason.
    let mut tampered = message();
    tampered[0] ^= 1;
    assert_eq!(
        verify(&signature, &tampered),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn a_1024_bit_rsa_key_is_refused_with_its_reason() {
    let dir = TempDir::new().unwrap();
    let (private, line) = generate(dir.path(), "id_rsa1024", &["-t", "rsa", "-b", "1024"]);
    let signature = keygen_sign(dir.path(), &private);
    let allowed = format!("{ADA} {line}\n");
    // OpenSSH still accepts 1024 bits; charter refuses under 2048.
    assert!(keygen_verify(dir.path(), &allowed, &signature).is_ok());
    let refused = verify(&signature, &message()).unwrap_err();
    assert_eq!(refused, VerifyError::WeakKey { bits: 1024 });
    assert!(
        refused
            .to_string()
            .contains("RSA keys under 2048 bits are refused"),
        "{refused}"
    );
    let verdict = charter_verdict(&allowed, &signature).unwrap_err();
    assert!(
        verdict.to_string().contains("RSA keys under 2048 bits"),
        "{verdict}"
    );
}

#[test]
fn a_signature_made_with_a_certificate_is_refused_as_unsupported() {
    let dir = TempDir::new().unwrap();
    let (ca, ca_line) = generate(dir.path(), "ca", &["-t", "ed25519"]);
    let (user, user_line) = generate(dir.path(), "user", &["-t", "ed25519"]);
    run(ssh_keygen(dir.path())
        .args(["-q", "-s"])
        .arg(&ca)
        .args(["-I", "ada", "-n", ADA])
        .arg(user.with_extension("pub")));
    let cert = dir.path().join("user-cert.pub");
    assert!(cert.exists());
    let signature = keygen_sign(dir.path(), &cert);
    // OpenSSH accepts it through a cert-authority line.
    let allowed = format!("{ADA} cert-authority {ca_line}\n");
    assert!(keygen_verify(dir.path(), &allowed, &signature).is_ok());
    let refused = verify(&signature, &message()).unwrap_err();
    assert_eq!(
        refused,
        VerifyError::Certificate("ssh-ed25519-cert-v01@openssh.com".to_owned())
    );
    assert!(
        refused
            .to_string()
            .contains("certificates are not supported"),
        "{refused}"
    );
    assert!(!refused.to_string().contains("encoding"), "{refused}");
    // Listing the user's plain key does not make the certificate signature valid.
    let verdict = charter_verdict(&format!("{ADA} {user_line}\n"), &signature).unwrap_err();
    assert!(verdict.to_string().contains("SSH certificate"), "{verdict}");
}

#[test]
fn a_line_with_an_impossible_validity_time_is_named_as_the_cause() {
    let dir = TempDir::new().unwrap();
    let (private, line) = generate(dir.path(), "id_ed25519", &["-t", "ed25519"]);
    let signature = keygen_sign(dir.path(), &private);
    // 30 February: OpenSSH rolls it over to March; charter refuses the line.
    let allowed = format!("{ADA} valid-after=\"20260230Z\" {line}\n");
    assert!(keygen_verify(dir.path(), &allowed, &signature).is_ok());
    let (_, diagnostics) = AllowedSigners::parse(&allowed);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let verdict = charter_verdict(&allowed, &signature).unwrap_err();
    match &verdict {
        InvalidSignoff::Untrusted(Untrusted::InvalidLine { line, reason }) => {
            assert_eq!(*line, 1);
            assert_eq!(reason, &diagnostics[0].message);
        }
        other => panic!("expected the invalid line as the cause, got {other:?}"),
    }
    let text = verdict.to_string();
    assert!(text.contains("line 1"), "{text}");
    assert!(!text.contains("not listed"), "{text}");
    // A key on no line at all is still "not listed".
    let (_, other_line) = generate(dir.path(), "id_other", &["-t", "ed25519"]);
    let verdict = charter_verdict(&format!("{ADA} {other_line}\n"), &signature).unwrap_err();
    assert!(
        matches!(verdict, InvalidSignoff::Untrusted(Untrusted::UnknownKey)),
        "{verdict:?}"
    );
}
