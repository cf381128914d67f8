//! One small history per rule of `check`, each named for the rule it
//! exercises: a signed agreement on `main` (`story::signed_base`), then
//! the one event on the `pr` branch that breaks the rule, with chosen dates.
//! Each scenario first checks that the rule is silent before the event, so
//! it fails if the rule fires for the wrong reason.

use serde_json::Value;

use crate::story::{signed_base, Repo, AGREEMENT};

/// The findings of `rule` in a check report.
fn of_rule<'a>(json: &'a Value, rule: &str) -> Vec<&'a Value> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

/// The pull request `main..pr` before and after `event`: silent on `rule`
/// before, and after it a finding of `rule` on `file` with `code` as the
/// exit status.
fn scenario(rule: &str, file: &str, code: i32, event: impl Fn(&Repo)) {
    let repo = signed_base(None);
    let (before_code, before) = repo.check_pr();
    assert!(
        of_rule(&before, rule).is_empty(),
        "{rule} before: {before:#}"
    );
    assert_eq!(before_code, Some(0), "{before:#}");
    event(&repo);
    let (after_code, after) = repo.check_pr();
    let found = of_rule(&after, rule);
    assert!(!found.is_empty(), "{rule} after: {after:#}");
    assert!(
        found
            .iter()
            .any(|f| f["file"].as_str().is_some_and(|f| f.starts_with(file))),
        "{rule} on {file}: {after:#}"
    );
    assert_eq!(after_code, Some(code), "{rule}: {after:#}");
}

/// The path of one of the agreement's sign-off files.
fn a_signoff(repo: &Repo) -> String {
    let dir = repo.env.path("signoffs/ada-grace");
    let name = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .min()
        .unwrap();
    format!("signoffs/ada-grace/{name}")
}

#[test]
fn unsigned() {
    scenario("unsigned", AGREEMENT, 1, |repo| {
        repo.amend(
            |t| t.replace("cadence: biweekly", "cadence: weekly"),
            "2026-02-01T10:00:00Z",
        );
    });
}

#[test]
fn notice_pending() {
    scenario("notice-pending", AGREEMENT, 1, |repo| {
        repo.amend(
            |t| {
                t.replace("cadence: biweekly", "cadence: weekly")
                    .replace("effective: 2026-01-12", "effective: 2026-02-03")
            },
            "2026-02-01T10:00:00Z",
        );
    });
}

#[test]
fn agreement_removed() {
    scenario("agreement-removed", AGREEMENT, 1, |repo| {
        repo.env.git(&["rm", "-q", AGREEMENT]);
        repo.env
            .commit_all("Remove ada-grace", "2026-02-01T10:00:00Z");
    });
}

#[test]
fn signoff_modified() {
    scenario("signoff-modified", "signoffs/ada-grace/", 1, |repo| {
        let file = a_signoff(repo);
        repo.env
            .write(&file, format!("{}# edited\n", repo.env.read(&file)));
        repo.env
            .commit_all("Edit a sign-off", "2026-02-01T10:00:00Z");
    });
}

#[test]
fn trust_root_change() {
    scenario("trust-root-change", "allowed_signers", 0, |repo| {
        let key = repo.env.keygen("charles", "ed25519", "");
        let signers = repo.env.read("allowed_signers");
        repo.env.write(
            "allowed_signers",
            format!("{signers}charles@example.com {}\n", key.line),
        );
        repo.env.commit_all("Trust Charles", "2026-02-01T10:00:00Z");
    });
}

#[test]
fn suspicious_time() {
    scenario("suspicious-time", "", 0, |repo| {
        repo.env.write("notes.txt", "a note\n");
        repo.env
            .commit_all("A commit dated before its parent", "2025-06-01T10:00:00Z");
    });
}

#[test]
fn rebase_needed() {
    scenario("rebase-needed", AGREEMENT, 1, |repo| {
        repo.env.git(&["checkout", "-q", "main"]);
        repo.amend(
            |t| t.replace("Grow as an engineer.", "Grow as a staff engineer."),
            "2026-02-01T10:00:00Z",
        );
        repo.env.git(&["checkout", "-q", "pr"]);
        repo.amend(
            |t| t.replace("Grow as an engineer.", "Grow as an engineering lead."),
            "2026-02-02T10:00:00Z",
        );
    });
}

#[test]
fn concluded_changed() {
    let repo = signed_base(None);
    repo.env.git(&["checkout", "-q", "main"]);
    repo.amend(
        |t| format!("{t}concluded: {{ date: 2026-03-01, reason: completed }}\n"),
        "2026-03-01T10:00:00Z",
    );
    repo.sign("mentor", "2026-03-01T11:00:00Z");
    repo.env.git(&["checkout", "-q", "-B", "pr"]);
    let (code, before) = repo.check_pr();
    assert!(
        of_rule(&before, "concluded-changed").is_empty(),
        "{before:#}"
    );
    assert_eq!(code, Some(0), "{before:#}");
    repo.amend(
        |t| t.replace("Grow as an engineer.", "Grow as a staff engineer."),
        "2026-03-05T10:00:00Z",
    );
    let (code, after) = repo.check_pr();
    assert_eq!(of_rule(&after, "concluded-changed").len(), 1, "{after:#}");
    assert_eq!(code, Some(1), "{after:#}");
}
