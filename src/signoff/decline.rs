//! Declines: a party's signed refusal of a proposed version, kept beside
//! the sign-offs as `signoffs/<id>/<v12>-<role>-decline-<h8>.yaml`. Written
//! once by `charter decline`, never edited. The version stays `declined`
//! until that party signs it after all (a sign-off outweighs a refusal).

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::file::content_hash8;
use super::message::{check_principal, format_signed_at, is_version_id, parse_signed_at, Role};
use super::AllowedSigners;
use crate::agreement::types::is_valid_id;
use crate::finding::Finding;
use crate::history::History;
use crate::yaml::{Pos, Segment};

/// The SSHSIG namespace of declines.
pub const NAMESPACE: &str = "charter-decline";

/// The first line of every signed decline message.
pub const MESSAGE_HEADER: &str = "charter decline v1";

/// The rule of findings about declines.
pub const RULE: crate::finding::Rule = crate::finding::Rule::InvalidDecline;

/// Longest reason, in characters: a refusal names its reason briefly; the
/// conversation belongs elsewhere.
pub const MAX_REASON: usize = 280;

/// One party's signed refusal of one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "charter decline",
    description = "One party's signed refusal of a proposed agreement version; written once by `charter decline`, never edited."
)]
pub struct DeclineFile {
    /// The agreement id.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9-]{0,63}$"))]
    pub agreement: String,
    /// The refused version id: `sha256:` and 64 lowercase hex digits.
    #[schemars(regex(pattern = r"^sha256:[0-9a-f]{64}$"))]
    pub version: String,
    /// The party refusing.
    pub role: Role,
    /// The party's principal (email) as listed in `allowed_signers`.
    #[schemars(regex(pattern = r"^[^\s\x00-\x1f\x7f]+$"))]
    pub principal: String,
    /// When the party says they declined, `YYYY-MM-DDTHH:MM:SSZ`.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))]
    pub declined_at: String,
    /// A short reason (at most 280 characters, one line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 280), regex(pattern = r"^[^\x00-\x1f\x7f]*$"))]
    pub reason: Option<String>,
    /// The armored OpenSSH signature (namespace `charter-decline`).
    pub signature: String,
}

/// Whether a reason may be written: one line, at most [`MAX_REASON`] characters.
pub fn check_reason(reason: &str) -> Result<(), String> {
    if reason.chars().count() > MAX_REASON {
        return Err(format!(
            "the reason has {} characters; at most {MAX_REASON}",
            reason.chars().count()
        ));
    }
    if reason.chars().any(char::is_control) {
        return Err("a reason is one line of text, without control characters".to_owned());
    }
    Ok(())
}

impl DeclineFile {
    /// The exact bytes the signature covers, each line ending in `\n`:
    ///
    /// ```text
    /// charter decline v1
    /// agreement: <id>
    /// version: sha256:<64 hex>
    /// role: mentor|mentee
    /// principal: <principal>
    /// declined-at: YYYY-MM-DDTHH:MM:SSZ
    /// reason: "<reason>"        when there is one, as a JSON string
    /// ```
    pub fn message(&self) -> Vec<u8> {
        let mut out = format!(
            "{MESSAGE_HEADER}\nagreement: {}\nversion: {}\nrole: {}\nprincipal: {}\ndeclined-at: {}\n",
            self.agreement, self.version, self.role, self.principal, self.declined_at
        );
        if let Some(reason) = &self.reason {
            out.push_str(&format!(
                "reason: {}\n",
                serde_json::to_string(reason).unwrap_or_default()
            ));
        }
        out.into_bytes()
    }

    /// The canonical text of the file; it parses back to the same value.
    pub fn render(&self) -> String {
        let mut out = format!(
            "agreement: {}\nversion: {}\nrole: {}\nprincipal: {}\ndeclined_at: {}\n",
            self.agreement,
            self.version,
            self.role,
            serde_json::to_string(&self.principal).unwrap_or_default(),
            self.declined_at
        );
        if let Some(reason) = &self.reason {
            out.push_str(&format!(
                "reason: {}\n",
                serde_json::to_string(reason).unwrap_or_default()
            ));
        }
        out.push_str("signature: |\n");
        for line in self.signature.lines() {
            out.push_str(&format!("  {line}\n"));
        }
        out
    }

    /// The file name `<v12>-<role>-decline-<h8>.yaml` for rendered `text`.
    pub fn file_name(&self, text: &str) -> String {
        format!(
            "{}-{}-decline-{}.yaml",
            self.version.get(7..19).unwrap_or_default(),
            self.role,
            content_hash8(text.as_bytes())
        )
    }

