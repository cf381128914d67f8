//! `charter show`: an agreement as a one-page summary with an appendix and
//! its verified signature block, in markdown or self-contained HTML.
//!
//! Both formats are rendered from the same list of blocks, so they always
//! say the same thing.

use crate::agreement::model::{Agreement, SupervisorSummaries};
use crate::render::checkins::{self, CheckinRow};

/// One signature line in the block at the end.
#[derive(Debug, Clone)]
pub struct Signature {
    /// `mentor` or `mentee`.
    pub role: String,
    /// The principal that signed.
    pub principal: String,
    /// The sign-off time (RFC 3339).
    pub signed: String,
    /// The key's fingerprint.
    pub key: String,
    /// Whether the signer waived the notice period.
    pub waived: bool,
}

/// What the page says about the version besides its content.
#[derive(Debug, Clone)]
pub struct Context {
    /// The agreement id.
    pub id: String,
    /// The short version id.
    pub version: String,
    /// The version's state (in-force, pending…).
    pub state: String,
    /// When it takes effect, when signed.
    pub takes_effect: Option<String>,
    /// Valid sign-offs that count for this version.
    pub signatures: Vec<Signature>,
    /// Roles still to sign.
    pub missing: Vec<String>,
    /// Valid check-ins, oldest first.
    pub checkins: Vec<CheckinRow>,
}

enum Block {
    Title(String),
    Subtitle(String),
    Heading(String),
    Subheading(String),
    Para(String),
    /// A labelled line: **label:** text.
    Field(String, String),
    List(Vec<String>),
    /// The check-ins: a table, and charts in HTML.
    Checkins,
    Rule,
}

fn join(items: &Option<Vec<String>>) -> String {
    items.as_ref().map_or_else(String::new, |v| v.join(", "))
}

