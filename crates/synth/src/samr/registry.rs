//! The `samr` layout's registry exports: the 市场监管 export (GBK, east and west halves,
//! the district in 登记机关 and 住所 only, 核准日期) and the old system's history file,
//! with the cells they share with the 民政 and firm directories (住所, 成立日期, 从业人员).

use super::*;

/// 住所 as the registry writes it; `with_district` false for the old system, whose
/// addresses start at the street.
pub(super) fn address(u: &TrueUnit, district: usize, with_district: bool) -> String {
    let (_, dname, streets) = region().districts[district];
    let number = 1 + (u.reg_no.len() * 7 + u.employees as usize) % 300;
    if with_district {
        format!("{}{dname}{}{number}号", region().city, streets[u.street])
    } else {
        format!("{}路{number}号", &u.trade)
    }
}

/// 登记机关 of a record of `u` in district `d`: mostly that district's office, but a
/// unit registered by the city's own office or a development zone's names no district,
/// and one registered where it was founded keeps that district's office after moving
/// (the same units every month); a record not yet updated (`stale`) is all of the
/// district it left. The unit is where its 住所 says.
fn authority(u: &TrueUnit, d: usize, stale: bool) -> String {
    let (city, districts) = (region().city, region().districts);
    let h = Rng::stable_unit(&u.uscc, "registering authority");
    if stale || h >= 0.13 {
        return format!("{city}{}市场监督管理局", districts[d].1);
    }
    if h < 0.06 {
        return format!("{city}市场监督管理局");
    }
    if h < 0.09 {
        return format!("{}经济技术开发区市场监督管理局", region().short);
    }
    let other = (d + 1 + (h * 1000.0) as usize % (districts.len() - 1)) % districts.len();
    format!("{city}{}市场监督管理局", districts[other].1)
}

/// 成立日期 as offices type it, and now and then a date that is none.
pub(super) fn established(rng: &mut Rng, mess: &Mess) -> String {
    if rng.chance(mess.p(0.02)) {
        return rng
            .pick(&["2023-13-45", "2019-02-30", "不详", "20201340"])
            .to_string();
    }
    let (y, m, d) = (1995 + rng.below(30), 1 + rng.below(12), 1 + rng.below(28));
    match rng.below(3) {
        0 => format!("{y}-{m:02}-{d:02}"),
        1 => format!("{y}/{m}/{d}"),
        _ => format!("{y}年{m}月{d}日"),
    }
}

/// 核准日期 of a unit's current record and of a record not yet updated (under the
/// name it had, in the district it left): a change made this month (a rename, a move)
/// was approved this month and the stale record is of the change before, months or
/// years ago; an unchanged unit's records give the date of its last change, from
/// 2015–2024 (the same every month; a change of an earlier month of a synthetic run is
/// not remembered). Now and then a cell is empty (the same units every month).
fn approval_dates(month: &Month, u: &TrueUnit) -> (String, String) {
    let year: u32 = month.yyyymm[..4].parse().expect("a period");
    let this_month = year * 12 + month.yyyymm[4..].parse::<u32>().expect("a period") - 1;
    let last = 2015 * 12 + (Rng::stable_unit(&u.uscc, "last change") * 120.0) as u32;
    let before = last - 1 - (Rng::stable_unit(&u.uscc, "change before") * 36.0) as u32;
    let day = 1 + (Rng::stable_unit(&u.uscc, "approval day") * 28.0) as u32;
    let form = (Rng::stable_unit(&u.uscc, "approval date form") * 3.0) as u32;
    let date = |m: u32| {
        let (y, m) = (m / 12, m % 12 + 1);
        match form {
            0 => format!("{y}-{m:02}-{day:02}"),
            1 => format!("{y}/{m}/{day}"),
            _ => format!("{y}年{m}月{day}日"),
        }
    };
    let changed_now = u.old_name.is_some() || u.moved_from.is_some();
    let current = match changed_now {
        true => date(this_month),
        false => date(last),
    };
    let stale = match changed_now {
        true => date(last),
        false => date(before),
    };
    // Drawn from stable hashes (the same units every month), so the month's other draws
    // stay as they were before the column was written.
    let empty = |d: String, salt| match Rng::stable_chance(&u.uscc, salt, month.mess.p(0.02)) {
        true => String::new(),
        false => d,
    };
    (
        empty(current, "no approval date"),
        empty(stale, "stale record's approval date"),
    )
}

/// 从业人数 as this registry writes it: a number, with 人 or without; now and then a
/// band (50-99人, 500人以上), as 年报 data give it, whose lower bound is on the same side
/// of every staff rule (30, 50, 100) as the true count; at higher mess an unreadable
/// text.
pub(super) fn headcount(rng: &mut Rng, mess: &Mess, u: &TrueUnit) -> String {
    let n = u.employees;
    if rng.chance(mess.p(0.02)) {
        return match rng.below(3) {
            0 => format!("约{n}人"),
            1 => "-5".to_string(),
            _ => "若干".to_string(),
        };
    }
    if n > 0 && Rng::stable_chance(&u.uscc, "head count band", 0.03) {
        return match n {
            1..=9 => "1-9人".to_string(),
            10..=29 => "10-29人".to_string(),
            30..=49 => "30-49人".to_string(),
            50..=99 => "50-99人".to_string(),
            100..=499 => "100-499人".to_string(),
            _ => "500人以上".to_string(),
        };
    }
    if rng.chance(0.3) {
        format!("{n}人")
    } else {
        n.to_string()
    }
}

