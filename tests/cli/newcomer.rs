//! The mistakes a newcomer makes get the right answer: a mistyped id, a
//! path where an id is expected, a file full of schema errors, a directory
//! that is not a charter repository, counts in the summaries.

use crate::common::{findings_json, stderr, stdout, Env};

const AGREEMENT: &str = "agreements/ada-grace.yaml";
const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/valid-minimal.yaml"
);

/// A repository with ada-grace committed, and both parties' keys trusted.
fn setup() -> (Env, crate::common::Key) {
    let env = Env::with_git();
    let mentor = env.keygen("grace", "ed25519", "");
    env.write(
        "allowed_signers",
        format!("grace@example.com {}\n", mentor.line),
    );
    env.write(AGREEMENT, std::fs::read_to_string(FIXTURE).unwrap());
    env.commit_all("Add ada-grace", "2026-01-05T10:00:00Z");
    (env, mentor)
}

#[test]
fn a_mistyped_id_gets_the_same_suggestion_from_every_command() {
    let (env, mentor) = setup();
    let commands: Vec<Vec<&str>> = vec![
        vec!["sign", "ada-grac", "--as", "mentor", "--key", mentor.path()],
        vec!["amend", "ada-grac"],
        vec!["log", "ada-grac"],
        vec!["show", "ada-grac"],
        vec!["verify", "ada-grac"],
    ];
    for args in commands {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        let first = err.lines().next().unwrap();
        assert!(
            first.starts_with(
                "error: no agreement `ada-grac`: agreements/ada-grac.yaml does not exist"
            ),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("hint: did you mean `ada-grace`?"),
            "{args:?}: {err}"
        );
    }
    // diff words its suggestion the same way.
    let out = env.run(&["diff", "--", "ada-grac"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("hint: did you mean `ada-grace`?"),
        "{}",
        stderr(&out)
    );
    // Nothing close: the known ids are listed instead.
    let out = env.run(&["log", "zzz"]);
    assert!(
        stderr(&out).contains("the agreements are: ada-grace"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_path_is_accepted_wherever_an_id_is() {
    let (env, _) = setup();
    let by_id = stdout(&env.run(&["log", "ada-grace", "--format", "json"]));
    assert!(by_id.contains("\"agreement\": \"ada-grace\""), "{by_id}");
    for arg in [AGREEMENT, "./agreements/ada-grace.yaml"] {
        let out = env.run(&["log", arg, "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{arg}: {}", stderr(&out));
        assert_eq!(stdout(&out), by_id, "{arg}");
        let out = env.run(&["verify", arg]);
        assert_eq!(out.status.code(), Some(0), "{arg}: {}", stderr(&out));
    }
    // Relative to the current directory, as paths are.
    let out = env.run(&[
        "-C",
        "agreements",
        "log",
        "ada-grace.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), by_id);
    let out = env.run(&["-C", "agreements", "show", "./ada-grace.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // A path is only reduced to an id: never one outside the agreements.
    env.write("notes/ada-grace.yaml", "x: 1\n");
    for arg in [
        "notes/ada-grace.yaml",
        "agreements/../notes/ada-grace.yaml",
        "../outside/ada-grace.yaml",
        "/etc/passwd.yaml",
        "agreements/sub/ada-grace.yaml",
    ] {
        let out = env.run(&["log", arg]);
        assert_eq!(out.status.code(), Some(2), "{arg}");
        assert!(
            stderr(&out).contains("is neither an agreement id nor a file in agreements/"),
            "{arg}: {}",
            stderr(&out)
        );
    }
    // new takes a path too, and writes the id's file.
    let out = env.run(&[
        "new",
        "./agreements/lin-sam.yaml",
        "--mentor",
        "Lin <lin@example.com>",
        "--mentee",
        "Sam <sam@example.com>",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(env.path("agreements/lin-sam.yaml").is_file());
}

#[test]
fn validate_reports_every_missing_field_at_once() {
    let env = Env::with_git();
    // Five required fields missing: title, purpose, effective, term, renegotiation.
    let text: String = std::fs::read_to_string(FIXTURE)
        .unwrap()
        .lines()
        .filter(|l| {
            ![
                "title:",
                "purpose:",
                "effective:",
                "term:",
                "renegotiation:",
            ]
            .iter()
            .any(|k| l.starts_with(k))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    env.write(AGREEMENT, &text);
    let out = env.run(&["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json = findings_json(&out);
    let findings = json["findings"].as_array().unwrap();
    let missing: Vec<&str> = findings
        .iter()
        .filter(|f| f["rule"] == "schema")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        missing,
        [
            "missing field `title`",
            "missing field `purpose`",
            "missing field `effective`",
            "missing field `term`",
            "missing field `renegotiation`"
        ],
        "{json:#}"
    );
    assert!(findings
        .iter()
        .all(|f| f["line"] == 1 && f["column"] == 1 && f["file"] == AGREEMENT));

    // Nested and mixed problems are each located where they are.
    env.write(
        AGREEMENT,
        std::fs::read_to_string(FIXTURE)
            .unwrap()
            .replace("email: grace@example.com", "mail: grace@example.com")
            .replace("cadence: biweekly", "cadence: [biweekly]")
            .replace("    evidence: The decision record.\n", "    evidense: x\n"),
    );
    let out = env.run(&["validate", "--format", "json"]);
    let json = findings_json(&out);
    let got: Vec<(u64, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let has = |line: u64, text: &str| got.iter().any(|(l, m)| *l == line && m.contains(text));
    assert!(
        has(4, "`parties.mentor.mail`: unknown field `mail`"),
        "{got:#?}"
    );
    assert!(
        has(4, "`parties.mentor`: missing field `email`"),
        "{got:#?}"
    );
    assert!(has(9, "`meetings.cadence`: invalid type"), "{got:#?}");
    assert!(
        has(15, "`goals[0].evidense`: unknown field `evidense`"),
        "{got:#?}"
    );
    assert_eq!(got.len(), 4, "{got:#?}");
}

#[test]
fn validate_and_check_without_a_charter_repository_exit_2() {
    let env = Env::new();
    let out = env.run(&["validate"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no charter repository in"), "{err}");
    assert!(err.contains("charter init"), "{err}");
    assert!(!stdout(&out).contains("no problems found"));

    env.git(&["init", "-q"]);
    env.write("README.md", "hello\n");
    env.commit_all("Unrelated", "2026-01-05T10:00:00Z");
    let out = env.run(&["validate"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = env.run(&["check"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no charter repository at HEAD"),
        "{}",
        stderr(&out)
    );

    // Naming files still validates them, and a layout makes it a repository.
    std::fs::write(
        env.path("draft.yaml"),
        std::fs::read_to_string(FIXTURE).unwrap(),
    )
    .unwrap();
    let out = env.run(&["validate", "draft.yaml"]);
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    std::fs::create_dir(env.path("agreements")).unwrap();
    let out = env.run(&["validate"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn new_outside_a_git_repository_refuses_and_says_why() {
    let env = Env::new();
    let out = env.run(&[
        "new",
        "ada-grace",
        "--mentor",
        "Grace <grace@example.com>",
        "--mentee",
        "Ada <ada@example.com>",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("is not inside a git repository"), "{err}");
    assert!(err.contains("agreements/ada-grace.yaml"), "{err}");
    assert!(err.contains("charter init"), "{err}");
    assert!(!env.path("agreements").exists());
}

#[test]
fn counts_agree_with_their_number() {
    let env = Env::with_git();
    env.write(
        AGREEMENT,
        std::fs::read_to_string(FIXTURE)
            .unwrap()
            .replace("end: 2026-07-10", "end: 2026-01-01"),
    );
    let out = env.run(&["validate", "--color", "never"]);
    let err = stderr(&out);
    assert!(err.contains("validate: 1 error, "), "{err}");
    assert!(!err.contains("1 errors"), "{err}");

    let (env, mentor) = setup();
    let out = env
        .charter(&[
            "sign",
            "ada-grace",
            "--as",
            "mentor",
            "--key",
            mentor.path(),
        ])
        .env("GIT_COMMITTER_DATE", "2026-01-06T10:00:00Z")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = env.run(&["verify"]);
    let err = stderr(&out);
    assert!(
        err.contains("verify: 1 valid, 0 invalid sign-off in 1 agreement"),
        "{err}"
    );
}
