//! The comments coverage.duckdb carries (src/dictionary.rs says where each is declared):
//! copied from the run's tables into the published ones with every merge, and the
//! publish log's own.

use duckdb::Connection;

use crate::error::{DbContext, Result};

/// What the publish log (`table`) says.
pub(super) fn publish_log(table: &str) -> String {
    let own = |text: &str| Some(text.to_string());
    crate::dictionary::comment_sql(
        "TABLE",
        &format!("published.{table}"),
        "one row per publication into this folder (a run, an appraisal or a roll-up): what the publisher committed, and when",
        [
            ("token", own("the publication's token (its journal's and staging folder's name)")),
            ("period", own("the period published (YYYY-MM), or the appraisal's year")),
            ("published_at", own("when it was committed (UTC)")),
        ]
        .into_iter(),
    )
}

/// `COMMENT ON` statements giving `to` (a table or view: `kind`) the comments of table
/// `table` of `catalog` — its own, or what `about` makes of it — and of its columns.
pub(super) fn copied(
    conn: &Connection,
    catalog: &str,
    table: &str,
    kind: &str,
    to: &str,
    about: Option<&dyn Fn(&str) -> String>,
) -> Result<String> {
    let what = "read a table's comments";
    let comment: Option<String> = conn
        .query_row(
            "SELECT comment FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' \
             AND table_name = ?",
            [catalog, table],
            |r| r.get(0),
        )
        .db(what)?;
    let comment = comment.unwrap_or_default();
    let comment = about.map_or(comment.clone(), |f| f(&comment));
    let mut stmt = conn
        .prepare(
            "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = ? \
             AND schema_name = 'main' AND table_name = ? AND comment IS NOT NULL ORDER BY column_index",
        )
        .db(what)?;
    let columns: Vec<(String, String)> = stmt
        .query_map([catalog, table], |r| Ok((r.get(0)?, r.get(1)?)))
        .db(what)?
        .collect::<std::result::Result<_, _>>()
        .db(what)?;
    Ok(crate::dictionary::comment_sql(
        kind,
        to,
        &comment,
        columns.iter().map(|(c, t)| (c.as_str(), Some(t.clone()))),
    ))
}
