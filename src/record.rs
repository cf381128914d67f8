//! The record of one agreement at a revision: its history on the chain, its
//! sign-off files checked against the trust root, and what the rules make of
//! them. This is where git, sign-offs and the pure rules meet.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use git2::{Oid, Repository};
use serde::Serialize;

use crate::agreement::Role;
use crate::checkin::CheckinReport;
use crate::error::{Error, Result};
use crate::history::{agreement_history, entry_id, Chain, ChainCommit, History};
use crate::rules::{evaluate, Approval, Evaluation};
use crate::settings::Layout;
use crate::signoff::decline::{DeclineName, DeclineReport};
use crate::signoff::{self, AllowedSigners, SignoffFile};

/// One sign-off file and the verdict on it, as `verify` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct SignoffReport {
    /// Repository-relative path.
    pub file: String,
    /// The agreement it names.
    pub agreement: Option<String>,
    /// The version it signs.
    pub version: Option<String>,
    /// The role it signs for.
    pub role: Option<Role>,
    /// The principal it names.
    pub principal: Option<String>,
    /// The signer's claimed time.
    pub signed_at: Option<String>,
    /// When the file first appeared on the chain (RFC 3339 UTC).
    pub signoff_time: Option<String>,
    /// `SHA256:…` of the key that signed, when the signature parsed.
    pub key_fingerprint: Option<String>,
    /// Whether it counts.
    pub valid: bool,
    /// Why not, when it does not.
    pub reason: Option<String>,
    /// Whether it waives the notice period.
    #[serde(skip)]
    pub waive_notice: bool,
    /// The previous signed version it names.
    #[serde(skip)]
    pub amends: Option<String>,
    /// The sign-off time in seconds.
    #[serde(skip)]
    pub time: Option<i64>,
    /// Chain position of the first commit holding the file.
    #[serde(skip)]
    pub position: Option<usize>,
    /// The history point it counts for: the newest occurrence of its
    /// version when it landed (see [`crate::rules::credited_point`]).
    #[serde(skip)]
    pub point: Option<usize>,
}

/// Everything charter knows about one agreement at a revision.
#[derive(Debug, Clone)]
pub struct Record {
    /// The agreement id.
    pub id: String,
    /// Its history along the chain.
    pub history: History,
    /// Its sign-off files, sorted by path.
    pub signoffs: Vec<SignoffReport>,
    /// What the rules make of it.
    pub evaluation: Evaluation,
    /// Its check-in files, sorted by path, each judged.
    pub checkins: Vec<CheckinReport>,
    /// Its declines (signed refusals of a version), sorted by path.
    pub declines: Vec<DeclineReport>,
}

/// Where a file first appeared on the chain: its blob then, the commit and
/// the commit's position on the chain.
pub type Appearance = (Oid, ChainCommit, usize);

/// When each file under `dir` (recursively, keyed by its path relative to
/// `dir`) first appeared on the chain, and its blob then. One walk of the
/// chain; a commit is looked at only when the directory's tree changed.
pub fn first_appearances(
    repo: &Repository,
    chain: &Chain,
    dir: &str,
) -> Result<HashMap<String, Appearance>> {
    let mut seen: HashMap<String, Appearance> = HashMap::new();
    let mut last_dir: Option<Oid> = None;
    let mut last_tree: Option<git2::Tree<'_>> = None;
    for (position, c) in chain.commits.iter().enumerate() {
        let commit = repo
            .find_commit(c.id)
            .map_err(|e| Error::git(format!("reading commit {}", c.id), e))?;
        let tree = commit.tree().map_err(|e| Error::git("reading a tree", e))?;
        let dir_id = entry_id(&tree, dir)?;
        if dir_id == last_dir {
            continue;
        }
        last_dir = dir_id;
        let subtree = dir_id
            .map(|id| crate::history::tree_of(repo, id, dir))
            .transpose()?;
        for change in
            crate::history::tree_diff::changes(repo, last_tree.as_ref(), subtree.as_ref(), 4)?
        {
            if let Some((id, _)) = change.new {
                seen.entry(change.path)
                    .or_insert_with(|| (id, c.clone(), position));
            }
        }
        last_tree = subtree;
    }
    Ok(seen)
}

