//! The programme's policy (`policy:` in `charter.yaml`): rules a programme
//! lead sets for every agreement on top of the format's own, such as
//! required optional fields, bounds on the notice period, confidentiality
//! exceptions that must be listed and topics that must stay out of scope.
//!
//! Like every setting it is a trust input: `check --base` reads it from the
//! base revision, so a pull request cannot relax the policy it is judged by.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::agreement::types::{Cadence, CalendarDuration};
use crate::agreement::Agreement;
use crate::finding::Finding;
use crate::yaml::{Node, Segment, Value};

/// What every agreement of the programme must satisfy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Optional fields every agreement must have, as dotted paths
    /// (e.g. `reviews`, `confidentiality.notes.retention`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<Vec<String>>,
    /// Bounds on `renegotiation.notice`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<NoticeBounds>,
    /// Entries `confidentiality.exceptions` must include (e.g. `risk of harm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exceptions: Option<Vec<String>>,
    /// Entries `scope.out` must include (e.g. `performance ratings`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_out: Option<Vec<String>>,
    /// The longest time allowed between two meetings, in days or weeks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_meeting_interval: Option<CalendarDuration>,
}

/// The shortest and longest notice period the programme accepts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeBounds {
    /// The shortest notice allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<CalendarDuration>,
    /// The longest notice allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<CalendarDuration>,
}

/// The longest gap, in days, a cadence can leave between two meetings
/// (a calendar month counts as 31 days, a quarter as 92).
pub fn longest_interval(cadence: Cadence) -> u64 {
    match cadence {
        Cadence::Weekly => 7,
        Cadence::Biweekly => 14,
        Cadence::Monthly => 31,
        Cadence::Quarterly => 92,
        Cadence::EveryDays(n) => u64::from(n),
        Cadence::EveryWeeks(n) => u64::from(n) * 7,
    }
}

/// Whether a list of entries covers a required one: compared without case,
/// and an entry that contains the required words counts
/// (`risk of harm to someone` covers `risk of harm`).
pub fn covers(entries: &[String], required: &str) -> bool {
    let want = required.trim().to_lowercase();
    entries
        .iter()
        .any(|e| e.trim().to_lowercase().contains(&want))
}

/// Problems with the policy itself (for `charter.yaml` findings): unknown
/// field paths and bounds the wrong way round. Each is `(path, message)`
/// relative to `policy:`.
pub fn self_check(policy: &Policy) -> Vec<(Vec<String>, String)> {
    let mut problems = Vec::new();
    let schema = serde_json::to_value(crate::schema::generate::<Agreement>()).unwrap_or_default();
    for (i, path) in policy.required.iter().flatten().enumerate() {
        if !schema_has_path(&schema, path) {
            problems.push((
                vec!["required".to_owned(), i.to_string()],
                format!("`{path}` is not a field of an agreement"),
            ));
        }
    }
    if let Some(NoticeBounds {
        min: Some(min),
        max: Some(max),
    }) = &policy.notice
    {
        if min.days() > max.days() {
            problems.push((
                vec!["notice".to_owned(), "min".to_owned()],
                format!("the minimum notice {min} is longer than the maximum {max}"),
            ));
        }
    }
    problems
}

/// Whether the agreement schema has a field at a dotted path.
fn schema_has_path(schema: &serde_json::Value, path: &str) -> bool {
    let defs = &schema["$defs"];
    let resolve = |node: &serde_json::Value| {
        let mut node = node.clone();
        for _ in 0..8 {
            let reference = node
                .get("$ref")
                .or_else(|| {
                    node.get("anyOf")
                        .and_then(|a| a.get(0))
                        .and_then(|a| a.get("$ref"))
                })
                .and_then(|r| r.as_str());
            match reference.and_then(|r| r.strip_prefix("#/$defs/")) {
                Some(name) => node = defs[name].clone(),
                None => break,
            }
        }
        node
    };
    let mut node = schema.clone();
    for part in path.split('.') {
        let next = &node["properties"][part];
        if next.is_null() {
            return false;
        }
        node = resolve(next);
    }
    !path.is_empty()
}

