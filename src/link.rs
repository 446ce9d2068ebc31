//! Stage 3, link: party organizations → their host and covered units, members → the
//! unit they work in, ledger rows → units.
//!
//! A member is placed by what 工作单位 says; the host of the member's own organization
//! only where 工作单位 is blank or identifies no unit (see `place_member`). A member
//! placed in a unit their organization neither hosts nor covers is 组织关系未转入
//! (`MemberLink::relation_elsewhere`), and listed in `link_issues` where that
//! organization belongs to other units.
//!
//! Nothing is dropped: a member who cannot be placed stays in `members` with no unit
//! (and in `unmatched_members`), and a joint-coverage, host or ledger reference that
//! finds no unit goes to `link_issues` with the reason.

use crate::config::Matching;
use crate::extract::Staged;
use crate::matching::{clear_winner, legal_forms_differ, Candidate, NameMatcher, TypoIndex};
use crate::model::{Lineage, MemberRecord, PartyOrgRecord, UnitRef};
use crate::resolve::Resolved;
use crate::vocabulary::{Formation, MemberRule, MemberStatus, OrgLevel, OrgRole, OrgStatus};
use crate::{FastMap, FastSet};

/// A party organization as the rulebook sees it.
#[derive(Debug, Clone)]
pub struct Org {
    pub org_id: String,
    pub name: String,
    pub level: OrgLevel,
    pub formation: Formation,
    pub status: OrgStatus,
    pub parent_id: Option<String>,
    pub host_unit: Option<usize>,
    pub host_rule: Option<&'static str>,
    /// Active and a real organization (a 党小组 is not one).
    pub counts: bool,
    pub lineage: Lineage,
}

/// An organization's relation to a unit.
#[derive(Debug, Clone)]
pub struct OrgUnit {
    pub org: usize,
    pub unit: usize,
    pub role: OrgRole,
    pub rule: &'static str,
    pub lineage: Lineage,
}

/// A member record with the unit it was placed in.
#[derive(Debug, Clone)]
pub struct MemberLink {
    pub record: usize,
    pub unit: Option<usize>,
    pub rule: MemberRule,
    /// 1 for exact rules; the name score for a scored match or a review.
    pub score: Option<f64>,
    /// For a link sent to review: the best candidates with their scores.
    pub candidates: Vec<Candidate>,
    /// Counted for the unit: normal standing and the first record of the person.
    pub counted: bool,
    pub not_counted_reason: Option<String>,
    /// 组织关系未转入: placed in a unit that the member's organization neither hosts nor
    /// covers (the relation stays with a former employer's, a group's or a street's
    /// organization), or the member's organization is unknown.
    pub relation_elsewhere: bool,
}

/// A reference that found nothing to attach to, or a member whose organization is
/// not where they work.
#[derive(Debug, Clone)]
pub struct LinkIssue {
    pub lineage: Lineage,
    pub what: &'static str,
    pub reason: String,
    pub value: Option<String>,
    /// The unit the record was placed in (a member's employer), if any.
    pub unit: Option<usize>,
    /// The units the member's organization hosts or covers instead.
    pub other_units: Vec<usize>,
}

impl LinkIssue {
    /// A reference that found no unit.
    fn unplaced(
        lineage: &Lineage,
        what: &'static str,
        reason: &str,
        value: Option<String>,
    ) -> Self {
        LinkIssue {
            lineage: lineage.clone(),
            what,
            reason: reason.to_string(),
            value,
            unit: None,
            other_units: Vec::new(),
        }
    }
}

/// Per-unit facts from the ledger (台账).
#[derive(Debug, Clone, Default)]
pub struct LedgerFacts {
    pub instructor: bool,
    pub union: bool,
    pub youth_league: bool,
    pub employees: Option<i64>,
    pub no_org_reason: Option<String>,
}

#[derive(Debug, Default)]
pub struct Linked {
    pub orgs: Vec<Org>,
    pub org_units: Vec<OrgUnit>,
    pub members: Vec<MemberLink>,
    pub ledger: FastMap<usize, LedgerFacts>,
    pub issues: Vec<LinkIssue>,
}

