//! Validation of one agreement file: parse, schema, then the semantic rules
//! of the README's "The agreement format", each finding pointing at the key or value it is about.

use crate::document;
use crate::finding::Finding;
use crate::finding::Rule;
use crate::yaml::{Node, Pos, Segment, Value};

use super::file_name;
use super::types::is_valid_id;
use super::{Agreement, VersionId};

/// How far an agreement file got: the distinct states of the README's "History, notice and states".
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// Not plain data: syntax, encoding, size or a forbidden YAML feature.
    Unparseable,
    /// Plain data with a version id, but not a valid agreement.
    SchemaInvalid {
        /// The version id of the data.
        version: VersionId,
        /// The data, for diffs.
        data: serde_json::Value,
    },
    /// A valid agreement (semantic findings may still apply).
    Valid {
        /// The version id of the data.
        version: VersionId,
        /// The data, for diffs.
        data: serde_json::Value,
        /// The typed agreement.
        agreement: Box<Agreement>,
    },
}

impl Parsed {
    /// The version id, when the file is plain data.
    pub fn version(&self) -> Option<&VersionId> {
        match self {
            Parsed::Unparseable => None,
            Parsed::SchemaInvalid { version, .. } | Parsed::Valid { version, .. } => Some(version),
        }
    }

    /// The plain data, when the file has some.
    pub fn data(&self) -> Option<&serde_json::Value> {
        match self {
            Parsed::Unparseable => None,
            Parsed::SchemaInvalid { data, .. } | Parsed::Valid { data, .. } => Some(data),
        }
    }

    /// Release the plain data (kept: the version id and the typed
    /// agreement). Loading a whole repository keeps data only for the points
    /// reports still compare; the rest would hold memory for nothing.
    pub fn forget_data(&mut self) {
        match self {
            Parsed::Unparseable => {}
            Parsed::SchemaInvalid { data, .. } | Parsed::Valid { data, .. } => {
                *data = serde_json::Value::Null
            }
        }
    }

    /// Move the plain data out, leaving none behind, for a caller that
    /// is done with the rest of the parse and should not hold two copies.
    pub fn take_data(&mut self) -> Option<serde_json::Value> {
        match self {
            Parsed::Unparseable => None,
            Parsed::SchemaInvalid { data, .. } | Parsed::Valid { data, .. } => {
                Some(std::mem::take(data))
            }
        }
    }

    /// The parse of plain data whose version id is known: valid when the
    /// data is a mapping that is an agreement, schema-invalid otherwise. A
    /// YAML mapping is exactly the data that is a JSON object.
    pub fn from_data(version: VersionId, data: serde_json::Value) -> Parsed {
        if !data.is_object() {
            return Parsed::SchemaInvalid { version, data };
        }
        match typed_from(&data) {
            Some(agreement) => Parsed::Valid {
                version,
                data,
                agreement: Box::new(agreement),
            },
            None => Parsed::SchemaInvalid { version, data },
        }
    }

    /// The typed agreement, when valid.
    pub fn agreement(&self) -> Option<&Agreement> {
        match self {
            Parsed::Valid { agreement, .. } => Some(agreement),
            _ => None,
        }
    }
}

/// What validation needs to know beyond the file itself.
#[derive(Default)]
pub struct Context<'a> {
    /// Tells whether an email is a principal in allowed_signers; `None` when
    /// there is no trust root to ask (then `unknown-signer` is not checked).
    pub is_known_signer: Option<&'a dyn Fn(&str) -> bool>,
}

/// Load an agreement file without linting it: the same [`Parsed`] as
/// [`check`] gives, without the file-name check, the semantic rules or any
/// finding. Reading a whole history needs each version's id and typed
/// agreement, not its findings, which are reported only for the files a
/// command looks at.
pub fn load(file: &str, bytes: &[u8]) -> Parsed {
    let Ok(node) = document::parse(file, bytes) else {
        return Parsed::Unparseable;
    };
    let data = node.to_json();
    let Ok(version) = VersionId::try_of(&data) else {
        return Parsed::Unparseable;
    };
    Parsed::from_data(version, data)
}

/// The typed agreement in plain data, when it is one. Deserialising the
/// data already built succeeds exactly when [`document::typed_all`] does
/// (it deserialises the same data), without building it a second time.
fn typed_from(data: &serde_json::Value) -> Option<Agreement> {
    use serde::Deserialize;
    Agreement::deserialize(data).ok()
}

