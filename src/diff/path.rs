//! How a change's path names a place in an agreement: `meetings.cadence`,
//! `goals[design-review].due`, `scope.in[2]`, `notes["odd key"]`.
//!
//! The names are part of what users read and search for (the JSON `path`
//! of a change, `log`'s summaries, textconv's lines in `git log -p`), so
//! they are made here once, for the diff engine and for every other
//! rendering that names a value.

use std::collections::HashSet;

use serde_json::Value;

/// The path of the value under `key` in the mapping at `parent` (the root
/// when empty): `parent.key`, or `parent["odd key"]` for a key that is not
/// a plain identifier. Public so that a rendering other than the diff
/// (textconv's lines) names a value exactly as `diff` does, and a reader
/// can search one for the other.
pub fn key_path(parent: &str, key: &str) -> String {
    let mut path = parent.to_owned();
    if is_plain(key) {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        push_quoted(&mut path, key);
    }
    path
}

/// The paths of the items of the list at `list` when the diff matches them
/// by `id` (`goals[design-review]`), in list order; `None` when it matches
/// them by position instead (`scope.in[2]`), because some item is not a
/// mapping with a string `id` or an id repeats. Public so that textconv
/// names list items as the diff does: an id survives a reorder, a position
/// does not, and the two must agree on which one a list gets.
pub fn item_paths_by_id(list: &str, items: &[Value]) -> Option<Vec<String>> {
    by_id(items).map(|items| items.iter().map(|(id, _)| id_path(list, id)).collect())
}

/// The path of a list item found by `id`; ids that could be mistaken for
/// an index or that are not plain are quoted.
pub(super) fn id_path(list: &str, id: &str) -> String {
    let mut path = list.to_owned();
    if is_plain(id) && !id.bytes().all(|b| b.is_ascii_digit()) {
        path.push('[');
        path.push_str(id);
        path.push(']');
    } else {
        push_quoted(&mut path, id);
    }
    path
}

/// The path of a list item found by position (`goals[2]`), in a list not
/// keyed by id: what the diff and `textconv` name such an item.
pub fn index_path(list: &str, index: usize) -> String {
    format!("{list}[{index}]")
}

/// The items of a list as `(id, item)` when every item is a mapping with a
/// string `id` and no id repeats; otherwise the list is not keyed.
pub(super) fn by_id(list: &[Value]) -> Option<Vec<(&str, &Value)>> {
    let mut seen = HashSet::with_capacity(list.len());
    list.iter()
        .map(|item| {
            let id = item.get("id")?.as_str()?;
            seen.insert(id).then_some((id, item))
        })
        .collect()
}

/// Whether a key or id can appear in a path as written.
fn is_plain(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Appends `["key"]` with the key as a JSON string.
fn push_quoted(path: &mut String, key: &str) {
    path.push('[');
    path.push_str(&Value::from(key).to_string());
    path.push(']');
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keys_are_dotted_or_quoted() {
        assert_eq!(key_path("", "meetings"), "meetings");
        assert_eq!(key_path("meetings", "cadence"), "meetings.cadence");
        assert_eq!(key_path("notes", "odd key"), "notes[\"odd key\"]");
        assert_eq!(key_path("", "odd key"), "[\"odd key\"]");
        assert_eq!(key_path("x", ""), "x[\"\"]");
        assert_eq!(key_path("x", "a.b"), "x[\"a.b\"]");
    }

    #[test]
    fn lists_of_mappings_with_unique_ids_are_named_by_id() {
        let goals = [json!({"id": "design-review"}), json!({"id": "mentor"})];
        assert_eq!(
            item_paths_by_id("goals", &goals),
            Some(vec![
                "goals[design-review]".to_owned(),
                "goals[mentor]".to_owned()
            ])
        );
        assert_eq!(item_paths_by_id("goals", &[]), Some(Vec::new()));
    }

    #[test]
    fn ids_that_could_pass_for_an_index_or_are_not_plain_are_quoted() {
        let items = [
            json!({"id": "42"}),
            json!({"id": "two words"}),
            json!({"id": ""}),
        ];
        assert_eq!(
            item_paths_by_id("goals", &items),
            Some(vec![
                "goals[\"42\"]".to_owned(),
                "goals[\"two words\"]".to_owned(),
                "goals[\"\"]".to_owned()
            ])
        );
    }

    #[test]
    fn other_lists_are_named_by_position() {
        let repeated = [json!({"id": "a"}), json!({"id": "a"})];
        assert_eq!(item_paths_by_id("goals", &repeated), None);
        let unnamed = [json!({"id": "a"}), json!({"goal": "b"})];
        assert_eq!(item_paths_by_id("goals", &unnamed), None);
        let numbered = [json!({"id": 1})];
        assert_eq!(item_paths_by_id("goals", &numbered), None);
        assert_eq!(item_paths_by_id("scope.in", &[json!("design")]), None);
        assert_eq!(index_path("scope.in", 2), "scope.in[2]");
    }
}
