//! `coverage appraise`: the year-end appraisal (述职评议考核) from the months an output
//! folder holds. The figures are those of the year-end period (`[appraisal]
//! year_end_month`, December by default; the latest month of the year where it is
//! missing), beside the targets, the first period of the year and the previous
//! year-end: `appraisal_scorecard` (sql/appraisal_scorecard.sql) in coverage.duckdb, and
//! `reports/appraisal/年度考核_<year>.xlsx`. Months of the year the folder lacks are
//! named in `appraisal_years` and on the command line.

use std::path::{Path, PathBuf};

use duckdb::Connection;

use crate::config::{Campaign, Pipeline};
use crate::database::literal;
use crate::error::{DbContext, Error, Result};

pub struct AppraiseOptions {
    pub year: i32,
    pub out: PathBuf,
    /// The pipeline file whose `[appraisal]` and `[rules]` apply (the notice's figures
    /// when not given).
    pub pipeline: Option<PathBuf>,
}

/// What an appraisal used and wrote.
#[derive(Debug)]
pub struct Appraisal {
    pub year_end_period: String,
    pub first_period: String,
    pub previous_year_end_period: Option<String>,
    /// The campaign's baseline period the rises are measured from (明显提升).
    pub baseline_period: String,
    pub marked_improvement: f64,
    /// District, sector and rate of each marked rise since the baseline.
    pub marked: Vec<(String, String, String)>,
    /// Months of the year up to the year-end month that the folder has no run of.
    pub missing_months: Vec<String>,
    pub rows: usize,
    pub workbook: PathBuf,
}

/// The tables of INPUT_TABLES, empty (also what the golden tests of sql/ make them from).
pub const INPUT_DDL: &str =
    "CREATE OR REPLACE TEMP TABLE appraisal_periods (role VARCHAR, period VARCHAR);
     CREATE OR REPLACE TEMP TABLE appraisal_targets (target VARCHAR, target_name VARCHAR,
         target_value DOUBLE, district_code VARCHAR);
     CREATE OR REPLACE TEMP TABLE appraisal_campaign (marked_improvement DOUBLE);\n";

/// The tables `coverage appraise` makes for sql/appraisal_scorecard.sql.
pub const INPUT_TABLES: [&str; 3] = [
    "appraisal_campaign",
    "appraisal_periods",
    "appraisal_targets",
];

/// The periods of an appraisal: (year-end, first of the year, previous year-end,
/// missing months), from the periods present (sorted).
fn choose_periods(
    present: &[String],
    year: i32,
    year_end_month: u32,
) -> Option<(String, String, Option<String>, Vec<String>)> {
    let in_year = |y: i32| -> Vec<&String> {
        present
            .iter()
            .filter(|p| p.starts_with(&format!("{y:04}-")))
            .filter(|p| p[5..].parse::<u32>().is_ok_and(|m| m <= year_end_month))
            .collect()
    };
    let this_year = in_year(year);
    let year_end = this_year.last()?.to_string();
    let first = this_year.first()?.to_string();
    let previous = in_year(year - 1).last().map(|p| p.to_string());
    let missing = (1..=year_end_month)
        .map(|m| format!("{year:04}-{m:02}"))
        .filter(|p| !present.contains(p))
        .collect();
    Some((year_end, first, previous, missing))
}

pub fn appraise(opts: &AppraiseOptions) -> Result<Appraisal> {
    let (settings, campaign) = match &opts.pipeline {
        Some(path) => {
            let p = Pipeline::load(path)?;
            (p.appraisal, p.campaign)
        }
        None => (Default::default(), Default::default()),
    };
    let db = opts.out.join(crate::publish::DATABASE_FILE);
    if !db.exists() {
        return Err(Error::Input {
            path: db,
            message: "no coverage.duckdb here: run the months of the year first".into(),
        });
    }
    let _lock = crate::publish::OutputLock::acquire(&opts.out)?;
    crate::run::recover(&opts.out)?;
    let conn = crate::database::open(None)?;
    read_published(&conn, &db)?;
    let present = periods(&conn)?;
    let (year_end, first, previous, missing) =
        choose_periods(&present, opts.year, settings.year_end_month()).ok_or_else(|| {
            Error::Input {
                path: db.clone(),
                message: format!(
                    "no period of {} up to month {} (periods here: {})",
                    opts.year,
                    settings.year_end_month(),
                    present.join(", ")
                ),
            }
        })?;
    // The campaign's baseline: the pipeline file's, else the folder's first period.
    let baseline = campaign
        .baseline_period
        .clone()
        .unwrap_or_else(|| present[0].clone());
    let roles = Roles {
        year_end,
        first,
        previous,
        baseline,
    };
    let year = opts.year;
    compute(&conn, &campaign, &roles, year, &missing)?;
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM appraisal_scorecard", [], |r| r.get(0))
        .db("count appraisal_scorecard")?;
    let rows = rows as usize;
    let marked = marked_rises(&conn, year)?;
    let workbook = workbook_path(&opts.out, year);
    let mut staging = crate::publish::Staging::open(&opts.out, &format!("appraisal-{year}"))?;
    let staged = staging.file(workbook.clone())?;
    crate::reports::write_appraisal(&conn, &staged, year, &roles.year_end)?;
    // The year's tables replace its rows in coverage.duckdb, and the workbook its file,
    // through the publisher a monthly run uses.
    let publication = crate::publish::Publication {
        tables: &YEAR_TABLES,
        key_column: "year",
        key: year.to_string(),
        probe: "appraisal_years",
        id_registry: false,
        follow_up: false,
        manifest: None,
    };
    staging.commit(&conn, &[], publication)?;
    Ok(Appraisal {
        year_end_period: roles.year_end,
        first_period: roles.first,
        previous_year_end_period: roles.previous,
        baseline_period: roles.baseline,
        marked_improvement: campaign.marked_improvement(),
        marked,
        missing_months: missing,
        rows,
        workbook,
    })
}

