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
use crate::feedback::{Correction, Feedback};
use crate::link::Linked;
use crate::resolve::{Resolved, Unit};
use crate::vocabulary::{
    EmployeesSource, FeedbackField, Formation, MemberCategory, OrgLevel, OrgRole, RegistryStatus,
    ScopeReason, UnitKind,
};

/// What assess finds for a unit: facts, not verdicts. The rulebook's switches (who
/// counts as having members, whether 挂靠 is joint and 功能型 is organization coverage)
/// are applied over these facts in sql/unit_status.sql, where golden tests reach them.
#[derive(Debug, Clone)]
pub struct UnitStatus {
    pub unit: usize,
    /// Why a unit is not counted; None for a unit in scope.
    pub out_of_scope_reason: Option<ScopeReason>,
    pub formal_members: i64,
    pub probationary_members: i64,
    /// 组织关系未转入党员数: counted members of the unit whose organization neither hosts
    /// nor covers it (or is unknown).
    pub members_not_transferred: i64,
    /// Highest level of the unit's single (单独组建) organizations.
    pub single_org_level: Option<OrgLevel>,
    /// Organizations that count, by what they are to the unit (ids sorted).
    pub single_org_ids: Vec<String>,
    pub joint_org_ids: Vec<String>,
    pub affiliated_org_ids: Vec<String>,
    pub functional_org_ids: Vec<String>,
    pub has_instructor: bool,
    pub has_mass_org: bool,
    pub employees: Option<i64>,
    pub employees_source: Option<EmployeesSource>,
    pub no_org_reason: Option<String>,
    /// What a district's correction (feedback) says instead of the registry: the
    /// status, and the district with its name; None where not corrected.
    pub corrected_status: Option<RegistryStatus>,
    pub corrected_district: Option<(String, String)>,
    pub corrected_fields: Vec<FeedbackField>,
}

/// Why a unit is not counted, from its registry facts as the district corrected them.
fn out_of_scope(u: &Unit, c: Option<&Correction>, rules: &Rules) -> Option<ScopeReason> {
    match c.and_then(|c| c.status).unwrap_or(u.status) {
        RegistryStatus::Deregistered => return Some(ScopeReason::Deregistered),
        RegistryStatus::Revoked => return Some(ScopeReason::Revoked),
        RegistryStatus::MovedOut => return Some(ScopeReason::MovedOut),
        _ => {}
    }
    // No record of the unit says where it is (an old-system record that matched no
    // current one): it cannot be counted in a district, and is listed with this reason.
    if u.facts.district_code.is_none() && c.and_then(|c| c.district_code.as_ref()).is_none() {
        return Some(ScopeReason::NoDistrict);
    }
    match u.kind {
        UnitKind::StateOwned => Some(ScopeReason::StateOwned),
        UnitKind::Collective => Some(ScopeReason::Collective),
        UnitKind::IndividualBusiness if !rules.individual_business_in_scope => {
            Some(ScopeReason::IndividualBusiness)
        }
        UnitKind::FarmerCoop if !rules.farmer_coop_in_scope => Some(ScopeReason::FarmerCoop),
        _ => None,
    }
}

/// Counted members of each unit: formal, probationary, and of those the ones whose
/// organization relation is elsewhere (组织关系未转入).
struct MemberCounts {
    formal: Vec<i64>,
    probationary: Vec<i64>,
    not_transferred: Vec<i64>,
}

fn member_counts(staged: &Staged, linked: &Linked, n: usize) -> MemberCounts {
    let mut c = MemberCounts {
        formal: vec![0; n],
        probationary: vec![0; n],
        not_transferred: vec![0; n],
    };
    for m in linked.members.iter().filter(|m| m.counted) {
        if let Some(u) = m.unit {
            match staged.members[m.record].category {
                MemberCategory::Formal => c.formal[u] += 1,
                MemberCategory::Probationary => c.probationary[u] += 1,
            }
            c.not_transferred[u] += i64::from(m.relation_elsewhere);
        }
    }
    c
}

/// The organizations of each unit that count, by the form they give it.
struct OrgsOfUnit {
    single: Vec<BTreeSet<usize>>,
    joint: Vec<BTreeSet<usize>>,
    affiliated: Vec<BTreeSet<usize>>,
    functional: Vec<BTreeSet<usize>>,
}

fn orgs_of_units(linked: &Linked, n: usize) -> OrgsOfUnit {
    let mut sets = OrgsOfUnit {
        single: vec![BTreeSet::new(); n],
        joint: vec![BTreeSet::new(); n],
        affiliated: vec![BTreeSet::new(); n],
        functional: vec![BTreeSet::new(); n],
    };
    for l in &linked.org_units {
        let org = &linked.orgs[l.org];
        if !org.counts {
            continue;
        }
        let form = match (org.formation, l.role) {
            (Formation::Single, OrgRole::Host) => &mut sets.single,
            (Formation::Single, _) | (Formation::Joint, _) => &mut sets.joint,
            (Formation::Affiliated, _) => &mut sets.affiliated,
            (Formation::Functional, _) => &mut sets.functional,
        };
        form[l.unit].insert(l.org);
    }
    sets
}

pub fn assess(
    p: &Pipeline,
    staged: &Staged,
    resolved: &Resolved,
    linked: &Linked,
    feedback: &Feedback,
) -> Vec<UnitStatus> {
    let n = resolved.units.len();
    let members = member_counts(staged, linked, n);
    let orgs = orgs_of_units(linked, n);
    let ids = |set: &BTreeSet<usize>| {
        let mut ids: Vec<String> = set.iter().map(|&o| linked.orgs[o].org_id.clone()).collect();
        ids.sort();
        ids
    };
    resolved
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let ledger = linked.ledger.get(&i);
            let correction = feedback.corrections.get(&i);
            // A district's correction outranks the ledger, which outranks the registry.
            let (employees, employees_source) = match (
                correction.and_then(|c| c.employees),
                ledger.and_then(|l| l.employees),
                u.facts.employees,
            ) {
                (Some(e), _, _) => (Some(e), Some(EmployeesSource::Feedback)),
                (None, Some(e), _) => (Some(e), Some(EmployeesSource::Ledger)),
                (None, None, Some(e)) => (Some(e), Some(EmployeesSource::Registry)),
                (None, None, None) => (None, None),
            };
            let corrected_district = correction.and_then(|c| c.district_code.clone()).map(|d| {
                let name = p.district_name(&d).unwrap_or_default().to_string();
                (d, name)
            });
            UnitStatus {
                unit: i,
                out_of_scope_reason: out_of_scope(u, correction, &p.rules),
                formal_members: members.formal[i],
                probationary_members: members.probationary[i],
                members_not_transferred: members.not_transferred[i],
                // OrgLevel orders committee < general branch < branch: the highest is the least.
                single_org_level: orgs.single[i].iter().map(|&o| linked.orgs[o].level).min(),
                single_org_ids: ids(&orgs.single[i]),
                joint_org_ids: ids(&orgs.joint[i]),
                affiliated_org_ids: ids(&orgs.affiliated[i]),
                functional_org_ids: ids(&orgs.functional[i]),
                has_instructor: ledger.is_some_and(|l| l.instructor),
                has_mass_org: ledger.is_some_and(|l| l.union || l.youth_league),
                employees,
                employees_source,
                no_org_reason: ledger.and_then(|l| l.no_org_reason.clone()),
                corrected_status: correction.and_then(|c| c.status),
                corrected_district,
                corrected_fields: correction.map(|c| c.fields.clone()).unwrap_or_default(),
            }
        })
        .collect()
}
