//! The command-line surface: help text (snapshotted so every change shows in
//! review), completions and the man page.

use crate::common::{stderr, stdout, Env};

#[test]
fn top_level_help() {
    let env = Env::new();
    let out = env.run(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn every_subcommand_has_help() {
    let env = Env::new();
    for command in [
        "init",
        "new",
        "validate",
        "diff",
        "log",
        "amend",
        "demo",
        "completions",
        "man",
        "textconv",
        "sign",
        "verify",
        "signoff",
    ] {
        let out = env.run(&[command, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{command}");
        assert!(stdout(&out).contains("Usage: charter"), "{command}");
    }
}

#[test]
fn completions_and_man_page() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = env.run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(stdout(&out).contains("validate"), "{shell}");
    }
    let man = stdout(&env.run(&["man"]));
    assert!(
        man.starts_with(".ie") || man.contains(".TH charter"),
        "{}",
        &man[..200.min(man.len())]
    );
    assert_eq!(env.run(&["completions", "cmd.exe"]).status.code(), Some(2));
}

#[test]
fn man_dir_writes_every_page_charter_1_refers_to() {
    let env = Env::new();
    let out = env.run(&["man", "--dir", "man1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = env.path("man1");
    let top = std::fs::read_to_string(dir.join("charter.1")).unwrap();
    let mut referred = 0;
    for part in top.split("charter\\-").skip(1) {
        let name = part.split('(').next().unwrap().replace("\\-", "-");
        assert!(
            dir.join(format!("charter-{name}.1")).is_file(),
            "charter.1 refers to charter-{name}(1), which was not written"
        );
        referred += 1;
    }
    assert!(referred >= 10, "{top}");
    let init = std::fs::read_to_string(dir.join("charter-init.1")).unwrap();
    assert!(init.contains(".TH charter-init"), "{init}");
    // A second run does not overwrite what the first wrote.
    let again = env.run(&["man", "--dir", "man1"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("never overwrites"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let env = Env::new();
    let mut child = env
        .process(assert_cmd::cargo::cargo_bin("charter"))
        .args(["man"])
        .current_dir(&env.repo)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert!(status.code() == Some(0), "{status:?} {err}");
}

#[test]
fn signing_commands_help() {
    let env = Env::new();
    for (name, args) in [
        ("sign_help", &["sign", "--help"][..]),
        ("verify_help", &["verify", "--help"][..]),
        ("signoff_help", &["signoff", "--help"][..]),
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(0), "{name}");
        insta::assert_snapshot!(name, stdout(&out));
    }
}
