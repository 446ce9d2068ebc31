//! The files people open rather than query (publish stage): the compliance workbook (a
//! sheet per list), the 一企一策/一社一策 action plan, the four attachments — the
//! per-unit 统计表 and per-district 汇总表 for enterprises and for social organizations —
//! and the month's 通报 (bulletin and 销号 progress), as XLSX with Chinese headers and,
//! for the attachments, as CSV (UTF-8 with BOM, opens in Excel).
//!
//! Every sheet is one SQL query over the tables `sql/` defined; its column aliases are
//! the Chinese headers (`组|列` makes a two-level header), and a column whose header
//! ends in 率 holds a fraction shown as a percentage with one decimal.

use std::io::Write;
use std::path::{Path, PathBuf};

use duckdb::types::Value;
use duckdb::Connection;
use rayon::prelude::*;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

use crate::error::{DbContext, Error, Result};
use crate::vocabulary::Sector;

mod book;
mod campaign;
mod packs;
use book::{Book, Cell, Layout, Style, EXCEL_ROWS};
use campaign::bulletin;
pub use campaign::write_appraisal;
pub use packs::write_packs;

/// One sheet: its name, title line and query.
struct Sheet {
    name: String,
    title: String,
    sql: String,
}

const UNIT_LIST_COLUMNS: &str = r#"district_name AS "区", street AS "街道", name AS "单位名称",
    uscc AS "统一社会信用代码",
    label('sector', sector) AS "类别",
    employees AS "职工人数", formal_members AS "正式党员", probationary_members AS "预备党员",
    detail AS "情况", rule AS "依据""#;

/// A table as a report reads it: the whole city, or one district's rows (a work pack).
fn scoped(table: &str, district: Option<&str>) -> String {
    match district {
        None => table.to_string(),
        Some(code) => format!("(SELECT * FROM {table} WHERE district_code = '{code}') AS {table}"),
    }
}

fn unit_list(name: String, table: &str, title: String, district: Option<&str>) -> Sheet {
    Sheet {
        name,
        title,
        sql: format!(
            "SELECT {UNIT_LIST_COLUMNS} FROM {} ORDER BY district_code, street, name",
            scoped(table, district)
        ),
    }
}

/// `{own}` is the rulebook's formal-member count for an own organization.
const SUMMARY_COLUMNS: &str = r#"district_name AS "区",
    units AS "单位数",
    single_total AS "已建立党组织的单位|合计", single_committee AS "已建立党组织的单位|党委",
    single_general_branch AS "已建立党组织的单位|党总支", single_branch AS "已建立党组织的单位|党支部",
    joint_total AS "纳入联合党组织的单位|合计", joint_3plus AS "纳入联合党组织的单位|其中{own}名以上正式党员",
    no_org_total AS "未建立党组织的单位|合计", no_org_should_have AS "未建立党组织的单位|应建未建",
    no_org_few_members AS "未建立党组织的单位|党员不足{own}名", no_org_no_members AS "未建立党组织的单位|无党员",
    no_org_instructor AS "未建立党组织的单位|其中已选派党建工作指导员",
    employees AS "补充资料|职工人数", members AS "补充资料|党员人数",
    members_not_transferred AS "补充资料|组织关系未转入党员数", instructors AS "补充资料|党建工作指导员数",
    org_coverage_rate AS "组织覆盖率", single_rate AS "单独组建率", work_coverage_rate AS "工作覆盖率""#;

const UNITS_COLUMNS: &str = r#"district_name AS "区", street AS "街道", name AS "单位名称",
    uscc AS "统一社会信用代码", unit_kind_cn AS "单位类型", employees AS "职工人数",
    formal_members AS "党员情况|正式党员", probationary_members AS "党员情况|预备党员",
    members_not_transferred AS "党员情况|组织关系未转入", org_form_cn AS "党组织情况|组建形式", single_org_level_cn AS "党组织情况|单独组建层级",
    org_ids AS "党组织情况|党组织编码", instructor_cn AS "工作覆盖|党建工作指导员",
    mass_org_cn AS "工作覆盖|工会或团组织", org_covered_cn AS "覆盖情况|组织覆盖",
    work_covered_cn AS "覆盖情况|工作覆盖""#;

