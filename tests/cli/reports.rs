//! What people open: the attachments and workbooks in Chinese words only, and the HTML
//! dashboard — its figures those of coverage_by_district, nothing loaded from outside.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Reader, Xlsx};

use crate::util::*;

/// The sample month run into a fresh folder; returns it and its reports folder.
fn sample_run() -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    run_ok(&repo().join("pipelines/sample.toml"), "2026-11", out.path());
    let reports = out.path().join("reports/2026-11");
    (out, reports)
}

/// Every canonical word (src/vocabulary.rs, through the labels table).
fn codes() -> BTreeSet<&'static str> {
    coverage::labels::labels().iter().map(|l| l.code).collect()
}

/// The canonical words a text shows: its runs of [a-z0-9_] that are codes, and any
/// snake_case word (a code no set declares yet).
fn codes_in(text: &str, codes: &BTreeSet<&str>) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        .filter(|w| !w.is_empty())
        .filter(|w| {
            codes.contains(w) || (w.contains('_') && w.chars().any(|c| c.is_ascii_lowercase()))
        })
        .map(str::to_string)
        .collect()
}

/// The words of an HTML page a reader sees: tags, the style sheet and `<code>` (file
/// paths and hashes, shown as they are) left out.
fn visible_text(html: &str) -> String {
    let mut without_style = html.to_string();
    for (open, close) in [("<style>", "</style>"), ("<code>", "</code>")] {
        while let Some(a) = without_style.find(open) {
            let b = without_style[a..]
                .find(close)
                .map_or(without_style.len(), |b| a + b + close.len());
            without_style.replace_range(a..b, " ");
        }
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in without_style.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

fn files_with(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

/// The canonical codes shown anywhere in the reports of `reports` (every text cell of
/// every workbook and CSV, the dashboard's text), each with where; and the cells read.
fn codes_shown(reports: &Path) -> (Vec<String>, usize) {
    let codes = codes();
    let mut found: Vec<String> = Vec::new();
    let mut cells = 0;
    let workbooks = files_with(reports, "xlsx");
    // 合规清单, 一企一策, 附件1–4 and the 通报.
    assert_eq!(workbooks.len(), 7, "{workbooks:?}");
    for path in &workbooks {
        let mut book: Xlsx<_> = open_workbook(path).unwrap();
        for name in book.sheet_names() {
            for (r, row) in book.worksheet_range(&name).unwrap().rows().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    if let Data::String(s) = cell {
                        cells += 1;
                        for code in codes_in(s, &codes) {
                            found.push(format!("{}:{name}:{r}:{c}: {code} in {s}", path.display()));
                        }
                    }
                }
            }
        }
    }
    let csvs = files_with(reports, "csv");
    assert_eq!(csvs.len(), 4, "{csvs:?}");
    for path in &csvs {
        let mut reader = csv::Reader::from_path(path).unwrap();
        for (r, record) in reader.records().enumerate() {
            for (c, field) in record.unwrap().iter().enumerate() {
                cells += 1;
                for code in codes_in(field, &codes) {
                    found.push(format!("{}:{r}:{c}: {code} in {field}", path.display()));
                }
            }
        }
    }
    let html = files_with(reports, "html");
    assert_eq!(html.len(), 1, "{html:?}");
    let text = visible_text(&std::fs::read_to_string(&html[0]).unwrap());
    for code in codes_in(&text, &codes) {
        found.push(format!("dashboard: {code}"));
    }
    (found, cells)
}

/// Every cell of every workbook and CSV, and the dashboard's text, is free of canonical
/// codes (`private_enterprise` shows as 私营企业, `none` as 未建): on the sample month, and
/// on a messy synthetic month whose rejects and flags the dashboard lists by field.
#[test]
fn every_report_cell_is_in_chinese_words() {
    // The check itself finds a code where there is one.
    assert_eq!(
        codes_in("类型：private_enterprise，形式：none", &codes()),
        ["private_enterprise", "none"]
    );
    let (_out, reports) = sample_run();
    let (found, cells) = codes_shown(&reports);
    // The sample's 统计表 alone has thousands of text cells.
    assert!(cells > 10_000, "{cells} cells read");
    assert!(
        found.is_empty(),
        "{} codes shown, first: {:?}",
        found.len(),
        &found[..found.len().min(10)]
    );
    let messy = synth_and_run("1500", "11", "high");
    let db = messy.path().join("out/coverage.duckdb");
    assert_ne!(
        lines(&db, "SELECT count(*) FROM flags"),
        ["0"],
        "the month has flags to show"
    );
    let (found, _) = codes_shown(&messy.path().join("out/reports/2026-11"));
    assert!(
        found.is_empty(),
        "{} codes shown, first: {:?}",
        found.len(),
        &found[..found.len().min(10)]
    );
}

/// The value of `data-figure="name"` in a table row of the dashboard.
fn figure(row: &str, name: &str) -> String {
    let key = format!("data-figure=\"{name}\">");
    let start = row.find(&key).unwrap_or_else(|| panic!("{name} in {row}")) + key.len();
    row[start..].split('<').next().unwrap().to_string()
}

/// The dashboard shows, for every row of coverage_by_district, the same four counts and
/// three rates (as 0.0%), and each district's gap to the target; it loads nothing: no
/// script or style from a file or the network, no image, every link a workbook beside it.
#[test]
fn the_dashboard_shows_every_district_as_coverage_by_district_and_loads_nothing() {
    let (out, reports) = sample_run();
    let html = std::fs::read_to_string(reports.join("两个覆盖报告_2026-11.html")).unwrap();
    let db = out.path().join("coverage.duckdb");
    let expected = query(
        &db,
        "SELECT sector, district_code, units_in_scope, units_org_covered, units_single_org, \
         units_work_covered, coalesce(printf('%.1f%%', 100 * org_coverage_rate), '—'), \
         coalesce(printf('%.1f%%', 100 * single_rate), '—'), \
         coalesce(printf('%.1f%%', 100 * work_coverage_rate), '—') \
         FROM coverage_by_district ORDER BY ALL",
    );
    assert_eq!(expected.len(), 34);
    let names = [
        "units_in_scope",
        "units_org_covered",
        "units_single_org",
        "units_work_covered",
        "org_coverage_rate",
        "single_rate",
        "work_coverage_rate",
    ];
    let rows: Vec<&str> = html.split("<tr data-sector=").skip(1).collect();
    assert_eq!(rows.len(), 34, "a table row per district and sector");
    for e in &expected {
        let key = format!("\"{}\" data-district=\"{}\"", e[0], e[1]);
        let row = rows
            .iter()
            .find(|r| r.starts_with(&key))
            .unwrap_or_else(|| panic!("no row {key}"));
        let row = row.split("</tr>").next().unwrap();
        let shown: Vec<String> = names.iter().map(|n| figure(row, n)).collect();
        assert_eq!(shown, e[2..], "{key}");
    }
    let gaps = query(
        &db,
        "SELECT district_code, gap FROM social_org_target ORDER BY ALL",
    );
    for g in &gaps {
        let key = format!("<tr data-target=\"{}\"", g[0]);
        let row = html.split(&key).nth(1).unwrap_or_else(|| panic!("{key}"));
        assert_eq!(figure(row.split("</tr>").next().unwrap(), "gap"), g[1]);
    }
    // Nothing from outside: the only address is the SVG namespace, a name not a fetch.
    let page = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for banned in [
        "http://", "https://", "src=", "<link", "@import", "url(", "<img", "<iframe",
    ] {
        assert!(!page.contains(banned), "the dashboard has {banned}");
    }
    let links: Vec<&str> = page
        .split("href=\"")
        .skip(1)
        .map(|h| h.split('"').next().unwrap())
        .collect();
    assert_eq!(links.len(), 2, "{links:?}");
    for link in links {
        assert!(
            reports.join(link).is_file(),
            "{link} is not beside the dashboard"
        );
    }
    assert!(page.contains("@page { size: A4 landscape"));
    // Drawn again by `coverage dashboard` (`report`, its old name, still works), it is
    // the same file.
    let again = coverage()
        .args(["dashboard", "--period", "2026-11", "--out"])
        .arg(out.path())
        .assert()
        .success();
    assert!(
        String::from_utf8_lossy(&again.get_output().stdout).contains("两个覆盖报告_2026-11.html")
    );
    assert_eq!(
        std::fs::read_to_string(reports.join("两个覆盖报告_2026-11.html")).unwrap(),
        html
    );
}

/// With two months in the folder the dashboard draws their trend (a line a rate, two
/// points each); with one it says why there is none.
#[test]
fn the_dashboard_draws_the_trend_once_there_are_two_months() {
    let (dir, db) = crate::run_periods::two_months();
    let out = dir.path().join("out");
    let read = |p: &str| {
        std::fs::read_to_string(out.join(format!("reports/{p}/两个覆盖报告_{p}.html"))).unwrap()
    };
    let first = read("2026-11");
    assert!(!first.contains("<polyline"));
    assert!(first.contains("积累两个以上期别后显示趋势"));
    let second = read("2026-12");
    // A line per rate and sector; a point per month where the city's rate is not NULL.
    assert_eq!(second.matches("<polyline").count(), 6);
    let points = lines(
        &db,
        "SELECT count(org_coverage_rate) + count(single_rate) + count(work_coverage_rate) \
         FROM coverage_by_district WHERE district_name = '全市'",
    );
    assert_eq!(second.matches("<circle").count().to_string(), points[0]);
    assert!(second.contains("2026-11 组织覆盖率："));
}

/// `--json` prints one JSON document with the period's coverage_by_district rows;
/// `--quiet` prints nothing; neither prints progress when stderr is not a terminal.
#[test]
fn json_and_quiet_summaries() {
    let out = tempfile::tempdir().unwrap();
    let pipeline = fixture("small").join("pipeline.toml");
    let json = run_cmd(&pipeline, "2026-11", out.path())
        .arg("--json")
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&json.get_output().stdout).into_owned();
    let summary: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON document");
    let db = out.path().join("coverage.duckdb");
    let rows = summary["coverage_by_district"].as_array().unwrap();
    assert_eq!(
        rows.len().to_string(),
        lines(&db, "SELECT count(*) FROM coverage_by_district")[0]
    );
    let city = rows
        .iter()
        .find(|r| r["district_name"] == "全市" && r["sector"] == "enterprise")
        .unwrap();
    assert_eq!(
        city["units_in_scope"].to_string(),
        lines(&db, "SELECT units_in_scope FROM coverage_by_district WHERE district_name = '全市' AND sector = 'enterprise'")[0]
    );
    assert_eq!(summary["manifest"]["period"], "2026-11");
    assert!(std::path::Path::new(summary["dashboard"].as_str().unwrap()).is_file());
    assert!(json.get_output().stderr.is_empty());
    let quiet = run_cmd(&pipeline, "2026-11", out.path())
        .arg("--quiet")
        .assert()
        .success();
    assert!(quiet.get_output().stdout.is_empty());
    assert!(quiet.get_output().stderr.is_empty());
}
