//! Whole-output snapshots: a command's exit status, stdout and stderr
//! rendered as one text, so that a changed line, a lost warning or a wrong
//! exit code anywhere in the output shows in review (`insta`).
//!
//! What a sandbox cannot make the same from run to run is redacted, and
//! nothing else:
//! - the sandbox's temporary directory becomes `[TMP]`;
//! - a commit id, or a prefix of one, of any repository in the sandbox
//!   becomes `[commit: SUBJECT]`, so the snapshot still says which commit
//!   is meant (sign-offs made with throwaway keys change every id after
//!   them); version ids are content hashes and stay;
//! - SSH key fingerprints become `[FINGERPRINT]`, public key blobs
//!   `[PUBKEY]` and armored signatures `[SIGNATURE]`: the keys are made
//!   afresh for every test;
//! - the hash suffix of a sign-off's or check-in's file name, which
//!   covers its signature, becomes `[H8]`.

use std::path::Path;
use std::process::Output;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::common::{stderr, stdout, Env};

/// `charter ARGS` in `env`, through [`Env::run`] (so history readers are
/// still run with and without the index), rendered and redacted.
pub fn run(env: &Env, args: &[&str]) -> String {
    render(env, &env.run(args))
}

/// An output already produced in `env`, rendered and redacted.
pub fn render(env: &Env, out: &Output) -> String {
    let code = out
        .status
        .code()
        .map_or_else(|| "signal".to_owned(), |c| c.to_string());
    let text = format!(
        "exit: {code}\n--- stdout\n{}--- stderr\n{}",
        with_end(&stdout(out)),
        with_end(&stderr(out))
    );
    redact(env, &text)
}

/// Text as it is, with a visible mark where its last line has no newline.
fn with_end(text: &str) -> String {
    if text.is_empty() || text.ends_with('\n') {
        text.to_owned()
    } else {
        format!("{text}\n[no newline at end]\n")
    }
}

static HEX: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b[0-9a-f]{7,40}\b").unwrap());
static FINGERPRINT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"SHA256:[A-Za-z0-9+/]{43}").unwrap());
static PUBKEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"AAAA[A-Za-z0-9+/]{40,}={0,2}").unwrap());
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)-----BEGIN SSH SIGNATURE-----.*?-----END SSH SIGNATURE-----").unwrap()
});
static FILE_HASH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(-(?:mentor|mentee)(?:-[a-z]+)?)-[0-9a-f]{8}\.yaml").unwrap());

/// `text` with what differs between runs of the same test replaced.
pub fn redact(env: &Env, text: &str) -> String {
    let mut text = text.to_owned();
    let tmp = env.repo.parent().unwrap();
    for root in [tmp.canonicalize().unwrap(), tmp.to_owned()] {
        text = text.replace(root.to_str().unwrap(), "[TMP]");
    }
    let commits = commits(env);
    let text = HEX.replace_all(&text, |c: &Captures| {
        let hex = &c[0];
        match commits.iter().find(|(id, _)| id.starts_with(hex)) {
            Some((_, subject)) => format!("[commit: {subject}]"),
            None => hex.to_owned(),
        }
    });
    let text = FINGERPRINT.replace_all(&text, "[FINGERPRINT]");
    let text = SIGNATURE.replace_all(&text, "[SIGNATURE]");
    let text = PUBKEY.replace_all(&text, "[PUBKEY]");
    FILE_HASH.replace_all(&text, "$1-[H8].yaml").into_owned()
}

/// Every commit (id, subject) of the sandbox's repositories: the
/// repository and the repositories directly inside it (`charter demo`'s
/// sample, clones).
fn commits(env: &Env) -> Vec<(String, String)> {
    let mut dirs = vec![env.repo.clone()];
    if let Ok(entries) = std::fs::read_dir(&env.repo) {
        dirs.extend(entries.flatten().map(|e| e.path()));
    }
    let mut commits = Vec::new();
    for dir in dirs.iter().filter(|d| is_repository(d)) {
        let out = env
            .git_command()
            .current_dir(dir)
            .args(["log", "--all", "--reflog", "--format=%H %s"])
            .output()
            .unwrap();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            if let Some((id, subject)) = line.split_once(' ') {
                commits.push((id.to_owned(), subject.to_owned()));
            }
        }
    }
    commits
}

fn is_repository(dir: &Path) -> bool {
    dir.join(".git").exists()
}