/// Parse and lint an agreement file. `file` is the repository-relative path.
pub fn check(file: &str, bytes: &[u8], ctx: &Context<'_>) -> (Parsed, Vec<Finding>) {
    let mut findings = Vec::new();
    check_file_name(file, &mut findings);
    let node = match document::parse(file, bytes) {
        Ok(node) => node,
        Err(f) => {
            findings.push(f);
            return (Parsed::Unparseable, findings);
        }
    };
    let data = node.to_json();
    let version = match VersionId::try_of(&data) {
        Ok(version) => version,
        Err(why) => {
            findings.push(
                Finding::new(
                    crate::finding::Rule::YamlSyntax,
                    file,
                    format!("the data cannot be written as canonical JSON, so it has no version id: {why}"),
                )
                .at(node.pos),
            );
            return (Parsed::Unparseable, findings);
        }
    };
    if !matches!(node.value, crate::yaml::Value::Map(_)) {
        findings.push(
            Finding::new(
                crate::finding::Rule::Schema,
                file,
                match node.value {
                    crate::yaml::Value::Null => {
                        "the file is empty; an agreement is a mapping of fields".to_owned()
                    }
                    ref other => format!(
                        "an agreement is a mapping of fields, but this file holds {}",
                        crate::yaml::kind_name(other)
                    ),
                },
            )
            .at(node.pos)
            .hint("start from `charter new ID --mentor … --mentee …`, or see examples/"),
        );
        return (Parsed::SchemaInvalid { version, data }, findings);
    }
    // Valid data is deserialised once; only invalid data is walked again
    // to locate every problem.
    let typed = match typed_from(&data) {
        Some(a) => Ok(a),
        None => document::typed_all(file, &node),
    };
    let agreement: Agreement = match typed {
        Ok(a) => a,
        Err(all) => {
            findings.extend(all);
            return (Parsed::SchemaInvalid { version, data }, findings);
        }
    };
    Rules {
        file,
        node: &node,
        agreement: &agreement,
        findings: &mut findings,
    }
    .run(ctx);
    let parsed = Parsed::Valid {
        version,
        data,
        agreement: Box::new(agreement),
    };
    (parsed, findings)
}

/// A finding when the file is not named `<id>.yaml` (see [`file_name`]).
fn check_file_name(file: &str, findings: &mut Vec<Finding>) {
    if let Some(problem) = file_name::problem(file) {
        findings.push(
            Finding::new(crate::finding::Rule::InvalidId, file, problem.message).hint(problem.hint),
        );
    }
}

struct Rules<'a> {
    file: &'a str,
    node: &'a Node,
    agreement: &'a Agreement,
    findings: &'a mut Vec<Finding>,
}

