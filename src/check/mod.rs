//! The CI gate (README, "The CI gate"): findings for the files at head, sign-off
//! validity against the trust root, the append-only rule, the notice rule,
//! party changes, removals and suspicious commit times.
//!
//! With a base revision, the pull request is judged as it would land: one
//! commit on top of base whose tree is base's with every path the pull
//! request changed taken from head, landing at `max(base time, today)`; the
//! trust root and the settings come from base, so a pull request can neither
//! vouch for itself nor relax its own gate.

mod landing;
mod layout;
mod programme;
mod tree_files;
mod trust_root;
mod unsigned;

use chrono::NaiveDate;
use git2::{Oid, Repository};

use crate::error::{Error, Result};
use crate::finding::Sources;
use crate::finding::{Finding, Summary};
use crate::history::store::Want;
use crate::history::{blob_at, resolve_commit, Index};
use crate::record::{load_all, KeepData, Record};
use crate::report::AgreementSummary;
use crate::yaml::Segment;

/// What to judge.
#[derive(Debug, Clone)]
pub struct Options {
    /// The pull request's base; without it the whole history is judged.
    pub base: Option<String>,
    /// The revision judged (default HEAD).
    pub head: Option<String>,
    /// The day of judgement.
    pub today: NaiveDate,
    /// The current time (seconds), to spot commits from the future.
    pub now: i64,
    /// Whether warnings count as errors (`--deny-warnings`), applied with
    /// the repository's lint settings.
    pub deny_warnings: bool,
}

/// An agreement the pull request (or history) changes, for reports that show diffs.
#[derive(Debug, Clone)]
pub struct Changed {
    /// The agreement id.
    pub id: String,
    /// Its data before (at base, or its first version), when it existed.
    pub from: Option<serde_json::Value>,
    /// Its data after, when it still exists and parses.
    pub to: Option<serde_json::Value>,
}

/// Everything `check` found.
#[derive(Debug, Clone)]
pub struct Report {
    /// All findings after settings and the accept list.
    pub findings: Vec<Finding>,
    /// The state of every agreement at head.
    pub agreements: Vec<AgreementSummary>,
    /// Agreements changed in the range, with their data on both sides.
    pub changed: Vec<Changed>,
    /// Whether the range starts at a base (a pull request) rather than at
    /// the root: without one, "changed" means "has a history", not "new".
    pub since_base: bool,
    /// File texts at head, for showing offending lines.
    pub sources: Sources,
    /// The commit whose tree was judged: head, or for a pull request the
    /// merge of head into base that charter made in memory (readable
    /// through the same repository handle only).
    pub judged: git2::Oid,
}

/// The stable JSON of `check --format json`, an owned document that reads
/// back ([`crate::json::Check`]).
pub type ReportJson = crate::json::Check;

impl Report {
    /// The JSON form.
    pub fn json(&self) -> ReportJson {
        ReportJson {
            findings: self.findings.clone(),
            agreements: self.agreements.clone(),
            summary: Summary::of(&self.findings),
        }
    }
}

/// Refuse to judge a revision with nothing of charter's: neither head nor
/// base holds `charter.yaml` or the default layout's directories or trust
/// root (with `charter.yaml` the file itself marks the repository).
fn refuse_outside_a_charter_repository(
    repo: &Repository,
    head: &git2::Commit<'_>,
    base: Option<&git2::Commit<'_>>,
    opts: &Options,
) -> Result<()> {
    let layout = crate::settings::Layout::default();
    let marked = |commit: &git2::Commit<'_>| {
        crate::revision::Tree::Commit(repo, commit).is_charter_repository(&layout)
    };
    if marked(head)? || base.map(marked).transpose()?.unwrap_or(false) {
        return Ok(());
    }
    Err(Error::NotCharter {
        place: format!("at {}", opts.head.as_deref().unwrap_or("HEAD")),
        markers: layout.markers(),
    })
}

