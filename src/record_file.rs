//! Any signed record file (a sign-off, a decline, a check-in) split into
//! the two halves OpenSSH wants: the exact bytes that were signed and the
//! armored signature. `charter signoff message|signature` prints them, so
//! anyone can check a record with `ssh-keygen -Y verify` without trusting
//! charter. A file given on its own is told apart by its name, the one
//! thing it carries wherever it is copied.

use crate::checkin::file::CheckinName;
use crate::checkin::CheckinFile;
use crate::signoff::decline::{DeclineFile, DeclineName};
use crate::signoff::SignoffFile;

/// The kinds of signed record, each with its own SSHSIG namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// `signoffs/<id>/<v12>-<role>-<h8>.yaml`.
    Signoff,
    /// `signoffs/<id>/<v12>-<role>-decline-<h8>.yaml`.
    Decline,
    /// `checkins/<id>/<YYYY-MM-DD>-<role>-<h8>.yaml`.
    Checkin,
}

impl RecordKind {
    /// The kind a file name says: a check-in's or a decline's name, else a
    /// sign-off (whose reader then says what is wrong with anything else).
    pub fn of_name(name: &str) -> RecordKind {
        if CheckinName::parse(name).is_some() {
            RecordKind::Checkin
        } else if DeclineName::parse(name).is_some() {
            RecordKind::Decline
        } else {
            RecordKind::Signoff
        }
    }

    /// The kind in words, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            RecordKind::Signoff => "sign-off",
            RecordKind::Decline => "decline",
            RecordKind::Checkin => "check-in",
        }
    }
}

/// A record's signed bytes and its signature as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedParts {
    /// What the file is.
    pub kind: RecordKind,
    /// The exact bytes the signature covers.
    pub message: Vec<u8>,
    /// The armored SSH signature, as stored.
    pub signature: String,
}

/// The signed parts of the record file `file` (its path, for its name and
/// messages) holding `bytes`; the error says what kind of file it was read
/// as and why it is not a valid one.
pub fn signed_parts(file: &str, bytes: &[u8]) -> Result<SignedParts, (RecordKind, String)> {
    let name = std::path::Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let kind = RecordKind::of_name(&name);
    let (message, signature) = match kind {
        RecordKind::Checkin => {
            let parsed = CheckinFile::parse(file, bytes).map_err(|f| (kind, f.message))?;
            (parsed.file.message(), parsed.file.signature)
        }
        RecordKind::Decline => {
            let parsed = DeclineFile::parse(file, bytes).map_err(|f| (kind, f.message))?;
            (parsed.message(), parsed.signature)
        }
        RecordKind::Signoff => {
            let parsed = SignoffFile::parse_bytes(bytes).map_err(|e| (kind, e.to_string()))?;
            let claim = parsed.claim().map_err(|e| (kind, e.to_string()))?;
            (claim.message(), parsed.signature)
        }
    };
    Ok(SignedParts {
        kind,
        message,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The name decides how a file is read, and a broken file is reported
    /// as the kind its name says.
    #[test]
    fn a_record_is_read_as_its_name_says() {
        let checkin = "checkins/ada-grace/2026-02-20-mentee-f66d2f1a.yaml";
        let decline = "signoffs/ada-grace/0123456789ab-mentee-decline-deadbeef.yaml";
        let signoff = "signoffs/ada-grace/0123456789ab-mentee-deadbeef.yaml";
        for (file, kind) in [
            (checkin, RecordKind::Checkin),
            (decline, RecordKind::Decline),
            (signoff, RecordKind::Signoff),
            ("draft.yaml", RecordKind::Signoff),
        ] {
            let (found, why) = signed_parts(file, b"title: [broken\n").unwrap_err();
            assert_eq!(found, kind, "{file}");
            assert!(!why.is_empty(), "{file}");
        }
        assert_eq!(RecordKind::Decline.noun(), "decline");
    }
}
