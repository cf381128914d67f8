//! A corpus of hostile and unusual repositories, built with real git: links
//! and submodules among the agreements, a huge sign-off, a long history of
//! unrelated commits, merges that change one agreement on both sides, a
//! commit from the far future, an empty, a bare, a detached and a linked
//! repository. Each gets a clear finding or error, in bounded memory; no
//! test depends on speed.

use std::path::Path;
use std::process::{Output, Stdio};

use serde_json::Value;

use crate::common::{self, stderr, stdout, Env};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const AGREEMENT: &str = "agreements/ada-grace.yaml";

/// Address space allowed to charter under `ulimit -v`, in KiB: far above
/// what it needs (tens of MB), far below what unbounded reading would take.
const MEMORY_KIB: u64 = 1_000_000;

/// A small valid agreement whose term runs past the tests' day (2026-11-21).
fn minimal() -> String {
    std::fs::read_to_string(format!("{FIXTURES}/valid-minimal.yaml"))
        .unwrap()
        .replace("end: 2026-07-10", "end: 2027-12-31")
}

/// A repository with one unsigned agreement committed in January 2026.
fn small() -> Env {
    let env = Env::with_git();
    env.write(AGREEMENT, minimal());
    env.commit_all("Add ada-grace", "2026-01-05T10:00:00Z");
    env
}

/// charter under a memory limit (`ulimit -v`, in a `sh` wrapper), in `dir`
/// (relative to the sandbox's repository).
fn bounded(env: &Env, dir: &str, args: &[&str]) -> Output {
    let out = bounded_with(env, dir, args, false);
    if common::reads_history(args) {
        let without = bounded_with(env, dir, args, true);
        common::same_verdict(args, &out, &without);
        if common::reads_stored_parses(args) {
            let warm = bounded_with(env, dir, args, false);
            common::same_verdict(args, &warm, &without);
        }
    }
    out
}

/// [`bounded`], optionally with the history index switched off.
fn bounded_with(env: &Env, dir: &str, args: &[&str], no_index: bool) -> Output {
    let charter = assert_cmd::cargo::cargo_bin("charter");
    let mut cmd = env.program("sh");
    if no_index {
        cmd.env("CHARTER_NO_INDEX", "1");
    }
    cmd.arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\""))
        .arg(charter)
        .args(["-C", dir])
        .args(args)
        .write_stdin("");
    cmd.output().unwrap()
}

/// Runs charter in `dir` and checks the exit code, that nothing panicked
/// and that the memory limit was not hit; returns the output.
fn expect(env: &Env, dir: &str, args: &[&str], code: i32) -> Output {
    let out = bounded(env, dir, args);
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert!(!err.contains("memory allocation"), "{args:?}: {err}");
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}\nstdout: {}\nstderr: {err}",
        stdout(&out)
    );
    out
}

/// `check --format json` (with extra arguments) in `dir`: exit code and report.
fn check_json(env: &Env, dir: &str, extra: &[&str], code: i32) -> Value {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let out = expect(env, dir, &args, code);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)))
}