/// The year's tables (YEAR_TABLES), described, from the published tables `conn` holds.
fn compute(
    conn: &Connection,
    campaign: &Campaign,
    roles: &Roles,
    year: i32,
    missing: &[String],
) -> Result<()> {
    conn.execute_batch(&settings_sql(campaign, roles))
        .db("appraisal settings")?;
    for name in ["appraisal_scorecard", "appraisal_improvement"] {
        conn.execute_batch(crate::aggregate::definition(name).sql)
            .db(&format!("sql/{name}.sql"))?;
    }
    conn.execute_batch(&year_tables_sql(year, roles, missing))
        .db("the year's appraisal tables")?;
    let year_tables = ["appraisal_scorecard", "appraisal_improvement"];
    crate::aggregate::comment_all(
        conn,
        year_tables.map(|name| (name, crate::aggregate::definition(name))),
    )?;
    conn.execute_batch(&appraisal_years_comments())
        .db("describe appraisal_years")
}

/// The appraisal's tables, empty, beside the tables of an empty month in `conn`: what
/// docs/tables.md describes.
pub fn make_empty(conn: &Connection) -> Result<()> {
    let period = || "2026-12".to_string();
    let roles = Roles {
        year_end: period(),
        first: period(),
        previous: None,
        baseline: period(),
    };
    compute(conn, &Campaign::default(), &roles, 2026, &[])
}

/// The periods an appraisal compares, by role.
struct Roles {
    year_end: String,
    first: String,
    previous: Option<String>,
    baseline: String,
}

/// The tables an appraisal publishes, each with the year's rows only: the publisher
/// replaces that year's rows in coverage.duckdb.
pub const YEAR_TABLES: [&str; 3] = [
    "appraisal_scorecard",
    "appraisal_improvement",
    "appraisal_years",
];

/// The year's appraisal tables: appraisal_scorecard, appraisal_improvement and the
/// year's row of appraisal_years.
fn year_tables_sql(year: i32, roles: &Roles, missing: &[String]) -> String {
    format!(
        "CREATE TABLE appraisal_scorecard AS SELECT {year}::INTEGER AS year, * FROM appraisal_new;
         CREATE TABLE appraisal_improvement AS
             SELECT {year}::INTEGER AS year, * FROM appraisal_improvement_new;
         CREATE TABLE appraisal_years AS SELECT {year}::INTEGER AS year,
             {}::VARCHAR AS year_end_period, {}::VARCHAR AS first_period,
             {}::VARCHAR AS previous_year_end_period, {}::VARCHAR AS missing_months,
             {}::VARCHAR AS baseline_period;",
        literal(&roles.year_end),
        literal(&roles.first),
        roles
            .previous
            .as_deref()
            .map_or("NULL".to_string(), literal),
        literal(&missing.join(", ")),
        literal(&roles.baseline)
    )
}

/// What appraisal_years says (its columns are made in [`year_tables_sql`]).
fn appraisal_years_comments() -> String {
    let own = |text: &str| Some(text.to_string());
    crate::dictionary::comment_sql(
        "TABLE",
        "appraisal_years",
        "one row per appraisal year: the periods it compared",
        [
            ("year", None),
            ("year_end_period", own("年底数据期别: the year's latest period present (the year-end figures)")),
            ("first_period", own("the year's first period present")),
            ("previous_year_end_period", own("the previous year's latest period present, NULL where there is none")),
            ("missing_months", own("the months of the year up to year_end_period that have no run, comma-separated")),
            ("baseline_period", own("基期: the campaign's baseline period ([campaign] baseline_period, else the folder's first)")),
        ]
        .into_iter(),
    )
}