/// Run the checks.
pub fn check(repo: &Repository, opts: &Options) -> Result<Report> {
    let head = match opts.head.as_deref() {
        Some(rev) => resolve_commit(repo, rev)?,
        // An empty repository says so rather than "unknown revision HEAD".
        None => crate::history::head_commit(repo)?,
    };
    let base = opts
        .base
        .as_deref()
        .map(|b| resolve_commit(repo, b))
        .transpose()?;
    refuse_outside_a_charter_repository(repo, &head, base.as_ref(), opts)?;

    // Settings and trust root: from base in a pull request, else from head.
    let trusted = base.as_ref().unwrap_or(&head);
    let inputs = crate::revision::Inputs::load(&crate::revision::Tree::Commit(repo, trusted))?;
    let has_trust_root = inputs.has_trust_root();
    let crate::revision::Inputs {
        settings,
        settings_findings,
        layout,
        signers,
        signer_diagnostics: diagnostics,
        ..
    } = inputs;

    let mut findings = Vec::new();
    let mut sources = Sources::new();
    let mut landed_commit = None;
    let (tip_id, pr_commits) = match &base {
        Some(base) => {
            let landed = landing::land(repo, base, &head, opts.today, &mut findings)?;
            landed_commit = Some(landed.commit.to_string());
            (landed.commit, landed.pr_commits)
        }
        None => (head.id(), Vec::new()),
    };
    let tip = repo
        .find_commit(tip_id)
        .map_err(|e| Error::git("reading the judged tip", e))?;

    // 1. The files at head (as landed).
    findings.extend(settings_findings);
    for d in diagnostics {
        let mut f = Finding::new(
            crate::finding::Rule::AllowedSigners,
            &layout.allowed_signers,
            d.message,
        )
        .at(crate::yaml::Pos {
            line: d.line,
            column: 1,
        });
        if d.severity == crate::signoff::Severity::Warning {
            f.severity = crate::finding::Severity::Warning;
        }
        findings.push(f);
    }
    // What head says about how to judge (it applies once merged), read by
    // the one loader of a revision's inputs.
    let tip_tree = crate::revision::Tree::Commit(repo, &tip);
    if base.is_some() {
        // The head's own settings must still be valid for the next pull request.
        findings.extend(tip_tree.settings()?.1);
    }
    // In a pull request only the agreements it touches can change their
    // state or findings; judging just those keeps the cost with the pull
    // request, not with the size of the repository. A change to the trust
    // root, or to where the records are read from, can affect every
    // sign-off, so then everything is judged.
    let new_layout = match &base {
        // The layout head's charter.yaml sets: it applies once merged.
        Some(_) => tip_tree.layout()?,
        None => layout.clone(),
    };
    let touched = match &base {
        Some(base) => {
            let trust_changed = blob_at(repo, base, &layout.allowed_signers)?
                != blob_at(repo, &tip, &layout.allowed_signers)?
                || new_layout != layout;
            (!trust_changed)
                .then(|| touched_ids(repo, base, &tip, &layout))
                .transpose()?
        }
        None => None,
    };
    let known = has_trust_root.then_some(&signers);
    tree_files::validate(
        repo,
        &tip,
        &layout,
        known,
        touched.as_ref(),
        &mut findings,
        &mut sources,
    )?;
    // A pull request that changes a template can make every agreement
    // made from it drift, touched or not.
    let templates_changed = match &base {
        Some(base) => {
            let dir = settings.templates_dir();
            let at = |c: &git2::Commit<'_>| -> Result<Option<Oid>> {
                let tree = c.tree().map_err(|e| Error::git("reading a tree", e))?;
                crate::history::entry_id(&tree, &dir)
            };
            at(base)? != at(&tip)?
        }
        None => false,
    };
    programme::validate(
        repo,
        &tip,
        &settings,
        touched.as_ref().filter(|_| !templates_changed),
        &mut findings,
        &mut sources,
    )?;

    // 2-4. Sign-offs, append-only, notice, party changes, removals. The
    // history comes from the index: in a pull request, base's history (as
    // stored, or just the touched agreements' paths) plus the landed commit.
    let mut touched_sorted: Vec<&str> = touched.iter().flatten().map(String::as_str).collect();
    touched_sorted.sort_unstable();
    let want = match &touched {
        Some(_) => Want::Agreements(&touched_sorted),
        None => Want::All,
    };
    let (index, range_start) = match &base {
        Some(base) => {
            let mut index = crate::history::store::open(repo, &layout, base.id(), want, true)?;
            index.extend(repo, tip_id, &mut |_| {})?;
            let start = index.chain().commits.len().saturating_sub(1);
            (index, start)
        }
        None => (
            crate::history::store::open(repo, &layout, head.id(), want, true)?,
            0,
        ),
    };
    let records = match &touched {
        Some(_) => touched_sorted
            .iter()
            .map(|id| crate::record::load(repo, &index, &layout, id, &signers, opts.today))
            .collect::<Result<Vec<_>>>()?,
        None => load_all(
            repo,
            &index,
            &layout,
            &signers,
            opts.today,
            KeepData::Range(range_start),
        )?,
    };
    for record in &records {
        record_findings(repo, record, &layout, range_start, &mut findings);
    }
    for kind in [&Modified::SIGNOFF, &Modified::CHECKIN] {
        let dir = kind.dir(&layout);
        match &base {
            Some(base) => append_only_pr(repo, base, &tip, dir, kind, &mut findings)?,
            None => append_only(&index, dir, kind, &mut findings),
        }
    }
    if let Some(base) = &base {
        // Only what the pull request touches must be signed before it lands.
        let in_pr = match &touched {
            Some(ids) => ids.clone(),
            None => touched_ids(repo, base, &tip, &layout)?,
        };
        for record in records.iter().filter(|r| in_pr.contains(&r.id)) {
            unsigned::check(repo, record, settings.gate_unsigned(), &mut findings);
        }
    }
    if base.is_some() {
        let (new, _) = tip_tree.signers(&layout)?;
        let change = trust_root::Change {
            old_file: &layout.allowed_signers,
            old: &signers,
            new_file: &layout.allowed_signers,
            new: &new,
            commit: None,
        };
        trust_root::findings(&change, &records, &mut findings);
        let moved = layout::Move {
            old: &layout,
            new: &new_layout,
            old_signers: &signers,
            after: &tip,
            commit: None,
        };
        layout::findings(repo, &moved, &records, &mut findings)?;
    } else {
        layout_moves(repo, &index, opts.today, &mut findings)?;
    }

    // 5. Commit times: the pull request's own commits, or the whole chain.
    match &base {
        Some(_) => suspicious_times(repo, &pr_commits, opts.now, &mut findings)?,
        None => suspicious_chain_times(&index, opts.now, &mut findings),
    }

    // The accept list, then lint settings.
    let accepted = settings.accept.clone().unwrap_or_default();
    findings.retain(|f| {
        !accepted
            .iter()
            .any(|a| a.rule == f.rule.name() && f.commit.as_deref() == Some(a.commit.as_str()))
    });
    let mut findings = settings.adjust(findings, opts.deny_warnings);
    dedupe(&mut findings);

    let mut agreements: Vec<AgreementSummary> = records
        .iter()
        .filter(|r| r.is_listed())
        .map(AgreementSummary::of)
        .collect();
    // The records' data moves into the report: on a large repository two
    // copies of every agreement would decide the peak memory.
    drop(index);
    let changed = changed_agreements(records, range_start);
    // The landed commit exists only in memory: name the pull request's head.
    if let Some(landed) = landed_commit {
        let head_id = head.id().to_string();
        for f in &mut findings {
            if f.commit.as_deref() == Some(landed.as_str()) {
                f.commit = Some(head_id.clone());
            }
            // Messages name commits by their full id or its first 12 digits.
            for text in std::iter::once(&mut f.message).chain(f.hint.as_mut()) {
                if text.contains(&landed[..12]) {
                    *text = text
                        .replace(landed.as_str(), &head_id)
                        .replace(&landed[..12], &head_id[..12]);
                }
            }
        }
        for a in &mut agreements {
            for v in a.in_force.iter_mut().chain(a.scheduled.iter_mut()) {
                if v.commit == landed {
                    v.commit = head_id.clone();
                }
            }
        }
    }
    Ok(Report {
        findings,
        agreements,
        changed,
        since_base: base.is_some(),
        sources,
        judged: tip_id,
    })
}

