//! Where 工作单位 places a member: codes, the exact normal name, then scored names and
//! one-character typos, with what the member's organization adds (its units, or the
//! district of a street's committee).

use crate::config::Matching;
use crate::matching::{clear_winner, legal_forms_differ, Candidate, NameMatcher, TypoIndex};
use crate::model::MemberRecord;
use crate::resolve::{Resolved, Unit, UnitIndex};
use crate::vocabulary::MemberRule;
use crate::{FastMap, FastSet};

/// What a member's link is made of before counting.
pub(super) struct Placement {
    pub(super) unit: Option<usize>,
    pub(super) rule: MemberRule,
    pub(super) score: Option<f64>,
    pub(super) candidates: Vec<Candidate>,
}

impl Placement {
    pub(super) fn exact(unit: usize, rule: MemberRule) -> Self {
        Placement {
            unit: Some(unit),
            rule,
            score: Some(1.0),
            candidates: Vec::new(),
        }
    }

    pub(super) fn none(rule: MemberRule) -> Self {
        Placement {
            unit: None,
            rule,
            score: None,
            candidates: Vec::new(),
        }
    }
}

/// What a member's organization says about where the member works.
pub(super) struct OrgContext<'a> {
    pub(super) org: Option<usize>,
    pub(super) units_of_org: &'a FastMap<usize, FastSet<usize>>,
    /// The district of an organization that holds no unit (see `org_districts`).
    pub(super) district: Option<&'a str>,
}

impl OrgContext<'_> {
    /// The units the organization hosts or covers (none for a street's committee).
    pub(super) fn units(&self) -> Option<&FastSet<usize>> {
        self.org.and_then(|o| self.units_of_org.get(&o))
    }

    /// The organization hosts or covers the unit.
    pub(super) fn has(&self, unit: usize) -> bool {
        self.units().is_some_and(|s| s.contains(&unit))
    }
}

/// Scored and one-edit name look-ups, built on first use.
pub(super) struct NameLookups<'a> {
    index: &'a UnitIndex,
    scored: Option<NameMatcher>,
    typo: Option<TypoIndex>,
}

impl<'a> NameLookups<'a> {
    pub(super) fn new(index: &'a UnitIndex) -> Self {
        NameLookups {
            index,
            scored: None,
            typo: None,
        }
    }

    fn scored(&mut self) -> &NameMatcher {
        let index = self.index;
        self.scored
            .get_or_insert_with(|| NameMatcher::new(index.names()))
    }

    fn typo(&mut self) -> &TypoIndex {
        let index = self.index;
        self.typo
            .get_or_insert_with(|| TypoIndex::new(index.names()))
    }

    /// Units one edit from the written name that state no other legal form: a typo of
    /// the 字号 leaves 有限公司 or 股份公司 as written, and registry names are official.
    fn typo_near(&mut self, key: &str, units: &[Unit]) -> Vec<(usize, f64)> {
        let mut near = self.typo().within_one_edit(key);
        near.retain(|&(u, _)| !legal_forms_differ(key, &units[u].name_key));
        near
    }
}

