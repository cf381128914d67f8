//! Errors that stop a command before it can reach a verdict (exit code 2).

use std::path::PathBuf;

/// Something in the environment prevents charter from deciding.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A git operation failed.
    #[error("{context}: {source}")]
    Git {
        /// What charter was doing.
        context: String,
        /// The cause.
        source: git2::Error,
    },
    /// Anything else, with advice.
    #[error("{message}")]
    Other {
        /// What is wrong.
        message: String,
        /// What to do.
        hint: Option<String>,
    },
}

impl Error {
    /// An error with a message and a hint.
    pub fn other(message: impl Into<String>, hint: Option<&str>) -> Self {
        Error::Other {
            message: message.into(),
            hint: hint.map(str::to_owned),
        }
    }

    /// Wrap an I/O error with its path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Wrap a git error with what charter was doing.
    pub fn git(context: impl Into<String>, source: git2::Error) -> Self {
        Error::Git {
            context: context.into(),
            source,
        }
    }

    /// Advice for the user, if any.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::Other { hint, .. } => hint.as_deref(),
            Error::Git { source, .. }
                if source.class() == git2::ErrorClass::Odb
                    && source.code() == git2::ErrorCode::NotFound =>
            {
                Some("the repository is missing objects (a partial or damaged clone): fetch them (`git fetch --refetch`) and check it with `git fsck`")
            }
            _ => None,
        }
    }
}

/// Results of library operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;
