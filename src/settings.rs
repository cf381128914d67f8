//! `charter.yaml`: the programme's settings (README, "Repository layout"), all optional.
//!
//! In CI these come from the base revision, so a pull request cannot relax
//! its own gate; this module only models and validates them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::agreement::model::FormatVersion;
use crate::document;
use crate::finding::{rule_info, Finding, Severity};
use crate::yaml::Segment;

/// The file name at the repository root.
pub const FILE: &str = "charter.yaml";

/// Settings for a repository of agreements.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "charter settings (charter.yaml)")]
pub struct Settings {
    /// Format version of this file; always 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charter: Option<FormatVersion>,
    /// The programme's display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// Directory of agreements (default `agreements`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreements: Option<String>,
    /// Directory of sign-offs (default `signoffs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signoffs: Option<String>,
    /// The OpenSSH allowed-signers file (default `allowed_signers`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_signers: Option<String>,
    /// Directory of check-ins (default `checkins`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkins: Option<String>,
    /// Severity adjustments for validation rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lint: Option<Lint>,
    /// Past findings the programme has accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept: Option<Vec<Accept>>,
    /// How strict the pull-request gate (`check --base`) is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<Gate>,
    /// Directory of programme templates for `charter new --template` (default `templates`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub templates: Option<String>,
    /// Rules every agreement of the programme must follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<crate::policy::Policy>,
}

/// The gate's strictness. Read from the base revision in `check --base`,
/// like every trust input, so a pull request cannot relax its own gate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// What `check --base` reports for an agreement whose version at head is
    /// not signed by both parties (one party for a concluding version):
    /// `error` (default) fails the pull request, `warning` lets teams merge
    /// proposals first and sign later, `off` says nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsigned: Option<GateLevel>,
}

/// How the gate treats one kind of problem.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum GateLevel {
    /// An error finding: the gate fails.
    #[default]
    Error,
    /// A warning finding: the gate passes unless warnings are denied.
    Warning,
    /// No finding.
    Off,
}

/// The default directory of programme templates.
pub const DEFAULT_TEMPLATES: &str = "templates";

/// Rules to promote to errors or to silence.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lint {
    /// Rules reported as errors.
    #[serde(default)]
    pub deny: Vec<String>,
    /// Validation rules not reported at all (integrity rules cannot be allowed).
    #[serde(default)]
    pub allow: Vec<String>,
}

/// A finding the programme has reviewed and accepted, so that a
/// whole-history check is not red forever.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Accept {
    /// The rule of the accepted finding.
    pub rule: String,
    /// The full commit id the finding is about.
    pub commit: String,
    /// Why it was accepted.
    pub reason: String,
}

/// Where things live in a repository, after settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Directory of agreements, relative to the root.
    pub agreements: String,
    /// Directory of sign-offs, relative to the root.
    pub signoffs: String,
    /// The allowed-signers file, relative to the root.
    pub allowed_signers: String,
    /// Directory of check-ins, relative to the root.
    pub checkins: String,
}

impl Layout {
    /// The paths that make a directory or commit a charter repository:
    /// `charter.yaml`, the agreements and sign-offs directories and the
    /// trust root. Where none exists, `validate` and `check` refuse rather
    /// than report "no problems" for a CI job pointed at the wrong place.
    pub fn markers(&self) -> Vec<String> {
        let mut paths = vec![
            FILE.to_owned(),
            self.agreements.clone(),
            self.signoffs.clone(),
            self.allowed_signers.clone(),
        ];
        paths.dedup();
        paths
    }

    /// The file of agreement `id`: `<agreements>/<id>.yaml`, the one name
    /// every command reads and writes it under
    /// ([`crate::agreement::file_name`]).
    pub fn agreement_file(&self, id: &str) -> String {
        format!(
            "{}/{id}{}",
            self.agreements,
            crate::agreement::file_name::EXTENSION
        )
    }
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            agreements: "agreements".into(),
            signoffs: "signoffs".into(),
            allowed_signers: "allowed_signers".into(),
            checkins: "checkins".into(),
        }
    }
}

