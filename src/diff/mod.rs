//! Semantic differences between two versions of an agreement.
//!
//! Reviewers of a mentoring agreement care about what changed in the
//! agreement, not which lines of YAML moved: a reordered goal list, a
//! reflowed paragraph or a new comment says nothing to them, while a
//! shorter notice period says a lot. This module compares the *data* of two
//! versions (the YAML parsed into plain JSON values) and reports each change
//! with a path such as `goals[design-review].due`, its kind, the old and new
//! values, and whether it is material (README, "History, notice and states").
//!
//! The module is pure: data in, changes and text out. Reading revisions,
//! choosing colours and deciding exit codes belong to the callers.
//!
//! How values are compared:
//! - mappings key by key;
//! - lists whose items are all mappings with a unique string `id` (goals)
//!   are matched by `id`, so a reorder is a move, not a removal and an
//!   addition;
//! - other lists are compared as sequences: items are added, removed or
//!   moved; a mapping replaced in place is compared field by field;
//! - anything else that differs, including a change of type, is one
//!   `changed`; long text is still one change, shown word by word.

pub mod compare;
mod engine;
mod path;
mod render;
mod show;
mod summary;
mod words;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use compare::{compare_file, Comparison, Content, Outcome};
pub use path::{index_path, item_paths_by_id, key_path};
pub use render::{render_markdown, render_text, LEGEND, LEGEND_MARKDOWN};
pub use summary::{headline, summary};

/// What happened at a path, so that readers and tools can tell an addition
/// from an edit without comparing `old` and `new` themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// The path exists only in the new version; `new` holds its value.
    Added,
    /// The path exists only in the old version; `old` holds its value.
    Removed,
    /// The value at the path differs; `old` and `new` hold both values.
    Changed,
    /// A list item kept its value (or, for items matched by `id`, its
    /// identity) but changed position; `old` and `new` both hold the item as
    /// it was and as it is, and the path names its new position.
    Moved,
}

/// One semantic change between two versions of an agreement.
///
/// It exists so that `diff`, `log`, `amend` and `check` all describe an
/// amendment the same way, and so that JSON consumers get a stable shape:
/// `{"path","kind","old","new","material"}` with `old`/`new` null when absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Where the change is: `meetings.cadence`, `goals[design-review].due`,
    /// `scope.in[2]` (index in the new list, or in the old list for a
    /// removal). Keys that are not plain identifiers are quoted:
    /// `notes["odd key"]`.
    pub path: String,
    /// What kind of change it is.
    pub kind: ChangeKind,
    /// The value before, absent for an addition.
    pub old: Option<Value>,
    /// The value after, absent for a removal.
    pub new: Option<Value>,
    /// False only for editorial changes (under `title` or `framework`,
    /// README, "History, notice and states"), which are not subject to the notice period.
    pub material: bool,
}

impl Change {
    /// The top-level section the change belongs to (`goals` for
    /// `goals[design-review].due`), used to group changes for display.
    pub fn section(&self) -> &str {
        section_of(&self.path)
    }
}

/// Computes the semantic changes that turn `old` into `new`.
///
/// Both values are agreement data as parsed from YAML: objects, arrays,
/// strings, integers, booleans and null. A `null` at the top level stands
/// for an absent agreement and is treated as an empty mapping, so a new
/// agreement diffs as one addition per section. The result is empty when the
/// two are equal, and its order is stable: keys in the order of `new`, then
/// removed keys; list items in list order.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    engine::diff_documents(old, new)
}

/// Whether any change in the list is material, i.e. makes an amendment
/// subject to the notice period (README, "History, notice and states").
pub fn is_material(changes: &[Change]) -> bool {
    changes.iter().any(|c| c.material)
}

/// The leading key of a path: everything before the first `.` or `[`, or the
/// whole quoted key when the path starts with one.
fn section_of(path: &str) -> &str {
    let end = match path.strip_prefix("[\"") {
        Some(quoted) => closing_quote(quoted).map_or(path.len(), |i| i + 4),
        None => path.find(['.', '[']).unwrap_or(path.len()),
    };
    &path[..end.min(path.len())]
}

/// Byte offset of the `"` that ends a JSON string body, skipping escapes.
fn closing_quote(body: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i),
            _ => {}
        }
    }
    None
}
