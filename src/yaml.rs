//! The one place that knows which YAML library charter uses.
//!
//! Agreements are parsed into a small located tree ([`Node`]) under the YAML
//! 1.2 core schema, with the restrictions of the README's "Version ids": no tags,
//! no non-string or duplicate keys, no merge keys, one document, integers only
//! and within ±(2^53−1). Every node keeps the line and column where it starts,
//! so that findings about any value can point at it. Aliases are expanded,
//! within a budget, so an alias bomb becomes a finding instead of an
//! allocation storm. Swapping the parser means changing this file only.

use std::collections::{HashMap, HashSet};
use std::fmt;

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, Scanner, TScalarStyle, Token, TokenType};

/// Deepest nesting of mappings and sequences accepted; agreements need about 5.
pub const MAX_DEPTH: usize = 64;
/// Most nodes a document may expand to (aliases included); bounds memory.
pub const MAX_NODES: usize = 250_000;
/// How many times its own size a document's text (keys and scalars, aliases
/// expanded) may grow to: a few small anchors reused are fine, one large
/// anchor repeated thousands of times is an allocation storm.
pub const EXPANSION_FACTOR: usize = 16;
/// The text budget of a small document, whatever its size.
pub const MIN_EXPANSION_BYTES: usize = 64 * 1024;
/// Largest integer a version id may carry, so that every JSON reader agrees on it.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// A 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Pos {
    fn from_marker(m: &Marker) -> Self {
        // yaml-rust2 counts columns from 0 and lines from 1.
        Pos {
            line: m.line().max(1),
            column: m.col() + 1,
        }
    }
}

/// A parsed value with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value itself.
    pub value: Value,
    /// Where the value starts in the source.
    pub pos: Pos,
}

/// A mapping key with its own position, so findings can point at the key.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key text.
    pub name: String,
    /// Where the key starts.
    pub pos: Pos,
}

/// Plain data: what the YAML 1.2 core schema leaves once charter's limits apply.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer within ±(2^53−1).
    Int(i64),
    /// Any string, quoted or plain.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, keys in document order.
    Map(Vec<(Key, Node)>),
}

/// Why a document could not be turned into plain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Where the problem is, when the parser knows.
    pub pos: Pos,
    /// What is wrong, in words.
    pub message: String,
    /// What to do about it, when there is something to say.
    pub hint: Option<String>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.pos.line, self.pos.column, self.message)
    }
}

impl std::error::Error for Error {}

fn err(pos: Pos, message: impl Into<String>, hint: Option<&str>) -> Error {
    Error {
        pos,
        message: message.into(),
        hint: hint.map(str::to_owned),
    }
}

/// Parse one YAML document into a located tree. An empty document is `Null`.
pub fn parse(text: &str) -> Result<Node, Error> {
    check_version(text)?;
    Builder::new(text).run()
}

/// Refuse a `%YAML` directive of a major version other than 1: YAML 1.2.2
/// §6.8.1 says a reader must reject a version it does not know, because the
/// same text may mean something else there.
fn check_version(text: &str) -> Result<(), Error> {
    let mut scanner = Scanner::new(text.chars());
    loop {
        match scanner.next_token() {
            Ok(Some(Token(_, TokenType::StreamStart(_) | TokenType::TagDirective(..)))) => {}
            Ok(Some(Token(mark, TokenType::VersionDirective(major, minor)))) if major != 1 => {
                return Err(err(
                    Pos::from_marker(&mark),
                    format!("`%YAML {major}.{minor}` names a YAML version charter cannot read; it reads YAML 1.x"),
                    Some("remove the `%YAML` line, or write `%YAML 1.2`"),
                ));
            }
            Ok(Some(Token(_, TokenType::VersionDirective(..)))) => {}
            // Anything else (content, or a syntax error the parser reports
            // with more context) ends the directives.
            _ => return Ok(()),
        }
    }
}

struct Builder<'a> {
    text: &'a str,
    parser: Parser<std::str::Chars<'a>>,
    anchors: HashMap<usize, Node>,
    nodes: usize,
    bytes: usize,
    byte_budget: usize,
}