/// Load the record of agreement `id` along `chain` (whose tip is the
/// revision judged), checking sign-offs against `signers`.
pub fn load(
    repo: &Repository,
    chain: &Chain,
    layout: &Layout,
    id: &str,
    signers: &AllowedSigners,
    today: NaiveDate,
) -> Result<Record> {
    let path = format!("{}/{id}.yaml", layout.agreements);
    let history = agreement_history(repo, chain, &path)?;
    let appearances = first_appearances(repo, chain, &format!("{}/{id}", layout.signoffs))?;
    let appearances = appearances
        .into_iter()
        .map(|(name, v)| (format!("{id}/{name}"), v))
        .collect();
    let checkins = first_appearances(repo, chain, &format!("{}/{id}", layout.checkins))?
        .into_iter()
        .map(|(name, v)| (format!("{id}/{name}"), v))
        .collect();
    let mut record = assemble(
        repo,
        chain,
        layout,
        id,
        history,
        &appearances,
        signers,
        today,
    )?;
    record.checkins = load_checkins(repo, chain, layout, &record, &checkins, signers)?;
    Ok(record)
}

/// Load the records of every agreement that has a history along `chain`,
/// walking the chain once for agreements and once for sign-offs.
pub fn load_all(
    repo: &Repository,
    chain: &Chain,
    layout: &Layout,
    signers: &AllowedSigners,
    today: NaiveDate,
) -> Result<Vec<Record>> {
    let mut histories: Vec<(String, History)> =
        crate::history::scan_dir(repo, chain, &layout.agreements, None, false)?
            .into_iter()
            .collect();
    histories.sort_by(|a, b| a.0.cmp(&b.0));
    let appearances = first_appearances(repo, chain, &layout.signoffs)?;
    let checkins = first_appearances(repo, chain, &layout.checkins)?;
    let mut records = Vec::new();
    for (path, history) in histories {
        let Some(id) = crate::agreement::lint::id_of(&path) else {
            continue;
        };
        let mut record = assemble(
            repo,
            chain,
            layout,
            id,
            history,
            &appearances,
            signers,
            today,
        )?;
        record.checkins = load_checkins(repo, chain, layout, &record, &checkins, signers)?;
        record.restore_data(repo)?;
        records.push(record);
    }
    Ok(records)
}

/// Check the sign-offs of `id` present at the chain's tip and evaluate.
#[allow(clippy::too_many_arguments)]
fn assemble(
    repo: &Repository,
    chain: &Chain,
    layout: &Layout,
    id: &str,
    history: History,
    appearances: &HashMap<String, Appearance>,
    signers: &AllowedSigners,
    today: NaiveDate,
) -> Result<Record> {
    let mut signoffs = Vec::new();
    let mut declines = Vec::new();
    if let Some(tip) = chain.commits.last() {
        let tip_tree = repo
            .find_commit(tip.id)
            .and_then(|c| c.tree())
            .map_err(|e| Error::git("reading the tip", e))?;
        let prefix = format!("{id}/");
        // Sign-offs are `<id>/<name>.yaml`; anything else there is not one.
        let mut names: Vec<&String> = appearances
            .keys()
            .filter(|k| {
                k.strip_prefix(&prefix)
                    .is_some_and(|n| !n.contains('/') && n.ends_with(".yaml"))
            })
            .collect();
        names.sort();
        for name in names {
            let file = format!("{}/{name}", layout.signoffs);
            // Only files still present at the tip count; deletions are
            // `check`'s business (signoff-modified).
            let Some(now) = crate::history::entry_at(&tip_tree, &file)? else {
                continue;
            };
            let (_, appeared, position) = &appearances[name];
            let landed = (appeared.time, *position);
            if now.filemode() == 0o120000 {
                let mut report = check_signoff(&file, b"", landed, id, &history, signers);
                report.reason = Some("the sign-off is a symbolic link, not a file".to_owned());
                signoffs.push(report);
                continue;
            }
            let blob = repo
                .find_blob(now.id())
                .map_err(|e| Error::git(format!("reading {file}"), e))?;
            if DeclineName::parse(&name[prefix.len()..]).is_some() {
                declines.push(crate::signoff::decline::judge(
                    &file,
                    blob.content(),
                    appeared.time,
                    id,
                    &history,
                    signers,
                ));
                continue;
            }
            signoffs.push(check_signoff(
                &file,
                blob.content(),
                landed,
                id,
                &history,
                signers,
            ));
        }
    }
    let approvals = approvals_of(&signoffs);
    let mut evaluation = evaluate(&history, &approvals, today);
    let refusals: Vec<(crate::agreement::VersionId, Role)> = declines
        .iter()
        .filter(|d| d.valid)
        .filter_map(|d| {
            Some((
                crate::agreement::VersionId::parse(d.version.as_deref()?)?,
                d.role?,
            ))
        })
        .collect();
    evaluation.apply_declines(&refusals);
    Ok(Record {
        id: id.to_owned(),
        history,
        signoffs,
        evaluation,
        checkins: Vec::new(),
        declines,
    })
}