/// What a SARIF writer knows about the repository beyond the report: for a
/// finding about a commit with no file, a file that commit changed.
#[derive(Debug, Default, Clone)]
pub struct Places {
    /// Commit id → a path the commit changed.
    pub commit_files: std::collections::HashMap<String, String>,
}

/// What SARIF needs beyond the report to place every result: the text of
/// each file a finding names and `check` did not keep, from the tree that
/// was judged (added to `report.sources`), and for a finding about a
/// commit with no file, a file that commit changed. `repo` must be the
/// handle `check` judged with. Findings on the trust inputs of a pull
/// request (`allowed_signers`, `charter.yaml`) come from base; when the
/// pull request edits those files too, their text here is the judged one.
/// Best effort: what cannot be read is placed at line 1 or in the
/// settings file.
pub fn sarif_places(repo: &Repository, report: &mut Report) -> Places {
    let mut places = Places::default();
    let judged = repo.find_commit(report.judged).ok();
    for f in &report.findings {
        if !f.file.is_empty() && !report.sources.contains_key(&f.file) {
            let text = judged
                .as_ref()
                .and_then(|c| crate::history::blob_at(repo, c, &f.file).ok().flatten());
            if let Some(text) = text {
                report
                    .sources
                    .insert(f.file.clone(), String::from_utf8_lossy(&text).into_owned());
            }
        }
        if let (true, Some(commit)) = (f.file.is_empty(), &f.commit) {
            if let Some(path) = first_changed_path(repo, commit) {
                places.commit_files.insert(commit.clone(), path);
            }
        }
    }
    places
}

