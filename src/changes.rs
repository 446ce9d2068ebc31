//! Month over month: what the previous period present in the output folder said, for
//! `unit_changes` and `district_changes` (sql/). The previous period is read from the
//! published coverage.duckdb before the run's own tables are aggregated; the first
//! period of a folder has none, and both change tables are then empty. After a rerun
//! of an earlier period, the periods after it are compared again ([`recompute_following`]).
//! The 销号 ledger (`list_items`) is carried the same way: each period starts from the
//! previous one's items (`previous_list_items`).

use std::path::Path;

use duckdb::{Connection, OptionalExt};

use crate::aggregate::{definition, definitions, Definition, Output};
use crate::error::{DbContext, Result};

/// What comparing a month with the one before it takes, in run order: the definitions
/// that read a `previous_` table and those that read them in turn (made again), the
/// views and macros they read (made again), and the tables they read (copied from the
/// database, as they are).
fn change_definitions() -> Vec<&'static Definition> {
    let mut needed: Vec<&str> = definitions()
        .iter()
        .filter(|d| recomputed(d))
        .map(|d| d.name)
        .collect();
    let mut i = 0;
    while i < needed.len() {
        let d = definition(needed[i]);
        if recomputed(d) || d.output != Output::Table {
            for x in &d.depends {
                if definitions().iter().any(|e| e.name == *x) && !needed.contains(x) {
                    needed.push(x);
                }
            }
        }
        i += 1;
    }
    definitions()
        .iter()
        .filter(|d| needed.contains(&d.name))
        .collect()
}

/// Whether a definition is made again when a period is compared again: it reads a
/// `previous_` table, or reads one that does (the definitions are in run order, so
/// looking back through the depends lines is enough).
fn recomputed(d: &Definition) -> bool {
    d.compares_with_previous()
        || d.depends.iter().any(|x| {
            definitions()
                .iter()
                .find(|e| e.name == *x)
                .is_some_and(recomputed)
        })
}

/// The stage tables the definitions of `made` read (not a definition, not a
/// `previous_` or `baseline_` table): copied from the database with the definitions'
/// tables.
fn stage_tables_read(made: &[&Definition]) -> Vec<&'static str> {
    let mut tables: Vec<&'static str> = Vec::new();
    for d in made {
        for x in &d.depends {
            let is_definition = definitions().iter().any(|e| e.name == *x);
            let carried = x.starts_with("previous_") || x.starts_with("baseline_");
            if !is_definition && !carried && !tables.contains(x) {
                tables.push(x);
            }
        }
    }
    tables
}

/// Creates `previous_period` (the previous period present, or no row),
/// `previous_unit_status`, `previous_coverage_trend`, `previous_list_items`,
/// `previous_target_figures`, and the campaign's `baseline_period` with its
/// `baseline_target_figures`, in the run's database.
pub fn load_previous(conn: &Connection, out: &Path, period: &str) -> Result<()> {
    create_previous_tables(conn)?;
    if !crate::database::attach_published(conn, out, "prior", true)? {
        return copy_baseline(conn, None, period);
    }
    let result = copy_previous(conn, "prior", period)
        .and_then(|()| copy_baseline(conn, Some("prior"), period));
    conn.execute_batch("DETACH prior;")
        .db("close coverage.duckdb")?;
    result
}

/// The (empty) previous-period tables and the `figures_long` macro.
fn create_previous_tables(conn: &Connection) -> Result<()> {
    conn.execute_batch(definition("figures_long").sql)
        .db("sql/figures_long.sql")?;
    conn.execute_batch(
        "CREATE TABLE previous_period (period VARCHAR);
         CREATE TABLE previous_unit_status (unit_id VARCHAR, name VARCHAR, name_key VARCHAR,
             name_keys VARCHAR,
             district_code VARCHAR, sector VARCHAR, in_scope BOOLEAN, org_form VARCHAR,
             formal_3plus BOOLEAN, has_instructor BOOLEAN, employees BIGINT);

         CREATE TABLE previous_coverage_trend (district_code VARCHAR, district_name VARCHAR,
             sector VARCHAR, metric VARCHAR, value DOUBLE);
         CREATE TABLE previous_target_figures (district_code VARCHAR, target VARCHAR,
             value DOUBLE);
         CREATE TABLE baseline_period (period VARCHAR);
         CREATE TABLE baseline_target_figures (district_code VARCHAR, target VARCHAR,
             value DOUBLE);",
    )
    .db("create the previous-period tables")?;
    let columns: Vec<String> = LIST_ITEM_COLUMNS
        .iter()
        .map(|c| format!("{c} VARCHAR"))
        .collect();
    conn.execute_batch(&format!(
        "CREATE TABLE previous_list_items ({});",
        columns.join(", ")
    ))
    .db("create previous_list_items")
}

