//! Turning the bytes of a YAML file into located plain data and typed models,
//! with every failure expressed as a located [`Finding`].

use serde::de::DeserializeOwned;

use crate::finding::Finding;
use crate::yaml::{self, Node, Pos, Segment, Value};

/// Largest file charter reads; agreements are a few kilobytes.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Parse the bytes of `file` into a located tree, or say why not.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Node, Finding> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Finding::new(
            crate::finding::Rule::YamlSyntax,
            file,
            format!("the file is larger than {MAX_FILE_BYTES} bytes, the most charter reads"),
        )
        .hint("agreements are short documents; split or trim this file"));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let pos = position_of_byte(bytes, e.valid_up_to());
        Finding::new(
            crate::finding::Rule::YamlSyntax,
            file,
            "the file is not valid UTF-8",
        )
        .at(pos)
        .hint("save the file as UTF-8 text")
    })?;
    if text.contains('\0') {
        let offset = text.find('\0').unwrap_or(0);
        return Err(Finding::new(
            crate::finding::Rule::YamlSyntax,
            file,
            "the file contains NUL bytes; it looks binary",
        )
        .at(position_of_byte(bytes, offset))
        .hint("agreements are plain UTF-8 text"));
    }
    yaml::parse(text.strip_prefix('\u{feff}').unwrap_or(text)).map_err(|e| {
        let finding = Finding::new(crate::finding::Rule::YamlSyntax, file, e.message).at(e.pos);
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
        let pos = if pointed.is_empty() {
            start_of(node)
        } else if unknown_key {
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
        Finding::new(crate::finding::Rule::Schema, file, message)
            .at(pos)
            .hint(hint)
    })
}

/// Like [`typed`], but when the data does not fit the model, report every
/// structural problem at once (each missing field, unknown key and value of
/// the wrong kind, located), not only the first one serde meets.
///
/// serde stops at its first error, so the tree is also walked against the
/// JSON Schema generated from the same type (`$ref`, `anyOf`/`oneOf`,
/// `type`, `properties`, `required`, `additionalProperties`, `items`,
/// `const`). serde's own finding is kept, worded as before; the walk adds
/// the others. Problems only serde sees (a malformed date, say) are
/// reported one at a time, after the structural ones are fixed.
pub fn typed_all<T: DeserializeOwned + schemars::JsonSchema>(
    file: &str,
    node: &Node,
) -> Result<T, Vec<Finding>> {
    let first = match typed::<T>(file, node) {
        Ok(value) => return Ok(value),
        Err(f) => f,
    };
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let schema = serde_json::to_value(generator.into_root_schema_for::<T>()).unwrap_or_default();
    let mut walk = Walk {
        file,
        root: node,
        defs: schema.get("$defs"),
        path: Vec::new(),
        found: Vec::new(),
    };
    walk.node(node, &schema);
    let mut found = walk.found;
    let key = |f: &Finding| (f.line, f.column, field_named(&f.message));
    match found.iter().position(|f| key(f) == key(&first)) {
        Some(i) => found[i] = first,
        None => found.push(first),
    }
    found.sort_by_key(|f| (f.line, f.column));
    Err(found)
}

/// Where a finding about the whole document points: its first key (the
/// parser places a block mapping after it), or where the document starts.
fn start_of(node: &Node) -> Pos {
    match &node.value {
        Value::Map(entries) => entries.first().map_or(node.pos, |(k, _)| k.pos),
        _ => node.pos,
    }
}

/// The field a missing- or unknown-field message names, if any.
fn field_named(message: &str) -> Option<String> {
    for marker in ["missing field `", "unknown field `"] {
        if let Some(i) = message.find(marker) {
            let rest = &message[i + marker.len()..];
            return rest.split('`').next().map(|f| format!("{marker}{f}"));
        }
    }
    None
}

/// One step of a path, owned, for messages in serde_path_to_error's form.
enum Step {
    Key(String),
    Index(usize),
}

