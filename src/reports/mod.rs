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
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::error::{DbContext, Error, Result};
use crate::vocabulary::Sector;

mod campaign;
mod packs;
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
    let xl = |e: XlsxError| Error::output(&path, e);
    let mut book = workbook().map_err(xl)?;
    // Rows go to a temporary file beside the reports as they are written, not to memory.
    book.set_tempdir(dir).map_err(xl)?;
    for sheet in sheets {
        if csv {
            let csv_path = dir.join(format!("{file}.csv"));
            let out = |e: std::io::Error| Error::output(&csv_path, e);
            let mut sink = std::fs::File::create(&csv_path)
                .map(std::io::BufWriter::new)
                .map_err(out)?;
            sink.write_all(b"\xEF\xBB\xBF").map_err(out)?;
            let mut w = csv::Writer::from_writer(sink);
            write_query_sheet(conn, &mut book, sheet, Some(&mut w), &xl, EXCEL_ROWS)?;
            w.flush().map_err(out)?;
            written.push(csv_path);
        } else {
            write_query_sheet(conn, &mut book, sheet, None, &xl, EXCEL_ROWS)?;
        }
    }
    book.save(&path).map_err(xl)?;
    written.push(path);
    Ok(written)
}

/// The CSV copy of a report, written as its rows arrive.
type CsvCopy = csv::Writer<std::io::BufWriter<std::fs::File>>;

/// The cell formats of a sheet: every cell bordered, as a submitted attachment is.
struct Styles {
    title: Format,
    header: Format,
    text: Format,
    number: Format,
    percent: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color(0xF2F2F2),
            text: cell.clone().set_text_wrap(),
            number: cell.clone().set_num_format("0"),
            percent: cell.set_num_format("0.0%"),
        }
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
    book: &mut Workbook,
    sheet: &Sheet,
    mut csv: Option<&mut CsvCopy>,
    xl: &dyn Fn(XlsxError) -> Error,
    max_rows: u32,
) -> Result<()> {
    let mut stmt = conn.prepare(&sheet.sql).db("report query")?;
    let mut rows = stmt.query([]).db("report query")?;
    let headers: Vec<String> = rows.as_ref().map(|s| s.column_names()).unwrap_or_default();
    let rates: Vec<bool> = headers.iter().map(|h| is_rate(h)).collect();
    let styles = Styles::new();
    let mut widths: Vec<usize> = headers.iter().map(|h| header_width(h)).collect();
    let first_sheet = book.worksheets().len();
    let mut part = 1;
    let mut ws = book.add_worksheet_with_low_memory();
    let first_data_row = write_header(ws, sheet, part, &headers, &styles).map_err(xl)?;
    if let Some(w) = csv.as_deref_mut() {
        let joined = headers.iter().map(|h| match split(h) {
            (g, "") => g.to_string(),
            (g, s) => format!("{g}-{s}"),
        });
        w.write_record(joined)
            .map_err(|e| xl(XlsxError::IoError(e.into())))?;
    }
    let mut r = first_data_row;
    let mut values: Vec<Value> = Vec::with_capacity(headers.len());
    while let Some(row) = rows.next().db("report query")? {
        values.clear();
        for c in 0..headers.len() {
            values.push(row.get::<_, Value>(c).db("report query")?);
        }
        // A sheet holds at most max_rows rows (EXCEL_ROWS): a province's list goes on in
        // a sheet of the same name with its part number, under the same headers.
        if r == max_rows {
            part += 1;
            ws = book.add_worksheet_with_low_memory();
            r = write_header(ws, sheet, part, &headers, &styles).map_err(xl)?;
        }
        let mut widest = 0;
        for (c, v) in values.iter().enumerate() {
            let shown = write_cell(ws, r, c as u16, v, rates[c], &styles).map_err(xl)?;
            widths[c] = widths[c].max(shown);
            widest = widest.max(shown);
        }
        // Text wider than MAX_WIDTH wraps (a column is never narrower than its widest
        // value up to that): the row is made tall enough, as spreadsheet programs do
        // not all fit row heights to wrapped text when they open a file.
        let lines = widest.div_ceil(MAX_WIDTH);
        if lines > 1 {
            ws.set_row_height(r, 15.0 * lines as f64).map_err(xl)?;
        }
        if let Some(w) = csv.as_deref_mut() {
            let cells = values
                .iter()
                .zip(&rates)
                .map(|(v, &rate)| csv_cell(v, rate));
            w.write_record(cells)
                .map_err(|e| xl(XlsxError::IoError(e.into())))?;
        }
        r += 1;
    }
    for i in first_sheet..first_sheet + part {
        let ws = book.worksheet_from_index(i).map_err(xl)?;
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, (*w).min(MAX_WIDTH) as f64 + 2.0)
                .map_err(xl)?;
        }
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

