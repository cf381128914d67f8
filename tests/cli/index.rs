//! The on-disk history index: built, extended, rebuilt when history moves,
//! refused when damaged, and never a reason for a different verdict.

use crate::common::{same_verdict, stderr, stdout, Env};
use crate::snap;

/// The demo repository in `sample/`, on a branch `base`.
fn demo() -> Env {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    env.git(&["-C", "sample", "checkout", "-q", "-b", "base"]);
    // `demo` itself reads the history, and so stores an index: start cold.
    std::fs::remove_dir_all(env.path("sample/.git/charter")).unwrap();
    env
}

fn index_file(env: &Env) -> std::path::PathBuf {
    env.path("sample/.git/charter/history.idx")
}

/// `charter -C sample ARGS` with and without the stored index; both must
/// agree. Returns the run with the index.
fn both(env: &Env, args: &[&str]) -> std::process::Output {
    let mut full = vec!["-C", "sample"];
    full.extend_from_slice(args);
    let with = env.charter(&full).output().unwrap();
    let without = env
        .charter(&full)
        .env("CHARTER_NO_INDEX", "1")
        .output()
        .unwrap();
    same_verdict(&full, &with, &without);
    with
}

#[test]
fn index_is_built_extended_and_verified() {
    let env = demo();
    let out = env.run(&["-C", "sample", "index"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("built", snap::render(&env, &out));
    assert!(index_file(&env).is_file());
    // Nothing new: nothing read, and the stored file is left as it is.
    let written = std::fs::metadata(index_file(&env))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = env.run(&["-C", "sample", "index"]);
    insta::assert_snapshot!("nothing_new", snap::render(&env, &again));
    let kept = std::fs::metadata(index_file(&env))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(
        kept, written,
        "an index already up to date is not written again"
    );
    // One commit more is one commit read.
    env.write("sample/notes.txt", "a note\n");
    env.git_at(
        &["-C", "sample", "add", "notes.txt"],
        "2026-06-09T10:00:00Z",
    );
    env.git_at(
        &["-C", "sample", "commit", "-q", "-m", "A note"],
        "2026-06-09T10:00:00Z",
    );
    let one = env.run(&["-C", "sample", "index"]);
    insta::assert_snapshot!("one_new", snap::render(&env, &one));
    let verified = env.run(&["-C", "sample", "index", "--verify"]);
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    insta::assert_snapshot!("verified", snap::render(&env, &verified));
    // Not a terminal: no progress indicator.
    assert!(!stderr(&one).contains("indexing"), "{}", stderr(&one));
}

#[test]
fn a_damaged_index_is_rebuilt_and_never_changes_a_verdict() {
    let env = demo();
    let today = ["--today", "2026-06-10"];
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(&today);
    let fresh = both(&env, &args);
    assert!(index_file(&env).is_file(), "check stores the index");
    // Flip bytes in the middle of the stored index.
    let mut bytes = std::fs::read(index_file(&env)).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 8] {
        *b ^= 0x5a;
    }
    std::fs::write(index_file(&env), &bytes).unwrap();
    let verify = env.run(&["-C", "sample", "index", "--verify"]);
    assert_eq!(verify.status.code(), Some(1), "{}", stdout(&verify));
    assert!(
        stderr(&verify).contains("no index stored"),
        "{}",
        stderr(&verify)
    );
    let after = both(&env, &args);
    assert_eq!(stdout(&after), stdout(&fresh));
    // Garbage where the index lives, even a directory, is no error.
    std::fs::remove_file(index_file(&env)).unwrap();
    std::fs::create_dir_all(index_file(&env)).unwrap();
    let blocked = both(&env, &args);
    assert_eq!(stdout(&blocked), stdout(&fresh));
}

#[test]
fn a_rewritten_history_is_judged_as_it_is_now() {
    let env = demo();
    let today = ["--today", "2026-06-10"];
    let mut args = vec!["status", "--format", "json"];
    args.extend_from_slice(&today);
    let before = both(&env, &args);
    // Drop the last two commits and make another: the stored index covers
    // commits that are no longer on the chain.
    env.git(&["-C", "sample", "reset", "-q", "--hard", "HEAD~2"]);
    env.write("sample/notes.txt", "a note\n");
    env.git(&["-C", "sample", "add", "notes.txt"]);
    env.git_at(
        &["-C", "sample", "commit", "-q", "-m", "Another past"],
        "2026-06-09T10:00:00Z",
    );
    let after = both(&env, &args);
    assert_ne!(stdout(&after), stdout(&before), "the history changed");
    let verified = env.run(&["-C", "sample", "index", "--verify"]);
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
}

#[test]
fn a_pull_request_is_judged_the_same_cold_and_warm() {
    let env = demo();
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
    let args = [
        "check",
        "--format",
        "json",
        "--base",
        &base,
        "--head",
        &head,
        "--today",
        "2026-06-10",
    ];
    // Cold: no index stored, so only ada-grace's paths are walked.
    let cold = both(&env, &args);
    assert_eq!(cold.status.code(), Some(1), "{}", stdout(&cold));
    assert!(stdout(&cold).contains("\"unsigned\""), "{}", stdout(&cold));
    assert!(
        !index_file(&env).exists(),
        "a walk of a few paths is not stored"
    );
    // Warm: the stored index of the base.
    env.git(&["-C", "sample", "checkout", "-q", "base"]);
    assert_eq!(env.run(&["-C", "sample", "index"]).status.code(), Some(0));
    let warm = both(&env, &args);
    assert_eq!(stdout(&warm), stdout(&cold));
}

fn parses_file(env: &Env) -> std::path::PathBuf {
    env.path("sample/.git/charter/parsed.idx")
}

#[test]
fn stored_parses_are_reused_checked_and_never_change_a_verdict() {
    let env = demo();
    let args = ["verify", "--format", "json", "--today", "2026-06-10"];
    let fresh = both(&env, &args);
    assert_eq!(fresh.status.code(), Some(0), "{}", stderr(&fresh));
    assert!(parses_file(&env).is_file(), "verify stores its parses");
    let stored = std::fs::read(parses_file(&env)).unwrap();
    // A second run reads them, says the same and rewrites nothing.
    let warm = both(&env, &args);
    assert_eq!(stdout(&warm), stdout(&fresh));
    assert_eq!(std::fs::read(parses_file(&env)).unwrap(), stored);
    let status = ["status", "--format", "json", "--today", "2026-06-10"];
    let cold_status = both(&env, &status);
    let verified = env.run(&["-C", "sample", "index", "--verify"]);
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    insta::assert_snapshot!("parses_verified", snap::render(&env, &verified));

    // Damage the last stored entry: it reads as not stored (parsed again),
    // and `index --verify` reports it and removes the store.
    let mut bytes = stored.clone();
    let last = bytes.len() - 3;
    bytes[last] ^= 0x5a;
    std::fs::write(parses_file(&env), &bytes).unwrap();
    assert_eq!(stdout(&both(&env, &args)), stdout(&fresh));
    assert_eq!(stdout(&both(&env, &status)), stdout(&cold_status));
    std::fs::write(parses_file(&env), &bytes).unwrap();
    let refused = env.run(&["-C", "sample", "index", "--verify"]);
    assert_eq!(refused.status.code(), Some(1), "{}", stdout(&refused));
    insta::assert_snapshot!("parses_damaged", snap::render(&env, &refused));
    assert!(!parses_file(&env).exists());
    // The next run starts a new store.
    assert_eq!(stdout(&both(&env, &args)), stdout(&fresh));
    assert_eq!(std::fs::read(parses_file(&env)).unwrap(), stored);
}

#[test]
fn without_the_index_nothing_is_written() {
    let env = demo();
    let out = env
        .charter(&["-C", "sample", "status"])
        .env("CHARTER_NO_INDEX", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let verify = env
        .charter(&["-C", "sample", "verify"])
        .env("CHARTER_NO_INDEX", "1")
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(0), "{}", stderr(&verify));
    assert!(!env.path("sample/.git/charter").exists());
    let refused = env
        .charter(&["-C", "sample", "index"])
        .env("CHARTER_NO_INDEX", "1")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("CHARTER_NO_INDEX"));
}

