//! `charter diff --template ID`: how the programme template an agreement
//! was made from has changed since, as a semantic diff of the template's
//! recorded version (found in history) against the template now (working
//! tree).

use std::io::Write;

use charter::agreement::Agreement;
use charter::render::style::{paint, HEADING};
use serde_json::Value;

use super::diff::Format;
use super::error::{code, CliError, CliResult};
use super::Global;

/// Compare the recorded version of agreement `id`'s template with the template now.
pub fn run(id: &str, format: Format, exit_code: bool, global: &Global) -> CliResult {
    let ws = super::workspace(global)?;
    let id = super::ids::agreement_id(id, &ws, global)?;
    let id = id.as_str();
    let repo = ws.repo.as_ref().ok_or_else(super::not_a_repository)?;
    let rel = ws.layout.agreement_file(id);
    let bytes = ws
        .read(&rel)
        .map_err(|f| CliError::new(format!("{rel}: {}", f.message)))?
        .ok_or_else(|| {
            CliError::new(format!("{rel} does not exist"))
                .hint("give the id of an agreement in the working tree")
        })?;
    let node = charter::document::parse(&rel, &bytes).map_err(|f| {
        CliError::new(format!("{rel}: {}", f.message)).hint("run `charter validate`")
    })?;
    let agreement: Agreement = charter::document::typed(&rel, &node).map_err(|f| {
        CliError::new(format!("{rel}: {}", f.message)).hint("run `charter validate`")
    })?;
    let reference = agreement.template.ok_or_else(|| {
        CliError::new(format!(
            "{rel} was not made from a template (it has no `template:`)"
        ))
        .hint("agreements made with `charter new ID --template NAME` record their template")
    })?;
    if !charter::template::is_valid_name(&reference.name) {
        return Err(CliError::new(format!(
            "{rel}: `{}` is not a template name",
            reference.name
        )));
    }
    let template_rel = ws.settings.template_file(&reference.name);

    // The template now: the working tree's file.
    let (now, now_version) = match ws.read(&template_rel) {
        Ok(Some(bytes)) => {
            let (data, version) = charter::template::read(&template_rel, &bytes)
                .map_err(|f| CliError::new(format!("{template_rel}: {}", f.message)))?;
            (Some(data), Some(version))
        }
        Ok(None) => (None, None),
        Err(f) => return Err(CliError::new(format!("{template_rel}: {}", f.message))),
    };
    // The template then: the version with the recorded id.
    let head = charter::history::head_commit(repo)?;
    let then = charter::template::recorded_version(
        repo,
        head.id(),
        &template_rel,
        &reference.version,
        now.as_ref(),
    )?
        .ok_or_else(|| {
            CliError::new(format!(
                "the version {} of {template_rel} that {rel} was made from is not in this branch's history",
                reference.version
            ))
            .hint("it may have been made from an uncommitted template; compare by hand with `git log -p` on the template")
        })?;
    let changes = charter::diff::diff(&then, now.as_ref().unwrap_or(&Value::Null));

    let recorded = charter::agreement::VersionId::parse(&reference.version);
    let mut out = std::io::stdout().lock();
    let headline = format!(
        "template `{}` of {id}: {} → {}",
        reference.name,
        recorded
            .as_ref()
            .map_or(reference.version.as_str(), |v| v.short()),
        now_version.as_ref().map_or("(removed)", |v| v.short())
    );
    match format {
        Format::Text => {
            writeln!(out, "{}", paint(HEADING, &headline, global.color))?;
            if changes.is_empty() {
                writeln!(
                    out,
                    "no changes to the template since {id} was made from it"
                )?;
            } else {
                charter::diff::render_text(&changes, &mut out, global.color)?;
            }
        }
        Format::Markdown => {
            writeln!(out, "### {headline}\n")?;
            if changes.is_empty() {
                writeln!(
                    out,
                    "No changes to the template since `{id}` was made from it."
                )?;
            } else {
                charter::diff::render_markdown(&changes, &mut out)?;
            }
        }
        Format::Json => {
            let json = serde_json::json!({
                "agreement": id,
                "template": reference.name,
                "file": template_rel,
                "from": {"version": reference.version},
                "to": now_version.as_ref().map(|v| serde_json::json!({"version": v.as_str()})),
                "changes": changes,
            });
            serde_json::to_writer(&mut out, &json)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(if exit_code && !changes.is_empty() {
        code::VERDICT
    } else {
        code::OK
    })
}
