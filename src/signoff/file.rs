//! Sign-off files: `signoffs/<id>/<v12>-<role>-<h8>.yaml` (README, "Signing and verifying").
//!
//! Charter writes these files itself, always in one layout, so reading them
//! needs only a strict subset of YAML: one flat mapping of known keys to
//! scalars. Anything else (anchors, aliases, tags, nesting, several
//! documents) is refused with a located error. The parser pulls events one at
//! a time and stops at the first surprise, so alias bombs and deep nesting
//! cost nothing, and input size is capped before parsing starts.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::message::{
    check_agreement_id, check_principal, format_signed_at, is_version_id, parse_signed_at, Claim,
    FieldError, Role,
};

/// Largest sign-off file charter reads. A real one is well under 2 KiB
/// (an RSA 16384-bit signature is about 3 KiB of armor); the cap keeps a
/// hostile file from costing memory or time.
pub const MAX_FILE_SIZE: usize = 64 * 1024;

/// Largest signature armor accepted inside a file.
pub const MAX_SIGNATURE_SIZE: usize = 16 * 1024;

const ARMOR_BEGIN: &str = "-----BEGIN SSH SIGNATURE-----";
const ARMOR_END: &str = "-----END SSH SIGNATURE-----";

/// One sign-off as stored in the repository: the signed claim plus the
/// armored SSHSIG over [`Claim::message`].
///
/// Fields are plain text so that the type mirrors the file and the JSON
/// schema generated from it; [`SignoffFile::claim`] turns them into a checked
/// [`Claim`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "charter sign-off",
    description = "One party's SSH sign-off of one agreement version; written once by `charter sign`, never edited."
)]
pub struct SignoffFile {
    /// The agreement id: the file stem of `agreements/<id>.yaml`.
    #[schemars(pattern(r"^[a-z0-9][a-z0-9-]{0,63}$"))]
    pub agreement: String,
    /// The signed version id: `sha256:` and 64 lowercase hex digits.
    #[schemars(pattern(r"^sha256:[0-9a-f]{64}$"))]
    pub version: String,
    /// The previous signed version this one amends, or `none` for the first.
    #[schemars(pattern(r"^(none|sha256:[0-9a-f]{64})$"))]
    pub amends: String,
    /// The party signing: `mentor` or `mentee`.
    pub role: Role,
    /// The signer's principal (email) as listed in `allowed_signers`.
    #[schemars(pattern(r"^[^\s\x00-\x1f\x7f]+$"))]
    pub principal: String,
    /// When the signer says they signed, `YYYY-MM-DDTHH:MM:SSZ`.
    #[schemars(pattern(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))]
    pub signed_at: String,
    /// Whether this party agrees to waive the notice period for this version.
    pub waive_notice: bool,
    /// The armored OpenSSH signature (`-----BEGIN SSH SIGNATURE-----` …).
    pub signature: String,
}

