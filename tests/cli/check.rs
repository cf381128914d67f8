//! `charter check`: the CI gate, on the demo's real repository (real
//! sign-offs with throwaway keys) and on pull-request branches made from it.

use crate::common::{stderr, stdout, Env};
use crate::snap;

/// The demo repository, checked out in `sample`, as of 2026-06-10.
fn sample() -> Env {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    // A branch name that does not depend on git's default.
    env.git(&["-C", "sample", "checkout", "-q", "-b", "base"]);
    env
}

fn git(env: &Env, args: &[&str], date: &str) -> String {
    let mut all = vec!["-C", "sample"];
    all.extend_from_slice(args);
    env.git_at(&all, date)
}

fn check(env: &Env, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut args = vec![
        "-C",
        "sample",
        "check",
        "--format",
        "json",
        "--today",
        "2026-06-10",
    ];
    args.extend_from_slice(extra);
    let out = env.run(&args);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)));
    (out.status.code(), json)
}

/// `check` in the sample as of 2026-06-10 in FORMAT, as a whole-output
/// snapshot text.
fn check_output(env: &Env, format: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "-C",
        "sample",
        "check",
        "--format",
        format,
        "--today",
        "2026-06-10",
    ];
    args.extend_from_slice(extra);
    snap::run(env, &args)
}

const PR: &[&str] = &["--base", "base", "--head", "pr"];