/// The findings of a report as `(rule, file)` pairs.
fn findings(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["file"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn pair(rule: &str, file: &str) -> (String, String) {
    (rule.to_owned(), file.to_owned())
}

#[test]
fn links_and_submodules_among_agreements_and_sign_offs_are_findings() {
    let env = small();
    let base = env.git(&["rev-parse", "HEAD"]).trim().to_owned();
    // A link out of the repository, a link to another agreement, a
    // submodule named like an agreement, and a link among the sign-offs.
    std::os::unix::fs::symlink("../../../../etc/passwd", env.path("agreements/passwd.yaml"))
        .unwrap();
    std::os::unix::fs::symlink("ada-grace.yaml", env.path("agreements/twin.yaml")).unwrap();
    std::fs::create_dir_all(env.path("signoffs/ada-grace")).unwrap();
    std::os::unix::fs::symlink(
        "../../agreements/ada-grace.yaml",
        env.path("signoffs/ada-grace/0123456789ab-mentor-01234567.yaml"),
    )
    .unwrap();
    env.write(
        ".gitmodules",
        "[submodule \"sub\"]\n\tpath = agreements/sub.yaml\n\turl = ./nowhere\n",
    );
    env.git(&["add", "-A"]);
    env.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{base},agreements/sub.yaml"),
    ]);
    env.git_at(
        &["commit", "-q", "-m", "Hostile entries"],
        "2026-01-06T10:00:00Z",
    );
    let head = env.git(&["rev-parse", "HEAD"]).trim().to_owned();

    let expected = [
        pair("invalid-path", "agreements/passwd.yaml"),
        pair("invalid-path", "agreements/sub.yaml"),
        pair("invalid-path", "agreements/twin.yaml"),
    ];
    for extra in [&[][..], &["--base", &base, "--head", &head][..]] {
        let report = check_json(&env, ".", extra, 1);
        let found = findings(&report);
        for e in &expected {
            assert!(found.contains(e), "{extra:?}: {e:?} not in {found:?}");
        }
        let signoff_link = found
            .iter()
            .any(|(_, file)| file.starts_with("signoffs/ada-grace/"));
        assert!(signoff_link, "{extra:?}: the linked sign-off: {found:?}");
        // The real agreement is still judged, and nothing else is read.
        assert!(report["agreements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == "ada-grace"));
    }
    let out = expect(&env, ".", &["validate"], 1);
    let err = stderr(&out) + &stdout(&out);
    assert!(err.contains("agreements/passwd.yaml"), "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert!(!err.contains("root:"), "the link was followed: {err}");
    for args in [&["status"][..], &["verify"][..], &["log", "sub"][..]] {
        let out = bounded(&env, ".", args);
        assert!(!stderr(&out).contains("panicked"), "{args:?}");
        assert!(matches!(out.status.code(), Some(0..=2)), "{args:?}");
        assert!(!stdout(&out).contains("root:"), "{args:?}");
    }
}

#[test]
fn a_ten_megabyte_sign_off_is_refused_in_bounded_memory() {
    let env = small();
    let base = env.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let line = format!("  {}\n", "A".repeat(70));
    let huge = format!(
        "agreement: ada-grace\nsignature: |\n{}",
        line.repeat(10 * 1024 * 1024 / line.len())
    );
    assert!(huge.len() > 10_000_000);
    let file = "signoffs/ada-grace/0123456789ab-mentor-01234567.yaml";
    env.write(file, &huge);
    let head = env.commit_all("A huge sign-off", "2026-01-06T10:00:00Z");
    for extra in [&[][..], &["--base", &base, "--head", &head][..]] {
        let report = check_json(&env, ".", extra, 1);
        let f = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"] == file)
            .unwrap_or_else(|| panic!("{report:#}"));
        assert_eq!(f["rule"], "invalid-signoff");
        let message = f["message"].as_str().unwrap();
        assert!(message.contains("larger than 65536 bytes"), "{message}");
    }
    let out = expect(&env, ".", &["validate"], 1);
    assert!(stdout(&out).contains(file), "{}", stdout(&out));
    let out = expect(&env, ".", &["verify"], 1);
    assert!(
        stdout(&out).contains("larger than 65536 bytes"),
        "{}",
        stdout(&out)
    );
}

/// `git fast-import` input: the agreement, then `n` commits that each change
/// only `notes/counter.txt`, one minute apart.
fn unrelated_history(n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n * 160);
    let data = |out: &mut Vec<u8>, bytes: &[u8]| {
        out.extend_from_slice(format!("data {}\n", bytes.len()).as_bytes());
        out.extend_from_slice(bytes);
        out.push(b'\n');
    };
    let start = 1_767_607_200; // 2026-01-05T10:00:00Z
    out.extend_from_slice(
        format!("commit refs/heads/main\ncommitter T <t@example.com> {start} +0000\n").as_bytes(),
    );
    data(&mut out, b"Add ada-grace");
    out.extend_from_slice(format!("M 100644 inline {AGREEMENT}\n").as_bytes());
    data(&mut out, minimal().as_bytes());
    for i in 0..n {
        let time = start + 60 * (i as i64 + 1);
        out.extend_from_slice(
            format!("commit refs/heads/main\ncommitter T <t@example.com> {time} +0000\n")
                .as_bytes(),
        );
        data(&mut out, format!("note {i}").as_bytes());
        out.extend_from_slice(b"M 100644 inline notes/counter.txt\n");
        data(&mut out, i.to_string().as_bytes());
    }
    out
}

#[test]
fn a_hundred_thousand_unrelated_commits_stay_bounded() {
    let env = Env::with_git();
    let mut import = env
        .git_command()
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = import.stdin.take().unwrap();
        stdin.write_all(&unrelated_history(100_000)).unwrap();
    }
    assert!(import.wait().unwrap().success());
    env.git(&["symbolic-ref", "HEAD", "refs/heads/main"]);
    env.git(&["reset", "-q", "--hard"]);
    assert_eq!(env.git(&["rev-list", "--count", "HEAD"]).trim(), "100001");

    let report = check_json(&env, ".", &[], 0);
    assert_eq!(findings(&report), Vec::<(String, String)>::new());
    assert_eq!(report["agreements"][0]["id"], "ada-grace");
    assert_eq!(report["agreements"][0]["state"], "draft");
    let report = check_json(&env, ".", &["--base", "HEAD~1", "--head", "HEAD"], 0);
    assert_eq!(findings(&report), Vec::<(String, String)>::new());
    // The version is the first commit, 100,000 commits down the chain.
    let out = expect(&env, ".", &["log", "ada-grace", "--format", "json"], 0);
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let versions = log["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 1, "{log:#}");
    let root = env.git(&["rev-list", "--max-parents=0", "HEAD"]);
    assert_eq!(versions[0]["commit"], root.trim());
}

#[test]
fn a_merge_that_changes_one_agreement_on_both_sides() {
    let env = small();
    env.git(&["branch", "-M", "main"]);
    env.git(&["checkout", "-q", "-b", "side"]);
    env.write(
        AGREEMENT,
        minimal().replace("Minimal agreement", "Side title"),
    );
    let side = env.commit_all("Side title", "2026-01-06T10:00:00Z");
    env.git(&["checkout", "-q", "main"]);
    env.write(
        AGREEMENT,
        minimal().replace("Minimal agreement", "Main title"),
    );
    let main = env.commit_all("Main title", "2026-01-07T10:00:00Z");

    // As a pull request, the agreement changed on both sides: rebase first.
    // (Nobody signed the agreement either, which the gate reports too.)
    let report = check_json(&env, ".", &["--base", &main, "--head", &side], 1);
    assert_eq!(
        findings(&report),
        [
            pair("rebase-needed", AGREEMENT),
            pair("unsigned", AGREEMENT)
        ],
        "{report:#}"
    );

    // Merged with a resolution: the merge commit is the version on the
    // first-parent chain; the side branch's draft is not part of the record.
    let out = env
        .git_command()
        .args(["merge", "-q", "side", "-m", "Merge side"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "the merge should conflict");
    env.write(
        AGREEMENT,
        minimal().replace("Minimal agreement", "Merged title"),
    );
    let merge = env.commit_all("Merge side", "2026-01-08T10:00:00Z");
    let parents = env.git(&["rev-list", "--parents", "-n", "1", "HEAD"]);
    assert_eq!(parents.split_whitespace().count(), 3, "a merge commit");

    let report = check_json(&env, ".", &[], 0);
    assert_eq!(findings(&report), Vec::<(String, String)>::new());
    let out = expect(&env, ".", &["log", "ada-grace", "--format", "json"], 0);
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let commits: Vec<&str> = log["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["commit"].as_str().unwrap())
        .collect();
    assert_eq!(commits[0], merge, "{log:#}");
    assert!(commits.contains(&main.as_str()), "{log:#}");
    assert!(!commits.contains(&side.as_str()), "{log:#}");
    assert_eq!(commits.len(), 3, "{log:#}");
}

#[test]
fn a_commit_dated_2099_is_a_suspicious_time_and_clamps_what_follows() {
    let env = small();
    env.write(
        AGREEMENT,
        minimal().replace("Minimal agreement", "From the future"),
    );
    let future = env.commit_all("From the future", "2099-01-01T10:00:00Z");
    env.write(
        AGREEMENT,
        minimal().replace("Minimal agreement", "Back to now"),
    );
    let after = env.commit_all("Back to now", "2026-02-01T10:00:00Z");

    let report = check_json(&env, ".", &["--today", "2026-02-02"], 0);
    let suspicious: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "suspicious-time")
        .collect();
    let commits: Vec<&str> = suspicious
        .iter()
        .map(|f| f["commit"].as_str().unwrap())
        .collect();
    assert!(commits.contains(&future.as_str()), "{report:#}");
    assert!(commits.contains(&after.as_str()), "{report:#}");
    assert!(suspicious.iter().all(|f| f["severity"] == "warning"));
    // The commit after it is dated as it was (clamped to 2099).
    let out = expect(&env, ".", &["log", "ada-grace", "--format", "json"], 0);
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["versions"][0]["commit"], after);
    assert_eq!(log["versions"][0]["date"], "2099-01-01", "{log:#}");
    expect(&env, ".", &["status", "--today", "2026-02-02"], 0);
}

#[test]
fn an_empty_repository_says_it_has_no_commits() {
    let env = Env::with_git();
    for args in [
        &["check"][..],
        &["status"][..],
        &["verify"][..],
        &["log", "ada-grace"][..],
    ] {
        let out = expect(&env, ".", args, 2);
        assert!(
            stderr(&out).contains("the repository has no commits yet"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let out = expect(&env, ".", &["check", "--base", "main", "--head", "main"], 2);
    assert!(
        stderr(&out).contains("unknown revision `main`"),
        "{}",
        stderr(&out)
    );
    // With no charter layout either, there is nothing to validate.
    let out = expect(&env, ".", &["validate"], 2);
    assert!(
        stderr(&out).contains("no charter repository"),
        "{}",
        stderr(&out)
    );
}

/// A repository with a signed-looking history to judge: the demo.
fn demo() -> Env {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    env.git(&["-C", "sample", "checkout", "-q", "-b", "base"]);
    env
}

/// Adds a pull-request branch `pr` to the demo that edits ada-grace.
fn demo_pull_request(env: &Env) -> (String, String) {
    let base = env
        .git(&["-C", "sample", "rev-parse", "base"])
        .trim()
        .to_owned();
    env.git(&["-C", "sample", "checkout", "-q", "-b", "pr"]);
    let path = "sample/agreements/ada-grace.yaml";
    let text = env.read(path).replace("notice: 14d", "notice: 7d");
    env.write(path, text);
    env.git_at(
        &["-C", "sample", "commit", "-q", "-am", "Shorter notice"],
        "2026-06-09T10:00:00Z",
    );
    let head = env
        .git(&["-C", "sample", "rev-parse", "pr"])
        .trim()
        .to_owned();
    env.git(&["-C", "sample", "checkout", "-q", "base"]);
    (base, head)
}

/// The same report without what depends on where it was made.
fn verdict(report: &Value) -> Value {
    serde_json::json!({"findings": report["findings"], "agreements": report["agreements"]})
}

#[test]
fn a_bare_repository_can_be_checked() {
    let env = demo();
    let (base, head) = demo_pull_request(&env);
    let today = ["--today", "2026-06-10"];
    let mut pr = vec!["--base", base.as_str(), "--head", head.as_str()];
    pr.extend_from_slice(&today);
    let in_clone = check_json(&env, "sample", &pr, 1);
    assert_eq!(
        findings(&in_clone),
        [pair("unsigned", "agreements/ada-grace.yaml")],
        "the amendment is not signed yet: {in_clone:#}"
    );
    let whole_in_clone = check_json(&env, "sample", &today, 1);

    env.git(&["clone", "-q", "--bare", "sample", "bare.git"]);
    let in_bare = check_json(&env, "bare.git", &pr, 1);
    assert_eq!(verdict(&in_bare), verdict(&in_clone));
    let ada = &in_bare["agreements"][0];
    assert_eq!(ada["id"], "ada-grace");
    assert_eq!(ada["state"], "pending", "{in_bare:#}");
    let whole_in_bare = check_json(&env, "bare.git", &today, 1);
    assert_eq!(verdict(&whole_in_bare), verdict(&whole_in_clone));

    // Commands that read the working tree say why they cannot run.
    for args in [&["validate"][..], &["status"][..]] {
        let out = expect(&env, "bare.git", args, 2);
        assert!(
            stderr(&out).contains("is a bare git repository"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_detached_head_is_judged_like_a_branch() {
    let env = demo();
    let on_branch = check_json(&env, "sample", &["--today", "2026-06-10"], 1);
    let status_on_branch = expect(&env, "sample", &["status", "--format", "json"], 0);
    env.git(&["-C", "sample", "checkout", "-q", "--detach", "base"]);
    let detached = check_json(&env, "sample", &["--today", "2026-06-10"], 1);
    assert_eq!(verdict(&detached), verdict(&on_branch));
    let status = expect(&env, "sample", &["status", "--format", "json"], 0);
    assert_eq!(status.stdout, status_on_branch.stdout);
    expect(&env, "sample", &["verify"], 0);
}

#[test]
fn a_linked_worktree_is_a_repository_of_its_own() {
    let env = demo();
    let (base, head) = demo_pull_request(&env);
    env.git(&["-C", "sample", "worktree", "add", "-q", "../linked", "pr"]);
    assert!(Path::new(&env.path("linked/.git")).is_file());

    let pr = [
        "--base",
        base.as_str(),
        "--head",
        head.as_str(),
        "--today",
        "2026-06-10",
    ];
    let in_main = check_json(&env, "sample", &pr, 1);
    let in_linked = check_json(&env, "linked", &pr, 1);
    assert_eq!(verdict(&in_linked), verdict(&in_main));
    // Without revisions, each worktree judges its own HEAD.
    let linked_head = check_json(&env, "linked", &["--today", "2026-06-10"], 1);
    let main_head = check_json(&env, "sample", &["--today", "2026-06-10"], 1);
    assert_ne!(verdict(&linked_head), verdict(&main_head));
    expect(
        &env,
        "linked",
        &["validate", "agreements/ada-grace.yaml"],
        0,
    );

    // A commit made by charter in the linked worktree lands on its branch
    // and leaves both worktrees clean.
    let path = "linked/agreements/ada-grace.yaml";
    let text = env.read(path);
    let title = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .unwrap()
        .to_owned();
    env.write(
        path,
        text.replace(&title, "title: Retitled in the linked worktree"),
    );
    let out = expect(
        &env,
        "linked",
        &[
            "amend",
            "ada-grace",
            "-m",
            "Retitle",
            "--today",
            "2026-06-10",
        ],
        0,
    );
    assert!(
        !stderr(&out).contains("warning: the index"),
        "{}",
        stderr(&out)
    );
    let pr_tip = env
        .git(&["-C", "sample", "rev-parse", "pr"])
        .trim()
        .to_owned();
    assert_ne!(
        pr_tip, head,
        "amend committed on the linked worktree's branch"
    );
    assert_eq!(env.git(&["-C", "linked", "status", "--porcelain"]), "");
    assert_eq!(env.git(&["-C", "sample", "status", "--porcelain"]), "");
    assert_eq!(
        env.git(&["-C", "sample", "rev-parse", "base"]).trim(),
        base,
        "the main worktree's branch did not move"
    );
}
