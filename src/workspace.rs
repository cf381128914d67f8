//! The working tree of a repository of agreements: finding it, reading its
//! files safely, and validating what is there.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::agreement::lint::{self, Context};
use crate::document::MAX_FILE_BYTES;
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::render::findings::Sources;
use crate::revision::EntryKind;
use crate::revision::{Inputs, Tree};
use crate::settings::{self, Layout, Settings};
use crate::signoff::{AllowedSigners, SignoffFile};

/// A repository (or, outside git, a plain directory) holding agreements.
pub struct Workspace {
    /// The top of the working tree.
    pub root: PathBuf,
    /// The git repository, when there is one.
    pub repo: Option<git2::Repository>,
    /// `charter.yaml`, or defaults.
    pub settings: Settings,
    /// Problems with `charter.yaml` itself.
    pub settings_findings: Vec<Finding>,
    /// Where things live.
    pub layout: Layout,
    /// The trust root and its problems, as read with the settings.
    trust: Trust,
}

/// The working tree's trust root, read once with the settings.
struct Trust {
    /// The parsed file; `None` when it is absent or unreadable.
    signers: Option<AllowedSigners>,
    /// Problems with its lines.
    diagnostics: Vec<crate::signoff::Diagnostic>,
    /// Why it could not be read.
    unreadable: Option<Finding>,
}

/// An agreement file as [`Workspace::judge_agreement`] judged it.
#[derive(Debug, Clone)]
pub struct Judged {
    /// What the file holds.
    pub parsed: lint::Parsed,
    /// Its findings, after the lint settings.
    pub findings: Vec<Finding>,
    /// Whether it may be signed or amended.
    pub actionable: bool,
}

impl Judged {
    /// The findings that stop it being signed or amended.
    pub fn errors(&self) -> Vec<Finding> {
        let error = |f: &&Finding| f.severity == crate::finding::Severity::Error;
        self.findings.iter().filter(error).cloned().collect()
    }
}

/// An agreement file judged with `settings` (its lint settings applied): it
/// may be signed or amended only when it is a valid agreement with no error
/// left. `sign` and `amend` judge the working tree's file with the working
/// tree's settings; `status` judges a committed file with its commit's.
pub fn judge(rel: &str, bytes: &[u8], settings: &Settings) -> Judged {
    let (parsed, findings) = lint::check(rel, bytes, &Context::default());
    let findings = settings.adjust(findings, false);
    let actionable = matches!(parsed, lint::Parsed::Valid { .. })
        && !findings
            .iter()
            .any(|f| f.severity == crate::finding::Severity::Error);
    Judged {
        parsed,
        findings,
        actionable,
    }
}

impl Workspace {
    /// Find the repository the way git does, upward from `dir`. Outside a
    /// repository, `dir` itself is taken as the root.
    pub fn discover(dir: &Path) -> Result<Workspace> {
        let (root, repo) = match git2::Repository::discover(dir) {
            Ok(repo) => match repo.workdir() {
                Some(w) => (w.to_path_buf(), Some(repo)),
                None => {
                    return Err(Error::Bare {
                        path: repo.path().to_path_buf(),
                    })
                }
            },
            Err(e) if e.code() == git2::ErrorCode::NotFound => (dir.to_path_buf(), None),
            Err(e) => {
                return Err(Error::git(
                    format!("opening the repository at {}", dir.display()),
                    e,
                ))
            }
        };
        let root = root.canonicalize().map_err(|e| Error::io(&root, e))?;
        let inputs = Inputs::load(&Tree::Working(&root))?;
        let trust = Trust {
            signers: inputs.has_trust_root().then_some(inputs.signers),
            diagnostics: inputs.signer_diagnostics,
            unreadable: inputs.signers_unreadable,
        };
        Ok(Workspace {
            root,
            repo,
            settings: inputs.settings,
            settings_findings: inputs.settings_findings,
            layout: inputs.layout,
            trust,
        })
    }

    /// Read a repository-relative file, refusing symlinks, non-files and
    /// oversized files. `Ok(None)` when the file does not exist.
    pub fn read(&self, rel: &str) -> Result<Option<Vec<u8>>, Box<Finding>> {
        read_file(&self.root, rel)
    }

    /// Repository-relative paths of the agreement files in the working tree.
    pub fn agreement_files(&self) -> Result<Vec<String>> {
        Tree::Working(&self.root).agreement_files(&self.layout)
    }

