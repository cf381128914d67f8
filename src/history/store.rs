//! The on-disk copy of the history index, under `.git/charter/`.
//!
//! It is a cache and nothing more: the index is extended from the newest
//! commit it covers and rebuilt from scratch whenever anything does not
//! match (another charter version, other roots, a damaged file, a history
//! that no longer contains it). It is written to a temporary file and
//! renamed, so concurrent runs never read half a file, and any failure to
//! read or write it falls back to walking git. Verdicts never depend on it:
//! every blob it points at is read from git and every signature checked
//! again; the index only says where on the chain to look. Setting
//! `CHARTER_NO_INDEX=1` ignores it entirely.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use git2::{Oid, Repository};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::index::{roots_of, Index};
use crate::error::Result;
use crate::settings::Layout;

/// Bumped whenever the stored shape changes.
const FORMAT: u32 = 1;
const MAGIC: &str = "charter history index";
/// Indexing more commits than this shows progress on a terminal.
const PROGRESS_AFTER: usize = 2_000;

static PROGRESS: AtomicBool = AtomicBool::new(false);

/// Allow a progress indicator on stderr while a large index is built. The
/// command line turns it on when stderr is a terminal and the output is not
/// JSON; the library stays silent otherwise.
pub fn show_progress(on: bool) {
    PROGRESS.store(on && std::io::stderr().is_terminal(), Ordering::Relaxed);
}

#[derive(Serialize, Deserialize)]
struct Header {
    magic: String,
    format: u32,
    charter: String,
}

/// Whether the on-disk index may be used (`CHARTER_NO_INDEX` unset or empty).
pub fn enabled() -> bool {
    std::env::var_os("CHARTER_NO_INDEX").is_none_or(|v| v.is_empty() || v == "0")
}

/// Where the index of a repository lives: shared by all its worktrees.
pub fn location(repo: &Repository) -> PathBuf {
    repo.commondir().join("charter").join("history.idx")
}

/// Temporary files left in `dir` by a run that was killed while writing
/// (each write goes to a `.tmp…` file that is renamed into place) are
/// removed once they are an hour old; younger ones may be another run's
/// write in progress. Nothing else is touched, and failures are ignored:
/// the files are only a cache's leftovers.
pub fn sweep(dir: &std::path::Path) {
    const STALE: std::time::Duration = std::time::Duration::from_secs(3600);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let ours = entry.file_name().to_string_lossy().starts_with(".tmp");
        let stale = || {
            let meta = entry.metadata().ok()?;
            let age = meta.modified().ok()?.elapsed().ok()?;
            Some(meta.is_file() && age > STALE)
        };
        if ours && stale() == Some(true) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Which agreements a command needs the history of.
#[derive(Debug, Clone, Copy)]
pub enum Want<'a> {
    /// Every agreement (and record file) in the repository.
    All,
    /// Only these agreements.
    Agreements(&'a [&'a str]),
}

/// The history index at `head` for agreements under `layout`. A stored
/// index is read and extended (and saved again when `save` is set and it
/// changed); without one, a whole-repository index is built and saved, or,
/// when only a few agreements are wanted, a walk of just their paths is
/// made, which costs what `git log -- PATHS` costs.
pub fn open(
    repo: &Repository,
    layout: &Layout,
    head: Oid,
    want: Want<'_>,
    save: bool,
) -> Result<Index> {
    let roots = roots_of(layout);
    let use_disk = enabled();
    let stored = use_disk
        .then(|| load(repo))
        .flatten()
        .filter(|i| i.roots() == roots.as_slice());
    let mut bar = Progress::new();
    let mut tick = |n: usize| bar.tick(n);
    let (index, changed) = match (stored, want) {
        (Some(mut index), _) => {
            let before = index.tip();
            index.extend(repo, head, &mut tick)?;
            let changed = index.tip() != before;
            (index, changed)
        }
        (None, Want::All) => (Index::build(repo, head, roots, &mut tick)?, true),
        (None, Want::Agreements(ids)) => {
            let roots = super::index::roots_of_agreements(layout, ids.iter().copied());
            (Index::build(repo, head, roots, &mut tick)?, false)
        }
    };
    bar.finish();
    if use_disk && save && changed {
        // A cache that cannot be written (a read-only clone) is no error.
        let _ = store(repo, &index);
    }
    Ok(index)
}

