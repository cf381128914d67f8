//! The exact bytes a sign-off signs (README, "Signing and verifying"), and the field rules that
//! keep those bytes unambiguous.
//!
//! The message is line-based, so every field is checked before it is put in:
//! a value holding a newline could otherwise forge a second line and make one
//! signature mean two things.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SubsecRound, Utc};
use thiserror::Error;

/// The first line of every signed message; it names the format so that a
/// future layout can never be confused with this one.
pub const MESSAGE_HEADER: &str = "charter sign-off v1";

pub use crate::agreement::Role;

impl FromStr for Role {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "mentor" => Ok(Role::Mentor),
            "mentee" => Ok(Role::Mentee),
            other => Err(FieldError::Role(other.to_owned())),
        }
    }
}

/// A sign-off field that breaks the rules of the README's "Signing and verifying". Each variant carries
/// the offending value so the message can show it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FieldError {
    /// The agreement id is not `[a-z0-9][a-z0-9-]{0,63}`.
    #[error("agreement id {0:?} is not 1-64 characters of a-z, 0-9 and '-', starting with a letter or digit")]
    AgreementId(String),
    /// A version id is not `sha256:` followed by 64 lowercase hex digits.
    #[error("{field} {value:?} is not a version id (sha256: followed by 64 lowercase hex digits)")]
    Version {
        /// `version` or `amends`.
        field: &'static str,
        /// The rejected text.
        value: String,
    },
    /// The role is neither `mentor` nor `mentee`.
    #[error("role {0:?} is neither mentor nor mentee")]
    Role(String),
    /// The principal is empty or holds whitespace or control characters.
    #[error("principal {0:?} is empty or contains whitespace, control or invisible characters")]
    Principal(String),
    /// `signed_at` is not exactly `YYYY-MM-DDTHH:MM:SSZ` naming a real instant.
    #[error("signed_at {0:?} is not a UTC time written exactly as YYYY-MM-DDTHH:MM:SSZ")]
    SignedAt(String),
}

/// Checks an agreement id: `[a-z0-9][a-z0-9-]{0,63}`.
///
/// Ids become directory names, so anything else (dots, slashes, upper case)
/// is refused rather than interpreted.
pub fn check_agreement_id(id: &str) -> Result<(), FieldError> {
    let bytes = id.as_bytes();
    let ok = !bytes.is_empty()
        && bytes.len() <= 64
        && matches!(bytes[0], b'a'..=b'z' | b'0'..=b'9')
        && bytes
            .iter()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(FieldError::AgreementId(id.to_owned()))
    }
}

/// True when `text` is `sha256:` followed by exactly 64 lowercase hex digits,
/// the only spelling of a version id.
pub fn is_version_id(text: &str) -> bool {
    text.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// Checks a principal: non-empty, no whitespace, no control characters, so
/// that it is one token in the message and in `allowed_signers`.
pub fn check_principal(principal: &str) -> Result<(), FieldError> {
    if principal.is_empty() || crate::unicode::first_hidden(principal).is_some() {
        Err(FieldError::Principal(principal.to_owned()))
    } else {
        Ok(())
    }
}

/// Parses `signed_at`, which must be written exactly `YYYY-MM-DDTHH:MM:SSZ`
/// (no fractions, no offsets, no leap second): one spelling per instant keeps
/// the signed bytes reproducible.
pub fn parse_signed_at(text: &str) -> Result<DateTime<Utc>, FieldError> {
    let err = || FieldError::SignedAt(text.to_owned());
    let b = text.as_bytes();
    if b.len() != 20 {
        return Err(err());
    }
    let shape_ok = b.iter().enumerate().all(|(i, &c)| match i {
        4 | 7 => c == b'-',
        10 => c == b'T',
        13 | 16 => c == b':',
        19 => c == b'Z',
        _ => c.is_ascii_digit(),
    });
    if !shape_ok {
        return Err(err());
    }
    let num = |range: std::ops::Range<usize>| -> u32 {
        b[range]
            .iter()
            .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
    };
    let year = i32::try_from(num(0..4)).map_err(|_| err())?;
    let date = NaiveDate::from_ymd_opt(year, num(5..7), num(8..10)).ok_or_else(err)?;
    let (h, m, s) = (num(11..13), num(14..16), num(17..19));
    if s > 59 {
        return Err(err());
    }
    let time = NaiveTime::from_hms_opt(h, m, s).ok_or_else(err)?;
    Ok(NaiveDateTime::new(date, time).and_utc())
}

/// Writes a time the one way `signed_at` is spelled. Reports write one per
/// sign-off, so the common case (a four-digit year, no leap second) skips
/// chrono's format-string interpreter; it spells the same text.
pub fn format_signed_at(at: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let (date, time) = (at.date_naive(), at.time());
    if !(0..=9999).contains(&date.year()) || time.nanosecond() >= 1_000_000_000 {
        return at.trunc_subsecs(0).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    }
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year(),
        date.month(),
        date.day(),
        time.hour(),
        time.minute(),
        time.second()
    )
}

