//! OpenSSH's `allowed_signers` format (ssh-keygen(1), "ALLOWED SIGNERS"):
//! the repository's trust root, which says which key may sign for which
//! principal, in which namespaces and during which window.
//!
//! Charter must read the file the way `ssh-keygen -Y verify` does, or a
//! sign-off could be valid for one and not the other. The parser follows
//! OpenSSH's own code (`sshsig.c`, `misc.c`, `match.c`):
//!
//! ```text
//! principals [options] keytype base64-key [comment]
//! ```
//!
//! - `principals` is a comma-separated pattern list (`*`, `?`, `!` negation,
//!   case-sensitive), optionally in double quotes;
//! - `options` is one comma-separated token: `cert-authority`,
//!   `namespaces="pat,pat"`, `valid-after="time"`, `valid-before="time"`;
//!   option names are case-insensitive, as in OpenSSH;
//! - times are `YYYYMMDD`, `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`, optionally
//!   followed by `Z` or `UTC`. Without a zone OpenSSH reads local time; charter
//!   reads UTC (a verdict must not depend on the machine's time zone) and
//!   warns about the line.
//!
//! Deliberate differences from OpenSSH, each reported as a diagnostic:
//! impossible calendar dates (`20250230`) are errors where OpenSSH's
//! `strptime`/`timegm` would roll them over, and `cert-authority` lines are
//! kept but never trusted, because sign-offs are made with plain keys.

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use ssh_key::public::KeyData;
use ssh_key::PublicKey;
use thiserror::Error;

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The line is kept but something about it deserves attention.
    Warning,
    /// The line could not be used and was skipped (as OpenSSH skips it).
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A problem found while parsing `allowed_signers`, tied to its 1-based line
/// so that `validate` and `check` can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line number in the file.
    pub line: usize,
    /// What is wrong, in words meant for the file's owner.
    pub message: String,
    /// Whether the line was skipped (error) or kept (warning).
    pub severity: Severity,
}

/// One usable line of `allowed_signers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerEntry {
    /// 1-based line number, for messages.
    pub line: usize,
    /// The principal pattern list, unquoted (`ada@example.com,*@corp`).
    pub principals: String,
    /// The line carries `cert-authority`: the key vouches for certificates,
    /// which charter does not support, so the line never trusts anything.
    pub cert_authority: bool,
    /// The `namespaces="…"` pattern list, if the line restricts namespaces.
    pub namespaces: Option<String>,
    /// Start of the key's validity window (inclusive), if any.
    pub valid_after: Option<DateTime<Utc>>,
    /// End of the key's validity window (inclusive), if any.
    pub valid_before: Option<DateTime<Utc>>,
    /// The public key (its comment is the line's trailing comment, if any).
    pub key: PublicKey,
}

impl SignerEntry {
    /// Whether `principal` matches this line's principal patterns.
    pub fn matches_principal(&self, principal: &str) -> bool {
        match_pattern_list(principal, &self.principals) == PatternMatch::Match
    }

    /// Whether this line allows `namespace` (lines without `namespaces=`
    /// allow every namespace).
    pub fn allows_namespace(&self, namespace: &str) -> bool {
        self.namespaces
            .as_deref()
            .is_none_or(|ns| match_pattern_list(namespace, ns) == PatternMatch::Match)
    }

    /// Why this line does not trust a signature made at `at` in `namespace`,
    /// or `None` when it does. Principal and key are not looked at here.
    fn refusal(&self, namespace: &str, at: DateTime<Utc>) -> Option<Untrusted> {
        if self.cert_authority {
            return Some(Untrusted::CertAuthorityUnsupported { line: self.line });
        }
        if !self.allows_namespace(namespace) {
            return Some(Untrusted::NamespaceNotAllowed {
                line: self.line,
                namespace: namespace.to_owned(),
            });
        }
        if let Some(after) = self.valid_after {
            if at < after {
                return Some(Untrusted::NotYetValid {
                    line: self.line,
                    valid_after: after,
                    at,
                });
            }
        }
        if let Some(before) = self.valid_before {
            if at > before {
                return Some(Untrusted::Expired {
                    line: self.line,
                    valid_before: before,
                    at,
                });
            }
        }
        None
    }
}

/// Why `allowed_signers` does not trust a key for a principal.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Untrusted {
    /// No line lists the key at all.
    #[error("the signing key is not listed in allowed_signers")]
    UnknownKey,
    /// The key is listed, but on no line whose principals match.
    #[error("the signing key is not allowed to sign for principal {principal:?}")]
    PrincipalNotAllowed {
        /// The principal that was asked about.
        principal: String,
    },
    /// The only matching line is a `cert-authority` line.
    #[error(
        "allowed_signers line {line}: cert-authority lines are not supported and are never trusted"
    )]
    CertAuthorityUnsupported {
        /// The line that matched.
        line: usize,
    },
    /// The key is listed only on a line charter cannot read (a validity time
    /// that is not a real date, say): the line is refused, and this names it
    /// rather than saying the key is not listed.
    #[error("allowed_signers line {line} lists the signing key but is invalid: {reason}")]
    InvalidLine {
        /// The refused line.
        line: usize,
        /// Why the line was refused, as `validate` reports it.
        reason: String,
    },
    /// The matching line's `namespaces=` excludes the namespace.
    #[error("allowed_signers line {line}: the key may not sign in namespace {namespace:?}")]
    NamespaceNotAllowed {
        /// The line that matched.
        line: usize,
        /// The namespace that was asked about.
        namespace: String,
    },
    /// The time is before the line's `valid-after`.
    #[error(
        "allowed_signers line {line}: the key is not yet valid at {at} (valid-after {valid_after})"
    )]
    NotYetValid {
        /// The line that matched.
        line: usize,
        /// The line's `valid-after`.
        valid_after: DateTime<Utc>,
        /// The time that was asked about.
        at: DateTime<Utc>,
    },
    /// The time is after the line's `valid-before`.
    #[error(
        "allowed_signers line {line}: the key had expired at {at} (valid-before {valid_before})"
    )]
    Expired {
        /// The line that matched.
        line: usize,
        /// The line's `valid-before`.
        valid_before: DateTime<Utc>,
        /// The time that was asked about.
        at: DateTime<Utc>,
    },
}

