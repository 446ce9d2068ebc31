//! Stage 4, assess: one row per unit (`unit_status`) with what the rulebook needs —
//! member counts, organization form, work coverage and whether the unit is in scope.
//!
//! Organization forms, strongest first: 单独组建 `single` (the unit hosts an active
//! organization of its own), 联合组建 `joint` (it is host or covered unit of a joint
//! organization; 挂靠 counts as joint when the rules say so), 功能型 `functional`,
//! `none`. A 党小组 and a dissolved organization never count.

use std::collections::BTreeSet;

use crate::config::{Pipeline, Rules};
use crate::extract::Staged;
use crate::link::Linked;
use crate::resolve::Resolved;

#[derive(Debug, Clone)]
pub struct UnitStatus {
    pub unit: usize,
    pub in_scope: bool,
    /// Why a unit is not counted (deregistered, revoked, moved_out, state_owned …).
    pub out_of_scope_reason: Option<&'static str>,
    pub formal_members: i64,
    pub probationary_members: i64,
    pub has_members: bool,
    pub formal_3plus: bool,
    /// Highest level of the unit's own organizations (committee, general_branch, branch).
    pub own_org_level: Option<String>,
    pub own_org_ids: Vec<String>,
    pub joint_org_ids: Vec<String>,
    pub functional_org_ids: Vec<String>,
    pub org_form: &'static str,
    pub has_instructor: bool,
    pub has_mass_org: bool,
    pub org_covered: bool,
    pub work_covered: bool,
    pub employees: Option<i64>,
    pub employees_source: Option<&'static str>,
    pub no_org_reason: Option<String>,
}

fn out_of_scope(
    status: &str,
    kind: &str,
    district: Option<&str>,
    rules: &Rules,
) -> Option<&'static str> {
    match status {
        "deregistered" => return Some("deregistered"),
        "revoked" => return Some("revoked"),
        "moved_out" => return Some("moved_out"),
        _ => {}
    }
    // No record of the unit says where it is (an old-system record that matched no
    // current one): it cannot be counted in a district, and is listed with this reason.
    if district.is_none() {
        return Some("no_district");
    }
    match kind {
        "state_owned" => Some("state_owned"),
        "collective" => Some("collective"),
        "individual_business" if !rules.individual_business_in_scope => Some("individual_business"),
        "farmer_coop" if !rules.farmer_coop_in_scope => Some("farmer_coop"),
        _ => None,
    }
}

fn level_rank(level: &str) -> u8 {
    match level {
        "committee" => 0,
        "general_branch" => 1,
        _ => 2,
    }
}

pub fn assess(
    p: &Pipeline,
    staged: &Staged,
    resolved: &Resolved,
    linked: &Linked,
) -> Vec<UnitStatus> {
    let rules = &p.rules;
    let n = resolved.units.len();
    let mut formal = vec![0i64; n];
    let mut probationary = vec![0i64; n];
    for m in linked.members.iter().filter(|m| m.counted) {
        if let Some(u) = m.unit {
            match staged.members[m.record].category.as_str() {
                "formal" => formal[u] += 1,
                _ => probationary[u] += 1,
            }
        }
    }
    let mut own: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    let mut joint: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    let mut functional: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    for l in &linked.org_units {
        let org = &linked.orgs[l.org];
        if !org.counts {
            continue;
        }
        let form = match (org.formation.as_str(), l.role) {
            ("single", "host") => &mut own,
            ("single", _) | ("joint", _) => &mut joint,
            ("affiliated", _) if rules.affiliated_counts_as_joint => &mut joint,
            ("functional", _) => &mut functional,
            _ => continue,
        };
        form[l.unit].insert(l.org);
    }
    let ids = |set: &BTreeSet<usize>| {
        set.iter()
            .map(|&o| linked.orgs[o].org_id.clone())
            .collect::<Vec<_>>()
    };

    resolved
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let ledger = linked.ledger.get(&i);
            let own_org_level = own[i]
                .iter()
                .map(|&o| linked.orgs[o].level.clone())
                .min_by_key(|l| level_rank(l));
            let org_form = if !own[i].is_empty() {
                "single"
            } else if !joint[i].is_empty() {
                "joint"
            } else if !functional[i].is_empty() {
                "functional"
            } else {
                "none"
            };
            let org_covered = matches!(org_form, "single" | "joint")
                || (org_form == "functional" && rules.functional_counts_as_org_coverage);
            let has_instructor = ledger.is_some_and(|l| l.instructor);
            let has_mass_org = ledger.is_some_and(|l| l.union || l.youth_league);
            let (employees, employees_source) =
                match (ledger.and_then(|l| l.employees), u.employees) {
                    (Some(e), _) => (Some(e), Some("ledger")),
                    (None, Some(e)) => (Some(e), Some("registry")),
                    (None, None) => (None, None),
                };
            let reason = out_of_scope(&u.status, &u.kind, u.district_code.as_deref(), rules);
            let has_members =
                formal[i] > 0 || (rules.probationary_count_as_members && probationary[i] > 0);
            UnitStatus {
                unit: i,
                in_scope: reason.is_none(),
                out_of_scope_reason: reason,
                formal_members: formal[i],
                probationary_members: probationary[i],
                has_members,
                formal_3plus: formal[i] >= rules.formal_members_for_own_org,
                own_org_level,
                own_org_ids: ids(&own[i]),
                joint_org_ids: ids(&joint[i]),
                functional_org_ids: ids(&functional[i]),
                org_form,
                has_instructor,
                has_mass_org,
                org_covered,
                work_covered: org_form != "none" || has_instructor || has_mass_org,
                employees,
                employees_source,
                no_org_reason: ledger.and_then(|l| l.no_org_reason.clone()),
            }
        })
        .collect()
}
