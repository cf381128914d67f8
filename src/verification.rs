//! What `verify` reports at a commit: every sign-off judged, agreement by
//! agreement, including the sign-off directories of agreements that are
//! gone. `verify` and the demo count alike because both ask this module.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use git2::Repository;

use crate::agreement::file_name::id_of;
use crate::agreement::types::is_valid_id;
use crate::error::Result;
use crate::history::parse_store::ParseStore;
use crate::history::store::{self, Want};
use crate::json::VerifySummary;
use crate::record::{self, Record};
use crate::revision::{EntryKind, Tree};
use crate::settings::Layout;
use crate::signoff::AllowedSigners;

/// The ids `verify` covers in `tree`: every agreement file, and every
/// sign-off directory with a valid id. A directory whose agreement was
/// removed still holds signatures, and a bad one must still be reported.
/// A directory that is absent has no names; one that cannot be read (a
/// missing object) is an error, never an empty directory.
pub fn ids_at(tree: &Tree<'_>, layout: &Layout) -> Result<BTreeSet<String>> {
    let mut ids: BTreeSet<String> = tree
        .entries(&layout.agreements)?
        .into_iter()
        .filter(|(_, kind)| *kind != EntryKind::Dir)
        .filter_map(|(name, _)| id_of(&name).map(str::to_owned))
        .collect();
    ids.extend(
        tree.entries(&layout.signoffs)?
            .into_iter()
            .filter(|(name, kind)| *kind == EntryKind::Dir && is_valid_id(name))
            .map(|(name, _)| name),
    );
    Ok(ids)
}

/// The records of `ids` at `head` (every id of [`ids_at`] when `ids` is
/// empty), their sign-offs checked against `signers`: sorted by id, or in
/// the order given.
pub fn records(
    repo: &Repository,
    head: &git2::Commit<'_>,
    layout: &Layout,
    signers: &AllowedSigners,
    ids: &[String],
    today: NaiveDate,
) -> Result<Vec<Record>> {
    let everything = ids.is_empty();
    let ids: Vec<String> = if everything {
        ids_at(&Tree::Commit(repo, head), layout)?
            .into_iter()
            .collect()
    } else {
        ids.to_vec()
    };
    let position: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| (id.as_str(), n))
        .collect();
    let parses = everything.then(|| ParseStore::open_in_background(repo));
    let index = store::open(repo, layout, head.id(), Want::All, true)?;
    let mut records = Vec::with_capacity(ids.len());
    if let Some(parses) = parses {
        // One walk of the chain for every agreement; sign-off directories
        // whose agreement never existed are loaded on their own below.
        records = record::load_all_cached(repo, &index, layout, signers, today, parses.wait())?;
        records.retain(|r| position.contains_key(r.id.as_str()));
    }
    let loaded: HashSet<String> = records.iter().map(|r| r.id.clone()).collect();
    for id in ids.iter().filter(|id| !loaded.contains(id.as_str())) {
        records.push(record::load(repo, &index, layout, id, signers, today)?);
    }
    records.sort_by_key(|r| position.get(r.id.as_str()).copied());
    Ok(records)
}

/// How many of the records' sign-offs verify, and how many do not.
pub fn summary(records: &[Record]) -> VerifySummary {
    let (valid, invalid) =
        records
            .iter()
            .flat_map(|r| &r.signoffs)
            .fold((0, 0), |(valid, invalid), s| {
                if s.valid {
                    (valid + 1, invalid)
                } else {
                    (valid, invalid + 1)
                }
            });
    VerifySummary { valid, invalid }
}
