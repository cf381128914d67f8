//! `charter show`: the one-page summary, in markdown and HTML.

use crate::common::{stderr, stdout, Env};

#[test]
fn show_markdown_and_html() {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    let out = env.run(&[
        "-C",
        "sample",
        "show",
        "lin-sam-onboarding",
        "--today",
        "2026-06-10",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.starts_with("# First six months, Lin with Sam\n"), "{md}");
    for section in [
        "## Purpose",
        "## Scope",
        "## Success criteria",
        "## Meetings and reviews",
        "## Confidentiality",
        "## Appendix",
        "### Roles",
        "### Data handling",
        "### Decision rights",
        "## Signatures",
    ] {
        assert!(md.contains(section), "{section}: {md}");
    }
    assert!(md.contains("mentor: sam.okafor@example.com signed"), "{md}");
    assert!(md.contains("(verified)"), "{md}");

    let html = stdout(&env.run(&[
        "-C",
        "sample",
        "show",
        "lin-sam-onboarding",
        "--format",
        "html",
    ]));
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("@media print"), "printable");
    assert!(
        !html.contains("<script") && !html.contains("http"),
        "self-contained"
    );
    assert!(html.contains("&lt;sam.okafor@example.com&gt;"), "escaped");
}

#[test]
fn show_at_an_earlier_revision_and_errors() {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    let out = env.run(&["-C", "sample", "show", "ada-grace", "--at", "HEAD~10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Staff-engineer growth"),
        "the title before the retitle"
    );
    let out = env.run(&["-C", "sample", "show", "nobody"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
}
