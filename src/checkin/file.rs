//! The check-in file `checkins/<id>/<YYYY-MM-DD>-<role>-<h8>.yaml`: its
//! fields, the exact bytes its signature covers, its canonical text and
//! its name.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::agreement::types::{is_valid_id, Date};
use crate::agreement::Role;
use crate::finding::Finding;
use crate::signoff::file::content_hash8;
use crate::signoff::message::is_version_id;
use crate::yaml::{Node, Segment};

/// The first line of every signed check-in message; it names the format.
pub const MESSAGE_HEADER: &str = "charter check-in v1";

/// Longest note (on the check-in or on a goal), in characters: a check-in is
/// a short record of progress, never a place for narrative.
pub const MAX_NOTE: usize = 280;

/// The rule of every finding about a malformed or invalid check-in.
pub const RULE: crate::finding::Rule = crate::finding::Rule::InvalidCheckin;

/// Where a goal stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum GoalStatus {
    /// Work has not begun.
    NotStarted,
    /// Progressing as planned.
    OnTrack,
    /// Behind, or blocked.
    AtRisk,
    /// Achieved: never overdue again.
    Done,
    /// Given up by agreement: never overdue again.
    Dropped,
}

impl GoalStatus {
    /// Every status, in the order of progress.
    pub const ALL: [GoalStatus; 5] = [
        GoalStatus::NotStarted,
        GoalStatus::OnTrack,
        GoalStatus::AtRisk,
        GoalStatus::Done,
        GoalStatus::Dropped,
    ];

    /// The word used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            GoalStatus::NotStarted => "not-started",
            GoalStatus::OnTrack => "on-track",
            GoalStatus::AtRisk => "at-risk",
            GoalStatus::Done => "done",
            GoalStatus::Dropped => "dropped",
        }
    }

    /// Parse the word used in files.
    pub fn parse(s: &str) -> Option<GoalStatus> {
        GoalStatus::ALL.into_iter().find(|g| g.as_str() == s)
    }

    /// Whether the goal is settled (`done` or `dropped`): a settled goal is
    /// never overdue.
    pub fn is_settled(self) -> bool {
        matches!(self, GoalStatus::Done | GoalStatus::Dropped)
    }
}

impl std::fmt::Display for GoalStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One goal's status in a check-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalReport {
    /// Where the goal stands.
    pub status: GoalStatus,
    /// A short note (at most 280 characters, one line; no private content).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 280), regex(pattern = r"^[^\x00-\x1f\x7f]*$"))]
    pub note: Option<String>,
}

/// One check-in: a party's signed record of progress under the version in
/// force. Written once by `charter checkin`, never edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "charter check-in",
    description = "One party's signed record of progress under an agreement's version in force; written once by `charter checkin`, never edited. Narrative and private content do not belong here."
)]
pub struct CheckinFile {
    /// The agreement id: the file stem of `agreements/<id>.yaml`.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9-]{0,63}$"))]
    pub agreement: String,
    /// The version in force the check-in reports against: `sha256:` and 64 hex digits.
    #[schemars(regex(pattern = r"^sha256:[0-9a-f]{64}$"))]
    pub version: String,
    /// The day of the check-in, `YYYY-MM-DD`; inside the agreement's term.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub date: String,
    /// The party who checks in and signs.
    pub by: Role,
    /// Whether this is the periodic review of `reviews.cadence`.
    pub review: bool,
    /// Goal id → status and an optional note; ids are the version's goals.
    #[serde(default)]
    pub goals: BTreeMap<String, GoalReport>,
    /// Scorecard heading (of `reviews.scorecard`) → score from 1 to 5.
    #[serde(default)]
    pub scores: BTreeMap<String, Score>,
    /// A short note (at most 280 characters, one line; no narrative or private content).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 280), regex(pattern = r"^[^\x00-\x1f\x7f]*$"))]
    pub note: Option<String>,
    /// The armored OpenSSH signature (namespace `charter-checkin`) over the message.
    pub signature: String,
}

/// A score from 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Score(u8);

impl JsonSchema for Score {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Score".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A score from 1 (lowest) to 5 (highest).",
            "type": "integer",
            "minimum": 1,
            "maximum": 5
        })
    }
}

impl Score {
    /// A score, when `n` is 1 to 5.
    pub fn new(n: i64) -> Option<Score> {
        u8::try_from(n)
            .ok()
            .filter(|n| (1..=5).contains(n))
            .map(Score)
    }

