//! `coverage rollup`: the sample month run as three district deployments and rolled up
//! gives the figures of the one city-wide run; a unit two deployments both count stops
//! the roll-up unless one is named to count it.

use std::path::{Path, PathBuf};

use crate::util::*;

/// The sample pipeline with only `districts` (by position in its [districts]) and
/// absolute input paths, written into `dir`.
pub(crate) fn deployment(dir: &Path, name: &str, districts: std::ops::Range<usize>) -> PathBuf {
    let text = std::fs::read_to_string(repo().join("pipelines/sample.toml"))
        .unwrap()
        .replace(
            "../data-samples/",
            &format!("{}/", repo().join("data-samples").display()),
        );
    let start = text.find("[districts]\n").unwrap() + "[districts]\n".len();
    let end = start + text[start..].find("\n\n").unwrap();
    let lines: Vec<&str> = text[start..end].lines().collect();
    let kept = lines[districts].join("\n");
    let pipeline = dir.join(format!("{name}.toml"));
    std::fs::write(
        &pipeline,
        format!("{}{kept}{}", &text[..start], &text[end..]),
    )
    .unwrap();
    let out = dir.join(name);
    run_ok(&pipeline, "2026-11", &out);
    out
}

pub(crate) fn rollup(inputs: &[&Path], out: &Path) -> assert_cmd::Command {
    let mut cmd = coverage();
    cmd.arg("rollup");
    for i in inputs {
        cmd.arg("--input").arg(i);
    }
    cmd.args(["--period", "2026-11", "--out"]).arg(out);
    cmd
}

#[test]
fn three_district_deployments_roll_up_to_the_city_run() {
    let dir = tempfile::tempdir().unwrap();
    // 16 districts: 东城…石景山 (5), 海淀…顺义 (5), 昌平…延庆 (6).
    let a = deployment(dir.path(), "a", 0..5);
    let b = deployment(dir.path(), "b", 5..10);
    let c = deployment(dir.path(), "c", 10..16);
    let out = dir.path().join("province");
    rollup(&[&a, &b, &c], &out).assert().success();
    let db = out.join("coverage.duckdb");
    // Every figure of the declaration (src/figures.rs), rates rounded.
    let figures = figure_columns(true);
    // National, province and city rows: each the sum of the three deployments' city
    // rows, and equal to the one city-wide run of the sample (263 enterprises and 58
    // social organizations in scope, README).
    let sums = |sector: &str| {
        let per: Vec<Vec<String>> = [&a, &b, &c]
            .iter()
            .map(|d| {
                query(
                    &d.join("coverage.duckdb"),
                    &format!("SELECT units_in_scope, units_org_covered FROM coverage_by_district WHERE district_name = '全市' AND sector = '{sector}'"),
                )[0]
                .clone()
            })
            .collect();
        let total = |i: usize| {
            per.iter()
                .map(|r| r[i].parse::<i64>().unwrap())
                .sum::<i64>()
        };
        format!("{} {}", total(0), total(1))
    };
    for level in ["national", "province", "city"] {
        assert_eq!(
            lines(&db, &format!("SELECT region_code, region_name, units_in_scope, units_org_covered FROM coverage_by_region WHERE level = '{level}' ORDER BY sector")),
            vec![
                format!("{} {} {}", code(level), name(level), sums("enterprise")),
                format!("{} {} {}", code(level), name(level), sums("social_org")),
            ]
        );
    }
    let city_run = tempfile::tempdir().unwrap();
    run_ok(
        &repo().join("pipelines/sample.toml"),
        "2026-11",
        city_run.path(),
    );
    assert_eq!(
        lines(&db, &format!("SELECT sector, {figures} FROM coverage_by_region WHERE level = 'city' ORDER BY sector")),
        lines(
            &city_run.path().join("coverage.duckdb"),
            &format!("SELECT sector, {figures} FROM coverage_by_district WHERE district_name = '全市' ORDER BY sector")
        )
    );
    // A district row is its deployment's row, figure for figure: all 16 of them.
    let districts = lines(&db, &format!("SELECT region_code, sector, {figures} FROM coverage_by_region WHERE level = 'district' ORDER BY ALL"));
    assert_eq!(districts.len(), 32);
    let mut deployed: Vec<String> = [&a, &b, &c]
        .iter()
        .flat_map(|d| lines(&d.join("coverage.duckdb"), &format!("SELECT district_code, sector, {figures} FROM coverage_by_district WHERE district_name <> '全市'")))
        .collect();
    deployed.sort();
    assert_eq!(districts, deployed);
    // The gap to the 40% target at city level: ceil(0.4 × 49) = ceil(19.6) = 20, minus 25
    // covered → 0 (the sample's social organizations in scope and covered, summed above).
    assert_eq!(
        lines(&db, "SELECT social_orgs_in_scope, covered, target_count, gap FROM social_org_target_by_region WHERE level = 'city'"),
        vec!["49 25 20 0"]
    );
    assert!(out
        .join("parquet/coverage_by_region/period=2026-11/data.parquet")
        .is_file());
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("rollups/2026-11/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(m["inputs"].as_array().unwrap().len(), 3);
    assert_eq!(
        m["inputs"][0]["manifest_sha256"].as_str().unwrap().len(),
        64
    );
}

fn code(level: &str) -> &'static str {
    match level {
        "national" => "000000",
        "province" => "110000",
        _ => "110100",
    }
}

