//! The history index: everything charter needs from a revision's
//! first-parent chain, read in one walk.
//!
//! Per commit it keeps the clamped time and the ids of the tracked roots
//! (the agreements, sign-offs and check-ins directories and `charter.yaml`);
//! per file under those roots, every change along the chain with the
//! position of the commit that made it. Versions, sign-off landing times,
//! the append-only rule and layout moves are all answered from it, so no
//! command walks the chain twice. The walk goes newest to oldest and stops
//! at the first commit an existing index already covers, which is how the
//! on-disk copy (see [`super::store`]) is extended instead of rebuilt.

use std::collections::{BTreeMap, HashMap};

use git2::{Oid, Repository};
use serde::{Deserialize, Serialize};

use super::chain::{Chain, ChainCommit, MAX_TIME, MIN_TIME};
use super::raw_tree;
use super::resolve::Resolver;
use crate::error::{Error, Result};
use crate::settings::Layout;

/// A path the walk follows, and how deep below it changes are listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Root {
    /// Repository-relative path of a directory or file ("" is the top).
    pub path: String,
    /// Levels of subdirectories below `path` whose files are listed one by
    /// one (0: the entries of `path` itself).
    pub depth: usize,
    /// Whether commits changing this root are shown as versions, so their
    /// author and subject are kept.
    pub describe: bool,
}

/// The roots of a whole repository under `layout`: every agreement, every
/// record file, and the settings file (for layout moves).
pub fn roots_of(layout: &Layout) -> Vec<Root> {
    vec![
        Root {
            path: layout.agreements.clone(),
            depth: 0,
            describe: true,
        },
        Root {
            path: layout.signoffs.clone(),
            depth: 4,
            describe: false,
        },
        Root {
            path: layout.checkins.clone(),
            depth: 4,
            describe: false,
        },
        Root {
            path: crate::settings::FILE.to_owned(),
            depth: 0,
            describe: false,
        },
    ]
}

/// The roots of a few agreements only: their files and record directories.
/// A pull request touching one agreement reads just these paths, which is
/// what `git log -- PATHS` reads.
pub fn roots_of_agreements<'a>(
    layout: &Layout,
    ids: impl IntoIterator<Item = &'a str>,
) -> Vec<Root> {
    let mut roots = Vec::new();
    for id in ids {
        roots.push(Root {
            path: layout.agreement_file(id),
            depth: 0,
            describe: true,
        });
        for dir in [&layout.signoffs, &layout.checkins] {
            roots.push(Root {
                path: format!("{dir}/{id}"),
                depth: 3,
                describe: false,
            });
        }
    }
    roots.push(Root {
        path: crate::settings::FILE.to_owned(),
        depth: 0,
        describe: false,
    });
    roots
}

/// An object at a path: its id and git file mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The blob (or tree, or submodule commit) id.
    #[serde(with = "oid_bytes")]
    pub id: Oid,
    /// The git file mode (0o100644, 0o120000 for a symbolic link, 0o040000
    /// for a directory, …).
    pub mode: i32,
}

impl Entry {
    /// A regular file (not a link, directory or submodule), whose bytes
    /// charter reads.
    pub fn is_file(&self) -> bool {
        self.mode == 0o100644 || self.mode == 0o100755
    }
}

/// One change of a file along the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Chain position of the commit that made it (0 = root).
    pub position: usize,
    /// What the path holds from then on; `None` when it was removed.
    pub entry: Option<Entry>,
}

/// One commit of the chain as the index keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commit {
    /// The commit id.
    #[serde(with = "oid_bytes")]
    pub id: Oid,
    /// The committer time, in seconds.
    pub raw_time: i64,
    /// Author (`Name <email>`) and subject, for commits that change a root
    /// with `describe` (the others are never shown).
    pub described: Option<(String, String)>,
    /// The latest of the merged (non-first) parents' committer times, with
    /// that parent's id: `check` warns of merges that step around the tip.
    #[serde(with = "opt_oid_time")]
    pub merged: Option<(Oid, i64)>,
    /// The entry at each root, in the order of [`Index::roots`].
    pub roots: Vec<Option<Entry>>,
}

/// The history index of one revision. See the module documentation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Index {
    roots: Vec<Root>,
    commits: Vec<Commit>,
    files: BTreeMap<String, Vec<Change>>,
    #[serde(skip)]
    chain: Chain,
    #[serde(skip)]
    positions: HashMap<Oid, usize>,
}

