//! The bundled sample month and the generator that made it.

use crate::util::*;

#[test]
fn the_sample_month_runs_and_city_totals_are_sums_of_districts() {
    let out = tempfile::tempdir().unwrap();
    let stdout = run_ok(
        &repo().join("pipelines").join("sample.toml"),
        "2026-11",
        out.path(),
    );
    assert!(stdout.contains("coverage_by_district"));
    let db = out.path().join("coverage.duckdb");
    // 16 districts + the city row, for each sector.
    assert_eq!(
        lines(&db, "SELECT count(*) FROM coverage_by_district"),
        vec!["34"]
    );
    let mismatches = query(
        &db,
        "WITH d AS (SELECT sector, sum(units_in_scope) s, sum(units_org_covered) o, sum(units_work_covered) w, \
                sum(units_single_org) g, sum(units_with_members) m \
                FROM coverage_by_district WHERE district_name <> '全市' GROUP BY sector) \
         SELECT c.sector FROM coverage_by_district c JOIN d USING (sector) \
         WHERE c.district_name = '全市' AND (c.units_in_scope <> d.s OR c.units_org_covered <> d.o \
               OR c.units_work_covered <> d.w OR c.units_single_org <> d.g OR c.units_with_members <> d.m)",
    );
    assert!(mismatches.is_empty(), "{mismatches:?}");
    // And the city rows equal a direct count over unit_status.
    assert_eq!(
        lines(
            &db,
            "SELECT (SELECT units_in_scope FROM coverage_by_district WHERE district_name = '全市' AND sector = 'enterprise') \
                  = (SELECT count(*) FROM unit_status WHERE in_scope AND sector = 'enterprise')"
        ),
        vec!["true"]
    );
    let m = manifest(out.path(), "2026-11");
    assert_eq!(
        m["rows_read"].as_u64().unwrap(),
        m["rows_accepted"].as_u64().unwrap() + m["rows_rejected"].as_u64().unwrap()
    );
}

#[test]
fn synth_is_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [&a, &b] {
        coverage()
            .args([
                "synth", "--units", "300", "--seed", "7", "--period", "2026-11", "--out",
            ])
            .arg(dir.path())
            .assert()
            .success();
    }
    let fa = files_under(a.path());
    let fb = files_under(b.path());
    assert_eq!(fa.len(), 10);
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(x.file_name(), y.file_name());
        assert!(
            std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
            "{} differs",
            x.display()
        );
    }
    // A different seed gives a different month.
    let c = tempfile::tempdir().unwrap();
    coverage()
        .args([
            "synth", "--units", "300", "--seed", "8", "--period", "2026-11", "--out",
        ])
        .arg(c.path())
        .assert()
        .success();
    assert_ne!(
        std::fs::read(a.path().join("members.csv")).unwrap(),
        std::fs::read(c.path().join("members.csv")).unwrap()
    );
}

#[test]
fn a_synthetic_month_runs_through_its_own_pipeline_file() {
    let dir = tempfile::tempdir().unwrap();
    coverage()
        .args([
            "synth", "--units", "500", "--seed", "3", "--period", "2026-11", "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let out = dir.path().join("out");
    run_ok(&dir.path().join("pipeline.toml"), "2026-11", &out);
    let db = out.join("coverage.duckdb");
    // Clean synthetic data: nothing is rejected and every member finds a unit.
    assert_eq!(lines(&db, "SELECT count(*) FROM rejects"), vec!["0"]);
    assert_eq!(
        lines(&db, "SELECT count(*) FROM unmatched_members"),
        vec!["0"]
    );
    // Units that appear in both enterprise exports are merged by USCC.
    assert_eq!(
        lines(&db, "SELECT count(*) = count(DISTINCT uscc) FROM units"),
        vec!["true"]
    );
}
