//! docs/tables.md, the data dictionary of coverage.duckdb: every published table with
//! its columns, types and meaning, written from the comments the tables of an empty
//! month carry (src/dictionary.rs says where each comes from), so that the document
//! and the database say the same and neither is kept by hand.

use duckdb::Connection;

use crate::config::Pipeline;
use crate::error::{DbContext, Result};

/// One published table as the document lists it.
struct Described {
    name: String,
    made_by: String,
    about: Option<String>,
    /// (column, type, meaning)
    columns: Vec<(String, String, Option<String>)>,
}

/// Every table a run, an appraisal or a roll-up publishes, each with what makes it, as
/// an empty month of `p` makes them.
fn published(p: &Pipeline) -> Result<Vec<Described>> {
    let conn = crate::database::open(None)?;
    let period = "2026-12";
    let stage = crate::stage_tables::load_empty(&conn, p, period)?;
    crate::changes::load_previous(&conn, std::path::Path::new("/nonexistent"), period)?;
    let defined = crate::aggregate::aggregate(&conn)?;
    crate::appraise::make_empty(&conn)?;
    crate::rollup::make_empty(&conn)?;
    let mut tables: Vec<(String, String)> = stage
        .iter()
        .map(|t| (t.to_string(), "src/stage_tables.rs".to_string()))
        .collect();
    let file = |name: &str| crate::aggregate::definition(name).file.to_string();
    tables.extend(defined.iter().map(|t| (t.to_string(), file(t))));
    tables.extend(crate::appraise::YEAR_TABLES.iter().map(|t| {
        let made = if *t == "appraisal_years" {
            "src/appraise.rs".into()
        } else {
            file(t)
        };
        (t.to_string(), made)
    }));
    tables.extend(
        crate::rollup::outputs()
            .into_iter()
            .map(|t| (t.to_string(), file(t))),
    );
    tables
        .into_iter()
        .map(|(name, made_by)| describe(&conn, name, made_by))
        .collect()
}

fn describe(conn: &Connection, name: String, made_by: String) -> Result<Described> {
    let what = "read a table's comments";
    let about: Option<String> = conn
        .query_row(
            "SELECT comment FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ?",
            [&name],
            |r| r.get(0),
        )
        .db(what)?;
    let mut stmt = conn
        .prepare(
            "SELECT column_name, data_type, comment FROM duckdb_columns() \
             WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index",
        )
        .db(what)?;
    let columns = stmt
        .query_map([&name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .db(what)?
        .collect::<std::result::Result<_, _>>()
        .db(what)?;
    Ok(Described {
        name,
        made_by,
        about: about.filter(|a| !a.is_empty()),
        columns,
    })
}

/// A table cell: one line, with `|` escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// docs/tables.md, and every published table or column that has no description (which
/// the test refuses).
pub fn tables_reference(p: &Pipeline) -> Result<(String, Vec<String>)> {
    let mut md = String::from(
        "# The tables of coverage.duckdb\n\n\
         Generated from the comments the tables carry (`coverage::tables_reference`; where each \
         description is declared: src/dictionary.rs); `COVERAGE_BLESS=1 cargo test --release --lib \
         tables_reference` writes it again. In coverage.duckdb the same text is each table's and \
         column's comment (`DESCRIBE`, `duckdb_columns()`, DBeaver). Every table of a run is also \
         Parquet under `parquet/<table>/period=YYYY-MM/`, and has a view `latest_<table>` (its \
         latest period). The id registry `unit_id_registry` and the log `publish_log` are \
         described in the database too.\n",
    );
    let mut missing = Vec::new();
    for t in published(p)? {
        md.push_str(&format!("\n## `{}`\n\nMade by {}. ", t.name, t.made_by));
        match &t.about {
            Some(about) => md.push_str(&format!("{}\n\n", cell(about))),
            None => {
                md.push('\n');
                missing.push(t.name.clone());
            }
        }
        md.push_str("| column | type | meaning |\n|---|---|---|\n");
        for (column, data_type, about) in &t.columns {
            if about.is_none() {
                missing.push(format!("{}.{column}", t.name));
            }
            md.push_str(&format!(
                "| `{column}` | {data_type} | {} |\n",
                cell(about.as_deref().unwrap_or(""))
            ));
        }
    }
    Ok((md, missing))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/tables.md is what the declarations say, and they describe every published
    /// table and column.
    #[test]
    fn tables_reference_is_current_and_complete() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let p = Pipeline::load(&root.join("tests/fixtures/small/pipeline.toml")).unwrap();
        let (now, missing) = tables_reference(&p).unwrap();
        let path = root.join("docs/tables.md");
        if std::env::var_os("COVERAGE_BLESS").is_some_and(|v| v != "0") {
            std::fs::write(&path, &now).unwrap();
        }
        assert!(
            missing.is_empty(),
            "published without a description: {missing:?}"
        );
        let written = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            written == now,
            "docs/tables.md is stale: COVERAGE_BLESS=1 cargo test --release --lib tables_reference"
        );
    }
}
