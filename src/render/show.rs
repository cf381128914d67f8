//! `charter show`: an agreement as a one-page summary with an appendix and
//! its verified signature block, in markdown or self-contained HTML.
//!
//! Both formats are rendered from the same list of blocks, so they always
//! say the same thing. The page is built in sections (summary, appendix,
//! signatures) so that further sections can be slotted in between.

use super::checkins::{self, CheckinRow};
use super::words;
use crate::agreement::model::{Agreement, SupervisorSummaries};

/// One signature line in the block at the end.
#[derive(Debug, Clone)]
pub struct Signature {
    /// `mentor` or `mentee`.
    pub role: String,
    /// The signer's name, from the agreement's parties.
    pub name: String,
    /// The principal that signed.
    pub principal: String,
    /// The sign-off time (RFC 3339).
    pub signed: String,
    /// The key's fingerprint.
    pub key: String,
    /// Whether the signer waived the notice period.
    pub waived: bool,
    /// Why it does not count, when it names another previous version in
    /// `amends` than this version's (as `verify` says).
    pub does_not_count: Option<String>,
}

/// What the page says about the version besides its content.
#[derive(Debug, Clone)]
pub struct Context {
    /// The agreement id.
    pub id: String,
    /// The version as people call it: `v3 (3a5a96a15b22)`.
    pub version: String,
    /// The version's state (in force, pending…).
    pub state: String,
    /// When it takes effect, when signed.
    pub takes_effect: Option<String>,
    /// Valid sign-offs that count for this version, mentor first.
    pub signatures: Vec<Signature>,
    /// Roles still to sign.
    pub missing: Vec<String>,
    /// Why this version is not the one in force, when it is not: the page
    /// is then marked as a draft on every page.
    pub draft: Option<String>,
    /// The status of each goal, in the order of the agreement's goals.
    pub goal_status: Vec<String>,
    /// The valid check-ins, in time order.
    pub checkins: Vec<CheckinRow>,
}

/// One piece of the page, rendered alike in every format.
pub enum Block {
    /// The page title.
    Title(String),
    /// The line under the title.
    Subtitle(String),
    /// A section heading.
    Heading(String),
    /// A heading inside a section.
    Subheading(String),
    /// A paragraph of user text; its line breaks are kept.
    Para(String),
    /// A labelled line: **label:** text.
    Field(String, String),
    /// A bulleted list.
    List(Vec<String>),
    /// A table: the header row, then the rows.
    Table(Vec<String>, Vec<Vec<String>>),
    /// The draft mark: repeated on every printed page in HTML, at the top
    /// and before the appendix in markdown.
    Banner(String),
    /// The check-ins: a table, and in HTML charts of scores and goal
    /// status over time.
    Checkins {
        /// The check-ins, in time order.
        rows: Vec<CheckinRow>,
        /// The scorecard's headings.
        scorecard: Vec<String>,
        /// The goal ids, in the agreement's order.
        goals: Vec<String>,
    },
    /// The page break before the appendix.
    Rule,
}

fn join(items: &Option<Vec<String>>) -> String {
    items.as_ref().map_or_else(String::new, |v| words::list(v))
}

/// A person as the page names them: `Name (email)`.
fn person(name: &str, email: &str) -> String {
    format!("{name} ({email})")
}

/// The whole page: summary, appendix, signatures.
pub fn blocks(a: &Agreement, ctx: &Context) -> Vec<Block> {
    let mut b = Vec::new();
    if let Some(draft) = &ctx.draft {
        b.push(Block::Banner(draft.clone()));
    }
    b.extend(summary(a, ctx));
    if !ctx.checkins.is_empty() {
        b.push(Block::Heading("Check-ins".into()));
        b.push(Block::Checkins {
            rows: ctx.checkins.clone(),
            scorecard: a
                .reviews
                .as_ref()
                .and_then(|r| r.scorecard.clone())
                .unwrap_or_default(),
            goals: a.goals.iter().map(|g| g.id.clone()).collect(),
        });
    }
    b.push(Block::Rule);
    if let Some(draft) = &ctx.draft {
        b.push(Block::Banner(draft.clone()));
    }
    b.extend(appendix(a));
    b.extend(signatures(a, ctx));
    b
}

