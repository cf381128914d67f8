//! Tree objects read as raw bytes.
//!
//! Walking history compares the same large directories commit after
//! commit. libgit2 parses every entry of a tree into an allocated list
//! before it can be searched or compared; scanning the raw object
//! (`<octal mode> <name>\0<20-byte id>` per entry, sorted as git sorts)
//! finds a name, or the entries that differ, without that. BENCHMARKS.md
//! has what it saves.

use git2::{Odb, Oid};

use super::index::Entry;
use crate::error::{Error, Result};

/// The length of an object id in a tree entry (SHA-1).
const ID: usize = 20;

/// One entry of a raw tree.
#[derive(Debug, Clone, Copy)]
pub struct RawEntry<'a> {
    /// The name, as stored.
    pub name: &'a [u8],
    /// The git file mode.
    pub mode: i32,
    /// The id bytes.
    pub id: &'a [u8],
}

impl RawEntry<'_> {
    /// Whether the entry is a directory.
    pub fn is_tree(&self) -> bool {
        self.mode == 0o040000
    }

    /// The entry as the index keeps it.
    pub fn entry(&self) -> Option<Entry> {
        Some(Entry {
            id: Oid::from_bytes(self.id).ok()?,
            mode: self.mode,
        })
    }
}

/// The entries of a raw tree, in stored order; `None` ends a malformed one
/// early (the caller reports it).
pub fn entries(data: &[u8]) -> impl Iterator<Item = Option<RawEntry<'_>>> {
    let mut at = Some(0);
    std::iter::from_fn(move || {
        let start = at.filter(|&start| start < data.len())?;
        let parsed = entry_at(data, start);
        at = parsed.map(|(_, end)| end);
        Some(parsed.map(|(entry, _)| entry))
    })
}

/// The entry that starts at `start`, and where the next one starts; `None`
/// when the bytes there are not an entry.
fn entry_at(data: &[u8], start: usize) -> Option<(RawEntry<'_>, usize)> {
    let rest = data.get(start..)?;
    let space = memchr::memchr(b' ', rest)?;
    let nul = space + 1 + memchr::memchr(0, &rest[space + 1..])?;
    let id = rest.get(nul + 1..nul + 1 + ID)?;
    let mode = rest[..space].iter().try_fold(0i32, |m, &d| {
        (b'0'..=b'7')
            .contains(&d)
            .then(|| m.checked_mul(8)?.checked_add(i32::from(d - b'0')))
            .flatten()
    })?;
    let entry = RawEntry {
        name: &rest[space + 1..nul],
        mode,
        id,
    };
    Some((entry, start + nul + 1 + ID))
}

/// Read a tree object's bytes; `what` names it in errors.
pub fn read<'o>(odb: &'o Odb<'_>, id: Oid, what: &str) -> Result<git2::OdbObject<'o>> {
    let object = odb
        .read(id)
        .map_err(|e| Error::git(format!("reading {what} (tree {id})"), e))?;
    if object.kind() != git2::ObjectType::Tree {
        return Err(Error::other(
            format!("object {id} ({what}) is not a tree, though a tree names it as one"),
            Some("the repository is damaged; run `git fsck`"),
        ));
    }
    Ok(object)
}

/// The error for a tree whose bytes are not well-formed entries.
pub fn malformed(id: Oid, what: &str) -> Error {
    Error::other(
        format!("tree {id} ({what}) cannot be read: its entries are malformed"),
        Some("the repository is damaged; run `git fsck`"),
    )
}

/// git's order of tree entries: by name, a directory sorting as if its
/// name ended in `/`.
pub fn order(a: &RawEntry<'_>, b: &RawEntry<'_>) -> std::cmp::Ordering {
    let common = a.name.len().min(b.name.len());
    a.name[..common].cmp(&b.name[..common]).then_with(|| {
        let after = |e: &RawEntry<'_>| {
            e.name
                .get(common)
                .copied()
                .or_else(|| e.is_tree().then_some(b'/'))
        };
        after(a).cmp(&after(b))
    })
}

