//! `charter calendar`: RFC 5545 output read back with a real iCalendar
//! parser (the `icalendar` crate), its events checked against the dates in
//! the agreements, on a repository with real sign-offs.

use std::str::FromStr;

use icalendar::{CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, EventLike};

use crate::common::{stderr, stdout, Env, Key, NOW};
use crate::snap;

const LOCATION: &str = "Room 4, \"Lovelace\"; 2nd floor — über den Hof\nring twice";

/// A timed agreement in Berlin, meeting on Tuesdays at 10:30.
fn timed() -> String {
    format!(
        "charter: 1
title: Timed agreement, Ada and Grace
parties:
  mentor: {{ name: Grace Hopper, email: grace@example.com }}
  mentee: {{ name: Ada Lovelace, email: ada@example.com }}
purpose: Grow as an engineer.
effective: 2026-01-12
term: {{ start: 2026-01-12, end: 2026-07-10 }}
meetings:
  cadence: biweekly
  length: 45m
  weekday: tuesday
  time: \"10:30\"
  timezone: Europe/Berlin
  location: {}
goals:
  - {{ id: design-review, goal: Lead a design review., measure: Record merged., due: 2026-04-30, evidence: The record. }}
  - {{ id: talk, goal: Give a talk., measure: Talk given., due: 2026-06-15, evidence: Slides. }}
reviews: {{ cadence: quarterly }}
confidentiality:
  private: [career plans]
  exceptions: [risk of harm]
renegotiation: {{ notice: 14d }}
",
        serde_json::Value::String(LOCATION.to_owned())
    )
}

/// An all-day agreement (no time of day), later concluded early.
fn all_day() -> String {
    "charter: 1
title: All-day agreement, Lin and Sam
parties:
  mentor: { name: Sam Okafor, email: sam@example.com }
  mentee: { name: Lin Chen, email: lin@example.com }
purpose: Settle in.
effective: 2026-02-02
term: { start: 2026-02-02, end: 2026-07-31 }
meetings: { cadence: monthly, length: 1h }
goals:
  - { id: first-deploy, goal: Deploy., measure: Deployed., due: 2026-03-15, evidence: The deploy. }
  - { id: late-goal, goal: Something late., measure: Done., due: 2026-06-30, evidence: Notes. }
confidentiality:
  private: [career plans]
  exceptions: [risk of harm]
renegotiation: { notice: 7d }
"
    .to_owned()
}

struct Keys {
    grace: Key,
    ada: Key,
    sam: Key,
    lin: Key,
}

