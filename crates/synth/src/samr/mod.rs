//! The `samr` layout: the same world written the way another city's offices export
//! it. Files are named by month (`党员信息_202611.csv`) and read through one pipeline
//! file with `{yyyymm}` and globs; the 市场监管 export comes as two GBK files with the
//! district only in 登记机关 and 住所; an old-system history file (原工商系统) carries
//! 注册号 and 组织机构代码 and no district, and still 存续 for some units that have ended
//! since; the 民政 directory is one workbook with a
//! sheet per registration level; law firms carry 司法行政 E-codes; members name their
//! organization (所在党组织) instead of its code, and write USCCs inside 工作单位;
//! dates and headcounts do not always parse; the ledger is a two-sheet workbook.

use std::collections::HashMap;
use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Workbook, Worksheet};

use coverage::error::{Error, Result};

use super::exports::{
    company_code_for_a_branch, csv_text, row, write_bytes, RowTruth, TruthRow, Written,
};
use super::mess::{bad_check, code_variant, employer_as_written, EmployerMess, Mess};
use super::rng::Rng;
use super::work_ledger::reports;
use super::world::{region, Placed, Registry, TrueMember, TrueOrg, TrueUnit, World};

mod registry;
use registry::{address, enterprises, established, headcount, history};

/// Writes every export of the layout into `out` for `period` (YYYY-MM).
pub fn write(
    world: &World,
    out: &Path,
    period: &str,
    messiness: f64,
    rng: &mut Rng,
) -> Result<Written> {
    let month = Month {
        world,
        out,
        yyyymm: period.replace('-', ""),
        mess: Mess { m: messiness },
    };
    let mut w = Written::default();
    enterprises(&month, rng, &mut w)?;
    history(&month, rng, &mut w)?;
    social_orgs(&month, rng, &mut w)?;
    firms(&month, rng, &mut w)?;
    let org_names = org_names(world);
    orgs(&month, &org_names, &mut w)?;
    members(&month, &org_names, rng, &mut w)?;
    ledger(&month, &mut w)?;
    Ok(w)
}

/// What every export of the month is written from.
struct Month<'a> {
    world: &'a World,
    out: &'a Path,
    yyyymm: String,
    mess: Mess,
}

impl Month<'_> {
    /// The path of an export named `<stem>_<yyyymm>.<ext>`.
    fn path(&self, stem: &str, ext: &str) -> std::path::PathBuf {
        self.out.join(format!("{stem}_{}.{ext}", self.yyyymm))
    }
}

fn save_gbk(w: &mut Written, path: &Path, rows: &[Vec<String>]) -> Result<()> {
    let text = csv_text(rows)?;
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    write_bytes(path, &gbk)?;
    w.files.push((path.to_path_buf(), rows.len() - 1));
    Ok(())
}

fn truth(w: &mut Written, file: &str, row: u64, truth: RowTruth) {
    w.registry_rows.push(TruthRow {
        file: file.into(),
        row,
        truth,
    });
}

fn xl(path: &Path) -> impl Fn(rust_xlsxwriter::XlsxError) -> Error + '_ {
    move |e| Error::output(path, e)
}

fn new_book() -> Result<Workbook> {
    coverage::reports::workbook().map_err(|e| Error::Internal(e.to_string()))
}

fn write_strings(sheet: &mut Worksheet, r: u32, cells: &[&str], path: &Path) -> Result<()> {
    for (c, v) in cells.iter().enumerate() {
        sheet.write_string(r, c as u16, *v).map_err(xl(path))?;
    }
    Ok(())
}

