//! Writes a synthetic charter repository for the benchmarks in
//! `BENCHMARKS.md`: N agreements with V versions each, every version signed
//! off by both parties with real ed25519 keys, so that `charter log`,
//! `charter validate` and sign-off verification have real work to do.
//!
//! ```sh
//! cargo run --release --example gen-repo -- --out /tmp/repo --agreements 1000 --versions 10
//! ```
//!
//! Objects are written with git2 straight into an in-memory object store
//! and flushed as packs, trees are rebuilt only where a commit changes
//! them, and the working tree is checked out once at the end. Everything is
//! a function of the flags except the keys (fresh on every run), and so the
//! signatures, sign-off file names and commit ids.
//!
//! History shape: one setup commit (`charter.yaml`, `.gitattributes`,
//! `allowed_signers`), then for each version round `v` and each agreement
//! `i`, a commit of version `v` of agreement `i` followed (unless
//! `--no-signoffs`) by one commit adding the mentor's and the mentee's
//! sign-offs. Commits are an hour apart from 2020-01-01; amendments take
//! effect after the 14-day notice, so every version is valid and signed.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use charter::agreement::lint::{self, Context, Parsed};
use charter::agreement::Role;
use charter::signoff::{Claim, PrivateKeyFile, SignoffFile, NAMESPACE};
use chrono::{DateTime, Days, NaiveDate, Utc};
use clap::Parser;
use git2::{Oid, Repository, RepositoryInitOptions};

/// Generate a synthetic charter repository.
#[derive(Debug, Parser)]
#[command(name = "gen-repo")]
struct Args {
    /// Directory of the new repository (must not exist, or be empty).
    #[arg(long)]
    out: PathBuf,
    /// Number of agreements.
    #[arg(long, default_value_t = 1000)]
    agreements: usize,
    /// Versions of each agreement (each one signed by both parties).
    #[arg(long, default_value_t = 10)]
    versions: usize,
    /// Goals in each agreement's first version (later versions add, remove,
    /// reword and move some when there are enough of them).
    #[arg(long, default_value_t = 2)]
    goals: usize,
    /// Number of distinct mentors (default: a quarter of the agreements).
    #[arg(long)]
    mentors: Option<usize>,
    /// Write dates in quotes (`due: "2026-04-30"`). charter reads the same
    /// data either way (under YAML 1.2 a date is a string); YAML 1.1 readers
    /// such as PyYAML turn unquoted dates into date objects, which some
    /// tools (graphtage) cannot compare.
    #[arg(long)]
    quote_dates: bool,
    /// Do not write sign-offs (and no sign-off commits).
    #[arg(long)]
    no_signoffs: bool,
    /// Flush the in-memory objects to a pack every this many commits.
    #[arg(long, default_value_t = 2000)]
    pack_every: usize,
    /// Leave the working tree empty (objects and refs only).
    #[arg(long)]
    no_checkout: bool,
    /// Also write the first N sign-offs as message and signature files, with
    /// a script that checks each with one `ssh-keygen -Y verify` process,
    /// into this directory.
    #[arg(long, value_name = "DIR")]
    sshsig_sample: Option<PathBuf>,
    /// Also make branch NAME off `main`, a pull request that amends the first
    /// agreement once more and adds both sign-offs (for `check --base main`).
    #[arg(long, value_name = "NAME")]
    pr_branch: Option<String>,
    /// The day the pull request of `--pr-branch` is judged; its amendment
    /// takes effect after the 14-day notice counted from then (run charter
    /// with the same `CHARTER_TODAY`).
    #[arg(long, value_name = "YYYY-MM-DD", default_value = "2026-01-01")]
    today: NaiveDate,
    /// How many sign-offs `--sshsig-sample` writes.
    #[arg(long, default_value_t = 200)]
    sample_size: usize,
}

type Error = Box<dyn std::error::Error>;

fn main() {
    if let Err(e) = run(&Args::parse()) {
        eprintln!("gen-repo: {e}");
        std::process::exit(2);
    }
}

/// One person with a throwaway key.
struct Person {
    name: String,
    email: String,
    key: PrivateKeyFile,
    public: String,
}

