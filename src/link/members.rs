//! Members → the unit they work in: 工作单位 first (see `employer`), the own
//! organization's host only where 工作单位 identifies no unit; whether each member is
//! counted, and whether their 组织关系 is where they work.

use super::earlier::{place_where_they_were, EarlierUnits, SamePerson};
use super::employer::{
    names_another_unit_of_the_org_or_area, one_typo_among, place_by_employer, NameLookups,
    OrgContext, Placement,
};
use super::{LinkIssue, Linked, MemberLink, NotCounted, Org, OrgIds, OrgsSide};
use crate::config::Matching;
use crate::error::Result;
use crate::extract::Staged;
use crate::feedback::Feedback;
use crate::model::{MemberKey, MemberRecord};
use crate::resolve::Resolved;
use crate::vocabulary::{
    Formation, LinkIssueKind, MemberCategory, MemberRule, MemberStatus, OrgLevel,
};
use crate::{FastMap, FastSet};
use rayon::prelude::*;
use std::collections::hash_map::Entry;

/// Members → the unit they work in, and whether each is counted.
pub(super) fn link_members(
    staged: &Staged,
    resolved: &Resolved,
    matching: &Matching,
    feedback: &Feedback,
    orgs: OrgsSide,
    earlier: EarlierUnits,
    out: &mut Linked,
) -> Result<()> {
    let org_of = orgs.org_of;
    let (org_of_member, shared_names) = member_orgs(staged, org_of);
    super::joint::cover_where_members_work(
        staged,
        resolved,
        &org_of_member,
        orgs.pending,
        earlier,
        out,
    )?;
    // Units each organization hosts or covers: a scored employer name that points to
    // one of them is taken at the review threshold already.
    let mut units_of_org: FastMap<usize, FastSet<usize>> = FastMap::default();
    for l in &out.org_units {
        units_of_org.entry(l.org).or_default().insert(l.unit);
    }
    districts_where_members_work(staged, resolved, &org_of_member, &units_of_org, out);
    let held = held_units(out);
    let lookups = NameLookups::new(&resolved.index);
    lookups.build();
    let context = |org: Option<usize>| org_context(org, &units_of_org, &held, &out.orgs);
    let own_host = |org: Option<usize>| {
        org.map(|o| &out.orgs[o])
            .filter(|o| o.formation == Formation::Single)
            .and_then(|o| o.host_unit)
    };
    // What the link rules say of a member, without a district's decision on the text.
    let by_rules = |m: &MemberRecord, org: Option<usize>| {
        let placed = place_member(
            m,
            resolved,
            matching,
            &context(org),
            own_host(org),
            &lookups,
        );
        without_rejected(m, feedback, placed)
    };
    // Each member is placed on its own: in parallel, in record order; made into its link
    // at once (no second list of millions beside the links), counted below.
    let mut links: Vec<MemberLink> = staged
        .members
        .par_iter()
        .zip(org_of_member.par_iter())
        .enumerate()
        .map(|(record, (m, &org))| {
            let confirmed = reviewed(m, feedback).filter(|&unit| {
                let (ctx, host) = (context(org), own_host(org));
                !names_another_unit_of_the_org_or_area(m, resolved, &ctx, host, unit, &lookups)
            });
            let placed = match confirmed {
                Some(unit) => Placement::exact(unit, MemberRule::Reviewed),
                None => by_rules(m, org),
            };
            MemberLink::placed(record, org, placed)
        })
        .collect();
    drop(org_of_member);
    let same_person = SamePerson {
        lookups: &lookups,
        orgs: &out.orgs,
        by_rules: &by_rules,
    };
    place_where_they_were(staged, resolved, &same_person, &mut links, earlier)?;
    let area = |org: Option<usize>| context(org).district;
    place_reviews_where_colleagues_work(staged, resolved, feedback, &area, &mut links, &lookups);
    let shared = SharedOrgNames {
        names: &shared_names,
        units_of_org: &units_of_org,
        by_rules: &by_rules,
    };
    shared.tell_apart(staged, &mut links);
    // The name look-ups go before the members are counted (1M units: ~250 MB, and the
    // set of people counted grows there).
    drop(lookups);
    count_members(staged, &mut links, &units_of_org, &held, org_of, out);
    super::same_person::count_the_current_record(staged, resolved, &mut links, earlier)?;
    out.members = links;
    Ok(())
}