fn name(level: &str) -> &'static str {
    if level == "national" {
        "全国"
    } else {
        "北京市"
    }
}

/// The same deployment twice: every unit of it is in scope in both. The roll-up stops
/// (exit 4) saying how many; with --allow-overlap naming one copy, each unit counts once.
#[test]
fn a_unit_counted_by_two_deployments_stops_the_rollup_unless_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let a = deployment(dir.path(), "a", 0..5);
    let copy = dir.path().join("a-copy");
    copy_dir(&a, &copy);
    let in_scope = lines(
        &a.join("coverage.duckdb"),
        "SELECT count(*) FROM unit_status WHERE in_scope",
    )[0]
    .clone();
    let out = dir.path().join("rolled");
    let refused = rollup(&[&a, &copy], &out).assert().code(4);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        stderr.contains(&format!("{in_scope} units (by unit_id) and")),
        "{stderr}"
    );
    rollup(&[&a, &copy], &out)
        .arg("--allow-overlap")
        .arg(&copy)
        .assert()
        .success();
    assert_eq!(
        lines(
            &out.join("coverage.duckdb"),
            "SELECT sum(units_in_scope) FROM coverage_by_region WHERE level = 'national'"
        ),
        vec![in_scope]
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// spark-submit as CI installs it (.ci/setup: ~/.cache/coverage-spark), or as the
/// environment names it. The engine test fails, never skips, without it.
fn spark_submit() -> PathBuf {
    if let Some(p) = std::env::var_os("COVERAGE_SPARK_SUBMIT") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME").expect("HOME");
    let cached = Path::new(&home).join(".cache/coverage-spark/bin/spark-submit");
    assert!(
        cached.is_file(),
        "Spark is not installed: run bash .ci/setup (it installs pyspark into {})",
        cached.display()
    );
    cached
}

/// A synthetic month of `region` (coverage-synth write --region) run into `dir/region`;
/// returns the run's output folder.
fn region_deployment(dir: &Path, region: &str, seed: &str) -> PathBuf {
    let month = dir.join(region);
    synth()
        .args([
            "write", "--region", region, "--units", "600", "--seed", seed,
        ])
        .args(["--period", "2026-11", "--out"])
        .arg(&month)
        .assert()
        .success();
    let out = month.join("out");
    run_ok(&month.join("pipeline.toml"), "2026-11", &out);
    out
}

/// Three synthetic regions (北京市, 天津市, 上海市: coverage-synth write --region), each run
/// as its own deployment, rolled up by DuckDB and by Spark (local mode): the three
/// tables are equal, cell for cell and type for type; the national counts are the sums
/// of the deployments' city rows; each province is its deployment's city row.
#[test]
fn duckdb_and_spark_roll_up_three_regions_to_the_same_tables() {
    let dir = tempfile::tempdir().unwrap();
    let regions = [("beijing", "1"), ("tianjin", "2"), ("shanghai", "3")];
    let outs: Vec<PathBuf> = regions
        .iter()
        .map(|(region, seed)| region_deployment(dir.path(), region, seed))
        .collect();
    let inputs: Vec<&Path> = outs.iter().map(|p| p.as_path()).collect();
    let by_duckdb = dir.path().join("duckdb");
    let by_spark = dir.path().join("spark");
    rollup(&inputs, &by_duckdb).assert().success();
    // The binary finds spark-submit where .ci/setup installs it, PATH untouched (or
    // where COVERAGE_SPARK_SUBMIT, inherited, says); the helper fails the test first
    // when Spark is not installed at all.
    spark_submit();
    rollup(&inputs, &by_spark)
        .args(["--engine", "spark", "--spark-master", "local[2]"])
        .assert()
        .success();
    for table in [
        "coverage_by_region",
        "social_org_target_by_region",
        "rollup_overlaps",
    ] {
        let rows = |out: &Path| {
            lines(
                &out.join("coverage.duckdb"),
                &format!("SELECT * FROM {table} ORDER BY ALL"),
            )
        };
        let types = |out: &Path| {
            lines(
                &out.join("coverage.duckdb"),
                &format!("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = '{table}' ORDER BY column_index"),
            )
        };
        assert_eq!(rows(&by_spark), rows(&by_duckdb), "{table}");
        assert_eq!(types(&by_spark), types(&by_duckdb), "{table}");
    }
    let db = by_duckdb.join("coverage.duckdb");
    // 2 sectors × (the country, 3 provinces, 3 cities, 48 districts).
    assert_eq!(
        lines(&db, "SELECT count(*) FROM coverage_by_region"),
        vec!["110"]
    );
    let figures = figure_columns(false);
    let city_rows: Vec<Vec<Vec<String>>> = outs
        .iter()
        .map(|o| {
            query(
                &o.join("coverage.duckdb"),
                &format!("SELECT sector, {figures} FROM coverage_by_district WHERE district_name = '全市' ORDER BY sector"),
            )
        })
        .collect();
    let national = query(
        &db,
        &format!("SELECT sector, {figures} FROM coverage_by_region WHERE level = 'national' ORDER BY sector"),
    );
    for (s, row) in national.iter().enumerate() {
        for f in 1..row.len() {
            let sum: i64 = city_rows
                .iter()
                .map(|c| c[s][f].parse::<i64>().unwrap())
                .sum();
            assert_eq!(row[f], sum.to_string(), "national {} column {f}", row[0]);
        }
    }
    for (k, (code, name)) in [
        ("110000", "北京市"),
        ("120000", "天津市"),
        ("310000", "上海市"),
    ]
    .iter()
    .enumerate()
    {
        let province = query(
            &db,
            &format!("SELECT sector, {figures} FROM coverage_by_region WHERE level = 'province' AND region_code = '{code}' AND region_name = '{name}' ORDER BY sector"),
        );
        assert_eq!(province, city_rows[k], "{name}");
    }
    assert_eq!(
        lines(&db, "SELECT count(*) FROM rollup_overlaps"),
        vec!["0"]
    );
}

/// `--engine spark` where no spark-submit can be found (not in COVERAGE_SPARK_SUBMIT, on
/// PATH or in ~/.cache/coverage-spark) stops (exit 3) with the command that installs it.
#[test]
fn the_spark_engine_without_spark_says_how_to_install_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = deployment(dir.path(), "a", 0..5);
    let refused = rollup(&[&a], &dir.path().join("out"))
        .args(["--engine", "spark"])
        .env_remove("COVERAGE_SPARK_SUBMIT")
        .env("PATH", "/nonexistent")
        .env("HOME", dir.path())
        .assert()
        .code(3);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("pip install pyspark sqlglot"), "{stderr}");
}

/// The columns of every count of src/figures.rs, then (with `rates`) every rate rounded
/// to 9 places: what a roll-up row and a deployment's row must agree on.
fn figure_columns(rates: bool) -> String {
    let mut columns: Vec<String> = coverage::figures::COUNTS
        .iter()
        .map(|c| c.name.to_string())
        .collect();
    if rates {
        columns.extend(
            coverage::figures::RATES
                .iter()
                .map(|r| format!("round({}, 9)", r.name)),
        );
    }
    columns.join(", ")
}