fn sign(env: &Env, id: &str, role: &str, key: &Key) {
    let out = env.run(&["sign", id, "--as", role, "--key", key.path()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "sign {id} {role}: {}",
        stderr(&out)
    );
}

/// Both agreements signed by both parties; the second then concluded on
/// 2026-03-31 with the mentee's signature.
fn setup() -> (Env, Keys) {
    let env = Env::with_git().clocked(NOW);
    let keys = Keys {
        grace: env.keygen("grace", "ed25519", ""),
        ada: env.keygen("ada", "ed25519", ""),
        sam: env.keygen("sam", "ed25519", ""),
        lin: env.keygen("lin", "ed25519", ""),
    };
    env.write(
        "allowed_signers",
        format!(
            "grace@example.com {}\nada@example.com {}\nsam@example.com {}\nlin@example.com {}\n",
            keys.grace.line, keys.ada.line, keys.sam.line, keys.lin.line
        ),
    );
    env.write("charter.yaml", "charter: 1\nprogram: \"Mentoring, 2026\"\n");
    env.write("agreements/ada-grace.yaml", timed());
    env.write("agreements/lin-sam.yaml", all_day());
    env.commit_all("Add agreements", "2026-01-05T10:00:00Z");
    sign(&env, "ada-grace", "mentor", &keys.grace);
    sign(&env, "ada-grace", "mentee", &keys.ada);
    sign(&env, "lin-sam", "mentor", &keys.sam);
    sign(&env, "lin-sam", "mentee", &keys.lin);
    env.write(
        "agreements/lin-sam.yaml",
        format!(
            "{}concluded: {{ date: 2026-03-31, note: Lin moved teams. }}\n",
            all_day()
        ),
    );
    env.commit_all("Conclude lin-sam", NOW);
    sign(&env, "lin-sam", "mentee", &keys.lin);
    (env, keys)
}

fn calendar(env: &Env, args: &[&str]) -> String {
    let mut all = vec!["calendar"];
    all.extend_from_slice(args);
    let out = env.run(&all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

fn events(text: &str) -> Vec<icalendar::Event> {
    let calendar = icalendar::Calendar::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    calendar
        .components
        .into_iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

fn by_uid<'a>(events: &'a [icalendar::Event], uid: &str) -> &'a icalendar::Event {
    events
        .iter()
        .find(|e| e.get_uid() == Some(uid))
        .unwrap_or_else(|| panic!("no event {uid}"))
}

fn day(e: &icalendar::Event) -> chrono::NaiveDate {
    match e.get_start() {
        Some(DatePerhapsTime::Date(d)) => d,
        other => panic!("not all-day: {other:?}"),
    }
}

#[test]
fn events_match_the_agreements() {
    let (env, _keys) = setup();
    let text = calendar(&env, &[]);
    // Lines end in CRLF and are folded at 75 octets.
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(!line.contains('\n'), "{line:?}");
    }
    assert!(
        text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"),
        "{text}"
    );
    let raw = icalendar::parser::unfold(&text);
    let parsed = icalendar::parser::read_calendar(&raw).unwrap();
    let name = parsed
        .properties
        .iter()
        .find(|p| p.name == "X-WR-CALNAME")
        .unwrap();
    assert_eq!(name.val.clone().unescape_text().as_str(), "Mentoring, 2026");
    // The name is HEAD's: an uncommitted edit of charter.yaml changes
    // nothing, as for the records themselves.
    env.write("charter.yaml", "charter: 1\nprogram: \"Not committed\"\n");
    let again = calendar(&env, &[]);
    assert!(again.contains("X-WR-CALNAME:Mentoring\\, 2026"), "{again}");
    assert!(!again.contains("Not committed"), "{again}");
    env.git(&["checkout", "--", "charter.yaml"]);

    let events = events(&text);
    // The meeting series: Tuesdays at 10:30 Berlin time, every two weeks
    // from the first Tuesday of the term until its end.
    let meetings = by_uid(&events, "ada-grace.meetings@charter");
    match meetings.get_start() {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid })) => {
            assert_eq!(tzid, "Europe/Berlin");
            assert_eq!(date_time.to_string(), "2026-01-13 10:30:00");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        meetings.property_value("RRULE"),
        Some("FREQ=WEEKLY;INTERVAL=2;UNTIL=20260710T215959Z")
    );
    assert_eq!(meetings.property_value("DURATION"), Some("PT0H45M"));
    assert_eq!(meetings.get_location(), Some(LOCATION));

    // Goals are all-day on their due dates.
    assert_eq!(
        day(by_uid(&events, "ada-grace.goal.design-review@charter")).to_string(),
        "2026-04-30"
    );
    assert_eq!(
        day(by_uid(&events, "ada-grace.goal.talk@charter")).to_string(),
        "2026-06-15"
    );
    // Quarterly reviews from the start of the term.
    let reviews = by_uid(&events, "ada-grace.reviews@charter");
    assert_eq!(day(reviews).to_string(), "2026-04-12");
    assert_eq!(
        reviews.property_value("RRULE"),
        Some("FREQ=MONTHLY;INTERVAL=3;UNTIL=20260710")
    );
    assert_eq!(
        day(by_uid(&events, "ada-grace.term-end@charter")).to_string(),
        "2026-07-10"
    );

    // The concluded agreement: an all-day monthly series that stops at the
    // conclusion, no term end, no goal due after it.
    let lin = by_uid(&events, "lin-sam.meetings@charter");
    assert_eq!(day(lin).to_string(), "2026-02-02");
    assert_eq!(
        lin.property_value("RRULE"),
        Some("FREQ=MONTHLY;INTERVAL=1;UNTIL=20260331")
    );
    assert!(events
        .iter()
        .all(|e| e.get_uid() != Some("lin-sam.term-end@charter")));
    assert!(events
        .iter()
        .all(|e| e.get_uid() != Some("lin-sam.goal.late-goal@charter")));
    assert_eq!(
        day(by_uid(&events, "lin-sam.goal.first-deploy@charter")).to_string(),
        "2026-03-15"
    );

    // The same commit gives the same file: UIDs and stamps are not from the clock.
    assert_eq!(calendar(&env, &[]), text);
}

