//! The command-line surface: help text (snapshotted so every change shows in
//! review), completions and the man page.

use crate::common::{stderr, stdout, Env};

/// The subcommands `charter PATH --help` lists under "Commands:", without
/// clap's own `help`.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        // A wrapped description is indented further than a command.
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// The snapshot name of `charter PATH --help`.
fn snapshot_name(path: &[String]) -> String {
    std::iter::once("charter")
        .chain(path.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("_")
}

/// `--help` of charter and of every subcommand it lists, nested ones
/// included, each in a snapshot of its own: a new subcommand's help is a
/// new snapshot to review, found from the program itself.
#[test]
fn every_command_help_is_snapshotted() {
    let env = Env::new();
    let mut queue: Vec<Vec<String>> = vec![vec![]];
    let mut seen = Vec::new();
    while let Some(path) = queue.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let out = env.run(&args);
        let name = snapshot_name(&path);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let help = stdout(&out);
        let usage = format!("Usage: {}", snapshot_name(&path).replace('_', " "));
        assert!(help.contains(&usage), "{name} lacks {usage:?}:\n{help}");
        insta::assert_snapshot!(name.clone(), help);
        for sub in subcommands(&help) {
            let mut deeper = path.clone();
            deeper.push(sub);
            queue.push(deeper);
        }
        seen.push(name);
    }
    for expected in [
        "charter_check",
        "charter_git-diff",
        "charter_signoff_message",
    ] {
        assert!(seen.iter().any(|s| s == expected), "{expected}: {seen:?}");
    }
    // A removed subcommand leaves no snapshot behind.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/snapshots");
    for entry in std::fs::read_dir(dir).unwrap() {
        let file = entry.unwrap().file_name().into_string().unwrap();
        if let Some(name) = file
            .strip_prefix("cli__help__")
            .and_then(|f| f.strip_suffix(".snap"))
        {
            assert!(
                seen.iter().any(|s| s == name),
                "tests/cli/snapshots/{file} belongs to no command; delete it"
            );
        }
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
