//! `charter show`: the one-page summary, in markdown and HTML.

use crate::common::{stderr, stdout, Env};
use crate::snap;

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
    insta::assert_snapshot!("lin_sam_markdown", snap::render(&env, &out));
    let md = stdout(&out);
    // Concluded on 2026-06-05: its goals are no longer chased.
    assert!(!md.contains("overdue") && !md.contains("due in"), "{md}");

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
    assert!(
        html.contains("Sam Okafor (sam.okafor@example.com)"),
        "{html}"
    );
}

#[test]
fn show_at_an_earlier_revision_and_errors() {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    let out = env.run(&["-C", "sample", "show", "ada-grace", "--at", "HEAD~11"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Staff-engineer growth"),
        "the title before the retitle"
    );
    insta::assert_snapshot!("at_an_earlier_revision", snap::render(&env, &out));
    insta::assert_snapshot!(
        "unknown_id",
        snap::run(&env, &["-C", "sample", "show", "nobody"])
    );
}

fn show(env: &Env, args: &[&str]) -> String {
    let mut all = vec!["-C", "sample", "show"];
    all.extend_from_slice(args);
    let out = env.run(&all);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn show_the_version_in_force_and_mark_any_other_as_a_draft() {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    // ada-grace has v2 in force and an unsigned v3 on top.
    let md = show(&env, &["ada-grace", "--today", "2026-06-10"]);
    // The agreement is pending (v3 waits for a signature); v2 is in force.
    assert!(md.contains("· pending, this version in force ·"), "{md}");
    assert!(!md.contains("DRAFT"), "{md}");
    insta::assert_snapshot!("in_force", snap::redact(&env, &md));

    let md = show(&env, &["ada-grace", "--pending", "--today", "2026-06-10"]);
    insta::assert_snapshot!("pending", snap::redact(&env, &md));
    assert_eq!(md.matches("> **DRAFT:**").count(), 2, "{md}");
    assert!(md.starts_with("> **DRAFT:** v3 ("), "{md}");
    let appendix = md.find("## Appendix").unwrap();
    let second = md.rfind("> **DRAFT:**").unwrap();
    assert!(second < appendix && second > md.find("## Purpose").unwrap());
    // verify and show agree: the mentor's sign-off of v3 is listed.
    assert!(
        md.contains("Grace Hopper (grace@example.com), mentor: signed"),
        "{md}"
    );

    let html = show(&env, &["ada-grace", "--pending", "--format", "html"]);
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let banners: Vec<String> = doc
        .select(&sel("body > div.draft"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(banners.len(), 1, "{html}");
    assert!(banners[0].starts_with("DRAFT"), "{banners:?}");
    assert!(
        html.contains("@page { @top-center { content: \"DRAFT · v3 ("),
        "in the top margin of every printed page: {html}"
    );

    // Nothing in force yet: the newest version, as a draft.
    let md = show(&env, &["priya-morgan-reverse"]);
    assert!(
        md.contains("no version of this agreement is in force yet"),
        "{md}"
    );
    insta::assert_snapshot!("nothing_in_force", snap::redact(&env, &md));
}

#[test]
fn show_goals_as_a_table_and_people_in_plain_words() {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    let html = show(
        &env,
        &["ada-grace", "--format", "html", "--today", "2026-05-01"],
    );
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let heads: Vec<String> = doc
        .select(&sel("table:not(.checkins) thead th"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(heads, ["Goal", "Measure", "Due", "Evidence", "Status"]);
    let rows: Vec<Vec<String>> = doc
        .select(&sel("table:not(.checkins) tbody tr"))
        .map(|r| r.select(&sel("td")).map(|c| c.text().collect()).collect())
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][2], "2026-05-29");
    // The parties reported design-review at risk at the April review.
    assert_eq!(rows[0][4], "at-risk (as of 2026-04-12); due in 28 days");
    let page: String = doc.root_element().text().collect();
    assert!(
        page.contains("45 minutes each (video call or chat)"),
        "{page}"
    );
    assert!(page.contains("14 days' notice"), "{page}");
    let items: Vec<String> = doc
        .select(&sel("h2 ~ ul li"))
        .map(|e| e.text().collect())
        .filter(|t: &String| t.contains("(verified)"))
        .collect();
    assert!(
        items[0].starts_with("Grace Hopper (grace@example.com), mentor"),
        "{items:?}"
    );
    assert!(
        items[1].starts_with("Ada Lovelace (ada@example.com), mentee"),
        "{items:?}"
    );
}

#[test]
fn show_escapes_text_per_format_and_keeps_line_breaks() {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    let path = env.path("sample/agreements/priya-morgan-reverse.yaml");
    let yaml = std::fs::read_to_string(&path).unwrap();
    let start = yaml.find("purpose:").unwrap();
    let end = start + yaml[start..].find("\n").unwrap();
    let edited = format!(
        "{}purpose: |\n  # Not a heading\n  Second <b>line</b>\n{}",
        &yaml[..start],
        &yaml[end + 1..]
    );
    std::fs::write(&path, edited).unwrap();
    let git = |args: &[&str]| {
        let mut all = vec!["-C", "sample"];
        all.extend_from_slice(args);
        env.git(&all)
    };
    git(&["commit", "-qam", "purpose on two lines"]);

    let md = show(&env, &["priya-morgan-reverse"]);
    assert!(
        md.contains("\\# Not a heading  \nSecond &lt;b&gt;line&lt;/b&gt;"),
        "{md}"
    );
    assert!(!md.contains("\n# Not a heading"), "{md}");
    assert!(!md.contains("&lt;priya@example.com&gt;"), "{md}");

    let html = show(&env, &["priya-morgan-reverse", "--format", "html"]);
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("h2 + p").unwrap();
    let purpose = doc.select(&sel).next().unwrap();
    let inner = purpose.inner_html();
    assert!(
        inner.starts_with("# Not a heading<br>Second &lt;b&gt;line&lt;/b&gt;<br>"),
        "{inner}"
    );
    assert_eq!(
        doc.select(&scraper::Selector::parse("b").unwrap()).count(),
        0
    );
}