impl Person {
    fn new(name: String, email: String) -> Result<Person, Error> {
        let key = ssh_key::PrivateKey::random(
            &mut ssh_key::rand_core::OsRng,
            ssh_key::Algorithm::Ed25519,
        )?;
        let public = key.public_key().to_openssh()?;
        let key = PrivateKeyFile::parse(&key.to_openssh(ssh_key::LineEnding::LF)?)?;
        Ok(Person {
            name,
            email,
            key,
            public,
        })
    }
}

/// One goal of a synthetic agreement.
#[derive(Debug, Clone)]
struct Goal {
    id: String,
    area: usize,
    teams: usize,
    due: NaiveDate,
}

impl Goal {
    fn new(agreement: usize, number: usize) -> Goal {
        let base = NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date");
        Goal {
            id: format!("goal-{number:04}"),
            area: (agreement * 7 + number) % 97,
            teams: 3,
            due: base + Days::new(((number * 37 + agreement) % 700) as u64),
        }
    }

    /// Ten lines of YAML, the shape of the goals in `examples/ada-grace.yaml`;
    /// `q` quotes the date (`""` or `"\""`).
    fn write(&self, out: &mut String, q: &str) {
        use std::fmt::Write as _;
        let _ = write!(
            out,
            "  - id: {id}\n    goal: >-\n      Lead the design review of area {area} from proposal to decision,\n      \
             with the teams that depend on it taking part.\n    measure: >-\n      \
             The review is held with at least {teams} teams and its decision record\n      \
             is merged.\n    due: {q}{due}{q}\n    evidence: >-\n      The decision record and the notes from the review meeting.\n",
            id = self.id,
            area = self.area,
            teams = self.teams,
            due = self.due,
        );
    }
}

/// The goals of agreement `i` at version `v` (1-based): `goals` of them at
/// first, then each amendment moves due dates, rewords measures and, with
/// enough goals, removes, adds and reorders some.
fn goals_at(i: usize, v: usize, goals: usize) -> Vec<Goal> {
    let mut list: Vec<Goal> = (0..goals).map(|j| Goal::new(i, j)).collect();
    let mut next = goals;
    for w in 2..=v {
        let n = list.len();
        if n == 0 {
            break;
        }
        list[w % n].due = list[w % n].due + Days::new(7);
        for (j, g) in list.iter_mut().enumerate() {
            if n >= 10 && j % 10 == w % 10 && j != w % n {
                g.due = g.due + Days::new(7);
            }
            if n >= 25 && j % 25 == w % 25 {
                g.teams += 1;
            }
        }
        if n >= 50 {
            let mut j = n;
            while j > 0 {
                j -= 1;
                if j % 50 == (w * 7) % 50 {
                    list.remove(j);
                }
            }
            for k in 0..n / 50 {
                let at = (w * 31 + k * 97) % (list.len() + 1);
                list.insert(at, Goal::new(i, next));
                next += 1;
            }
        }
        if n >= 20 {
            let from = (w * 13) % list.len();
            let g = list.remove(from);
            list.insert(0, g);
        }
    }
    list
}

/// The people of agreement `i`: (mentor index, mentee index) into the
/// list of people, mentors first.
fn parties(i: usize, mentors: usize) -> (usize, usize) {
    (i % mentors, mentors + i)
}

fn agreement_id(i: usize) -> String {
    format!("mentoring-{i:05}")
}

