//! `charter show ID`: a one-page summary of an agreement with its appendix
//! and verified signature block, as markdown or printable HTML.

use std::io::Write;

use charter::agreement::lint::Parsed;
use charter::agreement::Role;
use charter::checkin::progress::GoalProgress;
use charter::render::checkins::CheckinRow;
use charter::render::show::{self, Context, Signature};
use charter::render::words;
use chrono::NaiveDate;

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
    /// Show the agreement as it was at this revision: the newest version
    /// there (default: the version in force at HEAD).
    #[arg(long, value_name = "REV")]
    pub at: Option<String>,
    /// Show the newest version, signed or not, instead of the one in force.
    #[arg(long, conflicts_with = "at")]
    pub pending: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
    /// Judge states as of this day (YYYY-MM-DD; default today, or CHARTER_TODAY).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// Print the page.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let text = page(args, global)?;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(code::OK)
}

/// The page as text, for `run` and the demo.
pub fn page(args: &Args, global: &Global) -> Result<String, CliError> {
    let ws = super::workspace(global)?;
    let id = super::ids::agreement_id(&args.id, &ws, global)?;
    let repo = ws.repo.as_ref().ok_or_else(super::not_a_repository)?;
    let today = super::today(args.today.as_deref())?;
    let commit = match &args.at {
        Some(rev) => charter::history::resolve_commit(repo, rev)?,
        None => charter::history::head_commit(repo)?,
    };
    // The layout and trust root of the revision shown, as `verify` reads
    // them, so both always agree on who signed.
    let at = charter::record::load_at(repo, &commit, &id, today, args.at.is_none())?;
    let (record, layout) = (&at.record, &at.inputs.layout);
    let path = layout.agreement_file(&id);
    let e = &record.evaluation;
    let index = e.shown(args.at.is_some() || args.pending);
    let report = index.map(|i| &e.versions[i]);
    let parsed = report.and_then(|v| record.history.points[v.point].state.parsed());
    let agreement = match parsed {
        Some(Parsed::Valid { agreement, .. }) => agreement.as_ref().clone(),
        Some(_) => {
            return Err(
                CliError::new(format!("{path} is not a valid agreement at this revision"))
                    .hint(format!("see what is wrong with `charter validate {path}`")),
            )
        }
        None if !ws.known_ids().contains(&id) => {
            return Err(super::ids::unknown_agreement(
                &id,
                "at this revision",
                &ws,
                &ws.known_ids(),
            ))
        }
        None => {
            return Err(
                CliError::new(format!("{path} does not exist at this revision"))
                    .hint("check the id (ls agreements) or the revision given to --at"),
            )
        }
    };
    let (index, v) = (
        index.unwrap_or(0),
        report.expect("a parsed version has a report"),
    );
    let label = |i: usize| {
        words::version(
            i,
            e.versions[i].version.as_ref().map_or("", |id| id.as_str()),
        )
    };
    let name_of = |role: Role| match role {
        Role::Mentor => agreement.parties.mentor.name.clone(),
        Role::Mentee => agreement.parties.mentee.name.clone(),
    };
    let expected = record.expected_amends().swap_remove(index);
    let signatures = record
        .credited_signoffs(v)
        .map(|s| Signature {
            role: s.role.map_or_else(String::new, |r| r.to_string()),
            name: s.role.map_or_else(String::new, name_of),
            principal: s.principal.clone().unwrap_or_default(),
            signed: s.signoff_time.clone().unwrap_or_default(),
            key: s.key_fingerprint.clone().unwrap_or_default(),
            waived: s.waive_notice,
            does_not_count: charter::record::Record::amends_mismatch(s, expected.as_ref()).map(
                |(named, expected)| {
                    format!(
                        "it amends {}, but this version's previous signed version is {}",
                        words::short_version(&named),
                        words::short_version(&expected)
                    )
                },
            ),
        })
        .collect();
    let in_force = e.in_force == Some(index);
    let draft = (!in_force).then(|| {
        let what = format!("{} is {}", label(index), state_words(v.state.as_str()));
        match e.in_force {
            Some(i) => format!(
                "{what}, not the version in force; {} is in force.",
                label(i)
            ),
            None => format!("{what}; no version of this agreement is in force yet."),
        }
    });
    // Goals are chased only on the version in force while the mentorship
    // is lived (not concluded or ended): the library's one rule.
    let live = in_force && e.is_live();
    let lived = charter::checkin::progress::progress(&agreement, &record.checkins, live, today);
    let goal_status = lived
        .goals
        .iter()
        .map(|g| {
            let due = goal_status(g, today, live);
            // The latest status the parties reported by `today`.
            match (g.status, g.updated) {
                (Some(status), Some(day)) if status.is_settled() => {
                    format!("{status} (as of {day})")
                }
                (Some(status), Some(day)) => format!("{status} (as of {day}); {due}"),
                _ => due,
            }
        })
        .collect();
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
        version: label(index),
        // The agreement's state, in the word every command uses for it,
        // then the shown version's where that says something else.
        state: if e.state.as_str() == v.state.as_str() || e.state.is_over() {
            e.state.as_str().to_owned()
        } else {
            format!(
                "{}, this version {}",
                e.state.as_str(),
                state_words(v.state.as_str())
            )
        },
        takes_effect: v.takes_effect.map(|d| d.to_string()),
        signatures,
        missing: v.missing.iter().map(|r| r.to_string()).collect(),
        draft,
        goal_status,
        checkins,
    };
    Ok(match args.format {
        Format::Markdown => show::markdown(&agreement, &ctx),
        Format::Html => show::html(&agreement, &ctx),
    })
}

/// A state word as a phrase: `in-force` reads "in force".
fn state_words(state: &str) -> String {
    state.replace('-', " ")
}

/// A goal's due date on the page, worded against `today` only while the
/// mentorship is lived, since a draft's dates are proposals and an ended
/// term (or a concluded agreement) has nothing left to chase. Whether it is
/// overdue is the library's answer, as in `status` and `report`.
fn goal_status(goal: &GoalProgress, today: NaiveDate, live: bool) -> String {
    if !live {
        return "—".into();
    }
    let days = (goal.due - today).num_days().unsigned_abs() as usize;
    if goal.overdue {
        format!("overdue by {}", charter::plural::count(days, "day"))
    } else if days == 0 {
        "due today".into()
    } else {
        format!("due in {}", charter::plural::count(days, "day"))
    }
}