/// Links organizations, joint-coverage rows, members and ledger rows to units.
pub fn link(staged: &Staged, resolved: &Resolved, matching: &Matching) -> Linked {
    let mut out = Linked::default();
    let org_of = link_orgs(staged, resolved, &mut out);
    link_joint_coverage(staged, resolved, &org_of, &mut out);
    link_members(staged, resolved, matching, &org_of, &mut out);
    link_ledger(staged, resolved, &mut out);
    out
}

/// Organization id → index in `out.orgs`.
type OrgIds<'a> = FastMap<&'a str, usize>;

/// Party organizations and the units that host them.
fn link_orgs<'a>(staged: &'a Staged, resolved: &Resolved, out: &mut Linked) -> OrgIds<'a> {
    let mut org_of: OrgIds = FastMap::default();
    for rec in &staged.orgs {
        if org_of.contains_key(rec.org_id.as_str()) {
            out.issues.push(LinkIssue::unplaced(
                &rec.lineage,
                "party_org",
                "organization id given twice; the first record is used",
                Some(rec.org_id.clone()),
            ));
            continue;
        }
        let host = if rec.host.is_empty() {
            None
        } else {
            let found = resolved
                .index
                .find(&resolved.units, &rec.host)
                .or_else(|| host_named_in(rec, resolved));
            if found.is_none() {
                out.issues.push(LinkIssue::unplaced(
                    &rec.lineage,
                    "party_org_host",
                    "host unit not found among the registry units",
                    rec.host.shown(),
                ));
            }
            found
        };
        let org = out.orgs.len();
        org_of.insert(rec.org_id.as_str(), org);
        if let Some((unit, rule)) = host {
            out.org_units.push(OrgUnit {
                org,
                unit,
                role: OrgRole::Host,
                rule,
                lineage: rec.lineage.clone(),
            });
        }
        out.orgs.push(Org {
            org_id: rec.org_id.clone(),
            name: rec.name.clone(),
            level: rec.level,
            formation: rec.formation,
            status: rec.status,
            parent_id: rec.parent_id.clone(),
            host_unit: host.map(|h| h.0),
            host_rule: host.map(|h| h.1),
            counts: rec.status == OrgStatus::Active && rec.level != OrgLevel::Group,
            lineage: rec.lineage.clone(),
        });
    }
    org_of
}

/// An organization of its own unit is named after it (中共北京星河科技有限公司支部委员会):
/// where its host's code finds no unit (the unit's only record is an old-system one),
/// the unit whose normalized name the organization's name holds, if exactly one does.
fn host_named_in(rec: &PartyOrgRecord, resolved: &Resolved) -> Option<(usize, &'static str)> {
    if !matches!(rec.formation, Formation::Single | Formation::Functional) {
        return None;
    }
    // The name key has 中共 and 委员会 left out already (names::org_name_key).
    const LEVELS: [&str; 7] = [
        "功能型党支部",
        "总支部",
        "党总支",
        "党支部",
        "支部",
        "党委",
        "党小组",
    ];
    let unit_name = LEVELS
        .iter()
        .find_map(|l| rec.name_key.strip_suffix(l))
        .unwrap_or(&rec.name_key);
    let by_name = UnitRef {
        name_key: Some(unit_name.to_string()),
        ..UnitRef::default()
    };
    resolved
        .index
        .find(&resolved.units, &by_name)
        .map(|(u, _)| (u, "org_name"))
}

/// The joint-coverage list: a joint organization covers a unit.
fn link_joint_coverage(staged: &Staged, resolved: &Resolved, org_of: &OrgIds, out: &mut Linked) {
    let mut seen_pairs: FastSet<(usize, usize)> =
        out.org_units.iter().map(|l| (l.org, l.unit)).collect();
    for rec in &staged.joint {
        let Some(&org) = org_of.get(rec.org_id.as_str()) else {
            out.issues.push(LinkIssue::unplaced(
                &rec.lineage,
                "joint_coverage",
                "names an organization that is not in the party-organization records",
                Some(rec.org_id.clone()),
            ));
            continue;
        };
        match resolved.index.find(&resolved.units, &rec.unit) {
            Some((unit, rule)) => {
                if seen_pairs.insert((org, unit)) {
                    out.org_units.push(OrgUnit {
                        org,
                        unit,
                        role: OrgRole::Covered,
                        rule,
                        lineage: rec.lineage.clone(),
                    });
                }
            }
            None => out.issues.push(LinkIssue::unplaced(
                &rec.lineage,
                "joint_coverage",
                "covered unit not found among the registry units",
                rec.unit.shown(),
            )),
        }
    }
}

