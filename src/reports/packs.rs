//! A work pack per district (`各区/<区名>/`): the district's own compliance lists,
//! 一企一策 and attachments, and the workbook it fills in and sends back,
//! `反馈_<区名>_<period>.xlsx`, in the form of `feedback::form`: 一企一策 with the
//! district's plan columns (pre-filled with the plans in force), 党员工作单位待确认 (each
//! `link_review` candidate of a written 工作单位 — the text and how many members wrote
//! it, never a member), and 单位信息更正 for the listed units. The tool's columns are
//! locked and greyed, the district's unlocked with drop-downs, each row sealed by its
//! check code.

use std::path::{Path, PathBuf};

use duckdb::types::Value;
use duckdb::Connection;
use rayon::prelude::*;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, Format, FormatAlign, FormatBorder,
    ProtectionOptions, Worksheet, XlsxError,
};

use crate::error::{DbContext, Error, Result};
use crate::feedback::form::{self, Entry, FormSheet, SheetKind};

/// The listed units of a district with the lists they are on.
const LISTED: &str = "listed AS (
    SELECT unit_id, string_agg(DISTINCT list_name, '；' ORDER BY list_name) AS lists
    FROM compliance_lists WHERE district_code = $1 GROUP BY unit_id)";

/// The query of a sheet for district `$1`: its tool columns in order, then the
/// district's columns (pre-filled where something is in force, else NULL).
fn sheet_query(kind: SheetKind) -> String {
    match kind {
        SheetKind::Plans => {
            let plan_cols: Vec<String> = form::PLAN_FIELDS
                .iter()
                .map(|(_, field)| format!("p.plan_{}", field.as_str()))
                .collect();
            format!(
                "WITH {LISTED}
                SELECT u.unit_id, label('sector', u.sector), u.street, u.name, u.uscc,
                    u.employees, u.formal_members, u.probationary_members, l.lists,
                    coalesce(a.route, '（已覆盖）'), {plan_cols}
                FROM listed l JOIN unit_status u USING (unit_id)
                LEFT JOIN action_plan a USING (unit_id)
                LEFT JOIN plans_in_force() p USING (unit_id)
                ORDER BY u.street NULLS LAST, u.name, u.unit_id",
                plan_cols = plan_cols.join(", ")
            )
        }
        // A written text belongs to the pack of its best candidate's district.
        SheetKind::Review => "WITH c AS (
                SELECT r.employer_name, r.candidate_unit_id, min(r.rank) AS rank,
                    max(r.score) AS score, count(DISTINCT r.member_key) AS members
                FROM link_review r WHERE r.employer_name IS NOT NULL GROUP BY ALL),
            texts AS (
                SELECT c.employer_name, arg_min(u.district_code, c.rank) AS district_code,
                    max(c.members) AS members
                FROM c JOIN units u ON u.unit_id = c.candidate_unit_id GROUP BY ALL)
            SELECT c.employer_name, t.members,
                row_number() OVER (PARTITION BY c.employer_name ORDER BY c.rank, c.candidate_unit_id),
                c.candidate_unit_id, u.name, u.uscc, u.district_name, round(c.score, 3),
                NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR
            FROM c JOIN texts t USING (employer_name)
            JOIN units u ON u.unit_id = c.candidate_unit_id
            WHERE t.district_code = $1
            ORDER BY c.employer_name, c.rank, c.candidate_unit_id"
            .to_string(),
        SheetKind::Corrections => format!(
            "WITH {LISTED}
            SELECT u.unit_id, u.name, u.uscc, u.district_name, label('status', u.status),
                u.employees_registry, l.lists, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR
            FROM listed l JOIN units u USING (unit_id)
            ORDER BY u.street NULLS LAST, u.name, u.unit_id"
        ),
    }
}

/// The cell formats of a returned workbook.
struct PackStyles {
    title: Format,
    header: Format,
    tool: Format,
    entry: Format,
}

