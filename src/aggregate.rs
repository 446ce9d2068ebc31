//! Stage 5, aggregate: the metric and list definitions of `sql/`, run by DuckDB over
//! the tables of `tables`. The SQL is compiled into the binary, so the files in `sql/`
//! are the one definition an auditor reads and the one the tool runs.

use duckdb::Connection;

use crate::error::{DbContext, Result};

/// Definitions in the order they run (later ones may read earlier ones).
pub const DEFINITIONS: &[(&str, &str)] = &[
    (
        "coverage_by_district",
        include_str!("../sql/coverage_by_district.sql"),
    ),
    (
        "social_org_target",
        include_str!("../sql/social_org_target.sql"),
    ),
    (
        "unmatched_members",
        include_str!("../sql/unmatched_members.sql"),
    ),
];

pub fn aggregate(conn: &Connection) -> Result<()> {
    for (name, sql) in DEFINITIONS {
        conn.execute_batch(sql).db(&format!("sql/{name}.sql"))?;
    }
    Ok(())
}