enum Frame {
    Seq(Pos, usize, Vec<Node>),
    Map(Pos, usize, Vec<(Key, Node)>, Option<Key>, HashSet<String>),
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Self {
        Builder {
            text,
            parser: Parser::new_from_str(text),
            anchors: HashMap::new(),
            nodes: 0,
            bytes: 0,
            byte_budget: text
                .len()
                .saturating_mul(EXPANSION_FACTOR)
                .max(MIN_EXPANSION_BYTES),
        }
    }

    fn next(&mut self) -> Result<(Event, Pos), Error> {
        match self.parser.next_token() {
            Ok((event, mark)) => Ok((event, Pos::from_marker(&mark))),
            Err(e) => Err(err(
                Pos::from_marker(e.marker()),
                scan_message(e.info()),
                Some("fix the YAML syntax at or just before this place"),
            )),
        }
    }

    fn run(mut self) -> Result<Node, Error> {
        let mut root: Option<Node> = None;
        let mut documents = 0;
        loop {
            let (event, pos) = self.next()?;
            match event {
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
                Event::StreamEnd => break,
                Event::DocumentStart => {
                    documents += 1;
                    if documents > 1 {
                        return Err(err(
                            pos,
                            "a second YAML document starts here; a file holds exactly one",
                            Some("remove the `---` line and what follows, or split it into its own file"),
                        ));
                    }
                    root = Some(self.document()?);
                }
                other => {
                    return Err(err(pos, format!("unexpected YAML event {other:?}"), None));
                }
            }
        }
        Ok(root.unwrap_or(Node {
            value: Value::Null,
            pos: Pos { line: 1, column: 1 },
        }))
    }