/// The first path (in git's order) that a commit changed against its first parent.
fn first_changed_path(repo: &Repository, commit: &str) -> Option<String> {
    let commit = repo.find_commit(git2::Oid::from_str(commit).ok()?).ok()?;
    let tree = commit.tree().ok()?;
    let parent = commit.parent(0).ok().and_then(|p| p.tree().ok());
    let diff = repo
        .diff_tree_to_tree(parent.as_ref(), Some(&tree), None)
        .ok()?;
    let delta = diff.deltas().next()?;
    let path = delta
        .new_file()
        .path()
        .or_else(|| delta.old_file().path())?;
    Some(path.to_str()?.to_owned())
}

/// Agreement ids whose file or sign-offs differ between two commits.
fn touched_ids(
    repo: &Repository,
    base: &git2::Commit<'_>,
    tip: &git2::Commit<'_>,
    layout: &crate::settings::Layout,
) -> Result<std::collections::HashSet<String>> {
    let (old, new) = (
        base.tree().map_err(|e| Error::git("reading base", e))?,
        tip.tree().map_err(|e| Error::git("reading head", e))?,
    );
    let diff = repo
        .diff_tree_to_tree(Some(&old), Some(&new), None)
        .map_err(|e| Error::git("comparing base and head", e))?;
    let mut ids = std::collections::HashSet::new();
    for delta in diff.deltas() {
        for file in [delta.old_file(), delta.new_file()] {
            let Some(path) = file.path().and_then(|p| p.to_str()) else {
                continue;
            };
            if let Some(rest) = path.strip_prefix(&format!("{}/", layout.agreements)) {
                if let Some(id) = rest.strip_suffix(".yaml").filter(|id| !id.contains('/')) {
                    ids.insert(id.to_owned());
                }
            } else if let Some(rest) = path
                .strip_prefix(&format!("{}/", layout.signoffs))
                .or_else(|| path.strip_prefix(&format!("{}/", layout.checkins)))
            {
                if let Some((id, _)) = rest.split_once('/') {
                    ids.insert(id.to_owned());
                }
            }
        }
    }
    Ok(ids)
}

/// Drop repeated findings (the same rule about the same place), e.g. a
/// malformed sign-off seen both by validation and by verification.
fn dedupe(findings: &mut Vec<Finding>) {
    let mut seen = std::collections::HashSet::new();
    findings.retain(|f| {
        let rule = if f.rule == crate::finding::Rule::InvalidSignoff {
            "signoff"
        } else {
            f.rule.name()
        };
        // Two different messages at one place are two findings (a line of
        // allowed_signers removed and one added at the same number).
        let key = (
            rule.to_owned(),
            f.file.clone(),
            f.line,
            f.commit.clone(),
            f.message.clone(),
        );
        let key = if rule == "signoff"
            || f.rule == crate::checkin::file::RULE
            || f.rule == crate::signoff::decline::RULE
        {
            (key.0, key.1, None, None, String::new())
        } else {
            key
        };
        seen.insert(key)
    });
}

