//! `charter show ID`: a one-page summary of an agreement with its appendix
//! and verified signature block, as markdown or printable HTML.

use std::io::Write;

use charter::agreement::lint::Parsed;
use charter::render::checkins::CheckinRow;
use charter::render::show::{self, Context, Signature};

use super::error::{code, CliError, CliResult};
use super::Global;

/// Output formats of `show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// GitHub-flavoured markdown.
    Markdown,
    /// One self-contained, printable HTML page.
    Html,
}

/// Arguments of `charter show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The agreement id.
    pub id: String,
    /// The revision to show it at (default HEAD).
    #[arg(long, value_name = "REV")]
    pub at: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
    /// Judge states as of this day (YYYY-MM-DD; default today, or CHARTER_TODAY).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// Print the page.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let ws = super::workspace(global)?;
    let id = super::ids::agreement_id(&args.id, &ws, global)?;
    let repo = ws.repo.as_ref().ok_or_else(super::not_a_repository)?;
    let today = super::today(args.today.as_deref())?;
    let commit = match &args.at {
        Some(rev) => charter::history::resolve_commit(repo, rev)?,
        None => charter::history::head_commit(repo)?,
    };
    let chain = charter::history::Chain::walk(repo, commit.id(), None)?;
    let (signers, _) = charter::record::signers_at(repo, &commit, &ws.layout)?;
    let record = charter::record::load(repo, &chain, &ws.layout, &id, &signers, today)?;
    let path = format!("{}/{}.yaml", ws.layout.agreements, id);
    let e = &record.evaluation;
    // The version in force by default; with nothing in force, the newest
    // version, marked on the page as not in force.
    let shown = e.in_force.or_else(|| e.versions.len().checked_sub(1));
    let report = shown.map(|i| &e.versions[i]);
    let parsed = match report {
        Some(v) => record.history.points[v.point].state.parsed(),
        None => record.history.current().parsed(),
    };
    let agreement = match parsed {
        Some(Parsed::Valid { agreement, .. }) => agreement.as_ref().clone(),
        Some(_) => {
            return Err(
                CliError::new(format!("{path} is not a valid agreement at this revision"))
                    .hint(format!("see what is wrong with `charter validate {path}`")),
            )
        }
        None if !super::ids::known_ids(&ws).contains(&id) => {
            return Err(super::ids::unknown_agreement(
                &id,
                "at this revision",
                &ws,
                &super::ids::known_ids(&ws),
            ))
        }
        None => {
            return Err(
                CliError::new(format!("{path} does not exist at this revision"))
                    .hint("check the id (ls agreements) or the revision given to --at"),
            )
        }
    };
    let signatures = report
        .map(|v| {
            record
                .signoffs
                .iter()
                .filter(|s| s.valid && v.signoff_files.contains(&s.file))
                .map(|s| Signature {
                    role: s.role.map_or_else(String::new, |r| r.to_string()),
                    principal: s.principal.clone().unwrap_or_default(),
                    signed: s.signoff_time.clone().unwrap_or_default(),
                    key: s.key_fingerprint.clone().unwrap_or_default(),
                    waived: s.waive_notice,
                })
                .collect()
        })
        .unwrap_or_default();
    // The agreement's state, the same word every command uses; a page
    // showing a version that is not in force says so.
    let mut state = e.state.as_str().to_owned();
    if e.in_force.is_none() {
        state.push_str(", not in force");
    }
    let checkins = charter::checkin::progress::in_time_order(&record.checkins)
        .into_iter()
        .map(|c| CheckinRow {
            date: c.date.map(|d| d.to_string()).unwrap_or_default(),
            by: c.by.map(|r| r.to_string()).unwrap_or_default(),
            review: c.review,
            goals: c
                .goals
                .iter()
                .map(|(id, g)| (id.clone(), g.status.to_string(), g.note.clone()))
                .collect(),
            scores: c.scores.iter().map(|(h, s)| (h.clone(), s.get())).collect(),
            note: c.note.clone(),
        })
        .collect();
    let ctx = Context {
        id: id.clone(),
        version: report
            .and_then(|v| v.version.as_ref())
            .map_or_else(String::new, |v| v.short().to_owned()),
        state,
        takes_effect: report.and_then(|v| v.takes_effect).map(|d| d.to_string()),
        signatures,
        missing: report
            .map(|v| v.missing.iter().map(|r| r.to_string()).collect())
            .unwrap_or_default(),
        checkins,
    };
    let text = match args.format {
        Format::Markdown => show::markdown(&agreement, &ctx),
        Format::Html => show::html(&agreement, &ctx),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(code::OK)
}
