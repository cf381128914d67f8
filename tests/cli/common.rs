//! A hermetic environment for running the real `charter` binary against real
//! temporary git repositories: cleared environment, temporary HOME, git
//! configuration pointed at a file of our own, fixed identity and date.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

use crate::sandbox;
pub use crate::sandbox::Key;

/// The tests' clock for charter's own commits ([`Env::clocked`]): the day
/// of `CHARTER_TODAY`, which every run sets.
#[allow(dead_code)]
pub const NOW: &str = "2026-11-21T10:00:00Z";

/// One test's sandbox.
pub struct Env {
    _tmp: TempDir,
    pub home: PathBuf,
    pub repo: PathBuf,
    clock: Option<String>,
}

impl Env {
    /// A sandbox with an empty (not yet initialised) repository directory.
    pub fn new() -> Env {
        let tmp = TempDir::new().unwrap();
        let home = tmp.path().join("home");
        let repo = tmp.path().join("repo");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&repo).unwrap();
        std::fs::write(
            home.join(".gitconfig"),
            "[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n",
        )
        .unwrap();
        Env {
            _tmp: tmp,
            home,
            repo,
            clock: None,
        }
    }

    /// Run charter with `GIT_AUTHOR_DATE` and `GIT_COMMITTER_DATE` set to
    /// `date`: its commits, and the `signed_at` of its sign-offs, then carry
    /// that time instead of the real clock's. With `CHARTER_TODAY` (set for
    /// every run) this is the tests' whole clock: no test reads the real one.
    #[allow(dead_code)]
    pub fn clocked(mut self, date: &str) -> Env {
        self.clock = Some(date.to_owned());
        self
    }

    /// A sandbox whose repository has been through `git init`.
    pub fn with_git() -> Env {
        let env = Env::new();
        env.git(&["init", "-q"]);
        env
    }

    /// [`Env::process`] wrapped for assert_cmd.
    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        Command::from_std(self.process(program))
    }

    /// Any program as a plain `std::process::Command` (for spawning with
    /// pipes, or killing): the sandbox's environment (see
    /// [`sandbox::command`]) plus charter's fixed "today" and, when clocked,
    /// git's dates.
    pub fn process(&self, program: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
        let mut cmd = sandbox::command(program, &self.home);
        cmd.env("CHARTER_TODAY", "2026-11-21")
            .current_dir(&self.repo);
        if let Some(date) = &self.clock {
            cmd.env("GIT_AUTHOR_DATE", date)
                .env("GIT_COMMITTER_DATE", date);
        }
        cmd
    }

    /// `charter ARGS` in the repository.
    pub fn charter(&self, args: &[&str]) -> Command {
        let mut cmd = self.command(assert_cmd::cargo::cargo_bin("charter"));
        cmd.args(args);
        cmd
    }

    /// Any program, in the same hermetic environment as charter.
    #[allow(dead_code)]
    pub fn program(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        self.command(program)
    }

    /// A new SSH key made by the real `ssh-keygen` under HOME/keys/NAME:
    /// `kind` is `ed25519`, `ecdsa` or `rsa`; an empty passphrase leaves it
    /// unencrypted.
    #[allow(dead_code)]
    pub fn keygen(&self, name: &str, kind: &str, passphrase: &str) -> Key {
        let dir = self.home.join("keys");
        std::fs::create_dir_all(&dir).unwrap();
        self.keygen_at(&dir.join(name), kind, passphrase)
    }

    /// Like [`Env::keygen`], at a chosen path (e.g. `~/.ssh/id_ed25519`).
    #[allow(dead_code)]
    pub fn keygen_at(&self, private: &Path, kind: &str, passphrase: &str) -> Key {
        sandbox::keygen(&self.home, private, sandbox::kind_args(kind), passphrase)
    }

    /// Run charter and return its output, whatever the exit code. The
    /// commands that read the whole history are run a second time with the
    /// on-disk history index switched off, and must say exactly the same:
    /// the index is a cache, never an input to a verdict.
    ///
    /// The commands that keep parsed versions between runs are run twice
    /// with the index, so that the second run reads what the first stored.
    pub fn run(&self, args: &[&str]) -> Output {
        let out = self.charter(args).output().unwrap();
        if reads_history(args) {
            let without = self
                .charter(args)
                .env("CHARTER_NO_INDEX", "1")
                .output()
                .unwrap();
            same_verdict(args, &out, &without);
            if reads_stored_parses(args) {
                let warm = self.charter(args).output().unwrap();
                same_verdict(args, &warm, &without);
            }
        }
        out
    }

    /// Real git in the repository, with this sandbox's environment only.
    pub fn git_command(&self) -> std::process::Command {
        let mut cmd = sandbox::command("git", &self.home);
        cmd.current_dir(&self.repo);
        cmd
    }

    /// Run real git in the repository; panics when git fails.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_at(args, "2026-01-05T10:00:00Z")
    }

    /// Run real git with author and committer dates set to `date`.
    pub fn git_at(&self, args: &[&str], date: &str) -> String {
        let out = self
            .git_command()
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Write a file in the repository (creating directories).
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let path = self.repo.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    /// Read a file in the repository.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.repo.join(rel)).unwrap()
    }

    /// The path of a file in the repository.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.repo.join(rel)
    }

    /// Commit everything at `date` with `message`.
    #[allow(dead_code)]
    pub fn commit_all(&self, message: &str, date: &str) -> String {
        self.git_at(&["add", "-A"], date);
        self.git_at(&["commit", "-q", "-m", message], date);
        self.git(&["rev-parse", "HEAD"]).trim().to_owned()
    }
}

/// stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A valid agreement shipped in `examples/`.
pub fn example(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name),
    )
    .unwrap()
}

/// `validate --format json` parsed.
pub fn findings_json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

/// Whether `charter ARGS` judges from the history index.
#[allow(dead_code)]
pub fn reads_history(args: &[&str]) -> bool {
    args.iter().any(|a| {
        [
            "check", "status", "verify", "report", "calendar", "log", "show",
        ]
        .contains(a)
    })
}

/// Whether a command reads and keeps the parsed versions stored beside the
/// history index (`.git/charter/parsed.idx`).
#[allow(dead_code)]
pub fn reads_stored_parses(args: &[&str]) -> bool {
    args.iter()
        .any(|a| ["status", "verify", "report", "calendar"].contains(a))
}

/// Two runs of one command, with and without the history index, agree.
#[allow(dead_code)]
pub fn same_verdict(args: &[&str], with: &Output, without: &Output) {
    assert_eq!(
        (stdout(without), without.status.code()),
        (stdout(with), with.status.code()),
        "`charter {}` says something else without the history index\nstderr with: {}\nstderr without: {}",
        args.join(" "),
        stderr(with),
        stderr(without)
    );
}
