//! `charter demo [DIR]`: a sample repository with real history, and what charter says about it.

use std::io::Write;
use std::path::PathBuf;

use charter::finding::Summary;
use charter::render::findings as render;
use charter::render::style::{paint, HEADING};

use super::error::{code, CliError, CliResult};
use super::Global;

/// Arguments of `charter demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to build the sample repository (must not exist or be empty; default: a new temporary directory).
    pub dir: Option<PathBuf>,
}

/// Build the sample and print what charter can say about it.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let dir = match &args.dir {
        Some(dir) => global.cwd.join(dir),
        None => tempfile::Builder::new()
            .prefix("charter-demo-")
            .tempdir()
            .map_err(|e| CliError::new(format!("cannot create a temporary directory: {e}")))?
            .keep(),
    };
    let commits = charter::demo::build(&dir)?;
    let mut out = std::io::stdout().lock();
    let color = global.color;
    writeln!(
        out,
        "{}",
        paint(
            HEADING,
            &format!("Sample repository: {}", dir.display()),
            color
        )
    )?;
    writeln!(out)?;
    writeln!(out, "{}", paint(HEADING, "History (oldest first)", color))?;
    for c in &commits {
        writeln!(out, "  {} {}  {}", &c.id[..8], c.date, c.subject)?;
    }
    writeln!(out)?;

    let ws = charter::workspace::Workspace::discover(&dir)?;
    writeln!(out, "{}", paint(HEADING, "$ charter validate", color))?;
    let (findings, sources) = ws.validate(&[])?;
    render::text(&mut out, &findings, &sources, color)?;
    writeln!(
        out,
        "{}",
        render::summary_line(Summary::of(&findings), "validate", color)
    )?;
    writeln!(out)?;
    let repo = ws.repo.as_ref().ok_or_else(super::not_a_repository)?;
    let today = super::today(None)?;
    for id in ["ada-grace", "lin-sam-onboarding", "priya-morgan-reverse"] {
        writeln!(
            out,
            "{}",
            paint(HEADING, &format!("$ charter log {id}"), color)
        )?;
        let (record, _) = charter::record::load_at_head(repo, &ws.layout, id, today)?;
        super::log::print_text(&mut out, &record, color)?;
    }
    writeln!(
        out,
        "Explore it yourself: cd {} && charter log ada-grace",
        dir.display()
    )?;
    out.flush()?;
    Ok(code::OK)
}
