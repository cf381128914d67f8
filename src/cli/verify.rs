//! `charter verify [ID…]`: check every sign-off and show who signed what.
//!
//! `verify` judges the commit HEAD as a whole: the agreements, the sign-off
//! files, `charter.yaml` and the trust root (`allowed_signers`) are all read
//! from HEAD's tree, never from the working tree. Its verdict is then the
//! same for everyone who has that commit, and an uncommitted edit of
//! `allowed_signers` can neither rescue nor break a sign-off.

use std::io::Write;

use charter::agreement::VersionId;
use charter::history::{self};
use charter::json::Verify;
use charter::not_signed::{why_not_signed, NotSigned};
use charter::plural::count;
use charter::record::{Record, SignoffReport};
use charter::render::style::{paint, DIM, ERROR, HEADING, OK, WARNING};
use charter::render::words;
use charter::revision::{Inputs, Tree};
use charter::rules::{VersionReport, VersionState};
use charter::settings::Layout;
use charter::signoff::AllowedSigners;
use git2::Repository;

use super::error::{code, CliError, CliResult};
use super::Global;

/// Output formats of `verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Versions with who signed them, then the invalid sign-offs.
    Text,
    /// `{"signoffs":[…],"summary":{"valid":N,"invalid":N}}`.
    Json,
}

/// Arguments of `charter verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Agreements to verify (default: every agreement at HEAD).
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The day whose states are shown (YYYY-MM-DD; default: today, UTC).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// Verify and report; exit 1 when any sign-off is invalid.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let ws = super::workspace(global)?;
    let Some(repo) = ws.repo.as_ref() else {
        return Err(CliError::new(format!(
            "{} is not inside a git repository",
            ws.root.display()
        ))
        .hint("verify reads sign-offs from git history; run it in the agreements repository"));
    };
    let today = super::today(args.today.as_deref())?;
    let head = history::head_commit(repo)?;
    let (layout, signers) = trust_root_at(repo, &head, global)?;
    let given = args
        .ids
        .iter()
        .map(|arg| super::ids::agreement_id(arg, &ws, global))
        .collect::<Result<Vec<_>, _>>()?;
    let ids = agreement_ids(repo, &head, &layout, &given, &ws)?;
    let records = charter::verification::records(repo, &head, &layout, &signers, &ids, today)?;
    let summary = charter::verification::summary(&records);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer(
                &mut out,
                &Verify {
                    signoffs: records.iter().flat_map(|r| &r.signoffs).cloned().collect(),
                    summary,
                },
            )?;
            writeln!(out)?;
        }
        Format::Text => {
            for (i, r) in records.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                text(&mut out, r, global.color)?;
            }
            out.flush()?;
            let line = format!(
                "verify: {} valid, {} invalid {} in {}",
                summary.valid,
                summary.invalid,
                charter::plural::plural_for(summary.valid + summary.invalid, "sign-off"),
                count(records.len(), "agreement")
            );
            let style = if summary.invalid > 0 { ERROR } else { OK };
            super::note_escaped(global, &paint(style, &line, global.color_err));
        }
    }
    out.flush()?;
    // The process ends next: freeing every record one allocation at a time
    // took a measurable share of a large repository's run, for nothing.
    std::mem::forget(records);
    Ok(if summary.invalid > 0 {
        code::VERDICT
    } else {
        code::OK
    })
}

/// HEAD's layout and trust root, read by the one loader of a revision's
/// inputs (as `check` and `show` read them), with the trust root's
/// problems reported on stderr by line.
fn trust_root_at(
    repo: &Repository,
    head: &git2::Commit<'_>,
    global: &Global,
) -> Result<(Layout, AllowedSigners), CliError> {
    let inputs = Inputs::load(&Tree::Commit(repo, head))?;
    let path = charter::render::escape::text(&inputs.layout.allowed_signers);
    let warn = |what: &str| {
        let warning = paint(WARNING, "warning", global.color_err);
        super::note_escaped(global, &format!("{warning}: {path} {what}"));
    };
    match &inputs.signers_bytes {
        None => warn("does not exist at HEAD, so no key is trusted"),
        Some(bytes) if std::str::from_utf8(bytes).is_err() => {
            warn("is not UTF-8 text; lines that are not are skipped")
        }
        Some(_) => {}
    }
    for d in &inputs.signer_diagnostics {
        let style = match d.severity {
            charter::signoff::Severity::Error => ERROR,
            charter::signoff::Severity::Warning => WARNING,
        };
        super::note_escaped(
            global,
            &format!(
                "{path}:{}: {}: {}",
                d.line,
                paint(style, &d.severity.to_string(), global.color_err),
                charter::render::escape::text(&d.message)
            ),
        );
    }
    Ok((inputs.layout, inputs.signers))
}

