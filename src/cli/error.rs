//! The command line's error: a message, advice, and the exit code it implies.

use std::fmt;

/// Exit codes, as the README's "Commands" lists them.
pub mod code {
    /// Success.
    pub const OK: u8 = 0;
    /// The verdict is negative (error findings, invalid sign-offs, differences).
    pub const VERDICT: u8 = 1;
    /// Could not decide: usage, I/O, repository problems.
    pub const BROKEN: u8 = 2;
}

/// What ends a command early: a message with advice and its exit code
/// (2 when charter could not act, 1 when the rules refused), or a closed
/// pipe, which ends it quietly.
#[derive(Debug)]
pub enum CliError {
    /// Something to tell the user, with hints on what to do next.
    Failed {
        /// What went wrong.
        message: String,
        /// What to do about it.
        hints: Vec<String>,
        /// [`code::BROKEN`], or [`code::VERDICT`] for a refusal by the rules.
        code: u8,
    },
    /// The reader of our output went away (`charter log | head`).
    BrokenPipe,
}

impl CliError {
    /// An error with a message and no hint: charter could not act.
    pub fn new(message: impl Into<String>) -> Self {
        CliError::Failed {
            message: message.into(),
            hints: Vec::new(),
            code: code::BROKEN,
        }
    }

    /// The rules refuse what was asked: a verdict, exit code 1, printed
    /// like any error.
    pub fn denied(message: impl Into<String>) -> Self {
        CliError::Failed {
            message: message.into(),
            hints: Vec::new(),
            code: code::VERDICT,
        }
    }

    /// Add a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        if let CliError::Failed { hints, .. } = &mut self {
            hints.push(hint.into());
        }
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Failed { message, .. } => f.write_str(message),
            CliError::BrokenPipe => f.write_str("broken pipe"),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            CliError::BrokenPipe
        } else {
            CliError::new(format!("cannot write output: {e}"))
        }
    }
}

impl From<charter::error::Error> for CliError {
    fn from(e: charter::error::Error) -> Self {
        let start = match e.kind() {
            charter::error::ErrorKind::Denied => CliError::denied(e.to_string()),
            _ => CliError::new(e.to_string()),
        };
        e.hints()
            .into_iter()
            .map(str::to_owned)
            .fold(start, CliError::hint)
    }
}

impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> Self {
        if e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe) {
            CliError::BrokenPipe
        } else {
            CliError::new(format!("cannot write JSON: {e}"))
        }
    }
}

/// Results of commands: an exit code or an error.
pub type CliResult = Result<u8, CliError>;
