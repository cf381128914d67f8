//! Findings: every problem charter reports, in one shape for every renderer.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// Source texts by repository-relative path, so a renderer can show the
/// offending line of a finding. It lives with findings rather than with the
/// renderers because `check` and `validate` collect it while they judge.
pub type Sources = HashMap<String, String>;

/// How serious a finding is; errors fail `validate` and `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information only: never fails a command, not even with
    /// `--deny-warnings` (only an explicit `lint.deny` promotes it).
    Info,
    /// Worth a look; fails only with `--deny-warnings` or `lint.deny`.
    Warning,
    /// Must be fixed.
    Error,
}

impl Severity {
    /// The SARIF 2.1.0 `level` of this severity (`note` for info).
    pub fn sarif_level(self) -> &'static str {
        match self {
            Severity::Info => "note",
            other => other.as_str(),
        }
    }

    /// The word used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem, located as precisely as charter can.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Kebab-case rule name, e.g. `term-order`.
    pub rule: String,
    /// Error or warning, after settings are applied.
    pub severity: Severity,
    /// Path relative to the repository root, with `/` separators.
    pub file: String,
    /// 1-based line, when the finding has a place in the file.
    pub line: Option<usize>,
    /// 1-based column, when the finding has a place in the file.
    pub column: Option<usize>,
    /// The commit a history finding is about.
    pub commit: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Finding {
    /// A finding of `rule` at its catalogue severity.
    pub fn new(rule: &str, file: &str, message: impl Into<String>) -> Self {
        Finding {
            rule: rule.to_owned(),
            severity: rule_info(rule).map_or(Severity::Error, |r| r.severity),
            file: file.to_owned(),
            line: None,
            column: None,
            commit: None,
            message: message.into(),
            hint: None,
        }
    }

    /// Point the finding at a place in the file.
    pub fn at(mut self, pos: crate::yaml::Pos) -> Self {
        self.line = Some(pos.line);
        self.column = Some(pos.column);
        self
    }

    /// Add advice on what to do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Tie the finding to a commit.
    pub fn commit(mut self, commit: impl Into<String>) -> Self {
        self.commit = Some(commit.into());
        self
    }
}

/// What charter knows about a rule: its default severity, and whether it
/// guards the integrity of the record (those can never be silenced).
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// Kebab-case name.
    pub name: &'static str,
    /// Severity unless settings say otherwise.
    pub severity: Severity,
    /// Integrity rules cannot be allowed away by `lint.allow`.
    pub integrity: bool,
    /// One line on what the rule checks, for docs and `--help`.
    pub summary: &'static str,
}

const fn rule(
    name: &'static str,
    severity: Severity,
    integrity: bool,
    summary: &'static str,
) -> RuleInfo {
    RuleInfo {
        name,
        severity,
        integrity,
        summary,
    }
}

use Severity::{Error as E, Info as I, Warning as W};

/// Every rule charter reports.
pub const RULES: &[RuleInfo] = &[
    rule("yaml-syntax", E, false, "the file is not YAML charter can read (syntax, tags, duplicate keys, non-integer numbers, size)"),
    rule("schema", E, false, "a field is missing, unknown or of the wrong type"),
    rule("invalid-id", E, false, "an agreement or goal id is not [a-z0-9][a-z0-9-]{0,63}"),
    rule("invalid-path", E, false, "a file charter reads is not a regular file inside the repository"),
    rule("invalid-email", E, false, "a party's email cannot serve as a signing principal"),
    rule("placeholder", E, false, "a template placeholder (<…>) was left unfilled"),
    rule("duplicate-goal-id", E, false, "two goals share an id"),
    rule("term-order", E, false, "the term ends before it starts"),
    rule("effective-before-start", E, false, "a version takes effect before the term starts"),
    rule("goal-due-outside-term", W, false, "a goal is due outside the term"),
    rule("same-party", E, false, "mentor and mentee are the same person"),
    rule("notice-zero", W, false, "the notice period is zero"),
    rule("goal-missing-evidence", W, false, "a goal says nothing about evidence"),
    rule("open-ended", W, false, "no term end and no reviews"),
    rule("unknown-signer", W, false, "a party's email matches no principal in allowed_signers"),
    rule("settings", E, false, "charter.yaml is invalid"),
    rule("allowed-signers", E, true, "allowed_signers cannot be read or has unsupported lines"),
    rule("invalid-signoff", E, true, "a sign-off is malformed or does not verify"),
    rule("signoff-modified", E, true, "a sign-off file was changed, deleted or left outside the sign-off directory"),
    rule("invalid-checkin", E, true, "a check-in is malformed, does not verify, or does not fit the version it reports on"),
    rule("checkin-modified", E, true, "a check-in file was changed or deleted"),
    rule("invalid-decline", E, true, "a signed refusal of a proposal is malformed or does not verify"),
    rule("notice-period", E, true, "a signed amendment takes effect before its notice period ends"),
    rule("notice-pending", W, true, "a pending amendment would take effect before its notice period ends"),
    rule("same-key", W, true, "mentor and mentee signed with the same key, so the version is not signed"),
    rule("party-change", E, true, "a party changed without the previous party signing"),
    rule("agreement-removed", E, true, "an agreement with a signed version was deleted, renamed or left outside the agreements directory"),
    rule("concluded-changed", E, true, "an agreement changed after a concluding version was signed"),
    rule("rebase-needed", E, true, "a path changed both in the pull request and on its base"),
    rule("suspicious-time", W, true, "a commit's time is in the future, before its parent's or a merged commit's, or moved by clamping"),
    rule("trust-root-change", W, true, "allowed_signers, or where charter.yaml says the trust root or records are, changed"),
    rule("unsigned", E, true, "in a pull request, an agreement's version at head is not signed by the parties that must sign it (charter.yaml gate.unsigned)"),
    rule("policy", E, false, "an agreement breaks the programme's policy in charter.yaml"),
    rule("template-drift", I, false, "the template an agreement was made from has changed since"),
];

/// Look a rule up by name.
pub fn rule_info(name: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.name == name)
}

/// Counts of errors and warnings, as every JSON report carries them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Number of error findings.
    pub errors: usize,
    /// Number of warning findings.
    pub warnings: usize,
    /// Number of info findings (they never fail a check); present only
    /// when there are some, so reports without them keep their shape.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub info: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    /// Count the findings.
    pub fn of(findings: &[Finding]) -> Self {
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            info: count(Severity::Info),
        }
    }
}

#[cfg(test)]
mod tests {
    /// `check` judges and `render` prints a check's report, so `render`
    /// depends on `check` and never the other way round: what both need
    /// (findings, [`super::Sources`]) lives here.
    #[test]
    fn check_does_not_depend_on_render() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/check");
        let mut read = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            read += 1;
            assert!(
                !text.contains("crate::render") && !text.contains("super::super::render"),
                "{} uses the renderers",
                path.display()
            );
        }
        assert!(read > 3, "src/check has its modules");
    }
}
