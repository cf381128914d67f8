//! charter's own commits take their author, committer and dates exactly as
//! `git commit` does: each case runs `charter amend` (or `sign`) and real
//! `git commit` under the same environment and compares the two commits.

use crate::common::{stderr, Env};

const AGREEMENT: &str = "agreements/ada-grace.yaml";
const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/valid-minimal.yaml"
);

fn setup() -> Env {
    let env = Env::with_git();
    env.write(AGREEMENT, std::fs::read_to_string(FIXTURE).unwrap());
    env.commit_all("Add ada-grace", "2026-01-05T10:00:00Z");
    env
}

/// Author and committer of HEAD, with raw dates (`seconds offset`).
fn who(env: &Env) -> String {
    env.git(&[
        "log",
        "-1",
        "--date=raw",
        "--format=%an|%ae|%ad|%cn|%ce|%cd",
    ])
    .trim()
    .to_owned()
}

/// Make one commit with charter (`amend` of a new title) and one with git
/// under `vars`, and return both identities.
fn both(env: &Env, n: usize, vars: &[(&str, &str)]) -> (String, String) {
    let text = env.read(AGREEMENT);
    let title = text.lines().find(|l| l.starts_with("title:")).unwrap();
    env.write(
        AGREEMENT,
        text.replace(title, &format!("title: Minimal agreement {n}")),
    );
    let mut charter = env.charter(&["amend", "ada-grace", "-m", "retitle"]);
    for (k, v) in vars {
        charter.env(k, v);
    }
    let out = charter.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "amend: {}", stderr(&out));
    let by_charter = who(env);

    let mut git = env.git_command();
    git.args(["commit", "-q", "--allow-empty", "-m", "by git"]);
    for (k, v) in vars {
        git.env(k, v);
    }
    let out = git.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (by_charter, who(env))
}

#[test]
fn names_emails_and_dates_from_the_environment_match_git_commit() {
    let env = setup();
    let cases: &[&[(&str, &str)]] = &[
        &[
            ("GIT_AUTHOR_NAME", "Ada Lovelace"),
            ("GIT_AUTHOR_EMAIL", "ada@example.com"),
            ("GIT_COMMITTER_NAME", "Grace Hopper"),
            ("GIT_COMMITTER_EMAIL", "grace@example.com"),
            ("GIT_AUTHOR_DATE", "2026-01-12T10:00:00Z"),
            ("GIT_COMMITTER_DATE", "2026-01-12 11:00:00 +0100"),
        ],
        &[
            ("GIT_AUTHOR_DATE", "@1768212000 +0200"),
            ("GIT_COMMITTER_DATE", "Tue, 13 Jan 2026 09:30:00 -0500"),
        ],
        &[
            ("GIT_AUTHOR_DATE", "1768212000 +0530"),
            ("GIT_COMMITTER_DATE", "2026-01-14T08:00:00.250+01:00"),
        ],
        // No zone: the local one, from TZ, as git does.
        &[
            ("TZ", "Europe/Berlin"),
            ("GIT_AUTHOR_DATE", "2026-07-01 10:00:00"),
            ("GIT_COMMITTER_DATE", "2026-01-15T10:00:00"),
        ],
        // git strips "crud" around names and emails.
        &[
            ("GIT_AUTHOR_NAME", "  Ada Lovelace. "),
            ("GIT_AUTHOR_EMAIL", "<ada@example.com>"),
            ("GIT_AUTHOR_DATE", "2026-01-16T10:00:00Z"),
            ("GIT_COMMITTER_DATE", "2026-01-16T10:00:00Z"),
        ],
    ];
    for (n, vars) in cases.iter().enumerate() {
        let (by_charter, by_git) = both(&env, n, vars);
        assert_eq!(by_charter, by_git, "case {n}: {vars:?}");
    }
}

#[test]
fn each_date_variable_sets_only_its_own_date_and_config_names_are_used() {
    let env = setup();
    env.git(&["config", "author.name", "Configured Author"]);
    env.git(&["config", "committer.email", "committer@example.com"]);
    let before = chrono::Utc::now().timestamp();
    let (by_charter, by_git) = both(&env, 1, &[("GIT_AUTHOR_DATE", "2026-01-12T10:00:00Z")]);
    let after = chrono::Utc::now().timestamp();
    let fields = |s: &str| s.split('|').map(str::to_owned).collect::<Vec<_>>();
    let (c, g) = (fields(&by_charter), fields(&by_git));
    // Names, emails and the author date agree with git exactly.
    assert_eq!(c[..3], g[..3], "{by_charter} vs {by_git}");
    assert_eq!(c[3..5], g[3..5], "{by_charter} vs {by_git}");
    assert_eq!(c[0], "Configured Author");
    assert_eq!(c[1], "test@example.com");
    assert_eq!(c[2], "1768212000 +0000");
    assert_eq!(c[3], "Test User");
    assert_eq!(c[4], "committer@example.com");
    // The committer date is now, not the author date.
    let committed: i64 = c[5].split(' ').next().unwrap().parse().unwrap();
    assert!(
        (before..=after).contains(&committed),
        "{committed} not in {before}..={after}"
    );
}

