//! The comparison of one agreement file's two sides, behind `charter diff`
//! and `charter git-diff`: each side is classified (absent, not text charter
//! compares, unparseable, or data with a version id — valid or not against
//! the schema, since a schema-invalid agreement still has data to compare),
//! then compared as data when both sides are data and as lines otherwise.
//! Reading the sides (a commit, the working tree, git's temporary files) and
//! printing the outcome belong to the callers.

use serde_json::Value;

use super::Change;
use crate::agreement::lint::{self, Context};
use crate::agreement::VersionId;
use crate::document::MAX_FILE_BYTES;
use crate::finding::Finding;

/// Both sides of one file and how they differ.
pub struct Comparison {
    /// The old side, classified.
    pub old: Content,
    /// The new side, classified.
    pub new: Content,
    /// How they differ.
    pub outcome: Outcome,
}

/// Compare one agreement file across two sides, given as
/// `(repository-relative path, bytes or None when absent)`: the one
/// per-file comparison `diff` and `git-diff` share. A line diff labels the
/// sides `a/<old path>` and `b/<new path>` as git does (`/dev/null` when
/// absent).
pub fn compare_file(old: (&str, Option<Vec<u8>>), new: (&str, Option<Vec<u8>>)) -> Comparison {
    let (old_path, new_path) = (old.0, new.0);
    let old = Content::load(old_path, old.1);
    let new = Content::load(new_path, new.1);
    let outcome = compare(
        &old,
        &new,
        (&format!("a/{old_path}"), &format!("b/{new_path}")),
    );
    Comparison { old, new, outcome }
}

/// What one side of an agreement file holds, as far as diffing goes.
pub enum Content {
    /// The file does not exist on this side.
    Absent,
    /// The file is not text charter compares; the reason says why.
    Skipped(&'static str),
    /// Text that is not plain data; the finding says where and why.
    Unparseable { text: String, finding: Box<Finding> },
    /// Plain data (a valid agreement or not), with its version id.
    Data {
        text: String,
        version: VersionId,
        data: Value,
    },
}

impl Content {
    /// Classify the bytes of `file` (a repository-relative path, for messages).
    pub fn load(file: &str, bytes: Option<Vec<u8>>) -> Content {
        let Some(bytes) = bytes else {
            return Content::Absent;
        };
        // Git's own test for binary: a NUL byte near the start.
        if bytes.iter().take(8000).any(|&b| b == 0) {
            return Content::Skipped("binary file");
        }
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Content::Skipped("file too large to compare");
        }
        let (parsed, findings) = lint::check(file, &bytes, &Context::default());
        let text = String::from_utf8_lossy(&bytes).into_owned();
        match (parsed.version(), parsed.data()) {
            (Some(version), Some(data)) => Content::Data {
                version: version.clone(),
                data: data.clone(),
                text,
            },
            _ => {
                let finding = findings
                    .into_iter()
                    .find(|f| f.rule == "yaml-syntax")
                    .unwrap_or_else(|| {
                        Finding::new(
                            crate::finding::Rule::YamlSyntax,
                            file,
                            "the file does not parse",
                        )
                    });
                Content::Unparseable {
                    text,
                    finding: Box::new(finding),
                }
            }
        }
    }

    /// The version id, when the side parses.
    pub fn version(&self) -> Option<&VersionId> {
        match self {
            Content::Data { version, .. } => Some(version),
            _ => None,
        }
    }

    /// The side's text, empty when absent or skipped.
    pub fn text(&self) -> &str {
        match self {
            Content::Data { text, .. } | Content::Unparseable { text, .. } => text,
            Content::Absent | Content::Skipped(_) => "",
        }
    }
}

/// How two sides of one file differ.
pub enum Outcome {
    /// No difference in data (perhaps in comments or layout).
    Same,
    /// Semantic changes.
    Changes(Vec<Change>),
    /// A side does not parse: why, for each such side, and a unified line
    /// diff instead of changes.
    Lines {
        old: Option<Box<Finding>>,
        new: Option<Box<Finding>>,
        diff: String,
    },
    /// A side is not text charter compares.
    Skipped(&'static str),
}

/// Compare two sides of a file; `names` label the sides of a line diff
/// (`a/…`, `b/…`; an absent side is labelled `/dev/null`).
pub fn compare(old: &Content, new: &Content, names: (&str, &str)) -> Outcome {
    match (old, new) {
        (Content::Absent, Content::Absent) => Outcome::Same,
        (Content::Skipped(why), _) | (_, Content::Skipped(why)) => Outcome::Skipped(why),
        (Content::Unparseable { .. }, _) | (_, Content::Unparseable { .. }) => {
            let problem = |c: &Content| match c {
                Content::Unparseable { finding, .. } => Some(finding.clone()),
                _ => None,
            };
            let label = |c: &Content, name: &str| match c {
                Content::Absent => "/dev/null".to_owned(),
                _ => name.to_owned(),
            };
            let diff = similar::TextDiff::from_lines(old.text(), new.text())
                .unified_diff()
                .context_radius(3)
                .header(&label(old, names.0), &label(new, names.1))
                .to_string();
            if diff.is_empty() {
                return Outcome::Same;
            }
            Outcome::Lines {
                old: problem(old),
                new: problem(new),
                diff,
            }
        }
        _ => {
            let data = |c: &Content| match c {
                Content::Data { data, .. } => data.clone(),
                _ => Value::Null,
            };
            let changes = super::diff(&data(old), &data(new));
            if changes.is_empty() {
                Outcome::Same
            } else {
                Outcome::Changes(changes)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "agreements/a.yaml";

    fn bytes(text: &str) -> Option<Vec<u8>> {
        Some(text.as_bytes().to_vec())
    }

    #[test]
    fn layout_and_comments_alone_are_no_change() {
        let c = compare_file(
            (A, bytes("x: 1\ny: 2\n")),
            (A, bytes("# note\ny: 2\nx: 1\n")),
        );
        assert!(matches!(c.outcome, Outcome::Same));
        assert_eq!(c.old.version(), c.new.version());
    }

    #[test]
    fn data_is_compared_as_data_even_when_not_a_valid_agreement() {
        let c = compare_file((A, None), (A, bytes("x: 1\n")));
        assert!(matches!(c.old, Content::Absent));
        assert!(
            c.new.version().is_some(),
            "schema-invalid data has a version id"
        );
        let Outcome::Changes(changes) = c.outcome else {
            panic!("expected changes");
        };
        assert_eq!(changes.len(), 1);
    }

    #[test]
    fn an_unparseable_side_gives_a_line_diff_with_its_finding() {
        let c = compare_file((A, bytes("x: 1\n")), ("agreements/b.yaml", bytes("x: [\n")));
        let Outcome::Lines { old, new, diff } = c.outcome else {
            panic!("expected a line diff");
        };
        assert!(old.is_none());
        assert_eq!(new.map(|f| f.rule.name()), Some("yaml-syntax"));
        assert!(
            diff.starts_with("--- a/agreements/a.yaml\n+++ b/agreements/b.yaml\n"),
            "{diff}"
        );
    }

    #[test]
    fn binary_files_are_not_compared() {
        let c = compare_file((A, Some(vec![b'x', 0, b'y'])), (A, bytes("x: 1\n")));
        assert!(matches!(c.outcome, Outcome::Skipped("binary file")));
    }
}
