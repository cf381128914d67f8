//! Errors that stop a command: before it can reach a verdict (exit code 2),
//! or, for [`Error::Denied`], because the rules said no (exit code 1).
//!
//! Each situation a user meets has its own variant, created in one place in
//! the library, and its advice comes from [`Error::hint`]: a caller decides
//! what to do by matching on [`Error::kind`], never on the message text.

use std::path::PathBuf;

/// What to do about a shallow clone: shared by every error that a missing
/// history can explain.
const SHALLOW_HINT: &str = "fetch the full history (`git fetch --unshallow`; in GitHub Actions use `actions/checkout` with `fetch-depth: 0`)";

/// Something in the environment prevents charter from deciding.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A git operation failed. Only libgit2's message is shown: its class
    /// and code numbers mean nothing to the user.
    #[error("{context}: {}", source.message())]
    Git {
        /// What charter was doing.
        context: String,
        /// The cause.
        source: git2::Error,
    },
    /// The clone is shallow and the history a rule needs is not in it:
    /// judging without it would date versions wrongly.
    #[error("this clone is shallow: the history charter needs is missing")]
    Shallow,
    /// A revision the user gave names nothing in the repository.
    #[error("unknown revision `{rev}`: {reason}")]
    UnknownRevision {
        /// The revision as given.
        rev: String,
        /// Why it could not be resolved.
        reason: String,
        /// The clone is shallow, so the revision may be in the history it
        /// lacks: the advice is then to fetch that history.
        shallow: bool,
    },
    /// A revision names an object that is not a commit (a tree, a blob).
    #[error("revision `{rev}` is not a commit")]
    NotACommit {
        /// The revision as given.
        rev: String,
    },
    /// The repository has no commits, so there is no history to read.
    #[error("the repository has no commits yet")]
    NoCommits,
    /// A bare repository where a working tree is needed.
    #[error("{} is a bare git repository", path.display())]
    Bare {
        /// The repository's git directory.
        path: PathBuf,
    },
    /// No git repository here or in any parent directory, where history is
    /// needed.
    #[error("not a git repository (or any parent up to the root)")]
    NotARepository,
    /// Nothing of charter's where a verdict was asked for: none of the
    /// paths that mark a charter repository exists. "No problems found"
    /// there would pass a CI job pointed at the wrong directory.
    #[error("no charter repository {place}: none of {} exists, so there is nothing to check", markers.join(", "))]
    NotCharter {
        /// Where charter looked (`at HEAD`, `in /path`).
        place: String,
        /// The paths that would have marked it.
        markers: Vec<String>,
    },
    /// The command will not do what was asked, for a reason the user can
    /// act on (a missing proposal, a bad argument, a date outside the
    /// term, uncommitted changes): what `sign`, `checkin`, `decline` and
    /// the other writing commands refuse with when they cannot act.
    #[error("{message}")]
    Refused {
        /// What is wrong.
        message: String,
        /// What to do, one piece of advice each.
        hints: Vec<String>,
    },
    /// The rules say no to a signed record: a key the trust root does not
    /// accept for this party (or accepts for the other one), a signature
    /// that does not verify, a decline of what the party signed or already
    /// declined. Unlike [`Error::Refused`] this is a verdict (exit code 1
    /// on the command line), the same in every command that signs; `sign`
    /// words its other verdicts (notice, error findings, a duplicate
    /// sign-off) from the library's answers and exits 1 for them too.
    #[error("{message}")]
    Denied {
        /// Which rule says no, and why.
        message: String,
        /// What to do, one piece of advice each.
        hints: Vec<String>,
    },
    /// Anything else, with advice.
    #[error("{message}")]
    Other {
        /// What is wrong.
        message: String,
        /// What to do.
        hint: Option<String>,
    },
}

/// The situation an [`Error`] describes, without its details: what callers
/// and tests match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::Io`].
    Io,
    /// [`Error::Git`].
    Git,
    /// [`Error::Shallow`].
    Shallow,
    /// [`Error::UnknownRevision`].
    UnknownRevision,
    /// [`Error::NotACommit`].
    NotACommit,
    /// [`Error::NoCommits`].
    NoCommits,
    /// [`Error::Bare`].
    Bare,
    /// [`Error::NotARepository`].
    NotARepository,
    /// [`Error::NotCharter`].
    NotCharter,
    /// [`Error::Refused`].
    Refused,
    /// [`Error::Denied`].
    Denied,
    /// [`Error::Other`].
    Other,
}

impl Error {
    /// An error with a message and a hint.
    pub fn other(message: impl Into<String>, hint: Option<&str>) -> Self {
        Error::Other {
            message: message.into(),
            hint: hint.map(str::to_owned),
        }
    }

