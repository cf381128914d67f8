//! Alias expansion is bounded in bytes as well as in values: one large anchor
//! repeated thousands of times is a `yaml-syntax` finding in every command
//! that reads agreements, and each finishes within a fixed address space.

use std::process::Output;

use crate::common::{example, findings_json, stderr, stdout, Env};

/// 400 MB of address space: plenty for charter, far less than the 800 MB
/// the expansion below would take.
const ADDRESS_SPACE: &str = "--as=400000000";

const BOMB: &str = "agreements/bomb.yaml";

/// A 412 KB file whose 400 KB anchor is referenced 2,000 times.
fn bomb() -> String {
    let mut text = format!("charter: 1\ntitle: &big {}\nnotes: [", "x".repeat(400_000));
    text.push_str(&["*big"; 2_000].join(", "));
    text.push_str("]\n");
    text
}

/// charter ARGS under the address-space limit.
fn capped(env: &Env, args: &[&str]) -> Output {
    env.program("prlimit")
        .arg(ADDRESS_SPACE)
        .arg(assert_cmd::cargo::cargo_bin("charter"))
        .args(args)
        .output()
        .unwrap()
}

fn assert_finished(out: &Output, what: &str) {
    assert!(
        out.status.code().is_some(),
        "{what}: killed by a signal: {}",
        stderr(out)
    );
    assert!(!stderr(out).contains("panicked"), "{what}: {}", stderr(out));
    assert!(
        !stderr(out).contains("memory allocation"),
        "{what}: {}",
        stderr(out)
    );
}

fn assert_bomb_finding(out: &Output, what: &str) {
    assert_finished(out, what);
    assert_eq!(out.status.code(), Some(1), "{what}: {}", stderr(out));
    let report = findings_json(out);
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == BOMB)
        .unwrap_or_else(|| panic!("{what}: no finding for the file: {report:#}"))
        .clone();
    assert_eq!(finding["rule"], "yaml-syntax", "{what}: {finding:#}");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("bytes of text (aliases included)"),
        "{what}: {finding:#}"
    );
    assert_eq!(finding["line"], 3, "{what}: {finding:#}");
}

#[test]
fn a_large_anchor_repeated_is_a_finding_in_bounded_memory() {
    let env = Env::with_git();
    // The limit leaves charter room to work on an ordinary agreement.
    env.write("agreements/ada-grace.yaml", example("ada-grace.yaml"));
    let out = capped(&env, &["validate", "agreements/ada-grace.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    env.write(BOMB, bomb());
    let out = capped(&env, &["validate", "--format", "json", BOMB]);
    assert_bomb_finding(&out, "validate");

    env.commit_all("Add agreements", "2026-01-05T10:00:00Z");
    let out = capped(&env, &["check", "--format", "json"]);
    assert_bomb_finding(&out, "check");

    // A working-tree change: diff, textconv and the git diff driver read both sides.
    env.write(BOMB, format!("{}# changed\n", bomb()));
    let out = capped(&env, &["diff", "--", BOMB]);
    assert_finished(&out, "diff");
    assert!(
        stderr(&out).contains("bytes of text") || stdout(&out).contains("bytes of text"),
        "diff: {}{}",
        stdout(&out),
        stderr(&out)
    );

    let out = capped(&env, &["textconv", BOMB]);
    assert_finished(&out, "textconv");
    assert_eq!(out.status.code(), Some(0), "textconv: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("{}# changed\n", bomb()),
        "shown unchanged"
    );

    let old = env.path("old.yaml");
    std::fs::write(&old, bomb()).unwrap();
    let zero = "0000000000000000000000000000000000000000";
    let out = capped(
        &env,
        &[
            "git-diff",
            BOMB,
            old.to_str().unwrap(),
            zero,
            "100644",
            env.path(BOMB).to_str().unwrap(),
            zero,
            "100644",
        ],
    );
    assert_finished(&out, "git-diff");
    assert_eq!(out.status.code(), Some(0), "git-diff: {}", stderr(&out));
    assert!(
        stdout(&out).contains("bytes of text"),
        "git-diff: {}",
        &stdout(&out)[..stdout(&out).len().min(2000)]
    );
}