/// What a sign-off asserts: everything in the file except the signature.
///
/// A `Claim` can only be built through [`Claim::new`], which checks every
/// field, so [`Claim::message`] always yields well-formed, unambiguous bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    agreement: String,
    version: String,
    amends: Option<String>,
    role: Role,
    principal: String,
    signed_at: DateTime<Utc>,
    waive_notice: bool,
}

impl Claim {
    /// Builds a claim after checking each field against the README's "Signing and verifying".
    /// `amends` is `None` for an agreement's first signed version. Sub-second
    /// precision of `signed_at` is dropped, since the file records seconds.
    pub fn new(
        agreement: &str,
        version: &str,
        amends: Option<&str>,
        role: Role,
        principal: &str,
        signed_at: DateTime<Utc>,
        waive_notice: bool,
    ) -> Result<Self, FieldError> {
        check_agreement_id(agreement)?;
        if !is_version_id(version) {
            return Err(FieldError::Version {
                field: "version",
                value: version.to_owned(),
            });
        }
        if let Some(a) = amends {
            if !is_version_id(a) {
                return Err(FieldError::Version {
                    field: "amends",
                    value: a.to_owned(),
                });
            }
        }
        check_principal(principal)?;
        Ok(Claim {
            agreement: agreement.to_owned(),
            version: version.to_owned(),
            amends: amends.map(str::to_owned),
            role,
            principal: principal.to_owned(),
            signed_at: signed_at.trunc_subsecs(0),
            waive_notice,
        })
    }

    /// The agreement id (the file stem of `agreements/<id>.yaml`).
    pub fn agreement(&self) -> &str {
        &self.agreement
    }

    /// The signed version id, `sha256:<64 hex>`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The previous signed version this one amends; `None` for a first version.
    pub fn amends(&self) -> Option<&str> {
        self.amends.as_deref()
    }

    /// `amends` as written in files and messages: the version id or `none`.
    pub fn amends_text(&self) -> &str {
        self.amends.as_deref().unwrap_or("none")
    }

    /// The party this sign-off speaks for.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The signer's principal (their email), looked up in `allowed_signers`.
    pub fn principal(&self) -> &str {
        &self.principal
    }

    /// When the signer says they signed; only a claim, bounded by the
    /// sign-off time taken from git.
    pub fn signed_at(&self) -> DateTime<Utc> {
        self.signed_at
    }

    /// Whether this sign-off agrees to waive the notice period.
    pub fn waive_notice(&self) -> bool {
        self.waive_notice
    }

