//! Parsed agreement versions kept between runs, under `.git/charter/`.
//!
//! A whole-repository command (`verify`, `status`, `calendar`, `report`)
//! needs every version of every agreement: on a large repository most of
//! its time went into parsing YAML and hashing canonical JSON for version
//! ids, the same blobs on every run. A blob's parse is a function of its
//! bytes and of charter's version alone, so it is kept here keyed by blob
//! id: the version id and the plain data as JSON, which reads back many
//! times faster than YAML.
//!
//! Like the history index it is a cache: rebuilt when the file is damaged
//! or written by another charter version, written to a temporary file and
//! renamed, ignored under `CHARTER_NO_INDEX=1`, and checked entry by entry
//! by `charter index --verify`. `check`, the command that gates pull
//! requests, never reads it: its verdicts come from git objects alone.
//!
//! The file is a table of entries (blob id, place, SHA-256) followed by the
//! entries. Only the table is read up front; an entry is read from the file
//! when asked for and checked against its hash, so the store adds little to
//! a command's memory however long the history is.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use git2::{Oid, Repository};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::agreement::lint::Parsed;
use crate::agreement::VersionId;

/// Bumped whenever the stored shape changes.
const FORMAT: u32 = 1;
const MAGIC: &str = "charter parsed versions";
/// A table larger than this is not read (a damaged length).
const MAX_TABLE: u64 = 256 << 20;

#[derive(Serialize, Deserialize)]
struct Header {
    magic: String,
    format: u32,
    charter: String,
}

/// Where one entry lies in the file, and the hash of its bytes.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Row {
    blob: [u8; 20],
    offset: u64,
    len: u32,
    sha256: [u8; 32],
}

/// One blob's parse: `None` when it is not plain data, else its version id
/// and its data as JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored(Option<(String, Vec<u8>)>);

impl Stored {
    fn of(parsed: &Parsed) -> Option<Stored> {
        match (parsed.version(), parsed.data()) {
            (Some(version), Some(data)) => Some(Stored(Some((
                version.as_str().to_owned(),
                serde_json::to_vec(data).ok()?,
            )))),
            _ => Some(Stored(None)),
        }
    }

    /// The parse this entry stands for; `None` when the entry is damaged
    /// (then the blob is parsed again).
    fn parsed(&self) -> Option<Parsed> {
        let Some((version, data)) = &self.0 else {
            return Some(Parsed::Unparseable);
        };
        let version = VersionId::parse(version)?;
        let data = serde_json::from_slice(data).ok()?;
        Some(Parsed::from_data(version, data))
    }
}

/// The stored parses of one repository, shared by the threads that load
/// records; new parses are collected and written back by [`ParseStore::save`].
#[derive(Debug)]
pub struct ParseStore {
    /// Where the store lives; `None` under `CHARTER_NO_INDEX`, when nothing
    /// is read or written.
    path: Option<PathBuf>,
    /// Sorted by blob id.
    rows: Vec<Row>,
    /// The file the rows point into, and where its entries start.
    file: Option<(File, u64)>,
    /// New entries, written to a temporary file as they come (a first run
    /// on a large repository adds tens of megabytes).
    added: Mutex<Option<Spill>>,
}

/// New entries: a temporary file beside the store and where each lies in it.
#[derive(Debug)]
struct Spill {
    out: BufWriter<tempfile::NamedTempFile>,
    rows: Vec<Row>,
    end: u64,
}

/// Stored parses being read by [`ParseStore::open_in_background`].
#[derive(Debug)]
pub struct Opening(std::thread::JoinHandle<ParseStore>, PathBuf);

impl Opening {
    /// The stored parses, once read (none, if reading them failed).
    pub fn wait(self) -> ParseStore {
        let Opening(handle, path) = self;
        handle.join().unwrap_or_else(|_| ParseStore::empty(path))
    }
}

/// Where the stored parses of a repository live: beside the history index.
pub fn location(repo: &Repository) -> PathBuf {
    repo.commondir().join("charter").join("parsed.idx")
}

impl ParseStore {
    /// The stored parses of `repo`; empty when there are none, when they
    /// are damaged or from another charter version, or when the on-disk
    /// index is turned off.
    pub fn open(repo: &Repository) -> ParseStore {
        Self::read_at(&location(repo))
    }

    /// Start reading the stored parses on another thread, so that a command
    /// can read the history index meanwhile.
    pub fn open_in_background(repo: &Repository) -> Opening {
        let path = location(repo);
        let read = path.clone();
        Opening(std::thread::spawn(move || Self::read_at(&read)), path)
    }

