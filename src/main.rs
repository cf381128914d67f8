//! The `charter` command: parse arguments, run, map the outcome to an exit code.

mod cli;

/// charter's work is many small allocations (parsed YAML, JSON values,
/// strings per record) spread over rayon's threads; glibc's allocator spent
/// about a quarter of `verify`'s time in malloc and free. mimalloc's
/// per-thread free lists cut that to a few percent (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
