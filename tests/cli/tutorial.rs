//! The README's Getting started, run verbatim: every `sh` block of that
//! section, in order, by the person its first line names, in that person's
//! HOME and clone, against a bare repository standing in for the forge.
//!
//! The harness supplies only what the page leaves to people:
//! - the editor (`$EDITOR` writes the next prepared text of the file),
//! - the time (`<!-- tutorial: at DATE -->` sets git's dates and
//!   `CHARTER_TODAY` for the blocks after it),
//! - the forge's merge (`<!-- tutorial: merge BRANCH at DATE -->` runs the
//!   gate as CI would and merges only when it passes).
//!
//! Each command must exit 0 unless its comment says `exit N`.

use std::path::{Path, PathBuf};

use crate::common::{stderr, stdout, Env};

const README: &str = include_str!("../../README.md");
const REMOTE_URL: &str = "https://git.example.com/mentoring/agreements.git";

/// One step of the tutorial, in the README's order.
#[derive(Debug)]
enum Step {
    At(String),
    Merge {
        branch: String,
        at: String,
    },
    Block {
        who: String,
        line: usize,
        commands: Vec<Command>,
    },
}

/// One logical command line of a block (continuation lines joined).
#[derive(Debug)]
struct Command {
    line: usize,
    text: String,
    expect: i32,
}