/// A parsed `allowed_signers` file: the usable lines, in file order.
///
/// Read-only once parsed (no interior mutability), so one instance can be
/// shared by threads verifying sign-offs in parallel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedSigners {
    entries: Vec<SignerEntry>,
    /// Lines refused whose key could still be read, so that a refusal can
    /// name the line rather than say the key is not listed.
    refused: Vec<RefusedLine>,
    /// For each key, the indices into `entries` of the lines listing it, in
    /// file order: a signature's key is looked up once, not compared with
    /// every line.
    by_key: HashMap<KeyData, Vec<usize>>,
    /// For each key, the index into `refused` of the first refused line
    /// listing it.
    refused_by_key: HashMap<KeyData, usize>,
}

/// A line that was refused although its key could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RefusedLine {
    line: usize,
    key: KeyData,
    reason: String,
}

impl AllowedSigners {
    /// Parses the file's text. Never fails: bad lines are skipped, as
    /// OpenSSH skips them, and reported as [`Diagnostic`]s in line order.
    pub fn parse(text: &str) -> (AllowedSigners, Vec<Diagnostic>) {
        let mut entries = Vec::new();
        let mut refused = Vec::new();
        let mut diagnostics = Vec::new();
        for (index, raw) in text.split('\n').enumerate() {
            let line = index + 1;
            match parse_line(raw) {
                Ok(None) => {}
                Ok(Some(parsed)) => {
                    for message in parsed.warnings {
                        diagnostics.push(Diagnostic {
                            line,
                            message,
                            severity: Severity::Warning,
                        });
                    }
                    entries.push(SignerEntry {
                        line,
                        principals: parsed.principals,
                        cert_authority: parsed.options.cert_authority,
                        namespaces: parsed.options.namespaces,
                        valid_after: parsed.options.valid_after,
                        valid_before: parsed.options.valid_before,
                        key: parsed.key,
                    });
                }
                Err(message) => {
                    if let Some(key) = key_in_refused_line(raw) {
                        refused.push(RefusedLine {
                            line,
                            key,
                            reason: message.clone(),
                        });
                    }
                    diagnostics.push(Diagnostic {
                        line,
                        message,
                        severity: Severity::Error,
                    })
                }
            }
        }
        let mut by_key: HashMap<KeyData, Vec<usize>> = HashMap::new();
        for (i, entry) in entries.iter().enumerate() {
            by_key
                .entry(entry.key.key_data().clone())
                .or_default()
                .push(i);
        }
        let mut refused_by_key = HashMap::new();
        for (i, line) in refused.iter().enumerate() {
            refused_by_key.entry(line.key.clone()).or_insert(i);
        }
        let signers = AllowedSigners {
            entries,
            refused,
            by_key,
            refused_by_key,
        };
        (signers, diagnostics)
    }

    /// The usable lines, in file order.
    pub fn entries(&self) -> &[SignerEntry] {
        &self.entries
    }

    /// Decides whether `key` may sign for `principal` in `namespace` at time
    /// `at`, as `ssh-keygen -Y verify -I principal -n namespace
    /// -Overify-time=at` would. Returns the line that grants trust, or the
    /// most specific reason none does.
    pub fn check(
        &self,
        principal: &str,
        key: &KeyData,
        namespace: &str,
        at: DateTime<Utc>,
    ) -> Result<&SignerEntry, Untrusted> {
        let lines = self.by_key.get(key).map_or(&[][..], Vec::as_slice);
        let key_listed = !lines.is_empty();
        let mut plain_refusal = None;
        let mut ca_refusal = None;
        for entry in lines.iter().map(|&i| &self.entries[i]) {
            if !entry.matches_principal(principal) {
                continue;
            }
            match entry.refusal(namespace, at) {
                None => return Ok(entry),
                Some(r @ Untrusted::CertAuthorityUnsupported { .. }) => {
                    ca_refusal.get_or_insert(r);
                }
                Some(r) => {
                    plain_refusal.get_or_insert(r);
                }
            }
        }
        Err(plain_refusal.or(ca_refusal).unwrap_or_else(|| {
            if key_listed {
                Untrusted::PrincipalNotAllowed {
                    principal: principal.to_owned(),
                }
            } else if let Some(refused) = self.refused_by_key.get(key).map(|&i| &self.refused[i]) {
                Untrusted::InvalidLine {
                    line: refused.line,
                    reason: refused.reason.clone(),
                }
            } else {
                Untrusted::UnknownKey
            }
        }))
    }

