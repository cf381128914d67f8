//! Each kind of error a user meets in a repository, as the real binary
//! prints it: the message, the advice, and exit code 2.

use crate::common::{example, stderr, Env};

/// `charter ARGS` in `dir` (relative to the sandbox's repository) must
/// exit 2; its stderr.
fn fails(env: &Env, dir: &str, args: &[&str]) -> String {
    let mut all = vec!["-C", dir];
    all.extend_from_slice(args);
    let out = env.run(&all);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    stderr(&out)
}

/// A repository with three versions of one agreement.
fn three_versions() -> Env {
    let env = Env::with_git();
    for (i, cadence) in ["weekly", "biweekly", "monthly"].iter().enumerate() {
        env.write(
            "agreements/ada-grace.yaml",
            example("ada-grace.yaml").replace("cadence: biweekly", &format!("cadence: {cadence}")),
        );
        env.commit_all("step", &format!("2026-01-0{}T10:00:00Z", i + 1));
    }
    env
}

const SHALLOW_HINT: &str = "hint: fetch the full history (`git fetch --unshallow`; in GitHub Actions use `actions/checkout` with `fetch-depth: 0`)\n";

fn clone_shallow(env: &Env) {
    let source = format!("file://{}", env.repo.display());
    env.git(&["clone", "-q", "--depth", "1", &source, "shallow"]);
}

#[test]
fn shallow_clone() {
    let env = three_versions();
    clone_shallow(&env);
    assert_eq!(
        fails(&env, "shallow", &["log", "ada-grace"]),
        format!(
            "error: this clone is shallow: the history charter needs is missing\n{SHALLOW_HINT}"
        )
    );
}

#[test]
fn unknown_revision_in_a_shallow_clone() {
    let env = three_versions();
    clone_shallow(&env);
    assert_eq!(
        fails(&env, "shallow", &["check", "--base", "HEAD~1"]),
        format!("error: unknown revision `HEAD~1`: this clone is shallow, so the history it names may be missing\n{SHALLOW_HINT}")
    );
}

#[test]
fn unknown_revision() {
    let env = three_versions();
    let err = fails(&env, ".", &["check", "--base", "no-such-branch"]);
    let (message, hint) = err.split_once('\n').unwrap();
    assert!(
        message.starts_with("error: unknown revision `no-such-branch`: "),
        "{err}"
    );
    assert_eq!(
        hint,
        "hint: give a commit, branch or tag that exists in this repository (see `git log`)\n"
    );
}

#[test]
fn revision_not_a_commit() {
    let env = three_versions();
    assert_eq!(
        fails(&env, ".", &["check", "--base", "HEAD^{tree}"]),
        "error: revision `HEAD^{tree}` is not a commit\nhint: give a commit, branch or tag\n"
    );
}

#[test]
fn repository_without_commits() {
    let env = Env::with_git();
    env.write("agreements/ada-grace.yaml", example("ada-grace.yaml"));
    assert_eq!(
        fails(&env, ".", &["status"]),
        "error: the repository has no commits yet\nhint: commit the agreements first (`git add agreements && git commit`)\n"
    );
}

#[test]
fn bare_repository() {
    let env = three_versions();
    env.git(&["clone", "-q", "--bare", ".", "bare.git"]);
    let git_dir = env.path("bare.git").canonicalize().unwrap();
    assert_eq!(
        fails(&env, "bare.git", &["validate"]),
        format!(
            "error: {}/ is a bare git repository\nhint: run charter in a clone with a working tree\n",
            git_dir.display()
        )
    );
}

#[test]
fn not_a_repository() {
    let env = Env::new();
    assert_eq!(
        fails(&env, ".", &["report"]),
        "error: not a git repository (or any parent up to the root)\nhint: run charter inside a clone of your agreements repository, or use -C DIR\n"
    );
}
