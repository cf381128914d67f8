//! `charter diff [REV_A [REV_B]] [-- ID|PATH…]`: what changed in the
//! agreements between two revisions, or between a revision and the working
//! tree, as data rather than as lines of YAML.
//!
//! The comparison of one file's two sides is the library's
//! (`charter::diff::compare_file`), shared with the git diff driver
//! (`git_diff.rs`); this file chooses the sides and prints.

use std::collections::HashMap;
use std::io::Write;

use charter::agreement::file_name::{self, NameProblem};
use charter::agreement::types::is_valid_id;
use charter::agreement::VersionId;
use charter::diff::{self, Comparison, Content, Outcome};
use charter::error::Error;
use charter::finding::Finding;
use charter::history;
use charter::json::{DiffAgreement, DiffSide};
use charter::render::style::{paint, DIM, HEADING, NEW, OLD, WARNING};
use charter::revision::{File, Tree};
use charter::workspace::Workspace;
use git2::{Commit, Repository};

use super::error::{code, CliError, CliResult};
use super::Global;

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Changes grouped by section, for a terminal.
    Text,
    /// GitHub-flavoured markdown, for pull-request comments.
    Markdown,
    /// `{"agreements":[{"id","from","to","changes"}]}`.
    Json,
}

/// Arguments of `charter diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Revisions, as git takes them: none compares HEAD with the working
    /// tree, one compares REV with the working tree, two compare REV_A with
    /// REV_B (`A..B` and `A...B` work too).
    #[arg(value_name = "REV", num_args = 0..=2)]
    pub revs: Vec<String>,
    /// Limit the diff to these agreements (ids or paths), after `--`.
    #[arg(last = true, value_name = "ID|PATH")]
    pub limits: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with 1 when there are differences, 0 when there are none (like git).
    #[arg(long)]
    pub exit_code: bool,
    /// Compare the signed version in force today with the working tree.
    #[arg(long, conflicts_with = "revs")]
    pub signed: bool,
    /// With --signed: the day whose version in force is compared (YYYY-MM-DD; default today, or CHARTER_TODAY).
    #[arg(long, value_name = "DATE", requires = "signed")]
    pub today: Option<String>,
    /// Show how the template agreement ID was made from has changed since
    /// (its recorded version against the template now).
    #[arg(long, value_name = "ID", conflicts_with_all = ["revs", "signed", "limits"])]
    pub template: Option<String>,
}

