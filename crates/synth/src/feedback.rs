//! The districts' returned workbooks of a synthetic month (issue 21). From the second
//! month on, each district with something to say returns `反馈/反馈_<区名>_<previous>.xlsx`
//! (the pack of the month before, in the form of `coverage::feedback::form`, its rows
//! sealed with the tool's check codes) holding decisions whose truth the generator knows:
//! - corrections of units the previous month listed: a staff count the registry has
//!   wrong (the exports keep the registry's; the true facts take the district's from
//!   this month on) or 已注销 for a unit the registry still shows;
//! - 任务措施 / 责任人 for listed units;
//! - 确认 of a 工作单位 text as written (an abbreviation, a typo, an old name) for its
//!   true unit, and 否决 of another unit of the district for some of them;
//! - 确认 of a joint list's name typed with a typo (党组织覆盖单位待确认) for its unit, with
//!   否决 of a decoy for some, or the unit's USCC given beside a decoy;
//! - bad rows, each with the reject it must get: a grey cell edited, an unknown unit, a
//!   head count that is no number, a correction without its basis, a row of another
//!   district's pack.
//!
//! What the workbooks hold is truth in `truth/feedback_rows.csv` (each row, applied or
//! the reject kind), `truth/reviewed_texts.csv`, `truth/reviewed_joint_names.csv`, `truth/corrections.csv` and
//! `truth/plans.csv` (all in force this month, earlier months' included).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use coverage::error::{Error, Result};
use coverage::feedback::form::{self, FormSheet};
use coverage::vocabulary::IssueKind;

use super::exports::Written;
use super::ledger::Item;
use super::rng::Rng;
use super::truth::{unit_label, write_csv};
use super::world::{region, World};

