//! `charter check [--base REV] [--head REV]`: the CI gate.

use std::io::Write;

use charter::check::Report;
use charter::finding::Summary;
use charter::render::findings as render;
use charter::render::sarif::Places;

use super::error::{code, CliError, CliResult};
use super::Global;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings for people.
    Text,
    /// GitHub workflow commands, plus the markdown report in `$GITHUB_STEP_SUMMARY`.
    Github,
    /// JSON, in the shape documented in docs/json.md.
    Json,
    /// A pull-request comment.
    Markdown,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// Arguments of `charter check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The pull request's base commit: judge the pull request as it would
    /// land on it, with the trust root and settings from it.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// The revision to judge (default HEAD); in CI, the pull request's head commit.
    #[arg(long, value_name = "REV")]
    pub head: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Judge as of this day (YYYY-MM-DD; default today, or CHARTER_TODAY).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// Run the gate; exit 1 on error findings.
pub fn run(args: &Args, global: &Global) -> CliResult {
    // Only commits are read, so a bare repository works as well as a clone.
    let repo = &super::repository(global)?;
    let today = super::today(args.today.as_deref())?;
    let opts = charter::check::Options {
        base: args.base.clone(),
        head: args.head.clone(),
        today,
        now: chrono::Utc::now().timestamp(),
        deny_warnings: args.deny_warnings,
    };
    let mut report = charter::check::check(repo, &opts)?;
    let summary = Summary::of(&report.findings);
    let verdict = if summary.errors > 0 {
        code::VERDICT
    } else {
        code::OK
    };
    let places = if args.format == Format::Sarif {
        charter::check::sarif_places(repo, &mut report)
    } else {
        Places::default()
    };
    super::finish(
        verdict,
        write_report(args, global, &report, &places, summary),
    )
}

/// Print the report in the chosen format.
fn write_report(
    args: &Args,
    global: &Global,
    report: &Report,
    places: &Places,
    summary: Summary,
) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Text => {
            render::text(&mut out, &report.findings, &report.sources, global.color)?;
            out.flush()?;
            super::note_escaped(
                global,
                &render::summary_line(summary, "check", global.color_err),
            );
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &report.json())?;
            writeln!(out)?;
        }
        Format::Github => {
            render::github(&mut out, &report.findings)?;
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
                let mut text = Vec::new();
                charter::render::check::markdown(&mut text, report)?;
                let appended = std::fs::OpenOptions::new()
                    .append(true)
                    .create(true)
                    .open(&path)
                    .and_then(|mut file| file.write_all(&text));
                if let Err(e) = appended {
                    // The verdict stands; only the summary page is missing.
                    super::note(
                        global,
                        &format!(
                            "warning: could not append to GITHUB_STEP_SUMMARY ({}): {e}",
                            std::path::Path::new(&path).display()
                        ),
                    );
                }
            }
        }
        Format::Markdown => charter::render::check::markdown(&mut out, report)?,
        Format::Sarif => charter::render::sarif::write(&mut out, report, places)?,
    }
    out.flush()?;
    Ok(())
}