    /// Builds one document iteratively (no recursion, so depth cannot blow the stack).
    fn document(&mut self) -> Result<Node, Error> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            let (event, pos) = self.next()?;
            // Only a plain `<<` can be a merge key; a quoted one is a string.
            let mut quoted = false;
            let finished: Node = match event {
                Event::Scalar(mut text, style, anchor, tag) => {
                    reject_tag(tag.as_ref(), pos)?;
                    if matches!(style, TScalarStyle::Literal | TScalarStyle::Folded) {
                        self.drop_invented_break(pos, &mut text);
                    }
                    quoted = style != TScalarStyle::Plain;
                    self.count_bytes(text.len(), pos)?;
                    let value = resolve_scalar(text, style, pos)?;
                    self.count(1, pos)?;
                    let node = Node { value, pos };
                    self.remember(anchor, &node);
                    node
                }
                Event::Alias(id) => {
                    let node = self.anchors.get(&id).ok_or_else(|| {
                        err(pos, "this alias names no anchor defined before it", None)
                    })?;
                    let (values, bytes) = (size(node), text_bytes(node));
                    self.count(values, pos)?;
                    self.count_bytes(bytes, pos)?;
                    // Cloned only once within budget, so the copy is bounded too.
                    let node = self.anchors[&id].clone();
                    Node { pos, ..node }
                }
                Event::SequenceStart(anchor, tag) => {
                    reject_tag(tag.as_ref(), pos)?;
                    self.push(&mut stack, Frame::Seq(pos, anchor, Vec::new()), pos)?;
                    continue;
                }
                Event::MappingStart(anchor, tag) => {
                    reject_tag(tag.as_ref(), pos)?;
                    self.push(
                        &mut stack,
                        Frame::Map(pos, anchor, Vec::new(), None, HashSet::new()),
                        pos,
                    )?;
                    continue;
                }
                Event::SequenceEnd => match stack.pop() {
                    Some(Frame::Seq(start, anchor, items)) => {
                        let node = Node {
                            value: Value::Seq(items),
                            pos: start,
                        };
                        self.remember(anchor, &node);
                        node
                    }
                    _ => return Err(err(pos, "unbalanced sequence end", None)),
                },
                Event::MappingEnd => match stack.pop() {
                    Some(Frame::Map(start, anchor, entries, _, _)) => {
                        let node = Node {
                            value: Value::Map(entries),
                            pos: start,
                        };
                        self.remember(anchor, &node);
                        node
                    }
                    _ => return Err(err(pos, "unbalanced mapping end", None)),
                },
                other => return Err(err(pos, format!("unexpected YAML event {other:?}"), None)),
            };
            match stack.last_mut() {
                None => return Ok(finished),
                Some(Frame::Seq(_, _, items)) => items.push(finished),
                Some(Frame::Map(_, _, entries, pending, seen)) => match pending.take() {
                    Some(key) => entries.push((key, finished)),
                    None => {
                        let key = as_key(finished, quoted)?;
                        if !seen.insert(key.name.clone()) {
                            let first = entries
                                .iter()
                                .find(|(k, _)| k.name == key.name)
                                .map(|(k, _)| k.pos.line)
                                .unwrap_or(key.pos.line);
                            return Err(err(
                                key.pos,
                                format!("duplicate key `{}` (first at line {})", key.name, first),
                                Some("keep one of them; YAML readers disagree on which one wins"),
                            ));
                        }
                        *pending = Some(key);
                    }
                },
            }
        }
    }

    fn push(&mut self, stack: &mut Vec<Frame>, frame: Frame, pos: Pos) -> Result<(), Error> {
        if stack.len() >= MAX_DEPTH {
            return Err(err(
                pos,
                format!("nesting deeper than {MAX_DEPTH} levels"),
                Some("agreements need only a few levels; flatten this structure"),
            ));
        }
        self.count(1, pos)?;
        stack.push(frame);
        Ok(())
    }

    fn count(&mut self, n: usize, pos: Pos) -> Result<(), Error> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(err(
                pos,
                format!("the document expands to more than {MAX_NODES} values (aliases included)"),
                Some("remove the anchors and aliases that multiply this content"),
            ));
        }
        Ok(())
    }

    fn count_bytes(&mut self, n: usize, pos: Pos) -> Result<(), Error> {
        self.bytes = self.bytes.saturating_add(n);
        if self.bytes > self.byte_budget {
            return Err(err(
                pos,
                format!(
                    "the document expands to more than {} bytes of text (aliases included), \
                     {EXPANSION_FACTOR} times the file's size",
                    self.byte_budget
                ),
                Some("remove the anchors and aliases that multiply this content"),
            ));
        }
        Ok(())
    }

    /// yaml-rust2 ends a block scalar (`|`, `>`) that runs to the end of
    /// input with a line break even when the input has none there; YAML 1.2.2
    /// §8.1.1.2 keeps only a final line break that is in the text, so
    /// `v: |\n  a\n  b` at the end of input reads as `"a\nb"`. This mirrors
    /// the scanner's condition and takes the invented break back out.
    /// `start` is the scalar's event position: for a block scalar with
    /// content, its first content line at the content's indentation.
    fn drop_invented_break(&self, start: Pos, value: &mut String) {
        // Strip chomping (`|-`) never ends in a break; a value of breaks
        // only has no content line, and the scanner adds nothing then.
        if self.text.ends_with(['\n', '\r'])
            || !value.ends_with('\n')
            || value.chars().all(|c| c == '\n')
        {
            return;
        }
        let indent = start.column.saturating_sub(1);
        let leading = |line: &str| line.chars().take_while(|&c| c == ' ').count();
        let blank = |line: &str| line.chars().all(|c| c == ' ');
        let mut lines = self
            .text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .skip(start.line.saturating_sub(1))
            .peekable();
        let mut last = None;
        while let Some(line) = lines.next() {
            let inside = blank(line)
                || (leading(line) >= indent
                    && !(indent == 0 && (line.starts_with("---") || line.starts_with("..."))));
            if !inside {
                return; // the scalar ends before the end of input
            }
            if lines.peek().is_none() {
                last = Some(line);
            }
        }
        if last.is_some_and(|line| line.chars().count() >= indent.max(1)) {
            value.pop();
        }
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
    }
}