    /// An agreement file judged as `sign` and `amend` judge it before they
    /// act: linted, with this repository's lint settings applied. It may be
    /// signed or amended only when it is a valid agreement with no error
    /// left; the findings say why not.
    pub fn judge_agreement(&self, rel: &str, bytes: &[u8]) -> Judged {
        judge(rel, bytes, &self.settings)
    }

    /// Validate the given repository-relative paths (all charter files when empty).
    pub fn validate(&self, paths: &[String]) -> Result<(Vec<Finding>, Sources)> {
        let mut targets = Vec::new();
        let mut findings = Vec::new();
        if paths.is_empty() {
            findings.extend(self.settings_findings.iter().cloned());
            targets.extend(self.agreement_files()?);
        } else {
            for p in paths {
                if p == settings::FILE {
                    findings.extend(self.settings_findings.iter().cloned());
                } else if self.root.join(p).is_dir() {
                    targets.extend(list_dir(&self.root, p)?);
                } else {
                    targets.push(p.clone());
                }
            }
        }
        let mut sources = Sources::new();
        let signers = self.trust_root(&mut findings, paths.is_empty());
        let known = |email: &str| {
            signers
                .as_ref()
                .is_some_and(|s| s.principal_matches_any(email))
        };
        let ctx = Context {
            is_known_signer: signers.as_ref().map(|_| &known as &dyn Fn(&str) -> bool),
        };
        if paths.is_empty() {
            targets.extend(self.signoff_files()?);
            targets.extend(self.checkin_files()?);
        }
        for file in targets {
            if self.is_checkin_path(&file) {
                match self.read(&file) {
                    Ok(Some(bytes)) => {
                        findings.extend(crate::checkin::form_findings(&file, &bytes))
                    }
                    Ok(None) => {}
                    Err(f) => findings.push(*f),
                }
                continue;
            }
            if self.is_signoff_path(&file) {
                match self.read(&file) {
                    Ok(Some(bytes)) => findings.extend(check_signoff_file(&file, &bytes)),
                    Ok(None) => {}
                    Err(f) => findings.push(*f),
                }
                continue;
            }
            let bytes = match self.read(&file) {
                Ok(Some(bytes)) => bytes,
                Ok(None) => {
                    return Err(Error::other(
                        format!("{file}: no such file"),
                        Some("give the path of an agreement, or no path to validate them all"),
                    ))
                }
                Err(f) => {
                    findings.push(*f);
                    continue;
                }
            };
            let (_, mut found) = lint::check(&file, &bytes, &ctx);
            if let Some(policy) = &self.settings.policy {
                found.extend(crate::policy::check(&file, &bytes, policy));
            }
            if !found.is_empty() {
                if let Ok(text) = String::from_utf8(bytes) {
                    sources.insert(file.clone(), text);
                }
            }
            findings.extend(found);
        }
        let findings = self.settings.adjust(findings, false);
        Ok((findings, sources))
    }

    /// The working tree's allowed_signers, when there is one; its
    /// diagnostics become `allowed-signers` findings when `report` is set.
    fn trust_root(&self, findings: &mut Vec<Finding>, report: bool) -> Option<&AllowedSigners> {
        let rel = &self.layout.allowed_signers;
        if report {
            findings.extend(self.trust.unreadable.iter().cloned());
        }
        let signers = self.trust.signers.as_ref()?;
        if report {
            for d in self.trust.diagnostics.iter().cloned() {
                let mut f = Finding::new(crate::finding::Rule::AllowedSigners, rel, d.message).at(
                    crate::yaml::Pos {
                        line: d.line,
                        column: 1,
                    },
                );
                f.severity = match d.severity {
                    crate::signoff::Severity::Error => crate::finding::Severity::Error,
                    crate::signoff::Severity::Warning => crate::finding::Severity::Warning,
                };
                findings.push(
                    f.hint("see ssh-keygen(1), ALLOWED SIGNERS, for the format of each line"),
                );
            }
        }
        Some(signers)
    }

    /// The trust root every new signed record (sign-off, check-in,
    /// decline, conclusion) is made against: the working tree's
    /// `allowed_signers`, so that a key added in the same uncommitted change
    /// can sign (the record counts once the change is committed, which
    /// [`crate::signoff::signer::not_yet_trusted`] says). Empty when there is
    /// none. A file that cannot be read (a link, say) is an error rather
    /// than "no key trusted", so the signer learns why their key is refused.
    pub fn signing_trust_root(&self) -> crate::error::Result<AllowedSigners> {
        match &self.trust.unreadable {
            Some(f) => Err(crate::error::Error::other(
                format!("{}: {}", f.file, f.message),
                None,
            )),
            None => Ok(self.trust.signers.clone().unwrap_or_default()),
        }
    }

