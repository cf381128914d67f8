//! The terminal rendering, in the spirit of dyff.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use serde_json::Value;

use super::{sections, shape, show, words::Piece, Change, Shape};
use crate::render::escape;

const SECTION: Style = Style::new().bold();
const NOTE: Style = Style::new().dimmed();
const OLD: Style = AnsiColor::Red.on_default();
const NEW: Style = AnsiColor::Green.on_default();
const OLD_WORDS: Style = OLD.strikethrough();
const NEW_WORDS: Style = NEW.underline();
const MOVED: Style = AnsiColor::Yellow.on_default();

/// Indent of a change's path under its section header.
const PATH_INDENT: usize = 2;

pub(super) fn render(changes: &[Change], out: &mut dyn Write, color: bool) -> io::Result<()> {
    let mut pen = Pen { out, color };
    for (n, section) in sections(changes).iter().enumerate() {
        if n > 0 {
            pen.newline()?;
        }
        pen.paint(SECTION, section.name)?;
        let marked = section.is_editorial();
        if marked {
            pen.paint(NOTE, "  (editorial)")?;
        }
        pen.newline()?;
        for change in &section.changes {
            // A change of a whole section needs no path under the header.
            let indent = if change.path == section.name {
                PATH_INDENT
            } else {
                pen.plain(&" ".repeat(PATH_INDENT))?;
                pen.plain(&change.path)?;
                if !change.material && !marked {
                    pen.paint(NOTE, "  (editorial)")?;
                }
                pen.newline()?;
                PATH_INDENT * 2
            };
            detail(&mut pen, change, indent)?;
        }
    }
    Ok(())
}

/// The value lines of one change, each starting at `indent`.
fn detail(pen: &mut Pen, change: &Change, indent: usize) -> io::Result<()> {
    let margin = " ".repeat(indent);
    match shape(change) {
        Shape::Words(pieces) => {
            pen.plain(&margin)?;
            pen.plain("± ")?;
            words(pen, &pieces, indent + 2)?;
            pen.newline()
        }
        Shape::Inline(old, new) => {
            pen.plain(&margin)?;
            pen.plain("± ")?;
            pen.paint(OLD, &old)?;
            pen.plain(" → ")?;
            pen.paint(NEW, &new)?;
            pen.newline()
        }
        Shape::Moved(value) => {
            pen.plain(&margin)?;
            pen.paint(MOVED, "↕ moved")?;
            if let Some(value) = value {
                pen.plain(": ")?;
                pen.plain(&value)?;
            }
            pen.newline()
        }
        Shape::Full(old, new) => {
            if let Some(old) = old {
                value_lines(pen, &margin, '-', OLD, old)?;
            }
            if let Some(new) = new {
                value_lines(pen, &margin, '+', NEW, new)?;
            }
            Ok(())
        }
    }
}

/// A whole value after `sign`, continuation lines aligned under the first.
fn value_lines(
    pen: &mut Pen,
    margin: &str,
    sign: char,
    style: Style,
    value: &Value,
) -> io::Result<()> {
    for (n, line) in show::lines(value).iter().enumerate() {
        pen.plain(margin)?;
        let lead = if n == 0 {
            format!("{sign} ")
        } else {
            "  ".to_owned()
        };
        pen.paint(style, &lead)?;
        let text = match line {
            show::Line::Entry(key, value) => format!("{key}: {value}"),
            show::Line::Item(value) => format!("- {value}"),
            show::Line::Scalar(value) => value.clone(),
        };
        pen.paint(style, &text)?;
        pen.newline()?;
    }
    Ok(())
}

/// An inline word diff; line breaks inside the text keep the indent, and
/// no line of the text starts an output line.
fn words(pen: &mut Pen, pieces: &[Piece], indent: usize) -> io::Result<()> {
    let reindent = |text: &str| escape::text_lines(text, &" ".repeat(indent));
    for piece in pieces {
        match piece {
            Piece::Same(text) => pen.raw(&reindent(text))?,
            Piece::Edit { removed, added } => {
                if !removed.is_empty() {
                    pen.marked(OLD_WORDS, ("[-", "-]"), &reindent(removed))?;
                }
                if !added.is_empty() {
                    pen.marked(NEW_WORDS, ("{+", "+}"), &reindent(added))?;
                }
            }
        }
    }
    Ok(())
}

/// Writes text, styled only when colour is on. Text given to `plain`,
/// `paint` and `marked` is user data: its control and invisible characters
/// are spelt out (an ANSI escape in an agreement never reaches the terminal,
/// a line break never starts a line); `raw` takes text already escaped.
struct Pen<'a> {
    out: &'a mut dyn Write,
    color: bool,
}

impl Pen<'_> {
    fn plain(&mut self, text: &str) -> io::Result<()> {
        self.raw(&escape::text(text))
    }

    fn raw(&mut self, text: &str) -> io::Result<()> {
        self.out.write_all(text.as_bytes())
    }

    fn newline(&mut self) -> io::Result<()> {
        self.raw("\n")
    }

    fn paint(&mut self, style: Style, text: &str) -> io::Result<()> {
        self.paint_raw(style, &escape::text(text))
    }

    fn paint_raw(&mut self, style: Style, text: &str) -> io::Result<()> {
        if self.color && !text.trim().is_empty() {
            write!(self.out, "{}{text}{}", style.render(), style.render_reset())
        } else {
            self.raw(text)
        }
    }

    /// Styled with colour; between the given markers without it. `text` is
    /// already escaped.
    fn marked(&mut self, style: Style, (open, close): (&str, &str), text: &str) -> io::Result<()> {
        if self.color {
            self.paint_raw(style, text)
        } else {
            write!(self.out, "{open}{text}{close}")
        }
    }
}