/// The files that differ between two versions of a directory (either may
/// be absent), descending `depth` levels into subdirectories that differ;
/// paths are `prefix/…`. Each change is the path and what it holds after.
pub fn changes(
    odb: &Odb<'_>,
    old: Option<Oid>,
    new: Option<Oid>,
    depth: usize,
    prefix: &str,
    out: &mut Vec<(String, Option<Entry>)>,
) -> Result<()> {
    let read = |id: Option<Oid>| id.map(|id| read(odb, id, prefix)).transpose();
    let (a, b) = (read(old)?, read(new)?);
    fn bytes<'o>(o: &'o Option<git2::OdbObject<'_>>) -> &'o [u8] {
        o.as_ref().map_or(&[], |o| o.data())
    }
    let (xs, ys) = differing(bytes(&a), bytes(&b)).map_err(|side| {
        let id = match side {
            Side::Old => old,
            Side::New => new,
        };
        malformed(id.unwrap_or_else(Oid::zero), prefix)
    })?;
    let (mut i, mut j) = (0, 0);
    while i < xs.len() || j < ys.len() {
        let (x, y) = match (xs.get(i), ys.get(j)) {
            (Some(x), Some(y)) => match order(x, y) {
                std::cmp::Ordering::Less => (Some(x), None),
                std::cmp::Ordering::Greater => (None, Some(y)),
                std::cmp::Ordering::Equal => (Some(x), Some(y)),
            },
            (x, y) => (x.filter(|_| y.is_none()), y.filter(|_| x.is_none())),
        };
        i += usize::from(x.is_some());
        j += usize::from(y.is_some());
        if let (Some(x), Some(y)) = (x, y) {
            if x.id == y.id && x.mode == y.mode {
                continue;
            }
        }
        let name = String::from_utf8_lossy(x.or(y).map_or(&[][..], |e| e.name));
        let path = if prefix.is_empty() {
            name.into_owned()
        } else {
            format!("{prefix}/{name}")
        };
        let tree_id = |e: Option<&RawEntry<'_>>| {
            e.filter(|e| e.is_tree())
                .and_then(|e| Oid::from_bytes(e.id).ok())
        };
        if depth > 0 && (x.is_some_and(|e| e.is_tree()) || y.is_some_and(|e| e.is_tree())) {
            changes(odb, tree_id(x), tree_id(y), depth - 1, &path, out)?;
            continue;
        }
        out.push((path, y.and_then(|e| e.entry())));
    }
    Ok(())
}

/// Which of two trees is malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Old,
    New,
}

/// The entries of two trees (raw bytes; empty for an absent tree) that can
/// differ, in order: the entries both begin and end with are left out.
///
/// A history's commits mostly change one entry of a directory of
/// thousands, so the common leading and trailing bytes are compared as
/// bytes and only what lies between is read as entries. An entry is read
/// from where it starts, so identical bytes from the same start are the
/// same entry; the old tree's entry starts say where the common trailing
/// bytes begin an entry, and the new tree is read up to the first such
/// start it reaches.
fn differing<'a>(
    old: &'a [u8],
    new: &'a [u8],
) -> std::result::Result<(Vec<RawEntry<'a>>, Vec<RawEntry<'a>>), Side> {
    // Where each old entry starts, then the end.
    let mut starts = vec![0];
    let mut at = 0;
    while at < old.len() {
        at = entry_at(old, at).ok_or(Side::Old)?.1;
        starts.push(at);
    }
    let same_start = common_prefix(old, new);
    // Entries that end within the common leading bytes are in both.
    let first = starts[1..].partition_point(|&end| end <= same_start);
    let from = starts[first];
    let same_end = common_suffix(&old[from..], &new[from..]);
    let mut ys = Vec::new();
    let mut at = from;
    let last = loop {
        // Within the common trailing bytes, at an old entry's start: the
        // rest of both trees is the same entries.
        if at + same_end >= new.len() {
            let in_old = at + old.len() - new.len();
            if let Ok(k) = starts.binary_search(&in_old) {
                break k;
            }
        }
        let (entry, end) = entry_at(new, at).ok_or(Side::New)?;
        ys.push(entry);
        at = end;
    };
    let xs = entries(&old[starts[first]..starts[last]])
        .collect::<Option<Vec<_>>>()
        .ok_or(Side::Old)?;
    Ok((xs, ys))
}

