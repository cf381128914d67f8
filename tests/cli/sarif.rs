//! `check --format sarif`: valid against the official SARIF 2.1.0 schema
//! (vendored in tests/sarif/), and what GitHub code scanning needs beyond
//! it: rule descriptions, a region for every result, stable fingerprints.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{stderr, stdout, Env, NOW};

fn schema() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sarif/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the official schema compiles")
}

fn assert_valid(sarif: &Value) {
    let validator = schema();
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{sarif:#}");
}

/// The demo repository in `sample`, with its main line as branch `base`.
fn sample() -> Env {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    env.git(&["-C", "sample", "checkout", "-q", "-b", "base"]);
    env
}

/// A pull-request branch from `base` that edits a sign-off file, breaks an
/// agreement's schema and has a commit dated before its parent: its first
/// commit at `date`, the second at `earlier`.
fn branch(env: &Env, name: &str, date: &str, earlier: &str) {
    let git = |args: &[&str], date: &str| {
        let mut all = vec!["-C", "sample"];
        all.extend_from_slice(args);
        env.git_at(&all, date)
    };
    git(&["checkout", "-q", "-B", name, "base"], date);
    let dir = env.path("sample/signoffs/ada-grace");
    let mut signoffs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    signoffs.sort();
    let signoff = &signoffs[0];
    let text = std::fs::read_to_string(signoff).unwrap();
    std::fs::write(
        signoff,
        text.replace("waive_notice: false", "waive_notice: true"),
    )
    .unwrap();
    git(&["commit", "-q", "-am", "waive after all"], date);
    let path = "sample/agreements/ada-grace.yaml";
    env.write(path, format!("{}colour: blue\n", env.read(path)));
    git(&["commit", "-q", "-am", "add a colour"], earlier);
    git(&["checkout", "-q", "base"], date);
}

fn scenario() -> Env {
    let env = sample();
    branch(&env, "pr", "2026-06-09T10:00:00Z", "2026-06-01T10:00:00Z");
    env
}

fn sarif(env: &Env, head: &str, today: &str) -> Value {
    let out = env.run(&[
        "-C", "sample", "check", "--base", "base", "--head", head, "--format", "sarif", "--today",
        today,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)))
}

fn results(sarif: &Value) -> &Vec<Value> {
    sarif["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn sarif_is_valid_and_complete_for_code_scanning() {
    let env = scenario();
    let sarif = sarif(&env, "pr", "2026-06-10");
    assert_valid(&sarif);

    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "charter");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["informationUri"], env!("CARGO_PKG_REPOSITORY"));
    // No relative base URI: either none at all, or absolute file:// ones.
    if let Some(bases) = run.get("originalUriBaseIds").and_then(Value::as_object) {
        for base in bases.values() {
            assert!(
                base["uri"].as_str().unwrap().starts_with("file:///"),
                "{base}"
            );
        }
    }
    let rules = driver["rules"].as_array().unwrap();
    for rule in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            let text = rule[key]["text"].as_str().unwrap_or_default();
            assert!(text.len() > 10, "{}: {key} {rule:#}", rule["id"]);
        }
    }

    let results = results(&sarif);
    let rule_ids: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    for expected in [
        "schema",
        "signoff-modified",
        "invalid-signoff",
        "suspicious-time",
    ] {
        assert!(rule_ids.contains(&expected), "{expected} in {rule_ids:?}");
    }
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        let location = &r["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.is_empty() && !uri.starts_with('/'), "{r:#}");
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(
            location["region"]["startLine"].as_u64().unwrap() >= 1,
            "{r:#}"
        );
        let fingerprint = r["partialFingerprints"]["charterFinding/v1"]
            .as_str()
            .unwrap();
        assert!(fingerprint.len() > 16, "{r:#}");
    }

    // A sign-off finding points at the sign-off's `signature:` line.
    for rule in ["invalid-signoff", "signoff-modified"] {
        let r = results.iter().find(|r| r["ruleId"] == rule).unwrap();
        let location = &r["locations"][0]["physicalLocation"];
        let file = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(file.starts_with("signoffs/ada-grace/"), "{file}");
        let text = env.git(&["-C", "sample", "show", &format!("pr:{file}")]);
        let line = text
            .lines()
            .position(|l| l.starts_with("signature:"))
            .unwrap()
            + 1;
        assert_eq!(location["region"]["startLine"], line, "{rule}: {r:#}");
    }
    // A history finding without a file is shown in a file its commit changed.
    let time = results
        .iter()
        .find(|r| r["ruleId"] == "suspicious-time")
        .unwrap();
    assert_eq!(
        time["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "agreements/ada-grace.yaml"
    );
    // Every result has its own fingerprint.
    let mut prints: Vec<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["charterFinding/v1"]
                .as_str()
                .unwrap()
        })
        .collect();
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), results.len());
}

