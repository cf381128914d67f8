//! The comparison itself: one walk over both values that emits changes.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};
use similar::{capture_diff_slices, Algorithm, DiffOp, DiffTag};

use super::path::{by_id, id_path, index_path, key_path};
use super::{words, Change, ChangeKind};

/// Top-level keys whose changes are editorial (README, "History, notice and states").
const EDITORIAL_SECTIONS: [&str; 2] = ["title", "framework"];

/// Diffs two documents; a `null` side is an absent agreement.
pub(super) fn diff_documents(old: &Value, new: &Value) -> Vec<Change> {
    let empty = Value::Object(Map::new());
    let old = if old.is_null() { &empty } else { old };
    let new = if new.is_null() { &empty } else { new };
    let mut walker = Walker::default();
    walker.value(&Spot::root(), old, new);
    walker.changes
}

/// Where the walk is: the path so far and whether changes there are material.
struct Spot {
    path: String,
    material: bool,
}

impl Spot {
    fn root() -> Self {
        Spot {
            path: String::new(),
            material: true,
        }
    }

    /// The spot of a mapping key below this one.
    fn key(&self, key: &str) -> Spot {
        let material = if self.path.is_empty() {
            !EDITORIAL_SECTIONS.contains(&key)
        } else {
            self.material
        };
        Spot {
            path: key_path(&self.path, key),
            material,
        }
    }

    /// The spot of a list item found by position.
    fn index(&self, index: usize) -> Spot {
        Spot {
            path: index_path(&self.path, index),
            material: self.material,
        }
    }

    /// The spot of a list item found by `id`.
    fn id(&self, id: &str) -> Spot {
        Spot {
            path: id_path(&self.path, id),
            material: self.material,
        }
    }
}

/// Collects changes while walking both values in step.
#[derive(Default)]
struct Walker {
    changes: Vec<Change>,
}

impl Walker {
    fn push(&mut self, at: &Spot, kind: ChangeKind, old: Option<&Value>, new: Option<&Value>) {
        self.changes.push(Change {
            path: at.path.clone(),
            kind,
            old: old.cloned(),
            new: new.cloned(),
            material: at.material,
        });
    }

    fn value(&mut self, at: &Spot, old: &Value, new: &Value) {
        if old == new {
            return;
        }
        match (old, new) {
            (Value::Object(old), Value::Object(new)) => self.mapping(at, old, new),
            (Value::Array(old), Value::Array(new)) => self.list(at, old, new),
            _ => self.push(at, ChangeKind::Changed, Some(old), Some(new)),
        }
    }

    fn mapping(&mut self, at: &Spot, old: &Map<String, Value>, new: &Map<String, Value>) {
        for (key, new_value) in new {
            let here = at.key(key);
            match old.get(key) {
                Some(old_value) => self.value(&here, old_value, new_value),
                None => self.push(&here, ChangeKind::Added, None, Some(new_value)),
            }
        }
        for (key, old_value) in old {
            if !new.contains_key(key) {
                self.push(&at.key(key), ChangeKind::Removed, Some(old_value), None);
            }
        }
    }

    fn list(&mut self, at: &Spot, old: &[Value], new: &[Value]) {
        match (by_id(old), by_id(new)) {
            (Some(old), Some(new)) => self.keyed_list(at, &old, &new),
            _ => self.sequence(at, old, new),
        }
    }

    /// Items matched by `id`: added, removed, moved, or changed field by field.
    fn keyed_list(&mut self, at: &Spot, old: &[(&str, &Value)], new: &[(&str, &Value)]) {
        let old_items: HashMap<&str, (usize, &Value)> = old
            .iter()
            .enumerate()
            .map(|(index, &(id, item))| (id, (index, item)))
            .collect();
        let new_ids: HashSet<&str> = new.iter().map(|(id, _)| *id).collect();
        let moved = moved_ids(new, &old_items);
        for &(id, new_item) in new {
            let here = at.id(id);
            match old_items.get(id) {
                None => self.push(&here, ChangeKind::Added, None, Some(new_item)),
                Some(&(_, old_item)) => {
                    if moved.contains(id) {
                        // Items with ids mean the same in any order: moving
                        // one is editorial (its edits, if any, are not).
                        let editorial = Spot {
                            path: here.path.clone(),
                            material: false,
                        };
                        self.push(
                            &editorial,
                            ChangeKind::Moved,
                            Some(old_item),
                            Some(new_item),
                        );
                    }
                    self.value(&here, old_item, new_item);
                }
            }
        }
        for &(id, old_item) in old {
            if !new_ids.contains(id) {
                self.push(&at.id(id), ChangeKind::Removed, Some(old_item), None);
            }
        }
    }

    /// Items matched by value and position (strings, observers, anything
    /// without ids): an item deleted in one place and inserted elsewhere is a
    /// move; an item replaced in place by a similar one is compared inside.
    fn sequence(&mut self, at: &Spot, old: &[Value], new: &[Value]) {
        let (old_keys, new_keys) = intern(old, new);
        let ops = capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys);
        let moves = Moves::find(&ops, &old_keys, &new_keys);
        for op in ops.iter().filter(|op| op.tag() != DiffTag::Equal) {
            let (removed, plan) = plan_region(op, old, new, &moves);
            for i in removed {
                self.push(&at.index(i), ChangeKind::Removed, Some(&old[i]), None);
            }
            for (j, slot) in plan {
                let here = at.index(j);
                match slot {
                    Slot::Moved(i) => {
                        self.push(&here, ChangeKind::Moved, Some(&old[i]), Some(&new[j]))
                    }
                    Slot::Paired(i) => self.value(&here, &old[i], &new[j]),
                    Slot::Added => self.push(&here, ChangeKind::Added, None, Some(&new[j])),
                }
            }
        }
    }
}