    /// The key the party of `signing` signs with, chosen and checked by
    /// [`crate::signoff::signer::trusted_signer`] against `signers` (this
    /// workspace's [`Workspace::signing_trust_root`]): the one call every
    /// command that signs a record makes.
    pub fn trusted_signer(
        &self,
        signers: &AllowedSigners,
        signing: &crate::signoff::signer::Signing<'_>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<crate::signoff::signer::Signer> {
        let repo = self.repo.as_ref().ok_or(Error::NotARepository)?;
        crate::signoff::signer::trusted_signer(
            repo,
            &self.root,
            signers,
            &self.layout.allowed_signers,
            signing,
            now,
        )
    }

    /// Refuse to write a record while `charter.yaml` in the working tree
    /// moves where things live from where HEAD's (`head`) says: the record
    /// would be written where the working tree's layout puts it and judged
    /// where HEAD's does. Committing `charter.yaml` first makes them one.
    pub fn refuse_uncommitted_layout(&self, head: &crate::settings::Layout) -> Result<()> {
        let moved: Vec<String> = [
            ("agreements", &head.agreements, &self.layout.agreements),
            ("sign-offs", &head.signoffs, &self.layout.signoffs),
            ("check-ins", &head.checkins, &self.layout.checkins),
            (
                "the trust root",
                &head.allowed_signers,
                &self.layout.allowed_signers,
            ),
        ]
        .into_iter()
        .filter(|(_, at_head, here)| at_head != here)
        .map(|(what, at_head, here)| format!("{what} from {at_head} to {here}"))
        .collect();
        if moved.is_empty() {
            return Ok(());
        }
        Err(crate::error::Error::refused(format!(
            "{} in the working tree moves {}, and that change is not committed",
            crate::settings::FILE,
            moved.join(", ")
        ))
        .hint_that(format!(
            "commit {} first (and move the files with it), then run the command again",
            crate::settings::FILE
        )))
    }

    /// The ids of the agreements charter knows of, for suggestions when an
    /// id names none: agreement files in the working tree and at HEAD.
    /// Best effort: what cannot be read adds nothing.
    pub fn known_ids(&self) -> Vec<String> {
        use crate::agreement::file_name::{id_in, id_of};
        let dir = &self.layout.agreements;
        let mut ids: std::collections::BTreeSet<String> = self
            .agreement_files()
            .unwrap_or_default()
            .iter()
            .filter_map(|p| id_in(dir, p).map(str::to_owned))
            .collect();
        let head = self
            .repo
            .as_ref()
            .and_then(|repo| Some((repo, crate::history::head_commit(repo).ok()?)));
        if let Some((repo, head)) = head {
            let entries = Tree::Commit(repo, &head).entries(dir).unwrap_or_default();
            ids.extend(
                entries
                    .iter()
                    .filter(|(_, kind)| *kind != EntryKind::Dir)
                    .filter_map(|(name, _)| id_of(name).map(str::to_owned)),
            );
        }
        ids.into_iter().collect()
    }

    /// Repository-relative paths of every sign-off file in the working tree.
    pub fn signoff_files(&self) -> Result<Vec<String>> {
        self.record_files(&self.layout.signoffs)
    }

    /// Repository-relative paths of every check-in file in the working tree.
    pub fn checkin_files(&self) -> Result<Vec<String>> {
        self.record_files(&self.layout.checkins)
    }

    fn is_checkin_path(&self, rel: &str) -> bool {
        rel.strip_prefix(&self.layout.checkins)
            .is_some_and(|rest| rest.starts_with('/'))
    }

    /// The files in the per-agreement directories under `top`.
    fn record_files(&self, top: &str) -> Result<Vec<String>> {
        let mut files = Vec::new();
        let entries = crate::revision::Tree::Working(&self.root).entries(top)?;
        for (dir, _) in entries.iter().filter(|(_, k)| *k == EntryKind::Dir) {
            files.extend(list_dir(&self.root, &format!("{top}/{dir}"))?);
        }
        Ok(files)
    }

    fn is_signoff_path(&self, rel: &str) -> bool {
        rel.strip_prefix(&self.layout.signoffs)
            .is_some_and(|rest| rest.starts_with('/'))
    }

    /// Turn a path given on the command line (relative to `cwd`) into a
    /// repository-relative path, refusing paths outside the repository.
    pub fn relative(&self, cwd: &Path, given: &str) -> Result<String> {
        let joined = normalize(&cwd.join(given));
        let root = normalize(&self.root);
        match joined.strip_prefix(&root) {
            Ok(rel) => {
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                Ok(parts.join("/"))
            }
            Err(_) => Err(Error::other(
                format!(
                    "{given} is outside the repository at {}",
                    self.root.display()
                ),
                Some("give paths inside the repository"),
            )),
        }
    }
}

