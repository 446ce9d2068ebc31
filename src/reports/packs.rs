//! A work pack per district (`各区/<区名>/`): the district's own compliance lists,
//! 一企一策 and attachments, and the workbook it fills in and sends back,
//! `反馈_<区名>_<period>.xlsx`, in the form of `feedback::form`: 一企一策 with the
//! district's plan columns (pre-filled with the plans in force), 党员工作单位待确认 (each
//! `link_review` candidate of a written 工作单位 — the text and how many members wrote
//! it, never a member), 党组织覆盖单位待确认 (a joint list's row whose typed name nothing
//! decided, or that is counted in another district's unit it names while its own
//! district's are one edit away, with the units it may mean) and 单位信息更正 for the listed units. The
//! tool's columns are locked and greyed, the district's unlocked with drop-downs, each
//! row sealed by its check code.

use std::path::{Path, PathBuf};

use super::book::{Book, Cell, Layout, Style, Validation};
use duckdb::types::Value;
use duckdb::Connection;

use crate::error::{DbContext, Error, Result};
use crate::feedback::form::{self, Entry, FormSheet, SheetKind};

/// The listed units of each district with the lists they are on.
const LISTED: &str = "listed AS (
    SELECT district_code, unit_id, string_agg(DISTINCT list_name, '；' ORDER BY list_name) AS lists
    FROM compliance_lists GROUP BY district_code, unit_id)";

/// The query of a sheet for every district, in district order: its tool columns in
/// order, then the district's columns (pre-filled where something is in force, else
/// NULL), then the district's code (not shown).
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
                    coalesce(a.route, '（已覆盖）'), {plan_cols}, l.district_code
                FROM listed l JOIN unit_status u USING (unit_id)
                LEFT JOIN action_plan a USING (unit_id)
                LEFT JOIN plans_in_force() p USING (unit_id)
                ORDER BY l.district_code, u.street NULLS LAST, u.name, u.unit_id",
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
                NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, t.district_code
            FROM c JOIN texts t USING (employer_name)
            JOIN units u ON u.unit_id = c.candidate_unit_id
            ORDER BY t.district_code, c.employer_name, c.rank, c.candidate_unit_id"
            .to_string(),
        // A joint list's row left open: its candidates, in the pack of the district
        // most of them are in.
        SheetKind::JointReview => "WITH c AS (
                SELECT i.value, parse_filename(i.source_file) || ' 第'
                        || i.source_row || '行' AS place,
                    i.source_file, i.source_row, o.unit_id, o.rank
                FROM link_issues i,
                    unnest(string_split(i.other_unit_ids, ';')) WITH ORDINALITY AS o(unit_id, rank)
                WHERE i.what = 'joint_coverage' AND i.other_unit_ids <> ''),
            rows AS (
                SELECT c.source_file, c.source_row, mode(u.district_code) AS district_code
                FROM c JOIN units u USING (unit_id) GROUP BY ALL)
            SELECT c.value, c.place, c.rank, c.unit_id, u.name, u.uscc, u.district_name,
                NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, r.district_code
            FROM c JOIN rows r USING (source_file, source_row)
            JOIN units u USING (unit_id)
            ORDER BY r.district_code, c.source_file, c.source_row, c.rank"
            .to_string(),
        SheetKind::Corrections => format!(
            "WITH {LISTED}
            SELECT u.unit_id, u.name, u.uscc, u.district_name, label('status', u.status),
                u.employees_registry, l.lists, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR,
                l.district_code
            FROM listed l JOIN units u USING (unit_id)
            ORDER BY l.district_code, u.street NULLS LAST, u.name, u.unit_id"
        ),
    }
}

/// The districts of the run, code and name, in code order.
pub(super) fn districts(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn
        .prepare("SELECT district_code, district_name FROM districts ORDER BY district_code")
        .db("read districts")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .db("read districts")?;
    rows.collect::<std::result::Result<_, _>>()
        .db("read districts")
}

/// A district's work pack folder under the period's reports folder `dir`.
pub(super) fn pack_dir(dir: &Path, district_name: &str) -> PathBuf {
    dir.join("各区").join(district_name)
}

