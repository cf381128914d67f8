//! Output injection: hostile agreement text and keys (ANSI escapes, line
//! breaks followed by CI workflow commands or Markdown headings, HTML) come
//! out of every format escaped or neutralised.

use std::process::Output;

use crate::common::{example, stderr, stdout, Env};
use crate::snap;

const FILE: &str = "agreements/ada-grace.yaml";

/// Text that would clear the screen, recolour it, issue a GitHub workflow
/// command, open a Markdown heading and run a script if printed raw.
const HOSTILE: &str = "Grow\\u001b[2J\\u001b[31m as a lead\\n::warning file=x::injected\\n# Injected heading <script>alert(1)</script>\\u202e";

fn agreement(purpose: &str) -> String {
    let text = example("ada-grace.yaml");
    let start = text.find("purpose: >-").unwrap();
    let end = start + text[start..].find("\neffective:").unwrap();
    format!("{}purpose: \"{purpose}\"{}", &text[..start], &text[end..])
}

/// No raw control character other than line feeds (charter's own colours
/// aside), no line that starts a workflow command, and in Markdown no
/// heading made from user data.
fn assert_neutral(what: &str, text: &str) {
    let markdown = what.contains("markdown") || what.contains("show") || what.contains("SUMMARY");
    assert!(!text.contains("\u{1b}[2J"), "{what}: raw ANSI:\n{text}");
    // (charter's own colours use ESC too; the user's red never comes raw)
    assert!(!text.contains("\u{1b}[31m as"), "{what}: raw ANSI:\n{text}");
    assert!(
        !text.contains('\u{202e}'),
        "{what}: raw bidi override:\n{text}"
    );
    assert!(!text.contains('\r'), "{what}: raw CR:\n{text}");
    for line in text.lines() {
        let trimmed = line.trim_start();
        assert!(
            !trimmed.starts_with("::warning file=x") && !trimmed.starts_with("::warning::injected"),
            "{what}: a line starts a workflow command: {line:?}\n{text}"
        );
        assert!(
            !markdown || !(trimmed.starts_with("# Injected") || trimmed.starts_with("#Injected")),
            "{what}: a line opens a heading: {line:?}\n{text}"
        );
    }
    assert!(
        !markdown || !text.contains("<script>"),
        "{what}: raw HTML:\n{text}"
    );
}

/// A whole-output snapshot text that may go into a `.snap` file as it is:
/// it holds no control character but line feeds, so what the snapshot
/// shows of the hostile text is exactly charter's escaped form.
fn plain(env: &Env, out: &Output) -> String {
    let text = snap::render(env, out);
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "a raw control character: {text:?}"
    );
    text
}

/// A whole-output snapshot text with charter's own colours in it, each
/// line as a Rust string literal (`{:?}`): the `.snap` file then holds no
/// raw ESC, a raw escape shows as `\u{1b}` and the escaped form charter
/// prints for the user's text as `\\u{1b}`.
fn visible(env: &Env, out: &Output) -> String {
    snap::render(env, out)
        .lines()
        .map(|line| format!("{line:?}\n"))
        .collect()
}

fn ok(out: &Output, what: &str) -> String {
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{what}: {}",
        stderr(out)
    );
    assert!(!stderr(out).contains("panicked"), "{what}: {}", stderr(out));
    stdout(out)
}

