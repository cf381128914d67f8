//! Faults: charter killed in the middle of writing, a read-only checkout,
//! and the promise that nothing is written outside the repository.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::{stderr, stdout, Env, Key, NOW};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const AGREEMENT: &str = "agreements/ada-grace.yaml";

/// How many kills each fault test makes, spread over one whole run.
const KILLS: u32 = 24;

/// A repository with the minimal agreement committed and the mentor's key
/// trusted.
fn setup() -> (Env, Key) {
    let env = Env::with_git().clocked(NOW);
    let mentor = env.keygen("grace", "ed25519", "");
    env.write(
        "allowed_signers",
        format!("grace@example.com {}\n", mentor.line),
    );
    let text = std::fs::read_to_string(format!("{FIXTURES}/valid-minimal.yaml"))
        .unwrap()
        .replace("end: 2026-07-10", "end: 2027-12-31");
    env.write(AGREEMENT, text);
    env.commit_all("Add ada-grace", NOW);
    (env, mentor)
}

/// `git fsck` finds no corruption (dangling objects from an interrupted
/// commit are not corruption).
fn assert_fsck_clean(env: &Env, context: &str) {
    let out = env
        .git_command()
        .args(["fsck", "--full", "--no-dangling", "--no-progress"])
        .output()
        .unwrap();
    assert!(
        out.status.success() && out.stdout.is_empty(),
        "{context}: git fsck: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every file in the working tree except `.git`, relative, with its bytes.
fn tree_files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_name() == ".git" {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_owned();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Starts charter, kills it with SIGKILL after `delay` (unless it ended
/// first) and reports whether it was killed.
fn run_and_kill(env: &Env, args: &[&str], delay: Duration) -> bool {
    let charter = assert_cmd::cargo::cargo_bin("charter");
    let mut child = env
        .process(charter)
        .current_dir(&env.repo)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if start.elapsed() >= delay {
            child.kill().unwrap();
            child.wait().unwrap();
            return true;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// How long one uninterrupted run takes here, so that kills can be spread
/// over all of it (this measures, it asserts nothing about speed).
fn full_run(env: &Env, args: &[&str], reset: &dyn Fn()) -> Duration {
    let start = Instant::now();
    let out = env.run(args);
    let took = start.elapsed();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    reset();
    took
}

/// Lock files that a process killed while git (or libgit2) held them
/// leaves behind, as git itself does: `index.lock`, `HEAD.lock`,
/// `refs/heads/main.lock`.
fn stale_locks(env: &Env) -> Vec<PathBuf> {
    [
        ".git/index.lock",
        ".git/HEAD.lock",
        ".git/refs/heads/main.lock",
    ]
    .iter()
    .map(|rel| env.path(rel))
    .filter(|p| p.exists())
    .collect()
}

/// Puts the repository back at `commit` with a clean tree and no lock.
fn reset_to(env: &Env, commit: &str) {
    for lock in stale_locks(env) {
        std::fs::remove_file(lock).unwrap();
    }
    env.git(&["reset", "-q", "--hard", commit]);
    env.git(&["clean", "-q", "-fdx"]);
}

#[test]
fn a_stale_ref_lock_is_a_clear_error() {
    // What a kill during the ref update leaves behind: charter must not
    // break the lock, and must say what to do.
    let (env, _) = setup();
    env.git(&["branch", "-M", "main"]);
    env.write(
        AGREEMENT,
        env.read(AGREEMENT).replace("Minimal agreement", "Retitled"),
    );
    env.write(".git/refs/heads/main.lock", "");
    let out = env.run(&["amend", "ada-grace", "-m", "Retitle"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(".git/refs/heads/main.lock"), "{err}");
    assert!(err.contains("delete the .lock file"), "{err}");
    assert!(!err.contains("class="), "{err}");
    assert_eq!(env.git(&["rev-list", "--count", "HEAD"]).trim(), "1");
    assert!(env.path(".git/refs/heads/main.lock").exists());
}

#[test]
fn a_kill_during_sign_leaves_no_corruption_and_no_partial_file() {
    let (env, mentor) = setup();
    let start = env.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let args = [
        "sign",
        "ada-grace",
        "--as",
        "mentor",
        "--key",
        mentor.path(),
    ];
    let full = full_run(&env, &args, &|| reset_to(&env, &start));
    let mut killed = 0;
    for i in 0..KILLS {
        let delay = full * i / KILLS;
        killed += u32::from(run_and_kill(&env, &args, delay));
        let context = format!("kill after {delay:?}");
        assert_fsck_clean(&env, &context);
        // Whatever is in the tree is complete: the sign-off either is not
        // there or is a whole, valid file with the name of its content.
        for (path, bytes) in tree_files(&env.repo) {
            let name = path.to_string_lossy();
            assert!(
                !name.contains(".charter-"),
                "{context}: a temporary file was left behind: {name}"
            );
            if name.starts_with("signoffs/") {
                let out = env.run(&["validate", &name]);
                assert_eq!(
                    out.status.code(),
                    Some(0),
                    "{context}: {name} ({} bytes): {}{}",
                    bytes.len(),
                    stdout(&out),
                    stderr(&out)
                );
            }
        }
        // HEAD is the start or one commit that adds one whole sign-off.
        let head = env.git(&["rev-parse", "HEAD"]).trim().to_owned();
        if head != start {
            let added = env.git(&["diff", "--name-only", &start, &head]);
            assert_eq!(added.lines().count(), 1, "{context}: {added}");
            assert!(added.starts_with("signoffs/ada-grace/"), "{context}");
            assert_eq!(env.git(&["rev-parse", "HEAD~1"]).trim(), start, "{context}");
        }
        reset_to(&env, &start);
    }
    assert!(killed > 0, "no run was interrupted");
}

#[test]
fn a_kill_during_amend_leaves_no_corruption_and_the_edit_intact() {
    let (env, _) = setup();
    let start = env.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let edited = env.read(AGREEMENT).replace("Minimal agreement", "Retitled");
    let edit = || env.write(AGREEMENT, &edited);
    let args = ["amend", "ada-grace", "-m", "Retitle"];
    edit();
    let full = full_run(&env, &args, &|| reset_to(&env, &start));
    let mut killed = 0;
    for i in 0..KILLS {
        edit();
        let delay = full * i / KILLS;
        killed += u32::from(run_and_kill(&env, &args, delay));
        let context = format!("kill after {delay:?}");
        assert_fsck_clean(&env, &context);
        // charter never rewrites the user's file, even when killed.
        assert_eq!(env.read(AGREEMENT), edited, "{context}");
        let files = tree_files(&env.repo);
        assert!(
            files
                .keys()
                .all(|p| !p.to_string_lossy().contains(".charter-")),
            "{context}: {files:?}"
        );
        let head = env.git(&["rev-parse", "HEAD"]).trim().to_owned();
        if head != start {
            assert_eq!(env.git(&["rev-parse", "HEAD~1"]).trim(), start);
            assert_eq!(env.git(&["show", &format!("{head}:{AGREEMENT}")]), edited);
        }
        reset_to(&env, &start);
    }
    assert!(killed > 0, "no run was interrupted");
}

/// What a kill during `sign` may leave, as git leaves it: at worst the new
/// sign-off staged as added (killed after the index was written, before
/// the branch moved) and `index.lock` behind, which the next write names
/// as a clear error; never a committed file staged as deleted, the fault
/// that the next unrelated commit would turn into a lost sign-off.
#[test]
fn a_kill_during_sign_never_stages_a_committed_file_as_deleted() {
    let (env, mentor) = setup();
    let start = env.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let args = [
        "sign",
        "ada-grace",
        "--as",
        "mentor",
        "--key",
        mentor.path(),
    ];
    let full = full_run(&env, &args, &|| reset_to(&env, &start));
    let mut killed = 0;
    let mut lock_checked = false;
    for i in 0..KILLS * 4 {
        let delay = full * i / (KILLS * 4);
        let was_killed = run_and_kill(&env, &args, delay);
        killed += u32::from(was_killed);
        let context = format!("kill after {delay:?}");
        let head = env.git(&["rev-parse", "HEAD"]).trim().to_owned();
        let staged = env.git(&["diff", "--cached", "--name-status", "HEAD"]);
        if !was_killed {
            // A run that finished leaves no lock and an index equal to HEAD.
            assert!(
                !env.path(".git/index.lock").exists(),
                "{context}: index.lock left"
            );
            assert_eq!(staged, "", "{context}: index differs from HEAD");
        }
        for line in staged.lines() {
            assert!(
                head == start && line.starts_with("A\tsignoffs/ada-grace/"),
                "{context}: the index is out of step with HEAD in a way that loses work: {staged}"
            );
        }
        if env.path(".git/index.lock").exists() && !lock_checked {
            lock_checked = true;
            // The sign-off may already be committed, so the next write is
            // an amendment.
            env.write(
                AGREEMENT,
                env.read(AGREEMENT).replace("Minimal agreement", "Retitled"),
            );
            let out = env.run(&["amend", "ada-grace", "-m", "Retitle"]);
            assert_eq!(out.status.code(), Some(2), "{context}: {}", stderr(&out));
            assert!(
                stderr(&out).contains(".git/index.lock"),
                "{context}: {}",
                stderr(&out)
            );
            assert_eq!(env.git(&["rev-parse", "HEAD"]).trim(), head, "{context}");
        }
        reset_to(&env, &start);
    }
    assert!(killed > 0, "no run was interrupted");
}

/// Runs `script` (sh) with the repository made read-only: by a read-only
/// bind mount in a private mount namespace when running as root (root
/// ignores file modes), else by file modes.
fn read_only(env: &Env, args: &[&str]) -> std::process::Output {
    let charter = assert_cmd::cargo::cargo_bin("charter");
    let uid = env.process("id").arg("-u").output().unwrap();
    let root = String::from_utf8_lossy(&uid.stdout).trim() == "0";
    let repo = env.repo.to_str().unwrap();
    if root {
        let script = format!(
            "mount --bind '{repo}' '{repo}' && mount -o remount,bind,ro '{repo}' && exec \"$0\" \"$@\""
        );
        let out = env
            .program("unshare")
            .args(["-rm", "sh", "-c", &script])
            .arg(&charter)
            .args(args)
            .output()
            .unwrap();
        assert!(
            !stderr(&out).contains("unshare:") && !stderr(&out).contains("mount:"),
            "could not make a read-only mount: {}",
            stderr(&out)
        );
        out
    } else {
        let mode = |m: &str| {
            let status = env.process("chmod").args(["-R", m, repo]).status().unwrap();
            assert!(status.success());
        };
        mode("a-w");
        let out = env.program(&charter).args(args).output().unwrap();
        mode("u+w");
        out
    }
}

#[test]
fn a_read_only_checkout_reads_fine_and_refuses_writes_clearly() {
    let (env, mentor) = setup();
    // Reading commands work as usual.
    for (args, code) in [
        (&["validate"][..], 0),
        (&["check"][..], 0),
        (&["status"][..], 0),
        (&["verify"][..], 0),
        (&["log", "ada-grace"][..], 0),
        (&["diff"][..], 0),
    ] {
        let out = read_only(&env, args);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
    }
    // Writing commands exit 2 and name what they could not write.
    let out = read_only(
        &env,
        &[
            "sign",
            "ada-grace",
            "--as",
            "mentor",
            "--key",
            mentor.path(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("signoffs/ada-grace"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("Read-only file system") || stderr(&out).contains("ermission denied"),
        "{}",
        stderr(&out)
    );

    let out = read_only(
        &env,
        &[
            "new",
            "new-one",
            "--mentor",
            "Grace Hopper <grace@example.com>",
            "--mentee",
            "Ada Lovelace <ada@example.com>",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("agreements/new-one.yaml"),
        "{}",
        stderr(&out)
    );

    env.write(
        AGREEMENT,
        env.read(AGREEMENT).replace("Minimal agreement", "Retitled"),
    );
    let out = read_only(&env, &["amend", "ada-grace", "-m", "Retitle"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains(".git"), "{}", stderr(&out));
    // Nothing changed.
    assert_eq!(env.git(&["rev-list", "--count", "HEAD"]).trim(), "1");
    assert!(!env.path("signoffs").exists());
}

/// Every file under `dir` with its size and modification time.
fn snapshot(dir: &Path, skip: &Path) -> BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if path == skip {
                continue;
            }
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path.clone());
            }
            out.insert(path, (meta.len(), meta.modified().unwrap()));
        }
    }
    out
}

#[test]
fn nothing_is_written_outside_the_repository() {
    let (env, mentor) = setup();
    let sandbox = env.home.parent().unwrap().to_owned();
    let tmpdir = sandbox.join("tmp");
    std::fs::create_dir_all(&tmpdir).unwrap();
    let before = snapshot(&sandbox, &env.repo);
    let run = |args: &[&str], code: i32| {
        let out = env
            .charter(args)
            .env("TMPDIR", &tmpdir)
            .env("XDG_CONFIG_HOME", env.home.join(".config"))
            .env("XDG_CACHE_HOME", env.home.join(".cache"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
    };
    run(&["validate"], 0);
    run(
        &[
            "sign",
            "ada-grace",
            "--as",
            "mentor",
            "--key",
            mentor.path(),
        ],
        0,
    );
    env.write(
        AGREEMENT,
        env.read(AGREEMENT).replace("Minimal agreement", "Retitled"),
    );
    run(&["diff"], 0);
    run(&["amend", "ada-grace", "-m", "Retitle"], 0);
    run(
        &[
            "new",
            "other",
            "--mentor",
            "Grace Hopper <grace@example.com>",
            "--mentee",
            "Ada Lovelace <ada@example.com>",
        ],
        0,
    );
    for args in [
        &["check"][..],
        &["status"][..],
        &["verify"][..],
        &["log", "ada-grace"][..],
        &["show", "ada-grace"][..],
        &["textconv", AGREEMENT][..],
    ] {
        let out = env.charter(args).env("TMPDIR", &tmpdir).output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let after = snapshot(&sandbox, &env.repo);
    assert_eq!(before, after, "files outside the repository changed");
}

/// A HEAD that names a missing commit is an error before anything is
/// judged: it is not "no history", which would skip the notice rule.
#[test]
fn amend_with_an_unreadable_head_stops_before_judging() {
    let (env, _) = setup();
    env.git(&["branch", "-M", "main"]);
    env.write(
        AGREEMENT,
        env.read(AGREEMENT).replace("Minimal agreement", "Retitled"),
    );
    env.write(
        ".git/refs/heads/main",
        "0123456789abcdef0123456789abcdef01234567\n",
    );
    let out = env.run(&["amend", "ada-grace", "-m", "Retitle"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("reading HEAD"), "{err}");
    assert!(!err.contains("committed"), "{err}");
}