/// The rulebook's numbers that name lists, read from the run's `settings`, so that a
/// sheet says what `[rules]` says, not what the notice says.
struct Thresholds {
    own: i64,
    members: i64,
    org: i64,
    staff: i64,
}

fn thresholds(conn: &Connection) -> Result<Thresholds> {
    conn.query_row(
        "SELECT formal_members_for_single_org, enterprise_employees_need_members, \
         enterprise_employees_need_org, social_org_staff_need_org FROM settings",
        [],
        |r| {
            Ok(Thresholds {
                own: r.get(0)?,
                members: r.get(1)?,
                org: r.get(2)?,
                staff: r.get(3)?,
            })
        },
    )
    .db("read settings")
}

/// Files of the reports, each with its sheets; `csv` says whether a CSV is written too.
/// With a district, the district's own rows (its work pack): the joint organizations
/// covering too many units, which have no one district, are left to the city's.
fn reports(period: &str, t: &Thresholds, d: Option<&str>) -> Vec<(String, bool, Vec<Sheet>)> {
    let attachment = |n: u8, sector: Sector, what: &str, table: &str, cols: &str| {
        let sector_cn = sector.label();
        let order = if table == "attachment_summary" {
            "is_city(district_code), district_code"
        } else {
            "district_code, street, name"
        };
        (
            format!("附件{n}_{sector_cn}党建工作{what}_{period}"),
            true,
            vec![Sheet {
                name: what.to_string(),
                title: format!("{sector_cn}党的组织和工作覆盖情况{what}（{period}）"),
                sql: format!(
                    "SELECT {} FROM {} WHERE sector = '{}' ORDER BY {order}",
                    cols.replace("{own}", &t.own.to_string()),
                    scoped(table, d),
                    sector.as_str()
                ),
            }],
        )
    };
    vec![
        (
            crate::publish::compliance_book(period),
            false,
            vec![
                unit_list("应建未建".into(), "list_should_form_own", format!("{}名以上正式党员、未单独建立党组织的单位", t.own), d),
                unit_list(format!("{}人以上无党员企业", t.members), "list_enterprise_needs_members", format!("职工{}人以上、没有党员的非公有制企业", t.members), d),
                unit_list(format!("{}人以上未建企业", t.org), "list_enterprise_needs_org", format!("职工{}人以上、未建立党组织的非公有制企业", t.org), d),
                unit_list("市级以上社团未建".into(), "list_municipal_group_needs_org", "市级以上社会团体未建立党组织".into(), d),
                unit_list("实体社会组织未建".into(), "list_staff30_needs_org", format!("从业人员{}人以上的民办学校、民办医院和律师、会计师、税务师事务所未建立党组织", t.staff), d),
                unit_list("联合组织内可单独组建".into(), "list_joint_unit_can_form_own", format!("联合党组织内正式党员已达{}名、应单独组建的单位", t.own), d),
                unit_list("有党员无覆盖".into(), "list_members_without_coverage", "有党员但未实现任何覆盖的单位".into(), d),
            ]
            .into_iter()
            .chain(d.is_none().then(|| Sheet {
                    name: "联合组织覆盖过多".into(),
                    title: "覆盖单位过多、应优化设置的联合党组织".into(),
                    sql: r#"SELECT org_id AS "党组织编码", name AS "党组织名称", units_covered AS "覆盖单位数",
                        max_units AS "上限", unit_names AS "覆盖单位", rule AS "依据"
                        FROM list_joint_org_too_large ORDER BY units_covered DESC, org_id"#
                        .into(),
                }))
            .collect(),
        ),
        (
            crate::publish::action_plan_book(period),
            false,
            vec![Sheet {
                name: "行动方案".into(),
                title: format!("未覆盖单位一企一策、一社一策（{period}）"),
                sql: r#"SELECT plan_type AS "类型", district_name AS "区", street AS "街道", name AS "单位名称",
                    uscc AS "统一社会信用代码", employees AS "职工人数", formal_members AS "正式党员",
                    probationary_members AS "预备党员", route AS "推进路径", partner_units AS "建议联建单位",
                    CASE WHEN also_develop_members THEN '是' ELSE '否' END AS "同时发展党员",
                    clear_operation AS "五个清|经营运行情况", clear_workforce AS "五个清|职工队伍情况",
                    clear_members AS "五个清|党员队伍情况", clear_owner AS "五个清|出资人（负责人）情况",
                    clear_reason AS "五个清|未建党组织原因", missing_clears AS "缺失项数"
                    FROM {} ORDER BY sector, district_code, street, name"#
                    .replace("{}", &scoped("action_plan", d)),
            }],
        ),
        attachment(1, Sector::Enterprise, "统计表", "attachment_units", UNITS_COLUMNS),
        attachment(2, Sector::Enterprise, "汇总表", "attachment_summary", SUMMARY_COLUMNS),
        attachment(3, Sector::SocialOrg, "统计表", "attachment_units", UNITS_COLUMNS),
        attachment(4, Sector::SocialOrg, "汇总表", "attachment_summary", SUMMARY_COLUMNS),
    ]
    .into_iter()
    .chain(d.is_none().then(|| bulletin(period)))
    .collect()
}