impl PartialEq for Index {
    /// Two indexes are equal when they follow the same roots over the same
    /// commits and list the same changes (what is derived is not compared).
    fn eq(&self, other: &Index) -> bool {
        self.roots == other.roots && self.commits == other.commits && self.files == other.files
    }
}

/// A commit read by the walk, newest first, before positions are known.
struct Walked {
    commit: Commit,
    /// Changes this commit made relative to its first parent.
    changes: Vec<(String, Option<Entry>)>,
}

impl Index {
    /// Walk the first-parent chain from `head` to the root, following
    /// `roots`. `progress` is told how many commits have been read.
    pub fn build(
        repo: &Repository,
        head: Oid,
        roots: Vec<Root>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Index> {
        let mut index = Index::empty(roots);
        index.extend(repo, head, progress)?;
        Ok(index)
    }

    /// The index of a history without commits (an unborn branch).
    pub fn empty(roots: Vec<Root>) -> Index {
        Index {
            roots,
            commits: Vec::new(),
            files: BTreeMap::new(),
            chain: Chain::default(),
            positions: HashMap::new(),
        }
    }

    /// Make this the index of `head`: walk from `head` back to the newest
    /// commit already indexed, drop what the index holds after that commit
    /// (a branch that moved elsewhere, a rewritten history), and add the
    /// new commits. Returns how many commits were read.
    pub fn extend(
        &mut self,
        repo: &Repository,
        head: Oid,
        progress: &mut dyn FnMut(usize),
    ) -> Result<usize> {
        if let Some(&p) = self.positions.get(&head) {
            self.truncate(p + 1);
            return Ok(0);
        }
        // The walk reads every commit once and trees as raw objects, so
        // libgit2's object cache (up to 256 MiB) would only hold memory.
        let _uncached = Uncached::new();
        let mut resolver = Resolver::new(repo, self.roots.iter().map(|r| r.path.as_str()))?;
        let odb = repo
            .odb()
            .map_err(|e| Error::git("opening the object store", e))?;
        let mut walked: Vec<Walked> = Vec::new();
        let mut newer_commit: Option<git2::Commit<'_>> = None;
        let mut current = Some(head);
        let mut known = None;
        while let Some(id) = current {
            let commit = repo.find_commit(id).map_err(|e| {
                if repo.is_shallow() {
                    super::shallow_error()
                } else if let Some(child) = &newer_commit {
                    Error::git(
                        format!("reading the first parent of commit {}", child.id()),
                        e,
                    )
                } else {
                    Error::git(format!("reading commit {id}"), e)
                }
            })?;
            let parent = first_parent(repo, &commit)?;
            let roots = resolver.resolve(commit.tree_id())?;
            let raw_time = commit.committer().when().seconds();
            if !(MIN_TIME..=MAX_TIME).contains(&raw_time) {
                return Err(super::chain::time_out_of_range(id, raw_time));
            }
            let mut merged: Option<(Oid, i64)> = None;
            for i in 1..commit.parent_count() {
                let p = commit
                    .parent(i)
                    .map_err(|e| Error::git(format!("reading a parent of commit {id}"), e))?;
                let t = p.committer().when().seconds();
                if merged.is_none_or(|(_, m)| t > m) {
                    merged = Some((p.id(), t));
                }
            }
            // The newer commit's changes are known once its parent is read.
            if let (Some(newer), Some(newer_commit)) = (walked.last_mut(), &newer_commit) {
                newer.changes = self.changes_between(&odb, &roots, &newer.commit.roots)?;
                if self.describes(&newer.changes) {
                    newer.commit.described = Some(describe(newer_commit));
                }
            }
            walked.push(Walked {
                commit: Commit {
                    id,
                    raw_time,
                    described: None,
                    merged,
                    roots,
                },
                changes: Vec::new(),
            });
            progress(walked.len());
            newer_commit = Some(commit);
            current = match parent {
                Some(p) => match self.positions.get(&p) {
                    Some(&at) => {
                        known = Some(at);
                        None
                    }
                    None => Some(p),
                },
                None => None,
            };
        }
        // The oldest new commit against the newest kept one (or nothing).
        self.truncate(known.map_or(0, |at| at + 1));
        if let Some(oldest) = walked.last_mut() {
            let before: Vec<Option<Entry>> = match self.commits.last() {
                Some(c) => c.roots.clone(),
                None => vec![None; self.roots.len()],
            };
            oldest.changes = self.changes_between(&odb, &before, &oldest.commit.roots)?;
            if self.describes(&oldest.changes) {
                if let Some(commit) = &newer_commit {
                    oldest.commit.described = Some(describe(commit));
                }
            }
        }
        let read = walked.len();
        for w in walked.into_iter().rev() {
            let position = self.commits.len();
            for (path, entry) in w.changes {
                self.files
                    .entry(path)
                    .or_default()
                    .push(Change { position, entry });
            }
            self.push_commit(w.commit);
        }
        Ok(read)
    }

    /// Keep the first `len` commits and what they changed.
    fn truncate(&mut self, len: usize) {
        if len >= self.commits.len() {
            return;
        }
        for c in &self.commits[len..] {
            self.positions.remove(&c.id);
        }
        self.commits.truncate(len);
        self.chain.commits.truncate(len);
        self.files.retain(|_, changes| {
            changes.retain(|c| c.position < len);
            !changes.is_empty()
        });
    }

    fn push_commit(&mut self, commit: Commit) {
        let previous = self.chain.commits.last().map_or(i64::MIN, |c| c.time);
        let (author, subject) = commit.described.clone().unwrap_or_default();
        self.positions.insert(commit.id, self.commits.len());
        self.chain.commits.push(ChainCommit {
            id: commit.id,
            raw_time: commit.raw_time,
            time: commit.raw_time.max(previous),
            author,
            subject,
        });
        self.commits.push(commit);
    }

    /// Rebuild what is not stored (the chain, the position map) after
    /// reading an index from disk.
    pub(super) fn restore(&mut self) {
        let commits = std::mem::take(&mut self.commits);
        self.chain.commits.clear();
        self.positions.clear();
        for c in commits {
            self.push_commit(c);
        }
    }

    fn describes(&self, changes: &[(String, Option<Entry>)]) -> bool {
        self.roots.iter().filter(|r| r.describe).any(|r| {
            changes
                .iter()
                .any(|(path, _)| path == &r.path || is_below(path, &r.path))
        })
    }

    /// The files that differ between two snapshots of the roots.
    fn changes_between(
        &self,
        odb: &git2::Odb<'_>,
        old: &[Option<Entry>],
        new: &[Option<Entry>],
    ) -> Result<Vec<(String, Option<Entry>)>> {
        let mut out = Vec::new();
        for ((root, a), b) in self.roots.iter().zip(old).zip(new) {
            if a == b {
                continue;
            }
            let is_tree = |e: &Option<Entry>| e.is_some_and(|e| e.mode == 0o040000);
            if !is_tree(a) && !is_tree(b) {
                out.push((root.path.clone(), *b));
                continue;
            }
            // A file replaced by a directory (or back) is both a change of
            // the path and of the files below it.
            if a.is_some() && !is_tree(a) || b.is_some() && !is_tree(b) {
                out.push((root.path.clone(), b.filter(|e| e.mode != 0o040000)));
            }
            let tree = |e: &Option<Entry>| e.filter(|e| e.mode == 0o040000).map(|e| e.id);
            raw_tree::changes(odb, tree(a), tree(b), root.depth, &root.path, &mut out)?;
        }
        Ok(out)
    }

    /// The roots this index follows.
    pub fn roots(&self) -> &[Root] {
        &self.roots
    }

    /// The chain, oldest first, with clamped times.
    pub fn chain(&self) -> &Chain {
        &self.chain
    }

    /// The indexed commits, oldest first.
    pub fn commits(&self) -> &[Commit] {
        &self.commits
    }

    /// The position of a commit on the chain.
    pub fn position(&self, id: Oid) -> Option<usize> {
        self.positions.get(&id).copied()
    }

    /// The tip commit's id, when the chain is not empty.
    pub fn tip(&self) -> Option<Oid> {
        self.commits.last().map(|c| c.id)
    }

    /// Whether `path` is followed by this index (it lies at or below a root).
    pub fn covers(&self, path: &str) -> bool {
        self.roots
            .iter()
            .any(|r| path == r.path || is_below(path, &r.path))
    }

    /// Every change of the file at `path`, oldest first.
    pub fn changes(&self, path: &str) -> &[Change] {
        self.files.get(path).map_or(&[], Vec::as_slice)
    }

    /// The entry at `path` at the tip.
    pub fn at_tip(&self, path: &str) -> Option<Entry> {
        self.changes(path).last().and_then(|c| c.entry)
    }

    /// The files ever seen below `dir` (at any depth), in path order, with
    /// their changes.
    pub fn files_below<'a>(
        &'a self,
        dir: &str,
    ) -> impl Iterator<Item = (&'a str, &'a [Change])> + use<'a> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        self.files
            .range(prefix.clone()..)
            .take_while(move |(p, _)| p.starts_with(&prefix))
            .map(|(p, c)| (p.as_str(), c.as_slice()))
    }
}

