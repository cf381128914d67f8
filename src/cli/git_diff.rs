//! `charter git-diff …`: the external diff driver git runs for files marked
//! `diff=charter` in `.gitattributes` when `diff.charter.command` is set, so
//! that `git diff`, `git show` and `git log -p --ext-diff` show amendments
//! as semantic changes.
//!
//! git calls it with 7 arguments (`path old-file old-hex old-mode new-file
//! new-hex new-mode`), with 9 for a rename or copy (the 7, the new path and
//! the header text git would print), and with 1 (the path) for an unmerged
//! path. An absent side is `/dev/null`. git gives up on the whole diff when
//! the driver fails, so anything charter cannot compare falls back to a line
//! diff instead of an error.

use std::io::{Read, Write};

use charter::document::MAX_FILE_BYTES;
use charter::render::style::{paint, HEADING};

use charter::diff::{Comparison, Content, Outcome};

use super::diff::{write_line_diff, write_problem};
use super::error::{code, CliError, CliResult};
use super::Global;

/// Arguments of `charter git-diff`, exactly as git passes them.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// PATH [OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE [NEW-PATH HEADER]]
    #[arg(
        value_name = "ARG",
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub args: Vec<String>,
}

/// One side of the file pair git passes.
struct Blob<'a> {
    file: &'a str,
    hex: &'a str,
    mode: &'a str,
}

impl Blob<'_> {
    fn is_absent(&self) -> bool {
        self.file == "/dev/null" || self.mode == "."
    }

    /// The bytes git wrote to its temporary file, `None` for an absent side.
    fn read(&self, global: &Global) -> Result<Option<Vec<u8>>, CliError> {
        if self.is_absent() {
            return Ok(None);
        }
        let path = global.cwd.join(self.file);
        let mut bytes = Vec::new();
        std::fs::File::open(&path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))?;
        Ok(Some(bytes))
    }
}

/// Print the semantic diff of one file pair, as git's external diff.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let mut out = std::io::stdout().lock();
    match args.args.as_slice() {
        [path] => writeln!(out, "* Unmerged path {path}")?,
        [path, old_file, old_hex, old_mode, new_file, new_hex, new_mode, rest @ ..]
            if rest.is_empty() || rest.len() == 2 =>
        {
            let (new_path, header) = match rest {
                [new_path, header] => (new_path.as_str(), Some(header.as_str())),
                _ => (path.as_str(), None),
            };
            let old = Blob {
                file: old_file,
                hex: old_hex,
                mode: old_mode,
            };
            let new = Blob {
                file: new_file,
                hex: new_hex,
                mode: new_mode,
            };
            write_pair(&mut out, global, (path, &old), (new_path, &new), header)?;
        }
        _ => return Err(CliError::new(format!(
            "git-diff takes the 1, 7 or 9 arguments git passes to an external diff driver, not {}",
            args.args.len()
        ))
        .hint(
            "let git run it: `git config diff.charter.command 'charter git-diff'`, then `git diff`",
        )),
    }
    out.flush()?;
    Ok(code::OK)
}

/// The header git would print, then the comparison.
fn write_pair(
    out: &mut dyn Write,
    global: &Global,
    (old_path, old): (&str, &Blob<'_>),
    (new_path, new): (&str, &Blob<'_>),
    header: Option<&str>,
) -> Result<(), CliError> {
    let color = global.color;
    let (a, b) = (format!("a/{old_path}"), format!("b/{new_path}"));
    writeln!(
        out,
        "{}",
        paint(HEADING, &format!("diff --charter {a} {b}"), color)
    )?;
    if let Some(header) = header.filter(|h| !h.is_empty()) {
        write!(out, "{header}")?;
        if !header.ends_with('\n') {
            writeln!(out)?;
        }
    }
    match (old.is_absent(), new.is_absent()) {
        (true, false) => writeln!(out, "new file mode {}", new.mode)?,
        (false, true) => writeln!(out, "deleted file mode {}", old.mode)?,
        _ if old.mode != new.mode => writeln!(out, "old mode {}\nnew mode {}", old.mode, new.mode)?,
        _ => {}
    }
    // git passes zeros for a working-tree file it has not hashed.
    let known = |b: &Blob<'_>| b.is_absent() || b.hex.bytes().any(|c| c != b'0');
    if old.hex != new.hex && known(old) && known(new) {
        writeln!(out, "index {}..{}", short_hex(old.hex), short_hex(new.hex))?;
    }

    let Comparison {
        old: old_content,
        new: new_content,
        outcome,
    } = charter::diff::compare_file((old_path, old.read(global)?), (new_path, new.read(global)?));
    match outcome {
        Outcome::Same => writeln!(
            out,
            "no change to the agreement's data (comments or layout only)"
        )?,
        Outcome::Changes(changes) => {
            let version = |c: &Content| c.version().map_or("none", |v| v.short()).to_owned();
            writeln!(
                out,
                "{}; version {} → {}",
                charter::diff::headline(&changes),
                version(&old_content),
                version(&new_content)
            )?;
            writeln!(out)?;
            charter::diff::render_text(&changes, out, color)?;
        }
        Outcome::Lines { old, new, diff } => {
            writeln!(out, "does not parse, showing a line diff")?;
            for (finding, side) in [(old, "old"), (new, "new")] {
                if let Some(finding) = finding {
                    write_problem(out, &finding, side, color)?;
                }
            }
            write_line_diff(out, &diff, color)?;
        }
        Outcome::Skipped(why) => writeln!(out, "{why}, not compared")?,
    }
    Ok(())
}

/// The abbreviated object id git shows in `index` lines; `0000000` for an
/// absent side.
fn short_hex(hex: &str) -> &str {
    match hex {
        "." => "0000000",
        _ => hex.get(..7).unwrap_or(hex),
    }
}
