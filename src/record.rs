//! The record of one agreement at a revision: its history on the chain, its
//! sign-off files checked against the trust root, and what the rules make of
//! them. This is where git, sign-offs and the pure rules meet.

use std::path::Path;

use chrono::NaiveDate;
use git2::Repository;
use serde::Serialize;

use crate::agreement::Role;
use crate::checkin::CheckinReport;
use crate::error::{Error, Result};
use crate::history::parse_store::ParseStore;
use crate::history::store::Want;
use crate::history::{history_of, History, Index, Parses};
use crate::rules::{evaluate, Approval, Evaluation};
use crate::settings::Layout;
use crate::signoff::decline::{DeclineName, DeclineReport};
use crate::signoff::{self, AllowedSigners, SignoffFile};

/// One sign-off file and the verdict on it, as `verify` reports it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
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

/// A record file (sign-off, decline, check-in) as the index knows it: its
/// path, its entry at the tip, and when it first appeared on the chain.
struct RecordFile<'a> {
    path: &'a str,
    name: &'a str,
    tip: crate::history::index::Entry,
    time: i64,
    position: usize,
}

/// The record files directly in `<dir>/<id>/` that are present at the tip,
/// in path order. A file's landing is its first appearance on the chain.
fn record_files<'a>(index: &'a Index, dir: &str, id: &str) -> Vec<RecordFile<'a>> {
    let owner = format!("{dir}/{id}");
    let chain = index.chain();
    index
        .files_below(&owner)
        .filter_map(|(path, changes)| {
            let name = &path[owner.len() + 1..];
            if name.contains('/') || !name.ends_with(".yaml") {
                return None;
            }
            let tip = changes.last()?.entry?;
            let first = changes.iter().find(|c| c.entry.is_some())?;
            Some(RecordFile {
                path,
                name,
                tip,
                time: chain.commits[first.position].time,
                position: first.position,
            })
        })
        .collect()
}

/// Load the record of agreement `id` from `index` (whose tip is the
/// revision judged), checking sign-offs against `signers`. Every point
/// keeps its plain data.
pub fn load(
    repo: &Repository,
    index: &Index,
    layout: &Layout,
    id: &str,
    signers: &AllowedSigners,
    today: NaiveDate,
) -> Result<Record> {
    load_with(
        repo,
        index,
        layout,
        id,
        signers,
        today,
        &mut Parses::default(),
    )
}

fn load_with(
    repo: &Repository,
    index: &Index,
    layout: &Layout,
    id: &str,
    signers: &AllowedSigners,
    today: NaiveDate,
    parses: &mut Parses<'_>,
) -> Result<Record> {
    let path = layout.agreement_file(id);
    let history = history_of(repo, index, &path, parses)?;
    let mut record = assemble(repo, index, layout, id, history, signers, today)?;
    record.checkins = load_checkins(repo, index, layout, &record, signers)?;
    Ok(record)
}

/// The ids of the agreements that have a history in `index`, sorted.
pub fn ids(index: &Index, layout: &Layout) -> Vec<String> {
    index
        .files_below(&layout.agreements)
        .filter(|(path, _)| !path[layout.agreements.len() + 1..].contains('/'))
        .filter_map(|(path, _)| crate::agreement::file_name::id_of(path).map(str::to_owned))
        .collect()
}

/// The points whose plain data a loaded record keeps. The others keep
/// their version id and typed agreement only: on a large repository the
/// data of every version would decide the peak memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeepData {
    /// None: the commands that show records (`verify`, `status`,
    /// `report`, `calendar`) read the typed agreements only.
    Nothing,
    /// What `check` compares: the last point, and the last one before
    /// chain position `start` (a pull request's base side; none when the
    /// range is the whole history).
    Range(usize),
}

