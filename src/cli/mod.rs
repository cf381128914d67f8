//! The command line: one file per subcommand, each an `Args` struct and a `run`.

mod amend;
mod calendar;
mod check;
mod checkin;
mod completions;
mod conclude;
mod decline;
mod demo;
mod diff;
mod error;
mod git_diff;
mod ids;
mod index;
mod init;
mod log;
mod new;
mod report;
mod show;
mod sign;
mod signoff;
mod status;
mod template_diff;
mod textconv;
mod validate;
mod verify;
mod withdraw;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use error::{code, CliError, CliResult};

/// Mentoring agreements as code: semantic diffs, notice periods and SSH sign-offs over git.
#[derive(Debug, Parser)]
#[command(name = "charter", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Run as if charter was started in DIR (like `git -C`).
    /// Repeated, each is taken relative to the one before, as in git.
    #[arg(short = 'C', global = true, value_name = "DIR", action = clap::ArgAction::Append)]
    pub directory: Vec<PathBuf>,

    /// When to colour output.
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    pub color: Option<ColorWhen>,

    #[command(subcommand)]
    pub command: Command,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour on a terminal, unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the layout of a charter repository (runs `git init` when needed).
    Init(init::Args),
    /// Write a new agreement from a commented template.
    New(new::Args),
    /// Report problems in agreements and charter.yaml in the working tree.
    Validate(validate::Args),
    /// Show what changed in agreements between revisions, as data, not lines.
    Diff(diff::Args),
    /// The external diff driver git runs for `diff=charter` files (`diff.charter.command`).
    GitDiff(git_diff::Args),
    /// Print an agreement as sorted `path: value` lines (for `diff.charter.textconv`).
    Textconv(textconv::Args),
    /// Validate a working-tree amendment, check its notice period, and commit it alone.
    Amend(amend::Args),
    /// Show an agreement's amendment history, newest first.
    Log(log::Args),
    /// The CI gate: validation, sign-offs, append-only sign-offs, notice periods, party changes, removals.
    Check(check::Args),
    /// One-page summary of an agreement with its appendix and verified signatures (markdown or HTML).
    Show(show::Args),
    /// Where every agreement stands today: in force, pending, scheduled, reviews and goals due.
    Status(status::Args),
    /// The programme view: counts by state, waiting signatures, overdue reviews and goals, mentor load.
    Report(report::Args),
    /// The dates agreements promise (meetings, reviews, goals, notice, term end) as iCalendar.
    Calendar(calendar::Args),
    /// Sign an agreement's version with your SSH key and commit the sign-off.
    Sign(sign::Args),
    /// Verify every sign-off; show who signed each version, and when.
    Verify(verify::Args),
    /// Record, sign and commit a check-in: goal statuses, review scores, a short note.
    Checkin(checkin::Args),
    /// End a mentorship: append `concluded` with a reason, commit it and sign it.
    Conclude(conclude::Args),
    /// Refuse the proposal waiting for signatures, with a signed record.
    Decline(decline::Args),
    /// Withdraw a proposal: restore the signed version's exact text and commit it.
    Withdraw(withdraw::Args),
    /// Build or update the history index, a cache under .git/charter.
    Index(index::Args),
    /// Print a sign-off's signed bytes or signature, to check it with ssh-keygen.
    Signoff(signoff::Args),
    /// Build a sample repository with real history and show what charter says about it.
    Demo(demo::Args),
    /// Print shell completions.
    Completions(completions::CompletionArgs),
    /// Print the man page (roff), or write one page per subcommand with --dir.
    Man(completions::ManArgs),
}

/// Settings every command shares, resolved once.
pub struct Global {
    /// The directory charter acts in (after `-C`).
    pub cwd: PathBuf,
    /// Whether stdout gets colour.
    pub color: bool,
    /// Whether stderr gets colour.
    pub color_err: bool,
}

impl Global {
    fn resolve(cli: &Cli) -> Result<Global, CliError> {
        let base = std::env::current_dir()
            .map_err(|e| CliError::new(format!("cannot read the current directory: {e}")))?;
        let cwd = cli.directory.iter().fold(base, |dir, next| dir.join(next));
        if !cwd.is_dir() {
            return Err(CliError::new(format!(
                "-C {}: no such directory",
                cwd.display()
            )));
        }
        Ok(Global {
            cwd,
            color: colour(cli.color, std::io::stdout().is_terminal()),
            color_err: colour(cli.color, std::io::stderr().is_terminal()),
        })
    }
}

