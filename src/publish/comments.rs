//! The comments coverage.duckdb carries (src/dictionary.rs says where each is declared):
//! copied from the run's tables into the published ones with every merge, and the
//! publish log's own.

use std::collections::HashMap;

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

/// The comments of every table of a catalog and of their columns, read once.
pub(super) struct Comments {
    tables: HashMap<String, String>,
    columns: HashMap<String, Vec<(String, String)>>,
}

impl Comments {
    pub(super) fn read(conn: &Connection, catalog: &str) -> Result<Comments> {
        let what = "read the tables' comments";
        let mut stmt = conn
            .prepare(
                "SELECT table_name, comment FROM duckdb_tables() WHERE database_name = ? \
                 AND schema_name = 'main' AND comment IS NOT NULL",
            )
            .db(what)?;
        let tables = stmt
            .query_map([catalog], |r| Ok((r.get(0)?, r.get(1)?)))
            .db(what)?
            .collect::<std::result::Result<_, _>>()
            .db(what)?;
        let mut stmt = conn
            .prepare(
                "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE database_name = ? \
                 AND schema_name = 'main' AND comment IS NOT NULL ORDER BY table_name, column_index",
            )
            .db(what)?;
        let mut columns: HashMap<String, Vec<(String, String)>> = HashMap::new();
        let rows = stmt
            .query_map([catalog], |r| {
                Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?))
            })
            .db(what)?;
        for row in rows {
            let (table, column, comment) = row.db(what)?;
            columns.entry(table).or_default().push((column, comment));
        }
        Ok(Comments { tables, columns })
    }

    /// `COMMENT ON` statements giving `to` (a table or view: `kind`) the comments of
    /// `table` — its own, or what `about` makes of it — and of its columns.
    pub(super) fn copied(
        &self,
        table: &str,
        kind: &str,
        to: &str,
        about: Option<&dyn Fn(&str) -> String>,
    ) -> String {
        let comment = self.tables.get(table).cloned().unwrap_or_default();
        let comment = about.map_or(comment.clone(), |f| f(&comment));
        let columns = self
            .columns
            .get(table)
            .map(Vec::as_slice)
            .unwrap_or_default();
        crate::dictionary::comment_sql(
            kind,
            to,
            &comment,
            columns.iter().map(|(c, t)| (c.as_str(), Some(t.clone()))),
        )
    }
}