fn scan_message(info: &str) -> String {
    if info.contains("tab") {
        format!("{info} (YAML does not allow tabs for indentation)")
    } else {
        info.to_owned()
    }
}

fn reject_tag(tag: Option<&Tag>, pos: Pos) -> Result<(), Error> {
    match tag {
        None => Ok(()),
        Some(tag) => Err(err(
            pos,
            format!("YAML tags such as `{}{}` are not allowed", tag.handle, tag.suffix),
            Some("remove the tag; charter reads plain strings, numbers, booleans, lists and mappings"),
        )),
    }
}

fn as_key(node: Node, quoted: bool) -> Result<Key, Error> {
    match node.value {
        Value::Str(name) if name == "<<" && !quoted => Err(err(
            node.pos,
            "merge keys (`<<`) are not allowed",
            Some("write the merged fields out in full"),
        )),
        Value::Str(name) => Ok(Key {
            name,
            pos: node.pos,
        }),
        other => Err(err(
            node.pos,
            format!("mapping keys must be strings, found {}", kind_name(&other)),
            Some("quote the key, e.g. \"1\":"),
        )),
    }
}

/// A human name for the kind of a value, for messages.
pub fn kind_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Int(_) => "an integer",
        Value::Str(_) => "a string",
        Value::Seq(_) => "a list",
        Value::Map(_) => "a mapping",
    }
}

/// The bytes of text (keys and scalars) a node holds.
fn text_bytes(node: &Node) -> usize {
    match &node.value {
        Value::Str(s) => s.len(),
        Value::Seq(items) => items.iter().map(text_bytes).sum(),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| k.name.len() + text_bytes(v))
            .sum(),
        _ => 0,
    }
}

fn size(node: &Node) -> usize {
    match &node.value {
        Value::Seq(items) => 1 + items.iter().map(size).sum::<usize>(),
        Value::Map(entries) => 1 + entries.iter().map(|(_, v)| 1 + size(v)).sum::<usize>(),
        _ => 1,
    }
}

/// Resolve a scalar under the YAML 1.2 core schema; only plain scalars are typed.
fn resolve_scalar(text: String, style: TScalarStyle, pos: Pos) -> Result<Value, Error> {
    if style != TScalarStyle::Plain {
        return Ok(Value::Str(text));
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Value::Null),
        "true" | "True" | "TRUE" => return Ok(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Ok(Value::Bool(false)),
        _ => {}
    }
    if let Some(int) = core_int(&text) {
        return match int {
            Some(n) if n.abs() <= i128::from(MAX_SAFE_INTEGER) => Ok(Value::Int(n as i64)),
            _ => Err(err(
                pos,
                format!("integer `{text}` is outside ±(2^53−1)"),
                Some("quote it if it is meant as text"),
            )),
        };
    }
    if is_core_float(&text) {
        return Err(err(
            pos,
            format!("`{text}` is a non-integer number; only integers are allowed"),
            Some("quote it if it is meant as text, e.g. \"1.5\""),
        ));
    }
    Ok(Value::Str(text))
}

/// `Some(None)` when the text is a core-schema integer too large to represent.
fn core_int(text: &str) -> Option<Option<i128>> {
    let (digits, radix) = if let Some(hex) = text.strip_prefix("0x") {
        (hex, 16)
    } else if let Some(oct) = text.strip_prefix("0o") {
        (oct, 8)
    } else {
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n = unsigned.parse::<i128>().ok();
        let negative = text.starts_with('-');
        return Some(n.map(|n| if negative { -n } else { n }));
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(i128::from_str_radix(digits, radix).ok())
}

fn is_core_float(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(t, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let (int_part, frac) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], Some(&mantissa[i + 1..])),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac {
        Some(f) => digits(int_part) && digits(f) && !(int_part.is_empty() && f.is_empty()),
        None => !int_part.is_empty() && digits(int_part),
    };
    let exponent_ok = match exponent {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && digits(e)
        }
    };
    mantissa_ok && exponent_ok && (frac.is_some() || exponent.is_some())
}