/// Judge the check-ins of `record` present at the chain's tip;
/// `appearances` is keyed by `<id>/<name>` under the check-ins directory.
fn load_checkins(
    repo: &Repository,
    chain: &Chain,
    layout: &Layout,
    record: &Record,
    appearances: &HashMap<String, Appearance>,
    signers: &AllowedSigners,
) -> Result<Vec<CheckinReport>> {
    let mut out = Vec::new();
    let Some(tip) = chain.commits.last() else {
        return Ok(out);
    };
    let tip_tree = repo
        .find_commit(tip.id)
        .and_then(|c| c.tree())
        .map_err(|e| Error::git("reading the tip", e))?;
    let prefix = format!("{}/", record.id);
    let mut names: Vec<&String> = appearances
        .keys()
        .filter(|k| {
            k.strip_prefix(&prefix)
                .is_some_and(|n| !n.contains('/') && n.ends_with(".yaml"))
        })
        .collect();
    names.sort();
    for name in names {
        let file = format!("{}/{name}", layout.checkins);
        let Ok(entry) = tip_tree.get_path(Path::new(&file)) else {
            continue;
        };
        let (_, appeared, _) = &appearances[name];
        let bytes = if entry.filemode() == 0o120000 {
            Vec::new()
        } else {
            match repo.find_blob(entry.id()) {
                Ok(blob) => blob.content().to_vec(),
                Err(_) => continue,
            }
        };
        out.push(crate::checkin::judge::judge(
            &file,
            &bytes,
            appeared.time,
            &record.id,
            &record.history,
            &record.evaluation,
            signers,
        ));
    }
    Ok(out)
}

impl Record {
    /// Read again the plain data of the points reports compare (the last
    /// two, and the versions in force, pending or scheduled) after a load
    /// that did not keep it.
    pub fn restore_data(&mut self, repo: &Repository) -> Result<()> {
        let e = &self.evaluation;
        let n = self.history.points.len();
        let mut wanted: Vec<usize> = vec![n.saturating_sub(1), n.saturating_sub(2)];
        wanted.extend(
            e.in_force
                .iter()
                .chain(e.pending.iter())
                .chain(e.scheduled.iter())
                .map(|&i| e.versions[i].point),
        );
        let path = self.history.path.clone();
        for i in wanted {
            let Some(point) = self.history.points.get_mut(i) else {
                continue;
            };
            let Some(id) = point.blob() else {
                continue;
            };
            let blob = repo
                .find_blob(id)
                .map_err(|e| Error::git(format!("reading {path}"), e))?;
            if point.state != crate::history::FileState::Absent {
                let parsed = crate::agreement::lint::load(&path, blob.content());
                point.state = crate::history::FileState::Present(parsed);
            }
        }
        Ok(())
    }