    /// The keys trusted to sign for `principal` in `namespace` at `at`: the
    /// candidates `charter sign` may use, and what `verify` accepts.
    pub fn keys_for(&self, principal: &str, namespace: &str, at: DateTime<Utc>) -> Vec<&PublicKey> {
        self.entries
            .iter()
            .filter(|e| e.matches_principal(principal) && e.refusal(namespace, at).is_none())
            .map(|e| &e.key)
            .collect()
    }

    /// Whether any usable (non-`cert-authority`) line's principal patterns
    /// match `email`, case-sensitively as OpenSSH does. The `unknown-signer`
    /// lint warns when a party's email matches none, since that party could
    /// never produce a valid sign-off.
    pub fn principal_matches_any(&self, email: &str) -> bool {
        self.entries
            .iter()
            .any(|e| !e.cert_authority && e.matches_principal(email))
    }
}

/// The outcome of matching a string against an OpenSSH pattern list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternMatch {
    /// A negated pattern (`!pat`) matched: the string is rejected outright.
    Negated,
    /// No pattern matched.
    NoMatch,
    /// A positive pattern matched and no negated one did.
    Match,
}

/// OpenSSH's longest sub-pattern plus one: `match_pattern_list` copies each
/// sub-pattern into a 1024-byte buffer and gives up (no match) when one
/// fills it.
const MAX_SUBPATTERN: usize = 1023;

/// Matches `string` against a comma-separated pattern list with OpenSSH's
/// `match_pattern_list` semantics (case-sensitive): `*` matches any run of
/// bytes, `?` one byte, a leading `!` negates, and any matching negated
/// pattern rejects regardless of order.
pub fn match_pattern_list(string: &str, patterns: &str) -> PatternMatch {
    let mut positive = false;
    for sub in patterns.as_bytes().split(|&b| b == b',') {
        let (negated, pattern) = match sub.split_first() {
            Some((b'!', rest)) => (true, rest),
            _ => (false, sub),
        };
        if pattern.len() >= MAX_SUBPATTERN {
            return PatternMatch::NoMatch;
        }
        if match_pattern(string.as_bytes(), pattern) {
            if negated {
                return PatternMatch::Negated;
            }
            positive = true;
        }
    }
    if positive {
        PatternMatch::Match
    } else {
        PatternMatch::NoMatch
    }
}

/// Glob match of one pattern (`*`, `?`) against the whole string, iterative
/// so that hostile patterns cannot blow the stack or take exponential time.
fn match_pattern(s: &[u8], p: &[u8]) -> bool {
    let (mut si, mut pi) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, si));
                pi += 1;
            }
            Some(&c) if c == b'?' || c == s[si] => {
                si += 1;
                pi += 1;
            }
            _ => match star {
                Some((sp, ss)) => {
                    pi = sp + 1;
                    si = ss + 1;
                    star = Some((sp, ss + 1));
                }
                None => return false,
            },
        }
    }
    p[pi.min(p.len())..].iter().all(|&c| c == b'*')
}

/// The options of one line.
#[derive(Debug, Default)]
struct LineOptions {
    cert_authority: bool,
    namespaces: Option<String>,
    valid_after: Option<DateTime<Utc>>,
    valid_before: Option<DateTime<Utc>>,
}

/// A line that parsed, with the warnings it deserves.
struct ParsedLine {
    principals: String,
    options: LineOptions,
    key: PublicKey,
    warnings: Vec<String>,
}

/// Key types OpenSSH writes in `allowed_signers`; a first token outside this
/// list is read as options, as OpenSSH does when `sshkey_read` fails.
const KEY_TYPES: &[&str] = &[
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "ssh-dss",
];

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn skip_ws(s: &str) -> &str {
    s.trim_start_matches([' ', '\t', '\r', '\n'])
}

/// Parses one line; `Ok(None)` for blank lines and comments.
fn parse_line(raw: &str) -> Result<Option<ParsedLine>, String> {
    let line = skip_ws(raw);
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let (principals, rest) = split_principals(line)?;
    let rest = skip_ws(rest);
    if rest.is_empty() {
        return Err("missing key after the principals".to_owned());
    }
    let mut warnings = Vec::new();
    let first = first_token(rest);
    let (options, key_text) = if is_key_type(first) || looks_like_unknown_key_type(rest) {
        (LineOptions::default(), rest)
    } else {
        let end = options_end(rest)?;
        let (opts, after) = rest.split_at(end);
        let after = skip_ws(after);
        if after.is_empty() {
            return Err("missing key after the options".to_owned());
        }
        (parse_options(opts, &mut warnings)?, after)
    };
    let key = parse_key(key_text)?;
    if principals
        .split(',')
        .any(|p| p.trim_start_matches('!').len() >= MAX_SUBPATTERN)
    {
        warnings.push(format!(
            "a principal pattern is {MAX_SUBPATTERN} bytes or longer; OpenSSH never matches such a list"
        ));
    }
    // (A plain space can only come from a quoted list and is plain to see.)
    if let Some(c) = principals
        .chars()
        .find(|&c| c != ' ' && crate::unicode::is_hidden(c))
    {
        warnings.push(format!(
            "a principal contains an invisible or control character ({}); it can match no sign-off, since charter refuses such principals",
            c.escape_unicode()
        ));
    }
    if options.cert_authority {
        warnings.push(
            "cert-authority lines are not supported: charter never trusts this line".to_owned(),
        );
    }
    Ok(Some(ParsedLine {
        principals,
        options,
        key,
        warnings,
    }))
}

