//! The git operations charter performs itself: committing exactly its own
//! files, and reading the repository's identity.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use git2::{Repository, Signature};

use crate::error::{Error, Result};

/// Commit `files` (repository-relative path and new content) on top of HEAD,
/// touching nothing else: whatever the user has staged stays staged and out
/// of the commit. The index entries of these files are updated so that
/// `git status` agrees with the new commit.
///
/// Concurrency: `index.lock` is taken (as git takes it) before HEAD is read
/// and held until HEAD has moved, so two charter commands, or charter and
/// git, cannot interleave; HEAD's branch moves only if it still points at
/// the commit read (compare and swap), so no concurrent commit is lost. The
/// index is replaced atomically before the branch moves (and put back if
/// the branch cannot move).
pub fn commit_files(
    repo: &Repository,
    files: &[(String, Vec<u8>)],
    message: &str,
    author: &Signature<'_>,
    committer: &Signature<'_>,
) -> Result<git2::Oid> {
    refuse_during_operation(repo)?;
    let lock = IndexLock::acquire(repo)?;
    let parent = match crate::history::head_commit(repo) {
        Ok(head) => Some(head),
        // The first commit of a repository has no parent.
        Err(Error::NoCommits) => None,
        Err(e) => return Err(e),
    };
    let mut scratch = git2::Index::new().map_err(|e| Error::git("preparing a commit", e))?;
    if let Some(parent) = &parent {
        let tree = parent
            .tree()
            .map_err(|e| Error::git("reading HEAD's tree", e))?;
        scratch
            .read_tree(&tree)
            .map_err(|e| Error::git("reading HEAD's tree", e))?;
    }
    for (path, bytes) in files {
        let blob = repo
            .blob(bytes)
            .map_err(|e| Error::git(format!("storing {path}"), e))?;
        let mut e = entry(path);
        e.id = blob;
        e.file_size = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        scratch
            .add(&e)
            .map_err(|e| Error::git(format!("adding {path}"), e))?;
    }
    let tree_id = scratch
        .write_tree_to(repo)
        .map_err(|e| Error::git("writing the tree", e))?;
    let tree = repo
        .find_tree(tree_id)
        .map_err(|e| Error::git("writing the tree", e))?;
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    let oid = repo
        .commit(None, author, committer, message, &tree, &parents)
        .map_err(|e| Error::git("committing", e))?;
    // The index first, then the branch: a process killed in between leaves
    // the new files staged as added (harmless), never the committed ones
    // staged as deleted.
    let previous = match &lock {
        Some(lock) => Some(lock.write_index(repo, files)?),
        None => None,
    };
    if let Err(e) = advance_head(repo, oid, parent.as_ref().map(git2::Commit::id), message) {
        if let (Some(lock), Some(previous)) = (&lock, previous) {
            lock.restore_index(repo, previous)?;
        }
        return Err(e);
    }
    drop(lock);
    Ok(oid)
}

/// How long to wait for another process's `index.lock` before giving up:
/// git holds it for moments (a `git status` refresh, another commit).
const INDEX_LOCK_WAIT: Duration = Duration::from_secs(3);

/// `index.lock`, created exclusively as git creates it: while it exists no
/// other git or charter process writes the index or commits. Removed on drop.
struct IndexLock {
    lock: PathBuf,
    index: PathBuf,
}

impl IndexLock {
    /// Takes the lock, waiting a little for a process that holds it; `None`
    /// for a bare repository, which has no index.
    fn acquire(repo: &Repository) -> Result<Option<IndexLock>> {
        if repo.is_bare() {
            return Ok(None);
        }
        let index = repo.path().join("index");
        let lock = repo.path().join("index.lock");
        let deadline = Instant::now() + INDEX_LOCK_WAIT;
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&lock)
            {
                Ok(_) => return Ok(Some(IndexLock { lock, index })),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if Instant::now() >= deadline {
                        return Err(Error::other(
                            format!(
                                "{} exists: another git process holds the index of this repository. \
                                 If no git command is running (one may have been killed), remove that file and run charter again",
                                lock.display()
                            ),
                            Some("remove the lock file once no git command is running"),
                        ));
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(Error::io(&lock, e)),
            }
        }
    }

    /// Reads the index as it is now (under the lock), updates exactly
    /// `files`, and replaces the index with the result atomically (written
    /// beside it, then renamed over it). Returns the previous index, for
    /// [`IndexLock::restore_index`].
    fn write_index(
        &self,
        repo: &Repository,
        files: &[(String, Vec<u8>)],
    ) -> Result<Option<Vec<u8>>> {
        let previous = match std::fs::read(&self.index) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(&self.index, e)),
        };
        let scratch = self.scratch(repo);
        let _ = std::fs::remove_file(&scratch);
        if let Some(bytes) = &previous {
            std::fs::write(&scratch, bytes).map_err(|e| Error::io(&scratch, e))?;
        }
        let written = (|| -> Result<()> {
            let mut index =
                git2::Index::open(&scratch).map_err(|e| Error::git("reading the index", e))?;
            for (path, bytes) in files {
                let mut e = entry(path);
                e.id = repo
                    .blob(bytes)
                    .map_err(|e| Error::git(format!("storing {path}"), e))?;
                e.file_size = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
                index
                    .add(&e)
                    .map_err(|e| Error::git(format!("updating the index for {path}"), e))?;
            }
            index
                .write()
                .map_err(|e| Error::git("writing the index", e))?;
            self.put_in_place(&scratch)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&scratch);
        }
        written.map(|()| previous)
    }

    /// Puts the index read by [`IndexLock::write_index`] back.
    fn restore_index(&self, repo: &Repository, previous: Option<Vec<u8>>) -> Result<()> {
        match previous {
            None => match std::fs::remove_file(&self.index) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(Error::io(&self.index, e)),
            },
            Some(bytes) => {
                let scratch = self.scratch(repo);
                std::fs::write(&scratch, bytes).map_err(|e| Error::io(&scratch, e))?;
                self.put_in_place(&scratch)
            }
        }
    }

    fn scratch(&self, repo: &Repository) -> PathBuf {
        repo.path()
            .join(format!("charter-index-{}", std::process::id()))
    }

    /// Flushes `scratch` and renames it over the index.
    fn put_in_place(&self, scratch: &Path) -> Result<()> {
        std::fs::File::open(scratch)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::io(scratch, e))?;
        std::fs::rename(scratch, &self.index).map_err(|e| Error::io(&self.index, e))
    }
}