impl Settings {
    /// The directory of programme templates, relative to the root.
    pub fn templates_dir(&self) -> String {
        self.templates
            .clone()
            .unwrap_or_else(|| DEFAULT_TEMPLATES.to_owned())
    }

    /// The file of programme template `name`: `<templates>/<name>.yaml`,
    /// where `init` writes it, `new` reads it and `diff --template` looks
    /// for its history.
    pub fn template_file(&self, name: &str) -> String {
        format!("{}/{name}.yaml", self.templates_dir())
    }

    /// Paths after defaults.
    pub fn layout(&self) -> Layout {
        let d = Layout::default();
        Layout {
            agreements: self.agreements.clone().unwrap_or(d.agreements),
            signoffs: self.signoffs.clone().unwrap_or(d.signoffs),
            allowed_signers: self.allowed_signers.clone().unwrap_or(d.allowed_signers),
            checkins: self.checkins.clone().unwrap_or(d.checkins),
        }
    }

    /// `gate.unsigned`, after its default (`error`).
    pub fn gate_unsigned(&self) -> GateLevel {
        self.gate
            .as_ref()
            .and_then(|g| g.unsigned)
            .unwrap_or_default()
    }

    /// Parse and validate `charter.yaml`. Invalid settings yield defaults plus
    /// findings, so that the rest of a check still runs.
    pub fn load(bytes: &[u8]) -> (Settings, Vec<Finding>) {
        let mut findings = Vec::new();
        let node = match document::parse(FILE, bytes) {
            Ok(node) => node,
            Err(f) => return (Settings::default(), vec![f]),
        };
        if node.value == crate::yaml::Value::Null {
            return (Settings::default(), findings);
        }
        let mut settings: Settings = match document::typed_all(FILE, &node) {
            Ok(s) => s,
            Err(mut all) => {
                for f in &mut all {
                    f.rule = crate::finding::Rule::Settings;
                }
                return (Settings::default(), all);
            }
        };
        let mut bad = |path: &[Segment<'_>], message: String, hint: &str| {
            findings.push(
                Finding::new(crate::finding::Rule::Settings, FILE, message)
                    .at(node.locate(path.iter().copied()))
                    .hint(hint),
            );
        };
        for (key, value) in [
            ("agreements", &mut settings.agreements),
            ("signoffs", &mut settings.signoffs),
            ("allowed_signers", &mut settings.allowed_signers),
            ("templates", &mut settings.templates),
            ("checkins", &mut settings.checkins),
        ] {
            if let Some(path) = value {
                if !is_safe_relative_path(path) {
                    bad(
                        &[Segment::Key(key)],
                        format!("`{key}: {path}` must be a relative path inside the repository"),
                        "use a plain relative path such as `agreements`, without `..` or a leading `/`",
                    );
                    *value = None;
                }
            }
        }
        if let Some(lint) = &settings.lint {
            for (list, names) in [("deny", &lint.deny), ("allow", &lint.allow)] {
                for (i, name) in names.iter().enumerate() {
                    let at = [Segment::Key("lint"), Segment::Key(list), Segment::Index(i)];
                    match rule_info(name) {
                        None => bad(
                            &at,
                            format!("`{name}` is not a charter rule"),
                            "see the list of rules in the README",
                        ),
                        Some(rule) if list == "allow" && rule.integrity => bad(
                            &at,
                            format!("`{name}` guards the integrity of the record and cannot be allowed"),
                            "only validation rules can be silenced; use `accept` for a reviewed past finding",
                        ),
                        Some(_) => {}
                    }
                }
            }
        }
        for (i, accept) in settings.accept.iter().flatten().enumerate() {
            if rule_info(&accept.rule).is_none() {
                bad(
                    &[
                        Segment::Key("accept"),
                        Segment::Index(i),
                        Segment::Key("rule"),
                    ],
                    format!("`{}` is not a charter rule", accept.rule),
                    "see the list of rules in the README",
                );
            }
            if accept.commit.len() != 40 || !accept.commit.bytes().all(|b| b.is_ascii_hexdigit()) {
                bad(
                    &[
                        Segment::Key("accept"),
                        Segment::Index(i),
                        Segment::Key("commit"),
                    ],
                    format!("`{}` is not a full commit id", accept.commit),
                    "give the full 40-character commit id the finding names",
                );
            }
        }
        if let Some(policy) = &settings.policy {
            for (path, message) in crate::policy::self_check(policy) {
                let mut at = vec![Segment::Key("policy")];
                at.extend(path.iter().map(|p| match p.parse::<usize>() {
                    Ok(i) => Segment::Index(i),
                    Err(_) => Segment::Key(p.as_str()),
                }));
                bad(
                    &at,
                    message,
                    "`policy.required` takes field paths of the agreement format, such as reviews or confidentiality.notes.retention; `notice.min` must not exceed `notice.max`",
                );
            }
        }
        (settings, findings)
    }

