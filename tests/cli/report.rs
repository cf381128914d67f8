//! `charter report`: the programme view in every format, on the demo's real
//! repository and on a repository with hostile names.

use crate::common::{example, stderr, stdout, Env};
use crate::snap;

/// The demo repository in `sample`.
fn sample() -> Env {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    env
}

fn report(env: &Env, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["-C", "sample", "report", "--today", "2026-06-10"];
    args.extend_from_slice(extra);
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    out
}

fn json(env: &Env, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let out = report(env, &args);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)))
}

fn ids(list: &serde_json::Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect()
}

#[test]
fn json_answers_the_programme_questions() {
    let env = sample();
    let r = json(&env, &[]);
    assert_eq!(r["today"], "2026-06-10");
    assert_eq!(r["program"], "Demo engineering mentoring programme");
    assert_eq!(r["total"], 3);
    let states = &r["by_state"];
    let count = |state: &str| states[state].as_u64().unwrap();
    // ada-grace has an amendment waiting, lin-sam-onboarding was concluded
    // on 2026-06-05, and Morgan declined the reverse-mentoring draft.
    assert_eq!(
        [
            "draft",
            "in-force",
            "pending",
            "declined",
            "concluded",
            "ended"
        ]
        .map(count),
        [0, 0, 1, 1, 1, 0]
    );
    // ada-grace's amendment (opened 2026-06-01) is 9 days old: not stale at
    // the default 14 days, stale at one week, waiting for the mentee.
    assert_eq!(r["waiting"], serde_json::json!([]));
    let r = json(&env, &["--stale", "1w"]);
    let waiting = &r["waiting"][0];
    assert_eq!(ids(&r["waiting"]), ["ada-grace"]);
    assert_eq!(waiting["since"], "2026-06-01");
    assert_eq!(waiting["days"], 9);
    assert_eq!(waiting["missing"], serde_json::json!(["mentee"]));
    assert_eq!(waiting["who"], serde_json::json!(["ada@example.com"]));
    // ada-grace's amendment was opened on 2026-06-01 with 14 days' notice.
    assert_eq!(ids(&r["notice_ends"]), ["ada-grace"]);
    assert_eq!(r["notice_ends"][0]["earliest_effective"], "2026-06-15");
    assert_eq!(r["notice_ends"][0]["days"], 5);
    // Mentor load: Grace's one agreement; Sam's has been concluded.
    let load: Vec<(&str, u64)> = r["mentor_load"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["mentor"]["email"].as_str().unwrap(),
                m["in_force"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(load, [("grace@example.com", 1)]);
    // Goals come from the check-ins: tech-talk done, design-review at risk
    // and past its due date of 2026-05-29.
    let by_status = &r["goals"]["by_status"];
    assert_eq!(
        ["not-started", "on-track", "at-risk", "done", "dropped"]
            .map(|s| by_status[s].as_u64().unwrap()),
        [0, 0, 1, 1, 0]
    );
    assert_eq!(
        r["goals"]["overdue"],
        serde_json::json!([{"id": "ada-grace", "goal": "design-review",
            "due": "2026-05-29", "status": "at-risk"}])
    );
    // The review held on 2026-04-12 moves the next one to the term's end.
    assert_eq!(r["reviews_overdue"], serde_json::json!([]));
    assert_eq!(r["agreements"][0]["next_review"], "2026-07-10");

    // Months later both terms have run out without a concluding version.
    let out = env.run(&[
        "-C",
        "sample",
        "report",
        "--format",
        "json",
        "--today",
        "2026-11-21",
    ]);
    let later: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(ids(&later["ended_unconcluded"]), ["ada-grace"]);
    assert_eq!(later["mentor_load"], serde_json::json!([]));
}

#[test]
fn filters_by_party_state_and_staleness() {
    let env = sample();
    let r = json(&env, &["--party", "GRACE@example.com"]);
    assert_eq!(r["total"], 1);
    assert_eq!(ids(&r["agreements"]), ["ada-grace"]);
    let r = json(&env, &["--state", "declined", "--state", "concluded"]);
    assert_eq!(
        ids(&r["agreements"]),
        ["lin-sam-onboarding", "priya-morgan-reverse"]
    );
    assert_eq!(
        r["filters"]["states"],
        serde_json::json!(["declined", "concluded"])
    );
    let r = json(&env, &["--stale", "16w"]);
    assert_eq!(r["filters"]["stale_days"], 112);
    assert_eq!(r["waiting"], serde_json::json!([]));
    insta::assert_snapshot!(
        "bad_stale",
        snap::run(&env, &["-C", "sample", "report", "--stale", "soon"])
    );
}

#[test]
fn text_markdown_csv_and_html() {
    let env = sample();
    let out = report(&env, &["--stale", "1w"]);
    insta::assert_snapshot!("text", snap::render(&env, &out));

    let out = report(&env, &["--format", "markdown"]);
    insta::assert_snapshot!("markdown", snap::render(&env, &out));

    let out = report(&env, &["--format", "csv"]);
    insta::assert_snapshot!("csv", snap::render(&env, &out));
    let csv = out.stdout;
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header[..3], ["id", "title", "state"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let state_of = |id: &str| {
        rows.iter()
            .find(|r| &r[0] == id)
            .map(|r| r[2].to_owned())
            .unwrap()
    };
    assert_eq!(state_of("ada-grace"), "pending");
    assert_eq!(state_of("lin-sam-onboarding"), "concluded");
    assert_eq!(state_of("priya-morgan-reverse"), "declined");
    // A title with a comma survives quoting.
    assert!(rows
        .iter()
        .any(|r| &r[1] == "Staff-engineer growth, Ada and Grace"));

    let html = stdout(&report(&env, &["--format", "html"]));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<svg").count(), 3, "three charts");
    assert!(html.contains("@media print"));
    assert!(!html.to_lowercase().contains("<script"));
    assert!(
        !html.contains("http://")
            || html.matches("http://").count()
                == html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count(),
        "nothing fetched"
    );
}

#[test]
fn hostile_values_are_escaped_and_neutralised() {
    let env = Env::with_git();
    let text = example("ada-grace.yaml")
        .replace(
            "title: Staff-engineer growth, Ada and Grace",
            "title: \"<script>alert(1)</script> & </svg>\"",
        )
        .replace(
            "name: Grace Hopper",
            "name: \"=HYPERLINK(\\\"http://x\\\")\"",
        )
        .replace("name: Ada Lovelace", "name: \"+cmd|' /C calc'!A0\"");
    env.write("agreements/ada-grace.yaml", text);
    env.commit_all("Add ada-grace", "2026-01-05T10:00:00Z");
    let html = stdout(&env.run(&["report", "--format", "html"]));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;/svg&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script"));
    let csv = env.run(&["report", "--format", "csv"]).stdout;
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[3], "'=HYPERLINK(\"http://x\")");
    assert_eq!(&row[5], "'+cmd|' /C calc'!A0");
    let md = stdout(&env.run(&["report", "--format", "markdown", "--stale", "0d"]));
    assert!(!md.contains("<script"), "{md}");
}

#[test]
fn outside_a_repository_is_exit_2() {
    let env = Env::new();
    insta::assert_snapshot!(snap::run(&env, &["report"]));
}