/// The 民政 directory: one workbook, a sheet per registration level (市级 for units
/// registered by the city or the ministry, 区级 for the districts'), a title row.
fn social_orgs(month: &Month, rng: &mut Rng, w: &mut Written) -> Result<()> {
    let (world, mess) = (month.world, &month.mess);
    let path = month.path("社会组织名录", "xlsx");
    let mut book = new_book()?;
    let head = [
        "统一社会信用代码",
        "社会组织名称",
        "社会组织类型",
        "登记管理机关",
        "登记状态",
        "住所",
        "成立登记日期",
        "从业人员",
        "类别",
    ];
    let base = super::exports::file_name(&path);
    for (sheet_name, municipal) in [("市级社会组织", true), ("区级社会组织", false)] {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name).map_err(xl(&path))?;
        sheet
            .write_string(
                0,
                0,
                format!("社会组织名录（{sheet_name}，{}）", month.yyyymm),
            )
            .map_err(xl(&path))?;
        write_strings(sheet, 1, &head, &path)?;
        let file = format!("{base}[{sheet_name}]");
        let mut r = 2u32;
        for (i, u) in world.units.iter().enumerate() {
            let is_municipal = !u.reg_level_raw.ends_with("区民政局");
            if u.registry != Registry::Social || is_municipal != municipal {
                continue;
            }
            let name = mess.name(rng, &u.name);
            let code = if rng.chance(mess.p(0.003)) {
                bad_check(&u.uscc)
            } else {
                u.uscc.clone()
            };
            let cells = [
                "",
                name.as_str(),
                u.entity_raw,
                u.reg_level_raw.as_str(),
                u.status_raw,
                &address(u, u.district, true),
            ];
            write_strings(sheet, r, &cells, &path)?;
            // An all-digit code typed into Excel becomes a number, and loses digits.
            if code.bytes().all(|b| b.is_ascii_digit()) && rng.chance(mess.p(0.05)) {
                let n: f64 = code.parse().expect("digits");
                sheet.write_number(r, 0, n).map_err(xl(&path))?;
            } else {
                sheet.write_string(r, 0, &code).map_err(xl(&path))?;
            }
            let date = established(rng, mess);
            match date_parts(&date) {
                Some((y, m, d)) => {
                    let dt = ExcelDateTime::from_ymd(y, m, d)
                        .map_err(|e| Error::Internal(e.to_string()))?;
                    sheet.write_datetime(r, 6, &dt).map_err(xl(&path))?;
                }
                None => {
                    sheet.write_string(r, 6, &date).map_err(xl(&path))?;
                }
            }
            sheet
                .write_string(r, 7, headcount(rng, mess, u))
                .map_err(xl(&path))?;
            sheet
                .write_string(r, 8, u.sub_category_raw)
                .map_err(xl(&path))?;
            r += 1;
            truth(w, &file, r as u64, RowTruth::Unit(i));
        }
        w.files
            .push((sheet_path(&path, sheet_name), (r - 2) as usize));
    }
    book.save(&path).map_err(xl(&path))?;
    Ok(())
}

/// A sheet of a workbook as the summary lists it: `名录.xlsx[市级]`.
fn sheet_path(book: &Path, sheet: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(format!("{}[{sheet}]", book.display()))
}

/// Year, month and day of a date written as YYYY-MM-DD, where it is a real one.
fn date_parts(text: &str) -> Option<(u16, u8, u8)> {
    let iso = coverage::extract::values::parse_date(text)?;
    Some((
        iso[..4].parse().ok()?,
        iso[5..7].parse().ok()?,
        iso[8..].parse().ok()?,
    ))
}

/// The directory of 律师/会计师/税务师事务所: law firms with their E-codes.
fn firms(month: &Month, rng: &mut Rng, w: &mut Written) -> Result<()> {
    let (world, mess) = (month.world, &month.mess);
    let path = month.path("专业服务机构名录", "csv");
    let name = super::exports::file_name(&path);
    let mut rows = vec![row(&[
        "机构名称",
        "统一社会信用代码",
        "机构类型",
        "执业状态",
        "所在区",
        "执业人数",
    ])];
    for (i, u) in world.units_of(Registry::Law) {
        let firm_name = mess.name(rng, &u.name);
        // The 司法局's list writes a third of its districts without 区 (朝阳).
        let district = region().districts[u.district].1;
        let district = match district.strip_suffix('区') {
            Some(short) if i % 3 == 0 => short,
            _ => district,
        };
        rows.push(row(&[
            &firm_name,
            &u.uscc,
            "律师事务所",
            u.status_raw,
            district,
            &headcount(rng, mess, u),
        ]));
        truth(w, &name, rows.len() as u64, RowTruth::Unit(i));
    }
    w.save_utf8(path, &rows)
}