impl Rules<'_> {
    fn at(&self, path: &[Segment<'_>]) -> Pos {
        self.node.locate(path.iter().copied())
    }

    fn push(&mut self, rule: Rule, path: &[Segment<'_>], message: String, hint: &str) {
        let pos = self.at(path);
        self.findings
            .push(Finding::new(rule, self.file, message).at(pos).hint(hint));
    }

    fn run(mut self, ctx: &Context<'_>) {
        use Segment::{Index as I, Key as K};
        let a = self.agreement;
        self.placeholders(self.node);

        for (role, person) in [("mentor", &a.parties.mentor), ("mentee", &a.parties.mentee)] {
            if let Some(problem) = email_problem(&person.email) {
                self.push(
                    Rule::InvalidEmail,
                    &[K("parties"), K(role), K("email")],
                    format!("the {role}'s email `{}` {problem}", visible(&person.email)),
                    "use the address the person signs with; it must match their line in allowed_signers",
                );
            } else if let Some(known) = ctx.is_known_signer {
                if !known(&person.email) {
                    self.push(
                        Rule::UnknownSigner,
                        &[K("parties"), K(role), K("email")],
                        format!("the {role}'s email `{}` matches no principal in allowed_signers", person.email),
                        "add the person's SSH public key to allowed_signers (principals match case-sensitively)",
                    );
                }
            }
        }
        // Compared as a reader sees them: after Unicode normalisation and
        // case folding, so no look-alike spelling makes one person two.
        if crate::unicode::same_person(&a.parties.mentor.email, &a.parties.mentee.email) {
            self.push(
                Rule::SameParty,
                &[K("parties"), K("mentee"), K("email")],
                format!(
                    "mentor and mentee are the same person (`{}` and `{}`)",
                    visible(&a.parties.mentor.email),
                    visible(&a.parties.mentee.email)
                ),
                "a mentoring agreement needs two different people",
            );
        }

        let start = a.term.start;
        if let Some(end) = a.term.end {
            if end < start {
                self.push(
                    Rule::TermOrder,
                    &[K("term"), K("end")],
                    format!("the term ends ({end}) before it starts ({start})"),
                    "make term.end later than term.start",
                );
            }
        }
        if a.effective < start {
            self.push(
                Rule::EffectiveBeforeStart,
                &[K("effective")],
                format!(
                    "this version takes effect ({}) before the term starts ({start})",
                    a.effective
                ),
                "set effective on or after term.start",
            );
        }

        if a.goals.is_empty() {
            self.push(
                Rule::Schema,
                &[K("goals")],
                "`goals` is empty; an agreement needs at least one goal".to_owned(),
                "add a goal with id, goal, measure and due",
            );
        }
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (i, goal) in a.goals.iter().enumerate() {
            if !is_valid_id(&goal.id) {
                self.push(
                    Rule::InvalidId,
                    &[K("goals"), I(i), K("id")],
                    format!("goal id `{}` is not valid", goal.id),
                    "use lowercase letters, digits and dashes, starting with a letter or digit, at most 64 characters",
                );
            }
            if let Some(first) = seen.insert(&goal.id, i) {
                let line = self.at(&[K("goals"), I(first), K("id")]).line;
                self.push(
                    Rule::DuplicateGoalId,
                    &[K("goals"), I(i), K("id")],
                    format!("goal id `{}` is already used at line {line}", goal.id),
                    "give each goal its own id; amendments refer to goals by id",
                );
            }
            // With the term's ends reversed, term-order already says what is wrong.
            let term_ok = a.term.end.is_none_or(|end| end >= start);
            let outside =
                term_ok && (goal.due < start || a.term.end.is_some_and(|end| goal.due > end));
            if outside {
                self.push(
                    Rule::GoalDueOutsideTerm,
                    &[K("goals"), I(i), K("due")],
                    format!("goal `{}` is due {} , outside the term", goal.id, goal.due)
                        .replace(" ,", ","),
                    "move the due date inside the term, or extend the term",
                );
            }
            if goal.evidence.as_deref().is_none_or(|e| e.trim().is_empty()) {
                self.push(
                    Rule::GoalMissingEvidence,
                    &[K("goals"), I(i), K("id")],
                    format!("goal `{}` says nothing about evidence of progress", goal.id),
                    "add `evidence`, saying what both of you will look at to judge progress",
                );
            }
        }

        if a.renegotiation.notice.days() == 0 {
            self.push(
                Rule::NoticeZero,
                &[K("renegotiation"), K("notice")],
                "the notice period is zero: any amendment can take effect at once".to_owned(),
                "a notice period of a week or two gives both parties time to think",
            );
        }
        if a.term.end.is_none() && a.reviews.is_none() {
            self.push(
                Rule::OpenEnded,
                &[K("term")],
                "the agreement has no end date and no reviews".to_owned(),
                "add term.end or a `reviews:` cadence so the arrangement is revisited",
            );
        }
    }

    fn placeholders(&mut self, node: &Node) {
        match &node.value {
            Value::Str(s) if is_placeholder(s) => {
                self.findings.push(
                    Finding::new(
                        crate::finding::Rule::Placeholder,
                        self.file,
                        format!("placeholder `{s}` is still to be filled in"),
                    )
                    .at(node.pos)
                    .hint("replace the text in angle brackets with your own"),
                );
            }
            Value::Seq(items) => items.iter().for_each(|n| self.placeholders(n)),
            Value::Map(entries) => entries.iter().for_each(|(_, n)| self.placeholders(n)),
            _ => {}
        }
    }
}

/// `text` with its hidden characters spelt out (`\u{200b}`), for messages.
fn visible(text: &str) -> String {
    crate::render::escape::text(text).into_owned()
}

/// Template placeholders look like `<what goes here>`.
fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    t.len() > 2 && t.starts_with('<') && t.ends_with('>') && !t.contains('@')
}