/// Writes every district's returned-workbook form into its pack (`pack_dir`; the
/// district's lists, 一企一策 and attachments are written with the city's reports, see
/// `write_reports`); returns the files written. Each sheet is one query for every
/// district, in district order, read as the districts' workbooks are written in turn:
/// one district's rows are in memory at a time.
pub fn write_packs(conn: &Connection, dir: &Path, period: &str) -> Result<Vec<PathBuf>> {
    let districts = districts(conn)?;
    let names: Vec<&str> = districts.iter().map(|(_, n)| n.as_str()).collect();
    // A connection a sheet: the three queries are read side by side.
    let conns = form::SHEETS
        .iter()
        .map(|_| conn.try_clone().db("a connection for a work pack"))
        .collect::<Result<Vec<_>>>()?;
    let mut stmts = Vec::new();
    for (c, sheet) in conns.iter().zip(form::SHEETS) {
        stmts.push(c.prepare(&sheet_query(sheet.kind)).db("work pack query")?);
    }
    let mut streams = Vec::new();
    for stmt in stmts.iter_mut() {
        let rows = stmt.query([]).db("work pack query")?;
        let width = rows.as_ref().map_or(0, |s| s.column_count()) - 1;
        streams.push(InDistrictOrder {
            rows,
            width,
            pending: None,
        });
    }
    let mut written = Vec::new();
    for (code, name) in &districts {
        let ddir = pack_dir(dir, name);
        std::fs::create_dir_all(&ddir).map_err(|e| Error::output(&ddir, e))?;
        let path = ddir.join(form::workbook_name(name, period));
        let mut book = Book::create(&path)?;
        write_about(&mut book, period, code, name)?;
        for (sheet, stream) in form::SHEETS.iter().zip(streams.iter_mut()) {
            let rows = stream.take(code)?;
            write_form_sheet(&mut book, sheet, &rows, (code, period), &names)?;
        }
        book.finish()?;
        written.push(path);
    }
    Ok(written)
}

/// A query's rows in district order (its last column), taken a district at a time.
struct InDistrictOrder<'s> {
    rows: duckdb::Rows<'s>,
    /// The columns before the district's.
    width: usize,
    /// A row read but not yet taken, with its district.
    pending: Option<(Option<String>, Vec<Value>)>,
}

impl InDistrictOrder<'_> {
    /// The rows of `district`, which follows every district taken before it. Rows of a
    /// district with no pack (none before it, or none at all) are nobody's.
    fn take(&mut self, district: &str) -> Result<Vec<Vec<Value>>> {
        let mut out = Vec::new();
        loop {
            if self.pending.is_none() {
                let Some(row) = self.rows.next().db("work pack query")? else {
                    return Ok(out);
                };
                let values = (0..self.width)
                    .map(|c| row.get::<_, Value>(c))
                    .collect::<std::result::Result<Vec<_>, _>>()
                    .db("work pack query")?;
                let of = row
                    .get::<_, Option<String>>(self.width)
                    .db("work pack query")?;
                self.pending = Some((of, values));
            }
            let of = self.pending.as_ref().and_then(|(d, _)| d.as_deref());
            match of.map(|d| d.cmp(district)) {
                Some(std::cmp::Ordering::Greater) => return Ok(out),
                Some(std::cmp::Ordering::Equal) => {
                    out.extend(self.pending.take().map(|(_, values)| values))
                }
                _ => self.pending = None,
            }
        }
    }
}

/// A returned workbook's sheet: locked (the district writes only in its unlocked
/// cells), frozen above its data rows, on the spreadsheet's default page.
fn form_layout(frozen_rows: u32) -> Layout {
    Layout {
        frozen_rows,
        printed: false,
        protected: true,
    }
}

