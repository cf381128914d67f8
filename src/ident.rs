//! Who makes the commits charter makes, and when, decided exactly as
//! `git commit` decides it, so that charter's commits look like the user's
//! own and scripts that pin `GIT_*_DATE` get reproducible history.
//!
//! - Name: `GIT_AUTHOR_NAME` (`GIT_COMMITTER_NAME`), else `author.name`
//!   (`committer.name`), else `user.name`.
//! - Email: `GIT_AUTHOR_EMAIL` (`GIT_COMMITTER_EMAIL`), else `author.email`
//!   (`committer.email`), else `user.email`, else `EMAIL`.
//! - Date: `GIT_AUTHOR_DATE` sets only the author date and
//!   `GIT_COMMITTER_DATE` only the committer date; each defaults to now, in
//!   the local time zone (`TZ`).
//!
//! Names and emails lose the leading and trailing "crud" git strips
//! (whitespace, `,:;<>"\'`) and any `<`, `>` or newline inside. An empty
//! name or email, or a date git would not parse, is an error.
//!
//! The committer date is also charter's clock for what it records: a
//! sign-off's `signed_at` is the committer date of the commit that records
//! it ([`Identity::committer_time`]), so pinning `GIT_COMMITTER_DATE` pins
//! both.

use chrono::{DateTime, FixedOffset, Local, NaiveDateTime, Offset, TimeZone, Utc};
use git2::{Repository, Signature, Time};

use crate::error::{Error, Result};

/// The author and committer of a commit charter is about to make.
pub struct Identity {
    /// Who wrote the change.
    pub author: Signature<'static>,
    /// Who committed it; its time is charter's "now".
    pub committer: Signature<'static>,
}

impl Identity {
    /// The identity `git commit` would use in `repo`, from the process
    /// environment and the repository's configuration.
    pub fn of(repo: &Repository) -> Result<Identity> {
        let config = repo
            .config()
            .and_then(|mut c| c.snapshot())
            .map_err(|e| Error::git("reading git's configuration", e))?;
        let get = |key: &str| config.get_string(key).ok();
        Identity::resolve(
            &|name| std::env::var(name).ok(),
            &get,
            Utc::now().timestamp(),
        )
    }

    /// The identity from explicit sources: `env` for variables, `config` for
    /// git configuration keys, `now` in seconds for dates not given.
    pub fn resolve(
        env: &dyn Fn(&str) -> Option<String>,
        config: &dyn Fn(&str) -> Option<String>,
        now: i64,
    ) -> Result<Identity> {
        Ok(Identity {
            author: signature("AUTHOR", "author", env, config, now)?,
            committer: signature("COMMITTER", "committer", env, config, now)?,
        })
    }

    /// The committer time in seconds since the epoch: the time charter
    /// records for what it does in this commit.
    pub fn committer_time(&self) -> i64 {
        self.committer.when().seconds()
    }
}

/// The time a signed record (sign-off, check-in, decline) carries: the
/// committer time of the commit that will record it, or, when nothing is
/// committed (`--no-commit`), the committer time git would give now.
/// Every command that signs a record takes its time from here.
pub fn record_time(commit: Option<&Identity>) -> Result<DateTime<Utc>> {
    match commit {
        Some(identity) => time_of(identity.committer_time()),
        None => committer_now(),
    }
}

/// The committer time `git commit` would use (`GIT_COMMITTER_DATE`, else
/// now), for commands that record a time without committing.
pub fn committer_now() -> Result<DateTime<Utc>> {
    let now = Utc::now().timestamp();
    // An empty variable counts as unset, as in git.
    let seconds = match std::env::var("GIT_COMMITTER_DATE") {
        Ok(value) if !value.is_empty() => {
            parse_date(&value)
                .map_err(|why| bad_date("GIT_COMMITTER_DATE", &value, &why))?
                .0
        }
        _ => now,
    };
    time_of(seconds)
}

/// A commit time as a date and time; a time no calendar date holds is an
/// error, never 1970.
pub fn time_of(seconds: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp(seconds, 0).ok_or_else(|| {
        Error::other(
            format!("the commit time {seconds} is outside the dates charter can read"),
            Some("set GIT_COMMITTER_DATE to a real date, or unset it"),
        )
    })
}

