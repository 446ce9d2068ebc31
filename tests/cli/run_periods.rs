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

/// The fixture month, then its second month (tests/fixtures/small-next, written by
/// make_next_month.py over a copy of small/), in one output folder.
pub fn two_months() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = copy_fixture("small");
    let out = dir.path().join("out");
    let pipeline = dir.path().join("pipeline.toml");
    run_ok(&pipeline, "2026-11", &out);
    let db = out.join("coverage.duckdb");
    // The first period of a folder: both change tables exist, and are empty.
    assert_eq!(
        lines(
            &db,
            "SELECT (SELECT count(*) FROM unit_changes), (SELECT count(*) FROM district_changes)"
        ),
        vec!["0 0"]
    );
    for entry in std::fs::read_dir(fixture("small-next")).unwrap() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e != "py") {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
    }
    run_ok(&pipeline, "2026-12", &out);
    (dir, db)
}

#[test]
fn a_second_month_says_what_changed_unit_by_unit_and_keeps_unit_ids() {
    let (dir, db) = two_months();
    // What make_next_month.py changed, unit by unit (ids are UC-<organization code>):
    // E 东方建材 left the export; D 明远 lost its instructor; A 星河 has 2 formal members
    // now (M3 left); R 新立 is new; B 云帆 was renamed (same USCC); C 青禾 moved to 朝阳
    // (same USCC). Nothing else changed.
    assert_eq!(
        lines(
            &db,
            "SELECT unit_id, district_code, sector, change, coalesce(before, '-'), coalesce(after, '-') \
             FROM unit_changes WHERE period = '2026-12'"
        ),
        vec![
            "UC-100000059 110101 enterprise gone 北京东方建材有限公司 -",
            "UC-100000040 110101 enterprise instructor_removed - -",
            "UC-100000016 110101 enterprise members_3plus_lost - -",
            "UC-100000139 110101 enterprise new - 北京新立科技有限公司",
            "UC-100000024 110101 enterprise renamed 北京云帆商贸有限公司 北京云帆国际商贸有限公司",
            "UC-100000032 110105 enterprise moved_district 110101 110105",
        ]
    );
    // 17 units in November; 16 of them (all but E) are there in December, each with
    // its November id; no merge or split.
    assert_eq!(
        lines(
            &db,
            "SELECT count(*) FROM units a JOIN units b USING (unit_id) \
             WHERE a.period = '2026-11' AND b.period = '2026-12'"
        ),
        vec!["16"]
    );
    assert_eq!(lines(&db, "SELECT count(*) FROM unit_id_events"), vec!["0"]);
    // Rerunning December gives every unit the same id again.
    let ids =
        "SELECT string_agg(unit_id, ',' ORDER BY unit_id) FROM units WHERE period = '2026-12'";
    let before = lines(&db, ids);
    run_ok(
        &dir.path().join("pipeline.toml"),
        "2026-12",
        &dir.path().join("out"),
    );
    assert_eq!(lines(&db, ids), before);
}

