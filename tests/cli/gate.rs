//! The gate's strictness: in `check --base`, an agreement the pull request
//! leaves unsigned is the error `unsigned`, naming who must sign and how;
//! `charter.yaml` `gate.unsigned` (read from base) relaxes it. Real keys,
//! real sign-offs made by `charter sign` on the pull-request branch.

use serde_json::Value;

use crate::common::{stderr, Env};
use crate::story::{signed_base, AGREEMENT, FIXTURE};

fn unsigned(json: &Value) -> Vec<&Value> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "unsigned")
        .collect()
}

fn material(text: String) -> String {
    text.replace("cadence: biweekly", "cadence: weekly")
        .replace("effective: 2026-01-12", "effective: 2026-12-15")
}

#[test]
fn an_unsigned_amendment_fails_until_both_parties_sign_on_the_branch() {
    let repo = signed_base(None);
    repo.amend(material, "2026-11-20T09:00:00Z");

    let (code, json) = repo.check_pr();
    assert_eq!(code, Some(1), "{json:#}");
    let found = unsigned(&json);
    assert_eq!(found.len(), 1, "{json:#}");
    let f = found[0];
    assert_eq!(f["severity"], "error");
    assert_eq!(f["file"], AGREEMENT);
    assert_eq!(
        f["commit"].as_str().unwrap(),
        repo.env.git(&["rev-parse", "pr"]).trim(),
        "names the pull request's head, not the in-memory landed commit"
    );
    // Located at a key the amendment changed.
    let line = f["line"].as_u64().unwrap() as usize;
    let text = repo.env.read(AGREEMENT);
    let at = text.lines().nth(line - 1).unwrap();
    assert!(
        at.starts_with("effective:") || at.starts_with("meetings:"),
        "line {line}: {at}"
    );
    assert!(f["column"].as_u64().unwrap() >= 1, "{f:#}");

    // The text report names both parties, with the commands to run.
    insta::assert_snapshot!("nobody_signed", repo.check_pr_text());

    // One party signs on the branch: the other is still named.
    repo.sign("mentor", "2026-11-20T10:00:00Z");
    let (code, json) = repo.check_pr();
    assert_eq!(code, Some(1), "{json:#}");
    let message = unsigned(&json)[0]["message"].as_str().unwrap().to_owned();
    assert!(!message.contains("grace@example.com"), "{message}");
    insta::assert_snapshot!("mentor_signed", repo.check_pr_text());
    assert_eq!(
        json["agreements"][0]["pending"]["missing"],
        serde_json::json!(["mentee"])
    );

    // Both have signed: the gate is green.
    repo.sign("mentee", "2026-11-20T11:00:00Z");
    let (code, json) = repo.check_pr();
    assert_eq!(code, Some(0), "{json:#}");
    assert!(unsigned(&json).is_empty(), "{json:#}");
    assert_eq!(json["agreements"][0]["state"], "scheduled");
    insta::assert_snapshot!("both_signed", repo.check_pr_text());
}

#[test]
fn whole_history_check_reports_the_pending_version_without_unsigned() {
    let repo = signed_base(None);
    repo.amend(material, "2026-11-20T09:00:00Z");
    let (code, json) = repo.check(&[]);
    assert_eq!(code, Some(0), "{json:#}");
    assert!(unsigned(&json).is_empty(), "{json:#}");
    assert_eq!(json["agreements"][0]["state"], "pending");
}

#[test]
fn gate_unsigned_warning_and_off_are_read_from_base() {
    for (setting, expected) in [("warning", Some("warning")), ("off", None)] {
        let repo = signed_base(Some(&format!("charter: 1\ngate:\n  unsigned: {setting}\n")));
        repo.amend(material, "2026-11-20T09:00:00Z");
        let (code, json) = repo.check_pr();
        assert_eq!(code, Some(0), "{setting}: {json:#}");
        let found = unsigned(&json);
        match expected {
            Some(severity) => {
                assert_eq!(found.len(), 1, "{json:#}");
                assert_eq!(found[0]["severity"], severity);
            }
            None => assert!(found.is_empty(), "{json:#}"),
        }
    }
}

#[test]
fn a_pull_request_cannot_relax_its_own_gate() {
    let repo = signed_base(None);
    repo.env
        .write("charter.yaml", "charter: 1\ngate: { unsigned: off }\n");
    repo.amend(material, "2026-11-20T09:00:00Z");
    let (code, json) = repo.check_pr();
    assert_eq!(code, Some(1), "{json:#}");
    let found = unsigned(&json);
    assert_eq!(found.len(), 1, "base's default (error) applies: {json:#}");
    assert_eq!(found[0]["severity"], "error");

    // Once merged, the relaxed setting is base's and applies to the next one.
    repo.env.git(&["checkout", "-q", "main"]);
    repo.env.git(&["merge", "-q", "--ff-only", "pr"]);
    repo.env.git(&["checkout", "-q", "-b", "next"]);
    repo.amend(
        |t| t.replace("cadence: weekly", "cadence: monthly"),
        "2026-11-21T09:00:00Z",
    );
    let (code, json) = repo.check(&["--base", "main", "--head", "next"]);
    assert_eq!(code, Some(0), "{json:#}");
    assert!(unsigned(&json).is_empty(), "{json:#}");
}