/// What a member's link is made of before counting.
struct Placement {
    unit: Option<usize>,
    rule: MemberRule,
    score: Option<f64>,
    candidates: Vec<Candidate>,
}

impl Placement {
    fn exact(unit: usize, rule: MemberRule) -> Self {
        Placement {
            unit: Some(unit),
            rule,
            score: Some(1.0),
            candidates: Vec::new(),
        }
    }

    fn none(rule: MemberRule) -> Self {
        Placement {
            unit: None,
            rule,
            score: None,
            candidates: Vec::new(),
        }
    }
}

/// What a member's organization says about where the member works.
struct OrgContext<'a> {
    org: Option<usize>,
    units_of_org: &'a FastMap<usize, FastSet<usize>>,
    /// The district of an organization that holds no unit (see `org_districts`).
    district: Option<&'a str>,
}

impl OrgContext<'_> {
    /// The units the organization hosts or covers (none for a street's committee).
    fn units(&self) -> Option<&FastSet<usize>> {
        self.org.and_then(|o| self.units_of_org.get(&o))
    }

    /// The organization hosts or covers the unit.
    fn has(&self, unit: usize) -> bool {
        self.units().is_some_and(|s| s.contains(&unit))
    }
}

/// Scored and one-edit name look-ups, built on first use.
struct NameLookups<'a> {
    index: &'a crate::resolve::UnitIndex,
    scored: Option<NameMatcher>,
    typo: Option<TypoIndex>,
}

impl NameLookups<'_> {
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
    fn typo_near(&mut self, key: &str, units: &[crate::resolve::Unit]) -> Vec<(usize, f64)> {
        let mut near = self.typo().within_one_edit(key);
        near.retain(|&(u, _)| !legal_forms_differ(key, &units[u].name_key));
        near
    }
}

/// Members → the unit they work in, and whether each is counted.
fn link_members(
    staged: &Staged,
    resolved: &Resolved,
    matching: &Matching,
    org_of: &OrgIds,
    out: &mut Linked,
) {
    // Organizations by normalized name, for exports that name a member's organization
    // instead of giving its code; a name two organizations share finds neither.
    let mut org_by_name: FastMap<&str, Option<usize>> = FastMap::default();
    for rec in &staged.orgs {
        let i = org_of[rec.org_id.as_str()];
        org_by_name
            .entry(rec.name_key.as_str())
            .and_modify(|v| {
                if *v != Some(i) {
                    *v = None
                }
            })
            .or_insert(Some(i));
    }
    // Units each organization hosts or covers: a scored employer name that points to
    // one of them is taken at the review threshold already.
    let mut units_of_org: FastMap<usize, FastSet<usize>> = FastMap::default();
    for l in &out.org_units {
        units_of_org.entry(l.org).or_default().insert(l.unit);
    }
    let district_of_org = org_districts(staged, &out.orgs, &units_of_org);
    let mut lookups = NameLookups {
        index: &resolved.index,
        scored: None,
        typo: None,
    };
    let mut counted_people: FastSet<&str> = FastSet::default();
    for (i, m) in staged.members.iter().enumerate() {
        let org = m
            .org_id
            .as_deref()
            .and_then(|id| org_of.get(id).copied())
            .or_else(|| {
                let key = m.org_name_key.as_deref()?;
                org_by_name.get(key).copied().flatten()
            });
        let ctx = OrgContext {
            org,
            units_of_org: &units_of_org,
            district: org.and_then(|o| district_of_org[o]),
        };
        let own_host = org
            .map(|o| &out.orgs[o])
            .filter(|o| o.formation == Formation::Single)
            .and_then(|o| o.host_unit);
        let placed = place_member(m, resolved, matching, &ctx, own_host, &mut lookups);
        if let Some(issue) = org_elsewhere(m, &placed, &ctx, &out.orgs) {
            out.issues.push(issue);
        }
        // A 党小组 or a dissolved organization holds no member's relation.
        let held_by_org = placed
            .unit
            .is_some_and(|u| ctx.has(u) && org.is_some_and(|o| out.orgs[o].counts));
        let not_counted_reason = if m.status != MemberStatus::Normal {
            Some(format!("status {}", m.status))
        } else if placed.unit.is_none() {
            Some(format!("not placed in a unit ({})", placed.rule))
        } else if !counted_people.insert(m.member_key.as_str()) {
            Some("same person as an earlier record".to_string())
        } else {
            None
        };
        out.members.push(MemberLink {
            record: i,
            unit: placed.unit,
            rule: placed.rule,
            score: placed.score,
            relation_elsewhere: placed.unit.is_some() && !held_by_org,
            candidates: placed.candidates,
            counted: not_counted_reason.is_none(),
            not_counted_reason,
        });
    }
}