#[test]
fn a_second_month_puts_every_district_figure_beside_the_previous_one() {
    let (_dir, db) = two_months();
    // Enterprises in scope: 东城 A,B,C,D,H,Q → A,B,D,H,Q,R (6 → 6); 朝阳 I → I,C (1 → 2);
    // city 7 → 8. 3+ formal: A only → none. Work-covered: 东城 A,B,C,D,H (5) → A
    // (single), B (joint), H (functional) (3); 朝阳 I (union) → I, C (joint) (2);
    // city 6 → 5.
    assert_eq!(
        lines(
            &db,
            "SELECT district_code, metric, value, previous_value, difference FROM district_changes \
             WHERE period = '2026-12' AND sector = 'enterprise' AND district_code <> '110108' \
             AND metric IN ('units_in_scope', 'units_3plus_formal', 'units_work_covered') \
             ORDER BY district_code, metric"
        ),
        vec![
            "110000 units_3plus_formal 0.000000 1.000000 -1.000000",
            "110000 units_in_scope 8.000000 7.000000 1.000000",
            "110000 units_work_covered 5.000000 6.000000 -1.000000",
            "110101 units_3plus_formal 0.000000 1.000000 -1.000000",
            "110101 units_in_scope 6.000000 6.000000 0.000000",
            "110101 units_work_covered 3.000000 5.000000 -2.000000",
            "110105 units_3plus_formal 0.000000 0.000000 0.000000",
            "110105 units_in_scope 2.000000 1.000000 1.000000",
            "110105 units_work_covered 2.000000 1.000000 1.000000",
        ]
    );
    // Every figure of the period has its row: 8 district × sector rows × 14 figures (13
    // unit counts and rates, and members_not_transferred); all have a previous value but
    // 海淀's three rates, NULL in both months (no unit in scope): 112 − 2 sectors × 3 = 106.
    assert_eq!(
        lines(
            &db,
            "SELECT count(*), count(previous_value) FROM district_changes WHERE period = '2026-12'"
        ),
        vec!["112 106"]
    );
    // coverage_trend holds both months, figure by figure, equal to coverage_by_district.
    assert_eq!(
        lines(
            &db,
            "SELECT period, count(*) FROM coverage_trend GROUP BY period ORDER BY period"
        ),
        vec!["2026-11 112", "2026-12 112"]
    );
    assert_eq!(
        lines(
            &db,
            "SELECT count(*) FROM coverage_trend t JOIN coverage_by_district c \
             USING (period, district_code, sector) \
             WHERE t.metric = 'units_in_scope' AND t.value <> c.units_in_scope"
        ),
        vec!["0"]
    );
}

#[test]
fn a_backfill_runs_the_months_in_order() {
    let out = tempfile::tempdir().unwrap();
    let pipeline = fixture("small").join("pipeline.toml");
    run_ok(&pipeline, "2026-10..2026-12", out.path());
    let db = out.path().join("coverage.duckdb");
    assert_eq!(
        lines(&db, COUNT_BY_PERIOD),
        vec!["2026-10 17", "2026-11 17", "2026-12 17"]
    );
    // The same exports three times: nothing changed, and every figure's difference is 0.
    assert_eq!(
        lines(
            &db,
            "SELECT period, previous_period, count(*), count(*) FILTER (WHERE difference <> 0) \
             FROM district_changes GROUP BY ALL ORDER BY period"
        ),
        vec!["2026-11 2026-10 112 0", "2026-12 2026-11 112 0"]
    );
    assert_eq!(lines(&db, "SELECT count(*) FROM unit_changes"), vec!["0"]);
}