/// One row of a returned workbook and what the run must do with it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RowTruth {
    pub file: String,
    pub sheet: String,
    /// The row as the run's rejects name it (1-based, as in the spreadsheet).
    pub row: u64,
    /// `applied`, or the kind of reject (`rejects.kind`).
    pub expected: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReviewedText {
    pub text: String,
    pub unit: String,
    pub unit_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CorrectionTruth {
    pub unit: String,
    pub unit_id: String,
    pub field: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanTruth {
    pub unit_id: String,
    pub measures: String,
}

/// What the districts have returned so far, carried from month to month.
#[derive(Default)]
pub struct Returned {
    pub reviewed: Vec<ReviewedText>,
    /// Joint lists' typed names confirmed (kept apart from members' texts, as the run
    /// keeps them).
    pub reviewed_joint: Vec<ReviewedText>,
    pub corrections: Vec<CorrectionTruth>,
    pub plans: BTreeMap<String, String>,
}

/// The unit id the run gives a unit with a valid USCC (src/resolve): `UC-` and the
/// embedded organization code, else `US-` and the USCC.
pub fn unit_id(uscc: &str) -> Option<String> {
    if !coverage::ids::is_valid_uscc(uscc) {
        return None;
    }
    Some(match coverage::ids::org_code_of_uscc(uscc) {
        Some(oc) => format!("UC-{oc}"),
        None => format!("US-{uscc}"),
    })
}

/// One row being written: its sheet, tool cells, district cells (by header) and the
/// district whose check code seals it.
struct Row {
    sheet: FormSheet,
    tool: Vec<String>,
    entries: Vec<(&'static str, String)>,
    seal_district: String,
    /// Tool cell to change after sealing (an edited grey cell): column, new text.
    edit: Option<(usize, String)>,
    expected: String,
}

/// A district's workbook as rows per sheet.
#[derive(Default)]
struct Book {
    rows: Vec<Row>,
}

fn status_label(raw: &str) -> &'static str {
    match raw {
        "存续" | "在业" => "存续",
        "清算" => "清算",
        _ => "存续",
    }
}

/// The month's returned workbooks, written into `dir/反馈/`, and their truth into
/// `dir/truth/`; the corrections are applied to `world` (from this month on).
pub fn write(
    world: &mut World,
    written: &Written,
    open_items: &[Item],
    dir: &Path,
    previous: &str,
    rng: &mut Rng,
    returned: &mut Returned,
) -> Result<Vec<(std::path::PathBuf, usize)>> {
    for u in &mut world.units {
        u.corrected_now = false;
    }
    // A unit whose main record carries no USCC has a unit id the generator does not
    // predict (src/resolve): no row names it.
    let old: HashSet<usize> = written.old_style_units.iter().copied().collect();
    let open: Vec<Item> = open_items
        .iter()
        .filter(|i| !old.contains(&index_of(&i.unit)))
        .cloned()
        .collect();
    let texts: Vec<(String, usize)> = written
        .employer_texts
        .iter()
        .filter(|(_, i)| !old.contains(i))
        .cloned()
        .collect();
    let mut books: BTreeMap<usize, Book> = BTreeMap::new();
    listed_units(world, &open, previous, rng, returned, &mut books);
    reviewed_texts(world, &texts, &old, rng, returned, &mut books);
    reviewed_joint_texts(world, &written.joint_texts, &old, rng, returned, &mut books);
    bad_rows(world, &open, rng, &mut books);
    let mut files = Vec::new();
    let mut truth = Vec::new();
    for (district, book) in &books {
        let (code, name, _) = region().districts[*district];
        let file = form::workbook_name(name, previous);
        let path = dir.join("反馈").join(&file);
        truth.extend(write_book(&path, code, name, previous, book)?);
        files.push((path, book.rows.len()));
    }
    let t = dir.join("truth");
    std::fs::create_dir_all(&t).map_err(|e| Error::output(&t, e))?;
    write_csv(&t.join("feedback_rows.csv"), &truth)?;
    write_csv(&t.join("reviewed_texts.csv"), &returned.reviewed)?;
    write_csv(
        &t.join("reviewed_joint_names.csv"),
        &returned.reviewed_joint,
    )?;
    write_csv(&t.join("corrections.csv"), &returned.corrections)?;
    let plans: Vec<PlanTruth> = returned
        .plans
        .iter()
        .map(|(unit_id, measures)| PlanTruth {
            unit_id: unit_id.clone(),
            measures: measures.clone(),
        })
        .collect();
    write_csv(&t.join("plans.csv"), &plans)?;
    Ok(files)
}

fn index_of(label: &str) -> usize {
    label[1..].parse().expect("a unit label")
}

/// Corrections and plans of the units the previous month listed (each unit once).
fn listed_units(
    world: &mut World,
    open_items: &[Item],
    pack_period: &str,
    rng: &mut Rng,
    returned: &mut Returned,
    books: &mut BTreeMap<usize, Book>,
) {
    let mut seen = HashSet::new();
    for item in open_items {
        let i = index_of(&item.unit);
        if !seen.insert(i) {
            continue;
        }
        let u = &world.units[i];
        let Some(id) = unit_id(&u.uscc) else { continue };
        if u.moved_from.is_some() || region().districts[u.district].0 != item.district_code {
            continue;
        }
        let district = u.district;
        let lists = item.list.to_string();
        let tool = vec![
            id.clone(),
            u.name.clone(),
            u.uscc.clone(),
            region().districts[district].1.to_string(),
            status_label(u.status_raw).to_string(),
            u.employees.to_string(),
            lists,
        ];
        let roll = rng.unit();
        let not_corrected = u.corrected_employees.is_none() && !u.corrected_deregistered;
        let mut entries = Vec::new();
        if not_corrected && roll < 0.04 && u.employees >= 20 {
            // The district counted them: fewer than the registry says, or more.
            let real = if rng.chance(0.5) {
                u.employees / 2
            } else {
                u.employees * 2
            };
            entries.push(("实际职工人数", real.to_string()));
            let u = &mut world.units[i];
            u.corrected_employees = Some(real);
            u.corrected_now = true;
            returned.corrections.push(CorrectionTruth {
                unit: unit_label(i),
                unit_id: id.clone(),
                field: "employees".into(),
                value: real.to_string(),
            });
        } else if not_corrected && roll < 0.05 {
            entries.push(("登记状态更正", "已注销".to_string()));
            let u = &mut world.units[i];
            u.corrected_deregistered = true;
            u.corrected_now = true;
            returned.corrections.push(CorrectionTruth {
                unit: unit_label(i),
                unit_id: id.clone(),
                field: "status".into(),
                value: "deregistered".into(),
            });
        }
        if !entries.is_empty() {
            entries.push(("依据", "实地核查".to_string()));
            books.entry(district).or_default().rows.push(Row {
                sheet: form::CORRECTIONS,
                tool: tool.clone(),
                entries,
                seal_district: region().districts[district].0.to_string(),
                edit: None,
                expected: "applied".into(),
            });
        }
        if rng.chance(0.05) {
            let measures = format!("{pack_period}起：选派指导员、发展党员");
            returned.plans.insert(id.clone(), measures.clone());
            books
                .entry(district)
                .or_default()
                .rows
                .push(plan_row(world, i, &id, measures));
        }
    }
}

/// A 一企一策 row: the tool's columns as the pack shows them (their values matter only
/// to the check code), 任务措施 and 责任人.
fn plan_row(world: &World, i: usize, id: &str, measures: String) -> Row {
    let u = &world.units[i];
    let mut tool = vec![id.to_string()];
    tool.resize(form::PLANS.tool_columns().count(), String::new());
    tool[3] = u.name.clone();
    tool[4] = u.uscc.clone();
    Row {
        sheet: form::PLANS,
        tool,
        entries: vec![("任务措施", measures), ("责任人", "街道党工委".to_string())],
        seal_district: region().districts[u.district].0.to_string(),
        edit: None,
        expected: "applied".into(),
    }
}

/// 确认 for a share of the month's written 工作单位 texts that name one unit and are not
/// its name, and 否决 of a decoy unit of the same district for some of them.
fn reviewed_texts(
    world: &World,
    texts: &[(String, usize)],
    old: &HashSet<usize>,
    rng: &mut Rng,
    returned: &mut Returned,
    books: &mut BTreeMap<usize, Book>,
) {
    // The run reads a text as its normal form (src/names.rs): texts that are one to the
    // tool are one here, and a text in the normal form of a unit's own name (or former
    // name) links to that unit by name and is never put to a district for review.
    let prefixes = [region().city.to_string(), region().short.to_string()];
    let key = |t: &str| coverage::names::normalize_name(t, &prefixes);
    let mut units_of: BTreeMap<String, (HashSet<usize>, &str)> = BTreeMap::new();
    for (t, i) in texts {
        units_of
            .entry(key(t))
            .or_insert_with(|| (HashSet::new(), t.as_str()))
            .0
            .insert(*i);
    }
    let done: HashSet<String> = returned.reviewed.iter().map(|r| key(&r.text)).collect();
    let names: HashSet<String> = world
        .units
        .iter()
        .flat_map(|u| std::iter::once(u.name.as_str()).chain(u.old_name.as_deref()))
        .map(key)
        .collect();
    // Decoys a district rejects: units of the district with an id the run gives too.
    let by_district: HashMap<usize, Vec<usize>> = world
        .units
        .iter()
        .enumerate()
        .filter(|(i, u)| !old.contains(i) && unit_id(&u.uscc).is_some())
        .fold(HashMap::new(), |mut m, (i, u)| {
            m.entry(u.district).or_default().push(i);
            m
        });
    for (k, (units, text)) in &units_of {
        let text: &str = text;
        let &i = units.iter().next().expect("a unit");
        let u = &world.units[i];
        // The text as a spreadsheet cell reads back (trimmed), once, not the unit's name.
        let plain = text.trim() == text && text.chars().count() >= 6;
        if units.len() != 1 || names.contains(k) || done.contains(k) || !plain {
            continue;
        }
        let Some(id) = unit_id(&u.uscc) else { continue };
        if !rng.chance(0.03) {
            continue;
        }
        let seal = region().districts[u.district].0.to_string();
        let review = |candidate: &str, name: &str, uscc: &str, verdict: &str| Row {
            sheet: form::REVIEW,
            tool: vec![
                text.to_string(),
                "1".into(),
                "1".into(),
                candidate.to_string(),
                name.to_string(),
                uscc.to_string(),
                region().districts[u.district].1.to_string(),
                "0.8".into(),
            ],
            entries: vec![("确认结果", verdict.to_string())],
            seal_district: seal.clone(),
            edit: None,
            expected: "applied".into(),
        };
        let book = books.entry(u.district).or_default();
        book.rows.push(review(&id, &u.name, &u.uscc, form::CONFIRM));
        let decoy = by_district
            .get(&u.district)
            .map(|others| others[rng.below(others.len())])
            .filter(|&d| d != i && rng.chance(0.3));
        if let Some(d) = decoy.map(|d| &world.units[d]) {
            let decoy_id = unit_id(&d.uscc).expect("filtered");
            book.rows
                .push(review(&decoy_id, &d.name, &d.uscc, form::REJECT));
        }
        returned.reviewed.push(ReviewedText {
            text: text.to_string(),
            unit: unit_label(i),
            unit_id: id,
        });
    }
}

/// For half of the joint list's names typed with a typo not decided before (a name is
/// typed the same way every month: once decided, it is the unit from then on), in the
/// pack of the unit's district: 确认 of the true unit, with 否决 of a decoy of the same
/// district for some; or, for a fifth, the true unit's USCC written beside a decoy
/// offered (the district names the unit the list meant).
fn reviewed_joint_texts(
    world: &World,
    texts: &[(String, usize, u64)],
    old: &HashSet<usize>,
    rng: &mut Rng,
    returned: &mut Returned,
    books: &mut BTreeMap<usize, Book>,
) {
    let mut done: HashSet<String> = returned
        .reviewed_joint
        .iter()
        .map(|r| r.text.clone())
        .collect();
    for (text, i, row) in texts {
        let u = &world.units[*i];
        let Some(id) = unit_id(&u.uscc).filter(|_| !old.contains(i) && !done.contains(text)) else {
            continue;
        };
        if !rng.chance(0.5) {
            continue;
        }
        let offered = |candidate: usize, entries: Vec<(&'static str, String)>| {
            let c = &world.units[candidate];
            Row {
                sheet: form::JOINT_REVIEW,
                tool: vec![
                    text.clone(),
                    format!("joint_coverage.csv 第{row}行"),
                    "1".into(),
                    unit_id(&c.uscc).expect("a unit with an id"),
                    c.name.clone(),
                    c.uscc.clone(),
                    region().districts[c.district].1.to_string(),
                ],
                entries,
                seal_district: region().districts[u.district].0.to_string(),
                edit: None,
                expected: "applied".into(),
            }
        };
        let decoy = decoy_of(world, *i, old, rng);
        let book = &mut books.entry(u.district).or_default().rows;
        match decoy {
            Some(d) if rng.chance(0.2) => {
                book.push(offered(
                    d,
                    vec![("实际覆盖单位统一社会信用代码", u.uscc.clone())],
                ));
            }
            _ => {
                book.push(offered(*i, vec![("确认结果", form::CONFIRM.to_string())]));
                if let Some(d) = decoy.filter(|_| rng.chance(0.3)) {
                    book.push(offered(d, vec![("确认结果", form::REJECT.to_string())]));
                }
            }
        }
        done.insert(text.clone());
        returned.reviewed_joint.push(ReviewedText {
            text: text.clone(),
            unit: unit_label(*i),
            unit_id: id,
        });
    }
}

/// Another unit of unit `i`'s district with an id the run gives too (a few draws; None
/// where they find none).
fn decoy_of(world: &World, i: usize, old: &HashSet<usize>, rng: &mut Rng) -> Option<usize> {
    let district = world.units[i].district;
    (0..20).map(|_| rng.below(world.units.len())).find(|&d| {
        let w = &world.units[d];
        d != i && w.district == district && !old.contains(&d) && unit_id(&w.uscc).is_some()
    })
}

/// The month's bad rows, one of each kind, in the workbook of a listed unit's district.
fn bad_rows(world: &World, open_items: &[Item], rng: &mut Rng, books: &mut BTreeMap<usize, Book>) {
    let candidates: Vec<usize> = open_items
        .iter()
        .map(|item| index_of(&item.unit))
        .filter(|&i| {
            let u = &world.units[i];
            unit_id(&u.uscc).is_some() && u.moved_from.is_none() && u.corrected_employees.is_none()
        })
        .collect();
    if candidates.is_empty() {
        return;
    }
    let kinds = [
        IssueKind::FeedbackProtectedEdited,
        IssueKind::FeedbackUnknownUnit,
        IssueKind::FeedbackNotAccepted,
        IssueKind::FeedbackNotAccepted,
        IssueKind::FeedbackOtherDistrict,
    ];
    for (k, kind) in kinds.into_iter().enumerate() {
        let i = candidates[rng.below(candidates.len())];
        let u = &world.units[i];
        let id = unit_id(&u.uscc).expect("filtered");
        let home = region().districts[u.district].0.to_string();
        let mut tool = vec![
            id,
            u.name.clone(),
            u.uscc.clone(),
            region().districts[u.district].1.to_string(),
            status_label(u.status_raw).to_string(),
            u.employees.to_string(),
            String::new(),
        ];
        let mut entries = vec![
            ("实际职工人数", (u.employees + 7).to_string()),
            ("依据", "电话核实".into()),
        ];
        let (mut edit, mut seal, mut district) = (None, home.clone(), u.district);
        match k {
            0 => edit = Some((1, format!("{}（改）", u.name))),
            1 => tool[0] = "UC-ZZZZZZZZZ".into(),
            2 => entries[0].1 = format!("约{}人", u.employees),
            3 => entries.truncate(1),
            _ => {
                // Sealed for its own district, sent in another district's workbook.
                district = (u.district + 1) % region().districts.len();
                seal = home;
            }
        }
        books.entry(district).or_default().rows.push(Row {
            sheet: form::CORRECTIONS,
            tool,
            entries,
            seal_district: seal,
            edit: edit.take(),
            expected: kind.as_str().to_string(),
        });
    }
}

/// Writes one district's workbook; returns its rows' truth.
fn write_book(
    path: &Path,
    district: &str,
    name: &str,
    period: &str,
    book: &Book,
) -> Result<Vec<RowTruth>> {
    let xl = |e: rust_xlsxwriter::XlsxError| Error::output(path, e);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::output(parent, e))?;
    }
    let mut wb = coverage::reports::workbook().map_err(xl)?;
    let about = wb.add_worksheet();
    about.set_name(form::ABOUT_SHEET).map_err(xl)?;
    for (r, (label, value)) in [
        (form::ABOUT_DISTRICT, district),
        (form::ABOUT_DISTRICT_NAME, name),
        (form::ABOUT_PERIOD, period),
    ]
    .iter()
    .enumerate()
    {
        about.write_string(r as u32 + 1, 0, *label).map_err(xl)?;
        about.write_string(r as u32 + 1, 1, *value).map_err(xl)?;
    }
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut truth = Vec::new();
    for sheet in form::SHEETS {
        let rows: Vec<&Row> = book
            .rows
            .iter()
            .filter(|r| r.sheet.kind == sheet.kind)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let ws = wb.add_worksheet();
        ws.set_name(sheet.name).map_err(xl)?;
        ws.write_string(0, 0, sheet.title).map_err(xl)?;
        for (c, col) in sheet.columns.iter().enumerate() {
            ws.write_string(form::HEADER_ROW, c as u16, col.header)
                .map_err(xl)?;
        }
        let check = sheet.check_column() as u16;
        ws.write_string(form::HEADER_ROW, check, form::CHECK_HEADER)
            .map_err(xl)?;
        for (k, row) in rows.iter().enumerate() {
            let r = form::HEADER_ROW + 1 + k as u32;
            let code = form::check_code(&row.seal_district, period, sheet.name, &row.tool);
            let mut tool = row.tool.clone();
            if let Some((c, text)) = &row.edit {
                tool[*c] = text.clone();
            }
            for (c, v) in tool.iter().enumerate() {
                ws.write_string(r, c as u16, v).map_err(xl)?;
            }
            for (header, v) in &row.entries {
                ws.write_string(r, sheet.index(header) as u16, v)
                    .map_err(xl)?;
            }
            ws.write_string(r, check, code).map_err(xl)?;
            truth.push(RowTruth {
                file: file.clone(),
                sheet: sheet.name.to_string(),
                row: r as u64 + 1,
                expected: row.expected.clone(),
            });
        }
    }
    wb.save(path).map_err(xl)?;
    Ok(truth)
}