/// Whether to colour a stream: `--color` beats `NO_COLOR`, which beats
/// terminal detection (a `dumb` terminal gets none).
fn colour(choice: Option<ColorWhen>, is_tty: bool) -> bool {
    match choice {
        Some(ColorWhen::Always) => true,
        Some(ColorWhen::Never) => false,
        Some(ColorWhen::Auto) | None => {
            is_tty
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

/// Today's UTC date, or `CHARTER_TODAY` when set (for tests and reproducible demos).
pub fn today(flag: Option<&str>) -> Result<chrono::NaiveDate, CliError> {
    Ok(chosen_day(flag)?.unwrap_or_else(|| chrono::Utc::now().date_naive()))
}

/// The day chosen with `--today` or `CHARTER_TODAY`, if any: commands that
/// judge an uncommitted change land it then rather than now
/// (`charter::amendment::Clock`).
pub fn chosen_day(flag: Option<&str>) -> Result<Option<chrono::NaiveDate>, CliError> {
    let from_env = std::env::var("CHARTER_TODAY")
        .ok()
        .filter(|v| !v.is_empty());
    let (source, value) = match (flag, from_env.as_deref()) {
        (Some(v), _) => ("--today", v),
        (None, Some(v)) => ("CHARTER_TODAY", v),
        (None, None) => return Ok(None),
    };
    charter::agreement::types::Date::parse(value)
        .map(|d| Some(d.0))
        .map_err(|e| {
            CliError::new(format!("{source}: {e}"))
                .hint("give a date as YYYY-MM-DD, e.g. 2026-06-10")
        })
}

/// The clock an uncommitted change is judged by: the chosen day when there
/// is one, else `now` (the committer time of the commit that would record it).
pub fn clock(
    flag: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<charter::amendment::Clock, CliError> {
    Ok(match chosen_day(flag)? {
        Some(day) => charter::amendment::Clock::Day(day),
        None => charter::amendment::Clock::Now(now),
    })
}

/// Run the command line and turn the outcome into an exit code.
pub fn main() -> ExitCode {
    // git itself does not re-hash every object it reads; libgit2 does by
    // default, which doubles the cost of walking history. Object ids still
    // come from the repository's own index and trees.
    git2::opts::strict_hash_verification(false);
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                code::BROKEN
            } else {
                code::OK
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let color_choice = cli.color;
    charter::history::store::show_progress(!json_output(&cli.command));
    match Global::resolve(&cli).and_then(|g| dispatch(cli.command, &g)) {
        Ok(code) => ExitCode::from(code),
        Err(CliError::BrokenPipe) => ExitCode::from(code::OK),
        Err(CliError::Failed {
            message,
            hints,
            code,
        }) => {
            let color = colour(color_choice, std::io::stderr().is_terminal());
            let mut err = std::io::stderr().lock();
            let label =
                charter::render::style::paint(charter::render::style::ERROR, "error:", color);
            // Messages quote repository data (headings, emails, paths) and
            // arguments: control and invisible characters are spelt out,
            // while a hint's own line breaks stay.
            let shown = |s: &str| charter::render::escape::text_lines(s, "");
            let _ = writeln!(err, "{label} {}", shown(&message));
            for hint in hints {
                let label =
                    charter::render::style::paint(charter::render::style::DIM, "hint:", color);
                let _ = writeln!(err, "{label} {}", shown(&hint));
            }
            ExitCode::from(code)
        }
    }
}

/// Whether a command prints JSON (then nothing but errors goes to stderr,
/// not even a progress indicator).
fn json_output(command: &Command) -> bool {
    match command {
        Command::Check(a) => matches!(a.format, check::Format::Json),
        Command::Status(a) => matches!(a.format, status::Format::Json),
        Command::Verify(a) => matches!(a.format, verify::Format::Json),
        Command::Report(a) => matches!(a.format, report::Format::Json),
        Command::Log(a) => matches!(a.format, log::Format::Json),
        _ => false,
    }
}

fn dispatch(command: Command, global: &Global) -> CliResult {
    match command {
        Command::Init(args) => init::run(&args, global),
        Command::Index(args) => index::run(&args, global),
        Command::New(args) => new::run(&args, global),
        Command::Validate(args) => validate::run(&args, global),
        Command::Diff(args) => diff::run(&args, global),
        Command::GitDiff(args) => git_diff::run(&args, global),
        Command::Textconv(args) => textconv::run(&args, global),
        Command::Log(args) => log::run(&args, global),
        Command::Amend(args) => amend::run(&args, global),
        Command::Status(args) => status::run(&args, global),
        Command::Report(args) => report::run(&args, global),
        Command::Calendar(args) => calendar::run(&args, global),
        Command::Show(args) => show::run(&args, global),
        Command::Check(args) => check::run(&args, global),
        Command::Sign(args) => sign::run(&args, global),
        Command::Verify(args) => verify::run(&args, global),
        Command::Checkin(args) => checkin::run(&args, global),
        Command::Conclude(args) => conclude::run(&args, global),
        Command::Decline(args) => decline::run(&args, global),
        Command::Withdraw(args) => withdraw::run(&args, global),
        Command::Signoff(args) => signoff::run(&args, global),
        Command::Demo(args) => demo::run(&args, global),
        Command::Completions(args) => completions::completions(&args),
        Command::Man(args) => completions::man(&args),
    }
}

/// End a command whose verdict is known before its output is written: a
/// reader that goes away early (`charter check | head`) ends the output
/// quietly but does not change the exit code.
pub fn finish(verdict: u8, written: Result<(), CliError>) -> CliResult {
    match written {
        Ok(()) | Err(CliError::BrokenPipe) => Ok(verdict),
        Err(e) => Err(e),
    }
}

/// Print a message for the user on stderr (never fails: a closed stderr is ignored).
pub fn note(_global: &Global, message: &str) {
    // Notes quote repository data and the user's git config as errors do:
    // control and invisible characters are spelt out the same way.
    let shown = charter::render::escape::text_lines(message, "");
    let _ = writeln!(std::io::stderr().lock(), "{shown}");
}

/// Print a note whose quoted data the caller has already escaped, so that
/// the colour codes charter adds itself (labels, verdict lines) reach the
/// terminal instead of being spelt out by [`note`]'s escaping.
pub fn note_escaped(_global: &Global, message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}

/// Warn when the key that made a `what` record ("sign-off", "check-in")
/// is trusted by the working tree's `allowed_signers` but not yet by
/// HEAD's (`head`) at `now`.
pub fn warn_if_not_yet_trusted(
    global: &Global,
    ws: &charter::workspace::Workspace,
    head: &charter::signoff::AllowedSigners,
    (signing, signer): (
        &charter::signoff::signer::Signing<'_>,
        &charter::signoff::signer::Signer,
    ),
    (what, now): (&str, chrono::DateTime<chrono::Utc>),
) {
    if let Some(warning) = charter::signoff::signer::not_yet_trusted(
        head,
        &ws.layout.allowed_signers,
        signing.role.email(signing.agreement),
        signer.public_key(),
        signing.namespace,
        now,
        what,
    ) {
        note(global, &warning);
    }
}

/// Refuse an agreement id that is not `[a-z0-9][a-z0-9-]{0,63}`: ids become
/// file names, so anything else could name a path.
pub fn check_id(id: &str) -> Result<(), CliError> {
    if charter::agreement::types::is_valid_id(id) {
        return Ok(());
    }
    Err(CliError::new(format!("`{id}` is not a valid agreement id")).hint(
        "ids are lowercase letters, digits and dashes, starting with a letter or digit, at most 64 characters: the file stem of agreements/<id>.yaml (e.g. ada-grace)",
    ))
}

/// The error for commands that need git history outside a repository.
pub fn not_a_repository() -> CliError {
    charter::error::Error::NotARepository.into()
}

/// The git repository, for commands that read only commits (`check`):
/// unlike [`workspace`], a bare repository (a CI mirror, a server-side
/// hook) is accepted, since nothing is read from a working tree.
pub fn repository(global: &Global) -> Result<git2::Repository, CliError> {
    Ok(charter::workspace::discover_repository(&global.cwd)?)
}

/// Commit one record file charter has just written (a sign-off, a
/// check-in, a decline) on its own, and say so; on failure the file stays
/// written and the hint says how to commit it by hand.
pub fn commit_record(
    repo: &git2::Repository,
    global: &Global,
    identity: &charter::ident::Identity,
    rel: &str,
    bytes: Vec<u8>,
    message: &str,
) -> Result<(), CliError> {
    let commit = charter::git::commit_files(
        repo,
        &[(rel.to_owned(), bytes)],
        message,
        &identity.author,
        &identity.committer,
    )
    .map_err(|e| {
        CliError::from(e).hint(format!(
            "{rel} was written but not committed; commit it with `git add {rel} && git commit`"
        ))
    })?;
    note(
        global,
        &format!("committed {} {message}", &commit.to_string()[..7]),
    );
    Ok(())
}

/// Open the workspace charter acts on.
pub fn workspace(global: &Global) -> Result<charter::workspace::Workspace, CliError> {
    Ok(charter::workspace::Workspace::discover(&global.cwd)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