/// Splits off the principals token like OpenSSH's `strdelimw`: it ends at
/// whitespace, or, once a double quote is met, at the closing quote (the
/// quotes themselves are dropped).
fn split_principals(line: &str) -> Result<(String, &str), String> {
    let bytes = line.as_bytes();
    let Some(pos) = bytes.iter().position(|&b| is_ws(b) || b == b'"') else {
        return Err("missing key after the principals".to_owned());
    };
    if bytes[pos] == b'"' {
        let after_open = &line[pos + 1..];
        let Some(close) = after_open.find('"') else {
            return Err("unterminated quote in the principals".to_owned());
        };
        let mut principals = line[..pos].to_owned();
        principals.push_str(&after_open[..close]);
        Ok((principals, &after_open[close + 1..]))
    } else {
        Ok((line[..pos].to_owned(), &line[pos..]))
    }
}

/// The key of a line that failed to parse, when one can still be read
/// (`keytype base64` anywhere on the line).
fn key_in_refused_line(raw: &str) -> Option<KeyData> {
    let tokens: Vec<&str> = raw
        .split([' ', '\t', '\r'])
        .filter(|t| !t.is_empty())
        .collect();
    tokens.windows(2).find_map(|pair| {
        KEY_TYPES
            .contains(&pair[0])
            .then(|| parse_key(&format!("{} {}", pair[0], pair[1])).ok())
            .flatten()
            .map(|key| key.key_data().clone())
    })
}

fn first_token(s: &str) -> &str {
    s.split([' ', '\t', '\r', '\n']).next().unwrap_or("")
}

fn is_key_type(token: &str) -> bool {
    KEY_TYPES.contains(&token) || token.ends_with("-cert-v01@openssh.com")
}

/// A first token without `=` or `,` followed by base64 that starts like an
/// SSH key blob is a key type we do not know, not a misspelt option.
fn looks_like_unknown_key_type(rest: &str) -> bool {
    let mut tokens = rest.split([' ', '\t']).filter(|t| !t.is_empty());
    let first = tokens.next().unwrap_or("");
    let second = tokens.next().unwrap_or("");
    !first.contains(['=', ',', '"']) && second.starts_with("AAAA")
}

/// End of the options token, as OpenSSH's `sshkey_advance_past_options`:
/// the first space or tab outside double quotes (`\"` does not toggle).
fn options_end(s: &str) -> Result<usize, String> {
    let bytes = s.as_bytes();
    let mut quoted = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if bytes.get(i + 1) == Some(&b'"') => i += 1,
            b'"' => quoted = !quoted,
            b' ' | b'\t' if !quoted => return Ok(i),
            _ => {}
        }
        i += 1;
    }
    if quoted {
        Err("unterminated quote in the options".to_owned())
    } else {
        Ok(bytes.len())
    }
}

/// Parses `keytype base64 [comment]`.
fn parse_key(text: &str) -> Result<PublicKey, String> {
    let mut tokens = text
        .split([' ', '\t', '\r', '\n'])
        .filter(|t| !t.is_empty());
    let key_type = tokens.next().unwrap_or("");
    if key_type.ends_with("-cert-v01@openssh.com") {
        return Err(format!(
            "{key_type}: a certificate cannot be listed as a signer key"
        ));
    }
    if !KEY_TYPES.contains(&key_type) {
        return Err(format!("unsupported key type {key_type:?}"));
    }
    let Some(blob) = tokens.next() else {
        return Err(format!("missing base64 key data after {key_type}"));
    };
    let comment = tokens.collect::<Vec<_>>().join(" ");
    let mut key = PublicKey::from_openssh(&format!("{key_type} {blob}"))
        .map_err(|e| format!("invalid {key_type} key: {e}"))?;
    key.set_comment(comment);
    Ok(key)
}

/// Case-insensitive ASCII prefix test, as OpenSSH's `strncasecmp`.
fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        s.get(prefix.len()..)
    } else {
        None
    }
}

/// Parses the options token like OpenSSH's `sshsigopt_parse`.
fn parse_options(mut s: &str, warnings: &mut Vec<String>) -> Result<LineOptions, String> {
    let mut out = LineOptions::default();
    while !s.is_empty() {
        if let Some(rest) = strip_prefix_ci(s, "cert-authority") {
            out.cert_authority = true;
            s = rest;
        } else if let Some(rest) = strip_prefix_ci(s, "namespaces=") {
            if out.namespaces.is_some() {
                return Err("more than one namespaces= option".to_owned());
            }
            let (value, rest) = dequote(rest, "namespaces")?;
            out.namespaces = Some(value);
            s = rest;
        } else if let Some((name, rest)) = strip_prefix_ci(s, "valid-after=")
            .map(|r| ("valid-after", r))
            .or_else(|| strip_prefix_ci(s, "valid-before=").map(|r| ("valid-before", r)))
        {
            let slot = if name == "valid-after" {
                &mut out.valid_after
            } else {
                &mut out.valid_before
            };
            if slot.is_some() {
                return Err(format!("more than one {name}= option"));
            }
            let (value, rest) = dequote(rest, name)?;
            let (time, zoned) = parse_ssh_time(&value)
                .ok_or_else(|| format!("invalid {name} time {value:?}: expected YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, optionally followed by Z"))?;
            if !zoned {
                warnings.push(format!(
                    "{name}=\"{value}\" has no time zone: OpenSSH reads it as local time, charter as UTC; append Z to make it unambiguous"
                ));
            }
            *slot = Some(time);
            s = rest;
        } else {
            let name = s.split([',', '=']).next().unwrap_or(s);
            return Err(format!("unknown option {name:?}"));
        }
        if s.is_empty() {
            break;
        }
        match s.strip_prefix(',') {
            Some("") => return Err("the options end with a comma".to_owned()),
            Some(rest) => s = rest,
            None => {
                let junk = s.split(',').next().unwrap_or(s);
                return Err(format!("unknown option text {junk:?}"));
            }
        }
    }
    if let (Some(after), Some(before)) = (out.valid_after, out.valid_before) {
        if before <= after {
            return Err("valid-before is not later than valid-after".to_owned());
        }
    }
    Ok(out)
}

