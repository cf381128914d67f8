//! Findings as text (with the offending line and a caret), JSON and GitHub
//! workflow commands.

use std::io::{self, Write};

use super::escape;
use super::style::{paint, DIM, ERROR, HEADING, WARNING};
use crate::finding::{Finding, Severity, Summary};
use crate::plural::count;

pub use crate::finding::Sources;

/// Human-readable findings: `error[rule]: message`, the place, the line, a caret, the hint.
pub fn text(
    out: &mut dyn Write,
    findings: &[Finding],
    sources: &Sources,
    color: bool,
) -> io::Result<()> {
    for f in findings {
        let (label, style) = match f.severity {
            Severity::Error => ("error", ERROR),
            Severity::Warning => ("warning", WARNING),
            Severity::Info => ("info", DIM),
        };
        writeln!(
            out,
            "{}{}",
            paint(style, &format!("{label}[{}]", f.rule), color),
            paint(HEADING, &format!(": {}", escape::text(&f.message)), color)
        )?;
        let file = escape::text(&f.file);
        let place = match (f.line, f.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.into_owned(),
        };
        if !place.is_empty() {
            writeln!(out, "  {} {place}", paint(DIM, "-->", color))?;
        }
        if let Some(commit) = &f.commit {
            writeln!(out, "  {} commit {commit}", paint(DIM, "-->", color))?;
        }
        if let (Some(line), Some(source)) = (f.line, sources.get(&f.file)) {
            if let Some(text) = source.lines().nth(line.saturating_sub(1)) {
                let number = line.to_string();
                let pad = " ".repeat(number.len());
                let shown = escape::text(
                    &text
                        .chars()
                        .take(200)
                        .collect::<String>()
                        .replace('\t', " "),
                )
                .into_owned();
                writeln!(out, "  {pad} {}", paint(DIM, "|", color))?;
                writeln!(
                    out,
                    "  {} {} {shown}",
                    paint(DIM, &number, color),
                    paint(DIM, "|", color)
                )?;
                if let Some(col) = f.column {
                    let caret_pad = " ".repeat(col.saturating_sub(1).min(200));
                    writeln!(
                        out,
                        "  {pad} {} {caret_pad}{}",
                        paint(DIM, "|", color),
                        paint(style, "^", color)
                    )?;
                }
            }
        }
        if let Some(hint) = &f.hint {
            writeln!(
                out,
                "  {} {}",
                paint(DIM, "= hint:", color),
                escape::text(hint)
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The one-line verdict after a text report.
pub fn summary_line(summary: Summary, checked: &str, color: bool) -> String {
    let info = if summary.info > 0 {
        format!(", {} info", summary.info)
    } else {
        String::new()
    };
    if summary.errors == 0 && summary.warnings == 0 {
        return format!(
            "{} {checked}: no problems found{info}",
            paint(super::style::OK, "ok", color)
        );
    }
    format!(
        "{checked}: {}, {}{info}",
        count(summary.errors, "error"),
        count(summary.warnings, "warning")
    )
}

/// `{"findings":[…],"summary":{"errors":N,"warnings":N}}` ([`crate::json::Findings`]).
pub fn json(out: &mut dyn Write, findings: &[Finding]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &crate::json::Findings::of(findings))?;
    writeln!(out)
}

/// GitHub workflow commands, escaped as GitHub's toolkit escapes them.
pub fn github(out: &mut dyn Write, findings: &[Finding]) -> io::Result<()> {
    for f in findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if !f.file.is_empty() {
            props.push(format!("file={}", escape_property(&f.file)));
        }
        if let Some(line) = f.line {
            props.push(format!("line={line}"));
        }
        if let Some(col) = f.column {
            props.push(format!("col={col}"));
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("charter {}", f.rule))
        ));
        let mut message = f.message.clone();
        if let Some(hint) = &f.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        writeln!(
            out,
            "::{level} {}::{}",
            props.join(","),
            escape_data(&message)
        )?;
    }
    let s = Summary::of(findings);
    writeln!(
        out,
        "charter: {}, {}",
        count(s.errors, "error"),
        count(s.warnings, "warning")
    )
}

/// Escape a workflow command's message.
pub fn escape_data(s: &str) -> String {
    let escaped = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    // Other control and invisible characters (an ANSI escape would colour
    // or clear the CI log) are spelt out, as in the text format.
    escape::text(&escaped).into_owned()
}

/// Escape a workflow command's property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escaping() {
        assert_eq!(escape_data("50%\r\nx"), "50%25%0D%0Ax");
        assert_eq!(escape_data("a\u{1b}[2J\u{202e}"), "a\\u{1b}[2J\\u{202e}");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    #[test]
    fn text_shows_line_and_caret() {
        let mut sources = Sources::new();
        sources.insert("a.yaml".into(), "x: 1\nterm: bad\n".into());
        let f = Finding::new(crate::finding::Rule::Schema, "a.yaml", "wrong")
            .at(crate::yaml::Pos { line: 2, column: 7 })
            .hint("fix it");
        let mut out = Vec::new();
        text(&mut out, &[f], &sources, false).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "error[schema]: wrong\n  --> a.yaml:2:7\n    |\n  2 | term: bad\n    |       ^\n  = hint: fix it\n\n"
        );
    }
}
