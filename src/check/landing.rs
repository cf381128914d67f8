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
    let mut index = git2::Index::new().map_err(|e| Error::git("preparing the landed tree", e))?;
    index
        .read_tree(&base_tree)
        .map_err(|e| Error::git("reading base's tree", e))?;
    let mut paths: Vec<&String> = pr.keys().collect();
    paths.sort();
    for path in paths {
        let entry = pr[path];
        if let Some(theirs) = upstream.get(path) {
            if *theirs != entry {
                findings.push(
                    Finding::new(crate::finding::Rule::RebaseNeeded, path, "this file changed both in the pull request and on its base since they diverged")
                        .hint("rebase the pull request on its base (or merge the base in) and resolve the changes"),
                );
            }
        }
        match entry {
            Some((id, mode)) => {
                let mut e = crate::git::entry(path);
                e.id = id;
                e.mode = mode;
                index
                    .add(&e)
                    .map_err(|e| Error::git(format!("landing {path}"), e))?;
            }
            None => {
                let _ = index.remove_path(Path::new(path));
            }
        }
    }
    let tree_id = index
        .write_tree_to(repo)
        .map_err(|e| Error::git("writing the landed tree", e))?;
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
