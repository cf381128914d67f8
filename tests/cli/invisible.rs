//! Invisible and look-alike characters in party addresses: refused where
//! they could make one person two, and shown escaped where they are printed.

use crate::common::{example, findings_json, stderr, stdout, Env};

const FILE: &str = "agreements/ada-grace.yaml";

fn with_emails(mentor: &str, mentee: &str) -> String {
    example("ada-grace.yaml")
        .replace("email: grace@example.com", &format!("email: \"{mentor}\""))
        .replace("email: ada@example.com", &format!("email: \"{mentee}\""))
}

fn findings(env: &Env) -> Vec<serde_json::Value> {
    let out = env.run(&["validate", "--format", "json", FILE]);
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    findings_json(&out)["findings"].as_array().unwrap().clone()
}

#[test]
fn an_email_with_an_invisible_character_is_invalid() {
    let env = Env::with_git();
    for hidden in ["\\u200B", "\\u202E", "\\uFEFF", "\\u00AD", "\\u2060", "\\t"] {
        env.write(
            FILE,
            with_emails("grace@example.com", &format!("ada@example.com{hidden}")),
        );
        let found = findings(&env);
        let invalid = found
            .iter()
            .find(|f| f["rule"] == "invalid-email")
            .unwrap_or_else(|| panic!("{hidden}: no invalid-email in {found:#?}"));
        assert_eq!(invalid["severity"], "error");
        assert_eq!(invalid["line"], 7, "{invalid:#}");
        let message = invalid["message"].as_str().unwrap();
        // The hidden character is spelt out, never printed raw.
        assert!(
            message.contains("ada@example.com\\u{") || message.contains("ada@example.com\\t"),
            "{message}"
        );
        assert!(
            !message.contains('\u{200b}') && !message.contains('\u{202e}'),
            "{message}"
        );
    }
    // The text output shows it escaped too.
    env.write(
        FILE,
        with_emails("grace@example.com", "ada@example.com\\u200B"),
    );
    let out = env.run(&["validate", "--color", "never", FILE]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("ada@example.com\\u{200b}"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains('\u{200b}'), "{}", stdout(&out));
}

#[test]
fn parties_are_compared_after_normalisation_and_case_folding() {
    let env = Env::with_git();
    for (mentor, mentee) in [
        ("ada@example.com", "ADA@Example.com"),
        // Full-width letters (NFKC folds them to ASCII).
        ("ada@example.com", "\\uFF41\\uFF44\\uFF41@example.com"),
        // A composed and a decomposed é.
        ("jos\\u00E9@example.com", "jose\\u0301@example.com"),
    ] {
        env.write(FILE, with_emails(mentor, mentee));
        let found = findings(&env);
        assert!(
            found
                .iter()
                .any(|f| f["rule"] == "same-party" && f["severity"] == "error"),
            "{mentor} / {mentee}: {found:#?}"
        );
    }
    env.write(FILE, with_emails("grace@example.com", "ada@example.com"));
    assert!(!findings(&env).iter().any(|f| f["rule"] == "same-party"));
}
