//! `charter signoff message FILE` and `charter signoff signature FILE`: the
//! two halves of a sign-off as OpenSSH wants them, so that anyone can check
//! a sign-off without trusting charter:
//!
//! ```sh
//! charter signoff message F > msg; charter signoff signature F > sig
//! ssh-keygen -Y verify -f allowed_signers -I EMAIL -n charter-signoff -s sig < msg
//! ```
//!
//! Both print bytes exactly: the message is what was signed, the signature
//! is the armor as stored (ending in one newline, like `ssh-keygen`'s own
//! `.sig` files).

use std::io::{Read, Write};
use std::path::Path;

use charter::signoff::file::MAX_FILE_SIZE;
use charter::signoff::SignoffFile;

use super::error::{code, CliError, CliResult};
use super::Global;

/// Arguments of `charter signoff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to print.
    #[command(subcommand)]
    pub command: Part,
}

/// The part of a sign-off file to print.
#[derive(Debug, clap::Subcommand)]
pub enum Part {
    /// Print the exact bytes the sign-off's signature covers.
    Message(FileArgs),
    /// Print the sign-off's armored SSH signature.
    Signature(FileArgs),
}

/// The sign-off file to read.
#[derive(Debug, clap::Args)]
pub struct FileArgs {
    /// A sign-off file (signoffs/<id>/<v12>-<role>-<h8>.yaml).
    #[arg(value_name = "FILE")]
    pub file: String,
}

/// Print the requested part of a sign-off file to stdout.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let (file, message) = match &args.command {
        Part::Message(f) => (f, true),
        Part::Signature(f) => (f, false),
    };
    let parsed = read(&global.cwd.join(&file.file), &file.file)?;
    let bytes = if message {
        parsed
            .claim()
            .map_err(|e| invalid(&file.file, &e.to_string()))?
            .message()
    } else {
        parsed.signature.into_bytes()
    };
    let mut out = std::io::stdout().lock();
    out.write_all(&bytes)?;
    out.flush()?;
    Ok(code::OK)
}

/// Read and parse a sign-off file, refusing anything larger than a sign-off
/// can be before reading it all.
fn read(path: &Path, shown: &str) -> Result<SignoffFile, CliError> {
    let file = std::fs::File::open(path)
        .map_err(|e| CliError::new(format!("{shown}: cannot read the file: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_SIZE as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::new(format!("{shown}: cannot read the file: {e}")))?;
    SignoffFile::parse_bytes(&bytes).map_err(|e| invalid(shown, &e.to_string()))
}

fn invalid(shown: &str, why: &str) -> CliError {
    CliError::new(format!("{shown}: not a valid sign-off file: {why}"))
        .hint("sign-off files are written by `charter sign`; `charter verify` reports what is wrong with one in the repository")
}