    /// A refusal, without advice yet (see [`Error::hint_that`]).
    pub fn refused(message: impl Into<String>) -> Self {
        Error::Refused {
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// A verdict of the rules against a signed record, without advice yet.
    pub fn denied(message: impl Into<String>) -> Self {
        Error::Denied {
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// Add advice to a refusal or a denial (other errors keep their own).
    pub fn hint_that(mut self, hint: impl Into<String>) -> Self {
        if let Error::Refused { hints, .. } | Error::Denied { hints, .. } = &mut self {
            hints.push(hint.into());
        }
        self
    }

    /// Every piece of advice, in order: a refusal may have several.
    pub fn hints(&self) -> Vec<&str> {
        match self {
            Error::Refused { hints, .. } | Error::Denied { hints, .. } => {
                hints.iter().map(String::as_str).collect()
            }
            _ => self.hint().into_iter().collect(),
        }
    }

    /// Wrap an I/O error with its path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Wrap a git error with what charter was doing.
    pub fn git(context: impl Into<String>, source: git2::Error) -> Self {
        Error::Git {
            context: context.into(),
            source,
        }
    }

    /// Which situation this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::Git { .. } => ErrorKind::Git,
            Error::Shallow => ErrorKind::Shallow,
            Error::UnknownRevision { .. } => ErrorKind::UnknownRevision,
            Error::NotACommit { .. } => ErrorKind::NotACommit,
            Error::NoCommits => ErrorKind::NoCommits,
            Error::Bare { .. } => ErrorKind::Bare,
            Error::NotARepository => ErrorKind::NotARepository,
            Error::NotCharter { .. } => ErrorKind::NotCharter,
            Error::Refused { .. } => ErrorKind::Refused,
            Error::Denied { .. } => ErrorKind::Denied,
            Error::Other { .. } => ErrorKind::Other,
        }
    }

    /// Advice for the user, if any.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::Other { hint, .. } => hint.as_deref(),
            Error::Refused { hints, .. } | Error::Denied { hints, .. } => {
                hints.first().map(String::as_str)
            }
            Error::Shallow | Error::UnknownRevision { shallow: true, .. } => Some(SHALLOW_HINT),
            Error::UnknownRevision { .. } => {
                Some("give a commit, branch or tag that exists in this repository (see `git log`)")
            }
            Error::NotACommit { .. } => Some("give a commit, branch or tag"),
            Error::NoCommits => {
                Some("commit the agreements first (`git add agreements && git commit`)")
            }
            Error::Bare { .. } => Some("run charter in a clone with a working tree"),
            Error::NotCharter { .. } => Some("run charter in your agreements repository (or pass -C DIR), or set one up here with `charter init`"),
            Error::NotARepository => {
                Some("run charter inside a clone of your agreements repository, or use -C DIR")
            }
            Error::Git { source, .. }
                if source.class() == git2::ErrorClass::Odb
                    && source.code() == git2::ErrorCode::NotFound =>
            {
                Some("the repository is missing objects (a partial or damaged clone): fetch them (`git fetch --refetch`) and check it with `git fsck`")
            }
            Error::Git { source, .. } if source.code() == git2::ErrorCode::Locked => Some(
                "another git process is running here, or one was interrupted: if none is running, delete the .lock file named above",
            ),
            Error::Git { .. } | Error::Io { .. } => None,
        }
    }
}

