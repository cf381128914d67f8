//! One place that makes user data safe to print, for every output format.
//!
//! Agreement text, keys, emails and file names come from a repository anyone
//! may propose changes to. Printed raw they could drive the terminal (ANSI
//! escape sequences), rewrite what a line appears to say (carriage return,
//! bidirectional overrides), start a new line that a CI runner reads as a
//! command (`::warning::…` in GitHub Actions) or inject headings and HTML
//! into a pull-request comment or step summary. Each renderer passes user
//! data through the function for its format; the GitHub workflow-command
//! format has its own escaping in [`super::findings`].

use std::borrow::Cow;

use unicode_general_category::{get_general_category, GeneralCategory};

/// Whether `c` must not reach the output as itself: a control character
/// (C0, DEL, C1, line breaks and tabs included), a format character (zero
/// width, bidirectional controls, byte-order mark) or a line or paragraph
/// separator.
fn must_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            get_general_category(c),
            GeneralCategory::Format
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
        )
}

/// Whether [`text`] would change `s`: it holds a control or invisible character.
pub fn needs_escape(s: &str) -> bool {
    s.chars().any(must_escape)
}

/// Plain text on one line: every control or invisible character spelt out
/// as Rust writes it (`\n`, `\r`, `\t`, `\u{1b}`, `\u{200b}`), so that it is
/// visible and inert. Text without such characters is returned as is.
pub fn text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(must_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_visible(&mut out, c);
    }
    Cow::Owned(out)
}

/// Plain text that may span lines: each line escaped as by [`text`], the
/// lines joined with a line feed followed by `indent`, so that no line of
/// user data starts at the beginning of an output line; a continuation
/// line that would start with `::` (a CI workflow command, which runners
/// recognise after leading spaces too) gets a backslash before it.
pub fn text_lines(s: &str, indent: &str) -> String {
    s.split('\n')
        .enumerate()
        .map(|(n, line)| {
            let line = text(line);
            if n > 0 && line.trim_start().starts_with("::") {
                let spaces = line.len() - line.trim_start().len();
                format!("{}\\{}", &line[..spaces], &line[spaces..])
            } else {
                line.into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(&format!("\n{indent}"))
}

fn push_visible(out: &mut String, c: char) {
    if !must_escape(c) {
        out.push(c);
        return;
    }
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
    }
}

/// Inline Markdown (GitHub-flavoured): the text on one line as by [`text`],
/// HTML special characters as entities, the characters that open emphasis,
/// links, code spans, strikethrough and table cells backslash-escaped, and
/// a block marker at the start (`#`, `-`, `+`, `=`, `1.`) escaped, so that
/// user data can neither open a block (heading, list, quote, table row,
/// fence) nor a span or raw HTML, wherever the renderer places it.
pub fn markdown(s: &str) -> String {
    let one_line = text(s);
    let mut out = String::with_capacity(one_line.len() + 8);
    let mut at_start = true;
    let mut chars = one_line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' | '=' | ':' if at_start => {
                out.push('\\');
                out.push(c);
            }
            '0'..='9' if at_start => {
                out.push(c);
                while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    out.push(d);
                    chars.next();
                }
                if let Some(&marker) = chars.peek().filter(|&&m| m == '.' || m == ')') {
                    out.push('\\');
                    out.push(marker);
                    chars.next();
                }
            }
            c => out.push(c),
        }
        at_start = at_start && c == ' ';
    }
    out
}

/// Markdown prose that may span lines: each line escaped as by
/// [`markdown`] (so none can open a block or start with `::`), the lines
/// joined with hard line breaks so they stay in one paragraph or item.
pub fn markdown_lines(s: &str) -> String {
    s.split('\n').map(markdown).collect::<Vec<_>>().join("  \n")
}

