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
    /// The rule (kebab-case in output, e.g. `term-order`).
    pub rule: Rule,
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
    pub fn new(rule: Rule, file: &str, message: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: rule.info().severity,
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
    /// The rule.
    pub rule: Rule,
    /// Kebab-case name.
    pub name: &'static str,
    /// Severity unless settings say otherwise.
    pub severity: Severity,
    /// Integrity rules cannot be allowed away by `lint.allow`.
    pub integrity: bool,
    /// One line on what the rule checks, for docs and `--help`.
    pub summary: &'static str,
}

use Severity::{Error as E, Info as I, Warning as W};

/// The rules, each once: its variant, its name in output and settings, its
/// default severity, whether it guards integrity, and its summary.
macro_rules! rules {
    ($($variant:ident = $name:literal, $severity:ident, $integrity:literal, $summary:literal;)*) => {
        /// Every rule charter reports. A finding names its rule with this
        /// type, so a misspelt rule is a compile error rather than a finding
        /// no setting can match; in output and settings it is the kebab-case
        /// name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $(
                #[doc = concat!("`", $name, "`: see its summary in [`RULES`].")]
                $variant,
            )*
        }

        impl Rule {
            /// The rule's name in output and in `charter.yaml`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Rule::$variant => $name,)*
                }
            }
        }

        /// Every rule charter reports, in the order docs list them.
        pub const RULES: &[RuleInfo] = &[
            $(RuleInfo {
                rule: Rule::$variant,
                name: $name,
                severity: $severity,
                integrity: $integrity,
                summary: $summary,
            },)*
        ];
    };
}

rules! {
    YamlSyntax = "yaml-syntax", E, false, "the file is not YAML charter can read (syntax, tags, duplicate keys, non-integer numbers, size)";
    Schema = "schema", E, false, "a field is missing, unknown or of the wrong type";
    InvalidId = "invalid-id", E, false, "an agreement or goal id is not [a-z0-9][a-z0-9-]{0,63}";
    InvalidPath = "invalid-path", E, false, "a file charter reads is not a regular file inside the repository";
    InvalidEmail = "invalid-email", E, false, "a party's email cannot serve as a signing principal";
    Placeholder = "placeholder", E, false, "a template placeholder (<…>) was left unfilled";
    DuplicateGoalId = "duplicate-goal-id", E, false, "two goals share an id";
    TermOrder = "term-order", E, false, "the term ends before it starts";
    EffectiveBeforeStart = "effective-before-start", E, false, "a version takes effect before the term starts";
    GoalDueOutsideTerm = "goal-due-outside-term", W, false, "a goal is due outside the term";
    SameParty = "same-party", E, false, "mentor and mentee are the same person";
    NoticeZero = "notice-zero", W, false, "the notice period is zero";
    GoalMissingEvidence = "goal-missing-evidence", W, false, "a goal says nothing about evidence";
    OpenEnded = "open-ended", W, false, "no term end and no reviews";
    UnknownSigner = "unknown-signer", W, false, "a party's email matches no principal in allowed_signers";
    Settings = "settings", E, false, "charter.yaml is invalid";
    AllowedSigners = "allowed-signers", E, true, "allowed_signers cannot be read or has unsupported lines";
    InvalidSignoff = "invalid-signoff", E, true, "a sign-off is malformed or does not verify";
    SignoffModified = "signoff-modified", E, true, "a sign-off file was changed, deleted or left outside the sign-off directory";
    InvalidCheckin = "invalid-checkin", E, true, "a check-in is malformed, does not verify, or does not fit the version it reports on";
    CheckinModified = "checkin-modified", E, true, "a check-in file was changed or deleted";
    InvalidDecline = "invalid-decline", E, true, "a signed refusal of a proposal is malformed or does not verify";
    NoticePeriod = "notice-period", E, true, "a signed amendment takes effect before its notice period ends";
    NoticePending = "notice-pending", W, true, "a pending amendment would take effect before its notice period ends";
    SameKey = "same-key", W, true, "mentor and mentee signed with the same key, so the version is not signed";
    PartyChange = "party-change", E, true, "a party changed without the previous party signing";
    AgreementRemoved = "agreement-removed", E, true, "an agreement with a signed version was deleted, renamed or left outside the agreements directory";
    ConcludedChanged = "concluded-changed", E, true, "an agreement changed after a concluding version was signed";
    RebaseNeeded = "rebase-needed", E, true, "a path changed both in the pull request and on its base";
    SuspiciousTime = "suspicious-time", W, true, "a commit's time is in the future, before its parent's or a merged commit's, or moved by clamping";
    TrustRootChange = "trust-root-change", W, true, "allowed_signers, or where charter.yaml says the trust root or records are, changed";
    Unsigned = "unsigned", E, true, "in a pull request, an agreement's version at head is not signed by the parties that must sign it (charter.yaml gate.unsigned)";
    Policy = "policy", E, false, "an agreement breaks the programme's policy in charter.yaml";
    TemplateDrift = "template-drift", I, false, "the template an agreement was made from has changed since";
}

impl Rule {
    /// What the catalogue says about the rule.
    pub fn info(self) -> &'static RuleInfo {
        RULES
            .iter()
            .find(|r| r.rule == self)
            .expect("every rule is in the catalogue")
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Rule {
    type Err = String;

    fn from_str(name: &str) -> Result<Rule, String> {
        rule_info(name)
            .map(|r| r.rule)
            .ok_or_else(|| format!("`{name}` is not a charter rule"))
    }
}

impl PartialEq<&str> for Rule {
    fn eq(&self, name: &&str) -> bool {
        self.name() == *name
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Rule, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// Look a rule up by name (settings name rules as text).
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

    /// Each rule is in the catalogue once, under the name it prints, and
    /// reads back from that name (settings and JSON name rules as text).
    #[test]
    fn every_rule_has_one_entry_and_reads_back_from_its_name() {
        use super::{Rule, RULES};
        for info in RULES {
            assert_eq!(info.rule.name(), info.name);
            assert_eq!(info.name.parse::<Rule>(), Ok(info.rule));
            assert_eq!(RULES.iter().filter(|r| r.rule == info.rule).count(), 1);
            let json = serde_json::to_string(&info.rule).unwrap();
            assert_eq!(json, format!("\"{}\"", info.name));
            assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), info.rule);
        }
        assert!(RULES.len() >= 30);
        assert!("no-such-rule".parse::<Rule>().is_err());
        assert!(serde_json::from_str::<Rule>("\"no-such-rule\"").is_err());
    }
}