/// The current 市场监管 export: east and west halves of the city, GBK, the district in
/// 登记机关 and 住所 only.
pub(super) fn enterprises(month: &Month, rng: &mut Rng, w: &mut Written) -> Result<()> {
    let (world, mess) = (month.world, &month.mess);
    let head = row(&[
        "统一社会信用代码",
        "企业名称",
        "市场主体类型",
        "登记状态",
        "登记机关",
        "住所",
        "成立日期",
        "核准日期",
        "从业人员",
        "行业门类",
    ]);
    let halves = ["东部", "西部"];
    let mut files: [Vec<(Vec<String>, RowTruth)>; 2] = [Vec::new(), Vec::new()];
    let half = |d: usize| usize::from(d >= region().districts.len() / 2);
    for (i, u) in world.units.iter().enumerate() {
        if u.registry != Registry::Enterprise {
            continue;
        }
        let (approved_now, approved_before) = approval_dates(month, u);
        // The record of the unit as it is now, or (`stale`) one not yet updated.
        let record = |rng: &mut Rng, code: &str, name: &str, status: &str, d: usize, stale| {
            let approved = match stale {
                false => &approved_now,
                true => &approved_before,
            };
            row(&[
                code,
                name,
                u.entity_raw,
                status,
                &authority(u, d, stale),
                &address(u, d, true),
                &established(rng, mess),
                approved,
                &headcount(rng, mess, u),
                u.industry,
            ])
        };
        let code = if rng.chance(mess.p(0.02)) {
            code_variant(rng, &u.uscc)
        } else if rng.chance(mess.p(0.005)) {
            bad_check(&u.uscc)
        } else {
            u.uscc.clone()
        };
        let name = mess.name(rng, &u.name);
        let (status_now, status_left) = u.move_statuses();
        let main = record(rng, &code, &name, status_now, u.district, false);
        let home = half(u.district);
        // A line the export broke (a stray line end): a garbled copy beside the real row.
        if rng.chance(mess.p(0.003)) {
            let mut broken = main.clone();
            broken.truncate(4);
            files[home].push((broken, RowTruth::Broken));
        }
        files[home].push((main, RowTruth::Unit(i)));
        if rng.chance(0.03) {
            let name = mess.name(rng, &u.name);
            let r = record(rng, &u.uscc, &name, u.status_raw, u.district, false);
            files[1 - home].push((r, RowTruth::Unit(i)));
        }
        if let Some(old) = &u.old_name {
            let r = record(rng, &u.uscc, old, u.status_raw, u.district, true);
            files[1 - home].push((r, RowTruth::Unit(i)));
        }
        if let Some(from) = u.moved_from {
            let r = record(rng, &u.uscc, &u.name, status_left, from, true);
            files[half(from)].push((r, RowTruth::Unit(i)));
        }
    }
    for (k, rows) in files.into_iter().enumerate() {
        let path = month.path(&format!("市场监管_企业登记信息_{}", halves[k]), "csv");
        let name = crate::exports::file_name(&path);
        let mut table = vec![head.clone()];
        for (r, t) in rows {
            table.push(r);
            truth(w, &name, table.len() as u64, t);
        }
        save_gbk(w, &path, &table)?;
    }
    Ok(())
}

/// The old system's history file: 注册号 and 组织机构代码, the old name where the unit
/// was renamed, an address without the district, no district column.
pub(super) fn history(month: &Month, rng: &mut Rng, w: &mut Written) -> Result<()> {
    let (world, mess) = (month.world, &month.mess);
    let path = month.path("原工商系统_历史登记", "csv");
    let name = crate::exports::file_name(&path);
    let mut rows = vec![row(&[
        "注册号",
        "组织机构代码",
        "企业名称",
        "企业类型",
        "登记状态",
        "住所",
    ])];
    for (i, u) in world.units.iter().enumerate() {
        if u.registry != Registry::Enterprise || !rng.chance(mess.p(0.06).max(0.02)) {
            continue;
        }
        let org_code = format!("{}-{}", &u.uscc[8..16], &u.uscc[16..17]);
        // The old system stopped at the migration: a unit deregistered or revoked since
        // is still 存续 there (half of them, the same units every month).
        let status = match u.status_raw {
            "迁出" => "存续",
            _ => u.status_lagging("ended after the migration", 0.5),
        };
        rows.push(row(&[
            &u.reg_no,
            &org_code,
            u.old_name.as_deref().unwrap_or(&u.name),
            u.entity_raw,
            status,
            &address(u, u.district, false),
        ]));
        truth(w, &name, rows.len() as u64, RowTruth::Unit(i));
    }
    save_gbk(w, &path, &rows)
}