    /// The number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Score {
    type Error = String;
    fn try_from(n: i64) -> Result<Self, Self::Error> {
        Score::new(n).ok_or_else(|| format!("a score is a whole number from 1 to 5, not {n}"))
    }
}

impl From<Score> for i64 {
    fn from(s: Score) -> i64 {
        i64::from(s.0)
    }
}

/// A check-in as read from a file, with its located tree (to point
/// findings at a field).
#[derive(Debug, Clone)]
pub struct ParsedCheckin {
    /// The typed fields.
    pub file: CheckinFile,
    /// The date, parsed.
    pub date: chrono::NaiveDate,
    /// The file's tree, for locating findings.
    pub node: Node,
}

impl ParsedCheckin {
    /// Where a field sits in the file (the start of the file when not found).
    pub fn locate(&self, path: &[Segment<'_>]) -> crate::yaml::Pos {
        self.node.locate(path.iter().copied())
    }
}

/// Whether a note may be written: one line, at most [`MAX_NOTE`] characters.
pub fn check_note(note: &str) -> Result<(), String> {
    if note.chars().count() > MAX_NOTE {
        return Err(format!(
            "the note has {} characters; at most {MAX_NOTE} (a check-in records progress, not narrative)",
            note.chars().count()
        ));
    }
    if note.chars().any(char::is_control) {
        return Err("a note is one line of text, without control characters".to_owned());
    }
    Ok(())
}

impl CheckinFile {
    /// The exact bytes the signature covers, each line ending in `\n`:
    ///
    /// ```text
    /// charter check-in v1
    /// agreement: <id>
    /// version: sha256:<64 hex>
    /// date: YYYY-MM-DD
    /// by: mentor|mentee
    /// review: true|false
    /// goal: "<goal id>" <status>          one per goal, sorted by id
    /// goal-note: "<goal id>" "<note>"     right after its goal, when it has one
    /// score: "<heading>" <1-5>            one per score, sorted by heading
    /// note: "<note>"                      when there is one
    /// ```
    ///
    /// Free text is written as a JSON string (only `"` and `\` are escaped,
    /// since notes hold no control characters), so no value can forge a line.
    pub fn message(&self) -> Vec<u8> {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let mut out = format!(
            "{MESSAGE_HEADER}\nagreement: {}\nversion: {}\ndate: {}\nby: {}\nreview: {}\n",
            self.agreement, self.version, self.date, self.by, self.review
        );
        for (id, g) in &self.goals {
            let _ = writeln!(out, "goal: {} {}", q(id), g.status);
            if let Some(note) = &g.note {
                let _ = writeln!(out, "goal-note: {} {}", q(id), q(note));
            }
        }
        for (heading, score) in &self.scores {
            let _ = writeln!(out, "score: {} {}", q(heading), score.get());
        }
        if let Some(note) = &self.note {
            let _ = writeln!(out, "note: {}", q(note));
        }
        out.into_bytes()
    }

    /// The canonical text of the file: fixed key order, free text as JSON
    /// strings (valid YAML), the signature as a `|` block. It parses back to
    /// the same value.
    pub fn render(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let mut out = format!(
            "agreement: {}\nversion: {}\ndate: {}\nby: {}\nreview: {}\n",
            self.agreement, self.version, self.date, self.by, self.review
        );
        if self.goals.is_empty() {
            out.push_str("goals: {}\n");
        } else {
            out.push_str("goals:\n");
            for (id, g) in &self.goals {
                let key = if is_valid_id(id) { id.clone() } else { q(id) };
                let _ = writeln!(out, "  {key}:\n    status: {}", g.status);
                if let Some(note) = &g.note {
                    let _ = writeln!(out, "    note: {}", q(note));
                }
            }
        }
        if self.scores.is_empty() {
            out.push_str("scores: {}\n");
        } else {
            out.push_str("scores:\n");
            for (heading, score) in &self.scores {
                let _ = writeln!(out, "  {}: {}", q(heading), score.get());
            }
        }
        if let Some(note) = &self.note {
            let _ = writeln!(out, "note: {}", q(note));
        }
        out.push_str("signature: |\n");
        for line in self.signature.lines() {
            let _ = writeln!(out, "  {line}");
        }
        out
    }

