//! The semantic diff engine over arbitrary plain data (the shapes YAML can
//! produce): no panics, an empty diff exactly for equal values, and
//! renderers that accept every change.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

/// Plain data as charter's YAML reader produces it, with small alphabets so
/// the two sides share keys, ids and strings often.
#[derive(Arbitrary, Debug)]
enum Data {
    Null,
    Bool(bool),
    Int(i8),
    Text(Word),
    Long(Vec<Word>),
    List(Vec<Data>),
    Map(Vec<(Word, Data)>),
    Goal(Word, Vec<(Word, Data)>),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Word {
    Id,
    A,
    B,
    C,
    Title,
    Framework,
    Goals,
    Odd,
    Digits,
    Empty,
    Unicode,
}

impl Word {
    fn text(self) -> &'static str {
        match self {
            Word::Id => "id",
            Word::A => "a",
            Word::B => "b",
            Word::C => "c",
            Word::Title => "title",
            Word::Framework => "framework",
            Word::Goals => "goals",
            Word::Odd => "odd key.[\"x\"]",
            Word::Digits => "12",
            Word::Empty => "",
            Word::Unicode => "é\u{200b}\n",
        }
    }
}

impl Data {
    fn to_json(&self, depth: usize) -> Value {
        if depth > 6 {
            return Value::Null;
        }
        match self {
            Data::Null => Value::Null,
            Data::Bool(b) => Value::Bool(*b),
            Data::Int(i) => Value::from(*i),
            Data::Text(w) => Value::from(w.text()),
            Data::Long(words) => {
                Value::from(words.iter().map(|w| w.text()).collect::<Vec<_>>().join(" "))
            }
            Data::List(items) => Value::Array(items.iter().map(|d| d.to_json(depth + 1)).collect()),
            Data::Map(entries) => Value::Object(map(entries, depth)),
            Data::Goal(id, entries) => {
                let mut m = map(entries, depth);
                m.insert("id".into(), Value::from(id.text()));
                Value::Object(m)
            }
        }
    }
}

fn map(entries: &[(Word, Data)], depth: usize) -> Map<String, Value> {
    entries
        .iter()
        .map(|(k, v)| (k.text().to_owned(), v.to_json(depth + 1)))
        .collect()
}

fuzz_target!(|pair: (Data, Data)| {
    let old = pair.0.to_json(0);
    let new = pair.1.to_json(0);
    let changes = charter::diff::diff(&old, &new);
    let empty = |v: &Value| v.is_null() || v == &Value::Object(Map::new());
    let same = old == new || (empty(&old) && empty(&new));
    assert_eq!(changes.is_empty(), same, "{old} → {new}: {changes:?}");
    assert!(charter::diff::diff(&new, &new).is_empty());
    for change in &changes {
        let _ = change.section();
    }
    let _ = charter::diff::headline(&changes);
    let _ = charter::diff::summary(&changes);
    let mut sink = Vec::new();
    charter::diff::render_text(&changes, &mut sink, true).unwrap();
    charter::diff::render_markdown(&changes, &mut sink).unwrap();
});