/// Findings from one agreement's record: invalid sign-offs, and the notice,
/// party-change and removal rules for points in the range.
fn record_findings(
    repo: &Repository,
    record: &Record,
    layout: &crate::settings::Layout,
    range_start: usize,
    findings: &mut Vec<Finding>,
) {
    for s in record.signoffs.iter().filter(|s| !s.valid) {
        findings.push(
            Finding::new(crate::finding::Rule::InvalidSignoff, &s.file, format!("sign-off is not valid: {}", s.reason.as_deref().unwrap_or("unknown reason")))
                .hint("a sign-off must verify against allowed_signers at the time it was committed; sign again with `charter sign`"),
        );
    }
    for d in record.declines.iter().filter(|d| !d.valid) {
        let mut f = Finding::new(
            crate::signoff::decline::RULE,
            &d.file,
            format!(
                "decline is not valid: {}",
                d.problem.as_deref().unwrap_or("unknown reason")
            ),
        )
        .hint("a decline must be signed by the party it names; record a new one with `charter decline`");
        if let Some(pos) = d.pos {
            f = f.at(pos);
        }
        findings.push(f);
    }
    for c in record.checkins.iter().filter(|c| !c.valid) {
        let mut f = Finding::new(
            crate::checkin::file::RULE,
            &c.file,
            format!(
                "check-in is not valid: {}",
                c.reason.as_deref().unwrap_or("unknown reason")
            ),
        )
        .hint("a check-in must be signed by a party of the version it reports on and fit that version; record a new one with `charter checkin`");
        if let Some(pos) = c.pos {
            f = f.at(pos);
        }
        findings.push(f);
    }
    let path = &record.history.path;
    let e = &record.evaluation;
    for v in &e.versions {
        if v.point < range_start_point(record, range_start) {
            continue;
        }
        let commit = v.commit.id.to_string();
        let node_pos = |segments: &[Segment<'_>]| position_in(repo, v.commit.id, path, segments);
        if let Some(n) = &v.notice {
            if !n.ok() && v.signed {
                let mut f = Finding::new(
                    crate::finding::Rule::NoticePeriod,
                    path,
                    format!(
                        "signed with effective {}, before the notice period ends on {}: renegotiation opened {} (commit {}) with a notice period of {}",
                        n.effective,
                        n.earliest_effective,
                        n.opened,
                        &n.opened_commit[..n.opened_commit.len().min(12)],
                        crate::plural::count(n.notice_days as usize, "day")
                    ),
                )
                .commit(commit.clone())
                .hint(format!(
                    "set `effective: {}` or later and sign again, or both parties waive the notice with `charter sign --waive-notice`; a reviewed past case can go in charter.yaml `accept`",
                    n.earliest_effective
                ));
                if let Some(pos) = node_pos(&[Segment::Key("effective")]) {
                    f = f.at(pos);
                }
                findings.push(f);
            } else if !n.ok() && e.pending.is_some_and(|p| e.versions[p].point == v.point) {
                let mut f = Finding::new(
                    crate::finding::Rule::NoticePending,
                    path,
                    format!(
                        "the pending amendment has effective {}, before the notice period ends; the earliest allowed date is {}",
                        n.effective, n.earliest_effective
                    ),
                )
                .commit(commit.clone())
                .hint(format!("set `effective: {}` or later, or both parties sign with --waive-notice", n.earliest_effective));
                if let Some(pos) = node_pos(&[Segment::Key("effective")]) {
                    f = f.at(pos);
                }
                findings.push(f);
            }
        }
        if !v.signed && v.signed_by.len() == 2 && party_change(record, v.point).is_none() {
            findings.push(
                Finding::new(
                    crate::finding::Rule::SameKey,
                    path,
                    "mentor and mentee signed this version with the same key, so it is not signed".to_owned(),
                )
                .commit(commit.clone())
                .hint("each party signs with their own key; the one whose key was used by the other signs again"),
            );
        }
        if !v.signed && v.signed_by.len() == 2 {
            if let Some(change) = party_change(record, v.point) {
                let mut f = Finding::new(crate::finding::Rule::PartyChange, path, change.0)
                    .commit(commit.clone())
                    .hint("a replaced party must agree: they sign this version too, with their own key");
                if let Some(pos) = node_pos(&[
                    Segment::Key("parties"),
                    Segment::Key(change.1),
                    Segment::Key("email"),
                ]) {
                    f = f.at(pos);
                }
                findings.push(f);
            }
        }
    }
    // Nothing may change after a signed concluding version.
    if let Some(end) = e.versions.iter().find(|v| v.signed && v.concluding) {
        for v in e
            .versions
            .iter()
            .filter(|v| v.point > end.point && v.point >= range_start_point(record, range_start))
        {
            findings.push(
                Finding::new(
                    crate::finding::Rule::ConcludedChanged,
                    path,
                    format!(
                        "the agreement was concluded (signed {}) and changed afterwards",
                        end.signed_date.map_or_else(String::new, |d| d.to_string())
                    ),
                )
                .commit(v.commit.id.to_string())
                .hint("a concluded agreement is a closed record; start a new agreement with its own id instead"),
            );
        }
    }
    // Removal: the file is gone at the tip after a signed version, unless concluded.
    if let Some(last) = record.history.points.last() {
        let removed =
            last.state == crate::history::FileState::Absent && last.position >= range_start;
        let concluded = e.in_force.is_some_and(|i| e.versions[i].concluding);
        if removed && e.versions.iter().any(|v| v.signed) && !concluded {
            findings.push(
                Finding::new(
                    crate::finding::Rule::AgreementRemoved,
                    path,
                    format!("{path} has a signed version and was deleted or renamed without concluding"),
                )
                .commit(last.commit.id.to_string())
                .hint(format!(
                    "restore {path}; to end the mentorship, add `concluded: {{date, note}}` and sign; keep the id (files in {}/ refer to it)",
                    layout.signoffs
                )),
            );
        }
    }
}

/// The first history point at or after chain position `range_start`.
fn range_start_point(record: &Record, range_start: usize) -> usize {
    record
        .history
        .points
        .iter()
        .position(|p| p.position >= range_start)
        .unwrap_or(record.history.points.len())
}

/// Where a key sits in the file as committed in `commit` (read again: only
/// findings need positions, and they are few).
fn position_in(
    repo: &Repository,
    commit: Oid,
    path: &str,
    segments: &[Segment<'_>],
) -> Option<crate::yaml::Pos> {
    let commit = repo.find_commit(commit).ok()?;
    let bytes = blob_at(repo, &commit, path).ok()??;
    let node = crate::document::parse(path, &bytes).ok()?;
    Some(node.locate(segments.iter().copied()))
}

/// A description of a party change at `point` versus the previous signed version.
fn party_change(record: &Record, point: usize) -> Option<(String, &'static str)> {
    crate::not_signed::party_change(record, point).map(|c| (c.message(), c.role.as_str()))
}

/// The finding of a changed or deleted record file, per kind of record.
struct Modified {
    /// Which directory of the layout holds these records.
    checkins: bool,
    rule: crate::finding::Rule,
    what: &'static str,
    hint: &'static str,
}

impl Modified {
    const SIGNOFF: Modified = Modified {
        checkins: false,
        rule: crate::finding::Rule::SignoffModified,
        what: "a sign-off file was {what}; sign-offs are append-only",
        hint:
            "restore the file as it was; to replace a sign-off, add a new one with `charter sign`",
    };
    const CHECKIN: Modified = Modified {
        checkins: true,
        rule: crate::finding::Rule::CheckinModified,
        what: "a check-in file was {what}; check-ins are append-only",
        hint: "restore the file as it was; to correct a check-in, add a new one with `charter checkin`",
    };
}

impl Modified {
    fn dir<'a>(&self, layout: &'a crate::settings::Layout) -> &'a str {
        if self.checkins {
            &layout.checkins
        } else {
            &layout.signoffs
        }
    }

    fn finding(&self, path: &str, what: &str, commit: Oid) -> Finding {
        Finding::new(self.rule, path, self.what.replace("{what}", what))
            .commit(commit.to_string())
            .hint(self.hint)
    }
}