/// Every organization's name as this layout writes it: unique, so that members can
/// name their organization (joint organizations of one street are numbered).
fn org_names(world: &World) -> HashMap<String, String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = HashMap::new();
    for o in &world.orgs {
        let n = seen.entry(o.name.clone()).or_default();
        *n += 1;
        let name = if *n == 1 {
            o.name.clone()
        } else {
            format!("{}（第{n}）", o.name)
        };
        out.insert(o.id.clone(), name);
    }
    out
}

/// An organization's name after those of its parents (up to two), top down, parted by
/// a backslash: 中共…街道工作委员会\\中共…有限公司支部委员会.
fn org_path(parents: &HashMap<&str, &str>, names: &HashMap<String, String>, id: &str) -> String {
    let mut path = vec![names[id].clone()];
    let mut at = id;
    while path.len() < 3 {
        let Some(&parent) = parents.get(at) else {
            break;
        };
        match names.get(parent) {
            Some(name) if parent != at => path.push(name.clone()),
            _ => break,
        }
        at = parent;
    }
    path.reverse();
    path.join("\\")
}

/// 所在党组织 as this system writes a member's organization: its name, now and then the
/// path the 党员信息系统 shows (from the top organization down), or the short form people
/// write (…有限公司党支部); the same for a person every month (stable hashes).
fn org_as_written(
    m: &TrueMember,
    org_names: &HashMap<String, String>,
    parents: &HashMap<&str, &str>,
    mess: &Mess,
) -> String {
    let org = org_names.get(&m.org_id).cloned().unwrap_or_default();
    match Rng::stable_unit(&m.id_number, "org path") {
        _ if org.is_empty() => org,
        x if x < mess.p(0.1) => org_path(parents, org_names, &m.org_id),
        x if x < mess.p(0.25) => short_org_name(&org),
        _ => org,
    }
}

/// An organization's name as people write it: without 中共, its level in the short form
/// (中共北京甲有限公司支部委员会 → 北京甲有限公司党支部; …街道工作委员会 → …街道党工委),
/// a numbering (（第2）) kept.
fn short_org_name(full: &str) -> String {
    let name = full.strip_prefix("中共").unwrap_or(full);
    let (stem, numbering) = name.split_at(name.find('（').unwrap_or(name.len()));
    const LEVELS: [(&str, &str); 4] = [
        ("总支部委员会", "党总支"),
        ("支部委员会", "党支部"),
        ("工作委员会", "党工委"),
        ("委员会", "党委"),
    ];
    let stem = LEVELS
        .iter()
        .find_map(|(long, short)| stem.strip_suffix(long).map(|rest| format!("{rest}{short}")))
        .unwrap_or_else(|| stem.to_string());
    format!("{stem}{numbering}")
}

/// Party organizations (党小组 rows leave 组建方式 blank) and the joint-coverage list.
fn orgs(month: &Month, names: &HashMap<String, String>, w: &mut Written) -> Result<()> {
    let world = month.world;
    let mut rows = vec![row(&[
        "党组织名称",
        "党组织编码",
        "党组织类别",
        "组建方式",
        "单位统一社会信用代码",
        "单位名称",
        "上级党组织编码",
        "状态",
    ])];
    let mut joint = vec![row(&[
        "联合党组织编码",
        "覆盖单位名称",
        "覆盖单位统一社会信用代码",
    ])];
    let record = |o: &TrueOrg, status: &str| {
        let (host_uscc, host_name) = match o.host.map(|h| &world.units[h]) {
            Some(u) if o.host_by_name => ("", u.name.as_str()),
            Some(u) => (u.uscc.as_str(), u.name.as_str()),
            None => ("", ""),
        };
        let formation = if o.level_raw == "党小组" {
            ""
        } else {
            o.formation_raw
        };
        let (name, level) = (&names[&o.id], o.level_raw);
        row(&[
            name, &o.id, level, formation, host_uscc, host_name, &o.parent, status,
        ])
    };
    // A dissolved organization a ledger not yet updated still gives as 正常: that row too.
    let stale = |at| world.orgs_still_active_in_a_ledger(at);
    rows.extend(stale(Placed::First).map(|o| record(o, "正常")));
    for o in &world.orgs {
        rows.push(record(o, o.status_raw));
        // A tenth of the organizations is written as one row, the covered units' names
        // and codes each listed in one cell (甲、乙、丙), as a 联合党支部's record does.
        if o.covered.len() > 1 && Rng::stable_chance(&o.id, "covered units in one cell", 0.1) {
            let units = || o.covered.iter().map(|&c| &world.units[c]);
            let names: Vec<&str> = units().map(|u| u.name.as_str()).collect();
            let codes: Vec<&str> = units().map(|u| u.uscc.as_str()).collect();
            joint.push(row(&[&o.id, &names.join("、"), &codes.join("、")]));
            continue;
        }
        for &c in &o.covered {
            let u = &world.units[c];
            joint.push(row(&[&o.id, &u.name, &u.uscc]));
        }
    }
    rows.extend(stale(Placed::Last).map(|o| record(o, "正常")));
    w.save_utf8(month.path("党组织信息", "csv"), &rows)?;
    w.save_utf8(month.path("联合党组织覆盖单位", "csv"), &joint)
}

