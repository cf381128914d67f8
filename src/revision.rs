//! A revision's inputs, read one way from either kind of tree.
//!
//! What charter trusts and where it looks (README, "The trust root: `allowed_signers`"): `charter.yaml` (the
//! settings and the layout they set) and the trust root (`allowed_signers`,
//! wherever the layout puts it). A command reads them from the working tree
//! (`validate`) or from a commit (`check` reads them from the base of a pull
//! request, `verify` and `status` from HEAD); [`Inputs::load`] is the one
//! loader for both, so the two cannot drift apart.

use std::path::Path;

use git2::{Commit, Repository};

use crate::error::Result;
use crate::finding::Finding;
use crate::settings::{self, Layout, Settings};
use crate::signoff::{AllowedSigners, Diagnostic};

/// Where a revision's files are read from.
#[derive(Clone, Copy)]
pub enum Tree<'a> {
    /// The working tree at this root: files are read as
    /// [`crate::workspace::read_file`] reads them (no links, no oversized
    /// files), and one that cannot be read is a finding.
    Working(&'a Path),
    /// A commit's tree: links and submodules read as absent, and an object
    /// that cannot be read is an error.
    Commit(&'a Repository, &'a Commit<'a>),
}

/// One file of a [`Tree`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum File {
    /// Not there.
    Absent,
    /// Its bytes.
    Bytes(Vec<u8>),
    /// There but not readable as charter reads files (a link, a directory,
    /// a permission error in the working tree): a finding says why.
    Unreadable(Box<Finding>),
}

impl File {
    /// The bytes, when the file was read.
    pub fn bytes(self) -> Option<Vec<u8>> {
        match self {
            File::Bytes(bytes) => Some(bytes),
            File::Absent | File::Unreadable(_) => None,
        }
    }
}

/// What an entry of a directory is, read without following links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file (a blob that is not a link).
    File,
    /// A directory (a tree).
    Dir,
    /// Anything else: a link, a submodule, a device.
    Other,
}

