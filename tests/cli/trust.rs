//! Attacks on charter's trust in history, each reproduced end to end: real
//! repositories, real keys from `ssh-keygen`, sign-offs signed by
//! `ssh-keygen -Y sign` where a test needs to control their time, and the
//! real binary judging them.

use std::process::{Output, Stdio};

use charter::agreement::lint::{check, Context};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::{stderr, stdout, Env, Key};

const AGREEMENT: &str = "agreements/ada-grace.yaml";
const MENTOR: &str = "grace@example.com";
const MENTEE: &str = "ada@example.com";

/// The minimal agreement with a term that runs until 2099.
fn minimal() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid-minimal.yaml"
    ))
    .unwrap()
    .replace("end: 2026-07-10", "end: 2099-12-31")
}

/// A material amendment of [`minimal`] taking effect on `effective`.
fn proposal(effective: &str) -> String {
    minimal()
        .replace("cadence: biweekly", "cadence: weekly")
        .replace("effective: 2026-01-12", &format!("effective: {effective}"))
}

struct Parties {
    mentor: Key,
    mentee: Key,
}

/// Both parties' keys in allowed_signers and the minimal agreement, committed
/// on 2026-01-05.
fn setup() -> (Env, Parties) {
    let env = Env::with_git();
    let mentor = env.keygen("grace", "ed25519", "");
    let mentee = env.keygen("ada", "ed25519", "");
    env.write(
        "allowed_signers",
        format!("{MENTOR} {}\n{MENTEE} {}\n", mentor.line, mentee.line),
    );
    env.write(AGREEMENT, minimal());
    env.commit_all("Add ada-grace", "2026-01-05T10:00:00Z");
    (env, Parties { mentor, mentee })
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

/// A sign-off for the working tree's version, signed by `ssh-keygen -Y
/// sign` and written (not committed) under its proper name.
fn forge(env: &Env, key: &Key, role: &str, amends: &str, signed_at: &str) -> String {
    let version = version_of(env);
    let principal = if role == "mentor" { MENTOR } else { MENTEE };
    let fields = |armor: &str| {
        let mut text = format!(
            "agreement: ada-grace\nversion: {version}\namends: {amends}\nrole: {role}\nprincipal: {principal}\nsigned_at: {signed_at}\nwaive_notice: false\nsignature: |\n"
        );
        for line in armor.lines() {
            text.push_str(&format!("  {line}\n"));
        }
        text
    };
    let draft = env.home.join("draft.yaml");
    std::fs::write(
        &draft,
        fields("-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n"),
    )
    .unwrap();
    let out = env.run(&["signoff", "message", draft.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let message = env.home.join("message");
    std::fs::write(&message, &out.stdout).unwrap();
    let signature = env.home.join("message.sig");
    let _ = std::fs::remove_file(&signature);
    let out = std::process::Command::new("ssh-keygen")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &env.home)
        .stdin(Stdio::null())
        .args(["-Y", "sign", "-n", "charter-signoff", "-f"])
        .arg(&key.private)
        .arg(&message)
        .output()
        .unwrap();
    assert!(out.status.success(), "ssh-keygen -Y sign: {}", stderr(&out));
    let text = fields(&std::fs::read_to_string(signature).unwrap());
    let h8: String = Sha256::digest(text.as_bytes())[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let rel = format!("signoffs/ada-grace/{}-{role}-{h8}.yaml", &version[7..19]);
    env.write(&rel, text);
    rel
}

/// Both parties sign the working tree's version; committed at `date`.
fn both_sign(env: &Env, keys: &Parties, amends: &str, date: &str) {
    forge(env, &keys.mentor, "mentor", amends, date);
    forge(env, &keys.mentee, "mentee", amends, date);
    env.commit_all("Both sign", date);
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(out), stderr(out)))
}

#[allow(dead_code)]
fn rules(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

fn finding<'a>(json: &'a Value, rule: &str) -> &'a Value {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} finding: {json:#}"))
}

fn rev(env: &Env, name: &str) -> String {
    env.git(&["rev-parse", name]).trim().to_owned()
}

/// Every 12-to-40-digit hex word in `text` names a commit that exists.
fn assert_real_commits(env: &Env, text: &str) {
    for word in text.split(|c: char| !c.is_ascii_hexdigit()) {
        if word.len() >= 12 && word.len() <= 40 && word.chars().any(|c| c.is_ascii_digit()) {
            let out = env
                .git_command()
                .args(["cat-file", "-e", &format!("{word}^{{commit}}")])
                .output()
                .unwrap();
            assert!(out.status.success(), "`{word}` is not a commit: {text}");
        }
    }
}

// ---------------------------------------------------------------------------
// A proposal withdrawn and made again opens anew

/// v1 signed; X (taking effect on `effective`) proposed on 1 February and
/// withdrawn on 10 February; branch `base` points there.
fn withdrawn_proposal(effective: &str) -> (Env, Parties) {
    let (env, keys) = setup();
    both_sign(&env, &keys, "none", "2026-01-06T10:00:00Z");
    env.write(AGREEMENT, proposal(effective));
    env.commit_all("Propose weekly meetings", "2026-02-01T10:00:00Z");
    env.write(AGREEMENT, minimal());
    env.commit_all("Withdraw the proposal", "2026-02-10T10:00:00Z");
    env.git(&["branch", "base"]);
    (env, keys)
}