#[test]
fn whole_history_sarif_is_valid_too() {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    let out = env.run(&[
        "-C",
        "sample",
        "check",
        "--format",
        "sarif",
        "--today",
        "2026-06-10",
    ]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid(&sarif);
    assert_eq!(results(&sarif)[0]["ruleId"], "notice-period");
    // A clean run is valid SARIF with no results.
    let env = Env::new().clocked(NOW);
    env.run(&["init"]);
    env.commit_all("Set up charter", NOW);
    let out = env.run(&["check", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid(&sarif);
    assert_eq!(results(&sarif).len(), 0);
}

#[test]
fn the_validator_rejects_what_code_scanning_would() {
    // The check above can fail: the schema catches a result without a
    // message and a region with line 0.
    let bad = serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "charter"}},
                  "results": [{"ruleId": "x", "locations": [{"physicalLocation": {
                      "artifactLocation": {"uri": "a.yaml"}, "region": {"startLine": 0}}}]}]}]
    });
    assert!(schema().iter_errors(&bad).count() >= 2);
}

/// rule → fingerprints, for comparing runs.
fn fingerprints(sarif: &Value) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in results(sarif) {
        map.entry(r["ruleId"].as_str().unwrap().to_owned())
            .or_default()
            .push(
                r["partialFingerprints"]["charterFinding/v1"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
    }
    map
}

#[test]
fn fingerprints_are_stable_across_runs_days_and_commit_times() {
    let env = scenario();
    let first = sarif(&env, "pr", "2026-06-10");
    let again = sarif(&env, "pr", "2026-06-10");
    assert_eq!(first, again, "two runs write the same SARIF");
    let later = sarif(&env, "pr", "2026-06-20");
    assert_eq!(fingerprints(&first), fingerprints(&later));

    // The same change made at other times (so with other commit ids and
    // times) is the same alert.
    branch(&env, "pr2", "2026-06-09T15:30:00Z", "2026-06-02T08:00:00Z");
    let other = sarif(&env, "pr2", "2026-06-12");
    assert_ne!(
        first["runs"][0]["results"], other["runs"][0]["results"],
        "the commits differ"
    );
    assert_eq!(fingerprints(&first), fingerprints(&other));
}

/// A finding's text comes from the tree that was judged: the pull request
/// merged into its base. Here the base gains a broken `allowed_signers`
/// line after the branch left it; the branch's own tree does not have it,
/// yet its alert gets the same fingerprint as on a branch that merged the
/// base in, because both are judged with the base's file.
#[test]
fn results_are_placed_in_the_judged_tree_not_the_branch() {
    let env = scenario();
    let git = |args: &[&str]| {
        let mut all = vec!["-C", "sample"];
        all.extend_from_slice(args);
        env.git_at(&all, "2026-06-09T12:00:00Z")
    };
    let path = "sample/allowed_signers";
    env.write(
        path,
        format!("{}# added on the base\nnot-a-key-line\n", env.read(path)),
    );
    git(&["commit", "-q", "-am", "a broken trust line"]);
    git(&["checkout", "-q", "-b", "merged", "pr"]);
    git(&["merge", "-q", "--no-edit", "base"]);
    git(&["checkout", "-q", "base"]);
    let fingerprints = |head: &str| -> Vec<String> {
        let sarif = sarif(&env, head, "2026-06-10");
        assert_valid(&sarif);
        results(&sarif)
            .iter()
            .filter(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    == "allowed_signers"
            })
            .map(|r| {
                r["partialFingerprints"]["charterFinding/v1"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    let (branch, merged) = (fingerprints("pr"), fingerprints("merged"));
    assert!(!branch.is_empty(), "the broken line is reported");
    assert_eq!(branch, merged);
}
