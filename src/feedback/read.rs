//! One returned workbook, read like any export: every row a decision (or several: one
//! per plan field or correction filled in), a row left as the pack wrote it, or a
//! reject naming file, sheet, row and reason. Nothing is applied from a row whose
//! tool columns were edited, whose unit is unknown or of another district, or whose
//! values the form does not accept.

use std::path::Path;
use std::sync::Arc;

use calamine::{open_workbook_auto_from_rs, Data, Range, Reader};

use super::form::{self, Entry, FormSheet, SheetKind};
use super::{Decision, SOURCE};
use crate::config::Pipeline;
use crate::model::{Lineage, RowIssue, UnitRef};
use crate::names::employer_key;
use crate::resolve::Resolved;
use crate::vocabulary::{FeedbackField, FeedbackKind, IssueKind};
use crate::FastMap;

#[derive(Debug, Default)]
pub(super) struct Read {
    pub decisions: Vec<Decision>,
    pub rejects: Vec<RowIssue>,
    pub flags: Vec<RowIssue>,
    /// Data rows read (every sheet; a workbook that cannot be read is one row).
    pub rows: u64,
    /// Of those, the rows rejected.
    pub rows_rejected: u64,
}

impl Read {
    /// A workbook none of whose rows can be read: one rejected row.
    fn whole_workbook(mut self, issue: RowIssue) -> Read {
        self.rejected_as_one_row(issue);
        self
    }

    /// A row already counted in `rows` is rejected.
    fn rejected(&mut self, issue: RowIssue) {
        self.rejects.push(issue);
        self.rows_rejected += 1;
    }

    /// Something read as one row (a workbook, a sheet) is rejected whole.
    fn rejected_as_one_row(&mut self, issue: RowIssue) {
        self.rows += 1;
        self.rejected(issue);
    }
}

/// What every row of one sheet is read against.
struct SheetContext<'a> {
    p: &'a Pipeline,
    resolved: &'a Resolved,
    unit_of: &'a FastMap<&'a str, usize>,
    district: &'a str,
    period_of_pack: &'a str,
    period: &'a str,
    file_name: &'a str,
    lineage_file: Arc<str>,
}

/// A cell as a person sees it, as an export's cells are read: a date the district typed
/// (计划完成时间) as YYYY-MM-DD, not Excel's day number.
fn text(cell: Option<&Data>) -> String {
    cell.map(|c| crate::extract::reader::cell_text(c).trim().to_string())
        .unwrap_or_default()
}

fn reject(file: &Arc<str>, row: u64, field: &str, kind: IssueKind, reason: String) -> RowIssue {
    RowIssue {
        lineage: Lineage::new(SOURCE, file.clone(), row),
        field: field.to_string(),
        kind,
        reason,
        value: None,
    }
}

/// A file in a folder of returned workbooks that no `[feedback]` pattern reads (a pack
/// saved as .xls or .et, a note beside the packs): one rejected row, so that nothing
/// sent back is passed over in silence.
pub(super) fn not_read(path: &Path, patterns: &str) -> Read {
    let shown: Arc<str> = Arc::from(path.display().to_string().as_str());
    let why = format!(
        "not read: the pipeline's [feedback] files ({patterns}) do not match it; save it as \
         they say, or widen them"
    );
    Read::default().whole_workbook(reject(&shown, 0, "", IssueKind::FeedbackNotAccepted, why))
}

