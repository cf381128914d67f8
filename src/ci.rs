//! The CI files charter writes, pinned to the charter that writes them.
//!
//! A CI job that installed "charter" by name from a registry could run an
//! unrelated program of that name, or a version other than the one that set
//! the repository up. So every install path written here names this
//! project's repository and the exact release of the running binary: the
//! GitHub workflow uses this repository's install action at the tag
//! `v<version>`, the GitLab job downloads that release (checking its
//! SHA-256) or builds that tag from the repository, and the pre-commit
//! configuration builds that tag.

/// The package name on crates.io (the binary is `charter`).
pub const PACKAGE: &str = env!("CARGO_PKG_NAME");

/// The running charter's version; CI files install exactly this release.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The project's repository, the one place every install path points at.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The tag of the running charter's release, `v<version>`.
pub fn tag() -> String {
    format!("v{VERSION}")
}

/// `owner/name` of the repository on GitHub, as `uses:` names its action.
pub fn github_action() -> &'static str {
    REPOSITORY
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .strip_prefix("https://github.com/")
        .unwrap_or(REPOSITORY)
}

/// Which CI system `charter init` writes a job for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    /// `.github/workflows/charter.yml`.
    Github,
    /// `.gitlab/charter.gitlab-ci.yml`, included from `.gitlab-ci.yml`.
    Gitlab,
}

/// Where `charter init` puts the GitHub workflow.
pub const GITHUB_WORKFLOW: &str = ".github/workflows/charter.yml";

/// Where `charter init --ci gitlab` puts the GitLab job: a file of its own,
/// so an existing `.gitlab-ci.yml` only needs to include it.
pub const GITLAB_JOB: &str = ".gitlab/charter.gitlab-ci.yml";

/// The pipeline file GitLab reads; `init` creates it (including the job)
/// only when there is none.
pub const GITLAB_PIPELINE: &str = ".gitlab-ci.yml";

/// The GitHub workflow: the gate on every pull request, the report in the
/// job summary and in one pull-request comment.
pub fn github_workflow() -> String {
    fill(include_str!("templates/workflow.yml"))
}

/// The GitLab job: the gate on every merge request.
pub fn gitlab_job() -> String {
    fill(include_str!("templates/gitlab-ci.yml"))
}

/// A `.gitlab-ci.yml` that includes the job, for a project that has none.
pub fn gitlab_pipeline() -> String {
    format!(
        "# Written by `charter init --ci gitlab`; add your own jobs below.\ninclude:\n  - local: {GITLAB_JOB}\n"
    )
}

/// Whether a `.gitlab-ci.yml` already includes charter's job: a line that
/// names [`GITLAB_JOB`] outside a comment. A commented-out include does not
/// run the job, so `init` still says what to add.
pub fn includes_gitlab_job(pipeline: &str) -> bool {
    pipeline.lines().any(|line| {
        let code = line.split_once('#').map_or(line, |(code, _)| code);
        code.contains(GITLAB_JOB)
    })
}

/// The `include:` entry to add to an existing `.gitlab-ci.yml`.
pub fn gitlab_include_line() -> String {
    format!("include: [{{ local: {GITLAB_JOB} }}]")
}

/// A `.pre-commit-config.yaml` that runs `charter validate` from this
/// repository at the running release.
pub fn pre_commit_config() -> String {
    fill(include_str!("templates/pre-commit-config.yaml"))
}

fn fill(template: &str) -> String {
    template
        .replace("{{version}}", VERSION)
        .replace("{{repository}}", REPOSITORY)
        .replace("{{action}}", github_action())
        .replace("{{package}}", PACKAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_include_outside_a_comment_counts() {
        assert!(includes_gitlab_job(&gitlab_pipeline()));
        assert!(includes_gitlab_job(&gitlab_include_line()));
        assert!(!includes_gitlab_job(&format!(
            "# {}\n",
            gitlab_include_line()
        )));
        assert!(!includes_gitlab_job("stages: [test]\n"));
    }

    #[test]
    fn every_placeholder_is_filled() {
        for text in [github_workflow(), gitlab_job(), pre_commit_config()] {
            // `${{ … }}` is GitHub's expression syntax, not ours.
            for (at, _) in text.match_indices("{{") {
                assert!(text[..at].ends_with('$'), "{}", &text[at..]);
            }
        }
    }

    #[test]
    fn the_action_is_the_repository_on_github() {
        assert!(
            REPOSITORY.starts_with("https://github.com/"),
            "{REPOSITORY}"
        );
        assert_eq!(github_action().split('/').count(), 2);
        assert!(REPOSITORY.ends_with(github_action()));
    }
}