impl PackStyles {
    fn new() -> PackStyles {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        PackStyles {
            title: Format::new().set_bold().set_font_size(13),
            header: cell.clone().set_bold().set_background_color(0xD9D9D9),
            tool: cell.clone().set_background_color(Color::RGB(0xEDEDED)),
            entry: cell.set_unlocked(),
        }
    }
}

/// Writes every district's pack into `dir/各区/<区名>/`; returns the files written.
pub fn write_packs(conn: &Connection, dir: &Path, period: &str) -> Result<Vec<PathBuf>> {
    let districts: Vec<(String, String)> = {
        let mut stmt = conn
            .prepare("SELECT district_code, district_name FROM districts ORDER BY district_code")
            .db("read districts")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .db("read districts")?;
        rows.collect::<std::result::Result<_, _>>()
            .db("read districts")?
    };
    let names: Vec<&str> = districts.iter().map(|(_, n)| n.as_str()).collect();
    let jobs = districts
        .iter()
        .map(|d| Ok((d, conn.try_clone().db("a connection for a work pack")?)))
        .collect::<Result<Vec<_>>>()?;
    // One task a district, each on a connection of its own, as the city's reports.
    let packs: Vec<Result<Vec<PathBuf>>> = jobs
        .into_par_iter()
        .with_max_len(1)
        .map(|((code, name), conn)| {
            let ddir = dir.join("各区").join(name);
            std::fs::create_dir_all(&ddir).map_err(|e| Error::output(&ddir, e))?;
            let mut written = super::write_district_reports(&conn, &ddir, period, code)?;
            let path = ddir.join(form::workbook_name(name, period));
            write_feedback_workbook(&conn, &path, period, (code, name), &names)?;
            written.push(path);
            Ok(written)
        })
        .collect();
    let mut all = Vec::new();
    for files in packs {
        all.extend(files?);
    }
    Ok(all)
}

fn write_feedback_workbook(
    conn: &Connection,
    path: &Path,
    period: &str,
    (code, name): (&str, &str),
    districts: &[&str],
) -> Result<()> {
    let xl = |e: XlsxError| Error::output(path, e);
    let mut book = super::workbook().map_err(xl)?;
    let styles = PackStyles::new();
    write_about(book.add_worksheet(), period, code, name, &styles).map_err(xl)?;
    for sheet in form::SHEETS {
        let ws = book.add_worksheet();
        let rows = query_rows(conn, &sheet_query(sheet.kind), code)?;
        write_form_sheet(ws, &sheet, &rows, (code, period), districts, &styles).map_err(xl)?;
    }
    book.save(path).map_err(xl)
}

fn write_about(
    ws: &mut Worksheet,
    period: &str,
    code: &str,
    name: &str,
    s: &PackStyles,
) -> std::result::Result<(), XlsxError> {
    ws.set_name(form::ABOUT_SHEET)?;
    ws.write_string_with_format(0, 0, format!("{name}党建工作反馈表（{period}）"), &s.title)?;
    let cells = [
        (form::ABOUT_DISTRICT, code),
        (form::ABOUT_DISTRICT_NAME, name),
        (form::ABOUT_PERIOD, period),
    ];
    for (i, (label, value)) in cells.iter().enumerate() {
        ws.write_string_with_format(i as u32 + 1, 0, *label, &s.header)?;
        ws.write_string_with_format(i as u32 + 1, 1, *value, &s.tool)?;
    }
    let notes = [
        "灰色列为系统数据，已锁定，请勿修改；白色列由区县填写，带下拉框的请从列表中选择。",
        "“党员工作单位待确认”只涉及党员填写的工作单位文字，不含任何党员个人信息。",
        "“单位信息更正”须写明依据；更正从收到当月起生效，直至区县撤回。",
        "填好后请保持文件名不变，报送至组织部指定目录。",
    ];
    for (i, note) in notes.iter().enumerate() {
        ws.write_string(i as u32 + 5, 0, *note)?;
    }
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 30)?;
    ws.protect();
    Ok(())
}

