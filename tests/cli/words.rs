//! Plain words where people read: v-numbers beside version ids, a legend
//! under diffs, a readable summary for a new agreement in the pull-request
//! comment, and reordered goals as an editorial change.

use std::process::Output;

use crate::common::{stderr, stdout, Env};
use crate::snap;

fn sample() -> Env {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    env.git(&["-C", "sample", "checkout", "-q", "-b", "base"]);
    env
}

/// `charter -C sample ARGS`, which must decide (exit 0 or 1).
fn output(env: &Env, args: &[&str]) -> Output {
    let mut all = vec!["-C", "sample"];
    all.extend_from_slice(args);
    let out = env.run(&all);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        stderr(&out)
    );
    out
}

fn run(env: &Env, args: &[&str]) -> String {
    stdout(&output(env, args))
}

/// [`output`] as a whole-output snapshot text, and its stdout.
fn snapshot(env: &Env, args: &[&str]) -> (String, String) {
    let out = output(env, args);
    (snap::render(env, &out), stdout(&out))
}

#[test]
fn versions_are_numbered_beside_their_ids() {
    let env = sample();
    let (whole, log) = snapshot(&env, &["log", "ada-grace", "--today", "2026-06-10"]);
    insta::assert_snapshot!("log", whole);
    let numbered: Vec<&str> = log
        .lines()
        .filter_map(|l| l.split("  ").nth(1))
        .filter(|w| w.starts_with('v'))
        .collect();
    assert_eq!(numbered.len(), 3, "{log}");
    for (word, n) in numbered.iter().zip(["v3 (", "v2 (", "v1 ("]) {
        assert!(word.starts_with(n) && word.len() == n.len() + 13, "{word}");
    }
    assert_eq!(log.matches("legend: ").count(), 1, "{log}");
    assert!(log.contains("14 days' notice"), "{log}");

    let (whole, status) = snapshot(&env, &["status", "--today", "2026-06-10"]);
    insta::assert_snapshot!("status", whole);
    assert!(status.contains("  in force: v2 ("), "{status}");
    assert!(status.contains("  pending: v3 ("), "{status}");
    // The same numbers in show.
    let (whole, show) = snapshot(
        &env,
        &["show", "ada-grace", "--pending", "--today", "2026-06-10"],
    );
    insta::assert_snapshot!("show_pending", whole);
    assert!(show.contains("version v3 ("), "{show}");
    // And in verify, one line per version, newest first.
    let (whole, verify) = snapshot(&env, &["verify", "ada-grace", "--today", "2026-06-10"]);
    insta::assert_snapshot!("verify", whole);
    let versions: Vec<&str> = verify
        .lines()
        .filter_map(|l| l.strip_prefix("  v"))
        .map(|l| &l[..1])
        .collect();
    assert_eq!(versions, ["3", "2", "1"], "{verify}");
    assert!(
        verify.contains("  v3 (64adcb2ba133)  2026-06-01"),
        "{verify}"
    );
    // And in the pull-request comment's heading of each changed agreement.
    let (whole, md) = snapshot(
        &env,
        &[
            "check",
            "--base",
            "HEAD~3",
            "--format",
            "markdown",
            "--today",
            "2026-06-10",
        ],
    );
    insta::assert_snapshot!("check_markdown", whole);
    assert!(
        md.contains("### `lin-sam-onboarding` v3 (4f893d3acf50) (concluded)"),
        "{md}"
    );
}

#[test]
fn a_legend_is_printed_once_under_text_and_markdown_diffs() {
    let env = sample();
    let first = env
        .git(&["-C", "sample", "rev-list", "--max-parents=0", "HEAD"])
        .trim()
        .to_owned();
    let (whole, text) = snapshot(&env, &["diff", &first, "HEAD", "--color", "never"]);
    insta::assert_snapshot!("diff_text", whole);
    assert!(text.matches("agreements/").count() >= 2, "{text}");
    assert_eq!(text.matches("legend: ").count(), 1, "{text}");
    assert!(
        text.trim_end().ends_with("(editorial) needs no notice"),
        "{text}"
    );
    assert!(text.contains("↕ moved"), "{text}");
    let (whole, md) = snapshot(&env, &["diff", &first, "HEAD", "--format", "markdown"]);
    insta::assert_snapshot!("diff_markdown", whole);
    assert_eq!(md.matches("_Legend: ").count(), 1, "{md}");
    // No legend without a diff, and none in JSON.
    let (whole, none) = snapshot(&env, &["diff", "HEAD", "HEAD"]);
    insta::assert_snapshot!("diff_nothing", whole);
    assert!(!none.contains("legend"), "{none}");
    let json = run(&env, &["diff", &first, "HEAD", "--format", "json"]);
    let _: serde_json::Value = serde_json::from_str(&json).unwrap();
}

#[test]
fn a_new_agreement_reads_as_a_summary_in_the_pull_request_comment() {
    let env = sample();
    env.git(&["-C", "sample", "checkout", "-q", "-b", "pr"]);
    let new = env
        .read("sample/agreements/lin-sam-onboarding.yaml")
        .replace("Lin with Sam", "Kim with Sam")
        .replace("lin.chen@example.com", "kim@example.com")
        .replace("Lin Chen", "Kim Park");
    env.write("sample/agreements/kim-sam.yaml", new);
    env.git(&["-C", "sample", "add", "-A"]);
    env.git_at(
        &["-C", "sample", "commit", "-qm", "propose kim-sam"],
        "2026-06-09T10:00:00Z",
    );
    let (whole, md) = snapshot(
        &env,
        &[
            "check",
            "--base",
            "base",
            "--head",
            "pr",
            "--format",
            "markdown",
            "--today",
            "2026-06-10",
        ],
    );
    insta::assert_snapshot!("new_agreement_markdown", whole);
    let section = &md[md.find("### `kim-sam`").expect(&md)..];
    assert!(section.contains("new agreement:"), "{section}");
    assert!(
        section.contains("| Goal | Measure | Due | Evidence | Status |"),
        "{section}"
    );
    assert!(
        section.contains("**Mentee:** Kim Park (kim@example.com)"),
        "{section}"
    );
    assert!(section.contains("#### Purpose"), "{section}");
    assert!(
        !section.contains("{id:") && !section.contains("id: "),
        "{section}"
    );
}

#[test]
fn reordering_goals_is_editorial() {
    let env = sample();
    let path = "sample/agreements/lin-sam-onboarding.yaml";
    let yaml = env.read(path);
    // Swap the first two goals, keeping every word.
    let start = yaml.find("  - id: ").unwrap();
    let second = start + 1 + yaml[start + 1..].find("  - id: ").unwrap();
    let end = second
        + 1
        + yaml[second + 1..]
            .find("  - id: ")
            .or_else(|| yaml[second + 1..].find("\nmeetings:").map(|i| i + 1))
            .unwrap();
    let swapped = format!(
        "{}{}{}{}",
        &yaml[..start],
        &yaml[second..end],
        &yaml[start..second],
        &yaml[end..]
    );
    assert_ne!(swapped, yaml);
    env.write(path, swapped);
    let (whole, out) = snapshot(&env, &["diff", "--color", "never"]);
    insta::assert_snapshot!("reordered_goals", whole);
    assert!(
        out.contains("0 material changes") || out.contains(": 1 editorial change"),
        "{out}"
    );
    assert!(out.contains("↕ moved"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&run(&env, &["diff", "--format", "json"])).unwrap();
    let changes = json["agreements"][0]["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    assert!(changes
        .iter()
        .all(|c| c["kind"] == "moved" && c["material"] == false));
}