/// Reads a double-quoted option value like OpenSSH's `opt_dequote`
/// (`\"` stands for a quote; no other escapes).
fn dequote<'a>(s: &'a str, name: &str) -> Result<(String, &'a str), String> {
    let Some(body) = s.strip_prefix('"') else {
        return Err(format!("the value of {name}= must be in double quotes"));
    };
    let bytes = body.as_bytes();
    let mut value = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let value = String::from_utf8(value)
                    .map_err(|_| format!("the value of {name}= is not valid UTF-8"))?;
                return Ok((value, &body[i + 1..]));
            }
            b'\\' if bytes.get(i + 1) == Some(&b'"') => {
                value.push(b'"');
                i += 2;
            }
            b => {
                value.push(b);
                i += 1;
            }
        }
    }
    Err(format!("the value of {name}= has no closing quote"))
}

/// Parses an OpenSSH absolute time (`parse_absolute_time` in `misc.c`):
/// 8, 12 or 14 digits, optionally followed by `Z` or `UTC` (any case).
/// Returns the time, read as UTC either way, and whether a zone was given.
/// Like OpenSSH, rejects times at or before the Unix epoch.
pub fn parse_ssh_time(text: &str) -> Option<(DateTime<Utc>, bool)> {
    let (digits, zoned) = if text.len() > 1 && (text.ends_with('Z') || text.ends_with('z')) {
        (&text[..text.len() - 1], true)
    } else if text.len() > 3 && strip_suffix_ci(text, "UTC").is_some() {
        (strip_suffix_ci(text, "UTC")?, true)
    } else {
        (text, false)
    };
    if !matches!(digits.len(), 8 | 12 | 14) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> { digits.get(from..to)?.parse().ok() };
    let date = NaiveDate::from_ymd_opt(i32::try_from(num(0, 4)?).ok()?, num(4, 6)?, num(6, 8)?)?;
    let hour = if digits.len() >= 12 { num(8, 10)? } else { 0 };
    let minute = if digits.len() >= 12 { num(10, 12)? } else { 0 };
    let second = if digits.len() == 14 { num(12, 14)? } else { 0 };
    if second > 59 {
        return None;
    }
    let time = NaiveTime::from_hms_opt(hour, minute, second)?;
    let at = NaiveDateTime::new(date, time).and_utc();
    if at.timestamp() <= 0 {
        return None;
    }
    Some((at, zoned))
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    if tail.eq_ignore_ascii_case(suffix) {
        s.get(..cut)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGf+4fi5sq8v/q7Hrl6BF1kfi3Lv+sluO2Z0GKJg7Wp9";
    const ED2: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC6017AnqCmq58S9WmFyxFXsqwpQTZ59m+tRZOpp6PZR";

    fn t(s: &str) -> DateTime<Utc> {
        parse_ssh_time(s).unwrap().0
    }

    fn key(line: &str) -> KeyData {
        PublicKey::from_openssh(line).unwrap().key_data().clone()
    }

    #[test]
    fn invisible_characters_in_principals_are_warned_about() {
        let (signers, diags) = AllowedSigners::parse(&format!("ada@example.com\u{200b} {ED}\n"));
        assert_eq!(signers.entries().len(), 1);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].severity, Severity::Warning);
        assert!(
            diags[0].message.contains("\\u{200b}"),
            "{}",
            diags[0].message
        );
        let (_, diags) = AllowedSigners::parse(&format!("ada@example.com {ED}\n"));
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn patterns_follow_openssh() {
        use PatternMatch::*;
        assert_eq!(
            match_pattern_list("ada@example.com", "ada@example.com"),
            Match
        );
        assert_eq!(
            match_pattern_list("Ada@example.com", "ada@example.com"),
            NoMatch
        );
        assert_eq!(
            match_pattern_list("ada@example.com", "*@example.com"),
            Match
        );
        assert_eq!(match_pattern_list("ada@example.com", "?da@*"), Match);
        assert_eq!(match_pattern_list("ada@example.com", "??da@*"), NoMatch);
        assert_eq!(
            match_pattern_list("ada@example.com", "*@example.com,!ada@*"),
            Negated
        );
        assert_eq!(
            match_pattern_list("ada@example.com", "!ada@*,*@example.com"),
            Negated
        );
        assert_eq!(
            match_pattern_list("bob@example.com", "!ada@*,*@example.com"),
            Match
        );
        assert_eq!(match_pattern_list("bob@example.com", "!ada@*"), NoMatch);
        assert_eq!(match_pattern_list("", ""), Match);
        assert_eq!(match_pattern_list("x", ""), NoMatch);
        assert_eq!(match_pattern_list("x", "*"), Match);
        assert_eq!(match_pattern_list("abc", "a*b*c*"), Match);
        assert_eq!(match_pattern_list("abcb", "a*b"), Match);
        assert_eq!(match_pattern_list("abcbd", "a*b"), NoMatch);
        let long = "a".repeat(MAX_SUBPATTERN);
        assert_eq!(match_pattern_list(&long, &format!("x,{long}")), NoMatch);
        let ok = "a".repeat(MAX_SUBPATTERN - 1);
        assert_eq!(match_pattern_list(&ok, &ok), Match);
        // Pathological pattern finishes quickly.
        let s = "a".repeat(5000);
        let p = format!("{}b", "*a".repeat(200));
        assert_eq!(match_pattern_list(&s, &p), NoMatch);
    }

    #[test]
    fn times_in_every_form() {
        assert_eq!(t("20260102"), t("20260102000000Z"));
        assert_eq!(t("202601021304"), t("20260102130400z"));
        assert_eq!(t("20260102130405UTC"), t("20260102130405Z"));
        assert_eq!(t("20260102130405utc"), t("20260102130405Z"));
        assert_eq!(t("20260102Z").to_rfc3339(), "2026-01-02T00:00:00+00:00");
        assert!(!parse_ssh_time("20260102").unwrap().1);
        assert!(parse_ssh_time("20260102Z").unwrap().1);
        for bad in [
            "",
            "Z",
            "2026010",
            "202601021",
            "2026-01-02",
            "20261302",
            "20250229",
            "20260102246000",
            "20260102235960",
            "19700101Z",
            "19691231",
            "2026010213040Z",
            "+0260102",
        ] {
            assert!(parse_ssh_time(bad).is_none(), "{bad:?}");
        }
        assert!(parse_ssh_time("19700101000001Z").is_some());
    }

    #[test]
    fn parses_lines_options_and_quotes() {
        let text = format!(
            "# trust root\n\
             \n   \t\n\
             ada@example.com {ED} ada's laptop\n\
             \"grace hopper@example.com,*@corp.example\" namespaces=\"git,charter-*\",valid-after=\"20260101Z\",VALID-BEFORE=\"202701011200UTC\" {ED2}\n\
             cert-authority,namespaces=\"charter-signoff\" {ED}\n\
             \t  bob@example.com\tvalid-after=\"20260101\"\t{ED2}\r\n"
        );
        let (signers, diags) = AllowedSigners::parse(&text);
        let e = signers.entries();
        assert_eq!(e.len(), 4, "{diags:?}");
        assert_eq!(e[0].line, 4);
        assert_eq!(e[0].principals, "ada@example.com");
        assert_eq!(e[0].key.comment(), "ada's laptop");
        assert_eq!(e[1].principals, "grace hopper@example.com,*@corp.example");
        assert_eq!(e[1].namespaces.as_deref(), Some("git,charter-*"));
        assert_eq!(e[1].valid_after, Some(t("20260101Z")));
        assert_eq!(e[1].valid_before, Some(t("202701011200Z")));
        // Read as OpenSSH's strdelimw does: the principals token runs to the
        // closing quote, so this is an ordinary line whose principal is odd.
        assert!(!e[2].cert_authority);
        assert_eq!(e[2].principals, "cert-authority,namespaces=charter-signoff");
        assert_eq!(e[3].principals, "bob@example.com");
        assert_eq!(e[3].valid_after, Some(t("20260101Z")));
        // The only warning: line 7 has a time without a zone.
        assert_eq!(
            diags
                .iter()
                .map(|d| (d.line, d.severity))
                .collect::<Vec<_>>(),
            vec![(7, Severity::Warning)]
        );
        assert!(diags[0].message.contains("local time"));
    }

    #[test]
    fn cert_authority_lines_are_kept_and_flagged() {
        let text = format!("*@example.com cert-authority {ED}\n");
        let (signers, diags) = AllowedSigners::parse(&text);
        assert!(signers.entries()[0].cert_authority);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].severity, Severity::Warning);
        assert!(diags[0].message.contains("cert-authority"));
        let at = t("20260601Z");
        assert_eq!(
            signers.check("ada@example.com", &key(ED), "charter-signoff", at),
            Err(Untrusted::CertAuthorityUnsupported { line: 1 })
        );
        assert!(!signers.principal_matches_any("ada@example.com"));
        assert!(signers
            .keys_for("ada@example.com", "charter-signoff", at)
            .is_empty());
    }

    #[test]
    fn bad_lines_carry_their_line_numbers() {
        let text = format!(
            "ok@example.com {ED}\n\
             lonely\n\
             a@b\n\
             \"unterminated {ED}\n\
             a@b bogus=\"1\" {ED}\n\
             a@b namespaces=git {ED}\n\
             a@b namespaces=\"git {ED}\n\
             a@b valid-after=\"2026\" {ED}\n\
             a@b valid-after=\"20260101Z\",valid-after=\"20260102Z\" {ED}\n\
             a@b valid-after=\"20270101Z\",valid-before=\"20260101Z\" {ED}\n\
             a@b cert-authority, {ED}\n\
             a@b namespaces=\"x\"junk {ED}\n\
             a@b ssh-ed25519 AAAAnotbase64!!\n\
             a@b ssh-ed25519\n\
             a@b ssh-ed25519-cert-v01@openssh.com AAAAC3Nz\n\
             a@b ssh-xmss@openssh.com AAAAB3NzaC1\n\
             a@b cert-authority\n\
             a@b ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIGf+4fi5sq8v/q7Hrl6BF1kfi3Lv+sluO2Z0GKJg7Wp9\n"
        );
        let (signers, diags) = AllowedSigners::parse(&text);
        assert_eq!(signers.entries().len(), 1);
        let lines: Vec<usize> = diags.iter().map(|d| d.line).collect();
        assert_eq!(lines, (2..=18).collect::<Vec<_>>(), "{diags:#?}");
        assert!(diags.iter().all(|d| d.severity == Severity::Error));
        let msg = |line: usize| {
            diags
                .iter()
                .find(|d| d.line == line)
                .map(|d| d.message.clone())
                .unwrap()
        };
        assert!(msg(2).contains("missing key"));
        assert!(msg(4).contains("unterminated quote"));
        assert!(msg(5).contains("unknown option \"bogus\""));
        assert!(msg(6).contains("double quotes"));
        assert!(msg(8).contains("invalid valid-after time"));
        assert!(msg(9).contains("more than one valid-after"));
        assert!(msg(10).contains("not later than"));
        assert!(msg(11).contains("end with a comma"));
        assert!(msg(12).contains("junk"));
        assert!(msg(13).contains("invalid ssh-ed25519 key"));
        assert!(msg(15).contains("certificate"));
        assert!(msg(16).contains("unsupported key type"));
        assert!(msg(18).contains("invalid ssh-rsa key"));
    }

    #[test]
    fn trust_decisions() {
        let text = format!(
            "ada@example.com namespaces=\"charter-signoff\",valid-after=\"20260101Z\",valid-before=\"20261231235959Z\" {ED}\n\
             *@example.com,!eve@example.com {ED2}\n\
             git-only@example.com namespaces=\"git\" {ED2}\n"
        );
        let (s, diags) = AllowedSigners::parse(&text);
        assert!(diags.is_empty(), "{diags:?}");
        let ns = "charter-signoff";
        let mid = t("20260601Z");
        assert_eq!(
            s.check("ada@example.com", &key(ED), ns, mid).unwrap().line,
            1
        );
        // Both ends of the window are inclusive, as in OpenSSH.
        assert!(s
            .check("ada@example.com", &key(ED), ns, t("20260101Z"))
            .is_ok());
        assert!(s
            .check("ada@example.com", &key(ED), ns, t("20261231235959Z"))
            .is_ok());
        assert!(matches!(
            s.check("ada@example.com", &key(ED), ns, t("20270101Z")),
            Err(Untrusted::Expired { line: 1, .. })
        ));
        assert!(matches!(
            s.check("ada@example.com", &key(ED), ns, t("20251231235959Z")),
            Err(Untrusted::NotYetValid { line: 1, .. })
        ));
        assert!(matches!(
            s.check("ada@example.com", &key(ED), "git", mid),
            Err(Untrusted::NamespaceNotAllowed { line: 1, .. })
        ));
        assert!(matches!(
            s.check("bob@example.com", &key(ED), ns, mid),
            Err(Untrusted::PrincipalNotAllowed { .. })
        ));
        assert!(s.check("bob@example.com", &key(ED2), ns, mid).is_ok());
        assert!(matches!(
            s.check("eve@example.com", &key(ED2), ns, mid),
            Err(Untrusted::PrincipalNotAllowed { .. })
        ));
        // Line 3 matches by principal but not namespace; line 2 still trusts.
        assert_eq!(
            s.check("git-only@example.com", &key(ED2), ns, mid)
                .unwrap()
                .line,
            2
        );
        let unknown =
            key("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPeKq0LxRxkxtmDizZihhFBpYfk8I3+UkBCVLiqcqMAo");
        assert_eq!(
            s.check("ada@example.com", &unknown, ns, mid),
            Err(Untrusted::UnknownKey)
        );
        assert_eq!(s.keys_for("ada@example.com", ns, mid).len(), 2);
        assert_eq!(s.keys_for("ada@example.com", ns, t("20270101Z")).len(), 1);
        assert!(s.principal_matches_any("zed@example.com"));
        assert!(!s.principal_matches_any("eve@example.com"));
        assert!(!s.principal_matches_any("ADA@EXAMPLE.COM"));
    }

    /// The trust decision by a plain scan of every line in file order: what
    /// the key index must reproduce exactly.
    fn check_by_scan(
        s: &AllowedSigners,
        principal: &str,
        key: &KeyData,
        namespace: &str,
        at: DateTime<Utc>,
    ) -> Result<usize, Untrusted> {
        let mut key_listed = false;
        let mut plain_refusal = None;
        let mut ca_refusal = None;
        for entry in s.entries() {
            if entry.key.key_data() != key {
                continue;
            }
            key_listed = true;
            if !entry.matches_principal(principal) {
                continue;
            }
            match entry.refusal(namespace, at) {
                None => return Ok(entry.line),
                Some(r @ Untrusted::CertAuthorityUnsupported { .. }) => {
                    ca_refusal.get_or_insert(r);
                }
                Some(r) => {
                    plain_refusal.get_or_insert(r);
                }
            }
        }
        Err(plain_refusal.or(ca_refusal).unwrap_or_else(|| {
            if key_listed {
                Untrusted::PrincipalNotAllowed {
                    principal: principal.to_owned(),
                }
            } else if let Some(r) = s.refused.iter().find(|r| r.key == *key) {
                Untrusted::InvalidLine {
                    line: r.line,
                    reason: r.reason.clone(),
                }
            } else {
                Untrusted::UnknownKey
            }
        }))
    }

    #[test]
    fn the_key_index_decides_as_a_scan_of_every_line() {
        const ED3: &str =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPeKq0LxRxkxtmDizZihhFBpYfk8I3+UkBCVLiqcqMAo";
        // One key on many lines, in an order where the first line that
        // matches is not the one that trusts; a cert-authority line before
        // a plain one; a refused line for a key that is listed nowhere else
        // and another for a key that is.
        let text = format!(
            "ada@example.com valid-before=\"20260301Z\" {ED}\n\
             *@example.com cert-authority {ED}\n\
             ada@example.com,dan@example.com namespaces=\"git\" {ED}\n\
             ada@example.com,bob@example.com valid-after=\"20260201Z\",valid-before=\"20270101Z\" {ED}\n\
             !eve@example.com,*@example.com {ED2}\n\
             eve@example.com valid-after=\"20270101Z\" {ED2}\n\
             carol@example.com valid-after=\"2026\" {ED3}\n\
             ada@example.com bogus=\"1\" {ED}\n"
        );
        let (s, diags) = AllowedSigners::parse(&text);
        assert_eq!(s.entries().len(), 6, "{diags:?}");
        let nowhere = KeyData::Ed25519(ssh_key::public::Ed25519PublicKey([7; 32]));
        let keys = [key(ED), key(ED2), key(ED3), nowhere];
        let mut verdicts = std::collections::BTreeSet::new();
        for principal in [
            "ada@example.com",
            "bob@example.com",
            "eve@example.com",
            "carol@example.com",
            "dan@example.com",
            "zed@elsewhere.org",
        ] {
            for k in &keys {
                for namespace in ["charter-signoff", "git"] {
                    for at in ["20260115Z", "20260215Z", "20260315Z", "20270615Z"] {
                        let at = t(at);
                        let indexed = s.check(principal, k, namespace, at).map(|e| e.line);
                        assert_eq!(
                            indexed,
                            check_by_scan(&s, principal, k, namespace, at),
                            "{principal} {namespace} {at}"
                        );
                        verdicts.insert(match indexed {
                            Ok(line) => format!("trusted by line {line}"),
                            Err(e) => format!("{e:?}")
                                .split([' ', '{'])
                                .next()
                                .unwrap_or("")
                                .to_owned(),
                        });
                    }
                }
            }
        }
        // The grid reaches trust by several lines and every kind of refusal.
        for expected in [
            "trusted by line 1",
            "trusted by line 3",
            "trusted by line 4",
            "trusted by line 5",
            "CertAuthorityUnsupported",
            "Expired",
            "InvalidLine",
            "NamespaceNotAllowed",
            "NotYetValid",
            "PrincipalNotAllowed",
            "UnknownKey",
        ] {
            assert!(
                verdicts.contains(expected),
                "{expected} not in {verdicts:?}"
            );
        }
        let at = t("20260215Z");
        let ns = "charter-signoff";
        assert_eq!(
            s.check("ada@example.com", &keys[0], ns, at).unwrap().line,
            1
        );
        assert_eq!(
            s.check("bob@example.com", &keys[0], ns, at).unwrap().line,
            4
        );
        assert_eq!(
            s.check("ada@example.com", &keys[0], ns, t("20260315Z"))
                .unwrap()
                .line,
            4,
            "line 1 has expired; line 4 is the first that trusts"
        );
        assert_eq!(
            s.check("bob@example.com", &keys[0], ns, t("20260115Z")),
            Err(Untrusted::NotYetValid {
                line: 4,
                valid_after: t("20260201Z"),
                at: t("20260115Z")
            }),
            "a plain line's refusal is preferred to the cert-authority line's"
        );
        assert_eq!(
            s.check("carol@example.com", &keys[0], ns, at),
            Err(Untrusted::CertAuthorityUnsupported { line: 2 })
        );
        assert!(matches!(
            s.check("carol@example.com", &keys[2], ns, at),
            Err(Untrusted::InvalidLine { line: 7, .. })
        ));
        assert!(matches!(
            s.check("zed@elsewhere.org", &keys[0], ns, at),
            Err(Untrusted::PrincipalNotAllowed { .. })
        ));
    }

    #[test]
    fn hostile_input_never_panics() {
        let seed = format!(
            "\"a b\",*@x,!c cert-authority,namespaces=\"n\\\"s\",valid-after=\"20260101Z\",valid-before=\"20270101UTC\" {ED} c\n\u{e9}\u{1f600} \u{0}\"\n"
        );
        for cut in 0..=seed.len() {
            if let Some(prefix) = seed.get(..cut) {
                let _ = AllowedSigners::parse(prefix);
            }
        }
        let mut bytes = seed.clone().into_bytes();
        let mut state = 0x9e37_79b9_u32;
        for _ in 0..3000 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let i = state as usize % bytes.len();
            let alphabet = b" \t\r\n\",=!*?#Zz0123456789abcAZ\\";
            bytes[i] = alphabet[(state >> 8) as usize % alphabet.len()];
            let text = String::from_utf8_lossy(&bytes);
            let (signers, _) = AllowedSigners::parse(&text);
            let _ = signers.principal_matches_any("a b");
        }
        let long = format!("{} {ED}\n", "*a".repeat(50_000));
        let (signers, _) = AllowedSigners::parse(&long);
        assert!(!signers.principal_matches_any(&"a".repeat(10_000)));
    }
}
