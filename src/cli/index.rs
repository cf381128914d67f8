//! `charter index`: build or bring up to date the history index that
//! commands keep under `.git/charter/`, e.g. as a CI step before a cached
//! index is used, or check a stored index against a fresh walk.

use charter::history::parse_store::{self, ParseStore};
use charter::history::store;

use super::error::{code, CliError, CliResult};
use super::Global;

/// Arguments of `charter index`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Walk the whole history again and compare it with the stored index,
    /// and parse every stored agreement version again; exit 1 when
    /// anything differs (the index is then rebuilt, the parses removed).
    #[arg(long)]
    pub verify: bool,
}

/// Build, extend or verify the stored index of HEAD.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let ws = super::workspace(global)?;
    let repo = ws.repo.as_ref().ok_or_else(super::not_a_repository)?;
    if !store::enabled() {
        return Err(CliError::new(
            "CHARTER_NO_INDEX is set, so charter neither reads nor writes its index",
        )
        .hint("unset CHARTER_NO_INDEX to use the index"));
    }
    let head = charter::history::head_commit(repo)?;
    let path = store::location(repo);
    let shown = path
        .strip_prefix(&global.cwd)
        .unwrap_or(&path)
        .display()
        .to_string();
    // HEAD's charter.yaml decides the directories indexed, as for every
    // command that reads HEAD.
    let layout = charter::revision::Tree::Commit(repo, &head).layout()?;
    if args.verify {
        let history = verify_history(repo, &layout, &head, &shown, global)?;
        let parses = verify_parses(repo, global)?;
        return Ok(if history && parses {
            code::OK
        } else {
            code::VERDICT
        });
    }
    let store::Refresh {
        index,
        commits_before: before,
        up_to_date,
    } = store::refresh(repo, &layout, head.id())?;
    if !up_to_date {
        store::store(repo, &index).map_err(|e| write_error(&shown, e))?;
    }
    let agreements = charter::record::ids(&index, &layout).len();
    let commits = index.commits().len();
    let how = match before {
        Some(n) if n <= commits => format!("{} new", commits - n),
        _ => "built anew".to_owned(),
    };
    println!(
        "{shown}: {} ({how}), {}",
        charter::plural::count(commits, "commit"),
        charter::plural::count(agreements, "agreement")
    );
    Ok(code::OK)
}

/// Compare the stored history index with a fresh walk; rebuild it when
/// they differ. True when it matched.
fn verify_history(
    repo: &git2::Repository,
    layout: &charter::settings::Layout,
    head: &git2::Commit<'_>,
    shown: &str,
    global: &Global,
) -> Result<bool, CliError> {
    match store::verify(repo, layout, head.id())? {
        store::Verified::Matches(commits) => {
            println!(
                "{shown} matches a fresh walk of {}",
                charter::plural::count(commits, "commit")
            );
            Ok(true)
        }
        store::Verified::NoneStored(fresh) => {
            super::note(global, &format!("{shown}: no index stored for this layout"));
            store::store(repo, &fresh).map_err(|e| write_error(shown, e))?;
            Ok(false)
        }
        store::Verified::Differs(fresh) => {
            super::note(
                global,
                &format!("{shown} did not match a fresh walk of the history; it was rebuilt"),
            );
            store::store(repo, &fresh).map_err(|e| write_error(shown, e))?;
            Ok(false)
        }
    }
}

/// Parse every stored agreement version again; remove the stored parses
/// when any differs. True when they matched (or none are stored).
fn verify_parses(repo: &git2::Repository, global: &Global) -> Result<bool, CliError> {
    let path = parse_store::location(repo);
    let shown = path
        .strip_prefix(&global.cwd)
        .unwrap_or(&path)
        .display()
        .to_string();
    let parses = ParseStore::open(repo);
    if parses.is_empty() {
        return Ok(true);
    }
    let checked = parses.check(repo);
    if checked.wrong > 0 {
        parse_store::remove(repo).map_err(|e| write_error(&shown, e))?;
        super::note(
            global,
            &format!(
                "{shown}: {} of {} did not match a fresh parse; it was removed",
                checked.wrong,
                charter::plural::count(checked.entries, "stored version")
            ),
        );
        return Ok(false);
    }
    println!(
        "{shown} matches a fresh parse of {}",
        charter::plural::count(checked.entries, "agreement version")
    );
    Ok(true)
}

fn write_error(shown: &str, e: std::io::Error) -> CliError {
    CliError::new(format!("cannot write {shown}: {e}"))
        .hint("check that the repository's .git directory is writable")
}