/// Text inside a Markdown code span: on one line as by [`text`], wrapped
/// in enough backticks that no backtick inside can close it (CommonMark
/// §6.1), padded with spaces when it starts or ends with a backtick.
pub fn markdown_code(s: &str) -> String {
    let inner = text(s);
    let mut longest = 0;
    let mut run = 0;
    for c in inner.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if inner.starts_with('`') || inner.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{inner}{pad}{fence}")
}

/// HTML text or attribute content: entities for `& < > " '`; line feeds
/// and tabs as numeric references (whitespace to a browser), so that no
/// line of user data starts a line of the page's source (where a CI log
/// could read it as a command); every other control or invisible character
/// spelt out as by [`text`]: a numeric reference would give the page the
/// character itself, and a bidirectional override would still reorder the
/// text around it.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push_str(&format!("&#x{:x};", u32::from(c))),
            c if must_escape(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// A CSS string's content (between double quotes): quotes, backslashes,
/// the characters that could end a `<style>` element, and control and
/// invisible characters as CSS hex escapes, so user text never ends the
/// string, the rule or the element.
pub fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '"' | '\'' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", u32::from(c))),
            c if must_escape(c) || c.is_control() => {
                out.push_str(&format!("\\{:x} ", u32::from(c)))
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "ok\u{1b}[31mred\r\n::warning::x\u{202e}\u{200b}\t\u{7f}\u{85}\u{2028}";

    #[test]
    fn text_spells_out_every_control_and_invisible_character() {
        let shown = text(HOSTILE);
        assert_eq!(
            shown,
            "ok\\u{1b}[31mred\\r\\n::warning::x\\u{202e}\\u{200b}\\t\\u{7f}\\u{85}\\u{2028}"
        );
        assert!(!shown.chars().any(must_escape));
        assert!(matches!(text("plain text, é 日本"), Cow::Borrowed(_)));
    }

    #[test]
    fn css_strings_cannot_end_the_string_or_the_style_element() {
        assert_eq!(
            css_string("a\"b\\c</style>\n"),
            "a\\22 b\\5c c\\3c /style\\3e \\a "
        );
        assert_eq!(css_string("v3 (3a5a96a15b22) é"), "v3 (3a5a96a15b22) é");
    }

    #[test]
    fn text_lines_indents_every_continuation() {
        assert_eq!(
            text_lines("a\n::warning::x\u{1b}\nb", "    "),
            "a\n    \\::warning::x\\u{1b}\n    b"
        );
    }

    #[test]
    fn markdown_cannot_open_blocks_spans_or_html() {
        let shown = markdown("# Title\n- item <script>alert(1)</script> *em* [l](u) `c` | a");
        assert!(!shown.contains('\n'));
        assert!(!shown.contains("<script"));
        assert!(
            shown.starts_with("\\# Title\\\\n- item &lt;script&gt;"),
            "{shown}"
        );
        assert!(shown.contains("\\*em\\*"));
        assert!(shown.contains("\\[l\\](u)"));
        assert!(shown.contains("\\`c\\`"));
        assert!(shown.contains("\\|"));
        assert_eq!(markdown("  - x"), "  \\- x");
        assert_eq!(markdown("12. x"), "12\\. x");
        assert_eq!(markdown("2026-01-12 a.b-c"), "2026-01-12 a.b-c");
        assert_eq!(markdown("ada@example.com"), "ada@example.com");
        assert_eq!(markdown("::warning::x"), "\\::warning::x");
        assert_eq!(
            markdown_lines("a\n# b\n::error::c"),
            "a  \n\\# b  \n\\::error::c"
        );
    }

    #[test]
    fn code_spans_cannot_be_closed_from_inside() {
        assert_eq!(markdown_code("a"), "`a`");
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
        assert_eq!(markdown_code("a\nb"), "`a\\nb`");
    }

    #[test]
    fn html_is_entity_escaped() {
        assert_eq!(
            html("<b a=\"1\">&'\u{1b}\u{202e}\n::x"),
            "&lt;b a=&quot;1&quot;&gt;&amp;&#39;\\u{1b}\\u{202e}&#xa;::x"
        );
    }
}
