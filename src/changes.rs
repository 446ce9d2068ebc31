//! Month over month: what the previous period present in the output folder said, for
//! `unit_changes` and `district_changes` (sql/). The previous period is read from the
//! published coverage.duckdb before the run's own tables are aggregated; the first
//! period of a folder has none, and both change tables are then empty.

use std::path::Path;

use duckdb::{Connection, OptionalExt};

use crate::error::{DbContext, Result};

/// The long form of coverage figures (a table macro, `figures_long`), defined once.
pub const FIGURES_LONG: &str = include_str!("../sql/figures_long.sql");

/// Creates `previous_period` (the previous period present, or no row),
/// `previous_unit_status` and `previous_coverage_trend` in the run's database.
pub fn load_previous(conn: &Connection, out: &Path, period: &str) -> Result<()> {
    conn.execute_batch(FIGURES_LONG)
        .db("sql/figures_long.sql")?;
    conn.execute_batch(
        "CREATE TABLE previous_period (period VARCHAR);
         CREATE TABLE previous_unit_status (unit_id VARCHAR, name VARCHAR,
             district_code VARCHAR, sector VARCHAR, in_scope BOOLEAN, org_form VARCHAR,
             formal_3plus BOOLEAN, has_instructor BOOLEAN);
         CREATE TABLE previous_coverage_trend (district_code VARCHAR, district_name VARCHAR,
             sector VARCHAR, metric VARCHAR, value DOUBLE);",
    )
    .db("create the previous-period tables")?;
    let db = out.join(crate::publish::DATABASE_FILE);
    if !db.exists() {
        return Ok(());
    }
    conn.execute_batch(&format!(
        "ATTACH '{}' AS prior (READ_ONLY);",
        db.display().to_string().replace('\'', "''")
    ))
    .db("open coverage.duckdb for the previous period")?;
    let result = copy_previous(conn, period);
    conn.execute_batch("DETACH prior;")
        .db("close coverage.duckdb")?;
    result
}

fn copy_previous(conn: &Connection, period: &str) -> Result<()> {
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'prior' \
             AND table_name IN ('unit_status', 'coverage_by_district')",
            [],
            |r| r.get(0),
        )
        .db("look for earlier periods")?;
    if tables < 2 {
        return Ok(());
    }
    let previous: Option<String> = conn
        .query_row(
            "SELECT max(period) FROM prior.coverage_by_district WHERE period < ?",
            [period],
            |r| r.get(0),
        )
        .optional()
        .db("find the previous period")?
        .flatten();
    let Some(previous) = previous else {
        return Ok(());
    };
    conn.execute(
        "INSERT INTO previous_period VALUES (?)",
        [previous.as_str()],
    )
    .db("previous_period")?;
    conn.execute(
        "INSERT INTO previous_unit_status SELECT unit_id, name, district_code, sector, in_scope, \
         org_form, formal_3plus, has_instructor FROM prior.unit_status WHERE period = ?",
        [previous.as_str()],
    )
    .db("previous_unit_status")?;
    conn.execute(
        "CREATE TEMP TABLE prior_coverage AS SELECT * FROM prior.coverage_by_district WHERE period = ?",
        [previous.as_str()],
    )
    .db("previous coverage_by_district")?;
    conn.execute_batch(
        "INSERT INTO previous_coverage_trend \
             SELECT district_code, district_name, sector, metric, value FROM figures_long('prior_coverage');
         DROP TABLE prior_coverage;",
    )
    .db("previous_coverage_trend")
}