/// Record files under `dir` (sign-offs, check-ins) are only ever added:
/// every change to a file that existed, along the whole chain.
fn append_only(index: &Index, dir: &str, kind: &Modified, findings: &mut Vec<Finding>) {
    let mut found: Vec<(usize, Finding)> = Vec::new();
    for (path, changes) in index.files_below(dir) {
        for pair in changes.windows(2) {
            if pair[0].entry.is_none() {
                continue;
            }
            let what = if pair[1].entry.is_none() {
                "deleted"
            } else {
                "changed"
            };
            let commit = index.commits()[pair[1].position].id;
            found.push((pair[1].position, kind.finding(path, what, commit)));
        }
    }
    found.sort_by_key(|(position, _)| *position);
    findings.extend(found.into_iter().map(|(_, f)| f));
}

/// The append-only rule for a pull request: what the landed commit changes
/// or deletes under `dir` relative to base.
fn append_only_pr(
    repo: &Repository,
    base: &git2::Commit<'_>,
    tip: &git2::Commit<'_>,
    dir: &str,
    kind: &Modified,
    findings: &mut Vec<Finding>,
) -> Result<()> {
    let subtree = |commit: &git2::Commit<'_>| -> Result<Option<git2::Tree<'_>>> {
        let tree = commit.tree().map_err(|e| Error::git("reading a tree", e))?;
        crate::history::entry_at(&tree, dir)?
            .filter(|e| e.kind() == Some(git2::ObjectType::Tree))
            .map(|e| crate::history::tree_of(repo, e.id(), dir))
            .transpose()
    };
    let (old, new) = (subtree(base)?, subtree(tip)?);
    if old.is_none() {
        return Ok(());
    }
    for change in crate::history::tree_diff::changes(repo, old.as_ref(), new.as_ref(), 4)? {
        let what = match (&change.old, &change.new) {
            (None, _) => continue,
            (Some(_), None) => "deleted",
            _ => "changed",
        };
        findings.push(kind.finding(&format!("{dir}/{}", change.path), what, tip.id()));
    }
    Ok(())
}

