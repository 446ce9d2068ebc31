//! Stage 4, assess: one row per unit (`unit_status`) with what the rulebook needs —
//! member counts, organization form, work coverage and whether the unit is in scope.
//!
//! Organization forms, strongest first: 单独组建 `single` (the unit hosts an active
//! organization of its own), 联合组建 `joint` (it is host or covered unit of a joint
//! organization; 挂靠 counts as joint when the rules say so), 功能型 `functional`,
//! `none`. A 党小组 and a dissolved organization never count.

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
    /// Organizations that count, by what they are to the unit; None where none does.
    pub org_ids: Option<Box<OrgIds>>,
    pub has_instructor: bool,
    pub has_mass_org: bool,
    pub employees: Option<i64>,
    pub employees_source: Option<EmployeesSource>,
    pub no_org_reason: Option<String>,
    /// What a district's correction (feedback) says instead of the registry: the
    /// status, and the district with its name; None where not corrected.
    pub corrected_status: Option<RegistryStatus>,
    pub corrected_district: Option<Box<(String, String)>>,
    pub corrected_fields: Vec<FeedbackField>,
}

/// The ids of the organizations that count for a unit, by what they are to it, each
/// list sorted: boxed apart from [`UnitStatus`], since most units have none (1M units:
/// four empty lists in each status took 96 MB at the run's peak).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgIds {
    pub single: Vec<String>,
    pub joint: Vec<String>,
    pub affiliated: Vec<String>,
    pub functional: Vec<String>,
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
        if let Some(u) = m.unit() {
            match staged.members[m.record()].category {
                MemberCategory::Formal => c.formal[u] += 1,
                MemberCategory::Probationary => c.probationary[u] += 1,
            }
            c.not_transferred[u] += i64::from(m.relation_elsewhere);
        }
    }
    c
}

/// What an organization that counts is to a unit: the list of [`OrgIds`] it goes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum OrgList {
    Single,
    Joint,
    Affiliated,
    Functional,
}

/// The organizations that count for each unit, by the list they go in: (unit, list,
/// organization), sorted, each once (not a set per unit and list: 1M units, four empty
/// sets each took 96 MB).
fn orgs_of_units(linked: &Linked) -> Vec<(usize, OrgList, usize)> {
    let mut out: Vec<(usize, OrgList, usize)> = linked
        .org_units
        .iter()
        .filter(|l| linked.orgs[l.org].counts)
        .map(|l| {
            let list = match (linked.orgs[l.org].formation, l.role) {
                (Formation::Single, OrgRole::Host) => OrgList::Single,
                (Formation::Single, _) | (Formation::Joint, _) => OrgList::Joint,
                (Formation::Affiliated, _) => OrgList::Affiliated,
                (Formation::Functional, _) => OrgList::Functional,
            };
            (l.unit, list, l.org)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
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
    let orgs = orgs_of_units(linked);
    let of_unit = |i: usize| {
        let from = orgs.partition_point(|o| o.0 < i);
        &orgs[from..from + orgs[from..].partition_point(|o| o.0 == i)]
    };
    let ids = |of: &[(usize, OrgList, usize)], list: OrgList| {
        let mut ids: Vec<String> = of
            .iter()
            .filter(|o| o.1 == list)
            .map(|o| linked.orgs[o.2].org_id.clone())
            .collect();
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
                Box::new((d, name))
            });
            let of = of_unit(i);
            let org_ids = OrgIds {
                single: ids(of, OrgList::Single),
                joint: ids(of, OrgList::Joint),
                affiliated: ids(of, OrgList::Affiliated),
                functional: ids(of, OrgList::Functional),
            };
            UnitStatus {
                unit: i,
                out_of_scope_reason: out_of_scope(u, correction, &p.rules),
                formal_members: members.formal[i],
                probationary_members: members.probationary[i],
                members_not_transferred: members.not_transferred[i],
                // OrgLevel orders committee < general branch < branch: the highest is the least.
                single_org_level: of
                    .iter()
                    .filter(|o| o.1 == OrgList::Single)
                    .map(|o| linked.orgs[o.2].level)
                    .min(),
                org_ids: (org_ids != OrgIds::default()).then(|| Box::new(org_ids)),
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
