//! `charter completions SHELL` and `charter man`: generated from the clap definition.

use clap::CommandFactory;

use super::error::{code, CliError, CliResult};
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

/// Arguments of `charter man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write charter.1 and one page per subcommand (charter-init.1, …),
    /// which charter(1) refers to, into this directory instead of printing
    /// charter(1). Existing files are never overwritten.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

/// Print charter(1), or write every page into a directory.
pub fn man(args: &ManArgs) -> CliResult {
    let Some(dir) = &args.dir else {
        let mut out = Vec::new();
        clap_mangen::Man::new(Cli::command()).render(&mut out)?;
        return write_stdout(&out);
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::new(format!("cannot create {}: {e}", dir.display())))?;
    let mut cmd = Cli::command();
    cmd.build();
    let mut pages = vec![("charter".to_owned(), cmd.clone())];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("charter-{}", sub.get_name());
        // clap keeps command names as `&'static str`; a handful of short
        // names leaked once per `charter man --dir` run costs nothing.
        let leaked: &'static str = Box::leak(name.clone().into_boxed_str());
        pages.push((name, sub.clone().name(leaked).bin_name(leaked)));
    }
    let mut written = Vec::new();
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let mut out = Vec::new();
        clap_mangen::Man::new(page).render(&mut out)?;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| {
                let error = CliError::new(format!("cannot write {}: {e}", path.display()));
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    error.hint("charter never overwrites a file it did not create: remove the old pages or choose another --dir")
                } else {
                    error
                }
            })?;
        std::io::Write::write_all(&mut file, &out)?;
        written.push(path);
    }
    println!(
        "wrote {} to {}",
        charter::plural::count(written.len(), "man page"),
        dir.display()
    );
    Ok(code::OK)
}

fn write_stdout(bytes: &[u8]) -> CliResult {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()?;
    Ok(code::OK)
}
