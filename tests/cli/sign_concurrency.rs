//! `charter sign` racing itself and git: the index stays in step with HEAD,
//! no commit is lost, and a held `index.lock` is a clear error.

use std::process::Output;

use crate::common::{stderr, Env, Key, NOW};

const AGREEMENT: &str = "agreements/ada-grace.yaml";

fn setup() -> (Env, Key, Key) {
    let env = Env::with_git().clocked(NOW);
    let mentor = env.keygen("grace", "ed25519", "");
    let mentee = env.keygen("ada", "ed25519", "");
    env.write(
        "allowed_signers",
        format!(
            "grace@example.com {}\nada@example.com {}\n",
            mentor.line, mentee.line
        ),
    );
    let agreement = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid-minimal.yaml"
    ))
    .unwrap()
    .replace("end: 2026-07-10", "end: 2027-12-31");
    env.write(AGREEMENT, agreement);
    env.commit_all("Add ada-grace", "2026-01-05T10:00:00Z");
    (env, mentor, mentee)
}

fn committed_signoffs(env: &Env) -> Vec<String> {
    env.git(&["ls-tree", "-r", "--name-only", "HEAD", "signoffs/"])
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn concurrent_signs_keep_the_index_in_step_and_both_commits() {
    for round in 0..20 {
        let (env, mentor, mentee) = setup();
        let spawn = |role: &str, key: &Key| {
            env.process(assert_cmd::cargo::cargo_bin("charter"))
                .args(["sign", "ada-grace", "--as", role, "--key", key.path()])
                .current_dir(&env.repo)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let a = spawn("mentor", &mentor);
        let b = spawn("mentee", &mentee);
        let outs: Vec<Output> = [a, b]
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        for out in &outs {
            assert_eq!(out.status.code(), Some(0), "round {round}: {}", stderr(out));
        }
        let status = env.git(&["status", "--porcelain"]);
        assert_eq!(status, "", "round {round}: index out of step with HEAD");
        let files = committed_signoffs(&env);
        assert_eq!(files.len(), 2, "round {round}: {files:?}");
        assert!(files.iter().any(|f| f.contains("-mentor-")), "{files:?}");
        assert!(files.iter().any(|f| f.contains("-mentee-")), "{files:?}");
        assert!(!env.path(".git/index.lock").exists(), "round {round}");
        // Two sign-off commits on top of the first, none dropped.
        assert_eq!(env.git(&["rev-list", "--count", "HEAD"]).trim(), "3");
    }
}

#[test]
fn a_held_index_lock_is_a_clear_error() {
    let (env, mentor, _) = setup();
    env.write(".git/index.lock", "");
    let head = env.git(&["rev-parse", "HEAD"]);
    let out = env.run(&[
        "sign",
        "ada-grace",
        "--as",
        "mentor",
        "--key",
        mentor.path(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(".git/index.lock"), "{err}");
    assert!(err.contains("remove"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // Nothing was committed and the lock is left to its owner.
    assert_eq!(env.git(&["rev-parse", "HEAD"]), head);
    assert!(env.path(".git/index.lock").exists());
}

#[test]
fn a_branch_that_cannot_move_leaves_the_index_as_it_was() {
    let (env, mentor, _) = setup();
    // Another process holds the branch: the index was already replaced
    // with the sign-off staged, and must be put back.
    env.write(".git/refs/heads/main.lock", "");
    let head = env.git(&["rev-parse", "HEAD"]);
    let out = env.run(&[
        "sign",
        "ada-grace",
        "--as",
        "mentor",
        "--key",
        mentor.path(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert_eq!(env.git(&["rev-parse", "HEAD"]), head);
    // Only the written (untracked) sign-off file: nothing staged.
    let status = env.git(&["status", "--porcelain", "--untracked-files=all"]);
    assert!(
        status
            .lines()
            .all(|l| l.starts_with("?? signoffs/ada-grace/")),
        "{status}"
    );
    assert_eq!(status.lines().count(), 1, "{status}");
    assert!(!env.path(".git/index.lock").exists());
}