fn write_about(book: &mut Book, period: &str, code: &str, name: &str) -> Result<()> {
    let mut ws = book.sheet(form::ABOUT_SHEET, form_layout(0))?;
    let title = format!("{name}党建工作反馈表（{period}）");
    ws.row(&[Cell::Text(&title, Style::FormTitle)], None)?;
    let cells = [
        (form::ABOUT_DISTRICT, code),
        (form::ABOUT_DISTRICT_NAME, name),
        (form::ABOUT_PERIOD, period),
    ];
    for (label, value) in cells {
        ws.row(
            &[
                Cell::Text(label, Style::FormHeader),
                Cell::Text(value, Style::Tool),
            ],
            None,
        )?;
    }
    let notes = [
        "灰色列为系统数据，已锁定，请勿修改；白色列由区县填写，带下拉框的请从列表中选择。",
        "“党员工作单位待确认”只涉及党员填写的工作单位文字，不含任何党员个人信息。",
        "“党组织覆盖单位待确认”的确认对该写法长期有效：以后名单再这样写，即按确认的单位统计。",
        "“单位信息更正”须写明依据；更正从收到当月起生效，直至区县撤回。",
        "填好后请保持文件名不变，报送至组织部指定目录。",
    ];
    ws.row(&[], None)?;
    for note in notes {
        ws.row(&[Cell::Text(note, Style::Plain)], None)?;
    }
    book.add(ws, &[14.0, 30.0])
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
    book: &mut Book,
    sheet: &FormSheet,
    rows: &[Vec<Value>],
    (district, period): (&str, &str),
    districts: &[&str],
) -> Result<()> {
    let first = form::HEADER_ROW + 1;
    let mut ws = book.sheet(sheet.name, form_layout(first))?;
    ws.row(&[Cell::Text(sheet.title, Style::FormTitle)], None)?;
    while ws.rows() < form::HEADER_ROW {
        ws.row(&[], None)?;
    }
    let check = sheet.check_column();
    let mut header: Vec<Cell> = sheet
        .columns
        .iter()
        .map(|col| Cell::Text(col.header, Style::FormHeader))
        .collect();
    header.push(Cell::Text(form::CHECK_HEADER, Style::FormHeader));
    ws.row(&header, None)?;
    // As wide as the header or the widest value (a USCC, a unit's name) and wide enough
    // to write in, up to the reports' limit beyond which text wraps; the check code's
    // column hidden.
    let mut widths: Vec<f64> = sheet
        .columns
        .iter()
        .enumerate()
        .map(|(c, col)| {
            let widest = rows
                .iter()
                .filter_map(|r| r.get(c))
                .map(|v| super::display_width(&cell_text(v)))
                .chain([super::display_width(col.header), 12])
                .max()
                .unwrap_or(12)
                .min(super::MAX_WIDTH);
            widest as f64 + 2.0
        })
        .collect();
    widths.push(0.0);
    ws.hide_column(check as u16);
    for values in rows {
        let mut tool_values = Vec::new();
        let mut cells = Vec::with_capacity(check + 1);
        for (col, v) in sheet.columns.iter().zip(values) {
            let style = if col.entry == Entry::Tool {
                tool_values.push(cell_text(v));
                Style::Tool
            } else {
                Style::Entry
            };
            cells.push(match v {
                Value::Null => Cell::Blank(style),
                Value::Text(t) if t.is_empty() => Cell::Blank(style),
                Value::Text(t) => Cell::Text(t, style),
                other => Cell::Number(super::number(other), style),
            });
        }
        let code = form::check_code(district, period, sheet.name, &tool_values);
        cells.push(Cell::Text(&code, Style::Tool));
        ws.row(&cells, None)?;
    }
    if !rows.is_empty() {
        let last = first + rows.len() as u32 - 1;
        for (c, col) in sheet.columns.iter().enumerate() {
            if let Some(rule) = validation(col.entry, districts) {
                ws.validate(c as u16, first, last, rule);
            }
        }
    }
    book.add(ws, &widths)
}

/// The drop-down (or number rule) of a district column.
fn validation<'a>(entry: Entry, districts: &'a [&'a str]) -> Option<Validation<'a>> {
    match entry {
        Entry::Choice(words) => Some(Validation::List(words)),
        Entry::District => Some(Validation::List(districts)),
        Entry::Count => Some(Validation::WholeAtLeast(0)),
        Entry::Tool | Entry::Text => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows in district order are taken a district at a time: 110101 a b, 110102 none,
    /// 110105 c. The rows of 110103, a district with no pack between two that have one,
    /// and of no district (NULL, last) are nobody's; a district after the last row has none.
    #[test]
    fn rows_in_district_order_are_taken_a_district_at_a_time() {
        let conn = crate::database::open(None).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT name, d FROM (VALUES ('a', '110101'), ('b', '110101'), ('x', '110103'),
                     ('c', '110105'), ('y', NULL)) t(name, d) ORDER BY d NULLS LAST, name",
            )
            .unwrap();
        let rows = stmt.query([]).unwrap();
        let mut stream = InDistrictOrder {
            rows,
            width: 1,
            pending: None,
        };
        let mut take = |d: &str| -> Vec<String> {
            let rows = stream.take(d).unwrap();
            rows.iter().map(|r| cell_text(&r[0])).collect()
        };
        assert_eq!(take("110101"), ["a", "b"]);
        assert!(take("110102").is_empty());
        assert_eq!(take("110105"), ["c"]);
        assert!(take("110106").is_empty());
    }
}
