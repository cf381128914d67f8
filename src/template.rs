//! Programme templates: agreements with placeholders that `charter new
//! --template NAME` starts from (`templates/<name>.yaml`, the directory set
//! by `templates:` in `charter.yaml`).
//!
//! A template is YAML that parses as plain data, so it has a version id
//! like any agreement. An agreement made from it records
//! `template: {name, version}`; when the template's version id later
//! differs, `check` reports `template-drift` (info). Using the version id
//! rather than the blob hash means comments and layout in a template can be
//! edited without every agreement drifting.
//!
//! Placeholders `{{id}}`, `{{title}}`, `{{mentor_name}}`, `{{mentor_email}}`,
//! `{{mentee_name}}`, `{{mentee_email}}`, `{{today}}`, `{{end}}` and
//! `{{due}}` are filled in by `new`; they belong inside double-quoted
//! scalars (`title: "{{title}}"`), where any value is inserted with JSON
//! escapes, which YAML's double-quoted style shares. `<…>` placeholders are
//! left for people to fill in (`validate` reports each until they do).

use chrono::{Days, Months, NaiveDate};

use crate::agreement::types::is_valid_id;
use crate::agreement::VersionId;
use crate::finding::Finding;

/// The template charter ships (written by `charter init` as `templates/default.yaml`).
pub const BUILTIN: &str = include_str!("templates/agreement.yaml");

/// The name `charter init` gives the built-in template.
pub const BUILTIN_NAME: &str = "default";

/// The values `new` fills a template with.
#[derive(Debug, Clone)]
pub struct Fill<'a> {
    /// The agreement id.
    pub id: &'a str,
    /// The mentor's name and email.
    pub mentor: (&'a str, &'a str),
    /// The mentee's name and email.
    pub mentee: (&'a str, &'a str),
    /// The day the agreement is made (start and effective date).
    pub today: NaiveDate,
}

/// Fill the `{{…}}` placeholders of a template.
pub fn render(template: &str, fill: &Fill<'_>) -> String {
    // The content of a JSON string is a valid double-quoted YAML scalar's.
    let escape = |s: &str| {
        let quoted = serde_json::Value::String(s.to_owned()).to_string();
        quoted[1..quoted.len() - 1].to_owned()
    };
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let end = fill
        .today
        .checked_add_months(Months::new(6))
        .unwrap_or(fill.today);
    let due = fill
        .today
        .checked_add_days(Days::new(90))
        .unwrap_or(fill.today);
    let title = format!("Mentorship of {} by {}", fill.mentee.0, fill.mentor.0);
    let values = [
        ("id", fill.id.to_owned()),
        ("title", title),
        ("mentor_name", fill.mentor.0.to_owned()),
        ("mentor_email", fill.mentor.1.to_owned()),
        ("mentee_name", fill.mentee.0.to_owned()),
        ("mentee_email", fill.mentee.1.to_owned()),
        ("today", day(fill.today)),
        ("end", day(end)),
        ("due", day(due)),
    ];
    let mut text = template.replace("{{schema}}", "../schema/agreement.schema.json");
    for (key, value) in &values {
        // A whole quoted scalar becomes the value as a JSON string (a date
        // needs no quotes at all); elsewhere the value goes in escaped.
        let whole = if matches!(*key, "today" | "end" | "due") {
            value.clone()
        } else {
            serde_json::Value::String(value.clone()).to_string()
        };
        text = text
            .replace(&format!("\"{{{{{key}}}}}\""), &whole)
            .replace(&format!("{{{{{key}}}}}"), &escape(value));
    }
    text
}

/// Whether `name` can name a template: template files are
/// `<templates>/<name>.yaml`, named like agreement ids, so no name is a
/// path. `new --template`, `diff --template`, the drift check and the
/// listing of templates all ask this.
pub fn is_valid_name(name: &str) -> bool {
    is_valid_id(name)
}

/// The version id of a template file, or the finding that says why it has none.
pub fn version_of(file: &str, bytes: &[u8]) -> Result<VersionId, Finding> {
    read(file, bytes).map(|(_, version)| version)
}

/// A template file's data and version id, or the finding that says why it
/// is not a usable template: what `new --template`, `diff --template` and
/// the template-drift check all read a template by.
pub fn read(file: &str, bytes: &[u8]) -> Result<(serde_json::Value, VersionId), Finding> {
    let node = crate::document::parse(file, bytes)?;
    if !matches!(node.value, crate::yaml::Value::Map(_)) {
        return Err(Finding::new(
            crate::finding::Rule::Schema,
            file,
            "a template is an agreement with placeholders: a mapping of fields",
        ));
    }
    if node.get("template").is_some() {
        return Err(Finding::new(
            crate::finding::Rule::Schema,
            file,
            "a template must not have a `template:` key; charter adds it to the agreements made from it",
        )
        .at(node.locate([crate::yaml::Segment::Key("template")])));
    }
    let data = node.to_json();
    let version = VersionId::of(&data);
    Ok((data, version))
}