/// A run killed while writing leaves its `.tmp…` file behind; the next
/// write removes it once it is an hour old, and leaves a younger one (a
/// write in progress) and every other file alone.
#[test]
fn leftovers_of_a_killed_write_are_swept() {
    let env = demo();
    let dir = env.path("sample/.git/charter");
    std::fs::create_dir_all(&dir).unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
    let make = |name: &str, modified: std::time::SystemTime| {
        let file = std::fs::File::create(dir.join(name)).unwrap();
        file.set_modified(modified).unwrap();
    };
    make(".tmpKilled", old);
    make(".tmpWriting", std::time::SystemTime::now());
    make("notes.txt", old);
    let out = env.run(&["-C", "sample", "index"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        !dir.join(".tmpKilled").exists(),
        "a stale leftover is removed"
    );
    assert!(
        dir.join(".tmpWriting").exists(),
        "a young one may be in use"
    );
    assert!(
        dir.join("notes.txt").exists(),
        "other files are not charter's"
    );
    assert!(index_file(&env).is_file());
    // The stored parses are written the same way.
    make(".tmpKilled", old);
    let out = env.run(&["-C", "sample", "status"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(env.path("sample/.git/charter/parsed.idx").is_file());
    assert!(
        !dir.join(".tmpKilled").exists(),
        "swept when the parses are saved"
    );
}
