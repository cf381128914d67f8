//! The git operations charter performs itself: committing exactly its own
//! files, and reading the repository's identity.

use std::path::Path;

use git2::{Repository, Signature};

use crate::error::{Error, Result};

/// Commit `files` (repository-relative path and new content) on top of HEAD,
/// touching nothing else: whatever the user has staged stays staged and out
/// of the commit. The index entries of these files are updated so that
/// `git status` agrees with the new commit.
pub fn commit_files(
    repo: &Repository,
    files: &[(String, Vec<u8>)],
    message: &str,
    author: &Signature<'_>,
    committer: &Signature<'_>,
) -> Result<git2::Oid> {
    refuse_during_operation(repo)?;
    let parent = match repo.head() {
        Ok(head) => Some(
            head.peel_to_commit()
                .map_err(|e| Error::git("reading HEAD", e))?,
        ),
        Err(e)
            if e.code() == git2::ErrorCode::UnbornBranch
                || e.code() == git2::ErrorCode::NotFound =>
        {
            None
        }
        Err(e) => return Err(Error::git("reading HEAD", e)),
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
        .commit(Some("HEAD"), author, committer, message, &tree, &parents)
        .map_err(|e| Error::git("committing", e))?;
    // Keep the real index in step for exactly these paths.
    let mut index = repo
        .index()
        .map_err(|e| Error::git("reading the index", e))?;
    for (path, bytes) in files {
        index
            .add_frombuffer(&entry(path), bytes)
            .map_err(|e| Error::git(format!("updating the index for {path}"), e))?;
    }
    index
        .write()
        .map_err(|e| Error::git("writing the index", e))?;
    Ok(oid)
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

/// The repository's `user.name`/`user.email`, as git would use them.
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
