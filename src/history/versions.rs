//! The versions of one agreement along a chain.

use git2::{Oid, Repository};

use super::chain::ChainCommit;
use super::index::Index;
use super::parse_store::ParseStore;
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

/// Parsed agreement files by blob id, so a blob is parsed once however
/// often it recurs (a reverted amendment, a reload of the same record), and,
/// with a [`ParseStore`], once across runs.
#[derive(Debug, Default)]
pub struct Parses<'s> {
    parsed: std::collections::HashMap<Oid, Parsed>,
    store: Option<&'s ParseStore>,
}

impl<'s> Parses<'s> {
    /// Parses that consult, and add to, the parses kept between runs.
    pub fn with_store(store: &'s ParseStore) -> Parses<'s> {
        Parses {
            parsed: std::collections::HashMap::new(),
            store: Some(store),
        }
    }

    /// The parsed contents of blob `id` at `path`, read and parsed on first use.
    pub fn get(&mut self, repo: &Repository, id: Oid, path: &str) -> Result<Parsed> {
        if let Some(p) = self.parsed.get(&id) {
            return Ok(p.clone());
        }
        if let Some(parsed) = self.store.and_then(|s| s.get(id)) {
            // Reading a stored parse costs less than keeping a copy for the
            // rare blob that recurs.
            return Ok(parsed);
        }
        let blob = repo
            .find_blob(id)
            .map_err(|e| Error::git(format!("reading {path}"), e))?;
        let parsed = lint::load(path, blob.content());
        if let Some(store) = self.store {
            store.add(id, &parsed);
        }
        self.parsed.insert(id, parsed.clone());
        Ok(parsed)
    }
}

/// The history of the agreement file at `path`, from the index: one point
/// per change of state (a new version id, removal, or unparseable bytes).
pub fn history_of(
    repo: &Repository,
    index: &Index,
    path: &str,
    parses: &mut Parses<'_>,
) -> Result<History> {
    if !index.covers(path) {
        return Err(Error::other(
            format!("the history index does not follow {path}"),
            None::<&str>,
        ));
    }
    let chain = index.chain();
    let mut history = History {
        path: path.to_owned(),
        points: Vec::new(),
    };
    for change in index.changes(path) {
        let blob = change
            .entry
            .filter(|e| e.mode != 0o040000 && e.mode != 0o160000);
        let state = match change.entry {
            None => FileState::Absent,
            Some(e) if e.is_file() => FileState::Present(parses.get(repo, e.id, path)?),
            Some(_) => FileState::Present(Parsed::Unparseable),
        };
        let blob = blob.map(|e| e.id);
        let unchanged = match history.points.last() {
            Some(last) => last.same_state(blob, &state),
            None => state == FileState::Absent,
        };
        if !unchanged {
            history.points.push(Version {
                commit: chain.commits[change.position].clone(),
                position: change.position,
                state,
                blob,
            });
        }
    }
    Ok(history)
}
