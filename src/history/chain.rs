//! The first-parent chain of a revision with clamped commit times.

use chrono::{DateTime, NaiveDate, Utc};
use git2::{Oid, Repository};

use crate::error::{Error, Result};

/// One commit on the chain.
#[derive(Debug, Clone)]
pub struct ChainCommit {
    /// The commit id.
    pub id: Oid,
    /// The commit's own committer time (seconds since the epoch, UTC).
    pub raw_time: i64,
    /// The clamped time: never earlier than the first parent's clamped time,
    /// and in a pull-request view the landing time.
    pub time: i64,
    /// Author name and email, as `Name <email>` (empty until `describe`d).
    pub author: String,
    /// The subject line.
    pub subject: String,
}

impl ChainCommit {
    /// This commit with its author (`Name <email>`) and subject filled in
    /// from the commit object; the chain walk leaves them empty, since most
    /// commits are never shown.
    pub fn describe(&self, commit: &git2::Commit<'_>) -> ChainCommit {
        let author = commit.author();
        ChainCommit {
            author: format!(
                "{} <{}>",
                author.name().unwrap_or("?"),
                author.email().unwrap_or("?")
            ),
            subject: commit.summary().unwrap_or_default().to_owned(),
            ..self.clone()
        }
    }

    /// The UTC calendar date of the clamped time.
    pub fn date(&self) -> NaiveDate {
        utc(self.time).date_naive()
    }

    /// The clamped time as an RFC 3339 UTC timestamp.
    pub fn timestamp(&self) -> String {
        utc(self.time).format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// The earliest commit time charter reads: 0000-01-01T00:00:00Z.
pub const MIN_TIME: i64 = -62_167_219_200;
/// The latest commit time charter reads: 9999-12-31T23:59:59Z, the last
/// time a `YYYY-MM-DD` date can name.
pub const MAX_TIME: i64 = 253_402_300_799;

/// A time in seconds as a UTC date and time. Chain times are checked to lie
/// within [`MIN_TIME`, `MAX_TIME`] when the chain is walked; anything else
/// saturates to the far end, never to 1970: a time out of range then makes
/// a date later, which fails closed (notice not yet over, key expired).
pub fn utc(seconds: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(seconds.clamp(MIN_TIME, MAX_TIME), 0)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The error for a commit whose committer time is no date charter can use.
fn time_out_of_range(id: Oid, seconds: i64) -> Error {
    Error::other(
        format!(
            "commit {id} has a committer time charter cannot read as a date ({seconds} seconds since 1970, outside the years 0 to 9999); dates computed from it would be wrong"
        ),
        Some("rewrite the history from that commit with a real committer date (`git rebase --committer-date-is-author-date` or `GIT_COMMITTER_DATE=… git commit --amend`); charter refuses to guess one"),
    )
}

/// How a pull request is judged: every commit after `base` on the chain
/// counts as landing at `time` (max of base's clamped time and today).
#[derive(Debug, Clone, Copy)]
pub struct Landing {
    /// Commits reachable from this one are on the shared branch already.
    pub base: Oid,
    /// When the others land, in seconds since the epoch.
    pub time: i64,
}

/// A revision's first-parent chain, oldest first.
#[derive(Debug, Clone)]
pub struct Chain {
    /// The commits, oldest first.
    pub commits: Vec<ChainCommit>,
}

impl Chain {
    /// Walk the first-parent chain from `head` down to the root. A shallow
    /// clone whose chain stops at a graft is an error: the history that
    /// notice periods are computed from is missing.
    pub fn walk(repo: &Repository, head: Oid, landing: Option<Landing>) -> Result<Chain> {
        let mut newest_first = Vec::new();
        let mut current = Some(head);
        while let Some(id) = current {
            let commit = repo.find_commit(id).map_err(|e| {
                if repo.is_shallow() {
                    super::shallow_error()
                } else {
                    Error::git(format!("reading commit {id}"), e)
                }
            })?;
            current = if commit.parent_count() > 0 {
                match commit
                    .parent_id(0)
                    .and_then(|p| repo.find_commit(p).map(|_| p))
                {
                    Ok(p) => Some(p),
                    Err(_) if repo.is_shallow() => return Err(super::shallow_error()),
                    Err(e) => {
                        return Err(Error::git(
                            format!("reading the first parent of commit {id}"),
                            e,
                        ))
                    }
                }
            } else {
                if repo.is_shallow() && is_shallow_boundary(repo, id) {
                    return Err(super::shallow_error());
                }
                None
            };
            let raw_time = commit.committer().when().seconds();
            if !(MIN_TIME..=MAX_TIME).contains(&raw_time) {
                return Err(time_out_of_range(id, raw_time));
            }
            // Author and subject are filled in only for commits that turn
            // out to be versions (see `ChainCommit::describe`).
            newest_first.push(ChainCommit {
                id,
                raw_time,
                time: 0,
                author: String::new(),
                subject: String::new(),
            });
        }
        newest_first.reverse();
        let mut commits = newest_first;
        let landed_from = match landing {
            Some(l) => Some((landed_ids(repo, l.base)?, l.time)),
            None => None,
        };
        let mut previous = i64::MIN;
        for c in &mut commits {
            let mut time = c.raw_time.max(previous);
            if let Some((on_base, landing_time)) = &landed_from {
                if !on_base.contains(&c.id) {
                    time = time.max(*landing_time);
                }
            }
            c.time = time;
            previous = time;
        }
        Ok(Chain { commits })
    }

    /// Position of a commit on the chain.
    pub fn position(&self, id: Oid) -> Option<usize> {
        self.commits.iter().position(|c| c.id == id)
    }
}

/// Whether `id` is listed in `.git/shallow` (a cut-off commit).
fn is_shallow_boundary(repo: &Repository, id: Oid) -> bool {
    std::fs::read_to_string(repo.path().join("shallow"))
        .map(|text| text.lines().any(|l| l.trim() == id.to_string()))
        .unwrap_or(false)
}

/// Every commit on `base`'s first-parent chain.
fn landed_ids(repo: &Repository, base: Oid) -> Result<std::collections::HashSet<Oid>> {
    let mut ids = std::collections::HashSet::new();
    let mut current = Some(base);
    while let Some(id) = current {
        ids.insert(id);
        let commit = repo
            .find_commit(id)
            .map_err(|e| Error::git(format!("reading commit {id}"), e))?;
        current = commit.parent_id(0).ok();
    }
    Ok(ids)
}
