//! The dates agreements promise, as an RFC 5545 calendar (`charter
//! calendar`): the meeting series, periodic reviews, goal due dates, the
//! earliest effective date of a pending amendment and the end of the term.
//!
//! UIDs are derived from the agreement id, the kind of event and the goal
//! id, never from time, so importing the calendar again updates events
//! instead of duplicating them. `DTSTAMP` is the time of the commit judged,
//! so the same commit always gives the same file.

pub mod ical;
pub mod tz;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone as _, Utc};
use chrono_tz::Tz;

use crate::agreement::types::Cadence;
use crate::agreement::Agreement;
use crate::record::Record;
use crate::report::governing;
use crate::rules::AgreementState;
use ical::Writer;

/// What to put in the calendar.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only these agreements (all when empty).
    pub ids: Vec<String>,
    /// Only agreements where this email is mentor, mentee or observer.
    pub party: Option<String>,
    /// Leave out events (or series) that end before this day.
    pub from: Option<NaiveDate>,
    /// Leave out events (or series) that start after this day.
    pub to: Option<NaiveDate>,
    /// The calendar's name (`X-WR-CALNAME`).
    pub name: Option<String>,
}

/// When an event starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// An all-day event.
    Date(NaiveDate),
    /// A local time with no zone ("floating": the same clock time everywhere).
    Floating(NaiveDateTime),
    /// A local time in an IANA zone.
    Zoned(NaiveDateTime, Tz),
}

impl When {
    /// The calendar day it starts on.
    pub fn date(&self) -> NaiveDate {
        match self {
            When::Date(d) => *d,
            When::Floating(t) | When::Zoned(t, _) => t.date(),
        }
    }
}

/// The kind of an event, which is also part of its UID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The meeting series.
    Meetings,
    /// The series of periodic reviews.
    Reviews,
    /// A goal's due date.
    Goal,
    /// The earliest effective date of a pending amendment.
    Amendment,
    /// The last day of the term.
    TermEnd,
}

impl Kind {
    /// The word used in UIDs and categories.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Meetings => "meetings",
            Kind::Reviews => "reviews",
            Kind::Goal => "goal",
            Kind::Amendment => "amendment",
            Kind::TermEnd => "term-end",
        }
    }
}

/// One VEVENT.
#[derive(Debug, Clone)]
pub struct Event {
    /// The agreement it belongs to.
    pub agreement: String,
    /// What it is.
    pub kind: Kind,
    /// The goal id, for goal events.
    pub goal: Option<String>,
    /// One-line title.
    pub summary: String,
    /// Longer text.
    pub description: Option<String>,
    /// Where.
    pub location: Option<String>,
    /// Start.
    pub start: When,
    /// Length in minutes, for timed events.
    pub minutes: Option<u32>,
    /// Recurrence (RRULE without UNTIL), for series.
    pub rule: Option<String>,
    /// The last day of a series.
    pub until: Option<NaiveDate>,
}

impl Event {
    /// The stable UID: agreement id, kind and goal id.
    pub fn uid(&self) -> String {
        match &self.goal {
            Some(goal) => format!("{}.{}.{goal}@charter", self.agreement, self.kind.as_str()),
            None => format!("{}.{}@charter", self.agreement, self.kind.as_str()),
        }
    }

    fn last_day(&self) -> Option<NaiveDate> {
        match &self.rule {
            Some(_) => self.until,
            None => Some(self.start.date()),
        }
    }
}

/// An RRULE for a cadence, starting on `start` (for monthly rhythms on a
/// weekday, the same week of the month: the 2nd Tuesday, or the last).
pub fn rrule(cadence: Cadence, start: NaiveDate, on_weekday: bool) -> String {
    let monthly = |interval: u32| {
        let mut rule = format!("FREQ=MONTHLY;INTERVAL={interval}");
        if on_weekday {
            let nth = (start.day() - 1) / 7 + 1;
            let nth = if nth >= 5 { -1 } else { nth as i32 };
            let day = crate::agreement::schedule::MeetingDay(start.weekday()).ical();
            rule.push_str(&format!(";BYDAY={nth}{day}"));
        }
        rule
    };
    match cadence {
        Cadence::Weekly => "FREQ=WEEKLY;INTERVAL=1".to_owned(),
        Cadence::Biweekly => "FREQ=WEEKLY;INTERVAL=2".to_owned(),
        Cadence::EveryWeeks(n) => format!("FREQ=WEEKLY;INTERVAL={n}"),
        Cadence::EveryDays(n) => format!("FREQ=DAILY;INTERVAL={n}"),
        Cadence::Monthly => monthly(1),
        Cadence::Quarterly => monthly(3),
    }
}

fn involves(a: &Agreement, email: &str) -> bool {
    a.parties.mentor.email.eq_ignore_ascii_case(email)
        || a.parties.mentee.email.eq_ignore_ascii_case(email)
        || a.parties
            .observers
            .iter()
            .flatten()
            .any(|o| o.email.eq_ignore_ascii_case(email))
}

