//! Typed errors of the library. Each carries the context a person needs to act on it
//! (file, row, field); the binary renders them and maps them to documented exit codes.

use std::path::PathBuf;

/// Everything that can stop a run. Row-level problems are not errors: they become rows
/// of the `rejects` table and the run goes on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The pipeline file is missing, unreadable or inconsistent.
    #[error("pipeline file {path}: {message}")]
    Config { path: PathBuf, message: String },

    /// An input file cannot be read at all.
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// An input file has bytes that are not valid in any accepted encoding.
    #[error("{path}, line {line}: {message}")]
    Decode {
        path: PathBuf,
        line: u64,
        message: String,
    },

    /// A field the pipeline maps (or requires) has no column in the file.
    #[error("{path}: no column for field `{field}` (looked for {wanted}); headers found: {found}. If some files lack it, list it in the source's optional_columns")]
    MissingColumn {
        path: PathBuf,
        field: String,
        wanted: String,
        found: String,
    },

    /// The file is structurally unusable (no header row, no such sheet, broken XLSX).
    #[error("{path}: {message}")]
    Input { path: PathBuf, message: String },

    /// No usable pseudonymization key: member ID numbers cannot be processed without it.
    #[error("pseudonymization key: {0}")]
    Key(String),

    /// The analytical database refused a statement.
    #[error("database ({context}): {source}")]
    Database {
        context: String,
        #[source]
        source: duckdb::Error,
    },

    /// Outputs could not be written or swapped into place.
    #[error("output {path}: {message}")]
    Output { path: PathBuf, message: String },

    /// Another run is writing to the same output folder.
    #[error("output folder {path} is in use by another coverage run (process {pid}); wait for it to finish")]
    Locked { path: PathBuf, pid: u32 },

    /// The month would not fit the memory limit: said before anything is read.
    #[error(
        "the month's inputs keep about {inputs} (the cells of mapped columns, told from each \
         file's first rows; a workbook counted five times its size), which need about \
         {needed} of memory by estimate, above the memory limit of {limit}: raise \
         --memory-limit (default 75% of this machine's memory) or run on a machine with more \
         memory"
    )]
    TooLarge {
        inputs: String,
        needed: String,
        limit: String,
    },

    /// A check the run makes on itself failed: a bug, not bad input.
    #[error("internal check failed: {0}")]
    Internal(String),
}

/// Exit codes, documented in README.md.
pub mod exit {
    pub const OK: i32 = 0;
    pub const INTERNAL: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const CONFIG: i32 = 3;
    pub const BAD_INPUT: i32 = 4;
    pub const OUTPUT: i32 = 5;
    pub const LOCKED: i32 = 6;
    pub const TOO_LARGE: i32 = 7;
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Config { .. } | Error::Key(_) => exit::CONFIG,
            Error::Io { .. }
            | Error::Decode { .. }
            | Error::MissingColumn { .. }
            | Error::Input { .. } => exit::BAD_INPUT,
            Error::Output { .. } => exit::OUTPUT,
            Error::Locked { .. } => exit::LOCKED,
            Error::TooLarge { .. } => exit::TOO_LARGE,
            Error::Database { .. } | Error::Internal(_) => exit::INTERNAL,
        }
    }

    pub fn config(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Config {
            path: path.into(),
            message: message.into(),
        }
    }

    /// What an I/O error on `path` becomes (for `map_err`).
    pub fn io(path: &std::path::Path) -> impl Fn(std::io::Error) -> Self + Copy + '_ {
        move |source| Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn output(path: impl Into<PathBuf>, message: impl std::fmt::Display) -> Self {
        Error::Output {
            path: path.into(),
            message: message.to_string(),
        }
    }
}

/// Attaches a description of the statement to a DuckDB error.
pub trait DbContext<T> {
    fn db(self, context: &str) -> Result<T>;
}

impl<T> DbContext<T> for std::result::Result<T, duckdb::Error> {
    fn db(self, context: &str) -> Result<T> {
        self.map_err(|source| Error::Database {
            context: context.to_string(),
            source,
        })
    }
}

pub type Result<T> = std::result::Result<T, Error>;
