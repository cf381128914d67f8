//! `charter log` and `charter amend` on real repositories with dated commits.

use crate::common::{example, stderr, stdout, Env};
use crate::snap;

fn log_json(env: &Env, id: &str) -> serde_json::Value {
    let out = env.run(&["log", id, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn ada() -> String {
    example("ada-grace.yaml")
}

#[test]
fn log_lists_versions_newest_first_and_skips_non_changes() {
    let env = Env::with_git();
    env.write("agreements/ada-grace.yaml", ada());
    env.commit_all("propose", "2026-01-08T10:00:00Z");
    env.write("README.md", "unrelated\n");
    env.commit_all("unrelated change", "2026-01-09T10:00:00Z");
    env.write(
        "agreements/ada-grace.yaml",
        format!("# a comment only\n{}", ada()),
    );
    env.commit_all("comment only", "2026-01-10T10:00:00Z");
    env.write(
        "agreements/ada-grace.yaml",
        ada().replace("cadence: biweekly", "cadence: monthly"),
    );
    let amended = env.commit_all("monthly", "2026-02-01T10:00:00Z");

    let log = log_json(&env, "ada-grace");
    assert_eq!(log["agreement"], "ada-grace");
    let versions = log["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "{versions:#?}");
    assert_eq!(versions[0]["commit"], amended.as_str());
    assert_eq!(versions[0]["date"], "2026-02-01");
    assert_eq!(versions[0]["author"], "Test User <test@example.com>");
    assert_eq!(
        versions[0]["summary"],
        "meetings.cadence biweekly → monthly"
    );
    assert_eq!(versions[0]["material"], true);
    assert_eq!(versions[0]["state"], "draft");
    assert_eq!(versions[0]["signed_by"], serde_json::json!([]));
    assert_eq!(versions[1]["summary"], "created");
    assert_eq!(versions[1]["state"], "abandoned");
    assert_eq!(versions[1]["effective"], "2026-01-12");
    assert!(versions[1]["version"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));

    let out = env.run(&["log", "ada-grace", "--color", "never"]);
    assert!(stdout(&out).contains(&amended[..10]), "{}", stdout(&out));
    insta::assert_snapshot!(snap::render(&env, &out));
}

#[test]
fn a_backdated_commit_gets_its_parents_time() {
    let env = Env::with_git();
    env.write("agreements/ada-grace.yaml", ada());
    env.commit_all("propose", "2026-03-01T10:00:00Z");
    env.write(
        "agreements/ada-grace.yaml",
        ada().replace("cadence: biweekly", "cadence: weekly"),
    );
    env.commit_all("backdated", "2025-01-01T10:00:00Z");
    let log = log_json(&env, "ada-grace");
    assert_eq!(
        log["versions"][0]["date"], "2026-03-01",
        "clamped to the parent's time"
    );
}

#[test]
fn unparseable_versions_are_kept_apart() {
    let env = Env::with_git();
    env.write("agreements/ada-grace.yaml", ada());
    env.commit_all("propose", "2026-01-08T10:00:00Z");
    env.write("agreements/ada-grace.yaml", "title: [broken\n");
    env.commit_all("break it", "2026-01-09T10:00:00Z");
    let log = log_json(&env, "ada-grace");
    assert_eq!(log["versions"][0]["state"], "unparseable");
    assert!(log["versions"][0]["version"].is_null());
    assert_eq!(log["versions"][0]["summary"], "does not parse");
    insta::assert_snapshot!(snap::run(&env, &["log", "ada-grace"]));
}

/// A version after a broken commit is summarised against the last version
/// that parsed, so the break never hides what changed across it.
#[test]
fn a_change_across_a_broken_commit_is_summarised() {
    let env = Env::with_git();
    env.write("agreements/ada-grace.yaml", ada());
    env.commit_all("propose", "2026-01-08T10:00:00Z");
    env.write("agreements/ada-grace.yaml", "title: [broken\n");
    env.commit_all("break it", "2026-01-09T10:00:00Z");
    env.write(
        "agreements/ada-grace.yaml",
        ada().replace("cadence: biweekly", "cadence: weekly"),
    );
    env.commit_all("mend it, meeting weekly", "2026-01-10T10:00:00Z");
    let log = log_json(&env, "ada-grace");
    let summaries: Vec<&str> = log["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| v["summary"].as_str().expect("summary"))
        .collect();
    assert_eq!(summaries.len(), 3, "{log:#}");
    assert!(summaries[0].contains("meetings.cadence"), "{log:#}");
    assert_eq!(summaries[1..], ["does not parse", "created"], "{log:#}");
}

#[test]
fn only_the_first_parent_chain_counts() {
    let env = Env::with_git();
    env.write("agreements/ada-grace.yaml", ada());
    env.commit_all("propose", "2026-01-08T10:00:00Z");
    env.git(&["checkout", "-q", "-b", "draft"]);
    env.write(
        "agreements/ada-grace.yaml",
        ada().replace("cadence: biweekly", "cadence: weekly"),
    );
    env.commit_all("draft 1", "2026-01-09T10:00:00Z");
    env.write(
        "agreements/ada-grace.yaml",
        ada().replace("cadence: biweekly", "cadence: monthly"),
    );
    env.commit_all("draft 2", "2026-01-10T10:00:00Z");
    env.git(&["checkout", "-q", "main"]);
    env.git_at(
        &[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "merge the amendment",
            "draft",
        ],
        "2026-01-11T10:00:00Z",
    );
    let log = log_json(&env, "ada-grace");
    let versions = log["versions"].as_array().unwrap();
    assert_eq!(
        versions.len(),
        2,
        "drafts inside the branch are not part of the record"
    );
    assert_eq!(versions[0]["date"], "2026-01-11");
    assert_eq!(
        versions[0]["summary"],
        "meetings.cadence biweekly → monthly"
    );
    insta::assert_snapshot!(snap::run(&env, &["log", "ada-grace"]));
}

#[test]
fn log_errors_are_clear() {
    let env = Env::with_git();
    insta::assert_snapshot!("no_commits", snap::run(&env, &["log", "ada-grace"]));
    env.write("agreements/ada-grace.yaml", ada());
    env.commit_all("propose", "2026-01-08T10:00:00Z");
    insta::assert_snapshot!("unknown_id", snap::run(&env, &["log", "nobody"]));
    insta::assert_snapshot!("misspelt_id", snap::run(&env, &["log", "ada-grac"]));
    insta::assert_snapshot!("path_as_id", snap::run(&env, &["log", "../etc"]));
}

#[test]
fn a_shallow_clone_is_refused_with_the_fix() {
    let env = Env::with_git();
    for (i, cadence) in ["weekly", "biweekly", "monthly"].iter().enumerate() {
        env.write(
            "agreements/ada-grace.yaml",
            ada().replace("cadence: biweekly", &format!("cadence: {cadence}")),
        );
        env.commit_all("step", &format!("2026-01-0{}T10:00:00Z", i + 1));
    }
    let source = format!("file://{}", env.repo.display());
    env.git(&["clone", "-q", "--depth", "1", &source, "shallow"]);
    insta::assert_snapshot!(snap::run(&env, &["-C", "shallow", "log", "ada-grace"]));
}

#[test]
fn amend_commits_only_the_agreement_with_the_changes_listed() {
    let env = Env::with_git();
    env.write("agreements/ada-grace.yaml", ada());
    env.commit_all("propose", "2026-01-08T10:00:00Z");
    env.write(
        "agreements/ada-grace.yaml",
        ada()
            .replace("cadence: biweekly", "cadence: monthly")
            .replace("title: Staff-engineer growth", "title: Staff growth"),
    );
    env.write("notes.txt", "staged but not mine\n");
    env.git(&["add", "notes.txt"]);
    let out = env.run(&["amend", "ada-grace", "-m", "Meet monthly"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("amend", snap::render(&env, &out));
    let body = env.git(&["log", "-1", "--format=%B"]);
    insta::assert_snapshot!("commit_message", body);
    let files = env.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files.trim(), "agreements/ada-grace.yaml");
    let status = env.git(&["status", "--porcelain"]);
    assert_eq!(
        status.trim(),
        "A  notes.txt",
        "the user's staged file stays staged"
    );
    assert!(env
        .read("agreements/ada-grace.yaml")
        .contains("cadence: monthly"));
}

#[test]
fn amend_refuses_invalid_and_unchanged_agreements() {
    let env = Env::with_git();
    env.write("agreements/ada-grace.yaml", ada());
    env.commit_all("propose", "2026-01-08T10:00:00Z");
    insta::assert_snapshot!("unchanged", snap::run(&env, &["amend", "ada-grace"]));
    env.write(
        "agreements/ada-grace.yaml",
        ada().replace("end: 2026-07-10", "end: 2025-07-10"),
    );
    insta::assert_snapshot!("invalid", snap::run(&env, &["amend", "ada-grace"]));
    assert_eq!(
        env.git(&["rev-list", "--count", "HEAD"]).trim(),
        "1",
        "nothing committed"
    );
}

#[test]
fn amend_refuses_an_effective_date_inside_the_notice_period() {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    // In the sample, ada-grace's renegotiation was opened on 1 June with 14
    // days' notice (a pending retitle), so nothing may take effect before 15 June.
    let path = "sample/agreements/ada-grace.yaml";
    let text = env.read(path);
    env.write(
        path,
        text.replace("effective: 2026-06-15", "effective: 2026-06-12")
            .replace("cadence: biweekly", "cadence: weekly"),
    );
    let out = env.run(&[
        "-C",
        "sample",
        "amend",
        "ada-grace",
        "--today",
        "2026-06-10",
    ]);
    insta::assert_snapshot!("too_early", snap::render(&env, &out));
    env.write(
        path,
        text.replace("effective: 2026-06-15", "effective: 2026-06-16")
            .replace("cadence: biweekly", "cadence: weekly"),
    );
    let out = env.run(&[
        "-C",
        "sample",
        "amend",
        "ada-grace",
        "--today",
        "2026-06-10",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("after_the_notice", snap::render(&env, &out));
}
