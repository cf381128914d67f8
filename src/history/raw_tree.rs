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
    let mut rest = data;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let parsed = (|| {
            let space = rest.iter().position(|&b| b == b' ')?;
            let nul = space + 1 + rest[space + 1..].iter().position(|&b| b == 0)?;
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
            rest = &rest[nul + 1 + ID..];
            Some(entry)
        })();
        if parsed.is_none() {
            rest = &[];
        }
        Some(parsed)
    })
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
    let (xs, ys) = (
        listing(a.as_ref(), old, prefix)?,
        listing(b.as_ref(), new, prefix)?,
    );
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

/// All entries of a raw tree (none for an absent one).
fn listing<'a>(
    object: Option<&'a git2::OdbObject<'_>>,
    id: Option<Oid>,
    what: &str,
) -> Result<Vec<RawEntry<'a>>> {
    match object {
        None => Ok(Vec::new()),
        Some(o) => entries(o.data())
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| malformed(id.unwrap_or_else(Oid::zero), what)),
    }
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
