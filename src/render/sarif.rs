//! `check --format sarif`: SARIF 2.1.0 that GitHub code scanning accepts.
//!
//! Code scanning wants more than the schema does: every result placed in a
//! file with a region, every rule described (`shortDescription`,
//! `fullDescription`, `help`), and `partialFingerprints` that stay the same
//! from run to run, so an alert is tracked rather than closed and reopened.
//! URIs are relative to `%SRCROOT%`, which the uploader maps to the checkout;
//! `originalUriBaseIds` is left out because a relative base URI there is
//! invalid and an absolute one would differ on every machine.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::check::Report;
use crate::finding::{rule_info, Finding, Severity};

/// The official schema of the format written here.
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The file a finding about history is shown in when it names no file and
/// its commit changed none charter knows of: the settings file, at line 1.
pub const FALLBACK_FILE: &str = crate::settings::FILE;

/// The key of charter's own entry in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "charterFinding/v1";

pub use crate::check::Places;

/// Write the report as one SARIF run: the rules used, one result per finding.
pub fn write(out: &mut dyn Write, report: &Report, places: &Places) -> io::Result<()> {
    let mut rules: Vec<&str> = report.findings.iter().map(|f| f.rule.name()).collect();
    rules.sort_unstable();
    rules.dedup();
    let rule_objects: Vec<Value> = rules.iter().map(|r| rule_object(r)).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let place = place(f, report, places);
            let base = fingerprint(f, &place, report);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let fingerprint = format!("{base}:{n}");
            result_object(f, &rules, &place, fingerprint)
        })
        .collect();
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "charter",
                "semanticVersion": crate::ci::VERSION,
                "version": crate::ci::VERSION,
                "informationUri": crate::ci::REPOSITORY,
                "rules": rule_objects,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// Where a result is shown: always a file and a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Path relative to the repository root.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, when the finding has one.
    pub column: Option<usize>,
}

/// The place of a finding: its own line; else, in a sign-off (or any file
/// with a `signature:` line), that line, since the signature is what the
/// finding is about; else line 1. A finding with no file is shown in a file
/// its commit changed, or in the settings file.
pub fn place(f: &Finding, report: &Report, places: &Places) -> Place {
    if f.file.is_empty() {
        let file = f
            .commit
            .as_ref()
            .and_then(|c| places.commit_files.get(c))
            .cloned()
            .unwrap_or_else(|| FALLBACK_FILE.to_owned());
        return Place {
            file,
            line: 1,
            column: None,
        };
    }
    if let Some(line) = f.line.filter(|l| *l >= 1) {
        return Place {
            file: f.file.clone(),
            line,
            column: f.column.filter(|c| *c >= 1),
        };
    }
    let line = report
        .sources
        .get(&f.file)
        .and_then(|text| signature_line(text))
        .unwrap_or(1);
    Place {
        file: f.file.clone(),
        line,
        column: None,
    }
}

/// The 1-based line of a top-level `signature:` key.
pub fn signature_line(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.starts_with("signature:"))
        .map(|i| i + 1)
}

/// What identifies a finding across runs: its rule, the file it is shown in
/// and the text of the line it points at (not the line number, which moves
/// when lines are added above). Never a commit id, a time, today's date or
/// the wording of the message, so runs on other days, the same change
/// committed again at another time, and re-worded messages keep the same
/// alert. Equal keys within a run are numbered in order.
fn fingerprint(f: &Finding, place: &Place, report: &Report) -> String {
    let line_text = report
        .sources
        .get(&place.file)
        .and_then(|text| text.lines().nth(place.line - 1))
        .map(str::trim)
        .unwrap_or_default();
    let mut hash = Sha256::new();
    for part in [f.rule.name(), place.file.as_str(), line_text] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn result_object(f: &Finding, rules: &[&str], place: &Place, fingerprint: String) -> Value {
    let mut message = f.message.clone();
    if let Some(hint) = &f.hint {
        message.push_str(&format!(" (hint: {hint})"));
    }
    let mut region = json!({"startLine": place.line});
    if let Some(column) = place.column {
        region["startColumn"] = json!(column);
    }
    let mut result = json!({
        "ruleId": f.rule,
        "ruleIndex": rules.iter().position(|r| *r == f.rule.name()),
        "level": level(f.severity),
        "message": {"text": message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri(&place.file), "uriBaseId": "%SRCROOT%"},
                "region": region,
            }
        }],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    });
    if let Some(commit) = &f.commit {
        result["properties"] = json!({"commit": commit});
    }
    result
}