/// A member's unit from the 工作单位 columns: codes and exact name first, then a
/// scored name at the accept threshold, then a one-character typo of a unique unit,
/// then a scored name inside the member's organization; else review or unmatched.
pub(super) fn place_by_employer(
    m: &MemberRecord,
    resolved: &Resolved,
    matching: &Matching,
    ctx: &OrgContext,
    lookups: &mut NameLookups,
) -> Placement {
    match resolved.index.find(&resolved.units, &m.employer) {
        Some((u, "uscc")) if m.employer.uscc_from_name => {
            return Placement::exact(u, MemberRule::EmployerUsccInName)
        }
        Some((u, "uscc")) => return Placement::exact(u, MemberRule::EmployerUscc),
        Some((u, "org_code")) => return Placement::exact(u, MemberRule::EmployerOrgCode),
        Some((u, "reg_no")) => return Placement::exact(u, MemberRule::EmployerRegNo),
        Some((u, _)) => {
            // A member whose 工作单位 is exactly the name of a unit their organization
            // neither hosts nor covers, and one edit from exactly one unit it does,
            // mistyped the 字号 into another company's name.
            if let Some((t, score)) = covered_unit_one_edit_away(m, u, ctx, lookups) {
                return Placement {
                    unit: Some(t),
                    rule: MemberRule::EmployerTypoOrg,
                    score: Some(score),
                    candidates: Vec::new(),
                };
            }
            // The same for a member of an organization that holds no unit (a street's
            // committee): the one unit of its district one edit away, where the exact
            // name is a company of another district.
            if let Some((t, score)) = district_unit_one_edit_away(m, u, resolved, ctx, lookups) {
                return Placement {
                    unit: Some(t),
                    rule: MemberRule::EmployerTypoDistrict,
                    score: Some(score),
                    candidates: Vec::new(),
                };
            }
            return Placement::exact(u, MemberRule::EmployerName);
        }
        None => {}
    }
    let Some(key) = m.employer.name_key.as_deref().filter(|k| !k.is_empty()) else {
        return Placement::none(MemberRule::Unmatched);
    };
    // A 股份公司 written where the registry has a 有限公司 of the same core is more often
    // a typo of another company's 字号 than the same company: such candidates are left
    // to the typo rule and to review.
    let units = &resolved.units;
    let best = lookups
        .scored()
        .best(key, 3, |u| !legal_forms_differ(key, &units[u].name_key));
    let winner = clear_winner(&best);
    if let Some(c) = winner.filter(|c| c.score >= matching.name_accept) {
        return Placement {
            unit: Some(c.unit),
            rule: MemberRule::EmployerFuzzy,
            score: Some(c.score),
            candidates: Vec::new(),
        };
    }
    if let Some((unit, score)) = one_typo_away(key, m, resolved, ctx, lookups) {
        return Placement {
            unit: Some(unit),
            rule: MemberRule::EmployerTypo,
            score: Some(score),
            candidates: Vec::new(),
        };
    }
    match best.first().copied() {
        Some(c) if c.score >= matching.name_review && winner.is_some() && ctx.has(c.unit) => {
            Placement {
                unit: Some(c.unit),
                rule: MemberRule::EmployerFuzzyOrg,
                score: Some(c.score),
                candidates: Vec::new(),
            }
        }
        Some(c) if c.score >= matching.name_review => Placement {
            unit: None,
            rule: MemberRule::Review,
            score: Some(c.score),
            candidates: best,
        },
        _ => Placement::none(MemberRule::Unmatched),
    }
}

/// The one unit whose name core is within one edit of the written one (a typo in the
/// 字号) — in the member's district when the export says which — unique there, or else
/// unique among the units of the member's own organization, or else (the export saying
/// no district) unique in the district of a member's organization that holds no unit. Two units within one edit are a
/// question for a person, not a match.
fn one_typo_away(
    key: &str,
    m: &MemberRecord,
    resolved: &Resolved,
    ctx: &OrgContext,
    lookups: &mut NameLookups,
) -> Option<(usize, f64)> {
    let mut near = lookups.typo_near(key, &resolved.units);
    if let Some(district) = &m.district_code {
        near.retain(|(u, _)| resolved.units[*u].facts.district_code.as_ref() == Some(district));
    }
    let org_district = ctx.district.filter(|_| m.district_code.is_none());
    the_one(&near, |_| true)
        .or_else(|| the_one(&near, |u| ctx.has(u)))
        .or_else(|| {
            let d = org_district?;
            the_one(&near, |u| {
                resolved.units[u].facts.district_code.as_deref() == Some(d)
            })
        })
}

/// The one candidate `keep` accepts, if exactly one: two are a question for a person.
fn the_one(near: &[(usize, f64)], keep: impl Fn(usize) -> bool) -> Option<(usize, f64)> {
    let mut kept = near.iter().filter(|&&(u, _)| keep(u));
    match (kept.next(), kept.next()) {
        (Some(&one), None) => Some(one),
        _ => None,
    }
}

/// See `place_by_employer`: the one unit of the member's organization within one edit
/// of the written name, where the exact-name unit `found` is not one of its units.
fn covered_unit_one_edit_away(
    m: &MemberRecord,
    found: usize,
    ctx: &OrgContext,
    lookups: &mut NameLookups,
) -> Option<(usize, f64)> {
    if ctx.units().is_none() || ctx.has(found) {
        return None;
    }
    let key = m.employer.name_key.as_deref()?;
    the_one(&lookups.typo().within_one_edit(key), |u| ctx.has(u))
}

/// See `place_by_employer`: for a member of an organization that hosts and covers no
/// unit but has a district, whose 工作单位 is exactly the name of a unit `found` of
/// another district, the one unit of the organization's district within one edit.
fn district_unit_one_edit_away(
    m: &MemberRecord,
    found: usize,
    resolved: &Resolved,
    ctx: &OrgContext,
    lookups: &mut NameLookups,
) -> Option<(usize, f64)> {
    let district = ctx.district?;
    let in_district = |u: usize| resolved.units[u].facts.district_code.as_deref() == Some(district);
    if in_district(found) || m.district_code.is_some() {
        return None;
    }
    let key = m.employer.name_key.as_deref()?;
    the_one(&lookups.typo_near(key, &resolved.units), in_district)
}
