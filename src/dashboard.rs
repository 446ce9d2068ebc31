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
use crate::publish::{manifest_path, reports_dir, DATABASE_FILE};
use crate::vocabulary::Sector;

mod svg;

/// The rates of coverage_by_district, with their Chinese names.
pub const RATES: [(&str, &str); 3] = [
    ("org_coverage_rate", "组织覆盖率"),
    ("single_rate", "单独组建率"),
    ("work_coverage_rate", "工作覆盖率"),
];

/// The counts of coverage_by_district the dashboard's table shows, with their names.
pub const COUNTS: [(&str, &str); 4] = [
    ("units_in_scope", "纳入统计单位数"),
    ("units_org_covered", "组织覆盖单位数"),
    ("units_single_org", "单独组建单位数"),
    ("units_work_covered", "工作覆盖单位数"),
];

/// The run's stages as the provenance names them.
const STAGES: [(&str, &str); 8] = [
    ("extract", "读取"),
    ("resolve", "单位去重"),
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
    counts: [i64; 4],
    rates: [Option<f64>; 3],
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
    let manifest: serde_json::Value = std::fs::read(manifest_path(out, period))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(serde_json::Value::Null);
    let html = render(&conn, period, &periods, &manifest)?;
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
    let cols: Vec<&str> = COUNTS
        .iter()
        .map(|c| c.0)
        .chain(RATES.iter().map(|r| r.0))
        .collect();
    let sql = format!(
        "SELECT district_code, district_name, {} FROM coverage_by_district \
         WHERE period = ? AND sector = ? ORDER BY district_name = '全市', district_code",
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
                counts: [r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
                rates: [r.get(6)?, r.get(7)?, r.get(8)?],
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
    manifest: &serde_json::Value,
) -> Result<String> {
    let city = manifest["pipeline"]["city_name"].as_str().unwrap_or("");
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
    trend_section(&mut h, conn, periods)?;
    lists_section(&mut h, conn, period)?;
    quality_section(&mut h, conn, period)?;
    provenance_section(&mut h, manifest);
    h.push_str("</body></html>\n");
    Ok(h)
}

fn city_row(rows: &[District]) -> Option<&District> {
    rows.iter().find(|d| d.name == "全市")
}

fn summary_cards(h: &mut String, enterprise: &[District], social: &[District]) {
    h.push_str("<section><div class=\"cards\">");
    for (sector, rows) in [
        (Sector::Enterprise, enterprise),
        (Sector::SocialOrg, social),
    ] {
        let Some(c) = city_row(rows) else { continue };
        let _ = write!(
            h,
            "<div class=\"card\"><div class=\"k\">{} 纳入统计</div><div class=\"v\">{}</div></div>",
            sector.label(),
            c.counts[0]
        );
        for (i, (_, name)) in RATES.iter().enumerate() {
            let _ = write!(
                h,
                "<div class=\"card\"><div class=\"k\">{} {name}</div><div class=\"v\">{}</div></div>",
                sector.label(),
                percent(c.rates[i])
            );
        }
    }
    h.push_str("</div></section>\n");
}

/// A sector's three rate charts and its table of every figure (the table is what the
/// test compares with coverage_by_district, cell for cell).
fn sector_section(h: &mut String, sector: Sector, rows: &[District]) {
    let _ = write!(h, "<section><h2>{}：分区覆盖情况</h2>", sector.label());
    if rows.is_empty() {
        h.push_str("<p class=\"note\">本期没有此类单位。</p></section>\n");
        return;
    }
    let city = city_row(rows);
    let districts: Vec<&District> = rows.iter().filter(|d| d.name != "全市").collect();
    h.push_str("<div class=\"grid\">");
    for (i, (_, name)) in RATES.iter().enumerate() {
        let bars: Vec<svg::Bar> = districts
            .iter()
            .map(|d| svg::Bar {
                label: d.name.clone(),
                value: d.rates[i],
                text: percent(d.rates[i]),
            })
            .collect();
        let mark = city.and_then(|c| c.rates[i]).map(|v| svg::Mark {
            value: v,
            text: format!("全市 {}", percent(Some(v))),
        });
        h.push_str(&svg::bar_chart(name, &bars, mark.as_ref(), 1.0));
    }
    h.push_str("</div><table><thead><tr><th>区</th>");
    for (_, name) in COUNTS.iter().chain(RATES.iter()) {
        let _ = write!(h, "<th>{name}</th>");
    }
    h.push_str("</tr></thead>");
    for d in rows {
        let _ = write!(
            h,
            "<tr data-sector=\"{}\" data-district=\"{}\"{}><td>{}</td>",
            sector.as_str(),
            escape(&d.code),
            if d.name == "全市" {
                " class=\"city\""
            } else {
                ""
            },
            escape(&d.name)
        );
        for (i, (col, _)) in COUNTS.iter().enumerate() {
            let _ = write!(
                h,
                "<td class=\"n\" data-figure=\"{col}\">{}</td>",
                d.counts[i]
            );
        }
        for (i, (col, _)) in RATES.iter().enumerate() {
            let _ = write!(
                h,
                "<td class=\"n\" data-figure=\"{col}\">{}</td>",
                percent(d.rates[i])
            );
        }
        h.push_str("</tr>");
    }
    h.push_str("</table></section>\n");
}

/// Social organizations against the target rate: each district's rate with the target
/// marked, and how many units it still has to cover.
fn target_section(h: &mut String, conn: &Connection, period: &str) -> Result<()> {
    type Row = (String, String, i64, i64, Option<f64>, f64, i64, i64);
    let rows: Vec<Row> = query(
        conn,
        "read social_org_target",
        "SELECT district_code, district_name, social_orgs_in_scope, covered, coverage_rate, \
         target_rate, target_count, gap FROM social_org_target WHERE period = ? \
         ORDER BY district_name = '全市', district_code",
        &[period],
        |r| {
            let g = |i| r.get::<_, i64>(i);
            Ok((
                r.get(0)?,
                r.get(1)?,
                g(2)?,
                g(3)?,
                r.get(4)?,
                r.get(5)?,
                g(6)?,
                g(7)?,
            ))
        },
    )?;
    let Some(target) = rows.first().map(|r| r.5) else {
        return Ok(());
    };
    let _ = write!(
        h,
        "<section><h2>社会组织党组织覆盖率与{}目标的差距</h2><div class=\"grid2\">",
        percent(Some(target))
    );
    let bars: Vec<svg::Bar> = rows
        .iter()
        .filter(|r| r.1 != "全市")
        .map(|r| svg::Bar {
            label: r.1.clone(),
            value: r.4,
            text: if r.7 > 0 {
                format!("{}，差{}家", percent(r.4), r.7)
            } else {
                format!("{}，已达标", percent(r.4))
            },
        })
        .collect();
    let mark = svg::Mark {
        value: target,
        text: format!("目标 {}", percent(Some(target))),
    };
    h.push_str(&svg::bar_chart(
        "组织覆盖率（社会组织）",
        &bars,
        Some(&mark),
        1.0,
    ));
    h.push_str(
        "<table><thead><tr><th>区</th><th>纳入统计</th><th>已覆盖</th><th>覆盖率</th>\
         <th>达标需覆盖</th><th>尚差</th></tr></thead>",
    );
    for r in &rows {
        let _ = write!(
            h,
            "<tr data-target=\"{}\"{}><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\" data-figure=\"gap\">{}</td></tr>",
            escape(&r.0),
            if r.1 == "全市" { " class=\"city\"" } else { "" },
            escape(&r.1),
            r.2,
            r.3,
            percent(r.4),
            r.6,
            r.7
        );
    }
    h.push_str("</table></div></section>\n");
    Ok(())
}

/// City-wide rates month by month, when the folder holds more than one month.
fn trend_section(h: &mut String, conn: &Connection, periods: &[String]) -> Result<()> {
    h.push_str("<section><h2>逐月趋势（全市）</h2>");
    if periods.len() < 2 {
        let _ = write!(
            h,
            "<p class=\"note\">输出目录中只有 {} 一个期别，积累两个以上期别后显示趋势。</p></section>",
            periods.first().map_or("", |p| p.as_str())
        );
        return Ok(());
    }
    h.push_str("<div class=\"grid2\">");
    for sector in [Sector::Enterprise, Sector::SocialOrg] {
        let mut series = Vec::new();
        for (col, name) in RATES {
            let sql = format!(
                "SELECT period, {col} FROM coverage_by_district \
                 WHERE sector = ? AND district_name = '全市'"
            );
            let by_period: std::collections::BTreeMap<String, Option<f64>> =
                query(conn, "read the trend", &sql, &[sector.as_str()], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .into_iter()
                .collect();
            let values = periods
                .iter()
                .map(|p| by_period.get(p).copied().flatten())
                .collect();
            series.push(svg::Series {
                name: name.to_string(),
                values,
            });
        }
        h.push_str(&svg::line_chart(sector.label(), periods, &series));
    }
    h.push_str("</div></section>\n");
    Ok(())
}

/// How many units each compliance list names, linked to the workbook that lists them.
fn lists_section(h: &mut String, conn: &Connection, period: &str) -> Result<()> {
    let rows: Vec<(String, i64, i64)> = query(
        conn,
        "read compliance_lists",
        "SELECT list_name, count(*)::BIGINT, count(*) FILTER (WHERE sector = 'enterprise')::BIGINT \
         FROM compliance_lists WHERE period = ? GROUP BY list, list_name ORDER BY min(list), list_name",
        &[period],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let joint: i64 = conn
        .query_row(
            "SELECT count(*) FROM list_joint_org_too_large WHERE period = ?",
            [period],
            |r| r.get(0),
        )
        .db("read list_joint_org_too_large")?;
    let book = format!("合规清单_{period}.xlsx");
    let plan = format!("一企一策一社一策_{period}.xlsx");
    let _ = write!(
        h,
        "<section><h2>合规清单</h2><p class=\"note\">名单见 <a href=\"{b}\">{b}</a>，\
         未覆盖单位的推进方案见 <a href=\"{p}\">{p}</a>（与本文件在同一文件夹）。</p>\
         <table><tr><th>清单</th><th>单位数</th><th>其中企业</th><th>其中社会组织</th></tr>",
        b = escape(&book),
        p = escape(&plan)
    );
    for (name, n, enterprises) in &rows {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{n}</td><td class=\"n\">{enterprises}</td><td class=\"n\">{}</td></tr>",
            escape(name),
            n - enterprises
        );
    }
    let _ = write!(
        h,
        "<tr><td>覆盖单位过多、应优化设置的联合党组织</td><td class=\"n\">{joint}</td><td></td><td></td></tr></table></section>"
    );
    Ok(())
}

/// Rows rejected and flagged, by file and field, and how members were placed.
fn quality_section(h: &mut String, conn: &Connection, period: &str) -> Result<()> {
    h.push_str("<section><h2>数据质量</h2><div class=\"grid2\"><div>");
    for (table, title) in [("rejects", "拒收的行"), ("flags", "标记的值（已接收）")] {
        let sql = format!(
            "SELECT regexp_extract(t.source_file, '[^/\\\\]+$'), label('field', t.field), \
             label('issue', t.kind), count(*)::BIGINT FROM {table} t \
             WHERE t.period = ? GROUP BY ALL ORDER BY 4 DESC, 1, 2, 3 LIMIT 15"
        );
        let rows: Vec<(String, String, String, i64)> =
            query(conn, "read the rejects", &sql, &[period], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
        let total: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE period = ?"),
                [period],
                |r| r.get(0),
            )
            .db("read the rejects")?;
        let _ = write!(
            h,
            "<h3>{title}：{total} 行</h3><table><tr><th>文件</th><th>字段</th><th>原因</th><th>行数</th></tr>"
        );
        for (file, field, kind, n) in &rows {
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"n\">{n}</td></tr>",
                escape(file),
                escape(field),
                escape(kind)
            );
        }
        h.push_str("</table>");
    }
    h.push_str(
        "<p class=\"note\">每一行的原因、原值位置见 coverage.duckdb 的 <code>rejects</code> 和 \
         <code>flags</code> 表。</p></div><div>",
    );
    let rows: Vec<(String, i64)> = query(
        conn,
        "read members",
        "SELECT label('link_rule', link_rule), count(*)::BIGINT FROM members \
         WHERE period = ? GROUP BY ALL ORDER BY 2 DESC, 1",
        &[period],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    h.push_str("<h3>党员与单位的关联方式</h3><table><tr><th>关联方式</th><th>党员数</th></tr>");
    for (rule, n) in &rows {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{n}</td></tr>",
            escape(rule)
        );
    }
    h.push_str(
        "</table><p class=\"note\">“待人工确认”的候选单位见 <code>link_review</code> 表，\
         “未匹配”的见 <code>unmatched_members</code> 表。</p></div></div></section>\n",
    );
    Ok(())
}

/// The run behind the figures: its input files with their hashes, the pipeline, times.
fn provenance_section(h: &mut String, m: &serde_json::Value) {
    h.push_str("<section><h2>数据来源</h2>");
    if m.is_null() {
        h.push_str(
            "<p class=\"note\">本期的运行清单（manifest.json）不在输出目录中。</p></section>\n",
        );
        return;
    }
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let _ = write!(
        h,
        "<p>流水线 {}（<code>{}</code>，SHA-256 <code>{}</code>）；coverage {}；\
         开始 {}，结束 {}；读入 {} 行，接收 {} 行，拒收 {} 行。</p>",
        escape(&s(&m["pipeline"]["name"])),
        escape(&s(&m["pipeline"]["path"])),
        escape(&s(&m["pipeline"]["sha256"])),
        escape(&s(&m["version"])),
        escape(&s(&m["started_at"])),
        escape(&s(&m["finished_at"])),
        m["rows_read"],
        m["rows_accepted"],
        m["rows_rejected"]
    );
    h.push_str(
        "<table><tr><th>来源</th><th>文件</th><th>格式</th><th>读入</th><th>接收</th><th>拒收</th><th>SHA-256</th></tr>",
    );
    for f in m["inputs"].as_array().into_iter().flatten() {
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td><code>{}</code></td></tr>",
            escape(&s(&f["source"])),
            escape(&s(&f["path"])),
            escape(&s(&f["format"])),
            f["rows_read"],
            f["rows_accepted"],
            f["rows_rejected"],
            escape(&s(&f["sha256"]))
        );
    }
    h.push_str("</table>");
    let stages: Vec<String> = m["stage_seconds"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|st| {
            let stage = st[0].as_str()?;
            let name = STAGES.iter().find(|s| s.0 == stage).map_or(stage, |s| s.1);
            Some(format!("{name} {:.1} 秒", st[1].as_f64()?))
        })
        .collect();
    let _ = write!(
        h,
        "<p class=\"note\">各阶段用时：{}</p></section>",
        escape(&stages.join("，"))
    );
}