    /// The valid sign-offs, as the rules take them (to judge a hypothetical
    /// next version, as `amend` does).
    pub fn approvals(&self) -> Vec<Approval> {
        approvals_of(&self.signoffs)
    }
}

fn approvals_of(signoffs: &[SignoffReport]) -> Vec<Approval> {
    signoffs
        .iter()
        .filter(|s| s.valid)
        .filter_map(approval)
        .collect()
}

fn approval(s: &SignoffReport) -> Option<Approval> {
    Some(Approval {
        file: s.file.clone(),
        role: s.role?,
        principal: s.principal.clone()?,
        version: crate::agreement::VersionId::parse(s.version.as_deref()?)?,
        amends: match s.amends.as_deref() {
            None | Some("none") => None,
            Some(v) => Some(crate::agreement::VersionId::parse(v)?),
        },
        waive_notice: s.waive_notice,
        key: s.key_fingerprint.clone()?,
        time: s.time?,
        position: s.position?,
    })
}

fn rfc3339(time: i64) -> String {
    crate::history::utc(time)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Check one sign-off file as of its sign-off time, given as the clamped
/// time and chain position of the first commit holding it.
pub fn check_signoff(
    file: &str,
    bytes: &[u8],
    (time, position): (i64, usize),
    id: &str,
    history: &History,
    signers: &AllowedSigners,
) -> SignoffReport {
    let mut report = SignoffReport {
        file: file.to_owned(),
        agreement: None,
        version: None,
        role: None,
        principal: None,
        signed_at: None,
        signoff_time: Some(rfc3339(time)),
        key_fingerprint: None,
        valid: false,
        reason: None,
        waive_notice: false,
        amends: None,
        time: Some(time),
        position: Some(position),
        point: None,
    };
    let parsed = match SignoffFile::parse_bytes(bytes) {
        Ok(p) => p,
        Err(e) => {
            report.reason = Some(format!("malformed sign-off file: {e}"));
            return report;
        }
    };
    report.agreement = Some(parsed.agreement.clone());
    report.version = Some(parsed.version.clone());
    report.role = Some(parsed.role);
    report.principal = Some(parsed.principal.clone());
    report.signed_at = Some(parsed.signed_at.clone());
    report.waive_notice = parsed.waive_notice;
    report.amends = Some(parsed.amends.clone());
    // Read once: the key is named even when the sign-off is refused.
    let signature = signoff::DecodedSignature::decode(&parsed.signature);
    report.key_fingerprint = signature.fingerprint().map(str::to_owned);
    let path = Path::new(file);
    if let Err(e) = signoff::file::check_path(path, &parsed)
        .and_then(|()| signoff::file::check_content_hash(path, bytes))
    {
        report.reason = Some(format!("file name does not match its content: {e}"));
        return report;
    }
    if parsed.agreement != id {
        report.reason = Some(format!(
            "names agreement `{}`, not `{id}`",
            parsed.agreement
        ));
        return report;
    }
    // Chain times are within range (checked when the chain is walked); a
    // time from elsewhere that is not is refused, never read as 1970.
    let Some(at) = (crate::history::MIN_TIME..=crate::history::MAX_TIME)
        .contains(&time)
        .then(|| crate::history::utc(time))
    else {
        report.reason = Some(format!(
            "the sign-off time ({time} seconds since 1970) is not a date charter can judge"
        ));
        return report;
    };
    let valid = match signoff::verify_decoded_signoff(&parsed, &signature, signers, at) {
        Ok(v) => v,
        Err(e) => {
            report.reason = Some(e.to_string());
            return report;
        }
    };
    report.key_fingerprint = Some(valid.signature.fingerprint.clone());
    // The version must be on the chain when the sign-off landed (it counts
    // for the newest occurrence then), and the principal must be the role's
    // email there (or in an earlier version, for a party change).
    let credited = crate::agreement::VersionId::parse(&parsed.version)
        .and_then(|v| crate::rules::credited_point(history, &v, time, position));
    let on_chain = credited.is_some_and(|i| {
        history.points[i]
            .state
            .parsed()
            .and_then(|p| p.agreement())
            .is_some()
    });
    let principal_ok = credited.is_some_and(|i| {
        history.points[..=i].iter().any(|point| {
            point
                .state
                .parsed()
                .and_then(|p| p.agreement())
                .is_some_and(|a| parsed.role.email(a) == parsed.principal)
        })
    });
    let later = history
        .points
        .iter()
        .any(|p| p.state.version().map(|v| v.as_str()) == Some(parsed.version.as_str()));
    if !on_chain && credited.is_none() && later {
        report.reason = Some(
            "the signed version was not on this agreement's history yet when the sign-off was committed"
                .to_owned(),
        );
    } else if !on_chain {
        report.reason = Some(
            "the signed version is not a valid version in this agreement's history".to_owned(),
        );
    } else if !principal_ok {
        report.reason = Some(format!(
            "principal {} is not the {}'s email in the signed version",
            parsed.principal, parsed.role
        ));
    } else {
        report.valid = true;
        report.point = credited;
    }
    report
}

/// The trust root as committed in `commit` (empty when the file is absent),
/// with the parser's diagnostics.
pub fn signers_at(
    repo: &Repository,
    commit: &git2::Commit<'_>,
    layout: &Layout,
) -> Result<(AllowedSigners, Vec<signoff::Diagnostic>)> {
    let bytes = crate::history::blob_at(repo, commit, &layout.allowed_signers)?.unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    Ok(AllowedSigners::parse(&text))
}

/// Load the record of `id` as of HEAD, with the trust root from HEAD.
pub fn load_at_head(
    repo: &Repository,
    layout: &Layout,
    id: &str,
    today: NaiveDate,
) -> Result<(Record, Chain)> {
    let head = crate::history::head_commit(repo)?;
    let chain = Chain::walk(repo, head.id(), None)?;
    let (signers, _) = signers_at(repo, &head, layout)?;
    let record = load(repo, &chain, layout, id, &signers, today)?;
    Ok((record, chain))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass loader and the per-agreement loader agree, on the demo's
    /// real repository with sign-offs, amendments and a pending version.
    #[test]
    fn load_all_matches_load() {
        let dir = tempfile::tempdir().unwrap();
        crate::demo::build(dir.path()).unwrap();
        let repo = Repository::open(dir.path()).unwrap();
        let layout = Layout::default();
        let today = NaiveDate::from_ymd_opt(2026, 6, 10).unwrap();
        let head = crate::history::head_commit(&repo).unwrap();
        let chain = Chain::walk(&repo, head.id(), None).unwrap();
        let (signers, _) = signers_at(&repo, &head, &layout).unwrap();
        let all = load_all(&repo, &chain, &layout, &signers, today).unwrap();
        assert_eq!(all.len(), 3);
        for record in &all {
            let one = load(&repo, &chain, &layout, &record.id, &signers, today).unwrap();
            assert_eq!(
                one.history.points.len(),
                record.history.points.len(),
                "{}",
                record.id
            );
            assert_eq!(one.signoffs.len(), record.signoffs.len(), "{}", record.id);
            assert_eq!(one.checkins.len(), record.checkins.len(), "{}", record.id);
            assert_eq!(one.declines.len(), record.declines.len(), "{}", record.id);
            assert!(
                record.checkins.iter().all(|c| c.valid),
                "{:?}",
                record.checkins
            );
            assert!(
                record.declines.iter().all(|d| d.valid),
                "{:?}",
                record.declines
            );
            assert!(
                record.signoffs.iter().all(|s| s.valid),
                "{:?}",
                record.signoffs
            );
            assert_eq!(
                one.evaluation.state, record.evaluation.state,
                "{}",
                record.id
            );
        }
        let states: Vec<_> = all
            .iter()
            .map(|r| (r.id.as_str(), r.evaluation.state.as_str()))
            .collect();
        assert_eq!(
            states,
            [
                ("ada-grace", "pending"),
                ("lin-sam-onboarding", "concluded"),
                ("priya-morgan-reverse", "declined")
            ]
        );
    }
}