/// An organization that holds no unit and whose record gives no district (a park's
/// committee named without it, 中共北京经济技术开发区工作委员会, in an export without a
/// park column) takes the district where its members work, where 9 in 10 of them at
/// least (of 3 or more) whose 工作单位 gives a code or a unit's exact name work in one:
/// its members' typos are then read there, as a street committee's are.
fn districts_where_members_work(
    staged: &Staged,
    resolved: &Resolved,
    org_of_member: &[Option<usize>],
    units_of_org: &FastMap<usize, FastSet<usize>>,
    out: &mut Linked,
) {
    let undistricted =
        |o: usize| out.orgs[o].district_code.is_none() && !units_of_org.contains_key(&o);
    let mut found: FastMap<usize, FastMap<&str, usize>> = FastMap::default();
    for (m, &org) in staged.members.iter().zip(org_of_member) {
        let Some(org) = org.filter(|&o| undistricted(o)) else {
            continue;
        };
        let unit = resolved.index.find(&resolved.units, &m.employer);
        if let Some(district) =
            unit.and_then(|(u, _)| resolved.units[u].facts.district_code.as_deref())
        {
            *found.entry(org).or_default().entry(district).or_default() += 1;
        }
    }
    for (org, districts) in found {
        let all: usize = districts.values().sum();
        let most = districts
            .iter()
            .max_by_key(|&(d, n)| (*n, std::cmp::Reverse(*d)));
        if let Some((district, _)) = most.filter(|&(_, &n)| all >= 3 && n * 10 >= all * 9) {
            out.orgs[org].district_code = Some(district.to_string());
        }
    }
}

/// Whether each member counts (in normal standing, placed, the person's first record —
/// `same_person` then moves the count where the months before say another is current)
/// and whether the relation is held where they are counted (组织关系未转入 where not);
/// a member whose organization holds other units than theirs is listed (组织关系不在工作单位).
fn count_members(
    staged: &Staged,
    links: &mut [MemberLink],
    units_of_org: &FastMap<usize, FastSet<usize>>,
    held: &FastSet<usize>,
    org_of: &OrgIds,
    out: &mut Linked,
) {
    // Leaving the party (出党, 死亡) is for good: a record in normal standing beside one
    // that says so is a list not yet updated.
    let left: FastSet<MemberKey> = staged
        .members
        .iter()
        .filter(|m| m.status == MemberStatus::Left)
        .map(|m| m.member_key)
        .collect();
    let mut counted_people: FastMap<MemberKey, usize> = FastMap::default();
    for (i, m) in staged.members.iter().enumerate() {
        let link = &links[i];
        let ctx = org_context(link.org(), units_of_org, held, &out.orgs);
        if let Some(issue) = org_elsewhere(m, link.unit(), &ctx, &out.orgs) {
            out.issues.push(issue);
        }
        // A dissolved organization holds no member's relation; a 党小组's is held by the
        // organization it is part of.
        let holder = link
            .org()
            .and_then(|o| relation_holder(o, &out.orgs, org_of))
            .filter(|&h| out.orgs[h].counts);
        let held_by_org = link.unit().is_some_and(|u| {
            holder.is_some_and(|h| units_of_org.get(&h).is_some_and(|s| s.contains(&u)))
        });
        let reason = if m.status != MemberStatus::Normal {
            Some(NotCounted::Status(m.status))
        } else if link.unit().is_none() {
            Some(NotCounted::NotPlaced(link.rule))
        } else if left.contains(&m.member_key) {
            Some(NotCounted::PersonLeft)
        } else {
            match counted_people.entry(m.member_key) {
                Entry::Vacant(e) => {
                    e.insert(i);
                    None
                }
                // A probationary member becomes formal, never back: of two records of a
                // person in one unit, the formal one counts (the other predates 转正).
                Entry::Occupied(mut e) => {
                    let j = *e.get();
                    let formal_now = m.category == MemberCategory::Formal
                        && staged.members[j].category == MemberCategory::Probationary
                        && links[j].unit() == link.unit();
                    if formal_now {
                        links[j].counted = false;
                        links[j].not_counted_reason = Some(NotCounted::SamePerson);
                        e.insert(i);
                        None
                    } else {
                        Some(NotCounted::SamePerson)
                    }
                }
            }
        };
        let link = &mut links[i];
        link.not_counted_reason = reason;
        link.counted = reason.is_none();
        link.relation_elsewhere = link.unit().is_some() && !held_by_org;
    }
}

