//! `check` reports as a pull-request comment (markdown); SARIF is in `sarif.rs`.

use std::io::{self, Write};

use crate::check::Report;
use crate::finding::{Severity, Summary};
use crate::plural::count;

/// The newest version at head as people call it (`v3 (3a5a96a15b22)`):
/// the pending one, else the last scheduled, else the one in force.
fn newest_version(summary: &crate::report::AgreementSummary) -> Option<String> {
    let pending = summary
        .pending
        .as_ref()
        .and_then(|p| Some(super::words::version(p.index, p.version.as_deref()?)));
    let signed = || {
        let v = summary.scheduled.last().or(summary.in_force.as_ref())?;
        Some(super::words::version(v.index, &v.version))
    };
    pending.or_else(signed)
}

/// What an agreement without an earlier side is: new in a pull request;
/// without a base, the whole history is the range, so it is shown as it
/// stands.
fn whole(report: &Report) -> &'static str {
    if report.since_base {
        "new agreement"
    } else {
        "as it stands"
    }
}

/// A pull-request comment: the semantic diff of each changed agreement, the
/// findings, and questions for each party to review.
pub fn markdown(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let s = Summary::of(&report.findings);
    let verdict = if s.errors > 0 {
        "❌"
    } else if s.warnings > 0 {
        "⚠️"
    } else {
        "✅"
    };
    writeln!(
        out,
        "## {verdict} charter: {}, {}\n",
        count(s.errors, "error"),
        count(s.warnings, "warning")
    )?;
    let mut legend = false;
    for changed in &report.changed {
        let summary = report.agreements.iter().find(|a| a.id == changed.id);
        let state = summary.map_or("", |a| a.state.as_str());
        match summary.and_then(newest_version) {
            Some(version) => writeln!(out, "### `{}` {version} ({state})\n", changed.id)?,
            None => writeln!(out, "### `{}` ({state})\n", changed.id)?,
        }
        match (&changed.from, &changed.to) {
            (None, Some(to)) if readable(to).is_some() => {
                let agreement = readable(to).expect("checked above");
                writeln!(out, "{}:\n", whole(report))?;
                out.write_all(super::show::summary_markdown(&agreement).as_bytes())?;
            }
            (from, Some(to)) => {
                legend = true;
                let empty = serde_json::Value::Null;
                let changes = crate::diff::diff(from.as_ref().unwrap_or(&empty), to);
                let what = if from.is_none() {
                    format!("{}: ", whole(report))
                } else {
                    String::new()
                };
                writeln!(out, "{what}{}\n", crate::diff::headline(&changes))?;
                crate::diff::render_markdown(&changes, out)?;
            }
            (Some(_), None) => writeln!(out, "The agreement was removed or no longer parses.")?,
            (None, None) => {}
        }
        if let Some(pending) = report
            .agreements
            .iter()
            .find(|a| a.id == changed.id)
            .and_then(|a| a.pending.as_ref())
        {
            if let (Some(opened), Some(earliest)) = (pending.opened, pending.earliest_effective) {
                writeln!(out, "\nRenegotiation opened {opened}; the earliest this can take effect is {earliest}.")?;
            }
            if !pending.missing.is_empty() {
                writeln!(
                    out,
                    "Waiting for sign-off by: {}.",
                    crate::agreement::Role::join(&pending.missing, ", ")
                )?;
            }
        }
        writeln!(out)?;
    }
    if legend {
        writeln!(out, "{}\n", crate::diff::LEGEND_MARKDOWN)?;
    }
    if !report.findings.is_empty() {
        writeln!(out, "### Findings\n")?;
        for f in &report.findings {
            let icon = match f.severity {
                Severity::Error => "❌",
                Severity::Warning => "⚠️",
                Severity::Info => "ℹ️",
            };
            let place = match f.line {
                Some(line) if !f.file.is_empty() => {
                    super::escape::markdown_code(&format!("{}:{line}", f.file))
                }
                _ if !f.file.is_empty() => super::escape::markdown_code(&f.file),
                _ => String::new(),
            };
            write!(
                out,
                "- {icon} **{}** {place} {}",
                f.rule,
                escape(&f.message)
            )?;
            if let Some(hint) = &f.hint {
                write!(out, " — _{}_", escape(hint))?;
            }
            writeln!(out)?;
        }
        writeln!(out)?;
    }
    if !report.changed.is_empty() {
        writeln!(out, "### Questions for the review\n")?;
        writeln!(out, "For the mentor:")?;
        writeln!(
            out,
            "- Can you help the mentee reach these goals, in the time and scope agreed?"
        )?;
        writeln!(
            out,
            "- How will you both see progress: are the measures and evidence concrete enough?"
        )?;
        writeln!(out, "\nFor the mentee:")?;
        writeln!(
            out,
            "- Are these your goals, and is each one measurable and dated?"
        )?;
        writeln!(
            out,
            "- Do the meeting rhythm and the confidentiality terms work for you?"
        )?;
        writeln!(out, "\nFor both:")?;
        writeln!(out, "- Does the schedule suit both of you, and is it clear how either of you can change or end it?")?;
    }
    Ok(())
}

fn escape(text: &str) -> String {
    super::escape::markdown(text)
}
/// A new agreement's data as the typed model, when it is a valid one.
fn readable(data: &serde_json::Value) -> Option<crate::agreement::Agreement> {
    serde_json::from_value(data.clone()).ok()
}
