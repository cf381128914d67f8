//! A pull request as it would land: base's tree with every path the pull
//! request changed (since the merge-base) taken from head, committed on top
//! of base at the landing time. The tree and commit are written to an
//! in-memory object store added to the repository handle, never to disk, so
//! `check` works on read-only checkouts and leaves nothing behind.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use git2::{Commit, Oid, Repository};

use crate::error::{Error, Result};
use crate::finding::Finding;

/// The landed commit and the pull request's own commits.
pub struct Landed {
    /// The synthetic commit on top of base.
    pub commit: Oid,
    /// The commits in `merge-base..head`.
    pub pr_commits: Vec<Oid>,
}

/// How deep a tree is followed, as git's `core.maxTreeDepth` default.
const MAX_DEPTH: usize = 4096;

/// Paths changed between two trees, with their new blob and mode (none when deleted).
fn changes(
    repo: &Repository,
    old: &git2::Tree<'_>,
    new: &git2::Tree<'_>,
) -> Result<HashMap<String, Option<(Oid, u32)>>> {
    let odb = repo
        .odb()
        .map_err(|e| Error::git("opening the object store", e))?;
    let mut found = Vec::new();
    crate::history::raw_tree::changes(
        &odb,
        Some(old.id()),
        Some(new.id()),
        MAX_DEPTH,
        "",
        &mut found,
    )?;
    Ok(found
        .into_iter()
        .map(|(path, entry)| (path, entry.map(|e| (e.id, e.mode as u32))))
        .collect())
}

/// Land `head` on `base`, reporting `rebase-needed` for paths changed on both sides.
pub fn land(
    repo: &Repository,
    base: &Commit<'_>,
    head: &Commit<'_>,
    today: NaiveDate,
    findings: &mut Vec<Finding>,
) -> Result<Landed> {
    let merge_base = repo.merge_base(base.id(), head.id()).map_err(|_| {
        Error::other(
            format!("{} and {} share no history", base.id(), head.id()),
            Some("pass the pull request's base and head commits; in a shallow clone fetch the full history (`fetch-depth: 0`)"),
        )
    })?;
    let tree_of = |id: Oid| -> Result<git2::Tree<'_>> {
        repo.find_commit(id)
            .and_then(|c| c.tree())
            .map_err(|e| Error::git(format!("reading the tree of {id}"), e))
    };
    let (mb_tree, base_tree, head_tree) = (
        tree_of(merge_base)?,
        base.tree().map_err(|e| Error::git("reading base", e))?,
        head.tree().map_err(|e| Error::git("reading head", e))?,
    );
    let pr = changes(repo, &mb_tree, &head_tree)?;
    let upstream = changes(repo, &mb_tree, &base_tree)?;

    // Objects written from here on stay in memory.
    let odb = repo
        .odb()
        .map_err(|e| Error::git("opening the object database", e))?;
    odb.add_new_mempack_backend(1000)
        .map_err(|e| Error::git("preparing an in-memory object store", e))?;
    let mut paths: Vec<&String> = pr.keys().collect();
    paths.sort();
    for path in &paths {
        let entry = pr[*path];
        if let Some(theirs) = upstream.get(*path) {
            if *theirs != entry {
                findings.push(
                    Finding::new(crate::finding::Rule::RebaseNeeded, path.as_str(), "this file changed both in the pull request and on its base since they diverged")
                        .hint("rebase the pull request on its base (or merge the base in) and resolve the changes"),
                );
            }
        }
    }
    let edits: Vec<(&str, Option<(Oid, u32)>)> =
        paths.iter().map(|p| (p.as_str(), pr[*p])).collect();
    let tree_id = match updated_tree(repo, &base_tree, &edits) {
        Some(id) => id,
        None => indexed_tree(repo, &base_tree, &edits)?,
    };
    let tree = repo
        .find_tree(tree_id)
        .map_err(|e| Error::git("writing the landed tree", e))?;
    // Committed at the start of `today`; the chain clamps it to base's time
    // when that is later, giving max(base time, today).
    let when = today
        .and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp());
    let sig = git2::Signature::new("charter", "charter@localhost", &git2::Time::new(when, 0))
        .map_err(|e| Error::git("preparing the landed commit", e))?;
    let commit = repo
        .commit(
            None,
            &sig,
            &sig,
            "charter check: the pull request as it would land",
            &tree,
            &[base],
        )
        .map_err(|e| Error::git("writing the landed commit", e))?;

    let mut walk = repo
        .revwalk()
        .map_err(|e| Error::git("listing the pull request's commits", e))?;
    walk.push(head.id())
        .map_err(|e| Error::git("listing the pull request's commits", e))?;
    walk.hide(merge_base)
        .map_err(|e| Error::git("listing the pull request's commits", e))?;
    let pr_commits = walk
        .collect::<std::result::Result<Vec<Oid>, _>>()
        .map_err(|e| Error::git("listing the pull request's commits", e))?;
    Ok(Landed { commit, pr_commits })
}