impl Drop for IndexLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.lock);
    }
}

/// Moves HEAD (its branch, or HEAD itself when detached) from `old` to
/// `new`, only if it still points at `old`: a commit made meanwhile by
/// another process is never silently dropped.
fn advance_head(
    repo: &Repository,
    new: git2::Oid,
    old: Option<git2::Oid>,
    message: &str,
) -> Result<()> {
    let head = repo
        .find_reference("HEAD")
        .map_err(|e| Error::git("reading HEAD", e))?;
    let name = head.symbolic_target().unwrap_or("HEAD").to_owned();
    let summary = message.lines().next().unwrap_or_default();
    let reflog = match old {
        Some(_) => format!("commit: {summary}"),
        None => format!("commit (initial): {summary}"),
    };
    let moved = match old {
        Some(old) => repo.reference_matching(&name, new, true, old, &reflog),
        None => repo.reference(&name, new, false, &reflog),
    };
    match moved {
        Ok(_) => Ok(()),
        Err(e) if matches!(e.code(), git2::ErrorCode::Modified | git2::ErrorCode::Exists) => {
            Err(Error::other(
                format!("{name} moved while charter was committing (another commit landed first); nothing was committed"),
                Some("run the command again"),
            ))
        }
        Err(e) => Err(Error::git(format!("updating {name}"), e)),
    }
}

/// An index entry for a regular file at `path`, to be given its blob id.
pub(crate) fn entry(path: &str) -> git2::IndexEntry {
    git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: 0o100644,
        uid: 0,
        gid: 0,
        file_size: 0,
        id: git2::Oid::zero(),
        flags: 0,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

/// Refuse to commit in the middle of a merge, rebase, cherry-pick or revert.
pub fn refuse_during_operation(repo: &Repository) -> Result<()> {
    if repo.state() != git2::RepositoryState::Clean {
        return Err(Error::other(
            format!(
                "the repository is in the middle of an operation ({:?})",
                repo.state()
            ),
            Some("finish or abort the merge, rebase or cherry-pick first"),
        ));
    }
    Ok(())
}

/// The repository's `user.name`/`user.email`, ignoring the environment.
/// Commands that commit use [`crate::ident::Identity::of`] instead, which
/// decides author, committer and dates exactly as `git commit` does.
pub fn identity(repo: &Repository) -> Result<Signature<'static>> {
    repo.signature().map_err(|_| {
        Error::other(
            "git has no identity for commits in this repository",
            Some("set one with `git config user.name \"Your Name\"` and `git config user.email you@example.com`"),
        )
    })
}

/// Create a file that must not exist yet, atomically: the content appears
/// whole or not at all, and an existing file is never replaced.
///
/// The content is prepared in the repository's git directory when the file
/// is inside one, so that a process killed while writing leaves no stray
/// temporary file in the working tree; beside the file otherwise, or when
/// the git directory is on another file system.
pub fn create_new_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    if let Ok(repo) = Repository::discover(dir) {
        match write_then_link(repo.path(), path, bytes) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {}
            done => return done,
        }
    }
    write_then_link(dir, path, bytes)
}

/// Writes `bytes` to a temporary file in `scratch`, then links it to `path`
/// unless `path` exists.
fn write_then_link(scratch: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".charter-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Like a file created by an editor (before umask), not a private temp file.
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder.tempfile_in(scratch)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

/// Replace a file's content atomically: the new content appears whole or
/// not at all. Only for files a command was asked to rewrite (`withdraw`
/// restoring a committed version, `conclude` appending its block), and only
/// after the caller checked there were no uncommitted changes to lose.
pub fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".charter-");
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        // Keep the file's own permissions.
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
