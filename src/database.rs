//! One way to open DuckDB: no extension is ever downloaded or auto-loaded (the build
//! has parquet and json compiled in, and runs must work offline).

use std::path::Path;

use duckdb::{Config, Connection};

use crate::error::{DbContext, Result};

/// Opens a database file, or an in-memory database for `None`.
pub fn open(path: Option<&Path>) -> Result<Connection> {
    let config = Config::default()
        .enable_autoload_extension(false)
        .db("configure DuckDB")?;
    match path {
        Some(p) => Connection::open_with_flags(p, config).db(&format!("open {}", p.display())),
        None => Connection::open_in_memory_with_flags(config).db("open an in-memory database"),
    }
}