    /// The exact bytes that are signed, each line ending in `\n`:
    ///
    /// ```text
    /// charter sign-off v1
    /// agreement: <id>
    /// version: sha256:<64 hex>
    /// amends: sha256:<64 hex>|none
    /// role: mentor|mentee
    /// principal: <principal>
    /// signed-at: YYYY-MM-DDTHH:MM:SSZ
    /// waive-notice: true|false
    /// ```
    pub fn message(&self) -> Vec<u8> {
        format!(
            "{MESSAGE_HEADER}\nagreement: {}\nversion: {}\namends: {}\nrole: {}\nprincipal: {}\nsigned-at: {}\nwaive-notice: {}\n",
            self.agreement,
            self.version,
            self.amends_text(),
            self.role,
            self.principal,
            format_signed_at(self.signed_at),
            self.waive_notice,
        )
        .into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(c: char) -> String {
        format!("sha256:{}", c.to_string().repeat(64))
    }

    /// The direct spelling is chrono's, from the first instant charter
    /// accepts to the last, with sub-second parts dropped.
    #[test]
    fn signed_at_is_spelled_as_chrono_spells_it() {
        let chrono =
            |at: DateTime<Utc>| at.trunc_subsecs(0).format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let times = [
            crate::history::MIN_TIME,
            -1,
            0,
            951_782_400,
            1_795_000_000,
            crate::history::MAX_TIME,
        ];
        for t in times {
            let at = DateTime::from_timestamp(t, 999_999_999).unwrap();
            assert_eq!(format_signed_at(at), chrono(at), "{t}");
        }
        let mut t = crate::history::MIN_TIME;
        while t < crate::history::MAX_TIME {
            let at = DateTime::from_timestamp(t, 0).unwrap();
            assert_eq!(format_signed_at(at), chrono(at), "{t}");
            t += 86_399 * 397;
        }
    }

    #[test]
    fn message_is_byte_exact() {
        let at = parse_signed_at("2026-11-22T10:00:00Z").unwrap();
        let claim = Claim::new(
            "ada-grace",
            &v('a'),
            Some(&v('b')),
            Role::Mentee,
            "ada@example.com",
            at,
            false,
        )
        .unwrap();
        let expected = format!(
            "charter sign-off v1\nagreement: ada-grace\nversion: {}\namends: {}\nrole: mentee\nprincipal: ada@example.com\nsigned-at: 2026-11-22T10:00:00Z\nwaive-notice: false\n",
            v('a'),
            v('b')
        );
        assert_eq!(String::from_utf8(claim.message()).unwrap(), expected);

        let first = Claim::new("x", &v('c'), None, Role::Mentor, "g@x", at, true).unwrap();
        let text = String::from_utf8(first.message()).unwrap();
        assert!(text.contains("\namends: none\n"));
        assert!(text.ends_with("\nwaive-notice: true\n"));
    }

    #[test]
    fn sub_seconds_are_dropped() {
        let at =
            parse_signed_at("2026-01-02T03:04:05Z").unwrap() + chrono::Duration::milliseconds(999);
        let claim = Claim::new("x", &v('c'), None, Role::Mentor, "g@x", at, false).unwrap();
        assert_eq!(format_signed_at(claim.signed_at()), "2026-01-02T03:04:05Z");
    }

    #[test]
    fn field_rules() {
        assert!(check_agreement_id("a").is_ok());
        assert!(check_agreement_id(&"a".repeat(64)).is_ok());
        for bad in ["", "-a", "A", "a_b", "a.b", "../x", "a/b", &"a".repeat(65)] {
            assert!(check_agreement_id(bad).is_err(), "{bad:?}");
        }
        assert!(is_version_id(&v('0')));
        assert!(!is_version_id(&v('A')));
        assert!(!is_version_id(&format!("{}0", v('0'))));
        assert!(!is_version_id("sha256:"));
        assert!(!is_version_id("none"));
        for bad in [
            "",
            "a b",
            "a\tb",
            "a\nb",
            "a\u{7f}",
            "a\u{a0}b",
            "a\u{2028}",
            "ada@example.com\u{200b}",
            "ada@exa\u{202e}mple.com",
            "\u{feff}ada@example.com",
            "ada\u{ad}@example.com",
        ] {
            assert!(check_principal(bad).is_err(), "{bad:?}");
        }
        assert!(check_principal("ada@example.com").is_ok());
        assert!(check_principal("ünïcode@example.com").is_ok());
        let at = parse_signed_at("2026-11-22T10:00:00Z").unwrap();
        let err = Claim::new("x", &v('a'), Some("none"), Role::Mentor, "p", at, false);
        assert!(matches!(
            err,
            Err(FieldError::Version {
                field: "amends",
                ..
            })
        ));
        assert_eq!("mentor".parse::<Role>().unwrap(), Role::Mentor);
        assert!("Mentor".parse::<Role>().is_err());
    }

    #[test]
    fn signed_at_is_strict() {
        assert!(parse_signed_at("2024-02-29T23:59:59Z").is_ok());
        for bad in [
            "2026-11-22T10:00:00",
            "2026-11-22T10:00:00z",
            "2026-11-22 10:00:00Z",
            "2026-11-22T10:00:00.5Z",
            "2026-11-22T10:00:00+00:00",
            "2026-1-22T10:00:00Z",
            "2025-02-29T10:00:00Z",
            "2026-13-01T10:00:00Z",
            "2026-12-01T24:00:00Z",
            "2026-12-01T23:60:00Z",
            "2026-12-31T23:59:60Z",
            "２026-11-22T10:00:00Z",
            "",
        ] {
            assert!(parse_signed_at(bad).is_err(), "{bad:?}");
        }
    }
}