#[test]
fn a_bad_date_is_a_clear_error_and_nothing_is_committed() {
    let env = setup();
    let head = env.git(&["rev-parse", "HEAD"]);
    env.write(
        AGREEMENT,
        env.read(AGREEMENT)
            .replace("title: Minimal agreement", "title: Retitled"),
    );
    for (var, value) in [
        ("GIT_AUTHOR_DATE", "next tuesday"),
        ("GIT_COMMITTER_DATE", "2026-02-30T10:00:00Z"),
    ] {
        let out = env
            .charter(&["amend", "ada-grace"])
            .env(var, value)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{var}={value}");
        let err = stderr(&out);
        assert!(err.contains(var) && err.contains(value), "{err}");
        assert!(
            err.contains("2026-01-12T10:00:00Z"),
            "names a valid form: {err}"
        );
        assert_eq!(env.git(&["rev-parse", "HEAD"]), head);
    }
    // As in git: an empty name is refused, an empty date means now.
    let out = env
        .charter(&["amend", "ada-grace"])
        .env("GIT_AUTHOR_NAME", "")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("empty ident name"),
        "{}",
        stderr(&out)
    );
    let git = env
        .git_command()
        .args(["commit", "--allow-empty", "-m", "x"])
        .env("GIT_AUTHOR_NAME", "")
        .output()
        .unwrap();
    assert!(!git.status.success(), "git refuses it too");
    let out = env
        .charter(&["amend", "ada-grace"])
        .env("GIT_AUTHOR_DATE", "")
        .env("GIT_COMMITTER_DATE", "")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn sign_records_the_committer_date_as_signed_at() {
    let env = setup();
    let mentor = env.keygen("grace", "ed25519", "");
    let mentee = env.keygen("ada", "ed25519", "");
    env.write(
        "allowed_signers",
        format!(
            "grace@example.com {}\nada@example.com {}\n",
            mentor.line, mentee.line
        ),
    );
    env.commit_all("Trust both", "2026-01-05T11:00:00Z");
    let vars = [
        ("GIT_AUTHOR_NAME", "Grace Hopper"),
        ("GIT_AUTHOR_EMAIL", "grace@example.com"),
        ("GIT_AUTHOR_DATE", "2026-01-06T09:00:00+0100"),
        ("GIT_COMMITTER_DATE", "2026-01-06T10:15:00+0100"),
    ];
    let mut cmd = env.charter(&[
        "sign",
        "ada-grace",
        "--as",
        "mentor",
        "--key",
        mentor.path(),
    ]);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let by_charter = who(&env);
    let mut git = env.git_command();
    git.args(["commit", "-q", "--allow-empty", "-m", "by git"]);
    git.envs(vars);
    assert!(git.status().unwrap().success());
    assert_eq!(by_charter, who(&env));

    let file = std::fs::read_dir(env.path("signoffs/ada-grace"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(file).unwrap();
    assert!(
        text.contains("signed_at: 2026-01-06T09:15:00Z"),
        "signed_at is the committer date in UTC: {text}"
    );
    // No far-future clock needed: the sign-off verifies as of its own day.
    let out = env
        .charter(&["verify", "--format", "json"])
        .env("CHARTER_TODAY", "2026-01-06")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["valid"], 1, "{json:#}");

    // --no-commit takes the same clock.
    let out = env
        .charter(&[
            "sign",
            "ada-grace",
            "--as",
            "mentee",
            "--key",
            mentee.path(),
            "--no-commit",
        ])
        .env("GIT_COMMITTER_DATE", "@1767700000 +0000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mentee_file = std::fs::read_dir(env.path("signoffs/ada-grace"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("-mentee-"))
        .unwrap();
    let text = std::fs::read_to_string(mentee_file).unwrap();
    assert!(text.contains("signed_at: 2026-01-06T11:46:40Z"), "{text}");
}
