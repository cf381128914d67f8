//! The GitHub-flavoured markdown rendering, for pull-request comments.

use std::io::{self, Write};

use serde_json::Value;

use super::{sections, shape, show, words::Piece, Change, Shape};

const EDITORIAL: &str = " _(editorial)_";

pub(super) fn render(changes: &[Change], out: &mut dyn Write) -> io::Result<()> {
    for (n, section) in sections(changes).iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        let marked = section.is_editorial();
        let note = if marked { EDITORIAL } else { "" };
        writeln!(out, "**{}**{note}\n", escape(section.name))?;
        for change in &section.changes {
            let note = if change.material || marked {
                ""
            } else {
                EDITORIAL
            };
            bullet(out, change, note)?;
        }
    }
    Ok(())
}

/// One change as a bullet, with nested bullets for whole values.
fn bullet(out: &mut dyn Write, change: &Change, note: &str) -> io::Result<()> {
    let path = code(&change.path);
    match shape(change) {
        Shape::Words(pieces) => writeln!(out, "- {path}{note}: {}", words(&pieces)),
        Shape::Inline(old, new) => {
            writeln!(out, "- {path}{note}: {} → {}", code(&old), code(&new))
        }
        Shape::Moved(Some(value)) => writeln!(out, "- {path} moved{note}: {}", code(&value)),
        Shape::Moved(None) => writeln!(out, "- {path} moved{note}"),
        Shape::Full(Some(old), Some(new)) => {
            writeln!(out, "- {path} changed{note}:")?;
            writeln!(out, "  - was: {}", code(&show::inline(old)))?;
            writeln!(out, "  - now: {}", code(&show::inline(new)))
        }
        Shape::Full(None, Some(new)) => whole(out, &format!("{path} added{note}"), new),
        Shape::Full(Some(old), None) => whole(out, &format!("{path} removed{note}"), old),
        Shape::Full(None, None) => writeln!(out, "- {path}{note}"),
    }
}

/// A whole added or removed value: inline when it is a scalar, else one
/// nested bullet per entry or item.
fn whole(out: &mut dyn Write, head: &str, value: &Value) -> io::Result<()> {
    if !show::is_structured(value) {
        return writeln!(out, "- {head}: {}", code(&show::inline(value)));
    }
    writeln!(out, "- {head}:")?;
    for line in show::lines(value) {
        match line {
            show::Line::Entry(key, value) => {
                writeln!(out, "  - {}: {}", escape(&key), code(&value))?
            }
            show::Line::Item(value) | show::Line::Scalar(value) => {
                writeln!(out, "  - {}", code(&value))?
            }
        }
    }
    Ok(())
}

/// A word diff as prose with ~~removed~~ and **added** words.
fn words(pieces: &[Piece]) -> String {
    let mut text = String::new();
    for piece in pieces {
        match piece {
            Piece::Same(same) => text.push_str(&escape(same)),
            Piece::Edit { removed, added } => {
                if !removed.is_empty() {
                    text.push_str(&format!("~~{}~~", escape(removed)));
                }
                if !removed.is_empty() && !added.is_empty() {
                    text.push(' ');
                }
                if !added.is_empty() {
                    text.push_str(&format!("**{}**", escape(added)));
                }
            }
        }
    }
    text
}

/// Text as a code span on one line, fenced with more backticks than it contains.
fn code(text: &str) -> String {
    crate::render::escape::markdown_code(text)
}

/// Prose made literal: markdown punctuation escaped, line breaks turned
/// into spaces, so it stays inside its bullet, and any other control or
/// invisible character spelt out.
fn escape(text: &str) -> String {
    let spaced = text.replace(['\n', '\r'], " ");
    let visible = crate::render::escape::text(&spaced);
    let mut out = String::with_capacity(visible.len());
    for c in visible.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '<' | '>' | '|' | '&' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}