fn blocks(a: &Agreement, ctx: &Context) -> Vec<Block> {
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
            format!("{} <{}>", a.parties.mentor.name, a.parties.mentor.email),
        ),
        Field(
            "Mentee".into(),
            format!("{} <{}>", a.parties.mentee.name, a.parties.mentee.email),
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
        b.push(Field("Observers (do not sign)".into(), names.join(", ")));
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
    b.push(List(
        a.goals
            .iter()
            .map(|g| {
                let sentence = |s: &str| {
                    let s = s.trim();
                    if s.ends_with(['.', '!', '?']) {
                        s.to_owned()
                    } else {
                        format!("{s}.")
                    }
                };
                let mut line = format!(
                    "{} ({}) Measure: {} Due {}.",
                    sentence(&g.goal),
                    g.id,
                    sentence(&g.measure),
                    g.due
                );
                if let Some(e) = &g.evidence {
                    line.push_str(&format!(" Evidence: {e}"));
                }
                line
            })
            .collect(),
    ));
    b.push(Heading("Meetings and reviews".into()));
    let mut rhythm = format!("Meetings {}", a.meetings.cadence);
    if let Some(length) = a.meetings.length {
        rhythm.push_str(&format!(", {length} each"));
    }
    if let Some(channels) = &a.meetings.channels {
        rhythm.push_str(&format!(", by {}", channels.join(", ")));
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
                text.push_str(&format!(", scoring {}", card.join(", ")));
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
        a.confidentiality.private.join(", "),
    ));
    b.push(Field(
        "Exceptions".into(),
        a.confidentiality.exceptions.join(", "),
    ));
    if let Some(s) = a.confidentiality.supervisor_summaries {
        let text = match s {
            SupervisorSummaries::Never => "never",
            SupervisorSummaries::WithConsent => "only with the mentee's consent",
            SupervisorSummaries::Always => "always",
        };
        b.push(Field("Summaries to a supervisor".into(), text.into()));
    }
    if !ctx.checkins.is_empty() {
        b.push(Heading("Check-ins".into()));
        b.push(Checkins);
    }

    b.push(Rule);
    b.push(Heading("Appendix".into()));
    b.push(Subheading("Roles".into()));
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
                parts.push(format!("readable by {}", access.join(" and ")));
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
    b.push(Field(
        "Changing this agreement".into(),
        format!(
            "either party may propose an amendment; both must sign it, and a material change takes effect no sooner than {} after it is proposed, unless both waive that notice.",
            crate::plural::count(a.renegotiation.notice.days() as usize, "day")
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
        b.push(Field("Framework".into(), refs.join(", ")));
    }

    b.push(Heading("Signatures".into()));
    if ctx.signatures.is_empty() {
        b.push(Para("No valid sign-offs yet.".into()));
    } else {
        b.push(List(
            ctx.signatures
                .iter()
                .map(|s| {
                    format!(
                        "{}: {} signed {} with key {}{} (verified)",
                        s.role,
                        s.principal,
                        s.signed,
                        s.key,
                        if s.waived {
                            ", waiving the notice period"
                        } else {
                            ""
                        }
                    )
                })
                .collect(),
        ));
    }
    if !ctx.missing.is_empty() {
        b.push(Field("Still to sign".into(), ctx.missing.join(", ")));
    }
    b
}

/// The page in GitHub-flavoured markdown.
pub fn markdown(a: &Agreement, ctx: &Context) -> String {
    let escape = |s: &str| super::escape::markdown_lines(s);
    let mut out = String::new();
    for block in blocks(a, ctx) {
        match block {
            Block::Title(t) => out.push_str(&format!("# {}\n\n", escape(&t))),
            Block::Subtitle(t) => out.push_str(&format!("_{}_\n\n", escape(&t))),
            Block::Heading(t) => out.push_str(&format!("## {t}\n\n")),
            Block::Subheading(t) => out.push_str(&format!("### {t}\n\n")),
            Block::Para(t) => out.push_str(&format!("{}\n\n", escape(&t))),
            Block::Field(k, v) => out.push_str(&format!("**{k}:** {}  \n", escape(&v))),
            Block::List(items) => {
                for i in items {
                    out.push_str(&format!("- {}\n", escape(&i)));
                }
                out.push('\n');
            }
            Block::Checkins => out.push_str(&checkins::markdown_table(&ctx.checkins, &escape)),
            Block::Rule => out.push_str("\n---\n\n"),
        }
    }
    out.replace("  \n#", "\n\n#").replace("  \n\n", "\n\n")
}

/// The page as one self-contained, printable HTML document.
pub fn html(a: &Agreement, ctx: &Context) -> String {
    let esc = |s: &str| super::escape::html(s);
    let mut body = String::new();
    for block in blocks(a, ctx) {
        match block {
            Block::Title(t) => body.push_str(&format!("<h1>{}</h1>\n", esc(&t))),
            Block::Subtitle(t) => body.push_str(&format!("<p class=\"sub\">{}</p>\n", esc(&t))),
            Block::Heading(t) => body.push_str(&format!("<h2>{}</h2>\n", esc(&t))),
            Block::Subheading(t) => body.push_str(&format!("<h3>{}</h3>\n", esc(&t))),
            Block::Para(t) => body.push_str(&format!("<p>{}</p>\n", esc(&t))),
            Block::Field(k, v) => body.push_str(&format!(
                "<p><strong>{}:</strong> {}</p>\n",
                esc(&k),
                esc(&v)
            )),
            Block::List(items) => {
                body.push_str("<ul>\n");
                for i in items {
                    body.push_str(&format!("<li>{}</li>\n", esc(&i)));
                }
                body.push_str("</ul>\n");
            }
            Block::Checkins => {
                let esc: &dyn Fn(&str) -> String = &esc;
                let card = a
                    .reviews
                    .as_ref()
                    .and_then(|r| r.scorecard.clone())
                    .unwrap_or_default();
                let goals: Vec<String> = a.goals.iter().map(|g| g.id.clone()).collect();
                if let Some(svg) = checkins::score_chart(&ctx.checkins, &card, esc) {
                    body.push_str("<figure>\n");
                    body.push_str(&svg);
                    body.push_str("<figcaption>Scores at each check-in, 1 (low) to 5 (high)</figcaption>\n</figure>\n");
                }
                if let Some(svg) = checkins::goal_chart(&ctx.checkins, &goals, esc) {
                    body.push_str("<figure>\n");
                    body.push_str(&svg);
                    body.push_str(
                        "<figcaption>Goal status at each check-in</figcaption>\n</figure>\n",
                    );
                }
                body.push_str(&checkins::html_table(&ctx.checkins, esc));
            }
            Block::Rule => body.push_str("<hr class=\"page\">\n"),
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        esc(&a.title)
    )
}

const STYLE: &str = "body { font: 11pt/1.45 system-ui, sans-serif; color: #111; margin: 0; }
main { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.15rem; border-bottom: 1px solid #ccc; margin-top: 1.4rem; }
h3 { font-size: 1rem; margin-top: 1rem; }
p { margin: 0.35rem 0; }
.sub { color: #555; }
hr.page { border: 0; margin: 2rem 0 0; }
figure { margin: 0.8rem 0; break-inside: avoid; }
figcaption { font-size: 0.85rem; color: #555; }
svg.chart { max-width: 100%; height: auto; font-family: system-ui, sans-serif; }
table.checkins { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
table.checkins th, table.checkins td { border: 1px solid #ccc; padding: 0.2rem 0.4rem; text-align: left; vertical-align: top; }
@media print { main { margin: 0; max-width: none; } hr.page { break-after: page; } a { color: inherit; } }
";
