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
    for step in steps()? {
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

/// A sample person with a throwaway key.
struct Person {
    name: &'static str,
    email: &'static str,
    key: ssh_key::PrivateKey,
}

impl Person {
    fn new(name: &'static str, email: &'static str) -> Result<Person> {
        let key = ssh_key::PrivateKey::random(
            &mut ssh_key::rand_core::OsRng,
            ssh_key::Algorithm::Ed25519,
        )
        .map_err(|e| Error::other(format!("generating a demo key: {e}"), None))?;
        Ok(Person { name, email, key })
    }

    fn private_key_file(&self) -> Result<crate::signoff::PrivateKeyFile> {
        let pem = self
            .key
            .to_openssh(ssh_key::LineEnding::LF)
            .map_err(|e| Error::other(format!("a demo key: {e}"), None))?;
        crate::signoff::PrivateKeyFile::parse(&pem)
            .map_err(|e| Error::other(format!("a demo key: {e}"), None))
    }

    fn who(&self) -> (&'static str, &'static str) {
        (self.name, self.email)
    }

    fn allowed_signers_line(&self) -> String {
        let public = self.key.public_key().to_openssh().unwrap_or_default();
        format!(
            "{} namespaces=\"{}\" {public}\n",
            self.email,
            crate::signoff::RECORD_NAMESPACES
        )
    }
}

/// The sample people, with fresh keys every run.
struct Cast {
    grace: Person,
    ada: Person,
    sam: Person,
    lin: Person,
    priya: Person,
    morgan: Person,
}

impl Cast {
    fn new() -> Result<Cast> {
        Ok(Cast {
            grace: Person::new("Grace Hopper", "grace@example.com")?,
            ada: Person::new("Ada Lovelace", "ada@example.com")?,
            sam: Person::new("Sam Okafor", "sam.okafor@example.com")?,
            lin: Person::new("Lin Chen", "lin.chen@example.com")?,
            priya: Person::new("Priya Raman", "priya@example.com")?,
            morgan: Person::new("Morgan Ellis", "morgan.ellis@example.com")?,
        })
    }
}

fn version_of(text: &str) -> String {
    let node = crate::yaml::parse(text).expect("demo agreements parse");
    crate::agreement::VersionId::of(&node.to_json())
        .as_str()
        .to_owned()
}

/// A sign-off file for `text`, made with `person`'s key on `date`.
fn signoff(
    id: &str,
    text: &str,
    amends: Option<&str>,
    role: crate::agreement::Role,
    person: &Person,
    date: &str,
) -> Result<(String, Vec<u8>)> {
    use crate::signoff::{Claim, PrivateKeyFile, SignoffFile};
    let fail = |e: String| Error::other(format!("making a demo sign-off: {e}"), None);
    let signed_at = chrono::DateTime::parse_from_rfc3339(date)
        .map_err(|e| fail(e.to_string()))?
        .with_timezone(&chrono::Utc);
    let version = version_of(text);
    let claim = Claim::new(id, &version, amends, role, person.email, signed_at, false)
        .map_err(|e| fail(e.to_string()))?;
    let pem = person
        .key
        .to_openssh(ssh_key::LineEnding::LF)
        .map_err(|e| fail(e.to_string()))?;
    let key = PrivateKeyFile::parse(&pem).map_err(|e| fail(e.to_string()))?;
    let signature = key
        .sign(None, &claim.message())
        .map_err(|e| fail(e.to_string()))?;
    let rendered = SignoffFile::new(&claim, &signature)
        .and_then(|f| f.to_rendered())
        .map_err(|e| fail(e.to_string()))?;
    Ok((
        format!("signoffs/{id}/{}", rendered.file_name),
        rendered.text.into_bytes(),
    ))
}

/// A check-in file for agreement `id` at version `text`, by `person`.
#[allow(clippy::too_many_arguments)]
fn checkin(
    id: &str,
    text: &str,
    date: &str,
    by: crate::agreement::Role,
    person: &Person,
    review: bool,
    goals: &[(&str, crate::checkin::GoalStatus, Option<&str>)],
    scores: &[(&str, i64)],
    note: Option<&str>,
) -> Result<(String, Vec<u8>)> {
    use crate::checkin::{CheckinFile, GoalReport, Score};
    let fail = |e: String| Error::other(format!("making a demo check-in: {e}"), None);
    let mut file = CheckinFile {
        agreement: id.to_owned(),
        version: version_of(text),
        date: date.to_owned(),
        by,
        review,
        goals: goals
            .iter()
            .map(|(g, status, note)| {
                (
                    (*g).to_owned(),
                    GoalReport {
                        status: *status,
                        note: note.map(str::to_owned),
                    },
                )
            })
            .collect(),
        scores: scores
            .iter()
            .filter_map(|(h, n)| Some(((*h).to_owned(), Score::new(*n)?)))
            .collect(),
        note: note.map(str::to_owned),
        signature: String::new(),
    };
    file.signature = person
        .private_key_file()?
        .sign_in(crate::checkin::NAMESPACE, None, &file.message())
        .map_err(|e| fail(e.to_string()))?;
    let rendered = file.render();
    Ok((
        format!("checkins/{id}/{}", file.file_name(&rendered)),
        rendered.into_bytes(),
    ))
}

/// A decline of the version `text` of agreement `id` by `person`.
fn decline(
    id: &str,
    text: &str,
    role: crate::agreement::Role,
    person: &Person,
    date: &str,
    reason: &str,
) -> Result<(String, Vec<u8>)> {
    use crate::signoff::decline::{DeclineFile, NAMESPACE};
    let fail = |e: String| Error::other(format!("making a demo decline: {e}"), None);
    let at = chrono::DateTime::parse_from_rfc3339(date)
        .map_err(|e| fail(e.to_string()))?
        .with_timezone(&chrono::Utc);
    let mut file = DeclineFile::new(
        id,
        &version_of(text),
        role,
        person.email,
        at,
        Some(reason.to_owned()),
    );
    file.signature = person
        .private_key_file()?
        .sign_in(NAMESPACE, None, &file.message())
        .map_err(|e| fail(e.to_string()))?;
    let rendered = file.render();
    Ok((
        format!("signoffs/{id}/{}", file.file_name(&rendered)),
        rendered.into_bytes(),
    ))
}

fn steps() -> Result<Vec<Step>> {
    use crate::agreement::Role::{Mentee, Mentor};
    let cast = Cast::new()?;
    let keys: String = [
        &cast.grace,
        &cast.ada,
        &cast.sam,
        &cast.lin,
        &cast.priya,
        &cast.morgan,
    ]
    .iter()
    .map(|p| p.allowed_signers_line())
    .collect();
    let trust_root = format!("# Throwaway keys made for this demo.\n{keys}");

    let ada1 = example("ada-grace").to_owned();
    let ada2 = ada1
        .replace("    due: 2026-04-30", "    due: 2026-05-29")
        .replace(
            "  Help Ada grow into a staff engineer by leading technical work that crosses\n  team boundaries,",
            "  Help Ada grow into a staff engineer by leading technical work across\n  several teams,",
        )
        .replace("effective: 2026-01-12", "effective: 2026-03-23");
    let ada3 = move_goal_first(&ada2, "  - id: tech-talk")
        .replace(
            "title: Staff-engineer growth, Ada and Grace",
            "title: Growing into staff engineering, Ada and Grace",
        )
        .replace("effective: 2026-03-23", "effective: 2026-06-15");
    let lin1 = example("lin-sam-onboarding").to_owned();
    let lin2 = lin1
        .replace("  cadence: weekly", "  cadence: biweekly")
        .replace("effective: 2026-02-02", "effective: 2026-05-06");
    let lin3 = format!(
        "{lin2}concluded:\n  date: 2026-06-05\n  reason: completed\n  note: \"Onboarding goals met; Lin joins the on-call rota.\"\n"
    );
    let priya1 = example("priya-morgan-reverse").to_owned();
    use crate::checkin::GoalStatus::{AtRisk, Done, NotStarted, OnTrack};
    let (v_ada1, v_lin1) = (version_of(&ada1), version_of(&lin1));

    Ok(vec![
        Step {
            date: "2026-01-05T09:00:00Z",
            who: cast.grace.who(),
            message: "Set up the mentoring programme's charter repository",
            files: vec![
                file(
                    "charter.yaml",
                    "charter: 1\nprogram: Demo engineering mentoring programme\n",
                ),
                file(
                    crate::gitattributes::FILE,
                    &format!(
                        "{}\n",
                        crate::gitattributes::line(&crate::settings::Layout::default())
                    ),
                ),
                file("allowed_signers", &trust_root),
            ],
        },
        Step {
            date: "2026-01-08T14:30:00Z",
            who: cast.grace.who(),
            message: "Propose the mentoring agreement of Ada and Grace",
            files: vec![file("agreements/ada-grace.yaml", &ada1)],
        },
        Step {
            date: "2026-01-09T10:00:00Z",
            who: cast.grace.who(),
            message: "sign-off: ada-grace by mentor",
            files: vec![signoff(
                "ada-grace",
                &ada1,
                None,
                Mentor,
                &cast.grace,
                "2026-01-09T10:00:00Z",
            )?],
        },
        Step {
            date: "2026-01-10T08:20:00Z",
            who: cast.ada.who(),
            message: "sign-off: ada-grace by mentee",
            files: vec![signoff(
                "ada-grace",
                &ada1,
                None,
                Mentee,
                &cast.ada,
                "2026-01-10T08:20:00Z",
            )?],
        },
        Step {
            date: "2026-01-26T10:00:00Z",
            who: cast.sam.who(),
            message: "Propose Lin's onboarding agreement",
            files: vec![file("agreements/lin-sam-onboarding.yaml", &lin1)],
        },
        Step {
            date: "2026-01-27T09:00:00Z",
            who: cast.sam.who(),
            message: "sign-offs: lin-sam-onboarding by mentor and mentee",
            files: vec![
                signoff(
                    "lin-sam-onboarding",
                    &lin1,
                    None,
                    Mentor,
                    &cast.sam,
                    "2026-01-27T08:00:00Z",
                )?,
                signoff(
                    "lin-sam-onboarding",
                    &lin1,
                    None,
                    Mentee,
                    &cast.lin,
                    "2026-01-27T08:30:00Z",
                )?,
            ],
        },
        Step {
            date: "2026-02-20T16:45:00Z",
            who: cast.priya.who(),
            message: "Propose reverse mentoring with Morgan",
            files: vec![file("agreements/priya-morgan-reverse.yaml", &priya1)],
        },
        Step {
            date: "2026-02-21T09:00:00Z",
            who: cast.priya.who(),
            message: "sign-off: priya-morgan-reverse by mentor",
            files: vec![signoff(
                "priya-morgan-reverse",
                &priya1,
                None,
                Mentor,
                &cast.priya,
                "2026-02-21T09:00:00Z",
            )?],
        },
        Step {
            date: "2026-02-21T17:00:00Z",
            who: cast.ada.who(),
            message: "check-in: ada-grace 2026-02-20 by mentee",
            files: vec![checkin(
                "ada-grace",
                &ada1,
                "2026-02-20",
                Mentee,
                &cast.ada,
                false,
                &[
                    ("design-review", OnTrack, None),
                    ("tech-talk", NotStarted, None),
                ],
                &[
                    ("skill development", 3),
                    ("project delivery", 2),
                    ("professional behaviour", 4),
                ],
                Some("Design review scheduled with the platform and data teams."),
            )?],
        },
        Step {
            date: "2026-02-24T08:00:00Z",
            who: cast.morgan.who(),
            message: "decline: priya-morgan-reverse by mentee",
            files: vec![decline(
                "priya-morgan-reverse",
                &priya1,
                Mentee,
                &cast.morgan,
                "2026-02-24T08:00:00Z",
                "Prefer to start after the March release; let's revisit the goals then.",
            )?],
        },
        Step {
            date: "2026-03-02T11:15:00Z",
            who: cast.ada.who(),
            message: "Amend ada-grace: more time for the design review",
            files: vec![file("agreements/ada-grace.yaml", &ada2)],
        },
        Step {
            date: "2026-03-04T15:00:00Z",
            who: cast.grace.who(),
            message: "sign-offs: ada-grace amendment by mentor and mentee",
            files: vec![
                signoff(
                    "ada-grace",
                    &ada2,
                    Some(&v_ada1),
                    Mentor,
                    &cast.grace,
                    "2026-03-04T14:00:00Z",
                )?,
                signoff(
                    "ada-grace",
                    &ada2,
                    Some(&v_ada1),
                    Mentee,
                    &cast.ada,
                    "2026-03-04T14:30:00Z",
                )?,
            ],
        },
        Step {
            date: "2026-04-13T09:00:00Z",
            who: cast.ada.who(),
            message: "check-in: ada-grace 2026-04-12 review by mentee",
            files: vec![checkin(
                "ada-grace",
                &ada2,
                "2026-04-12",
                Mentee,
                &cast.ada,
                true,
                &[
                    (
                        "design-review",
                        AtRisk,
                        Some("Only two of three teams have confirmed."),
                    ),
                    ("tech-talk", OnTrack, None),
                ],
                &[
                    ("skill development", 4),
                    ("project delivery", 3),
                    ("professional behaviour", 4),
                ],
                Some("Quarterly review held."),
            )?],
        },
        Step {
            date: "2026-05-04T09:30:00Z",
            who: cast.sam.who(),
            message: "Amend lin-sam-onboarding: meet every two weeks",
            files: vec![file("agreements/lin-sam-onboarding.yaml", &lin2)],
        },
        Step {
            date: "2026-05-05T10:00:00Z",
            who: cast.sam.who(),
            message: "sign-offs: lin-sam-onboarding amendment (effective before the notice ends)",
            files: vec![
                signoff(
                    "lin-sam-onboarding",
                    &lin2,
                    Some(&v_lin1),
                    Mentor,
                    &cast.sam,
                    "2026-05-05T09:00:00Z",
                )?,
                signoff(
                    "lin-sam-onboarding",
                    &lin2,
                    Some(&v_lin1),
                    Mentee,
                    &cast.lin,
                    "2026-05-05T09:30:00Z",
                )?,
            ],
        },
        Step {
            date: "2026-05-28T16:00:00Z",
            who: cast.grace.who(),
            message: "check-in: ada-grace 2026-05-28 by mentor",
            files: vec![checkin(
                "ada-grace",
                &ada2,
                "2026-05-28",
                Mentor,
                &cast.grace,
                false,
                &[
                    (
                        "design-review",
                        AtRisk,
                        Some("Third team still to sign the decision record."),
                    ),
                    (
                        "tech-talk",
                        Done,
                        Some("Talk given at the engineering all-hands."),
                    ),
                ],
                &[
                    ("skill development", 4),
                    ("project delivery", 4),
                    ("professional behaviour", 5),
                ],
                None,
            )?],
        },
        Step {
            date: "2026-06-01T13:00:00Z",
            who: cast.grace.who(),
            message: "Amend ada-grace: retitle, talk first",
            files: vec![file("agreements/ada-grace.yaml", &ada3)],
        },
        Step {
            date: "2026-06-02T09:00:00Z",
            who: cast.grace.who(),
            message: "sign-off: ada-grace retitle by mentor",
            files: vec![signoff(
                "ada-grace",
                &ada3,
                Some(&version_of(&ada2)),
                Mentor,
                &cast.grace,
                "2026-06-02T09:00:00Z",
            )?],
        },
        Step {
            date: "2026-06-05T10:00:00Z",
            who: cast.sam.who(),
            message: "Conclude lin-sam-onboarding: completed",
            files: vec![file("agreements/lin-sam-onboarding.yaml", &lin3)],
        },
        Step {
            date: "2026-06-05T10:05:00Z",
            who: cast.sam.who(),
            message: "sign-off: lin-sam-onboarding conclusion by mentor",
            files: vec![signoff(
                "lin-sam-onboarding",
                &lin3,
                Some(&version_of(&lin2)),
                Mentor,
                &cast.sam,
                "2026-06-05T10:05:00Z",
            )?],
        },
    ])
}

/// Move the goal starting at `marker` to the front of the goal list.
fn move_goal_first(text: &str, marker: &str) -> String {
    let Some(start) = text.find(marker) else {
        return text.to_owned();
    };
    let rest = &text[start..];
    let end = rest[marker.len()..]
        .find("\n  - id:")
        .or_else(|| rest[marker.len()..].find("\nfeedback:"))
        .map_or(rest.len(), |i| i + marker.len() + 1);
    let goal = &rest[..end];
    let without = format!("{}{}", &text[..start], &rest[end..]);
    without.replacen("goals:\n", &format!("goals:\n{goal}"), 1)
}
