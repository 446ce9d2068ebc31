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
mod sheet;
use book::{Book, Cell, Layout, Style, EXCEL_ROWS};
use campaign::bulletin;
pub use campaign::write_appraisal;
pub use packs::write_packs;
#[cfg(test)]
use sheet::CsvCopy;
use sheet::{write_query_sheet, write_report};

/// One sheet: its name, title line and query.
struct Sheet {
    name: String,
    title: String,
    sql: String,
    /// Its rows also go, each, to the same sheet in the work pack of the row's district:
    /// the query's last column is that district's code, named `ROW_DISTRICT` (not shown).
    by_district: bool,
}

/// The column a sheet's query ends with when its rows also go to the districts' packs.
const ROW_DISTRICT: &str = "__district";

/// A report file: its name (without extension), whether a CSV copy is written beside
/// the workbook (a report of one sheet), and its sheets.
struct Report {
    file: String,
    csv: bool,
    sheets: Vec<Sheet>,
}

const UNIT_LIST_COLUMNS: &str = r#"district_name AS "区", street AS "街道", name AS "单位名称",
    uscc AS "统一社会信用代码",
    label('sector', sector) AS "类别",
    employees AS "职工人数", formal_members AS "正式党员", probationary_members AS "预备党员",
    detail AS "情况", rule AS "依据""#;

fn unit_list(name: String, table: &str, title: String) -> Sheet {
    Sheet {
        name,
        title,
        sql: format!(
            "SELECT {UNIT_LIST_COLUMNS}, district_code AS {ROW_DISTRICT} FROM {table} \
             ORDER BY district_code, street, name"
        ),
        by_district: true,
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

/// The reports. The sheets of units and districts also go, row by row, to the work pack
/// of each row's district (the same file name in its folder): one query for the city
/// and its districts. The joint organizations covering too many units, which have no
/// one district, and the bulletin are the city's only.
fn reports(period: &str, t: &Thresholds) -> Vec<Report> {
    let attachment = |n: u8, sector: Sector, what: &str, table: &str, cols: &str| {
        let sector_cn = sector.label();
        let order = if table == "attachment_summary" {
            "is_city(district_code), district_code"
        } else {
            "district_code, street, name"
        };
        Report {
            file: format!("附件{n}_{sector_cn}党建工作{what}_{period}"),
            csv: true,
            sheets: vec![Sheet {
                name: what.to_string(),
                title: format!("{sector_cn}党的组织和工作覆盖情况{what}（{period}）"),
                sql: format!(
                    "SELECT {}, district_code AS {ROW_DISTRICT} FROM {table} WHERE sector = '{}' ORDER BY {order}",
                    cols.replace("{own}", &t.own.to_string()),
                    sector.as_str()
                ),
                by_district: true,
            }],
        }
    };
    vec![
        Report {
            file: crate::publish::compliance_book(period),
            csv: false,
            sheets: vec![
                unit_list("应建未建".into(), "list_should_form_own", format!("{}名以上正式党员、未单独建立党组织的单位", t.own)),
                unit_list(format!("{}人以上无党员企业", t.members), "list_enterprise_needs_members", format!("职工{}人以上、没有党员的非公有制企业", t.members)),
                unit_list(format!("{}人以上未建企业", t.org), "list_enterprise_needs_org", format!("职工{}人以上、未建立党组织的非公有制企业", t.org)),
                unit_list("市级以上社团未建".into(), "list_municipal_group_needs_org", "市级以上社会团体未建立党组织".into()),
                unit_list("实体社会组织未建".into(), "list_staff30_needs_org", format!("从业人员{}人以上的民办学校、民办医院和律师、会计师、税务师事务所未建立党组织", t.staff)),
                unit_list("联合组织内可单独组建".into(), "list_joint_unit_can_form_own", format!("联合党组织内正式党员已达{}名、应单独组建的单位", t.own)),
                unit_list("有党员无覆盖".into(), "list_members_without_coverage", "有党员但未实现任何覆盖的单位".into()),
                Sheet {
                    name: "联合组织覆盖过多".into(),
                    title: "覆盖单位过多、应优化设置的联合党组织".into(),
                    sql: r#"SELECT org_id AS "党组织编码", name AS "党组织名称", units_covered AS "覆盖单位数",
                        max_units AS "上限", unit_names AS "覆盖单位", rule AS "依据"
                        FROM list_joint_org_too_large ORDER BY units_covered DESC, org_id"#
                        .into(),
                    by_district: false,
                },
            ],
        },
        Report {
            file: crate::publish::action_plan_book(period),
            csv: false,
            sheets: vec![Sheet {
                name: "行动方案".into(),
                title: format!("未覆盖单位一企一策、一社一策（{period}）"),
                sql: format!(
                    r#"SELECT plan_type AS "类型", district_name AS "区", street AS "街道", name AS "单位名称",
                    uscc AS "统一社会信用代码", employees AS "职工人数", formal_members AS "正式党员",
                    probationary_members AS "预备党员", route AS "推进路径", partner_units AS "建议联建单位",
                    CASE WHEN also_develop_members THEN '是' ELSE '否' END AS "同时发展党员",
                    clear_operation AS "五个清|经营运行情况", clear_workforce AS "五个清|职工队伍情况",
                    clear_members AS "五个清|党员队伍情况", clear_owner AS "五个清|出资人（负责人）情况",
                    clear_reason AS "五个清|未建党组织原因", missing_clears AS "缺失项数",
                    district_code AS {ROW_DISTRICT}
                    FROM action_plan ORDER BY sector, district_code, street, name"#
                ),
                by_district: true,
            }],
        },
        attachment(1, Sector::Enterprise, "统计表", "attachment_units", UNITS_COLUMNS),
        attachment(2, Sector::Enterprise, "汇总表", "attachment_summary", SUMMARY_COLUMNS),
        attachment(3, Sector::SocialOrg, "统计表", "attachment_units", UNITS_COLUMNS),
        attachment(4, Sector::SocialOrg, "汇总表", "attachment_summary", SUMMARY_COLUMNS),
        bulletin(period),
    ]
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

/// Writes every report into `dir`, and the districts' copies into their work packs
/// (`packs::pack_dir`); returns the files written. Reports are written in parallel,
/// each with a connection of its own to the run's database.
pub fn write_reports(conn: &Connection, dir: &Path, period: &str) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
    let t = thresholds(conn)?;
    let packs: Vec<(String, PathBuf)> = packs::districts(conn)?
        .into_iter()
        .map(|(code, name)| (code, packs::pack_dir(dir, &name)))
        .collect();
    for (_, pack) in &packs {
        std::fs::create_dir_all(pack).map_err(|e| Error::output(pack, e))?;
    }
    let jobs = reports(period, &t)
        .into_iter()
        .map(|report| Ok((report, conn.try_clone().db("a connection for a report")?)))
        .collect::<Result<Vec<_>>>()?;
    // One task a report, so that an idle thread takes the next one (two large
    // reports must not queue behind each other on one thread).
    let written: Vec<Result<Vec<PathBuf>>> = jobs
        .into_par_iter()
        .with_max_len(1)
        .map(|(report, conn)| write_report(&conn, dir, &packs, &report))
        .collect();
    let mut all = Vec::new();
    for files in written {
        all.extend(files?);
    }
    Ok(all)
}

/// Widths in Excel's units (one Latin character): a Chinese character takes two.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| if c > '\u{2e7f}' { 2 } else { 1 })
        .sum()
}

/// The widest a column grows before its text wraps.
const MAX_WIDTH: usize = 40;

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