/// Why a sign-off file could not be read or written. Located variants carry
/// a 1-based line and column so findings can point into the file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SignoffFileError {
    /// The file is larger than [`MAX_FILE_SIZE`]. The size is not in the
    /// message: readers stop soon after the limit, so it may be a lower bound.
    #[error("the file is larger than {MAX_FILE_SIZE} bytes, the most a sign-off file may be")]
    TooLarge {
        /// The file's size in bytes, or as much of it as was read.
        size: usize,
    },
    /// The file is not UTF-8 text.
    #[error("the file is not UTF-8 text")]
    NotUtf8,
    /// The YAML is malformed, or uses a feature sign-off files never use.
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What went wrong.
        message: String,
    },
    /// A key that is not a sign-off field.
    #[error("line {line}, column {column}: unknown field `{field}`")]
    UnknownField {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The unknown key.
        field: String,
    },
    /// A field given twice.
    #[error("line {line}, column {column}: field `{field}` appears twice")]
    DuplicateField {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The repeated key.
        field: String,
    },
    /// A required field is absent.
    #[error("missing field `{0}`")]
    MissingField(&'static str),
    /// A field holds the wrong kind of value.
    #[error("line {line}, column {column}: field `{field}` must be {expected}")]
    WrongType {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The field.
        field: &'static str,
        /// What it must be.
        expected: &'static str,
    },
    /// A field's value breaks its rule.
    #[error("line {line}, column {column}: {source}")]
    InvalidField {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The broken rule.
        source: FieldError,
    },
    /// The signature is not shaped like SSH signature armor.
    #[error("{location}signature is not SSH signature armor: {reason}")]
    SignatureShape {
        /// `"line N, column M: "`, or empty when not read from a file.
        location: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A field of an in-memory sign-off breaks its rule (not read from a file).
    #[error(transparent)]
    Field(#[from] FieldError),
}

impl SignoffFileError {
    /// The 1-based `(line, column)` the error points at, when it has one.
    pub fn location(&self) -> Option<(usize, usize)> {
        match self {
            SignoffFileError::Syntax { line, column, .. }
            | SignoffFileError::UnknownField { line, column, .. }
            | SignoffFileError::DuplicateField { line, column, .. }
            | SignoffFileError::WrongType { line, column, .. }
            | SignoffFileError::InvalidField { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }
}

/// A sign-off rendered for writing: its canonical text and the file name
/// derived from that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedSignoff {
    /// `<v12>-<role>-<h8>.yaml`.
    pub file_name: String,
    /// The file's exact contents.
    pub text: String,
}

impl SignoffFile {
    /// Pairs a checked claim with its armored signature. The armor's shape
    /// is checked (not its cryptography) and its line ending normalised to
    /// a single final `\n`, as the file stores it.
    pub fn new(claim: &Claim, signature: &str) -> Result<SignoffFile, SignoffFileError> {
        let signature = normalise_armor(signature, String::new())?;
        Ok(SignoffFile {
            agreement: claim.agreement().to_owned(),
            version: claim.version().to_owned(),
            amends: claim.amends_text().to_owned(),
            role: claim.role(),
            principal: claim.principal().to_owned(),
            signed_at: format_signed_at(claim.signed_at()),
            waive_notice: claim.waive_notice(),
            signature,
        })
    }

    /// The checked claim this file makes; its [`Claim::message`] is what the
    /// signature must cover.
    pub fn claim(&self) -> Result<Claim, FieldError> {
        let amends = match self.amends.as_str() {
            "none" => None,
            other => Some(other),
        };
        Claim::new(
            &self.agreement,
            &self.version,
            amends,
            self.role,
            &self.principal,
            parse_signed_at(&self.signed_at)?,
            self.waive_notice,
        )
    }

    /// Reads a sign-off file's bytes: size cap, UTF-8, then [`Self::parse`].
    pub fn parse_bytes(bytes: &[u8]) -> Result<SignoffFile, SignoffFileError> {
        if bytes.len() > MAX_FILE_SIZE {
            return Err(SignoffFileError::TooLarge { size: bytes.len() });
        }
        let text = std::str::from_utf8(bytes).map_err(|_| SignoffFileError::NotUtf8)?;
        Self::parse(text)
    }

    /// Parses a sign-off file's text, checking every field rule of the README's "Signing and verifying".
    /// Hostile input yields an error, never a panic.
    pub fn parse(text: &str) -> Result<SignoffFile, SignoffFileError> {
        if text.len() > MAX_FILE_SIZE {
            return Err(SignoffFileError::TooLarge { size: text.len() });
        }
        // Files charter wrote are in the one layout `render` writes; reading
        // those needs no YAML parser. A text is taken this way only when
        // rendering what was read gives back exactly its bytes, so the value
        // is the one the YAML reader gives (`render`'s round trip); anything
        // else, hostile or hand-written, goes to the YAML reader and its
        // located errors.
        if let Some(file) = parse_canonical(text) {
            return Ok(file);
        }
        Self::parse_yaml(text)
    }

    /// Reads a sign-off file's text with the YAML reader alone, whatever its
    /// layout. [`Self::parse`] gives the same answer faster for files in
    /// the canonical layout; this is public so that tests and the fuzz
    /// target can hold the two to that.
    pub fn parse_yaml(text: &str) -> Result<SignoffFile, SignoffFileError> {
        if text.len() > MAX_FILE_SIZE {
            return Err(SignoffFileError::TooLarge { size: text.len() });
        }
        let fields = read_flat_mapping(text)?;
        build(fields)
    }

    /// Renders the file's canonical text: fixed key order, plain scalars
    /// where YAML reads them back unchanged (double quotes otherwise), and
    /// the signature as a `|` literal block. Equal sign-offs render to equal
    /// bytes, and the text parses back to the same value.
    pub fn render(&self) -> Result<String, SignoffFileError> {
        self.claim()?;
        let signature = normalise_armor(&self.signature, String::new())?;
        let mut out = String::with_capacity(256 + signature.len());
        let _ = writeln!(out, "agreement: {}", yaml_string(&self.agreement));
        let _ = writeln!(out, "version: {}", yaml_string(&self.version));
        let _ = writeln!(out, "amends: {}", yaml_string(&self.amends));
        let _ = writeln!(out, "role: {}", self.role);
        let _ = writeln!(out, "principal: {}", yaml_string(&self.principal));
        let _ = writeln!(out, "signed_at: {}", yaml_string(&self.signed_at));
        let _ = writeln!(out, "waive_notice: {}", self.waive_notice);
        out.push_str("signature: |\n");
        for line in signature.lines() {
            let _ = writeln!(out, "  {line}");
        }
        Ok(out)
    }

    /// Renders the file and names it `<v12>-<role>-<h8>.yaml` after the
    /// rendered bytes, ready to be written once under `signoffs/<id>/`.
    pub fn to_rendered(&self) -> Result<RenderedSignoff, SignoffFileError> {
        let text = self.render()?;
        let file_name = file_name(&self.version, self.role, text.as_bytes()).ok_or_else(|| {
            FieldError::Version {
                field: "version",
                value: self.version.clone(),
            }
        })?;
        Ok(RenderedSignoff { file_name, text })
    }
}

/// The parts of a sign-off file name `<v12>-<role>-<h8>.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignoffName {
    /// The first 12 hex digits of the version id.
    pub v12: String,
    /// The role.
    pub role: Role,
    /// The first 8 hex digits of the SHA-256 of the file's bytes.
    pub h8: String,
}

fn is_lower_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl SignoffName {
    /// Splits a file name into its parts, or `None` if it is not shaped
    /// `<12 hex>-<mentor|mentee>-<8 hex>.yaml`.
    pub fn parse(name: &str) -> Option<SignoffName> {
        let stem = name.strip_suffix(".yaml")?;
        let mut parts = stem.split('-');
        let (v12, role, h8) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || !is_lower_hex(v12, 12) || !is_lower_hex(h8, 8) {
            return None;
        }
        Some(SignoffName {
            v12: v12.to_owned(),
            role: role.parse().ok()?,
            h8: h8.to_owned(),
        })
    }
}

/// The first 8 hex digits of the SHA-256 of a file's bytes: the `<h8>` that
/// keeps two sign-offs of the same version and role from sharing a name.
pub fn content_hash8(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..4]
        .iter()
        .fold(String::with_capacity(8), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The file name `<v12>-<role>-<h8>.yaml` for a sign-off of `version` by
/// `role` whose file holds `bytes`; `None` if `version` is not a version id.
pub fn file_name(version: &str, role: Role, bytes: &[u8]) -> Option<String> {
    if !is_version_id(version) {
        return None;
    }
    let v12 = version.get(7..19)?;
    Some(format!("{v12}-{role}-{}.yaml", content_hash8(bytes)))
}

/// A sign-off file whose path disagrees with its contents.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PathError {
    /// The file name is not `<v12>-<role>-<h8>.yaml`.
    #[error("file name {0:?} is not <12 hex>-<mentor|mentee>-<8 hex>.yaml")]
    BadName(String),
    /// The path has no parent directory naming the agreement.
    #[error("sign-off file {0:?} is not inside a directory named after its agreement")]
    NoDirectory(String),
    /// The directory is not the file's `agreement`.
    #[error("the file is in directory {directory:?} but signs agreement {agreement:?}")]
    Agreement {
        /// The directory's name.
        directory: String,
        /// The `agreement` field.
        agreement: String,
    },
    /// `<v12>` is not the start of the file's `version`.
    #[error("the file name says version {name:?} but the file signs {version}")]
    Version {
        /// `<v12>` from the name.
        name: String,
        /// The `version` field.
        version: String,
    },
    /// `<role>` is not the file's `role`.
    #[error("the file name says role {name} but the file's role is {role}")]
    Role {
        /// `<role>` from the name.
        name: Role,
        /// The `role` field.
        role: Role,
    },
    /// `<h8>` does not match the file's bytes: the file was edited after it
    /// was named.
    #[error("the file name says content hash {name} but the file's bytes hash to {actual}")]
    ContentHash {
        /// `<h8>` from the name.
        name: String,
        /// The first 8 hex digits of the bytes' SHA-256.
        actual: String,
    },
}

fn name_of(path: &Path) -> Result<(&str, SignoffName), PathError> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| PathError::BadName(path.display().to_string()))?;
    let parsed = SignoffName::parse(name).ok_or_else(|| PathError::BadName(name.to_owned()))?;
    Ok((name, parsed))
}

