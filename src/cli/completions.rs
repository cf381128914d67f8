//! `charter completions SHELL` and `charter man`: generated from the clap definition.

use clap::CommandFactory;

use super::error::{code, CliResult};
use super::Cli;

/// Arguments of `charter completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Print completions for a shell.
pub fn completions(args: &CompletionArgs) -> CliResult {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "charter", &mut out);
    write_stdout(&out)
}

/// Print the man page.
pub fn man() -> CliResult {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    write_stdout(&out)
}

fn write_stdout(bytes: &[u8]) -> CliResult {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()?;
    Ok(code::OK)
}