/// Compare, print, and (with `--exit-code`) say whether anything differs.
pub fn run(args: &Args, global: &Global) -> CliResult {
    if let Some(id) = &args.template {
        return super::template_diff::run(id, args.format, args.exit_code, global);
    }
    let ws = super::workspace(global)?;
    let repo = ws.repo.as_ref().ok_or_else(|| {
        CliError::new(format!("{} is not in a git repository", ws.root.display()))
            .hint("charter diff compares revisions of agreements kept in git; run it in a clone")
    })?;
    let limits = limits(&ws, global, &args.limits)?;
    let (from, to) = if args.signed {
        (None, Source::Worktree)
    } else {
        let (from, to) = sources(&ws, repo, &args.revs)?;
        (Some(from), to)
    };

    let mut files = match &limits {
        Some(named) => named.clone(),
        None => {
            let mut all = to.files(&ws, repo)?;
            if let Some(from) = &from {
                all.extend(from.files(&ws, repo)?);
            }
            all
        }
    };
    files.sort();
    files.dedup();

    let bases = if args.signed {
        signed_bases(repo, &files, limits.is_some(), args.today.as_deref())?
    } else {
        HashMap::new()
    };
    let mut entries = Vec::new();
    // Agreements `--signed` left out: nothing of them is signed, so they
    // differ from what was agreed (for `--exit-code`).
    let mut left_out = false;
    for file in &files {
        // Only a listing gets here with a misnamed file: limits refuse one.
        if let Some(problem) = file_name::problem(file) {
            let differs = match &from {
                Some(from) => from.read(&ws, repo, file)? != to.read(&ws, repo, file)?,
                None => true,
            };
            if differs {
                warn_not_compared(global, file, &problem);
            }
            continue;
        }
        let from = match (&from, file_name::id_of(file).and_then(|id| bases.get(id))) {
            (Some(from), _) => from,
            (None, Some(base)) => base,
            // A named agreement with nothing in force cannot be compared;
            // in a listing it is left out, and said so.
            (None, None) if limits.is_some() => return Err(nothing_in_force(file)),
            (None, None) => {
                super::note(
                    global,
                    &format!(
                        "{}: no signed version is in force yet; not compared (compare it with a revision, e.g. `charter diff HEAD`)",
                        charter::render::escape::text(file)
                    ),
                );
                left_out = true;
                continue;
            }
        };
        let old = from.read(&ws, repo, file)?;
        let new = to.read(&ws, repo, file)?;
        if limits.is_some() && old.is_none() && new.is_none() {
            let mut error = CliError::new(format!(
                "{file}: no such agreement in {} or {}",
                from.label(),
                to.label()
            ));
            let id = file_name::id_of(file).unwrap_or(file);
            if let Some(hint) = super::ids::suggestion(id, &ws.known_ids()) {
                error = error.hint(hint);
            }
            return Err(error.hint(
                "give the id of an agreement that exists on either side (see `ls agreements`)",
            ));
        }
        if old == new {
            continue;
        }
        let Comparison { old, new, outcome } = diff::compare_file((file, old), (file, new));
        if matches!(outcome, Outcome::Same) {
            continue;
        }
        entries.push(Entry {
            file,
            from: Side::of(from, &old),
            to: Side::of(&to, &new),
            outcome,
        });
    }

    let mut out = std::io::stdout().lock();
    let compared = entries
        .iter()
        .any(|e| matches!(&e.outcome, Outcome::Changes(c) if !c.is_empty()));
    match args.format {
        Format::Text => {
            for (n, entry) in entries.iter().enumerate() {
                if n > 0 {
                    writeln!(out)?;
                }
                write_text(&mut out, entry, global.color)?;
            }
            if compared {
                writeln!(out, "\n{}", paint(DIM, diff::LEGEND, global.color))?;
            }
        }
        Format::Markdown => {
            for (n, entry) in entries.iter().enumerate() {
                if n > 0 {
                    writeln!(out)?;
                }
                write_markdown(&mut out, entry)?;
            }
            if compared {
                writeln!(out, "\n{}", diff::LEGEND_MARKDOWN)?;
            }
        }
        Format::Json => {
            let agreements = entries.iter().map(json_agreement).collect();
            serde_json::to_writer(&mut out, &charter::json::Diff { agreements })?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(if args.exit_code && (!entries.is_empty() || left_out) {
        code::VERDICT
    } else {
        code::OK
    })
}

/// The sides `--signed` compares the working tree with, by agreement id:
/// the version in force at HEAD of each agreement among `files` that has
/// one. Named agreements are read one by one (their paths' history only);
/// a listing reads every record at HEAD in one pass.
fn signed_bases<'r>(
    repo: &'r git2::Repository,
    files: &[String],
    named: bool,
    today: Option<&str>,
) -> Result<HashMap<String, Source<'r>>, CliError> {
    let today = super::today(today)?;
    let records = if named {
        files
            .iter()
            .filter_map(|f| file_name::id_of(f))
            .map(|id| Ok(charter::record::load_at_head(repo, id, today)?.record))
            .collect::<Result<Vec<_>, CliError>>()?
    } else {
        let head = charter::history::head_commit(repo)?;
        charter::record::load_all_at(repo, &head, today)?.records
    };
    let mut bases = HashMap::new();
    for record in &records {
        let Some((index, in_force)) = record.evaluation.in_force_version() else {
            continue;
        };
        let commit = repo.find_commit(in_force.commit.id).map_err(|e| {
            CliError::new(format!(
                "reading commit {}: {}",
                in_force.commit.id,
                e.message()
            ))
        })?;
        let short = charter::render::words::version(
            index,
            in_force.version.as_ref().map_or("", |v| v.as_str()),
        );
        let label = format!("the version in force, {short}");
        bases.insert(record.id.clone(), Source::Commit { commit, label });
    }
    Ok(bases)
}

