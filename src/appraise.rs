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
    /// Months of the year up to the year-end month that the folder has no run of.
    pub missing_months: Vec<String>,
    pub rows: usize,
    pub workbook: PathBuf,
}

/// The tables `coverage appraise` makes for sql/appraisal_scorecard.sql.
pub const INPUT_TABLES: [&str; 2] = ["appraisal_periods", "appraisal_targets"];

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
    let conn = crate::database::open(Some(&db))?;
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
    let sql = settings_sql(&campaign, &year_end, &first, previous.as_deref());
    conn.execute_batch(&sql).db("appraisal settings")?;
    conn.execute_batch(crate::aggregate::definition("appraisal_scorecard").sql)
        .db("sql/appraisal_scorecard.sql")?;
    let year = opts.year;
    conn.execute_batch(&format!(
        "BEGIN TRANSACTION;
         CREATE TABLE IF NOT EXISTS appraisal_scorecard AS
             SELECT {year}::INTEGER AS year, * FROM appraisal_new LIMIT 0;
         DELETE FROM appraisal_scorecard WHERE year = {year};
         INSERT INTO appraisal_scorecard SELECT {year}, * FROM appraisal_new;
         CREATE TABLE IF NOT EXISTS appraisal_years (year INTEGER, year_end_period VARCHAR,
             first_period VARCHAR, previous_year_end_period VARCHAR, missing_months VARCHAR);
         DELETE FROM appraisal_years WHERE year = {year};
         INSERT INTO appraisal_years VALUES ({year}, {}, {}, {}, {});
         COMMIT;",
        literal(&year_end),
        literal(&first),
        previous.as_deref().map_or("NULL".to_string(), literal),
        literal(&missing.join(", "))
    ))
    .db("write appraisal_scorecard")?;
    let rows: i64 = conn
        .query_row(
            "SELECT count(*) FROM appraisal_scorecard WHERE year = ?",
            [year],
            |r| r.get(0),
        )
        .db("count appraisal_scorecard")?;
    let workbook = workbook_path(&opts.out, year);
    crate::reports::write_appraisal(&conn, &workbook, year, &year_end)?;
    Ok(Appraisal {
        year_end_period: year_end,
        first_period: first,
        previous_year_end_period: previous,
        missing_months: missing,
        rows: rows as usize,
        workbook,
    })
}

/// The tables sql/appraisal_scorecard.sql reads beside target_figures: the periods by
/// role and the targets (city-wide and per district).
fn settings_sql(
    campaign: &Campaign,
    year_end: &str,
    first: &str,
    previous: Option<&str>,
) -> String {
    let mut sql = String::from(
        "CREATE OR REPLACE TEMP TABLE appraisal_periods (role VARCHAR, period VARCHAR);
         CREATE OR REPLACE TEMP TABLE appraisal_targets (target VARCHAR, target_name VARCHAR,
             target_value DOUBLE, district_code VARCHAR);\n",
    );
    sql.push_str(&format!(
        "INSERT INTO appraisal_periods VALUES ('year_end', {}), ('first', {});\n",
        literal(year_end),
        literal(first)
    ));
    if let Some(p) = previous {
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
