//! `charter init`: the layout, git init when needed, never overwriting.

use crate::common::{stderr, Env};
use crate::snap;

const LAYOUT: &[&str] = &[
    "charter.yaml",
    "allowed_signers",
    ".gitattributes",
    ".github/workflows/charter.yml",
    ".github/CODEOWNERS",
    "agreements/.gitkeep",
    "signoffs/.gitkeep",
    "schema/agreement.schema.json",
    "schema/settings.schema.json",
    "schema/signoff.schema.json",
    "schema/checkin.schema.json",
    "schema/decline.schema.json",
];

#[test]
fn creates_the_layout_and_a_git_repository() {
    let env = Env::new();
    let out = env.run(&["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(snap::render(&env, &out));
    assert!(env.path(".git").is_dir());
    for file in LAYOUT {
        assert!(env.path(file).is_file(), "{file}");
    }
    assert_eq!(
        env.read(".gitattributes"),
        "agreements/*.yaml diff=charter\n"
    );
    assert_eq!(
        env.git(&["config", "diff.charter.command"]).trim(),
        "charter git-diff"
    );
    let workflow = env.read(".github/workflows/charter.yml");
    assert!(
        workflow.contains("fetch-depth: 0")
            && workflow.contains("charter check")
            && workflow.contains("--base"),
        "{workflow}"
    );
    // The new repository validates clean: settings parse, no agreements yet.
    assert_eq!(env.run(&["validate"]).status.code(), Some(0));
}

#[test]
fn never_overwrites_and_reports_what_it_skipped() {
    let env = Env::with_git();
    env.write("charter.yaml", "program: Ours\n");
    env.write(".gitattributes", "*.png binary\n");
    env.git(&["config", "diff.charter.command", "my-own-driver"]);
    let out = env.run(&["init"]);
    assert_eq!(out.status.code(), Some(0));
    // Tells how to add the attribute and the driver it did not set.
    insta::assert_snapshot!("existing_files", snap::render(&env, &out));
    assert_eq!(env.read("charter.yaml"), "program: Ours\n");
    assert_eq!(env.read(".gitattributes"), "*.png binary\n");
    assert_eq!(
        env.git(&["config", "diff.charter.command"]).trim(),
        "my-own-driver"
    );

    let again = env.run(&["init"]);
    assert_eq!(again.status.code(), Some(0));
    insta::assert_snapshot!("again", snap::render(&env, &again));
    for file in LAYOUT {
        assert!(
            stderr(&again).contains(&format!("skipped {file}")),
            "{file}"
        );
    }
}

/// A driver already set in the local git config is echoed back, escaped:
/// the value is the user's, but it may hold control characters that would
/// drive the terminal if printed raw.
#[test]
fn echoes_an_existing_driver_with_its_control_characters_escaped() {
    let env = Env::with_git();
    env.git(&["config", "diff.charter.command", "mine\u{1b}[2J\u{200b}"]);
    let out = env.run(&["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{200b}'),
        "{err:?}"
    );
    assert!(
        err.contains(
            "skipped diff.charter.command (set to `mine\\u{1b}[2J\\u{200b}`; left as it is)"
        ),
        "{err}"
    );
}

/// A line break in that value stays inside the one note: printed raw, it
/// would end the note early and let the rest pose as a line of its own.
#[test]
fn keeps_an_existing_driver_with_a_line_break_on_one_line() {
    let env = Env::with_git();
    env.git(&[
        "config",
        "diff.charter.command",
        "mine\ncharter: error: forged",
    ]);
    let out = env.run(&["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "skipped diff.charter.command (set to `mine\\ncharter: error: forged`; left as it is)"
        ),
        "{err}"
    );
    assert!(
        !err.lines().any(|line| line.starts_with("charter: error")),
        "{err}"
    );
}

/// `.gitattributes` gives charter's diff driver to the agreements where
/// `charter.yaml` keeps them, so git uses it there.
#[test]
fn the_attribute_follows_the_agreements_directory_of_charter_yaml() {
    let env = Env::with_git();
    env.write("charter.yaml", "agreements: docs/agreements\n");
    let out = env.run(&["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        env.read(".gitattributes"),
        "docs/agreements/*.yaml diff=charter\n"
    );
    assert_eq!(
        env.git(&["check-attr", "diff", "--", "docs/agreements/ada-grace.yaml"]),
        "docs/agreements/ada-grace.yaml: diff: charter\n"
    );
}

/// An existing `.gitattributes` counts only when it gives the driver to the
/// layout's agreements: a line for another directory, or a comment, does
/// not, and `init` says which line to add.
#[test]
fn an_existing_attribute_for_another_directory_is_not_enough() {
    let env = Env::with_git();
    env.write("charter.yaml", "agreements: docs/agreements\n");
    env.write(".gitattributes", "agreements/*.yaml diff=charter\n");
    let out = env.run(&["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "\n  add this line to .gitattributes for semantic diffs: docs/agreements/*.yaml diff=charter\n"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        env.read(".gitattributes"),
        "agreements/*.yaml diff=charter\n"
    );

    let env = Env::with_git();
    env.write(".gitattributes", "# agreements/*.yaml diff=charter\n");
    let out = env.run(&["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("attribute_commented_out", snap::render(&env, &out));
    // The same line anchored at the root is the same line.
    env.write(".gitattributes", "/agreements/*.yaml diff=charter\n");
    let again = env.run(&["init"]);
    assert!(
        !stderr(&again).contains("add this line to .gitattributes"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn init_into_a_new_directory() {
    let env = Env::new();
    let out = env.run(&["init", "programme"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(env.path("programme/.git").is_dir());
    assert!(env.path("programme/charter.yaml").is_file());
    assert!(!env.path(".git").exists());
}

#[test]
fn the_committed_schemas_are_the_ones_init_writes() {
    let env = Env::new();
    env.run(&["init"]);
    for name in [
        "agreement.schema.json",
        "settings.schema.json",
        "signoff.schema.json",
        "checkin.schema.json",
        "decline.schema.json",
    ] {
        let committed =
            std::fs::read_to_string(format!("{}/schema/{name}", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
        assert_eq!(env.read(&format!("schema/{name}")), committed, "{name}");
    }
}