/// The agreement text made from a template: the filled template with the
/// `template: {name, version}` record appended.
pub fn with_reference(filled: &str, name: &str, version: &VersionId) -> String {
    let mut text = filled.to_owned();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!(
        "\n# The programme template this agreement was made from (charter new --template).\ntemplate: {{ name: {name}, version: \"{}\" }}\n",
        version.as_str()
    ));
    text
}

/// The `template-drift` finding for an agreement made from template `name`
/// at `recorded`, given the template's bytes now (`None`: it is gone).
/// `at` locates the agreement's `template.version`.
pub fn drift(
    file: &str,
    name: &str,
    recorded: &str,
    templates_dir: &str,
    now: Option<&[u8]>,
    at: crate::yaml::Pos,
) -> Option<Finding> {
    let template_file = format!("{templates_dir}/{name}.yaml");
    let id = file
        .rsplit('/')
        .next()
        .and_then(|n| n.strip_suffix(".yaml"))
        .unwrap_or(file);
    let message = if !is_valid_name(name) {
        format!("`{name}` is not a template name")
    } else {
        match now.map(|bytes| version_of(&template_file, bytes)) {
            None => format!("made from template `{name}`, but {template_file} no longer exists"),
            Some(Err(_)) => {
                format!("made from template `{name}`, but {template_file} no longer parses")
            }
            Some(Ok(v)) if v.as_str() == recorded => return None,
            Some(Ok(v)) => format!(
                "the template `{name}` changed since this agreement was made from it ({} → {})",
                short(recorded),
                v.short()
            ),
        }
    };
    Some(
        Finding::new(crate::finding::Rule::TemplateDrift, file, message)
            .at(at)
            .hint(format!(
                "see what changed with `charter diff --template {id}`; adopt what fits in an amendment (the record of the template stays as it was made)"
            )),
    )
}

/// The templates in directory `dir` of `tree`, by name, sorted: the files
/// `<name>.yaml` with a valid name (a link or a directory is not one), as
/// `new --template` reads them. What cannot be listed lists nothing: this
/// only feeds the advice after a template was not found.
pub fn names(tree: &crate::revision::Tree<'_>, dir: &str) -> Vec<String> {
    let mut names: Vec<String> = tree
        .entries(dir)
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, kind)| *kind == crate::revision::EntryKind::File)
        .filter_map(|(name, _)| name.strip_suffix(".yaml").map(str::to_owned))
        .filter(|name| is_valid_name(name))
        .collect();
    names.sort();
    names
}

/// The data of `template_file` at the version an agreement recorded
/// (`recorded`, a version id): the newest such version on the first-parent
/// chain of `head`, else the template now (`now`, the working tree's data)
/// when it is that version, for an agreement made from a template not
/// committed yet, or unchanged since. `None` when neither holds it. What
/// `diff --template` compares the template now with.
pub fn recorded_version(
    repo: &git2::Repository,
    head: git2::Oid,
    template_file: &str,
    recorded: &str,
    now: Option<&serde_json::Value>,
) -> crate::error::Result<Option<serde_json::Value>> {
    let root = crate::history::index::Root {
        path: template_file.to_owned(),
        depth: 0,
        describe: false,
    };
    let index = crate::history::Index::build(repo, head, vec![root], &mut |_| {})?;
    let history = crate::history::history_of(
        repo,
        &index,
        template_file,
        &mut crate::history::Parses::default(),
    )?;
    let committed = history
        .points
        .iter()
        .rev()
        .find(|p| p.state.version().map(VersionId::as_str) == Some(recorded))
        .and_then(|p| p.state.parsed()?.data().cloned());
    Ok(committed.or_else(|| {
        now.filter(|d| VersionId::of(d).as_str() == recorded)
            .cloned()
    }))
}

