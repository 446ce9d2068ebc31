//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use duckdb::types::Value;

/// The `coverage` binary, with no key in the environment unless a test sets one.
pub fn coverage() -> Command {
    let mut cmd = Command::cargo_bin("coverage").expect("binary built");
    cmd.env_remove("COVERAGE_PSEUDONYM_KEY");
    cmd
}

/// The `coverage-synth` binary (synthetic months and their evaluation), built by the
/// same `cargo test --workspace` as `coverage`.
pub fn synth() -> Command {
    Command::cargo_bin("coverage-synth")
        .expect("coverage-synth is built: run the tests with `cargo test --workspace`")
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests").join("fixtures").join(name)
}

/// A writable copy of a fixture folder, for tests that alter it.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(fixture(name)).expect("fixture") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    dir
}

/// `coverage run` of a pipeline for a period into `out`, ready to run.
pub fn run_cmd(pipeline: &Path, period: &str, out: &Path) -> Command {
    let mut cmd = coverage();
    cmd.args(["run", "--pipeline"])
        .arg(pipeline)
        .args(["--period", period, "--out"])
        .arg(out);
    cmd
}

/// Runs a pipeline for a period into `out` and asserts success; returns stdout.
pub fn run_ok(pipeline: &Path, period: &str, out: &Path) -> String {
    let assert = run_cmd(pipeline, period, out).assert().success();
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

/// A fixture month (tests/fixtures/NAME) run for 2026-11 into a fresh folder; returns
/// the folder and its database.
pub fn run_fixture_month(name: &str) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    run_ok(&fixture(name).join("pipeline.toml"), "2026-11", out.path());
    let db = out.path().join("coverage.duckdb");
    (out, db)
}

/// The small fixture month, run as `run_fixture_month` runs it.
pub fn run_small() -> (tempfile::TempDir, PathBuf) {
    run_fixture_month("small")
}

#[path = "../common/cell.rs"]
mod cell;
use cell::cell;

/// Rows of a query on an output database, each cell rendered by `cell`.
pub fn query(db: &Path, sql: &str) -> Vec<Vec<String>> {
    let conn = coverage::database::open(Some(db)).expect("open database");
    let mut stmt = conn.prepare(sql).expect("prepare");
    let mut rows = stmt.query([]).expect("query");
    let mut out = Vec::new();
    while let Some(row) = rows.next().expect("row") {
        let n = row.as_ref().column_count();
        out.push(
            (0..n)
                .map(|i| cell(row.get::<_, Value>(i).expect("cell")))
                .collect(),
        );
    }
    out
}

/// One-line rows for compact expectations: cells joined by spaces.
pub fn lines(db: &Path, sql: &str) -> Vec<String> {
    query(db, sql).into_iter().map(|r| r.join(" ")).collect()
}

pub use coverage::glob::files_under;

pub fn manifest(out: &Path, period: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("runs").join(period).join("manifest.json"))
        .expect("manifest");
    serde_json::from_str(&text).expect("manifest json")
}

/// Writes a synthetic month into a temporary folder and runs it; returns the folder.
pub fn synth_and_run(units: &str, seed: &str, messiness: &str) -> tempfile::TempDir {
    synth_layout_and_run("standard", units, seed, messiness)
}

/// `synth_and_run` in a given export layout (`standard` or `samr`).
pub fn synth_layout_and_run(
    layout: &str,
    units: &str,
    seed: &str,
    messiness: &str,
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    synth()
        .args([
            "write",
            "--layout",
            layout,
            "--units",
            units,
            "--seed",
            seed,
            "--period",
            "2026-11",
            "--messiness",
            messiness,
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    run_ok(
        &dir.path().join("pipeline.toml"),
        "2026-11",
        &dir.path().join("out"),
    );
    dir
}

/// The appraisal of `year` in `out` ties out, cell by cell, to coverage_trend (rates) and
/// coverage_by_district (counts), and its workbook, read back, holds the scorecard's
/// `rows` rows with the same districts, targets and figures.
pub fn assert_appraisal_ties_out(out: &Path, year: i32, rows: usize) {
    let db = out.join("coverage.duckdb");
    assert_eq!(
        lines(
            &db,
            "SELECT count(*), count(*) FILTER (WHERE a.value IS DISTINCT FROM t.value) \
             FROM appraisal_scorecard a JOIN coverage_trend t ON t.period = a.year_end_period \
             AND t.district_code = a.district_code \
             AND (a.target, t.sector, t.metric) IN (('social_org_coverage', 'social_org', 'org_coverage_rate'), \
                 ('enterprise_work_coverage', 'enterprise', 'work_coverage_rate'), \
                 ('social_org_work_coverage', 'social_org', 'work_coverage_rate'))"
        ),
        vec![format!("{} 0", rows / 2)]
    );
    assert_eq!(
        lines(
            &db,
            "SELECT count(*) FROM appraisal_scorecard a JOIN (SELECT period, district_code, \
             sum(units_3plus_single) s, sum(units_3plus_formal) f FROM coverage_by_district GROUP BY ALL) c \
             ON c.period = a.year_end_period AND c.district_code = a.district_code \
             WHERE a.target = 'should_form_own' AND (a.numerator <> c.s OR a.denominator <> c.f)"
        ),
        vec!["0"]
    );
    // The workbook, read back: a row per scorecard row, same district, target and figures.
    use calamine::{open_workbook, Reader, Xlsx};
    let mut book: Xlsx<_> =
        open_workbook(out.join(format!("reports/appraisal/年度考核_{year}.xlsx"))).unwrap();
    let range = book.worksheet_range("年度考核").unwrap();
    let cells: Vec<Vec<String>> = range
        .rows()
        .skip(3)
        .map(|r| r.iter().take(5).map(|c| c.to_string()).collect())
        .collect();
    let expected: Vec<Vec<String>> = query(
        &db,
        &format!(
            "SELECT district_name, target_name, numerator::VARCHAR, denominator::VARCHAR, \
         coalesce(value::VARCHAR, '') FROM appraisal_scorecard WHERE year = {year} \
         ORDER BY district_name = '全市', district_code, target"
        ),
    );
    assert_eq!(cells.len(), rows);
    for (got, want) in cells.iter().zip(&expected) {
        assert_eq!(got[..4], want[..4]);
        let (g, w) = (got[4].parse::<f64>().ok(), want[4].parse::<f64>().ok());
        assert_eq!(
            g.map(|v| (v * 1e9).round()),
            w.map(|v| (v * 1e9).round()),
            "{got:?}"
        );
    }
}

/// What a dead run may leave in an output folder and the next run must clear: its lock,
/// journal, staging and spill folders (every name starting with a dot).
pub fn dot_files(out: &Path) -> Vec<String> {
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}
