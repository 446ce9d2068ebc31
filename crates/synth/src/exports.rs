//! Writing the world as exports, with the mess real exports have, and recording for
//! every row written which true unit (or member's employer) it is — the ground truth
//! the run is judged against.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use coverage::error::{Error, Result};

use super::csv_out::{CsvOut, Encoding};
use super::mess::{bad_check, code_variant, employer_as_written, typo, EmployerMess, Mess};
use super::rng::Rng;
use super::world::{park_name, region, Placed, Registry, TrueUnit, World};

/// What an export row truly is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowTruth {
    /// A registry row of this true unit, or a member row working in it.
    Unit(usize),
    /// A member row whose employer is in no registry.
    NoUnit,
    /// A row the run must reject (wrong number of columns).
    Broken,
}

/// One written row and its truth.
pub struct TruthRow {
    /// Shared by the rows of a file (a 10M-unit month writes 30M rows).
    pub file: Arc<str>,
    pub row: u64,
    pub truth: RowTruth,
}

#[derive(Default)]
pub struct Written {
    pub files: Vec<(PathBuf, usize)>,
    pub registry_rows: Vec<TruthRow>,
    pub member_rows: Vec<TruthRow>,
    /// Members (indices into `World::members`) whose only row is broken: the run must
    /// reject it, so the month's exports do not show them and truth does not count them.
    pub broken_members: Vec<usize>,
    /// 工作单位 as written by a member with no employer code, and the true unit: what a
    /// district may confirm in its returned workbook (src/feedback.rs).
    pub employer_texts: Vec<(String, usize)>,
    /// A joint list's covered-unit names typed with a typo, each with its true unit and
    /// its row: what a district may confirm in its returned workbook's
    /// 党组织覆盖单位待确认 (src/feedback.rs).
    pub joint_texts: Vec<(String, usize, u64)>,
    /// Units whose main record is an old-system one (no USCC): the run's unit id is not
    /// the USCC's, so the generator's returned workbooks leave them out.
    pub old_style_units: Vec<usize>,
    /// Sheets of the standard layout's social-organization workbook (more than one
    /// only above a sheet's rows, as a real export of a province would be).
    pub social_sheets: usize,
    /// The exports give each enterprise's park (所属园区): the standard layout's do.
    pub parks_written: bool,
}

impl Written {
    /// Writes a UTF-8 CSV (header first) and records it with its number of data rows.
    pub(super) fn save_utf8(&mut self, path: PathBuf, rows: &[Vec<String>]) -> Result<()> {
        write_bytes(&path, csv_text(rows)?.as_bytes())?;
        self.files.push((path, rows.len() - 1));
        Ok(())
    }
}

pub(super) fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
    }
    std::fs::write(path, bytes).map_err(|e| Error::output(path, e))
}

