//! `charter new`: the template, its placeholders, refusals.

use crate::common::{findings_json, stderr, Env};
use crate::snap;

const ARGS: &[&str] = &[
    "new",
    "ada-grace",
    "--mentor",
    "Grace Hopper <grace@example.com>",
    "--mentee",
    "Ada Lovelace <ada@example.com>",
];

#[test]
fn template_validates_once_placeholders_are_filled() {
    let env = Env::new();
    env.run(&["init"]);
    let out = env.run(ARGS);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = env.read("agreements/ada-grace.yaml");
    assert!(text.starts_with("# yaml-language-server: $schema=../schema/agreement.schema.json\n"));
    assert!(text.contains("effective: 2026-11-21"), "uses today's date");
    for section in [
        "parties:",
        "purpose:",
        "term:",
        "meetings:",
        "scope:",
        "responsibilities:",
        "goals:",
        "feedback:",
        "reviews:",
        "confidentiality:",
        "renegotiation:",
        "framework",
    ] {
        assert!(text.contains(section), "template covers {section}");
    }

    let out = env.run(&["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "placeholders are errors");
    let report = findings_json(&out);
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    // The new repository's allowed_signers has no keys yet, so both parties
    // are also unknown signers (a warning).
    assert!(findings.iter().any(|f| f["rule"] == "placeholder"));
    assert!(
        findings
            .iter()
            .all(|f| f["rule"] == "placeholder" || f["rule"] == "unknown-signer"),
        "{findings:#?}"
    );

    let filled = regex_free_fill(&text);
    env.write("agreements/ada-grace.yaml", filled);
    let out = env.run(&["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let report = findings_json(&out);
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["unknown-signer", "unknown-signer"],
        "nothing else, not even a warning"
    );
}

/// Replace every `<…>` that is not an email with words.
fn regex_free_fill(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let inner = &rest[start..start + len + 1];
        out.push_str(&rest[..start]);
        out.push_str(if inner.contains('@') {
            inner
        } else {
            "Something concrete"
        });
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn refuses_to_overwrite() {
    let env = Env::with_git();
    env.write("agreements/ada-grace.yaml", "mine\n");
    let out = env.run(ARGS);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!(snap::render(&env, &out));
    assert_eq!(env.read("agreements/ada-grace.yaml"), "mine\n");
}

#[test]
fn refuses_bad_people() {
    let env = Env::with_git();
    let out = env.run(&[
        "new",
        "x",
        "--mentor",
        "Grace",
        "--mentee",
        "Ada <ada@example.com>",
    ]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("no_email", snap::render(&env, &out));
    let out = env.run(&[
        "new",
        "x",
        "--mentor",
        "G <same@example.com>",
        "--mentee",
        "A <same@example.com>",
    ]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("same_person", snap::render(&env, &out));
    // The same person spelt with full-width letters or another case is
    // still one person, as `validate` would say of the file.
    let out = env.run(&[
        "new",
        "x",
        "--mentor",
        "G <same@example.com>",
        "--mentee",
        "A <\u{ff33}AME@example.com>",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", snap::render(&env, &out));
    assert!(!env.path("agreements/x.yaml").exists());
    // What `validate` would flag in the file is refused before it is
    // written: two @ signs, an invisible character.
    for email in ["a@b@example.com", "a\u{200b}b@example.com"] {
        let mentee = format!("A <{email}>");
        let out = env.run(&[
            "new",
            "x",
            "--mentor",
            "G <g@example.com>",
            "--mentee",
            &mentee,
        ]);
        assert_eq!(out.status.code(), Some(2), "{}", snap::render(&env, &out));
        assert!(
            stderr(&out).contains("--mentee") && stderr(&out).contains("the email"),
            "{}",
            snap::render(&env, &out)
        );
        assert!(!env.path("agreements/x.yaml").exists());
    }
    assert!(!env.path("agreements/x.yaml").exists());
}

#[test]
fn names_with_yaml_punctuation_are_quoted() {
    let env = Env::with_git();
    let out = env.run(&[
        "new",
        "x",
        "--mentor",
        "O'Brien, Pat: \"PJ\" <pat@example.com>",
        "--mentee",
        "A # B <ab@example.com>",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let parsed = charter::yaml::parse(&env.read("agreements/x.yaml"))
        .unwrap()
        .to_json();
    assert_eq!(parsed["parties"]["mentor"]["name"], "O'Brien, Pat: \"PJ\"");
    assert_eq!(parsed["parties"]["mentee"]["name"], "A # B");
}