/// The error for `diff --signed -- ID` when nothing of ID is in force.
fn nothing_in_force(file: &str) -> CliError {
    CliError::new(format!("no signed version of {file} is in force yet"))
        .hint("both parties sign with `charter sign`; until then compare with a revision, e.g. `charter diff HEAD`")
}

/// One side of the comparison: a commit's tree or the working tree.
enum Source<'r> {
    /// The tree of a commit, with the revision as the user named it.
    Commit { commit: Commit<'r>, label: String },
    /// The files on disk.
    Worktree,
}

impl Source<'_> {
    /// How JSON names the side: the commit's full hex id, or `worktree`.
    fn rev(&self) -> String {
        match self {
            Source::Commit { commit, .. } => commit.id().to_string(),
            Source::Worktree => "worktree".to_owned(),
        }
    }

    /// How messages name the side.
    fn label(&self) -> &str {
        match self {
            Source::Commit { label, .. } => label,
            Source::Worktree => "the working tree",
        }
    }

    /// The bytes of a repository-relative file on this side, `None` when absent.
    fn read(
        &self,
        ws: &Workspace,
        repo: &Repository,
        file: &str,
    ) -> Result<Option<Vec<u8>>, CliError> {
        match self.tree(ws, repo).read(file)? {
            File::Bytes(bytes) => Ok(Some(bytes)),
            File::Absent => Ok(None),
            File::Unreadable(f) => {
                let err = CliError::new(format!("{}: {}", f.file, f.message));
                Err(match f.hint {
                    Some(hint) => err.hint(hint),
                    None => err,
                })
            }
        }
    }

    /// The tree this side reads from.
    fn tree<'a>(&'a self, ws: &'a Workspace, repo: &'a Repository) -> Tree<'a> {
        match self {
            Source::Commit { commit, .. } => Tree::Commit(repo, commit),
            Source::Worktree => Tree::Working(&ws.root),
        }
    }

    /// The agreement files on this side.
    fn files(&self, ws: &Workspace, repo: &Repository) -> Result<Vec<String>, CliError> {
        Ok(self.tree(ws, repo).agreement_files(&ws.layout)?)
    }
}

/// The two sides git's revision arguments name.
fn sources<'r>(
    ws: &Workspace,
    repo: &'r Repository,
    revs: &[String],
) -> Result<(Source<'r>, Source<'r>), CliError> {
    let at = |rev: &str| -> Result<Source<'r>, CliError> {
        let rev = if rev.is_empty() { "HEAD" } else { rev };
        Ok(Source::Commit {
            commit: commit(ws, repo, rev)?,
            label: rev.to_owned(),
        })
    };
    match revs {
        [] => Ok((at("HEAD")?, Source::Worktree)),
        [range] if range.contains("...") => {
            let (a, b) = range.split_once("...").unwrap_or_default();
            let (a, b) = (at(a)?, at(b)?);
            let base = merge_base(repo, &a, &b)?;
            Ok((base, b))
        }
        [range] if range.contains("..") => {
            let (a, b) = range.split_once("..").unwrap_or_default();
            Ok((at(a)?, at(b)?))
        }
        [rev] => Ok((at(rev)?, Source::Worktree)),
        [a, b, ..] => Ok((at(a)?, at(b)?)),
    }
}

/// The merge base of two commits, for `A...B`.
fn merge_base<'r>(
    repo: &'r Repository,
    a: &Source<'r>,
    b: &Source<'r>,
) -> Result<Source<'r>, CliError> {
    let (Source::Commit { commit: ca, .. }, Source::Commit { commit: cb, .. }) = (a, b) else {
        return Err(CliError::new("A...B needs two revisions"));
    };
    let base = repo
        .merge_base(ca.id(), cb.id())
        .and_then(|id| repo.find_commit(id))
        .map_err(|e| {
            CliError::new(format!(
                "{} and {} have no common ancestor: {}",
                a.label(),
                b.label(),
                e.message()
            ))
            .hint("compare them directly: `charter diff A B`")
        })?;
    Ok(Source::Commit {
        commit: base,
        label: format!("the merge base of {} and {}", a.label(), b.label()),
    })
}