    fn empty(path: PathBuf) -> ParseStore {
        Self::empty_with(path, super::store::enabled())
    }

    fn empty_with(path: PathBuf, enabled: bool) -> ParseStore {
        ParseStore {
            path: enabled.then_some(path),
            rows: Vec::new(),
            file: None,
            added: Mutex::default(),
        }
    }

    fn read_at(path: &Path) -> ParseStore {
        Self::read_with(path, super::store::enabled())
    }

    /// The store at `path`, or none when `enabled` is false (the tests pass
    /// it, so that they do not depend on the caller's `CHARTER_NO_INDEX`).
    fn read_with(path: &Path, enabled: bool) -> ParseStore {
        let mut store = ParseStore::empty_with(path.to_owned(), enabled);
        if let Some((rows, file, start)) = store.path.as_ref().and_then(|p| read_table(p)) {
            store.rows = rows;
            store.file = Some((file, start));
        }
        store
    }

    /// How many blobs are stored.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The stored parse of blob `id`, if any (and intact).
    pub fn get(&self, id: Oid) -> Option<Parsed> {
        let i = self
            .rows
            .binary_search_by(|r| r.blob.as_slice().cmp(id.as_bytes()))
            .ok()?;
        self.read_entry(&self.rows[i])?.parsed()
    }

    fn entry_bytes(&self, row: &Row) -> Option<Vec<u8>> {
        let (file, start) = self.file.as_ref()?;
        read_row(file, *start, row)
    }

    fn read_entry(&self, row: &Row) -> Option<Stored> {
        postcard::from_bytes(&self.entry_bytes(row)?).ok()
    }

    /// Remember the parse of a blob that was not stored.
    pub fn add(&self, id: Oid, parsed: &Parsed) {
        let Ok(blob) = <[u8; 20]>::try_from(id.as_bytes()) else {
            return;
        };
        let Some(bytes) = Stored::of(parsed).and_then(|s| postcard::to_stdvec(&s).ok()) else {
            return;
        };
        let Ok(len) = u32::try_from(bytes.len()) else {
            return;
        };
        let Ok(mut added) = self.added.lock() else {
            return;
        };
        if added.is_none() {
            *added = self.new_spill().ok();
        }
        let Some(spill) = added.as_mut() else {
            return;
        };
        if spill.out.write_all(&bytes).is_err() {
            // A spill that cannot be written is dropped (and removed).
            *added = None;
            return;
        }
        spill.rows.push(Row {
            blob,
            offset: spill.end,
            len,
            sha256: Sha256::digest(&bytes).into(),
        });
        spill.end += u64::from(len);
    }

    fn new_spill(&self) -> std::io::Result<Spill> {
        let dir = self.dir()?;
        std::fs::create_dir_all(dir)?;
        Ok(Spill {
            out: BufWriter::new(tempfile::NamedTempFile::new_in(dir)?),
            rows: Vec::new(),
            end: 0,
        })
    }

    /// Parse every stored blob again and compare (`charter index --verify`):
    /// an entry is wrong when its blob is missing, the entry is damaged or
    /// the fresh parse differs.
    pub fn check(&self, repo: &Repository) -> Checked {
        let wrong = self
            .rows
            .iter()
            .filter(|row| {
                let fresh = Oid::from_bytes(&row.blob)
                    .and_then(|id| repo.find_blob(id))
                    .map(|blob| crate::agreement::lint::load("", blob.content()));
                let stored = self.read_entry(row).and_then(|s| s.parsed());
                match (fresh, stored) {
                    (Ok(fresh), Some(stored)) => fresh != stored,
                    _ => true,
                }
            })
            .count();
        Checked {
            entries: self.rows.len(),
            wrong,
        }
    }

    /// Write the store again when parses were added. A store that cannot be
    /// written (a read-only clone) is no error: the next run parses again.
    pub fn save(self) {
        let _ = self.write();
    }

    fn dir(&self) -> std::io::Result<&Path> {
        self.path
            .as_deref()
            .and_then(Path::parent)
            .ok_or_else(|| std::io::ErrorKind::Unsupported.into())
    }

