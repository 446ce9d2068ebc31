//! The work ledger (台账) as the districts keep it: which units it lists, what each row
//! reports and when (填报日期), and the older reports a ledger kept by adding rows still
//! holds (`reports`, the rows in the order a ledger gives them). The standard layout's
//! ledger rows are made here; the samr layout's workbook writes the same reports
//! (`samr::ledger`).

use super::mess::Mess;
use super::rng::Rng;
use super::world::{OrgPlan, Placed, TrueUnit};

/// Whether the work ledger (台账) lists a unit — an instructor, a mass organization, or
/// 50+ employees without an organization — and, if so, its 未建党组织原因 (may be empty).
fn ledger_reason(u: &TrueUnit) -> Option<&'static str> {
    let no_org = u.org == OrgPlan::None;
    let listed = u.instructor || u.union || u.youth || (no_org && u.employees >= 50);
    listed.then_some(if no_org && u.formal == 0 {
        "无党员"
    } else {
        ""
    })
}

/// The ledger's rows of `units`, each a unit, its 未建党组织原因 and one report: the
/// older reports placed first (`older_ledger_report`), then every listed unit's current
/// one in unit order, then the older reports placed last — a ledger kept by adding rows,
/// where the latest 填报日期 tells the unit, not the order of the rows.
pub(super) fn reports<'a>(
    units: impl Iterator<Item = &'a TrueUnit>,
    mess: &Mess,
) -> Vec<(&'a TrueUnit, &'static str, LedgerReport)> {
    let (mut first, mut current, mut last) = (Vec::new(), Vec::new(), Vec::new());
    for u in units {
        let Some(reason) = ledger_reason(u) else {
            continue;
        };
        current.push((u, reason, LedgerReport::now(u)));
        match older_ledger_report(u, mess) {
            Some((Placed::First, older)) => first.push((u, reason, older)),
            Some((Placed::Last, older)) => last.push((u, reason, older)),
            None => {}
        }
    }
    first.append(&mut current);
    first.append(&mut last);
    first
}

/// The standard layout's ledger.csv, header first: instructors, mass organizations,
/// employees, reasons and each row's 填报日期 (a day).
pub(super) fn standard_rows(units: &[TrueUnit], period: &str, mess: &Mess) -> Vec<Vec<String>> {
    let head = [
        "统一社会信用代码",
        "单位名称",
        "党建工作指导员",
        "工会",
        "团组织",
        "职工人数",
        "未建党组织原因",
        "填报日期",
    ];
    let yes = |b: bool, y: &str, n: &str| if b { y } else { n }.to_string();
    let rows = reports(units.iter(), mess)
        .into_iter()
        .map(|(u, reason, r)| {
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
        });
    std::iter::once(head.map(String::from).to_vec())
        .chain(rows)
        .collect()
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
    fn now(u: &TrueUnit) -> Self {
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
fn older_ledger_report(u: &TrueUnit, mess: &Mess) -> Option<(Placed, LedgerReport)> {
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
