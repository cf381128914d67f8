//! `charter report`: the programme view across every agreement.

use std::io::Write;

use charter::programme::{self, Filters};
use charter::rules::AgreementState;

use super::error::{code, CliError, CliResult};
use super::Global;

/// Output formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people, on a terminal.
    Text,
    /// GitHub-flavoured markdown (for a CI job summary).
    Markdown,
    /// JSON, in the shape documented in docs/json.md.
    Json,
    /// One row per agreement, with a header.
    Csv,
    /// One self-contained page with charts, printable, no scripts.
    Html,
}

/// Agreement states, as `--state` takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StateArg {
    /// Nothing signed yet.
    Draft,
    /// A signed version is in force.
    InForce,
    /// In force, with an unsigned amendment.
    Pending,
    /// The proposal waiting for signatures was refused by a party.
    Declined,
    /// A signed version waits for its date.
    Scheduled,
    /// Concluded.
    Concluded,
    /// The term ended without concluding.
    Ended,
}

impl From<StateArg> for AgreementState {
    fn from(s: StateArg) -> Self {
        match s {
            StateArg::Draft => AgreementState::Draft,
            StateArg::InForce => AgreementState::InForce,
            StateArg::Pending => AgreementState::Pending,
            StateArg::Declined => AgreementState::Declined,
            StateArg::Scheduled => AgreementState::Scheduled,
            StateArg::Concluded => AgreementState::Concluded,
            StateArg::Ended => AgreementState::Ended,
        }
    }
}

/// Arguments of `charter report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Judge as of this day (YYYY-MM-DD; default today, or CHARTER_TODAY).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Only agreements where this email is mentor, mentee or observer.
    #[arg(long, value_name = "EMAIL")]
    pub party: Option<String>,
    /// Only agreements in this state (repeat for several).
    #[arg(long, value_enum, value_name = "STATE")]
    pub state: Vec<StateArg>,
    /// A version waiting for signatures longer than this is listed (days or weeks: 14d, 2w).
    #[arg(long, value_name = "DURATION", default_value = "14d")]
    pub stale: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Print the report of the repository at HEAD.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let stale = charter::agreement::types::Duration::parse(&args.stale)
        .ok()
        .and_then(|d| d.days())
        .ok_or_else(|| {
            CliError::new(format!(
                "--stale {}: not a number of days or weeks",
                args.stale
            ))
            .hint("give a duration like 14d or 2w")
        })?;
    let ws = super::workspace(global)?;
    let repo = ws.repo.as_ref().ok_or_else(super::not_a_repository)?;
    let today = super::today(args.today.as_deref())?;
    let head = charter::history::head_commit(repo)?;
    // HEAD's records, and HEAD's charter.yaml for the programme's name.
    let charter::record::AllAt {
        records, inputs, ..
    } = charter::record::load_all_at(repo, &head, today)?;
    let mut states: Vec<AgreementState> = args.state.iter().map(|&s| s.into()).collect();
    states.dedup();
    let filters = Filters {
        party: args.party.clone(),
        states,
        stale_days: stale,
    };
    let report = programme::build(&records, today, inputs.settings.program.clone(), filters);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Text => programme::text::text(&mut out, &report)?,
        Format::Markdown => programme::text::markdown(&mut out, &report)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        Format::Csv => programme::csv::write(&mut out, &report)?,
        Format::Html => programme::html::write(&mut out, &report)?,
    }
    out.flush()?;
    Ok(code::OK)
}