/// A new workbook. A fixed creation date keeps the same outputs for the same inputs
/// (the reports, and the synthetic workbooks of coverage-synth).
pub fn workbook() -> std::result::Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 1, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    Ok(book)
}

fn is_rate(header: &str) -> bool {
    header.ends_with('率')
}

fn split(header: &str) -> (&str, &str) {
    header.split_once('|').unwrap_or((header, ""))
}

/// Writes every report into `dir`; returns the files written. Workbooks are written in
/// parallel, each with a connection of its own to the run's database.
pub fn write_reports(conn: &Connection, dir: &Path, period: &str) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
    let t = thresholds(conn)?;
    let jobs = reports(period, &t, None)
        .into_iter()
        .map(|report| Ok((report, conn.try_clone().db("a connection for a report")?)))
        .collect::<Result<Vec<_>>>()?;
    // One task a workbook, so that an idle thread takes the next one (two large
    // workbooks must not queue behind each other on one thread).
    let written: Vec<Result<Vec<PathBuf>>> = jobs
        .into_par_iter()
        .with_max_len(1)
        .map(|((file, csv, sheets), conn)| write_report(&conn, dir, &file, csv, &sheets))
        .collect();
    let mut all = Vec::new();
    for files in written {
        all.extend(files?);
    }
    Ok(all)
}

/// A district's own reports, into its work pack folder `dir` (see `packs`).
fn write_district_reports(
    conn: &Connection,
    dir: &Path,
    period: &str,
    district: &str,
) -> Result<Vec<PathBuf>> {
    let t = thresholds(conn)?;
    let mut all = Vec::new();
    for (file, csv, sheets) in reports(period, &t, Some(district)) {
        all.extend(write_report(conn, dir, &file, csv, &sheets)?);
    }
    Ok(all)
}

/// One workbook (and its CSV copy where it has one); returns the files written.
fn write_report(
    conn: &Connection,
    dir: &Path,
    file: &str,
    csv: bool,
    sheets: &[Sheet],
) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let path = dir.join(format!("{file}.xlsx"));
    let mut book = Book::create(&path)?;
    for sheet in sheets {
        if csv {
            let csv_path = dir.join(format!("{file}.csv"));
            let out = |e: std::io::Error| Error::output(&csv_path, e);
            let mut sink = std::fs::File::create(&csv_path)
                .map(std::io::BufWriter::new)
                .map_err(out)?;
            sink.write_all(b"\xEF\xBB\xBF").map_err(out)?;
            let mut w = csv::Writer::from_writer(sink);
            let mut copy = CsvCopy {
                writer: &mut w,
                path: &csv_path,
            };
            write_query_sheet(conn, &mut book, sheet, Some(&mut copy), EXCEL_ROWS)?;
            w.flush().map_err(out)?;
            written.push(csv_path);
        } else {
            write_query_sheet(conn, &mut book, sheet, None, EXCEL_ROWS)?;
        }
    }
    book.finish()?;
    written.push(path);
    Ok(written)
}

/// The CSV copy of a report, written as its rows arrive.
struct CsvCopy<'a> {
    writer: &'a mut csv::Writer<std::io::BufWriter<std::fs::File>>,
    path: &'a Path,
}

impl CsvCopy<'_> {
    fn record<I: AsRef<[u8]>>(&mut self, cells: impl IntoIterator<Item = I>) -> Result<()> {
        self.writer
            .write_record(cells)
            .map_err(|e| Error::output(self.path, e))
    }
}