/// The git repository at or above `dir`, for commands that read only
/// commits: a bare repository (a CI mirror, a server-side hook) is
/// accepted, since nothing is read from a working tree.
pub fn discover_repository(dir: &Path) -> Result<git2::Repository> {
    match git2::Repository::discover(dir) {
        Ok(repo) => Ok(repo),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Err(Error::NotARepository),
        Err(e) => Err(Error::git(
            format!("opening the repository at {}", dir.display()),
            e,
        )),
    }
}

/// Findings for one sign-off file's form: fields, name, content hash.
/// Whether it verifies is `verify`'s question.
pub fn check_signoff_file(rel: &str, bytes: &[u8]) -> Vec<Finding> {
    use crate::signoff::decline::{DeclineFile, DeclineName};
    use crate::signoff::file::{check_content_hash, check_path};
    let name = rel.rsplit('/').next().unwrap_or_default();
    if DeclineName::parse(name).is_some() {
        // A decline lives beside the sign-offs; its form has its own rules.
        return match DeclineFile::parse(rel, bytes) {
            Err(f) => vec![f],
            Ok(file) if file.file_name(&String::from_utf8_lossy(bytes)) != name => {
                vec![Finding::new(
                    crate::signoff::decline::RULE,
                    rel,
                    "the file name does not match the decline's version, role or bytes",
                )
                .hint("declines are written once by `charter decline`; restore the original")]
            }
            Ok(_) => Vec::new(),
        };
    }
    let parsed = match SignoffFile::parse_bytes(bytes) {
        Ok(parsed) => parsed,
        Err(e) => {
            let mut f = Finding::new(
                crate::finding::Rule::InvalidSignoff,
                rel,
                format!("malformed sign-off file: {e}"),
            )
            .hint("sign-off files are written by `charter sign` and never edited");
            if let Some((line, column)) = e.location() {
                f = f.at(crate::yaml::Pos { line, column });
            }
            return vec![f];
        }
    };
    let path = Path::new(rel);
    match check_path(path, &parsed).and_then(|()| check_content_hash(path, bytes)) {
        Ok(()) => Vec::new(),
        Err(e) => vec![Finding::new(
            crate::finding::Rule::InvalidSignoff,
            rel,
            format!("the file name does not match the file: {e}"),
        )
        .hint(
            "sign-off files are written once by `charter sign`; restore the original or sign again",
        )],
    }
}

/// Lexically resolve `.` and `..` (no symlinks are followed).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn list_dir(root: &Path, rel: &str) -> Result<Vec<String>> {
    // Every entry named like a YAML file, links included: reading it then
    // says what is wrong with one that is not a regular file.
    Ok(crate::revision::Tree::Working(root)
        .entries(rel)?
        .into_iter()
        .filter(|(name, _)| crate::agreement::file_name::is_yaml(name))
        .map(|(name, _)| format!("{}/{name}", rel.trim_end_matches('/')))
        .collect())
}

/// Read `root/rel` as charter's files must be read: a regular file, not a
/// symlink, inside the repository, at most [`MAX_FILE_BYTES`] (one byte more
/// is read to tell).
pub fn read_file(root: &Path, rel: &str) -> Result<Option<Vec<u8>>, Box<Finding>> {
    let path = root.join(rel);
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Box::new(Finding::new(
                crate::finding::Rule::InvalidPath,
                rel,
                format!("cannot read the file: {e}"),
            )))
        }
    };
    if meta.file_type().is_symlink() {
        return Err(Box::new(
            Finding::new(
                crate::finding::Rule::InvalidPath,
                rel,
                "the file is a symbolic link; charter does not follow links",
            )
            .hint("replace the link with the file itself"),
        ));
    }
    if !meta.is_file() {
        return Err(Box::new(Finding::new(
            crate::finding::Rule::InvalidPath,
            rel,
            "not a regular file",
        )));
    }
    let file = std::fs::File::open(&path).map_err(|e| {
        Box::new(Finding::new(
            crate::finding::Rule::InvalidPath,
            rel,
            format!("cannot read the file: {e}"),
        ))
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Box::new(Finding::new(
                crate::finding::Rule::InvalidPath,
                rel,
                format!("cannot read the file: {e}"),
            ))
        })?;
    Ok(Some(bytes))
}
