//! The month-over-month part of `coverage-synth evaluate`, for a month of `coverage-synth write
//! --months`: `unit_changes` per district × sector × change against the true changes,
//! `district_changes` against the difference of the two months' true figures, and how
//! many true units present in both months kept their `unit_id`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use crate::truth::{
    base_name, coverage_metrics, read_csv, ChangeRow, CoverageRow, MonthRow, RowTruthRecord,
};
use coverage::error::{DbContext, Result};
use coverage::vocabulary::CloseReason;

/// Counts of the run beside the truth's, cell by cell (a cell is three words: district,
/// and what is counted).
#[derive(Debug, Default, Serialize)]
pub struct CellScores {
    /// Cells in the run or the truth.
    pub cells: u64,
    /// Cells whose count differs from the truth.
    pub cells_differing: u64,
    pub max_abs_diff: u64,
    /// Where the largest difference is.
    pub worst: String,
}

#[derive(Debug, Serialize)]
pub struct ChangeScores {
    pub previous_period: String,
    /// `unit_changes` per district × sector × change.
    pub unit_changes: CellScores,
    /// Figures of district_changes compared (district × sector × metric of evaluate).
    pub district_figures: u64,
    pub district_max_abs_diff: f64,
    pub district_worst: String,
    /// True units with registry rows in both months.
    pub units_in_both: u64,
    /// Of those, units whose unit_id (the one most of their rows got) changed.
    pub unit_id_changed: u64,
    /// Up to 20 of them: true unit, id before, id after.
    pub unit_id_exceptions: Vec<(String, String, String)>,
}

/// None for a month with no month before it (or a truth without months).
pub fn evaluate_changes(
    conn: &duckdb::Connection,
    truth_dir: &Path,
    period: &str,
) -> Result<Option<ChangeScores>> {
    let month_file = truth_dir.join("month.csv");
    if !month_file.exists() {
        return Ok(None);
    }
    let month: Vec<MonthRow> = read_csv(&month_file)?;
    let Some(previous) = month
        .first()
        .map(|m| m.previous_period.clone())
        .filter(|p| !p.is_empty())
    else {
        return Ok(None);
    };
    // truth_dir is OUT/<period>/truth; the previous month's is OUT/<previous>/truth.
    let previous_dir = truth_dir
        .parent()
        .and_then(Path::parent)
        .map(|root| root.join(&previous).join("truth"))
        .unwrap_or_default();
    let mut scores = ChangeScores {
        previous_period: previous.clone(),
        unit_changes: CellScores::default(),
        district_figures: 0,
        district_max_abs_diff: 0.0,
        district_worst: String::new(),
        units_in_both: 0,
        unit_id_changed: 0,
        unit_id_exceptions: Vec::new(),
    };
    compare_unit_changes(conn, truth_dir, period, &mut scores)?;
    compare_district_changes(conn, truth_dir, &previous_dir, period, &mut scores)?;
    compare_ids(
        conn,
        truth_dir,
        &previous_dir,
        period,
        &previous,
        &mut scores,
    )?;
    Ok(Some(scores))
}

type Cell = (String, String, String);

fn compare_unit_changes(
    conn: &duckdb::Connection,
    truth_dir: &Path,
    period: &str,
    scores: &mut ChangeScores,
) -> Result<()> {
    let rows: Vec<ChangeRow> = read_csv(&truth_dir.join("unit_changes.csv")).unwrap_or_default();
    let truth = rows
        .into_iter()
        .map(|r| ((r.district_code, r.sector, r.change), 1));
    scores.unit_changes = compare_cells(
        conn,
        truth,
        "SELECT coalesce(district_code, ''), sector, change, count(*) FROM unit_changes \
         WHERE period = ? GROUP BY ALL",
        period,
    )?;
    Ok(())
}

/// `list_items_by_district` per district × list × count (opened, closed_<reason>,
/// open_at_end) against `truth/list_items_by_district.csv`; None for a truth without it.
pub fn evaluate_ledger(
    conn: &duckdb::Connection,
    truth_dir: &Path,
    period: &str,
) -> Result<Option<CellScores>> {
    let file = truth_dir.join("list_items_by_district.csv");
    if !file.exists() {
        return Ok(None);
    }
    let rows: Vec<crate::ledger::LedgerCount> = read_csv(&file)?;
    let truth = rows
        .into_iter()
        .map(|r| ((r.district_code, r.list, r.count), r.value as i64));
    let counts: Vec<String> = CloseReason::ALL
        .iter()
        .map(|r| format!("closed_{r}"))
        .chain(["opened".into(), "open_at_end".into()])
        .map(|c| format!("{{name: '{c}', value: {c}}}"))
        .collect();
    let sql = format!(
        "SELECT district_code, list, c.name, c.value \
         FROM list_items_by_district, UNNEST([{}]) AS t(c) \
         WHERE period = ? AND district_code NOT IN (SELECT city_code FROM settings) AND c.value > 0",
        counts.join(", ")
    );
    compare_cells(conn, truth, &sql, period).map(Some)
}