/// What is wrong with a party's email, as lint reports it; `None` for an
/// address charter accepts. Public so that `new` refuses what `validate`
/// would then flag, instead of writing it.
pub fn email_problem(email: &str) -> Option<&'static str> {
    if email.is_empty() {
        return Some("is empty");
    }
    if crate::unicode::first_hidden(email).is_some() {
        return Some("contains spaces, control characters or invisible characters (shown escaped)");
    }
    match email.split_once('@') {
        Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@') =>
        {
            None
        }
        _ => Some("is not an email address"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every agreement file the project ships: examples, test fixtures
    /// (valid and invalid) and fuzzing seeds.
    fn sample_files() -> Vec<(String, Vec<u8>)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in [
            "examples",
            "tests/fixtures",
            "tests/fixtures/invalid",
            "fuzz/seeds/agreement",
        ] {
            let entries = std::fs::read_dir(root.join(dir)).expect("sample directory");
            for entry in entries {
                let path = entry.expect("directory entry").path();
                if path.extension().is_some_and(|e| e == "yaml") {
                    let name = path.file_name().unwrap().to_string_lossy();
                    let bytes = std::fs::read(&path).expect("sample file");
                    files.push((format!("agreements/{name}"), bytes));
                }
            }
        }
        files
    }

    fn kind(parsed: &Parsed) -> &'static str {
        match parsed {
            Parsed::Unparseable => "unparseable",
            Parsed::SchemaInvalid { .. } => "schema-invalid",
            Parsed::Valid { .. } => "valid",
        }
    }

    #[test]
    fn load_gives_what_check_gives_on_every_sample() {
        let mut files = sample_files();
        assert!(files.len() >= 20, "samples found: {}", files.len());
        // Beyond the samples: a bad file name, each state reached another way.
        for (name, text) in [
            ("agreements/Bad Name.yaml", "charter: 1\n"),
            ("agreements/empty.yaml", ""),
            ("agreements/list.yaml", "- a\n- b\n"),
            ("agreements/scalar.yaml", "just text\n"),
            ("agreements/big.yaml", "n: 9007199254740993\n"),
            ("agreements/nul.yaml", "a: \0\n"),
        ] {
            files.push((name.to_owned(), text.as_bytes().to_vec()));
        }
        files.push(("agreements/latin1.yaml".to_owned(), b"a: \xe9\n".to_vec()));
        let mut kinds = std::collections::BTreeSet::new();
        for (file, bytes) in &files {
            let loaded = load(file, bytes);
            assert_eq!(loaded, check(file, bytes, &Context::default()).0, "{file}");
            kinds.insert(kind(&loaded));
        }
        assert_eq!(
            kinds.into_iter().collect::<Vec<_>>(),
            ["schema-invalid", "unparseable", "valid"],
            "the samples reach every state"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Damaged samples (cut short, one byte replaced) load as they check.
        #[test]
        fn load_gives_what_check_gives_on_damaged_samples(
            pick in 0usize..1000,
            cut in 0usize..4000,
            at in 0usize..4000,
            byte in proptest::prelude::any::<u8>(),
        ) {
            static SAMPLES: std::sync::OnceLock<Vec<(String, Vec<u8>)>> = std::sync::OnceLock::new();
            let files = SAMPLES.get_or_init(sample_files);
            let (file, bytes) = &files[pick % files.len()];
            let mut bytes = bytes[..cut.min(bytes.len())].to_vec();
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] = byte;
            }
            let loaded = load(file, &bytes);
            proptest::prop_assert_eq!(loaded, check(file, &bytes, &Context::default()).0);
        }
    }

    #[test]
    fn emails() {
        assert_eq!(email_problem("ada@example.com"), None);
        assert!(email_problem("ada example.com").is_some());
        assert!(email_problem("ada@example.com\u{200b}").is_some());
        assert!(email_problem("ada@exa\u{202e}mple.com").is_some());
        assert!(email_problem("\u{feff}ada@example.com").is_some());
        assert!(email_problem("a@b@c").is_some());
        assert!(email_problem("@b").is_some());
    }

    #[test]
    fn placeholders() {
        assert!(is_placeholder("<what this mentorship is for>"));
        assert!(!is_placeholder("<ada@example.com>"));
        assert!(!is_placeholder("a <b> c"));
    }
}