pub(super) fn csv_text(rows: &[Vec<String>]) -> Result<String> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    for r in rows {
        w.write_record(r)
            .map_err(|e| Error::Internal(format!("csv: {e}")))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Internal(format!("csv: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Internal(format!("csv: {e}")))
}

pub(super) fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

pub fn write(
    world: &World,
    out: &Path,
    period: &str,
    messiness: f64,
    rng: &mut Rng,
) -> Result<Written> {
    let mess = Mess { m: messiness };
    let mut w = Written::default();
    enterprises(world, out, &mess, rng, &mut w)?;
    social_orgs(world, out, period, &mess, rng, &mut w)?;
    law_firms(world, out, &mess, rng, &mut w)?;
    orgs(world, out, &mess, rng, &mut w)?;
    members(world, out, &mess, rng, &mut w)?;
    let ledger = super::work_ledger::standard_rows(&world.units, period, &mess);
    w.save_utf8(out.join("ledger.csv"), &ledger)?;
    Ok(w)
}

pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Two district-level enterprise exports (GBK) that share some units.
fn enterprises(
    world: &World,
    out: &Path,
    mess: &Mess,
    rng: &mut Rng,
    w: &mut Written,
) -> Result<()> {
    let head = [
        "统一社会信用代码",
        "注册号",
        "组织机构代码",
        "企业名称",
        "企业类型",
        "登记状态",
        "所属区",
        "街道乡镇",
        "所属园区",
        "行业门类",
        "从业人数",
    ];
    let paths = [out.join("enterprises_a.csv"), out.join("enterprises_b.csv")];
    let mut outs = [
        CsvOut::create(&paths[0], Encoding::Gbk, &head)?,
        CsvOut::create(&paths[1], Encoding::Gbk, &head)?,
    ];
    let names: [Arc<str>; 2] = [file_name(&paths[0]).into(), file_name(&paths[1]).into()];
    // The second file's truth goes after the first's, as when the files were written
    // one after the other.
    let mut truths: [Vec<TruthRow>; 2] = Default::default();
    let mut rows: [Vec<(Vec<String>, RowTruth)>; 2] = Default::default();
    for (i, u) in world.units.iter().enumerate() {
        if u.registry == Registry::Enterprise && enterprise_rows(i, u, mess, rng, &mut rows) {
            w.old_style_units.push(i);
        }
        for k in 0..2 {
            for (r, truth) in rows[k].drain(..) {
                let row = outs[k].row(&r)?;
                truths[k].push(TruthRow {
                    file: names[k].clone(),
                    row,
                    truth,
                });
            }
        }
    }
    for (out, truth) in outs.into_iter().zip(truths) {
        w.registry_rows.extend(truth);
        w.files.push(out.finish()?);
    }
    w.parks_written = true;
    Ok(())
}

/// Which of the two district exports lists a district: the first half or the second.
fn export_half(district: usize) -> usize {
    usize::from(district >= region().districts.len() / 2)
}

/// One enterprise's rows in the two district exports: its main record (old-system
/// codes, code variants, a garbled copy), and the records the other export holds for a
/// shared unit, under a former name, or in the district it moved from. Whether the main
/// record is an old-system one.
fn enterprise_rows(
    i: usize,
    u: &TrueUnit,
    mess: &Mess,
    rng: &mut Rng,
    files: &mut [Vec<(Vec<String>, RowTruth)>; 2],
) -> bool {
    let (_, dname, streets) = region().districts[u.district];
    // An enterprise in no park: the cell is empty, or (a tenth, times the mess factor)
    // says so, 无 or /.
    let park = match u.park {
        true => park_name(u.district),
        false if Rng::stable_chance(&u.uscc, "no park written", mess.p(0.1)) => {
            match Rng::stable_chance(&u.uscc, "no park as 无", 0.7) {
                true => "无".to_string(),
                false => "/".to_string(),
            }
        }
        false => String::new(),
    };
    // Some offices write the street's office (望京街道办事处, 良乡镇人民政府), a few with the
    // district before it (the same units every month).
    let street = street_as_written(&u.uscc, dname, streets[u.street], mess);
    let record =
        |uscc: &str, reg_no: &str, org_code: &str, name: &str, status: &str, dname: &str| {
            row(&[
                uscc,
                reg_no,
                org_code,
                name,
                u.entity_raw,
                status,
                dname,
                &street,
                &park,
                u.industry,
                &u.employees.to_string(),
            ])
        };
    let home = export_half(u.district);
    let (status_now, status_left) = u.move_statuses();
    // The main record: most carry the USCC; an old one only its 注册号 or 组织机构代码
    // (the same units month after month).
    let old_style = Rng::stable_chance(&u.uscc, "old-system record", mess.p(0.02));
    let main = if old_style {
        if Rng::stable_chance(&u.uscc, "reg_no only", 0.5) {
            record("", &u.reg_no, "", &u.name, status_now, dname)
        } else {
            record("", "", &u.uscc[8..17], &u.name, status_now, dname)
        }
    } else {
        let code = if rng.chance(mess.p(0.02)) {
            code_variant(rng, &u.uscc)
        } else {
            u.uscc.clone()
        };
        let name = mess.name(rng, &u.name);
        record(&code, "", "", &name, status_now, dname)
    };
    let mut main = (main, RowTruth::Unit(i));
    // A mistyped check character is flagged, not rejected: the row is still the unit.
    if rng.chance(mess.p(0.005)) && !old_style {
        main.0[0] = bad_check(&u.uscc);
    } else if rng.chance(mess.p(0.003)) {
        // A line the export broke: a garbled copy beside the real row.
        let mut broken = main.0.clone();
        broken.pop();
        files[home].push((broken, RowTruth::Broken));
    }
    files[home].push(main);
    // Shared units: the other district's export lists them too (always, at every
    // level of mess: overlapping exports are the layout, not an error).
    if rng.chance(0.03) || (old_style && Rng::stable_chance(&u.uscc, "listed twice", 0.5)) {
        let name = mess.name(rng, &u.name);
        // The other export is updated later: a third of the units deregistered or revoked
        // are still 存续 there (a unit whose main record is an old system's is written
        // there as it is now).
        let status = match old_style {
            true => u.status_raw,
            false => u.status_lagging("not yet updated", 0.33),
        };
        files[1 - home].push((
            record(&u.uscc, "", "", &name, status, dname),
            RowTruth::Unit(i),
        ));
    }
    if let Some(old) = &u.old_name {
        // Where the main record is an old-system one (注册号 only), the record under
        // the old name carries both codes: without one shared code or name nothing
        // in the exports would say the two are one unit.
        let reg_no = if old_style { u.reg_no.as_str() } else { "" };
        files[1 - home].push((
            record(&u.uscc, reg_no, "", old, u.status_raw, dname),
            RowTruth::Unit(i),
        ));
    }
    if let Some(from) = u.moved_from {
        let old_district = region().districts[from].1;
        let reg_no = if old_style { u.reg_no.as_str() } else { "" };
        files[export_half(from)].push((
            record(&u.uscc, reg_no, "", &u.name, status_left, old_district),
            RowTruth::Unit(i),
        ));
    }
    old_style
}

/// Data rows in one sheet of the social-organization workbook: an XLSX sheet holds
/// 1,048,576 rows, so a province's registry comes as several sheets.
const SHEET_ROWS: usize = 1_000_000;

/// The sheets of a social-organization workbook of `sheets` sheets, in order.
pub fn social_sheet_names(sheets: usize) -> Vec<String> {
    (1..=sheets.max(1))
        .map(|k| match k {
            1 => "社会组织".to_string(),
            k => format!("社会组织{k}"),
        })
        .collect()
}

/// The social-organization registry as XLSX, a title row above the header; a sheet
/// of its own for each million rows.
fn social_orgs(
    world: &World,
    out: &Path,
    period: &str,
    mess: &Mess,
    rng: &mut Rng,
    w: &mut Written,
) -> Result<()> {
    let path = out.join("social_orgs.xlsx");
    let xl = |e: rust_xlsxwriter::XlsxError| Error::output(&path, e);
    let mut book = coverage::reports::workbook().map_err(xl)?;
    let units: Vec<_> = world.units_of(Registry::Social).collect();
    let names = social_sheet_names(units.len().div_ceil(SHEET_ROWS));
    let head = [
        "统一社会信用代码",
        "社会组织名称",
        "社会组织类型",
        "登记管理机关",
        "登记状态",
        "所在区",
        "街道",
        "从业人员数",
        "类别",
    ];
    // A month with no social organization still has its (empty) sheet.
    let parts: Vec<&[(usize, &TrueUnit)]> = match units.len() {
        0 => vec![&[]],
        _ => units.chunks(SHEET_ROWS).collect(),
    };
    for (sheet_name, part) in names.iter().zip(parts) {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name).map_err(xl)?;
        let title = format!("{}社会组织登记信息（{period}）", region().city);
        sheet.write_string(0, 0, title).map_err(xl)?;
        for (c, h) in head.iter().enumerate() {
            sheet.write_string(1, c as u16, *h).map_err(xl)?;
        }
        // A workbook of several sheets names the sheet in each row's lineage.
        let file: Arc<str> = match names.len() {
            1 => file_name(&path),
            _ => format!("{}[{sheet_name}]", file_name(&path)),
        }
        .into();
        let mut r = 2u32;
        for &(i, u) in part {
            let (_, dname, streets) = region().districts[u.district];
            let code = if rng.chance(mess.p(0.003)) {
                bad_check(&u.uscc)
            } else {
                u.uscc.clone()
            };
            let name = mess.name(rng, &u.name);
            let cells = [
                code.as_str(),
                name.as_str(),
                u.entity_raw,
                u.reg_level_raw.as_str(),
                u.status_raw,
                dname,
                streets[u.street],
            ];
            for (c, v) in cells.iter().enumerate() {
                sheet.write_string(r, c as u16, *v).map_err(xl)?;
            }
            sheet.write_number(r, 7, u.employees as f64).map_err(xl)?;
            sheet.write_string(r, 8, u.sub_category_raw).map_err(xl)?;
            r += 1;
            w.registry_rows.push(TruthRow {
                file: file.clone(),
                row: r as u64,
                truth: RowTruth::Unit(i),
            });
        }
    }
    book.save(&path).map_err(xl)?;
    w.files.push((path.clone(), units.len()));
    w.social_sheets = names.len();
    Ok(())
}

/// The 司法行政 registry of law firms (UTF-8 CSV).
fn law_firms(world: &World, out: &Path, mess: &Mess, rng: &mut Rng, w: &mut Written) -> Result<()> {
    let path = out.join("law_firms.csv");
    let mut rows = vec![row(&[
        "统一社会信用代码",
        "律师事务所名称",
        "执业状态",
        "所在区",
        "执业人数",
    ])];
    for (i, u) in world.units_of(Registry::Law) {
        let name = mess.name(rng, &u.name);
        rows.push(row(&[
            &u.uscc,
            &name,
            u.status_raw,
            region().districts[u.district].1,
            &u.employees.to_string(),
        ]));
        w.registry_rows.push(TruthRow {
            file: file_name(&path).into(),
            row: rows.len() as u64,
            truth: RowTruth::Unit(i),
        });
    }
    w.save_utf8(path, &rows)
}

/// A unit's street as the standard layout's street column writes it: mostly its name;
/// for a tenth (times the mess factor) its office's, 望京街道办事处 or 良乡镇人民政府, a
/// third of those after the district (朝阳区望京街道办事处).
fn street_as_written(uscc: &str, district: &str, street: &str, mess: &Mess) -> String {
    if !Rng::stable_chance(uscc, "street office written", mess.p(0.1)) {
        return street.to_string();
    }
    let office = match street.ends_with('镇') || street.ends_with('乡') {
        true => "人民政府",
        false => "办事处",
    };
    match Rng::stable_chance(uscc, "street office after the district", 0.3) {
        true => format!("{district}{street}{office}"),
        false => format!("{street}{office}"),
    }
}

/// Party organizations and the joint-coverage list.
fn orgs(world: &World, out: &Path, mess: &Mess, rng: &mut Rng, w: &mut Written) -> Result<()> {
    let mut rows = vec![row(&[
        "党组织编码",
        "党组织名称",
        "党组织类别",
        "组建方式",
        "所在单位统一社会信用代码",
        "所在单位名称",
        "上级党组织编码",
        "状态",
    ])];
    let mut joint = vec![row(&[
        "联合党组织编码",
        "覆盖单位统一社会信用代码",
        "覆盖单位名称",
    ])];
    let record = |o: &crate::world::TrueOrg, status: &str| {
        let (host_uscc, host_name) = match o.host.map(|h| &world.units[h]) {
            Some(u) if o.host_by_name => ("", u.name.as_str()),
            Some(u) => (u.uscc.as_str(), ""),
            None => ("", ""),
        };
        let (level, formation) = (o.level_raw, o.formation_raw);
        row(&[
            &o.id, &o.name, level, formation, host_uscc, host_name, &o.parent, status,
        ])
    };
    // A dissolved organization a ledger not yet updated still gives as 正常: that row too.
    let stale = |at| world.orgs_still_active_in_a_ledger(at);
    rows.extend(stale(Placed::First).map(|o| record(o, "正常")));
    for o in &world.orgs {
        rows.push(record(o, o.status_raw));
        for &c in &o.covered {
            let u = &world.units[c];
            // Some lists give only the covered unit's name, a tenth of them with a typo
            // of the 字号 (typed by hand; decided by a hash, the month's draws stay).
            let (uscc, name) = if rng.chance(mess.p(0.1)) {
                let typed = Rng::stable_chance(&u.uscc, "covered name typed", 0.1);
                let seed = (Rng::stable_unit(&u.uscc, "covered name typo") * 1e15) as u64;
                let name = if typed {
                    let name = typo(&mut Rng::new(seed), u);
                    w.joint_texts
                        .push((name.clone(), c, joint.len() as u64 + 1));
                    name
                } else {
                    u.name.clone()
                };
                ("", name)
            } else {
                (u.uscc.as_str(), u.name.clone())
            };
            joint.push(row(&[&o.id, uscc, &name]));
        }
    }
    rows.extend(stale(Placed::Last).map(|o| record(o, "正常")));
    w.save_utf8(out.join("party_orgs.csv"), &rows)?;
    w.save_utf8(out.join("joint_coverage.csv"), &joint)
}

/// Members (UTF-8 with BOM). 工作单位 is free text: written exactly, as another export
/// writes the name, abbreviated, with a typo, under the old name, or naming an
/// employer in no registry.
fn members(world: &World, out: &Path, mess: &Mess, rng: &mut Rng, w: &mut Written) -> Result<()> {
    let path = out.join("members.csv");
    let head = [
        "姓名",
        "公民身份号码",
        "人员类别",
        "所在党组织编码",
        "工作单位",
        "工作单位统一社会信用代码",
        "党籍状态",
    ];
    let mut csv = CsvOut::create(&path, Encoding::Utf8Bom, &head)?;
    let file: Arc<str> = file_name(&path).into();
    let mut push = |csv: &mut CsvOut, r: &[String], truth: RowTruth| -> Result<()> {
        let row = csv.row(r)?;
        w.member_rows.push(TruthRow {
            file: file.clone(),
            row,
            truth,
        });
        Ok(())
    };
    let mut broken = Vec::new();
    // Rows lists not yet updated still hold: movers where they left, copies from
    // before a 转正 or a death.
    let stale = crate::world::stale_listings(world);
    let has_stale_row = crate::world::with_stale_rows(&stale);
    for (r, truth) in stale_member_rows(world, &stale, Placed::First) {
        push(&mut csv, &r, truth)?;
    }
    for (mi, m) in world.members.iter().enumerate() {
        let (employer, uscc, truth) = employer_written(world, m, mess, rng, &mut w.employer_texts);
        let mut r = row(&[
            "（略）",
            &m.id_number,
            m.category_raw,
            &m.org_id,
            &employer,
            &uscc,
            m.status_raw,
        ]);
        let mut truth = truth;
        if rng.chance(mess.p(0.002)) && !has_stale_row.contains(m.id_number.as_str()) {
            r.truncate(5);
            truth = RowTruth::Broken;
            broken.push(mi);
        }
        push(&mut csv, &r, truth)?;
        // The same person listed twice (e.g. by two organizations): counted once.
        if truth != RowTruth::Broken && rng.chance(mess.p(0.005)) {
            push(&mut csv, &r, truth)?;
        }
    }
    for (r, truth) in stale_member_rows(world, &stale, Placed::Last) {
        push(&mut csv, &r, truth)?;
    }
    w.broken_members = broken;
    w.files.push(csv.finish()?);
    Ok(())
}

/// A member's 工作单位 and 工作单位统一社会信用代码 as written, with the row's truth; a
/// text without a code is kept for the returned workbooks (`Written::employer_texts`).
fn employer_written(
    world: &World,
    m: &crate::world::TrueMember,
    mess: &Mess,
    rng: &mut Rng,
    employer_texts: &mut Vec<(String, usize)>,
) -> (String, String, RowTruth) {
    let Some(i) = m.employer else {
        let elsewhere = m.elsewhere.clone().unwrap_or_default();
        return (elsewhere, String::new(), RowTruth::NoUnit);
    };
    let u = &world.units[i];
    let employer = m.writes.clone().unwrap_or_else(|| {
        employer_as_written(
            rng,
            mess,
            u,
            EmployerMess {
                typo: 0.12,
                old_name: 0.14,
                with_uscc: 0.0,
            },
        )
    });
    let employer = as_typed(employer, m, mess);
    let uscc = if m.writes.is_some() {
        String::new()
    } else if rng.chance(0.5) {
        if rng.chance(mess.p(0.01)) {
            bad_check(&u.uscc)
        } else {
            company_code_for_a_branch(world, u, &m.id_number, mess)
                .unwrap_or_else(|| u.uscc.clone())
        }
    } else {
        String::new()
    };
    if uscc.is_empty() && !employer.is_empty() {
        employer_texts.push((employer.clone(), i));
    }
    (employer, uscc, RowTruth::Unit(i))
}

/// For a member of a branch (分公司) who gives a code, the company's USCC copied for the
/// branch's own (a fifth of them, times the mess factor; a property of the person): the
/// code names the legal person, the name where the member works.
pub(super) fn company_code_for_a_branch(
    world: &World,
    u: &TrueUnit,
    id_number: &str,
    mess: &Mess,
) -> Option<String> {
    let company = u.parent?;
    Rng::stable_chance(id_number, "the company's code for its branch", mess.p(0.2))
        .then(|| world.units[company].uscc.clone())
}

/// The member rows of the movers the organization of the unit they left still lists,
/// those placed `at`: as that organization lists them (its code, the old employer).
fn stale_member_rows<'a>(
    world: &'a World,
    stale: &'a [crate::world::StaleListing],
    at: Placed,
) -> impl Iterator<Item = (Vec<String>, RowTruth)> + 'a {
    stale.iter().filter(move |s| s.at == at).map(|s| {
        let u = &world.units[s.unit];
        let fields = [&s.id_number, &s.org_id, &u.name, &u.uscc];
        let [id, org, name, uscc] = fields.map(String::as_str);
        let r = row(&["（略）", id, s.category_raw, org, name, uscc, s.status_raw]);
        (r, RowTruth::Unit(s.unit))
    })
}

/// Member `m`'s 工作单位 as typed by hand, by hashes of the member (the month's draws
/// stay): a hundredth (times the mess factor) with a mark around the name (a full stop
/// after it, or 《》 or 【】 around it), and half (times the mess factor) of a group's
/// （集团） without its brackets.
fn as_typed(employer: String, m: &crate::world::TrueMember, mess: &Mess) -> String {
    let id = m.id_number.as_str();
    let employer = match m.writes.is_none()
        && !employer.is_empty()
        && Rng::stable_chance(id, "employer with a mark", mess.p(0.01))
    {
        true => match (Rng::stable_unit(id, "which mark") * 3.0) as usize {
            0 => format!("{employer}。"),
            1 => format!("《{employer}》"),
            _ => format!("【{employer}】"),
        },
        false => employer,
    };
    match employer.contains("（集团）")
        && Rng::stable_chance(id, "group without brackets", mess.p(0.5))
    {
        true => employer.replace("（集团）", "集团"),
        false => employer,
    }
}
