//! Validation of the charter files in a commit's tree (what `validate` does
//! for the working tree).

use git2::{Commit, Repository};

use crate::agreement::lint::{self, Context};
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::finding::Sources;
use crate::settings::Layout;
use crate::signoff::AllowedSigners;

/// A file's path and text, kept to show the lines its findings point at.
type Source = (String, String);

/// Findings for every agreement and sign-off file in `commit`'s tree;
/// `signers` is the trust root, when the repository has one; `only` limits
/// the check to these agreement ids (a pull request's).
pub fn validate(
    repo: &Repository,
    commit: &Commit<'_>,
    layout: &Layout,
    signers: Option<&AllowedSigners>,
    only: Option<&std::collections::HashSet<String>>,
    findings: &mut Vec<Finding>,
    sources: &mut Sources,
) -> Result<()> {
    use rayon::prelude::*;
    let wanted = |id: &str| only.is_none_or(|ids| ids.contains(id));
    let tree = commit.tree().map_err(|e| Error::git("reading a tree", e))?;
    let agreement_wanted = |name: &str| {
        let id = name.trim_end_matches(".yaml").trim_end_matches(".yml");
        (name.ends_with(".yaml") || name.ends_with(".yml")) && wanted(id)
    };
    // Files are read from git in order, then judged on all cores (a whole
    // history's tip has thousands); findings keep the files' order.
    let agreements = blobs_under(repo, &tree, &layout.agreements, false, &agreement_wanted)?;
    let judged: Vec<(Vec<Finding>, Option<Source>)> = agreements
        .par_iter()
        .map(|(path, blob)| {
            let Some(bytes) = blob else {
                let f = Finding::new(
                    crate::finding::Rule::InvalidPath,
                    path,
                    "a symbolic link or other non-file in the agreements directory",
                );
                return (vec![f], None);
            };
            if !(path.ends_with(".yaml") || path.ends_with(".yml")) {
                return (Vec::new(), None);
            }
            let name = path.rsplit('/').next().unwrap_or_default();
            if !wanted(name.trim_end_matches(".yaml").trim_end_matches(".yml")) {
                return (Vec::new(), None);
            }
            let known = |email: &str| signers.is_some_and(|s| s.principal_matches_any(email));
            let ctx = Context {
                is_known_signer: signers.map(|_| &known as &dyn Fn(&str) -> bool),
            };
            let (_, found) = lint::check(path, bytes, &ctx);
            let source = (!found.is_empty())
                .then(|| (path.clone(), String::from_utf8_lossy(bytes).into_owned()));
            (found, source)
        })
        .collect();
    for (found, source) in judged {
        findings.extend(found);
        if let Some((path, text)) = source {
            sources.insert(path, text);
        }
    }
    for (dir, what, judge) in [
        (
            &layout.signoffs,
            "a symbolic link or other non-file among the sign-offs",
            crate::workspace::check_signoff_file as fn(&str, &[u8]) -> Vec<Finding>,
        ),
        (
            &layout.checkins,
            "a symbolic link or other non-file among the check-ins",
            crate::checkin::form_findings,
        ),
    ] {
        let files = blobs_under(repo, &tree, dir, true, &wanted)?;
        let judged: Vec<Vec<Finding>> = files
            .par_iter()
            .map(|(path, blob)| {
                // Records live in one directory per agreement; other files
                // at the top (a .gitkeep, a README) are not records.
                let rest = &path[dir.len() + 1..];
                let Some((id, _)) = rest.split_once('/') else {
                    return Vec::new();
                };
                if !path.ends_with(".yaml") || !wanted(id) {
                    return Vec::new();
                }
                match blob {
                    Some(bytes) => judge(path, bytes),
                    None => vec![Finding::new(crate::finding::Rule::InvalidPath, path, what)],
                }
            })
            .collect();
        findings.extend(judged.into_iter().flatten());
    }
    Ok(())
}

/// Files under `dir` (one level, or two for sign-offs), with their bytes;
/// `None` for links and other non-files. Only entries whose name at the top
/// level `keep` accepts are read (a pull request's agreements, not the
/// thousands of others); non-files are listed either way. Oversized blobs
/// are cut at the size limit so parsing reports them.
pub(super) fn blobs_under(
    repo: &Repository,
    tree: &git2::Tree<'_>,
    dir: &str,
    nested: bool,
    keep: &dyn Fn(&str) -> bool,
) -> Result<Vec<(String, Option<Vec<u8>>)>> {
    let mut out = Vec::new();
    let Some(entry) = crate::history::entry_at(tree, dir)? else {
        return Ok(out);
    };
    if entry.kind() != Some(git2::ObjectType::Tree) {
        return Ok(out);
    }
    let subtree = crate::history::tree_of(repo, entry.id(), dir)?;
    list(repo, &subtree, dir, nested, keep, &mut out)?;
    Ok(out)
}

fn list(
    repo: &Repository,
    tree: &git2::Tree<'_>,
    dir: &str,
    nested: bool,
    keep: &dyn Fn(&str) -> bool,
    out: &mut Vec<(String, Option<Vec<u8>>)>,
) -> Result<()> {
    for e in tree.iter() {
        let Some(name) = e.name() else { continue };
        let path = format!("{dir}/{name}");
        match e.kind() {
            Some(git2::ObjectType::Tree) if nested && keep(name) => {
                let subtree = crate::history::tree_of(repo, e.id(), &path)?;
                list(repo, &subtree, &path, false, &|_| true, out)?;
            }
            Some(git2::ObjectType::Tree) => {}
            Some(git2::ObjectType::Blob) if e.filemode() != 0o120000 => {
                if !nested && !keep(name) {
                    out.push((path, Some(Vec::new())));
                    continue;
                }
                let blob = repo
                    .find_blob(e.id())
                    .map_err(|err| Error::git(format!("reading {path}"), err))?;
                let limit = (crate::document::MAX_FILE_BYTES + 1) as usize;
                out.push((
                    path,
                    Some(blob.content()[..blob.content().len().min(limit)].to_vec()),
                ));
            }
            _ => out.push((path, None)),
        }
    }
    Ok(())
}
