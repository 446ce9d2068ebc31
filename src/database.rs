//! One way to open DuckDB: no extension is ever downloaded or auto-loaded (the build
//! has parquet and json compiled in, and runs must work offline).

use std::path::Path;

use duckdb::{Config, Connection};

use crate::error::{DbContext, Result};

/// Whether every one of `tables` exists in the database `catalog` of the connection
/// (`memory` for the connection's own, or the alias of an attached file).
pub fn has_tables(conn: &Connection, catalog: &str, tables: &[&str]) -> Result<bool> {
    let mut found = 0;
    for table in tables {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND table_name = ?",
                [catalog, table],
                |r| r.get(0),
            )
            .db(&format!("look for {table}"))?;
        found += usize::from(n > 0);
    }
    Ok(found == tables.len())
}

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