struct Walk<'a> {
    file: &'a str,
    root: &'a Node,
    defs: Option<&'a serde_json::Value>,
    path: Vec<Step>,
    found: Vec<Finding>,
}

impl<'a> Walk<'a> {
    fn path_text(&self) -> String {
        let mut text = String::new();
        for step in &self.path {
            match step {
                Step::Key(k) if text.is_empty() => text.push_str(k),
                Step::Key(k) => {
                    text.push('.');
                    text.push_str(k);
                }
                Step::Index(i) => text.push_str(&format!("[{i}]")),
            }
        }
        text
    }

    fn here(&self) -> Pos {
        if self.path.is_empty() {
            return start_of(self.root);
        }
        let segments: Vec<Segment<'_>> = self
            .path
            .iter()
            .map(|s| match s {
                Step::Key(k) => Segment::Key(k),
                Step::Index(i) => Segment::Index(*i),
            })
            .collect();
        self.root.locate(segments)
    }

    fn report(&mut self, pos: Pos, message: String, hint: &str) {
        let path = self.path_text();
        let message = if path.is_empty() {
            message
        } else {
            format!("`{path}`: {message}")
        };
        self.found.push(
            Finding::new(crate::finding::Rule::Schema, self.file, message)
                .at(pos)
                .hint(hint),
        );
    }

