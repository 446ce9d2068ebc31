//! Stage 5, aggregate: the metric and list definitions of `sql/`, run by DuckDB over
//! the tables of `tables`. Every file of sql/ is compiled into the binary (build.rs), so
//! the files are the one definition an auditor reads and the one the tool runs, and they
//! are the registry: each says in its header what it reads and what it makes
//!
//! ```text
//! -- depends: unit_status, settings     (tables and definitions it reads; - for none)
//! -- columns:                           (what its output's columns mean, where
//! --   name   text, continued           src/dictionary.rs does not say it for
//! --          on deeper lines           every table: the data dictionary)
//! -- output: table                      (table: made every month and published;
//!                                        view, macro: made every month, not published as
//!                                        Parquet; appraisal: run by `coverage appraise`;
//!                                        rollup, rollup_view: a table `coverage rollup`
//!                                        publishes, a step of it — sql/rollup/)
//! ```
//!
//! The run order follows from the depends lines; adding a metric is adding a file.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use duckdb::Connection;

use crate::error::{DbContext, Result};

mod files {
    include!(concat!(env!("OUT_DIR"), "/sql_files.rs"));
}

/// What a definition makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// A table of the period, published as Parquet and into coverage.duckdb.
    Table,
    /// A view, made in the run's database and in coverage.duckdb.
    View,
    /// A table macro other definitions call.
    Macro,
    /// Run by `coverage appraise`, not by the monthly run.
    Appraisal,
    /// A table `coverage rollup` publishes (sql/rollup/).
    Rollup,
    /// A step of `coverage rollup` (sql/rollup/), made as a view and not published.
    RollupView,
}

impl Output {
    fn parse(s: &str) -> Option<Output> {
        Some(match s {
            "table" => Output::Table,
            "view" => Output::View,
            "macro" => Output::Macro,
            "appraisal" => Output::Appraisal,
            "rollup" => Output::Rollup,
            "rollup_view" => Output::RollupView,
            _ => return None,
        })
    }

    /// Made by the monthly run.
    pub fn is_monthly(self) -> bool {
        matches!(self, Output::Table | Output::View | Output::Macro)
    }

    /// Made by `coverage rollup`.
    pub fn is_rollup(self) -> bool {
        matches!(self, Output::Rollup | Output::RollupView)
    }
}

/// One file of sql/ (or sql/rollup/).
#[derive(Debug)]
pub struct Definition {
    pub name: &'static str,
    /// Its path in the repository (sql/NAME.sql, sql/rollup/NAME.sql).
    pub file: &'static str,
    pub sql: &'static str,
    /// Tables and definitions it reads (its `-- depends:` line).
    pub depends: Vec<&'static str>,
    pub output: Output,
    /// What it makes (its header's first sentences): the table's or view's comment.
    pub about: String,
    /// Its `-- columns:` block: (column, what it means).
    pub columns: Vec<(String, String)>,
}

impl Definition {
    fn parse(name: &'static str, file: &'static str, sql: &'static str) -> Definition {
        // Written once for the life of the process (the registry is a static).
        let sql: &'static str = if crate::figures::names_figures(sql) {
            Box::leak(crate::figures::expand(sql).into_boxed_str())
        } else {
            sql
        };
        let header = |key: &str| {
            sql.lines()
                .take_while(|l| l.starts_with("--"))
                .find_map(|l| l.strip_prefix(&format!("-- {key}:")))
                .map(str::trim)
                .unwrap_or_else(|| panic!("sql/{name}.sql has no `-- {key}:` line"))
        };
        let depends = header("depends")
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty() && *d != "-")
            .collect();
        let output = Output::parse(header("output"))
            .unwrap_or_else(|| panic!("sql/{name}.sql: unknown output kind"));
        let header: Vec<&str> = sql.lines().take_while(|l| l.starts_with("--")).collect();
        Definition {
            name,
            file,
            sql,
            depends,
            output,
            about: about(name, &header),
            columns: columns(&header),
        }
    }

    /// Whether it compares the period with an earlier one (reads a `previous_` or a
    /// `baseline_` table).
    pub fn compares_with_previous(&self) -> bool {
        self.depends
            .iter()
            .any(|d| d.starts_with("previous_") || d.starts_with("baseline_"))
    }
}