/// A sheet's rows: each value as DuckDB returns it.
fn query_rows(conn: &Connection, sql: &str, district: &str) -> Result<Vec<Vec<Value>>> {
    let mut stmt = conn.prepare(sql).db("work pack query")?;
    let n = stmt.column_count();
    let rows = stmt
        .query_map([district], |r| {
            (0..n).map(|c| r.get::<_, Value>(c)).collect()
        })
        .db("work pack query")?;
    rows.collect::<std::result::Result<_, _>>()
        .db("work pack query")
}

/// A value as its cell's text (what the check code seals).
fn cell_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Text(s) => s.clone(),
        other => match super::number(other) {
            n if n.is_nan() => super::text(other),
            n => form::number_text(n),
        },
    }
}

fn write_form_sheet(
    ws: &mut Worksheet,
    sheet: &FormSheet,
    rows: &[Vec<Value>],
    (district, period): (&str, &str),
    districts: &[&str],
    s: &PackStyles,
) -> std::result::Result<(), XlsxError> {
    ws.set_name(sheet.name)?;
    ws.write_string_with_format(0, 0, sheet.title, &s.title)?;
    let check = sheet.check_column() as u16;
    for (c, col) in sheet.columns.iter().enumerate() {
        ws.write_string_with_format(form::HEADER_ROW, c as u16, col.header, &s.header)?;
        // As wide as the header or the widest value (a USCC, a unit's name) and wide
        // enough to write in, up to the reports' limit beyond which text wraps.
        let widest = rows
            .iter()
            .filter_map(|r| r.get(c))
            .map(|v| super::display_width(&cell_text(v)))
            .chain([super::display_width(col.header), 12])
            .max()
            .unwrap_or(12)
            .min(super::MAX_WIDTH);
        ws.set_column_width(c as u16, widest as f64 + 2.0)?;
    }
    ws.write_string_with_format(form::HEADER_ROW, check, form::CHECK_HEADER, &s.header)?;
    ws.set_column_hidden(check)?;
    let first = form::HEADER_ROW + 1;
    for (i, values) in rows.iter().enumerate() {
        let r = first + i as u32;
        let mut tool_values = Vec::new();
        for (c, (col, v)) in sheet.columns.iter().zip(values).enumerate() {
            let style = if col.entry == Entry::Tool {
                tool_values.push(cell_text(v));
                &s.tool
            } else {
                &s.entry
            };
            match v {
                Value::Null => ws.write_blank(r, c as u16, style)?,
                Value::Text(t) => ws.write_string_with_format(r, c as u16, t, style)?,
                other => ws.write_number_with_format(r, c as u16, super::number(other), style)?,
            };
        }
        let code = form::check_code(district, period, sheet.name, &tool_values);
        ws.write_string_with_format(r, check, code, &s.tool)?;
    }
    if !rows.is_empty() {
        let last = first + rows.len() as u32 - 1;
        for (c, col) in sheet.columns.iter().enumerate() {
            if let Some(v) = validation(col.entry, districts)? {
                ws.add_data_validation(first, c as u16, last, c as u16, &v)?;
            }
        }
    }
    ws.set_freeze_panes(first, 0)?;
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        use_autofilter: true,
        ..ProtectionOptions::default()
    };
    ws.protect_with_options(&options);
    Ok(())
}

/// The drop-down (or number rule) of a district column.
fn validation(
    entry: Entry,
    districts: &[&str],
) -> std::result::Result<Option<DataValidation>, XlsxError> {
    Ok(match entry {
        Entry::Choice(words) => Some(DataValidation::new().allow_list_strings(words)?),
        Entry::District => Some(DataValidation::new().allow_list_strings(districts)?),
        Entry::Count => Some(
            DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
        ),
        Entry::Tool | Entry::Text => None,
    })
}