/// The policy findings for one agreement file (`file` is its
/// repository-relative path). Files that are not valid agreements get
/// none: their schema findings come first. A concluded agreement is a
/// closed record and is not judged by today's policy.
pub fn check(file: &str, bytes: &[u8], policy: &Policy) -> Vec<Finding> {
    let Ok(node) = crate::document::parse(file, bytes) else {
        return Vec::new();
    };
    let Ok(agreement) = crate::document::typed::<Agreement>(file, &node) else {
        return Vec::new();
    };
    if agreement.concluded.is_some() {
        return Vec::new();
    }
    let mut findings = Vec::new();
    let mut push = |path: &[Segment<'_>], message: String, hint: String| {
        findings.push(
            Finding::new(crate::finding::Rule::Policy, file, message)
                .at(node.locate(path.iter().copied()))
                .hint(hint),
        );
    };
    for path in policy.required.iter().flatten() {
        if !has_path(&node, path) {
            let segments: Vec<Segment<'_>> = path.split('.').map(Segment::Key).collect();
            push(
                &segments,
                format!("the programme requires `{path}`, and this agreement has none"),
                format!("add `{path}` (required by `policy.required` in charter.yaml)"),
            );
        }
    }
    let notice = agreement.renegotiation.notice;
    let at_notice = [Segment::Key("renegotiation"), Segment::Key("notice")];
    if let Some(bounds) = &policy.notice {
        if let Some(min) = bounds.min.filter(|m| notice.days() < m.days()) {
            push(
                &at_notice,
                format!(
                    "the notice period {notice} is shorter than the programme's minimum of {min}"
                ),
                format!("set `notice: {min}` or longer (`policy.notice.min` in charter.yaml)"),
            );
        }
        if let Some(max) = bounds.max.filter(|m| notice.days() > m.days()) {
            push(
                &at_notice,
                format!(
                    "the notice period {notice} is longer than the programme's maximum of {max}"
                ),
                format!("set `notice: {max}` or shorter (`policy.notice.max` in charter.yaml)"),
            );
        }
    }
    for required in policy.exceptions.iter().flatten() {
        if !covers(&agreement.confidentiality.exceptions, required) {
            push(
                &[Segment::Key("confidentiality"), Segment::Key("exceptions")],
                format!("confidentiality.exceptions does not list `{required}`, which the programme requires"),
                format!("add `{required}` to confidentiality.exceptions (`policy.exceptions` in charter.yaml)"),
            );
        }
    }
    let out: Vec<String> = agreement
        .scope
        .as_ref()
        .and_then(|s| s.out.clone())
        .unwrap_or_default();
    for required in policy.scope_out.iter().flatten() {
        if !covers(&out, required) {
            push(
                &[Segment::Key("scope"), Segment::Key("out")],
                format!("scope.out does not list `{required}`, which the programme keeps out of every mentorship"),
                format!("add `{required}` to scope.out (`policy.scope_out` in charter.yaml)"),
            );
        }
    }
    if let Some(max) = policy.max_meeting_interval {
        let cadence = agreement.meetings.cadence;
        if longest_interval(cadence) > max.days() {
            push(
                &[Segment::Key("meetings"), Segment::Key("cadence")],
                format!("meetings {cadence} leave up to {} days between meetings, more than the programme's maximum of {max}", longest_interval(cadence)),
                format!("meet at least every {} days (`policy.max_meeting_interval` in charter.yaml)", max.days()),
            );
        }
    }
    findings
}

/// Whether the document has a non-null value at a dotted path.
fn has_path(node: &Node, path: &str) -> bool {
    let mut node = node;
    for part in path.split('.') {
        match node.get(part) {
            Some(next) => node = next,
            None => return false,
        }
    }
    node.value != Value::Null
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(yaml: &str) -> Policy {
        let node = crate::document::parse("charter.yaml", yaml.as_bytes()).unwrap();
        crate::document::typed("charter.yaml", &node).unwrap()
    }

    #[test]
    fn example_agreement_against_a_strict_policy() {
        let bytes = include_bytes!("../examples/ada-grace.yaml");
        let p = policy(
            "required: [reviews, confidentiality.notes.retention, framework]\nnotice: {min: 21d, max: 8w}\nexceptions: [risk of harm, court order]\nscope_out: [hiring decisions, salary]\nmax_meeting_interval: 10d\n",
        );
        let found = check("agreements/ada-grace.yaml", bytes, &p);
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert!(
            found.iter().all(|f| f.rule == "policy" && f.line.is_some()),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("shorter than the programme's minimum of 21d")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("`court order`")),
            "{messages:?}"
        );
        assert!(
            !messages.iter().any(|m| m.contains("`risk of harm`")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("`salary`")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("biweekly")),
            "{messages:?}"
        );
        assert!(
            !messages.iter().any(|m| m.contains("`reviews`")),
            "{messages:?}"
        );
    }

    #[test]
    fn lenient_policy_passes() {
        let bytes = include_bytes!("../examples/ada-grace.yaml");
        let p = policy("required: [reviews]\nnotice: {min: 7d}\nexceptions: [Risk of harm]\nmax_meeting_interval: 2w\n");
        assert_eq!(check("a.yaml", bytes, &p), Vec::new());
    }

    #[test]
    fn self_check_knows_the_fields() {
        let p = policy("required: [reviews, confidentiality.notes.retention, meetings.location, nope.x]\nnotice: {min: 30d, max: 2w}\n");
        let problems = self_check(&p);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].0, ["required", "3"]);
        assert_eq!(problems[1].0, ["notice", "min"]);
    }
}