/// The text of version `v` of agreement `i`, effective on `effective`,
/// with dates in quotes when `quote`.
fn agreement_text(
    i: usize,
    v: usize,
    goals: &[Goal],
    mentor: &Person,
    mentee: &Person,
    effective: NaiveDate,
    quote: bool,
) -> String {
    let q = if quote { "\"" } else { "" };
    let mut out = String::with_capacity(2048 + goals.len() * 400);
    let cadence = if v % 2 == 1 { "biweekly" } else { "weekly" };
    out.push_str(&format!(
        "# yaml-language-server: $schema=../schema/agreement.schema.json\n\
         # A synthetic agreement written by charter's benchmark generator.\n\
         charter: 1\n\
         title: Growth into technical leadership, agreement {i}\n\
         parties:\n  \
           mentor: {{ name: {mentor_name}, email: {mentor_email} }}\n  \
           mentee: {{ name: {mentee_name}, email: {mentee_email} }}\n  \
           observers:\n    \
             - {{ name: Observer {o}, email: observer-{o}@example.com, role: supervisor }}\n\
         purpose: >-\n  \
           Help the mentee grow into a staff engineer by leading technical work that\n  \
           crosses team boundaries, and by making their judgement visible beyond their team.\n\
         effective: {q}{effective}{q}\n\
         term: {{ start: {q}2020-01-01{q}, end: {q}2030-12-31{q} }}\n\
         meetings:\n  \
           cadence: {cadence}\n  \
           length: 45m\n  \
           channels: [video call, chat]\n  \
           availability: Questions in chat get an answer within two working days.\n  \
           cancellation: Either of us moves a meeting with at least 24 hours' notice.\n\
         scope:\n  \
           in: [system design, technical leadership, writing design documents]\n  \
           out: [hiring decisions, performance ratings]\n\
         responsibilities:\n  \
           mentor:\n    \
             - Give specific feedback within a week of seeing the mentee's work.\n    \
             - Introduce the mentee to two staff engineers outside their organisation.\n  \
           mentee:\n    \
             - Bring an agenda to every meeting.\n    \
             - Raise blockers as soon as they appear.\n\
         goals:\n",
        mentor_name = mentor.name,
        mentor_email = mentor.email,
        mentee_name = mentee.name,
        mentee_email = mentee.email,
        o = i % 7,
    ));
    for g in goals {
        g.write(&mut out, q);
    }
    out.push_str(
        "feedback: { how: One concrete example and one suggestion each time., when: At the end of every meeting. }\n\
         reviews: { cadence: quarterly, scorecard: [skill development, project delivery, professional behaviour] }\n\
         confidentiality:\n  \
           private: [personal narratives, career plans, compensation]\n  \
           exceptions: [risk of harm, legal obligation]\n  \
           notes: { keeper: mentee, location: the mentee's private notes, access: [mentor, mentee], retention: 180d }\n  \
           supervisor_summaries: with-consent\n\
         renegotiation:\n  \
           notice: 14d\n  \
           termination: Either of us may end the mentorship at any time with a short written note.\n\
         framework: [https://wiki.example.com/engineering-ladder]\n",
    );
    out
}

/// The version id of an agreement text, after checking that charter finds
/// nothing wrong with it.
fn checked_version(path: &str, text: &str) -> Result<String, Error> {
    let (parsed, findings) = lint::check(path, text.as_bytes(), &Context::default());
    if let Some(f) = findings.first() {
        return Err(format!("generated {path} has a finding: {f:?}").into());
    }
    match parsed {
        Parsed::Valid { version, .. } => Ok(version.as_str().to_owned()),
        _ => Err(format!("generated {path} is not a valid agreement").into()),
    }
}

/// Writes objects into the in-memory object store, remembers them for the
/// next pack, and keeps the repository's trees as they stand, rebuilding
/// only the trees a commit changes.
struct Store<'r> {
    repo: &'r Repository,
    odb: &'r git2::Odb<'r>,
    mempack: git2::Mempack<'r>,
    /// Objects written since the last pack, with a path hint for deltas.
    pending: Vec<(Oid, &'static str)>,
    root_files: BTreeMap<String, Oid>,
    agreements: BTreeMap<String, Oid>,
    agreements_tree: Option<Oid>,
    signoffs: BTreeMap<String, BTreeMap<String, Oid>>,
    signoff_dirs: BTreeMap<String, Oid>,
    signoffs_tree: Option<Oid>,
    /// The branch tip.
    parent: Option<Oid>,
    /// Commits made so far.
    count: usize,
    pack_every: usize,
    /// Time of the first commit, in seconds since the epoch.
    start: i64,
}

/// A tree entry: name, whether it is a tree, object id.
type Entry<'a> = (&'a str, bool, Oid);