/// Resolve one revision, explaining an empty repository, a shallow clone or
/// an agreement id given where a revision was expected.
fn commit<'r>(ws: &Workspace, repo: &'r Repository, rev: &str) -> Result<Commit<'r>, CliError> {
    let err = match history::resolve_commit(repo, rev) {
        Ok(commit) => return Ok(commit),
        Err(e) => e,
    };
    // A repository without commits says so rather than "unknown revision".
    history::head_commit(repo)?;
    // In a shallow clone the advice is to fetch the history, nothing else.
    let shallow = matches!(err, Error::UnknownRevision { shallow: true, .. });
    let err = CliError::from(err);
    let file = format!(
        "{}/{rev}{}",
        ws.layout.agreements.trim_end_matches('/'),
        file_name::EXTENSION
    );
    if !shallow && is_valid_id(rev) && ws.root.join(&file).exists() {
        return Err(err.hint(format!(
            "to limit the diff to the agreement {rev}, put it after `--`: `charter diff -- {rev}`"
        )));
    }
    Err(err)
}

/// The agreement files `-- ID|PATH…` names; `None` for all of them.
fn limits(
    ws: &Workspace,
    global: &Global,
    given: &[String],
) -> Result<Option<Vec<String>>, CliError> {
    let ids = super::ids::agreement_ids(given, ws, global)?;
    Ok(ids
        .map(|ids| {
            ids.iter()
                .map(|id| ws.layout.agreement_file(id))
                .collect::<Vec<_>>()
        })
        .filter(|files| !files.is_empty()))
}

/// Say that a changed file in the agreements directory was left out because
/// it is not named like an agreement, so that leaving it out is not silent.
fn warn_not_compared(global: &Global, file: &str, problem: &NameProblem) {
    let warning = paint(WARNING, "warning", global.color_err);
    let hint = paint(DIM, "hint:", global.color_err);
    let shown = |s: &str| charter::render::escape::text(s).into_owned();
    super::note_escaped(
        global,
        &format!(
            "{warning}: {} not compared: {}",
            shown(file),
            shown(&problem.message)
        ),
    );
    super::note_escaped(global, &format!("{hint} {}", shown(&problem.hint)));
}

/// Write a unified line diff, the `-`/`+` lines coloured when asked.
pub(super) fn write_line_diff(out: &mut dyn Write, diff: &str, color: bool) -> std::io::Result<()> {
    for (n, line) in diff.lines().enumerate() {
        let style = match line.as_bytes().first() {
            _ if n < 2 => HEADING,
            Some(b'@') => DIM,
            Some(b'-') => OLD,
            Some(b'+') => NEW,
            _ => anstyle::Style::new(),
        };
        writeln!(out, "{}", paint(style, line, color))?;
    }
    Ok(())
}

/// Write why a side does not parse, as a finding with its place.
pub(super) fn write_problem(
    out: &mut dyn Write,
    finding: &Finding,
    side: &str,
    color: bool,
) -> std::io::Result<()> {
    writeln!(
        out,
        "  {}: {}",
        paint(
            charter::render::style::ERROR,
            &format!("error[{}]", finding.rule),
            color
        ),
        finding.message
    )?;
    writeln!(
        out,
        "    {} {} ({side})",
        paint(DIM, "-->", color),
        place(finding)
    )
}

/// `file:line:column`, as far as the finding knows it.
fn place(finding: &Finding) -> String {
    match (finding.line, finding.column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", finding.file),
        (Some(l), None) => format!("{}:{l}", finding.file),
        _ => finding.file.clone(),
    }
}

/// One changed agreement, ready to print.
struct Entry<'a> {
    file: &'a str,
    from: Option<Side>,
    to: Option<Side>,
    outcome: Outcome,
}

impl<'a> Entry<'a> {
    /// The agreement id: the file's stem (every compared file has one).
    fn id(&self) -> &'a str {
        file_name::id_of(self.file).unwrap_or(self.file)
    }

    /// `(new agreement)` or `(removed)` for a side that is absent.
    fn presence(&self) -> &'static str {
        match (&self.from, &self.to) {
            (None, Some(_)) => " (new agreement)",
            (Some(_), None) => " (removed)",
            _ => "",
        }
    }

    /// Why each side that does not parse does not, with the side's name.
    fn problems(&self) -> Vec<(&Finding, &str)> {
        let Outcome::Lines { old, new, .. } = &self.outcome else {
            return Vec::new();
        };
        let from = self.from.as_ref().map_or("", |s| s.label.as_str());
        let to = self.to.as_ref().map_or("", |s| s.label.as_str());
        [(old, from), (new, to)]
            .into_iter()
            .filter_map(|(f, side)| f.as_deref().map(|f| (f, side)))
            .collect()
    }
}

