//! `charter amend ID`: commit a working-tree amendment after checking it.

use std::io::Write;

use charter::amendment::AmendVerdict;
use charter::finding::Summary;
use charter::render::findings as render;

use super::error::{code, CliError, CliResult};
use super::Global;

/// Arguments of `charter amend`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The agreement id.
    pub id: String,
    /// The commit subject (default: a summary of the changes).
    #[arg(short = 'm', long = "message", value_name = "MSG")]
    pub message: Option<String>,
    /// Judge the notice period as of this day (YYYY-MM-DD; default today, or CHARTER_TODAY).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// Validate, check the notice rule, and commit the agreement file alone.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let ws = super::workspace(global)?;
    let id = super::ids::agreement_id(&args.id, &ws, global)?;
    let repo = ws.repo.as_ref().ok_or_else(super::not_a_repository)?;
    charter::git::refuse_during_operation(repo)?;
    let rel = ws.layout.agreement_file(&id);
    let bytes = match ws.read(&rel) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            return Err(super::ids::unknown_agreement(
                &id,
                "in the working tree",
                &ws,
                &ws.known_ids(),
            ))
        }
        Err(f) => return Err(CliError::new(format!("{rel}: {}", f.message))),
    };

    let judged = ws.judge_agreement(&rel, &bytes);
    let errors = judged.errors();
    if !judged.actionable && !errors.is_empty() {
        let findings = &judged.findings;
        let mut sources = render::Sources::new();
        sources.insert(rel.clone(), String::from_utf8_lossy(&bytes).into_owned());
        let mut out = std::io::stdout().lock();
        render::text(&mut out, findings, &sources, global.color)?;
        out.flush()?;
        super::note_escaped(
            global,
            &render::summary_line(Summary::of(findings), "amend", global.color_err),
        );
        super::note(global, "nothing committed: fix the errors above first");
        return Ok(code::VERDICT);
    }
    if !judged.actionable {
        return Err(CliError::new(format!("{rel} is not a valid agreement")));
    }

    let today = super::today(args.today.as_deref())?;
    // The amendment lands with the commit made below: at its committer time,
    // or at the day chosen with --today (charter::amendment's one rule).
    let who = charter::ident::Identity::of(repo)?;
    let clock = super::clock(
        args.today.as_deref(),
        charter::ident::time_of(who.committer_time())?,
    )?;
    let (record, tip) = match charter::record::load_at_head(repo, &id, today) {
        Ok(at_head) => {
            ws.refuse_uncommitted_layout(&at_head.inputs.layout)?;
            let tip = at_head.tip_time();
            (Some(at_head.record), tip)
        }
        // Only a repository without commits has no history to judge by;
        // a HEAD that cannot be read must not skip the notice rule.
        Err(charter::error::Error::NoCommits) => (None, None),
        Err(e) => return Err(e.into()),
    };
    let changes = match charter::amendment::judge_amendment(
        record.as_ref(),
        tip,
        &judged.parsed,
        clock,
        today,
    ) {
        AmendVerdict::Ready(changes) => changes,
        AmendVerdict::Unchanged => {
            super::note(
                global,
                &format!("{rel}: no change to the agreement's data since HEAD; nothing to amend"),
            );
            return Ok(code::VERDICT);
        }
        AmendVerdict::TooEarly(notice) => {
            super::note(
                    global,
                    &format!(
                        "error: {rel}: effective {} is too early: renegotiation opened {} and the notice period is {}, so the earliest allowed date is {}",
                        notice.effective, notice.opened, charter::plural::count(notice.notice_days as usize, "day"), notice.earliest_effective
                    ),
                );
            super::note(
                global,
                &format!(
                    "hint: set `effective: {}` or later",
                    notice.earliest_effective
                ),
            );
            super::note(
                    global,
                    "hint: if both parties agree to skip the notice, commit it with git and both sign with `charter sign --waive-notice`",
                );
            super::note(global, "nothing committed");
            return Ok(code::VERDICT);
        }
    };

    let subject = args
        .message
        .clone()
        .unwrap_or_else(|| format!("Amend {}: {}", id, charter::diff::summary(&changes)));
    let mut message = format!("{subject}\n\n");
    for change in &changes {
        message.push_str(&format!("- {}\n", describe(change)));
    }
    let oid = charter::git::commit_files(
        repo,
        &[(rel.clone(), bytes)],
        &message,
        &who.author,
        &who.committer,
    )?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "[{}] {subject}", &oid.to_string()[..10])?;
    writeln!(out, "{}", charter::diff::headline(&changes))?;
    out.flush()?;
    super::note(
        global,
        &format!("next: both parties sign with `charter sign {}`", id),
    );
    Ok(code::OK)
}

/// One line per change for the commit body.
fn describe(change: &charter::diff::Change) -> String {
    let show = |v: &Option<serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) if s.chars().count() <= 60 => s.clone(),
        Some(serde_json::Value::String(_)) => "(text)".to_owned(),
        Some(v) if v.is_object() || v.is_array() => "(…)".to_owned(),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    let label = if change.material { "" } else { " (editorial)" };
    match change.kind {
        charter::diff::ChangeKind::Added => {
            format!("{}: added {}{label}", change.path, show(&change.new))
        }
        charter::diff::ChangeKind::Removed => format!("{}: removed{label}", change.path),
        charter::diff::ChangeKind::Moved => format!("{}: moved{label}", change.path),
        charter::diff::ChangeKind::Changed => {
            format!(
                "{}: {} → {}{label}",
                change.path,
                show(&change.old),
                show(&change.new)
            )
        }
    }
}