/// The district of each organization that hosts and covers no unit (a street's
/// 工作委员会, a park's committee): the one its record gives, from a district column or
/// its name (中共北京市东城区东四街道工作委员会). Such an organization holds the members of
/// the units of its area (属地), so a typo that fits units of several districts is read
/// in it. An organization of units says more through its units, and its district is
/// none of a job changer's business: it has none here.
fn org_districts<'a>(
    staged: &'a Staged,
    orgs: &[Org],
    units_of_org: &FastMap<usize, FastSet<usize>>,
) -> Vec<Option<&'a str>> {
    // `link_orgs` keeps the first record of an id: the organizations are those records.
    let mut first: FastMap<&str, &PartyOrgRecord> = FastMap::default();
    for rec in &staged.orgs {
        first.entry(rec.org_id.as_str()).or_insert(rec);
    }
    orgs.iter()
        .enumerate()
        .map(|(i, o)| {
            let holds_units = o.host_unit.is_some() || units_of_org.contains_key(&i);
            let record = first[o.org_id.as_str()];
            record.district_code.as_deref().filter(|_| !holds_units)
        })
        .collect()
}

/// A member belongs to the unit they work in: 工作单位 decides wherever it identifies a
/// unit, since a member's 组织关系 often stays in a former employer's, a group company's
/// or a street's organization. The host of the member's own (single) organization
/// places the member only where 工作单位 is blank or identifies no unit: no rule finds
/// one, or the candidates for review include the host. Candidates that all are other
/// units stay for review: the text looks like another employer.
fn place_member(
    m: &MemberRecord,
    resolved: &Resolved,
    matching: &Matching,
    ctx: &OrgContext,
    own_host: Option<usize>,
    lookups: &mut NameLookups,
) -> Placement {
    if m.employer.name.as_deref().is_some_and(names_no_employer) {
        return Placement::none(MemberRule::NoEmployer);
    }
    let by_employer = place_by_employer(m, resolved, matching, ctx, lookups);
    let Some(host) = own_host else {
        return by_employer;
    };
    let unidentified = match by_employer.rule {
        MemberRule::Unmatched => true,
        MemberRule::Review => by_employer.candidates.iter().any(|c| c.unit == host),
        _ => false,
    };
    if unidentified {
        Placement::exact(host, MemberRule::SingleOrgHost)
    } else {
        by_employer
    }
}

/// 工作单位 says the member works nowhere: retired (退休, 离休), out of work (待业, 无业),
/// a student. Such a member is in no unit's figures, whatever organization keeps them
/// (a 党委 often keeps its retirees), so the host must not place them either.
fn names_no_employer(text: &str) -> bool {
    const NONE: [&str; 8] = [
        "无",
        "无工作",
        "无单位",
        "无业",
        "待业",
        "失业",
        "学生",
        "在校学生",
    ];
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    t.contains("退休") || t.contains("离休") || NONE.contains(&t.as_str())
}

/// 组织关系不在工作单位: the member's employer is a unit that their organization, which
/// hosts or covers other units, neither hosts nor covers.
fn org_elsewhere(
    m: &MemberRecord,
    placed: &Placement,
    ctx: &OrgContext,
    orgs: &[Org],
) -> Option<LinkIssue> {
    let unit = placed.unit?;
    let others = ctx.units().filter(|s| !s.contains(&unit))?;
    let mut other_units: Vec<usize> = others.iter().copied().collect();
    other_units.sort_unstable();
    let org = &orgs[ctx.org?];
    Some(LinkIssue {
        lineage: m.lineage.clone(),
        what: "member_org_elsewhere",
        reason: format!(
            "组织关系不在工作单位: the member works in another unit than those of organization {}",
            org.org_id
        ),
        value: Some(org.org_id.clone()),
        unit: Some(unit),
        other_units,
    })
}

