//! The files `charter init` creates: the layout of a charter repository as
//! its settings name it, the CI job, and the owners of what decides trust.
//!
//! The paths come from the settings (an existing `charter.yaml` may move
//! the agreements, the sign-offs, the trust root or the templates), so the
//! `CODEOWNERS` entry that guards the trust root names the file charter
//! actually reads, not the default one.

use crate::ci::{self, System, GITHUB_WORKFLOW, GITLAB_JOB, GITLAB_PIPELINE};
use crate::gitattributes;
use crate::settings::Settings;

/// Who owns the files that decide what charter accepts, until the
/// repository names its own team.
const OWNERS: &str = "@your-org/mentoring-leads";

/// The files `init` creates for `system` (none: no CI files), as
/// repository-relative paths with their content. `init` never overwrites
/// one that exists.
pub fn files(system: Option<System>, settings: &Settings) -> Vec<(String, String)> {
    let layout = settings.layout();
    let mut files = vec![
        (
            crate::settings::FILE.to_owned(),
            include_str!("templates/charter.yaml").to_owned(),
        ),
        (
            layout.allowed_signers.clone(),
            include_str!("templates/allowed_signers").to_owned(),
        ),
        (
            gitattributes::FILE.to_owned(),
            format!("{}\n", gitattributes::line(&layout)),
        ),
        (format!("{}/.gitkeep", layout.agreements), String::new()),
        (format!("{}/.gitkeep", layout.signoffs), String::new()),
        (
            settings.template_file(crate::template::BUILTIN_NAME),
            crate::template::BUILTIN.to_owned(),
        ),
    ];
    let mut guarded = vec![
        layout.allowed_signers.clone(),
        crate::settings::FILE.to_owned(),
    ];
    match system {
        Some(System::Github) => {
            files.push((GITHUB_WORKFLOW.to_owned(), ci::github_workflow()));
            guarded.extend([GITHUB_WORKFLOW.to_owned(), ".github/CODEOWNERS".to_owned()]);
            files.push((".github/CODEOWNERS".to_owned(), codeowners(&guarded)));
        }
        Some(System::Gitlab) => {
            files.push((GITLAB_JOB.to_owned(), ci::gitlab_job()));
            files.push((GITLAB_PIPELINE.to_owned(), ci::gitlab_pipeline()));
            // GitLab reads CODEOWNERS from .gitlab/ and runs other files.
            guarded.extend([
                GITLAB_PIPELINE.to_owned(),
                GITLAB_JOB.to_owned(),
                ".gitlab/CODEOWNERS".to_owned(),
            ]);
            files.push((".gitlab/CODEOWNERS".to_owned(), codeowners(&guarded)));
        }
        None => {
            guarded.push(".github/CODEOWNERS".to_owned());
            files.push((".github/CODEOWNERS".to_owned(), codeowners(&guarded)));
        }
    }
    for (name, text) in crate::schema::all() {
        files.push((format!("schema/{name}"), text));
    }
    files
}

/// A `CODEOWNERS` file that asks the programme's leads to review every
/// change to `paths`, each anchored at the repository's root.
fn codeowners(paths: &[String]) -> String {
    let mut text = String::from(
        "# The trust root, the settings and the CI gate decide what charter accepts:\n\
         # changes to them need a review from the people who run the programme.\n\
         # Replace the team below with yours.\n",
    );
    let entries: Vec<String> = paths.iter().map(|p| format!("/{}", escape(p))).collect();
    let width = entries.iter().map(String::len).max().unwrap_or(0) + 3;
    for entry in entries {
        text.push_str(&format!("{entry:<width$}{OWNERS}\n"));
    }
    text
}

/// A path as a `CODEOWNERS` pattern matches it literally: spaces and the
/// pattern characters escaped with a backslash.
fn escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, ' ' | '*' | '?' | '[' | ']' | '#' | '!' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With the default settings the owners file is the one charter has
    /// always written; with a moved trust root it guards the moved file.
    #[test]
    fn owners_guard_the_trust_root_the_settings_name() {
        let files = files(Some(System::Github), &Settings::default());
        let owners = &files
            .iter()
            .find(|(p, _)| p == ".github/CODEOWNERS")
            .unwrap()
            .1;
        assert_eq!(
            owners,
            "# The trust root, the settings and the CI gate decide what charter accepts:\n\
             # changes to them need a review from the people who run the programme.\n\
             # Replace the team below with yours.\n\
             /allowed_signers                 @your-org/mentoring-leads\n\
             /charter.yaml                    @your-org/mentoring-leads\n\
             /.github/workflows/charter.yml   @your-org/mentoring-leads\n\
             /.github/CODEOWNERS              @your-org/mentoring-leads\n"
        );
        let (moved, findings) =
            Settings::load(b"charter: 1\nallowed_signers: trust/signers\nagreements: records\n");
        assert!(findings.is_empty(), "{findings:?}");
        let files = super::files(None, &moved);
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert!(paths.contains(&"trust/signers"), "{paths:?}");
        assert!(paths.contains(&"records/.gitkeep"), "{paths:?}");
        let owners = &files
            .iter()
            .find(|(p, _)| p == ".github/CODEOWNERS")
            .unwrap()
            .1;
        assert!(owners.contains("/trust/signers "), "{owners}");
        assert!(!owners.contains("/allowed_signers"), "{owners}");
        assert_eq!(escape("a b*"), "a\\ b\\*");
    }
}