/// The organization that holds a member's 组织关系: their own, or for a 党小组 (a part
/// of an organization, never one itself) the organization its record names as parent.
fn relation_holder(org: usize, orgs: &[Org], org_of: &OrgIds) -> Option<usize> {
    match orgs[org].level {
        OrgLevel::Group => orgs[org]
            .parent_id
            .as_deref()
            .and_then(|p| org_of.get(p).copied()),
        _ => Some(org),
    }
}

/// Organizations that share a name (several 非公企业联合支部 of one street), by name.
type SharedNames<'a> = FastMap<&'a str, Vec<usize>>;

/// Each member's organization, by its code or, for exports that name a member's
/// organization instead, by its normalized name; a name two organizations share finds
/// neither here, and is returned among the shared names.
fn member_orgs<'a>(staged: &'a Staged, org_of: &OrgIds) -> (Vec<Option<usize>>, SharedNames<'a>) {
    let mut orgs_by_name: SharedNames = FastMap::default();
    for rec in &staged.orgs {
        let i = org_of[rec.org_id.as_str()];
        let orgs = orgs_by_name.entry(rec.name_key.as_str()).or_default();
        if !orgs.contains(&i) {
            orgs.push(i);
        }
    }
    let of_member = staged
        .members
        .iter()
        .map(|m| {
            m.org_id
                .as_deref()
                .and_then(|id| org_of.get(id).copied())
                .or_else(
                    || match orgs_by_name.get(m.org_name_key.as_deref()?)?.as_slice() {
                        [one] => Some(*one),
                        _ => None,
                    },
                )
        })
        .collect();
    orgs_by_name.retain(|_, orgs| orgs.len() > 1);
    (of_member, orgs_by_name)
}

/// Members whose organization is given by a name several organizations share.
struct SharedOrgNames<'a, 'n, F> {
    names: &'a SharedNames<'n>,
    units_of_org: &'a FastMap<usize, FastSet<usize>>,
    by_rules: &'a F,
}

impl<F: Fn(&MemberRecord, Option<usize>) -> Placement> SharedOrgNames<'_, '_, F> {
    /// Such a member belongs to the one of those organizations that hosts or covers the
    /// unit the member was placed in, where exactly one does. A member 工作单位 left
    /// unplaced (a typo among several units) is placed as a member of each in turn: where
    /// exactly one of them holds the unit so found, the member is its member, there.
    /// Else the organization stays unknown.
    fn tell_apart(&self, staged: &Staged, links: &mut [MemberLink]) {
        if self.names.is_empty() {
            return;
        }
        for (m, link) in staged.members.iter().zip(links) {
            if link.org().is_some() {
                continue;
            }
            let Some(orgs) = m.org_name_key.as_deref().and_then(|k| self.names.get(k)) else {
                continue;
            };
            let holds = |o: usize, unit: usize| {
                self.units_of_org.get(&o).is_some_and(|u| u.contains(&unit))
            };
            if let Some(unit) = link.unit() {
                if let [one] = orgs.iter().filter(|&&o| holds(o, unit)).collect::<Vec<_>>()[..] {
                    link.set_org(*one);
                }
                continue;
            }
            let mut found = orgs.iter().filter_map(|&o| {
                let placed = (self.by_rules)(m, Some(o));
                placed.unit.filter(|&u| holds(o, u)).map(|_| (o, placed))
            });
            if let (Some((o, placed)), None) = (found.next(), found.next()) {
                *link = MemberLink::placed(link.record as usize, Some(o), placed);
            }
        }
    }
}