/// Results of library operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    //! Each kind as a user meets it, in real repositories.

    use super::*;
    use crate::history::{head_commit, resolve_commit};
    use crate::test_repo::{open, Sandbox};
    use crate::workspace::{discover_repository, Workspace};

    fn kind<T>(result: Result<T>) -> (ErrorKind, String, Option<String>) {
        match result {
            Ok(_) => panic!("expected an error"),
            Err(e) => (e.kind(), e.to_string(), e.hint().map(str::to_owned)),
        }
    }

    #[test]
    fn a_shallow_clone_lacks_history() {
        let s = Sandbox::new();
        s.repo_with_commits("origin", 3);
        s.git(
            ".",
            &["clone", "-q", "--depth", "1", &s.url("origin"), "shallow"],
        );
        let repo = open(&s.path("shallow"));
        let head = head_commit(&repo).unwrap();
        let walk = |repo: &git2::Repository, head| {
            crate::history::Index::build(
                repo,
                head,
                crate::history::index::roots_of(&Default::default()),
                &mut |_| {},
            )
        };
        let (k, message, hint) = kind(walk(&repo, head.id()));
        assert_eq!(k, ErrorKind::Shallow, "{message}");
        assert!(hint.unwrap().contains("fetch-depth: 0"));
        // A revision beyond the clone's depth may be in the missing history.
        let (k, message, hint) = kind(resolve_commit(&repo, "HEAD~1"));
        assert_eq!(k, ErrorKind::UnknownRevision);
        assert_eq!(
            message,
            "unknown revision `HEAD~1`: this clone is shallow, so the history it names may be missing"
        );
        assert!(hint.unwrap().contains("git fetch --unshallow"));
        // The full history walks.
        let full = open(&s.path("origin"));
        let head = head_commit(&full).unwrap();
        assert_eq!(walk(&full, head.id()).unwrap().commits().len(), 3);
    }

    #[test]
    fn an_unknown_revision_names_itself() {
        let s = Sandbox::new();
        let repo = open(&s.repo_with_commits("r", 1));
        let (k, message, hint) = kind(resolve_commit(&repo, "no-such-branch"));
        assert_eq!(k, ErrorKind::UnknownRevision);
        assert_eq!(
            message,
            "unknown revision `no-such-branch`: no branch, tag or commit has that name"
        );
        assert!(hint.unwrap().contains("see `git log`"));
        assert!(resolve_commit(&repo, "main").is_ok());
    }

    #[test]
    fn a_tree_is_not_a_commit() {
        let s = Sandbox::new();
        let repo = open(&s.repo_with_commits("r", 1));
        let (k, message, hint) = kind(resolve_commit(&repo, "HEAD^{tree}"));
        assert_eq!(k, ErrorKind::NotACommit);
        assert_eq!(message, "revision `HEAD^{tree}` is not a commit");
        assert_eq!(hint.as_deref(), Some("give a commit, branch or tag"));
    }

    #[test]
    fn an_empty_repository_has_no_commits() {
        let s = Sandbox::new();
        let repo = open(&s.repo_with_commits("r", 0));
        let (k, message, hint) = kind(head_commit(&repo));
        assert_eq!(k, ErrorKind::NoCommits);
        assert_eq!(message, "the repository has no commits yet");
        assert!(hint.unwrap().contains("git commit"));
    }

    /// `check` refuses a repository with nothing of charter's itself, so a
    /// library caller gets the refusal the command line gives, not a clean
    /// report for a CI job pointed at the wrong place.
    #[test]
    fn check_refuses_what_is_not_a_charter_repository() {
        let s = Sandbox::new();
        let repo = open(&s.repo_with_commits("r", 1));
        let opts = crate::check::Options {
            base: None,
            head: None,
            today: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            now: 1_800_000_000,
            deny_warnings: false,
        };
        let (k, message, hint) = kind(crate::check::check(&repo, &opts));
        assert_eq!(k, ErrorKind::NotCharter);
        assert!(
            message.starts_with("no charter repository at HEAD: none of charter.yaml, agreements"),
            "{message}"
        );
        assert!(hint.unwrap().contains("charter init"));
        s.write("r/agreements/.gitkeep", "");
        s.commit_all("r", "agreements");
        assert!(crate::check::check(&repo, &opts).is_ok());
    }

    #[test]
    fn a_bare_repository_has_no_working_tree() {
        let s = Sandbox::new();
        s.repo_with_commits("r", 1);
        s.git(".", &["clone", "-q", "--bare", "r", "bare.git"]);
        let (k, message, hint) = kind(Workspace::discover(&s.path("bare.git")));
        assert_eq!(k, ErrorKind::Bare);
        assert!(
            message.ends_with("bare.git/ is a bare git repository"),
            "{message}"
        );
        assert_eq!(
            hint.as_deref(),
            Some("run charter in a clone with a working tree")
        );
        // Commands that read only commits accept it.
        assert!(discover_repository(&s.path("bare.git")).is_ok());
    }

    #[test]
    fn outside_a_repository_there_is_no_history() {
        let s = Sandbox::new();
        std::fs::create_dir_all(s.path("plain")).unwrap();
        let (k, message, hint) = kind(discover_repository(&s.path("plain")));
        assert_eq!(k, ErrorKind::NotARepository);
        assert_eq!(
            message,
            "not a git repository (or any parent up to the root)"
        );
        assert!(hint.unwrap().contains("-C DIR"));
        // A plain directory is still a workspace to validate.
        assert!(Workspace::discover(&s.path("plain"))
            .unwrap()
            .repo
            .is_none());
    }

    #[test]
    fn generic_kinds_keep_their_advice() {
        let io = Error::io(
            "x.yaml",
            std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied"),
        );
        assert_eq!(io.kind(), ErrorKind::Io);
        assert_eq!(io.to_string(), "x.yaml: denied");
        let locked = Error::git(
            "writing",
            git2::Error::new(git2::ErrorCode::Locked, git2::ErrorClass::Index, "locked"),
        );
        assert_eq!(locked.kind(), ErrorKind::Git);
        assert!(locked.hint().unwrap().contains(".lock"));
        let other = Error::other("odd", Some("do this"));
        assert_eq!(other.kind(), ErrorKind::Other);
        assert_eq!(other.hint(), Some("do this"));
    }
}
