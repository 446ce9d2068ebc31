//! Truth of the 销号 ledger over synthetic months (`truth/list_items_by_district.csv`):
//! which unit lists name each true unit under the rulebook at the notice's numbers, the
//! items carried from month to month, and per district and list how many opened and
//! closed for each reason — from the generator's facts, never from a run's tables. The
//! close reasons are the run's, in its order (docs/decisions.md, "The 销号 ledger"); the
//! district corrections are those of the generator's returned workbooks (`feedback`).

use serde::{Deserialize, Serialize};

use coverage::vocabulary::{ListMetBy, OrgForm, Sector};

use super::truth::UnitFacts;

/// The notice's numbers, as the synthetic pipeline file leaves them.
const FORMAL_FOR_OWN: u32 = 3;
const EMPLOYEES_NEED_MEMBERS: u32 = 50;
const EMPLOYEES_NEED_ORG: u32 = 100;
const STAFF_NEED_ORG: u32 = 30;

/// The unit lists of compliance_lists, each with whether it names the unit and how the
/// unit meets it (None while it does not).
type List = (
    &'static str,
    fn(&UnitFacts) -> bool,
    fn(&UnitFacts) -> Option<&'static str>,
);

fn has_members(f: &UnitFacts) -> bool {
    f.formal_members + f.probationary_members > 0
}

fn own(f: &UnitFacts) -> Option<&'static str> {
    let single = OrgForm::Single.as_str();
    (f.org_form == single).then_some(single)
}

fn org_covered(f: &UnitFacts) -> Option<&'static str> {
    f.org_covered.then(|| form(f))
}

fn form(f: &UnitFacts) -> &'static str {
    OrgForm::ALL
        .iter()
        .map(|o| o.as_str())
        .find(|o| *o == f.org_form)
        .unwrap_or(OrgForm::NoOrg.as_str())
}

const LISTS: [List; 7] = [
    (
        "should_form_own",
        |f| f.formal_members >= FORMAL_FOR_OWN,
        own,
    ),
    (
        "joint_unit_can_form_own",
        |f| f.org_form == OrgForm::Joint.as_str() && f.formal_members >= FORMAL_FOR_OWN,
        own,
    ),
    (
        "enterprise_needs_members",
        |f| f.sector == Sector::Enterprise.as_str() && f.employees >= EMPLOYEES_NEED_MEMBERS,
        |f| has_members(f).then_some(ListMetBy::Members.as_str()),
    ),
    (
        "enterprise_needs_org",
        |f| f.sector == Sector::Enterprise.as_str() && f.employees >= EMPLOYEES_NEED_ORG,
        org_covered,
    ),
    (
        "municipal_group_needs_org",
        |f| f.municipal_group,
        org_covered,
    ),
    (
        "staff30_needs_org",
        |f| f.substantive_org && f.employees >= STAFF_NEED_ORG,
        org_covered,
    ),
    ("members_without_coverage", has_members, |f| {
        if f.org_form != OrgForm::NoOrg.as_str() {
            Some(form(f))
        } else if f.has_instructor {
            Some(ListMetBy::Instructor.as_str())
        } else if f.has_mass_org {
            Some(ListMetBy::MassOrg.as_str())
        } else {
            None
        }
    }),
];

/// One item of the true ledger: a list, a unit and its district, since when, and when
/// and why it closed (empty while open).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub list: &'static str,
    pub unit: String,
    pub district_code: String,
    pub opened: String,
    pub closed: String,
    pub reason: &'static str,
}

/// One count of `list_items_by_district` as truth: district, list, which count
/// (opened, closed_<reason>, open_at_end) and its value; zero counts are left out.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LedgerCount {
    pub district_code: String,
    pub list: String,
    pub count: String,
    pub value: u64,
}

