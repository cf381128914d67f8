//! `charter textconv FILE`: an agreement as one sorted `path: value` line per
//! value, for `diff.charter.textconv`.
//!
//! git diffs the output of a textconv filter line by line. Flattened, sorted
//! lines make that diff say what changed (`goals[design-review].due:
//! 2026-05-15`) whatever the file's layout, so `git log -p` without
//! `--ext-diff` and tools that do not run external diff drivers read well
//! too. A file that does not parse is printed unchanged.

use std::io::{Read, Write};
use std::path::PathBuf;

use charter::agreement::lint::{self, Context};
use charter::document::MAX_FILE_BYTES;

use super::error::{code, CliError, CliResult};
use super::Global;

/// Arguments of `charter textconv`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The agreement file to render (git passes a temporary copy).
    pub file: PathBuf,
}

/// Print the flattened rendering, or the file as it is when it does not parse.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let path = global.cwd.join(&args.file);
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))?;
    let name = args.file.to_string_lossy();
    let (parsed, _) = lint::check(&name, &bytes, &Context::default());
    let mut out = std::io::stdout().lock();
    match (parsed.version(), parsed.data()) {
        (Some(version), Some(data)) => {
            writeln!(out, "# version {version}")?;
            for line in charter::render::flat::lines(data) {
                writeln!(out, "{line}")?;
            }
        }
        _ => out.write_all(&bytes)?,
    }
    out.flush()?;
    Ok(code::OK)
}
