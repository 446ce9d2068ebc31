//! One way to open DuckDB: no extension is ever downloaded or auto-loaded (the build
//! has parquet compiled in, and runs must work offline); and the one way to attach an
//! output folder's coverage.duckdb, with its errors told apart (another program has it
//! open, the disk is full, it is no database).

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use duckdb::{Config, Connection};

use crate::error::{DbContext, Error, Result};

/// The database file of an output folder, which analysts open.
pub const DATABASE_FILE: &str = "coverage.duckdb";

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

/// DuckDB's memory limit, `bytes`, from now on.
pub fn set_memory_limit(conn: &Connection, bytes: u64) -> Result<()> {
    conn.execute_batch(&format!("SET memory_limit = '{}MiB';", bytes >> 20))
        .db("set DuckDB's memory limit")
}

/// Lowers DuckDB's memory limit from `from` bytes towards `bytes`, halving it while
/// DuckDB can free what it holds above the new limit (4M units: it could not come down
/// to 16 MiB from 128 with resolve's tables loaded, and refuses such a limit with an
/// error). The limit only saves memory, so the lowest one DuckDB takes is kept.
pub fn lower_memory_limit(conn: &Connection, from: u64, bytes: u64) {
    let mut to = from;
    while to / 2 >= bytes && set_memory_limit(conn, to / 2).is_ok() {
        to /= 2;
    }
}

/// Opens a database file, or an in-memory database for `None`.
pub fn open(path: Option<&Path>) -> Result<Connection> {
    let config = || Config::default().enable_autoload_extension(false);
    let Some(p) = path else {
        let config = config().db("configure DuckDB")?;
        return Connection::open_in_memory_with_flags(config).db("open an in-memory database");
    };
    waiting_for_lock(p, || Connection::open_with_flags(p, config()?)).map_err(|e| {
        locked(p, e).unwrap_or_else(|e| Error::Database {
            context: format!("open {}", p.display()),
            source: e,
        })
    })
}

/// `--wait`: how long a command waits for another program to close coverage.duckdb
/// before it gives up (0, the default: not at all).
static LOCK_WAIT_SECONDS: AtomicU64 = AtomicU64::new(0);

pub fn set_lock_wait(seconds: u64) {
    LOCK_WAIT_SECONDS.store(seconds, Ordering::Relaxed);
}

/// DuckDB refuses a file another process holds: any other program while this one would
/// write, a writer while this one would read.
fn is_lock_error(e: &duckdb::Error) -> bool {
    let text = e.to_string().to_lowercase();
    text.contains("could not set lock") || text.contains("conflicting lock")
}

/// Runs `f` until it does not fail for a lock on `db`, for at most `--wait` seconds,
/// saying once that it waits.
fn waiting_for_lock<T>(db: &Path, mut f: impl FnMut() -> duckdb::Result<T>) -> duckdb::Result<T> {
    let wait = Duration::from_secs(LOCK_WAIT_SECONDS.load(Ordering::Relaxed));
    let deadline = Instant::now() + wait;
    let mut told = false;
    loop {
        match f() {
            Err(e) if is_lock_error(&e) && Instant::now() < deadline => {
                if !told {
                    eprintln!(
                        "coverage: {} is open in another program; waiting up to {} s for it to close",
                        db.display(),
                        wait.as_secs()
                    );
                    told = true;
                }
                std::thread::sleep(Duration::from_millis(250));
            }
            r => return r,
        }
    }
}

/// A lock error as an output error (exit 5) that says what to do; any other error back.
fn locked(db: &Path, e: duckdb::Error) -> std::result::Result<Error, duckdb::Error> {
    if is_lock_error(&e) {
        Ok(Error::output(
            db,
            format!(
                "another program has it open (close it there, or give --wait SECONDS to wait for it): {e}"
            ),
        ))
    } else {
        Err(e)
    }
}

/// Attaches the output folder's coverage.duckdb to `conn` as `alias` if there is one
/// yet (false when the folder has published nothing).
pub fn attach_published(
    conn: &Connection,
    out: &Path,
    alias: &str,
    read_only: bool,
) -> Result<bool> {
    let db = out.join(DATABASE_FILE);
    if !db.exists() {
        return Ok(false);
    }
    attach_database(conn, &db, alias, read_only)?;
    Ok(true)
}

/// Attaches an output folder's coverage.duckdb to `conn` as `alias`. It cannot be
/// opened most often because another program (the duckdb CLI, DBeaver, a notebook) has
/// it open for writing, or it is no readable file: both are output errors (exit 5).
pub(crate) fn attach_database(
    conn: &Connection,
    db: &Path,
    alias: &str,
    read_only: bool,
) -> Result<()> {
    let mode = if read_only { " (READ_ONLY)" } else { "" };
    let sql = format!(
        "ATTACH {} AS {alias}{mode};",
        literal(&db.display().to_string())
    );
    waiting_for_lock(db, || conn.execute_batch(&sql)).map_err(|e| {
        locked(db, e)
            .unwrap_or_else(|e| output_or_database(db, &format!("open {}", db.display()), e))
    })
}

/// A DuckDB error while writing outputs: a file-system failure (disk full, read-only,
/// not a file) is an output problem (exit 5); anything else stays a database error.
pub(crate) fn output_or_database(path: &Path, context: &str, e: duckdb::Error) -> Error {
    let text = e.to_string();
    let io = [
        "IO Error",
        "No space left",
        "Read-only file system",
        "Permission denied",
    ]
    .iter()
    .any(|m| text.contains(m));
    if io {
        Error::output(path, text)
    } else {
        Error::Database {
            context: context.to_string(),
            source: e,
        }
    }
}