/// The history index of `head` as `charter index` leaves it: the stored one
/// extended, or one built anew.
#[derive(Debug)]
pub struct Refresh {
    /// The index of `head`.
    pub index: Index,
    /// How many commits the stored index covered, when one was stored.
    pub commits_before: Option<usize>,
    /// Whether the stored index was already this one: then it is left as
    /// it is (a cached copy keeps its time, a read-only one is no error).
    pub up_to_date: bool,
}

/// Bring the index of `head` up to date for `layout` (see [`open`]), and
/// say whether the stored copy needs writing ([`store`]).
pub fn refresh(repo: &Repository, layout: &Layout, head: Oid) -> Result<Refresh> {
    let stored = load(repo);
    let before = stored
        .as_ref()
        .map(|i| (i.commits().len(), i.tip(), i.roots().to_vec()));
    let index = open(repo, layout, head, Want::All, false)?;
    let up_to_date = before
        .as_ref()
        .is_some_and(|(_, tip, roots)| *tip == index.tip() && roots == index.roots());
    Ok(Refresh {
        index,
        commits_before: before.map(|(n, _, _)| n),
        up_to_date,
    })
}

/// The stored index compared with a fresh walk of `head`'s history.
#[derive(Debug)]
pub enum Verified {
    /// It matched a fresh walk of this many commits.
    Matches(usize),
    /// None is stored for this layout; here is the fresh one to store.
    NoneStored(Index),
    /// It did not match; here is the fresh one to store in its place.
    Differs(Index),
}

/// Check the stored index (extended to `head`) against a fresh walk, as
/// `charter index --verify` does: the index is a cache, and this is how a
/// user learns that it can be trusted to give the verdicts a walk gives.
pub fn verify(repo: &Repository, layout: &Layout, head: Oid) -> Result<Verified> {
    let fresh = Index::build(repo, head, roots_of(layout), &mut |_| {})?;
    let mut extended = match load(repo) {
        Some(index) if index.roots() == fresh.roots() => index,
        _ => return Ok(Verified::NoneStored(fresh)),
    };
    extended.extend(repo, head, &mut |_| {})?;
    Ok(if extended == fresh {
        Verified::Matches(fresh.commits().len())
    } else {
        Verified::Differs(fresh)
    })
}

/// Read the stored index; `None` when absent, damaged or from another
/// version of charter.
pub fn load(repo: &Repository) -> Option<Index> {
    let bytes = std::fs::read(location(repo)).ok()?;
    let (body, sum) = bytes.split_at(bytes.len().checked_sub(32)?);
    if Sha256::digest(body).as_slice() != sum {
        return None;
    }
    let (header, mut index): (Header, Index) = postcard::from_bytes(body).ok()?;
    if header.magic != MAGIC
        || header.format != FORMAT
        || header.charter != env!("CARGO_PKG_VERSION")
    {
        return None;
    }
    index.restore();
    Some(index)
}

/// Write the index atomically (temporary file, then rename).
pub fn store(repo: &Repository, index: &Index) -> std::io::Result<()> {
    let path = location(repo);
    let dir = path.parent().expect("the index lives in a directory");
    std::fs::create_dir_all(dir)?;
    let header = Header {
        magic: MAGIC.to_owned(),
        format: FORMAT,
        charter: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let mut body = postcard::to_stdvec(&(header, index)).map_err(std::io::Error::other)?;
    let sum = Sha256::digest(&body);
    body.extend_from_slice(&sum);
    sweep(dir);
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(&body)?;
    file.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

/// A spinner on stderr once a walk gets long, when allowed.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new() -> Progress {
        Progress { bar: None }
    }

    fn tick(&mut self, commits: usize) {
        if commits < PROGRESS_AFTER || !PROGRESS.load(Ordering::Relaxed) {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} indexing history: {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar
        });
        if commits.is_multiple_of(500) {
            bar.set_message(format!("{commits} commits"));
            bar.tick();
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