#[test]
fn an_invalid_gate_setting_is_a_settings_finding() {
    let repo = signed_base(Some("gate: { unsigned: sometimes }\n"));
    let out = repo.env.run(&["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &json["findings"][0];
    assert_eq!(f["rule"], "settings", "{json:#}");
    assert_eq!(f["file"], "charter.yaml");
    assert_eq!(f["line"], 1);
}

#[test]
fn a_new_agreement_needs_both_sign_offs() {
    let repo = signed_base(None);
    repo.env.write(
        "agreements/lin-sam.yaml",
        std::fs::read_to_string(FIXTURE)
            .unwrap()
            .replace("grace@example.com", "lin@example.com")
            .replace("ada@example.com", "sam@example.com"),
    );
    repo.env
        .commit_all("Propose lin-sam", "2026-11-20T09:00:00Z");
    let (code, json) = repo.check_pr();
    assert_eq!(code, Some(1), "{json:#}");
    let found = unsigned(&json);
    assert_eq!(found.len(), 1, "only the new agreement: {json:#}");
    let f = found[0];
    assert_eq!(f["file"], "agreements/lin-sam.yaml");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(1), Some(1))
    );
    insta::assert_snapshot!(repo.check_pr_text());
}

#[test]
fn an_editorial_change_needs_both_sign_offs_too() {
    let repo = signed_base(None);
    repo.amend(
        |t| t.replace("title: Minimal agreement", "title: Ada and Grace"),
        "2026-11-20T09:00:00Z",
    );
    let (code, json) = repo.check_pr();
    assert_eq!(code, Some(1), "{json:#}");
    let f = unsigned(&json)[0];
    assert_eq!(f["line"], 2, "points at title: {f:#}");
    insta::assert_snapshot!(repo.check_pr_text());
}

#[test]
fn a_concluding_version_needs_one_party() {
    let repo = signed_base(None);
    repo.amend(
        |t| format!("{t}concluded: {{ date: 2026-11-25, note: Goals met. }}\n"),
        "2026-11-20T09:00:00Z",
    );
    let (code, json) = repo.check_pr();
    assert_eq!(code, Some(1), "{json:#}");
    assert_eq!(unsigned(&json).len(), 1, "{json:#}");
    insta::assert_snapshot!(repo.check_pr_text());
    repo.sign("mentee", "2026-11-20T10:00:00Z");
    let (code, json) = repo.check_pr();
    assert_eq!(code, Some(0), "{json:#}");
    assert!(unsigned(&json).is_empty(), "{json:#}");
}

#[test]
fn withdrawing_a_proposal_needs_no_signature() {
    let repo = signed_base(None);
    let signed = repo.env.read(AGREEMENT);
    repo.amend(material, "2026-11-20T09:00:00Z");
    repo.env.git(&["checkout", "-q", "main"]);
    repo.env.git(&["merge", "-q", "--ff-only", "pr"]);
    repo.env.git(&["checkout", "-q", "-b", "withdraw"]);
    repo.amend(|_| signed.clone(), "2026-11-21T09:00:00Z");
    let (code, json) = repo.check(&["--base", "main", "--head", "withdraw"]);
    assert!(unsigned(&json).is_empty(), "{json:#}");
    assert_eq!(code, Some(0), "{json:#}");
}

/// The pull-request flow of the README's Getting started, step by step.
#[test]
fn the_getting_started_flow_works_as_written() {
    let env = Env::new();
    let ok = |args: &[&str], vars: &[(&str, &str)]| {
        let mut cmd = env.charter(args);
        cmd.envs(vars.iter().copied());
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        out
    };
    ok(&["init"], &[]);
    let grace = env.keygen("grace_id_ed25519", "ed25519", "");
    let ada = env.keygen("ada_id_ed25519", "ed25519", "");
    let mut signers = env.read("allowed_signers");
    signers.push_str(&format!(
        "grace@example.com namespaces=\"charter-signoff\" {}\nada@example.com namespaces=\"charter-signoff\" {}\n",
        grace.line, ada.line
    ));
    env.write("allowed_signers", signers);
    env.commit_all("Set up charter", "2026-11-02T10:00:00Z");
    env.git(&["branch", "-M", "main"]);

    env.git(&["switch", "-q", "-c", "ada-grace"]);
    ok(
        &[
            "new",
            "ada-grace",
            "--mentor",
            "Grace Hopper <grace@example.com>",
            "--mentee",
            "Ada Lovelace <ada@example.com>",
        ],
        &[],
    );
    // "Fill in every placeholder": here, a complete agreement.
    env.write(
        AGREEMENT,
        std::fs::read_to_string(FIXTURE)
            .unwrap()
            .replace("2026-01-12", "2026-11-23")
            .replace("end: 2026-07-10", "end: 2027-07-10")
            .replace("due: 2026-04-30", "due: 2027-04-30"),
    );
    ok(&["validate"], &[]);
    env.git(&["add", AGREEMENT]);
    env.git_at(
        &[
            "commit",
            "-q",
            "-m",
            "Propose the agreement of Ada and Grace",
        ],
        "2026-11-20T09:00:00Z",
    );
    let out = env.run(&["check", "--base", "main", "--format", "json"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{json:#}");
    assert_eq!(unsigned(&json).len(), 1, "{json:#}");

    let at = |date: &'static str| [("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date)];
    ok(
        &["sign", "ada-grace", "--as", "mentor", "--key", grace.path()],
        &at("2026-11-20T10:00:00Z"),
    );
    ok(
        &["sign", "ada-grace", "--as", "mentee", "--key", ada.path()],
        &at("2026-11-20T11:00:00Z"),
    );
    let out = ok(&["check", "--base", "main", "--format", "json"], &[]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(unsigned(&json).is_empty(), "{json:#}");

    // Merge: the agreement is in force on main.
    env.git(&["switch", "-q", "main"]);
    env.git_at(
        &[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge ada-grace",
            "ada-grace",
        ],
        "2026-11-21T09:00:00Z",
    );
    ok(&["check"], &[]);
    let out = ok(
        &["status", "--format", "json", "--today", "2026-11-23"],
        &[],
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["agreements"][0]["state"], "in-force", "{json:#}");
}