/// Load the records of every agreement that has a history in `index`.
/// Each keeps the plain data only of the points `keep` names, which
/// bounds memory on large repositories. Agreements are independent, so
/// they are loaded in parallel (each thread with its own repository
/// handle: libgit2's are not shared between threads); the order is the
/// ids' order whatever the scheduling.
pub fn load_all(
    repo: &Repository,
    index: &Index,
    layout: &Layout,
    signers: &AllowedSigners,
    today: NaiveDate,
    keep: KeepData,
) -> Result<Vec<Record>> {
    load_all_with(repo, index, layout, signers, today, keep, None)
}

/// [`load_all`] for commands that only show records (`verify`, `status`,
/// `calendar`, `report`): agreement versions parsed by an earlier run are
/// read from `store` (see [`ParseStore::open_in_background`]) instead of
/// parsed again, and new parses are added to it. `check` does not use it.
pub fn load_all_cached(
    repo: &Repository,
    index: &Index,
    layout: &Layout,
    signers: &AllowedSigners,
    today: NaiveDate,
    store: ParseStore,
) -> Result<Vec<Record>> {
    let records = load_all_with(
        repo,
        index,
        layout,
        signers,
        today,
        KeepData::Nothing,
        Some(&store),
    )?;
    store.save();
    Ok(records)
}