/// The ledger after `period`: the items of `before` carried, closed or kept, and the
/// items of the month's lists opened.
pub fn next(before: &[Item], facts: &[UnitFacts], period: &str) -> Vec<Item> {
    let by_unit: std::collections::HashMap<&str, &UnitFacts> =
        facts.iter().map(|f| (f.unit.as_str(), f)).collect();
    let listed = |list: &List, f: &UnitFacts| f.in_scope && (list.1)(f) && (list.2)(f).is_none();
    let mut out = Vec::new();
    let mut open: std::collections::HashSet<(&str, &str, &str)> = Default::default();
    for item in before {
        if !item.closed.is_empty() {
            out.push(item.clone());
            continue;
        }
        let list = LISTS.iter().find(|l| l.0 == item.list).expect("a list");
        let Some(f) = by_unit.get(item.unit.as_str()) else {
            out.push(Item {
                closed: period.to_string(),
                reason: "absent",
                ..item.clone()
            });
            continue;
        };
        if f.district_code == item.district_code && listed(list, f) {
            open.insert((item.list, &item.unit, &item.district_code));
            out.push(item.clone());
            continue;
        }
        let reason = match f.status.as_str() {
            _ if !f.in_scope && f.status_corrected => "corrected",
            "deregistered" => "deregistered",
            "revoked" => "revoked",
            _ if f.district_code != item.district_code => "moved_district",
            _ if !f.in_scope => "out_of_scope",
            _ if (list.2)(f).is_some() => "covered",
            _ if f.staff_corrected_now => "corrected",
            _ => "below_threshold",
        };
        out.push(Item {
            closed: period.to_string(),
            reason,
            ..item.clone()
        });
    }
    for f in facts {
        for list in LISTS.iter().filter(|l| listed(l, f)) {
            if !open.contains(&(list.0, f.unit.as_str(), f.district_code.as_str())) {
                out.push(Item {
                    list: list.0,
                    unit: f.unit.clone(),
                    district_code: f.district_code.clone(),
                    opened: period.to_string(),
                    closed: String::new(),
                    reason: "",
                });
            }
        }
    }
    out
}

/// The items the month's counts count (opened or closed in it, or open at its end): the
/// truth behind each cell of `list_items_by_district`, to find the units a cell is off by.
pub fn of_month<'a>(items: &'a [Item], period: &'a str) -> impl Iterator<Item = &'a Item> {
    items
        .iter()
        .filter(move |i| i.opened == period || i.closed == period || i.closed.is_empty())
}

/// The month's counts per district and list: opened, closed by reason, open at the end.
pub fn counts(items: &[Item], period: &str) -> Vec<LedgerCount> {
    let mut cells: std::collections::BTreeMap<(String, String, String), u64> = Default::default();
    for i in items {
        let mut add = |count: String| {
            *cells
                .entry((i.district_code.clone(), i.list.to_string(), count))
                .or_default() += 1;
        };
        if i.opened == period {
            add("opened".into());
        }
        if i.closed == period {
            add(format!("closed_{}", i.reason));
        }
        if i.closed.is_empty() {
            add("open_at_end".into());
        }
    }
    cells
        .into_iter()
        .map(|((district_code, list, count), value)| LedgerCount {
            district_code,
            list,
            count,
            value,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::truth::tests::unit;

    /// Month 1: A (110101, 3 formal, no organization) is on should_form_own and
    /// members_without_coverage; B (110101, 60 staff enterprise, no member) on
    /// enterprise_needs_members. Month 2: A forms its own organization (both its items
    /// close as covered, by single); B is deregistered (closed deregistered, as the
    /// status outranks the rest).
    #[test]
    fn items_open_and_close_for_the_first_reason() {
        let mut a = unit("110101", "enterprise", true, 3, 0, "none", false, false);
        a.unit = "A".into();
        let mut b = unit("110101", "enterprise", true, 0, 0, "none", false, false);
        b.unit = "B".into();
        b.employees = 60;
        let month_1 = next(&[], &[a.clone(), b.clone()], "2026-01");
        let c1 = counts(&month_1, "2026-01");
        let get = |c: &[LedgerCount], list: &str, count: &str| {
            c.iter()
                .find(|x| x.list == list && x.count == count)
                .map_or(0, |x| x.value)
        };
        assert_eq!(get(&c1, "should_form_own", "opened"), 1);
        assert_eq!(get(&c1, "members_without_coverage", "opened"), 1);
        assert_eq!(get(&c1, "enterprise_needs_members", "opened"), 1);
        a.org_form = "single".into();
        a.org_covered = true;
        a.work_covered = true;
        b.in_scope = false;
        b.status = "deregistered".into();
        let month_2 = next(&month_1, &[a, b], "2026-02");
        let c2 = counts(&month_2, "2026-02");
        assert_eq!(get(&c2, "should_form_own", "closed_covered"), 1);
        assert_eq!(get(&c2, "members_without_coverage", "closed_covered"), 1);
        assert_eq!(
            get(&c2, "enterprise_needs_members", "closed_deregistered"),
            1
        );
        assert!(c2
            .iter()
            .all(|c| c.count != "opened" && c.count != "open_at_end"));
    }
}
