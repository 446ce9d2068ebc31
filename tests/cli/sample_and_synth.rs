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
    // 8 exports, the key, the pipeline file and 6 truth files.
    assert_eq!(fa.len(), 16);
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

fn evaluate_json(dir: &std::path::Path) -> serde_json::Value {
    let out = coverage()
        .args(["evaluate", "--period", "2026-11", "--json", "--truth"])
        .arg(dir)
        .arg("--run")
        .arg(dir.join("out"))
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[test]
fn without_mess_the_run_equals_the_truth() {
    let dir = synth_and_run("1500", "3", "none");
    let db = dir.path().join("out/coverage.duckdb");
    assert_eq!(lines(&db, "SELECT count(*) FROM rejects"), vec!["0"]);
    assert_eq!(
        lines(&db, "SELECT count(*) FROM unmatched_members"),
        vec!["0"]
    );
    let e = evaluate_json(dir.path());
    for part in ["units", "members"] {
        assert_eq!(e[part]["precision"], 1.0, "{part}: {}", e[part]);
        assert_eq!(e[part]["recall"], 1.0, "{part}: {}", e[part]);
    }
    // Units shared by both enterprise exports make true pairs to find.
    assert!(e["units"]["true_pairs"].as_u64().unwrap() > 10);
    let metrics = e["metrics"].as_array().unwrap();
    assert_eq!(metrics.len(), 15);
    for m in metrics {
        assert_eq!(m["max_abs_diff"], 0.0, "{m}");
    }
}

#[test]
fn with_mess_evaluate_reports_what_was_lost() {
    let dir = synth_and_run("3000", "4", "high");
    let db = dir.path().join("out/coverage.duckdb");
    // High mess breaks rows (wrong column counts, invalid check digits): rejected.
    let rejects: i64 = lines(&db, "SELECT count(*) FROM rejects")[0]
        .parse()
        .unwrap();
    assert!(rejects > 0);
    let e = evaluate_json(dir.path());
    // Every broken row was rejected and no real row was.
    assert_eq!(e["units"]["broken_accepted"], 0);
    assert_eq!(e["units"]["records_lost"], 0);
    // Typos and abbreviations of 工作单位 leave some members unplaced.
    assert!(e["members"]["recall"].as_f64().unwrap() < 1.0);
    let in_scope = e["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == "units_in_scope")
        .unwrap();
    assert!(in_scope["max_abs_diff"].as_f64().unwrap() > 0.0);
}