#[test]
fn a_proposal_made_again_gets_a_new_notice_period_in_a_pull_request() {
    let (env, keys) = withdrawn_proposal("2026-03-01");
    let v1 = version_of(&env);
    env.git(&["checkout", "-q", "-b", "pr"]);
    env.write(AGREEMENT, proposal("2026-03-01"));
    env.commit_all("Propose weekly meetings again", "2026-06-01T10:00:00Z");
    both_sign(&env, &keys, &v1, "2026-06-01T10:00:00Z");
    let head = rev(&env, "pr");
    let out = env.run(&[
        "check",
        "--base",
        "base",
        "--head",
        "pr",
        "--format",
        "json",
        "--today",
        "2026-06-01",
    ]);
    let json = json_of(&out);
    assert_eq!(out.status.code(), Some(1), "{json:#}");
    let f = finding(&json, "notice-period");
    assert_eq!(f["commit"], head.as_str(), "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("renegotiation opened 2026-06-01"),
        "{message}"
    );
    assert!(message.contains("2026-06-15"), "{message}");
    // The text names the pull request's real head, not the landed commit.
    assert!(message.contains(&head[..12]), "{message}");
    assert_real_commits(&env, message);
    let text = env.run(&[
        "check",
        "--base",
        "base",
        "--head",
        "pr",
        "--format",
        "text",
        "--today",
        "2026-06-01",
    ]);
    assert_real_commits(&env, &stdout(&text));
    assert_real_commits(&env, &stderr(&text));
}

#[test]
fn status_log_and_verify_credit_sign_offs_to_the_newest_occurrence() {
    let (env, keys) = withdrawn_proposal("2026-04-01");
    let v1 = version_of(&env);
    // Made again on the shared branch and signed weeks later, with notice.
    env.write(AGREEMENT, proposal("2026-04-01"));
    env.commit_all("Propose weekly meetings again", "2026-03-01T10:00:00Z");
    let again = rev(&env, "HEAD");
    both_sign(&env, &keys, &v1, "2026-03-02T10:00:00Z");
    let x = version_of(&env);

    let status = json_of(&env.run(&["status", "--format", "json", "--today", "2026-05-01"]));
    let a = &status["agreements"][0];
    assert_eq!(a["state"], "in-force", "{a:#}");
    assert_eq!(a["in_force"]["version"], x.as_str(), "{a:#}");
    assert_eq!(a["in_force"]["commit"], again.as_str(), "{a:#}");
    assert_eq!(a["in_force"]["since"], "2026-04-01", "{a:#}");
    assert!(a["pending"].is_null(), "{a:#}");

    let log = json_of(&env.run(&[
        "log",
        "ada-grace",
        "--format",
        "json",
        "--today",
        "2026-05-01",
    ]));
    let versions = log["versions"].as_array().unwrap();
    let states: Vec<(&str, &str)> = versions
        .iter()
        .map(|v| (v["commit"].as_str().unwrap(), v["state"].as_str().unwrap()))
        .collect();
    assert_eq!(states[0], (again.as_str(), "in-force"), "{log:#}");
    assert_eq!(
        versions[0]["signed_by"],
        serde_json::json!(["mentor", "mentee"])
    );
    assert_eq!(states[2].1, "abandoned", "the withdrawn proposal: {log:#}");
    assert_eq!(versions[2]["signed_by"], serde_json::json!([]), "{log:#}");

    let out = env.run(&["verify", "--color", "never", "--today", "2026-05-01"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[1].contains(&again[..7]) && lines[1].contains("in-force"),
        "{text}"
    );
    assert!(
        lines[2].contains("mentor") && lines[3].contains("mentee"),
        "{text}"
    );
    let withdrawn = lines
        .iter()
        .position(|l| l.contains("abandoned") && l.contains(&x[7..19]))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        !lines[withdrawn + 1].contains("mentor"),
        "no sign-off listed under the withdrawn occurrence: {text}"
    );

    let check = env.run(&["check", "--format", "json", "--today", "2026-05-01"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}

#[test]
fn sign_signs_a_proposal_made_again_though_its_first_occurrence_was_signed() {
    let (env, keys) = setup();
    both_sign(&env, &keys, "none", "2026-01-06T10:00:00Z");
    let v1 = version_of(&env);
    env.write(AGREEMENT, proposal("2099-03-01"));
    env.commit_all("Propose weekly meetings", "2026-02-01T10:00:00Z");
    forge(&env, &keys.mentor, "mentor", &v1, "2026-02-02T10:00:00Z");
    env.commit_all("The mentor signs", "2026-02-02T10:00:00Z");
    env.write(AGREEMENT, minimal());
    env.commit_all("Withdraw the proposal", "2026-02-10T10:00:00Z");
    env.write(AGREEMENT, proposal("2099-03-01"));
    env.commit_all("Propose weekly meetings again", "2026-03-01T10:00:00Z");
    // The mentor's sign-off was for the withdrawn proposal: no duplicate.
    let out = env.run(&[
        "sign",
        "ada-grace",
        "--as",
        "mentor",
        "--key",
        keys.mentor.path(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = env.run(&[
        "sign",
        "ada-grace",
        "--as",
        "mentee",
        "--key",
        keys.mentee.path(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let status = json_of(&env.run(&["status", "--format", "json", "--today", "2099-06-01"]));
    assert_eq!(status["agreements"][0]["state"], "in-force", "{status:#}");
    assert_eq!(
        status["agreements"][0]["in_force"]["since"], "2099-03-01",
        "{status:#}"
    );
}