pub(super) fn read_workbook(
    path: &Path,
    bytes: &[u8],
    p: &Pipeline,
    resolved: &Resolved,
    unit_of: &FastMap<&str, usize>,
    period: &str,
) -> Read {
    let mut out = Read::default();
    let shown: Arc<str> = Arc::from(path.display().to_string().as_str());
    // A damaged workbook can make calamine panic (see extract::table): a reject, too.
    let opened = std::panic::catch_unwind(|| {
        let mut book =
            open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let mut sheets = Vec::new();
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).map_err(|e| e.to_string())?;
            sheets.push((name, range));
        }
        Ok::<_, String>(sheets)
    });
    let sheets = match opened {
        Ok(Ok(sheets)) => sheets,
        Ok(Err(e)) => {
            let why = format!("the returned workbook cannot be read: {e}");
            return out.whole_workbook(reject(&shown, 0, "", IssueKind::FeedbackNotAccepted, why));
        }
        Err(_) => {
            let why = "the returned workbook is damaged".to_string();
            return out.whole_workbook(reject(&shown, 0, "", IssueKind::FeedbackNotAccepted, why));
        }
    };
    let sheet = |name: &str| sheets.iter().find(|(n, _)| n == name).map(|(_, r)| r);
    let about = sheet(form::ABOUT_SHEET);
    let value_of = |label: &str| {
        let r = about?;
        (1..6u32).find_map(|row| {
            (text(r.get_value((row, 0))) == label).then(|| text(r.get_value((row, 1))))
        })
    };
    let district = value_of(form::ABOUT_DISTRICT).unwrap_or_default();
    let pack_period = value_of(form::ABOUT_PERIOD).unwrap_or_default();
    if p.district_name(&district).is_none() || crate::config::check_period(&pack_period).is_err() {
        let why = format!(
            "not a work pack of this city: its 说明 sheet names district `{district}` and period `{pack_period}`"
        );
        return out.whole_workbook(reject(&shown, 0, "", IssueKind::FeedbackOtherDistrict, why));
    }
    let file_name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let read_as = form_sheets(path, &sheets, &mut out);
    for (form_sheet, sheet_name, range) in read_as {
        let ctx = SheetContext {
            p,
            resolved,
            unit_of,
            district: &district,
            period_of_pack: &pack_period,
            period,
            file_name: &file_name,
            lineage_file: Arc::from(format!("{}[{sheet_name}]", path.display()).as_str()),
        };
        read_sheet(&ctx, &form_sheet, range, &mut out);
    }
    out
}

/// Each form sheet of a returned workbook by its name, or a sheet the district renamed by
/// its headers; any other sheet with something in it is no part of the form, and said so
/// (a rejected row in `out`).
fn form_sheets<'a>(
    path: &Path,
    sheets: &'a [(String, Range<Data>)],
    out: &mut Read,
) -> Vec<(FormSheet, &'a str, &'a Range<Data>)> {
    let named = |name: &str| {
        sheets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(n, r)| (n.as_str(), r))
    };
    let mut read_as: Vec<(FormSheet, &str, &Range<Data>)> = Vec::new();
    for form_sheet in form::SHEETS {
        let found = named(form_sheet.name).or_else(|| {
            sheets
                .iter()
                .filter(|(n, _)| sheet_is_unnamed(n) && !read_as.iter().any(|(_, m, _)| m == n))
                .find(|(_, r)| renamed_as(r, &form_sheet))
                .map(|(n, r)| (n.as_str(), r))
        });
        if let Some((name, range)) = found {
            read_as.push((form_sheet, name, range));
        }
    }
    for (name, range) in sheets {
        let unread = sheet_is_unnamed(name) && !read_as.iter().any(|(_, n, _)| n == name);
        if unread
            && range
                .used_cells()
                .any(|(_, _, c)| !text(Some(c)).is_empty())
        {
            let lineage_file: Arc<str> = Arc::from(format!("{}[{name}]", path.display()).as_str());
            let why = format!("sheet `{name}` is no sheet of the work pack; its rows are not read");
            out.rejected_as_one_row(reject(
                &lineage_file,
                0,
                "",
                IssueKind::FeedbackNotAccepted,
                why,
            ));
        }
    }
    read_as
}

/// Whether a sheet not named as any of the form's is `form_sheet` renamed: its headers
/// are the form sheet's (every tool column and the check code).
fn renamed_as(range: &Range<Data>, form_sheet: &FormSheet) -> bool {
    let (_, cols, _) = header_columns(range, form_sheet);
    let mut tool = form_sheet
        .columns
        .iter()
        .zip(&cols)
        .filter(|(c, _)| c.entry == Entry::Tool);
    cols.last().is_some_and(Option::is_some) && tool.all(|(_, col)| col.is_some())
}