#[test]
fn hostile_agreement_text_is_escaped_in_diff_and_show() {
    let env = Env::with_git();
    env.write(FILE, example("ada-grace.yaml"));
    env.commit_all("Add", "2026-01-05T10:00:00Z");
    env.write(FILE, agreement(HOSTILE));
    // The text is there at all (else the test proves nothing).
    let data = env.run(&["diff", "--format", "json"]);
    assert!(stdout(&data).contains("injected"), "{}", stdout(&data));

    for color in ["never", "always"] {
        let out = env.run(&["diff", "--color", color]);
        let text = ok(&out, "diff");
        assert!(text.contains("injected"), "{text}");
        assert_neutral(&format!("diff --color {color}"), &text);
        assert!(text.contains("\\u{1b}[2J"), "shown escaped: {text}");
        let whole = if color == "never" {
            plain(&env, &out)
        } else {
            visible(&env, &out)
        };
        insta::assert_snapshot!(format!("diff_color_{color}"), whole);
    }
    let out = env.run(&["diff", "--format", "markdown"]);
    let text = ok(&out, "diff markdown");
    assert!(text.contains("injected"), "{text}");
    assert_neutral("diff --format markdown", &text);
    insta::assert_snapshot!("diff_markdown", plain(&env, &out));

    env.commit_all("Hostile purpose", "2026-01-06T10:00:00Z");
    let out = env.run(&["show", "ada-grace"]);
    let text = ok(&out, "show");
    assert!(text.contains("injected"), "{text}");
    assert_neutral("show", &text);
    insta::assert_snapshot!("show", plain(&env, &out));
    let out = env.run(&["show", "ada-grace", "--format", "html"]);
    let text = ok(&out, "show html");
    assert!(text.contains("injected"), "{text}");
    assert_neutral("show --format html", &text);
    assert!(text.contains("&lt;script&gt;"), "{text}");
    // A character reference would give the page the character itself
    // (and a bidirectional override would reorder the text around it):
    // HTML spells such characters out as the other formats do.
    for reference in ["&#x1b;", "&#x202e;", "&#xd;"] {
        assert!(!text.contains(reference), "{reference} in:\n{text}");
    }
    assert!(text.contains("\\u{1b}[2J"), "shown escaped: {text}");
    assert!(text.contains("\\u{202e}"), "shown escaped: {text}");
    // git's own diff driver and textconv print through the same renderers.
    let out = env.run(&["textconv", FILE]);
    let text = ok(&out, "textconv");
    assert_neutral("textconv", &text);
    insta::assert_snapshot!("textconv", plain(&env, &out));
}

#[test]
fn hostile_keys_cannot_inject_lines_into_findings() {
    let env = Env::with_git();
    let key = "\"x\\n::warning::injected\\n# Injected heading\\u001b[2J\": 1\n";
    env.write(FILE, format!("{}{key}", example("ada-grace.yaml")));
    let out = env.run(&["validate", "--color", "never", FILE]);
    let text = ok(&out, "validate");
    assert!(text.contains("injected"), "{text}");
    assert_neutral("validate", &text);
    insta::assert_snapshot!("validate_hostile_key", plain(&env, &out));

    env.commit_all("Hostile key", "2026-01-05T10:00:00Z");
    for format in ["text", "markdown", "github"] {
        let summary = env.path("summary.md");
        let _ = std::fs::remove_file(&summary);
        let out = env
            .charter(&["check", "--format", format, "--color", "never"])
            .env("GITHUB_STEP_SUMMARY", &summary)
            .output()
            .unwrap();
        let text = ok(&out, format);
        assert!(text.contains("injected"), "{format}: {text}");
        assert_neutral(&format!("check --format {format}"), &text);
        insta::assert_snapshot!(format!("check_{format}_hostile_key"), plain(&env, &out));
        if format == "github" {
            let written = std::fs::read_to_string(&summary).unwrap();
            assert!(written.contains("injected"), "{written}");
            assert_neutral("GITHUB_STEP_SUMMARY", &written);
            assert!(
                !written.chars().any(|c| c.is_control() && c != '\n'),
                "{written:?}"
            );
            insta::assert_snapshot!(
                "github_step_summary_hostile_key",
                snap::redact(&env, &written)
            );
            // Every line is charter's own workflow command or summary.
            for line in text.lines() {
                assert!(
                    line.starts_with("::error ")
                        || line.starts_with("::warning ")
                        || !line.starts_with("::"),
                    "{line}"
                );
            }
        }
    }
}