impl Tree<'_> {
    /// The entries directly in directory `dir`, sorted by name; none when
    /// `dir` is absent or not a directory. Every listing of charter's
    /// directories goes through here, for either kind of tree.
    pub fn entries(&self, dir: &str) -> Result<Vec<(String, EntryKind)>> {
        let mut entries = match self {
            Tree::Working(root) => {
                let path = root.join(dir);
                let read = match std::fs::read_dir(&path) {
                    Ok(read) => read,
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                        ) =>
                    {
                        return Ok(Vec::new())
                    }
                    Err(e) => return Err(crate::error::Error::io(path, e)),
                };
                let mut entries = Vec::new();
                for entry in read {
                    let entry = entry.map_err(|e| crate::error::Error::io(&path, e))?;
                    let kind = match entry.file_type() {
                        Ok(t) if t.is_file() => EntryKind::File,
                        Ok(t) if t.is_dir() => EntryKind::Dir,
                        _ => EntryKind::Other,
                    };
                    entries.push((entry.file_name().to_string_lossy().into_owned(), kind));
                }
                entries
            }
            Tree::Commit(repo, commit) => {
                let tree = commit
                    .tree()
                    .map_err(|e| crate::error::Error::git("reading a commit's tree", e))?;
                let Some(entry) = crate::history::entry_at(&tree, dir)? else {
                    return Ok(Vec::new());
                };
                if entry.kind() != Some(git2::ObjectType::Tree) {
                    return Ok(Vec::new());
                }
                let subtree = crate::history::tree_of(repo, entry.id(), dir)?;
                subtree
                    .iter()
                    .filter_map(|e| {
                        let kind = match (e.kind(), e.filemode()) {
                            (Some(git2::ObjectType::Tree), _) => EntryKind::Dir,
                            (Some(git2::ObjectType::Blob), mode) if mode != 0o120000 => {
                                EntryKind::File
                            }
                            _ => EntryKind::Other,
                        };
                        Some((e.name()?.to_owned(), kind))
                    })
                    .collect()
            }
        };
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(entries)
    }

    /// The agreement files of this tree: the entries of `layout`'s
    /// agreements directory named like YAML files, sorted. A working tree
    /// lists links and other non-files too, so that reading one says what is
    /// wrong with it; a commit lists regular files only, since it reads
    /// links and submodules as absent.
    pub fn agreement_files(&self, layout: &Layout) -> Result<Vec<String>> {
        let dir = layout.agreements.trim_end_matches('/');
        let listed = |kind: EntryKind| matches!(self, Tree::Working(_)) || kind == EntryKind::File;
        Ok(self
            .entries(dir)?
            .into_iter()
            .filter(|(name, kind)| listed(*kind) && crate::agreement::file_name::is_yaml(name))
            .map(|(name, _)| format!("{dir}/{name}"))
            .collect())
    }

    /// Whether any of `layout`'s [markers](Layout::markers) is present
    /// (as anything: a link named `agreements` still marks the place).
    pub fn is_charter_repository(&self, layout: &Layout) -> Result<bool> {
        let markers = layout.markers();
        Ok(match self {
            Tree::Working(root) => markers
                .iter()
                .any(|p| std::fs::symlink_metadata(root.join(p)).is_ok()),
            Tree::Commit(_, commit) => {
                let tree = commit
                    .tree()
                    .map_err(|e| crate::error::Error::git("reading a commit's tree", e))?;
                markers.iter().any(|p| tree.get_path(Path::new(p)).is_ok())
            }
        })
    }

    /// The repository-relative file `rel`.
    pub fn read(&self, rel: &str) -> Result<File> {
        Ok(match self {
            Tree::Working(root) => match crate::workspace::read_file(root, rel) {
                Ok(Some(bytes)) => File::Bytes(bytes),
                Ok(None) => File::Absent,
                Err(finding) => File::Unreadable(finding),
            },
            Tree::Commit(repo, commit) => match crate::history::blob_at(repo, commit, rel)? {
                Some(bytes) => File::Bytes(bytes),
                None => File::Absent,
            },
        })
    }

    /// `charter.yaml` (defaults when absent, unreadable or invalid) and the
    /// problems with it.
    pub fn settings(&self) -> Result<(Settings, Vec<Finding>)> {
        Ok(match self.read(settings::FILE)? {
            File::Bytes(bytes) => Settings::load(&bytes),
            File::Absent => (Settings::default(), Vec::new()),
            File::Unreadable(finding) => (Settings::default(), vec![*finding]),
        })
    }

    /// The layout `charter.yaml` sets (defaults where it is absent or
    /// invalid, as `check` applies it).
    pub fn layout(&self) -> Result<Layout> {
        Ok(self.settings()?.0.layout())
    }

    /// The trust root at `layout`'s path (empty when absent), with the
    /// parser's diagnostics.
    pub fn signers(&self, layout: &Layout) -> Result<(AllowedSigners, Vec<Diagnostic>)> {
        let bytes = self.read(&layout.allowed_signers)?.bytes();
        Ok(parse_signers(bytes.as_deref()))
    }
}

/// `allowed_signers` as text: bytes that are not UTF-8 are replaced, so
/// their lines fail to parse and are reported, never silently dropped.
fn parse_signers(bytes: Option<&[u8]>) -> (AllowedSigners, Vec<Diagnostic>) {
    AllowedSigners::parse(&String::from_utf8_lossy(bytes.unwrap_or_default()))
}

/// Everything a revision says about how to judge it.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// `charter.yaml`, or defaults.
    pub settings: Settings,
    /// Problems with `charter.yaml` itself.
    pub settings_findings: Vec<Finding>,
    /// Where things live, as the settings say.
    pub layout: Layout,
    /// The trust root (empty when there is none).
    pub signers: AllowedSigners,
    /// Problems with the trust root's lines.
    pub signer_diagnostics: Vec<Diagnostic>,
    /// The trust root's bytes; `None` when the file is absent or unreadable.
    pub signers_bytes: Option<Vec<u8>>,
    /// Why the trust root could not be read (a link in the working tree,
    /// say); then no key is trusted.
    pub signers_unreadable: Option<Finding>,
}

