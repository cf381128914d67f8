//! `charter demo`: a real repository with history.

use crate::common::{stderr, stdout, Env};
use crate::snap;

#[test]
fn builds_a_sample_repository_with_history() {
    let env = Env::new();
    // The demo's own day, inside its story.
    let out = env
        .charter(&["demo", "sample"])
        .env_remove("CHARTER_TODAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A lived agreement: check-ins with one goal done and one at risk, a
    // concluded agreement with its reason, a declined proposal; all as of
    // the demo's own day.
    insta::assert_snapshot!(snap::render(&env, &out));
    let sample = env.path("sample");
    for id in ["ada-grace", "lin-sam-onboarding", "priya-morgan-reverse"] {
        assert!(
            sample.join(format!("agreements/{id}.yaml")).is_file(),
            "{id}"
        );
    }
    let log = env.git(&["-C", sample.to_str().unwrap(), "log", "--format=%cs %s"]);
    assert!(log.lines().count() >= 5, "{log}");
    assert!(log.contains("Amend ada-grace"), "{log}");
    let status = env.git(&["-C", sample.to_str().unwrap(), "status", "--porcelain"]);
    assert_eq!(status, "", "the working tree is clean");
    assert_eq!(
        env.run(&["-C", "sample", "validate"]).status.code(),
        Some(0)
    );
}

/// `--today` outranks `CHARTER_TODAY` in the demo as in every command, and
/// the demo's verify line counts what `charter verify` counts.
#[test]
fn the_demo_day_and_counts_agree_with_the_commands() {
    let env = Env::new();
    let out = env
        .charter(&["demo", "sample", "--today", "2026-02-01"])
        .env("CHARTER_TODAY", "2026-06-10")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("As of 2026-02-01:"), "{text}");
    let verify = env.run(&["-C", "sample", "verify", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    let (valid, invalid) = (&json["summary"]["valid"], &json["summary"]["invalid"]);
    assert!(
        text.contains(&format!(
            "{valid} valid, {invalid} invalid sign-offs in 3 agreements"
        )),
        "{text}\n{json:#}"
    );
}

#[test]
fn run_inside_a_clone_it_configures_only_the_sample() {
    // A newcomer runs the demo from inside their own clone: the diff driver
    // goes into the sample's config, and the notes say so.
    let env = Env::with_git();
    let out = env.charter(&["demo", "sample"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("in the sample repository's .git/config"),
        "{err}"
    );
    assert!(!err.contains("this clone"), "{err}");
    let own = env.read(".git/config");
    assert!(!own.contains("charter"), "{own}");
    let sample = env.read("sample/.git/config");
    assert!(sample.contains("[diff \"charter\"]"), "{sample}");
}

#[test]
fn refuses_a_non_empty_directory() {
    let env = Env::new();
    env.write("taken/file", "x");
    insta::assert_snapshot!(snap::run(&env, &["demo", "taken"]));
    assert_eq!(env.read("taken/file"), "x");
}

#[test]
fn demo_ends_with_a_page_and_says_where_it_is_and_how_to_remove_it() {
    let env = Env::new();
    let out = env.run(&["demo", "sample"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let dir = env.path("sample");
    let html = dir.join(".git/charter-demo-lin-sam-onboarding.html");
    assert!(
        text.contains(&format!("written to {}", html.display())),
        "{text}"
    );
    assert!(
        text.trim_end()
            .ends_with(&format!("rm -rf '{}'", dir.display())),
        "{text}"
    );
    let page = scraper::Html::parse_document(&std::fs::read_to_string(&html).unwrap());
    let h1: String = page
        .select(&scraper::Selector::parse("h1").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(h1, "First six months, Lin with Sam");
    // The diff driver is configured in the sample, and it stays clean.
    assert_eq!(
        env.git(&["-C", "sample", "config", "diff.charter.command"])
            .trim(),
        "charter git-diff"
    );
    assert_eq!(env.git(&["-C", "sample", "status", "--porcelain"]), "");
}
