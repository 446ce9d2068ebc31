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
        vec!["2026-11 17", "2026-12 17"]
    );
    run_ok(&pipeline, "2026-11", out.path());
    assert_eq!(
        lines(&db, COUNT_BY_PERIOD),
        vec!["2026-11 17", "2026-12 17"]
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
            "law_firms.csv: no column for field `status`",
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

#[test]
fn a_unit_keeps_its_id_when_renamed_and_moved_to_another_district() {
    let dir = copy_fixture("small");
    let pipeline = dir.path().join("pipeline.toml");
    let out = dir.path().join("out");
    run_ok(&pipeline, "2026-11", &out);
    // December: 星河科技 is renamed 星河云图科技 and moves from 东城 to 朝阳.
    let file = dir.path().join("enterprises_dongcheng.csv");
    let bytes = std::fs::read(&file).unwrap();
    let (text, _, _) = encoding_rs::GBK.decode(&bytes);
    let text = text.replace(
        "北京星河科技有限公司,有限责任公司(自然人投资或控股),存续,东城区",
        "北京星河云图科技有限公司,有限责任公司(自然人投资或控股),存续,朝阳区",
    );
    std::fs::write(&file, encoding_rs::GBK.encode(&text).0).unwrap();
    run_ok(&pipeline, "2026-12", &out);
    assert_eq!(
        lines(
            &out.join("coverage.duckdb"),
            "SELECT period, unit_id, name, district_name FROM units WHERE uscc = '911101011000000161' ORDER BY period"
        ),
        vec![
            "2026-11 UC-100000016 北京星河科技有限公司 东城区",
            "2026-12 UC-100000016 北京星河云图科技有限公司 朝阳区",
        ]
    );
}