/// Every change of layout along the chain (whole-history check), judged
/// against the records as they were read before it.
fn layout_moves(
    repo: &Repository,
    index: &Index,
    today: NaiveDate,
    findings: &mut Vec<Finding>,
) -> Result<()> {
    let settings_root = index
        .roots()
        .iter()
        .position(|r| r.path == crate::settings::FILE)
        .expect("a whole-repository index follows the settings file");
    let commits = index.commits();
    let mut last: Option<(Option<Oid>, crate::settings::Layout)> = None;
    for (i, c) in commits.iter().enumerate() {
        let blob = c.roots[settings_root].map(|e| e.id);
        if let Some((last_blob, _)) = &last {
            if blob == *last_blob {
                continue;
            }
        }
        let commit = repo
            .find_commit(c.id)
            .map_err(|e| Error::git(format!("reading commit {}", c.id), e))?;
        let new = layout::layout_at(repo, &commit)?;
        let Some((_, old)) = &last else {
            last = Some((blob, new));
            continue;
        };
        if new != *old {
            let parent = repo
                .find_commit(commits[i - 1].id)
                .map_err(|e| Error::git("reading a commit", e))?;
            let roots = crate::history::index::roots_of(old);
            let before = Index::build(repo, parent.id(), roots, &mut |_| {})?;
            let (old_signers, _) = crate::record::signers_at(repo, &parent, old)?;
            let records = load_all(repo, &before, old, &old_signers, today, KeepData::Range(0))?;
            let moved = layout::Move {
                old,
                new: &new,
                old_signers: &old_signers,
                after: &commit,
                commit: Some(c.id.to_string()),
            };
            layout::findings(repo, &moved, &records, findings)?;
        }
        last = Some((blob, new));
    }
    Ok(())
}

