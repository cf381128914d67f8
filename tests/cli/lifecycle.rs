//! Living an agreement, end to end with the real binary, real git and real
//! `ssh-keygen`: check-ins (both ways with OpenSSH), status of goals and
//! reviews, concluding, declining and withdrawing, and the same state word
//! in every command.

use std::process::Output;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::common::{stderr, stdout, Env, Key};
use crate::snap;

const AGREEMENT: &str = "agreements/ada-grace.yaml";
const MENTOR: &str = "grace@example.com";
const MENTEE: &str = "ada@example.com";
const NAMESPACES: &str = "charter-signoff,charter-checkin,charter-decline";

/// An agreement whose first goal is long past due and whose term runs
/// past [`NOW`], with monthly reviews under a two-heading scorecard.
fn agreement() -> String {
    "charter: 1
title: Lifecycle test
parties:
  mentor: { name: Grace Hopper, email: grace@example.com }
  mentee: { name: Ada Lovelace, email: ada@example.com }
purpose: Grow as an engineer.
effective: 2026-01-12
term: { start: 2026-01-12, end: 2027-12-31 }
meetings: { cadence: biweekly }
goals:
  - id: design-review
    goal: Lead a design review.
    measure: Decision record merged.
    due: 2026-04-30
    evidence: The decision record.
  - id: tech-talk
    goal: Give a talk.
    measure: Talk given.
    due: 2027-06-01
    evidence: The slides.
reviews: { cadence: monthly, scorecard: [skill development, project delivery] }
confidentiality:
  private: [career plans]
  exceptions: [risk of harm]
renegotiation: { notice: 14d }
"
    .to_owned()
}

/// The tests' clock: charter's own commits (check-ins, sign-offs,
/// conclusions) carry this time through `GIT_COMMITTER_DATE`, git's
/// commits here are made at it, and every command judges this day.
const NOW: &str = "2026-11-21T10:00:00Z";

/// The day of [`NOW`].
fn today() -> String {
    NOW[..10].to_owned()
}

/// A repository whose charter commits are made at [`NOW`].
fn repository() -> Env {
    Env::with_git().clocked(NOW)
}

struct Keys {
    mentor: Key,
    mentee: Key,
}

/// The agreement committed and signed by both parties (charter's commits,
/// at [`NOW`]), with both keys trusted for every kind of record.
fn signed() -> (Env, Keys) {
    let env = repository();
    let mentor = env.keygen("grace", "ed25519", "");
    let mentee = env.keygen("ada", "ed25519", "");
    env.write(
        "allowed_signers",
        format!(
            "{MENTOR} namespaces=\"{NAMESPACES}\" {}\n{MENTEE} namespaces=\"{NAMESPACES}\" {}\n",
            mentor.line, mentee.line
        ),
    );
    env.write(AGREEMENT, agreement());
    env.commit_all("Add ada-grace", "2026-01-05T10:00:00Z");
    for (role, key) in [("mentor", &mentor), ("mentee", &mentee)] {
        let out = run(
            &env,
            &["sign", "ada-grace", "--as", role, "--key", key.path()],
        );
        assert_eq!(out.status.code(), Some(0), "sign: {}", stderr(&out));
    }
    (env, Keys { mentor, mentee })
}

/// The mentee declines the proposal at HEAD with `reason`, using her key.
fn decline_as_mentee(env: &Env, keys: &Keys, reason: &str) -> Output {
    let args = [
        "decline",
        "ada-grace",
        "--as",
        "mentee",
        "--reason",
        reason,
        "--key",
    ];
    let mut args = args.to_vec();
    args.push(keys.mentee.path());
    run(env, &args)
}

fn run(env: &Env, args: &[&str]) -> Output {
    env.charter(args)
        .env("CHARTER_TODAY", today())
        .output()
        .unwrap()
}

/// An output rendered for a whole-output snapshot.
fn snapshot(env: &Env, out: &Output) -> String {
    snap::render(env, out)
}

fn json_of(env: &Env, args: &[&str]) -> Value {
    let out = run(env, args);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(&out), stderr(&out)))
}

fn files_of_last_commit(env: &Env) -> Vec<String> {
    env.git(&["show", "--name-only", "--format=", "HEAD"])
        .lines()
        .map(str::to_owned)
        .collect()
}

fn ssh_keygen_verify(env: &Env, principal: &str, namespace: &str, file: &str) -> Output {
    let msg = run(env, &["signoff", "message", file]);
    assert_eq!(msg.status.code(), Some(0), "{}", stderr(&msg));
    let sig = run(env, &["signoff", "signature", file]);
    assert_eq!(sig.status.code(), Some(0), "{}", stderr(&sig));
    let sig_path = env.home.join("record.sig");
    std::fs::write(&sig_path, &sig.stdout).unwrap();
    let mut child = env
        .process("ssh-keygen")
        .args(["-Y", "verify", "-f"])
        .arg(env.path("allowed_signers"))
        .args(["-I", principal, "-n", namespace, "-s"])
        .arg(&sig_path)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&msg.stdout).unwrap();
    child.wait_with_output().unwrap()
}

