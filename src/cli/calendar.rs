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
    let from = date_arg("--from", args.from.as_deref())?;
    let to = date_arg("--to", args.to.as_deref())?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(CliError::new(format!("--from {f} is after --to {t}")));
        }
    }
    let ws = super::workspace(global)?;
    let ids = args
        .ids
        .iter()
        .map(|arg| super::ids::agreement_id(arg, &ws, global))
        .collect::<Result<Vec<_>, _>>()?;
    let repo = ws.repo.as_ref().ok_or_else(super::not_a_repository)?;
    let today = super::today(args.today.as_deref())?;
    let head = charter::history::head_commit(repo)?;
    // HEAD's charter.yaml and trust root, as every report on HEAD reads them.
    let charter::record::AllAt {
        records,
        inputs,
        tip_time,
    } = charter::record::load_all_at(repo, &head, today)?;
    for id in &ids {
        if !records.iter().any(|r| &r.id == id) {
            let known: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
            return Err(super::ids::unknown_agreement(id, "at HEAD", &ws, &known));
        }
    }
    let opts = charter::calendar::Options {
        ids,
        party: args.party.clone(),
        from,
        to,
        name: inputs.settings.program.clone(),
    };
    let events = charter::calendar::events(&records, &opts);
    let stamp = tip_time
        .and_then(|t| chrono::DateTime::<chrono::Utc>::from_timestamp(t, 0))
        .unwrap_or_default();
    let text = charter::calendar::write(&events, &opts, stamp);
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(code::OK)
}
