//! `charter new ID`: write a new agreement from the commented template.

use chrono::{Days, Months};

use super::error::{code, CliError, CliResult};
use super::Global;

const TEMPLATE: &str = include_str!("../templates/agreement.yaml");

/// Arguments of `charter new`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The agreement's id: lowercase letters, digits and dashes (e.g. ada-grace).
    pub id: String,
    /// The mentor, as "Name <email>".
    #[arg(long, value_name = "NAME <EMAIL>")]
    pub mentor: String,
    /// The mentee, as "Name <email>".
    #[arg(long, value_name = "NAME <EMAIL>")]
    pub mentee: String,
}

/// Split `"Name <email>"`.
pub fn parse_person(flag: &str, value: &str) -> Result<(String, String), CliError> {
    let bad = || {
        CliError::new(format!("{flag} {value:?}: expected \"Name <email>\"")).hint(format!(
            "for example: {flag} \"Ada Lovelace <ada@example.com>\""
        ))
    };
    let (name, rest) = value.split_once('<').ok_or_else(bad)?;
    let email = rest.strip_suffix('>').ok_or_else(bad)?.trim();
    let name = name.trim();
    let clean =
        |s: &str| !s.is_empty() && !s.chars().any(|c| c.is_control() || c == '<' || c == '>');
    if !clean(name) || !clean(email) || email.contains(char::is_whitespace) || !email.contains('@')
    {
        return Err(bad());
    }
    Ok((name.to_owned(), email.to_owned()))
}

/// Render the template for an agreement.
pub fn render(
    id: &str,
    mentor: &(String, String),
    mentee: &(String, String),
    today: chrono::NaiveDate,
) -> String {
    // JSON strings are valid double-quoted YAML scalars, so any name is safe.
    let quote = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
    let title = quote(&format!("Mentorship of {} by {}", mentee.0, mentor.0));
    let end = today.checked_add_months(Months::new(6)).unwrap_or(today);
    let due = today.checked_add_days(Days::new(90)).unwrap_or(today);
    TEMPLATE
        .replace("{{schema}}", "../schema/agreement.schema.json")
        .replace("{{id}}", id)
        .replace("{{title}}", &title)
        .replace("{{mentor_name}}", &quote(&mentor.0))
        .replace("{{mentor_email}}", &quote(&mentor.1))
        .replace("{{mentee_name}}", &quote(&mentee.0))
        .replace("{{mentee_email}}", &quote(&mentee.1))
        .replace("{{today}}", &today.format("%Y-%m-%d").to_string())
        .replace("{{end}}", &end.format("%Y-%m-%d").to_string())
        .replace("{{due}}", &due.format("%Y-%m-%d").to_string())
}

/// Write `agreements/ID.yaml`, refusing invalid ids and existing files.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let mentor = parse_person("--mentor", &args.mentor)?;
    let mentee = parse_person("--mentee", &args.mentee)?;
    if mentor.1.eq_ignore_ascii_case(&mentee.1) {
        return Err(CliError::new("mentor and mentee have the same email")
            .hint("a mentoring agreement needs two different people"));
    }
    let ws = super::workspace(global)?;
    if ws.repo.is_none() {
        return Err(CliError::new(format!(
            "{} is not inside a git repository, so charter will not write {}/{}.yaml here",
            ws.root.display(),
            ws.layout.agreements,
            args.id
        ))
        .hint("agreements live in a git repository: `cd` into yours (or pass -C DIR), or create one here with `charter init`"));
    }
    let id = super::ids::agreement_id(&args.id, &ws, global)?;
    let rel = format!("{}/{}.yaml", ws.layout.agreements, id);
    let path = ws.root.join(&rel);
    if std::fs::symlink_metadata(&path).is_ok() {
        return Err(CliError::new(format!(
            "{rel} already exists; charter does not overwrite it"
        ))
        .hint("choose another id, or edit the existing file"));
    }
    let text = render(&id, &mentor, &mentee, super::today(None)?);
    charter::git::create_new_file(&path, text.as_bytes()).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            CliError::new(format!(
                "{rel} already exists; charter does not overwrite it"
            ))
        } else {
            CliError::new(format!("{rel}: cannot write the file: {e}"))
        }
    })?;
    super::note(global, &format!("created {rel}"));
    super::note(
        global,
        &format!("next: fill in every <placeholder>, run `charter validate {rel}`, then commit it and both sign with `charter sign {}`", id),
    );
    Ok(code::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people() {
        assert_eq!(
            parse_person("--mentor", "Grace Hopper <grace@example.com>").unwrap(),
            ("Grace Hopper".into(), "grace@example.com".into())
        );
        for bad in [
            "Grace",
            "<g@x>",
            "Grace <g x@y>",
            "Grace <gx>",
            "Gr\u{7}ace <g@x>",
        ] {
            assert!(parse_person("--mentor", bad).is_err(), "{bad}");
        }
    }
}