/// The steps of the README's "Getting started" section.
fn steps() -> Vec<Step> {
    let start = README
        .find("\n## Getting started\n")
        .expect("README has a Getting started section");
    let first_line = README[..start].lines().count() + 2;
    let section = &README[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let mut steps = Vec::new();
    let mut lines = section
        .lines()
        .enumerate()
        .map(|(i, l)| (first_line + i, l));
    while let Some((number, line)) = lines.next() {
        if let Some(directive) = line
            .strip_prefix("<!-- tutorial: ")
            .and_then(|l| l.strip_suffix(" -->"))
        {
            let words: Vec<&str> = directive.split_whitespace().collect();
            steps.push(match words.as_slice() {
                ["at", date] => Step::At((*date).to_owned()),
                ["merge", branch, "at", date] => Step::Merge {
                    branch: (*branch).to_owned(),
                    at: (*date).to_owned(),
                },
                _ => panic!("README line {number}: unknown directive {directive:?}"),
            });
        } else if line == "```sh" {
            let (_, who) = lines.next().expect("a block names who runs it");
            let who = who
                .strip_prefix("# ")
                .unwrap_or_else(|| {
                    panic!("README line {}: a block starts with `# Name`", number + 1)
                })
                .to_owned();
            let mut commands: Vec<Command> = Vec::new();
            let mut continued = false;
            for (number, line) in lines.by_ref() {
                if line == "```" {
                    break;
                }
                if continued {
                    let last = commands.last_mut().unwrap();
                    last.text.push('\n');
                    last.text.push_str(line);
                } else {
                    commands.push(Command {
                        line: number,
                        text: line.to_owned(),
                        expect: 0,
                    });
                }
                continued = line.ends_with('\\');
                let command = commands.last_mut().unwrap();
                if let Some(code) = line.split("# exit ").nth(1) {
                    let code: String = code.chars().take_while(char::is_ascii_digit).collect();
                    command.expect = code.parse().unwrap();
                }
            }
            steps.push(Step::Block {
                who,
                line: number,
                commands,
            });
        }
    }
    steps
}

/// One person's machine: a HOME with git set up, a key, and the forge's
/// address pointing at the bare repository.
struct Machine {
    env: Env,
}

impl Machine {
    fn new(name: &str, email: &str, remote: &Path) -> Machine {
        let env = Env::new();
        std::fs::write(
            env.home.join(".gitconfig"),
            format!(
                "[user]\n\tname = {name}\n\temail = {email}\n[init]\n\tdefaultBranch = main\n\
                 [url \"{}\"]\n\tinsteadOf = {REMOTE_URL}\n",
                remote.display()
            ),
        )
        .unwrap();
        env.keygen_at(&env.home.join(".ssh/id_ed25519"), "ed25519", "");
        std::fs::write(env.home.join(".tutorial-cwd"), env.home.to_str().unwrap()).unwrap();
        Machine { env }
    }

    /// The editor: each run writes the next prepared text into its file.
    fn install_editor(&self, texts: &[String]) {
        let dir = self.env.home.join(".edits");
        std::fs::create_dir_all(&dir).unwrap();
        for (i, text) in texts.iter().enumerate() {
            std::fs::write(dir.join(i.to_string()), text).unwrap();
        }
        std::fs::write(dir.join("next"), "0\n").unwrap();
        let editor = self.env.home.join("bin/edit");
        std::fs::create_dir_all(editor.parent().unwrap()).unwrap();
        std::fs::write(
            &editor,
            "#!/bin/sh\nset -e\nd=\"$HOME/.edits\"\nn=$(cat \"$d/next\")\n\
             test -f \"$d/$n\"\ncp \"$d/$n\" \"$1\"\necho $((n + 1)) > \"$d/next\"\n",
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// Run a block as a script: each command's exit status is checked
    /// against its expectation, and the working directory carries over.
    fn run(&self, who: &str, block_line: usize, commands: &[Command], at: &str) {
        let mut script = String::from("cd \"$(cat ~/.tutorial-cwd)\" || exit 98\n");
        for command in commands {
            script.push_str(&command.text);
            script.push_str(&format!(
                "\nrc=$?; if [ \"$rc\" -ne {} ]; then echo \"README line {}: exit $rc, expected {}\" >&2; exit 99; fi\n",
                command.expect, command.line, command.expect
            ));
        }
        script.push_str("pwd > ~/.tutorial-cwd\n");
        let charter = PathBuf::from(env!("CARGO_BIN_EXE_charter"));
        let path = format!(
            "{}:{}",
            charter.parent().unwrap().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let out = self
            .env
            .program("bash")
            .args(["--noprofile", "--norc", "-c", &script])
            .env("PATH", path)
            .env("EDITOR", self.env.home.join("bin/edit"))
            .env("TZ", "UTC")
            .env("GIT_AUTHOR_DATE", at)
            .env("GIT_COMMITTER_DATE", at)
            .env("CHARTER_TODAY", &at[..10])
            .current_dir(&self.env.home)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{who}'s block at README line {block_line} failed\n--- stdout\n{}\n--- stderr\n{}",
            stdout(&out),
            stderr(&out)
        );
    }

    fn clone(&self) -> PathBuf {
        PathBuf::from(
            std::fs::read_to_string(self.env.home.join(".tutorial-cwd"))
                .unwrap()
                .trim(),
        )
    }
}

/// The agreement as Grace fills it in, and Ada's amendment of it.
fn edits() -> (String, String) {
    let proposed = crate::common::example("ada-grace.yaml")
        .replace("2026-01-12", "2026-11-23")
        .replace("end: 2026-07-10", "end: 2027-07-10")
        .replace("due: 2026-04-30", "due: 2027-04-30")
        .replace("due: 2026-06-15", "due: 2027-06-15");
    let weekly = proposed
        .replace("cadence: biweekly", "cadence: weekly")
        .replace("effective: 2026-11-23", "effective: 2026-12-20");
    assert_ne!(proposed, weekly);
    (proposed, weekly)
}

#[test]
fn readme_getting_started_runs_verbatim_on_two_machines() {
    let forge = Env::new();
    let remote = forge.home.join("agreements.git");
    forge.git(&[
        "init",
        "-q",
        "--bare",
        "-b",
        "main",
        remote.to_str().unwrap(),
    ]);
    let grace = Machine::new("Grace Hopper", "grace@example.com", &remote);
    let ada = Machine::new("Ada Lovelace", "ada@example.com", &remote);
    std::fs::copy(
        ada.env.home.join(".ssh/id_ed25519.pub"),
        grace.env.home.join("ada.pub"),
    )
    .unwrap();
    let (proposed, weekly) = edits();
    grace.install_editor(&[proposed]);
    ada.install_editor(&[weekly]);

    let steps = steps();
    let blocks = steps
        .iter()
        .filter(|s| matches!(s, Step::Block { .. }))
        .count();
    assert!(blocks >= 5, "the tutorial lost its blocks: {steps:?}");
    let mut at = String::new();
    let mut merges = 0;
    for step in &steps {
        match step {
            Step::At(date) => at = date.clone(),
            Step::Block {
                who,
                line,
                commands,
            } => {
                assert!(
                    !at.is_empty(),
                    "README line {line}: no date before the block"
                );
                let machine = match who.as_str() {
                    "Grace" => &grace,
                    "Ada" => &ada,
                    other => panic!("README line {line}: who is {other:?}?"),
                };
                machine.run(who, *line, commands, &at);
            }
            Step::Merge { branch, at } => {
                merges += 1;
                merge(&forge, &remote, branch, at);
            }
        }
    }
    assert_eq!(merges, 2, "the proposal and the amendment are merged");

    // Where the tutorial leaves them: both clones agree that the weekly
    // amendment is signed and scheduled, and it is in force once its day
    // comes.
    let ada_clone = ada.clone();
    for (day, state) in [("2026-11-27", "scheduled"), ("2026-12-21", "in-force")] {
        let out = ada
            .env
            .charter(&[
                "-C",
                ada_clone.to_str().unwrap(),
                "status",
                "--format",
                "json",
                "--today",
                day,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let entry = &json["agreements"][0];
        assert_eq!(entry["state"], state, "{json:#}");
        let since = entry["in_force"]["since"].as_str().unwrap();
        if day == "2026-11-27" {
            assert_eq!(since, "2026-11-23", "{json:#}");
            assert_eq!(
                entry["scheduled"].as_array().map(Vec::len),
                Some(1),
                "{json:#}"
            );
        } else {
            assert_eq!(since, "2026-12-20", "{json:#}");
        }
    }
    let grace_clone = grace.clone();
    let log = grace
        .env
        .charter(&[
            "-C",
            grace_clone.to_str().unwrap(),
            "log",
            "ada-grace",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(log.status.code(), Some(0), "{}", stderr(&log));
    let log: serde_json::Value = serde_json::from_slice(&log.stdout).unwrap();
    assert_eq!(
        log["versions"][0]["notice"]["opened"], "2026-11-25",
        "{log:#}"
    );
}

/// The forge's merge: CI runs the gate on the branch against `main`, and
/// the branch is merged only when it passes.
fn merge(forge: &Env, remote: &Path, branch: &str, at: &str) {
    let clone = forge.home.join("ci");
    if !clone.exists() {
        forge.git(&[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            clone.to_str().unwrap(),
        ]);
    }
    let git = |args: &[&str]| {
        let out = forge
            .git_command()
            .current_dir(&clone)
            .env("GIT_AUTHOR_DATE", at)
            .env("GIT_COMMITTER_DATE", at)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    };
    git(&["fetch", "-q", "origin"]);
    git(&["switch", "-q", "--detach", &format!("origin/{branch}")]);
    let gate = forge
        .charter(&[
            "-C",
            clone.to_str().unwrap(),
            "check",
            "--base",
            "origin/main",
            "--head",
            "HEAD",
            "--today",
            &at[..10],
        ])
        .output()
        .unwrap();
    assert_eq!(
        gate.status.code(),
        Some(0),
        "the gate on {branch}: {}{}",
        stdout(&gate),
        stderr(&gate)
    );
    git(&["switch", "-q", "-C", "main", "origin/main"]);
    git(&[
        "merge",
        "-q",
        "--no-ff",
        "-m",
        &format!("Merge {branch}"),
        &format!("origin/{branch}"),
    ]);
    git(&["push", "-q", "origin", "main"]);
}
