//! The versions of one agreement along a chain.

use git2::{Oid, Repository};

use super::chain::{Chain, ChainCommit};
use super::entry_id;
use crate::agreement::lint::{self, Parsed};
use crate::agreement::VersionId;
use crate::error::{Error, Result};

/// What an agreement file is at some commit. Absent, unparseable and
/// schema-invalid are distinct: the last two cannot be signed.
#[derive(Debug, Clone, PartialEq)]
pub enum FileState {
    /// No file at that path.
    Absent,
    /// A file that parsed (or failed to) as [`Parsed`] says.
    Present(Parsed),
}

impl FileState {
    /// The version id, when the file is plain data.
    pub fn version(&self) -> Option<&VersionId> {
        match self {
            FileState::Absent => None,
            FileState::Present(p) => p.version(),
        }
    }

    /// The parsed file, when present.
    pub fn parsed(&self) -> Option<&Parsed> {
        match self {
            FileState::Absent => None,
            FileState::Present(p) => Some(p),
        }
    }
}

/// A point on the chain where the agreement's state changed: a new version
/// id, or a change to absent or unparseable.
#[derive(Debug, Clone)]
pub struct Version {
    /// The first commit with this state.
    pub commit: ChainCommit,
    /// Its position on the chain (0 = root).
    pub position: usize,
    /// The state from this commit on.
    pub state: FileState,
    /// The blob of the file, to tell unparseable contents apart.
    blob: Option<Oid>,
}

impl Version {
    /// A point built from data rather than read from git (for judging
    /// hypothetical histories and for tests of the rules).
    pub fn new(commit: ChainCommit, position: usize, state: FileState) -> Version {
        Version {
            commit,
            position,
            state,
            blob: None,
        }
    }

    /// The blob the file had at this point, to read it again when needed.
    pub fn blob(&self) -> Option<Oid> {
        self.blob
    }

    /// True when this point is a version (plain data with an id).
    pub fn is_version(&self) -> bool {
        self.state.version().is_some()
    }

    fn same_state(&self, other_blob: Option<Oid>, other: &FileState) -> bool {
        match (&self.state, other) {
            (FileState::Absent, FileState::Absent) => true,
            (FileState::Present(a), FileState::Present(b)) => match (a.version(), b.version()) {
                (Some(x), Some(y)) => x == y,
                (None, None) => self.blob == other_blob,
                _ => false,
            },
            _ => false,
        }
    }
}

/// An agreement's history: every change of state, oldest first.
#[derive(Debug, Clone)]
pub struct History {
    /// The repository-relative path.
    pub path: String,
    /// Changes of state, oldest first. The file's state before the first
    /// entry is absent.
    pub points: Vec<Version>,
}

impl History {
    /// The versions proper (points with a version id), oldest first.
    pub fn versions(&self) -> impl DoubleEndedIterator<Item = &Version> {
        self.points.iter().filter(|p| p.is_version())
    }

    /// Add a point that is not committed yet (the working tree), as if it
    /// were committed by `commit`; `amend` judges an amendment this way.
    pub fn with_uncommitted(&self, commit: ChainCommit, state: FileState) -> History {
        let mut history = self.clone();
        let unchanged = history
            .points
            .last()
            .is_some_and(|last| last.same_state(None, &state) && state.version().is_some());
        if !unchanged {
            // After every committed commit: no sign-off on the chain can
            // have been made for it (see `rules::credited_point`).
            history.points.push(Version {
                commit,
                position: usize::MAX,
                state,
                blob: None,
            });
        }
        history
    }

    /// The state at the tip of the chain.
    pub fn current(&self) -> &FileState {
        self.points.last().map_or(&FileState::Absent, |p| &p.state)
    }
}

/// The history of the file at `path` along `chain`.
pub fn agreement_history(repo: &Repository, chain: &Chain, path: &str) -> Result<History> {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let only = std::collections::HashSet::from([name.to_owned()]);
    let mut histories = scan_dir(repo, chain, dir, Some(&only), true)?;
    Ok(histories.remove(path).unwrap_or(History {
        path: path.to_owned(),
        points: Vec::new(),
    }))
}

/// The histories of the files directly in `dir` (or only those named in
/// `only`), in one walk of the chain. Without `keep_data`, only version
/// ids and typed agreements are kept, which bounds memory on large
/// repositories. A commit is looked at only when the
/// directory's tree changed, and then only the files that changed in it.
pub fn scan_dir(
    repo: &Repository,
    chain: &Chain,
    dir: &str,
    only: Option<&std::collections::HashSet<String>>,
    keep_data: bool,
) -> Result<std::collections::HashMap<String, History>> {
    let mut histories: std::collections::HashMap<String, History> =
        std::collections::HashMap::new();
    let mut last_tree: Option<git2::Tree<'_>> = None;
    let mut last_dir: Option<Oid> = None;
    for (position, c) in chain.commits.iter().enumerate() {
        let commit = repo
            .find_commit(c.id)
            .map_err(|e| Error::git(format!("reading commit {}", c.id), e))?;
        let tree = commit.tree().map_err(|e| Error::git("reading a tree", e))?;
        let dir_id = entry_id(&tree, dir)?;
        if dir_id == last_dir {
            continue;
        }
        last_dir = dir_id;
        let subtree = dir_id.map(|id| super::tree_of(repo, id, dir)).transpose()?;
        // For a few named files, comparing their entries beats a tree diff.
        let changed = match only.filter(|o| o.len() <= 8) {
            Some(names) => {
                let entry = |t: Option<&git2::Tree<'_>>, n: &str| {
                    t.and_then(|t| t.get_name(n))
                        .map(|e| (e.id(), e.filemode()))
                };
                names
                    .iter()
                    .filter(|n| entry(last_tree.as_ref(), n) != entry(subtree.as_ref(), n))
                    .cloned()
                    .collect()
            }
            None => changed_names(repo, last_tree.as_ref(), subtree.as_ref())?,
        };
        for name in changed {
            if only.is_some_and(|o| !o.contains(&name)) || !name.ends_with(".yaml") {
                continue;
            }
            let path = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            let entry = subtree.as_ref().and_then(|t| t.get_name(&name));
            let blob = entry
                .as_ref()
                .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
                .map(|e| e.id());
            let state = match (&entry, blob) {
                (None, _) => FileState::Absent,
                (Some(e), Some(id)) if e.filemode() != 0o120000 => {
                    let blob = repo
                        .find_blob(id)
                        .map_err(|e| Error::git(format!("reading {path}"), e))?;
                    let mut parsed = lint::load(&path, blob.content());
                    if !keep_data {
                        parsed.forget_data();
                    }
                    FileState::Present(parsed)
                }
                _ => FileState::Present(Parsed::Unparseable),
            };
            let history = histories.entry(path.clone()).or_insert_with(|| History {
                path,
                points: Vec::new(),
            });
            let unchanged = match history.points.last() {
                Some(last) => last.same_state(blob, &state),
                None => state == FileState::Absent,
            };
            if !unchanged {
                history.points.push(Version {
                    commit: c.describe(&commit),
                    position,
                    state,
                    blob,
                });
            }
        }
        last_tree = subtree;
    }
    Ok(histories)
}

/// Names of the entries that differ between two versions of a directory.
fn changed_names(
    repo: &Repository,
    old: Option<&git2::Tree<'_>>,
    new: Option<&git2::Tree<'_>>,
) -> Result<Vec<String>> {
    Ok(super::tree_diff::changes(repo, old, new, 0)?
        .into_iter()
        .map(|c| c.path)
        .collect())
}