/// Decides, for one changed region of a list, which old items are removed
/// and what each new item is: moved, an old item edited, or added.
fn plan_region(
    op: &DiffOp,
    old: &[Value],
    new: &[Value],
    moves: &Moves,
) -> (Vec<usize>, Vec<(usize, Slot)>) {
    let mut olds = op.old_range().filter(|&i| !moves.old_moved[i]).peekable();
    let plan = op
        .new_range()
        .map(|j| {
            let slot = if let Some(i) = moves.new_from[j] {
                Slot::Moved(i)
            } else if let Some(i) = olds.next_if(|&i| pairable(&old[i], &new[j])) {
                Slot::Paired(i)
            } else {
                Slot::Added
            };
            (j, slot)
        })
        .collect();
    (olds.collect(), plan)
}

/// What becomes of a new list item that is not part of an unchanged run.
enum Slot {
    /// It is the old item at this index, moved.
    Moved(usize),
    /// It replaces the old item at this index and is compared with it.
    Paired(usize),
    /// It is new.
    Added,
}

/// Ids kept on both sides whose relative order changed. The items that
/// stay are a longest run of kept items in their old relative order (a
/// longest increasing subsequence of old positions, in new order), so a
/// reorder moves as few items as possible, in O(n log n).
fn moved_ids<'a>(
    new: &[(&'a str, &Value)],
    old_items: &HashMap<&str, (usize, &Value)>,
) -> HashSet<&'a str> {
    let kept: Vec<(&str, usize)> = new
        .iter()
        .filter_map(|(id, _)| old_items.get(id).map(|&(index, _)| (*id, index)))
        .collect();
    let old_positions: Vec<usize> = kept.iter().map(|&(_, index)| index).collect();
    kept.iter()
        .zip(longest_increasing(&old_positions))
        .filter(|(_, stays)| !stays)
        .map(|(&(id, _), _)| id)
        .collect()
}

/// Marks the members of one longest strictly increasing subsequence
/// (patience sorting with back links).
fn longest_increasing(values: &[usize]) -> Vec<bool> {
    // tails[k]: index of the smallest value ending an increasing run of k+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; values.len()];
    for (i, &value) in values.iter().enumerate() {
        let len = tails.partition_point(|&t| values[t] < value);
        previous[i] = len.checked_sub(1).map(|k| tails[k]);
        if len == tails.len() {
            tails.push(i);
        } else {
            tails[len] = i;
        }
    }
    let mut members = vec![false; values.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        members[i] = true;
        at = previous[i];
    }
    members
}

/// Maps equal values to equal small integers so that `similar` can diff the
/// lists cheaply.
fn intern(old: &[Value], new: &[Value]) -> (Vec<usize>, Vec<usize>) {
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut key = |value: &Value| {
        let next = ids.len();
        *ids.entry(value.to_string()).or_insert(next)
    };
    let old_keys = old.iter().map(&mut key).collect();
    let new_keys = new.iter().map(&mut key).collect();
    (old_keys, new_keys)
}

/// Items deleted in one place and inserted, unchanged, in another.
struct Moves {
    /// For each new index, the old index it moved from.
    new_from: Vec<Option<usize>>,
    /// For each old index, whether it moved.
    old_moved: Vec<bool>,
}

impl Moves {
    fn find(ops: &[DiffOp], old_keys: &[usize], new_keys: &[usize]) -> Self {
        let mut moves = Moves {
            new_from: vec![None; new_keys.len()],
            old_moved: vec![false; old_keys.len()],
        };
        let mut deleted: HashMap<usize, Vec<usize>> = HashMap::new();
        for op in ops.iter().rev() {
            if op.tag() != DiffTag::Equal {
                for i in op.old_range().rev() {
                    deleted.entry(old_keys[i]).or_default().push(i);
                }
            }
        }
        for op in ops.iter().filter(|op| op.tag() != DiffTag::Equal) {
            for j in op.new_range() {
                if let Some(i) = deleted.get_mut(&new_keys[j]).and_then(Vec::pop) {
                    moves.new_from[j] = Some(i);
                    moves.old_moved[i] = true;
                }
            }
        }
        moves
    }
}

/// Whether two items at the same place are one item edited (compared
/// inside) rather than one removed and another added.
fn pairable(old: &Value, new: &Value) -> bool {
    match (old, new) {
        (Value::Object(old), Value::Object(new)) => {
            let shared = old
                .iter()
                .filter(|(key, value)| new.get(key.as_str()) == Some(*value))
                .count();
            shared * 2 >= old.len().max(new.len())
        }
        (Value::Array(_), Value::Array(_)) => true,
        (Value::String(old), Value::String(new)) => words::is_rewording(old, new),
        _ => false,
    }
}