/// How many leading bytes two slices share.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 64;
    let mut same = 0;
    for (x, y) in a.chunks(CHUNK).zip(b.chunks(CHUNK)) {
        if x == y {
            same += x.len();
        } else {
            return same + x.iter().zip(y).take_while(|(p, q)| p == q).count();
        }
    }
    same
}

/// How many trailing bytes two slices share.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 64;
    let mut same = 0;
    for (x, y) in a.rchunks(CHUNK).zip(b.rchunks(CHUNK)) {
        if x == y {
            same += x.len();
        } else {
            let n = x.iter().rev().zip(y.iter().rev());
            return same + n.take_while(|(p, q)| p == q).count();
        }
    }
    same
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::Repository;

    /// Scanning raw trees finds the same changes as comparing libgit2's
    /// parsed trees, for every commit of a real history and every depth.
    #[test]
    fn changes_agree_with_libgit2_trees() {
        let dir = tempfile::tempdir().unwrap();
        crate::demo::build(dir.path()).unwrap();
        let repo = Repository::open(dir.path()).unwrap();
        let odb = repo.odb().unwrap();
        let mut commit = repo.head().unwrap().peel_to_commit().unwrap();
        let mut compared = 0;
        while let Ok(parent) = commit.parent(0) {
            for depth in [0, 1, 4] {
                let (old, new) = (parent.tree().unwrap(), commit.tree().unwrap());
                let want: Vec<(String, Option<Entry>)> =
                    crate::history::tree_diff::changes(&repo, Some(&old), Some(&new), depth)
                        .unwrap()
                        .into_iter()
                        .map(|c| (c.path, c.new.map(|(id, mode)| Entry { id, mode })))
                        .collect();
                let mut got = Vec::new();
                changes(&odb, Some(old.id()), Some(new.id()), depth, "", &mut got).unwrap();
                assert_eq!(got, want, "{} at depth {depth}", commit.id());
                compared += want.len();
            }
            commit = parent;
        }
        assert!(compared > 20, "the demo's history changes files");
    }

    /// `order` is git's order of tree entries: a directory sorts as if its
    /// name ended in `/`, so `a-` < `a.b` < the directory `a` < `a0`, as the
    /// tree libgit2 writes lists them; any shuffle sorts back to it.
    #[test]
    fn order_is_gits_order_of_tree_entries() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let blob = repo.blob(b"x").unwrap();
        let mut sub = repo.treebuilder(None).unwrap();
        sub.insert("f", blob, 0o100644).unwrap();
        let sub = sub.write().unwrap();
        let mut builder = repo.treebuilder(None).unwrap();
        for name in ["a0", "a.b", "a-", "ab"] {
            builder.insert(name, blob, 0o100644).unwrap();
        }
        builder.insert("a", sub, 0o040000).unwrap();
        let tree = builder.write().unwrap();
        let odb = repo.odb().unwrap();
        let object = read(&odb, tree, "a test tree").unwrap();
        let listed: Vec<RawEntry<'_>> = entries(object.data()).map(Option::unwrap).collect();
        let names: Vec<&[u8]> = listed.iter().map(|e| e.name).collect();
        assert_eq!(names, [&b"a-"[..], b"a.b", b"a", b"a0", b"ab"]);
        for pair in listed.windows(2) {
            assert_eq!(order(&pair[0], &pair[1]), std::cmp::Ordering::Less);
            assert_eq!(order(&pair[1], &pair[0]), std::cmp::Ordering::Greater);
        }
        let mut shuffled = listed.clone();
        shuffled.reverse();
        shuffled.swap(0, 2);
        shuffled.sort_by(order);
        let resorted: Vec<&[u8]> = shuffled.iter().map(|e| e.name).collect();
        assert_eq!(resorted, names);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 64,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Skipping the bytes two trees share finds exactly what libgit2's
        /// comparison of the parsed trees finds, wherever the changes are:
        /// first or last entry, adjacent runs, files turned directories,
        /// names that are prefixes of each other, either tree empty.
        #[test]
        fn skipping_shared_bytes_finds_every_change(
            old in proptest::collection::btree_map(name(), 0u8..4, 0..24),
            new in proptest::collection::btree_map(name(), 0u8..4, 0..24),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let repo = Repository::init(dir.path()).unwrap();
            let (a, b) = (build(&repo, &old), build(&repo, &new));
            let want: Vec<(String, Option<Entry>)> = crate::history::tree_diff::changes(
                &repo,
                Some(&repo.find_tree(a).unwrap()),
                Some(&repo.find_tree(b).unwrap()),
                1,
            )
            .unwrap()
            .into_iter()
            .map(|c| (c.path, c.new.map(|(id, mode)| Entry { id, mode })))
            .collect();
            let odb = repo.odb().unwrap();
            let mut got = Vec::new();
            changes(&odb, Some(a), Some(b), 1, "", &mut got).unwrap();
            proptest::prop_assert_eq!(got, want);
        }
    }

    /// Entry names that share prefixes, so that git's order matters.
    fn name() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::string::string_regex("a[a.-]{0,3}").unwrap()
    }

    /// A tree of `entries`: kind 0 and 1 are files of two contents, 2 an
    /// executable, 3 a directory holding one file.
    fn build(repo: &Repository, entries: &std::collections::BTreeMap<String, u8>) -> Oid {
        let mut builder = repo.treebuilder(None).unwrap();
        for (name, kind) in entries {
            let (id, mode) = match kind {
                0 | 1 => (repo.blob(&[*kind]).unwrap(), 0o100644),
                2 => (repo.blob(b"run").unwrap(), 0o100755),
                _ => {
                    let mut sub = repo.treebuilder(None).unwrap();
                    sub.insert("f", repo.blob(name.as_bytes()).unwrap(), 0o100644)
                        .unwrap();
                    (sub.write().unwrap(), 0o040000)
                }
            };
            builder.insert(name, id, mode).unwrap();
        }
        builder.write().unwrap()
    }

    /// A malformed tree is named as the malformed side, old or new.
    #[test]
    fn a_malformed_side_is_named() {
        let mut good = b"100644 a\0".to_vec();
        good.extend_from_slice(&[7; 20]);
        let mut bad = good.clone();
        bad.extend_from_slice(b"100644 b\0short");
        assert_eq!(differing(&bad, &good).unwrap_err(), Side::Old);
        assert_eq!(differing(&good, &bad).unwrap_err(), Side::New);
        let (xs, ys) = differing(&good, &good).unwrap();
        assert!(xs.is_empty() && ys.is_empty());
    }

    #[test]
    fn malformed_entries_end_the_listing() {
        let short: Vec<_> = entries(b"100644 x\0short").collect();
        assert!(short.iter().all(Option::is_none));
        let mut good = b"100644 a\0".to_vec();
        good.extend_from_slice(&[7; 20]);
        good.extend_from_slice(b"1x0644 b\0");
        good.extend_from_slice(&[7; 20]);
        let listed: Vec<_> = entries(&good).collect();
        assert!(listed[0].is_some_and(|e| e.name == b"a" && e.mode == 0o100644));
        assert!(listed[1].is_none());
    }
}