/// Every definition of sql/, in run order: a definition after everything it depends
/// on, otherwise by name.
pub fn definitions() -> &'static [Definition] {
    static DEFINITIONS: OnceLock<Vec<Definition>> = OnceLock::new();
    DEFINITIONS.get_or_init(|| {
        let mut pending: Vec<Definition> = files::SQL_FILES
            .iter()
            .map(|(name, file, sql)| Definition::parse(name, file, sql))
            .collect();
        let defined: BTreeSet<&str> = pending.iter().map(|d| d.name).collect();
        let mut ordered: Vec<Definition> = Vec::new();
        while !pending.is_empty() {
            let done: BTreeSet<&str> = ordered.iter().map(|d| d.name).collect();
            let ready = pending
                .iter()
                .position(|d| {
                    d.depends
                        .iter()
                        .all(|x| !defined.contains(x) || done.contains(x))
                })
                .unwrap_or_else(|| panic!("sql/: a cycle of depends among {pending:?}"));
            ordered.push(pending.remove(ready));
        }
        ordered
    })
}

/// A definition by name.
pub fn definition(name: &str) -> &'static Definition {
    definitions()
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no sql/{name}.sql"))
}

/// The header's opening text, up to its first blank, indented or keyed line, without
/// the leading `name:` or `name (中文):`.
fn about(name: &str, header: &[&str]) -> String {
    let text: Vec<&str> = header
        .iter()
        .map(|l| l.trim_start_matches('-'))
        .take_while(|l| {
            let key = l
                .trim()
                .split_once(':')
                .is_some_and(|(k, _)| ["depends", "output", "columns"].contains(&k));
            !l.trim().is_empty() && !l.starts_with("   ") && !key
        })
        .map(str::trim)
        .collect();
    let text = text.join(" ");
    match text.split_once(": ") {
        Some((head, rest)) if head.starts_with(name) => rest.to_string(),
        _ => text,
    }
}

/// The `-- columns:` block: entries `--   name[, name…]   text`, continued on lines
/// indented further (a list of names ending in a comma goes on on the next line).
fn columns(header: &[&str]) -> Vec<(String, String)> {
    let mut out: Vec<(Vec<String>, String)> = Vec::new();
    let block = header
        .iter()
        .skip_while(|l| l.trim() != "-- columns:")
        .skip(1)
        .map(|l| l.trim_start_matches("--"));
    let mut names: Vec<String> = Vec::new();
    for line in block {
        let indent = line.len() - line.trim_start().len();
        let entry = line.trim();
        let starts_names = indent == 3 && entry.starts_with(|c: char| c.is_ascii_lowercase());
        if starts_names || !names.is_empty() {
            let (list, text) = match entry.split_once("  ") {
                Some((list, text)) => (list, Some(text)),
                None if entry.ends_with(',') => (entry, None),
                None => panic!("a columns entry without a description: {entry}"),
            };
            names.extend(
                list.split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(String::from),
            );
            if let Some(text) = text {
                out.push((std::mem::take(&mut names), text.trim().to_string()));
            }
        } else if indent > 3 && !out.is_empty() {
            let last = &mut out.last_mut().expect("an entry").1;
            last.push(' ');
            last.push_str(entry);
        } else {
            break;
        }
    }
    out.into_iter()
        .flat_map(|(names, text)| names.into_iter().map(move |n| (n, text.clone())))
        .collect()
}

/// Comments each `(table, definition)` — a table or view of `conn`'s own database — and
/// its columns from the definition's header, the dictionary filling in the columns it
/// does not describe. The columns of the whole database are read once.
pub fn comment_all<'d>(
    conn: &Connection,
    made: impl IntoIterator<Item = (&'d str, &'d Definition)>,
) -> Result<()> {
    let what = "read the definitions' columns";
    let mut stmt = conn
        .prepare(
            "SELECT c.table_name, c.column_name, v.view_name IS NOT NULL FROM duckdb_columns() c \
             LEFT JOIN (SELECT view_name FROM duckdb_views() \
                 WHERE database_name = current_database() AND NOT internal) v ON v.view_name = c.table_name \
             WHERE c.database_name = current_database() AND c.schema_name = 'main' \
             ORDER BY c.table_name, c.column_index",
        )
        .db(what)?;
    let mut columns: std::collections::HashMap<String, Vec<(String, bool)>> = Default::default();
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))
        .db(what)?;
    for row in rows {
        let (table, column, view) = row.db(what)?;
        columns.entry(table).or_default().push((column, view));
    }
    let mut sql = String::new();
    for (table, d) in made {
        let found = columns.get(table).map(Vec::as_slice).unwrap_or_default();
        let kind = if found.first().is_some_and(|c| c.1) {
            "VIEW"
        } else {
            "TABLE"
        };
        let own = |c: &str| {
            d.columns
                .iter()
                .find(|(n, _)| n == c)
                .map(|(_, t)| t.clone())
        };
        sql.push_str(&crate::dictionary::comment_sql(
            kind,
            table,
            &d.about,
            found.iter().map(|(c, _)| (c.as_str(), own(c))),
        ));
    }
    conn.execute_batch(&sql)
        .db("describe the definitions' tables")
}

