//! The entries at a few fixed paths in every commit of a walk.
//!
//! A walk looks up the same paths (`agreements`, `signoffs/ID`, …) in every
//! commit. Consecutive commits mostly share their subtrees, so each level
//! of a path remembers the tree it was last looked up in and its answer,
//! and a subtree seen just before is not read again. Where a tree must be
//! read, its raw bytes are scanned for the one name wanted: libgit2 would
//! parse and allocate every entry of a directory of thousands of files,
//! which is most of the cost of walking a large repository (measured in
//! BENCHMARKS.md).

use git2::{Odb, Oid, Repository};

use super::index::Entry;
use super::raw_tree;
use crate::error::{Error, Result};

/// A tree searched, and the entry found in it (if any).
type Seen = (Oid, Option<Entry>);

/// Looks up a set of paths in commit after commit.
pub struct Resolver<'r> {
    odb: Odb<'r>,
    /// Each path's components.
    paths: Vec<Vec<String>>,
    /// Per path and level: the tree last searched and what it held.
    last: Vec<Vec<Option<Seen>>>,
}

impl<'r> Resolver<'r> {
    /// A resolver of `paths` (repository-relative; "" is the top tree).
    pub fn new<'p>(repo: &'r Repository, paths: impl IntoIterator<Item = &'p str>) -> Result<Self> {
        let odb = repo
            .odb()
            .map_err(|e| Error::git("opening the object store", e))?;
        let paths: Vec<Vec<String>> = paths
            .into_iter()
            .map(|p| {
                p.split('/')
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .collect();
        let last = paths.iter().map(|p| vec![None; p.len()]).collect();
        Ok(Resolver { odb, paths, last })
    }

    /// The entry at each path in the tree `root` (a commit's tree).
    pub fn resolve(&mut self, root: Oid) -> Result<Vec<Option<Entry>>> {
        let mut out = Vec::with_capacity(self.paths.len());
        for i in 0..self.paths.len() {
            let mut entry = Some(Entry {
                id: root,
                mode: 0o040000,
            });
            for level in 0..self.paths[i].len() {
                let Some(dir) = entry.filter(|e| e.mode == 0o040000) else {
                    entry = None;
                    break;
                };
                entry = match self.last[i][level] {
                    Some((seen, found)) if seen == dir.id => found,
                    _ => {
                        let found = self.lookup(dir.id, i, level)?;
                        self.last[i][level] = Some((dir.id, found));
                        found
                    }
                };
            }
            out.push(entry);
        }
        Ok(out)
    }

    /// The entry named by component `level` of path `i` in tree `tree`.
    fn lookup(&self, tree: Oid, i: usize, level: usize) -> Result<Option<Entry>> {
        let shown = self.paths[i][..level].join("/");
        let shown = if shown.is_empty() { "/" } else { &shown };
        let object = raw_tree::read(&self.odb, tree, shown)?;
        find(object.data(), self.paths[i][level].as_bytes())
            .ok_or_else(|| raw_tree::malformed(tree, shown))
    }
}

/// Find `name` among a raw tree's entries. `None` when the bytes are not a
/// well-formed tree; `Some(None)` when the name is absent.
fn find(data: &[u8], name: &[u8]) -> Option<Option<Entry>> {
    for entry in raw_tree::entries(data) {
        let entry = entry?;
        if entry.name == name {
            return Some(Some(entry.entry()?));
        }
    }
    Some(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scan agrees with libgit2 on every path of a real repository.
    #[test]
    fn finds_what_libgit2_finds() {
        let dir = tempfile::tempdir().unwrap();
        crate::demo::build(dir.path()).unwrap();
        let repo = Repository::open(dir.path()).unwrap();
        let head = repo.head().unwrap().peel_to_commit().unwrap();
        let tree = head.tree().unwrap();
        let mut paths = vec![
            "agreements".to_owned(),
            "missing".to_owned(),
            "agreements/missing.yaml".to_owned(),
            "charter.yaml/below-a-file".to_owned(),
        ];
        tree.walk(git2::TreeWalkMode::PreOrder, |dir, e| {
            paths.push(format!("{dir}{}", e.name().unwrap()));
            git2::TreeWalkResult::Ok
        })
        .unwrap();
        let mut resolver = Resolver::new(&repo, paths.iter().map(String::as_str)).unwrap();
        // Twice: the second answers come from what the first remembered.
        for _ in 0..2 {
            let found = resolver.resolve(tree.id()).unwrap();
            for (path, got) in paths.iter().zip(found) {
                let want = crate::history::entry_at(&tree, path)
                    .ok()
                    .flatten()
                    .map(|e| Entry {
                        id: e.id(),
                        mode: e.filemode(),
                    });
                assert_eq!(got, want, "{path}");
            }
        }
    }

    #[test]
    fn malformed_trees_are_refused() {
        assert_eq!(find(b"", b"x"), Some(None));
        assert_eq!(find(b"100644 x", b"x"), None);
        assert_eq!(find(b"100644 x\0short", b"x"), None);
        let mut entry = b"10x644 x\0".to_vec();
        entry.extend_from_slice(&[1; 20]);
        assert_eq!(find(&entry, b"x"), None);
    }
}
