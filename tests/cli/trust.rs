//! Attacks on charter's trust in history, each reproduced end to end: real
//! repositories, real keys from `ssh-keygen`, sign-offs signed by
//! `ssh-keygen -Y sign` where a test needs to control their time, and the
//! real binary judging them.

use std::process::{Output, Stdio};

use charter::agreement::lint::{check, Context};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::{stderr, stdout, Env, Key, NOW};
use crate::snap;

const AGREEMENT: &str = "agreements/ada-grace.yaml";
const MENTOR: &str = "grace@example.com";
const MENTEE: &str = "ada@example.com";

/// The minimal agreement with a term that runs past [`NOW`].
fn minimal() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid-minimal.yaml"
    ))
    .unwrap()
    .replace("end: 2026-07-10", "end: 2027-12-31")
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
/// on 2026-01-05; charter's own commits are made at [`NOW`].
fn setup() -> (Env, Parties) {
    let env = Env::with_git().clocked(NOW);
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
    let out = env
        .process("ssh-keygen")
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
    insta::assert_snapshot!(
        "proposal_made_again_in_a_pull_request",
        snap::render(&env, &text)
    );
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

    insta::assert_snapshot!(
        "proposal_made_again_log",
        snap::run(
            &env,
            &[
                "log",
                "ada-grace",
                "--color",
                "never",
                "--today",
                "2026-05-01"
            ]
        )
    );
    let out = env.run(&["verify", "--color", "never", "--today", "2026-05-01"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("proposal_made_again_verify", snap::render(&env, &out));
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
    env.write(AGREEMENT, proposal("2027-03-01"));
    env.commit_all("Propose weekly meetings", "2026-02-01T10:00:00Z");
    forge(&env, &keys.mentor, "mentor", &v1, "2026-02-02T10:00:00Z");
    env.commit_all("The mentor signs", "2026-02-02T10:00:00Z");
    env.write(AGREEMENT, minimal());
    env.commit_all("Withdraw the proposal", "2026-02-10T10:00:00Z");
    env.write(AGREEMENT, proposal("2027-03-01"));
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
    insta::assert_snapshot!("sign_again_as_mentor", snap::render(&env, &out));
    let out = env.run(&[
        "sign",
        "ada-grace",
        "--as",
        "mentee",
        "--key",
        keys.mentee.path(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("sign_again_as_mentee", snap::render(&env, &out));
    let status = json_of(&env.run(&["status", "--format", "json", "--today", "2027-06-01"]));
    assert_eq!(status["agreements"][0]["state"], "in-force", "{status:#}");
    assert_eq!(
        status["agreements"][0]["in_force"]["since"], "2027-03-01",
        "{status:#}"
    );
}

// ---------------------------------------------------------------------------
// Changes to the trust root

fn check_pr(env: &Env, today: &str) -> (Option<i32>, Value) {
    let out = env.run(&[
        "check", "--base", "base", "--head", "pr", "--format", "json", "--today", today,
    ]);
    (out.status.code(), json_of(&out))
}

/// `check` of the pull request `pr` against `base` on `today` as text, as
/// a whole-output snapshot text.
fn check_pr_text(env: &Env, today: &str) -> String {
    snap::run(
        env,
        &[
            "check", "--base", "base", "--head", "pr", "--format", "text", "--today", today,
        ],
    )
}

/// The whole-history `check` on `today` as text, as a whole-output
/// snapshot text.
fn check_text(env: &Env, today: &str) -> String {
    snap::run(env, &["check", "--format", "text", "--today", today])
}

fn trust_root_messages(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "trust-root-change")
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn turning_a_cert_authority_line_into_a_plain_key_is_a_trust_root_change() {
    let (env, _) = setup();
    let ca = env.keygen("ca", "ed25519", "");
    let signers = env.read("allowed_signers");
    env.write(
        "allowed_signers",
        format!("{signers}*@example.com cert-authority {}\n", ca.line),
    );
    env.commit_all("Trust the company CA", "2026-01-06T10:00:00Z");
    env.git(&["branch", "base"]);
    env.git(&["checkout", "-q", "-b", "pr"]);
    env.write(
        "allowed_signers",
        format!("{signers}*@example.com {}\n", ca.line),
    );
    env.commit_all("Tidy allowed_signers", "2026-01-07T10:00:00Z");
    insta::assert_snapshot!(check_pr_text(&env, "2026-01-07"));
    let (_, json) = check_pr(&env, "2026-01-07");
    let messages = trust_root_messages(&json);
    assert_eq!(messages.len(), 2, "{json:#}");
    assert!(messages[0].starts_with("adds or changes"), "{messages:?}");
    assert!(!messages[0].contains("cert-authority"), "{messages:?}");
    assert!(
        messages[1].starts_with("removes or changes"),
        "{messages:?}"
    );
    assert!(messages[1].contains("cert-authority"), "{messages:?}");
}

// ---------------------------------------------------------------------------
// Moving the trust root or the records

/// v1 signed by both, on the shared branch `base`; `pr` checked out.
fn signed_base() -> (Env, Parties) {
    let (env, keys) = setup();
    both_sign(&env, &keys, "none", "2026-01-06T10:00:00Z");
    env.git(&["branch", "base"]);
    env.git(&["checkout", "-q", "-b", "pr"]);
    (env, keys)
}

#[test]
fn moving_the_trust_root_lists_the_keys_it_adds_and_removes() {
    let (env, keys) = signed_base();
    let mallory = env.keygen("mallory", "ed25519", "");
    env.write(
        ".signers",
        format!("{MENTOR} {}\n{MENTEE} {}\n", mallory.line, keys.mentee.line),
    );
    env.write("charter.yaml", "charter: 1\nallowed_signers: .signers\n");
    env.commit_all("Keep the signers in a dotfile", "2026-01-07T10:00:00Z");
    insta::assert_snapshot!(check_pr_text(&env, "2026-01-07"));
    let (_, json) = check_pr(&env, "2026-01-07");
    let moved = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "trust-root-change" && f["file"] == "charter.yaml")
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(moved["line"], 2, "{moved:#}");
    assert!(
        moved["message"]
            .as_str()
            .unwrap()
            .contains("`allowed_signers` to `.signers`"),
        "{moved:#}"
    );
    let messages = trust_root_messages(&json);
    let fingerprint = |key: &Key| {
        let out = env
            .process("ssh-keygen")
            .args(["-l", "-E", "sha256", "-f"])
            .arg(&key.public)
            .output()
            .unwrap();
        stdout(&out).split_whitespace().nth(1).unwrap().to_owned()
    };
    let added: Vec<&String> = messages.iter().filter(|m| m.starts_with("adds")).collect();
    let removed: Vec<&String> = messages
        .iter()
        .filter(|m| m.starts_with("removes"))
        .collect();
    assert_eq!(added.len(), 1, "{messages:?}");
    assert!(added[0].contains(&fingerprint(&mallory)), "{messages:?}");
    assert_eq!(removed.len(), 1, "{messages:?}");
    assert!(
        removed[0].contains(&fingerprint(&keys.mentor)),
        "{messages:?}"
    );
    assert!(removed[0].contains("signoffs/ada-grace/"), "{messages:?}");
}

#[test]
fn moving_the_sign_offs_orphans_them() {
    let (env, _) = signed_base();
    env.write("charter.yaml", "charter: 1\nsignoffs: records\n");
    env.commit_all("Rename the sign-off directory", "2026-01-07T10:00:00Z");
    insta::assert_snapshot!(check_pr_text(&env, "2026-01-07"));
    let (code, json) = check_pr(&env, "2026-01-07");
    assert_eq!(code, Some(1), "{json:#}");
    let found = rules(&json);
    assert!(found.contains(&"trust-root-change".to_owned()), "{found:?}");
    let orphaned: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "signoff-modified")
        .collect();
    assert_eq!(orphaned.len(), 2, "{json:#}");
    assert!(orphaned[0]["file"]
        .as_str()
        .unwrap()
        .starts_with("signoffs/ada-grace/"));
    assert_eq!(orphaned[0]["severity"], "error");
}

#[test]
fn moving_the_agreements_orphans_the_signed_ones() {
    let (env, _) = signed_base();
    let text = env.read(AGREEMENT);
    env.write("elsewhere/ada-grace.yaml", text);
    env.write("charter.yaml", "charter: 1\nagreements: elsewhere\n");
    env.commit_all("Move the agreements", "2026-01-07T10:00:00Z");
    insta::assert_snapshot!(
        "moving_the_agreements_pr",
        check_pr_text(&env, "2026-01-07")
    );
    let (code, json) = check_pr(&env, "2026-01-07");
    assert_eq!(code, Some(1), "{json:#}");
    let f = finding(&json, "agreement-removed");
    assert_eq!(f["file"], AGREEMENT, "{f:#}");
    assert!(rules(&json).contains(&"trust-root-change".to_owned()));

    // Merged anyway: the whole-history check finds it at the commit that did it.
    env.git(&["checkout", "-q", "base"]);
    env.git(&["merge", "-q", "--ff-only", "pr"]);
    let moved = rev(&env, "HEAD");
    let out = env.run(&["check", "--format", "json", "--today", "2026-01-07"]);
    let json = json_of(&out);
    assert_eq!(out.status.code(), Some(1), "{json:#}");
    let f = finding(&json, "agreement-removed");
    assert_eq!(f["commit"], moved.as_str(), "{f:#}");
    let change = finding(&json, "trust-root-change");
    assert_eq!(change["commit"], moved.as_str(), "{change:#}");
    assert_eq!(change["file"], "charter.yaml", "{change:#}");
}

#[test]
fn an_unchanged_layout_raises_nothing() {
    let (env, _) = signed_base();
    env.write(
        "charter.yaml",
        "charter: 1\nprogram: Mentoring\nagreements: agreements\n",
    );
    env.commit_all("Name the programme", "2026-01-07T10:00:00Z");
    insta::assert_snapshot!(check_pr_text(&env, "2026-01-07"));
    let (code, json) = check_pr(&env, "2026-01-07");
    assert_eq!(code, Some(0), "{json:#}");
    assert!(trust_root_messages(&json).is_empty(), "{json:#}");
    let out = env.run(&["check", "--format", "json", "--today", "2026-01-07"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

// ---------------------------------------------------------------------------
// Errors are never turned into verdicts

#[test]
fn a_commit_time_beyond_any_date_is_an_error_not_1970() {
    let env = Env::with_git();
    let mentor = env.keygen("grace", "ed25519", "");
    let mentee = env.keygen("ada", "ed25519", "");
    // The mentee's key was retired on 1 March.
    env.write(
        "allowed_signers",
        format!(
            "{MENTOR} {}\n{MENTEE} valid-before=\"20260301Z\" {}\n",
            mentor.line, mentee.line
        ),
    );
    env.write(AGREEMENT, minimal());
    env.commit_all("Add ada-grace", "2026-01-05T10:00:00Z");
    env.write("notes.txt", "a commit from the far future\n");
    env.commit_all("Notes", "@99999999999999 +0000");
    let absurd = rev(&env, "HEAD");
    let keys = Parties { mentor, mentee };
    both_sign(&env, &keys, "none", "2026-02-01T10:00:00Z");
    for args in [
        &["verify", "--format", "json"][..],
        &["status", "--format", "json"],
        &["log", "ada-grace", "--format", "json"],
        &["check", "--format", "json"],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stdout(&out));
        let err = stderr(&out);
        assert!(err.contains(&absurd[..12]), "{args:?}: {err}");
        assert!(err.contains("committer time"), "{args:?}: {err}");
        insta::assert_snapshot!(
            format!("far_future_commit_{}", args[0]),
            snap::render(&env, &out)
        );
    }
}

/// The loose object file of `object` (a commit-ish path like `HEAD:dir`).
fn delete_object(env: &Env, object: &str) {
    let id = env.git(&["rev-parse", object]).trim().to_owned();
    let path = env.path(&format!(".git/objects/{}/{}", &id[..2], &id[2..]));
    std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

#[test]
fn a_missing_tree_is_an_error_not_a_deletion() {
    let (env, keys) = setup();
    both_sign(&env, &keys, "none", "2026-01-06T10:00:00Z");
    env.write(AGREEMENT, proposal("2026-03-01"));
    env.commit_all("Propose weekly meetings", "2026-02-01T10:00:00Z");
    // The agreements directory of the first commits is gone (a partial
    // clone, a corrupted store).
    delete_object(&env, "HEAD~2:agreements");
    for args in [
        &["log", "ada-grace", "--format", "json"][..],
        &["status", "--format", "json"],
        &["verify", "--format", "json"],
        &["check", "--format", "json"],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stdout(&out));
        assert!(
            stderr(&out).contains("object"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_missing_sign_off_is_an_error_not_an_absence() {
    let (env, keys) = setup();
    both_sign(&env, &keys, "none", "2026-01-06T10:00:00Z");
    let file = env.git(&["ls-files", "signoffs"]);
    let first = file.lines().next().unwrap().to_owned();
    delete_object(&env, &format!("HEAD:{first}"));
    for args in [
        &["verify", "--format", "json"][..],
        &["status", "--format", "json"],
        &["log", "ada-grace", "--format", "json"],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stdout(&out));
        assert!(
            stderr(&out).contains("object"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

// ---------------------------------------------------------------------------
// Times that clamping had to move

fn suspicious(json: &Value) -> Vec<(String, String)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "suspicious-time")
        .map(|f| {
            (
                f["commit"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn whole_history_warns_when_clamping_moves_a_commit_by_more_than_a_day() {
    let (env, _) = setup();
    env.write("notes.txt", "one\n");
    env.commit_all("Notes", "2026-06-01T10:00:00Z");
    env.write("notes.txt", "two\n");
    let older = env.commit_all("Backdated", "2026-01-01T10:00:00Z");
    env.write("notes.txt", "three\n");
    let moved = env.commit_all(
        "Newer than its parent, older than the chain",
        "2026-01-02T10:00:00Z",
    );
    env.write("notes.txt", "four\n");
    env.commit_all("Within the day", "2026-06-01T09:00:00Z");
    insta::assert_snapshot!(check_text(&env, "2026-06-02"));
    let out = env.run(&["check", "--format", "json", "--today", "2026-06-02"]);
    let json = json_of(&out);
    let found = suspicious(&json);
    let commits: Vec<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(commits, [older.as_str(), moved.as_str()], "{json:#}");
    assert!(found[1].1.contains("2026-06-01"), "{found:?}");
    assert!(found[1].1.contains("150 days"), "{found:?}");
    assert_eq!(out.status.code(), Some(0), "warnings only: {json:#}");
}

#[test]
fn a_fast_forward_around_the_previous_tip_is_reported() {
    let (env, keys) = setup();
    both_sign(&env, &keys, "none", "2026-01-06T10:00:00Z");
    let start = rev(&env, "HEAD");
    env.write("notes.txt", "on main\n");
    let tip = env.commit_all("Work on main", "2026-06-01T10:00:00Z");
    // A branch from the old commit, backdated, merges main and is fast-forwarded.
    env.git(&["checkout", "-q", "-b", "around", &start]);
    env.write(AGREEMENT, proposal("2026-03-01"));
    env.commit_all("Propose weekly meetings", "2026-02-01T10:00:00Z");
    env.git_at(
        &["merge", "-q", "--no-edit", "main"],
        "2026-02-02T10:00:00Z",
    );
    let merge = rev(&env, "HEAD");
    env.git(&["checkout", "-q", "main"]);
    env.git(&["merge", "-q", "--ff-only", "around"]);
    insta::assert_snapshot!(check_text(&env, "2026-06-02"));
    let out = env.run(&["check", "--format", "json", "--today", "2026-06-02"]);
    let json = json_of(&out);
    let found = suspicious(&json);
    assert_eq!(found.len(), 1, "{json:#}");
    assert_eq!(found[0].0, merge, "{json:#}");
    assert!(found[0].1.contains(&tip[..12]), "{found:?}");
}

#[test]
fn moving_the_check_ins_orphans_them() {
    let env = {
        let (env, keys) = setup();
        both_sign(&env, &keys, "none", "2026-01-06T10:00:00Z");
        // The check-in is committed on the day it reports.
        let env = env.clocked("2026-01-20T10:00:00Z");
        let out = env.run(&[
            "checkin",
            "ada-grace",
            "--date",
            "2026-01-20",
            "--note",
            "First meeting held.",
            "--key",
            keys.mentee.path(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        insta::assert_snapshot!("checkin_before_the_move", snap::render(&env, &out));
        env.git(&["branch", "base"]);
        env.git(&["checkout", "-q", "-b", "pr"]);
        env
    };
    env.write("charter.yaml", "charter: 1\ncheckins: progress\n");
    env.commit_all("Rename the check-in directory", "2026-01-21T10:00:00Z");
    insta::assert_snapshot!(check_pr_text(&env, "2026-01-21"));
    let (code, json) = check_pr(&env, "2026-01-21");
    assert_eq!(code, Some(1), "{json:#}");
    let moved = finding(&json, "trust-root-change");
    assert!(
        moved["message"]
            .as_str()
            .unwrap()
            .contains("check-in directory from `checkins` to `progress`"),
        "{moved:#}"
    );
    let orphaned = finding(&json, "checkin-modified");
    assert!(
        orphaned["file"]
            .as_str()
            .unwrap()
            .starts_with("checkins/ada-grace/2026-01-20-mentee-"),
        "{orphaned:#}"
    );
    assert_eq!(orphaned["severity"], "error");
}

/// `verify` reads HEAD's trust root through the same loader as `check` and
/// `show`, and says so when it is missing or not text.
#[test]
fn verify_warns_about_a_missing_or_binary_trust_root() {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    let sample = env.path("sample");
    let sample = sample.to_str().unwrap();
    let trusted = env.run(&["-C", sample, "verify", "--today", "2026-06-10"]);
    assert_eq!(trusted.status.code(), Some(0), "{}", stderr(&trusted));
    insta::assert_snapshot!("verify_trusted", snap::render(&env, &trusted));
    assert!(
        !stderr(&trusted).contains("warning"),
        "{}",
        stderr(&trusted)
    );

    let mut bytes = b"x\xff y\n".to_vec();
    bytes.extend(std::fs::read(env.path("sample/allowed_signers")).unwrap());
    std::fs::write(env.path("sample/allowed_signers"), bytes).unwrap();
    env.git(&[
        "-C",
        sample,
        "commit",
        "-q",
        "-am",
        "A byte that is not UTF-8",
    ]);
    let binary = env.run(&["-C", sample, "verify", "--today", "2026-06-10"]);
    assert!(
        stderr(&binary).contains("warning: allowed_signers is not UTF-8 text"),
        "{}",
        stderr(&binary)
    );
    assert!(
        stderr(&binary).contains("allowed_signers:1: error:"),
        "{}",
        stderr(&binary)
    );
    assert_eq!(binary.status.code(), Some(0), "the other lines still count");

    env.git(&["-C", sample, "rm", "-q", "allowed_signers"]);
    env.git(&["-C", sample, "commit", "-q", "-m", "No trust root"]);
    let missing = env.run(&["-C", sample, "verify", "--today", "2026-06-10"]);
    insta::assert_snapshot!("verify_missing_trust_root", snap::render(&env, &missing));
    assert!(
        stderr(&missing)
            .contains("warning: allowed_signers does not exist at HEAD, so no key is trusted"),
        "{}",
        stderr(&missing)
    );
    assert_eq!(missing.status.code(), Some(1), "{}", stdout(&missing));
}