/// Runs the monthly definitions in order; returns the tables they made to publish.
pub fn aggregate(conn: &Connection) -> Result<Vec<&'static str>> {
    aggregate_timed(conn).map(|(published, _)| published)
}

/// Each definition's name with its wall time, in run order.
pub type DefinitionSeconds = Vec<(String, f64)>;

/// `aggregate`, with the wall time of each definition (the run's manifest keeps them:
/// where the SQL stage's time goes).
pub fn aggregate_timed(conn: &Connection) -> Result<(Vec<&'static str>, DefinitionSeconds)> {
    let mut published = Vec::new();
    let mut seconds = Vec::new();
    let monthly = || definitions().iter().filter(|d| d.output.is_monthly());
    for d in monthly() {
        let started = std::time::Instant::now();
        conn.execute_batch(d.sql).db(d.file)?;
        seconds.push((d.name.to_string(), started.elapsed().as_secs_f64()));
        if d.output == Output::Table {
            published.push(d.name);
        }
    }
    comment_all(
        conn,
        monthly()
            .filter(|d| d.output != Output::Macro)
            .map(|d| (d.name, d)),
    )?;
    Ok((published, seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> &'static std::path::Path {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    /// Every file of sql/ and sql/rollup/ is a definition (build.rs compiles them all
    /// in) with the text of the file; a file without a valid header fails here.
    #[test]
    fn every_sql_file_is_a_definition() {
        let mut files: Vec<String> = ["sql", "sql/rollup"]
            .iter()
            .flat_map(|folder| std::fs::read_dir(repo().join(folder)).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .map(|p| {
                p.strip_prefix(repo())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        files.sort();
        let mut names: Vec<&str> = definitions().iter().map(|d| d.file).collect();
        names.sort();
        assert_eq!(files, names);
        for d in definitions() {
            let text = std::fs::read_to_string(repo().join(d.file)).unwrap();
            // With its figure lines written out (src/figures.rs), where it has some.
            let text = if crate::figures::names_figures(&text) {
                crate::figures::expand(&text)
            } else {
                text
            };
            assert_eq!(text, d.sql, "{}", d.name);
            assert_eq!(
                d.output.is_rollup(),
                d.file.starts_with("sql/rollup/"),
                "{}",
                d.file
            );
        }
    }

    /// The tables a definition reads after FROM or JOIN, the macros it calls (and the
    /// table figures_long is given), comments left out.
    fn tables_read(sql: &str) -> BTreeSet<String> {
        let code: String = sql
            .lines()
            .map(|l| l.split("--").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(" ");
        // Words, with commas kept as words of their own: `FROM a x, b y` reads a and b.
        let words: Vec<String> = code
            .replace(',', " , ")
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ','))
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        let mut read = BTreeSet::new();
        for (i, w) in words.iter().enumerate() {
            if w != "from" && w != "join" {
                continue;
            }
            let mut j = i + 1;
            while let Some(table) = words.get(j) {
                read.insert(table.clone());
                // `table [AS] [alias] ,` continues the list.
                let next_comma = words[j + 1..].iter().take(3).position(|x| x == ",");
                match next_comma {
                    Some(k)
                        if words[j + 1..j + 1 + k]
                            .iter()
                            .all(|x| x != "where" && x != "on") =>
                    {
                        j += k + 2
                    }
                    _ => break,
                }
            }
        }
        // A macro called as a function (coverage_rate(…)) is read too.
        for d in definitions().iter().filter(|d| d.output == Output::Macro) {
            let call = format!("{}(", d.name);
            let called = code.match_indices(&call).any(|(i, _)| {
                !code[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            if called {
                read.insert(d.name.to_string());
            }
        }
        // figures_long('t') also reads the table it is given.
        for call in code.split("figures_long(").skip(1) {
            if let Some(arg) = call.strip_prefix('\'').and_then(|a| a.split('\'').next()) {
                read.insert(arg.to_string());
            }
        }
        read
    }

    /// Every table the run's database can hold before the definitions run: the stage
    /// tables (load_all on an empty month), the previous-period tables, and the
    /// appraisal's inputs.
    fn stage_tables() -> BTreeSet<String> {
        let conn = crate::database::open(None).unwrap();
        let small = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/small/pipeline.toml");
        let p = crate::config::Pipeline::load(&small).unwrap();
        crate::stage_tables::load_empty(&conn, &p, "2026-11").unwrap();
        crate::changes::load_previous(&conn, std::path::Path::new("/nonexistent"), "2026-11")
            .unwrap();
        let mut tables: BTreeSet<String> = conn
            .prepare("SELECT table_name FROM duckdb_tables()")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        tables.extend(crate::appraise::INPUT_TABLES.iter().map(|t| t.to_string()));
        tables.extend(crate::rollup::INPUT_TABLES.iter().map(|t| t.to_string()));
        tables
    }

    #[test]
    fn a_header_says_what_the_table_is_and_what_its_columns_mean() {
        let header = [
            "-- bulletin (定期通报): per district, every target",
            "-- beside its change.",
            "-- columns:",
            "--   rank, districts_ranked  rank among the districts, highest",
            "--                           first",
            "--   gap  target − value",
            "-- Scope: every district.",
            "-- depends: settings",
        ];
        assert_eq!(
            about("bulletin", &header),
            "per district, every target beside its change."
        );
        let want = |c: &str, t: &str| (c.to_string(), t.to_string());
        assert_eq!(
            columns(&header),
            vec![
                want("rank", "rank among the districts, highest first"),
                want(
                    "districts_ranked",
                    "rank among the districts, highest first"
                ),
                want("gap", "target − value"),
            ]
        );
    }

    /// Every close reason is one branch of list_items and one column of
    /// list_items_by_district, and every unit list stacked in compliance_lists says in
    /// list_met_by how it is met: a word added to one is not missing from the others.
    #[test]
    fn the_ledger_names_every_close_reason_and_every_list() {
        use crate::vocabulary::CloseReason;
        let items = definition("list_items").sql;
        let by_district = definition("list_items_by_district").sql;
        for r in CloseReason::ALL {
            assert!(items.contains(&format!("'{r}'")), "list_items lacks {r}");
            assert!(
                by_district.contains(&format!("close_reason = '{r}') AS closed_{r}")),
                "list_items_by_district lacks closed_{r}"
            );
        }
        let met_by = definition("list_met_by").sql;
        for d in &definition("compliance_lists").depends {
            let list = d.strip_prefix("list_").unwrap();
            assert!(
                met_by.contains(&format!("'{list}'")),
                "list_met_by lacks {list}"
            );
        }
    }

    /// A definition's `-- depends:` line names exactly the tables and definitions it
    /// reads, each of which exists: the run order can be trusted.
    #[test]
    fn depends_lines_name_what_each_definition_reads() {
        let mut known = stage_tables();
        known.extend(definitions().iter().map(|d| d.name.to_string()));
        for d in definitions() {
            let declared: BTreeSet<String> = d.depends.iter().map(|x| x.to_string()).collect();
            let unknown: Vec<&String> = declared.difference(&known).collect();
            assert!(
                unknown.is_empty(),
                "sql/{}.sql depends on unknown {unknown:?}",
                d.name
            );
            let read: BTreeSet<String> = tables_read(d.sql)
                .into_iter()
                .filter(|t| known.contains(t) && t != d.name)
                .collect();
            assert_eq!(
                declared, read,
                "sql/{}.sql: depends line vs tables read",
                d.name
            );
        }
        // And the order runs a definition after those it depends on.
        let position = |n: &str| definitions().iter().position(|d| d.name == n);
        for (i, d) in definitions().iter().enumerate() {
            for x in &d.depends {
                assert!(position(x).is_none_or(|j| j < i), "{} before {x}", d.name);
            }
        }
    }
}