fn rules(json: &serde_json::Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

/// Start a pull-request branch `pr` in the sample and edit ada-grace.
fn branch_with(env: &Env, edit: impl Fn(String) -> String, date: &str) {
    git(env, &["checkout", "-q", "-b", "pr"], date);
    let path = "sample/agreements/ada-grace.yaml";
    env.write(path, edit(env.read(path)));
    git(env, &["commit", "-q", "-am", "amend ada-grace"], date);
}

#[test]
fn whole_history_reports_the_signed_notice_violation() {
    let env = sample();
    insta::assert_snapshot!("whole_history_text", check_output(&env, "text", &[]));
    insta::assert_snapshot!("whole_history_json", check_output(&env, "json", &[]));
    let (code, json) = check(&env, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(rules(&json), ["notice-period"]);
    let f = &json["findings"][0];
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(11), Some(12)),
        "points at effective"
    );
    let states: Vec<&str> = json["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["pending", "concluded", "declined"]);
}

#[test]
fn an_accepted_finding_no_longer_fails_the_check() {
    let env = sample();
    let (_, json) = check(&env, &[]);
    let commit = json["findings"][0]["commit"].as_str().unwrap().to_owned();
    let settings = format!(
        "charter: 1\naccept:\n  - rule: notice-period\n    commit: {commit}\n    reason: Both agreed in the programme meeting.\n"
    );
    env.write("sample/charter.yaml", settings);
    git(
        &env,
        &["commit", "-q", "-am", "accept the early start"],
        "2026-06-06T10:00:00Z",
    );
    let (code, json) = check(&env, &[]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(rules(&json), Vec::<String>::new());
    insta::assert_snapshot!(check_output(&env, "text", &[]));
}

#[test]
fn a_pull_request_with_an_early_effective_date_gets_notice_pending() {
    let env = sample();
    branch_with(
        &env,
        |t| t.replace("effective: 2026-06-15", "effective: 2026-06-12"),
        "2026-06-09T10:00:00Z",
    );
    insta::assert_snapshot!(check_output(&env, "text", PR));
    let (code, json) = check(&env, PR);
    assert_eq!(code, Some(1), "the amendment is not signed: {json:#}");
    assert_eq!(
        rules(&json),
        ["notice-pending", "unsigned"],
        "the old violation on base is not this pull request's"
    );
    let pending = &json["agreements"][0]["pending"];
    assert_eq!(pending["opened"], "2026-06-01");
    assert_eq!(pending["earliest_effective"], "2026-06-15");
    assert_eq!(pending["effective"], "2026-06-12");
    assert_eq!(pending["notice_ok"], false);
}

#[test]
fn a_pull_request_cannot_backdate_its_proposal() {
    let env = sample();
    // Withdraw the pending retitle and propose a new change, dated long ago.
    git(
        &env,
        &["checkout", "-q", "-b", "pr"],
        "2026-06-09T10:00:00Z",
    );
    let path = "sample/agreements/ada-grace.yaml";
    let text = env
        .read(path)
        .replace("cadence: biweekly", "cadence: weekly")
        .replace("effective: 2026-06-15", "effective: 2026-06-20");
    env.write(path, text);
    git(
        &env,
        &["commit", "-q", "-am", "backdated"],
        "2026-01-01T10:00:00Z",
    );
    insta::assert_snapshot!(check_output(&env, "text", PR));
    let (_, json) = check(&env, PR);
    assert!(
        rules(&json).contains(&"suspicious-time".to_owned()),
        "{json:#}"
    );
    // It lands today at the earliest: opened stays with the pending proposal of 1 June.
    assert_eq!(json["agreements"][0]["pending"]["opened"], "2026-06-01");
}

#[test]
fn the_trust_root_and_settings_come_from_base() {
    let env = sample();
    git(
        &env,
        &["checkout", "-q", "-b", "pr"],
        "2026-06-09T10:00:00Z",
    );
    // The pull request tries to silence a rule and adds a key of its own.
    env.write(
        "sample/charter.yaml",
        "charter: 1\nlint:\n  deny: []\n  allow: [goal-missing-evidence]\n",
    );
    let mut signers = env.read("sample/allowed_signers");
    signers.push_str("mallory@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMzhPwZPJ5D8DBWPgVQ5dRS8D1iT6h8kaZ1PM8DAR2l7\n");
    env.write("sample/allowed_signers", signers);
    let path = "sample/agreements/priya-morgan-reverse.yaml";
    let text = env.read(path).replace(
        "    evidence: The merged pull request and the review comments on it.\n",
        "",
    );
    env.write(path, text);
    git(
        &env,
        &["commit", "-q", "-am", "relax the gate"],
        "2026-06-09T10:00:00Z",
    );
    insta::assert_snapshot!(check_output(&env, "text", PR));
    let (_, json) = check(&env, PR);
    let found = rules(&json);
    assert!(
        found.contains(&"goal-missing-evidence".to_owned()),
        "base's settings apply: {found:?}"
    );
    assert!(found.contains(&"trust-root-change".to_owned()), "{found:?}");
}

#[test]
fn removing_a_key_lists_the_sign_offs_it_would_invalidate() {
    let env = sample();
    git(
        &env,
        &["checkout", "-q", "-b", "pr"],
        "2026-06-09T10:00:00Z",
    );
    let signers = env.read("sample/allowed_signers");
    let kept: String = signers
        .lines()
        .filter(|l| !l.starts_with("sam.okafor@"))
        .map(|l| format!("{l}\n"))
        .collect();
    env.write("sample/allowed_signers", kept);
    git(
        &env,
        &["commit", "-q", "-am", "drop Sam's key"],
        "2026-06-09T10:00:00Z",
    );
    insta::assert_snapshot!(check_output(&env, "text", PR));
    let (_, json) = check(&env, PR);
    let f = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "trust-root-change")
        .unwrap();
    assert_eq!(f["severity"], "warning");
}

#[test]
fn sign_offs_are_append_only_and_signed_agreements_stay() {
    let env = sample();
    git(
        &env,
        &["checkout", "-q", "-b", "pr"],
        "2026-06-09T10:00:00Z",
    );
    // The newest sign-off (the mentor's of the pending retitle): removing
    // it leaves the signed versions signed.
    let newest = git(
        &env,
        &[
            "log",
            "-1",
            "--diff-filter=A",
            "--format=",
            "--name-only",
            "--",
            "signoffs/ada-grace",
        ],
        "2026-06-09T10:00:00Z",
    );
    std::fs::remove_file(env.path(&format!("sample/{}", newest.trim()))).unwrap();
    std::fs::remove_file(env.path("sample/agreements/ada-grace.yaml")).unwrap();
    // A concluded agreement may go; its record stays in history.
    std::fs::remove_file(env.path("sample/agreements/lin-sam-onboarding.yaml")).unwrap();
    let checkins = env.path("sample/checkins/ada-grace");
    // The oldest: file names start with the date, and directory order is
    // the file system's.
    let checkin = std::fs::read_dir(&checkins)
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    std::fs::remove_file(checkin).unwrap();
    git(
        &env,
        &["commit", "-q", "-am", "tidy up"],
        "2026-06-09T10:00:00Z",
    );
    insta::assert_snapshot!(check_output(&env, "text", PR));
    let (code, json) = check(&env, PR);
    assert_eq!(code, Some(1));
    let found = rules(&json);
    assert!(found.contains(&"signoff-modified".to_owned()), "{found:?}");
    assert!(found.contains(&"checkin-modified".to_owned()), "{found:?}");
    let removed: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "agreement-removed")
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(removed, ["agreements/ada-grace.yaml"], "{json:#}");
}

#[test]
fn a_path_changed_on_both_sides_needs_a_rebase() {
    let env = sample();
    git(
        &env,
        &["checkout", "-q", "-b", "pr"],
        "2026-06-09T10:00:00Z",
    );
    let path = "sample/agreements/priya-morgan-reverse.yaml";
    env.write(path, env.read(path).replace("length: 1h", "length: 45m"));
    git(
        &env,
        &["commit", "-q", "-am", "shorter"],
        "2026-06-09T10:00:00Z",
    );
    git(&env, &["checkout", "-q", "base"], "2026-06-09T10:00:00Z");
    env.write(path, env.read(path).replace("length: 1h", "length: 90m"));
    git(
        &env,
        &["commit", "-q", "-am", "longer"],
        "2026-06-09T11:00:00Z",
    );
    insta::assert_snapshot!(check_output(&env, "text", PR));
    let (code, json) = check(&env, PR);
    assert_eq!(code, Some(1));
    assert!(
        rules(&json).contains(&"rebase-needed".to_owned()),
        "{json:#}"
    );
}