impl Inputs {
    /// Read the settings, the layout they set and the trust root from `tree`.
    pub fn load(tree: &Tree<'_>) -> Result<Inputs> {
        let (settings, settings_findings) = tree.settings()?;
        let layout = settings.layout();
        let (signers_bytes, signers_unreadable) = match tree.read(&layout.allowed_signers)? {
            File::Bytes(bytes) => (Some(bytes), None),
            File::Absent => (None, None),
            File::Unreadable(finding) => (None, Some(*finding)),
        };
        let (signers, signer_diagnostics) = parse_signers(signers_bytes.as_deref());
        Ok(Inputs {
            settings,
            settings_findings,
            layout,
            signers,
            signer_diagnostics,
            signers_bytes,
            signers_unreadable,
        })
    }

    /// The inputs of a revision that does not exist yet (a repository
    /// without commits): default settings, no trust root, and `layout`.
    pub fn none(layout: Layout) -> Inputs {
        Inputs {
            settings: Settings::default(),
            settings_findings: Vec::new(),
            layout,
            signers: AllowedSigners::default(),
            signer_diagnostics: Vec::new(),
            signers_bytes: None,
            signers_unreadable: None,
        }
    }

    /// Whether the revision has a trust root at all: without one no key is
    /// trusted and no signer is "known".
    pub fn has_trust_root(&self) -> bool {
        self.signers_bytes.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_repo::{open, Sandbox};

    /// A real ed25519 public key line from `ssh-keygen`.
    fn public_key(s: &Sandbox) -> String {
        let key = s.path("key");
        let out = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", "ada", "-f"])
            .arg(&key)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read_to_string(key.with_extension("pub"))
            .unwrap()
            .trim()
            .to_owned()
    }

    /// Commit what is in `r`'s working tree and load both trees.
    fn both(s: &Sandbox) -> (Inputs, Inputs) {
        s.git("r", &["add", "-A"]);
        s.git("r", &["commit", "-q", "--allow-empty", "-m", "inputs"]);
        let repo = open(&s.path("r"));
        let head = crate::history::head_commit(&repo).unwrap();
        let root = s.path("r");
        let working = Inputs::load(&Tree::Working(&root)).unwrap();
        let committed = Inputs::load(&Tree::Commit(&repo, &head)).unwrap();
        (working, committed)
    }

    /// A directory lists the same from the working tree and from a commit:
    /// files, directories and links told apart, sorted by name, and an
    /// absent directory (or a file in its place) lists nothing.
    #[test]
    fn working_tree_and_commit_list_a_directory_alike() {
        let s = Sandbox::new();
        s.repo_with_commits("r", 1);
        s.write("r/agreements/b.yaml", "b");
        s.write("r/agreements/a.yaml", "a");
        s.write("r/agreements/nested/c.yaml", "c");
        s.write("r/not-a-dir", "x");
        std::os::unix::fs::symlink("a.yaml", s.path("r/agreements/link.yaml")).unwrap();
        s.git("r", &["add", "-A"]);
        s.git("r", &["commit", "-q", "-m", "listing"]);
        let repo = open(&s.path("r"));
        let head = crate::history::head_commit(&repo).unwrap();
        let root = s.path("r");
        let expected = vec![
            ("a.yaml".to_owned(), EntryKind::File),
            ("b.yaml".to_owned(), EntryKind::File),
            ("link.yaml".to_owned(), EntryKind::Other),
            ("nested".to_owned(), EntryKind::Dir),
        ];
        for tree in [Tree::Working(&root), Tree::Commit(&repo, &head)] {
            assert_eq!(tree.entries("agreements").unwrap(), expected);
            assert!(tree.entries("missing").unwrap().is_empty());
            assert!(tree.entries("not-a-dir").unwrap().is_empty());
        }
    }

    /// The agreement files: YAML names only (`.yml` too, to be reported);
    /// a link is listed in the working tree, where reading it says what is
    /// wrong, and not in a commit, which reads it as absent.
    #[test]
    fn agreement_files_of_both_trees() {
        let s = Sandbox::new();
        s.repo_with_commits("r", 1);
        s.write("r/agreements/a.yaml", "a");
        s.write("r/agreements/b.yml", "b");
        s.write("r/agreements/notes.txt", "n");
        s.write("r/agreements/nested/c.yaml", "c");
        std::os::unix::fs::symlink("a.yaml", s.path("r/agreements/link.yaml")).unwrap();
        s.commit_all("r", "files");
        let repo = open(&s.path("r"));
        let head = crate::history::head_commit(&repo).unwrap();
        let root = s.path("r");
        let layout = Layout::default();
        let working = Tree::Working(&root).agreement_files(&layout).unwrap();
        let committed = Tree::Commit(&repo, &head).agreement_files(&layout).unwrap();
        assert_eq!(
            working,
            [
                "agreements/a.yaml",
                "agreements/b.yml",
                "agreements/link.yaml"
            ]
        );
        assert_eq!(committed, ["agreements/a.yaml", "agreements/b.yml"]);
    }

    #[test]
    fn working_tree_and_commit_give_the_same_inputs() {
        let s = Sandbox::new();
        s.repo_with_commits("r", 1);
        let key = public_key(&s);
        s.write(
            "r/charter.yaml",
            "charter: 1\nagreements: people\nallowed_signers: trust/signers\nlint:\n  deny: [open-ended]\n",
        );
        // One good line, one broken line: both trees report the same.
        s.write(
            "r/trust/signers",
            format!("ada@example.com {key}\nbob@example.com ssh-ed25519 nonsense\n"),
        );
        let (working, committed) = both(&s);
        assert_eq!(working, committed);
        assert_eq!(working.layout.agreements, "people");
        assert_eq!(working.layout.allowed_signers, "trust/signers");
        assert!(working.has_trust_root());
        assert!(working.settings_findings.is_empty());
        assert!(working.signers.principal_matches_any("ada@example.com"));
        assert_eq!(working.signer_diagnostics.len(), 1, "{working:?}");
        assert_eq!(working.signer_diagnostics[0].line, 2);
    }

    #[test]
    fn defaults_and_problems_are_the_same_in_both_trees() {
        let s = Sandbox::new();
        s.repo_with_commits("r", 1);
        // Nothing of charter's: defaults, no trust root.
        let (working, committed) = both(&s);
        assert_eq!(working, committed);
        assert_eq!(working.layout, Layout::default());
        assert!(!working.has_trust_root());
        assert!(working.signers_unreadable.is_none());
        // An invalid charter.yaml: the same findings, defaults applied.
        s.write(
            "r/charter.yaml",
            "charter: 1\nagreements: ../etc\nbogus: 1\n",
        );
        let (working, committed) = both(&s);
        assert_eq!(working, committed);
        assert!(!working.settings_findings.is_empty());
        assert_eq!(working.layout, Layout::default());
    }

    #[test]
    fn a_linked_trust_root_is_a_finding_in_the_working_tree_and_absent_in_a_commit() {
        let s = Sandbox::new();
        s.repo_with_commits("r", 1);
        s.write("r/elsewhere", public_key(&s));
        std::os::unix::fs::symlink("elsewhere", s.path("r/allowed_signers")).unwrap();
        let (working, committed) = both(&s);
        let finding = working.signers_unreadable.as_ref().unwrap();
        assert_eq!(finding.rule, "invalid-path");
        assert!(finding.message.contains("symbolic link"), "{finding:?}");
        assert!(!working.has_trust_root());
        assert!(committed.signers_unreadable.is_none());
        assert!(!committed.has_trust_root());
        assert_eq!(working.signers, committed.signers);
    }

    #[test]
    fn layout_and_signers_agree_with_inputs() {
        let s = Sandbox::new();
        s.repo_with_commits("r", 1);
        let key = public_key(&s);
        s.write("r/charter.yaml", "charter: 1\nallowed_signers: keys\n");
        s.write("r/keys", format!("ada@example.com {key}\n"));
        s.commit_all("r", "keys");
        let repo = open(&s.path("r"));
        let head = crate::history::head_commit(&repo).unwrap();
        let tree = Tree::Commit(&repo, &head);
        let inputs = Inputs::load(&tree).unwrap();
        assert_eq!(tree.layout().unwrap(), inputs.layout);
        let (signers, diagnostics) = tree.signers(&inputs.layout).unwrap();
        assert_eq!(signers, inputs.signers);
        assert_eq!(diagnostics, inputs.signer_diagnostics);
        assert!(signers.principal_matches_any("ada@example.com"));
    }
}
