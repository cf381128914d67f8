//! Renderings of changes for people: a terminal and a pull-request comment.

mod markdown;
mod text;

use std::io;

use super::{show, words, Change, ChangeKind};

/// Writes changes for a terminal, grouped by top-level section: each change
/// as its path, then `± old → new`, `- old` or `+ new` lines (prose as an
/// inline word diff), editorial changes marked `(editorial)`.
///
/// It exists for `charter diff` and the git diff driver. With `color` the
/// old side is red and the new side green (the caller decides, from
/// `--color`, `NO_COLOR` and the terminal); without it the output is plain
/// text and word edits read `[-removed-]{+added+}`. Nothing is written for
/// no changes.
pub fn render_text(changes: &[Change], out: &mut dyn io::Write, color: bool) -> io::Result<()> {
    text::render(changes, out, color)
}

/// Writes changes as GitHub-flavoured markdown, for pull-request comments
/// and `$GITHUB_STEP_SUMMARY`.
///
/// It is made to read on a phone: a bold line per section and a bullet per
/// change, values in code spans, word edits as ~~removed~~ **added**, whole
/// items as nested bullets; no wide tables. Nothing is written for no
/// changes.
pub fn render_markdown(changes: &[Change], out: &mut dyn io::Write) -> io::Result<()> {
    markdown::render(changes, out)
}

/// The changes of one top-level section.
struct Section<'a> {
    name: &'a str,
    changes: Vec<&'a Change>,
}

impl Section<'_> {
    /// When every change is editorial, the section says so once.
    fn is_editorial(&self) -> bool {
        self.changes.iter().all(|c| !c.material)
    }
}

/// Groups changes by section, sections in order of first appearance.
fn sections(changes: &[Change]) -> Vec<Section<'_>> {
    let mut sections: Vec<Section> = Vec::new();
    for change in changes {
        let name = change.section();
        match sections.iter_mut().rev().find(|s| s.name == name) {
            Some(section) => section.changes.push(change),
            None => sections.push(Section {
                name,
                changes: vec![change],
            }),
        }
    }
    sections
}

/// How the values of a change are best shown.
enum Shape<'a> {
    /// Prose edited: an inline word diff.
    Words(Vec<words::Piece>),
    /// Two short values: `old → new`.
    Inline(String, String),
    /// Values shown in full, line by line; either may be absent.
    Full(Option<&'a serde_json::Value>, Option<&'a serde_json::Value>),
    /// An item that changed place, with its value when that is short.
    Moved(Option<String>),
}

fn shape(change: &Change) -> Shape<'_> {
    let (old, new) = (change.old.as_ref(), change.new.as_ref());
    match (change.kind, old, new) {
        (ChangeKind::Moved, _, value) => {
            Shape::Moved(value.filter(|v| !show::is_structured(v)).map(show::inline))
        }
        (ChangeKind::Changed, Some(old), Some(new)) => {
            if let Some((old, new)) = words::prose_pair(old, new) {
                let pieces = words::word_diff(old, new);
                // A change of spacing alone has no word edits to show.
                if pieces
                    .iter()
                    .any(|p| matches!(p, words::Piece::Edit { .. }))
                {
                    return Shape::Words(pieces);
                }
            }
            let (old_text, new_text) = (show::inline(old), show::inline(new));
            if show::is_short(&old_text) && show::is_short(&new_text) {
                Shape::Inline(old_text, new_text)
            } else {
                Shape::Full(Some(old), Some(new))
            }
        }
        _ => Shape::Full(old, new),
    }
}

/// What the symbols of a diff mean, printed once under text diffs (and
/// `log`'s summaries), so nobody has to guess.
pub const LEGEND: &str = "legend: + added, - removed, ± changed (old → new), ↕ moved, [-old-]{+new+} words\n        removed and added; ~ counts changed items; (editorial) needs no notice";

/// The legend under markdown diffs, which show words as ~~old~~ **new**.
pub const LEGEND_MARKDOWN: &str = "_Legend: ↕ moved, `old` → `new` changed, ~~old~~ **new** words removed and added; an (editorial) change needs no notice._";
