//! `charter diff`, the git diff driver `charter git-diff` and `charter
//! textconv`, against real temporary git repositories.

use serde_json::Value;

use crate::common::{example, stderr, stdout, Env};
use crate::snap;

const ADA: &str = "agreements/ada-grace.yaml";
const LIN: &str = "agreements/lin-sam-onboarding.yaml";

/// The example agreement with the given textual replacements applied.
fn ada(edits: &[(&str, &str)]) -> String {
    let mut text = example("ada-grace.yaml");
    for (from, to) in edits {
        assert!(text.contains(from), "the example has no {from:?}");
        text = text.replacen(from, to, 1);
    }
    text
}

/// A later due date for one goal, a longer notice, an editorial title change.
fn amended() -> String {
    ada(&[
        ("due: 2026-04-30", "due: 2026-05-15"),
        ("notice: 14d", "notice: 21d"),
        (
            "title: Staff-engineer growth",
            "title: Staff engineer growth",
        ),
    ])
}

/// A repository with the example committed at HEAD.
fn committed() -> (Env, String) {
    let env = Env::with_git();
    env.write(ADA, ada(&[]));
    let first = env.commit_all("Add ada-grace", "2026-01-05T10:00:00Z");
    (env, first)
}

/// Run charter, expecting `code`; return stdout.
fn ok(env: &Env, args: &[&str], code: i32) -> String {
    let out = env.run(args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "charter {args:?}\nstdout:\n{}\nstderr:\n{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

fn json(env: &Env, args: &[&str]) -> Value {
    let text = ok(env, args, 0);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The paths of the changes of the only agreement in a JSON report.
fn paths(report: &Value) -> Vec<String> {
    let agreements = report["agreements"].as_array().unwrap();
    assert_eq!(agreements.len(), 1, "{report:#}");
    agreements[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap().to_owned())
        .collect()
}

const AMENDED_TEXT: &str = "\
agreements/ada-grace.yaml: 2 material changes, 1 editorial

goals
  goals[design-review].due
    ± 2026-04-30 → 2026-05-15

renegotiation
  renegotiation.notice
    ± 14d → 21d

title  (editorial)
  ± [-Staff-engineer-]{+Staff engineer+} growth, Ada and Grace

legend: + added, - removed, ± changed (old → new), ↕ moved, [-old-]{+new+} words
        removed and added; ~ counts changed items; (editorial) needs no notice
";

#[test]
fn without_revisions_compares_head_with_the_working_tree() {
    let (env, _) = committed();
    env.write(ADA, amended());
    assert_eq!(ok(&env, &["diff", "--color", "never"], 0), AMENDED_TEXT);
    let coloured = ok(&env, &["diff", "--color", "always"], 0);
    assert!(coloured.contains('\u{1b}'), "{coloured}");
}

#[test]
fn one_revision_compares_it_with_the_working_tree() {
    let (env, first) = committed();
    env.write(ADA, ada(&[("due: 2026-04-30", "due: 2026-05-15")]));
    let second = env.commit_all("Move the design review", "2026-02-01T10:00:00Z");
    env.write(ADA, amended());

    let report = json(&env, &["diff", "HEAD~1", "--format", "json"]);
    assert_eq!(
        paths(&report),
        ["goals[design-review].due", "renegotiation.notice", "title"]
    );
    let entry = &report["agreements"][0];
    assert_eq!(entry["from"]["rev"], first.as_str());
    assert_eq!(entry["to"]["rev"], "worktree");

    // HEAD is the second commit: only what the working tree adds to it.
    let report = json(&env, &["diff", "--format", "json"]);
    assert_eq!(paths(&report), ["renegotiation.notice", "title"]);
    assert_eq!(report["agreements"][0]["from"]["rev"], second.as_str());
}

#[test]
fn two_revisions_compare_commits_and_ignore_the_working_tree() {
    let (env, first) = committed();
    env.write(ADA, amended());
    let second = env.commit_all("Amend", "2026-02-01T10:00:00Z");
    env.write(ADA, ada(&[("cadence: biweekly", "cadence: weekly")]));

    let report = json(&env, &["diff", &first, &second, "--format", "json"]);
    assert_eq!(
        paths(&report),
        ["goals[design-review].due", "renegotiation.notice", "title"]
    );
    let entry = &report["agreements"][0];
    assert_eq!(entry["from"]["rev"], first.as_str());
    assert_eq!(entry["to"]["rev"], second.as_str());

    let range = format!("{first}..{second}");
    assert_eq!(
        json(&env, &["diff", &range, "--format", "json"]),
        report,
        "A..B is A B"
    );
    let symmetric = format!("{first}...{second}");
    assert_eq!(
        json(&env, &["diff", &symmetric, "--format", "json"]),
        report,
        "A...B starts at the merge base, here A"
    );
    let text = ok(&env, &["diff", "HEAD~1", "HEAD", "--color", "never"], 0);
    assert_eq!(text, AMENDED_TEXT);
}

#[test]
fn json_has_the_documented_shape() {
    let (env, first) = committed();
    env.write(ADA, amended());
    let report = json(&env, &["diff", "--format", "json"]);
    let entry = &report["agreements"][0];
    assert_eq!(entry["id"], "ada-grace");
    assert_eq!(entry["from"]["rev"], first.as_str());
    let version = |side: &str| entry[side]["version"].as_str().unwrap().to_owned();
    for side in ["from", "to"] {
        let v = version(side);
        assert!(
            v.len() == 71 && v.starts_with("sha256:"),
            "{side} version {v}"
        );
    }
    assert_ne!(version("from"), version("to"));
    assert_eq!(
        entry["changes"][0],
        serde_json::json!({
            "path": "goals[design-review].due",
            "kind": "changed",
            "old": "2026-04-30",
            "new": "2026-05-15",
            "material": true,
        })
    );
    assert_eq!(entry["changes"][2]["material"], false, "title is editorial");
    assert!(entry.get("line_diff").is_none() && entry.get("findings").is_none());
}

#[test]
fn markdown_has_a_heading_and_headline_per_agreement() {
    let (env, _) = committed();
    env.write(ADA, amended());
    assert_eq!(
        ok(&env, &["diff", "--format", "markdown"], 0),
        "\
### ada-grace

2 material changes, 1 editorial

**goals**

- `goals[design-review].due`: `2026-04-30` → `2026-05-15`

**renegotiation**

- `renegotiation.notice`: `14d` → `21d`

**title** _(editorial)_

- `title`: ~~Staff-engineer~~ **Staff engineer** growth, Ada and Grace

_Legend: ↕ moved, `old` → `new` changed, ~~old~~ **new** words removed and added; an (editorial) change needs no notice._
"
    );
}

#[test]
fn ids_and_paths_after_the_separator_limit_the_diff() {
    let env = Env::with_git();
    env.write(ADA, ada(&[]));
    env.write(LIN, example("lin-sam-onboarding.yaml"));
    env.commit_all("Two agreements", "2026-01-05T10:00:00Z");
    env.write(ADA, amended());
    env.write(
        LIN,
        example("lin-sam-onboarding.yaml").replacen("notice: 7d", "notice: 14d", 1),
    );

    let ids = |report: &Value| -> Vec<String> {
        report["agreements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = json(&env, &["diff", "--format", "json"]);
    assert_eq!(ids(&all), ["ada-grace", "lin-sam-onboarding"]);
    let one = json(
        &env,
        &["diff", "--format", "json", "--", "lin-sam-onboarding"],
    );
    assert_eq!(ids(&one), ["lin-sam-onboarding"]);
    assert_eq!(paths(&one), ["renegotiation.notice"]);
    let by_path = json(&env, &["diff", "--format", "json", "--", ADA]);
    assert_eq!(ids(&by_path), ["ada-grace"]);
    // Paths are relative to the current directory, as in git.
    let from_subdir = json(
        &env,
        &[
            "-C",
            "agreements",
            "diff",
            "--format",
            "json",
            "--",
            "ada-grace.yaml",
        ],
    );
    assert_eq!(ids(&from_subdir), ["ada-grace"]);
    let with_rev = json(
        &env,
        &["diff", "HEAD", "--format", "json", "--", "ada-grace"],
    );
    assert_eq!(ids(&with_rev), ["ada-grace"]);
}

#[test]
fn exit_code_says_whether_anything_differs() {
    let (env, _) = committed();
    assert_eq!(ok(&env, &["diff", "--exit-code"], 0), "");
    env.write(ADA, amended());
    ok(&env, &["diff", "--exit-code"], 1);
    ok(&env, &["diff", "--exit-code", "--format", "json"], 1);
    ok(&env, &["diff"], 0);
    ok(&env, &["diff", "HEAD", "HEAD", "--exit-code"], 0);
}

#[test]
fn a_comment_or_layout_change_is_no_change() {
    let (env, _) = committed();
    let reformatted = ada(&[
        ("# Growth from", "# A comment changed: growth from"),
        ("notice: 14d", "notice: '14d'   # quoted, same value"),
    ]);
    env.write(ADA, reformatted);
    assert_eq!(ok(&env, &["diff", "--exit-code"], 0), "");
    assert_eq!(
        json(&env, &["diff", "--format", "json"]),
        serde_json::json!({"agreements": []})
    );
}

#[test]
fn added_and_removed_agreements_are_shown_whole() {
    let (env, _) = committed();
    env.write(LIN, example("lin-sam-onboarding.yaml"));
    std::fs::remove_file(env.path(ADA)).unwrap();

    let report = json(&env, &["diff", "--format", "json"]);
    let agreements = report["agreements"].as_array().unwrap();
    assert_eq!(agreements.len(), 2, "{report:#}");
    let (removed, added) = (&agreements[0], &agreements[1]);
    assert_eq!(removed["id"], "ada-grace");
    assert!(removed["to"].is_null() && removed["from"]["version"].is_string());
    assert_eq!(added["id"], "lin-sam-onboarding");
    assert!(added["from"].is_null() && added["to"]["rev"] == "worktree");
    let kinds = |a: &Value, kind: &str| {
        a["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["kind"] == kind)
    };
    assert!(kinds(removed, "removed") && kinds(added, "added"));
    let sections = |a: &Value| a["changes"].as_array().unwrap().len();
    assert_eq!(sections(removed), 15, "every top-level key of ada-grace");
    assert!(sections(added) >= 13);

    insta::assert_snapshot!(
        "added_and_removed_text",
        snap::run(&env, &["diff", "--color", "never"])
    );
    insta::assert_snapshot!(
        "added_and_removed_markdown",
        snap::run(&env, &["diff", "--format", "markdown"])
    );
}

#[test]
fn an_unparseable_side_falls_back_to_a_line_diff() {
    let (env, _) = committed();
    let broken = ada(&[("  cadence: biweekly", "  cadence: [biweekly")]);
    env.write(ADA, &broken);

    insta::assert_snapshot!(
        "unparseable_text",
        snap::run(&env, &["diff", "--color", "never", "--exit-code"])
    );

    let report = json(&env, &["diff", "--format", "json"]);
    let entry = &report["agreements"][0];
    assert!(entry["from"]["version"].is_string());
    assert!(entry["to"]["version"].is_null(), "{entry:#}");
    assert_eq!(entry["to"]["rev"], "worktree");
    assert_eq!(entry["changes"], serde_json::json!([]));
    assert_eq!(entry["findings"][0]["rule"], "yaml-syntax");
    assert!(entry["findings"][0]["line"].is_u64());
    assert!(entry["line_diff"]
        .as_str()
        .unwrap()
        .contains("+  cadence: [biweekly"));

    insta::assert_snapshot!(
        "unparseable_markdown",
        snap::run(&env, &["diff", "--format", "markdown"])
    );
}

#[test]
fn a_binary_file_is_named_and_skipped() {
    let (env, _) = committed();
    env.write(ADA, b"charter: 1\0\x01\x02binary");
    let text = ok(&env, &["diff", "--color", "never"], 0);
    assert_eq!(
        text,
        "agreements/ada-grace.yaml: binary file, not compared\n"
    );
}

#[test]
fn unknown_revisions_exit_2_with_a_hint() {
    let (env, _) = committed();
    insta::assert_snapshot!(
        "unknown_revision",
        snap::run(&env, &["diff", "no-such-branch"])
    );
    // An agreement id where a revision belongs: point at `--`.
    insta::assert_snapshot!("id_as_revision", snap::run(&env, &["diff", "ada-grace"]));
    insta::assert_snapshot!(
        "unknown_second_revision",
        snap::run(&env, &["diff", "HEAD", "nope"])
    );
}

#[test]
fn an_empty_repository_exits_2() {
    let env = Env::with_git();
    env.write(ADA, ada(&[]));
    insta::assert_snapshot!("no_commits", snap::run(&env, &["diff"]));
    insta::assert_snapshot!(
        "no_commits_with_revision",
        snap::run(&env, &["diff", "main"])
    );
}

#[test]
fn outside_git_exits_2() {
    let env = Env::new();
    env.write(ADA, ada(&[]));
    insta::assert_snapshot!(snap::run(&env, &["diff"]));
}

#[test]
fn paths_outside_the_agreements_directory_exit_2() {
    let (env, _) = committed();
    env.write("notes.yaml", "a: 1\n");
    insta::assert_snapshot!(
        "not_an_agreement",
        snap::run(&env, &["diff", "--", "notes.yaml"])
    );
    insta::assert_snapshot!(
        "outside_the_repository",
        snap::run(&env, &["diff", "--", "../elsewhere.yaml"])
    );
    insta::assert_snapshot!(
        "no_such_agreement",
        snap::run(&env, &["diff", "--", "no-such-agreement"])
    );
}

/// Agreement files are `<id>.yaml`, as history, sign-offs and `check` read
/// them: `diff` does not show a `.yml` file as an agreement that could never
/// be signed, and says how to rename it.
#[test]
fn a_yml_file_is_not_an_agreement_and_the_user_is_told_to_rename_it() {
    let (env, _) = committed();
    env.write(ADA, amended());
    env.write(
        "agreements/lin-sam-onboarding.yml",
        example("lin-sam-onboarding.yaml"),
    );
    // Named after `--`, it is refused.
    insta::assert_snapshot!(
        "yml_named",
        snap::run(&env, &["diff", "--", "agreements/lin-sam-onboarding.yml"])
    );
    // In the whole diff, it is left out with a warning; the agreement is shown.
    insta::assert_snapshot!("yml_listed", snap::run(&env, &["diff", "--color", "never"]));
    let report = json(&env, &["diff", "--format", "json"]);
    let ids: Vec<&str> = report["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ada-grace"]);
    // Unchanged since the revision compared, it is not mentioned again.
    env.commit_all("Add lin-sam-onboarding, misnamed", "2026-01-06T10:00:00Z");
    let out = env.run(&["diff"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}

#[test]
fn a_shallow_clone_missing_the_revision_exits_2() {
    let (env, _) = committed();
    env.write(ADA, amended());
    env.commit_all("Amend", "2026-02-01T10:00:00Z");
    let origin = format!("file://{}", env.repo.display());
    env.git(&["clone", "-q", "--depth", "1", &origin, "shallow"]);
    insta::assert_snapshot!(snap::run(&env, &["-C", "shallow", "diff", "HEAD~1"]));
    // What the clone has still compares.
    assert_eq!(ok(&env, &["-C", "shallow", "diff", "--exit-code"], 0), "");
}

#[test]
fn signed_says_when_nothing_is_in_force() {
    let (env, _) = committed();
    insta::assert_snapshot!(snap::run(&env, &["diff", "--signed"]));
    // What was left out is not agreed: it counts as a difference.
    let out = env.run(&["diff", "--signed", "--exit-code"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
}

#[test]
fn signed_compares_the_version_in_force_with_the_working_tree() {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    // In the sample, ada-grace's second version is in force and a retitled
    // third version (signed by the mentor only) is pending.
    let out = env.run(&[
        "-C",
        "sample",
        "diff",
        "--signed",
        "--format",
        "json",
        "--",
        "ada-grace",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let entry = &json["agreements"][0];
    assert_eq!(entry["id"], "ada-grace");
    assert_eq!(entry["to"]["rev"], "worktree");
    let paths: Vec<&str> = entry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"title"), "{paths:?}");
    assert!(paths.contains(&"effective"), "{paths:?}");
    assert!(
        !paths.contains(&"purpose"),
        "the purpose change is already in force: {paths:?}"
    );
    insta::assert_snapshot!(snap::run(
        &env,
        &["-C", "sample", "diff", "--signed", "--", "ada-grace"]
    ));
}

/// Without `-- ID`, `--signed` compares every agreement that has a version
/// in force and names the ones that have none, instead of failing for all:
/// the sample's priya-morgan-reverse is not signed yet.
#[test]
fn signed_over_the_whole_repository_leaves_out_what_is_not_in_force() {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    let out = env.run(&["-C", "sample", "diff", "--signed", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = json["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ada-grace"]);
    let named = env.run(&[
        "-C",
        "sample",
        "diff",
        "--signed",
        "--format",
        "json",
        "--",
        "ada-grace",
    ]);
    assert_eq!(
        json["agreements"][0]["changes"],
        serde_json::from_slice::<serde_json::Value>(&named.stdout).unwrap()["agreements"][0]
            ["changes"],
        "the same comparison as for the one agreement"
    );
    insta::assert_snapshot!(snap::run(&env, &["-C", "sample", "diff", "--signed"]));
}

/// A repository whose `agreements/*.yaml` use charter as git's diff driver.
fn with_driver(env: &Env) {
    let bin = assert_cmd::cargo::cargo_bin("charter");
    env.write(".gitattributes", "agreements/*.yaml diff=charter\n");
    env.git(&[
        "config",
        "diff.charter.command",
        &format!("'{}' git-diff", bin.display()),
    ]);
}

#[test]
fn git_diff_driver_runs_under_git_diff_log_and_renames() {
    let (env, _) = committed();
    with_driver(&env);
    env.write(ADA, amended());

    let worktree = env.git(&["diff"]);
    assert!(
        worktree.starts_with(
            "diff --charter a/agreements/ada-grace.yaml b/agreements/ada-grace.yaml\n"
        ),
        "{worktree}"
    );
    assert!(
        worktree.contains("2 material changes, 1 editorial; version "),
        "{worktree}"
    );
    assert!(
        worktree.contains("  goals[design-review].due\n    ± 2026-04-30 → 2026-05-15\n"),
        "{worktree}"
    );
    assert!(!worktree.contains('\u{1b}'), "no colour through a pipe");

    env.commit_all("Amend", "2026-02-01T10:00:00Z");
    let log = env.git(&["log", "-p", "--ext-diff", "--format=commit %s"]);
    assert!(log.contains("commit Amend\n"), "{log}");
    assert!(log.contains("goals[design-review].due"), "{log}");
    // The first commit adds the agreement whole.
    assert!(log.contains("new file mode 100644\n"), "{log}");
    assert!(log.contains("; version none → "), "{log}");

    env.git(&["mv", ADA, "agreements/ada-grace-2026.yaml"]);
    let renamed = env.git(&["diff", "-M", "--cached"]);
    assert!(
        renamed.starts_with(
            "diff --charter a/agreements/ada-grace.yaml b/agreements/ada-grace-2026.yaml\n"
        ),
        "{renamed}"
    );
    assert!(
        renamed.contains("rename from agreements/ada-grace.yaml\n"),
        "{renamed}"
    );
    assert!(
        renamed.contains("no change to the agreement's data"),
        "{renamed}"
    );

    // A rename with an amendment: the semantic changes show across it.
    env.write(
        "agreements/ada-grace-2026.yaml",
        ada(&[("cadence: biweekly", "cadence: monthly")]),
    );
    env.commit_all("Rename and go monthly", "2026-03-01T10:00:00Z");
    let shown = env.git(&["show", "-M", "--ext-diff", "--format="]);
    assert!(
        shown.contains("rename to agreements/ada-grace-2026.yaml"),
        "{shown}"
    );
    assert!(
        shown.contains("  meetings.cadence\n    ± biweekly → monthly\n"),
        "{shown}"
    );
}

#[test]
fn git_diff_driver_falls_back_to_lines_and_never_fails() {
    let (env, _) = committed();
    with_driver(&env);
    env.write(ADA, ada(&[("  cadence: biweekly", "  cadence: [biweekly")]));
    let text = env.git(&["diff"]);
    assert!(
        text.contains("does not parse, showing a line diff\n"),
        "{text}"
    );
    assert!(text.contains("  error[yaml-syntax]: "), "{text}");
    assert!(
        text.contains("(new)\n--- a/agreements/ada-grace.yaml\n"),
        "{text}"
    );
    assert!(text.contains("+  cadence: [biweekly\n"), "{text}");

    // The one-argument form, for unmerged paths.
    let out = env.run(&["git-diff", ADA]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), format!("* Unmerged path {ADA}\n"));
    // Anything else is not git calling.
    assert_eq!(env.run(&["git-diff", "a", "b"]).status.code(), Some(2));
}

#[test]
fn textconv_makes_plain_git_log_readable() {
    let (env, _) = committed();
    let bin = assert_cmd::cargo::cargo_bin("charter");
    env.write(".gitattributes", "agreements/*.yaml diff=charter\n");
    env.git(&[
        "config",
        "diff.charter.textconv",
        &format!("'{}' textconv", bin.display()),
    ]);
    env.write(ADA, amended());
    env.commit_all("Amend", "2026-02-01T10:00:00Z");

    let log = env.git(&["log", "-p", "-n", "1", "--format="]);
    assert!(
        log.contains(
            "\n-goals[design-review].due: 2026-04-30\n+goals[design-review].due: 2026-05-15\n"
        ),
        "{log}"
    );
    assert!(
        log.contains("\n-renegotiation.notice: 14d\n+renegotiation.notice: 21d\n"),
        "{log}"
    );
    assert!(log.contains("\n-# version sha256:"), "{log}");
}

#[test]
fn textconv_prints_sorted_flat_lines_or_the_file_unchanged() {
    let env = Env::with_git();
    env.write(ADA, ada(&[]));
    let text = ok(&env, &["textconv", ADA], 0);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("# version sha256:"), "{text}");
    assert_eq!(lines[1], "charter: 1");
    assert!(
        lines.contains(&"goals[design-review].due: 2026-04-30"),
        "{text}"
    );
    assert!(lines.contains(&"meetings.channels[1]: chat"), "{text}");
    assert!(
        lines.contains(&"parties.observers[0].role: supervisor"),
        "{text}"
    );
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with("goals[design-review].id")),
        "the id is in the path"
    );
    let keys: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by_key(|k| k.split(['.', '[']).next().unwrap().to_owned());
    assert_eq!(keys, sorted, "sections sorted");
    // Multi-line text stays on one line.
    let folded = ada(&[("purpose: >-", "purpose: |-")]);
    env.write(ADA, folded);
    let text = ok(&env, &["textconv", ADA], 0);
    assert!(
        text.lines()
            .any(|l| l.starts_with("purpose: \"Help Ada") && l.contains("\\n")),
        "{text}"
    );

    let broken = "charter: 1\ntitle: [oops\n";
    env.write(ADA, broken);
    assert_eq!(ok(&env, &["textconv", ADA], 0), broken);
}
