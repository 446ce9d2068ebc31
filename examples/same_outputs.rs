//! Whether two output folders hold the same figures (bench/same_outputs.sh uses it):
//!
//!     cargo run --release --example same_outputs -- OUT_A OUT_B
//!
//! Every table both coverage.duckdb files have is compared row for row (EXCEPT ALL both
//! ways; `publish_log`, which records each run's token and time, is left out), every
//! CSV report byte for byte, and every workbook sheet by sheet and cell by cell (names,
//! values and their types as calamine reads them: two writers of the same cells pass).
//! Prints one line a difference and a summary; exits 1 on any.

use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [a, b] = args.as_slice() else {
        eprintln!("usage: same_outputs OUT_A OUT_B");
        std::process::exit(2);
    };
    let conn = duckdb::Connection::open_in_memory().expect("DuckDB");
    let attach = |dir: &str, alias: &str| {
        let db = Path::new(dir).join("coverage.duckdb");
        let sql = format!("ATTACH '{}' AS {alias} (READ_ONLY);", db.display());
        conn.execute_batch(&sql).expect("attach coverage.duckdb");
    };
    attach(a, "a");
    attach(b, "b");
    let tables: Vec<String> = conn
        .prepare(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'a' \
             AND table_name <> 'publish_log' AND table_name IN \
             (SELECT table_name FROM duckdb_tables() WHERE database_name = 'b') ORDER BY 1",
        )
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("list tables");
    let mut differing = 0;
    for t in &tables {
        let n: i64 = conn
            .query_row(
                &format!(
                    "SELECT (SELECT count(*) FROM (FROM a.{t} EXCEPT ALL FROM b.{t})) \
                          + (SELECT count(*) FROM (FROM b.{t} EXCEPT ALL FROM a.{t}))"
                ),
                [],
                |r| r.get(0),
            )
            .expect("compare a table");
        if n > 0 {
            println!("table {t}: {n} rows in one and not the other");
            differing += 1;
        }
    }
    let mut csv_files = 0;
    let mut csv_differing = 0;
    for entry in coverage::glob::files_under(&Path::new(a).join("reports")) {
        if entry.extension().is_some_and(|e| e == "csv") {
            csv_files += 1;
            let other = Path::new(b).join(entry.strip_prefix(a).expect("under A"));
            if std::fs::read(&entry).ok() != std::fs::read(&other).ok() {
                println!("report {} differs", other.display());
                csv_differing += 1;
            }
        }
    }
    let (mut books, mut books_differing) = (0, 0);
    for entry in coverage::glob::files_under(&Path::new(a).join("reports")) {
        if entry.extension().is_some_and(|e| e == "xlsx") {
            books += 1;
            let other = Path::new(b).join(entry.strip_prefix(a).expect("under A"));
            if cells(&entry) != cells(&other) {
                println!("workbook {} differs", other.display());
                books_differing += 1;
            }
        }
    }
    println!(
        "tables compared {}, differing {differing}; CSV reports compared {csv_files}, differing {csv_differing}; workbooks compared {books}, differing {books_differing}",
        tables.len()
    );
    if differing + csv_differing + books_differing > 0 {
        std::process::exit(1);
    }
}

/// Every sheet of a workbook: its name and each cell with its type; None where the file
/// does not open.
fn cells(path: &Path) -> Option<Vec<(String, Vec<String>)>> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).ok()?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).ok()?;
        let rows = range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| format!("{c:?}"))
                    .collect::<Vec<_>>()
                    .join("\t")
            })
            .collect();
        sheets.push((name, rows));
    }
    Some(sheets)
}