/// The one-page summary: parties, term, purpose, scope, goals, meetings,
/// confidentiality.
pub fn summary(a: &Agreement, ctx: &Context) -> Vec<Block> {
    use Block::*;
    let mut b = vec![
        Title(a.title.clone()),
        Subtitle(format!(
            "{} · version {} · {} · effective {}{}",
            ctx.id,
            ctx.version,
            ctx.state,
            a.effective,
            ctx.takes_effect
                .as_ref()
                .filter(|t| **t != a.effective.to_string())
                .map_or_else(String::new, |t| format!(" (takes effect {t})"))
        )),
        Field(
            "Mentor".into(),
            person(&a.parties.mentor.name, &a.parties.mentor.email),
        ),
        Field(
            "Mentee".into(),
            person(&a.parties.mentee.name, &a.parties.mentee.email),
        ),
    ];
    if let Some(observers) = &a.parties.observers {
        let names: Vec<String> = observers
            .iter()
            .map(|o| match &o.role {
                Some(role) => format!("{} ({role})", o.name),
                None => o.name.clone(),
            })
            .collect();
        b.push(Field("Observers (do not sign)".into(), words::list(&names)));
    }
    let term = match a.term.end {
        Some(end) => format!("{} to {end}", a.term.start),
        None => format!("from {}, open-ended", a.term.start),
    };
    b.push(Field("Term".into(), term));
    b.push(Heading("Purpose".into()));
    b.push(Para(a.purpose.clone()));
    if let Some(scope) = &a.scope {
        b.push(Heading("Scope".into()));
        b.push(Field("In scope".into(), join(&scope.within)));
        b.push(Field("Out of scope".into(), join(&scope.out)));
    }
    b.push(Heading("Success criteria".into()));
    b.push(Table(
        ["Goal", "Measure", "Due", "Evidence", "Status"]
            .map(String::from)
            .to_vec(),
        a.goals
            .iter()
            .enumerate()
            .map(|(i, g)| {
                vec![
                    g.goal.trim().to_owned(),
                    g.measure.trim().to_owned(),
                    g.due.to_string(),
                    g.evidence.clone().unwrap_or_else(|| "—".into()),
                    ctx.goal_status
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| "—".into()),
                ]
            })
            .collect(),
    ));
    b.push(Heading("Meetings and reviews".into()));
    let mut rhythm = format!("Meetings {}", a.meetings.cadence);
    if let Some(length) = a.meetings.length {
        rhythm.push_str(&format!(", {} each", words::duration(length)));
    }
    if let Some(channels) = &a.meetings.channels {
        rhythm.push_str(&format!(" ({})", words::alternatives(channels)));
    }
    b.push(Para(format!("{rhythm}.")));
    if let Some(availability) = &a.meetings.availability {
        b.push(Field("Between meetings".into(), availability.clone()));
    }
    if let Some(cancel) = &a.meetings.cancellation {
        b.push(Field("Cancelling".into(), cancel.clone()));
    }
    match &a.reviews {
        Some(r) => {
            let mut text = format!("Progress is reviewed {}", r.cadence);
            if let Some(card) = &r.scorecard {
                text.push_str(&format!(", scoring {}", words::list(card)));
            }
            b.push(Field("Reviews".into(), format!("{text}.")));
        }
        None => b.push(Field("Reviews".into(), "none scheduled".into())),
    }
    if let Some(f) = &a.feedback {
        let text = [f.how.as_deref(), f.when.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        b.push(Field("Feedback".into(), text));
    }
    b.push(Heading("Confidentiality".into()));
    b.push(Field(
        "Kept private".into(),
        words::list(&a.confidentiality.private),
    ));
    b.push(Field(
        "Exceptions".into(),
        words::list(&a.confidentiality.exceptions),
    ));
    if let Some(s) = a.confidentiality.supervisor_summaries {
        let text = match s {
            SupervisorSummaries::Never => "never",
            SupervisorSummaries::WithConsent => "only with the mentee's consent",
            SupervisorSummaries::Always => "always",
        };
        b.push(Field("Summaries to a supervisor".into(), text.into()));
    }
    b
}