/// Rows an Excel sheet can hold.
const EXCEL_ROWS: u32 = 1_048_576;

/// The title row and the one- or two-level header rows, the frozen header and the
/// print settings of part `part` of a sheet; returns the first data row.
fn write_header(
    ws: &mut Worksheet,
    sheet: &Sheet,
    part: usize,
    headers: &[String],
    styles: &Styles,
) -> std::result::Result<u32, XlsxError> {
    if part == 1 {
        ws.set_name(&sheet.name)?;
    } else {
        ws.set_name(format!("{}（{part}）", sheet.name))?;
    }
    let bold = &styles.header;
    let width = headers.len().max(1) as u16;
    ws.set_row_height(0, 28)?;
    if width > 1 {
        ws.merge_range(0, 0, 0, width - 1, &sheet.title, &styles.title)?;
    } else {
        ws.write_string_with_format(0, 0, &sheet.title, &styles.title)?;
    }
    let two_levels = headers.iter().any(|h| h.contains('|'));
    let first_data_row: u32 = if two_levels { 3 } else { 2 };
    for header_row in 1..first_data_row {
        ws.set_row_height(header_row, 32)?;
    }
    let mut sub_headers: Vec<(u16, &str)> = Vec::new();
    let mut c = 0usize;
    while c < headers.len() {
        let (group, sub) = split(&headers[c]);
        let col = c as u16;
        if !two_levels {
            ws.write_string_with_format(1, col, group, bold)?;
            c += 1;
            continue;
        }
        if sub.is_empty() {
            ws.merge_range(1, col, 2, col, group, bold)?;
            c += 1;
            continue;
        }
        let span = headers[c..]
            .iter()
            .take_while(|h| split(h).0 == group && !split(h).1.is_empty())
            .count();
        if span > 1 {
            ws.merge_range(1, col, 1, col + span as u16 - 1, group, bold)?;
        } else {
            ws.write_string_with_format(1, col, group, bold)?;
        }
        for k in 0..span {
            sub_headers.push((col + k as u16, split(&headers[c + k]).1));
        }
        c += span;
    }
    // The second header row after the whole first: a low-memory sheet takes rows in order.
    for (col, sub) in sub_headers {
        ws.write_string_with_format(2, col, sub, bold)?;
    }
    ws.set_freeze_panes(first_data_row, 0)?;
    // Printed as the departments file them: A4 landscape, one page wide, the title and
    // headers on every page, the page number in the footer.
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, first_data_row - 1)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(first_data_row)
}

/// One value of a data row; returns the width it takes.
fn write_cell(
    ws: &mut Worksheet,
    r: u32,
    col: u16,
    v: &Value,
    rate: bool,
    s: &Styles,
) -> std::result::Result<usize, XlsxError> {
    let text = match v {
        Value::Null => {
            ws.write_blank(r, col, &s.text)?;
            return Ok(0);
        }
        Value::Boolean(b) => (if *b { "是" } else { "否" }).to_string(),
        Value::Float(_) | Value::Double(_) if rate => {
            ws.write_number_with_format(r, col, number(v), &s.percent)?;
            return Ok(6);
        }
        Value::Float(_) | Value::Double(_) => {
            ws.write_number_with_format(r, col, number(v), &s.text)?;
            return Ok(number(v).to_string().len());
        }
        other if !number(other).is_nan() => {
            ws.write_number_with_format(r, col, number(v), &s.number)?;
            return Ok(number(v).to_string().len());
        }
        other => text(other),
    };
    ws.write_string_with_format(r, col, &text, &s.text)?;
    Ok(display_width(&text))
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

/// A value as the CSV copy writes it: 是/否, rates as percentages with one decimal.
fn csv_cell(v: &Value, rate: bool) -> String {
    match v {
        Value::Null => String::new(),
        Value::Boolean(b) => if *b { "是" } else { "否" }.to_string(),
        Value::Text(s) => s.clone(),
        Value::Float(_) | Value::Double(_) if rate => crate::dashboard::percent(Some(number(v))),
        Value::Float(_) | Value::Double(_) => number(v).to_string(),
        other if !number(other).is_nan() => format!("{}", number(other)),
        other => text(other),
    }
}

#[cfg(test)]
mod tests;
