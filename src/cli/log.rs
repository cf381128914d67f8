//! `charter log ID`: an agreement's amendment history, newest first.

use std::io::Write;

use charter::agreement::Role;
use charter::checkin::CheckinReport;
use charter::json::LogEntry;
use charter::record::Record;
use charter::render::style::{paint, DIM, HEADING, NEW, WARNING};
use charter::rules::{VersionReport, VersionState};

use super::error::{code, CliError, CliResult};
use super::Global;

/// Output formats of `log`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// JSON, in the shape documented in docs/json.md.
    Json,
}

/// Arguments of `charter log`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The agreement id.
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Judge states as of this day (YYYY-MM-DD; default today, or CHARTER_TODAY).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// Print the history.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let ws = super::workspace(global)?;
    let id = super::ids::agreement_id(&args.id, &ws, global)?;
    let repo = ws.repo.as_ref().ok_or_else(super::not_a_repository)?;
    let today = super::today(args.today.as_deref())?;
    let record = charter::record::load_at_head(repo, &id, today)?.record;
    let known = ws.known_ids();
    if record.evaluation.versions.is_empty() && !known.contains(&id) {
        return Err(super::ids::unknown_agreement(&id, "at HEAD", &ws, &known));
    }
    if record.evaluation.versions.is_empty() {
        return Err(CliError::new(format!(
            "{}/{}.yaml has no history on this branch",
            ws.layout.agreements, id
        ))
        .hint("commit the agreement first, or check the id with `ls agreements`"));
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &charter::log::of(&id, &record))?;
            writeln!(out)?;
        }
        Format::Text => {
            print_text(&mut out, &record, global.color)?;
            writeln!(out, "{}", paint(DIM, charter::diff::LEGEND, global.color))?;
        }
    }
    out.flush()?;
    Ok(code::OK)
}

/// The text form of the log, for `log` and the demo.
pub fn print_text(out: &mut dyn Write, record: &Record, color: bool) -> std::io::Result<()> {
    let reports: Vec<&VersionReport> = record.evaluation.versions.iter().rev().collect();
    writeln!(
        out,
        "{} ({})",
        paint(HEADING, &record.history.path, color),
        record.evaluation.state.as_str()
    )?;
    let last = reports.len().saturating_sub(1);
    for (n, (entry, report)) in charter::log::entries(record)
        .iter()
        .zip(reports)
        .enumerate()
    {
        text_entry(out, entry, last - n, report, color)?;
    }
    let checkins = charter::checkin::progress::all_in_time_order(&record.checkins);
    if !checkins.is_empty() {
        writeln!(out, "{}", paint(HEADING, "check-ins (oldest first)", color))?;
        for c in checkins {
            checkin_entry(out, c, color)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn checkin_entry(out: &mut dyn Write, c: &CheckinReport, color: bool) -> std::io::Result<()> {
    let date = c.date.map_or_else(|| "?".to_owned(), |d| d.to_string());
    let by = c.by.map_or("?", |r| r.as_str());
    let mut line = format!("  {date} {by}");
    if c.review {
        line.push_str(" review");
    }
    let goals: Vec<String> = c
        .goals
        .iter()
        .map(|(id, g)| format!("{id}: {}", g.status))
        .collect();
    if !goals.is_empty() {
        line.push_str(&format!("  {}", goals.join(", ")));
    }
    let scores: Vec<String> = c
        .scores
        .iter()
        .map(|(h, s)| format!("{h} {}", s.get()))
        .collect();
    if !scores.is_empty() {
        line.push_str(&format!("  scores: {}", scores.join(", ")));
    }
    writeln!(out, "{line}")?;
    if let Some(note) = &c.note {
        writeln!(out, "    {}", paint(DIM, note, color))?;
    }
    if !c.valid {
        let why = c.reason.as_deref().unwrap_or("unknown reason");
        writeln!(
            out,
            "    {}",
            paint(WARNING, &format!("not valid: {why} ({})", c.file), color)
        )?;
    }
    Ok(())
}

fn text_entry(
    out: &mut dyn Write,
    e: &LogEntry,
    index: usize,
    report: &VersionReport,
    color: bool,
) -> std::io::Result<()> {
    let version = e.version.as_deref().map_or_else(
        || {
            format!(
                "v{} (unparseable)",
                charter::render::words::version_number(index)
            )
        },
        |v| charter::render::words::version(index, v),
    );
    let state_style = match report.state {
        VersionState::InForce => NEW,
        VersionState::Pending
        | VersionState::Scheduled
        | VersionState::Draft
        | VersionState::Declined => WARNING,
        _ => DIM,
    };
    writeln!(
        out,
        "{} {}  {}  {}",
        paint(HEADING, &e.commit[..10], color),
        e.date,
        version,
        paint(state_style, e.state.as_str(), color)
    )?;
    writeln!(
        out,
        "  {}",
        paint(DIM, &format!("author: {}", e.author), color)
    )?;
    if let Some(effective) = &e.effective {
        let kind = if e.material { "material" } else { "editorial" };
        let mut line = format!("effective {effective}, {kind}");
        if let Some(t) = &e.takes_effect {
            line.push_str(&format!(", takes effect {t}"));
        }
        writeln!(out, "  {line}")?;
    }
    writeln!(out, "  {}", charter::render::escape::text(&e.summary))?;
    let signers = if e.signed_by.is_empty() {
        "none".to_owned()
    } else {
        Role::join(&e.signed_by, ", ")
    };
    writeln!(out, "  signed by: {signers}")?;
    if !e.declined_by.is_empty() {
        writeln!(
            out,
            "  {}",
            paint(
                WARNING,
                &format!("declined by: {}", Role::join(&e.declined_by, ", ")),
                color
            )
        )?;
    }
    if let Some(n) = &report.notice {
        if n.material {
            let verdict = if n.waived {
                "waived".to_owned()
            } else if n.ok() {
                "ok".to_owned()
            } else {
                paint(
                    WARNING,
                    &format!(
                        "too early (effective {} < {})",
                        n.effective, n.earliest_effective
                    ),
                    color,
                )
            };
            writeln!(
                out,
                "  notice: opened {}, {}, earliest {}: {verdict}",
                n.opened,
                charter::render::words::notice(n.notice_days),
                n.earliest_effective
            )?;
        }
    }
    writeln!(out)
}
