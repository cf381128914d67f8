//! `charter new ID`: write a new agreement from the commented template.

use super::error::{code, CliError, CliResult};
use super::Global;

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
    /// Start from the programme template templates/NAME.yaml (recorded in the agreement).
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
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
    if let Some(problem) = charter::agreement::lint::email_problem(email) {
        return Err(
            CliError::new(format!("{flag} {value:?}: the email {problem}")).hint(format!(
                "for example: {flag} \"Ada Lovelace <ada@example.com>\""
            )),
        );
    }
    Ok((name.to_owned(), email.to_owned()))
}

/// Render the built-in template for an agreement.
pub fn render(
    id: &str,
    mentor: &(String, String),
    mentee: &(String, String),
    today: chrono::NaiveDate,
) -> String {
    charter::template::render(charter::template::BUILTIN, &fill(id, mentor, mentee, today))
}

fn fill<'a>(
    id: &'a str,
    mentor: &'a (String, String),
    mentee: &'a (String, String),
    today: chrono::NaiveDate,
) -> charter::template::Fill<'a> {
    charter::template::Fill {
        id,
        mentor: (&mentor.0, &mentor.1),
        mentee: (&mentee.0, &mentee.1),
        today,
    }
}

/// The text of a new agreement from the programme template `name`, with
/// the record of the template appended.
fn from_template(
    ws: &charter::workspace::Workspace,
    name: &str,
    fill: &charter::template::Fill<'_>,
) -> Result<String, CliError> {
    let dir = ws.settings.templates_dir();
    if !charter::template::is_valid_name(name) {
        return Err(CliError::new(format!("`{name}` is not a template name"))
            .hint("template names are file stems like agreement ids: lowercase letters, digits and dashes"));
    }
    let rel = ws.settings.template_file(name);
    let bytes = match ws.read(&rel) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            let available = list_templates(ws, &dir);
            let hint = if available.is_empty() {
                format!("there are no templates in {dir}/; `charter init` writes the built-in one as {dir}/{}.yaml", charter::template::BUILTIN_NAME)
            } else {
                format!("templates in {dir}/: {}", available.join(", "))
            };
            return Err(
                CliError::new(format!("no template `{name}`: {rel} does not exist")).hint(hint),
            );
        }
        Err(f) => return Err(CliError::new(format!("{rel}: {}", f.message))),
    };
    let version = charter::template::version_of(&rel, &bytes).map_err(|f| {
        let place = match (f.line, f.column) {
            (Some(l), Some(c)) => format!("{rel}:{l}:{c}"),
            _ => rel.clone(),
        };
        CliError::new(format!("{place}: {}", f.message))
            .hint("a template is an agreement with placeholders; fix the file, then try again")
    })?;
    let text =
        String::from_utf8(bytes).map_err(|_| CliError::new(format!("{rel} is not UTF-8 text")))?;
    Ok(charter::template::with_reference(
        &charter::template::render(&text, fill),
        name,
        &version,
    ))
}

fn list_templates(ws: &charter::workspace::Workspace, dir: &str) -> Vec<String> {
    charter::template::names(&charter::revision::Tree::Working(&ws.root), dir)
}

/// Write `agreements/ID.yaml`, refusing invalid ids and existing files.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let mentor = parse_person("--mentor", &args.mentor)?;
    let mentee = parse_person("--mentee", &args.mentee)?;
    if charter::unicode::same_person(&mentor.1, &mentee.1) {
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
    let rel = ws.layout.agreement_file(&id);
    let path = ws.root.join(&rel);
    if std::fs::symlink_metadata(&path).is_ok() {
        return Err(CliError::new(format!(
            "{rel} already exists; charter does not overwrite it"
        ))
        .hint("choose another id, or edit the existing file"));
    }
    let today = super::today(None)?;
    let text = match &args.template {
        Some(name) => from_template(&ws, name, &fill(&id, &mentor, &mentee, today))?,
        None => render(&id, &mentor, &mentee, today),
    };
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
