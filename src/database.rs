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

/// A SQL string literal of `text` (quotes doubled), for names and paths put into
/// statements.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Spill folder of DuckDB beyond `memory_limit` bytes: `.spill-<pid>` in `folder` (the
/// output folder, not /tmp, which may be memory; `publish::recover` removes one a dead
/// process left), removed when the returned guard goes.
pub fn spill_into(
    conn: &Connection,
    folder: &Path,
    memory_limit: u64,
) -> Result<crate::process::RemoveOnDrop> {
    let spill = folder.join(format!(".spill-{}", std::process::id()));
    conn.execute_batch(&format!(
        "SET memory_limit = '{}MiB'; SET temp_directory = {};",
        memory_limit >> 20,
        literal(&spill.display().to_string())
    ))
    .db("set DuckDB's memory limit and spill folder")?;
    Ok(crate::process::RemoveOnDrop(spill))
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
