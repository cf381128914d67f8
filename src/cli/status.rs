//! `charter status`: where every agreement stands today.

use std::io::Write;

use charter::agreement::Role;
use charter::checkin::GoalStatus;
use charter::json::{Status, StatusEntry};
use charter::render::style::{paint, DIM, HEADING, WARNING};

use super::error::{code, CliResult};
use super::Global;

/// Output formats of `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// JSON, in the shape documented in docs/json.md.
    Json,
}

/// Arguments of `charter status`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with 1 when an agreement needs attention: unsigned (draft or
    /// pending), a notice problem, or an overdue goal.
    #[arg(long)]
    pub exit_code: bool,
    /// Judge as of this day (YYYY-MM-DD; default today, or CHARTER_TODAY).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// Print the state of every agreement at HEAD.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let ws = super::workspace(global)?;
    let repo = ws.repo.as_ref().ok_or_else(super::not_a_repository)?;
    let today = super::today(args.today.as_deref())?;
    let head = charter::history::head_commit(repo)?;
    // HEAD's charter.yaml: where the records live and the lint settings a
    // committed file is judged with.
    let charter::record::AllAt {
        records, inputs, ..
    } = charter::record::load_all_at(repo, &head, today)?;
    let Status {
        agreements: entries,
    } = charter::status::status(repo, &records, &inputs.settings, today)?;
    let attention = entries.iter().any(StatusEntry::needs_attention);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(
                &mut out,
                &Status {
                    agreements: entries,
                },
            )?;
            writeln!(out)?;
        }
        Format::Text => {
            for e in &entries {
                text_entry(&mut out, e, global.color)?;
            }
            if entries.is_empty() {
                writeln!(
                    out,
                    "no agreements yet: start one with `charter new ID --mentor … --mentee …`"
                )?;
            }
        }
    }
    out.flush()?;
    // The process ends next; see `verify::run`.
    std::mem::forget(records);
    Ok(if args.exit_code && attention {
        code::VERDICT
    } else {
        code::OK
    })
}

fn text_entry(out: &mut dyn Write, e: &StatusEntry, color: bool) -> std::io::Result<()> {
    use charter::render::words::version;
    let title = e.title.as_deref().unwrap_or("(no valid version)");
    writeln!(
        out,
        "{} {}  {}",
        paint(HEADING, &e.id, color),
        paint(DIM, &charter::render::escape::text(title), color),
        e.state.as_str()
    )?;
    if let (Some(m), Some(n)) = (&e.mentor, &e.mentee) {
        use charter::render::escape::text as shown;
        writeln!(
            out,
            "  mentor {} <{}>, mentee {} <{}>",
            shown(&m.name),
            shown(&m.email),
            shown(&n.name),
            shown(&n.email)
        )?;
    }
    match &e.in_force {
        Some(v) => writeln!(
            out,
            "  in force: {} since {}",
            version(v.index, &v.version),
            v.since.map_or("?".to_owned(), |d| d.to_string())
        )?,
        None => writeln!(out, "  in force: nothing yet")?,
    }
    if let Some(problem) = &e.problem {
        let problem = charter::render::escape::text(problem);
        writeln!(out, "  {}", paint(WARNING, &problem, color))?;
    }
    if let Some(p) = &e.pending {
        let word = p.state.as_str();
        let mut line = format!(
            "  {word}: {}",
            p.version
                .as_deref()
                .map_or("(unparseable)".to_owned(), |v| version(p.index, v))
        );
        if !p.declined_by.is_empty() {
            line.push_str(&format!(
                " by the {}",
                Role::join(&p.declined_by, " and the ")
            ));
        }
        if let (Some(opened), Some(earliest)) = (p.opened, p.earliest_effective) {
            line.push_str(&format!(", opened {opened}, earliest effective {earliest}"));
        }
        if p.declined_by.is_empty() && !p.missing.is_empty() {
            line.push_str(&format!(
                ", waiting for {}",
                Role::join(&p.missing, " and ")
            ));
        }
        writeln!(out, "{line}")?;
        if !p.notice_ok {
            let effective = p.effective.map_or("?".to_owned(), |d| d.to_string());
            let earliest = p
                .earliest_effective
                .map_or("?".to_owned(), |d| d.to_string());
            writeln!(
                out,
                "  {}",
                paint(
                    WARNING,
                    &format!("notice: effective {effective} is before {earliest}"),
                    color
                )
            )?;
        }
    }
    for s in &e.scheduled {
        let since = s.since.map_or("?".to_owned(), |d| d.to_string());
        writeln!(
            out,
            "  scheduled: {} from {since}",
            version(s.index, &s.version)
        )?;
    }
    if let Some(r) = e.next_review {
        let last = e
            .last_review
            .map_or_else(String::new, |d| format!(" (last review {d})"));
        if e.review_overdue {
            writeln!(
                out,
                "  next review: {}{last}",
                paint(WARNING, &format!("overdue since {r}"), color)
            )?;
        } else {
            writeln!(out, "  next review: {r}{last}")?;
        }
    }
    for g in &e.goals {
        let status = g.status.map_or("no check-in yet", GoalStatus::as_str);
        let updated = g
            .updated
            .map_or_else(String::new, |d| format!(" (as of {d})"));
        let due = if g.overdue {
            paint(WARNING, &format!("overdue since {}", g.due), color)
        } else {
            format!("due {}", g.due)
        };
        writeln!(out, "  goal {}: {status}{updated}, {due}", g.id)?;
    }
    if let Some(c) = &e.concluded {
        let reason = c.reason.map_or_else(String::new, |r| format!(" ({r})"));
        let note = c
            .note
            .as_deref()
            .map_or_else(String::new, |n| format!(": {n}"));
        writeln!(out, "  concluded: {}{reason}{note}", c.date)?;
    } else if let Some(end) = e.term_end {
        writeln!(out, "  term ends: {end}")?;
    }
    writeln!(out)
}