/// The appendix: roles, data handling, decision rights.
pub fn appendix(a: &Agreement) -> Vec<Block> {
    use Block::*;
    let mut b = vec![Heading("Appendix".into()), Subheading("Roles".into())];
    if let Some(r) = &a.responsibilities {
        for (who, items) in [("The mentor", &r.mentor), ("The mentee", &r.mentee)] {
            if let Some(items) = items {
                b.push(Para(format!("{who} undertakes to:")));
                b.push(List(items.clone()));
            }
        }
    } else {
        b.push(Para("No responsibilities are written down.".into()));
    }
    b.push(Subheading("Data handling".into()));
    match &a.confidentiality.notes {
        Some(n) => {
            let mut parts = Vec::new();
            if let Some(k) = &n.keeper {
                parts.push(format!("kept by the {k}"));
            }
            if let Some(l) = &n.location {
                parts.push(format!("in {l}"));
            }
            if let Some(access) = &n.access {
                parts.push(format!("readable by {}", words::list(access)));
            }
            if let Some(r) = n.retention {
                parts.push(format!(
                    "kept for {}",
                    crate::plural::count(r.days() as usize, "day")
                ));
            }
            b.push(Field(
                "Meeting notes".into(),
                format!("{}.", parts.join(", ")),
            ));
        }
        None => b.push(Field(
            "Meeting notes".into(),
            "no arrangement recorded.".into(),
        )),
    }
    b.push(Para(
        "Notes and personal matters never go into the agreements repository: it keeps every version forever.".into(),
    ));
    b.push(Subheading("Decision rights".into()));
    let days = a.renegotiation.notice.days() as usize;
    let notice = words::notice(days as u64);
    b.push(Field(
        "Changing this agreement".into(),
        format!(
            "either party may propose an amendment and both must sign it. A material change needs {notice}: it takes effect no sooner than {} after it is proposed, unless both waive that notice.",
            crate::plural::count(days, "day")
        ),
    ));
    if let Some(t) = &a.renegotiation.termination {
        b.push(Field("Ending it".into(), t.clone()));
    }
    if let Some(c) = &a.concluded {
        let note = c
            .note
            .as_deref()
            .map_or_else(String::new, |n| format!(": {n}"));
        let reason = c.reason.map_or_else(String::new, |r| format!(" ({r})"));
        b.push(Field(
            "Concluded".into(),
            format!("{}{reason}{note}", c.date),
        ));
    }
    if let Some(refs) = &a.framework {
        b.push(Field("Framework".into(), words::list(refs)));
    }
    b
}

/// The signature block: who signed this version, mentor first, and who
/// has still to sign.
pub fn signatures(a: &Agreement, ctx: &Context) -> Vec<Block> {
    use Block::*;
    let mut b = vec![Heading("Signatures".into())];
    if ctx.signatures.is_empty() {
        b.push(Para("No valid sign-offs for this version yet.".into()));
    } else {
        let mut signed = ctx.signatures.clone();
        signed.sort_by_key(|s| (s.role != "mentor", s.signed.clone()));
        b.push(List(
            signed
                .iter()
                .map(|s| {
                    format!(
                        "{} ({}), {}: signed {} with key {}{} (verified){}",
                        s.name,
                        s.principal,
                        s.role,
                        s.signed,
                        s.key,
                        if s.waived {
                            ", waiving the notice period"
                        } else {
                            ""
                        },
                        s.does_not_count
                            .as_deref()
                            .map(|why| format!("; does not count: {why}"))
                            .unwrap_or_default()
                    )
                })
                .collect(),
        ));
    }
    if !ctx.missing.is_empty() {
        let mut missing = ctx.missing.clone();
        missing.sort_by_key(|r| r != "mentor");
        let who: Vec<String> = missing
            .iter()
            .map(|role| {
                let p = if role == "mentor" {
                    &a.parties.mentor
                } else {
                    &a.parties.mentee
                };
                format!("{} ({role}, {})", p.name, p.email)
            })
            .collect();
        b.push(Field("Still to sign".into(), words::list(&who)));
    }
    b
}

