//! `charter status` on the demo's real repository.

use crate::common::{stderr, stdout, Env};

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
            ("lin-sam-onboarding", "in-force"),
            ("priya-morgan-reverse", "draft")
        ]
    );
    let ada = &agreements[0];
    assert_eq!(ada["in_force"]["since"], "2026-03-23");
    assert_eq!(ada["pending"]["opened"], "2026-06-01");
    assert_eq!(ada["pending"]["earliest_effective"], "2026-06-15");
    assert_eq!(ada["pending"]["notice_ok"], true);
    assert_eq!(ada["pending"]["signed_by"], serde_json::json!(["mentor"]));
    assert_eq!(ada["pending"]["missing"], serde_json::json!(["mentee"]));
    assert_eq!(ada["next_review"], "2026-07-12");
    assert_eq!(ada["term_end"], "2026-07-10");
    assert_eq!(
        ada["goals_due"][0],
        serde_json::json!({"id": "design-review", "due": "2026-05-29", "overdue": true})
    );
    let lin = &agreements[1];
    assert_eq!(
        lin["in_force"]["since"], "2026-05-11",
        "held back to the end of the notice period"
    );
    assert!(lin["pending"].is_null());
    let priya = &agreements[2];
    assert!(priya["in_force"].is_null());
    assert_eq!(priya["pending"]["missing"], serde_json::json!(["mentee"]));
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
    assert_eq!(json("2026-08-01")["agreements"][1]["state"], "ended");
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
    let text = stdout(&out);
    assert!(text.contains("ada-grace"), "{text}");
    assert!(text.contains("waiting for mentee"), "{text}");
    assert_eq!(
        env.run(&[
            "-C",
            "sample",
            "status",
            "--exit-code",
            "--today",
            "2026-06-10"
        ])
        .status
        .code(),
        Some(1)
    );
}