/// A present side of one agreement, as JSON and messages name it.
struct Side {
    /// The commit's full hex id, or `worktree`.
    rev: String,
    /// The version id, null when the side does not parse.
    version: Option<VersionId>,
    /// How messages name the side.
    label: String,
}

impl Side {
    fn of(source: &Source<'_>, content: &Content) -> Option<Side> {
        (!matches!(content, Content::Absent)).then(|| Side {
            rev: source.rev(),
            version: content.version().cloned(),
            label: source.label().to_owned(),
        })
    }
}

fn write_text(out: &mut dyn Write, entry: &Entry<'_>, color: bool) -> std::io::Result<()> {
    let head = format!("{}{}", entry.file, entry.presence());
    match &entry.outcome {
        Outcome::Same => Ok(()),
        Outcome::Changes(changes) => {
            writeln!(
                out,
                "{}: {}",
                paint(HEADING, &head, color),
                diff::headline(changes)
            )?;
            writeln!(out)?;
            diff::render_text(changes, out, color)
        }
        Outcome::Lines { diff, .. } => {
            writeln!(
                out,
                "{}: does not parse, showing a line diff",
                paint(HEADING, &head, color)
            )?;
            for (finding, side) in entry.problems() {
                write_problem(out, finding, side, color)?;
            }
            write_line_diff(out, diff, color)
        }
        Outcome::Skipped(why) => {
            writeln!(out, "{}: {why}, not compared", paint(HEADING, &head, color))
        }
    }
}

fn write_markdown(out: &mut dyn Write, entry: &Entry<'_>) -> std::io::Result<()> {
    writeln!(out, "### {}{}", entry.id(), entry.presence())?;
    writeln!(out)?;
    match &entry.outcome {
        Outcome::Same => Ok(()),
        Outcome::Changes(changes) => {
            writeln!(out, "{}", diff::headline(changes))?;
            writeln!(out)?;
            diff::render_markdown(changes, out)
        }
        Outcome::Lines { diff, .. } => {
            for (finding, side) in entry.problems() {
                writeln!(
                    out,
                    "> **does not parse** ({side}): `{}`: {}",
                    place(finding),
                    finding.message
                )?;
            }
            let fence = "`".repeat(longest_backtick_run(diff).max(2) + 1);
            writeln!(out)?;
            writeln!(out, "Line diff:")?;
            writeln!(out)?;
            writeln!(out, "{fence}diff")?;
            out.write_all(diff.as_bytes())?;
            writeln!(out, "{fence}")
        }
        Outcome::Skipped(why) => writeln!(out, "_{why}, not compared_"),
    }
}

/// The longest run of backticks in `text`, so a code fence can be longer.
fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// One agreement in `diff --format json` ([`charter::json::DiffAgreement`]).
fn json_agreement(entry: &Entry<'_>) -> DiffAgreement {
    let side = |s: &Option<Side>| {
        s.as_ref().map(|s| DiffSide {
            rev: s.rev.clone(),
            version: s.version.clone(),
        })
    };
    let mut json = DiffAgreement {
        id: entry.id().to_owned(),
        from: side(&entry.from),
        to: side(&entry.to),
        changes: Vec::new(),
        findings: Vec::new(),
        line_diff: None,
        skipped: None,
    };
    match &entry.outcome {
        Outcome::Same => {}
        Outcome::Changes(changes) => json.changes = changes.clone(),
        Outcome::Lines { diff, .. } => {
            json.findings = entry
                .problems()
                .into_iter()
                .map(|(f, _)| f.clone())
                .collect();
            json.line_diff = Some(diff.clone());
        }
        Outcome::Skipped(why) => json.skipped = Some((*why).to_owned()),
    }
    json
}