/// Base's tree with `edits` applied (a path to a blob id and mode, or
/// `None` to remove it), by libgit2's tree update, which rewrites only the
/// trees on the edited paths. `None` when it cannot express the edits (a
/// file that becomes a directory or back, an unusual mode); then
/// [`indexed_tree`] does it.
fn updated_tree(
    repo: &Repository,
    base: &git2::Tree<'_>,
    edits: &[(&str, Option<(Oid, u32)>)],
) -> Option<Oid> {
    use git2::FileMode;
    let mut update = git2::build::TreeUpdateBuilder::new();
    for (path, entry) in edits {
        if path.contains('\0') {
            return None;
        }
        match entry {
            Some((id, mode)) => {
                let mode = match mode {
                    0o100644 => FileMode::Blob,
                    0o100755 => FileMode::BlobExecutable,
                    0o120000 => FileMode::Link,
                    0o160000 => FileMode::Commit,
                    _ => return None,
                };
                // An entry that changes kind (a file becoming a directory
                // or the reverse) is beyond a tree update.
                let present = crate::history::entry_at(base, path).ok()?;
                if present.is_some_and(|e| e.kind() == Some(git2::ObjectType::Tree)) {
                    return None;
                }
                update.upsert(*path, *id, mode);
            }
            None => {
                update.remove(*path);
            }
        }
    }
    // A parent that is a file in base (or an edit under a removed path) is
    // refused by libgit2: the index handles those.
    update.create_updated(repo, base).ok()
}

/// Base's tree with `edits` applied through a full in-memory index: slower
/// (every entry of the tree is read), but it takes any edit, in path
/// order (a removed file before the directory that replaces it).
fn indexed_tree(
    repo: &Repository,
    base: &git2::Tree<'_>,
    edits: &[(&str, Option<(Oid, u32)>)],
) -> Result<Oid> {
    let mut index = git2::Index::new().map_err(|e| Error::git("preparing the landed tree", e))?;
    index
        .read_tree(base)
        .map_err(|e| Error::git("reading base's tree", e))?;
    for (path, entry) in edits {
        match entry {
            Some((id, mode)) => {
                let mut e = crate::git::entry(path);
                e.id = *id;
                e.mode = *mode;
                index
                    .add(&e)
                    .map_err(|e| Error::git(format!("landing {path}"), e))?;
            }
            None => {
                let _ = index.remove_path(Path::new(path));
            }
        }
    }
    index
        .write_tree_to(repo)
        .map_err(|e| Error::git("writing the landed tree", e))
}

#[cfg(test)]
mod tree_tests {
    use super::*;

    /// The tree update and the full index build the same tree for the
    /// edits a pull request makes, and the update declines a file that
    /// becomes a directory, which the index handles.
    #[test]
    fn the_tree_update_builds_what_the_index_builds() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let blob = |text: &str| repo.blob(text.as_bytes()).unwrap();
        let mut index = git2::Index::new().unwrap();
        for (path, text) in [
            ("a.txt", "a"),
            ("dir/b.txt", "b"),
            ("dir/c.txt", "c"),
            ("x", "a file"),
        ] {
            let mut e = crate::git::entry(path);
            e.id = blob(text);
            e.mode = 0o100644;
            index.add(&e).unwrap();
        }
        let base = repo.find_tree(index.write_tree_to(&repo).unwrap()).unwrap();
        let edits: Vec<(&str, Option<(Oid, u32)>)> = vec![
            ("dir/b.txt", Some((blob("b2"), 0o100644))),
            ("dir/c.txt", None),
            ("e.txt", Some((blob("e"), 0o100755))),
            ("new/deep/d.txt", Some((blob("d"), 0o100644))),
        ];
        let updated = updated_tree(&repo, &base, &edits).expect("a tree update");
        assert_eq!(updated, indexed_tree(&repo, &base, &edits).unwrap());
        let file_to_dir: Vec<(&str, Option<(Oid, u32)>)> =
            vec![("x", None), ("x/y", Some((blob("y"), 0o100644)))];
        assert_eq!(updated_tree(&repo, &base, &file_to_dir), None);
        let landed = repo
            .find_tree(indexed_tree(&repo, &base, &file_to_dir).unwrap())
            .unwrap();
        assert!(landed.get_path(std::path::Path::new("x/y")).is_ok());
    }
}