/// Checks that a sign-off's path agrees with its fields: the directory is
/// the agreement id, `<v12>` starts the version id and `<role>` is the role.
pub fn check_path(path: &Path, file: &SignoffFile) -> Result<(), PathError> {
    let (_, name) = name_of(path)?;
    let directory = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|d| d.to_str())
        .ok_or_else(|| PathError::NoDirectory(path.display().to_string()))?;
    if directory != file.agreement {
        return Err(PathError::Agreement {
            directory: directory.to_owned(),
            agreement: file.agreement.clone(),
        });
    }
    if file.version.get(7..19) != Some(name.v12.as_str()) || !file.version.starts_with("sha256:") {
        return Err(PathError::Version {
            name: name.v12,
            version: file.version.clone(),
        });
    }
    if name.role != file.role {
        return Err(PathError::Role {
            name: name.role,
            role: file.role,
        });
    }
    Ok(())
}

/// Checks that `<h8>` in the path matches the file's bytes; a mismatch means
/// the file was edited after it was written, which sign-offs never are.
pub fn check_content_hash(path: &Path, bytes: &[u8]) -> Result<(), PathError> {
    let (_, name) = name_of(path)?;
    let actual = content_hash8(bytes);
    if actual == name.h8 {
        Ok(())
    } else {
        Err(PathError::ContentHash {
            name: name.h8,
            actual,
        })
    }
}

// ---------------------------------------------------------------------------
// Reading

/// A scalar value as read, with where it stood.
struct RawValue {
    text: String,
    style: TScalarStyle,
    line: usize,
    column: usize,
}

fn at(mark: &Marker) -> (usize, usize) {
    (mark.line(), mark.col() + 1)
}

fn syntax(mark: &Marker, message: impl Into<String>) -> SignoffFileError {
    let (line, column) = at(mark);
    SignoffFileError::Syntax {
        line,
        column,
        message: message.into(),
    }
}

const FIELDS: [&str; 8] = [
    "agreement",
    "version",
    "amends",
    "role",
    "principal",
    "signed_at",
    "waive_notice",
    "signature",
];

