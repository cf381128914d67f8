//! History fixtures with chosen dates, built step by step with real git,
//! real keys and `charter sign`: the starting point of the gate and rule
//! scenarios (`gate.rs`, `rules.rs`). Every step names its date, so a
//! scenario reads as the history it makes.

use serde_json::Value;

use crate::common::{stderr, stdout, Env, Key};

/// The agreement every scenario is about.
pub const AGREEMENT: &str = "agreements/ada-grace.yaml";
/// The minimal valid agreement the scenarios start from.
pub const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/valid-minimal.yaml"
);

/// A repository and the two parties' keys.
pub struct Repo {
    /// The sandbox.
    pub env: Env,
    /// The mentor's key (grace@example.com).
    pub mentor: Key,
    /// The mentee's key (ada@example.com).
    pub mentee: Key,
}

/// `main`: ada-grace signed by both parties in January, both keys trusted,
/// and `settings` as charter.yaml when given. The branch `pr` starts there.
pub fn signed_base(settings: Option<&str>) -> Repo {
    let env = Env::with_git();
    let mentor = env.keygen("grace", "ed25519", "");
    let mentee = env.keygen("ada", "ed25519", "");
    env.write(
        "allowed_signers",
        format!(
            "grace@example.com {}\nada@example.com {}\n",
            mentor.line, mentee.line
        ),
    );
    if let Some(settings) = settings {
        env.write("charter.yaml", settings);
    }
    env.write(
        AGREEMENT,
        std::fs::read_to_string(FIXTURE)
            .unwrap()
            .replace("end: 2026-07-10", "end: 2027-07-10"),
    );
    env.commit_all("Propose ada-grace", "2026-01-05T10:00:00Z");
    let repo = Repo {
        env,
        mentor,
        mentee,
    };
    repo.sign("mentor", "2026-01-06T10:00:00Z");
    repo.sign("mentee", "2026-01-06T11:00:00Z");
    repo.env.git(&["checkout", "-q", "-b", "pr"]);
    repo
}

impl Repo {
    /// `charter sign ada-grace --as ROLE` with the role's key, committed at `date`.
    pub fn sign(&self, role: &str, date: &str) {
        self.sign_id("ada-grace", role, date);
    }

    /// `charter sign ID --as ROLE` with the role's key, committed at `date`.
    pub fn sign_id(&self, id: &str, role: &str, date: &str) {
        let key = if role == "mentor" {
            &self.mentor
        } else {
            &self.mentee
        };
        let out = self
            .env
            .charter(&["sign", id, "--as", role, "--key", key.path()])
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "sign: {}", stderr(&out));
    }

    /// Edit the agreement on the current branch and commit it at `date`.
    pub fn amend(&self, edit: impl Fn(String) -> String, date: &str) {
        self.env.write(AGREEMENT, edit(self.env.read(AGREEMENT)));
        self.env.commit_all("amend ada-grace", date);
    }

    /// `check --format json` with `extra` arguments.
    pub fn check(&self, extra: &[&str]) -> (Option<i32>, Value) {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(extra);
        let out = self.env.run(&args);
        let json = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)));
        (out.status.code(), json)
    }

    /// `check --format json --base main --head pr`.
    pub fn check_pr(&self) -> (Option<i32>, Value) {
        self.check(&["--base", "main", "--head", "pr"])
    }

    /// `check --base main --head pr` as text, rendered for a snapshot.
    pub fn check_pr_text(&self) -> String {
        crate::snap::run(&self.env, &["check", "--base", "main", "--head", "pr"])
    }
}