#[test]
fn amendments_keep_uids_and_show_the_earliest_effective_date() {
    let (env, _keys) = setup();
    let before = events(&calendar(&env, &["ada-grace"]));
    assert!(before
        .iter()
        .all(|e| e.get_uid().unwrap().starts_with("ada-grace.")));
    // Propose moving the talk; the notice is 14 days from the day it is committed.
    env.write(
        "agreements/ada-grace.yaml",
        timed()
            .replace("due: 2026-06-15", "due: 2026-06-29")
            .replace("effective: 2026-01-12", "effective: 2026-06-15"),
    );
    env.commit_all("Move the talk", NOW);
    // Judged the day after the sign-offs (made at NOW).
    let today = "2026-11-22".to_owned();
    let text = calendar(&env, &["ada-grace", "--today", &today]);
    let after = events(&text);
    let uids = |v: &[icalendar::Event]| {
        let mut u: Vec<String> = v.iter().map(|e| e.get_uid().unwrap().to_owned()).collect();
        u.sort();
        u
    };
    let mut expected = uids(&before);
    expected.push("ada-grace.amendment@charter".to_owned());
    expected.sort();
    assert_eq!(uids(&after), expected);
    // The in-force version still governs the goal; the pending amendment
    // may take effect 14 days after it was opened, at the earliest.
    let amendment = by_uid(&after, "ada-grace.amendment@charter");
    let opened = env.git(&["log", "-1", "--format=%cs"]);
    let opened = chrono::NaiveDate::parse_from_str(opened.trim(), "%Y-%m-%d").unwrap();
    assert_eq!(day(amendment), opened + chrono::Days::new(14));
    assert_eq!(
        day(by_uid(&after, "ada-grace.goal.talk@charter")).to_string(),
        "2026-06-15"
    );
}

#[test]
fn filters_and_refusals() {
    let (env, _keys) = setup();
    let events_to = events(&calendar(&env, &["--to", "2026-03-01"]));
    assert!(events_to.iter().all(|e| match e.get_start() {
        Some(DatePerhapsTime::Date(d)) => d.to_string().as_str() <= "2026-03-01",
        _ => true,
    }));
    assert!(events_to
        .iter()
        .any(|e| e.get_uid() == Some("ada-grace.meetings@charter")));
    assert!(events_to
        .iter()
        .all(|e| e.get_uid() != Some("ada-grace.goal.talk@charter")));
    let from = events(&calendar(&env, &["--from", "2026-05-01"]));
    assert!(
        from.iter()
            .all(|e| !e.get_uid().unwrap().starts_with("lin-sam.")),
        "lin-sam ended in March"
    );
    let party = events(&calendar(&env, &["--party", "lin@example.com"]));
    assert!(!party.is_empty());
    assert!(party
        .iter()
        .all(|e| e.get_uid().unwrap().starts_with("lin-sam.")));

    insta::assert_snapshot!("unknown_id", snap::run(&env, &["calendar", "nobody"]));
    insta::assert_snapshot!(
        "bad_date",
        snap::run(&env, &["calendar", "--from", "2026-13-01"])
    );
    insta::assert_snapshot!("path_as_id", snap::run(&env, &["calendar", "../x"]));
}

#[test]
fn meeting_fields_are_validated() {
    let env = Env::with_git();
    env.write(
        "agreements/ada-grace.yaml",
        timed()
            .replace("timezone: Europe/Berlin", "timezone: Europe/Atlantis")
            .replace("time: \"10:30\"", "time: \"25:00\""),
    );
    let out = env.run(&["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &json["findings"][0];
    assert_eq!(f["rule"], "schema");
    assert!(f["message"].as_str().unwrap().contains("25:00"), "{f}");
    assert_eq!(f["line"], 13);
    env.write(
        "agreements/ada-grace.yaml",
        timed().replace("timezone: Europe/Berlin", "timezone: Europe/Atlantis"),
    );
    let out = env.run(&["validate", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &json["findings"][0];
    assert!(f["message"].as_str().unwrap().contains("IANA"), "{f}");
    assert_eq!(f["line"], 14);
}