fn load_all_with(
    repo: &Repository,
    index: &Index,
    layout: &Layout,
    signers: &AllowedSigners,
    today: NaiveDate,
    keep: KeepData,
    store: Option<&ParseStore>,
) -> Result<Vec<Record>> {
    use rayon::prelude::*;
    let ids = ids(index, layout);
    let gitdir = repo.path().to_owned();
    // A few chunks per thread: enough to balance, few repository handles.
    let chunk = ids.len().div_ceil(rayon::current_num_threads() * 4).max(1);
    let chunks: Vec<Vec<Record>> = ids
        .par_chunks(chunk)
        .map(|ids| {
            let repo = Repository::open(&gitdir)
                .map_err(|e| Error::git("opening the repository again", e))?;
            ids.iter()
                .map(|id| {
                    // Per record: a blob recurs within one agreement's
                    // history, and the parses are dropped with it.
                    let mut parses = store.map_or_else(Parses::default, Parses::with_store);
                    let mut record =
                        load_with(&repo, index, layout, id, signers, today, &mut parses)?;
                    record.keep_data(keep);
                    Ok(record)
                })
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<_>>()?;
    Ok(chunks.into_iter().flatten().collect())
}

/// Check the sign-offs of `id` present at the chain's tip and evaluate.
fn assemble(
    repo: &Repository,
    index: &Index,
    layout: &Layout,
    id: &str,
    history: History,
    signers: &AllowedSigners,
    today: NaiveDate,
) -> Result<Record> {
    let mut signoffs = Vec::new();
    let mut declines = Vec::new();
    for file in record_files(index, &layout.signoffs, id) {
        let landed = (file.time, file.position);
        if file.tip.mode == 0o120000 {
            let mut report = check_signoff(file.path, b"", landed, id, &history, signers);
            report.reason = Some("the sign-off is a symbolic link, not a file".to_owned());
            signoffs.push(report);
            continue;
        }
        let blob = repo
            .find_blob(file.tip.id)
            .map_err(|e| Error::git(format!("reading {}", file.path), e))?;
        if DeclineName::parse(file.name).is_some() {
            declines.push(crate::signoff::decline::judge(
                file.path,
                blob.content(),
                file.time,
                id,
                &history,
                signers,
            ));
            continue;
        }
        signoffs.push(check_signoff(
            file.path,
            blob.content(),
            landed,
            id,
            &history,
            signers,
        ));
    }
    let evaluation = judge(&history, &signoffs, &declines, today);
    Ok(Record {
        id: id.to_owned(),
        history,
        signoffs,
        evaluation,
        checkins: Vec::new(),
        declines,
    })
}

/// What the rules make of an agreement's history, valid sign-offs and
/// valid declines on `day`.
fn judge(
    history: &History,
    signoffs: &[SignoffReport],
    declines: &[DeclineReport],
    day: NaiveDate,
) -> Evaluation {
    let approvals = approvals_of(signoffs);
    let mut evaluation = evaluate(history, &approvals, day);
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
    evaluation
}

impl Record {
    /// What the rules make of this record on `day`, whatever day it was
    /// loaded for: a check-in reports on the version in force on its own
    /// date, which need not be today.
    pub fn evaluate_on(&self, day: NaiveDate) -> Evaluation {
        judge(&self.history, &self.signoffs, &self.declines, day)
    }
}

/// Judge the check-ins of `record` present at the chain's tip.
fn load_checkins(
    repo: &Repository,
    index: &Index,
    layout: &Layout,
    record: &Record,
    signers: &AllowedSigners,
) -> Result<Vec<CheckinReport>> {
    let mut out = Vec::new();
    for file in record_files(index, &layout.checkins, &record.id) {
        let bytes = if file.tip.mode == 0o120000 {
            Vec::new()
        } else {
            match repo.find_blob(file.tip.id) {
                Ok(blob) => blob.content().to_vec(),
                Err(_) => continue,
            }
        };
        out.push(crate::checkin::judge::judge(
            file.path,
            &bytes,
            file.time,
            &record.id,
            &record.history,
            &record.evaluation,
            signers,
        ));
    }
    Ok(out)
}

impl Record {
    /// Whether reports list the agreement: its file is at the tip, or a
    /// version of it is still in force (a removed agreement's last signed
    /// version governs until something replaces it). `status`, `report`
    /// and `check` list the same agreements.
    pub fn is_listed(&self) -> bool {
        self.history.current() != &crate::history::FileState::Absent
            || self.evaluation.in_force.is_some()
    }

    /// Release the plain data of every point but those `keep` names; the
    /// typed agreement and version id stay.
    pub fn keep_data(&mut self, keep: KeepData) {
        let points = &self.history.points;
        let last = points.len().checked_sub(1);
        let wanted: Vec<usize> = match keep {
            KeepData::Nothing => Vec::new(),
            KeepData::Range(start) => last
                .into_iter()
                .chain(points.iter().rposition(|p| p.position < start))
                .collect(),
        };
        for (i, point) in self.history.points.iter_mut().enumerate() {
            if !wanted.contains(&i) {
                if let crate::history::FileState::Present(parsed) = &mut point.state {
                    parsed.forget_data();
                }
            }
        }
    }

    /// The valid sign-offs credited to version `v`: those its signing
    /// counted, or, while it is not signed yet, every valid one naming its
    /// place on the chain (a party's signature waiting for the other's).
    /// What `show` lists as the version's signatures.
    pub fn credited_signoffs<'a>(
        &'a self,
        v: &'a crate::rules::VersionReport,
    ) -> impl Iterator<Item = &'a SignoffReport> + 'a {
        self.signoffs.iter().filter(move |s| {
            s.valid
                && (v.signoff_files.contains(&s.file) || (!v.signed && s.point == Some(v.point)))
        })
    }

    /// The valid sign-offs that name version `v` at its place on the chain,
    /// whether or not they count for it (one may amend the wrong version):
    /// what `verify` lists under the version, with
    /// [`Record::expected_amends`] to say which do not count.
    pub fn signoffs_naming<'a>(
        &'a self,
        v: &'a crate::rules::VersionReport,
    ) -> impl Iterator<Item = &'a SignoffReport> + 'a {
        let version = v.version.as_ref().map(|id| id.as_str());
        self.signoffs.iter().filter(move |s| {
            s.valid
                && version.is_some()
                && s.version.as_deref() == version
                && s.point == Some(v.point)
        })
    }

    /// For each version, the signed version before it: what a sign-off of
    /// that version must name in `amends` to count (`None` for the first
    /// signed one).
    pub fn expected_amends(&self) -> Vec<Option<crate::agreement::VersionId>> {
        let mut last_signed = None;
        self.evaluation
            .versions
            .iter()
            .map(|v| {
                let expected = last_signed.clone();
                if v.signed {
                    last_signed = v.version.clone();
                }
                expected
            })
            .collect()
    }

    /// Why sign-off `s`, naming a version whose previous signed version is
    /// `expected` (see [`Record::expected_amends`]), does not count: its
    /// `amends` names another version. The two `amends` texts (`none` for
    /// none), as the file has it and as it should be; `None` when it
    /// counts. `verify` and `show` both say so.
    pub fn amends_mismatch(
        s: &SignoffReport,
        expected: Option<&crate::agreement::VersionId>,
    ) -> Option<(String, String)> {
        let named = s.amends.as_deref().unwrap_or("none");
        let expected = expected.map_or("none", crate::agreement::VersionId::as_str);
        (named != expected).then(|| (named.to_owned(), expected.to_owned()))
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
    crate::signoff::message::format_signed_at(crate::history::utc(time))
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
    crate::revision::Tree::Commit(repo, commit).signers(layout)
}

/// Every record at a commit, with what they were read by.
pub struct AllAt {
    /// The records, in id order.
    pub records: Vec<Record>,
    /// The commit's settings, layout and trust root.
    pub inputs: crate::revision::Inputs,
    /// The clamped time of the commit (the chain's tip), the moment the
    /// records describe: `None` only for an empty chain.
    pub tip_time: Option<i64>,
}

/// Every record at `commit` (HEAD, in practice), read with that commit's
/// `charter.yaml` (where agreements and sign-offs live) and judged with its
/// trust root, with those inputs: what `status`, `report` and `calendar`
/// show. An uncommitted edit of `charter.yaml` changes none of it, as for
/// `verify`.
pub fn load_all_at(
    repo: &Repository,
    commit: &git2::Commit<'_>,
    today: NaiveDate,
) -> Result<AllAt> {
    let parses = ParseStore::open_in_background(repo);
    let inputs = crate::revision::Inputs::load(&crate::revision::Tree::Commit(repo, commit))?;
    let layout = &inputs.layout;
    let index = crate::history::store::open(repo, layout, commit.id(), Want::All, true)?;
    let tip_time = index.chain().commits.last().map(|c| c.time);
    let records = load_all_cached(repo, &index, layout, &inputs.signers, today, parses.wait())?;
    Ok(AllAt {
        records,
        inputs,
        tip_time,
    })
}

/// The record of one agreement as of a commit (HEAD, in practice), with
/// what it was read by: the history side of every command that acts on
/// one agreement (`sign`, `checkin`, `decline`, `conclude`, `withdraw`,
/// `amend`, `log`, `diff`, `show`).
pub struct RecordAt {
    /// The record, read with the commit's `charter.yaml` and judged with
    /// its trust root.
    pub record: Record,
    /// The index it was read from.
    pub index: Index,
    /// The commit's settings, layout and trust root.
    pub inputs: crate::revision::Inputs,
    /// The commit; `None` for a repository without commits yet.
    pub commit: Option<git2::Oid>,
}

impl RecordAt {
    /// The agreement's version at the commit: `None` when the file is
    /// absent there or is not plain data.
    pub fn version(&self) -> Option<&crate::agreement::VersionId> {
        self.record.history.current().version()
    }

    /// The clamped time of the commit (the chain's tip), which an
    /// uncommitted change lands no earlier than
    /// ([`crate::amendment::landing_time`]); `None` without commits.
    pub fn tip_time(&self) -> Option<i64> {
        self.index.chain().commits.last().map(|c| c.time)
    }

    /// The agreement file's bytes at the commit (at the commit's path for
    /// it), `None` when it is absent there or there is no commit.
    pub fn committed_text(&self, repo: &Repository) -> Result<Option<Vec<u8>>> {
        let Some(id) = self.commit else {
            return Ok(None);
        };
        let commit = repo
            .find_commit(id)
            .map_err(|e| crate::error::Error::git("reading the commit", e))?;
        crate::history::blob_at(repo, &commit, &self.record.history.path)
    }
}

/// Load the record of `id` as of HEAD, read with HEAD's `charter.yaml` and
/// judged with HEAD's trust root (see [`load_all_at`]). A repository
/// without commits is [`crate::error::Error::NoCommits`].
pub fn load_at_head(repo: &Repository, id: &str, today: NaiveDate) -> Result<RecordAt> {
    let head = crate::history::head_commit(repo)?;
    load_at(repo, &head, id, today, true)
}

/// Load the record of `id` as of `commit`, read with that commit's
/// `charter.yaml` and judged with its trust root, as `verify` reads a
/// revision; `save` stores the history index it extends (see
/// [`crate::history::store::open`]).
pub fn load_at(
    repo: &Repository,
    commit: &git2::Commit<'_>,
    id: &str,
    today: NaiveDate,
    save: bool,
) -> Result<RecordAt> {
    let inputs = crate::revision::Inputs::load(&crate::revision::Tree::Commit(repo, commit))?;
    let layout = &inputs.layout;
    let index =
        crate::history::store::open(repo, layout, commit.id(), Want::Agreements(&[id]), save)?;
    let record = load(repo, &index, layout, id, &inputs.signers, today)?;
    Ok(RecordAt {
        record,
        index,
        inputs,
        commit: Some(commit.id()),
    })
}

/// [`load_at_head`], or an empty record judged with no trust root when the
/// repository has no commits yet (`sign --no-commit` of a first version):
/// `layout` then names where the agreement will be.
pub fn load_at_head_or_empty(
    repo: &Repository,
    id: &str,
    today: NaiveDate,
    layout: &Layout,
) -> Result<RecordAt> {
    match load_at_head(repo, id, today) {
        Err(crate::error::Error::NoCommits) => {
            let roots = crate::history::index::roots_of_agreements(layout, [id]);
            let index = Index::empty(roots);
            let inputs = crate::revision::Inputs::none(layout.clone());
            let record = load(repo, &index, layout, id, &inputs.signers, today)?;
            Ok(RecordAt {
                record,
                index,
                inputs,
                commit: None,
            })
        }
        other => other,
    }
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
        let roots = crate::history::index::roots_of(&layout);
        let index = Index::build(&repo, head.id(), roots, &mut |_| {}).unwrap();
        let (signers, _) = signers_at(&repo, &head, &layout).unwrap();
        let all = load_all(&repo, &index, &layout, &signers, today, KeepData::Range(0)).unwrap();
        assert_eq!(all.len(), 3);
        let kept = |r: &Record| -> Vec<bool> {
            let data =
                |p: &crate::history::Version| p.state.parsed().and_then(|p| p.data()).cloned();
            r.history
                .points
                .iter()
                .map(|p| data(p).is_some_and(|d| !d.is_null()))
                .collect()
        };
        // The whole history's range keeps the newest point's data alone.
        let ada = &all[0];
        assert!(ada.history.points.len() > 2);
        let mut tip_only = vec![false; ada.history.points.len()];
        *tip_only.last_mut().unwrap() = true;
        assert_eq!(kept(ada), tip_only);
        // A range from the second point on also keeps the first (its base side).
        let mut ranged = load(&repo, &index, &layout, &ada.id, &signers, today).unwrap();
        ranged.keep_data(KeepData::Range(ranged.history.points[1].position));
        tip_only[0] = true;
        assert_eq!(kept(&ranged), tip_only);
        ranged.keep_data(KeepData::Nothing);
        assert!(kept(&ranged).iter().all(|k| !k));
        for record in &all {
            // A walk of this agreement's paths alone gives the same record.
            let roots = crate::history::index::roots_of_agreements(&layout, [record.id.as_str()]);
            let scoped = Index::build(&repo, head.id(), roots, &mut |_| {}).unwrap();
            let one = load(&repo, &scoped, &layout, &record.id, &signers, today).unwrap();
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
