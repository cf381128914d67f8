//! `charter status` on the demo's real repository.

use crate::common::{stderr, Env};
use crate::snap;

fn demo() -> Env {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    env
}

#[test]
fn status_json_has_every_agreement_with_its_state() {
    let env = demo();
    let out = env.run(&[
        "-C",
        "sample",
        "status",
        "--format",
        "json",
        "--today",
        "2026-06-10",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(snap::render(&env, &out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let agreements = json["agreements"].as_array().unwrap();
    let states: Vec<(&str, &str)> = agreements
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        [
            ("ada-grace", "pending"),
            ("lin-sam-onboarding", "concluded"),
            ("priya-morgan-reverse", "declined")
        ]
    );
    let ada = &agreements[0];
    assert_eq!(ada["in_force"]["since"], "2026-03-23");
    assert_eq!(ada["pending"]["opened"], "2026-06-01");
    assert_eq!(ada["pending"]["earliest_effective"], "2026-06-15");
    assert_eq!(ada["pending"]["notice_ok"], true);
    assert_eq!(ada["pending"]["signed_by"], serde_json::json!(["mentor"]));
    assert_eq!(ada["pending"]["missing"], serde_json::json!(["mentee"]));
    // A quarterly review after the one recorded on 2026-04-12 falls after
    // the term, so the next review is the term's last day.
    assert_eq!(ada["last_review"], "2026-04-12");
    assert_eq!(ada["next_review"], "2026-07-10");
    assert_eq!(ada["review_overdue"], false);
    assert_eq!(ada["term_end"], "2026-07-10");
    assert_eq!(
        ada["goals"],
        serde_json::json!([
            {"id": "design-review", "due": "2026-05-29", "status": "at-risk", "overdue": true, "updated": "2026-05-28"},
            {"id": "tech-talk", "due": "2026-06-15", "status": "done", "overdue": false, "updated": "2026-05-28"}
        ])
    );
    assert_eq!(
        ada["goals_due"],
        serde_json::json!([{"id": "design-review", "due": "2026-05-29", "overdue": true}]),
        "a done goal is not due"
    );
    let lin = &agreements[1];
    assert_eq!(
        lin["in_force"]["since"], "2026-06-05",
        "the concluding version took effect on its date"
    );
    assert!(lin["pending"].is_null());
    assert_eq!(lin["review_overdue"], false);
    assert_eq!(
        lin["goals"],
        serde_json::json!([]),
        "nothing is due after concluding"
    );
    let priya = &agreements[2];
    assert!(priya["in_force"].is_null());
    assert_eq!(priya["pending"]["missing"], serde_json::json!(["mentee"]));
    assert_eq!(
        priya["pending"]["declined_by"],
        serde_json::json!(["mentee"])
    );
    assert!(
        priya["goals"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["overdue"] == false),
        "a declined draft has nothing overdue: {priya}"
    );
    assert_eq!(priya["review_overdue"], false);
}

#[test]
fn status_states_follow_the_day() {
    let env = demo();
    let json = |day: &str| -> serde_json::Value {
        serde_json::from_slice(
            &env.run(&["-C", "sample", "status", "--format", "json", "--today", day])
                .stdout,
        )
        .unwrap()
    };
    assert_eq!(
        json("2026-05-08")["agreements"][1]["state"],
        "scheduled",
        "signed, waiting for the notice to end"
    );
    assert_eq!(
        json("2026-05-20")["agreements"][1]["state"],
        "scheduled",
        "the signed conclusion waits for its date"
    );
    assert_eq!(json("2026-08-01")["agreements"][1]["state"], "concluded");
    for day in ["2026-05-08", "2026-05-20", "2026-08-01"] {
        insta::assert_snapshot!(
            format!("status_on_{day}"),
            snap::run(&env, &["-C", "sample", "status", "--today", day])
        );
    }
    assert_eq!(
        json("2026-08-01")["agreements"][0]["state"],
        "ended",
        "past the term's end"
    );
}

#[test]
fn status_text_and_exit_code() {
    let env = demo();
    let out = env.run(&[
        "-C",
        "sample",
        "status",
        "--today",
        "2026-06-10",
        "--color",
        "never",
    ]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("status_text", snap::render(&env, &out));
    // The pending amendment waits for the mentee: it needs attention.
    let out = env.run(&[
        "-C",
        "sample",
        "status",
        "--exit-code",
        "--today",
        "2026-06-10",
    ]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("status_exit_code", snap::render(&env, &out));
}

#[test]
fn status_shows_a_broken_agreement() {
    let env = Env::with_git();
    env.write("agreements/broken.yaml", "title: [unclosed\n");
    env.commit_all("broken", "2026-01-05T10:00:00Z");
    let out = env.run(&["status", "--format", "json", "--exit-code"]);
    assert_eq!(out.status.code(), Some(1), "needs attention");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["agreements"][0]["id"], "broken");
    insta::assert_snapshot!("broken_json", snap::render(&env, &out));
    insta::assert_snapshot!("broken_text", snap::run(&env, &["status", "--exit-code"]));
}

/// A committed version waiting for signatures that `sign` would refuse (an
/// error left after HEAD's lint settings) is a problem in `status`, in the
/// words of the refusal's count; allowed in HEAD's charter.yaml, it is not.
/// An uncommitted charter.yaml changes nothing: status reports HEAD.
#[test]
fn status_names_a_committed_version_sign_would_refuse() {
    let env = Env::with_git();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid-minimal.yaml"
    ))
    .unwrap()
    .replace("Grow as an engineer.", "<what this mentorship is for>");
    env.write("agreements/ada-grace.yaml", &text);
    env.commit_all("Propose", "2026-01-05T10:00:00Z");
    let problem = |env: &Env| {
        let out = env.run(&["status", "--format", "json", "--exit-code"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), json["agreements"][0]["problem"].clone())
    };
    let (code, found) = problem(&env);
    assert_eq!(code, Some(1));
    assert_eq!(
        found,
        "agreements/ada-grace.yaml has 1 error at HEAD, so it cannot be signed; run `charter validate`"
    );
    let refused = env.run(&["sign", "ada-grace", "--as", "mentor"]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("error[placeholder]"),
        "{}",
        stderr(&refused)
    );
    env.write(
        "charter.yaml",
        "charter: 1\nlint: { allow: [placeholder] }\n",
    );
    assert_eq!(
        problem(&env).1,
        found,
        "an uncommitted charter.yaml changes nothing"
    );
    env.commit_all("Allow placeholders", "2026-01-06T10:00:00Z");
    assert!(problem(&env).1.is_null(), "{:?}", problem(&env));
}

#[test]
fn goal_status_is_what_the_parties_had_reported_by_the_day() {
    let env = demo();
    let goals = |day: &str| -> Vec<(String, String, String)> {
        let out = env.run(&["-C", "sample", "status", "--format", "json", "--today", day]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["agreements"][0]["goals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g["id"].as_str().unwrap().to_owned(),
                    g["status"].as_str().unwrap_or("none").to_owned(),
                    g["updated"].as_str().unwrap_or("never").to_owned(),
                )
            })
            .collect()
    };
    // The April review reported tech-talk on track; it was done in May,
    // which is not known yet on 2026-05-01.
    let s = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
    assert_eq!(
        goals("2026-05-01"),
        [
            s("design-review", "at-risk", "2026-04-12"),
            s("tech-talk", "on-track", "2026-04-12")
        ]
    );
    assert_eq!(
        goals("2026-06-10"),
        [
            s("design-review", "at-risk", "2026-05-28"),
            s("tech-talk", "done", "2026-05-28")
        ]
    );
    // Before the first check-in nothing has been reported.
    assert_eq!(
        goals("2026-02-01"),
        [
            s("design-review", "none", "never"),
            s("tech-talk", "none", "never")
        ]
    );
}