/// libgit2's object cache switched off while a walk runs (it is a process
/// setting, restored when the walk ends).
struct Uncached;

impl Uncached {
    fn new() -> Uncached {
        git2::opts::enable_caching(false);
        Uncached
    }
}

impl Drop for Uncached {
    fn drop(&mut self) {
        git2::opts::enable_caching(true);
    }
}

/// Whether `path` lies strictly below directory `dir`.
fn is_below(path: &str, dir: &str) -> bool {
    dir.is_empty()
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The first parent of a commit. A root that is a shallow boundary is an
/// error, since the history notice periods are computed from is missing;
/// a parent that cannot be read is reported when the walk reads it.
fn first_parent(repo: &Repository, commit: &git2::Commit<'_>) -> Result<Option<Oid>> {
    if commit.parent_count() == 0 {
        if repo.is_shallow() && super::chain::is_shallow_boundary(repo, commit.id()) {
            return Err(super::shallow_error());
        }
        return Ok(None);
    }
    commit
        .parent_id(0)
        .map(Some)
        .map_err(|e| Error::git(format!("reading the parents of commit {}", commit.id()), e))
}

fn describe(commit: &git2::Commit<'_>) -> (String, String) {
    let author = commit.author();
    (
        format!(
            "{} <{}>",
            author.name().unwrap_or("?"),
            author.email().unwrap_or("?")
        ),
        commit.summary().unwrap_or_default().to_owned(),
    )
}

/// Object ids as their raw bytes in the stored index.
mod oid_bytes {
    use git2::Oid;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(id: &Oid, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(id.as_bytes())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Oid, D::Error> {
        let bytes: &[u8] = <&[u8]>::deserialize(d)?;
        Oid::from_bytes(bytes).map_err(serde::de::Error::custom)
    }
}

/// An optional (id, time) pair in the stored index.
mod opt_oid_time {
    use git2::Oid;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<(Oid, i64)>, s: S) -> Result<S::Ok, S::Error> {
        v.map(|(id, t)| (serde_bytes_of(id), t)).serialize(s)
    }

    fn serde_bytes_of(id: Oid) -> Vec<u8> {
        id.as_bytes().to_vec()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<(Oid, i64)>, D::Error> {
        let v: Option<(Vec<u8>, i64)> = Option::deserialize(d)?;
        v.map(|(b, t)| {
            Oid::from_bytes(&b)
                .map(|id| (id, t))
                .map_err(serde::de::Error::custom)
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> (tempfile::TempDir, Repository) {
        let dir = tempfile::tempdir().unwrap();
        crate::demo::build(dir.path()).unwrap();
        let repo = Repository::open(dir.path()).unwrap();
        (dir, repo)
    }

    /// A commit clamps to the latest time before it on the chain: an
    /// earlier committer time never moves history back, and the raw time
    /// is kept for `suspicious-time`.
    #[test]
    fn chain_times_never_go_back() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let tree = repo.treebuilder(None).unwrap().write().unwrap();
        let tree = repo.find_tree(tree).unwrap();
        let hour = 3_600;
        let base = 1_767_225_600; // 2026-01-01T00:00:00Z
        let mut parent: Option<git2::Commit<'_>> = None;
        for offset in [10, 9, 11, 11, 3] {
            let sig = git2::Signature::new(
                "T",
                "t@example.org",
                &git2::Time::new(base + offset * hour, 0),
            )
            .unwrap();
            let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
            let id = repo
                .commit(Some("HEAD"), &sig, &sig, "c", &tree, &parents)
                .unwrap();
            parent = Some(repo.find_commit(id).unwrap());
        }
        let head = parent.unwrap().id();
        let index = Index::build(&repo, head, roots(), &mut |_| {}).unwrap();
        let raw: Vec<i64> = index
            .chain()
            .commits
            .iter()
            .map(|c| (c.raw_time - base) / hour)
            .collect();
        let clamped: Vec<i64> = index
            .chain()
            .commits
            .iter()
            .map(|c| (c.time - base) / hour)
            .collect();
        assert_eq!(raw, [10, 9, 11, 11, 3]);
        assert_eq!(clamped, [10, 10, 11, 11, 11]);
    }

    fn roots() -> Vec<Root> {
        roots_of(&Layout::default())
    }

    /// The `n`th first parent of `id`.
    fn ancestor(repo: &Repository, id: Oid, n: usize) -> Oid {
        let mut commit = repo.find_commit(id).unwrap();
        for _ in 0..n {
            commit = commit.parent(0).unwrap();
        }
        commit.id()
    }

    /// A commit on top of `parent` that deletes `path` (a top-level
    /// directory entry), made with git2 on a branch of its own.
    fn commit_without(repo: &Repository, parent: Oid, name: &str) -> Oid {
        let parent = repo.find_commit(parent).unwrap();
        let mut builder = repo.treebuilder(Some(&parent.tree().unwrap())).unwrap();
        builder.remove(name).unwrap();
        let tree = repo.find_tree(builder.write().unwrap()).unwrap();
        let sig = git2::Signature::new(
            "T",
            "t@example.org",
            &git2::Time::new(parent.time().seconds() + 60, 0),
        )
        .unwrap();
        repo.commit(None, &sig, &sig, "rewrite", &tree, &[&parent])
            .unwrap()
    }

    #[test]
    fn extending_an_older_index_equals_building_anew() {
        let (_dir, repo) = demo();
        let head = repo.head().unwrap().target().unwrap();
        let full = Index::build(&repo, head, roots(), &mut |_| {}).unwrap();
        assert!(full.commits().len() > 6, "the demo has a history");
        for back in [1, 3, full.commits().len() - 1] {
            let mut index =
                Index::build(&repo, ancestor(&repo, head, back), roots(), &mut |_| {}).unwrap();
            let read = index.extend(&repo, head, &mut |_| {}).unwrap();
            assert_eq!(read, back, "only the new commits are read");
            assert_eq!(index, full, "extended from {back} commits back");
            assert_eq!(index.chain().commits.len(), full.chain().commits.len());
        }
    }

    #[test]
    fn a_history_that_moved_elsewhere_drops_what_is_no_longer_on_it() {
        let (_dir, repo) = demo();
        let head = repo.head().unwrap().target().unwrap();
        let mut index = Index::build(&repo, head, roots(), &mut |_| {}).unwrap();
        // Another branch from three commits back, without the sign-offs.
        let other = commit_without(&repo, ancestor(&repo, head, 3), "signoffs");
        index.extend(&repo, other, &mut |_| {}).unwrap();
        let fresh = Index::build(&repo, other, roots(), &mut |_| {}).unwrap();
        assert_eq!(index, fresh);
        assert!(index.position(head).is_none());
        assert!(index
            .files_below("signoffs")
            .all(|(_, c)| c.last().unwrap().entry.is_none()));
        // And back again.
        index.extend(&repo, head, &mut |_| {}).unwrap();
        assert_eq!(
            index,
            Index::build(&repo, head, roots(), &mut |_| {}).unwrap()
        );
    }

    #[test]
    fn a_walk_of_a_few_paths_sees_what_the_whole_walk_sees_of_them() {
        let (_dir, repo) = demo();
        let head = repo.head().unwrap().target().unwrap();
        let layout = Layout::default();
        let full = Index::build(&repo, head, roots(), &mut |_| {}).unwrap();
        let few = Index::build(
            &repo,
            head,
            roots_of_agreements(&layout, ["ada-grace"]),
            &mut |_| {},
        )
        .unwrap();
        let path = "agreements/ada-grace.yaml";
        assert!(!full.changes(path).is_empty());
        assert_eq!(few.changes(path), full.changes(path));
        let signoffs = |i: &Index| {
            i.files_below("signoffs/ada-grace")
                .map(|(p, c)| (p.to_owned(), c.to_vec()))
                .collect::<Vec<_>>()
        };
        assert!(!signoffs(&full).is_empty());
        assert_eq!(signoffs(&few), signoffs(&full));
        assert!(few
            .files_below("signoffs/lin-sam-onboarding")
            .next()
            .is_none());
        assert!(!few.covers("agreements/lin-sam-onboarding.yaml"));
    }

    #[test]
    fn the_stored_index_reads_back_equal_and_a_damaged_one_is_refused() {
        let (_dir, repo) = demo();
        let head = repo.head().unwrap().target().unwrap();
        let index = Index::build(&repo, head, roots(), &mut |_| {}).unwrap();
        crate::history::store::store(&repo, &index).unwrap();
        let back = crate::history::store::load(&repo).expect("reads back");
        assert_eq!(back, index);
        assert_eq!(back.chain().commits.len(), index.chain().commits.len());
        assert_eq!(back.position(head), index.position(head));
        let path = crate::history::store::location(&repo);
        let mut bytes = std::fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x40;
        std::fs::write(&path, &bytes).unwrap();
        assert!(crate::history::store::load(&repo).is_none());
        std::fs::write(&path, b"short").unwrap();
        assert!(crate::history::store::load(&repo).is_none());
    }
}
