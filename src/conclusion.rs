//! Ending a mentorship (`charter conclude`): which version is concluded,
//! and the new text, which is the user's committed bytes untouched with a
//! `concluded:` block after them. The result must be a valid agreement
//! whose only change is `concluded`, so that one sign-off and no notice
//! suffice (README, "Concluding").

use chrono::NaiveDate;

use crate::agreement::lint::{self, Context, Parsed};
use crate::agreement::model::ConclusionReason;
use crate::agreement::Agreement;
use crate::diff::ChangeKind;
use crate::error::{Error, Result};
use crate::finding::Severity;
use crate::record::Record;

/// What `conclude` asks for.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The day the mentorship ends.
    pub date: NaiveDate,
    /// Why.
    pub reason: ConclusionReason,
    /// A short closing note.
    pub note: Option<&'a str>,
}

/// A conclusion ready to be written, committed and signed.
#[derive(Debug)]
pub struct Conclusion<'r> {
    /// The signed version that is concluded.
    pub agreement: &'r Agreement,
    /// The file's new text.
    pub text: Vec<u8>,
}

/// Conclude the signed version of `record`, whose file at `rel` is
/// `committed` at HEAD and `on_disk` in the working tree.
pub fn conclude<'r>(
    record: &'r Record,
    rel: &str,
    committed: &[u8],
    on_disk: Option<&[u8]>,
    request: &Request<'_>,
) -> Result<Conclusion<'r>> {
    let id = &record.id;
    if let Some(n) = request.note {
        crate::checkin::file::check_note(n).map_err(|e| Error::refused(format!("--note: {e}")))?;
    }
    let e = &record.evaluation;
    let Some(signed) = e.versions.iter().rev().find(|v| v.signed) else {
        return Err(Error::refused(format!(
            "{id}: nothing of this agreement was ever signed, so there is nothing to conclude"
        ))
        .hint_that(format!(
            "to drop the draft, remove it with `git rm {rel}` and commit"
        )));
    };
    if signed.concluding {
        return Err(Error::refused(format!("{id} is already concluded")));
    }
    let (head, _) = lint::check(rel, committed, &Context::default());
    if head.version() != signed.version.as_ref() {
        return Err(Error::refused(format!(
            "{rel} at HEAD is a proposal waiting for signatures, not the signed version; concluding concludes what was signed"
        ))
        .hint_that(format!(
            "withdraw the proposal first (`charter withdraw {id}`), then conclude"
        )));
    }
    if on_disk != Some(committed) {
        return Err(
            Error::refused(format!("{rel} has changes that are not committed"))
                .hint_that("commit or stash them first (`git stash`), then conclude"),
        );
    }
    let Some(agreement) = record.history.points[signed.point]
        .state
        .parsed()
        .and_then(|p| p.agreement())
    else {
        return Err(Error::refused(format!(
            "{rel}: the signed version cannot be read"
        )));
    };
    if request.date < agreement.term.start.0 {
        return Err(Error::refused(format!(
            "--date {} is before the term starts ({})",
            request.date, agreement.term.start
        )));
    }
    let mut text = committed.to_vec();
    if !text.is_empty() && !text.ends_with(b"\n") {
        text.push(b'\n');
    }
    text.extend_from_slice(block(request).as_bytes());
    let (parsed, findings) = lint::check(rel, &text, &Context::default());
    let only_concludes = match (&parsed, head.data()) {
        (Parsed::Valid { data, .. }, Some(old)) => {
            let changes = crate::diff::diff(old, data);
            changes.len() == 1
                && changes[0].path == "concluded"
                && changes[0].kind == ChangeKind::Added
        }
        _ => false,
    };
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    if !only_concludes || errors > 0 {
        return Err(Error::refused(format!(
            "{rel}: appending the concluded block would not leave a valid agreement whose only change is `concluded`; nothing was written"
        ))
        .hint_that("the file may end in a way that absorbs appended text (a flow mapping, a document end marker); add the block by hand, commit, and sign with `charter sign`"));
    }
    Ok(Conclusion { agreement, text })
}

/// The `concluded:` block, appended after the user's text.
fn block(request: &Request<'_>) -> String {
    let mut text = format!(
        "concluded:\n  date: {}\n  reason: {}\n",
        request.date, request.reason
    );
    if let Some(note) = request.note {
        text.push_str(&format!(
            "  note: {}\n",
            serde_json::to_string(note).unwrap_or_default()
        ));
    }
    text
}
