//! The dashboard (publish stage, and `coverage report`): one self-contained HTML file a
//! department head opens offline — the three rates by district as bars with the city
//! value marked, the gap to the social-organization target, the trend over the months
//! the output folder holds, the compliance lists with links to their workbooks, data
//! quality and provenance. CSS is inline and charts are inline SVG drawn here: the file
//! loads nothing from anywhere, and prints on A4 landscape.
//!
//! It reads only what a run published (coverage.duckdb and the period's manifest), so
//! it always shows the figures an analyst can query, and it can be drawn again at any
//! time with `coverage report`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use duckdb::Connection;

use crate::error::{DbContext, Error, Result};
use crate::figures::{headline_counts, DENOMINATOR, RATES};
use crate::manifest::Manifest;
use crate::publish::{reports_dir, DATABASE_FILE};
use crate::vocabulary::Sector;

mod bulletin;
mod sections;
mod svg;

use sections::*;

/// The run's stages as the provenance names them.
const STAGES: [(&str, &str); 9] = [
    ("extract", "读取"),
    ("resolve", "单位去重"),
    ("feedback", "读取区县反馈"),
    ("link", "党员关联"),
    ("assess", "覆盖判定"),
    ("load", "装载"),
    ("aggregate", "汇总"),
    ("publish", "发布"),
    ("reports", "报表"),
];

/// The file name of a period's dashboard in its reports folder.
pub fn file_name(period: &str) -> String {
    format!("两个覆盖报告_{period}.html")
}

/// One district (or the city, 全市) of one sector.
#[derive(Debug, Clone)]
struct District {
    code: String,
    name: String,
    /// The city-total row (全市), told by its code.
    is_city: bool,
    /// The values of [`headline_counts`] (the units in scope and each rate's numerator),
    /// in order.
    counts: Vec<i64>,
    /// The values of [`RATES`], in order.
    rates: Vec<Option<f64>>,
}

impl District {
    /// The units in scope (the default denominator), which the summary cards show.
    fn in_scope(&self) -> i64 {
        let at = headline_counts().position(|c| c.name == DENOMINATOR);
        self.counts[at.expect("the dashboard shows units_in_scope")]
    }
}

/// Draws the dashboard of `period` from the output folder `out` into the period's
/// reports folder; returns its path. Written to a temporary name and renamed, so a
/// reader never sees half a file.
pub fn write(out: &Path, period: &str) -> Result<PathBuf> {
    let db = out.join(DATABASE_FILE);
    if !db.exists() {
        return Err(Error::output(
            &db,
            "no coverage.duckdb: run `coverage run` for the period first",
        ));
    }
    let conn = crate::database::open(Some(&db))?;
    let periods: Vec<String> = query(
        &conn,
        "read the periods",
        "SELECT DISTINCT period FROM coverage_by_district ORDER BY period",
        &[],
        |r| r.get(0),
    )?;
    if !periods.iter().any(|p| p == period) {
        return Err(Error::output(
            &db,
            format!(
                "no figures for period {period} (the folder holds {})",
                if periods.is_empty() {
                    "none".to_string()
                } else {
                    periods.join(", ")
                }
            ),
        ));
    }
    let manifest = Manifest::read(out, period)?.map(|(m, _)| m);
    let html = render(&conn, period, &periods, manifest.as_ref())?;
    let dir = reports_dir(out, period);
    std::fs::create_dir_all(&dir).map_err(|e| Error::output(&dir, e))?;
    let path = dir.join(file_name(period));
    let partial = dir.join(format!(".{}.partial", file_name(period)));
    std::fs::write(&partial, html).map_err(|e| Error::output(&partial, e))?;
    std::fs::rename(&partial, &path).map_err(|e| Error::output(&path, e))?;
    Ok(path)
}

/// Draws the dashboards of `period` and of every later period in the folder: their
/// trend lines show `period`, which a rerun may have changed. Returns the first's path.
pub fn write_from(out: &Path, period: &str) -> Result<PathBuf> {
    let path = write(out, period)?;
    let conn = crate::database::open(Some(&out.join(DATABASE_FILE)))?;
    let later: Vec<String> = query(
        &conn,
        "read the periods",
        "SELECT DISTINCT period FROM coverage_by_district WHERE period > ? ORDER BY period",
        &[period],
        |r| r.get(0),
    )?;
    drop(conn);
    for p in later {
        write(out, &p)?;
    }
    Ok(path)
}