fn signature(
    upper: &str,
    lower: &str,
    env: &dyn Fn(&str) -> Option<String>,
    config: &dyn Fn(&str) -> Option<String>,
    now: i64,
) -> Result<Signature<'static>> {
    let name = env(&format!("GIT_{upper}_NAME"))
        .or_else(|| config(&format!("{lower}.name")))
        .or_else(|| config("user.name"));
    let email = env(&format!("GIT_{upper}_EMAIL"))
        .or_else(|| config(&format!("{lower}.email")))
        .or_else(|| config("user.email"))
        .or_else(|| env("EMAIL"));
    let set_it = "set one with `git config user.name \"Your Name\"` and `git config user.email you@example.com`";
    let (Some(name), Some(email)) = (name, email) else {
        return Err(Error::other(
            format!("git has no {lower} identity for commits in this repository"),
            Some(set_it),
        ));
    };
    let (name, email) = (without_crud(&name), without_crud(&email));
    if name.is_empty() {
        return Err(Error::other(
            format!("empty ident name (for <{email}>) not allowed, as in git"),
            Some(set_it),
        ));
    }
    if email.is_empty() {
        return Err(Error::other(
            format!("empty ident email (for {name}) not allowed"),
            Some(set_it),
        ));
    }
    let variable = format!("GIT_{upper}_DATE");
    // An empty date counts as unset, as in git; an empty name does not.
    let (seconds, offset) = match env(&variable).filter(|v| !v.is_empty()) {
        Some(value) => parse_date(&value).map_err(|why| bad_date(&variable, &value, &why))?,
        None => (now, local_offset(now)),
    };
    Signature::new(&name, &email, &Time::new(seconds, offset))
        .map_err(|e| Error::git(format!("making the {lower} signature"), e))
}

fn bad_date(variable: &str, value: &str, why: &str) -> Error {
    Error::other(
        format!("{variable}: `{value}` is not a date: {why}"),
        Some("use a date git understands: `2026-01-12T10:00:00Z`, `2026-01-12 10:00:00 +0100`, `Mon, 12 Jan 2026 10:00:00 +0000` or `@1768212000 +0000`"),
    )
}

/// What git removes around a name or email (`strbuf_addstr_without_crud`).
fn is_crud(c: char) -> bool {
    (c as u32) <= 32 || ",:;<>\"\\'".contains(c)
}

fn without_crud(s: &str) -> String {
    s.trim_matches(is_crud)
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | '\n'))
        .collect()
}

/// The local time zone's offset in minutes at `seconds` (from `TZ`, as git).
fn local_offset(seconds: i64) -> i32 {
    Local
        .timestamp_opt(seconds, 0)
        .single()
        .map_or(0, |t| t.offset().fix().local_minus_utc() / 60)
}

/// Parse a date in one of the forms git accepts in `GIT_*_DATE`:
/// `@<unix> [<tz>]`, `<unix> <tz>` (git's internal form), RFC 2822
/// (`Mon, 12 Jan 2026 10:00:00 +0000`), and ISO 8601 with `T` or a space,
/// optional fractional seconds and an optional zone (`Z`, `+0100`,
/// `+01:00`, or none for local time). Returns seconds and the offset in
/// minutes.
pub fn parse_date(value: &str) -> std::result::Result<(i64, i32), String> {
    let s = value.trim();
    if s.is_empty() {
        return Err("it is empty".into());
    }
    // `@<unix> [<tz>]` and `<unix> <tz>`.
    let (stamp, rest) = match s.split_once(' ') {
        Some((a, b)) => (a, Some(b.trim())),
        None => (s, None),
    };
    let digits = stamp.strip_prefix('@').unwrap_or(stamp);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let explicit = stamp.starts_with('@');
        let zoned = rest.is_some_and(|tz| zone(tz).is_some());
        if explicit || zoned {
            let seconds: i64 = digits
                .parse()
                .map_err(|_| "the timestamp is too large".to_owned())?;
            let offset = match rest {
                Some(tz) => zone(tz).ok_or_else(|| format!("`{tz}` is not a time zone offset"))?,
                None => local_offset(seconds),
            };
            return Ok((seconds, offset));
        }
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Ok((t.timestamp(), t.offset().local_minus_utc() / 60));
    }
    iso_8601(s).ok_or_else(|| "not a form git understands".to_owned())
}

