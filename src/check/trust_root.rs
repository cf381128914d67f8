//! `trust-root-change`: what a change to the trust root means, line by line.
//!
//! Two `allowed_signers` lines mean the same only when everything OpenSSH
//! reads from them is the same: the principal patterns, the key, and every
//! option (`cert-authority`, `namespaces`, `valid-after`, `valid-before`).
//! Comments and line numbers do not count. Any other difference is listed,
//! as a line removed and a line added, so that a reviewer sees, say, a
//! `cert-authority` line turned into a plain key.

use std::collections::HashMap;

use crate::finding::Finding;
use crate::record::Record;
use crate::signoff::{AllowedSigners, SignerEntry};

/// Everything a line of `allowed_signers` says, as comparable values.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Meaning {
    principals: String,
    key: String,
    cert_authority: bool,
    namespaces: Option<String>,
    valid_after: Option<String>,
    valid_before: Option<String>,
}

impl Meaning {
    fn of(e: &SignerEntry) -> Meaning {
        let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
            t.map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        };
        Meaning {
            principals: e.principals.clone(),
            key: e.key.fingerprint(ssh_key::HashAlg::Sha256).to_string(),
            cert_authority: e.cert_authority,
            namespaces: e.namespaces.clone(),
            valid_after: time(e.valid_after),
            valid_before: time(e.valid_before),
        }
    }

    /// `the key SHA256:… for PRINCIPALS (options)`.
    fn describe(&self) -> String {
        let mut options = Vec::new();
        if self.cert_authority {
            options.push("cert-authority".to_owned());
        }
        if let Some(ns) = &self.namespaces {
            options.push(format!("namespaces=\"{ns}\""));
        }
        if let Some(t) = &self.valid_after {
            options.push(format!("valid-after {t}"));
        }
        if let Some(t) = &self.valid_before {
            options.push(format!("valid-before {t}"));
        }
        let mut text = format!("the key {} for {}", self.key, self.principals);
        if !options.is_empty() {
            text.push_str(&format!(" ({})", options.join(", ")));
        }
        text
    }
}

/// The trust root before and after a change, with the files they come from.
pub struct Change<'a> {
    /// The file the old trust root was read from.
    pub old_file: &'a str,
    /// The old trust root.
    pub old: &'a AllowedSigners,
    /// The file the new trust root is read from.
    pub new_file: &'a str,
    /// The new trust root.
    pub new: &'a AllowedSigners,
    /// The commit that makes the change, for history findings.
    pub commit: Option<String>,
}

/// One `trust-root-change` warning per line whose meaning was added or
/// removed, with the sign-offs (in `records`) a removal would invalidate.
pub fn findings(change: &Change<'_>, records: &[Record], findings: &mut Vec<Finding>) {
    let old: Vec<Meaning> = change.old.entries().iter().map(Meaning::of).collect();
    let new: Vec<Meaning> = change.new.entries().iter().map(Meaning::of).collect();
    let mut by_key: HashMap<&str, Vec<&str>> = HashMap::new();
    for record in records {
        for s in record.signoffs.iter().filter(|s| s.valid) {
            if let Some(k) = &s.key_fingerprint {
                by_key.entry(k.as_str()).or_default().push(&s.file);
            }
        }
    }
    let located = |f: Finding, line: usize| {
        let f = f.at(crate::yaml::Pos { line, column: 1 });
        match &change.commit {
            Some(c) => f.commit(c.clone()),
            None => f,
        }
    };
    for (entry, meaning) in change.new.entries().iter().zip(&new) {
        if !old.contains(meaning) {
            findings.push(located(
                Finding::new(
                    crate::finding::Rule::TrustRootChange,
                    change.new_file,
                    format!(
                        "adds or changes {}; it is trusted once this is merged",
                        meaning.describe()
                    ),
                )
                .hint("check with the person, out of band, that this key is theirs"),
                entry.line,
            ));
        }
    }
    for (entry, meaning) in change.old.entries().iter().zip(&old) {
        if !new.contains(meaning) {
            let affected = by_key
                .get(meaning.key.as_str())
                .map(|v| v.join(", "))
                .unwrap_or_default();
            let mut message = format!("removes or changes {}", meaning.describe());
            if !affected.is_empty() {
                message.push_str(&format!("; this would invalidate the sign-offs {affected}"));
            }
            findings.push(located(
                Finding::new(crate::finding::Rule::TrustRootChange, change.old_file, message)
                    .hint("to retire a key, keep its line and add valid-before=\"YYYYMMDDZ\"; removing it invalidates what it signed"),
                entry.line,
            ));
        }
    }
}
