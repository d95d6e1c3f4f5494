//! The library's error type. Every variant names the file (and, where there
//! is one, the line and column) so that a user can go straight to the fault.

use std::path::PathBuf;

/// Exit status of a run that completed but skipped some input.
pub const EXIT_PARTIAL: i32 = 1;
/// Exit status of a run that could not go on: bad arguments, missing input,
/// unreadable ontology, failed write.
pub const EXIT_FAILURE: i32 = 2;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: no such file or directory")]
    MissingInput { path: PathBuf },

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        path: PathBuf,
        line: u64,
        column: u64,
        message: String,
    },

    #[error("{path}: {message}")]
    Ontology { path: PathBuf, message: String },

    #[error("{path}: {message}")]
    Model { path: PathBuf, message: String },

    #[error("{0}")]
    Usage(String),

    /// Two inputs that would be one document: the same identity (path
    /// under its input, or `--id`), which names its graph.
    #[error("{first} and {second}: both are document {id:?}; a document's identity is its path under the input given (or its id), so give a folder that holds both (their paths under it differ), or rename one")]
    DuplicateDocument {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },

    /// A filter that names nothing there is (a class, property, document
    /// or entity): the run completes with nothing to write.
    #[error("{0}")]
    NoMatch(String),

    #[error("{0}")]
    Other(String),
}

impl Error {
    /// The process exit status for this error.
    pub fn code(&self) -> i32 {
        match self {
            Error::NoMatch(_) => EXIT_PARTIAL,
            _ => EXIT_FAILURE,
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// An error opening or reading a path the user gave: a missing one is
    /// [`Error::MissingInput`], any other failure [`Error::Io`].
    pub fn reading(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        match source.kind() {
            std::io::ErrorKind::NotFound => Error::MissingInput { path: path.into() },
            _ => Error::io(path, source),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
