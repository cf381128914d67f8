//! Writing RFC 5545 content lines: TEXT escaping (§3.3.11) and line
//! folding at 75 octets without splitting a UTF-8 character (§3.1).

/// Escape a TEXT value: backslash, semicolon, comma and newlines.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            // Other control characters are not allowed in TEXT.
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Quote a parameter value when it holds `:`, `;` or `,` (§3.2); double
/// quotes and control characters cannot appear in one and are dropped.
pub fn param_value(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// Fold one content line into lines of at most 75 octets, each
/// continuation starting with a space, all ending in CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut width = 0;
    let mut limit = 75;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > limit {
            out.push_str("\r\n ");
            width = 0;
            // The leading space counts towards the next line's 75 octets.
            limit = 74;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

/// Content lines being written, folded as they are added.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    /// Add a line `NAME[;PARAMS]:VALUE`, the value already in its final
    /// form (escape TEXT with [`escape_text`] first).
    pub fn line(&mut self, name: &str, value: &str) {
        self.out.push_str(&fold(&format!("{name}:{value}")));
    }

    /// Add a TEXT property, escaped.
    pub fn text(&mut self, name: &str, value: &str) {
        self.line(name, &escape_text(value));
    }

    /// The calendar written so far.
    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_text("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
        assert_eq!(param_value("Europe/Berlin"), "Europe/Berlin");
        assert_eq!(param_value("a:b\""), "\"a:b\"");
    }

    #[test]
    fn folds_at_75_octets_on_character_boundaries() {
        let line = format!("SUMMARY:{}", "é".repeat(100));
        let folded = fold(&line);
        for (i, part) in folded.split("\r\n").filter(|p| !p.is_empty()).enumerate() {
            assert!(part.len() <= 75, "{i}: {} octets", part.len());
            if i > 0 {
                assert!(part.starts_with(' '));
            }
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{line}\r\n"));
        assert_eq!(fold("X:short"), "X:short\r\n");
    }
}
