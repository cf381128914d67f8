//! One-line descriptions of a set of changes, for `charter log`, commit
//! messages and headers.

use std::collections::HashMap;

use super::{closing_quote, show, words, Change, ChangeKind};

/// The longest summary, in characters.
const SUMMARY_CHARS: usize = 100;
/// Scalar values longer than this are not quoted in a summary.
const SUMMARY_VALUE_CHARS: usize = 24;

/// Counts material and editorial changes: `3 material changes, 1 editorial`,
/// `1 editorial change`, `no changes`.
///
/// It exists because the first thing a reviewer needs to know about an
/// amendment is whether it is subject to the notice period (README, "History, notice and states").
pub fn headline(changes: &[Change]) -> String {
    let material = changes.iter().filter(|c| c.material).count();
    let editorial = changes.len() - material;
    use crate::plural::count;
    match (material, editorial) {
        (0, 0) => "no changes".to_owned(),
        (m, 0) => count(m, "material change"),
        (0, e) => count(e, "editorial change"),
        (m, e) => format!("{}, {e} editorial", count(m, "material change")),
    }
}

/// Describes the changes on one line of about 100 characters, for
/// `charter log`: `goals: +1 ~2; meetings.cadence biweekly → monthly; title
/// changed`.
///
/// Changes to list items are counted per list (`+` added, `-` removed, `~`
/// changed, `↕` moved); short scalar changes are shown as `old → new`; what
/// does not fit ends in `…`.
pub fn summary(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no changes".to_owned();
    }
    let detailed = parts_of(changes);
    if total_chars(&detailed) <= SUMMARY_CHARS {
        return detailed.join("; ");
    }
    fit(&parts_by_section(changes), SUMMARY_CHARS)
}

/// Parts for an amendment too large to list: one per section, which is
/// either its only part (`renegotiation.notice 14d → 21d`, `goals: +1 ~2`)
/// or a count (`meetings: 5 changes`).
fn parts_by_section(changes: &[Change]) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = changes;
    while let Some(first) = rest.first() {
        let section = first.section();
        let len = rest
            .iter()
            .position(|c| c.section() != section)
            .unwrap_or(rest.len());
        let (group, tail) = rest.split_at(len);
        match parts_of(group).as_slice() {
            [only] => parts.push(only.clone()),
            _ => parts.push(format!(
                "{section}: {}",
                crate::plural::count(len, "change")
            )),
        }
        rest = tail;
    }
    parts
}

fn total_chars(parts: &[String]) -> usize {
    let separators = 2 * parts.len().saturating_sub(1);
    parts.iter().map(|p| p.chars().count()).sum::<usize>() + separators
}

/// Tallies of the items of one list.
#[derive(Default)]
struct ListTally<'a> {
    added: usize,
    removed: usize,
    changed: usize,
    moved: usize,
    /// The last item counted as changed, so several field changes of one
    /// item count once (they are adjacent).
    last_changed: Option<&'a str>,
}

impl ListTally<'_> {
    fn text(&self, list: &str) -> String {
        let counts = [
            ('+', self.added),
            ('-', self.removed),
            ('~', self.changed),
            ('↕', self.moved),
        ];
        let counts: Vec<String> = counts
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(sign, n)| format!("{sign}{n}"))
            .collect();
        format!("{list}: {}", counts.join(" "))
    }
}

/// A piece of the summary: a whole list's tally or one change.
enum Part<'a> {
    List(&'a str, ListTally<'a>),
    Single(String),
}

/// One part per change outside lists and one per list, in order of first
/// appearance.
fn parts_of(changes: &[Change]) -> Vec<String> {
    let mut parts: Vec<Part> = Vec::new();
    let mut lists: HashMap<&str, usize> = HashMap::new();
    for change in changes {
        let Some((list, item)) = list_item(&change.path) else {
            parts.push(Part::Single(single(change)));
            continue;
        };
        let at = *lists.entry(list).or_insert_with(|| {
            parts.push(Part::List(list, ListTally::default()));
            parts.len() - 1
        });
        if let Part::List(_, tally) = &mut parts[at] {
            count(tally, change, item);
        }
    }
    parts
        .into_iter()
        .map(|part| match part {
            Part::List(list, tally) => tally.text(list),
            Part::Single(text) => text,
        })
        .collect()
}

fn count<'a>(tally: &mut ListTally<'a>, change: &'a Change, item: &'a str) {
    let whole_item = change.path.len() == item.len();
    match change.kind {
        ChangeKind::Added if whole_item => tally.added += 1,
        ChangeKind::Removed if whole_item => tally.removed += 1,
        ChangeKind::Moved if whole_item => tally.moved += 1,
        _ if tally.last_changed != Some(item) => {
            tally.changed += 1;
            tally.last_changed = Some(item);
        }
        _ => {}
    }
}

/// One change outside lists: `meetings.cadence biweekly → monthly`,
/// `term.end added`, `purpose changed`.
fn single(change: &Change) -> String {
    let path = &change.path;
    match (change.kind, &change.old, &change.new) {
        (ChangeKind::Changed, Some(old), Some(new)) => match (brief(old), brief(new)) {
            (Some(old), Some(new)) => format!("{path} {old} → {new}"),
            _ => format!("{path} changed"),
        },
        (ChangeKind::Added, ..) => format!("{path} added"),
        (ChangeKind::Removed, ..) => format!("{path} removed"),
        (ChangeKind::Moved, ..) => format!("{path} moved"),
        (ChangeKind::Changed, ..) => format!("{path} changed"),
    }
}

/// A scalar short enough to quote in a summary.
fn brief(value: &serde_json::Value) -> Option<String> {
    if show::is_structured(value) || value.as_str().is_some_and(words::is_prose) {
        return None;
    }
    let text = show::inline(value);
    (text.chars().count() <= SUMMARY_VALUE_CHARS).then_some(text)
}

/// For a path inside a list item, the list (`goals`) and the item
/// (`goals[design-review]`).
fn list_item(path: &str) -> Option<(&str, &str)> {
    let open = path.char_indices().skip(1).find(|&(_, c)| c == '[')?.0;
    let rest = &path[open..];
    let len = match rest.strip_prefix("[\"") {
        Some(quoted) => closing_quote(quoted)? + 4,
        None => rest.find(']')? + 1,
    };
    Some((&path[..open], &path[..open + len.min(rest.len())]))
}

/// Joins parts with `; ` within `limit` characters, ending in `…` when some
/// are left out.
fn fit(parts: &[String], limit: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for (n, part) in parts.iter().enumerate() {
        let len = part.chars().count();
        if n == 0 {
            if len > limit {
                out.extend(part.chars().take(limit - 1));
                out.push('…');
                return out;
            }
        } else {
            let reserve = if n + 1 == parts.len() { 0 } else { 3 };
            if used + 2 + len + reserve > limit {
                out.push_str(if used + 3 <= limit { "; …" } else { "…" });
                return out;
            }
            out.push_str("; ");
            used += 2;
        }
        out.push_str(part);
        used += len;
    }
    out
}
