//! Runs a SQL script on the DuckDB coverage is built with (bench/peer uses it, as an
//! analyst would use the DuckDB command line):
//!
//!     cargo run --release --example run_sql -- SCRIPT.sql [NAME=VALUE …]
//!
//! `${NAME}` in the script is replaced by VALUE first. The database is in memory; the
//! script writes what it wants kept (COPY … TO).

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(script) = args.next() else {
        eprintln!("usage: run_sql SCRIPT.sql [NAME=VALUE …]");
        std::process::exit(2);
    };
    let mut sql = std::fs::read_to_string(&script).unwrap_or_else(|e| {
        eprintln!("run_sql: {script}: {e}");
        std::process::exit(2);
    });
    for arg in args {
        let Some((name, value)) = arg.split_once('=') else {
            eprintln!("run_sql: `{arg}` is not NAME=VALUE");
            std::process::exit(2);
        };
        sql = sql.replace(&format!("${{{name}}}"), value);
    }
    let conn = duckdb::Connection::open_in_memory().expect("an in-memory DuckDB");
    if let Err(e) = conn.execute_batch(&sql) {
        eprintln!("run_sql: {script}: {e}");
        std::process::exit(1);
    }
}