/// The macros of sql/ the appraisal's definitions and workbook call: words by their
/// labels, the city row by its code.
const MACROS: [&str; 2] = ["label", "is_city"];

/// The published tables the appraisal's definitions read, copied from coverage.duckdb
/// (opened read-only and closed again, so that the publisher can take it).
fn read_published(conn: &Connection, db: &Path) -> Result<()> {
    crate::database::attach_database(conn, db, "source", true)?;
    let mut tables: Vec<&str> = ["appraisal_scorecard", "appraisal_improvement"]
        .iter()
        .chain(&MACROS)
        .flat_map(|name| crate::aggregate::definition(name).depends.iter().copied())
        .filter(|table| !INPUT_TABLES.contains(table) && !MACROS.contains(table))
        .collect();
    tables.sort();
    tables.dedup();
    let mut sql: String = tables
        .iter()
        .map(|table| format!("CREATE TABLE {table} AS SELECT * FROM source.{table};\n"))
        .collect();
    sql.push_str("DETACH source;\n");
    for name in MACROS {
        sql.push_str(crate::aggregate::definition(name).sql);
    }
    conn.execute_batch(&sql).db("read the published tables")
}

/// The rates whose rise since the baseline is marked (明显提升): each as district,
/// sector and rate, the city first.
fn marked_rises(conn: &Connection, year: i32) -> Result<Vec<(String, String, String)>> {
    let mut stmt = conn
        .prepare(
            "SELECT district_name, sector, rate FROM appraisal_improvement \
             WHERE year = ? AND marked ORDER BY NOT is_city(district_code), district_code, sector, rate",
        )
        .db("read appraisal_improvement")?;
    let rows = stmt
        .query_map([year], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .db("read appraisal_improvement")?;
    rows.collect::<std::result::Result<Vec<_>, _>>()
        .db("read appraisal_improvement")
}

/// The tables sql/appraisal_scorecard.sql and sql/appraisal_improvement.sql read
/// beside the published tables: the periods by role, the targets (city-wide and per
/// district) and the campaign's threshold of a marked rise.
fn settings_sql(campaign: &Campaign, roles: &Roles) -> String {
    let mut sql = String::from(INPUT_DDL);
    sql.push_str(&format!(
        "INSERT INTO appraisal_periods VALUES ('year_end', {}), ('first', {}), ('baseline', {});\n",
        literal(&roles.year_end),
        literal(&roles.first),
        literal(&roles.baseline)
    ));
    if let Some(p) = &roles.previous {
        sql.push_str(&format!(
            "INSERT INTO appraisal_periods VALUES ('previous_year_end', {});\n",
            literal(p)
        ));
    }
    for t in campaign.target_values() {
        sql.push_str(&format!(
            "INSERT INTO appraisal_targets VALUES ({}, {}, {}, {});\n",
            literal(t.target.as_str()),
            literal(t.target.label()),
            t.value,
            t.district_code
                .as_deref()
                .map_or("NULL".to_string(), literal)
        ));
    }
    sql.push_str(&format!(
        "INSERT INTO appraisal_campaign VALUES ({});\n",
        campaign.marked_improvement()
    ));
    sql
}

/// Where the appraisal workbook of a year goes.
pub fn workbook_path(out: &Path, year: i32) -> PathBuf {
    out.join("reports")
        .join("appraisal")
        .join(format!("年度考核_{year}.xlsx"))
}

fn periods(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare("SELECT DISTINCT period FROM coverage_by_district ORDER BY period")
        .db("periods of coverage_by_district")?;
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .db("periods of coverage_by_district")?;
    rows.collect::<std::result::Result<Vec<_>, _>>()
        .db("periods of coverage_by_district")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_end_first_previous_and_missing_months() {
        let present: Vec<String> = ["2025-06", "2025-12", "2026-03", "2026-04", "2026-12"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (end, first, prev, missing) = choose_periods(&present, 2026, 12).unwrap();
        assert_eq!((end.as_str(), first.as_str()), ("2026-12", "2026-03"));
        assert_eq!(prev.as_deref(), Some("2025-12"));
        // 12 months less the three present.
        assert_eq!(missing.len(), 9);
        assert_eq!(missing[0], "2026-01");
        // A year-end month of 4: 2026-04 is year-end, and 2025's is the latest ≤ April
        // of 2025 — none — so no previous year-end.
        let (end, _, prev, missing) = choose_periods(&present, 2026, 4).unwrap();
        assert_eq!(end, "2026-04");
        assert_eq!(prev, None);
        assert_eq!(missing, vec!["2026-01", "2026-02"]);
        assert!(choose_periods(&present, 2024, 12).is_none());
    }
}