/// The events of one agreement, as its record stands.
pub fn agreement_events(record: &Record) -> Vec<Event> {
    let e = &record.evaluation;
    if e.state == AgreementState::Draft {
        return Vec::new();
    }
    let Some(a) = governing(record) else {
        return Vec::new();
    };
    let id = &record.id;
    let concluded = e
        .in_force
        .map(|i| &e.versions[i])
        .filter(|v| v.concluding)
        .and_then(|_| a.concluded.as_ref().map(|c| c.date.0));
    let end = match (a.term.end.map(|d| d.0), concluded) {
        (Some(t), Some(c)) => Some(t.min(c)),
        (t, c) => t.or(c),
    };
    let pair = format!("{} and {}", a.parties.mentee.name, a.parties.mentor.name);
    let mut events = Vec::new();

    // The meeting series.
    let m = &a.meetings;
    let mut first = a.term.start.0;
    if let Some(day) = m.weekday {
        while first.weekday() != day.0 {
            first = first.succ_opt().unwrap_or(first);
        }
    }
    let start = match (m.time, m.timezone) {
        (Some(t), Some(z)) => When::Zoned(first.and_time(t.0), z.0),
        (Some(t), None) => When::Floating(first.and_time(t.0)),
        _ => When::Date(first),
    };
    let mut description = format!("{} ({}", a.title, m.cadence);
    if let Some(length) = &m.length {
        description.push_str(&format!(", {length}"));
    }
    description.push(')');
    if let Some(channels) = &m.channels {
        description.push_str(&format!("\nChannels: {}", channels.join(", ")));
    }
    if let Some(cancel) = &m.cancellation {
        description.push_str(&format!("\nCancellation: {cancel}"));
    }
    let minutes = m.length.and_then(|l| match l.unit {
        crate::agreement::types::Unit::Minutes => Some(l.amount),
        crate::agreement::types::Unit::Hours => Some(l.amount.saturating_mul(60)),
        _ => None,
    });
    if end.is_none_or(|end| first <= end) {
        events.push(Event {
            agreement: id.clone(),
            kind: Kind::Meetings,
            goal: None,
            summary: format!("Mentoring: {pair}"),
            description: Some(description),
            location: m.location.clone(),
            start,
            minutes: minutes.filter(|_| !matches!(start, When::Date(_))),
            rule: Some(rrule(m.cadence, first, m.weekday.is_some())),
            until: end,
        });
    }

    // Reviews.
    if let Some(reviews) = &a.reviews {
        let first = reviews.cadence.next_after(a.term.start.0);
        if end.is_none_or(|end| first <= end) {
            let mut description = format!("Review of progress: {}", a.title);
            if let Some(card) = &reviews.scorecard {
                description.push_str(&format!("\nScorecard: {}", card.join(", ")));
            }
            events.push(Event {
                agreement: id.clone(),
                kind: Kind::Reviews,
                goal: None,
                summary: format!("Mentoring review: {pair}"),
                description: Some(description),
                location: None,
                start: When::Date(first),
                minutes: None,
                rule: Some(rrule(reviews.cadence, first, false)),
                until: end,
            });
        }
    }

    // Goal due dates.
    for g in &a.goals {
        if concluded.is_some_and(|c| g.due.0 > c) {
            continue;
        }
        events.push(Event {
            agreement: id.clone(),
            kind: Kind::Goal,
            goal: Some(g.id.clone()),
            summary: format!("Goal due: {} ({pair})", g.id),
            description: Some(format!("{}\nMeasure: {}", g.goal, g.measure)),
            location: None,
            start: When::Date(g.due.0),
            minutes: None,
            rule: None,
            until: None,
        });
    }

    // The earliest effective date of a pending amendment.
    if let Some(n) = e.pending.and_then(|i| e.versions[i].notice.as_ref()) {
        if concluded.is_none() {
            events.push(Event {
                agreement: id.clone(),
                kind: Kind::Amendment,
                goal: None,
                summary: format!("Amendment may take effect: {id}"),
                description: Some(format!(
                    "The pending amendment of {id} may take effect from this day (renegotiation opened {}, {} days' notice).",
                    n.opened, n.notice_days
                )),
                location: None,
                start: When::Date(n.earliest_effective),
                minutes: None,
                rule: None,
                until: None,
            });
        }
    }

    // The end of the term.
    if let (Some(term_end), None) = (a.term.end, concluded) {
        events.push(Event {
            agreement: id.clone(),
            kind: Kind::TermEnd,
            goal: None,
            summary: format!("Mentorship term ends: {pair}"),
            description: Some(format!(
                "The last day of the term of {id}: conclude it with a short note, or agree an extension."
            )),
            location: None,
            start: When::Date(term_end.0),
            minutes: None,
            rule: None,
            until: None,
        });
    }
    events
}

