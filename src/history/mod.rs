//! History of agreements along a revision's first-parent chain (README,
//! "History, notice and states"): which commits are versions, and when
//! they happened.
//!
//! The chain is walked once, into an [`Index`]; a commit is looked at
//! closely only when a tracked directory differs from its first parent's,
//! so the cost follows the number of changes, not the size of the trees.

mod chain;
pub mod index;
pub mod parse_store;
pub mod raw_tree;
mod resolve;
pub mod store;
pub mod tree_diff;
mod versions;

pub use chain::{utc, Chain, ChainCommit, MAX_TIME, MIN_TIME};
pub use index::Index;
pub use versions::{history_of, FileState, History, Parses, Version};

use git2::{Commit, Oid, Repository};

use crate::error::{Error, Result};

/// Resolve a revision (anything `git rev-parse` takes) to a commit. In a
/// shallow clone a revision that cannot be found may lie in the history the
/// clone lacks, and the error says so.
pub fn resolve_commit<'r>(repo: &'r Repository, rev: &str) -> Result<Commit<'r>> {
    let object = repo.revparse_single(rev).map_err(|e| {
        let shallow = repo.is_shallow();
        Error::UnknownRevision {
            rev: rev.to_owned(),
            reason: if shallow {
                "this clone is shallow, so the history it names may be missing".to_owned()
            } else if e.code() == git2::ErrorCode::NotFound {
                "no branch, tag or commit has that name".to_owned()
            } else if e.code() == git2::ErrorCode::InvalidSpec {
                "this is not a revision git can read".to_owned()
            } else if e.code() == git2::ErrorCode::Ambiguous {
                "more than one object starts with that abbreviation; give more of the id".to_owned()
            } else {
                e.message().to_owned()
            },
            shallow,
        }
    })?;
    object.peel_to_commit().map_err(|_| Error::NotACommit {
        rev: rev.to_owned(),
    })
}

/// HEAD as a commit, with a clear error for a repository without commits.
pub fn head_commit(repo: &Repository) -> Result<Commit<'_>> {
    let head = repo.head().map_err(|e| match e.code() {
        git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound => Error::NoCommits,
        _ => Error::git("reading HEAD", e),
    })?;
    head.peel_to_commit()
        .map_err(|e| Error::git("reading HEAD", e))
}

/// The tree entry at `path` (a file or directory) in a tree; `None` when
/// the path does not exist. An object that cannot be read on the way (a
/// partial clone, a damaged store) is an error, never an absence: read as
/// a deletion, it would change what the history says.
pub fn entry_at(tree: &git2::Tree<'_>, path: &str) -> Result<Option<git2::TreeEntry<'static>>> {
    match tree.get_path(std::path::Path::new(path)) {
        Ok(entry) => Ok(Some(entry)),
        Err(e) if e.code() == git2::ErrorCode::NotFound && e.class() == git2::ErrorClass::Tree => {
            Ok(None)
        }
        Err(e) => Err(Error::git(format!("reading {path}"), e)),
    }
}

/// The tree with id `id`; a missing one is an error naming `path`.
pub fn tree_of<'r>(repo: &'r Repository, id: Oid, path: &str) -> Result<git2::Tree<'r>> {
    repo.find_tree(id)
        .map_err(|e| Error::git(format!("reading {path} (tree {id})"), e))
}

/// The bytes of `path` in `commit`'s tree; `None` when absent. Symbolic
/// links and submodules are not files and read as absent.
pub fn blob_at(repo: &Repository, commit: &Commit<'_>, path: &str) -> Result<Option<Vec<u8>>> {
    let tree = commit.tree().map_err(|e| Error::git("reading a tree", e))?;
    let Some(entry) = entry_at(&tree, path)? else {
        return Ok(None);
    };
    if entry.kind() != Some(git2::ObjectType::Blob) || entry.filemode() == 0o120000 {
        return Ok(None);
    }
    let blob = repo
        .find_blob(entry.id())
        .map_err(|e| Error::git(format!("reading {path}"), e))?;
    Ok(Some(blob.content().to_vec()))
}

/// The id of the tree entry at `path` (a file or directory) in a tree;
/// `None` when the path does not exist, an error when an object is missing.
pub fn entry_id(tree: &git2::Tree<'_>, path: &str) -> Result<Option<Oid>> {
    if path.is_empty() {
        return Ok(Some(tree.id()));
    }
    Ok(entry_at(tree, path)?.map(|e| e.id()))
}

/// The error for a shallow clone that lacks history a rule needs.
pub fn shallow_error() -> Error {
    Error::Shallow
}