/// A member's unit from the 工作单位 columns: codes and exact name first, then a
/// scored name at the accept threshold, then a one-character typo of a unique unit,
/// then a scored name inside the member's organization; else review or unmatched.
fn place_by_employer(
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
    let unique = |v: Vec<(usize, f64)>| match v.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let within = |keep: &dyn Fn(usize) -> bool| {
        unique(near.iter().copied().filter(|&(u, _)| keep(u)).collect())
    };
    let org_district = ctx.district.filter(|_| m.district_code.is_none());
    unique(near.clone())
        .or_else(|| within(&|u| ctx.has(u)))
        .or_else(|| {
            let d = org_district?;
            within(&|u| resolved.units[u].facts.district_code.as_deref() == Some(d))
        })
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
    let near: Vec<(usize, f64)> = lookups
        .typo()
        .within_one_edit(key)
        .into_iter()
        .filter(|(u, _)| ctx.has(*u))
        .collect();
    match near.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
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
    let near: Vec<(usize, f64)> = lookups
        .typo_near(key, &resolved.units)
        .into_iter()
        .filter(|&(u, _)| in_district(u))
        .collect();
    match near.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// Ledger rows → per-unit facts.
fn link_ledger(staged: &Staged, resolved: &Resolved, out: &mut Linked) {
    for rec in &staged.ledger {
        match resolved.index.find(&resolved.units, &rec.unit) {
            Some((unit, _)) => {
                let facts = out.ledger.entry(unit).or_default();
                facts.instructor |= rec.instructor;
                facts.union |= rec.union;
                facts.youth_league |= rec.youth_league;
                facts.employees = facts.employees.or(rec.employees);
                if facts.no_org_reason.is_none() {
                    facts.no_org_reason = rec.no_org_reason.clone();
                }
            }
            None => out.issues.push(LinkIssue::unplaced(
                &rec.lineage,
                "ledger",
                "ledger row matches no registry unit",
                rec.unit.shown(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Matching;
    use crate::model::fixtures::unit_record;
    use crate::model::{Lineage, MemberRecord, PartyOrgRecord, UnitRecord, UnitRef};
    use crate::names::normalize_name;
    use crate::resolve::resolve;
    use crate::vocabulary::MemberCategory;

    fn lineage(row: u64) -> Lineage {
        Lineage {
            source: "t".into(),
            file: "t.csv".into(),
            row,
        }
    }

    fn key(name: &str) -> String {
        normalize_name(name, &["北京市".into(), "北京".into()])
    }

    fn unit(row: u64, name: &str, uscc: &str) -> UnitRecord {
        unit_record(row, name, Some(uscc), "110105")
    }

    fn member(row: u64, org: Option<&str>, employer: &str) -> MemberRecord {
        MemberRecord {
            lineage: lineage(row),
            member_key: format!("m{row}"),
            category: MemberCategory::Formal,
            status: MemberStatus::Normal,
            org_id: org.map(str::to_string),
            org_name_key: None,
            district_code: None,
            employer: UnitRef {
                name: Some(employer.into()),
                name_key: Some(key(employer)),
                ..UnitRef::default()
            },
        }
    }

    /// A joint-coverage row: `org` covers the unit of `uscc`.
    fn covered_by(org: &str, uscc: &str) -> crate::model::JointCoverageRecord {
        crate::model::JointCoverageRecord {
            lineage: lineage(2),
            org_id: org.into(),
            unit: UnitRef {
                uscc: Some(uscc.into()),
                ..UnitRef::default()
            },
        }
    }

    /// Resolve and link a staged month with the default matching settings.
    fn run_link(staged: &Staged) -> (Resolved, Linked) {
        let resolved = resolve(&staged.units, &Matching::default());
        let linked = link(staged, &resolved, &Matching::default());
        (resolved, linked)
    }

    fn joint_org(id: &str) -> PartyOrgRecord {
        PartyOrgRecord {
            lineage: lineage(1),
            org_id: id.into(),
            name: "联合支部".into(),
            name_key: format!("{id}联合支部"),
            level: OrgLevel::Branch,
            formation: Formation::Joint,
            host: UnitRef {
                uscc: Some("91110105100000091K".into()),
                ..UnitRef::default()
            },
            parent_id: None,
            status: OrgStatus::Active,
            district_code: None,
        }
    }

    #[test]
    fn scored_links_accept_review_and_use_the_organization() {
        let staged = Staged {
            units: vec![
                unit(2, "北京星河远航科技有限公司", "91350100M000100Y43"),
                unit(3, "北京智联网络科技股份有限公司", "91110105100000091K"),
                unit(4, "北京云帆远航商贸有限公司", "911101011000000161"),
            ],
            orgs: vec![joint_org("J1")],
            members: vec![
                // Abbreviated: the core 星河远航科技 is the whole name → 1.0, accepted.
                member(2, None, "星河远航科技"),
                // One character of the 字号 wrong (远航 → 远帆): the core 星河远帆科技 is
                // one edit from 星河远航科技 and two or more from every other core, so
                // it is taken as a typo, score 1 − 1/6.
                member(3, None, "北京星河远帆科技有限公司"),
                // Two characters added (星河远航信息科技): between review and accept, no
                // unit within one edit, and no organization to decide: review.
                member(4, None, "北京星河远航信息科技有限公司"),
                // The same, but J1 (hosted by 智联) does not cover 星河远航: review.
                member(5, Some("J1"), "北京星河远航信息科技有限公司"),
                // Two characters added to 智联's name (信息), and J1 hosts 智联: the
                // scored candidate is one of J1's units, taken.
                member(6, Some("J1"), "北京智联网络信息科技股份有限公司"),
                // Nothing like any unit.
                member(7, None, "天津某某贸易有限公司"),
            ],
            ..Staged::default()
        };
        let (resolved, linked) = run_link(&staged);
        let got: Vec<(&str, Option<&str>)> = linked
            .members
            .iter()
            .map(|m| {
                (
                    m.rule.as_str(),
                    m.unit.map(|u| resolved.units[u].name.as_str()),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("employer_fuzzy", Some("北京星河远航科技有限公司")),
                ("employer_typo", Some("北京星河远航科技有限公司")),
                ("review", None),
                ("review", None),
                ("employer_fuzzy_org", Some("北京智联网络科技股份有限公司")),
                ("unmatched", None),
            ]
        );
        // A review keeps its candidates, best first, and is not counted.
        assert_eq!(
            resolved.units[linked.members[2].candidates[0].unit].name,
            "北京星河远航科技有限公司"
        );
        assert!(!linked.members[2].counted);
        assert_eq!(linked.members[0].score, Some(1.0));
        assert!((linked.members[1].score.unwrap() - 5.0 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn a_typo_between_two_units_is_decided_by_the_members_district() {
        // 星河远帆 is one edit from 星河远航 (朝阳) and from 星河远洋 (海淀): without a
        // district it is a question for a person; with 朝阳 given, one unit is left.
        let staged = Staged {
            units: vec![
                unit_record(
                    2,
                    "北京星河远航科技有限公司",
                    Some("91350100M000100Y43"),
                    "110105",
                ),
                unit_record(
                    3,
                    "北京星河远洋科技有限公司",
                    Some("91110105100000091K"),
                    "110108",
                ),
            ],
            members: vec![
                member(2, None, "北京星河远帆科技有限公司"),
                MemberRecord {
                    district_code: Some("110105".into()),
                    ..member(3, None, "北京星河远帆科技有限公司")
                },
            ],
            ..Staged::default()
        };
        let (resolved, linked) = run_link(&staged);
        assert_eq!(linked.members[0].unit, None);
        assert_eq!(linked.members[1].rule, MemberRule::EmployerTypo);
        assert_eq!(
            resolved.units[linked.members[1].unit.unwrap()].name,
            "北京星河远航科技有限公司"
        );
    }

    #[test]
    fn a_street_committees_member_is_read_in_the_committees_district() {
        // 星河远航 is in 朝阳 (110105), 星河远洋 in 海淀 (110108); SQ is 朝阳's street
        // committee (its name names the district) and holds no unit. Member 2 writes
        // 星河远帆, one edit from both: no district in the record, so the committee's
        // district decides → 远航, employer_typo, score 1 − 1/6. Member 3 writes 远洋's
        // exact name, a company of another district one edit from exactly one unit of
        // 朝阳 → 远航, employer_typo_district. Member 4, in no organization, is taken at
        // their word: 远洋 by name.
        let mut committee = joint_org("SQ");
        committee.formation = Formation::Single;
        committee.level = OrgLevel::Committee;
        committee.host = UnitRef::default();
        committee.district_code = Some("110105".into());
        let staged = Staged {
            units: vec![
                unit_record(
                    2,
                    "北京星河远航科技有限公司",
                    Some("91350100M000100Y43"),
                    "110105",
                ),
                unit_record(
                    3,
                    "北京星河远洋科技有限公司",
                    Some("91110105100000091K"),
                    "110108",
                ),
            ],
            orgs: vec![committee],
            members: vec![
                member(2, Some("SQ"), "北京星河远帆科技有限公司"),
                member(3, Some("SQ"), "北京星河远洋科技有限公司"),
                member(4, None, "北京星河远洋科技有限公司"),
            ],
            ..Staged::default()
        };
        let (resolved, linked) = run_link(&staged);
        let got: Vec<(MemberRule, &str, bool)> = linked
            .members
            .iter()
            .map(|m| {
                (
                    m.rule,
                    resolved.units[m.unit.unwrap()].name.as_str(),
                    m.relation_elsewhere,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (MemberRule::EmployerTypo, "北京星河远航科技有限公司", true),
                (
                    MemberRule::EmployerTypoDistrict,
                    "北京星河远航科技有限公司",
                    true
                ),
                (MemberRule::EmployerName, "北京星河远洋科技有限公司", true),
            ]
        );
        assert!((linked.members[0].score.unwrap() - 5.0 / 6.0).abs() < 1e-9);
        // The committee holds no unit: nothing to list as 组织关系不在工作单位.
        assert!(linked.issues.is_empty());
    }

    #[test]
    fn a_joint_organizations_member_whose_typo_names_another_company_is_placed_in_its_unit() {
        // J1 (hosted by 智联) covers 星河远航. 星河远帆 is another registered company, one
        // edit from 星河远航. A J1 member writing 星河远帆 most likely mistyped the unit
        // J1 covers; a member of no organization is taken at their word.
        let staged = Staged {
            units: vec![
                unit(2, "北京星河远航科技有限公司", "91350100M000100Y43"),
                unit(3, "北京星河远帆科技有限公司", "911101011000000161"),
                unit(4, "北京智联网络科技股份有限公司", "91110105100000091K"),
            ],
            orgs: vec![joint_org("J1")],
            joint: vec![covered_by("J1", "91350100M000100Y43")],
            members: vec![
                member(2, Some("J1"), "北京星河远帆科技有限公司"),
                member(3, None, "北京星河远帆科技有限公司"),
            ],
            ..Staged::default()
        };
        let (resolved, linked) = run_link(&staged);
        let got: Vec<(&str, &str)> = linked
            .members
            .iter()
            .map(|m| {
                (
                    m.rule.as_str(),
                    resolved.units[m.unit.unwrap()].name.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("employer_typo_org", "北京星河远航科技有限公司"),
                ("employer_name", "北京星河远帆科技有限公司"),
            ]
        );
    }

    #[test]
    fn an_own_organization_whose_host_code_finds_nothing_is_placed_by_its_name() {
        // The unit's only record is an old-system one (注册号 only); the organization
        // names its host by USCC, which no record carries, and is named after the unit.
        let mut old = unit_record(2, "北京星河科技有限公司", None, "110105");
        old.reg_no = Some(crate::model::Code {
            value: "110108000000016".into(),
            valid: true,
        });
        let mut own = joint_org("O1");
        own.formation = Formation::Single;
        own.name = "中共北京星河科技有限公司支部委员会".into();
        own.name_key = crate::names::org_name_key(&own.name, &["北京市".into(), "北京".into()]);
        let staged = Staged {
            units: vec![old],
            orgs: vec![own],
            ..Staged::default()
        };
        let (_, linked) = run_link(&staged);
        assert_eq!(linked.orgs[0].host_unit, Some(0));
        assert_eq!(linked.orgs[0].host_rule, Some("org_name"));
        assert!(linked.issues.is_empty());
    }

    #[test]
    fn the_employer_places_a_member_and_the_organizations_host_only_without_one() {
        // O1 is 智联's own organization (host USCC 91110105100000091K). Member 2 names
        // 星河 as employer: counted in 星河, 组织关系未转入, listed with both units.
        // Member 3 leaves 工作单位 blank and member 4 names a company in no registry:
        // both placed by O1's host, relation held. Member 5 writes 退休 (retired): in
        // no unit, not even O1's host, and not counted.
        let mut own = joint_org("O1");
        own.formation = Formation::Single;
        let staged = Staged {
            units: vec![
                unit(2, "北京智联网络科技股份有限公司", "91110105100000091K"),
                unit(3, "北京星河科技有限公司", "91350100M000100Y43"),
            ],
            orgs: vec![own],
            members: vec![
                member(2, Some("O1"), "北京星河科技有限公司"),
                member(3, Some("O1"), ""),
                member(4, Some("O1"), "天津某某贸易有限公司"),
                member(5, Some("O1"), "退休"),
            ],
            ..Staged::default()
        };
        let (resolved, linked) = run_link(&staged);
        let name = |u: Option<usize>| u.map(|u| resolved.units[u].name.as_str());
        let got: Vec<(MemberRule, Option<&str>, bool)> = linked
            .members
            .iter()
            .map(|m| (m.rule, name(m.unit), m.relation_elsewhere))
            .collect();
        assert_eq!(
            got,
            vec![
                (MemberRule::EmployerName, Some("北京星河科技有限公司"), true),
                (
                    MemberRule::SingleOrgHost,
                    Some("北京智联网络科技股份有限公司"),
                    false
                ),
                (
                    MemberRule::SingleOrgHost,
                    Some("北京智联网络科技股份有限公司"),
                    false
                ),
                (MemberRule::NoEmployer, None, false),
            ]
        );
        assert!(!linked.members[3].counted);
        let issues: Vec<(&str, Option<&str>, Vec<&str>)> = linked
            .issues
            .iter()
            .map(|i| {
                let others = i.other_units.iter().map(|&u| name(Some(u)).unwrap());
                (i.what, name(i.unit), others.collect())
            })
            .collect();
        assert_eq!(
            issues,
            vec![(
                "member_org_elsewhere",
                Some("北京星河科技有限公司"),
                vec!["北京智联网络科技股份有限公司"]
            )]
        );
        assert_eq!(linked.issues[0].lineage.row, 2);
    }

    #[test]
    fn a_joint_organizations_member_naming_a_covered_unit_is_held_there() {
        // J1 is hosted by 智联 and covers 星河. Member 2 names 星河: placed there, held by
        // J1. Member 3 names 云帆, which J1 neither hosts nor covers: counted in 云帆,
        // 未转入, listed with J1's two units. Member 4 is in no known organization:
        // counted in 星河, 未转入, nothing to list.
        let staged = Staged {
            units: vec![
                unit(2, "北京智联网络科技股份有限公司", "91110105100000091K"),
                unit(3, "北京星河科技有限公司", "91350100M000100Y43"),
                unit(4, "北京云帆商贸有限公司", "911101011000000161"),
            ],
            orgs: vec![joint_org("J1")],
            joint: vec![covered_by("J1", "91350100M000100Y43")],
            members: vec![
                member(2, Some("J1"), "北京星河科技有限公司"),
                member(3, Some("J1"), "北京云帆商贸有限公司"),
                member(4, Some("NOPE"), "北京星河科技有限公司"),
            ],
            ..Staged::default()
        };
        let (resolved, linked) = run_link(&staged);
        let name = |u: usize| resolved.units[u].name.as_str();
        let got: Vec<(&str, bool)> = linked
            .members
            .iter()
            .map(|m| (name(m.unit.unwrap()), m.relation_elsewhere))
            .collect();
        assert_eq!(
            got,
            vec![
                ("北京星河科技有限公司", false),
                ("北京云帆商贸有限公司", true),
                ("北京星河科技有限公司", true),
            ]
        );
        assert_eq!(linked.issues.len(), 1);
        let mut others: Vec<&str> = linked.issues[0]
            .other_units
            .iter()
            .map(|&u| name(u))
            .collect();
        others.sort_unstable();
        assert_eq!(
            (linked.issues[0].unit.map(name), others),
            (
                Some("北京云帆商贸有限公司"),
                vec!["北京星河科技有限公司", "北京智联网络科技股份有限公司"]
            )
        );
    }
}
