//! Turning the bytes of a YAML file into located plain data and typed models,
//! with every failure expressed as a located [`Finding`].

use serde::de::DeserializeOwned;

use crate::finding::Finding;
use crate::yaml::{self, Node, Pos, Segment};

/// Largest file charter reads; agreements are a few kilobytes.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Parse the bytes of `file` into a located tree, or say why not.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Node, Finding> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Finding::new(
            "yaml-syntax",
            file,
            format!("the file is larger than {MAX_FILE_BYTES} bytes, the most charter reads"),
        )
        .hint("agreements are short documents; split or trim this file"));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let pos = position_of_byte(bytes, e.valid_up_to());
        Finding::new("yaml-syntax", file, "the file is not valid UTF-8")
            .at(pos)
            .hint("save the file as UTF-8 text")
    })?;
    if text.contains('\0') {
        let offset = text.find('\0').unwrap_or(0);
        return Err(Finding::new(
            "yaml-syntax",
            file,
            "the file contains NUL bytes; it looks binary",
        )
        .at(position_of_byte(bytes, offset))
        .hint("agreements are plain UTF-8 text"));
    }
    yaml::parse(text.strip_prefix('\u{feff}').unwrap_or(text)).map_err(|e| {
        let finding = Finding::new("yaml-syntax", file, e.message).at(e.pos);
        match e.hint {
            Some(h) => finding.hint(h),
            None => finding,
        }
    })
}

/// Deserialize plain data into a model, pointing a failure at the offending key or value.
pub fn typed<T: DeserializeOwned>(file: &str, node: &Node) -> Result<T, Finding> {
    let data = node.to_json();
    serde_path_to_error::deserialize(&data).map_err(|e| {
        let segments: Vec<Segment<'_>> = e
            .path()
            .iter()
            .filter_map(|s| match s {
                serde_path_to_error::Segment::Map { key } => Some(Segment::Key(key)),
                serde_path_to_error::Segment::Seq { index } => Some(Segment::Index(*index)),
                _ => None,
            })
            .collect();
        let inner = plain_words(&e.inner().to_string());
        let mut path = e.path().to_string();
        let mut pointed = segments.clone();
        let mut unknown_key = false;
        if let Some(field) = backticked(&inner, "unknown field `") {
            unknown_key = true;
            if pointed.last() != Some(&Segment::Key(field)) {
                pointed.push(Segment::Key(field));
                path = join(&path, field);
            }
        }
        let pos = if unknown_key {
            node.locate_key(pointed)
        } else {
            node.locate(pointed)
        };
        let message = if path == "." || path.is_empty() {
            inner.clone()
        } else {
            format!("`{path}`: {inner}")
        };
        let hint = if inner.starts_with("unknown field") {
            "check the spelling; unknown keys are refused so typos cannot pass silently"
        } else if inner.starts_with("missing field") {
            "add the missing field; see the schema in schema/ or `charter new` for an example"
        } else {
            "see the schema in schema/ for the expected form"
        };
        Finding::new("schema", file, message).at(pos).hint(hint)
    })
}

/// serde's messages name Rust types; say what they mean in YAML terms.
fn plain_words(message: &str) -> String {
    let mut text = message.to_owned();
    for (rust, yaml) in [
        ("i64", "an integer"),
        ("u64", "an integer"),
        ("u32", "an integer"),
        ("u8", "an integer"),
        ("a sequence", "a list"),
        ("sequence", "list"),
        ("a map", "a mapping"),
        ("map", "mapping"),
        ("unit value", "null"),
    ] {
        text = text.replace(&format!("expected {rust}"), &format!("expected {yaml}"));
        text = text.replace(
            &format!("invalid type: {rust}"),
            &format!("invalid type: {yaml}"),
        );
    }
    if let Some(i) = text.find("expected struct ") {
        let end = text[i + 16..]
            .find(|c: char| !c.is_alphanumeric())
            .map_or(text.len(), |e| i + 16 + e);
        text.replace_range(i..end, "expected a mapping");
    }
    text
}

fn join(path: &str, field: &str) -> String {
    if path == "." || path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

fn backticked<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(prefix)?;
    rest.split('`').next()
}

/// 1-based line and column of a byte offset (columns in characters).
pub fn position_of_byte(bytes: &[u8], offset: usize) -> Pos {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Pos { line, column }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        a: u32,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        x: Inner,
        list: Vec<Inner>,
    }

    fn error(text: &str) -> Finding {
        let node = parse("f.yaml", text.as_bytes()).unwrap();
        typed::<Outer>("f.yaml", &node).unwrap_err()
    }

    #[test]
    fn unknown_key_points_at_the_key() {
        let f = error("x:\n  a: 1\n  typo: 2\nlist: []\n");
        assert_eq!((f.line, f.column), (Some(3), Some(3)));
        assert!(f.message.contains("x.typo"), "{}", f.message);
    }

    #[test]
    fn wrong_type_points_at_the_value() {
        let f = error("x: {a: 1}\nlist:\n  - a: 1\n  - a: nope\n");
        assert_eq!((f.line, f.column), (Some(4), Some(8)));
        assert!(f.message.contains("list[1].a"), "{}", f.message);
    }

    #[test]
    fn missing_field_points_at_the_parent_key() {
        let f = error("x: {}\nlist: []\n");
        assert_eq!(f.line, Some(1));
        assert!(f.message.contains("missing field `a`"), "{}", f.message);
    }

    #[test]
    fn bad_bytes_are_findings() {
        let f = parse("f.yaml", b"a: 1\nb: \xff\n").unwrap_err();
        assert_eq!((f.line, f.column), (Some(2), Some(4)));
        assert!(parse("f.yaml", b"\0\x01\x02").is_err());
        let big = vec![b'a'; (MAX_FILE_BYTES + 1) as usize];
        assert!(parse("f.yaml", &big)
            .unwrap_err()
            .message
            .contains("larger than"));
    }
}
