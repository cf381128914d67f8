//! `fuzz/keep-corpus` after an interrupted run: when a run stops between
//! its two renames, the old corpus survives only under a hidden name, and
//! the next run must point there (with a command that works from wherever
//! it is typed) rather than claim that the target never ran. These paths
//! end before the script builds anything, so they need no cargo-fuzz.

use std::path::{Path, PathBuf};

use crate::common::{stderr, Env};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/keep-corpus");

/// A copy of the script in a fuzz directory with one target, `t`, under a
/// path with a space in it (the printed `mv` must quote it).
fn fuzz_dir(env: &Env) -> PathBuf {
    let dir = env.home.join("my fuzz");
    std::fs::create_dir_all(dir.join("fuzz_targets")).unwrap();
    std::fs::create_dir_all(dir.join("corpus")).unwrap();
    std::fs::write(dir.join("fuzz_targets/t.rs"), "").unwrap();
    std::fs::copy(SCRIPT, dir.join("keep-corpus")).unwrap();
    dir
}

fn keep_corpus(env: &Env, dir: &Path) -> std::process::Output {
    env.program("bash")
        .arg(dir.join("keep-corpus"))
        .arg("t")
        .output()
        .unwrap()
}

#[test]
fn a_corpus_left_by_an_interrupted_run_is_named_with_a_working_mv() {
    let env = Env::new();
    let dir = fuzz_dir(&env);
    let old = dir.join("corpus/.keep-t.Ab12Cd.old");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join("input"), "kept").unwrap();

    let out = keep_corpus(&env, &dir);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("corpus/t is missing but an interrupted run left corpus/.keep-t.Ab12Cd.old"),
        "{err}"
    );
    // Nothing was moved or deleted by the refusal.
    assert_eq!(std::fs::read_to_string(old.join("input")).unwrap(), "kept");
    assert!(!dir.join("corpus/t").exists());

    // The printed command, run as printed from the repository directory
    // (not the script's), puts the corpus back.
    let mv = err
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with("mv "))
        .unwrap_or_else(|| panic!("no mv command in: {err}"));
    let run = env.program("bash").arg("-c").arg(mv).output().unwrap();
    assert!(run.status.success(), "{mv}: {}", stderr(&run));
    assert_eq!(
        std::fs::read_to_string(dir.join("corpus/t/input")).unwrap(),
        "kept"
    );
    assert!(!old.exists());
}

#[test]
fn a_target_that_never_ran_is_told_to_run_first() {
    let env = Env::new();
    let dir = fuzz_dir(&env);
    let out = keep_corpus(&env, &dir);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("corpus/t does not exist; run the target first"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("interrupted"), "{}", stderr(&out));
}