impl Store<'_> {
    fn write(
        &mut self,
        kind: git2::ObjectType,
        bytes: &[u8],
        hint: &'static str,
    ) -> Result<Oid, Error> {
        let id = self.odb.write(kind, bytes)?;
        self.pending.push((id, hint));
        Ok(id)
    }

    fn blob(&mut self, bytes: &[u8], hint: &'static str) -> Result<Oid, Error> {
        self.write(git2::ObjectType::Blob, bytes, hint)
    }

    /// A tree in git's format: entries sorted as git sorts them (a tree's
    /// name compares as if it ended in `/`).
    fn tree_bytes(mut entries: Vec<Entry<'_>>) -> Vec<u8> {
        let key = |(name, is_tree, _): &Entry<'_>| {
            let mut k = name.as_bytes().to_vec();
            if *is_tree {
                k.push(b'/');
            }
            k
        };
        entries.sort_by_cached_key(key);
        let mut bytes = Vec::with_capacity(entries.len() * 48);
        for (name, is_tree, id) in entries {
            bytes.extend_from_slice(if is_tree { b"40000 " } else { b"100644 " });
            bytes.extend_from_slice(name.as_bytes());
            bytes.push(0);
            bytes.extend_from_slice(id.as_bytes());
        }
        bytes
    }

    fn tree(&mut self, bytes: &[u8], hint: &'static str) -> Result<Oid, Error> {
        self.write(git2::ObjectType::Tree, bytes, hint)
    }

    fn set_agreement(&mut self, name: String, text: &str) -> Result<(), Error> {
        let blob = self.blob(text.as_bytes(), "agreement")?;
        self.agreements.insert(name, blob);
        let bytes = Self::tree_bytes(
            self.agreements
                .iter()
                .map(|(n, id)| (n.as_str(), false, *id))
                .collect(),
        );
        self.agreements_tree = Some(self.tree(&bytes, "agreements")?);
        Ok(())
    }

    fn add_signoffs(&mut self, dir: &str, files: Vec<(String, String)>) -> Result<(), Error> {
        let mut blobs = Vec::with_capacity(files.len());
        for (name, text) in files {
            blobs.push((name, self.blob(text.as_bytes(), "signoff")?));
        }
        let mut entries = self.signoffs.remove(dir).unwrap_or_default();
        entries.extend(blobs);
        let bytes = Self::tree_bytes(
            entries
                .iter()
                .map(|(n, id)| (n.as_str(), false, *id))
                .collect(),
        );
        let sub = self.tree(&bytes, "signoff-dir")?;
        self.signoffs.insert(dir.to_owned(), entries);
        self.signoff_dirs.insert(dir.to_owned(), sub);
        let bytes = Self::tree_bytes(
            self.signoff_dirs
                .iter()
                .map(|(n, id)| (n.as_str(), true, *id))
                .collect(),
        );
        self.signoffs_tree = Some(self.tree(&bytes, "signoffs")?);
        Ok(())
    }

    fn root(&mut self) -> Result<Oid, Error> {
        let mut entries: Vec<Entry<'_>> = self
            .root_files
            .iter()
            .map(|(n, id)| (n.as_str(), false, *id))
            .collect();
        if let Some(id) = self.agreements_tree {
            entries.push(("agreements", true, id));
        }
        if let Some(id) = self.signoffs_tree {
            entries.push(("signoffs", true, id));
        }
        let bytes = Self::tree_bytes(entries);
        self.tree(&bytes, "")
    }

    /// The time of the next commit: commits are an hour apart.
    fn time(&self) -> i64 {
        self.start + 3600 * self.count as i64
    }

    /// Commit the current trees on top of the tip.
    fn commit(&mut self, who: &Person, message: &str) -> Result<Oid, Error> {
        let tree = self.root()?;
        let who_line = format!("{} <{}> {} +0000", who.name, who.email, self.time());
        let mut text = format!("tree {tree}\n");
        if let Some(p) = self.parent {
            text.push_str(&format!("parent {p}\n"));
        }
        text.push_str(&format!(
            "author {who_line}\ncommitter {who_line}\n\n{message}\n"
        ));
        let id = self.write(git2::ObjectType::Commit, text.as_bytes(), "")?;
        self.parent = Some(id);
        self.count += 1;
        if self.count.is_multiple_of(self.pack_every) {
            self.flush()?;
        }
        Ok(id)
    }

    /// Pack the objects written since the last pack (with deltas between
    /// them), store the pack, and empty the in-memory store.
    fn flush(&mut self) -> Result<(), Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut pb = self.repo.packbuilder()?;
        for (id, hint) in &self.pending {
            pb.insert_object(*id, Some(hint))?;
        }
        let mut buf = git2::Buf::new();
        pb.write_buf(&mut buf)?;
        let mut w = self.odb.packwriter()?;
        w.write_all(&buf)?;
        w.commit()?;
        self.mempack.reset()?;
        self.pending.clear();
        Ok(())
    }
}