#[test]
fn github_markdown_and_sarif_formats() {
    let env = sample();
    let summary = env.path("step-summary.md");
    let out = env
        .charter(&[
            "-C",
            "sample",
            "check",
            "--format",
            "github",
            "--today",
            "2026-06-10",
        ])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("github", snap::render(&env, &out));
    let report = std::fs::read_to_string(&summary).unwrap();
    insta::assert_snapshot!("github_step_summary", snap::redact(&env, &report));

    insta::assert_snapshot!("markdown", check_output(&env, "markdown", &[]));

    let out = env.run(&[
        "-C",
        "sample",
        "check",
        "--format",
        "sarif",
        "--today",
        "2026-06-10",
    ]);
    insta::assert_snapshot!("sarif", snap::render(&env, &out));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "notice-period");
}

#[test]
fn check_errors_exit_two() {
    let env = sample();
    let out = env.run(&["-C", "sample", "check", "--base", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("unknown_base", snap::render(&env, &out));
    let source = format!("file://{}", env.path("sample").display());
    env.git(&["clone", "-q", "--depth", "1", &source, "shallow"]);
    let out = env.run(&["-C", "shallow", "check"]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("shallow_clone", snap::render(&env, &out));
}

#[test]
fn a_fresh_layout_passes_the_gate() {
    let env = Env::new();
    assert_eq!(env.run(&["init"]).status.code(), Some(0));
    env.commit_all("charter init", "2026-06-01T10:00:00Z");
    let out = env.run(&["check", "--format", "json", "--today", "2026-06-10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"], serde_json::json!([]));
    insta::assert_snapshot!(snap::run(&env, &["check", "--today", "2026-06-10"]));
}

#[test]
fn judging_a_pull_request_writes_nothing_and_names_real_commits() {
    let env = sample();
    branch_with(
        &env,
        |t| t.replace("effective: 2026-06-15", "effective: 2026-06-12"),
        "2026-06-09T10:00:00Z",
    );
    let head = git(&env, &["rev-parse", "pr"], "2026-06-09T10:00:00Z")
        .trim()
        .to_owned();
    let objects = || git(&env, &["count-objects", "-v"], "2026-06-09T10:00:00Z");
    let before = objects();
    let (_, json) = check(&env, &["--base", "base", "--head", "pr"]);
    assert_eq!(objects(), before, "no objects written");
    assert_eq!(json["findings"][0]["commit"], head.as_str());
}

#[test]
fn concluding_needs_one_signature_and_no_notice() {
    // In the sample, Sam concluded Lin's agreement alone, on the day he
    // committed it, though the notice period is a week.
    let env = sample();
    let out = env.run(&[
        "-C",
        "sample",
        "log",
        "lin-sam-onboarding",
        "--format",
        "json",
        "--today",
        "2026-06-10",
    ]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    insta::assert_snapshot!(snap::run(
        &env,
        &[
            "-C",
            "sample",
            "log",
            "lin-sam-onboarding",
            "--today",
            "2026-06-10"
        ]
    ));
    assert_eq!(log["state"], "concluded");
    assert_eq!(log["versions"][0]["state"], "in-force");
    assert_eq!(
        log["versions"][0]["signed_by"],
        serde_json::json!(["mentor"])
    );
    assert_eq!(log["versions"][0]["takes_effect"], "2026-06-05");
    let (_, json) = check(&env, &[]);
    let about_the_conclusion: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "notice-pending" || f["rule"] == "notice-period")
        .filter(|f| f["message"].as_str().unwrap().contains("2026-06-05"))
        .collect();
    assert!(about_the_conclusion.is_empty(), "{json:#}");
}

#[test]
fn stray_files_among_sign_offs_are_not_sign_offs() {
    let env = sample();
    env.write(
        "sample/signoffs/ada-grace/README.md",
        "notes about these files\n",
    );
    git(&env, &["add", "-A"], "2026-06-09T10:00:00Z");
    git(
        &env,
        &["commit", "-q", "-m", "readme"],
        "2026-06-09T10:00:00Z",
    );
    let out = env.run(&[
        "-C",
        "sample",
        "verify",
        "--format",
        "json",
        "--today",
        "2026-06-10",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    insta::assert_snapshot!(snap::run(
        &env,
        &["-C", "sample", "verify", "--today", "2026-06-10"]
    ));
}

#[test]
fn a_closed_pipe_keeps_the_verdict() {
    use std::process::Stdio;
    let env = sample();
    let mut child = env
        .process(assert_cmd::cargo::cargo_bin("charter"))
        .args([
            "-C",
            "sample",
            "check",
            "--format",
            "sarif",
            "--today",
            "2026-06-10",
        ])
        .current_dir(&env.repo)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(1));
}