/// The run's counts (`sql` gives three words and a count for `period`) beside the
/// truth's, cell by cell.
fn compare_cells(
    conn: &duckdb::Connection,
    truth: impl Iterator<Item = (Cell, i64)>,
    sql: &str,
    period: &str,
) -> Result<CellScores> {
    let mut cells: BTreeMap<Cell, (i64, i64)> = BTreeMap::new();
    for (cell, n) in truth {
        cells.entry(cell).or_default().0 += n;
    }
    let mut stmt = conn.prepare(sql).db("read the run's counts")?;
    let run = stmt
        .query_map([period], |r| {
            Ok((
                (
                    r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ),
                r.get::<_, i64>(3)?,
            ))
        })
        .db("read the run's counts")?;
    for row in run {
        let (cell, n) = row.db("read the run's counts")?;
        cells.entry(cell).or_default().1 += n;
    }
    let mut scores = CellScores {
        cells: cells.len() as u64,
        ..Default::default()
    };
    for (cell, (truth, run)) in &cells {
        let diff = truth.abs_diff(*run);
        if diff > 0 {
            scores.cells_differing += 1;
        }
        if diff > scores.max_abs_diff {
            scores.max_abs_diff = diff;
            scores.worst = format!(
                "{} {} {} (truth {truth}, run {run})",
                cell.0, cell.1, cell.2
            );
        }
    }
    Ok(scores)
}

fn compare_district_changes(
    conn: &duckdb::Connection,
    truth_dir: &Path,
    previous_dir: &Path,
    period: &str,
    scores: &mut ChangeScores,
) -> Result<()> {
    let now: Vec<CoverageRow> = read_csv(&truth_dir.join("coverage_by_district.csv"))?;
    let before: Vec<CoverageRow> = read_csv(&previous_dir.join("coverage_by_district.csv"))?;
    let key = |r: &CoverageRow| (r.district_code.clone(), r.sector.clone());
    let before: HashMap<(String, String), &CoverageRow> =
        before.iter().map(|r| (key(r), r)).collect();
    let mut stmt = conn
        .prepare(
            "SELECT district_code, sector, metric, coalesce(value, 0) - coalesce(previous_value, 0) \
             FROM district_changes WHERE period = ?",
        )
        .db("read district_changes")?;
    let run: HashMap<Cell, f64> = stmt
        .query_map([period], |r| {
            Ok((
                (
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ),
                r.get::<_, f64>(3)?,
            ))
        })
        .db("read district_changes")?
        .collect::<std::result::Result<_, _>>()
        .db("read district_changes")?;
    for r in &now {
        let Some(b) = before.get(&key(r)) else {
            continue;
        };
        for metric in coverage_metrics() {
            scores.district_figures += 1;
            let truth = r.metric(metric) - b.metric(metric);
            let got = run
                .get(&(
                    r.district_code.clone(),
                    r.sector.clone(),
                    metric.to_string(),
                ))
                .copied()
                .unwrap_or(f64::NAN);
            // A figure the run does not have counts as infinitely far off.
            let diff = if got.is_nan() {
                f64::INFINITY
            } else {
                (got - truth).abs()
            };
            if diff > scores.district_max_abs_diff + 1e-9 {
                scores.district_max_abs_diff = diff;
                scores.district_worst = format!("{} {} {metric}", r.district_code, r.sector);
            }
        }
    }
    Ok(())
}

/// True unit → the unit_id most of its registry rows got in the run for `period`.
fn ids_of(
    conn: &duckdb::Connection,
    truth_dir: &Path,
    period: &str,
) -> Result<HashMap<String, String>> {
    let rows: Vec<RowTruthRecord> = read_csv(&truth_dir.join("registry_rows.csv"))?;
    let truth: HashMap<(String, u64), String> = rows
        .into_iter()
        .map(|r| ((r.file, r.row), r.unit))
        .collect();
    let mut stmt = conn
        .prepare("SELECT source_file, source_row, unit_id FROM unit_sources WHERE period = ?")
        .db("read unit_sources")?;
    let run = stmt
        .query_map([period], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .db("read unit_sources")?;
    let mut votes: HashMap<String, BTreeMap<String, u64>> = HashMap::new();
    for row in run {
        let (file, line, id) = row.db("read unit_sources")?;
        if let Some(unit) = truth.get(&(base_name(&file), line as u64)) {
            if unit != "broken" {
                *votes
                    .entry(unit.clone())
                    .or_default()
                    .entry(id)
                    .or_default() += 1;
            }
        }
    }
    Ok(votes
        .into_iter()
        .filter_map(|(unit, ids)| {
            let best = ids
                .into_iter()
                .max_by_key(|(id, n)| (*n, std::cmp::Reverse(id.clone())))?;
            Some((unit, best.0))
        })
        .collect())
}

fn compare_ids(
    conn: &duckdb::Connection,
    truth_dir: &Path,
    previous_dir: &Path,
    period: &str,
    previous: &str,
    scores: &mut ChangeScores,
) -> Result<()> {
    let now = ids_of(conn, truth_dir, period)?;
    let before = ids_of(conn, previous_dir, previous)?;
    let mut both: Vec<(&String, &String, &String)> = now
        .iter()
        .filter_map(|(unit, id)| before.get(unit).map(|old| (unit, old, id)))
        .collect();
    both.sort();
    scores.units_in_both = both.len() as u64;
    for (unit, old, new) in both {
        if old != new {
            scores.unit_id_changed += 1;
            if scores.unit_id_exceptions.len() < 20 {
                scores
                    .unit_id_exceptions
                    .push((unit.clone(), old.clone(), new.clone()));
            }
        }
    }
    Ok(())
}