    /// Apply `lint.deny`, `lint.allow` and `--deny-warnings` to findings.
    pub fn adjust(&self, findings: Vec<Finding>, deny_warnings: bool) -> Vec<Finding> {
        let empty = Lint::default();
        let lint = self.lint.as_ref().unwrap_or(&empty);
        findings
            .into_iter()
            .filter(|f| {
                let integrity = f.rule.info().integrity;
                integrity || !lint.allow.iter().any(|r| r == f.rule.name())
            })
            .map(|mut f| {
                let promote = (deny_warnings && f.severity == Severity::Warning)
                    || lint.deny.iter().any(|r| r == f.rule.name());
                if promote {
                    f.severity = Severity::Error;
                }
                f
            })
            .collect()
    }
}

/// A relative path that stays inside the repository: no `..`, no root, no
/// empty or `.` components, no backslashes.
pub fn is_safe_relative_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != ".." && !c.contains(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Agreement and template files are named from the settings, so a
    /// repository that moves either directory is read where it says.
    #[test]
    fn files_follow_the_directories_set() {
        let (s, f) = Settings::load(b"charter: 1\nagreements: records\ntemplates: programme/t\n");
        assert!(f.is_empty(), "{f:?}");
        assert_eq!(
            s.layout().agreement_file("ada-grace"),
            "records/ada-grace.yaml"
        );
        assert_eq!(s.template_file("short"), "programme/t/short.yaml");
        let d = Settings::default();
        assert_eq!(d.layout().agreement_file("a"), "agreements/a.yaml");
        assert_eq!(d.template_file("default"), "templates/default.yaml");
    }

    #[test]
    fn defaults_and_paths() {
        let (s, f) = Settings::load(b"agreements: ../etc\nsignoffs: docs/signoffs\n");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, Some(1));
        assert_eq!(s.layout().agreements, "agreements");
        assert_eq!(s.layout().signoffs, "docs/signoffs");
    }

    #[test]
    fn integrity_rules_cannot_be_allowed() {
        let (_, f) = Settings::load(b"lint:\n  allow: [open-ended, notice-period, nope]\n");
        let messages: Vec<_> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(f.len(), 2, "{messages:?}");
        assert_eq!((f[0].line, f[0].column), (Some(2), Some(23)));
    }

    #[test]
    fn adjust_severities() {
        let (s, _) = Settings::load(b"lint: {deny: [open-ended], allow: [notice-zero]}\n");
        let findings = vec![
            Finding::new(crate::finding::Rule::OpenEnded, "a", "x"),
            Finding::new(crate::finding::Rule::NoticeZero, "a", "x"),
            Finding::new(crate::finding::Rule::GoalMissingEvidence, "a", "x"),
        ];
        let out = s.adjust(findings, false);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].severity, Severity::Error);
        assert_eq!(out[1].severity, Severity::Warning);
        let out = s.adjust(out, true);
        assert!(out.iter().all(|f| f.severity == Severity::Error));
    }

    #[test]
    fn unknown_keys_are_settings_findings() {
        let (_, f) = Settings::load(b"programme: X\n");
        assert_eq!(f[0].rule, "settings");
    }
}