/// Widths in Excel's units (one Latin character): a Chinese character takes two.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| if c > '\u{2e7f}' { 2 } else { 1 })
        .sum()
}

/// The widest a column grows before its text wraps.
const MAX_WIDTH: usize = 40;

/// One sheet of a report, streamed from its query: the title and header rows, then
/// each row as DuckDB returns it, into the worksheet and, where the report has one, its
/// CSV copy (two-level headers joined with `-`, rates as percentages with one decimal).
/// Each column is as wide as its widest value or header word (up to MAX_WIDTH, beyond
/// which text wraps), set on every part once all rows are in.
fn write_query_sheet(
    conn: &Connection,
    book: &mut Book,
    sheet: &Sheet,
    mut csv: Option<&mut CsvCopy>,
    max_rows: u32,
) -> Result<()> {
    let mut stmt = conn.prepare(&sheet.sql).db("report query")?;
    let mut rows = stmt.query([]).db("report query")?;
    let headers: Vec<String> = rows.as_ref().map(|s| s.column_names()).unwrap_or_default();
    let rates: Vec<bool> = headers.iter().map(|h| is_rate(h)).collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| header_width(h)).collect();
    let mut parts = vec![start_part(book, sheet, 1, &headers)?];
    if let Some(w) = csv.as_deref_mut() {
        w.record(headers.iter().map(|h| match split(h) {
            (g, "") => g.to_string(),
            (g, s) => format!("{g}-{s}"),
        }))?;
    }
    let mut values: Vec<Value> = Vec::with_capacity(headers.len());
    while let Some(row) = rows.next().db("report query")? {
        values.clear();
        for c in 0..headers.len() {
            values.push(shown(row.get::<_, Value>(c).db("report query")?));
        }
        // A sheet holds at most max_rows rows (EXCEL_ROWS): a province's list goes on in
        // a sheet of the same name with its part number, under the same headers.
        if parts.last().is_some_and(|ws| ws.rows() == max_rows) {
            parts.push(start_part(book, sheet, parts.len() + 1, &headers)?);
        }
        let mut cells = Vec::with_capacity(values.len());
        let mut widest = 0;
        for (c, v) in values.iter().enumerate() {
            let (cell, shown) = cell(v, rates[c]);
            cells.push(cell);
            widths[c] = widths[c].max(shown);
            widest = widest.max(shown);
        }
        // Text wider than MAX_WIDTH wraps (a column is never narrower than its widest
        // value up to that): the row is made tall enough, as spreadsheet programs do
        // not all fit row heights to wrapped text when they open a file.
        let lines = widest.div_ceil(MAX_WIDTH);
        let height = (lines > 1).then_some(15.0 * lines as f64);
        let ws = parts.last_mut().expect("a part");
        ws.row(&cells, height)?;
        if let Some(w) = csv.as_deref_mut() {
            w.record(
                values
                    .iter()
                    .zip(&rates)
                    .map(|(v, &rate)| csv_cell(v, rate)),
            )?;
        }
    }
    let widths: Vec<f64> = widths
        .iter()
        .map(|w| (*w).min(MAX_WIDTH) as f64 + 2.0)
        .collect();
    for ws in parts {
        book.add(ws, &widths)?;
    }
    Ok(())
}

/// The width a header needs: its longest word on one line, the rest wrapped under it
/// (a header of more than four characters takes two lines, so half its width).
fn header_width(header: &str) -> usize {
    let (group, sub) = split(header);
    let own = if sub.is_empty() { group } else { sub };
    let w = display_width(own);
    if w > 8 {
        w.div_ceil(2)
    } else {
        w
    }
}