    /// A new decline of `version` by `role` at `at`, signature to be added.
    pub fn new(
        agreement: &str,
        version: &str,
        role: Role,
        principal: &str,
        at: DateTime<Utc>,
        reason: Option<String>,
    ) -> DeclineFile {
        DeclineFile {
            agreement: agreement.to_owned(),
            version: version.to_owned(),
            role,
            principal: principal.to_owned(),
            declined_at: format_signed_at(at),
            reason,
            signature: String::new(),
        }
    }

    /// Read a decline file; every failure is a located `invalid-decline` finding.
    pub fn parse(path: &str, bytes: &[u8]) -> Result<DeclineFile, Finding> {
        let relabel = |mut f: Finding| {
            f.rule = RULE;
            f.severity = crate::finding::Severity::Error;
            f.hint =
                Some("declines are written once by `charter decline` and never edited".to_owned());
            f
        };
        if bytes.len() > super::file::MAX_FILE_SIZE {
            return Err(relabel(Finding::new(
                RULE,
                path,
                "the file is too large for a decline",
            )));
        }
        let node = crate::document::parse(path, bytes).map_err(relabel)?;
        let file: DeclineFile = crate::document::typed(path, &node).map_err(relabel)?;
        let bad = |key: &str, message: String| {
            relabel(Finding::new(RULE, path, message).at(node.locate([Segment::Key(key)])))
        };
        if !is_valid_id(&file.agreement) {
            return Err(bad(
                "agreement",
                format!("`{}` is not an agreement id", file.agreement),
            ));
        }
        if !is_version_id(&file.version) {
            return Err(bad(
                "version",
                format!("`{}` is not a version id", file.version),
            ));
        }
        check_principal(&file.principal).map_err(|e| bad("principal", e.to_string()))?;
        parse_signed_at(&file.declined_at).map_err(|e| bad("declined_at", e.to_string()))?;
        if let Some(r) = &file.reason {
            check_reason(r).map_err(|e| bad("reason", e))?;
        }
        Ok(file)
    }
}

/// The parts of a decline file name `<v12>-<role>-decline-<h8>.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclineName {
    /// The first 12 hex digits of the version id.
    pub v12: String,
    /// The role.
    pub role: Role,
    /// The first 8 hex digits of the SHA-256 of the file's bytes.
    pub h8: String,
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl DeclineName {
    /// Split a file name, or `None` when it is not a decline's.
    pub fn parse(name: &str) -> Option<DeclineName> {
        let stem = name.strip_suffix(".yaml")?;
        let parts: Vec<&str> = stem.split('-').collect();
        let [v12, role, "decline", h8] = parts.as_slice() else {
            return None;
        };
        if !is_hex(v12, 12) || !is_hex(h8, 8) {
            return None;
        }
        Some(DeclineName {
            v12: (*v12).to_owned(),
            role: Role::parse(role)?,
            h8: (*h8).to_owned(),
        })
    }
}

/// One decline file and the verdict on it.
#[derive(Debug, Clone, Serialize)]
pub struct DeclineReport {
    /// Repository-relative path.
    pub file: String,
    /// The refused version.
    pub version: Option<String>,
    /// The refusing party.
    pub role: Option<Role>,
    /// The reason given.
    pub reason: Option<String>,
    /// When it landed (RFC 3339 UTC).
    pub decline_time: String,
    /// Whether it counts.
    pub valid: bool,
    /// Why not.
    pub problem: Option<String>,
    /// Where in the file the problem is.
    #[serde(skip)]
    pub pos: Option<Pos>,
}

/// Judge one decline file that landed at `time`.
pub fn judge(
    path: &str,
    bytes: &[u8],
    time: i64,
    id: &str,
    history: &History,
    signers: &AllowedSigners,
) -> DeclineReport {
    let at = DateTime::<Utc>::from_timestamp(time, 0).unwrap_or_default();
    let mut report = DeclineReport {
        file: path.to_owned(),
        version: None,
        role: None,
        reason: None,
        decline_time: format_signed_at(at),
        valid: false,
        problem: None,
        pos: None,
    };
    let file = match DeclineFile::parse(path, bytes) {
        Ok(f) => f,
        Err(f) => {
            report.problem = Some(f.message);
            report.pos = f
                .line
                .zip(f.column)
                .map(|(line, column)| Pos { line, column });
            return report;
        }
    };
    report.version = Some(file.version.clone());
    report.role = Some(file.role);
    report.reason = file.reason.clone();
    match problem(path, &file, bytes, at, id, history, signers) {
        Ok(()) => report.valid = true,
        Err(p) => report.problem = Some(p),
    }
    report
}

