//! `charter signoff message FILE` and `charter signoff signature FILE`: the
//! two halves of a sign-off as OpenSSH wants them, so that anyone can check
//! a sign-off without trusting charter:
//!
//! ```sh
//! charter signoff message F > msg; charter signoff signature F > sig
//! ssh-keygen -Y verify -f allowed_signers -I EMAIL -n charter-signoff -s sig < msg
//! ```
//!
//! Check-in files (`-n charter-checkin`) and declines (`-n charter-decline`)
//! are read the same way, told apart by their file names.
//!
//! Both print bytes exactly: the message is what was signed, the signature
//! is the armor as stored (ending in one newline, like `ssh-keygen`'s own
//! `.sig` files).

use std::io::{Read, Write};
use std::path::Path;

use charter::signoff::file::MAX_FILE_SIZE;

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
    /// A sign-off file (signoffs/<id>/<v12>-<role>-<h8>.yaml), a decline
    /// (signoffs/<id>/<v12>-<role>-decline-<h8>.yaml) or a check-in
    /// (checkins/<id>/<YYYY-MM-DD>-<role>-<h8>.yaml).
    #[arg(value_name = "FILE")]
    pub file: String,
}

/// Print the requested part of a sign-off file to stdout.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let (file, message) = match &args.command {
        Part::Message(f) => (f, true),
        Part::Signature(f) => (f, false),
    };
    let raw = read_bytes(&global.cwd.join(&file.file), &file.file)?;
    let parts = charter::record_file::signed_parts(&file.file, &raw).map_err(|(kind, why)| {
        if kind == charter::record_file::RecordKind::Signoff {
            invalid(&file.file, &why)
        } else {
            CliError::new(format!(
                "{}: not a valid {} file: {why}",
                file.file,
                kind.noun()
            ))
        }
    })?;
    let (signed, signature) = (parts.message, parts.signature);
    let bytes = if message {
        signed
    } else {
        signature.into_bytes()
    };
    let mut out = std::io::stdout().lock();
    out.write_all(&bytes)?;
    out.flush()?;
    Ok(code::OK)
}

/// Read a record file, refusing anything larger than a record can be
/// before reading it all.
fn read_bytes(path: &Path, shown: &str) -> Result<Vec<u8>, CliError> {
    let file = std::fs::File::open(path)
        .map_err(|e| CliError::new(format!("{shown}: cannot read the file: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_SIZE as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::new(format!("{shown}: cannot read the file: {e}")))?;
    Ok(bytes)
}

fn invalid(shown: &str, why: &str) -> CliError {
    CliError::new(format!("{shown}: not a valid sign-off file: {why}"))
        .hint("sign-off files are written by `charter sign`; `charter verify` reports what is wrong with one in the repository")
}
