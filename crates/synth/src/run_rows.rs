//! A run's rows by the input row they came from, for `coverage-synth evaluate`: the
//! run's tables keyed as the truth keys its rows, (file name, row).

use std::collections::HashMap;

use crate::truth::base_name;
use coverage::error::{DbContext, Result};

/// An input row: its file's name and its row number.
pub(crate) type Key = (String, u64);

/// (file, row) → what `value` reads from the rest of the row (from column 2), for
/// a query of a run table selecting source_file, source_row first.
pub(crate) fn run_map<T>(
    conn: &duckdb::Connection,
    sql: &str,
    period: &str,
    value: fn(&duckdb::Row) -> duckdb::Result<T>,
) -> Result<HashMap<Key, T>> {
    let mut stmt = conn.prepare(sql).db("read the run")?;
    let rows = stmt
        .query_map([period], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, value(r)?))
        })
        .db("read the run")?;
    let mut out = HashMap::new();
    for row in rows {
        let (file, line, v) = row.db("read the run")?;
        out.insert((base_name(&file), line as u64), v);
    }
    Ok(out)
}