    fn write(self) -> std::io::Result<()> {
        let Some(spill) = self.added.into_inner().ok().flatten() else {
            return Ok(());
        };
        let spilled = spill.out.into_inner().map_err(|e| e.into_error())?;
        // Every entry, old and new, in blob order. A new one wins a tie: a
        // blob is parsed again only when its old entry was damaged. Entries
        // are copied one at a time, so a rewrite never holds the store in
        // memory.
        let mut sources: Vec<(&Row, bool)> = spill
            .rows
            .iter()
            .map(|r| (r, true))
            .chain(self.rows.iter().map(|r| (r, false)))
            .collect();
        sources.sort_by_key(|s| s.0.blob);
        sources.dedup_by(|a, b| a.0.blob == b.0.blob);
        let mut rows = Vec::with_capacity(sources.len());
        let mut offset = 0u64;
        for (row, _) in &sources {
            rows.push(Row {
                offset,
                ..(*row).clone()
            });
            offset += u64::from(row.len);
        }
        let header = Header {
            magic: MAGIC.to_owned(),
            format: FORMAT,
            charter: env!("CARGO_PKG_VERSION").to_owned(),
        };
        let table = postcard::to_stdvec(&(header, rows)).map_err(std::io::Error::other)?;
        let path = self
            .path
            .as_deref()
            .ok_or(std::io::ErrorKind::Unsupported)?;
        let dir = path.parent().ok_or(std::io::ErrorKind::Unsupported)?;
        super::store::sweep(dir);
        let mut out = BufWriter::new(tempfile::NamedTempFile::new_in(dir)?);
        out.write_all(&(table.len() as u64).to_le_bytes())?;
        out.write_all(&Sha256::digest(&table))?;
        out.write_all(&table)?;
        for (row, new) in &sources {
            let bytes = match (new, &self.file) {
                (true, _) => read_row(spilled.as_file(), 0, row),
                (false, Some((file, start))) => read_row(file, *start, row),
                (false, None) => None,
            };
            let Some(bytes) = bytes else {
                // A damaged entry abandons the rewrite and the store: the
                // next run starts a new one.
                drop(self.file);
                std::fs::remove_file(path)?;
                return Err(std::io::Error::other("a stored entry is damaged"));
            };
            out.write_all(&bytes)?;
        }
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// The bytes of `row` in a file whose entries start at `start`, when they
/// still have the hash the row records.
fn read_row(file: &File, start: u64, row: &Row) -> Option<Vec<u8>> {
    let mut bytes = vec![0; row.len as usize];
    read_exact_at(file, &mut bytes, start.checked_add(row.offset)?).ok()?;
    (Sha256::digest(&bytes).as_slice() == row.sha256).then_some(bytes)
}

/// What [`ParseStore::check`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    /// The stored parses.
    pub entries: usize,
    /// How many of them a fresh parse contradicts.
    pub wrong: usize,
}

/// Remove the stored parses (after a failed check), so that the next run
/// parses every version afresh. No file is no error.
pub fn remove(repo: &Repository) -> std::io::Result<()> {
    match std::fs::remove_file(location(repo)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Read the table: its length, its hash, then the header and rows. The
/// entries start right after it.
fn read_table(path: &Path) -> Option<(Vec<Row>, File, u64)> {
    let mut file = File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    let mut len = [0u8; 8];
    file.read_exact(&mut len).ok()?;
    let len = u64::from_le_bytes(len);
    // Lengths are checked against the file before anything is allocated:
    // a damaged or forged store must not make charter ask for gigabytes.
    if len > MAX_TABLE || len > size.saturating_sub(8 + 32) {
        return None;
    }
    let mut sum = [0u8; 32];
    file.read_exact(&mut sum).ok()?;
    let mut table = vec![0; usize::try_from(len).ok()?];
    file.read_exact(&mut table).ok()?;
    if Sha256::digest(&table).as_slice() != sum {
        return None;
    }
    let (header, rows): (Header, Vec<Row>) = postcard::from_bytes(&table).ok()?;
    if header.magic != MAGIC
        || header.format != FORMAT
        || header.charter != env!("CARGO_PKG_VERSION")
        || !rows.is_sorted_by(|a, b| a.blob < b.blob)
    {
        return None;
    }
    let start = 8 + 32 + len;
    let inside = |r: &Row| {
        start
            .checked_add(r.offset)
            .and_then(|at| at.checked_add(u64::from(r.len)))
            .is_some_and(|end| end <= size)
    };
    if !rows.iter().all(inside) {
        return None;
    }
    Some((rows, file, start))
}

/// Read `buf.len()` bytes at `offset` without moving a shared cursor, so
/// that threads can read entries of one open file at once.
#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn read_exact_at(_: &File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Parsed {
        crate::agreement::lint::load("agreements/a.yaml", text.as_bytes())
    }

    /// What is stored reads back as the same parse, across a second write
    /// that keeps the old entries; a damaged entry reads as absent.
    #[test]
    fn entries_round_trip_and_damage_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("charter").join("parsed.idx");
        let example = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ada-grace.yaml"),
        )
        .unwrap();
        let cases = [
            (Oid::from_bytes(&[1; 20]).unwrap(), parsed(&example)),
            (Oid::from_bytes(&[2; 20]).unwrap(), parsed("[1, 2]")),
            (Oid::from_bytes(&[3; 20]).unwrap(), parsed("a: [")),
        ];
        assert!(matches!(cases[0].1, Parsed::Valid { .. }));
        assert!(matches!(cases[1].1, Parsed::SchemaInvalid { .. }));
        assert_eq!(cases[2].1, Parsed::Unparseable);

