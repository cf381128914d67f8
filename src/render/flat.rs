//! An agreement's data as sorted `path: value` lines, one per value: what
//! `charter textconv` prints for `diff.charter.textconv`.
//!
//! git diffs the output of a textconv filter line by line. Flattened, sorted
//! lines make that diff say what changed (`goals[design-review].due:
//! 2026-05-15`) whatever the file's layout, each value named as the
//! semantic diff names it.

use serde_json::Value;

use crate::diff;

/// Every scalar (and empty collection) of `data` as `path: value`, with
/// invisible characters in paths and quoted values spelt out.
pub fn lines(data: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    flatten(String::new(), data, &mut lines);
    lines
        .into_iter()
        .map(|(path, value)| format!("{}: {value}", visible(&path)))
        .collect()
}

/// Collect `(path, value)` for every scalar (and empty collection) below
/// `value`: mapping keys sorted, list items in order, each named as the
/// semantic diff names it ([`diff::key_path`], [`diff::item_paths_by_id`]).
fn flatten(path: String, value: &Value, lines: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for key in keys {
                flatten(diff::key_path(&path, key), &map[key], lines);
            }
        }
        Value::Array(items) if !items.is_empty() => match diff::item_paths_by_id(&path, items) {
            Some(paths) => {
                for (at, item) in paths.into_iter().zip(items) {
                    let mut rest = item.as_object().cloned().unwrap_or_default();
                    // The id is in the path already; keep it only when alone.
                    if rest.len() > 1 {
                        rest.remove("id");
                    }
                    flatten(at, &Value::Object(rest), lines);
                }
            }
            None => {
                for (index, item) in items.iter().enumerate() {
                    flatten(diff::index_path(&path, index), item, lines);
                }
            }
        },
        _ => lines.push((path, scalar(value))),
    }
}

/// A scalar on one line: strings as written unless they could be misread
/// (empty, padded, multi-line, or looking like another type), which are
/// quoted as JSON; everything else as JSON.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) if !needs_quotes(s) => s.clone(),
        _ => visible(&value.to_string()),
    }
}

/// Text with the invisible characters JSON leaves raw (format characters
/// such as bidirectional overrides) spelt out: a quoted key in a path, a
/// quoted value.
fn visible(json: &str) -> String {
    super::escape::text(json).into_owned()
}

fn needs_quotes(s: &str) -> bool {
    s.is_empty()
        || s.trim() != s
        || super::escape::needs_escape(s)
        || s.starts_with('"')
        || matches!(s, "true" | "false" | "null" | "{}" | "[]")
        || s.parse::<i64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_named_as_the_diff_names_them_and_quoted_when_misreadable() {
        let data = serde_json::json!({
            "title": "Ada and Grace",
            "goals": [
                {"id": "design-review", "due": "2026-05-15"},
                {"id": "tech-talk"}
            ],
            "tags": ["a", "true", ""],
            "notes": {},
            "count": 3
        });
        assert_eq!(
            lines(&data),
            [
                "count: 3",
                "goals[design-review].due: 2026-05-15",
                "goals[tech-talk].id: tech-talk",
                "notes: {}",
                "tags[0]: a",
                "tags[1]: \"true\"",
                "tags[2]: \"\"",
                "title: Ada and Grace",
            ]
        );
    }
}
