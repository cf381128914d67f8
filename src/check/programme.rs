//! The programme's own rules at the judged tip: the policy of
//! `charter.yaml` (from base in a pull request, like every setting) and
//! `template-drift` for agreements whose template changed since.

use std::collections::HashSet;

use git2::{Commit, Repository};

use crate::agreement::Agreement;
use crate::error::Result;
use crate::finding::Finding;
use crate::finding::Sources;
use crate::settings::Settings;
use crate::yaml::Segment;

/// Policy and template-drift findings for the agreements in `tip`'s tree
/// (only those in `only`, when given). Templates are read from the same
/// tree as the agreements; the policy and the templates directory come
/// from the trusted `settings`.
pub fn validate(
    repo: &Repository,
    tip: &Commit<'_>,
    settings: &Settings,
    only: Option<&HashSet<String>>,
    findings: &mut Vec<Finding>,
    sources: &mut Sources,
) -> Result<()> {
    let layout = settings.layout();
    let templates = settings.templates_dir();
    let tree = tip
        .tree()
        .map_err(|e| crate::error::Error::git("reading a tree", e))?;
    let wanted = |name: &str| {
        crate::agreement::file_name::id_of(name)
            .is_some_and(|id| only.is_none_or(|ids| ids.contains(id)))
    };
    for (path, blob) in
        super::tree_files::blobs_under(repo, &tree, &layout.agreements, false, &wanted)?
    {
        let Some(bytes) = blob else { continue };
        let Some(id) = crate::agreement::file_name::id_of(&path) else {
            continue;
        };
        if only.is_some_and(|ids| !ids.contains(id)) {
            continue;
        }
        let mut found = Vec::new();
        if let Some(policy) = &settings.policy {
            found.extend(crate::policy::check(&path, &bytes, policy));
        }
        found.extend(drift(repo, tip, &path, &bytes, &templates)?);
        if !found.is_empty() {
            sources
                .entry(path.clone())
                .or_insert_with(|| String::from_utf8_lossy(&bytes).into_owned());
        }
        findings.extend(found);
    }
    Ok(())
}

/// `template-drift` for one agreement file, when it records a template.
pub fn drift(
    repo: &Repository,
    tip: &Commit<'_>,
    path: &str,
    bytes: &[u8],
    templates: &str,
) -> Result<Option<Finding>> {
    let Ok(node) = crate::document::parse(path, bytes) else {
        return Ok(None);
    };
    let Ok(agreement) = crate::document::typed::<Agreement>(path, &node) else {
        return Ok(None);
    };
    let Some(reference) = agreement.template else {
        return Ok(None);
    };
    let now = if crate::template::is_valid_name(&reference.name) {
        crate::history::blob_at(repo, tip, &format!("{templates}/{}.yaml", reference.name))?
    } else {
        None
    };
    let at = node.locate([Segment::Key("template"), Segment::Key("version")]);
    Ok(crate::template::drift(
        path,
        &reference.name,
        &reference.version,
        templates,
        now.as_deref(),
        at,
    ))
}
