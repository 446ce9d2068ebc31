//! Stage 6, publish: Parquet partitions, the analysts' DuckDB file and the run manifest.
//!
//! Everything is first written to a staging folder beside the outputs, then moved into
//! place: the DuckDB file by one atomic rename, the Parquet partitions of the period one
//! table at a time. A run that fails before the swap leaves the previous outputs as they
//! were. A rerun of a period replaces exactly that period; other periods stay.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use duckdb::Connection;

use crate::error::{DbContext, Error, Result};

/// Tables published for every period, in the order the manifest lists them.
pub const TABLES: &[&str] = &[
    "coverage_by_district",
    "social_org_target",
    "unit_status",
    "units",
    "unit_sources",
    "party_orgs",
    "org_units",
    "members",
    "unmatched_members",
    "link_issues",
    "rejects",
    "flags",
];

pub const DATABASE_FILE: &str = "coverage.duckdb";

fn sql_path(p: &Path) -> String {
    p.display().to_string().replace('\'', "''")
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::output(path, e)
}

/// The folder where a run of `period` prepares its outputs.
pub fn staging_dir(out: &Path, period: &str) -> PathBuf {
    out.join(format!(".staging-{period}-{}", std::process::id()))
}

/// Writes the period's tables from `conn` to `out`; returns rows per table.
pub fn publish(conn: &Connection, out: &Path, period: &str) -> Result<BTreeMap<String, u64>> {
    std::fs::create_dir_all(out).map_err(io(out))?;
    let staging = staging_dir(out, period);
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    std::fs::create_dir_all(&staging).map_err(io(&staging))?;
    let result = stage_and_swap(conn, out, &staging, period);
    // The staging folder goes whether the run worked or not; outputs are untouched
    // unless the swap was reached.
    let _ = std::fs::remove_dir_all(&staging);
    result
}

fn partition(root: &Path, table: &str, period: &str) -> PathBuf {
    root.join("parquet")
        .join(table)
        .join(format!("period={period}"))
}

fn stage_and_swap(
    conn: &Connection,
    out: &Path,
    staging: &Path,
    period: &str,
) -> Result<BTreeMap<String, u64>> {
    let mut rows = BTreeMap::new();
    for table in TABLES {
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .db(&format!("count {table}"))?;
        rows.insert(table.to_string(), n as u64);
        let dir = partition(staging, table, period);
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        // The period is the partition key (hive style): readers get it from the path.
        conn.execute_batch(&format!(
            "COPY (SELECT * EXCLUDE (period) FROM {table}) TO '{}' (FORMAT parquet, COMPRESSION zstd);",
            sql_path(&dir.join("data.parquet"))
        ))
        .db(&format!("write parquet of {table}"))?;
    }

    let db_final = out.join(DATABASE_FILE);
    let db_staged = staging.join(DATABASE_FILE);
    if db_final.exists() {
        std::fs::copy(&db_final, &db_staged).map_err(io(&db_final))?;
    }
    conn.execute_batch(&format!("ATTACH '{}' AS published;", sql_path(&db_staged)))
        .db("open the staged database")?;
    let merged = merge_period(conn, period);
    conn.execute_batch("DETACH published;")
        .db("close the staged database")?;
    merged?;
    create_latest_views(&db_staged)?;

    // Swap: the database by one rename, then each table's partition.
    std::fs::rename(&db_staged, &db_final).map_err(io(&db_final))?;
    let trash = staging.join("replaced");
    for table in TABLES {
        let new = partition(staging, table, period);
        let old = partition(out, table, period);
        if old.exists() {
            let aside = trash.join(table);
            std::fs::create_dir_all(&trash).map_err(io(&trash))?;
            std::fs::rename(&old, &aside).map_err(io(&old))?;
        }
        if let Some(parent) = old.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::rename(&new, &old).map_err(io(&old))?;
    }
    Ok(rows)
}

/// Replaces the period's rows in every table of the attached database.
fn merge_period(conn: &Connection, period: &str) -> Result<()> {
    let p = period.replace('\'', "''");
    let mut sql = String::from("BEGIN TRANSACTION;\n");
    for table in TABLES {
        sql.push_str(&format!(
            "CREATE TABLE IF NOT EXISTS published.{table} AS SELECT * FROM {table} LIMIT 0;\n\
             DELETE FROM published.{table} WHERE period = '{p}';\n\
             INSERT INTO published.{table} BY NAME SELECT * FROM {table};\n"
        ));
    }
    sql.push_str("COMMIT;\n");
    conn.execute_batch(&sql)
        .db("merge the period into coverage.duckdb")
}

/// `latest_<table>` views: the most recent period of each table.
fn create_latest_views(db: &Path) -> Result<()> {
    let conn = crate::database::open(Some(db))?;
    let mut sql = String::new();
    for table in TABLES {
        sql.push_str(&format!(
            "CREATE OR REPLACE VIEW latest_{table} AS \
             SELECT * FROM {table} WHERE period = (SELECT max(period) FROM {table});\n"
        ));
    }
    sql.push_str("CHECKPOINT;\n");
    conn.execute_batch(&sql).db("create latest_ views")
}