fn next_event(
    parser: &mut Parser<std::str::Chars<'_>>,
) -> Result<(Event, Marker), SignoffFileError> {
    parser.next_token().map_err(|e| {
        let (line, column) = at(e.marker());
        SignoffFileError::Syntax {
            line,
            column,
            message: e.info().to_owned(),
        }
    })
}

/// Reads one document holding one flat mapping of scalar keys to scalar
/// values, refusing every other YAML construct.
fn read_flat_mapping(text: &str) -> Result<BTreeMap<&'static str, RawValue>, SignoffFileError> {
    let mut parser = Parser::new_from_str(text);
    let mut fields: BTreeMap<&'static str, RawValue> = BTreeMap::new();
    let (event, mark) = next_event(&mut parser)?;
    if event != Event::StreamStart {
        return Err(syntax(&mark, "expected the start of the file"));
    }
    let (event, mark) = next_event(&mut parser)?;
    match event {
        Event::DocumentStart => {}
        Event::StreamEnd => return Err(syntax(&mark, "the file is empty")),
        _ => return Err(syntax(&mark, "expected a YAML document")),
    }
    let (event, mark) = next_event(&mut parser)?;
    match event {
        Event::MappingStart(0, None) => {}
        Event::MappingStart(..) => {
            return Err(syntax(
                &mark,
                "anchors and tags are not allowed in sign-off files",
            ))
        }
        _ => return Err(syntax(&mark, "a sign-off file must be a mapping of fields")),
    }
    loop {
        let (event, mark) = next_event(&mut parser)?;
        let key = match event {
            Event::MappingEnd => break,
            Event::Scalar(key, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return Err(syntax(
                        &mark,
                        "anchors and tags are not allowed in sign-off files",
                    ));
                }
                if style == TScalarStyle::Plain && core_type(&key) != CoreType::Str {
                    return Err(syntax(&mark, format!("key {key:?} is not a field name")));
                }
                key
            }
            Event::Alias(_) => {
                return Err(syntax(&mark, "aliases are not allowed in sign-off files"))
            }
            _ => return Err(syntax(&mark, "keys must be plain field names")),
        };
        let (line, column) = at(&mark);
        let Some(&field) = FIELDS.iter().find(|f| **f == key) else {
            return Err(SignoffFileError::UnknownField {
                line,
                column,
                field: key,
            });
        };
        if fields.contains_key(field) {
            return Err(SignoffFileError::DuplicateField {
                line,
                column,
                field: key,
            });
        }
        let (event, mark) = next_event(&mut parser)?;
        let value = match event {
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return Err(syntax(
                        &mark,
                        "anchors and tags are not allowed in sign-off files",
                    ));
                }
                let (line, column) = at(&mark);
                RawValue {
                    text,
                    style,
                    line,
                    column,
                }
            }
            Event::Alias(_) => {
                return Err(syntax(&mark, "aliases are not allowed in sign-off files"))
            }
            _ => {
                let (line, column) = at(&mark);
                return Err(SignoffFileError::WrongType {
                    line,
                    column,
                    field,
                    expected: if field == "waive_notice" {
                        "true or false"
                    } else {
                        "a single value, not a list or mapping"
                    },
                });
            }
        };
        fields.insert(field, value);
    }
    let (event, mark) = next_event(&mut parser)?;
    if event != Event::DocumentEnd {
        return Err(syntax(&mark, "unexpected content after the fields"));
    }
    let (event, mark) = next_event(&mut parser)?;
    if event != Event::StreamEnd {
        return Err(syntax(
            &mark,
            "a sign-off file holds exactly one YAML document",
        ));
    }
    Ok(fields)
}

/// What a YAML 1.2 core-schema plain scalar resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CoreType {
    Null,
    Bool(bool),
    Int,
    Float,
    Str,
}

/// Resolves a plain scalar with the YAML 1.2 core schema's rules.
fn core_type(s: &str) -> CoreType {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return CoreType::Null,
        "true" | "True" | "TRUE" => return CoreType::Bool(true),
        "false" | "False" | "FALSE" => return CoreType::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return CoreType::Float,
        _ => {}
    }
    let digits = |t: &str, radix: u32| !t.is_empty() && t.chars().all(|c| c.is_digit(radix));
    if let Some(h) = s.strip_prefix("0x") {
        if digits(h, 16) {
            return CoreType::Int;
        }
    }
    if let Some(o) = s.strip_prefix("0o") {
        if digits(o, 8) {
            return CoreType::Int;
        }
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits(unsigned, 10) {
        return CoreType::Int;
    }
    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            (int.is_empty() && digits(frac, 10))
                || (digits(int, 10) && (frac.is_empty() || digits(frac, 10)))
        }
        None => digits(mantissa, 10),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e), 10));
    if mantissa_ok && exponent_ok {
        CoreType::Float
    } else {
        CoreType::Str
    }
}

fn string_field(
    fields: &mut BTreeMap<&'static str, RawValue>,
    field: &'static str,
) -> Result<RawValue, SignoffFileError> {
    let value = fields
        .remove(field)
        .ok_or(SignoffFileError::MissingField(field))?;
    if value.style == TScalarStyle::Plain && core_type(&value.text) != CoreType::Str {
        return Err(SignoffFileError::WrongType {
            line: value.line,
            column: value.column,
            field,
            expected: "a string",
        });
    }
    Ok(value)
}