/// The agreements named, in the order given without repeats; each must
/// be one `verify` covers at HEAD. Empty when none are named: then every one.
fn agreement_ids(
    repo: &Repository,
    head: &git2::Commit<'_>,
    layout: &Layout,
    given: &[String],
    ws: &charter::workspace::Workspace,
) -> Result<Vec<String>, CliError> {
    if given.is_empty() {
        return Ok(Vec::new());
    }
    let known = charter::verification::ids_at(&Tree::Commit(repo, head), layout)?;
    let mut ids = Vec::new();
    for id in given {
        if !known.contains(id) {
            let known: Vec<String> = known.iter().cloned().collect();
            return Err(super::ids::unknown_agreement(id, "at HEAD", ws, &known)
                .hint("run `charter verify` without ids to verify every agreement"));
        }
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    Ok(ids)
}

/// One agreement: its versions newest first, each with the sign-offs made
/// for it, then every invalid sign-off with its reason.
fn text(out: &mut dyn Write, r: &Record, color: bool) -> std::io::Result<()> {
    writeln!(
        out,
        "{} {}",
        paint(HEADING, &r.id, color),
        paint(DIM, &format!("({})", r.evaluation.state.as_str()), color)
    )?;
    let expected_amends = r.expected_amends();
    if r.evaluation.versions.is_empty() {
        writeln!(out, "  no versions on HEAD's history")?;
    }
    let versions = r.evaluation.versions.iter().zip(&expected_amends);
    for (index, (v, amends)) in versions.enumerate().rev() {
        version_text(out, r, index, v, amends.as_ref(), color)?;
    }
    let invalid: Vec<&SignoffReport> = r.signoffs.iter().filter(|s| !s.valid).collect();
    if !invalid.is_empty() {
        writeln!(out, "  {}", paint(ERROR, "invalid sign-offs:", color))?;
        for s in invalid {
            writeln!(
                out,
                "    {}: {}",
                charter::render::escape::text(&s.file),
                charter::render::escape::text(s.reason.as_deref().unwrap_or("invalid"))
            )?;
        }
    }
    Ok(())
}

fn version_text(
    out: &mut dyn Write,
    r: &Record,
    index: usize,
    v: &VersionReport,
    amends: Option<&VersionId>,
    color: bool,
) -> std::io::Result<()> {
    let short = v.version.as_ref().map_or_else(
        || format!("v{} (no version)", words::version_number(index)),
        |id| words::version(index, id.as_str()),
    );
    let commit = v.commit.id.to_string();
    let mut line = format!(
        "  {short}  {}  {}  {}",
        v.commit.date(),
        paint(
            DIM,
            &format!("commit {}", &commit[..7.min(commit.len())]),
            color
        ),
        v.state.as_str()
    );
    match (v.state, v.takes_effect) {
        (VersionState::InForce, Some(date)) => line.push_str(&format!(" since {date}")),
        (VersionState::Scheduled, Some(date)) => line.push_str(&format!(", takes effect {date}")),
        _ => {}
    }
    if !v.signed && v.version.is_some() && !v.missing.is_empty() {
        let missing: Vec<&str> = v.missing.iter().map(|r| r.as_str()).collect();
        line.push_str(&format!(", missing: {}", missing.join(", ")));
    }
    writeln!(out, "{line}")?;
    if v.version.is_none() {
        return Ok(());
    }
    let mut mine: Vec<&SignoffReport> = r.signoffs_naming(v).collect();
    mine.sort_by_key(|s| (s.role, s.time));
    let width = mine
        .iter()
        .map(|s| s.principal.as_deref().map_or(1, |p| p.chars().count()))
        .max()
        .unwrap_or(0);
    for s in &mine {
        let role = s.role.map_or("?", |r| r.as_str());
        let mut line = format!(
            "    {role:<6}  {:<width$}  signed {}  {}",
            s.principal.as_deref().unwrap_or("?"),
            s.signoff_time.as_deref().unwrap_or("?"),
            paint(DIM, &s.file, color)
        );
        if s.waive_notice {
            line.push_str("  (waives the notice)");
        }
        if let Some((named, expected)) = Record::amends_mismatch(s, amends) {
            line.push_str(&format!(
                "\n      {} it amends {}, but this version's previous signed version is {}",
                paint(WARNING, "does not count:", color),
                words::short_version(&named),
                words::short_version(&expected)
            ));
        }
        writeln!(out, "{line}")?;
    }
    // Both parties signed with the right `amends`, yet the version is not
    // signed: say why, since nothing else on screen would.
    if let Some(why) = why_not_signed(r, v) {
        let why = match why {
            NotSigned::SameKey => {
                "the mentor and the mentee signed with the same key; two people need two keys"
                    .to_owned()
            }
            NotSigned::PartyChange(change) => format!(
                "{}; a party whose email changed must also sign with their previous email",
                change.message()
            ),
        };
        writeln!(
            out,
            "    {} {}",
            paint(WARNING, "not signed:", color),
            charter::render::escape::text(&why)
        )?;
    }
    Ok(())
}