    /// The file name `<YYYY-MM-DD>-<role>-<h8>.yaml` of this check-in whose
    /// rendered text is `text`.
    pub fn file_name(&self, text: &str) -> String {
        format!(
            "{}-{}-{}.yaml",
            self.date,
            self.by,
            content_hash8(text.as_bytes())
        )
    }

    /// Read a check-in file: YAML through charter's parser, the typed
    /// fields, then each field's rule. Every failure is a located
    /// `invalid-checkin` finding.
    pub fn parse(path: &str, bytes: &[u8]) -> Result<ParsedCheckin, Finding> {
        let relabel = |mut f: Finding| {
            f.rule = RULE;
            f.severity = RULE.info().severity;
            f.hint = Some("check-in files are written once by `charter checkin` and never edited; restore the original or check in again".to_owned());
            f
        };
        if bytes.len() > MAX_FILE_SIZE {
            return Err(relabel(Finding::new(
                RULE,
                path,
                format!(
                    "the file is {} bytes; a check-in is at most {MAX_FILE_SIZE} bytes",
                    bytes.len()
                ),
            )));
        }
        let node = crate::document::parse(path, bytes).map_err(relabel)?;
        let file: CheckinFile = crate::document::typed(path, &node).map_err(relabel)?;
        let bad = |segments: &[Segment<'_>], message: String| {
            relabel(Finding::new(RULE, path, message).at(node.locate(segments.iter().copied())))
        };
        if !is_valid_id(&file.agreement) {
            return Err(bad(
                &[Segment::Key("agreement")],
                format!("`{}` is not an agreement id", file.agreement),
            ));
        }
        if !is_version_id(&file.version) {
            return Err(bad(
                &[Segment::Key("version")],
                format!(
                    "`{}` is not a version id (sha256: and 64 lowercase hex digits)",
                    file.version
                ),
            ));
        }
        let date = Date::parse(&file.date)
            .map_err(|e| bad(&[Segment::Key("date")], e))?
            .0;
        for (id, g) in &file.goals {
            if let Some(note) = &g.note {
                check_note(note).map_err(|e| {
                    bad(
                        &[
                            Segment::Key("goals"),
                            Segment::Key(id),
                            Segment::Key("note"),
                        ],
                        e,
                    )
                })?;
            }
        }
        if let Some(note) = &file.note {
            check_note(note).map_err(|e| bad(&[Segment::Key("note")], e))?;
        }
        let bad_armor = !file.signature.starts_with("-----BEGIN SSH SIGNATURE-----")
            || !file
                .signature
                .trim_end()
                .ends_with("-----END SSH SIGNATURE-----");
        if bad_armor {
            return Err(bad(
                &[Segment::Key("signature")],
                "the signature is not SSH signature armor".to_owned(),
            ));
        }
        Ok(ParsedCheckin { file, date, node })
    }
}

/// Largest check-in file charter reads; a real one is well under 4 KiB.
pub const MAX_FILE_SIZE: usize = 64 * 1024;

/// The parts of a check-in file name `<YYYY-MM-DD>-<role>-<h8>.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinName {
    /// The date.
    pub date: String,
    /// The role.
    pub role: Role,
    /// The first 8 hex digits of the SHA-256 of the file's bytes.
    pub h8: String,
}

impl CheckinName {
    /// Split a file name, or `None` when it is not shaped
    /// `<YYYY-MM-DD>-<mentor|mentee>-<8 hex>.yaml`.
    pub fn parse(name: &str) -> Option<CheckinName> {
        let stem = name.strip_suffix(".yaml")?;
        let date = stem.get(..10)?;
        let rest = stem.get(10..)?.strip_prefix('-')?;
        let (role, h8) = rest.split_once('-')?;
        let hex = h8.len() == 8 && h8.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        Date::parse(date).ok()?;
        if !hex {
            return None;
        }
        Some(CheckinName {
            date: date.to_owned(),
            role: Role::parse(role)?,
            h8: h8.to_owned(),
        })
    }
}

