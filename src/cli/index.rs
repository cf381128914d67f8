//! `charter index`: build or bring up to date the history index that
//! commands keep under `.git/charter/`, e.g. as a CI step before a cached
//! index is used, or check a stored index against a fresh walk.

use charter::history::store::{self, Want};
use charter::history::Index;

use super::error::{code, CliError, CliResult};
use super::Global;

/// Arguments of `charter index`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Walk the whole history again and compare it with the stored index;
    /// exit 1 when they differ (the stored one is then replaced).
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
    let stored = store::load(repo);
    if args.verify {
        let roots = charter::history::index::roots_of(&ws.layout);
        let fresh = Index::build(repo, head.id(), roots, &mut |_| {})?;
        let mut extended = match stored {
            Some(index) if index.roots() == fresh.roots() => index,
            _ => {
                super::note(global, &format!("{shown}: no index stored for this layout"));
                store::store(repo, &fresh).map_err(|e| write_error(&shown, e))?;
                return Ok(code::VERDICT);
            }
        };
        extended.extend(repo, head.id(), &mut |_| {})?;
        if extended != fresh {
            super::note(
                global,
                &format!("{shown} did not match a fresh walk of the history; it was rebuilt"),
            );
            store::store(repo, &fresh).map_err(|e| write_error(&shown, e))?;
            return Ok(code::VERDICT);
        }
        println!(
            "{shown} matches a fresh walk of {} commits",
            fresh.commits().len()
        );
        return Ok(code::OK);
    }
    let before = stored.as_ref().map(|i| i.commits().len());
    let index = store::open(repo, &ws.layout, head.id(), Want::All, false)?;
    store::store(repo, &index).map_err(|e| write_error(&shown, e))?;
    let agreements = charter::record::ids(&index, &ws.layout).len();
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

fn write_error(shown: &str, e: std::io::Error) -> CliError {
    CliError::new(format!("cannot write {shown}: {e}"))
        .hint("check that the repository's .git directory is writable")
}