/// A sheet name that is none of the form's (a renamed sheet may be read as one).
fn sheet_is_unnamed(name: &str) -> bool {
    name != form::ABOUT_SHEET && form::SHEETS.iter().all(|f| f.name != name)
}

/// The header row of the sheet as returned — the form's row, or the row that holds most
/// of the form's headers among the first ten where a district inserted rows above it (a
/// note, a title) — and the column of each declared header (and of the check code).
fn header_columns(
    range: &Range<Data>,
    sheet: &FormSheet,
) -> (u32, Vec<Option<u32>>, Vec<(u32, String)>) {
    let width = range.end().map(|(_, c)| c + 1).unwrap_or(0);
    let last = range.end().map(|(r, _)| r).unwrap_or(0);
    let headers_of = |row: u32| -> Vec<(u32, String)> {
        (0..width)
            .map(|c| (c, text(range.get_value((row, c)))))
            .collect()
    };
    let declared = |headers: &[(u32, String)]| {
        headers
            .iter()
            .filter(|(_, t)| t == form::CHECK_HEADER || sheet.columns.iter().any(|c| c.header == t))
            .count()
    };
    // Most headers; on a tie the form's row, then the first.
    let (row, headers) = (0..=last.clamp(form::HEADER_ROW, 9))
        .map(|r| (r, headers_of(r)))
        .max_by_key(|(r, h)| (declared(h), *r == form::HEADER_ROW, std::cmp::Reverse(*r)))
        .expect("the form's header row is among them");
    let find = |h: &str| headers.iter().find(|(_, t)| t == h).map(|(c, _)| *c);
    let mut cols: Vec<Option<u32>> = sheet.columns.iter().map(|c| find(c.header)).collect();
    cols.push(find(form::CHECK_HEADER));
    let extra = headers
        .into_iter()
        .filter(|(_, t)| {
            !t.is_empty() && t != form::CHECK_HEADER && !sheet.columns.iter().any(|c| c.header == t)
        })
        .collect();
    (row, cols, extra)
}

fn read_sheet(ctx: &SheetContext, sheet: &FormSheet, range: &Range<Data>, out: &mut Read) {
    let (header_row, cols, extra) = header_columns(range, sheet);
    let last = range.end().map(|(r, _)| r).unwrap_or(0);
    for r in header_row + 1..=last {
        let cell = |i: usize| {
            cols[i]
                .map(|c| text(range.get_value((r, c))))
                .unwrap_or_default()
        };
        let values: Vec<String> = (0..=sheet.columns.len()).map(cell).collect();
        let extra_filled: Vec<&str> = extra
            .iter()
            .filter(|(c, _)| !text(range.get_value((r, *c))).is_empty())
            .map(|(_, h)| h.as_str())
            .collect();
        if values.iter().all(String::is_empty) && extra_filled.is_empty() {
            continue;
        }
        out.rows += 1;
        let row = r as u64 + 1;
        let file = &ctx.lineage_file;
        if let Some(h) = extra_filled.first() {
            let why = format!("column `{h}` is not part of the form; the tool does not accept it");
            out.rejected(reject(file, row, h, IssueKind::FeedbackNotAccepted, why));
            continue;
        }
        match read_row(ctx, sheet, &values, row) {
            Ok(decisions) => out.decisions.extend(decisions),
            Err((field, kind, why)) => out.rejected(reject(file, row, field, kind, why)),
        }
    }
}