/// A new agreement in a few readable lines of markdown, for the
/// pull-request comment that proposes it: the parties, the term and the
/// summary sections under `####` headings, the goals as a table.
pub fn summary_markdown(a: &Agreement) -> String {
    let ctx = Context {
        id: String::new(),
        version: String::new(),
        state: String::new(),
        takes_effect: None,
        signatures: Vec::new(),
        missing: Vec::new(),
        draft: None,
        goal_status: Vec::new(),
        checkins: Vec::new(),
    };
    let blocks: Vec<Block> = summary(a, &ctx)
        .into_iter()
        .filter_map(|b| match b {
            Block::Subtitle(_) => None,
            Block::Title(t) => Some(Block::Field("Title".into(), t)),
            Block::Heading(h) => Some(Block::Subheading(h)),
            other => Some(other),
        })
        .collect();
    render_markdown(&blocks).replace("\n### ", "\n#### ")
}

/// The page in GitHub-flavoured markdown. Every piece of user data is
/// escaped, so text such as `# Not a heading` stays text.
pub fn markdown(a: &Agreement, ctx: &Context) -> String {
    render_markdown(&blocks(a, ctx))
}

/// Markdown for a list of blocks.
pub fn render_markdown(blocks: &[Block]) -> String {
    let escape = |s: &str| super::escape::markdown_lines(s);
    let cell = |s: &str| super::escape::markdown(s);
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Title(t) => out.push_str(&format!("# {}\n\n", cell(t))),
            Block::Subtitle(t) => out.push_str(&format!("_{}_\n\n", cell(t))),
            Block::Heading(t) => out.push_str(&format!("## {t}\n\n")),
            Block::Subheading(t) => out.push_str(&format!("### {t}\n\n")),
            Block::Para(t) => out.push_str(&format!("{}\n\n", escape(t))),
            Block::Field(k, v) => out.push_str(&format!("**{k}:** {}\n\n", escape(v))),
            Block::List(items) => {
                for i in items {
                    out.push_str(&format!("- {}\n", escape(i)));
                }
                out.push('\n');
            }
            Block::Table(head, rows) => {
                out.push_str(&format!("| {} |\n", head.join(" | ")));
                out.push_str(&format!("|{}\n", "---|".repeat(head.len())));
                for row in rows {
                    let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
                    out.push_str(&format!("| {} |\n", cells.join(" | ")));
                }
                out.push('\n');
            }
            Block::Banner(t) => out.push_str(&format!("> **DRAFT:** {}\n\n", cell(t))),
            Block::Checkins { rows, .. } => {
                out.push_str(&checkins::markdown_table(rows, &cell));
                out.push('\n');
            }
            Block::Rule => out.push_str("---\n\n"),
        }
    }
    out
}

/// The page as one self-contained, printable HTML document. A draft
/// carries a banner on screen and a mark in the top margin of every printed
/// page (a page margin box, so it never covers the page's text).
pub fn html(a: &Agreement, ctx: &Context) -> String {
    render_html(&a.title, &blocks(a, ctx))
}

