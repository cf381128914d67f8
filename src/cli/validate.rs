//! `charter validate [PATH…]`: findings for the files in the working tree.

use std::io::Write;

use charter::finding::Summary;
use charter::render::findings as render;

use super::error::{code, CliResult};
use super::Global;

/// Output formats of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings with the offending line, for people.
    Text,
    /// `{"findings":[…],"summary":{…}}`.
    Json,
    /// GitHub workflow commands (annotations).
    Github,
}

/// Arguments of `charter validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories to validate (default: all agreements and charter.yaml).
    pub paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Validate and report; exit 1 when any error remains.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let ws = super::workspace(global)?;
    // Paths inside the repository are named relative to its root; a file
    // outside it (a draft elsewhere) is validated where it is.
    let paths: Vec<String> = args
        .paths
        .iter()
        .map(|p| {
            ws.relative(&global.cwd, p)
                .unwrap_or_else(|_| global.cwd.join(p).to_string_lossy().into_owned())
        })
        .collect();
    if paths.is_empty()
        && !charter::revision::Tree::Working(&ws.root).is_charter_repository(&ws.layout)?
    {
        return Err(
            super::error::CliError::from(charter::error::Error::NotCharter {
                place: format!("in {}", ws.root.display()),
                markers: ws.layout.markers(),
            })
            .hint("or name the files to validate: `charter validate FILE…`"),
        );
    }
    let (findings, sources) = ws.validate(&paths)?;
    let findings = ws.settings.adjust(findings, args.deny_warnings);
    let summary = Summary::of(&findings);
    let verdict = if summary.errors > 0 {
        code::VERDICT
    } else {
        code::OK
    };
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Text => render::text(&mut out, &findings, &sources, global.color)
            .and_then(|()| out.flush())
            .map(|()| {
                super::note_escaped(
                    global,
                    &render::summary_line(summary, "validate", global.color_err),
                )
            }),
        Format::Json => render::json(&mut out, &findings),
        Format::Github => render::github(&mut out, &findings),
    }
    .and_then(|()| out.flush());
    super::finish(verdict, written.map_err(Into::into))
}