/// The events of the records, after the options' filters.
pub fn events(records: &[Record], opts: &Options) -> Vec<Event> {
    let mut out = Vec::new();
    for record in records {
        if !opts.ids.is_empty() && !opts.ids.contains(&record.id) {
            continue;
        }
        if let Some(email) = &opts.party {
            if !governing(record).is_some_and(|a| involves(a, email)) {
                continue;
            }
        }
        for event in agreement_events(record) {
            let starts_late = opts.to.is_some_and(|to| event.start.date() > to);
            let ends_early = opts
                .from
                .is_some_and(|from| event.last_day().is_some_and(|l| l < from));
            if !starts_late && !ends_early {
                out.push(event);
            }
        }
    }
    out
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

fn local(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

/// Write a VCALENDAR with the events; `stamp` is their DTSTAMP.
pub fn write(events: &[Event], opts: &Options, stamp: DateTime<Utc>) -> String {
    let mut w = Writer::default();
    w.line("BEGIN", "VCALENDAR");
    w.line("VERSION", "2.0");
    w.line(
        "PRODID",
        &format!("-//charter//charter {}//EN", env!("CARGO_PKG_VERSION")),
    );
    w.line("CALSCALE", "GREGORIAN");
    w.line("METHOD", "PUBLISH");
    if let Some(name) = &opts.name {
        w.text("X-WR-CALNAME", name);
    }
    // One VTIMEZONE per zone used, spanning its events.
    let mut zones: BTreeMap<&'static str, (Tz, NaiveDate, NaiveDate)> = BTreeMap::new();
    for e in events {
        if let When::Zoned(t, tz) = e.start {
            let last = e
                .until
                .unwrap_or(t.date() + chrono::Duration::days(3 * 366));
            let entry = zones.entry(tz.name()).or_insert((tz, t.date(), last));
            entry.1 = entry.1.min(t.date());
            entry.2 = entry.2.max(last);
        }
    }
    for (tz, from, to) in zones.values() {
        let from = NaiveDate::from_ymd_opt(from.year() - 1, 1, 1).unwrap_or(*from);
        let to = NaiveDate::from_ymd_opt(to.year() + 1, 1, 1).unwrap_or(*to);
        tz::write_vtimezone(&mut w, *tz, from, to);
    }
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    for e in events {
        w.line("BEGIN", "VEVENT");
        w.text("UID", &e.uid());
        w.line("DTSTAMP", &stamp);
        match e.start {
            When::Date(d) => {
                w.line("DTSTART;VALUE=DATE", &date(d));
                w.line("DTEND;VALUE=DATE", &date(d.succ_opt().unwrap_or(d)));
            }
            When::Floating(t) => w.line("DTSTART", &local(t)),
            When::Zoned(t, tz) => w.line(
                &format!("DTSTART;TZID={}", ical::param_value(tz.name())),
                &local(t),
            ),
        }
        if let (Some(m), false) = (e.minutes, matches!(e.start, When::Date(_))) {
            w.line("DURATION", &format!("PT{}H{}M", m / 60, m % 60));
        }
        if let Some(rule) = &e.rule {
            let mut rule = rule.clone();
            if let Some(until) = e.until {
                let value = match e.start {
                    When::Date(_) => date(until),
                    When::Floating(_) => format!("{}T235959", date(until)),
                    When::Zoned(_, tz) => {
                        let last = until.and_hms_opt(23, 59, 59).unwrap_or_default();
                        let utc = tz
                            .from_local_datetime(&last)
                            .latest()
                            .map(|t| t.with_timezone(&Utc))
                            .unwrap_or_else(|| last.and_utc());
                        utc.format("%Y%m%dT%H%M%SZ").to_string()
                    }
                };
                rule.push_str(&format!(";UNTIL={value}"));
            }
            w.line("RRULE", &rule);
        }
        w.text("SUMMARY", &e.summary);
        if let Some(d) = &e.description {
            w.text("DESCRIPTION", d);
        }
        if let Some(l) = &e.location {
            w.text("LOCATION", l);
        }
        w.line("CATEGORIES", &format!("mentoring,{}", e.kind.as_str()));
        w.line(
            "TRANSP",
            if matches!(e.start, When::Date(_)) {
                "TRANSPARENT"
            } else {
                "OPAQUE"
            },
        );
        w.line("END", "VEVENT");
    }
    w.line("END", "VCALENDAR");
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(
            rrule(Cadence::Biweekly, d(2026, 1, 13), true),
            "FREQ=WEEKLY;INTERVAL=2"
        );
        assert_eq!(
            rrule(Cadence::Monthly, d(2026, 1, 13), true),
            "FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU"
        );
        assert_eq!(
            rrule(Cadence::Quarterly, d(2026, 1, 29), true),
            "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TH"
        );
        assert_eq!(
            rrule(Cadence::EveryDays(10), d(2026, 1, 1), false),
            "FREQ=DAILY;INTERVAL=10"
        );
    }
}
