//! Word-level comparison of prose, so an edited sentence shows what was
//! reworded instead of two whole paragraphs.

use serde_json::Value;
use similar::{capture_diff_slices, get_diff_ratio, Algorithm, DiffOp, DiffTag};

/// Strings longer than this (in characters) are prose.
const LONG_TEXT_CHARS: usize = 60;
/// Strings with at least this many words are prose.
const PROSE_WORDS: usize = 4;
/// Two prose strings this similar (0..=1, by words) are one string edited.
const REWORDING_RATIO: f32 = 0.5;

/// Whether a string reads as prose (a sentence, a paragraph) rather than a
/// short token such as `biweekly` or `45m`.
pub(super) fn is_prose(text: &str) -> bool {
    text.contains('\n')
        || text.split_whitespace().nth(PROSE_WORDS - 1).is_some()
        || text.chars().count() > LONG_TEXT_CHARS
}

/// Both sides of a change as strings when the change is best shown word by
/// word.
pub(super) fn prose_pair<'a>(old: &'a Value, new: &'a Value) -> Option<(&'a str, &'a str)> {
    let (old, new) = (old.as_str()?, new.as_str()?);
    (is_prose(old) || is_prose(new)).then_some((old, new))
}

/// Whether `new` is `old` reworded rather than replaced: prose on both
/// sides that shares most of its words.
pub(super) fn is_rewording(old: &str, new: &str) -> bool {
    if !is_prose(old) || !is_prose(new) {
        return false;
    }
    let (old, new) = (Words::of(old), Words::of(new));
    let ops = old.diff(&new);
    get_diff_ratio(&ops, old.words.len(), new.words.len()) >= REWORDING_RATIO
}

/// A run of text in a word diff. Edits never start or end with whitespace,
/// so renderers can wrap them in markers directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece {
    /// Text on both sides.
    Same(String),
    /// Words replaced: `removed` (possibly empty) became `added` (possibly
    /// empty).
    Edit { removed: String, added: String },
}

/// The word diff of two strings as alternating unchanged and edited runs.
///
/// Words are compared as words: a change of spacing alone is no change, and
/// the spacing shown is the new text's.
pub(super) fn word_diff(old: &str, new: &str) -> Vec<Piece> {
    let (old, new) = (Words::of(old), Words::of(new));
    let mut pieces = Vec::new();
    push_same(&mut pieces, new.leading);
    for op in old.diff(&new) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            for (i, j) in old_range.zip(new_range) {
                push_same(&mut pieces, new.words[j].0);
                push_same(&mut pieces, spacing(old.words[i].1, new.words[j].1));
            }
            continue;
        }
        pieces.push(Piece::Edit {
            removed: old.join(old_range.clone()),
            added: new.join(new_range.clone()),
        });
        let after = match new_range.last() {
            Some(j) => new.words[j].1,
            None => old_range.last().map_or("", |i| old.words[i].1),
        };
        push_same(&mut pieces, after);
    }
    pieces
}

/// The whitespace to show after an unchanged word: the new text's, unless
/// it has none there (the word now ends the text) and the old one had.
fn spacing<'a>(old: &'a str, new: &'a str) -> &'a str {
    if new.is_empty() {
        old
    } else {
        new
    }
}

fn push_same(pieces: &mut Vec<Piece>, text: &str) {
    if text.is_empty() {
        return;
    }
    match pieces.last_mut() {
        Some(Piece::Same(same)) => same.push_str(text),
        _ => pieces.push(Piece::Same(text.to_owned())),
    }
}

/// A text split into words, each with the whitespace that follows it.
struct Words<'a> {
    leading: &'a str,
    words: Vec<(&'a str, &'a str)>,
}

impl<'a> Words<'a> {
    fn of(text: &'a str) -> Self {
        let body = text.trim_start();
        let leading = &text[..text.len() - body.len()];
        let mut words = Vec::new();
        let mut rest = body;
        while !rest.is_empty() {
            let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let (word, tail) = rest.split_at(word_end);
            let next = tail.trim_start();
            words.push((word, &tail[..tail.len() - next.len()]));
            rest = next;
        }
        Words { leading, words }
    }

    fn diff(&self, other: &Words) -> Vec<DiffOp> {
        let old: Vec<&str> = self.words.iter().map(|(word, _)| *word).collect();
        let new: Vec<&str> = other.words.iter().map(|(word, _)| *word).collect();
        capture_diff_slices(Algorithm::Myers, &old, &new)
    }

    /// The words in `range` with the spacing between them, trimmed.
    fn join(&self, range: std::ops::Range<usize>) -> String {
        let mut text = String::new();
        for (word, after) in &self.words[range] {
            text.push_str(word);
            text.push_str(after);
        }
        text.truncate(text.trim_end().len());
        text
    }
}