/// Part `part` of a sheet with its title and one- or two-level header rows (a group
/// header merged over its columns, a column without a group merged down over both rows),
/// frozen above the data and repeated on every printed page.
fn start_part(
    book: &mut Book,
    sheet: &Sheet,
    part: usize,
    headers: &[String],
) -> Result<book::Sheet> {
    let name = if part == 1 {
        sheet.name.clone()
    } else {
        format!("{}（{part}）", sheet.name)
    };
    let two_levels = headers.iter().any(|h| h.contains('|'));
    let first_data_row: u32 = if two_levels { 3 } else { 2 };
    let mut ws = book.sheet(
        &name,
        Layout {
            frozen_rows: first_data_row,
            printed: true,
            protected: false,
        },
    )?;
    let width = headers.len().max(1);
    let mut title = vec![Cell::Text(&sheet.title, Style::Title)];
    if width > 1 {
        title.resize(width, Cell::Blank(Style::Title));
        ws.merge(0, 0, 0, width as u16 - 1);
    }
    ws.row(&title, Some(28.0))?;
    let mut top: Vec<Cell> = Vec::with_capacity(headers.len());
    let mut below: Vec<Cell> = Vec::with_capacity(headers.len());
    let mut c = 0usize;
    while c < headers.len() {
        let (group, sub) = split(&headers[c]);
        let col = c as u16;
        if !two_levels {
            top.push(Cell::Text(group, Style::Header));
            c += 1;
            continue;
        }
        if sub.is_empty() {
            ws.merge(1, col, 2, col);
            top.push(Cell::Text(group, Style::Header));
            below.push(Cell::Blank(Style::Header));
            c += 1;
            continue;
        }
        let span = headers[c..]
            .iter()
            .take_while(|h| split(h).0 == group && !split(h).1.is_empty())
            .count();
        top.push(Cell::Text(group, Style::Header));
        if span > 1 {
            ws.merge(1, col, 1, col + span as u16 - 1);
            top.resize(top.len() + span - 1, Cell::Blank(Style::Header));
        }
        below.extend(
            headers[c..c + span]
                .iter()
                .map(|h| Cell::Text(split(h).1, Style::Header)),
        );
        c += span;
    }
    ws.row(&top, Some(32.0))?;
    if two_levels {
        ws.row(&below, Some(32.0))?;
    }
    Ok(ws)
}

/// A value as a report shows it: 是/否 for a boolean, a DECIMAL (a campaign target) as
/// the number it is, any other type the sheet does not write as text.
fn shown(v: Value) -> Value {
    match v {
        Value::Boolean(b) => Value::Text((if b { "是" } else { "否" }).to_string()),
        Value::Decimal(d) => Value::Double(d.to_string().parse().unwrap_or(f64::NAN)),
        Value::Null | Value::Text(_) | Value::Float(_) | Value::Double(_) => v,
        other if !number(&other).is_nan() => other,
        other => Value::Text(text(&other)),
    }
}

/// One value of a data row as its cell, and the width it takes.
fn cell(v: &Value, rate: bool) -> (Cell<'_>, usize) {
    match v {
        Value::Null => (Cell::Blank(Style::Text), 0),
        // An empty text is a blank cell, as a spreadsheet holds it.
        Value::Text(t) if t.is_empty() => (Cell::Blank(Style::Text), 0),
        Value::Text(t) => (Cell::Text(t, Style::Text), display_width(t)),
        Value::Float(_) | Value::Double(_) if rate => (Cell::Number(number(v), Style::Percent), 6),
        Value::Float(_) | Value::Double(_) => {
            let n = number(v);
            (Cell::Number(n, Style::Text), n.to_string().len())
        }
        other => {
            let n = number(other);
            (Cell::Number(n, Style::Number), n.to_string().len())
        }
    }
}

fn number(v: &Value) -> f64 {
    match v {
        Value::TinyInt(n) => *n as f64,
        Value::SmallInt(n) => *n as f64,
        Value::Int(n) => *n as f64,
        Value::BigInt(n) => *n as f64,
        Value::HugeInt(n) => *n as f64,
        Value::UTinyInt(n) => *n as f64,
        Value::USmallInt(n) => *n as f64,
        Value::UInt(n) => *n as f64,
        Value::UBigInt(n) => *n as f64,
        Value::Float(f) => *f as f64,
        Value::Double(f) => *f,
        _ => f64::NAN,
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::Text(s) => s.clone(),
        Value::Null => String::new(),
        other => format!("{other:?}"),
    }
}

/// A value as the CSV copy writes it: 是/否 (already, see `shown`), rates as percentages
/// with one decimal.
fn csv_cell(v: &Value, rate: bool) -> String {
    match v {
        Value::Null => String::new(),
        Value::Text(s) => s.clone(),
        Value::Float(_) | Value::Double(_) if rate => crate::dashboard::percent(Some(number(v))),
        Value::Float(_) | Value::Double(_) => number(v).to_string(),
        other if !number(other).is_nan() => format!("{}", number(other)),
        other => text(other),
    }
}

#[cfg(test)]
mod tests;
