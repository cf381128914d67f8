//! `charter init [DIR]`: lay out a repository of agreements.

use std::path::{Path, PathBuf};

use charter::ci::{self, GITLAB_PIPELINE};
use charter::gitattributes;
use charter::settings::Layout;

use super::error::{code, CliError, CliResult};
use super::Global;

/// Arguments of `charter init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to create the layout (default: the current repository, or the current directory).
    pub dir: Option<PathBuf>,
    /// The CI system to write the gate for; the job installs exactly this
    /// charter's release from its own repository.
    #[arg(long, value_enum, value_name = "SYSTEM", default_value_t = Ci::Github)]
    pub ci: Ci,
}

/// `--ci` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Ci {
    /// A GitHub Actions workflow in .github/workflows/charter.yml.
    Github,
    /// A GitLab CI job in .gitlab/charter.gitlab-ci.yml, included from .gitlab-ci.yml.
    Gitlab,
    /// No CI files.
    None,
}

impl Ci {
    /// The CI system to write a job for; none for `--ci none`.
    fn system(self) -> Option<charter::ci::System> {
        match self {
            Ci::Github => Some(charter::ci::System::Github),
            Ci::Gitlab => Some(charter::ci::System::Gitlab),
            Ci::None => None,
        }
    }
}

/// Create the layout, never overwriting; report what was created and skipped.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let target = args.dir.as_ref().map(|d| global.cwd.join(d));
    let repo = open_or_init(global, target.as_deref())?;
    let root = repo
        .workdir()
        .ok_or_else(|| {
            CliError::new("cannot init a bare repository")
                .hint("run charter init in a clone with a working tree")
        })?
        .to_path_buf();
    // An existing charter.yaml may move the agreements, the sign-offs, the
    // trust root and the templates.
    let (settings, _) = charter::revision::Tree::Working(&root).settings()?;
    let layout = settings.layout();
    let mut skipped = 0;
    for (rel, text) in charter::scaffold::files(args.ci.system(), &settings) {
        let path = root.join(&rel);
        if std::fs::symlink_metadata(&path).is_ok() {
            super::note(global, &format!("skipped {rel} (exists; left as it is)"));
            skipped += 1;
            if rel == gitattributes::FILE && !has_diff_driver(&path, &layout) {
                super::note(
                    global,
                    &format!(
                        "  add this line to {} for semantic diffs: {}",
                        gitattributes::FILE,
                        charter::render::escape::text(&gitattributes::line(&layout))
                    ),
                );
            }
            if rel == GITLAB_PIPELINE && !includes_gitlab_job(&path) {
                super::note(
                    global,
                    &format!(
                        "  add this to .gitlab-ci.yml to run the charter job: {}",
                        ci::gitlab_include_line()
                    ),
                );
            }
            continue;
        }
        charter::git::create_new_file(&path, text.as_bytes())
            .map_err(|e| CliError::new(format!("{}: cannot create: {e}", path.display())))?;
        super::note(global, &format!("created {rel}"));
    }
    configure_diff_driver(&repo, "this clone's .git/config", global)?;
    super::note(global, "");
    super::note(global, "Other clones set the semantic diff driver with:");
    for (key, value) in gitattributes::DRIVER_CONFIG {
        super::note(global, &format!("  git config {key} '{value}'"));
    }
    super::note(
        global,
        "(git runs charter from PATH: install it where git can find it)",
    );
    match args.ci {
        Ci::Github => super::note(
            global,
            "Make `charter` (the workflow's job) a required status check in your branch protection rules, or it only advises.",
        ),
        Ci::Gitlab => super::note(
            global,
            "Require the pipeline to succeed before merging (\"Pipelines must succeed\"), or the charter job only advises.",
        ),
        Ci::None => super::note(
            global,
            &format!(
                "No CI files written: run `charter check --base <base commit> --head <head commit>` as a required check in your CI (install with `cargo install --locked --git {} --tag {} {}`).",
                ci::REPOSITORY,
                ci::tag(),
                ci::PACKAGE
            ),
        ),
    }
    super::note(global, "Next: add each person's SSH key to allowed_signers, then `charter new ID --mentor \"Name <email>\" --mentee \"Name <email>\"`.");
    if skipped > 0 {
        super::note(
            global,
            &format!(
                "{} left untouched.",
                charter::plural::count(skipped, "existing file")
            ),
        );
    }
    Ok(code::OK)
}

fn open_or_init(global: &Global, target: Option<&Path>) -> Result<git2::Repository, CliError> {
    let init = |dir: &Path| {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::new(format!("{}: cannot create: {e}", dir.display())))?;
        let repo = git2::Repository::init(dir).map_err(|e| {
            CliError::new(format!(
                "{}: git init failed: {}",
                dir.display(),
                e.message()
            ))
        })?;
        super::note(
            global,
            &format!("initialised a git repository in {}", dir.display()),
        );
        Ok(repo)
    };
    match target {
        Some(dir) => match git2::Repository::open(dir) {
            Ok(repo) => Ok(repo),
            Err(_) => init(dir),
        },
        None => match git2::Repository::discover(&global.cwd) {
            Ok(repo) => Ok(repo),
            Err(_) => init(&global.cwd),
        },
    }
}

fn includes_gitlab_job(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| ci::includes_gitlab_job(&t))
}

fn has_diff_driver(path: &Path, layout: &Layout) -> bool {
    std::fs::read(path)
        .is_ok_and(|bytes| gitattributes::has_driver(&String::from_utf8_lossy(&bytes), layout))
}

/// Sets the semantic diff driver in `repo`'s own config, never over a value
/// the user chose; `config_name` says whose config that is, so the notes
/// cannot be read as touching another clone.
pub(super) fn configure_diff_driver(
    repo: &git2::Repository,
    config_name: &str,
    global: &Global,
) -> Result<(), CliError> {
    let mut config = repo
        .config()
        .and_then(|c| c.open_level(git2::ConfigLevel::Local))
        .map_err(|e| {
            CliError::new(format!(
                "cannot open the repository's git config: {}",
                e.message()
            ))
        })?;
    for (key, value) in gitattributes::DRIVER_CONFIG {
        match config.get_string(key) {
            Ok(existing) if existing == value => {
                super::note(global, &format!("skipped {key} (already set)"))
            }
            // `note` keeps a message's own line breaks; the quoted value's
            // are spelt out so the value cannot end the note early.
            Ok(existing) => super::note(
                global,
                &format!(
                    "skipped {key} (set to `{}`; left as it is)",
                    charter::render::escape::text(&existing)
                ),
            ),
            Err(_) => {
                config
                    .set_str(key, value)
                    .map_err(|e| CliError::new(format!("cannot set {key}: {}", e.message())))?;
                super::note(global, &format!("set {key} = {value} in {config_name}"));
            }
        }
    }
    Ok(())
}