fn invalid(value: &RawValue, source: FieldError) -> SignoffFileError {
    SignoffFileError::InvalidField {
        line: value.line,
        column: value.column,
        source,
    }
}

/// Turns the raw fields into a checked [`SignoffFile`].
fn build(mut fields: BTreeMap<&'static str, RawValue>) -> Result<SignoffFile, SignoffFileError> {
    let agreement = string_field(&mut fields, "agreement")?;
    check_agreement_id(&agreement.text).map_err(|e| invalid(&agreement, e))?;

    let version = string_field(&mut fields, "version")?;
    if !is_version_id(&version.text) {
        return Err(invalid(
            &version,
            FieldError::Version {
                field: "version",
                value: version.text.clone(),
            },
        ));
    }

    let amends = string_field(&mut fields, "amends")?;
    if amends.text != "none" && !is_version_id(&amends.text) {
        return Err(invalid(
            &amends,
            FieldError::Version {
                field: "amends",
                value: amends.text.clone(),
            },
        ));
    }

    let role_raw = string_field(&mut fields, "role")?;
    let role: Role = role_raw.text.parse().map_err(|e| invalid(&role_raw, e))?;

    let principal = string_field(&mut fields, "principal")?;
    check_principal(&principal.text).map_err(|e| invalid(&principal, e))?;

    let signed_at = string_field(&mut fields, "signed_at")?;
    parse_signed_at(&signed_at.text).map_err(|e| invalid(&signed_at, e))?;

    let waive = fields
        .remove("waive_notice")
        .ok_or(SignoffFileError::MissingField("waive_notice"))?;
    let waive_notice = match (waive.style, core_type(&waive.text)) {
        (TScalarStyle::Plain, CoreType::Bool(b)) => b,
        _ => {
            return Err(SignoffFileError::WrongType {
                line: waive.line,
                column: waive.column,
                field: "waive_notice",
                expected: "true or false",
            })
        }
    };

    let signature_raw = string_field(&mut fields, "signature")?;
    let location = format!(
        "line {}, column {}: ",
        signature_raw.line, signature_raw.column
    );
    let signature = normalise_armor(&signature_raw.text, location)?;

    Ok(SignoffFile {
        agreement: agreement.text,
        version: version.text,
        amends: amends.text,
        role,
        principal: principal.text,
        signed_at: signed_at.text,
        waive_notice,
        signature,
    })
}

/// Checks that `text` is shaped like SSH signature armor (begin line,
/// base64 lines, end line) and returns it with exactly one final `\n`.
fn normalise_armor(text: &str, location: String) -> Result<String, SignoffFileError> {
    let fail = |reason: &'static str| SignoffFileError::SignatureShape {
        location: location.clone(),
        reason,
    };
    if text.len() > MAX_SIGNATURE_SIZE {
        return Err(fail("it is too large"));
    }
    let body = text.trim_end_matches('\n');
    let mut lines = body.split('\n');
    if lines.next() != Some(ARMOR_BEGIN) {
        return Err(fail("it must start with -----BEGIN SSH SIGNATURE-----"));
    }
    let mut middle = 0usize;
    let mut ended = false;
    for line in lines {
        if ended {
            return Err(fail("text follows -----END SSH SIGNATURE-----"));
        }
        if line == ARMOR_END {
            ended = true;
            continue;
        }
        if line.is_empty()
            || line.len() > 76
            || !line
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        {
            return Err(fail("a line between the armor lines is not base64"));
        }
        middle += 1;
    }
    if !ended {
        return Err(fail("it must end with -----END SSH SIGNATURE-----"));
    }
    if middle == 0 {
        return Err(fail("it holds no signature data"));
    }
    Ok(format!("{body}\n"))
}

// ---------------------------------------------------------------------------
// Writing