/// What the member's organization `org` says of where its members work.
fn org_context<'a>(
    org: Option<usize>,
    units_of_org: &'a FastMap<usize, FastSet<usize>>,
    held: &'a FastSet<usize>,
    orgs: &'a [Org],
) -> OrgContext<'a> {
    let area_org = org.filter(|o| !units_of_org.contains_key(o));
    OrgContext {
        org,
        units_of_org,
        held,
        // Only an organization that holds no unit lends its district and street
        // (see Org).
        district: area_org.and_then(|o| orgs[o].district_code.as_deref()),
        street: area_org.and_then(|o| orgs[o].street.as_deref()),
        park: area_org.and_then(|o| orgs[o].park.as_deref()),
        functional: org.is_some_and(|o| orgs[o].formation == Formation::Functional),
    }
}

/// The units an organization that counts (not a functional one) hosts or covers: their
/// members' relation is with it, where a street's or park's committee holds the members
/// of the units of its area that have none.
fn held_units(out: &Linked) -> FastSet<usize> {
    out.org_units
        .iter()
        .filter(|l| out.orgs[l.org].counts && out.orgs[l.org].formation != Formation::Functional)
        .map(|l| l.unit)
        .collect()
}

/// A member left for review whose written name is one edit from several units, of which
/// exactly one is where other members of the same organization work (placed by any
/// other rule): a branch's members come from its few units, and a street committee's
/// from the units of its street that have no organization of their own, so a typo of
/// the 字号 is read as the colleagues' unit (`employer_typo_colleagues`). Units the
/// districts rejected for the text are not taken; two such units stay for review.
fn place_reviews_where_colleagues_work<'a>(
    staged: &Staged,
    resolved: &Resolved,
    feedback: &Feedback,
    area: &dyn Fn(Option<usize>) -> Option<&'a str>,
    links: &mut [MemberLink],
    lookups: &NameLookups,
) {
    let mut colleagues: FastMap<usize, FastSet<usize>> = FastMap::default();
    for p in links.iter() {
        if let (Some(unit), Some(org)) = (p.unit(), p.org()) {
            colleagues.entry(org).or_default().insert(unit);
        }
    }
    for (m, p) in staged.members.iter().zip(links) {
        let Some(units) = p.org().and_then(|o| colleagues.get(&o)) else {
            continue;
        };
        if p.rule != MemberRule::Review {
            continue;
        }
        let rejected = rejected_units(m, feedback);
        let keep = |u: usize| units.contains(&u) && !rejected.is_some_and(|r| r.contains(&u));
        if let Some(placed) = one_typo_among(m, resolved, area(p.org()), keep, lookups) {
            p.place(placed);
        }
    }
}

/// The unit a district confirmed for the member's written 工作单位 (or pointed it to),
/// where the member gives no code of their employer: a code is exact already. A text is
/// not a person: the same short form can be written later by a member of another unit
/// of the same 字号, so where the text also names a unit of the member's own
/// organization the decision gives way to it (`names_another_unit_of_the_org_or_area`).
fn reviewed(m: &MemberRecord, feedback: &Feedback) -> Option<usize> {
    if m.employer.uscc.is_some() || m.employer.org_code.is_some() || m.employer.reg_no.is_some() {
        return None;
    }
    feedback
        .link_to
        .get(m.employer.name_key.as_deref()?)
        .copied()
}

