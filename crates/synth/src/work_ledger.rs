//! The work ledger (台账) as the districts keep it: which units it lists, what each row
//! reports and when (填报日期), and the older reports a ledger kept by adding rows still
//! holds. The standard layout's ledger is written here; the samr layout's workbook
//! writes the same reports (`samr::ledger`).

use std::path::Path;

use coverage::error::Result;

use super::exports::{row, Written};
use super::mess::Mess;
use super::rng::Rng;
use super::world::{Placed, TrueUnit, World};

/// Whether the work ledger (台账) lists a unit — an instructor, a mass organization, or
/// 50+ employees without an organization — and, if so, its 未建党组织原因 (may be empty).
pub(super) fn ledger_reason(u: &TrueUnit) -> Option<&'static str> {
    let no_org = u.org == super::world::OrgPlan::None;
    let listed = u.instructor || u.union || u.youth || (no_org && u.employees >= 50);
    listed.then_some(if no_org && u.formal == 0 {
        "无党员"
    } else {
        ""
    })
}

/// The work ledger (台账): instructors, mass organizations, employees, reasons, and when
/// each row was filled in (填报日期). Kept by adding rows, it keeps some units' older
/// report beside the current one (`older_ledger_report`), before every other row or
/// after them: the latest 填报日期 tells the unit, not the order of the rows.
pub(super) fn write(
    world: &World,
    out: &Path,
    period: &str,
    mess: &Mess,
    w: &mut Written,
) -> Result<()> {
    let head = row(&[
        "统一社会信用代码",
        "单位名称",
        "党建工作指导员",
        "工会",
        "团组织",
        "职工人数",
        "未建党组织原因",
        "填报日期",
    ]);
    let (mut first, mut rows, mut last) = (vec![head], Vec::new(), Vec::new());
    for u in &world.units {
        let Some(reason) = ledger_reason(u) else {
            continue;
        };
        let cells = |r: &LedgerReport| {
            let yes = |b: bool, y: &str, n: &str| if b { y } else { n }.to_string();
            vec![
                u.uscc.clone(),
                u.name.clone(),
                yes(r.instructor, "是", "否"),
                yes(r.union, "已建", "未建"),
                yes(u.youth, "是", "否"),
                r.employees.to_string(),
                reason.to_string(),
                r.day(period, &u.uscc),
            ]
        };
        rows.push(cells(&LedgerReport::now(u)));
        if let Some((at, older)) = older_ledger_report(u, mess) {
            match at {
                Placed::First => first.push(cells(&older)),
                Placed::Last => last.push(cells(&older)),
            }
        }
    }
    first.append(&mut rows);
    first.append(&mut last);
    w.save_utf8(out.join("ledger.csv"), &first)
}

/// What one ledger row of a unit reports, and how many months before the month.
pub(super) struct LedgerReport {
    pub instructor: bool,
    pub union: bool,
    pub employees: u32,
    months_back: u32,
}

impl LedgerReport {
    /// The unit as it is: reported this month or, for a third of the units, the month
    /// before (a ledger is not updated every month).
    pub fn now(u: &TrueUnit) -> Self {
        LedgerReport {
            instructor: u.instructor,
            union: u.union,
            employees: u.employees,
            months_back: (Rng::stable_unit(&u.uscc, "ledger report month") * 3.0) as u32 / 2,
        }
    }

    /// The month of the report (year, month) for a run of `period` (YYYY-MM).
    pub fn month(&self, period: &str) -> (u32, u32) {
        let (y, m) = period.split_once('-').expect("a period is YYYY-MM");
        let y: u32 = y.parse().expect("a year");
        let m: u32 = m.parse().expect("a month");
        let months = y * 12 + m - 1 - self.months_back;
        (months / 12, months % 12 + 1)
    }

    /// The report's 填报日期, a day of its month (1–28, by the unit `key`).
    fn day(&self, period: &str, key: &str) -> String {
        let (y, m) = self.month(period);
        let day = 1 + (Rng::stable_unit(key, "ledger report day") * 28.0) as u32;
        format!("{y:04}-{m:02}-{day:02}")
    }
}

/// A unit's older ledger report still beside the current one (5% of the ledger's units
/// times the mess factor, the same every month), and where its row goes: an instructor
/// since appointed or withdrawn, a 工会 since formed or dissolved, or a head count that
/// has since crossed 50 or moved well away from it — 3 to 8 months before the month.
pub(super) fn older_ledger_report(u: &TrueUnit, mess: &Mess) -> Option<(Placed, LedgerReport)> {
    if !Rng::stable_chance(&u.uscc, "older ledger report", mess.p(0.05)) {
        return None;
    }
    let mut older = LedgerReport::now(u);
    match (Rng::stable_unit(&u.uscc, "what the older report says") * 3.0) as u32 {
        0 => older.instructor = !u.instructor,
        1 => older.union = !u.union,
        _ if u.employees >= 50 => older.employees = u.employees * 3 / 5,
        _ => older.employees = u.employees * 2 + 30,
    }
    older.months_back = 3 + (Rng::stable_unit(&u.uscc, "older report month") * 6.0) as u32;
    let at = match Rng::stable_chance(&u.uscc, "older report first", 0.5) {
        true => Placed::First,
        false => Placed::Last,
    };
    Some((at, older))
}
