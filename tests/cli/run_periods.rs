//! Periods accumulate in one database; a rerun replaces its period only. Bad files stop
//! the run with the file and field named, and leave earlier outputs alone.

use crate::util::*;

const COUNT_BY_PERIOD: &str = "SELECT period, count(*) FROM units GROUP BY period ORDER BY period";

#[test]
fn a_second_period_keeps_the_first_and_a_rerun_replaces_it() {
    let out = tempfile::tempdir().unwrap();
    let pipeline = fixture("small").join("pipeline.toml");
    let db = out.path().join("coverage.duckdb");
    run_ok(&pipeline, "2026-11", out.path());
    run_ok(&pipeline, "2026-12", out.path());
    assert_eq!(
        lines(&db, COUNT_BY_PERIOD),
        vec!["2026-11 16", "2026-12 16"]
    );
    run_ok(&pipeline, "2026-11", out.path());
    assert_eq!(
        lines(&db, COUNT_BY_PERIOD),
        vec!["2026-11 16", "2026-12 16"]
    );
    assert_eq!(
        lines(
            &db,
            "SELECT period, count(*) FROM coverage_by_district GROUP BY period ORDER BY period"
        ),
        vec!["2026-11 8", "2026-12 8"]
    );
    // latest_ views show the most recent period only.
    assert_eq!(
        lines(
            &db,
            "SELECT DISTINCT period FROM latest_coverage_by_district"
        ),
        vec!["2026-12"]
    );
    for period in ["2026-11", "2026-12"] {
        assert!(out
            .path()
            .join(format!("parquet/units/period={period}/data.parquet"))
            .exists());
        assert!(out
            .path()
            .join(format!("runs/{period}/manifest.json"))
            .exists());
    }
    // No staging folder is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_missing_column_names_file_field_and_headers_and_keeps_earlier_outputs() {
    let dir = copy_fixture("small");
    let out = dir.path().join("out");
    let pipeline = dir.path().join("pipeline.toml");
    run_ok(&pipeline, "2026-11", &out);
    let before = std::fs::read(out.join("coverage.duckdb")).unwrap();

    let law = dir.path().join("law_firms.csv");
    let text = std::fs::read_to_string(&law)
        .unwrap()
        .replace("执业状态", "状态说明");
    std::fs::write(&law, text).unwrap();
    run_cmd(&pipeline, "2026-11", &out)
        .assert()
        .code(4)
        .stderr(predicates::str::contains(
            "law_firms.csv: no column for required field `status`",
        ))
        .stderr(predicates::str::contains("(looked for 执业状态)"))
        .stderr(predicates::str::contains(
            "headers found: 统一社会信用代码, 律师事务所名称, 状态说明, 所在区, 执业人数",
        ));
    assert_eq!(std::fs::read(out.join("coverage.duckdb")).unwrap(), before);
}

#[test]
fn a_bad_period_is_a_usage_error() {
    coverage()
        .args([
            "run",
            "--pipeline",
            "x.toml",
            "--period",
            "2026-13",
            "--out",
            "o",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("period must be YYYY-MM"));
}

#[test]
fn a_pipeline_naming_an_unknown_field_is_refused() {
    let dir = copy_fixture("small");
    let pipeline = dir.path().join("pipeline.toml");
    let text = std::fs::read_to_string(&pipeline)
        .unwrap()
        .replace("employees = \"执业人数\"", "staff_count = \"执业人数\"");
    std::fs::write(&pipeline, text).unwrap();
    run_cmd(&pipeline, "2026-11", &dir.path().join("out"))
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "source `law_firms`: `staff_count` is not a field of a unit_registry source",
        ));
}