fn problem(
    path: &str,
    file: &DeclineFile,
    bytes: &[u8],
    at: DateTime<Utc>,
    id: &str,
    history: &History,
    signers: &AllowedSigners,
) -> Result<(), String> {
    let name = path.rsplit('/').next().unwrap_or_default();
    let directory = path.rsplit('/').nth(1).unwrap_or_default();
    let parsed = DeclineName::parse(name)
        .ok_or_else(|| format!("file name {name:?} is not <v12>-<role>-decline-<h8>.yaml"))?;
    if directory != file.agreement || file.agreement != id {
        return Err(format!(
            "the file is in directory {directory:?} but refuses agreement {:?}",
            file.agreement
        ));
    }
    if file.version.get(7..19) != Some(parsed.v12.as_str()) || parsed.role != file.role {
        return Err("the file name does not match its version or role".to_owned());
    }
    if content_hash8(bytes) != parsed.h8 {
        return Err("the file's bytes do not match the hash in its name: it was edited".to_owned());
    }
    let verified = super::verify::verify_in_namespace(&file.signature, &file.message(), NAMESPACE)
        .map_err(|e| e.to_string())?;
    signers
        .check(
            &file.principal,
            verified.public_key.key_data(),
            NAMESPACE,
            at,
        )
        .map_err(|e| e.to_string())?;
    let declined_at = parse_signed_at(&file.declined_at).map_err(|e| e.to_string())?;
    if declined_at > at + chrono::Duration::days(1) {
        return Err(format!(
            "declined_at {} is more than a day after the file landed",
            file.declined_at
        ));
    }
    let agreement = history
        .points
        .iter()
        .find(|p| p.state.version().map(|v| v.as_str()) == Some(file.version.as_str()))
        .and_then(|p| p.state.parsed())
        .and_then(|p| p.agreement())
        .ok_or_else(|| {
            "the refused version is not a valid version in this agreement's history".to_owned()
        })?;
    if file.role.email(agreement) != file.principal {
        return Err(format!(
            "principal {} is not the {}'s email in the refused version",
            file.principal, file.role
        ));
    }
    Ok(())
}

/// The proposal `role` would decline in `record`, and the agreement it
/// proposes: refused when nothing waits for signatures, when the proposal
/// does not parse, or when `role` has already signed or declined it.
pub fn proposal_to_decline(
    record: &crate::record::Record,
    role: Role,
) -> crate::error::Result<(crate::agreement::VersionId, &crate::agreement::Agreement)> {
    use crate::error::Error;
    let id = &record.id;
    let e = &record.evaluation;
    let Some(pending) = e.pending.map(|i| &e.versions[i]) else {
        return Err(Error::refused(format!(
            "{id}: no proposal is waiting for signatures, so there is nothing to decline"
        ))
        .hint_that(format!(
            "see the agreement's history with `charter log {id}`"
        )));
    };
    let Some(version) = pending.version.clone() else {
        return Err(Error::refused(format!(
            "{id}: the proposal does not parse; fix or withdraw it rather than declining it"
        )));
    };
    if pending.signed_by.contains(&role) {
        return Err(Error::denied(format!(
            "the {role} has already signed version {}; a sign-off cannot be taken back",
            version.short()
        ))
        .hint_that("to end the agreement, use `charter conclude`"));
    }
    if pending.declined_by.contains(&role) {
        return Err(Error::denied(format!(
            "the {role} has already declined version {}",
            version.short()
        )));
    }
    let Some(agreement) = record.history.points[pending.point]
        .state
        .parsed()
        .and_then(|p| p.agreement())
    else {
        return Err(Error::refused(format!("{id}: the proposal cannot be read")));
    };
    Ok((version, agreement))
}

/// Sign `file` and render it as it will be written under `dir/ID/`,
/// refusing text that would not read back as what was signed. Returns the
/// repository-relative path and the text.
pub fn seal(
    file: &mut DeclineFile,
    signer: &super::signer::Signer,
    dir: &str,
) -> crate::error::Result<(String, String)> {
    file.signature = signer.sign(NAMESPACE, &file.message())?;
    let text = file.render();
    let rel = format!("{dir}/{}/{}", file.agreement, file.file_name(&text));
    match DeclineFile::parse(&rel, text.as_bytes()) {
        Ok(back) if back == *file => Ok((rel, text)),
        _ => Err(crate::error::Error::refused(
            "the decline written would not read back as signed; nothing was written",
        )),
    }
}