/// An HTML page for a list of blocks.
pub fn render_html(title: &str, blocks: &[Block]) -> String {
    let esc = |s: &str| super::escape::html(s);
    // Line breaks in user text become <br>, never a new line of source.
    let lines = |s: &str| {
        s.trim_end_matches('\n')
            .split('\n')
            .map(super::escape::html)
            .collect::<Vec<_>>()
            .join("<br>")
    };
    let mut body = String::new();
    let mut banner = String::new();
    let mut page_mark = String::new();
    for block in blocks {
        match block {
            Block::Title(t) => body.push_str(&format!("<h1>{}</h1>\n", esc(t))),
            Block::Subtitle(t) => body.push_str(&format!("<p class=\"sub\">{}</p>\n", esc(t))),
            Block::Heading(t) => body.push_str(&format!("<h2>{}</h2>\n", esc(t))),
            Block::Subheading(t) => body.push_str(&format!("<h3>{}</h3>\n", esc(t))),
            Block::Para(t) => body.push_str(&format!("<p>{}</p>\n", lines(t))),
            Block::Field(k, v) => body.push_str(&format!(
                "<p><strong>{}:</strong> {}</p>\n",
                esc(k),
                lines(v)
            )),
            Block::List(items) => {
                body.push_str("<ul>\n");
                for i in items {
                    body.push_str(&format!("<li>{}</li>\n", lines(i)));
                }
                body.push_str("</ul>\n");
            }
            Block::Table(head, rows) => {
                body.push_str("<table>\n<thead><tr>");
                for h in head {
                    body.push_str(&format!("<th>{}</th>", esc(h)));
                }
                body.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    body.push_str("<tr>");
                    for c in row {
                        body.push_str(&format!("<td>{}</td>", lines(c)));
                    }
                    body.push_str("</tr>\n");
                }
                body.push_str("</tbody>\n</table>\n");
            }
            Block::Checkins {
                rows,
                scorecard,
                goals,
            } => {
                let esc: &dyn Fn(&str) -> String = &esc;
                if let Some(svg) = checkins::score_chart(rows, scorecard, esc) {
                    body.push_str("<figure>\n");
                    body.push_str(&svg);
                    body.push_str("<figcaption>Scores at each check-in, 1 (low) to 5 (high)</figcaption>\n</figure>\n");
                }
                if let Some(svg) = checkins::goal_chart(rows, goals, esc) {
                    body.push_str("<figure>\n");
                    body.push_str(&svg);
                    body.push_str(
                        "<figcaption>Goal status at each check-in</figcaption>\n</figure>\n",
                    );
                }
                body.push_str(&checkins::html_table(rows, esc));
            }
            // One banner: sticky on screen, and on paper at the top of
            // page one and in the top margin of every page.
            Block::Banner(t) if banner.is_empty() => {
                banner = format!(
                    "<div class=\"draft\" role=\"note\"><strong>DRAFT</strong> · {}</div>\n",
                    esc(t)
                );
                page_mark = format!(
                    "@page {{ @top-center {{ content: \"DRAFT · {}\"; font: 600 9pt system-ui, sans-serif; color: #6b4e00; }} }}\n",
                    super::escape::css_string(t)
                );
            }
            Block::Banner(_) => {}
            Block::Rule => body.push_str("<hr class=\"page\">\n"),
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{STYLE}{page_mark}</style>\n</head>\n<body>\n{banner}<main>\n{body}</main>\n</body>\n</html>\n",
        esc(title)
    )
}

const STYLE: &str = "body { font: 11pt/1.45 system-ui, sans-serif; color: #111; margin: 0; }
main { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.15rem; border-bottom: 1px solid #ccc; margin-top: 1.4rem; }
h3 { font-size: 1rem; margin-top: 1rem; }
p { margin: 0.35rem 0; }
.sub { color: #555; }
table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td:nth-child(3) { white-space: nowrap; }
tr { break-inside: avoid; }
.draft { position: sticky; top: 0; background: #fff3cd; color: #6b4e00; border-bottom: 2px solid #d9a400; padding: 0.4rem 1rem; text-align: center; z-index: 1; }
hr.page { border: 0; margin: 2rem 0 0; }
figure { margin: 0.8rem 0; break-inside: avoid; }
figcaption { color: #555; font-size: 0.9em; }
svg.chart { max-width: 100%; height: auto; font-family: system-ui, sans-serif; }
@media print {
  @page { margin: 18mm 16mm; }
  main { margin: 0; max-width: none; padding: 0; }
  hr.page { break-after: page; }
  a { color: inherit; }
  .draft { position: static; padding: 0.2rem; border: 1px solid #d9a400; margin-bottom: 0.8rem; }
}
";