    /// Follow `$ref`s into `$defs`.
    fn resolve(&self, mut schema: &'a serde_json::Value) -> &'a serde_json::Value {
        for _ in 0..32 {
            let Some(name) = schema
                .get("$ref")
                .and_then(|r| r.as_str())
                .and_then(|r| r.strip_prefix("#/$defs/"))
            else {
                break;
            };
            match self.defs.and_then(|d| d.get(name)) {
                Some(s) => schema = s,
                None => break,
            }
        }
        schema
    }

    fn node(&mut self, node: &'a Node, schema: &'a serde_json::Value) {
        let schema = self.resolve(schema);
        if let Some(branches) = schema.get("anyOf").and_then(|b| b.as_array()) {
            let is_null =
                |s: &serde_json::Value| s.get("type").and_then(|t| t.as_str()) == Some("null");
            if node.value == Value::Null && branches.iter().any(is_null) {
                return;
            }
            if let Some(branch) = branches.iter().find(|b| !is_null(b)) {
                self.node(node, branch);
            }
            return;
        }
        if let Some(branches) = schema.get("oneOf").and_then(|b| b.as_array()) {
            let consts: Vec<&str> = branches
                .iter()
                .filter_map(|b| b.get("const").and_then(|c| c.as_str()))
                .collect();
            if consts.len() == branches.len() {
                if let Value::Str(s) = &node.value {
                    if !consts.contains(&s.as_str()) {
                        let expected: Vec<String> =
                            consts.iter().map(|c| format!("`{c}`")).collect();
                        self.report(
                            node.pos,
                            format!(
                                "unknown variant `{s}`, expected one of {}",
                                expected.join(", ")
                            ),
                            "see the schema in schema/ for the expected form",
                        );
                    }
                    return;
                }
                self.mismatch(node, "a string");
            }
            return;
        }
        let types: Vec<&str> = match schema.get("type") {
            Some(serde_json::Value::String(t)) => vec![t.as_str()],
            Some(serde_json::Value::Array(ts)) => ts.iter().filter_map(|t| t.as_str()).collect(),
            _ => Vec::new(),
        };
        if node.value == Value::Null && types.contains(&"null") {
            return;
        }
        let Some(expected) = types.iter().copied().find(|t| *t != "null") else {
            return;
        };
        match (expected, &node.value) {
            ("object", Value::Map(entries)) => self.mapping(entries, schema),
            ("array", Value::Seq(items)) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.path.push(Step::Index(i));
                        self.node(item, item_schema);
                        self.path.pop();
                    }
                }
            }
            ("string", Value::Str(_))
            | ("integer", Value::Int(_))
            | ("boolean", Value::Bool(_)) => {}
            ("object", _) => self.mismatch(node, "a mapping"),
            ("array", _) => self.mismatch(node, "a list"),
            ("string", _) => self.mismatch(node, "a string"),
            ("integer", _) => self.mismatch(node, "an integer"),
            ("boolean", _) => self.mismatch(node, "a boolean"),
            _ => {}
        }
    }

    fn mismatch(&mut self, node: &Node, expected: &str) {
        let found = crate::yaml::kind_name(&node.value);
        self.report(
            node.pos,
            format!("invalid type: {found}, expected {expected}"),
            "see the schema in schema/ for the expected form",
        );
    }

    fn mapping(&mut self, entries: &'a [(crate::yaml::Key, Node)], schema: &'a serde_json::Value) {
        static EMPTY: std::sync::OnceLock<serde_json::Map<String, serde_json::Value>> =
            std::sync::OnceLock::new();
        let properties = schema
            .get("properties")
            .and_then(|p| p.as_object())
            .unwrap_or_else(|| EMPTY.get_or_init(serde_json::Map::new));
        let closed = schema.get("additionalProperties") == Some(&serde_json::Value::Bool(false));
        for (key, value) in entries {
            match properties.get(&key.name) {
                Some(property) => {
                    self.path.push(Step::Key(key.name.clone()));
                    self.node(value, property);
                    self.path.pop();
                }
                None if closed => {
                    let expected: Vec<String> =
                        properties.keys().map(|k| format!("`{k}`")).collect();
                    self.path.push(Step::Key(key.name.clone()));
                    self.report(
                        key.pos,
                        format!(
                            "unknown field `{}`, expected one of {}",
                            key.name,
                            expected.join(", ")
                        ),
                        "check the spelling; unknown keys are refused so typos cannot pass silently",
                    );
                    self.path.pop();
                }
                None => {}
            }
        }
        for name in schema
            .get("required")
            .and_then(|r| r.as_array())
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str())
        {
            if !entries.iter().any(|(k, _)| k.name == name) {
                let pos = self.here();
                self.report(
                    pos,
                    format!("missing field `{name}`"),
                    "add the missing field; see the schema in schema/ or `charter new` for an example",
                );
            }
        }
    }
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
    fn every_structural_error_is_reported_at_once() {
        let text = "\
# a comment
title: [not, a, string]
parties:
  mentor: {name: Grace}
  mentee: {name: Ada, email: ada@example.com, phone: 1}
goals:
  - {id: a, goal: b}
";
        let node = parse("f.yaml", text.as_bytes()).unwrap();
        let all = typed_all::<crate::agreement::Agreement>("f.yaml", &node).unwrap_err();
        let has = |line: usize, text: &str| {
            all.iter()
                .any(|f| f.line == Some(line) && f.message.contains(text))
        };
        assert!(has(2, "missing field `purpose`"), "{all:#?}");
        assert!(has(2, "`title`: invalid type"), "{all:#?}");
        assert!(
            has(4, "`parties.mentor`: missing field `email`"),
            "{all:#?}"
        );
        assert!(
            has(5, "`parties.mentee.phone`: unknown field `phone`"),
            "{all:#?}"
        );
        assert!(has(7, "`goals[0]`: missing field `measure`"), "{all:#?}");
        assert!(all.iter().all(|f| f.rule == "schema" && f.column.is_some()));
        // Sorted by place, each problem once.
        let places: Vec<_> = all.iter().map(|f| (f.line, f.column)).collect();
        let mut sorted = places.clone();
        sorted.sort();
        assert_eq!(places, sorted);
        let messages: std::collections::HashSet<_> = all.iter().map(|f| &f.message).collect();
        assert_eq!(messages.len(), all.len(), "{all:#?}");
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