fn date_of(time: i64) -> NaiveDate {
    DateTime::<Utc>::from_timestamp(time, 0)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

/// One sign-off as `ssh-keygen -Y verify` takes it.
struct Sample {
    principal: String,
    message: Vec<u8>,
    signature: String,
}

/// What every version needs: the flags, the people, and what is collected.
struct Gen<'a> {
    args: &'a Args,
    people: &'a [Person],
    mentors: usize,
    samples: Vec<Sample>,
    signoffs: usize,
}

impl Gen<'_> {
    /// Commit version `v` of agreement `i`, then (unless `--no-signoffs`)
    /// both parties' sign-offs of it; `prev` is the previous signed version
    /// and becomes this one.
    fn version(
        &mut self,
        store: &mut Store<'_>,
        i: usize,
        v: usize,
        prev: &mut Option<String>,
    ) -> Result<(), Error> {
        let id = agreement_id(i);
        let (m, e) = parties(i, self.mentors);
        let (mentor, mentee) = (&self.people[m], &self.people[e]);
        // A pull request lands today, whatever its commit times say.
        let opened = if v > self.args.versions {
            self.args.today
        } else {
            date_of(store.time())
        };
        let effective = if v == 1 {
            opened
        } else {
            opened + Days::new(15)
        };
        let text = agreement_text(
            i,
            v,
            &goals_at(i, v, self.args.goals),
            mentor,
            mentee,
            effective,
            self.args.quote_dates,
        );
        let path = format!("agreements/{id}.yaml");
        let version = checked_version(&path, &text)?;
        store.set_agreement(format!("{id}.yaml"), &text)?;
        let message = if v == 1 {
            format!("Propose the mentoring agreement {id}")
        } else {
            format!("Amend {id}: version {v}")
        };
        store.commit(mentor, &message)?;
        if self.args.no_signoffs {
            return Ok(());
        }
        let mut files = Vec::with_capacity(2);
        for (role, person, minutes) in [(Role::Mentor, mentor, 40), (Role::Mentee, mentee, 20)] {
            let signed_at = DateTime::<Utc>::from_timestamp(store.time() - 60 * minutes, 0)
                .ok_or("signing time")?;
            let claim = Claim::new(
                &id,
                &version,
                prev.as_deref(),
                role,
                &person.email,
                signed_at,
                false,
            )?;
            let message = claim.message();
            let signature = person.key.sign(None, &message)?;
            let rendered = SignoffFile::new(&claim, &signature)?.to_rendered()?;
            files.push((rendered.file_name, rendered.text));
            if self.args.sshsig_sample.is_some() && self.samples.len() < self.args.sample_size {
                self.samples.push(Sample {
                    principal: person.email.clone(),
                    message,
                    signature,
                });
            }
            self.signoffs += 1;
        }
        store.add_signoffs(&id, files)?;
        store.commit(
            mentee,
            &format!("sign-offs: {id} version {v} by mentor and mentee"),
        )?;
        *prev = Some(version);
        Ok(())
    }
}