impl Node {
    /// The plain data, as JSON: what version ids and the diff engine work on.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(n) => J::from(*n),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// The value under `key` when this is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key and value under `key` when this is a mapping.
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.name == key)
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// The string value, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The items, if this is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// Follow a path of keys and sequence indices (as `serde_path_to_error`
    /// reports them) to the deepest node that exists, returning where to point.
    /// For a missing or unknown key the position is that of the key itself
    /// when it exists, else of the enclosing value.
    pub fn locate<'s>(&self, path: impl IntoIterator<Item = Segment<'s>>) -> Pos {
        let mut node = self;
        let mut pos = self.pos;
        for seg in path {
            match (seg, &node.value) {
                (Segment::Key(name), Value::Map(entries)) => {
                    match entries.iter().find(|(k, _)| k.name == name) {
                        Some((k, v)) => {
                            pos = if matches!(v.value, Value::Map(_) | Value::Seq(_)) {
                                k.pos
                            } else {
                                v.pos
                            };
                            node = v;
                        }
                        None => return pos,
                    }
                }
                (Segment::Index(i), Value::Seq(items)) => match items.get(i) {
                    Some(v) => {
                        pos = v.pos;
                        node = v;
                    }
                    None => return pos,
                },
                _ => return pos,
            }
        }
        pos
    }
}

impl Node {
    /// Like [`Node::locate`], but for a path ending in a key, point at the
    /// key rather than its value (for "unknown key" findings).
    pub fn locate_key<'s>(&self, path: Vec<Segment<'s>>) -> Pos {
        if let Some((Segment::Key(last), parent)) = path.split_last() {
            let mut node = self;
            for seg in parent {
                let next = match (seg, &node.value) {
                    (Segment::Key(name), Value::Map(_)) => node.get(name),
                    (Segment::Index(i), Value::Seq(items)) => items.get(*i),
                    _ => None,
                };
                match next {
                    Some(n) => node = n,
                    None => return self.locate(path.iter().copied()),
                }
            }
            if let Some((key, _)) = node.entry(last) {
                return key.pos;
            }
        }
        self.locate(path)
    }
}

