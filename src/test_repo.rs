//! Real temporary git repositories for the library's tests, made by the
//! `git` program in a hermetic environment (no user or system
//! configuration, a fixed identity and date).

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// A temporary directory holding one or more repositories.
pub struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    /// An empty sandbox.
    pub fn new() -> Sandbox {
        Sandbox {
            dir: TempDir::new().unwrap(),
        }
    }

    /// `rel` inside the sandbox.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Run `git ARGS` in `rel`; panics with git's stderr when it fails.
    pub fn git(&self, rel: &str, args: &[&str]) -> String {
        let dir = self.path(rel);
        std::fs::create_dir_all(&dir).unwrap();
        let out = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test User")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test User")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .env("GIT_AUTHOR_DATE", "2026-01-05T10:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-01-05T10:00:00Z")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Write `bytes` to `rel`, creating its directories.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// A new repository at `rel` (branch `main`) with `commits` commits,
    /// each changing `notes.txt`.
    pub fn repo_with_commits(&self, rel: &str, commits: usize) -> PathBuf {
        self.git(rel, &["init", "-q", "-b", "main"]);
        for i in 0..commits {
            self.write(&format!("{rel}/notes.txt"), format!("step {i}\n"));
            self.commit_all(rel, &format!("step {i}"));
        }
        self.path(rel)
    }

    /// Commit everything in the working tree of `rel`.
    pub fn commit_all(&self, rel: &str, message: &str) {
        self.git(rel, &["add", "-A"]);
        self.git(rel, &["commit", "-q", "-m", message]);
    }

    /// A `file://` URL for `rel`, so that `git clone --depth` makes a
    /// real shallow clone.
    pub fn url(&self, rel: &str) -> String {
        format!("file://{}", self.path(rel).display())
    }
}

/// Open the repository at `path` with git2.
pub fn open(path: &Path) -> git2::Repository {
    git2::Repository::open(path).unwrap()
}
