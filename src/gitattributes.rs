//! The `.gitattributes` line that sends agreements through charter's diff
//! driver, derived from the layout.
//!
//! git runs `diff.charter.command` (and `diff.charter.textconv`) only for
//! paths whose attributes say `diff=charter`. A line written for the default
//! `agreements/` would leave the agreements of a repository whose
//! `charter.yaml` moves them elsewhere with plain line diffs, and nothing
//! would say why; so the line is computed from the layout, and an existing
//! file is judged against that same line.

use crate::agreement::file_name::EXTENSION;
use crate::settings::Layout;

/// The file git reads attributes from, at the root of the working tree.
pub const FILE: &str = ".gitattributes";

/// The diff driver's name: `diff=charter` in `.gitattributes` selects the
/// `diff.charter.*` settings in git's configuration.
pub const DRIVER: &str = "charter";

/// The git configuration of the diff driver in a clone: the semantic diff
/// for `git diff` and `git log -p --ext-diff`, and the readable rendering
/// for `git log -p` without it. git runs `charter` from `PATH`.
pub const DRIVER_CONFIG: [(&str, &str); 2] = [
    ("diff.charter.command", "charter git-diff"),
    ("diff.charter.textconv", "charter textconv"),
];

/// The line that gives every agreement file charter's diff driver, e.g.
/// `agreements/*.yaml diff=charter`, with the directory quoted as
/// gitattributes requires when its name has spaces or glob characters.
pub fn line(layout: &Layout) -> String {
    format!("{} diff={DRIVER}", pattern(layout, false))
}

/// Whether the text of an existing `.gitattributes` already gives the
/// agreements charter's diff driver, so `init` says what to add only when
/// something is missing. It recognises the pattern [`line()`] writes (also
/// anchored with a leading `/`); as in git, the last of its lines that
/// sets `diff` decides, so a later `-diff` or `binary` undoes it. Other
/// patterns that might cover the files are not evaluated: then `init`
/// suggests the line, which is harmless to add.
pub fn has_driver(text: &str, layout: &Layout) -> bool {
    let ours = [pattern(layout, false), pattern(layout, true)];
    let mut driver = false;
    for line in text.lines() {
        let Some((pattern, attributes)) = split_line(line) else {
            continue;
        };
        if !ours.iter().any(|p| p == pattern) {
            continue;
        }
        for attribute in attributes.split_whitespace() {
            match attribute {
                "binary" | "-diff" | "!diff" | "diff" => driver = false,
                _ => {
                    if let Some(value) = attribute.strip_prefix("diff=") {
                        driver = value == DRIVER;
                    }
                }
            }
        }
    }
    driver
}

/// The pattern of the agreement files, `<dir>/*.yaml`, written so that git
/// reads it back as that directory: glob characters and a leading `#` or
/// `!` escaped, and the whole pattern C-quoted when it has a space, a
/// quote or a control character.
fn pattern(layout: &Layout, anchored: bool) -> String {
    let dir = layout.agreements.trim_end_matches('/');
    let mut escaped = String::with_capacity(dir.len() + 8);
    if anchored {
        escaped.push('/');
    } else if dir.starts_with(['#', '!']) {
        escaped.push('\\');
    }
    for c in dir.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push_str("/*");
    escaped.push_str(EXTENSION);
    if !escaped
        .chars()
        .any(|c| c.is_whitespace() || c == '"' || c.is_control())
    {
        return escaped;
    }
    let mut quoted = String::from("\"");
    for c in escaped.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            c if c.is_control() && c.is_ascii() => {
                quoted.push_str(&format!("\\{:03o}", c as u32));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// The pattern and the attributes of one line, `None` for a blank line or
/// a comment. A pattern that starts with `"` runs to the closing quote.
fn split_line(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_start();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let end = if line.starts_with('"') {
        let mut escaped = false;
        line.char_indices()
            .skip(1)
            .find(|&(_, c)| {
                let closes = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                closes
            })
            .map_or(line.len(), |(i, _)| i + 1)
    } else {
        line.find(char::is_whitespace).unwrap_or(line.len())
    };
    Some(line.split_at(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(agreements: &str) -> Layout {
        Layout {
            agreements: agreements.to_owned(),
            ..Layout::default()
        }
    }

    #[test]
    fn the_line_follows_the_agreements_directory() {
        assert_eq!(line(&Layout::default()), "agreements/*.yaml diff=charter");
        assert_eq!(
            line(&layout("docs/agreements")),
            "docs/agreements/*.yaml diff=charter"
        );
    }

    #[test]
    fn directories_git_would_misread_are_escaped_or_quoted() {
        assert_eq!(line(&layout("team[1]")), "team\\[1\\]/*.yaml diff=charter");
        assert_eq!(line(&layout("#notes")), "\\#notes/*.yaml diff=charter");
        assert_eq!(line(&layout("!new")), "\\!new/*.yaml diff=charter");
        assert_eq!(
            line(&layout("my agreements")),
            "\"my agreements/*.yaml\" diff=charter"
        );
        assert_eq!(
            line(&layout("a \"b\"*")),
            "\"a \\\"b\\\"\\\\*/*.yaml\" diff=charter"
        );
    }

    #[test]
    fn an_existing_file_has_the_driver_only_for_the_layouts_directory() {
        let default = Layout::default();
        let moved = layout("docs/agreements");
        let text = "*.png binary\nagreements/*.yaml diff=charter\n";
        assert!(has_driver(text, &default));
        assert!(!has_driver(text, &moved));
        assert!(has_driver(
            "docs/agreements/*.yaml  text diff=charter\n",
            &moved
        ));
        assert!(has_driver("/agreements/*.yaml diff=charter\n", &default));
        let spaced = layout("my agreements");
        assert!(has_driver(&format!("{}\n", line(&spaced)), &spaced));
        assert!(!has_driver("my agreements/*.yaml diff=charter\n", &spaced));
    }

    #[test]
    fn comments_other_drivers_and_later_unsets_do_not_count() {
        let default = Layout::default();
        assert!(!has_driver("", &default));
        assert!(!has_driver("# agreements/*.yaml diff=charter\n", &default));
        assert!(!has_driver("agreements/*.yaml diff=other\n", &default));
        assert!(!has_driver("agreements/*.yml diff=charter\n", &default));
        assert!(!has_driver(
            "agreements/*.yaml diff=charter\nagreements/*.yaml -diff\n",
            &default
        ));
        assert!(!has_driver(
            "agreements/*.yaml diff=charter binary\n",
            &default
        ));
        assert!(has_driver(
            "agreements/*.yaml -diff\nagreements/*.yaml diff=charter\n",
            &default
        ));
        // A pattern and its attributes are not found inside another line.
        assert!(!has_driver(
            "agreements/*.yaml.bak diff=charter\n",
            &default
        ));
    }
}
