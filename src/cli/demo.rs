//! `charter demo [DIR]`: a sample repository with real history, and what charter says about it.

use std::io::Write;
use std::path::PathBuf;

use charter::finding::Summary;
use charter::render::findings as render;
use charter::render::style::{paint, HEADING};

use super::error::{code, CliError, CliResult};
use super::Global;

/// The day the demo looks at its sample history from.
const DEMO_DAY: &str = "2026-06-10";

/// Arguments of `charter demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to build the sample repository (must not exist or be empty; default: a new temporary directory).
    pub dir: Option<PathBuf>,
    /// The day to judge the sample from (default 2026-06-10, inside the sample's story).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
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
    if let Some(repo) = ws.repo.as_ref() {
        // Named as the sample's: the user's own clone is never touched.
        super::init::configure_diff_driver(
            repo,
            "the sample repository's .git/config",
            &super::Global {
                cwd: dir.clone(),
                color,
                color_err: global.color_err,
            },
        )?;
    }
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
    // The sample story runs from January to June 2026; look at it from
    // inside (--today, else CHARTER_TODAY, moves the day, as in every command).
    let today = match super::chosen_day(args.today.as_deref())? {
        Some(day) => day,
        None => super::today(Some(DEMO_DAY))?,
    };
    let today_text = today.to_string();
    writeln!(out, "{}", paint(HEADING, &format!("As of {today}:"), color))?;
    writeln!(out)?;
    writeln!(out, "{}", paint(HEADING, "$ charter status", color))?;
    out.flush()?;
    super::status::run(
        &super::status::Args {
            format: super::status::Format::Text,
            exit_code: false,
            today: Some(today_text.clone()),
        },
        &super::Global {
            cwd: dir.clone(),
            color,
            color_err: global.color_err,
        },
    )?;
    for id in ["ada-grace", "lin-sam-onboarding", "priya-morgan-reverse"] {
        writeln!(
            out,
            "{}",
            paint(HEADING, &format!("$ charter log {id}"), color)
        )?;
        let record = charter::record::load_at_head(repo, id, today)?.record;
        super::log::print_text(&mut out, &record, color)?;
    }
    // What the pending amendment (committed, so also the working tree's)
    // would change about what is in force.
    writeln!(
        out,
        "{}",
        paint(HEADING, "$ charter diff --signed -- ada-grace", color)
    )?;
    out.flush()?;
    super::diff::run(
        &super::diff::Args {
            revs: Vec::new(),
            limits: vec!["ada-grace".to_owned()],
            format: super::diff::Format::Text,
            exit_code: false,
            signed: true,
            today: Some(today_text.clone()),
            template: None,
        },
        &super::Global {
            cwd: dir.clone(),
            color,
            color_err: global.color_err,
        },
    )?;
    writeln!(out)?;
    writeln!(out, "{}", paint(HEADING, "$ charter verify", color))?;
    let head = charter::history::head_commit(repo)?;
    // What `charter verify` covers and counts, with HEAD's trust root.
    let inputs = charter::revision::Inputs::load(&charter::revision::Tree::Commit(repo, &head))?;
    let records =
        charter::verification::records(repo, &head, &inputs.layout, &inputs.signers, &[], today)?;
    let summary = charter::verification::summary(&records);
    writeln!(
        out,
        "{} valid, {} invalid {} in {} (every one checked in-process against allowed_signers)",
        summary.valid,
        summary.invalid,
        charter::plural::plural_for(summary.valid + summary.invalid, "sign-off"),
        charter::plural::count(records.len(), "agreement")
    )?;
    writeln!(out)?;
    writeln!(out, "{}", paint(HEADING, "$ charter check", color))?;
    let report = charter::check::check(
        repo,
        &charter::check::Options {
            base: None,
            head: None,
            today,
            now: chrono::Utc::now().timestamp(),
            deny_warnings: false,
        },
    )?;
    render::text(&mut out, &report.findings, &report.sources, color)?;
    writeln!(
        out,
        "{}",
        render::summary_line(Summary::of(&report.findings), "check", color)
    )?;
    writeln!(out)?;
    // One agreement as people read and sign it, written beside the sample.
    let html = dir
        .join(".git")
        .join("charter-demo-lin-sam-onboarding.html");
    let sample = super::Global {
        cwd: dir.clone(),
        color,
        color_err: global.color_err,
    };
    let page = super::show::page(
        &super::show::Args {
            id: "lin-sam-onboarding".into(),
            at: None,
            pending: false,
            format: super::show::Format::Html,
            today: Some(today_text.clone()),
        },
        &sample,
    )?;
    charter::git::create_new_file(&html, page.as_bytes())
        .map_err(|e| CliError::new(format!("{}: cannot create: {e}", html.display())))?;
    writeln!(
        out,
        "{}",
        paint(
            HEADING,
            "$ charter show lin-sam-onboarding --format html",
            color
        )
    )?;
    writeln!(
        out,
        "written to {} (open it in a browser; it prints as a signed page)",
        html.display()
    )?;
    writeln!(out)?;
    writeln!(out, "Explore it yourself:")?;
    writeln!(out, "  cd {}", dir.display())?;
    writeln!(
        out,
        "  charter status --today {today}   # the sample's story ends in June 2026"
    )?;
    writeln!(
        out,
        "  charter log lin-sam-onboarding    # a signed amendment that broke its notice period"
    )?;
    writeln!(
        out,
        "  charter diff HEAD~4 HEAD          # semantic diff between revisions"
    )?;
    writeln!(
        out,
        "  charter diff --signed             # pending changes against what is in force"
    )?;
    writeln!(
        out,
        "  charter show ada-grace --format html > ada.html   # check-ins drawn as charts"
    )?;
    writeln!(
        out,
        "  git diff HEAD~4 HEAD              # git's diff through charter (diff.charter.command is set here)"
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "The sample repository is {}; remove it with:\n  rm -rf '{}'",
        dir.display(),
        dir.display()
    )?;
    out.flush()?;
    Ok(code::OK)
}