/// Every row of a query of the published tables, each made by `row`; `what` says what
/// was read when it fails.
fn query<T>(
    conn: &Connection,
    what: &str,
    sql: &str,
    params: &[&str],
    row: impl FnMut(&duckdb::Row) -> duckdb::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare(sql).db(what)?;
    let rows = stmt
        .query_map(duckdb::params_from_iter(params), row)
        .db(what)?;
    rows.collect::<std::result::Result<Vec<_>, _>>().db(what)
}

fn districts(conn: &Connection, period: &str, sector: Sector) -> Result<Vec<District>> {
    let cols: Vec<&str> = headline_counts()
        .map(|c| c.name)
        .chain(RATES.iter().map(|r| r.name))
        .collect();
    let shown = cols.len() - RATES.len();
    let sql = format!(
        "SELECT district_code, district_name, is_city(district_code), {} FROM coverage_by_district \
         WHERE period = ? AND sector = ? ORDER BY is_city(district_code), district_code",
        cols.join(", ")
    );
    query(
        conn,
        "read coverage_by_district",
        &sql,
        &[period, sector.as_str()],
        |r| {
            Ok(District {
                code: r.get(0)?,
                name: r.get(1)?,
                is_city: r.get(2)?,
                counts: (0..shown)
                    .map(|i| r.get(3 + i))
                    .collect::<duckdb::Result<_>>()?,
                rates: (0..RATES.len())
                    .map(|i| r.get(3 + shown + i))
                    .collect::<duckdb::Result<_>>()?,
            })
        },
    )
}

/// A rate as the attachments show it: a percentage with one decimal, `—` for none.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or("—".to_string(), |r| format!("{:.1}%", 100.0 * r))
}

/// Text made safe for HTML.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            c => s.push(c),
        }
    }
    s
}

const STYLE: &str = r#"
@page { size: A4 landscape; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; color: #1f2933;
       margin: 0 auto; max-width: 1200px; padding: 16px; font-size: 13px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; border-left: 4px solid #b71c1c; padding-left: 8px; margin: 22px 0 8px; }
h3 { font-size: 14px; margin: 10px 0 4px; }
.sub { color: #52606d; margin-bottom: 10px; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; }
.card { border: 1px solid #d9e2ec; border-radius: 6px; padding: 6px 12px; }
.card .v { font-size: 22px; font-weight: bold; color: #b71c1c; }
.card .k { color: #52606d; }
.grid { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; }
.grid2 { display: grid; grid-template-columns: repeat(2, 1fr); gap: 8px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { border: 1px solid #9aa5b1; padding: 3px 6px; }
th { background: #f0f4f8; font-weight: bold; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.city td { font-weight: bold; background: #fff8e1; }
.note { color: #52606d; font-size: 12px; }
svg { width: 100%; height: auto; }
.grid, .grid2, tr, svg, .cards { break-inside: avoid; page-break-inside: avoid; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
code { font-size: 11px; word-break: break-all; }
@media print { body { padding: 0; max-width: none; font-size: 11px; }
  a { color: inherit; text-decoration: none; } th, td { padding: 1px 4px; } }
"#;

/// The whole page.
fn render(
    conn: &Connection,
    period: &str,
    periods: &[String],
    manifest: Option<&Manifest>,
) -> Result<String> {
    let city = manifest.map_or("", |m| m.pipeline.city_name.as_str());
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{city}非公有制企业和社会组织“两个覆盖”情况（{period}）</title>\
         <style>{STYLE}</style></head><body>\n\
         <h1>{city}非公有制企业和社会组织党的组织和工作“两个覆盖”情况</h1>\
         <div class=\"sub\">统计期别 {period} · 由 coverage 根据本期登记数据和党员、党组织数据计算，\
         与 coverage.duckdb 和各附件一致</div>\n",
        city = escape(city),
        period = escape(period),
    );
    let enterprise = districts(conn, period, Sector::Enterprise)?;
    let social = districts(conn, period, Sector::SocialOrg)?;
    summary_cards(&mut h, &enterprise, &social);
    for (sector, rows) in [
        (Sector::Enterprise, &enterprise),
        (Sector::SocialOrg, &social),
    ] {
        sector_section(&mut h, sector, rows);
    }
    target_section(&mut h, conn, period)?;
    bulletin::bulletin_section(&mut h, conn, period)?;
    trend_section(&mut h, conn, periods)?;
    lists_section(&mut h, conn, period)?;
    quality_section(&mut h, conn, period)?;
    provenance_section(&mut h, manifest);
    h.push_str("</body></html>\n");
    Ok(h)
}