/// One step in a path into a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    /// A mapping key.
    Key(&'a str),
    /// A sequence index.
    Index(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> serde_json::Value {
        parse(text).unwrap().to_json()
    }

    fn bad(text: &str) -> Error {
        parse(text).unwrap_err()
    }

    #[test]
    fn core_schema_scalars() {
        let v = ok("a: 12\nb: '12'\nc: true\nd: yes\ne: ~\nf: 2026-01-12\ng: 0x1F\nh: -3\ni: on\n");
        assert_eq!(
            v,
            serde_json::json!({"a":12,"b":"12","c":true,"d":"yes","e":null,"f":"2026-01-12","g":31,"h":-3,"i":"on"})
        );
    }

    #[test]
    fn positions_are_one_based() {
        let node = parse("a:\n  b: 1\n").unwrap();
        let (k, v) = node.get("a").unwrap().entry("b").unwrap();
        assert_eq!((k.pos.line, k.pos.column), (2, 3));
        assert_eq!((v.pos.line, v.pos.column), (2, 6));
    }

    #[test]
    fn rejects_what_version_ids_cannot_carry() {
        assert!(bad("a: 1\na: 2\n").message.contains("duplicate key `a`"));
        assert_eq!(bad("a: 1\na: 2\n").pos, Pos { line: 2, column: 1 });
        assert!(bad("a: !!str 1\n").message.contains("tags"));
        assert!(bad("1: a\n").message.contains("keys must be strings"));
        assert!(bad("a: &x {b: 1}\nc:\n  <<: *x\n")
            .message
            .contains("merge keys"));
        assert!(bad("a: 1\n---\nb: 2\n")
            .message
            .contains("second YAML document"));
        assert!(bad("a: 1.5\n").message.contains("non-integer"));
        assert!(bad("a: .inf\n").message.contains("non-integer"));
        assert!(bad("a: 1e3\n").message.contains("non-integer"));
        assert!(bad("a: 9007199254740992\n").message.contains("outside"));
        assert_eq!(ok("a: 9007199254740991\n")["a"], 9007199254740991_i64);
        assert!(bad("a: 99999999999999999999999999999999999999999\n")
            .message
            .contains("outside"));
    }

    #[test]
    fn tabs_and_syntax_errors_are_located() {
        let e = bad("a:\n\tb: 1\n");
        assert_eq!(e.pos.line, 2);
        let e = bad("a: [1, 2\n");
        assert!(e.pos.line >= 1);
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(bad(&text).message.contains("expands to more than"));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(&text).is_err());
        let mut block = String::new();
        for depth in 0..100 {
            block.push_str(&" ".repeat(depth));
            block.push_str("a:\n");
        }
        assert!(bad(&block).message.contains("nesting deeper"));
    }

    #[test]
    fn aliases_expand_to_their_anchor() {
        assert_eq!(ok("a: &x [1, 2]\nb: *x\n")["b"], serde_json::json!([1, 2]));
    }

    #[test]
    fn alias_expansion_is_bounded_in_bytes() {
        // One large anchor referenced many times: few values, many bytes.
        let big = "x".repeat(400_000);
        let mut text = format!("a: &big {big}\nb: [");
        for _ in 0..2_000 {
            text.push_str("*big, ");
        }
        text.push_str("]\n");
        let e = parse(&text).expect_err("the expansion is refused");
        assert!(e.message.contains("bytes"), "{}", e.message);
        assert_eq!(e.pos.line, 2);
        // A few repetitions of a small anchor stay fine.
        assert_eq!(
            ok("a: &x hello\nb: [*x, *x, *x]\n")["b"],
            serde_json::json!(["hello", "hello", "hello"])
        );
    }

    #[test]
    fn block_scalar_at_end_of_input_has_no_invented_line_break() {
        // YAML 1.2.2 §8.1.1.2: the final line break is kept only when there is one.
        assert_eq!(ok("v: |\n  a\n  b")["v"], "a\nb");
        assert_eq!(ok("v: |+\n  a\n  b")["v"], "a\nb");
        assert_eq!(ok("v: >\n  a\n  b")["v"], "a b");
        assert_eq!(ok("v: |-\n  a\n  b")["v"], "a\nb");
        assert_eq!(ok("- |\n  a\n  b")[0], "a\nb");
        assert_eq!(ok("k:\n  v: |2\n     a")["k"]["v"], " a");
        // Unchanged where the input has its line break, or the scalar ends earlier.
        assert_eq!(ok("v: |\n  a\n  b\n")["v"], "a\nb\n");
        assert_eq!(ok("v: |+\n  a\n\n")["v"], "a\n\n");
        assert_eq!(ok("v: |\n  a\nw: 1")["v"], "a\n");
        assert_eq!(ok("v: |\n  a\n# end")["v"], "a\n");
        assert_eq!(ok("v: |\n  a\n ")["v"], "a\n");
        assert_eq!(ok("v: |\n  a\n  ")["v"], "a\n");
        assert_eq!(ok("v: |\n  a\n   ")["v"], "a\n ");
    }

    #[test]
    fn only_a_plain_merge_key_is_a_merge_key() {
        assert_eq!(ok("\"<<\": 1\n")["<<"], 1);
        assert_eq!(ok("'<<': 1\n")["<<"], 1);
        assert!(bad("<<: {a: 1}\n").message.contains("merge keys"));
    }

    #[test]
    fn unknown_major_yaml_version_is_refused() {
        let e = bad("%YAML 2.0\n---\na: 1\n");
        assert!(e.message.contains("2.0"), "{}", e.message);
        assert_eq!(e.pos.line, 1);
        assert_eq!(ok("%YAML 1.2\n---\na: 1\n")["a"], 1);
        assert_eq!(ok("%YAML 1.1\n---\na: 1\n")["a"], 1);
    }

    #[test]
    fn empty_document_is_null() {
        assert_eq!(ok(""), serde_json::Value::Null);
        assert_eq!(ok("# only a comment\n"), serde_json::Value::Null);
    }
}