/// Members (UTF-8 with BOM): the organization by name, no USCC column; 工作单位 written
/// exactly, as another export writes it, abbreviated, with a typo in the 字号, under
/// the old name, with the USCC inside, blank (members of the unit's own organization),
/// or naming an employer in no registry.
fn members(
    month: &Month,
    org_names: &HashMap<String, String>,
    rng: &mut Rng,
    w: &mut Written,
) -> Result<()> {
    let (world, mess) = (month.world, &month.mess);
    let path = month.path("党员信息", "csv");
    let file: std::sync::Arc<str> = super::exports::file_name(&path).into();
    let mut rows = vec![row(&[
        "姓名",
        "身份证号",
        "党员类别",
        "所在党组织",
        "工作单位",
        "党籍状态",
        "是否失联党员",
    ])];
    // Members of the own organization of the unit they work in may leave 工作单位 blank;
    // a member whose relation is elsewhere names the employer.
    let own_org_host: HashMap<&str, usize> = world
        .orgs
        .iter()
        .filter(|o| o.formation_raw == "单独组建")
        .filter_map(|o| Some((o.id.as_str(), o.host?)))
        .collect();
    let parents: HashMap<&str, &str> = world
        .orgs
        .iter()
        .map(|o| (o.id.as_str(), o.parent.as_str()))
        .collect();
    // Rows lists not yet updated still hold: movers where they left, copies from
    // before a 转正 or a death.
    let stale = crate::world::stale_listings(world);
    let has_stale_row = crate::world::with_stale_rows(&stale);
    let stale_rows = |at| stale_member_rows(world, org_names, &stale, at);
    let push = |rows: &mut Vec<Vec<String>>, w: &mut Written, r, truth| {
        rows.push(r);
        let (file, row) = (file.clone(), rows.len() as u64);
        w.member_rows.push(TruthRow { file, row, truth });
    };
    for (r, t) in stale_rows(Placed::First) {
        push(&mut rows, w, r, t);
    }
    for (mi, m) in world.members.iter().enumerate() {
        let (employer, truth) = match m.employer {
            Some(i) => {
                let u = &world.units[i];
                let mut text = m.writes.clone().unwrap_or_else(|| {
                    employer_text(
                        rng,
                        mess,
                        u,
                        own_org_host.get(m.org_id.as_str()) == Some(&i),
                    )
                });
                // A branch's code written in the text: now and then its company's.
                if text.contains(u.uscc.as_str()) {
                    if let Some(code) = company_code_for_a_branch(world, u, &m.id_number, mess) {
                        text = text.replace(u.uscc.as_str(), &code);
                    }
                }
                if !text.is_empty() {
                    w.employer_texts.push((text.clone(), i));
                }
                (text, RowTruth::Unit(i))
            }
            None => (m.elsewhere.clone().unwrap_or_default(), RowTruth::NoUnit),
        };
        let id = id_as_written(m, mess, rng);
        let org = org_as_written(m, org_names, &parents, mess);
        // This system keeps 失联 apart from 党籍状态, whose 党籍 stays 正常.
        let (status, lost) = match m.status_raw {
            "失联" => ("正常", "是"),
            s => (s, if mi % 2 == 0 { "否" } else { "" }),
        };
        let mut r = row(&["（略）", &id, m.category_raw, &org, &employer, status, lost]);
        let mut t = truth;
        if rng.chance(mess.p(0.002)) && !has_stale_row.contains(m.id_number.as_str()) {
            r.truncate(4);
            t = RowTruth::Broken;
            w.broken_members.push(mi);
        }
        push(&mut rows, w, r.clone(), t);
        if t != RowTruth::Broken && rng.chance(mess.p(0.005)) {
            push(&mut rows, w, r, t);
        }
    }
    for (r, t) in stale_rows(Placed::Last) {
        push(&mut rows, w, r, t);
    }
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(csv_text(&rows)?.as_bytes());
    write_bytes(&path, &bytes)?;
    w.files.push((path, rows.len() - 1));
    Ok(())
}