fn level(severity: Severity) -> &'static str {
    severity.sarif_level()
}

fn rule_object(rule: &str) -> Value {
    let info = rule_info(rule);
    let summary = info.map_or(rule, |i| i.summary);
    let severity = info.map_or(Severity::Error, |i| i.severity);
    let integrity = info.is_some_and(|i| i.integrity);
    let short = sentence(summary);
    let full = if integrity {
        format!(
            "{short} This rule guards the integrity of the record: `lint.allow` cannot silence it."
        )
    } else {
        format!("{short} A validation rule: `lint.deny` and `lint.allow` in charter.yaml change its severity.")
    };
    let help = help_text(rule, integrity);
    json!({
        "id": rule,
        "name": rule,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help, "markdown": help},
        "helpUri": format!("{}/blob/v{}/README.md#findings", crate::ci::REPOSITORY, crate::ci::VERSION),
        "defaultConfiguration": {"level": level(severity)},
        "properties": {"tags": [if integrity { "integrity" } else { "validation" }]},
    })
}

/// What to do about a finding of a rule, beyond the finding's own hint.
fn help_text(rule: &str, integrity: bool) -> String {
    let specific = match rule {
        "yaml-syntax" | "schema" | "invalid-id" | "placeholder" | "duplicate-goal-id"
        | "term-order" | "effective-before-start" | "same-party" | "invalid-email" => {
            "Fix the agreement at the place shown, then run `charter validate` until it is clean."
        }
        "unknown-signer" => {
            "Add the party's SSH public key to allowed_signers with their email as the principal, or correct the email."
        }
        "invalid-signoff" => {
            "Run `charter verify` to see why the sign-off does not verify; the party signs again with `charter sign ID --as ROLE`."
        }
        "signoff-modified" => {
            "Sign-off files are append-only: restore the file as it was; add a new sign-off instead of editing one."
        }
        "notice-period" | "notice-pending" => {
            "Move `effective` to the earliest date the notice allows, or have both parties sign with `--waive-notice`."
        }
        "rebase-needed" => "Rebase the pull request on its base branch and push again.",
        "trust-root-change" => {
            "Confirm each added key with its owner out of band before merging; retire keys with valid-before instead of deleting them."
        }
        "suspicious-time" => {
            "Check the committer's clock; charter never lets a commit look older than its parent."
        }
        _ => "The finding's message and hint say what is wrong and what to do.",
    };
    let silence = if integrity {
        "A reviewed past finding can be recorded under `accept:` in charter.yaml."
    } else {
        "Its severity can be changed with `lint` in charter.yaml."
    };
    format!("{specific} {silence} Run `charter check` locally to see the same findings.")
}

fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect::<String>(),
        None => String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// A repository path as a relative URI reference: every byte outside the
/// unreserved set and `/` percent-encoded.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_escaped() {
        assert_eq!(
            uri("agreements/ada-grace.yaml"),
            "agreements/ada-grace.yaml"
        );
        assert_eq!(uri("my dir/a#b.yaml"), "my%20dir/a%23b.yaml");
        assert_eq!(uri("é"), "%C3%A9");
    }

    #[test]
    fn the_signature_line_is_found() {
        let text = "agreement: a\nrole: mentee\nsignature: |\n  -----BEGIN SSH SIGNATURE-----\n";
        assert_eq!(signature_line(text), Some(3));
        assert_eq!(signature_line("agreement: a\n"), None);
    }

    #[test]
    fn every_catalogue_rule_is_described() {
        for r in crate::finding::RULES {
            let rule = rule_object(r.name);
            for key in ["shortDescription", "fullDescription", "help"] {
                let text = rule[key]["text"].as_str().unwrap();
                assert!(text.len() > 10, "{}: {key}", r.name);
            }
        }
    }
}