        let store = ParseStore::read_with(&path, true);
        assert!(store.is_empty());
        store.add(cases[0].0, &cases[0].1);
        store.add(cases[1].0, &cases[1].1);
        store.write().unwrap();

        let store = ParseStore::read_with(&path, true);
        assert_eq!(store.len(), 2);
        store.add(cases[2].0, &cases[2].1);
        store.write().unwrap();

        let store = ParseStore::read_with(&path, true);
        assert_eq!(store.len(), 3);
        for (id, want) in &cases {
            assert_eq!(store.get(*id).as_ref(), Some(want));
        }
        assert_eq!(store.get(Oid::from_bytes(&[4; 20]).unwrap()), None);

        // Flip the last byte (inside the last entry): that entry is a miss,
        // the others still read.
        let mut bytes = std::fs::read(&path).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        let store = ParseStore::read_with(&path, true);
        assert_eq!(store.get(cases[2].0), None);
        assert_eq!(store.get(cases[0].0).as_ref(), Some(&cases[0].1));

        // A damaged table: nothing is read.
        bytes[50] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert!(ParseStore::read_with(&path, true).is_empty());
    }

    /// `check` parses each stored blob again: an entry that reads well but
    /// says something else than its blob (a forged or stale store) is
    /// wrong, and so is an entry whose blob is gone.
    #[test]
    fn check_finds_entries_that_contradict_their_blob() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let real = repo.blob(b"a: 1\n").unwrap();
        let other = repo.blob(b"a: 2\n").unwrap();
        let path = location(&repo);

        let store = ParseStore::read_with(&path, true);
        store.add(real, &parsed("a: 1\n"));
        store.add(other, &parsed("a: 2\n"));
        store.write().unwrap();
        let store = ParseStore::read_with(&path, true);
        assert_eq!(
            store.check(&repo),
            Checked {
                entries: 2,
                wrong: 0
            }
        );

        std::fs::remove_file(&path).unwrap();
        let store = ParseStore::read_with(&path, true);
        store.add(real, &parsed("a: 2\n"));
        store.add(Oid::from_bytes(&[9; 20]).unwrap(), &parsed("a: 3\n"));
        store.add(other, &parsed("a: 2\n"));
        store.write().unwrap();
        assert_eq!(
            ParseStore::read_with(&path, true).check(&repo),
            Checked {
                entries: 3,
                wrong: 2
            }
        );
        remove(&repo).unwrap();
        assert!(!path.exists());
        remove(&repo).unwrap();
    }

    /// A table whose SHA-256 is right but whose lengths point past the end
    /// of the file (a forged store) is not read: nothing is allocated for
    /// it and every blob is parsed afresh.
    #[test]
    fn lengths_beyond_the_file_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parsed.idx");
        let header = Header {
            magic: MAGIC.to_owned(),
            format: FORMAT,
            charter: env!("CARGO_PKG_VERSION").to_owned(),
        };
        let rows = vec![Row {
            blob: [1; 20],
            offset: 0,
            len: u32::MAX,
            sha256: [0; 32],
        }];
        let table = postcard::to_stdvec(&(header, rows)).unwrap();
        let mut bytes = (table.len() as u64).to_le_bytes().to_vec();
        bytes.extend_from_slice(&Sha256::digest(&table));
        bytes.extend_from_slice(&table);
        bytes.extend_from_slice(b"short entry");
        std::fs::write(&path, &bytes).unwrap();
        assert!(ParseStore::read_with(&path, true).is_empty());
        // A table length past the end of the file.
        bytes[..8].copy_from_slice(&(1u64 << 27).to_le_bytes());
        std::fs::write(&path, &bytes).unwrap();
        assert!(ParseStore::read_with(&path, true).is_empty());
    }
}