/// A unit a district rejected for the written text is never linked nor proposed again
/// for it: a link to it becomes unmatched, and review keeps the other candidates.
fn without_rejected(m: &MemberRecord, feedback: &Feedback, mut placed: Placement) -> Placement {
    let Some(units) = rejected_units(m, feedback) else {
        return placed;
    };
    let rejected = |u: usize| units.contains(&u);
    if placed.unit.is_some_and(rejected) {
        return Placement::none(MemberRule::Unmatched);
    }
    placed.candidates.retain(|c| !rejected(c.unit));
    if placed.rule == MemberRule::Review && placed.candidates.is_empty() {
        return Placement::none(MemberRule::Unmatched);
    }
    placed
}

/// The units a district rejected for the member's written 工作单位.
fn rejected_units<'f>(m: &MemberRecord, feedback: &'f Feedback) -> Option<&'f FastSet<usize>> {
    feedback.rejected.get(m.employer.name_key.as_deref()?)
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
    lookups: &NameLookups,
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

/// 工作单位 says the member works nowhere: retired (退休, 离休), gone from the unit it
/// names (某公司（已离职）), out of work (待业, 无业),
/// self-employed or farming (自由职业, 灵活就业, 个体, 务农), a student. Such a member is
/// in no unit's figures, whatever organization keeps them (a 党委 often keeps its
/// retirees), so the host must not place them either.
pub(super) fn names_no_employer(text: &str) -> bool {
    const NONE: [&str; 24] = [
        "无",
        "无工作",
        "无单位",
        "无工作单位",
        "无职业",
        "无业",
        "待业",
        "失业",
        "待岗",
        "下岗",
        "学生",
        "在校学生",
        "在校生",
        "在读",
        "自由职业",
        "自由职业者",
        "灵活就业",
        "无固定工作",
        "无固定职业",
        "务农",
        "个体",
        "个体户",
        "个体经营",
        "家务",
    ];
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let retired = ["退休", "离休", "离职"].iter().any(|w| t.contains(w));
    // Unless the word is part of a unit's name (北京市退休职工服务中心): the text then
    // ends as a unit's name does, not with a bracket (某某公司（退休）) or a person's word
    // (某某公司退休人员).
    let in_a_name = crate::names::ends_as_a_unit_name(&t);
    // The word and a post after it (待业 经理) in a 工作单位及职务 column: still no employer.
    let words = [t.as_str(), crate::names::without_trailing_post(&t)];
    !in_a_name
        && (retired
            || words
                .iter()
                .any(|w| NONE.contains(&without_the_wrapping(w))))
}

/// The word of a no-employer text without what people write around it: a note in
/// brackets (无（待业）, 自由职业者（设计）), 暂 / 目前 / 现 / 在家 before (暂无工作, 在家务农)
/// and 人员 / 者 / 中 / 在家 / 状态 after (灵活就业人员, 待业中, 待业在家).
fn without_the_wrapping(text: &str) -> &str {
    let mut t = text;
    if let Some(open) = t.find(['（', '(']) {
        if t.ends_with(['）', ')']) && open > 0 {
            t = &t[..open];
        }
    }
    for before in ["目前", "暂", "现", "在家"] {
        t = t.strip_prefix(before).unwrap_or(t);
    }
    for after in ["人员", "在家", "状态", "者", "中"] {
        t = t.strip_suffix(after).unwrap_or(t);
    }
    t
}

/// 组织关系不在工作单位: the member's employer is a unit that their organization, which
/// hosts or covers other units, neither hosts nor covers.
fn org_elsewhere(
    m: &MemberRecord,
    unit: Option<usize>,
    ctx: &OrgContext,
    orgs: &[Org],
) -> Option<LinkIssue> {
    let unit = unit?;
    let others = ctx.units().filter(|s| !s.contains(&unit))?;
    let mut other_units: Vec<usize> = others.iter().copied().collect();
    other_units.sort_unstable();
    let org = &orgs[ctx.org?];
    Some(LinkIssue {
        lineage: m.lineage.clone(),
        what: LinkIssueKind::MemberOrgElsewhere,
        reason: format!(
            "组织关系不在工作单位: the member works in another unit than those of organization {}",
            org.org_id
        ),
        value: Some(org.org_id.clone()),
        unit: Some(unit),
        other_units,
    })
}