/// The columns of list_items that the next period carries on (all text).
const LIST_ITEM_COLUMNS: &[&str] = &[
    "period",
    "list",
    "list_name",
    "unit_id",
    "name",
    "uscc",
    "sector",
    "district_code",
    "district_name",
    "opened_period",
    "closed_period",
    "close_reason",
    "met_by",
];

/// The period of `catalog` next to `period`: the latest before it (`before`), or the
/// first after it; None where there is none or the catalog holds no periods yet.
fn neighbour(
    conn: &Connection,
    catalog: &str,
    period: &str,
    before: bool,
) -> Result<Option<String>> {
    if !crate::database::has_tables(conn, catalog, &["unit_status", "coverage_by_district"])? {
        return Ok(None);
    }
    let sql = if before {
        format!("SELECT max(period) FROM {catalog}.coverage_by_district WHERE period < ?")
    } else {
        format!("SELECT min(period) FROM {catalog}.coverage_by_district WHERE period > ?")
    };
    Ok(conn
        .query_row(&sql, [period], |r| r.get(0))
        .optional()
        .db("find the neighbouring period")?
        .flatten())
}

fn copy_previous(conn: &Connection, catalog: &str, period: &str) -> Result<()> {
    let Some(previous) = neighbour(conn, catalog, period, true)? else {
        return Ok(());
    };
    conn.execute(
        "INSERT INTO previous_period VALUES (?)",
        [previous.as_str()],
    )
    .db("previous_period")?;
    conn.execute(
        &format!(
            "INSERT INTO previous_unit_status SELECT unit_id, name, name_key, name_keys, district_code, \
             sector, in_scope, org_form, formal_3plus, has_instructor, employees FROM {catalog}.unit_status \
             WHERE period = ?"
        ),
        [previous.as_str()],
    )
    .db("previous_unit_status")?;
    conn.execute(
        &format!(
            "CREATE TEMP TABLE prior_coverage AS SELECT * FROM {catalog}.coverage_by_district \
             WHERE period = ?"
        ),
        [previous.as_str()],
    )
    .db("previous coverage_by_district")?;
    conn.execute_batch(
        "INSERT INTO previous_coverage_trend \
             SELECT district_code, district_name, sector, metric, value FROM figures_long('prior_coverage');
         DROP TABLE prior_coverage;",
    )
    .db("previous_coverage_trend")?;
    // A folder written before the bulletin or the 销号 ledger existed has neither: the
    // bulletin's changes are NULL, and the items open afresh.
    copy_rows(
        conn,
        catalog,
        "target_figures",
        "previous_target_figures",
        "district_code, target, value",
        &previous,
    )?;
    copy_rows(
        conn,
        catalog,
        "list_items",
        "previous_list_items",
        &LIST_ITEM_COLUMNS.join(", "),
        &previous,
    )
}

/// Copies `columns` of `catalog.table`'s rows of `period` into `into`, where the
/// catalog has the table.
fn copy_rows(
    conn: &Connection,
    catalog: &str,
    table: &str,
    into: &str,
    columns: &str,
    period: &str,
) -> Result<()> {
    if !crate::database::has_tables(conn, catalog, &[table])? {
        return Ok(());
    }
    conn.execute(
        &format!("INSERT INTO {into} SELECT {columns} FROM {catalog}.{table} WHERE period = ?"),
        [period],
    )
    .db(into)?;
    Ok(())
}

/// The campaign's baseline for `period` (`baseline_period`, one row): the pipeline
/// file's `[campaign] baseline_period` (the run's `settings`), else the first period
/// the output folder holds up to `period`, else `period` itself; and the baseline's
/// target figures where it is an earlier period the folder holds.
fn copy_baseline(conn: &Connection, catalog: Option<&str>, period: &str) -> Result<()> {
    let configured: Option<String> = conn
        .query_row("SELECT baseline_period FROM settings", [], |r| r.get(0))
        .db("the campaign's baseline period")?;
    let first = match (&configured, catalog) {
        (None, Some(c)) if crate::database::has_tables(conn, c, &["coverage_by_district"])? => conn
            .query_row(
                &format!("SELECT min(period) FROM {c}.coverage_by_district WHERE period < ?"),
                [period],
                |r| r.get::<_, Option<String>>(0),
            )
            .db("the folder's first period")?,
        _ => None,
    };
    let baseline = configured.or(first).unwrap_or_else(|| period.to_string());
    conn.execute(
        "INSERT INTO baseline_period VALUES (?)",
        [baseline.as_str()],
    )
    .db("baseline_period")?;
    match catalog {
        Some(c) if baseline.as_str() < period => copy_rows(
            conn,
            c,
            "target_figures",
            "baseline_target_figures",
            "district_code, target, value",
            &baseline,
        ),
        _ => Ok(()),
    }
}

