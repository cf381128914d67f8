#[derive(Debug, clap::Args)]
pub struct Args;
pub fn run(_: &Args, _: &super::Global) -> super::error::CliResult {
    Ok(0)
}
