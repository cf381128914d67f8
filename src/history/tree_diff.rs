//! Which entries differ between two versions of a directory tree.
//!
//! git keeps tree entries sorted, so two versions of a directory compare in
//! one merge pass over their entries, by object id, without building paths
//! or a diff object; this is the inner loop of every walk of the chain.

use git2::{Oid, Repository, Tree};

use crate::error::Result;

/// One changed entry: its path below the compared directory, and its blob
/// (or tree) ids and file modes before and after (`None` when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryChange {
    /// The path relative to the compared directory.
    pub path: String,
    /// The object and mode before.
    pub old: Option<(Oid, i32)>,
    /// The object and mode after.
    pub new: Option<(Oid, i32)>,
}

/// git's order of tree entries: by name, a directory sorting as if its
/// name ended in `/`. Compared in place: this runs for every entry of every
/// changed directory along the chain, so it must not allocate.
fn order(a: &git2::TreeEntry<'_>, b: &git2::TreeEntry<'_>) -> std::cmp::Ordering {
    let (x, y) = (a.name_bytes(), b.name_bytes());
    let common = x.len().min(y.len());
    x[..common].cmp(&y[..common]).then_with(|| {
        let after = |name: &[u8], e: &git2::TreeEntry<'_>| {
            name.get(common)
                .copied()
                .or_else(|| (e.kind() == Some(git2::ObjectType::Tree)).then_some(b'/'))
        };
        after(x, a).cmp(&after(y, b))
    })
}

/// The entries that differ between `old` and `new`, descending `depth`
/// levels into subdirectories that differ (0: this directory only).
pub fn changes(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: Option<&Tree<'_>>,
    depth: usize,
) -> Result<Vec<EntryChange>> {
    let mut out = Vec::new();
    collect(repo, old, new, depth, "", &mut out)?;
    Ok(out)
}

fn collect(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: Option<&Tree<'_>>,
    depth: usize,
    prefix: &str,
    out: &mut Vec<EntryChange>,
) -> Result<()> {
    let empty: Vec<git2::TreeEntry<'_>> = Vec::new();
    let old_entries: Vec<_> = old.map_or_else(|| empty.clone(), |t| t.iter().collect());
    let new_entries: Vec<_> = new.map_or(empty, |t| t.iter().collect());
    let (mut i, mut j) = (0, 0);
    while i < old_entries.len() || j < new_entries.len() {
        let order = match (old_entries.get(i), new_entries.get(j)) {
            (Some(a), Some(b)) => order(a, b),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        let (a, b) = match order {
            std::cmp::Ordering::Less => {
                i += 1;
                (old_entries.get(i - 1), None)
            }
            std::cmp::Ordering::Greater => {
                j += 1;
                (None, new_entries.get(j - 1))
            }
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
                (old_entries.get(i - 1), new_entries.get(j - 1))
            }
        };
        let ids = (
            a.map(|e| (e.id(), e.filemode())),
            b.map(|e| (e.id(), e.filemode())),
        );
        if ids.0 == ids.1 {
            continue;
        }
        let name =
            String::from_utf8_lossy(a.or(b).map_or(&[][..], |e| e.name_bytes())).into_owned();
        let path = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let is_tree = |e: Option<&git2::TreeEntry<'_>>| {
            e.is_some_and(|e| e.kind() == Some(git2::ObjectType::Tree))
        };
        if depth > 0 && (is_tree(a) || is_tree(b)) {
            // A subtree that cannot be read is an error, never an empty
            // directory (that would read as the deletion of its files).
            let sub = |e: Option<&git2::TreeEntry<'_>>| {
                e.filter(|e| e.kind() == Some(git2::ObjectType::Tree))
                    .map(|e| super::tree_of(repo, e.id(), &path))
                    .transpose()
            };
            let (sa, sb) = (sub(a)?, sub(b)?);
            collect(repo, sa.as_ref(), sb.as_ref(), depth - 1, &path, out)?;
            continue;
        }
        out.push(EntryChange {
            path,
            old: ids.0,
            new: ids.1,
        });
    }
    Ok(())
}