fn run(args: &Args) -> Result<(), Error> {
    let started = Instant::now();
    if args.pack_every == 0 {
        return Err("--pack-every must be at least 1".into());
    }
    if args.out.exists() && std::fs::read_dir(&args.out)?.next().is_some() {
        return Err(format!("{} is not empty", args.out.display()).into());
    }
    let n = args.agreements;
    let mentors = args.mentors.unwrap_or(n / 4).max(1);

    let mut people = Vec::with_capacity(mentors + n);
    for m in 0..mentors {
        people.push(Person::new(
            format!("Mentor {m}"),
            format!("mentor-{m}@example.com"),
        )?);
    }
    for i in 0..n {
        people.push(Person::new(
            format!("Mentee {i}"),
            format!("mentee-{i}@example.com"),
        )?);
    }
    let mut trust_root = String::from("# Throwaway keys made by charter's benchmark generator.\n");
    for p in &people {
        trust_root.push_str(&format!(
            "{} namespaces=\"{NAMESPACE}\" {}\n",
            p.email, p.public
        ));
    }

    // The objects are read back only to pack them, right after writing them.
    git2::opts::strict_hash_verification(false);
    let mut opts = RepositoryInitOptions::new();
    opts.initial_head("main");
    let repo = Repository::init_opts(&args.out, &opts)?;
    let odb = repo.odb()?;
    let mempack = odb.add_new_mempack_backend(1000)?;
    let mut store = Store {
        repo: &repo,
        odb: &odb,
        mempack,
        pending: Vec::new(),
        root_files: BTreeMap::new(),
        agreements: BTreeMap::new(),
        agreements_tree: None,
        signoffs: BTreeMap::new(),
        signoff_dirs: BTreeMap::new(),
        signoffs_tree: None,
        parent: None,
        count: 0,
        pack_every: args.pack_every,
        start: NaiveDate::from_ymd_opt(2020, 1, 1)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .map(|t| t.and_utc().timestamp())
            .ok_or("start date")?,
    };
    for (name, text) in [
        (
            "charter.yaml",
            "charter: 1\nprogram: Synthetic mentoring programme\n",
        ),
        (".gitattributes", "agreements/*.yaml diff=charter\n"),
        ("allowed_signers", trust_root.as_str()),
    ] {
        let id = store.blob(text.as_bytes(), "")?;
        store.root_files.insert(name.to_owned(), id);
    }
    store.commit(
        &people[0],
        "Set up the mentoring programme's charter repository",
    )?;

    let mut gen = Gen {
        args,
        people: &people,
        mentors,
        samples: Vec::new(),
        signoffs: 0,
    };
    let mut previous: Vec<Option<String>> = vec![None; n];
    for v in 1..=args.versions {
        for (i, prev) in previous.iter_mut().enumerate() {
            gen.version(&mut store, i, v, prev)?;
        }
    }
    store.flush()?;
    let head = store.parent.ok_or("no commits")?;
    repo.reference("refs/heads/main", head, true, "gen-repo")?;
    let (main_commits, main_signoffs) = (store.count, gen.signoffs);
    if let Some(branch) = &args.pr_branch {
        if n == 0 {
            return Err("--pr-branch needs at least one agreement".into());
        }
        gen.version(&mut store, 0, args.versions + 1, &mut previous[0])?;
        store.flush()?;
        let tip = store.parent.ok_or("no commits")?;
        repo.reference(&format!("refs/heads/{branch}"), tip, true, "gen-repo")?;
    }
    let samples = gen.samples;
    if !args.no_checkout {
        repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))?;
    }
    if let Some(dir) = &args.sshsig_sample {
        write_sample(dir, &samples, &trust_root)?;
    }
    eprintln!(
        "gen-repo: {} agreements × {} versions ({} goals at first), {} sign-offs, {} commits in {:.1}s",
        n,
        args.versions,
        args.goals,
        main_signoffs,
        main_commits,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Write each sample sign-off's message and signature, the trust root, and
/// `verify.sh`, which runs one `ssh-keygen -Y verify` per sign-off, as a
/// caller without charter's verifier would.
fn write_sample(dir: &Path, samples: &[Sample], trust_root: &str) -> Result<(), Error> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("allowed_signers"), trust_root)?;
    let mut script = String::from(
        "#!/bin/sh\n# One ssh-keygen process per sign-off.\nset -e\ncd \"$(dirname \"$0\")\"\n",
    );
    for (k, s) in samples.iter().enumerate() {
        std::fs::write(dir.join(format!("{k:05}.msg")), &s.message)?;
        std::fs::write(dir.join(format!("{k:05}.sig")), &s.signature)?;
        script.push_str(&format!(
            "ssh-keygen -Y verify -f allowed_signers -I {} -n {NAMESPACE} -s {k:05}.sig < {k:05}.msg > /dev/null\n",
            s.principal
        ));
    }
    std::fs::write(dir.join("verify.sh"), script)?;
    Ok(())
}
