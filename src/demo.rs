//! The sample repository behind `charter demo`: real commits at chosen dates,
//! built from the agreements in `examples/`.

use std::path::Path;

use git2::{Repository, Signature, Time};

use crate::error::{Error, Result};
use crate::git::commit_files;

/// The sample agreements, as shipped in `examples/`.
pub const EXAMPLES: &[(&str, &str)] = &[
    ("ada-grace", include_str!("../examples/ada-grace.yaml")),
    (
        "lin-sam-onboarding",
        include_str!("../examples/lin-sam-onboarding.yaml"),
    ),
    (
        "priya-morgan-reverse",
        include_str!("../examples/priya-morgan-reverse.yaml"),
    ),
];

/// One step of the sample history.
struct Step {
    date: &'static str,
    who: (&'static str, &'static str),
    message: &'static str,
    files: Vec<(String, Vec<u8>)>,
}

/// A commit the demo made, for its report.
#[derive(Debug, Clone)]
pub struct DemoCommit {
    /// Commit id.
    pub id: String,
    /// Day of the commit.
    pub date: String,
    /// Subject line.
    pub subject: String,
}

/// Build the sample repository in `dir`, which must be empty or absent.
pub fn build(dir: &Path) -> Result<Vec<DemoCommit>> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(Error::other(
                format!(
                    "{} is not empty; the demo builds its repository in a new directory",
                    dir.display()
                ),
                Some(
                    "give a path that does not exist yet, or omit it to use a temporary directory",
                ),
            ));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let repo = Repository::init(dir).map_err(|e| Error::git("creating the demo repository", e))?;
    let mut made = Vec::new();
    for step in steps() {
        for (path, bytes) in &step.files {
            let full = dir.join(path);
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            std::fs::write(&full, bytes).map_err(|e| Error::io(&full, e))?;
        }
        let when = time_of(step.date)?;
        let sig = Signature::new(step.who.0, step.who.1, &when)
            .map_err(|e| Error::git("signing a demo commit", e))?;
        let id = commit_files(&repo, &step.files, step.message, &sig, &sig)?;
        made.push(DemoCommit {
            id: id.to_string(),
            date: step.date[..10].to_owned(),
            subject: step.message.lines().next().unwrap_or_default().to_owned(),
        });
    }
    Ok(made)
}

fn time_of(rfc3339: &str) -> Result<Time> {
    let t = chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map_err(|e| Error::other(format!("demo date {rfc3339}: {e}"), None))?;
    Ok(Time::new(t.timestamp(), 0))
}

fn file(path: &str, text: &str) -> (String, Vec<u8>) {
    (path.to_owned(), text.as_bytes().to_vec())
}

fn example(id: &str) -> &'static str {
    EXAMPLES
        .iter()
        .find(|(name, _)| *name == id)
        .map_or("", |(_, text)| text)
}

const GRACE: (&str, &str) = ("Grace Hopper", "grace@example.com");
const ADA: (&str, &str) = ("Ada Lovelace", "ada@example.com");
const SAM: (&str, &str) = ("Sam Okafor", "sam.okafor@example.com");
const PRIYA: (&str, &str) = ("Priya Raman", "priya@example.com");

fn steps() -> Vec<Step> {
    let ada = example("ada-grace");
    let ada_amended = ada
        .replace("    due: 2026-04-30", "    due: 2026-05-29")
        .replace(
            "  Help Ada grow into a staff engineer by leading technical work that crosses\n  team boundaries,",
            "  Help Ada grow into a staff engineer by leading technical work across\n  several teams,",
        )
        .replace("effective: 2026-01-12", "effective: 2026-03-23");
    vec![
        Step {
            date: "2026-01-05T09:00:00Z",
            who: GRACE,
            message: "Set up the mentoring programme's charter repository",
            files: vec![
                file(
                    "charter.yaml",
                    "charter: 1\nprogram: Demo engineering mentoring programme\n",
                ),
                file(".gitattributes", "agreements/*.yaml diff=charter\n"),
                file(
                    "allowed_signers",
                    "# Keys of the people who sign agreements.\n",
                ),
            ],
        },
        Step {
            date: "2026-01-08T14:30:00Z",
            who: GRACE,
            message: "Propose the mentoring agreement of Ada and Grace",
            files: vec![file("agreements/ada-grace.yaml", ada)],
        },
        Step {
            date: "2026-01-26T10:00:00Z",
            who: SAM,
            message: "Propose Lin's onboarding agreement",
            files: vec![file(
                "agreements/lin-sam-onboarding.yaml",
                example("lin-sam-onboarding"),
            )],
        },
        Step {
            date: "2026-02-20T16:45:00Z",
            who: PRIYA,
            message: "Propose reverse mentoring with Morgan",
            files: vec![file(
                "agreements/priya-morgan-reverse.yaml",
                example("priya-morgan-reverse"),
            )],
        },
        Step {
            date: "2026-03-02T11:15:00Z",
            who: ADA,
            message: "Amend ada-grace: more time for the design review",
            files: vec![file("agreements/ada-grace.yaml", &ada_amended)],
        },
    ]
}
