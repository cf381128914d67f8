//! Compact, YAML-like renderings of values for people, so a changed list or
//! an added goal reads like the agreement file rather than like JSON.

use serde_json::{Map, Value};

/// Values shown inline (`old → new`) must be at most this many characters.
const SHORT_CHARS: usize = 40;

/// One line of a value shown line by line.
pub(super) enum Line {
    /// A mapping entry: key and inline value.
    Entry(String, String),
    /// A list item, inline.
    Item(String),
    /// A whole scalar (or empty collection), inline.
    Scalar(String),
}

/// A value on one line, in YAML flow style: `biweekly`, `[video call, chat]`,
/// `{name: Charles Babbage, role: supervisor}`.
pub(super) fn inline(value: &Value) -> String {
    let mut out = String::new();
    write_flow(&mut out, value, false);
    out
}

/// A value as lines: one per entry of a mapping (`id` first) or item of a
/// list, nested values inline; a scalar is one unlabelled line.
pub(super) fn lines(value: &Value) -> Vec<Line> {
    match value {
        Value::Object(map) if !map.is_empty() => entries(map)
            .map(|(key, value)| Line::Entry(key_text(key), inline(value)))
            .collect(),
        Value::Array(items) if !items.is_empty() => {
            items.iter().map(|item| Line::Item(inline(item))).collect()
        }
        _ => vec![Line::Scalar(inline(value))],
    }
}

/// Whether a value is a mapping or list worth showing line by line.
pub(super) fn is_structured(value: &Value) -> bool {
    match value {
        Value::Object(map) => !map.is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => false,
    }
}

/// Whether the rendering of a value fits on a line next to another one.
pub(super) fn is_short(text: &str) -> bool {
    text.chars().count() <= SHORT_CHARS
}

/// Mapping entries with `id` first, so an item introduces itself.
fn entries(map: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    let id = map.get_key_value("id");
    id.into_iter()
        .chain(map.iter().filter(|(key, _)| key.as_str() != "id"))
}

fn write_flow(out: &mut String, value: &Value, nested: bool) {
    match value {
        Value::String(text) => out.push_str(&string_text(text, nested)),
        Value::Array(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                write_flow(out, item, true);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (n, (key, item)) in entries(map).enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                out.push_str(&key_text(key));
                out.push_str(": ");
                write_flow(out, item, true);
            }
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

fn key_text(key: &str) -> String {
    string_text(key, true)
}

/// A string as written, or quoted when it could be misread: empty, padded,
/// multi-line, looking like another type, or breaking a flow collection.
fn string_text(text: &str, nested: bool) -> String {
    let misleading = text.is_empty()
        || text.trim() != text
        || text.contains(|c: char| c.is_control())
        || text.starts_with(['"', '\''])
        || looks_like_non_string(text)
        || (nested && (text.contains([',', '[', ']', '{', '}']) || text.contains(": ")));
    if misleading {
        Value::from(text).to_string()
    } else {
        text.to_owned()
    }
}

/// Whether YAML would read the unquoted text as null, a boolean or a number.
fn looks_like_non_string(text: &str) -> bool {
    matches!(
        text,
        "~" | "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    ) || text.parse::<f64>().is_ok()
}