/// A zone `+hhmm`, `-hh:mm` or `Z`, in minutes.
fn zone(tz: &str) -> Option<i32> {
    if tz == "Z" || tz == "z" {
        return Some(0);
    }
    let (sign, rest) = match tz.as_bytes().first()? {
        b'+' => (1, &tz[1..]),
        b'-' => (-1, &tz[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) || rest.len() > 5 {
        return None;
    }
    let (h, m): (i32, i32) = (digits[..2].parse().ok()?, digits[2..].parse().ok()?);
    (h < 24 && m < 60).then_some(sign * (h * 60 + m))
}

fn iso_8601(s: &str) -> Option<(i64, i32)> {
    // Split the zone off the end: `Z`, or a sign after the time.
    let (body, offset) = if let Some(body) = s.strip_suffix(['Z', 'z']) {
        (body.trim_end(), Some(0))
    } else {
        let time_start = s.find(['T', 't', ' '])?;
        match s[time_start + 1..].rfind(['+', '-']) {
            Some(i) => {
                let at = time_start + 1 + i;
                (s[..at].trim_end(), Some(zone(s[at..].trim())?))
            }
            None => (s, None),
        }
    };
    let naive = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dt%H:%M:%S%.f",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(body, f).ok())?;
    let offset = match offset {
        Some(o) => o,
        None => Local
            .from_local_datetime(&naive)
            .earliest()
            .map_or(0, |t| t.offset().fix().local_minus_utc() / 60),
    };
    let fixed = FixedOffset::east_opt(offset * 60)?;
    let t = fixed.from_local_datetime(&naive).single()?;
    Some((t.timestamp(), offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_date_forms() {
        let at = 1_768_212_000; // 2026-01-12T10:00:00Z
        assert_eq!(parse_date("@1768212000 +0000"), Ok((at, 0)));
        assert_eq!(parse_date("1768212000 +0100"), Ok((at, 60)));
        assert_eq!(parse_date("2026-01-12T10:00:00Z"), Ok((at, 0)));
        assert_eq!(parse_date("2026-01-12 11:00:00 +0100"), Ok((at, 60)));
        assert_eq!(parse_date("2026-01-12T11:00:00+01:00"), Ok((at, 60)));
        assert_eq!(parse_date("2026-01-12T05:30:00-0430"), Ok((at, -270)));
        assert_eq!(parse_date("Mon, 12 Jan 2026 10:00:00 +0000"), Ok((at, 0)));
        assert_eq!(parse_date("12 Jan 2026 12:00:00 +0200"), Ok((at, 120)));
        for bad in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "@12x",
            "1768212000 +99",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn crud_is_stripped_as_git_does() {
        assert_eq!(without_crud("  Ada Lovelace; "), "Ada Lovelace");
        assert_eq!(without_crud("<ada@example.com>"), "ada@example.com");
        assert_eq!(without_crud("A<d>a"), "Ada");
    }

    #[test]
    fn environment_beats_configuration() {
        let env = |k: &str| match k {
            "GIT_AUTHOR_NAME" => Some("Ada".to_owned()),
            "GIT_COMMITTER_DATE" => Some("@1768212000 +0000".to_owned()),
            _ => None,
        };
        let config = |k: &str| match k {
            "user.name" => Some("Config User".to_owned()),
            "user.email" => Some("config@example.com".to_owned()),
            "committer.email" => Some("committer@example.com".to_owned()),
            _ => None,
        };
        let id = Identity::resolve(&env, &config, 5).unwrap();
        assert_eq!(id.author.name(), Some("Ada"));
        assert_eq!(id.author.email(), Some("config@example.com"));
        assert_eq!(id.author.when().seconds(), 5);
        assert_eq!(id.committer.name(), Some("Config User"));
        assert_eq!(id.committer.email(), Some("committer@example.com"));
        assert_eq!(id.committer_time(), 1_768_212_000);
    }
}
