//! The JSON documents in `charter::json` read the real binary's output on
//! the demo repository, and write it back unchanged: a field added, removed,
//! renamed or retyped on either side fails here.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::common::{stderr, Env};

/// Run charter in the demo repository and read its stdout as `T`, then
/// check that `T` writes exactly the JSON value that was read.
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
    typed
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
}