/// Sign `message` with `ssh-keygen -Y sign` in `namespace`; the armor.
fn ssh_keygen_sign(env: &Env, key: &Key, namespace: &str, message: &str) -> String {
    let msg_path = env.home.join("message.txt");
    std::fs::write(&msg_path, message).unwrap();
    let sig_path = env.home.join("message.txt.sig");
    let _ = std::fs::remove_file(&sig_path);
    let out = env
        .process("ssh-keygen")
        .args(["-Y", "sign", "-f", key.path(), "-n", namespace])
        .arg(&msg_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(sig_path).unwrap()
}

fn h8(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A check-in file for the version in force, signed with `ssh-keygen`
/// over the bytes the README documents.
fn forged_checkin(env: &Env, key: &Key, by: &str, date: &str, goal: &str, status: &str) -> String {
    let version = json_of(env, &["status", "--format", "json"])["agreements"][0]["in_force"]
        ["version"]
        .as_str()
        .unwrap()
        .to_owned();
    let message = format!(
        "charter check-in v1\nagreement: ada-grace\nversion: {version}\ndate: {date}\nby: {by}\nreview: false\ngoal: \"{goal}\" {status}\n"
    );
    let armor = ssh_keygen_sign(env, key, "charter-checkin", &message);
    let mut text = format!(
        "agreement: ada-grace\nversion: {version}\ndate: {date}\nby: {by}\nreview: false\ngoals:\n  {goal}:\n    status: {status}\nscores: {{}}\nsignature: |\n"
    );
    for line in armor.lines() {
        text.push_str(&format!("  {line}\n"));
    }
    let rel = format!(
        "checkins/ada-grace/{date}-{by}-{}.yaml",
        h8(text.as_bytes())
    );
    env.write(&rel, &text);
    rel
}

#[test]
fn a_checkin_is_signed_committed_alone_and_verifies_with_ssh_keygen_both_ways() {
    let (env, keys) = signed();
    // Something staged by the user stays out of charter's commit.
    env.write("notes.txt", "mine\n");
    env.git(&["add", "notes.txt"]);
    let out = run(
        &env,
        &[
            "checkin",
            "ada-grace",
            "--review",
            "--goal",
            "design-review=done",
            "--goal",
            "tech-talk=at-risk:Conference slot moved",
            "--score",
            "skill development=4",
            "--note",
            "Good month.",
            "--key",
            keys.mentee.path(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("checkin", snapshot(&env, &out));
    assert!(
        stderr(&out).contains("as mentee"),
        "role from the key: {}",
        stderr(&out)
    );
    let files = files_of_last_commit(&env);
    assert_eq!(files.len(), 1, "{files:?}");
    let file = files[0].clone();
    assert!(
        file.starts_with(&format!("checkins/ada-grace/{}-mentee-", today())),
        "{file}"
    );
    assert_eq!(
        env.git(&["diff", "--cached", "--name-only"]).trim(),
        "notes.txt"
    );
    let text = env.read(&file);
    insta::assert_snapshot!("checkin_file", snap::redact(&env, &text));
    assert!(text.contains("review: true\n"), "{text}");
    assert!(
        text.contains("  design-review:\n    status: done\n"),
        "{text}"
    );
    assert!(text.contains("\"skill development\": 4"), "{text}");

    // charter → OpenSSH.
    let verified = ssh_keygen_verify(&env, MENTEE, "charter-checkin", &file);
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    assert!(String::from_utf8_lossy(&verified.stdout)
        .contains("Good \"charter-checkin\" signature for ada@example.com"));
    // The namespace binds: the same signature is no sign-off.
    let wrong = ssh_keygen_verify(&env, MENTEE, "charter-signoff", &file);
    assert!(!wrong.status.success(), "another namespace must fail");

    // OpenSSH → charter.
    let forged = forged_checkin(
        &env,
        &keys.mentor,
        "mentor",
        &today(),
        "tech-talk",
        "on-track",
    );
    env.commit_all("A check-in signed with ssh-keygen", NOW);
    let log = json_of(&env, &["log", "ada-grace", "--format", "json"]);
    let checkins = log["checkins"].as_array().unwrap();
    assert_eq!(checkins.len(), 2, "{log}");
    for c in checkins {
        assert_eq!(c["valid"], true, "{c}");
    }
    assert!(checkins.iter().any(|c| c["file"] == forged.as_str()));
    let check = run(&env, &["check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));

    // The latest status of each goal; a done goal is never overdue.
    let status = json_of(&env, &["status", "--format", "json"]);
    let ada = &status["agreements"][0];
    assert_eq!(ada["state"], "in-force");
    assert_eq!(
        ada["goals"][0],
        json!({"id": "design-review", "due": "2026-04-30", "status": "done", "overdue": false, "updated": today()})
    );
    assert_eq!(
        ada["goals"][1]["status"], "on-track",
        "the later check-in wins"
    );
    assert_eq!(ada["last_review"], today());
    assert_eq!(ada["review_overdue"], false);
    assert!(ada["goals_due"].as_array().unwrap().is_empty(), "{ada}");
    let out = run(&env, &["status", "--color", "never"]);
    insta::assert_snapshot!("status_after_checkins", snapshot(&env, &out));
    let text = stdout(&out);
    assert!(text.contains("goal design-review: done"), "{text}");
    assert!(!text.contains("overdue"), "{text}");

    // The markdown page lists the check-ins as a table.
    let out = run(&env, &["show", "ada-grace"]);
    insta::assert_snapshot!("show_after_checkins", snapshot(&env, &out));
    let md = stdout(&out);
    assert!(md.contains("## Check-ins"), "{md}");
    assert!(
        md.contains("| Date | By | Review | Goals | Scores | Note |"),
        "{md}"
    );
    assert!(md.contains("design-review: done"), "{md}");
}

#[test]
fn without_checkins_past_goals_and_reviews_are_overdue_but_never_for_a_draft() {
    let (env, _) = signed();
    let ada = &json_of(&env, &["status", "--format", "json"])["agreements"][0];
    assert_eq!(ada["goals"][0]["overdue"], true, "{ada}");
    assert!(ada["goals"][0]["status"].is_null());
    assert_eq!(
        ada["review_overdue"], true,
        "a monthly review from 2026-01-12"
    );
    assert_eq!(ada["next_review"], "2026-02-12");
    assert!(ada["last_review"].is_null());
    let out = run(&env, &["status", "--exit-code", "--color", "never"]);
    assert_eq!(out.status.code(), Some(1), "overdue needs attention");
    insta::assert_snapshot!("status_overdue", snapshot(&env, &out));

    let draft = repository();
    draft.write(AGREEMENT, agreement());
    draft.commit_all("Add a draft", "2026-01-05T10:00:00Z");
    let out = run(&draft, &["status", "--format", "json"]);
    let d = &serde_json::from_slice::<Value>(&out.stdout).unwrap()["agreements"][0];
    assert_eq!(d["state"], "draft");
    assert!(
        d["goals"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["overdue"] == false),
        "{d}"
    );
    assert_eq!(d["review_overdue"], false);
    let out = run(&draft, &["status", "--color", "never"]);
    insta::assert_snapshot!("status_draft", snapshot(&draft, &out));
    let text = stdout(&out);
    assert!(
        text.contains("  draft: "),
        "a draft is not called pending: {text}"
    );
    assert!(!text.contains("pending"), "{text}");
}

#[test]
fn bad_checkins_are_located_findings_and_checkins_are_append_only() {
    let (env, keys) = signed();
    let stranger = env.keygen("stranger", "ed25519", "");
    // Unknown goal, signed properly by the mentor.
    let unknown = forged_checkin(
        &env,
        &keys.mentor,
        "mentor",
        &today(),
        "no-such-goal",
        "done",
    );
    // The mentee's role claimed with a key nobody trusts.
    let impostor = forged_checkin(&env, &stranger, "mentee", &today(), "tech-talk", "done");
    // A date before the term.
    let early = forged_checkin(
        &env,
        &keys.mentor,
        "mentor",
        "2026-01-02",
        "tech-talk",
        "done",
    );
    env.commit_all("Three bad check-ins", NOW);
    insta::assert_snapshot!(
        "check_bad_checkins",
        snapshot(&env, &run(&env, &["check", "--color", "never"]))
    );
    let out = run(&env, &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let find = |file: &str| -> Value {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"] == file)
            .cloned()
            .unwrap_or_else(|| panic!("no finding for {file}: {report}"))
    };
    let f = find(&unknown);
    assert_eq!(f["rule"], "invalid-checkin");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("no goal `no-such-goal`"),
        "{f}"
    );
    assert_eq!(
        (f["line"].clone(), f["column"].clone()),
        (json!(7), json!(3)),
        "{f}"
    );
    let f = find(&impostor);
    assert!(
        f["message"].as_str().unwrap().contains("not the mentee"),
        "{f}"
    );
    assert_eq!(f["line"], 4, "points at `by`: {f}");
    let f = find(&early);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("before the term starts"),
        "{f}"
    );
    assert_eq!(f["line"], 3, "points at `date`: {f}");

    // Editing a committed check-in: modified, and its name no longer matches.
    let rel = unknown.clone();
    let text = env.read(&rel).replace("status: done", "status: dropped");
    // Both hashes the finding names cover a signature made with a
    // throwaway key: named in the snapshots by what they are.
    let hashes = {
        let named = rel[rel.len() - 13..rel.len() - 5].to_owned();
        let found = h8(text.as_bytes());
        move |whole: String| {
            whole
                .replace(&named, "[H8 of the name]")
                .replace(&found, "[H8 of the bytes]")
        }
    };
    env.write(&rel, text);
    env.commit_all("Edit a check-in", NOW);
    insta::assert_snapshot!(
        "check_edited_checkin",
        hashes(snapshot(&env, &run(&env, &["check", "--color", "never"])))
    );
    let report = json_of(&env, &["check", "--format", "json"]);
    let rules: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["file"].as_str().unwrap()))
        .collect();
    assert!(
        rules.contains(&("checkin-modified", rel.as_str())),
        "{rules:?}"
    );

    // validate sees the form problem in the working tree.
    insta::assert_snapshot!(
        "validate_edited_checkin",
        hashes(snapshot(
            &env,
            &run(&env, &["validate", "--color", "never"])
        ))
    );
    let out = run(&env, &["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["file"] == rel.as_str() && f["rule"] == "invalid-checkin"),
        "{v}"
    );
}

#[test]
fn checkin_refuses_what_it_cannot_record() {
    let (env, keys) = signed();
    let refuse = |name: &str, args: &[&str]| {
        let mut all = vec!["checkin", "ada-grace", "--key", keys.mentee.path()];
        all.extend_from_slice(args);
        let out = run(&env, &all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        insta::assert_snapshot!(name, snapshot(&env, &out));
    };
    refuse("checkin_unknown_score", &["--score", "charisma=3"]);
    refuse(
        "checkin_score_out_of_range",
        &["--score", "skill development=6"],
    );
    refuse("checkin_unknown_goal", &["--goal", "nope=done"]);
    refuse("checkin_unknown_status", &["--goal", "tech-talk=finished"]);
    refuse("checkin_long_note", &["--note", &"x".repeat(281)]);
    refuse("checkin_future", &["--date", "2099-01-01", "--review"]);
    refuse("checkin_nothing", &[]);
    assert!(!env.path("checkins").exists(), "nothing written");
}

#[test]
fn conclude_appends_commits_and_signs_and_every_command_says_concluded() {
    let (env, keys) = signed();
    let before = env.read(AGREEMENT);
    let out = run(
        &env,
        &[
            "conclude",
            "ada-grace",
            "--reason",
            "completed",
            "--note",
            "Goals reached.",
            "--key",
            keys.mentor.path(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("conclude", snapshot(&env, &out));
    let after = env.read(AGREEMENT);
    assert!(after.starts_with(&before), "the user's text is untouched");
    assert_eq!(
        &after[before.len()..],
        format!(
            "concluded:\n  date: {}\n  reason: completed\n  note: \"Goals reached.\"\n",
            today()
        )
    );
    // Two commits: the conclusion, then the mentor's sign-off of it.
    let subjects = env.git(&["log", "-2", "--format=%s"]);
    let subjects: Vec<&str> = subjects.lines().collect();
    assert!(
        subjects[0].starts_with("sign-off: ada-grace"),
        "{subjects:?}"
    );
    assert_eq!(subjects[1], "Conclude ada-grace: completed");
    let status = json_of(&env, &["status", "--format", "json"]);
    assert_eq!(status["agreements"][0]["state"], "concluded");
    insta::assert_snapshot!(
        "status_concluded",
        snapshot(&env, &run(&env, &["status", "--color", "never"]))
    );
    assert_eq!(
        json_of(&env, &["check", "--format", "json"])["agreements"][0]["state"],
        "concluded"
    );
    assert_eq!(
        json_of(&env, &["log", "ada-grace", "--format", "json"])["state"],
        "concluded"
    );
    let out = run(&env, &["show", "ada-grace"]);
    insta::assert_snapshot!("show_concluded", snapshot(&env, &out));
    let md = stdout(&out);
    assert!(md.contains("· concluded ·"), "{md}");
    assert!(md.contains("(completed): Goals reached."), "{md}");
    // Nothing may change after it.
    let out = run(
        &env,
        &[
            "checkin",
            "ada-grace",
            "--review",
            "--key",
            keys.mentee.path(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("checkin_after_concluding", snapshot(&env, &out));
    let out = run(
        &env,
        &[
            "conclude",
            "ada-grace",
            "--reason",
            "left",
            "--key",
            keys.mentee.path(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("conclude_twice", snapshot(&env, &out));
    env.write(
        AGREEMENT,
        after.replace("Grow as an engineer.", "Grow more."),
    );
    env.commit_all("Change after concluding", NOW);
    let report = json_of(&env, &["check", "--format", "json"]);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "concluded-changed"),
        "{report}"
    );
}

#[test]
fn conclude_refuses_a_pending_proposal_and_a_draft() {
    let (env, keys) = signed();
    env.write(AGREEMENT, agreement().replace("notice: 14d", "notice: 21d"));
    env.commit_all("Propose a longer notice", NOW);
    let out = run(
        &env,
        &[
            "conclude",
            "ada-grace",
            "--reason",
            "left",
            "--key",
            keys.mentor.path(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("conclude_pending", snapshot(&env, &out));
    let draft = repository();
    draft.write(AGREEMENT, agreement());
    draft.commit_all("Add a draft", "2026-01-05T10:00:00Z");
    let out = run(&draft, &["conclude", "ada-grace", "--reason", "no-fit"]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("conclude_draft", snapshot(&draft, &out));
}

#[test]
fn decline_marks_the_proposal_declined_until_signed_and_withdraw_restores_the_bytes() {
    let (env, keys) = signed();
    let signed_text = env.read(AGREEMENT);
    env.write(
        AGREEMENT,
        format!(
            "# A comment the user wrote.\n{}",
            signed_text.replace("notice: 14d", "notice: 7d")
        ),
    );
    env.commit_all("Propose a shorter notice", NOW);
    let out = decline_as_mentee(&env, &keys, "Too short.");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("decline", snapshot(&env, &out));
    let files = files_of_last_commit(&env);
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(
        files[0].starts_with("signoffs/ada-grace/") && files[0].contains("-mentee-decline-"),
        "{files:?}"
    );
    let verified = ssh_keygen_verify(&env, MENTEE, "charter-decline", &files[0]);
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );

    let status = json_of(&env, &["status", "--format", "json"]);
    let ada = &status["agreements"][0];
    assert_eq!(ada["state"], "declined");
    assert_eq!(ada["pending"]["declined_by"], json!(["mentee"]));
    let log = json_of(&env, &["log", "ada-grace", "--format", "json"]);
    assert_eq!(log["versions"][0]["state"], "declined");
    assert_eq!(log["versions"][0]["declined_by"], json!(["mentee"]));
    let out = run(&env, &["log", "ada-grace", "--color", "never"]);
    insta::assert_snapshot!("log_declined", snapshot(&env, &out));
    let text = stdout(&out);
    assert!(
        text.starts_with("agreements/ada-grace.yaml (declined)"),
        "{text}"
    );
    assert!(text.contains("declined by: mentee"), "{text}");
    let check = json_of(&env, &["check", "--format", "json"]);
    assert!(
        !check["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "invalid-signoff" || f["rule"] == "invalid-decline"),
        "a decline is not a broken sign-off: {check}"
    );
    assert_eq!(check["agreements"][0]["state"], "declined");
    let verify = run(&env, &["verify", "--format", "json"]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));

    // Declining twice is refused; signing later lifts the refusal.
    let again = run(
        &env,
        &[
            "decline",
            "ada-grace",
            "--as",
            "mentee",
            "--key",
            keys.mentee.path(),
        ],
    );
    assert_eq!(again.status.code(), Some(1));
    insta::assert_snapshot!("decline_twice", snapshot(&env, &again));

    // A decline is append-only like a sign-off.
    let decline = files[0].clone();
    let original = env.read(&decline);
    env.write(&decline, original.replace("Too short.", "Too long."));
    env.commit_all("Edit the decline", NOW);
    let report = json_of(&env, &["check", "--format", "json"]);
    let found: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["file"].as_str().unwrap()))
        .collect();
    assert!(
        found.contains(&("signoff-modified", decline.as_str())),
        "{found:?}"
    );
    assert!(
        found.contains(&("invalid-decline", decline.as_str())),
        "{found:?}"
    );
    assert_eq!(
        report["agreements"][0]["state"], "pending",
        "an edited decline does not count"
    );
    env.write(&decline, original);
    env.commit_all("Restore the decline", NOW);

    // Withdraw: the signed version's exact bytes, committed.
    let out = run(&env, &["withdraw", "ada-grace"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("withdraw", snapshot(&env, &out));
    assert_eq!(env.read(AGREEMENT), signed_text, "exact bytes restored");
    assert!(env
        .git(&["log", "-1", "--format=%s"])
        .starts_with("Withdraw the proposal"));
    assert_eq!(files_of_last_commit(&env), vec![AGREEMENT.to_owned()]);
    let status = json_of(&env, &["status", "--format", "json"]);
    assert_eq!(status["agreements"][0]["state"], "in-force");
    assert!(status["agreements"][0]["pending"].is_null());
    let log = json_of(&env, &["log", "ada-grace", "--format", "json"]);
    assert_eq!(log["versions"][1]["state"], "abandoned", "{log}");
    let out = run(&env, &["withdraw", "ada-grace"]);
    assert_eq!(out.status.code(), Some(2), "nothing left to withdraw");
    insta::assert_snapshot!("withdraw_twice", snapshot(&env, &out));
}

#[test]
fn a_later_signature_outweighs_a_decline() {
    let (env, keys) = signed();
    env.write(AGREEMENT, agreement().replace("notice: 14d", "notice: 21d"));
    env.commit_all("Propose a longer notice", NOW);
    let out = run(
        &env,
        &[
            "decline",
            "ada-grace",
            "--as",
            "mentee",
            "--key",
            keys.mentee.path(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("decline_without_reason", snapshot(&env, &out));
    let out = run(
        &env,
        &[
            "sign",
            "ada-grace",
            "--as",
            "mentee",
            "--key",
            keys.mentee.path(),
            "--waive-notice",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("sign_after_declining", snapshot(&env, &out));
    let ada = &json_of(&env, &["status", "--format", "json"])["agreements"][0];
    assert_eq!(ada["state"], "pending", "waiting for the mentor now: {ada}");
    assert_eq!(ada["pending"]["declined_by"], json!([]));
}

/// The state word of every agreement, as each command says it.
fn words(env: &Env, dir: &str, day: &str) -> Vec<(String, Vec<String>)> {
    let with = |args: &[&str]| {
        let mut all = vec!["-C", dir, "--color", "never"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--today", day]);
        let out = env.run(&all);
        assert!(out.status.code() != Some(2), "{args:?}: {}", stderr(&out));
        out
    };
    let status: Value =
        serde_json::from_slice(&with(&["status", "--format", "json"]).stdout).unwrap();
    let check: Value =
        serde_json::from_slice(&with(&["check", "--format", "json"]).stdout).unwrap();
    let verify = stdout(&with(&["verify"]));
    let mut out = Vec::new();
    for (i, a) in status["agreements"].as_array().unwrap().iter().enumerate() {
        let id = a["id"].as_str().unwrap().to_owned();
        let mut seen = vec![a["state"].as_str().unwrap().to_owned()];
        seen.push(check["agreements"][i]["state"].as_str().unwrap().to_owned());
        let log: Value =
            serde_json::from_slice(&with(&["log", &id, "--format", "json"]).stdout).unwrap();
        seen.push(log["state"].as_str().unwrap().to_owned());
        let log_text = stdout(&with(&["log", &id]));
        let header = log_text.lines().next().unwrap();
        seen.push(
            header
                .rsplit_once('(')
                .unwrap()
                .1
                .trim_end_matches(')')
                .to_owned(),
        );
        let line = verify
            .lines()
            .find(|l| l.starts_with(&id))
            .unwrap_or_else(|| panic!("{id} in {verify}"));
        seen.push(
            line.rsplit_once('(')
                .unwrap()
                .1
                .trim_end_matches(')')
                .to_owned(),
        );
        let md = stdout(&with(&["show", &id]));
        let subtitle = md.lines().find(|l| l.starts_with('_')).unwrap();
        seen.push(
            subtitle
                .split(" · ")
                .nth(2)
                .unwrap()
                .split(',')
                .next()
                .unwrap()
                .to_owned(),
        );
        out.push((id, seen));
    }
    out
}

#[test]
fn every_command_uses_the_same_state_word_on_the_same_day() {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    let mut all_words = std::collections::BTreeSet::new();
    for day in ["2026-02-25", "2026-05-08", "2026-06-10", "2026-08-01"] {
        for (id, seen) in words(&env, "sample", day) {
            assert!(
                seen.iter().all(|w| *w == seen[0]),
                "{id} on {day}: {seen:?}"
            );
            all_words.insert(seen[0].clone());
        }
    }
    for w in ["pending", "concluded", "declined", "scheduled", "ended"] {
        assert!(all_words.contains(w), "{w} in {all_words:?}");
    }
}

#[test]
fn show_html_draws_the_checkins_as_inline_svg() {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    let out = env.run(&[
        "-C",
        "sample",
        "show",
        "ada-grace",
        "--format",
        "html",
        "--today",
        "2026-06-10",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = stdout(&out);
    let doc = scraper::Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "well-formed HTML: {:?}", doc.errors);
    let svg = scraper::Selector::parse("figure > svg").unwrap();
    let charts: Vec<_> = doc.select(&svg).collect();
    assert_eq!(charts.len(), 2, "scores and goals");
    let polyline = scraper::Selector::parse("polyline").unwrap();
    let lines = charts[0].select(&polyline).count();
    assert_eq!(lines, 3, "one line per scorecard heading");
    let text: String = charts[1].text().collect();
    for word in [
        "design-review",
        "tech-talk",
        "at-risk",
        "done",
        "2026-05-28",
    ] {
        assert!(text.contains(word), "{word} in {text}");
    }
    for chart in &charts {
        assert!(chart.value().attr("viewBox").is_some());
        let title = scraper::Selector::parse("title").unwrap();
        assert!(chart.select(&title).next().is_some(), "an accessible title");
    }
    assert!(!html.contains("<script"), "no scripts");
    let external = scraper::Selector::parse("[src], link[href], image").unwrap();
    assert_eq!(doc.select(&external).count(), 0, "no external files");
    let rows = scraper::Selector::parse("table.checkins tbody tr").unwrap();
    assert_eq!(doc.select(&rows).count(), 3);
    // The SVG markup parses on its own as XML-like structure: every element closed.
    for chart in &charts {
        let inner = chart.html();
        assert!(
            inner.starts_with("<svg") && inner.ends_with("</svg>"),
            "{inner}"
        );
    }
}

#[test]
fn checkin_without_commit_leaves_a_valid_file_and_a_draft_cannot_check_in() {
    let (env, keys) = signed();
    let head = env.git(&["rev-parse", "HEAD"]);
    let out = run(
        &env,
        &[
            "checkin",
            "ada-grace",
            "--goal",
            "tech-talk=on-track",
            "--no-commit",
            "--key",
            keys.mentor.path(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("checkin_no_commit", snapshot(&env, &out));
    assert_eq!(env.git(&["rev-parse", "HEAD"]), head, "nothing committed");
    let untracked = env.git(&["status", "--porcelain", "--untracked-files=all"]);
    assert!(
        untracked.contains(&format!("?? checkins/ada-grace/{}-mentor-", today())),
        "{untracked}"
    );
    let out = run(&env, &["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    let draft = repository();
    draft.write(AGREEMENT, agreement());
    draft.commit_all("Add a draft", "2026-01-05T10:00:00Z");
    let out = run(
        &draft,
        &["checkin", "ada-grace", "--review", "--as", "mentee"],
    );
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("checkin_draft", snapshot(&draft, &out));
    assert!(
        stderr(&out).contains("no signed version is in force"),
        "{}",
        stderr(&out)
    );
}

/// A declined amendment leaves the version in force, so the mentorship is
/// still lived: `status` and `report` both call its review overdue.
#[test]
fn a_declined_amendment_leaves_the_mentorship_live_in_status_and_report() {
    let (env, keys) = signed();
    env.write(AGREEMENT, agreement().replace("notice: 14d", "notice: 7d"));
    env.commit_all("Propose a shorter notice", NOW);
    let out = decline_as_mentee(&env, &keys, "Too short.");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let overdue = |day: &str| {
        let status = json_of(&env, &["status", "--format", "json", "--today", day]);
        let ada = &status["agreements"][0];
        assert_eq!(ada["state"], "declined", "{status}");
        let report = json_of(&env, &["report", "--format", "json", "--today", day]);
        let listed = report["reviews_overdue"]
            .as_array()
            .unwrap_or_else(|| panic!("no reviews_overdue: {report}"))
            .iter()
            .any(|r| r["id"] == "ada-grace");
        assert_eq!(
            ada["review_overdue"].as_bool(),
            Some(listed),
            "status and report agree on {day}: {status} {report}"
        );
        listed
    };
    assert!(overdue(&today()), "no review was held since it was signed");
    assert!(overdue("2027-06-30"));
}

/// Every signed record is made against the working tree's
/// `allowed_signers`, as `sign` is: a key added in the same uncommitted
/// change can check in, with a warning that the check-in counts once the
/// change is committed; a key listed nowhere is refused.
#[test]
fn checkin_with_a_key_trusted_in_the_working_tree_counts_once_it_is_committed() {
    let (env, _keys) = signed();
    let laptop = env.keygen("ada-laptop", "ed25519", "");
    let checkin = |key: &Key| {
        let args = [
            "checkin",
            "ada-grace",
            "--as",
            "mentee",
            "--note",
            "Met.",
            "--key",
        ];
        let mut args = args.to_vec();
        args.push(key.path());
        run(&env, &args)
    };
    let out = checkin(&laptop);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("allowed_signers does not trust key"),
        "{}",
        stderr(&out)
    );
    env.write(
        "allowed_signers",
        format!(
            "{}{MENTEE} namespaces=\"{NAMESPACES}\" {}\n",
            env.read("allowed_signers"),
            laptop.line
        ),
    );
    let out = checkin(&laptop);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "warning: allowed_signers at HEAD does not trust this key yet; the check-in counts once your change to it is committed"
        ),
        "{}",
        stderr(&out)
    );
    let invalid = |env: &Env| {
        let json = json_of(env, &["check", "--format", "json"]);
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "invalid-checkin")
            .count()
    };
    assert_eq!(invalid(&env), 1, "HEAD does not trust the key yet");
    env.git(&["add", "allowed_signers"]);
    env.git(&["commit", "-q", "-m", "Trust Ada's laptop key"]);
    assert_eq!(invalid(&env), 0, "the committed key counts");
}

/// `decline` is made against the working tree's trust root too: a key
/// added in an uncommitted change can decline, with a warning.
#[test]
fn decline_with_a_key_trusted_in_the_working_tree_warns_until_committed() {
    let (env, _keys) = signed();
    env.write(
        AGREEMENT,
        env.read(AGREEMENT).replace("notice: 14d", "notice: 7d"),
    );
    env.commit_all("Propose a shorter notice", NOW);
    let laptop = env.keygen("ada-laptop", "ed25519", "");
    env.write(
        "allowed_signers",
        format!(
            "{}{MENTEE} namespaces=\"{NAMESPACES}\" {}\n",
            env.read("allowed_signers"),
            laptop.line
        ),
    );
    let args = [
        "decline",
        "ada-grace",
        "--as",
        "mentee",
        "--key",
        laptop.path(),
    ];
    let out = run(&env, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "warning: allowed_signers at HEAD does not trust this key yet; the decline counts once your change to it is committed"
        ),
        "{}",
        stderr(&out)
    );
    let files = files_of_last_commit(&env);
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].contains("-mentee-decline-"), "{files:?}");
}

/// Every command that makes a signed record chooses and checks the key the
/// same way: the other party's key is denied with the same words and exit
/// code 1 (a verdict of the rules, as for `sign`), before anything is
/// written or committed.
#[test]
fn every_signing_command_denies_the_other_partys_key_alike() {
    let (env, keys) = signed();
    let head = env.git(&["rev-parse", "HEAD"]);
    let with_mentee_key = |args: &[&str]| {
        let mut args = args.to_vec();
        args.extend(["--as", "mentor", "--key", keys.mentee.path()]);
        run(&env, &args)
    };
    let untouched = |env: &Env, head: &str| {
        assert_eq!(env.git(&["rev-parse", "HEAD"]), head, "nothing committed");
        assert_eq!(env.git(&["status", "--porcelain"]), "", "nothing written");
    };
    let checkin = with_mentee_key(&["checkin", "ada-grace", "--note", "Met."]);
    untouched(&env, &head);
    let conclude = with_mentee_key(&["conclude", "ada-grace", "--reason", "completed"]);
    untouched(&env, &head);
    env.write(
        AGREEMENT,
        env.read(AGREEMENT).replace("notice: 14d", "notice: 7d"),
    );
    env.commit_all("Propose a shorter notice", NOW);
    let proposed = env.git(&["rev-parse", "HEAD"]);
    let decline = with_mentee_key(&["decline", "ada-grace"]);
    let sign = with_mentee_key(&["sign", "ada-grace", "--waive-notice"]);
    untouched(&env, &proposed);
    for (name, out) in [
        ("checkin", &checkin),
        ("conclude", &conclude),
        ("decline", &decline),
        ("sign", &sign),
    ] {
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(out));
        assert!(
            stderr(out).contains(
                "is trusted for the mentee (ada@example.com), not for the mentor (grace@example.com)"
            ),
            "{name}: {}",
            stderr(out)
        );
        assert!(
            stderr(out).contains(&format!("`charter {name} ada-grace --as mentee`")),
            "{name}: {}",
            stderr(out)
        );
    }
}

/// The commands that act on an agreement's history take its id or its
/// file's path, as `sign` and `show` do, and word an id that names nothing
/// as every command does, not as "nothing signed" or "nothing to decline".
#[test]
fn record_commands_take_a_path_and_word_an_unknown_id_alike() {
    let (env, keys) = signed();
    for args in [
        &["checkin", "ada-grac", "--note", "Met."][..],
        &["decline", "ada-grac", "--as", "mentee"],
        &["conclude", "ada-grac", "--reason", "completed"],
        &["withdraw", "ada-grac"],
        &["calendar", "ada-grac"],
    ] {
        let out = run(&env, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(
                "no agreement `ada-grac`: agreements/ada-grac.yaml does not exist at HEAD"
            ) && stderr(&out).contains("did you mean `ada-grace`?"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let path = "agreements/ada-grace.yaml";
    let out = run(
        &env,
        &[
            "checkin",
            path,
            "--as",
            "mentee",
            "--note",
            "Met.",
            "--key",
            keys.mentee.path(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        files_of_last_commit(&env)
            .iter()
            .any(|f| f.starts_with("checkins/ada-grace/")),
        "{:?}",
        files_of_last_commit(&env)
    );
    let out = run(&env, &["calendar", path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("BEGIN:VCALENDAR"), "{}", stdout(&out));
}

/// A record is written where the working tree's `charter.yaml` says and
/// judged where HEAD's says: while an uncommitted change moves the layout,
/// every writing command refuses (exit 2), names the move, writes nothing,
/// and works again once `charter.yaml` is committed.
#[test]
fn writing_commands_refuse_while_the_layout_move_is_uncommitted() {
    let (env, keys) = signed();
    let head = env.git(&["rev-parse", "HEAD"]);
    env.write("charter.yaml", "checkins: reviews\n");
    let checkin = |env: &Env| {
        run(
            env,
            &[
                "checkin",
                "ada-grace",
                "--as",
                "mentee",
                "--note",
                "Met.",
                "--key",
                keys.mentee.path(),
            ],
        )
    };
    for out in [
        checkin(&env),
        run(&env, &["decline", "ada-grace", "--as", "mentee"]),
        run(&env, &["withdraw", "ada-grace"]),
        run(&env, &["conclude", "ada-grace", "--reason", "completed"]),
        run(&env, &["sign", "ada-grace", "--as", "mentee"]),
        run(&env, &["amend", "ada-grace"]),
    ] {
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(
                "charter.yaml in the working tree moves check-ins from checkins to reviews, and that change is not committed"
            ),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(env.git(&["rev-parse", "HEAD"]), head, "nothing committed");
    assert_eq!(
        env.git(&["status", "--porcelain"]),
        "?? charter.yaml\n",
        "nothing written"
    );
    env.git(&["add", "charter.yaml"]);
    env.git(&["commit", "-q", "-m", "Keep check-ins under reviews/"]);
    let out = checkin(&env);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        files_of_last_commit(&env)
            .iter()
            .any(|f| f.starts_with("reviews/ada-grace/")),
        "{:?}",
        files_of_last_commit(&env)
    );
}
