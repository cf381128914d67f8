//! The working tree of a repository of agreements: finding it, reading its
//! files safely, and validating what is there.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::agreement::lint::{self, Context};
use crate::document::MAX_FILE_BYTES;
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::render::findings::Sources;
use crate::settings::{self, Layout, Settings};

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
}

impl Workspace {
    /// Find the repository the way git does, upward from `dir`. Outside a
    /// repository, `dir` itself is taken as the root.
    pub fn discover(dir: &Path) -> Result<Workspace> {
        let (root, repo) = match git2::Repository::discover(dir) {
            Ok(repo) => match repo.workdir() {
                Some(w) => (w.to_path_buf(), Some(repo)),
                None => {
                    return Err(Error::other(
                        format!("{} is a bare git repository", repo.path().display()),
                        Some("run charter in a clone with a working tree"),
                    ))
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
        let (settings, settings_findings) = match read_file(&root, settings::FILE) {
            Ok(Some(bytes)) => Settings::load(&bytes),
            Ok(None) => (Settings::default(), Vec::new()),
            Err(f) => (Settings::default(), vec![*f]),
        };
        let layout = settings.layout();
        Ok(Workspace {
            root,
            repo,
            settings,
            settings_findings,
            layout,
        })
    }

    /// Read a repository-relative file, refusing symlinks, non-files and
    /// oversized files. `Ok(None)` when the file does not exist.
    pub fn read(&self, rel: &str) -> Result<Option<Vec<u8>>, Box<Finding>> {
        read_file(&self.root, rel)
    }

    /// Repository-relative paths of the agreement files in the working tree.
    pub fn agreement_files(&self) -> Result<Vec<String>> {
        list_dir(&self.root, &self.layout.agreements)
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
        let ctx = Context::default();
        for file in targets {
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
            let (_, found) = lint::check(&file, &bytes, &ctx);
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
    let dir = root.join(rel);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(&dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".yaml") || name.ends_with(".yml") {
            files.push(format!("{}/{name}", rel.trim_end_matches('/')));
        }
    }
    files.sort();
    Ok(files)
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
                "invalid-path",
                rel,
                format!("cannot read the file: {e}"),
            )))
        }
    };
    if meta.file_type().is_symlink() {
        return Err(Box::new(
            Finding::new(
                "invalid-path",
                rel,
                "the file is a symbolic link; charter does not follow links",
            )
            .hint("replace the link with the file itself"),
        ));
    }
    if !meta.is_file() {
        return Err(Box::new(Finding::new(
            "invalid-path",
            rel,
            "not a regular file",
        )));
    }
    let file = std::fs::File::open(&path).map_err(|e| {
        Box::new(Finding::new(
            "invalid-path",
            rel,
            format!("cannot read the file: {e}"),
        ))
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Box::new(Finding::new(
                "invalid-path",
                rel,
                format!("cannot read the file: {e}"),
            ))
        })?;
    Ok(Some(bytes))
}
