//! The documents commands print with `--format json`, in one module, each
//! with `Deserialize` as well as `Serialize`: a tool (or a test) reads the
//! output back into these types, so a change of shape shows up as a type
//! change here and fails the test that reads the real binary's output
//! (`tests/cli/json_types.rs`). `docs/json.md` documents them.
//!
//! Fields are only ever added. Documents not moved here yet (`check`,
//! `status`, `log`, `report`) are still built next to their commands.

use serde::{Deserialize, Serialize};

use crate::agreement::VersionId;
use crate::diff::Change;
use crate::finding::{Finding, Summary};
use crate::record::SignoffReport;

/// `validate --format json`: `{"findings":[…],"summary":{…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Findings {
    /// Every finding, in the order reported.
    pub findings: Vec<Finding>,
    /// Their counts.
    pub summary: Summary,
}

impl Findings {
    /// The document for `findings`.
    pub fn of(findings: &[Finding]) -> Findings {
        Findings {
            findings: findings.to_vec(),
            summary: Summary::of(findings),
        }
    }
}

/// `verify --format json`: every sign-off with its verdict, and the counts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Verify {
    /// Every sign-off of the agreements verified.
    pub signoffs: Vec<SignoffReport>,
    /// Valid and invalid counts.
    pub summary: VerifySummary,
}

/// The counts of `verify --format json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifySummary {
    /// Sign-offs that verify.
    pub valid: usize,
    /// Sign-offs that do not.
    pub invalid: usize,
}

/// `diff --format json`: one entry per agreement that differs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    /// The agreements that differ, in path order.
    pub agreements: Vec<DiffAgreement>,
}

/// One agreement in `diff --format json`; the fields after `changes`
/// appear only when a side could not be compared as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffAgreement {
    /// The agreement id (the file's stem).
    pub id: String,
    /// The old side, null when the agreement is new.
    pub from: Option<DiffSide>,
    /// The new side, null when it was removed.
    pub to: Option<DiffSide>,
    /// The semantic changes (empty when a side could not be compared).
    pub changes: Vec<Change>,
    /// Why a side does not parse.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    /// The unified line diff shown instead of changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_diff: Option<String>,
    /// Why the file was not compared (`binary file`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

/// A present side of one agreement in `diff --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffSide {
    /// The commit's full hex id, or `worktree`.
    pub rev: String,
    /// The version id, null when the side does not parse.
    pub version: Option<VersionId>,
}