/// Check that a check-in's path agrees with its content: the directory is
/// the agreement, the name's date and role are the fields', and `<h8>` is
/// the hash of the bytes (a mismatch means the file was edited).
pub fn check_path(path: &str, file: &CheckinFile, bytes: &[u8]) -> Result<(), String> {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or_default();
    let directory = parts.next().unwrap_or_default();
    let Some(parsed) = CheckinName::parse(name) else {
        return Err(format!(
            "file name {name:?} is not <YYYY-MM-DD>-<mentor|mentee>-<8 hex>.yaml"
        ));
    };
    if directory != file.agreement {
        return Err(format!(
            "the file is in directory {directory:?} but reports on agreement {:?}",
            file.agreement
        ));
    }
    if parsed.date != file.date {
        return Err(format!(
            "the file name says {} but the check-in is dated {}",
            parsed.date, file.date
        ));
    }
    if parsed.role != file.by {
        return Err(format!(
            "the file name says {} but the check-in is by the {}",
            parsed.role, file.by
        ));
    }
    let actual = content_hash8(bytes);
    if actual != parsed.h8 {
        return Err(format!(
            "the file name says content hash {} but the file's bytes hash to {actual}: it was edited after it was written",
            parsed.h8
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> CheckinFile {
        let mut goals = BTreeMap::new();
        goals.insert(
            "design-review".to_owned(),
            GoalReport {
                status: GoalStatus::AtRisk,
                note: Some("waiting for \"platform\"".to_owned()),
            },
        );
        goals.insert(
            "tech-talk".to_owned(),
            GoalReport {
                status: GoalStatus::Done,
                note: None,
            },
        );
        let mut scores = BTreeMap::new();
        scores.insert("skill development".to_owned(), Score::new(4).unwrap());
        CheckinFile {
            agreement: "ada-grace".into(),
            version: format!("sha256:{}", "a".repeat(64)),
            date: "2026-03-01".into(),
            by: Role::Mentee,
            review: true,
            goals,
            scores,
            note: Some("Good month.".into()),
            signature: "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n".into(),
        }
    }

    #[test]
    fn message_is_byte_exact() {
        let text = String::from_utf8(sample().message()).unwrap();
        let expected = format!(
            "charter check-in v1\nagreement: ada-grace\nversion: sha256:{}\ndate: 2026-03-01\nby: mentee\nreview: true\ngoal: \"design-review\" at-risk\ngoal-note: \"design-review\" \"waiting for \\\"platform\\\"\"\ngoal: \"tech-talk\" done\nscore: \"skill development\" 4\nnote: \"Good month.\"\n",
            "a".repeat(64)
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn rendered_text_parses_back_and_names_itself() {
        let c = sample();
        let text = c.render();
        let name = c.file_name(&text);
        let path = format!("checkins/ada-grace/{name}");
        let parsed = CheckinFile::parse(&path, text.as_bytes()).unwrap();
        assert_eq!(parsed.file, c);
        assert!(check_path(&path, &c, text.as_bytes()).is_ok());
        let edited = text.replace("Good month.", "Great month");
        let err = check_path(&path, &c, edited.as_bytes()).unwrap_err();
        assert!(err.contains("edited"), "{err}");
    }

    #[test]
    fn bad_fields_are_located() {
        let text = sample()
            .render()
            .replace("status: done", "status: finished");
        let f = CheckinFile::parse("checkins/ada-grace/x.yaml", text.as_bytes()).unwrap_err();
        assert_eq!(f.rule, RULE);
        assert!(f.line.is_some(), "{f:?}");
        let text = sample()
            .render()
            .replace("\"skill development\": 4", "\"skill development\": 6");
        let f = CheckinFile::parse("checkins/ada-grace/x.yaml", text.as_bytes()).unwrap_err();
        assert!(f.message.contains("1 to 5"), "{f:?}");
        let long = sample().render().replace("Good month.", &"x".repeat(281));
        let f = CheckinFile::parse("checkins/ada-grace/x.yaml", long.as_bytes()).unwrap_err();
        assert!(f.message.contains("280"), "{f:?}");
    }

    #[test]
    fn names() {
        let n = CheckinName::parse("2026-03-01-mentee-0a1b2c3d.yaml").unwrap();
        assert_eq!(n.role, Role::Mentee);
        assert_eq!(n.date, "2026-03-01");
        for bad in [
            "2026-03-01-mentee-0a1b2c3.yaml",
            "2026-02-30-mentee-0a1b2c3d.yaml",
            "2026-03-01-observer-0a1b2c3d.yaml",
            "2026-03-01-mentee-0a1b2c3d.yml",
        ] {
            assert!(CheckinName::parse(bad).is_none(), "{bad}");
        }
    }
}