/// A member's ID number as this system exports it: now and then with a mistyped check
/// character, and some marked as text for the spreadsheet ('…, ="…").
fn id_as_written(m: &TrueMember, mess: &Mess, rng: &mut Rng) -> String {
    let id = if rng.chance(mess.p(0.003)) {
        bad_check(&m.id_number)
    } else {
        m.id_number.clone()
    };
    match Rng::stable_unit(&m.id_number, "text mark") {
        x if x < mess.p(0.03) => format!("'{id}"),
        x if x < mess.p(0.05) => format!("=\"{id}\""),
        _ => id,
    }
}

/// The member rows of the movers the organization of the unit they left still lists,
/// those placed `at`: as that organization lists them (its name, the old employer's).
fn stale_member_rows<'a>(
    world: &'a World,
    org_names: &'a HashMap<String, String>,
    stale: &'a [crate::world::StaleListing],
    at: Placed,
) -> impl Iterator<Item = (Vec<String>, RowTruth)> + 'a {
    stale.iter().filter(move |s| s.at == at).map(|s| {
        let org = org_names.get(&s.org_id).map_or("", String::as_str);
        let name = world.units[s.unit].name.as_str();
        let r = row(&[
            "（略）",
            &s.id_number,
            s.category_raw,
            org,
            name,
            s.status_raw,
            "否",
        ]);
        (r, RowTruth::Unit(s.unit))
    })
}

/// What a member writes as 工作单位.
fn employer_text(rng: &mut Rng, mess: &Mess, u: &TrueUnit, in_own_org: bool) -> String {
    let r = rng.unit();
    let p = mess.m;
    if in_own_org && r < 0.15 * p {
        return String::new();
    }
    employer_as_written(
        rng,
        mess,
        u,
        EmployerMess {
            typo: 0.15,
            old_name: 0.17,
            with_uscc: 0.32,
        },
    )
}

/// The work ledger as one workbook with a sheet for enterprises and one for social
/// organizations, each row with the month it reports (统计月份, a month without a day);
/// some units' older report stays beside the current one, at the top or the bottom of
/// its sheet (`work_ledger::reports`).
fn ledger(month: &Month, w: &mut Written) -> Result<()> {
    let world = month.world;
    let path = month.path("党建工作台账", "xlsx");
    let period = format!("{}-{}", &month.yyyymm[..4], &month.yyyymm[4..]);
    let mut book = new_book()?;
    let head = [
        "单位名称",
        "统一社会信用代码",
        "党建工作指导员",
        "工会",
        "团组织",
        "职工人数",
        "未建党组织原因",
        "统计月份",
    ];
    for (sheet_name, social) in [("企业", false), ("社会组织", true)] {
        let units = world.units.iter().filter(|u| u.social_sector() == social);
        let rows = reports(units, &month.mess)
            .into_iter()
            .map(|(u, reason, r)| {
                let (y, m) = r.month(&period);
                vec![
                    u.name.clone(),
                    u.uscc.clone(),
                    if r.instructor { "已选派" } else { "" }.to_string(),
                    // Written as this layout's form asks: 已建立 / 未建立, 有 / 无.
                    if r.union { "已建立" } else { "未建立" }.to_string(),
                    if u.youth { "有" } else { "无" }.to_string(),
                    r.employees.to_string(),
                    reason.to_string(),
                    format!("{y}年{m}月"),
                ]
            });
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name).map_err(xl(&path))?;
        write_strings(sheet, 0, &head, &path)?;
        let mut r = 1u32;
        for cells in rows {
            let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
            write_strings(sheet, r, &cells, &path)?;
            r += 1;
        }
        w.files
            .push((sheet_path(&path, sheet_name), (r - 1) as usize));
    }
    book.save(&path).map_err(xl(&path))?;
    Ok(())
}
