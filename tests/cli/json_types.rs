//! The JSON documents in `charter::json` read the real binary's output on
//! the demo repository, and write it back byte for byte: a command that
//! prints something other than its document, or a type that does not read
//! what it writes (a skipped field without a default, a value its
//! deserialiser refuses), fails here. The shape itself is pinned by
//! `json_docs.rs` against docs/json.md.

use serde::de::DeserializeOwned;
use serde::Serialize;

use charter::agreement::Role;
use charter::rules::{AgreementState, VersionState};

use crate::common::{stderr, Env};

/// Run charter in the demo repository and read its stdout as `T`, then
/// check that `T` writes exactly the JSON value that was read, and the same
/// bytes (pretty or compact, as the command prints them).
fn round_trip<T: DeserializeOwned + Serialize>(env: &Env, args: &[&str]) -> T {
    let mut all = vec!["-C", "sample"];
    all.extend_from_slice(args);
    let out = env.run(&all);
    let real: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", stderr(&out)));
    let typed: T = serde_json::from_value(real.clone())
        .unwrap_or_else(|e| panic!("{args:?}: does not fit the type ({e}): {real:#}"));
    let again = serde_json::to_value(&typed).unwrap();
    assert_eq!(
        again, real,
        "{args:?}: the type does not write what it read"
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    let written = if printed.starts_with("{\n") {
        serde_json::to_string_pretty(&typed).unwrap()
    } else {
        serde_json::to_string(&typed).unwrap()
    };
    assert_eq!(
        printed.trim_end(),
        written,
        "{args:?}: the type writes other bytes"
    );
    typed
}

/// `args` in JSON, judged on the day the demo's lists are not empty (as in
/// docs/json.md).
fn with<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json", "--today", "2026-06-10"]);
    all
}

#[test]
fn machine_output_reads_back_into_the_json_types() {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));

    env.write(
        "sample/agreements/broken.yaml",
        "charter: 1\ntitle: <title>\n",
    );
    let findings: charter::json::Findings = round_trip(
        &env,
        &["validate", "agreements/broken.yaml", "--format", "json"],
    );
    assert!(findings.summary.errors > 0, "{findings:?}");
    assert!(findings
        .findings
        .iter()
        .all(|f| f.file == "agreements/broken.yaml"));
    std::fs::remove_file(env.path("sample/agreements/broken.yaml")).unwrap();

    let verify: charter::json::Verify = round_trip(&env, &["verify", "--format", "json"]);
    assert!(verify.summary.valid > 0, "{verify:?}");
    assert_eq!(
        verify.summary.valid + verify.summary.invalid,
        verify.signoffs.len()
    );

    let diff: charter::json::Diff =
        round_trip(&env, &["diff", "HEAD~3", "HEAD", "--format", "json"]);
    assert!(
        diff.agreements.iter().any(|a| !a.changes.is_empty()),
        "{diff:?}"
    );
    assert!(diff
        .agreements
        .iter()
        .all(|a| a.from.is_some() || a.to.is_some()));

    let check: charter::json::Check = round_trip(&env, &with(&["check"]));
    assert_eq!(check.agreements.len(), 3, "{check:?}");
    assert_eq!(
        check.summary,
        charter::finding::Summary::of(&check.findings)
    );

    let status: charter::json::Status = round_trip(&env, &with(&["status"]));
    assert_eq!(status.agreements.len(), 3, "{status:?}");
    let reverse = status
        .agreements
        .iter()
        .find(|a| a.id == "priya-morgan-reverse")
        .expect("the declined agreement");
    assert_eq!(reverse.state, AgreementState::Declined);
    assert!(reverse.needs_attention());
    let pending = reverse.pending.as_ref().expect("its proposal");
    assert_eq!(pending.declined_by, [Role::Mentee]);
    assert_eq!(pending.signed_by, [Role::Mentor]);
    let ada = status
        .agreements
        .iter()
        .find(|a| a.id == "ada-grace")
        .expect("ada-grace");
    assert!(ada.in_force.is_some() && !ada.goals.is_empty(), "{ada:?}");

    let log: charter::json::Log = round_trip(&env, &with(&["log", "ada-grace"]));
    assert_eq!(log.agreement, "ada-grace");
    assert!(log.versions.len() >= 3, "{log:?}");
    assert!(log
        .versions
        .iter()
        .any(|v| v.state == VersionState::InForce && v.signed_by == Role::BOTH));
    assert!(log.checkins.len() >= 3 && log.checkins.iter().all(|c| c.valid));

    let report: charter::json::Report = round_trip(&env, &with(&["report"]));
    assert_eq!(report.total, report.agreements.len());
    assert_eq!(report.by_state.values().sum::<usize>(), report.total);
    assert_eq!(
        report.by_state.get("declined"),
        Some(&1),
        "{:?}",
        report.by_state
    );

    // A pull request that changes an agreement without signing it: the
    // finding and the pending version's missing roles read back.
    let base = env.git(&["-C", "sample", "branch", "--show-current"]);
    let base = base.trim();
    env.git(&["-C", "sample", "checkout", "-q", "-b", "pr"]);
    let file = "sample/agreements/ada-grace.yaml";
    let text = env.read(file);
    let retitled: String = text
        .lines()
        .map(|l| {
            if l.starts_with("title: ") {
                "title: A retitled agreement".to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(retitled, text.trim_end());
    env.write(file, retitled + "\n");
    env.git_at(
        &["-C", "sample", "commit", "-q", "-am", "retitle"],
        "2026-06-08T10:00:00Z",
    );
    let pr: charter::json::Check =
        round_trip(&env, &with(&["check", "--base", base, "--head", "pr"]));
    assert!(pr.summary.errors > 0, "{pr:?}");
    assert!(pr
        .findings
        .iter()
        .any(|f| f.rule == "unsigned" && f.file == "agreements/ada-grace.yaml"));
    let changed = pr
        .agreements
        .iter()
        .find(|a| a.id == "ada-grace")
        .and_then(|a| a.pending.as_ref())
        .expect("the unsigned amendment is pending");
    assert_eq!(changed.missing, Role::BOTH);
}