/// `suspicious-time` along the whole chain, from the index alone: commits
/// from the future, older than their first parent or than a commit they
/// merge, or moved more than a day by clamping.
fn suspicious_chain_times(index: &Index, now: i64, findings: &mut Vec<Finding>) {
    let mut previous: Option<i64> = None;
    for (c, at) in index.commits().iter().zip(&index.chain().commits) {
        let merged = c.merged.filter(|(_, t)| *t > c.raw_time + DAY);
        let clamped = (at.time - c.raw_time > DAY).then_some(at.time);
        let problem = time_problem(c.raw_time, now, previous, merged, clamped);
        previous = Some(c.raw_time);
        if let Some(problem) = problem {
            findings.push(time_finding(c.id, problem));
        }
    }
}

const DAY: i64 = 24 * 60 * 60;

/// The most telling reason a commit time is suspicious, if any.
fn time_problem(
    time: i64,
    now: i64,
    parent: Option<i64>,
    merged_later: Option<(Oid, i64)>,
    clamped_to: Option<i64>,
) -> Option<String> {
    if time > now + 300 {
        Some("its committer time is in the future; dates computed from it may be wrong".to_owned())
    } else if parent.is_some_and(|p| time < p) {
        Some(
            "its committer time is earlier than its parent's, so the parent's time was used"
                .to_owned(),
        )
    } else if let Some((merged, _)) = merged_later {
        Some(format!(
            "its committer time is more than a day earlier than that of {}, which it merges; a branch made this way and fast-forwarded steps around the previous tip, so its commits can look older than they are (see SECURITY.md on branch protection)",
            &merged.to_string()[..12]
        ))
    } else {
        clamped_to.map(|at| {
            format!(
                "its committer time is {} days earlier than the commit before it on the first-parent chain, so charter counts it at {}",
                (at - time) / DAY,
                crate::history::utc(at).format("%Y-%m-%d %H:%M:%S UTC")
            )
        })
    }
}

fn time_finding(id: Oid, problem: String) -> Finding {
    Finding::new(
        crate::finding::Rule::SuspiciousTime,
        "",
        format!("commit {}: {problem}", &id.to_string()[..12]),
    )
    .commit(id.to_string())
    .hint("check the committer's clock; charter never lets a commit look older than its parent")
}

/// `suspicious-time` for a pull request's own commits: from the future,
/// older than their parent or than a commit they merge.
fn suspicious_times(
    repo: &Repository,
    commits: &[Oid],
    now: i64,
    findings: &mut Vec<Finding>,
) -> Result<()> {
    for id in commits {
        let commit = repo
            .find_commit(*id)
            .map_err(|e| Error::git("reading a commit", e))?;
        let time = commit.committer().when().seconds();
        let mut parents = Vec::new();
        for i in 0..commit.parent_count() {
            let parent = commit
                .parent(i)
                .map_err(|e| Error::git(format!("reading a parent of commit {id}"), e))?;
            parents.push((parent.id(), parent.committer().when().seconds()));
        }
        let merged_later = parents
            .iter()
            .skip(1)
            .filter(|(_, t)| *t > time + DAY)
            .max_by_key(|(_, t)| *t)
            .copied();
        let parent = parents.first().map(|(_, t)| *t);
        if let Some(problem) = time_problem(time, now, parent, merged_later, None) {
            findings.push(time_finding(*id, problem));
        }
    }
    Ok(())
}

/// Agreements whose data changed in the range, with both sides, taken
/// out of the records (which are spent).
fn changed_agreements(records: Vec<Record>, range_start: usize) -> Vec<Changed> {
    records
        .into_iter()
        .filter_map(|mut r| {
            let points = &mut r.history.points;
            let first_in = points.iter().position(|p| p.position >= range_start)?;
            let last = points.len() - 1;
            let mut data = |i: usize| match &mut points[i].state {
                crate::history::FileState::Present(parsed) => parsed.take_data(),
                crate::history::FileState::Absent => None,
            };
            let to = data(last);
            let from = first_in.checked_sub(1).and_then(&mut data);
            (from != to).then_some(Changed { id: r.id, from, to })
        })
        .collect()
}