/// Error messages quote what they were given (here a revision) and what a
/// repository holds; they reach the terminal spelt out, never raw, and a
/// line break in them cannot start a workflow command.
#[test]
fn hostile_text_in_an_error_is_escaped() {
    let env = Env::with_git();
    env.write(FILE, example("ada-grace.yaml"));
    env.commit_all("Agreement", "2026-01-05T10:00:00Z");
    let rev = "x\u{1b}[2J\n::warning::injected\u{202e}";
    let out = env.run(&["check", "--base", rev]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert_neutral("an error", &err);
    assert!(
        err.contains("x\\u{1b}[2J") && err.contains("\\u{202e}"),
        "{err}"
    );
    insta::assert_snapshot!("error_hostile_revision", plain(&env, &out));
}

/// Stderr of a `--color always` run: charter's own colour codes arrive
/// as codes, and the reset that ends each of them is never spelt out as
/// `\u{1b}[0m` text; `expected` is there too.
fn assert_coloured(what: &str, out: &Output, expected: &str) -> String {
    let err = stderr(out);
    assert!(err.contains("\u{1b}["), "{what}: {err:?}");
    assert!(!err.contains("\\u{1b}[0m"), "{what}: {err:?}");
    assert!(err.contains(expected), "{what}: {err:?}");
    err
}

/// Notes that charter colours itself keep their colour under `--color
/// always`: escaping the quoted data must not spell out charter's own
/// colour codes, or the labels turn into literal `\u{1b}[33m` noise.
#[test]
fn coloured_notes_keep_their_colour_codes() {
    let env = Env::with_git();
    assert_eq!(env.run(&["init"]).status.code(), Some(0));
    std::fs::remove_file(env.repo.join("allowed_signers")).unwrap();
    env.commit_all("init without a trust root", "2026-01-05T10:00:00Z");
    let out = env.run(&["--color", "always", "verify"]);
    let err = assert_coloured("verify", &out, "allowed_signers does not exist at HEAD");
    assert!(!err.contains("\\u{1b}"), "{err:?}");
}

#[test]
fn coloured_summary_lines_keep_their_colour_codes() {
    let env = Env::new();
    assert_eq!(env.run(&["init"]).status.code(), Some(0));
    env.commit_all("charter init", "2026-06-01T10:00:00Z");
    let check = env.run(&["--color", "always", "check", "--today", "2026-06-10"]);
    // With no allowed_signers an agreement has no keys to warn about.
    std::fs::remove_file(env.repo.join("allowed_signers")).unwrap();
    env.write(FILE, example("ada-grace.yaml"));
    let validate = env.run(&["--color", "always", "validate", FILE]);
    for (what, out) in [("check", check), ("validate", validate)] {
        let err = assert_coloured(what, &out, "no problems found");
        assert!(!err.contains("\\u{1b}"), "{what}: {err:?}");
    }
}

/// The coloured notes escape the data they quote themselves (they bypass
/// `note`'s escaping to keep their colour): a hostile file name or
/// `allowed_signers` line still comes out spelt out, on one line.
#[test]
fn coloured_notes_still_escape_what_they_quote() {
    let env = Env::with_git();
    assert_eq!(env.run(&["init"]).status.code(), Some(0));
    env.commit_all("charter init", "2026-01-05T10:00:00Z");
    let signers = std::fs::read_to_string(env.path("allowed_signers")).unwrap();
    env.write(
        "allowed_signers",
        format!(
            "{signers}ada@example.com\u{200b} valid-after=\"2026\u{1b}[2J\u{202e}\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMzhPwZPJ5D8DBWPgVQ5dRS8D1iT6h8kaZ1PM8DAR2l7\n"
        ),
    );
    env.write("agreements/A\u{1b}[2J\n::warning file=x::y.yaml", "x: 1\n");
    env.commit_all("Hostile names", "2026-01-06T10:00:00Z");
    let verify = env.run(&["--color", "always", "verify"]);
    let err = assert_coloured("verify", &verify, "invalid valid-after time");
    assert_neutral("verify", &err);
    let diff = env.run(&["--color", "always", "diff", "HEAD~1"]);
    let err = assert_coloured("diff", &diff, "not compared");
    assert_neutral("diff", &err);
    assert!(err.contains("A\\u{1b}[2J\\n::warning file=x::y"), "{err:?}");
}