/// After a rerun of `period`, the periods after it (if the folder has any) compare
/// themselves with a changed month, and the 销号 ledger carries each month into the
/// next: in order, each following period's change tables (the definitions that read a
/// `previous_` table, and those reading them) are computed again from the database
/// (the same sql/ definitions) and replaced, in the database and in their Parquet
/// partitions. Returns the periods recomputed.
pub fn recompute_following(out: &Path, period: &str) -> Result<Vec<String>> {
    let mut recomputed = Vec::new();
    let mut after = period.to_string();
    loop {
        let conn = crate::database::open(None)?;
        if !crate::database::attach_published(&conn, out, "published", false)? {
            return Ok(recomputed);
        }
        let result = recompute_in(&conn, out, &after);
        conn.execute_batch("DETACH published;")
            .db("close coverage.duckdb")?;
        match result? {
            Some(next) => {
                recomputed.push(next.clone());
                after = next;
            }
            None => return Ok(recomputed),
        }
    }
}

fn recompute_in(conn: &Connection, out: &Path, period: &str) -> Result<Option<String>> {
    let Some(next) = neighbour(conn, "published", period, false)? else {
        return Ok(None);
    };
    let (copied, made): (Vec<&Definition>, Vec<&Definition>) = change_definitions()
        .into_iter()
        .partition(|d| d.output == Output::Table && !recomputed(d));
    let mut stage = stage_tables_read(&made);
    if !stage.contains(&"settings") {
        stage.push("settings");
    }
    for table in copied.iter().map(|d| d.name).chain(stage) {
        conn.execute(
            &format!("CREATE TABLE {table} AS SELECT * FROM published.{table} WHERE period = ?"),
            [next.as_str()],
        )
        .db(&format!("{table} of the next period"))?;
    }
    create_previous_tables(conn)?;
    copy_previous(conn, "published", &next)?;
    copy_baseline(conn, Some("published"), &next)?;
    for d in &made {
        conn.execute_batch(d.sql)
            .db(&format!("sql/{}.sql", d.name))?;
    }
    let replaced: Vec<&str> = made
        .iter()
        .filter(|d| d.output == Output::Table)
        .map(|d| d.name)
        .collect();
    let p = next.replace('\'', "''");
    let mut sql = String::from("BEGIN TRANSACTION;\n");
    for table in &replaced {
        sql.push_str(&format!(
            "DELETE FROM published.{table} WHERE period = '{p}';\n\
             INSERT INTO published.{table} BY NAME SELECT * FROM {table};\n"
        ));
    }
    sql.push_str("COMMIT;\n");
    conn.execute_batch(&sql)
        .db("replace the next period's changes")?;
    crate::failpoint::hit("during_recompute");
    for table in replaced {
        crate::publish::rewrite_partition(conn, out, table, &next)?;
    }
    Ok(Some(next))
}

#[cfg(test)]
mod tests {
    /// Comparing with the previous month takes unit_changes, district_changes (through
    /// coverage_trend), the 销号 ledger (list_items and its counts, through the list and
    /// plan macros) and the bulletin, made from the copied unit_status,
    /// coverage_by_district, compliance_lists and target_figures.
    #[test]
    fn change_definitions_follow_from_the_depends_lines() {
        let names: Vec<&str> = super::change_definitions().iter().map(|d| d.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            [
                "bulletin",
                "city_row_name",
                "compliance_lists",
                "coverage_by_district",
                "coverage_trend",
                "district_changes",
                "figures_long",
                "is_city",
                "list_items",
                "list_items_by_district",
                "list_met_by",
                "plans_in_force",
                "target_figures",
                "unit_changes",
                "unit_status"
            ]
        );
        let at = |n: &str| names.iter().position(|x| *x == n).unwrap();
        assert!(
            at("figures_long") < at("coverage_trend")
                && at("coverage_trend") < at("district_changes")
        );
    }
}