/// Writes a string as a YAML scalar that reads back as the same string:
/// plain when that is unambiguous, double-quoted otherwise.
fn yaml_string(s: &str) -> String {
    let plain_chars = s.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(b, b'.' | b'_' | b'@' | b'+' | b'/' | b'=' | b'-' | b':')
    });
    let plain_start = s
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'/');
    let plain_end = !s.ends_with(':');
    let no_colon_space = !s.contains(": ");
    if plain_chars && plain_start && plain_end && no_colon_space && core_type(s) == CoreType::Str {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A sign-off file in the canonical layout (what [`SignoffFile::render`]
/// writes: `key: value` lines in the fixed order, then the signature as a
/// `|` block indented by two spaces), read without the YAML parser. `None`
/// for any other text, which the YAML reader then reads: the result is
/// accepted only when it renders back to exactly `text`.
fn parse_canonical(text: &str) -> Option<SignoffFile> {
    let mut lines = text.split_inclusive('\n');
    let mut field = |key: &str| -> Option<&str> {
        let line = lines.next()?.strip_suffix('\n')?;
        line.strip_prefix(key)?.strip_prefix(": ")
    };
    let agreement = field("agreement")?.to_owned();
    let version = field("version")?.to_owned();
    let amends = field("amends")?.to_owned();
    let role: Role = field("role")?.parse().ok()?;
    let principal = field("principal")?.to_owned();
    let signed_at = field("signed_at")?.to_owned();
    let waive_notice = match field("waive_notice")? {
        "true" => true,
        "false" => false,
        _ => return None,
    };
    if field("signature")? != "|" {
        return None;
    }
    let mut signature = String::with_capacity(text.len());
    for line in lines {
        signature.push_str(line.strip_prefix("  ")?);
    }
    let file = SignoffFile {
        agreement,
        version,
        amends,
        role,
        principal,
        signed_at,
        waive_notice,
        signature,
    };
    (file.render().ok()? == text).then_some(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIG: &str = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAg\nAAAA\n-----END SSH SIGNATURE-----\n";

    fn v(c: char) -> String {
        format!("sha256:{}", c.to_string().repeat(64))
    }

    fn sample() -> SignoffFile {
        let claim = Claim::new(
            "ada-grace",
            &v('3'),
            Some(&v('9')),
            Role::Mentee,
            "ada@example.com",
            parse_signed_at("2026-11-22T10:00:00Z").unwrap(),
            false,
        )
        .unwrap();
        SignoffFile::new(&claim, SIG).unwrap()
    }

    #[test]
    fn renders_the_documented_layout_and_reads_it_back() {
        let file = sample();
        let text = file.render().unwrap();
        let expected = format!(
            "agreement: ada-grace\nversion: {}\namends: {}\nrole: mentee\nprincipal: ada@example.com\nsigned_at: 2026-11-22T10:00:00Z\nwaive_notice: false\nsignature: |\n  -----BEGIN SSH SIGNATURE-----\n  U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAg\n  AAAA\n  -----END SSH SIGNATURE-----\n",
            v('3'),
            v('9')
        );
        assert_eq!(text, expected);
        assert_eq!(SignoffFile::parse(&text).unwrap(), file);
        let rendered = file.to_rendered().unwrap();
        assert_eq!(rendered.text, text);
        assert_eq!(
            rendered.file_name,
            format!(
                "333333333333-mentee-{}.yaml",
                content_hash8(text.as_bytes())
            )
        );
        let path = Path::new("signoffs/ada-grace").join(&rendered.file_name);
        assert_eq!(check_path(&path, &file), Ok(()));
        assert_eq!(check_content_hash(&path, text.as_bytes()), Ok(()));
        assert!(matches!(
            check_content_hash(&path, b"edited"),
            Err(PathError::ContentHash { .. })
        ));
    }

    #[test]
    fn awkward_values_round_trip() {
        let mut file = sample();
        for principal in [
            "\"quoted\"@x",
            "back\\slash",
            "#hash",
            "-dash",
            "colon:",
            "a:b",
            "123",
            "true",
            "null",
            "1e5",
            "ünï@x",
            "*star",
            "&amp",
            "!bang",
            "%pct",
            "@at",
            "a,b",
            "[x]",
        ] {
            file.principal = principal.to_owned();
            let text = file.render().unwrap();
            let back =
                SignoffFile::parse(&text).unwrap_or_else(|e| panic!("{principal}: {e}\n{text}"));
            assert_eq!(back.principal, principal);
        }
        let mut file = sample();
        file.agreement = "0x1f".to_owned();
        let text = file.render().unwrap();
        assert!(text.starts_with("agreement: \"0x1f\"\n"), "{text}");
        assert_eq!(SignoffFile::parse(&text).unwrap().agreement, "0x1f");
    }

    #[test]
    fn accepts_other_layouts_of_the_same_data() {
        let text = format!(
            "# a comment\n---\n\"agreement\": 'ada-grace'\nversion: \"{}\"\namends: none\nrole: mentor\nprincipal: g@x\nsigned_at: '2026-11-22T10:00:00Z'\nwaive_notice: True\nsignature: |-\n  -----BEGIN SSH SIGNATURE-----\n  AAAA\n  -----END SSH SIGNATURE-----\n...\n",
            v('a')
        );
        let file = SignoffFile::parse(&text).unwrap();
        assert!(file.waive_notice);
        assert_eq!(file.amends, "none");
        assert!(file.signature.ends_with("-----END SSH SIGNATURE-----\n"));
        assert_eq!(file.claim().unwrap().amends(), None);
    }

    fn err(text: &str) -> SignoffFileError {
        SignoffFile::parse(text).expect_err(text)
    }

    fn base() -> String {
        sample().render().unwrap()
    }

    #[test]
    fn rejections_are_located() {
        let b = base();
        let e = err(&format!("{b}extra: 1\n"));
        assert!(
            matches!(
                e,
                SignoffFileError::UnknownField {
                    line: 13,
                    column: 1,
                    ..
                }
            ),
            "{e:?}"
        );
        let e = err(&format!("{b}role: mentor\n"));
        assert!(
            matches!(e, SignoffFileError::DuplicateField { line: 13, .. }),
            "{e:?}"
        );
        let e = err(&b.replace("role: mentee\n", ""));
        assert_eq!(e, SignoffFileError::MissingField("role"));
        let e = err(&b.replace("waive_notice: false", "waive_notice: \"false\""));
        assert!(
            matches!(
                e,
                SignoffFileError::WrongType {
                    line: 7,
                    column: 15,
                    field: "waive_notice",
                    ..
                }
            ),
            "{e:?}"
        );
        let e = err(&b.replace("waive_notice: false", "waive_notice: no"));
        assert!(
            matches!(
                e,
                SignoffFileError::WrongType {
                    field: "waive_notice",
                    ..
                }
            ),
            "{e:?}"
        );
        let e = err(&b.replace("principal: ada@example.com", "principal: 12"));
        assert!(
            matches!(
                e,
                SignoffFileError::WrongType {
                    line: 5,
                    field: "principal",
                    ..
                }
            ),
            "{e:?}"
        );
        let e = err(&b.replace("principal: ada@example.com", "principal:"));
        assert!(
            matches!(
                e,
                SignoffFileError::WrongType {
                    field: "principal",
                    ..
                }
            ),
            "{e:?}"
        );
        let e = err(&b.replace("principal: ada@example.com", "principal: \"ada @x\""));
        assert!(
            matches!(
                e,
                SignoffFileError::InvalidField {
                    line: 5,
                    column: 12,
                    source: FieldError::Principal(_)
                }
            ),
            "{e:?}"
        );
        let e = err(&b.replace("role: mentee", "role: observer"));
        assert!(
            matches!(
                e,
                SignoffFileError::InvalidField {
                    line: 4,
                    source: FieldError::Role(_),
                    ..
                }
            ),
            "{e:?}"
        );
        let e = err(&b.replace("agreement: ada-grace", "agreement: ../etc"));
        assert!(
            matches!(
                e,
                SignoffFileError::InvalidField {
                    line: 1,
                    source: FieldError::AgreementId(_),
                    ..
                }
            ),
            "{e:?}"
        );
        let e = err(&b.replace("2026-11-22T10:00:00Z", "2026-11-22T10:00:00+01:00"));
        assert!(
            matches!(
                e,
                SignoffFileError::InvalidField {
                    line: 6,
                    source: FieldError::SignedAt(_),
                    ..
                }
            ),
            "{e:?}"
        );
        let e = err(&b.replace(&v('9'), "sha256:ABC"));
        assert!(
            matches!(
                e,
                SignoffFileError::InvalidField {
                    line: 3,
                    source: FieldError::Version {
                        field: "amends",
                        ..
                    },
                    ..
                }
            ),
            "{e:?}"
        );
        let e = err(&b.replace("  AAAA\n", "  not base64!\n"));
        assert!(
            matches!(e, SignoffFileError::SignatureShape { .. }),
            "{e:?}"
        );
        assert!(e.to_string().starts_with("line 9, column 3: "), "{e}");
    }

    #[test]
    fn hostile_yaml_is_refused_without_panicking() {
        let b = base();
        let cases: Vec<String> = vec![
            String::new(),
            "---\n".into(),
            "- a\n- b\n".into(),
            "just a string\n".into(),
            format!("{b}---\n{b}"),
            b.replace("agreement: ada-grace", "agreement: &a ada-grace"),
            b.replace("role: mentee", "role: !!str mentee"),
            b.replace("role: mentee", "role: *a"),
            b.replace("role: mentee", "role: [mentee]"),
            b.replace("role: mentee", "role: {a: b}"),
            b.replace("role: mentee", "? [role]\n: mentee"),
            format!("{}\n", "[".repeat(10_000)),
            format!("a: &a [{}]\nb: *a\n", "x,".repeat(1000)),
            "a: 'unterminated\n".into(),
            "\t- tab\n".into(),
            "\u{feff}\u{0}\u{1}".into(),
            "key: \"\\uD800\"\n".into(),
            "%YAML 9.9\n--- x\n".into(),
            "&a\n".into(),
            "!<tag> {}\n".into(),
        ];
        for case in &cases {
            assert!(SignoffFile::parse(case).is_err(), "{case:?}");
        }
        assert!(matches!(
            SignoffFile::parse_bytes(&vec![b'a'; MAX_FILE_SIZE + 1]),
            Err(SignoffFileError::TooLarge { .. })
        ));
        assert_eq!(
            SignoffFile::parse_bytes(b"agreement: \xff\n"),
            Err(SignoffFileError::NotUtf8)
        );
        // Every prefix of a valid file and a few byte flips: errors, no panics.
        for cut in 0..b.len() {
            if let Some(prefix) = b.get(..cut) {
                let _ = SignoffFile::parse(prefix);
            }
        }
        let mut state = 0x2545_f491_u32;
        for _ in 0..2000 {
            let mut bytes = b.clone().into_bytes();
            for _ in 0..3 {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                let i = state as usize % bytes.len();
                bytes[i] = (state >> 8) as u8 & 0x7f;
            }
            let _ = SignoffFile::parse_bytes(&bytes);
        }
    }

    #[test]
    fn names_and_paths() {
        let n = SignoffName::parse("0123456789ab-mentor-deadbeef.yaml").unwrap();
        assert_eq!(n.v12, "0123456789ab");
        assert_eq!(n.role, Role::Mentor);
        assert_eq!(n.h8, "deadbeef");
        for bad in [
            "0123456789ab-mentor-deadbeef.yml",
            "0123456789a-mentor-deadbeef.yaml",
            "0123456789AB-mentor-deadbeef.yaml",
            "0123456789ab-observer-deadbeef.yaml",
            "0123456789ab-mentor-deadbee.yaml",
            "0123456789ab-mentor-deadbeef-x.yaml",
        ] {
            assert!(SignoffName::parse(bad).is_none(), "{bad}");
        }
        let file = sample();
        let ok = Path::new("signoffs/ada-grace/333333333333-mentee-00000000.yaml");
        assert_eq!(check_path(ok, &file), Ok(()));
        assert!(matches!(
            check_path(
                Path::new("signoffs/other/333333333333-mentee-00000000.yaml"),
                &file
            ),
            Err(PathError::Agreement { .. })
        ));
        assert!(matches!(
            check_path(
                Path::new("signoffs/ada-grace/333333333334-mentee-00000000.yaml"),
                &file
            ),
            Err(PathError::Version { .. })
        ));
        assert!(matches!(
            check_path(
                Path::new("signoffs/ada-grace/333333333333-mentor-00000000.yaml"),
                &file
            ),
            Err(PathError::Role { .. })
        ));
        assert!(matches!(
            check_path(Path::new("333333333333-mentee-00000000.yaml"), &file),
            Err(PathError::NoDirectory(_))
        ));
        assert!(matches!(
            check_path(Path::new("signoffs/ada-grace/x.yaml"), &file),
            Err(PathError::BadName(_))
        ));
    }

    #[test]
    fn core_schema_resolution() {
        for (s, t) in [
            ("", CoreType::Null),
            ("~", CoreType::Null),
            ("NULL", CoreType::Null),
            ("True", CoreType::Bool(true)),
            ("FALSE", CoreType::Bool(false)),
            ("yes", CoreType::Str),
            ("12", CoreType::Int),
            ("-12", CoreType::Int),
            ("0x1F", CoreType::Int),
            ("0X1f", CoreType::Str),
            ("0x1f", CoreType::Int),
            ("0o17", CoreType::Int),
            ("1.5", CoreType::Float),
            (".5", CoreType::Float),
            ("1.", CoreType::Float),
            ("1e5", CoreType::Float),
            ("-1.5E-3", CoreType::Float),
            (".inf", CoreType::Float),
            (".nan", CoreType::Float),
            ("e5", CoreType::Str),
            (".", CoreType::Str),
            ("sha256:abc", CoreType::Str),
            ("2026-11-22T10:00:00Z", CoreType::Str),
        ] {
            assert_eq!(core_type(s), t, "{s:?}");
        }
    }

    #[test]
    fn json_schema_is_strict() {
        let schema = serde_json::to_value(schemars::schema_for!(SignoffFile)).unwrap();
        assert_eq!(schema["additionalProperties"], serde_json::json!(false));
        assert_eq!(
            schema["properties"]["version"]["pattern"],
            serde_json::json!("^sha256:[0-9a-f]{64}$")
        );
        assert_eq!(schema["required"].as_array().map(Vec::len), Some(8));
        let json = serde_json::to_value(sample()).unwrap();
        assert_eq!(json["role"], serde_json::json!("mentee"));
        let back: SignoffFile = serde_json::from_value(json).unwrap();
        assert_eq!(back, sample());
    }
}

/// The canonical reader never disagrees with the YAML reader: for the text
/// of any sign-off it renders, and for that text with a byte changed,
/// inserted or removed, whatever [`parse_canonical`] accepts the YAML
/// reader reads as the same value.
#[cfg(test)]
mod canonical_agrees_with_yaml {
    use proptest::prelude::*;

    use super::*;

    const SIG: &str = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAg\nAAAA\n-----END SSH SIGNATURE-----\n";

    fn file(agreement: &str, principal: &str, mentor: bool, waive: bool) -> SignoffFile {
        SignoffFile {
            agreement: agreement.to_owned(),
            version: format!("sha256:{}", "3".repeat(64)),
            amends: "none".to_owned(),
            role: if mentor { Role::Mentor } else { Role::Mentee },
            principal: principal.to_owned(),
            signed_at: "2026-11-22T10:00:00Z".to_owned(),
            waive_notice: waive,
            signature: SIG.to_owned(),
        }
    }

    fn agrees(text: &str) {
        if let Some(fast) = parse_canonical(text) {
            assert_eq!(SignoffFile::parse_yaml(text), Ok(fast), "{text:?}");
        }
        assert_eq!(
            SignoffFile::parse(text),
            SignoffFile::parse_yaml(text),
            "{text:?}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn on_rendered_files_and_their_mutations(
            agreement in "(true|null|0x1|[a-z0-9][a-z0-9-]{0,8})",
            principal in "[a-zA-Z0-9@.:+ #'\"\\-]{1,16}|\\PC{1,6}",
            mentor in any::<bool>(),
            waive in any::<bool>(),
            at in any::<prop::sample::Index>(),
            byte in any::<u8>(),
            edit in 0..3u8,
        ) {
            let sample = file(&agreement, &principal, mentor, waive);
            let Ok(text) = sample.render() else { return Ok(()) };
            prop_assert_eq!(SignoffFile::parse(&text), Ok(sample.clone()));
            agrees(&text);
            let mut bytes = text.into_bytes();
            let i = at.index(bytes.len());
            match edit {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => { bytes.remove(i); }
            }
            if let Ok(mutated) = String::from_utf8(bytes) {
                agrees(&mutated);
            }
        }
    }
}