fn short(version: &str) -> &str {
    let hex = version.strip_prefix("sha256:").unwrap_or(version);
    &hex[..hex.len().min(12)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_is_data_and_renders_to_a_valid_agreement() {
        assert!(version_of("templates/default.yaml", BUILTIN.as_bytes()).is_ok());
        let fill = Fill {
            id: "ada-grace",
            mentor: ("Grace \"Amazing\" Hopper", "grace@example.com"),
            mentee: ("Ada: Lovelace", "ada@example.com"),
            today: NaiveDate::from_ymd_opt(2026, 1, 12).unwrap(),
        };
        let text = render(BUILTIN, &fill);
        let (parsed, _) = crate::agreement::lint::check(
            "agreements/ada-grace.yaml",
            text.as_bytes(),
            &Default::default(),
        );
        let a = parsed.agreement().expect("a valid agreement").clone();
        assert_eq!(a.parties.mentor.name, "Grace \"Amazing\" Hopper");
        assert_eq!(a.parties.mentee.name, "Ada: Lovelace");
        assert_eq!(a.effective.to_string(), "2026-01-12");
        let v = version_of("t", BUILTIN.as_bytes()).unwrap();
        let recorded = with_reference(&text, "default", &v);
        let (parsed, _) = crate::agreement::lint::check(
            "agreements/ada-grace.yaml",
            recorded.as_bytes(),
            &Default::default(),
        );
        let t = parsed.agreement().unwrap().template.clone().unwrap();
        assert_eq!(
            (t.name.as_str(), t.version.as_str()),
            ("default", v.as_str())
        );
    }

    /// The recorded version is found on the chain even after the template
    /// moved on; a version never committed is the template now only when
    /// the data is the same; anything else is not found.
    #[test]
    fn the_recorded_version_comes_from_history_or_the_file_now() {
        use crate::test_repo::{open, Sandbox};
        let sandbox = Sandbox::new();
        sandbox.repo_with_commits("r", 1);
        let file = "templates/default.yaml";
        let first = "notice: 14d\n";
        sandbox.write(&format!("r/{file}"), first);
        sandbox.commit_all("r", "template");
        sandbox.write(&format!("r/{file}"), "notice: 21d\n");
        sandbox.commit_all("r", "longer notice");
        let repo = open(&sandbox.path("r"));
        let head = repo.head().unwrap().peel_to_commit().unwrap().id();
        let then = version_of(file, first.as_bytes()).unwrap();
        let now = serde_json::json!({"notice": "28d"});
        let found = recorded_version(&repo, head, file, then.as_str(), Some(&now)).unwrap();
        assert_eq!(found, Some(serde_json::json!({"notice": "14d"})));
        let uncommitted = VersionId::of(&now);
        let found = recorded_version(&repo, head, file, uncommitted.as_str(), Some(&now)).unwrap();
        assert_eq!(found, Some(now.clone()));
        let other = VersionId::of(&serde_json::json!({"notice": "7d"}));
        assert_eq!(
            recorded_version(&repo, head, file, other.as_str(), Some(&now)).unwrap(),
            None
        );
    }

    /// Only regular `<name>.yaml` files with a valid name are templates.
    #[test]
    fn template_names_are_plain_yaml_files() {
        let dir = tempfile::TempDir::new().unwrap();
        let t = dir.path().join("templates");
        std::fs::create_dir_all(t.join("nested.yaml")).unwrap();
        std::fs::write(t.join("short.yaml"), "notice: 7d\n").unwrap();
        std::fs::write(t.join("default.yaml"), "notice: 14d\n").unwrap();
        std::fs::write(t.join("Bad Name.yaml"), "x: 1\n").unwrap();
        std::fs::write(t.join("notes.txt"), "x\n").unwrap();
        std::os::unix::fs::symlink(t.join("short.yaml"), t.join("linked.yaml")).unwrap();
        let tree = crate::revision::Tree::Working(dir.path());
        assert_eq!(names(&tree, "templates"), ["default", "short"]);
        assert!(names(&tree, "missing").is_empty());
    }

    #[test]
    fn drift_only_when_data_changes() {
        let v = version_of("t", BUILTIN.as_bytes()).unwrap();
        let pos = crate::yaml::Pos { line: 1, column: 1 };
        let commented = format!("# a new comment\n{BUILTIN}");
        assert!(drift(
            "agreements/a.yaml",
            "default",
            v.as_str(),
            "templates",
            Some(commented.as_bytes()),
            pos
        )
        .is_none());
        let changed = BUILTIN.replace("notice: 14d", "notice: 21d");
        let f = drift(
            "agreements/a.yaml",
            "default",
            v.as_str(),
            "templates",
            Some(changed.as_bytes()),
            pos,
        )
        .unwrap();
        assert_eq!(f.severity, crate::finding::Severity::Info);
        assert!(f.hint.unwrap().contains("charter diff --template a"));
        assert!(drift(
            "agreements/a.yaml",
            "default",
            v.as_str(),
            "templates",
            None,
            pos
        )
        .is_some());
    }
}
