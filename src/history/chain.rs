//! The first-parent chain of a revision with clamped commit times.

use chrono::{DateTime, NaiveDate, Utc};
use git2::{Oid, Repository};

use crate::error::Error;

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
pub(super) fn time_out_of_range(id: Oid, seconds: i64) -> Error {
    Error::other(
        format!(
            "commit {id} has a committer time charter cannot read as a date ({seconds} seconds since 1970, outside the years 0 to 9999); dates computed from it would be wrong"
        ),
        Some("rewrite the history from that commit with a real committer date (`git rebase --committer-date-is-author-date` or `GIT_COMMITTER_DATE=… git commit --amend`); charter refuses to guess one"),
    )
}

/// A revision's first-parent chain, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    /// The commits, oldest first.
    pub commits: Vec<ChainCommit>,
}

impl Chain {
    /// Position of a commit on the chain.
    pub fn position(&self, id: Oid) -> Option<usize> {
        self.commits.iter().position(|c| c.id == id)
    }
}

/// Whether `id` is listed in `.git/shallow` (a cut-off commit).
pub(super) fn is_shallow_boundary(repo: &Repository, id: Oid) -> bool {
    std::fs::read_to_string(repo.path().join("shallow"))
        .map(|text| text.lines().any(|l| l.trim() == id.to_string()))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Times outside the years 0 to 9999 saturate to the far end, never to
    /// 1970, so a bad time makes a date later (failing closed).
    #[test]
    fn utc_saturates_to_the_far_ends() {
        assert_eq!(utc(0).to_rfc3339(), "1970-01-01T00:00:00+00:00");
        assert_eq!(utc(MAX_TIME), utc(i64::MAX));
        assert_eq!(utc(MIN_TIME), utc(i64::MIN));
        assert_eq!(utc(MAX_TIME).format("%Y-%m-%d").to_string(), "9999-12-31");
        assert_eq!(utc(MIN_TIME).format("%Y-%m-%d").to_string(), "0000-01-01");
    }
}