type RowError = (&'static str, IssueKind, String);

/// The decisions of one returned row (none where the district filled nothing in).
fn read_row(
    ctx: &SheetContext,
    sheet: &FormSheet,
    values: &[String],
    row: u64,
) -> Result<Vec<Decision>, RowError> {
    let tool: Vec<String> = sheet
        .columns
        .iter()
        .zip(values)
        .filter(|(c, _)| c.entry == Entry::Tool)
        .map(|(_, v)| v.clone())
        .collect();
    let check = &values[sheet.check_column()];
    if *check != form::check_code(ctx.district, ctx.period_of_pack, sheet.name, &tool) {
        let other = ctx
            .p
            .districts
            .keys()
            .find(|d| *check == form::check_code(d, ctx.period_of_pack, sheet.name, &tool));
        return Err(match other {
            Some(d) => (
                "",
                IssueKind::FeedbackOtherDistrict,
                format!(
                    "the row is from the pack of district {d}, not of {}",
                    ctx.district
                ),
            ),
            None => (
                form::CHECK_HEADER,
                IssueKind::FeedbackProtectedEdited,
                "a protected (grey) column of the row was changed; the row is not applied".into(),
            ),
        });
    }
    let get = |h: &str| values[sheet.index(h)].clone();
    let review = sheet.review_columns();
    let unit_header = if review.is_some() {
        "候选单位编号"
    } else {
        "单位编号"
    };
    let unit_id = get(unit_header);
    let Some(&unit) = ctx.unit_of.get(unit_id.as_str()) else {
        return Err((
            "unit_id",
            IssueKind::FeedbackUnknownUnit,
            format!("unit {unit_id} is not among this month's units"),
        ));
    };
    let u = &ctx.resolved.units[unit];
    if review.is_none() && u.facts.district_code.as_deref() != Some(ctx.district) {
        return Err((
            "unit_id",
            IssueKind::FeedbackOtherDistrict,
            format!("unit {unit_id} is not a unit of district {}", ctx.district),
        ));
    }
    let decision =
        |kind: FeedbackKind, field: Option<FeedbackField>, value: Option<String>| Decision {
            id: format!(
                "{}/{}[{}]/{row}/{}",
                ctx.period,
                ctx.file_name,
                sheet.name,
                field.map(FeedbackField::as_str).unwrap_or(kind.as_str())
            ),
            kind,
            district_code: ctx.district.to_string(),
            unit_id: unit_id.clone(),
            employer_text: None,
            employer_key: None,
            field,
            value,
            registry_value: None,
            basis: None,
            lineage: Lineage::new(SOURCE, ctx.lineage_file.clone(), row),
            period_received: ctx.period.to_string(),
            superseded_by: None,
        };
    match sheet.kind {
        SheetKind::Plans => Ok(form::PLAN_FIELDS
            .iter()
            .filter(|(h, _)| !get(h).is_empty())
            .map(|(h, f)| decision(FeedbackKind::Plan, Some(*f), Some(get(h))))
            .collect()),
        SheetKind::Review | SheetKind::JointReview => {
            review_decision(ctx, sheet, &get, &decision).map(|d| d.into_iter().collect())
        }
        SheetKind::Corrections => corrections(ctx, &get, &decision),
    }
}

type MakeDecision<'a> =
    dyn Fn(FeedbackKind, Option<FeedbackField>, Option<String>) -> Decision + 'a;

/// A decision on a name as written (a sheet of names to confirm): the candidate
/// confirmed or rejected, or another unit's USCC given.
fn review_decision(
    ctx: &SheetContext,
    sheet: &FormSheet,
    get: &dyn Fn(&str) -> String,
    decision: &MakeDecision,
) -> Result<Option<Decision>, RowError> {
    let (text_column, other_column) = sheet.review_columns().expect("a sheet of names");
    let written_verdict = get("确认结果");
    let verdict = form::verdict(&written_verdict).to_string();
    let other = get(other_column).to_uppercase();
    let written = get(text_column);
    // A joint list's names are decided apart from members' 工作单位.
    let (confirmed, rejected, redirected) = if sheet.kind == SheetKind::JointReview {
        (
            FeedbackKind::JointConfirmed,
            FeedbackKind::JointRejected,
            FeedbackKind::JointRedirected,
        )
    } else {
        (
            FeedbackKind::LinkConfirmed,
            FeedbackKind::LinkRejected,
            FeedbackKind::LinkRedirected,
        )
    };
    let with_text = |mut d: Decision| {
        // Keyed as the member's 工作单位 is (names::employer_key): the same text.
        d.employer_key = Some(employer_key(&written, &ctx.p.pipeline.name_prefixes));
        d.employer_text = Some(written.clone());
        d
    };
    if !other.is_empty() {
        if !verdict.is_empty() && verdict != form::REJECT {
            return Err((
                "确认结果",
                IssueKind::FeedbackContradiction,
                "confirms the candidate and names another unit's USCC; the row is not applied"
                    .into(),
            ));
        }
        let by_code = UnitRef {
            uscc: Some(other.as_str().into()),
            ..UnitRef::default()
        };
        let Some((unit, _)) = ctx.resolved.index.find(&ctx.resolved.units, &by_code) else {
            return Err((
                other_column,
                IssueKind::FeedbackUnknownUnit,
                format!("USCC {other} is no unit of this month's registries"),
            ));
        };
        let mut d = with_text(decision(redirected, None, Some(other)));
        d.unit_id = ctx.resolved.units[unit].unit_id.clone();
        return Ok(Some(d));
    }
    match verdict.as_str() {
        "" => Ok(None),
        form::CONFIRM => Ok(Some(with_text(decision(confirmed, None, None)))),
        form::REJECT => Ok(Some(with_text(decision(rejected, None, None)))),
        v => Err((
            "确认结果",
            IssueKind::FeedbackNotAccepted,
            format!("`{v}` is neither {} nor {}", form::CONFIRM, form::REJECT),
        )),
    }
}

fn corrections(
    ctx: &SheetContext,
    get: &dyn Fn(&str) -> String,
    decision: &MakeDecision,
) -> Result<Vec<Decision>, RowError> {
    let (employees, status, district) =
        (get("实际职工人数"), get("登记状态更正"), get("所在区更正"));
    let basis = get("依据");
    let mut out = Vec::new();
    if !employees.is_empty() {
        // Written as people write a head count: 80, 80人, 1,200, full-width digits.
        let n: i64 = crate::extract::values::parse_count(&employees).ok_or((
            "实际职工人数",
            IssueKind::FeedbackNotAccepted,
            format!("`{employees}` is not a number of employees"),
        ))?;
        out.push((
            FeedbackField::Employees,
            n.to_string(),
            get("职工人数（登记）"),
        ));
    }
    // A word of the drop-down typed over, as people write it (注销 for 已注销).
    let status = form::status_choice(&status).map_or(status, str::to_string);
    if !status.is_empty() {
        if !form::STATUS_CHOICES.contains(&status.as_str()) {
            return Err((
                "登记状态更正",
                IssueKind::FeedbackNotAccepted,
                format!(
                    "`{status}` is not one of {}",
                    form::STATUS_CHOICES.join("、")
                ),
            ));
        }
        if let Some(s) = form::status_of_choice(&status) {
            out.push((
                FeedbackField::Status,
                s.as_str().to_string(),
                get("登记状态"),
            ));
        } else if district.is_empty() {
            return Err((
                "所在区更正",
                IssueKind::FeedbackNotAccepted,
                format!(
                    "{} needs 所在区更正: the district the unit is in",
                    form::NOT_IN_DISTRICT
                ),
            ));
        }
    }
    if !district.is_empty() {
        // Read as an export's district cell is: 朝阳区, 朝阳, 北京市朝阳区, 110105.
        let Some(code) = ctx.p.district_in(&district) else {
            return Err((
                "所在区更正",
                IssueKind::FeedbackNotAccepted,
                format!("`{district}` is not a district of the city"),
            ));
        };
        let then = ctx.p.district_in(&get("所在区"));
        out.push((FeedbackField::District, code, then.unwrap_or_default()));
    }
    if !out.is_empty() && basis.is_empty() {
        return Err((
            "依据",
            IssueKind::FeedbackNotAccepted,
            "a correction needs its basis (依据)".into(),
        ));
    }
    Ok(out
        .into_iter()
        .map(|(field, value, then)| {
            let mut d = decision(FeedbackKind::Correction, Some(field), Some(value));
            d.registry_value = Some(then);
            d.basis = Some(basis.clone());
            d
        })
        .collect())
}