#[test]
fn the_appraisal_ties_out_to_the_months_and_its_workbook_to_the_scorecard() {
    let (dir, db) = two_months();
    let out = dir.path().join("out");
    let assert = coverage()
        .args(["appraise", "--year", "2026", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    // Only November and December were run: the other ten months are named.
    assert!(
        stdout.contains("2026-01, 2026-02, 2026-03, 2026-04, 2026-05, 2026-06, 2026-07, 2026-08, 2026-09, 2026-10"),
        "{stdout}"
    );
    assert_eq!(
        lines(&db, "SELECT year_end_period, first_period, coalesce(previous_year_end_period, '-') FROM appraisal_years"),
        vec!["2026-12 2026-11 -"]
    );
    // By hand, December: enterprises in scope with 50+ employees are A 星河 (120, members)
    // and D 明远 (65 by the ledger, none) in 东城, I 智联 (80, members) in 朝阳: 东城 1/2,
    // city 2/3 (target 1: not met). With 100+ only A, org-covered: 1/1, met. 3+ formal
    // units with their own organization: 东城 none since A fell to 2 (0/0: NULL, and in
    // November 1/1), 朝阳 J and P (2/2).
    assert_eq!(
        lines(
            &db,
            "SELECT district_code, target, numerator, denominator, coalesce(round(value, 4)::VARCHAR, '-'), \
             coalesce(met::VARCHAR, '-'), coalesce(round(first_value, 4)::VARCHAR, '-') FROM appraisal_scorecard \
             WHERE target IN ('enterprise_50_members', 'enterprise_100_org', 'should_form_own') \
             AND district_code IN ('110000', '110101', '110105') ORDER BY district_code, target"
        ),
        vec![
            "110000 enterprise_100_org 1 1 1.0 true 1.0",
            "110000 enterprise_50_members 2 3 0.6667 false 0.6667",
            "110000 should_form_own 2 2 1.0 true 1.0",
            "110101 enterprise_100_org 1 1 1.0 true 1.0",
            "110101 enterprise_50_members 1 2 0.5 false 0.5",
            "110101 should_form_own 0 0 - - 1.0",
            "110105 enterprise_100_org 0 0 - - -",
            "110105 enterprise_50_members 1 1 1.0 true 1.0",
            "110105 should_form_own 2 2 1.0 true 1.0",
        ]
    );
    // 4 places (3 districts and the city) × 6 targets.
    assert_appraisal_ties_out(&out, 2026, 24);
}

#[test]
fn rerunning_an_earlier_month_recomputes_the_changes_of_the_month_after_it() {
    let (dir, db) = two_months();
    let out = dir.path().join("out");
    // November rerun with December's exports: December no longer differs from it.
    run_ok(&dir.path().join("pipeline.toml"), "2026-11", &out);
    assert_eq!(
        lines(
            &db,
            "SELECT (SELECT count(*) FROM unit_changes WHERE period = '2026-12'), \
             (SELECT count(*) FILTER (WHERE difference <> 0) FROM district_changes WHERE period = '2026-12'), \
             (SELECT count(*) FROM district_changes WHERE period = '2026-12')"
        ),
        vec!["0 0 112"]
    );
    // The Parquet partitions say the same, and December's dashboard was drawn again:
    // its trend shows November as rerun.
    assert_eq!(december(&out), ("0".to_string(), 0, true));
}

/// December's changes against November, in the database and in its Parquet partition,
/// and whether December's dashboard shows November's figure as published now.
pub fn december(out: &std::path::Path) -> (String, i64, bool) {
    let db = out.join("coverage.duckdb");
    let changes = lines(
        &db,
        "SELECT count(*) FROM unit_changes WHERE period = '2026-12'",
    )
    .remove(0);
    let conn = coverage::database::open(None).unwrap();
    let parquet: i64 = conn
        .query_row(
            &format!(
                "SELECT count(*) FROM read_parquet('{}')",
                out.join("parquet/unit_changes/period=2026-12/data.parquet")
                    .display()
            ),
            [],
            |r| r.get(0),
        )
        .unwrap();
    let november = lines(
        &db,
        "SELECT printf('2026-11 组织覆盖率：%.1f%%', 100 * org_coverage_rate) FROM coverage_by_district \
         WHERE period = '2026-11' AND district_name = '全市' AND sector = 'enterprise'",
    )
    .remove(0);
    let html =
        std::fs::read_to_string(out.join("reports/2026-12/两个覆盖报告_2026-12.html")).unwrap();
    (changes, parquet, html.contains(&november))
}

#[test]
fn check_reads_everything_writes_nothing_and_wants_the_key_run_wants() {
    let dir = copy_fixture("small");
    let pipeline = dir.path().join("pipeline.toml");
    let assert = coverage()
        .args(["check", "--pipeline"])
        .arg(&pipeline)
        .args(["--period", "2026-11"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.contains("members.csv"), "{stdout}");
    assert!(!dir.path().join("out").exists());
    // Without a key, check stops as run does (exit 3), not with a throwaway key.
    let text = std::fs::read_to_string(&pipeline)
        .unwrap()
        .replace("key_file = \"pseudonym.key\"", "");
    std::fs::write(&pipeline, text).unwrap();
    for command in ["check", "run"] {
        let mut cmd = coverage();
        cmd.args([command, "--pipeline"])
            .arg(&pipeline)
            .args(["--period", "2026-11"]);
        if command == "run" {
            cmd.arg("--out").arg(dir.path().join("out"));
        }
        cmd.assert()
            .code(3)
            .stderr(predicates::str::contains("pseudonymization key"));
    }
}

/// Issue 12: a month whose estimated peak is above `--memory-limit` is refused before
/// anything is read or written (exit 7), with the estimate; a limit that is no size is
/// a usage error. The fixture's inputs are a few KiB: its estimate is the 768 MiB base
/// plus 3.6 bytes a byte the inputs keep (0.75 GiB and a few KiB: 0.8 GiB to one decimal), above
/// 1 MB and below 1 GB (953.7 MiB).
#[test]
fn a_month_above_the_memory_limit_is_refused_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let pipeline = fixture("small").join("pipeline.toml");
    let mut cmd = run_cmd(&pipeline, "2026-11", &out);
    cmd.args(["--memory-limit", "1MB"])
        .assert()
        .code(7)
        .stderr(predicates::str::contains(
            "need about 0.8 GiB of memory by estimate",
        ))
        .stderr(predicates::str::contains("memory limit of 0.0 GiB"));
    assert!(!out.exists());
    let mut cmd = run_cmd(&pipeline, "2026-11", &out);
    cmd.args(["--memory-limit", "lots"]).assert().code(2);
    let mut cmd = run_cmd(&pipeline, "2026-11", &out);
    cmd.args(["--memory-limit", "1GB"]).assert().success();
}

/// The estimate counts the cells of mapped columns, not a column the pipeline ignores (a
/// registry's 经营范围, a member list's remarks): the fixture's member list given a 备注
/// column of 2.5 MiB a row. Its 19 rows make 47.5 MiB of it: counted as bytes of input,
/// the month would need 768 MiB + 3.6 × 47.5 MiB = 939 MiB, above a 900 MiB limit; kept,
/// it needs the 768 MiB base and 3.6 × the few KiB of mapped cells, and it runs.
#[test]
fn a_column_the_pipeline_ignores_does_not_count_toward_the_memory_estimate() {
    let month = copy_fixture("small");
    let path = month.path().join("members.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let remark = "x".repeat(5 << 19);
    let mut lines = text.lines();
    let mut wide = format!("{},备注\n", lines.next().unwrap());
    let mut rows = 0;
    for line in lines.filter(|l| !l.is_empty()) {
        wide.push_str(&format!("{line},{remark}\n"));
        rows += 1;
    }
    assert_eq!(rows, 19);
    std::fs::write(&path, wide).unwrap();
    let out = month.path().join("out");
    let mut cmd = run_cmd(&month.path().join("pipeline.toml"), "2026-11", &out);
    cmd.args(["--memory-limit", "900MB"]).assert().success();
}

/// A folder written by an earlier version, whose tables lack columns added since (here
/// `rejects.kind`, `attachment_units.unit_kind_cn`), takes the next run: the columns are
/// added to coverage.duckdb, NULL for the earlier rows, filled for the new ones.
#[test]
fn a_folder_of_an_earlier_version_gains_the_new_columns() {
    let (out, db) = run_small();
    {
        let conn = coverage::database::open(Some(&db)).unwrap();
        conn.execute_batch(
            "DROP VIEW IF EXISTS latest_rejects; DROP VIEW IF EXISTS latest_attachment_units; \
             ALTER TABLE rejects DROP COLUMN kind; \
             ALTER TABLE attachment_units DROP COLUMN unit_kind_cn;",
        )
        .unwrap();
    }
    run_ok(
        &fixture("small").join("pipeline.toml"),
        "2026-11",
        out.path(),
    );
    assert_eq!(
        lines(
            &db,
            "SELECT count(*) = count(unit_kind_cn), count(*) > 0 FROM attachment_units"
        ),
        vec!["true true"]
    );
    assert_eq!(
        lines(&db, "SELECT count(*) = count(kind) FROM rejects"),
        vec!["true"]
    );
}
