//! `charter validate`: one broken fixture per rule, output formats, settings, exit codes.

use crate::common::{findings_json, stderr, stdout, Env};
use crate::snap;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
}

/// Every rule's fixture yields that rule, at the expected place and severity.
#[test]
fn each_rule_has_a_located_finding() {
    let cases: &[(&str, &str, usize, usize)] = &[
        ("yaml-syntax", "error", 8, 5),
        ("schema", "error", 9, 32),
        ("invalid-id", "error", 11, 9),
        ("duplicate-goal-id", "error", 16, 9),
        ("term-order", "error", 8, 33),
        ("effective-before-start", "error", 7, 12),
        ("goal-due-outside-term", "warning", 14, 10),
        ("same-party", "error", 5, 36),
        ("notice-zero", "warning", 19, 26),
        ("goal-missing-evidence", "warning", 11, 9),
        ("open-ended", "warning", 8, 1),
        ("invalid-email", "error", 5, 40),
        ("placeholder", "error", 6, 10),
    ];
    let env = Env::with_git();
    for (rule, _, _, _) in cases {
        env.write(
            &format!("agreements/{rule}.yaml"),
            fixture(&format!("invalid/{rule}.yaml")),
        );
    }
    let out = env.run(&["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = findings_json(&out);
    let findings = report["findings"].as_array().unwrap();
    for (rule, severity, line, column) in cases {
        let file = format!("agreements/{rule}.yaml");
        let mine: Vec<_> = findings
            .iter()
            .filter(|f| f["file"] == file.as_str())
            .collect();
        assert_eq!(mine.len(), 1, "{rule}: expected one finding, got {mine:#?}");
        let f = mine[0];
        assert_eq!(f["rule"], *rule, "{f:#}");
        assert_eq!(f["severity"], *severity, "{rule}");
        assert_eq!(
            (f["line"].as_u64(), f["column"].as_u64()),
            (Some(*line as u64), Some(*column as u64)),
            "{rule}: {f:#}"
        );
        assert!(f["commit"].is_null());
        assert!(!f["message"].as_str().unwrap().is_empty());
    }
    let errors = cases.iter().filter(|c| c.1 == "error").count() as u64;
    assert_eq!(report["summary"]["errors"], errors);
    assert_eq!(report["summary"]["warnings"], cases.len() as u64 - errors);
}

#[test]
fn valid_files_pass_with_exit_zero() {
    let env = Env::with_git();
    env.write("agreements/minimal.yaml", fixture("valid-minimal.yaml"));
    for name in ["ada-grace", "lin-sam-onboarding", "priya-morgan-reverse"] {
        env.write(
            &format!("agreements/{name}.yaml"),
            crate::common::example(&format!("{name}.yaml")),
        );
    }
    let out = env.run(&["validate"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    insta::assert_snapshot!(snap::render(&env, &out));
}

#[test]
fn text_output_shows_the_line_and_a_caret() {
    let env = Env::with_git();
    env.write("agreements/x.yaml", fixture("invalid/term-order.yaml"));
    let out = env.run(&["validate", "--color", "never"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(snap::render(&env, &out));
    let text = stdout(&out);
    assert!(!text.contains('\u{1b}'), "no colour when asked for none");
    let coloured = stdout(&env.run(&["validate", "--color", "always"]));
    assert!(coloured.contains('\u{1b}'), "colour when asked for");
}

#[test]
fn github_format_prints_escaped_workflow_commands() {
    let env = Env::with_git();
    env.write("agreements/x.yaml", fixture("invalid/notice-zero.yaml"));
    let out = env.run(&["validate", "--format", "github"]);
    assert_eq!(out.status.code(), Some(0), "warnings alone do not fail");
    insta::assert_snapshot!(snap::render(&env, &out));
}

#[test]
fn deny_warnings_and_lint_settings_change_the_verdict() {
    let env = Env::with_git();
    env.write("agreements/x.yaml", fixture("invalid/open-ended.yaml"));
    assert_eq!(env.run(&["validate"]).status.code(), Some(0));
    assert_eq!(
        env.run(&["validate", "--deny-warnings"]).status.code(),
        Some(1)
    );

    env.write("charter.yaml", "lint:\n  deny: [open-ended]\n");
    let out = env.run(&["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(findings_json(&out)["findings"][0]["severity"], "error");

    env.write("charter.yaml", "lint:\n  allow: [open-ended]\n");
    let out = env.run(&["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(findings_json(&out)["findings"], serde_json::json!([]));
}

#[test]
fn invalid_settings_are_findings_in_charter_yaml() {
    let env = Env::with_git();
    env.write(
        "charter.yaml",
        "charter: 1\nlint:\n  allow: [notice-period]\nagreements: ../../etc\n",
    );
    let out = env.run(&["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = findings_json(&out);
    let rules: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].clone(), f["file"].clone(), f["line"].clone()))
        .collect();
    assert!(
        rules.contains(&("settings".into(), "charter.yaml".into(), 3.into())),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("settings".into(), "charter.yaml".into(), 4.into())),
        "{rules:?}"
    );
}

#[test]
fn paths_and_directories_can_be_given() {
    let env = Env::with_git();
    env.write("agreements/good.yaml", fixture("valid-minimal.yaml"));
    env.write("agreements/bad.yaml", fixture("invalid/term-order.yaml"));
    std::fs::create_dir_all(env.path("sub")).unwrap();
    assert_eq!(
        env.run(&["validate", "agreements/good.yaml"]).status.code(),
        Some(0)
    );
    assert_eq!(env.run(&["validate", "agreements"]).status.code(), Some(1));
    // Relative to -C, like git.
    assert_eq!(
        env.run(&["-C", "sub", "validate", "../agreements/good.yaml"])
            .status
            .code(),
        Some(0)
    );
    insta::assert_snapshot!(
        "missing_file",
        snap::run(&env, &["validate", "agreements/missing.yaml"])
    );
    // A draft outside the repository is validated where it is.
    let outside = env.home.join("draft.yaml");
    std::fs::write(&outside, fixture("invalid/term-order.yaml")).unwrap();
    let out = env.run(&["validate", "--format", "json", outside.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(findings_json(&out)["findings"][0]["rule"], "term-order");
}

/// A `.yml` file in the agreements directory is reported with the name it
/// should have, in the words `diff` uses for it.
#[test]
fn a_yml_agreement_is_told_to_take_the_yaml_extension() {
    let env = Env::with_git();
    env.write("agreements/good.yml", fixture("valid-minimal.yaml"));
    insta::assert_snapshot!(
        "yml_extension",
        snap::run(&env, &["validate", "--color", "never"])
    );
}

#[test]
fn usage_errors_exit_two() {
    let env = Env::with_git();
    insta::assert_snapshot!(
        "unknown_format",
        snap::run(&env, &["validate", "--format", "yaml"])
    );
    insta::assert_snapshot!("unknown_command", snap::run(&env, &["no-such-command"]));
    insta::assert_snapshot!(
        "missing_directory",
        snap::run(&env, &["-C", "does/not/exist", "validate"])
    );
    assert_eq!(env.run(&["--help"]).status.code(), Some(0));
}

#[test]
fn unknown_signers_and_trust_root_problems_are_reported() {
    let env = Env::with_git();
    env.write("agreements/x.yaml", fixture("valid-minimal.yaml"));
    // No allowed_signers: nothing to compare with, no warning.
    assert_eq!(
        findings_json(&env.run(&["validate", "--format", "json"]))["findings"],
        serde_json::json!([])
    );
    env.write(
        "allowed_signers",
        "# trust root\ngrace@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMzhPwZPJ5D8DBWPgVQ5dRS8D1iT6h8kaZ1PM8DAR2l7\nthis line is not valid\n",
    );
    let out = env.run(&["validate", "--format", "json"]);
    let report = findings_json(&out);
    let findings = report["findings"].as_array().unwrap();
    let unknown: Vec<_> = findings
        .iter()
        .filter(|f| f["rule"] == "unknown-signer")
        .collect();
    assert_eq!(unknown.len(), 1, "{findings:#?}");
    assert_eq!(unknown[0]["severity"], "warning");
    assert_eq!(
        (unknown[0]["line"].as_u64(), unknown[0]["column"].as_u64()),
        (Some(5), Some(40))
    );
    assert!(unknown[0]["message"]
        .as_str()
        .unwrap()
        .contains("ada@example.com"));
    let trust: Vec<_> = findings
        .iter()
        .filter(|f| f["rule"] == "allowed-signers")
        .collect();
    assert_eq!(trust.len(), 1, "{findings:#?}");
    assert_eq!(trust[0]["file"], "allowed_signers");
    assert_eq!(trust[0]["line"], 3);
}

#[test]
fn malformed_signoff_files_are_findings() {
    let env = Env::with_git();
    env.write(
        "signoffs/x/abc-mentor-12345678.yaml",
        "agreement: x\nversion: nope\nextra: 1\n",
    );
    let out = env.run(&["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let f = &findings_json(&out)["findings"][0];
    assert_eq!(f["rule"], "invalid-signoff");
    assert_eq!(f["file"], "signoffs/x/abc-mentor-12345678.yaml");
    assert!(f["line"].is_number(), "{f:#}");
}
