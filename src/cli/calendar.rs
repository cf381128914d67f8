//! `charter calendar`: the dates agreements promise, as iCalendar.

use std::io::Write;

use super::error::{code, CliError, CliResult};
use super::Global;

/// Arguments of `charter calendar`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only these agreements (default: all).
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    /// Only agreements where this email is mentor, mentee or observer.
    #[arg(long, value_name = "EMAIL")]
    pub party: Option<String>,
    /// Leave out events and series that end before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Leave out events and series that start after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Judge states as of this day (YYYY-MM-DD; default today, or CHARTER_TODAY).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

fn date_arg(flag: &str, value: Option<&str>) -> Result<Option<chrono::NaiveDate>, CliError> {
    value
        .map(|v| {
            charter::agreement::types::Date::parse(v)
                .map(|d| d.0)
                .map_err(|e| {
                    CliError::new(format!("{flag}: {e}")).hint("give a date as YYYY-MM-DD")
                })
        })
        .transpose()
}

/// Print the calendar of the agreements at HEAD.
pub fn run(args: &Args, global: &Global) -> CliResult {
    for id in &args.ids {
        super::check_id(id)?;
    }
    let from = date_arg("--from", args.from.as_deref())?;
    let to = date_arg("--to", args.to.as_deref())?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(CliError::new(format!("--from {f} is after --to {t}")));
        }
    }
    let ws = super::workspace(global)?;
    let repo = ws.repo.as_ref().ok_or_else(super::not_a_repository)?;
    let today = super::today(args.today.as_deref())?;
    let head = charter::history::head_commit(repo)?;
    // HEAD's charter.yaml and trust root, as every report on HEAD reads them.
    let inputs = charter::revision::Inputs::load(&charter::revision::Tree::Commit(repo, &head))?;
    let layout = &inputs.layout;
    let parses = charter::history::parse_store::ParseStore::open_in_background(repo);
    let index = charter::history::store::open(
        repo,
        layout,
        head.id(),
        charter::history::store::Want::All,
        true,
    )?;
    let records = charter::record::load_all_cached(
        repo,
        &index,
        layout,
        &inputs.signers,
        today,
        parses.wait(),
    )?;
    for id in &args.ids {
        if !records.iter().any(|r| &r.id == id) {
            return Err(
                CliError::new(format!("no agreement `{id}` at HEAD")).hint(format!(
                    "agreements live in {}/<id>.yaml and must be committed",
                    layout.agreements
                )),
            );
        }
    }
    let opts = charter::calendar::Options {
        ids: args.ids.clone(),
        party: args.party.clone(),
        from,
        to,
        name: inputs.settings.program.clone(),
    };
    let events = charter::calendar::events(&records, &opts);
    let stamp = index
        .chain()
        .commits
        .last()
        .and_then(|c| chrono::DateTime::<chrono::Utc>::from_timestamp(c.time, 0))
        .unwrap_or_default();
    let text = charter::calendar::write(&events, &opts, stamp);
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(code::OK)
}
