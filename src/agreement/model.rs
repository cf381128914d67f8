//! The agreement format, schema version 1 (README, "The agreement format"), as Rust types.
//!
//! These types are the single source of the JSON Schema in `schema/`; a test
//! keeps the committed schema in step with them. Unknown keys are refused
//! everywhere, so a typo never passes silently.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::schedule::{ClockTime, MeetingDay, TimeZone};
use super::types::{Cadence, CalendarDuration, Date, Duration};

/// The `charter:` format marker; only version 1 exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatVersion;

impl<'de> Deserialize<'de> for FormatVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match i64::deserialize(d)? {
            1 => Ok(FormatVersion),
            n => Err(D::Error::custom(format!(
                "format version {n} is not supported; this charter reads version 1"
            ))),
        }
    }
}

impl Serialize for FormatVersion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(1)
    }
}

impl JsonSchema for FormatVersion {
    fn schema_name() -> Cow<'static, str> {
        "FormatVersion".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"description": "The format version of this file; always 1.", "const": 1})
    }
}

/// One mentoring agreement: what mentor and mentee commit to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "charter agreement (format version 1)")]
pub struct Agreement {
    /// Format version of this file; always 1.
    pub charter: FormatVersion,
    /// A short title, e.g. "Staff-engineer growth, Ada and Grace".
    pub title: String,
    /// Who takes part.
    pub parties: Parties,
    /// Why this mentorship exists, in a sentence or two.
    pub purpose: String,
    /// The day this version takes effect (YYYY-MM-DD).
    pub effective: Date,
    /// When the mentorship starts and (optionally) ends.
    pub term: Term,
    /// How and how often the parties meet.
    pub meetings: Meetings,
    /// Topics in and out of scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// What each party undertakes to do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsibilities: Option<Responsibilities>,
    /// Measurable goals; at least one.
    #[schemars(length(min = 1))]
    pub goals: Vec<Goal>,
    /// How and when feedback is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<Feedback>,
    /// Periodic reviews of progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviews: Option<Reviews>,
    /// What stays private, and the limits of that promise.
    pub confidentiality: Confidentiality,
    /// How the agreement may change or end.
    pub renegotiation: Renegotiation,
    /// References such as a career ladder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<Vec<String>>,
    /// Set when the mentorship has ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concluded: Option<Concluded>,
    /// The programme template this agreement was made from, so `check`
    /// can tell when the template has changed since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<TemplateRef>,
}

/// Which programme template an agreement started from (`charter new --template`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateRef {
    /// The template's name: `templates/<name>.yaml`.
    #[schemars(regex(pattern = "^[a-z0-9][a-z0-9-]{0,63}$"))]
    pub name: String,
    /// The template's version id (`sha256:…` of its data) when the agreement was made.
    #[schemars(regex(pattern = "^sha256:[0-9a-f]{64}$"))]
    pub version: String,
}

/// The people in the agreement. Only mentor and mentee sign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parties {
    /// The mentor.
    pub mentor: Person,
    /// The mentee.
    pub mentee: Person,
    /// People who may see summaries but never sign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observers: Option<Vec<Observer>>,
}

/// A signing party; the email is the principal their SSH key is listed under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Full name.
    pub name: String,
    /// Email address; also the principal in `allowed_signers`.
    pub email: String,
}

/// Someone who follows the mentorship without signing it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observer {
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// Why they observe, e.g. "supervisor".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// The span of the mentorship.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// First day.
    pub start: Date,
    /// Last day, if fixed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Date>,
}

/// The meeting rhythm and its practicalities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meetings {
    /// How often the parties meet.
    pub cadence: Cadence,
    /// How long a meeting lasts, e.g. 45m.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<Duration>,
    /// Where they meet: video call, chat, in person…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<String>>,
    /// How reachable the mentor is between meetings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<String>,
    /// How to cancel or move a meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancellation: Option<String>,
    /// The usual day of the week, e.g. tuesday (for calendars).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekday: Option<MeetingDay>,
    /// The usual start time, "HH:MM" on the 24-hour clock (for calendars).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<ClockTime>,
    /// The IANA time zone of `time`, e.g. Europe/Berlin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<TimeZone>,
    /// Where the meetings happen: a room, an address or a video-call link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// Topics the mentorship covers and those it leaves alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// Topics in scope.
    #[serde(rename = "in", default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Vec<String>>,
    /// Topics out of scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out: Option<Vec<String>>,
}

/// What each party undertakes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Responsibilities {
    /// The mentor's commitments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentor: Option<Vec<String>>,
    /// The mentee's commitments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentee: Option<Vec<String>>,
}

/// A measurable goal with a due date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// A stable id (`[a-z0-9][a-z0-9-]{0,63}`), so amendments can refer to the goal.
    #[schemars(regex(pattern = "^[a-z0-9][a-z0-9-]{0,63}$"))]
    pub id: String,
    /// What the mentee will achieve.
    pub goal: String,
    /// How both parties will know it was achieved.
    pub measure: String,
    /// When it is due.
    pub due: Date,
    /// What will show progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// How feedback flows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    /// The form feedback takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how: Option<String>,
    /// When it is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// Periodic reviews of the mentorship.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reviews {
    /// How often progress is reviewed.
    pub cadence: Cadence,
    /// The headings progress is scored under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scorecard: Option<Vec<String>>,
}

/// What stays between the parties, and when it cannot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Confidentiality {
    /// Kinds of information kept private.
    pub private: Vec<String>,
    /// When privacy gives way (e.g. risk of harm).
    pub exceptions: Vec<String>,
    /// Who keeps meeting notes, where, and for how long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Notes>,
    /// Whether a supervisor may receive summaries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervisor_summaries: Option<SupervisorSummaries>,
}

/// The handling of meeting notes (which never go into this repository).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notes {
    /// Who keeps the notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keeper: Option<String>,
    /// Where they are kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Who may read them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<Vec<String>>,
    /// How long they are kept, in days or weeks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<CalendarDuration>,
}

/// Whether summaries may go to a supervisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SupervisorSummaries {
    /// Never.
    Never,
    /// Only when the mentee agrees each time.
    WithConsent,
    /// Always.
    Always,
}

/// How the agreement may change or end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Renegotiation {
    /// Minimum time between opening a renegotiation and a material change taking effect.
    pub notice: CalendarDuration,
    /// How either party may end the mentorship.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination: Option<String>,
}

/// The end of a mentorship.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Concluded {
    /// The day it ended.
    pub date: Date,
    /// Why it ended (optional; `charter conclude` always records one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<ConclusionReason>,
    /// A short closing note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Why a mentorship ended, as mentoring programmes report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ConclusionReason {
    /// The goals were reached, or the term ran its course.
    Completed,
    /// The mentee was matched with another mentor.
    Rematched,
    /// A party left the programme or the organisation.
    Left,
    /// Put on hold; a new agreement can resume it.
    Paused,
    /// The pairing did not work out.
    NoFit,
}

impl ConclusionReason {
    /// The word used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            ConclusionReason::Completed => "completed",
            ConclusionReason::Rematched => "rematched",
            ConclusionReason::Left => "left",
            ConclusionReason::Paused => "paused",
            ConclusionReason::NoFit => "no-fit",
        }
    }
}

impl std::fmt::Display for ConclusionReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
